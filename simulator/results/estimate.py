"""An estimate over replications: the mean, its 95 % Student-t interval and the values it came from.

Replications are independent and identically distributed, so the t interval on their means is
exact up to normality of the replication means. A replication whose figure is undefined (NaN: a
rate with nothing to divide by) is left out of the mean and the interval, but kept among the
values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

Document = dict[str, Any]
"""A result as JSON-like data (``to_document()``): what ``--format json`` prints."""


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A figure estimated over replications (``mean`` is None when no replication defines it;
    ``ci_low``/``ci_high`` are None with fewer than two)."""

    mean: float | None
    ci_low: float | None
    ci_high: float | None
    values: tuple[float, ...] = ()

    @classmethod
    def of(cls, values: Iterable[float]) -> Estimate:
        """Mean and 95 % Student-t interval of per-replication values (NaN values skipped)."""
        raw = tuple(float(v) for v in values)
        data = np.asarray([v for v in raw if not math.isnan(v)], dtype=np.float64)
        if data.size == 0:
            return cls(None, None, None, raw)
        mean = float(data.mean())
        if data.size < 2:
            return cls(mean, None, None, raw)
        from scipy import special  # imported on use: it costs 0.2 s at start-up

        half = float(special.stdtrit(data.size - 1, 0.975) * data.std(ddof=1) / math.sqrt(data.size))
        return cls(mean, mean - half, mean + half, raw)

    @property
    def half_width(self) -> float | None:
        """From the mean to the upper end of the interval (None without an interval)."""
        if self.mean is None or self.ci_high is None:
            return None
        return self.ci_high - self.mean

    @property
    def defined(self) -> bool:
        """Has a finite mean (some replication defines the figure)."""
        return self.mean is not None and math.isfinite(self.mean)

    def to_document(self) -> Document:
        """``{mean, ci_low, ci_high, values}``: the values per replication, in replication order
        (an undefined one is NaN, null in JSON), so a reader can pair, pool or plot them."""
        return {"mean": self.mean, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "values": list(self.values)}

    @classmethod
    def from_document(cls, node: Mapping[str, Any] | None) -> Estimate:
        if node is None:
            return MISSING
        values = tuple(float("nan") if v is None else float(v) for v in node.get("values", ()))
        return cls(_number(node.get("mean")), _number(node.get("ci_low")),
                   _number(node.get("ci_high")), values)


#: an estimate of a figure nobody measured
MISSING = Estimate(None, None, None)


@dataclass(frozen=True, slots=True)
class Spread:
    """Percentiles of a figure over samples of uncertain inputs (not an interval: a range)."""

    low: float | None
    median: float | None
    high: float | None
    mean: float | None

    @classmethod
    def of(cls, values: Iterable[float], percentiles: tuple[float, float]) -> Spread:
        data = np.array([v for v in values if not math.isnan(v)], dtype=np.float64)
        if data.size == 0:
            return cls(None, None, None, None)
        low, median, high = np.percentile(data, [percentiles[0], 50.0, percentiles[1]])
        return cls(float(low), float(median), float(high), float(data.mean()))

    def to_document(self) -> Document:
        return {"low": self.low, "median": self.median, "high": self.high, "mean": self.mean}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> Spread:
        return cls(*(_number(node.get(k)) for k in ("low", "median", "high", "mean")))
