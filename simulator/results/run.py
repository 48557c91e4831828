"""What one run found: channels, agent groups, cost, the day by interval, the guardrails.

Each section is built from the per-replication figures of :mod:`simulator.metrics` (one mapping
of floats per replication) in one place, :meth:`Estimate.of`; ``to_document()`` gives the
``ccsim run`` JSON and ``from_document()`` reads it back (a saved sweep point, an HTML page).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.results.estimate import MISSING, Document, Estimate, Spread
from simulator.results.guardrails import Verdicts
from simulator.results.section import LABEL, Section
from simulator.results.section import Figures as Figures  # (re-exported: the studies read it here)
from simulator.results.staffing import GroupStaffing
from simulator.results.units import per_open_day_document, units_document


@dataclass(frozen=True, slots=True)
class ChannelResult(Section):
    """The SPEC §4 figures of a channel, totals over the measured period (per replication)."""

    arrivals: Estimate
    customers: Estimate
    retrials: Estimate
    repeats: Estimate
    self_service_sessions: Estimate
    deflected: Estimate
    redirected: Estimate
    redirected_in: Estimate
    ivr_contained: Estimate
    ivr_hangups: Estimate
    blocked: Estimate
    offered: Estimate
    answered: Estimate
    abandoned: Estimate
    callback_offers: Estimate
    callbacks: Estimate
    callbacks_answered: Estimate
    callbacks_lost: Estimate
    transfers_in: Estimate
    transfers_out: Estimate
    unresolved: Estimate
    resolved: Estimate
    fcr: Estimate
    asa_seconds: Estimate
    wait_probability: Estimate
    service_level: Estimate
    abandon_rate: Estimate
    blocking_rate: Estimate
    deflection_rate: Estimate
    ivr_containment_rate: Estimate
    aht_seconds: Estimate
    mean_wait_seconds_all: Estimate
    mean_queue_length: Estimate
    customer_abandon_rate: Estimate
    inbound_minutes: Estimate
    ivr_minutes: Estimate
    outbound_minutes: Estimate
    left_at_end: Estimate
    #: deferred work (a backlog) only: response time and the share replied within target
    response_time_hours: Estimate | None = None
    within_target: Estimate | None = None
    #: occupancy of the groups that serve the channel (a guardrail)
    serving_occupancy: Estimate | None = None

    @property
    def deferred(self) -> bool:
        return self.response_time_hours is not None


@dataclass(frozen=True, slots=True)
class ContactTypeResult(Section):
    """A contact type's volumes and service over the measured period, counted where its
    channel's are (a channel's types add up to it): a transferred leg, a retrial or a redirect
    under the type it has at that attempt. ``service_level`` is the channel's (answered within
    the channel's ``service_level_seconds`` ÷ answered + abandoned; undefined on a deferred
    channel)."""

    channel: str = field(metadata=LABEL)
    offered: Estimate
    answered: Estimate
    abandoned: Estimate
    service_level: Estimate
    abandon_rate: Estimate
    asa_seconds: Estimate
    aht_seconds: Estimate


def contact_types_of(replications: Sequence[Figures]) -> dict[str, ContactTypeResult]:
    """Each contact type's estimates (by name, in the scenario's order); none from figures
    measured before contact types were."""
    first = replications[0].get("contact_types", {})
    return {k: ContactTypeResult.of([r["contact_types"][k] for r in replications]) for k in first}


@dataclass(frozen=True, slots=True)
class AgentGroupResult(Section):
    """An agent group over the measured period."""

    occupancy: Estimate
    paid_hours: Estimate
    on_floor_hours: Estimate
    busy_hours: Estimate
    answered: Estimate
    peak_on_floor: Estimate


def _by_name(replications: Sequence[Mapping[str, float]]) -> dict[str, Estimate]:
    return {k: Estimate.of(r[k] for r in replications) for k in replications[0]}


def _doc(by_name: Mapping[str, Estimate]) -> Document:
    return {k: v.to_document() for k, v in by_name.items()}


def _undoc(node: Mapping[str, Any]) -> dict[str, Estimate]:
    return {k: Estimate.from_document(v) for k, v in node.items()}


@dataclass(frozen=True, slots=True)
class CostResult:
    """The cost of the measured period (``total``), its lines, and per contact.

    ``contacts`` (handled: answered, deflected or contained) and ``per_contact_by_category``
    (each line's cost per contact, within each replication, so the lines add up to
    ``per_contact``) are carried for reports; they are not part of the JSON document.
    """

    total: Estimate
    by_category: dict[str, Estimate]
    by_channel: dict[str, Estimate]
    per_contact_by_channel: dict[str, Estimate]
    per_contact: Estimate
    per_assisted_contact: Estimate
    per_resolved_contact: Estimate
    per_call: Estimate
    period_total: Estimate
    contacts: Estimate = MISSING
    per_contact_by_category: dict[str, Estimate] = field(default_factory=dict)

    @property
    def period_scale(self) -> float:
        """Period total ÷ total of the measured period (0 when there is no cost)."""
        total = self.total.mean or 0.0
        return (self.period_total.mean or 0.0) / total if total else 0.0

    @classmethod
    def of(cls, replications: Sequence[Figures]) -> CostResult:
        def one(key: str) -> Estimate:
            return Estimate.of(r[key] for r in replications)

        def many(key: str) -> dict[str, Estimate]:
            return _by_name([r[key] for r in replications])

        first = replications[0]
        return cls(
            total=one("total"), by_category=many("by_category"), by_channel=many("by_channel"),
            per_contact_by_channel=many("per_contact_by_channel"), per_contact=one("per_contact"),
            per_assisted_contact=one("per_assisted_contact"),
            per_resolved_contact=one("per_resolved_contact"), per_call=one("per_call"),
            period_total=one("period_total"),
            contacts=one("contacts") if "contacts" in first else MISSING,
            per_contact_by_category=many("per_contact_by_category")
            if "per_contact_by_category" in first else {})

    def estimates(self, prefix: str = "cost") -> list[tuple[str, Estimate]]:
        """``(prefix.figure, estimate)`` for every figure of the document, in its order."""
        out = [(f"{prefix}.total", self.total)]
        for name in ("by_category", "by_channel", "per_contact_by_channel"):
            out += [(f"{prefix}.{name}.{k}", v) for k, v in getattr(self, name).items()]
        out += [(f"{prefix}.{name}", getattr(self, name)) for name in (
            "per_contact", "per_assisted_contact", "per_resolved_contact", "per_call",
            "period_total")]
        return out

    def to_document(self) -> Document:
        return {"total": self.total.to_document(), "by_category": _doc(self.by_category),
                "by_channel": _doc(self.by_channel),
                "per_contact_by_channel": _doc(self.per_contact_by_channel),
                "per_contact": self.per_contact.to_document(),
                "per_assisted_contact": self.per_assisted_contact.to_document(),
                "per_resolved_contact": self.per_resolved_contact.to_document(),
                "per_call": self.per_call.to_document(),
                "period_total": self.period_total.to_document()}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> CostResult:
        """A cost section read back from JSON: handled contacts and the lines per contact are
        not in it, so they are derived from the means (total ÷ cost per contact)."""
        one = Estimate.from_document
        total, per = one(node["total"]), one(node["per_contact"])
        contacts = Estimate(total.mean / per.mean, None, None) \
            if total.mean is not None and per.mean else MISSING
        by_category = _undoc(node["by_category"])
        per_line = {k: Estimate(v.mean / contacts.mean, None, None)
                    for k, v in by_category.items()
                    if v.mean is not None and contacts.mean} if contacts.mean else {}
        return cls(total, by_category, _undoc(node["by_channel"]),
                   _undoc(node["per_contact_by_channel"]), per, one(node["per_assisted_contact"]),
                   one(node["per_resolved_contact"]), one(node["per_call"]),
                   one(node["period_total"]), contacts, per_line)


@dataclass(frozen=True, slots=True)
class IntervalChannel(Section):
    """A channel in one interval of the day: counts per open day, and the interval's rates."""

    arrivals: Estimate
    offered: Estimate
    answered: Estimate
    abandoned: Estimate
    service_level: Estimate
    abandon_rate: Estimate | None = None
    asa_seconds: Estimate | None = None


