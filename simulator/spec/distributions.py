"""Probability distributions a scenario file can name (SPEC §3).

Each distribution is a small frozen pydantic model, tagged by ``dist``, that knows its analytic
``mean`` and maps uniforms to values by its quantile function (:meth:`quantiles`).

Sampling by inversion is deliberate: the engine draws one uniform per contact and decision
and pushes it through the quantile function. Two scenarios that differ only in a distribution's
parameters then give the *same* customer a correspondingly longer or shorter handle time (a
monotone coupling), which keeps paired comparisons tight (common random numbers).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from simulator.spec.reading import csv_rows, shown_text

FloatArray = NDArray[np.float64]

#: Upper bound on any time in a distribution (seconds): 30 days. Larger values are typos.
MAX_SECONDS = 30 * 86_400.0


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @property
    def mean(self) -> float:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def quantiles(self, u: FloatArray) -> FloatArray:  # pragma: no cover
        """Map uniforms in [0, 1) to values (the inverse distribution function)."""
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` values by inversion of ``rng.random``."""
        return self.quantiles(rng.random(size))


class _MeanGiven(_Dist):
    """A distribution given by its mean (seconds)."""

    mean_: float = Field(alias="mean", gt=0, le=MAX_SECONDS)

    @property
    def mean(self) -> float:
        return self.mean_


class _MeanAndCv(_MeanGiven):
    """A distribution given by its mean and coefficient of variation (sd / mean)."""

    cv: float = Field(gt=0, le=20)


class Exponential(_MeanGiven):
    """Exponential with the given mean (seconds)."""

    dist: Literal["exponential"]

    def quantiles(self, u: FloatArray) -> FloatArray:
        return -self.mean_ * np.log1p(-u)


class LogNormal(_MeanAndCv):
    """Lognormal given by its mean and coefficient of variation."""

    dist: Literal["lognormal"]

    def quantiles(self, u: FloatArray) -> FloatArray:
        from scipy import special  # imported on use: it costs 0.2 s at start-up

        sigma2 = math.log1p(self.cv**2)
        mu = math.log(self.mean_) - sigma2 / 2
        z = special.ndtri(np.clip(u, 1e-300, None))
        return np.exp(mu + math.sqrt(sigma2) * z)  # type: ignore[no-any-return]


class Gamma(_MeanAndCv):
    """Gamma given by its mean and coefficient of variation (shape = 1 / cv²)."""

    dist: Literal["gamma"]

    def quantiles(self, u: FloatArray) -> FloatArray:
        from scipy import special  # imported on use: it costs 0.2 s at start-up

        shape = 1.0 / self.cv**2
        return special.gammaincinv(shape, u) * (self.mean_ / shape)  # type: ignore[no-any-return]


class Uniform(_Dist):
    """Uniform between ``low`` and ``high`` (seconds)."""

    dist: Literal["uniform"]
    low: float = Field(ge=0, le=MAX_SECONDS)
    high: float = Field(gt=0, le=MAX_SECONDS)

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high <= self.low:
            msg = f"high must be greater than low ({self.low:g}), got {self.high:g}"
            raise ValueError(msg)
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    def quantiles(self, u: FloatArray) -> FloatArray:
        return self.low + u * (self.high - self.low)


class Fixed(_Dist):
    """Always the same value (seconds)."""

    dist: Literal["fixed"]
    value: float = Field(ge=0, le=MAX_SECONDS)

    @property
    def mean(self) -> float:
        return self.value

    def quantiles(self, u: FloatArray) -> FloatArray:
        return np.full(u.shape, self.value)


class Empirical(_Dist):
    """Observed values from a CSV file (one number per row; a header row is allowed).

    ``file`` is relative to the scenario file that names it. Each draw picks one observed value
    with equal probability.
    """

    dist: Literal["empirical"]
    file: str
    _values: FloatArray = PrivateAttr()

    @model_validator(mode="after")
    def _load(self) -> Empirical:
        self._values = np.sort(np.asarray(read_observations(Path(self.file)), dtype=np.float64))
        return self

    @property
    def mean(self) -> float:
        return float(np.mean(self._values))

    def quantiles(self, u: FloatArray) -> FloatArray:
        data = self._values
        idx = np.minimum((u * len(data)).astype(np.int64), len(data) - 1)
        picked: FloatArray = data[idx]
        return picked


def read_observations(path: Path) -> list[float]:
    """Read the first column of a CSV of observed times; raise ``ValueError`` with the reason.

    The file is read within the bounds of :mod:`simulator.spec.reading` (its size, its rows)."""
    values: list[float] = []
    for row_number, row in csv_rows(path):
        if not row or not row[0].strip():
            continue
        try:
            value = float(row[0])
        except ValueError:
            if row_number == 1:  # a header
                continue
            msg = f"{path}: row {row_number}: not a number: {shown_text(row[0])}"
            raise ValueError(msg) from None
        if not math.isfinite(value) or value < 0 or value > MAX_SECONDS:
            msg = f"{path}: row {row_number}: must be a finite time from 0 to {MAX_SECONDS:g} s"
            raise ValueError(msg)
        values.append(value)
    if not values:
        msg = f"{path}: holds no observations"
        raise ValueError(msg)
    return values


Distribution = Annotated[
    Exponential | LogNormal | Gamma | Uniform | Fixed | Empirical,
    Field(discriminator="dist"),
]

DIST_NAMES = ("exponential", "lognormal", "gamma", "uniform", "fixed", "empirical")
