"""What calibrating patience against a history found: per channel, the scale of its patience
that makes the simulated abandonment match the history's, and how well it fits before and after.

Rates are shares (0..1); a fit's MAE and bias are weighted by the history's offered contacts in
each weekday × interval cell (:mod:`simulator.studies.calibration` says how they are measured).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from simulator.results.estimate import Document

Status = Literal["calibrated", "at_bound", "not_converged", "unchanged"]


@dataclass(frozen=True, slots=True)
class Fit:
    """How one channel's simulated abandonment matches the history, weekday × interval cell by
    cell (cells the history offered contacts in and the simulated week measures)."""

    cells: int
    mae: float  # offered-weighted mean |simulated − actual| abandonment rate
    bias: float  # offered-weighted mean (simulated − actual): the quantity calibration zeroes
    within_band: float | None  # share of cells whose actual rate lies in the simulated 95 % band


@dataclass(frozen=True, slots=True)
class Step:
    """One simulation of the search as one channel saw it."""

    scale: float  # patience scale (1 = the scenario's own)
    simulated_rate: float  # offered-weighted simulated abandonment rate
    standard_error: float  # of simulated_rate over the replications


@dataclass(frozen=True, slots=True)
class ChannelCalibration:
    """One channel (an export's queue): its patience before and after, and the fit.

    ``status``: ``calibrated`` (within the convergence rule), ``at_bound`` (the root lies beyond
    the allowed scales: the nearest bound is kept), ``not_converged`` (the simulations ran out:
    the best scale found is kept) or ``unchanged`` (``note`` says why)."""

    channel: str
    queue: str
    status: Status
    note: str
    history_cells: int  # weekday × interval cells the history offered contacts in
    actual_rate: float  # the history's abandonment rate (abandoned ÷ offered, compared cells)
    actual_standard_error: float | None  # of actual_rate, from its week-to-week spread
    start_mean_seconds: float | None  # None: the scenario has no patience (never abandons)
    calibrated_mean_seconds: float | None
    scale: float  # of the start's patience (of the searched-from guess, without one)
    #: 95 % range of the scale from the noise of both sides (None where it cannot be said)
    scale_low: float | None
    scale_high: float | None
    low_seconds: float | None  # the same range of the calibrated mean, in seconds
    high_seconds: float | None
    patience: dict[str, Any] | None  # the calibrated distribution, as a scenario file writes it
    simulations: int  # simulations until this channel's scale was settled
    steps: tuple[Step, ...]
    before: Fit | None
    after: Fit | None

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"

    def to_document(self) -> Document:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CalibrationResult:
    """``ccsim calibrate``: every channel matched to a queue of the history."""

    scenario: str  # the scenario file
    sources: tuple[str, ...]  # the exports
    interval_minutes: int
    replications: int
    seed: int
    simulations: int  # simulations of the scenario's week, all channels together
    max_simulations: int
    weeks: int  # calendar weeks the history has a date in
    channels: tuple[ChannelCalibration, ...]

    @property
    def calibrated(self) -> tuple[ChannelCalibration, ...]:
        """The channels whose patience changes."""
        return tuple(c for c in self.channels if c.changed and c.patience is not None)

    def to_document(self) -> Document:
        out = asdict(self)
        out["channels"] = [c.to_document() for c in self.channels]
        return out