_ROW_KEYS = ("start", "days", "agents_on_floor", "occupancy")


@dataclass(frozen=True, slots=True)
class IntervalRow:
    """One interval of the opening day, over the measured open weekdays ``days`` (all of them
    in a run's ``intervals``; a class of alike days in its ``intervals_by_day``)."""

    start: str
    channels: dict[str, IntervalChannel]
    agents_on_floor: Estimate
    occupancy: Estimate
    days: tuple[str, ...] = ()

    @classmethod
    def of(cls, replications: Sequence[Figures]) -> IntervalRow:
        first = replications[0]
        return cls(
            start=first["start"],
            channels={k: IntervalChannel.of([r[k] for r in replications])
                      for k in first if k not in _ROW_KEYS},
            agents_on_floor=Estimate.of(r["agents_on_floor"] for r in replications),
            occupancy=Estimate.of(r["occupancy"] for r in replications),
            days=tuple(first.get("days", ())))

    def to_document(self) -> Document:
        return {"start": self.start, "days": list(self.days),
                **{k: v.to_document() for k, v in self.channels.items()},
                "agents_on_floor": self.agents_on_floor.to_document(),
                "occupancy": self.occupancy.to_document()}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> IntervalRow:
        return cls(node["start"], {k: IntervalChannel.from_document(v) for k, v in node.items()
                                   if k not in _ROW_KEYS},
                   Estimate.from_document(node["agents_on_floor"]),
                   Estimate.from_document(node["occupancy"]), tuple(node.get("days", ())))

    def estimates(self, prefix: str = "intervals") -> list[tuple[str, Estimate]]:
        """``(intervals[start].channel.figure, estimate)`` and the row's own figures."""
        here = f"{prefix}[{self.start}]"
        out = [pair for name, ch in self.channels.items() for pair in ch.estimates(f"{here}.{name}")]
        return [*out, (f"{here}.agents_on_floor", self.agents_on_floor),
                (f"{here}.occupancy", self.occupancy)]

    @property
    def hours(self) -> float:
        """The start as hours after midnight."""
        hh, mm = self.start.split(":")
        return int(hh) + int(mm) / 60


