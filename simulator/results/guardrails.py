"""Guardrail verdicts: each target of ``[targets.<channel>]`` judged once, in one place.

A guardrail is judged on the mean over replications; the interval is kept beside it so a reader
can see when a result straddles the target. Service level, abandonment and ASA are judged where
customers feel them, per interval of the open day: each interval of each class of alike weekdays
(a run's ``intervals_by_day``) on its own estimate, and the guardrail is met when the intervals
that meet it make up at least ``intervals_met`` of the week's open intervals (an interval of a
class of *k* days counts *k* times). ``judged_on = "day"`` judges the whole run's average
instead. Studies and reports take these verdicts; none judges a target again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from simulator.results.estimate import MISSING, Document, Estimate
from simulator.spec.schema import Scenario

if TYPE_CHECKING:
    from simulator.results.run import ChannelResult, IntervalRow

Sense = Literal[">=", "<="]

#: the guardrails judged per interval (the others, occupancy and replies in time, on the run)
PER_INTERVAL = ("service_level", "max_abandon_rate", "max_asa_seconds")

#: the guardrails a channel can have: (name, the channel figure it reads, sense)
GUARDRAILS: tuple[tuple[str, str, Sense], ...] = (
    ("service_level", "service_level", ">="),
    ("max_abandon_rate", "abandon_rate", "<="),
    ("max_asa_seconds", "asa_seconds", "<="),
    ("within_target", "within_target", ">="),
    ("max_occupancy", "serving_occupancy", "<="),
)
SENSES: dict[str, Sense] = {name: sense for name, _, sense in GUARDRAILS}


def met(value: Estimate, target: float, sense: Sense) -> bool:
    """Is a target met by an estimate's mean (an undefined mean never meets one)?"""
    if value.mean is None:
        return False
    return value.mean >= target if sense == ">=" else value.mean <= target


@dataclass(frozen=True, slots=True)
class IntervalCheck:
    """One interval of a class of alike weekdays, judged against a target."""

    days: tuple[str, ...]
    start: str
    value: Estimate
    met: bool

    def to_document(self) -> Document:
        return {"days": list(self.days), "start": self.start, "value": self.value.mean,
                "met": self.met}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> IntervalCheck:
        return cls(tuple(node["days"]), node["start"], Estimate(node["value"], None, None),
                   bool(node["met"]))


@dataclass(frozen=True, slots=True)
class Guardrail:
    """One target of one channel, the value reached (on the run) and the verdict; judged per
    interval, the intervals too."""

    channel: str
    name: str
    target: float
    value: Estimate
    sense: Sense
    met: bool
    judged_on: Literal["intervals", "day"] = "day"
    intervals: tuple[IntervalCheck, ...] = ()
    intervals_met_required: float = 1.0
    interval_minutes: int = 30

    @property
    def per_interval(self) -> bool:
        return self.judged_on == "intervals"

    @property
    def intervals_met(self) -> int:
        """Open intervals of the week that meet the target (a class of k days counts k)."""
        return sum(len(c.days) for c in self.intervals if c.met)

    @property
    def intervals_judged(self) -> int:
        """Open intervals of the week with contacts to judge."""
        return sum(len(c.days) for c in self.intervals)

    @property
    def worst(self) -> IntervalCheck | None:
        """The interval furthest from the target (None when none was judged)."""
        judged = [c for c in self.intervals if c.value.mean is not None]
        if not judged:
            return None
        sign = 1.0 if self.sense == ">=" else -1.0
        return min(judged, key=lambda c: sign * (c.value.mean or 0.0))

    def breaches(self) -> list[IntervalCheck]:
        """The intervals that miss the target, in week order."""
        return [c for c in self.intervals if not c.met]

    @property
    def key(self) -> str:
        """``channel.guardrail``, e.g. ``voice.max_abandon_rate``."""
        return f"{self.channel}.{self.name}"

    @property
    def is_share(self) -> bool:
        """A share (shown in %), not a time (``max_asa_seconds``)."""
        return self.name != "max_asa_seconds"

    def to_document(self) -> Document:
        out: Document = {"target": self.target, "value": self.value.to_document(),
                         "met": self.met, "judged_on": self.judged_on}
        if self.per_interval:
            out |= {"intervals_met": self.intervals_met, "intervals_judged": self.intervals_judged,
                    "intervals_met_required": self.intervals_met_required,
                    "interval_minutes": self.interval_minutes,
                    "intervals": [c.to_document() for c in self.intervals]}
        return out


