"""What ``ccsim backtest`` found: the simulated band against the actual, interval by interval,
and the errors per channel and metric (:mod:`simulator.studies.backtest` builds it).

The band of an interval is a pair of order statistics of the replications' values, the
``k``-th lowest and the ``k``-th highest of the ``n`` defined ones with
``k = max(1, floor(0.025 (n + 1)))``: an actual value drawn from the same distribution as the
replications (the model right) falls inside it with probability at least
``(n + 1 - 2k) / (n + 1)`` (exactly, for continuous values; ties only add), its *nominal*
coverage: 95 % for n = 39, 90.5 % for n = 20 (then the band is the lowest to the highest).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.results.estimate import Document

#: the metrics compared, in report order, and their units
METRICS: dict[str, str] = {
    "service_level": "share answered within the threshold, of answered + abandoned",
    "abandon_rate": "share abandoned, of offered",
    "asa_seconds": "mean wait of the answered (seconds)",
    "occupancy": "handle time of the answered ÷ agent time on the floor (× concurrency)",
}
#: the replications a 95 % band needs: k = 1 of 39 gives (39 + 1 - 2) / 40 = 95 %
REPLICATIONS_FOR_95 = 39
_Z = 1.959963984540054  # the 97.5 % normal quantile


def band_of(values: Sequence[float]) -> tuple[float, float, float]:
    """``(low, high, nominal coverage)`` of the band of the defined ``values`` (NaN skipped;
    all NaN with none defined)."""
    data = np.sort(np.asarray([v for v in values if not math.isnan(v)], dtype=np.float64))
    n = int(data.size)
    if n == 0:
        return math.nan, math.nan, math.nan
    k = max(1, math.floor(0.025 * (n + 1)))
    return float(data[k - 1]), float(data[n - k]), (n + 1 - 2 * k) / (n + 1)


def wilson(successes: int, n: int) -> tuple[float, float]:
    """The Wilson score 95 % interval of a binomial proportion (NaN, NaN for n = 0)."""
    if n == 0:
        return math.nan, math.nan
    p, z2 = successes / n, _Z * _Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = _Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class BacktestRow:
    """One metric of one channel in one interval of one historical date."""

    date: str  # YYYY-MM-DD
    start: str  # HH:MM
    channel: str
    queue: str  # as the history names it
    metric: str
    actual: float  # NaN: undefined that interval (nothing to divide by) or not in the history
    low: float  # the band (NaN: no replication defines it)
    high: float
    mean: float  # of the replications that define it
    replications: int  # that define it
    nominal: float  # the band's nominal coverage for that many

    @property
    def judged(self) -> bool:
        """Both the actual and the band are defined."""
        return not (math.isnan(self.actual) or math.isnan(self.low))

    @property
    def inside(self) -> bool:
        """The actual lies in the band (ends included; a billionth of slack for rounding)."""
        slack = 1e-9 * max(1.0, abs(self.actual))
        return self.judged and self.low - slack <= self.actual <= self.high + slack

    def to_document(self) -> Document:
        return {k: _json(getattr(self, k)) for k in ROW_FIELDS} | {"inside": self.inside
                                                                   if self.judged else None}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> BacktestRow:
        return cls(**{k: _back(k, node[k]) for k in ROW_FIELDS})


ROW_FIELDS = ("date", "start", "channel", "queue", "metric", "actual", "low", "high", "mean",
              "replications", "nominal")


def _json(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


def _back(key: str, value: Any) -> Any:
    if key in ("actual", "low", "high", "mean", "nominal"):
        return math.nan if value is None else float(value)
    return int(value) if key == "replications" else str(value)


@dataclass(frozen=True, slots=True)
class ErrorRow:
    """How far the simulation is from the history for one channel and metric, over the
    ``intervals`` where both are defined."""

    channel: str
    metric: str
    intervals: int
    mae: float  # mean |simulated mean - actual|
    bias: float  # mean (simulated mean - actual): > 0, the model says more than happened
    coverage: float  # share of those intervals with the actual inside the band
    coverage_low: float  # its Wilson 95 % interval
    coverage_high: float
    nominal: float  # the bands' mean nominal coverage: what coverage should be

    @classmethod
    def of(cls, channel: str, metric: str, rows: Sequence[BacktestRow]) -> ErrorRow:
        judged = [r for r in rows if r.judged]
        n = len(judged)
        if n == 0:
            return cls(channel, metric, 0, *(math.nan,) * 6)
        gaps = np.asarray([r.mean - r.actual for r in judged])
        inside = sum(r.inside for r in judged)
        low, high = wilson(inside, n)
        return cls(channel, metric, n, float(np.abs(gaps).mean()), float(gaps.mean()),
                   inside / n, low, high, float(np.mean([r.nominal for r in judged])))

    @property
    def short(self) -> bool:
        """Coverage below nominal beyond doubt: the band's nominal is above the Wilson
        interval (the model misses the history more often than its own noise explains)."""
        return self.intervals > 0 and self.coverage_high < self.nominal

    def to_document(self) -> Document:
        return {k: _json(getattr(self, k)) for k in ERROR_FIELDS} | {"short": self.short}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> ErrorRow:
        return cls(str(node["channel"]), str(node["metric"]), int(node["intervals"]),
                   *(math.nan if node[k] is None else float(node[k]) for k in ERROR_FIELDS[3:]))


ERROR_FIELDS = ("channel", "metric", "intervals", "mae", "bias", "coverage", "coverage_low",
                "coverage_high", "nominal")


@dataclass(frozen=True, slots=True)
class BacktestResult:
    """``ccsim backtest``: the scenario's one-day runs of each historical date against it."""

    scenario: str
    file: str
    history: tuple[str, ...]  # the export files
    queues: dict[str, str]  # history queue -> scenario channel
    groups: dict[str, str]  # channel -> the agent group given the history's agents
    dates: tuple[str, ...]  # simulated, YYYY-MM-DD
    interval_minutes: int
    threshold_seconds: dict[str, float]  # per channel: of the simulated and actual SL
    replications: int
    seed: int
    warmup_hours: float
    rows: tuple[BacktestRow, ...]  # date, channel, interval, metric order
    errors: tuple[ErrorRow, ...]  # channel, metric order
    left_out: tuple[str, ...] = ()  # what was not compared, and why
    mode: str = "actual volume"

    @classmethod
    def errors_of(cls, rows: Sequence[BacktestRow]) -> tuple[ErrorRow, ...]:
        """An :class:`ErrorRow` per channel (first seen order) and metric (:data:`METRICS`)."""
        channels = list(dict.fromkeys(r.channel for r in rows))
        by: dict[tuple[str, str], list[BacktestRow]] = {}
        for r in rows:
            by.setdefault((r.channel, r.metric), []).append(r)
        return tuple(ErrorRow.of(c, m, by.get((c, m), [])) for c in channels for m in METRICS)

    def to_document(self) -> Document:
        return {"scenario": self.scenario, "file": self.file, "history": list(self.history),
                "mode": self.mode, "queues": self.queues, "groups": self.groups,
                "dates": list(self.dates), "interval_minutes": self.interval_minutes,
                "threshold_seconds": self.threshold_seconds, "replications": self.replications,
                "seed": self.seed, "warmup_hours": self.warmup_hours,
                "left_out": list(self.left_out),
                "errors": [e.to_document() for e in self.errors],
                "rows": [r.to_document() for r in self.rows]}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> BacktestResult:
        return cls(str(node["scenario"]), str(node["file"]), tuple(node["history"]),
                   dict(node["queues"]), dict(node["groups"]), tuple(node["dates"]),
                   int(node["interval_minutes"]),
                   {k: float(v) for k, v in node["threshold_seconds"].items()},
                   int(node["replications"]), int(node["seed"]), float(node["warmup_hours"]),
                   tuple(BacktestRow.from_document(r) for r in node["rows"]),
                   tuple(ErrorRow.from_document(e) for e in node["errors"]),
                   tuple(node["left_out"]), str(node["mode"]))