@dataclass(frozen=True, slots=True)
class Sections:
    """The differenced sections of a run: channels, agent groups and cost (a run's own, or a
    paired difference between two runs)."""

    channels: dict[str, ChannelResult]
    agent_groups: dict[str, AgentGroupResult]
    cost: CostResult

    @classmethod
    def of(cls, replications: Sequence[Figures]) -> Sections:
        first = replications[0]
        return cls(
            channels={k: ChannelResult.of([r["channels"][k] for r in replications])
                      for k in first["channels"]},
            agent_groups={k: AgentGroupResult.of([r["agent_groups"][k] for r in replications])
                          for k in first["agent_groups"]},
            cost=CostResult.of([r["cost"] for r in replications]))

    def to_document(self) -> Document:
        return {"channels": {k: v.to_document() for k, v in self.channels.items()},
                "agent_groups": {k: v.to_document() for k, v in self.agent_groups.items()},
                "cost": self.cost.to_document()}

    def estimates(self) -> list[tuple[str, Estimate]]:
        """``(section.name.figure, estimate)`` for every figure, in the document's order."""
        return section_estimates(self.channels, self.agent_groups, self.cost)

    def figure(self, path: str) -> Estimate | None:
        """A figure by its dotted path (``channels.voice.service_level``), or None."""
        return dict(self.estimates()).get(path)

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> Sections:
        return cls({k: ChannelResult.from_document(v) for k, v in node["channels"].items()},
                   {k: AgentGroupResult.from_document(v) for k, v in node["agent_groups"].items()},
                   CostResult.from_document(node["cost"]))


def section_estimates(channels: Mapping[str, ChannelResult],
                      agent_groups: Mapping[str, AgentGroupResult], cost: CostResult
                      ) -> list[tuple[str, Estimate]]:
    """Every figure of the channels, the agent groups and the cost, by dotted path."""
    return [*(pair for name, ch in channels.items() for pair in ch.estimates(f"channels.{name}")),
            *(pair for name, g in agent_groups.items()
              for pair in g.estimates(f"agent_groups.{name}")),
            *cost.estimates("cost")]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a run's numbers came from: files, overrides, the configuration run, versions."""

    files: tuple[str, ...]
    sha256: str
    overrides: tuple[str, ...]
    configuration: dict[str, Any]
    seed: int
    replications: int
    versions: dict[str, str]

    def to_document(self) -> Document:
        return {"files": list(self.files), "sha256": self.sha256,
                "overrides": list(self.overrides), "configuration": self.configuration,
                "seed": self.seed, "replications": self.replications,
                "versions": dict(self.versions)}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> Provenance:
        return cls(tuple(node["files"]), node.get("sha256", ""), tuple(node["overrides"]),
                   node["configuration"], node["seed"], node["replications"],
                   node.get("versions", {}))