@dataclass(frozen=True, slots=True)
class Verdicts:
    """Every guardrail of a run, per channel in the order of ``[targets]`` (a channel may have a
    table with no target set: it is listed with no guardrail)."""

    channels: tuple[str, ...] = ()
    checks: tuple[Guardrail, ...] = ()

    def __iter__(self) -> Any:
        return iter(self.checks)

    def __len__(self) -> int:
        return len(self.checks)

    def of(self, channel: str) -> dict[str, Guardrail]:
        """The guardrails of one channel, by name."""
        return {c.name: c for c in self.checks if c.channel == channel}

    def broken(self) -> list[str]:
        """``channel.guardrail`` for every target missed."""
        return [c.key for c in self.checks if not c.met]

    def all_met(self, channels: Iterable[str] | None = None) -> bool:
        """Are the guardrails (of these channels, default all) met?"""
        wanted = None if channels is None else set(channels)
        return all(c.met for c in self.checks if wanted is None or c.channel in wanted)

    def to_document(self) -> Document:
        return {ch: {c.name: c.to_document() for c in self.checks if c.channel == ch}
                for ch in self.channels}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> Verdicts:
        checks = tuple(
            Guardrail(channel, name, check["target"], Estimate.from_document(check["value"]),
                      SENSES.get(name, "<="), bool(check["met"]), check.get("judged_on", "day"),
                      tuple(IntervalCheck.from_document(c) for c in check.get("intervals", ())),
                      check.get("intervals_met_required", 1.0),
                      check.get("interval_minutes", 30))
            for channel, by_name in node.items() for name, check in by_name.items())
        return cls(tuple(node), checks)


def judge(scenario: Scenario, channels: Mapping[str, ChannelResult],
          intervals_by_day: Sequence[IntervalRow] = (), interval_minutes: int = 30) -> Verdicts:
    """Each guardrail of ``[targets.<channel>]`` of ``scenario`` judged on these channel results
    and, per interval, on ``intervals_by_day`` (a lever is judged by its baseline's targets:
    pass the baseline as ``scenario``)."""
    checks: list[Guardrail] = []
    for channel, spec in scenario.targets.items():
        figures = channels[channel]
        for name, figure, sense in GUARDRAILS:
            target = getattr(spec, name)
            if target is None:
                continue
            value = getattr(figures, figure) or MISSING
            on_run = met(value, target, sense)
            if name not in PER_INTERVAL or spec.judged_on == "day" or not intervals_by_day:
                checks.append(Guardrail(channel, name, target, value, sense, on_run))
                continue
            cells = []
            for row in intervals_by_day:
                of_channel = row.channels.get(channel)
                cell = of_channel.figure(figure) if of_channel is not None else None
                if cell is not None and cell.defined:
                    cells.append(IntervalCheck(row.days, row.start, cell, met(cell, target, sense)))
            judged = sum(len(c.days) for c in cells)
            passed = sum(len(c.days) for c in cells if c.met)
            verdict = passed >= spec.intervals_met * judged - 1e-9 if cells else on_run
            checks.append(Guardrail(channel, name, target, value, sense, verdict, "intervals",
                                    tuple(cells), spec.intervals_met, interval_minutes))
    return Verdicts(tuple(scenario.targets), tuple(checks))


def broken_guardrails(document: Mapping[str, Any]) -> list[str]:
    """``channel.guardrail`` for every target a run's JSON document misses (its verdicts read
    back, not judged again; for notebooks that hold documents)."""
    return Verdicts.from_document(document["targets"]).broken()
