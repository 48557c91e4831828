"""``[uncertainty]``: the inputs nobody knows exactly, as ranges (for ``ccsim sensitivity`` and
the range ``ccsim run`` reports)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from simulator.spec.base import MAX_REPLICATIONS, Name
from simulator.spec.base import Spec as _Spec

_KEY_PATH = r"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z_][A-Za-z0-9_\-]*)+$"
KeyPath = Annotated[str, Field(pattern=_KEY_PATH, max_length=200)]


class UncertainInputSpec(_Spec):
    """``[[uncertainty.inputs]]``: an input nobody knows exactly, as a range.

    ``keys`` are key paths as ``--set`` takes them (arrays of tables by name). With
    ``scale = true``, ``low`` and ``high`` multiply each key's value in the file (volume ±10 %:
    0.9 and 1.1); otherwise they are the values themselves (deflection 0.05 to 0.20). ``likely``
    makes the range triangular around it instead of uniform (for ``ccsim run``'s samples).
    """

    name: Name
    keys: tuple[KeyPath, ...] = Field(min_length=1, max_length=50)
    low: float
    high: float
    scale: bool = Field(default=False, description="low/high multiply each key's value")
    likely: float | None = Field(default=None, description="most likely value: triangular")

    @model_validator(mode="after")
    def _ordered(self) -> UncertainInputSpec:
        if not self.low < self.high:
            msg = f"low ({self.low:g}) must be below high ({self.high:g})"
            raise ValueError(msg)
        if self.likely is not None and not self.low <= self.likely <= self.high:
            msg = f"likely ({self.likely:g}) must lie from low ({self.low:g}) to high ({self.high:g})"
            raise ValueError(msg)
        if self.scale and self.low < 0:
            msg = f"a scale cannot be negative, got low = {self.low:g}"
            raise ValueError(msg)
        for key in self.keys:
            if key.split(".")[0] in ("run", "uncertainty", "scenario"):
                msg = (f"keys: {key}: [run], [scenario] and [uncertainty] cannot be uncertain "
                       "(the samples share the run's seeds)")
                raise ValueError(msg)
        return self


class UncertaintySpec(_Spec):
    """``[uncertainty]``: ranges for ``ccsim sensitivity`` and the range ``ccsim run`` reports."""

    samples: int = Field(default=20, ge=2, le=1000,
                         description="Latin-hypercube samples ccsim run draws from the ranges")
    replications: int | None = Field(default=None, ge=1, le=MAX_REPLICATIONS,
                                     description="per sample; default run.replications")
    percentiles: tuple[float, float] = Field(default=(10.0, 90.0),
                                             description="the range reported")
    inputs: tuple[UncertainInputSpec, ...] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _check(self) -> UncertaintySpec:
        low, high = self.percentiles
        if not 0 <= low < high <= 100:
            msg = f"percentiles: need 0 <= low < high <= 100, got [{low:g}, {high:g}]"
            raise ValueError(msg)
        names = [i.name for i in self.inputs]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            msg = f"inputs: names must be unique, repeated: {', '.join(dupes)}"
            raise ValueError(msg)
        return self