@dataclass(frozen=True, slots=True)
class RunResult:
    """What ``ccsim run`` found (SPEC §4): one scenario over its replications.

    ``service_level_seconds`` (per live channel) is carried for reports from the scenario run,
    not read back from the configuration copy; ``staffing`` is there when the run was re-staffed,
    ``uncertainty`` when the file has ``[uncertainty]`` ranges.
    """

    scenario: str
    file: str
    replications: int
    seed: int
    simulated_days: float
    warmup_hours: float
    open_days_measured: float
    version: str
    currency: str
    period: str
    channels: dict[str, ChannelResult]
    agent_groups: dict[str, AgentGroupResult]
    cost: CostResult
    guardrails: Verdicts
    intervals: tuple[IntervalRow, ...]
    provenance: Provenance
    #: the intervals per class of alike open weekdays (what per-interval guardrails judge)
    intervals_by_day: tuple[IntervalRow, ...] = ()
    service_level_seconds: dict[str, float] = field(default_factory=dict)
    staffing: dict[str, GroupStaffing] | None = None  # groups staffed before the run
    uncertainty: UncertaintyResult | None = None
    #: per contact type (by name, in the scenario's order)
    contact_types: dict[str, ContactTypeResult] = field(default_factory=dict)

    @property
    def per_open_day(self) -> float:
        """The divisor of "per open day" figures (1 when no open day was measured)."""
        return float(self.open_days_measured) or 1.0

    def broken(self) -> list[str]:
        """``channel.guardrail`` for every target missed."""
        return self.guardrails.broken()

    @property
    def sections(self) -> Sections:
        """The channels, agent groups and cost (what a comparison differences)."""
        return Sections(self.channels, self.agent_groups, self.cost)

    def estimates(self) -> list[tuple[str, Estimate]]:
        """Every figure by dotted path: channels, agent groups, cost, the contact types, then
        the intervals."""
        return [*section_estimates(self.channels, self.agent_groups, self.cost),
                *(pair for name, t in self.contact_types.items()
                  for pair in t.estimates(f"contact_types.{name}")),
                *(pair for row in self.intervals for pair in row.estimates())]

    def live_channels(self) -> list[str]:
        """Channels answered while the customer waits: those with a service level."""
        return [name for name, ch in self.channels.items() if ch.service_level.defined]

    def to_document(self) -> Document:
        out: Document = {
            "scenario": self.scenario, "file": self.file, "replications": self.replications,
            "seed": self.seed, "simulated_days": self.simulated_days,
            "warmup_hours": self.warmup_hours, "open_days_measured": self.open_days_measured,
            "version": self.version, "currency": self.currency, "period": self.period,
            "channels": {k: v.to_document() for k, v in self.channels.items()},
            "contact_types": {k: v.to_document() for k, v in self.contact_types.items()},
            "agent_groups": {k: v.to_document() for k, v in self.agent_groups.items()},
            "cost": self.cost.to_document(),
            "targets": self.guardrails.to_document(),
            "intervals": [row.to_document() for row in self.intervals],
            "intervals_by_day": [row.to_document() for row in self.intervals_by_day],
            "provenance": self.provenance.to_document(),
            "units": units_document(self.currency, self.period),
            "per_open_day": per_open_day_document(self.channels, self.agent_groups,
                                                  self.open_days_measured),
        }
        if self.staffing is not None:
            out["staffing"] = {k: v.to_document() for k, v in self.staffing.items()}
        if self.uncertainty is not None:
            out["uncertainty"] = self.uncertainty.to_document()
        return out

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> RunResult:
        provenance = Provenance.from_document(node["provenance"])
        seconds = {spec["name"]: float(spec["service_level_seconds"])
                   for spec in provenance.configuration.get("channels", [])
                   if spec.get("service_level_seconds") is not None}
        staffing = node.get("staffing")
        unc = node.get("uncertainty")
        return cls(
            scenario=node["scenario"], file=node["file"], replications=node["replications"],
            seed=node["seed"], simulated_days=node["simulated_days"],
            warmup_hours=node["warmup_hours"], open_days_measured=node["open_days_measured"],
            version=node["version"], currency=node["currency"], period=node["period"],
            channels={k: ChannelResult.from_document(v) for k, v in node["channels"].items()},
            agent_groups={k: AgentGroupResult.from_document(v)
                          for k, v in node["agent_groups"].items()},
            cost=CostResult.from_document(node["cost"]),
            guardrails=Verdicts.from_document(node["targets"]),
            intervals=tuple(IntervalRow.from_document(r) for r in node["intervals"]),
            intervals_by_day=tuple(IntervalRow.from_document(r)
                                   for r in node.get("intervals_by_day", ())),
            provenance=provenance, service_level_seconds=seconds,
            staffing=None if staffing is None else {
                k: GroupStaffing.from_document(k, v) for k, v in staffing.items()},
            uncertainty=None if unc is None else UncertaintyResult.from_document(unc),
            contact_types={k: ContactTypeResult.from_document(v)
                           for k, v in node.get("contact_types", {}).items()})


