"""Guardrail verdicts: each target of ``[targets.<channel>]`` judged once, in one place.

A guardrail is judged on the mean over replications; the interval is kept beside it so a reader
can see when a result straddles the target. Studies and reports take these verdicts; none
judges a target again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from simulator.results.estimate import MISSING, Document, Estimate
from simulator.spec.schema import Scenario

if TYPE_CHECKING:
    from simulator.results.run import ChannelResult

Sense = Literal[">=", "<="]

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
class Guardrail:
    """One target of one channel, the value reached and the verdict."""

    channel: str
    name: str
    target: float
    value: Estimate
    sense: Sense
    met: bool

    @property
    def key(self) -> str:
        """``channel.guardrail``, e.g. ``voice.max_abandon_rate``."""
        return f"{self.channel}.{self.name}"

    @property
    def is_share(self) -> bool:
        """A share (shown in %), not a time (``max_asa_seconds``)."""
        return self.name != "max_asa_seconds"

    def to_document(self) -> Document:
        return {"target": self.target, "value": self.value.to_document(), "met": self.met}


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
                      SENSES.get(name, "<="), bool(check["met"]))
            for channel, by_name in node.items() for name, check in by_name.items())
        return cls(tuple(node), checks)


def judge(scenario: Scenario, channels: Mapping[str, ChannelResult]) -> Verdicts:
    """Each guardrail of ``[targets.<channel>]`` of ``scenario`` judged on these channel results
    (a lever is judged by its baseline's targets: pass the baseline as ``scenario``)."""
    checks: list[Guardrail] = []
    for channel, spec in scenario.targets.items():
        figures = channels[channel]
        for name, figure, sense in GUARDRAILS:
            target = getattr(spec, name)
            if target is None:
                continue
            value = getattr(figures, figure) or MISSING
            checks.append(Guardrail(channel, name, target, value, sense, met(value, target, sense)))
    return Verdicts(tuple(scenario.targets), tuple(checks))


def broken_guardrails(document: Mapping[str, Any]) -> list[str]:
    """``channel.guardrail`` for every target a run's JSON document misses (its verdicts read
    back, not judged again; for notebooks that hold documents)."""
    return Verdicts.from_document(document["targets"]).broken()
