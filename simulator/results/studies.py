"""What a study found: a comparison, a re-staffing, a sweep, a bridge, a sensitivity study.

Studies (:mod:`simulator.studies`) build these from runs; reports read them; ``to_document()``
gives each command's JSON and ``from_document()`` reads it back. Guardrails come as verdicts of
:mod:`simulator.results.guardrails`: a study names the ones broken, it never judges again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.results.estimate import MISSING, Document, Estimate
from simulator.results.run import RunResult, Sections, UncertainInput
from simulator.results.staffing import GroupStaffing, StaffingStep


# ---------------------------------------------------------------------------- compare
@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """A scenario against the baseline: its run (judged by the baseline's guardrails) and the
    paired difference scenario − baseline of every figure."""

    result: RunResult
    difference: Sections
    cheaper: bool  # cheaper per contact beyond doubt AND keeping every guardrail of the baseline

    @property
    def scenario(self) -> str:
        return self.result.scenario

    @property
    def guardrails_broken(self) -> list[str]:
        return self.result.broken()

    def to_document(self) -> Document:
        return {"scenario": self.scenario, "file": self.result.file,
                "result": self.result.to_document(), "difference": self.difference.to_document(),
                "guardrails_broken": self.guardrails_broken, "cheaper": self.cheaper}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> ComparisonRow:
        return cls(RunResult.from_document(node["result"]),
                   Sections.from_document(node["difference"]), bool(node["cheaper"]))


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    """``ccsim compare``: the baseline's run, then each other scenario against it."""

    baseline: RunResult
    scenarios: tuple[ComparisonRow, ...]

    def to_document(self) -> Document:
        return {"baseline": self.baseline.to_document(),
                "scenarios": [row.to_document() for row in self.scenarios],
                "cost_per_contact": self.baseline.cost.per_contact.mean,
                "seed": self.baseline.seed, "replications": self.baseline.replications}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> ComparisonResult:
        return cls(RunResult.from_document(node["baseline"]),
                   tuple(ComparisonRow.from_document(r) for r in node["scenarios"]))


# ---------------------------------------------------------------------------- staffing
@dataclass(frozen=True, slots=True)
class StaffingResult:
    """``ccsim staff``: the requirement and roster per group, how the search went, and the run
    of that roster."""

    file: str
    groups: dict[str, GroupStaffing]
    steps: tuple[StaffingStep, ...]
    simulations: int
    result: RunResult

    def to_document(self) -> Document:
        return {"file": self.file,
                "groups": {k: v.to_document() for k, v in self.groups.items()},
                "search": {"simulations": self.simulations,
                           "steps": [s.to_document() for s in self.steps]},
                "cost_per_contact": self.result.cost.per_contact.to_document(),
                "period_total": self.result.cost.period_total.to_document(),
                "targets": self.result.guardrails.to_document()}


# ---------------------------------------------------------------------------- sweep
@dataclass(frozen=True, slots=True)
class SweepAxis:
    """One swept key and its values (as written on the command line)."""

    key: str
    values: tuple[str, ...]

    def to_document(self) -> Document:
        return {"key": self.key, "values": list(self.values)}


@dataclass(frozen=True, slots=True)
class SweepChannel:
    """The service figures a sweep shows for a channel."""

    service_level: Estimate
    abandon_rate: Estimate
    within_target: Estimate | None = None  # deferred work only


@dataclass(frozen=True, slots=True)
class SweepRow:
    """The figures a sweep shows for one grid point."""

    point: dict[str, str]  # swept key -> value
    cost_per_contact: Estimate
    period_total: Estimate
    channels: dict[str, SweepChannel]
    occupancy: dict[str, Estimate]  # by agent group
    guardrails_broken: tuple[str, ...]

    @classmethod
    def of(cls, result: RunResult, overrides: Sequence[str]) -> SweepRow:
        return cls(
            point=dict(item.split("=", 1) for item in overrides),
            cost_per_contact=result.cost.per_contact, period_total=result.cost.period_total,
            channels={name: SweepChannel(ch.service_level, ch.abandon_rate, ch.within_target)
                      for name, ch in result.channels.items()},
            occupancy={name: g.occupancy for name, g in result.agent_groups.items()},
            guardrails_broken=tuple(result.broken()))

    def statistics(self) -> list[tuple[str, Estimate]]:
        """``(column, estimate)`` in the order of the document (and of sweep.csv)."""
        out = [("cost_per_contact", self.cost_per_contact), ("period_total", self.period_total)]
        for name, ch in self.channels.items():
            out += [(f"{name}.service_level", ch.service_level),
                    (f"{name}.abandon_rate", ch.abandon_rate)]
            if ch.within_target is not None:
                out.append((f"{name}.within_target", ch.within_target))
        out += [(f"{name}.occupancy", value) for name, value in self.occupancy.items()]
        return out

    def to_document(self) -> Document:
        return {"point": dict(self.point),
                **{key: stat.to_document() for key, stat in self.statistics()},
                "guardrails_broken": list(self.guardrails_broken)}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> SweepRow:
        channels: dict[str, dict[str, Estimate]] = {}
        occupancy: dict[str, Estimate] = {}
        for key, value in node.items():
            name, _, figure = key.rpartition(".")
            if figure in ("service_level", "abandon_rate", "within_target"):
                channels.setdefault(name, {})[figure] = Estimate.from_document(value)
            elif figure == "occupancy":
                occupancy[name] = Estimate.from_document(value)
        return cls(
            {k: str(v) for k, v in node["point"].items()},
            Estimate.from_document(node["cost_per_contact"]),
            Estimate.from_document(node["period_total"]),
            {name: SweepChannel(f.get("service_level", MISSING), f.get("abandon_rate", MISSING),
                                f.get("within_target")) for name, f in channels.items()},
            occupancy, tuple(node["guardrails_broken"]))


@dataclass(frozen=True, slots=True)
class SweepResult:
    """``ccsim sweep``: a row per grid point (first axis slowest), and each point's run."""

    file: str
    axes: tuple[SweepAxis, ...]
    points: tuple[SweepRow, ...]
    results: tuple[RunResult, ...] = ()  # each point's run (not in the document)
    currency: str = ""

    def to_document(self) -> Document:
        return {"file": self.file, "axes": [a.to_document() for a in self.axes],
                "points": [row.to_document() for row in self.points]}


# ---------------------------------------------------------------------------- bridge
@dataclass(frozen=True, slots=True)
class BridgeStep:
    """A lever added to those before it: the cost per contact reached, the paired change the
    lever makes there, and what it changes alone on the baseline."""

    lever: str
    file: str
    cost_per_contact: Estimate
    change: Estimate
    alone: Estimate
    guardrails_broken: tuple[str, ...]  # the baseline's guardrails, judged on this step

    def to_document(self) -> Document:
        return {"lever": self.lever, "file": self.file,
                "cost_per_contact": self.cost_per_contact.to_document(),
                "change": self.change.to_document(), "alone": self.alone.to_document(),
                "guardrails_broken": list(self.guardrails_broken)}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> BridgeStep:
        one = Estimate.from_document
        return cls(node["lever"], node["file"], one(node["cost_per_contact"]),
                   one(node["change"]), one(node["alone"]), tuple(node["guardrails_broken"]))


@dataclass(frozen=True, slots=True)
class Conflict:
    """A key that more than one lever sets (the later lever's value is used)."""

    key: str
    levers: tuple[str, ...]

    def to_document(self) -> Document:
        return {"key": self.key, "levers": list(self.levers)}


@dataclass(frozen=True, slots=True)
class BridgeResult:
    """``ccsim bridge``: the walk from the baseline's cost per contact to every lever together."""

    baseline: RunResult
    start: Estimate
    steps: tuple[BridgeStep, ...]
    end: Estimate
    total_change: Estimate
    sum_alone: Estimate
    overlap: Estimate
    conflicts: tuple[Conflict, ...] = ()
    results: tuple[RunResult, ...] = ()  # each step's run
    metric: str = "cost.per_contact"

    @property
    def currency(self) -> str:
        return self.baseline.currency

    @property
    def seed(self) -> int:
        return self.baseline.seed

    @property
    def replications(self) -> int:
        return self.baseline.replications

    def to_document(self) -> Document:
        return {
            "baseline": self.baseline.to_document(), "currency": self.currency,
            "seed": self.seed, "replications": self.replications, "metric": self.metric,
            "start": self.start.to_document(), "steps": [s.to_document() for s in self.steps],
            "end": self.end.to_document(), "total_change": self.total_change.to_document(),
            "sum_alone": self.sum_alone.to_document(), "overlap": self.overlap.to_document(),
            "conflicts": [c.to_document() for c in self.conflicts],
            "results": [r.to_document() for r in self.results],
        }

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> BridgeResult:
        one = Estimate.from_document
        return cls(RunResult.from_document(node["baseline"]), one(node["start"]),
                   tuple(BridgeStep.from_document(s) for s in node["steps"]), one(node.get("end")),
                   one(node["total_change"]), one(node.get("sum_alone")), one(node.get("overlap")),
                   tuple(Conflict(c["key"], tuple(c["levers"])) for c in node.get("conflicts", [])),
                   tuple(RunResult.from_document(r) for r in node.get("results", [])),
                   node.get("metric", "cost.per_contact"))


# ---------------------------------------------------------------------------- sensitivity
@dataclass(frozen=True, slots=True)
class SensitivityRow:
    """An input at the ends of its range, every other at the file's value: cost per contact
    there, the paired changes from the file's values, and the swing (high − low)."""

    input: UncertainInput
    at_low: Estimate
    at_high: Estimate
    change_low: Estimate
    change_high: Estimate
    swing: Estimate
    guardrails_broken_low: tuple[str, ...]
    guardrails_broken_high: tuple[str, ...]

    def at(self, end: str) -> Estimate:
        return self.at_low if end == "low" else self.at_high

    def change(self, end: str) -> Estimate:
        return self.change_low if end == "low" else self.change_high

    def broken(self, end: str) -> tuple[str, ...]:
        return self.guardrails_broken_low if end == "low" else self.guardrails_broken_high

    def level(self, end: str) -> float:
        return self.input.low if end == "low" else self.input.high

    def to_document(self) -> Document:
        return {**self.input.to_document(), "at_low": self.at_low.to_document(),
                "at_high": self.at_high.to_document(),
                "change_low": self.change_low.to_document(),
                "change_high": self.change_high.to_document(), "swing": self.swing.to_document(),
                "guardrails_broken_low": list(self.guardrails_broken_low),
                "guardrails_broken_high": list(self.guardrails_broken_high)}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> SensitivityRow:
        one = Estimate.from_document
        return cls(UncertainInput.from_document(node), one(node.get("at_low")),
                   one(node.get("at_high")), one(node["change_low"]), one(node["change_high"]),
                   one(node.get("swing")), tuple(node.get("guardrails_broken_low", ())),
                   tuple(node.get("guardrails_broken_high", ())))


@dataclass(frozen=True, slots=True)
class SensitivityResult:
    """``ccsim sensitivity``: the inputs ranked by the swing of cost per contact."""

    file: str
    scenario: str
    currency: str
    seed: int
    replications: int
    staffing: str  # "file" or "equal-service"
    base: Estimate
    guardrails_broken: tuple[str, ...]
    inputs: tuple[SensitivityRow, ...]
    metric: str = "cost.per_contact"

    def to_document(self) -> Document:
        return {"file": self.file, "scenario": self.scenario, "currency": self.currency,
                "seed": self.seed, "replications": self.replications, "metric": self.metric,
                "staffing": self.staffing, "base": self.base.to_document(),
                "guardrails_broken": list(self.guardrails_broken),
                "inputs": [row.to_document() for row in self.inputs]}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> SensitivityResult:
        return cls(node.get("file", ""), node.get("scenario", ""), node.get("currency", ""),
                   node.get("seed", 0), node.get("replications", 0), node.get("staffing", "file"),
                   Estimate.from_document(node["base"]),
                   tuple(node.get("guardrails_broken", ())),
                   tuple(SensitivityRow.from_document(r) for r in node["inputs"]),
                   node.get("metric", "cost.per_contact"))


__all__ = ["BridgeResult", "BridgeStep", "ComparisonResult", "ComparisonRow", "Conflict",
           "SensitivityResult", "SensitivityRow", "StaffingResult", "SweepAxis", "SweepChannel",
           "SweepResult", "SweepRow"]