# ---------------------------------------------------------------------------- uncertainty
@dataclass(frozen=True, slots=True)
class UncertainInput:
    """An ``[uncertainty]`` input as reports show it: its range and the file's value (of its
    first key; None for a scale, whose file value is the factor 1)."""

    name: str
    keys: tuple[str, ...]
    kind: str  # "scale" or "value"
    low: float
    high: float
    likely: float | None
    base: float | None

    def to_document(self) -> Document:
        return {"name": self.name, "keys": list(self.keys), "kind": self.kind, "low": self.low,
                "high": self.high, "likely": self.likely, "base": self.base}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> UncertainInput:
        return cls(node["name"], tuple(node["keys"]), node["kind"], node["low"], node["high"],
                   node.get("likely"), node.get("base"))


@dataclass(frozen=True, slots=True)
class UncertaintySample:
    """One Latin-hypercube sample: the inputs' levels and the mean figures it gave."""

    values: dict[str, float]
    cost_per_contact: float
    period_total: float

    def to_document(self) -> Document:
        return {"values": dict(self.values), "cost_per_contact": self.cost_per_contact,
                "period_total": self.period_total}


@dataclass(frozen=True, slots=True)
class UncertaintyResult:
    """Figures as ranges over samples of the ``[uncertainty]`` inputs (the ``uncertainty`` part
    of a run)."""

    samples: int
    replications: int
    percentiles: tuple[float, float]
    method: str
    inputs: tuple[UncertainInput, ...]
    cost_per_contact: Spread
    period_total: Spread
    service_level: dict[str, Spread]
    abandon_rate: dict[str, Spread]
    sample_table: tuple[UncertaintySample, ...]

    def to_document(self) -> Document:
        return {
            "samples": self.samples, "replications": self.replications,
            "percentiles": list(self.percentiles), "method": self.method,
            "inputs": [i.to_document() for i in self.inputs],
            "cost_per_contact": self.cost_per_contact.to_document(),
            "period_total": self.period_total.to_document(),
            "service_level": {k: v.to_document() for k, v in self.service_level.items()},
            "abandon_rate": {k: v.to_document() for k, v in self.abandon_rate.items()},
            "sample_table": [s.to_document() for s in self.sample_table],
        }

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> UncertaintyResult:
        low, high = node["percentiles"]
        nan = float("nan")
        return cls(
            node["samples"], node["replications"], (low, high), node["method"],
            tuple(UncertainInput.from_document(i) for i in node["inputs"]),
            Spread.from_document(node["cost_per_contact"]),
            Spread.from_document(node["period_total"]),
            {k: Spread.from_document(v) for k, v in node["service_level"].items()},
            {k: Spread.from_document(v) for k, v in node["abandon_rate"].items()},
            tuple(UncertaintySample(
                dict(s["values"]),
                nan if s["cost_per_contact"] is None else s["cost_per_contact"],
                nan if s["period_total"] is None else s["period_total"])
                for s in node.get("sample_table", [])))


