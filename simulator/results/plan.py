"""What ``ccsim plan`` found: month by month, the head-count flow of each agent group, the FTE
required at equal per-interval service, the gap and its cost, the cost lines and the cost per
contact with their intervals; the year's totals; and two plans compared on common random
numbers (docs/plan.md). ``to_document()`` gives the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.results.estimate import Document, Estimate

#: the cost lines of a plan month, in the order they are shown (labour first)
PLAN_LINES = ("agent_wages", "overtime", "hiring", "supervision", "telephony", "ivr",
              "technology", "software_licences", "chat_and_messaging", "email_platform",
              "self_service", "office_space", "desktops", "overheads", "other")
#: the head-count figures of a group's month, in FTE
FLOW_FIELDS = ("start", "leavers", "joiners", "end", "paid", "in_training", "ramping",
               "productive", "required", "gap", "overtime", "shortfall")


def _per(item: PlanMonth | PlanTotals) -> Document:
    """The three costs per contact of a month or of the plan, as JSON."""
    return {k: getattr(item, k).to_document()
            for k in ("per_contact", "per_assisted_contact", "per_resolved_contact")}


@dataclass(frozen=True, slots=True)
class GroupMonth:
    """One agent group in one month, in FTE (paid hours ÷ ``hours_per_fte`` a week): the flow
    (``start + joiners − leavers = end``), the average employed (``paid``), those in training
    and ramping, the productive FTE, the FTE required, the gap and how it is closed."""

    group: str
    start: float
    leavers: float
    joiners: float
    end: float
    paid: float
    in_training: float
    ramping: float
    productive: float
    required: float
    gap: float  # required − productive (negative: a surplus, paid and idle)
    overtime: float
    shortfall: float

    def to_document(self) -> Document:
        return {"group": self.group, **{k: getattr(self, k) for k in FLOW_FIELDS}}


@dataclass(frozen=True, slots=True)
class PlanMonth:
    """A month of the plan."""

    month: str  # YYYY-MM
    days: int  # calendar days
    volume_factor: dict[str, float]  # per channel
    handle_time_factor: float  # the largest of the contact types'
    levers: tuple[str, ...]  # roll-outs in force, with how far they are
    groups: tuple[GroupMonth, ...]
    lines: dict[str, Estimate]  # PLAN_LINES, for the month
    total: Estimate
    contacts: Estimate
    assisted_contacts: Estimate
    per_contact: Estimate
    per_assisted_contact: Estimate
    per_resolved_contact: Estimate
    requirement: str  # how the requirement was found (searched, warm start, shared)
    simulations: int
    intervals_short: int  # intervals of the month's run missing a per-interval target
    intervals_judged: int
    short_where: tuple[str, ...]  # a few of them: "voice mon 09:30"

    def to_document(self) -> Document:
        return {
            "month": self.month, "days": self.days, "volume_factor": self.volume_factor,
            "handle_time_factor": self.handle_time_factor, "levers": list(self.levers),
            "groups": [g.to_document() for g in self.groups],
            "cost": {"lines": {k: v.to_document() for k, v in self.lines.items()},
                     "total": self.total.to_document(), **_per(self)},
            "contacts": self.contacts.to_document(),
            "assisted_contacts": self.assisted_contacts.to_document(),
            "requirement": self.requirement, "simulations": self.simulations,
            "service": {"intervals_short": self.intervals_short,
                        "intervals_judged": self.intervals_judged,
                        "short_where": list(self.short_where)},
        }

    def group(self, name: str) -> GroupMonth:
        return next(g for g in self.groups if g.group == name)


@dataclass(frozen=True, slots=True)
class PlanTotals:
    """The plan's months together (per replication, then the interval)."""

    total: Estimate
    lines: dict[str, Estimate]
    contacts: Estimate
    per_contact: Estimate
    per_assisted_contact: Estimate
    per_resolved_contact: Estimate

    def to_document(self) -> Document:
        return {"total": self.total.to_document(),
                "lines": {k: v.to_document() for k, v in self.lines.items()},
                "contacts": self.contacts.to_document(), **_per(self)}


@dataclass(frozen=True, slots=True)
class PlanResult:
    """``ccsim plan``: every month and the plan's totals."""

    scenario: str
    file: str
    currency: str
    start: str
    gap_policy: str  # "overtime" or "shortfall"
    hours_per_fte: float
    replications: int
    seed: int
    measured_days: float  # calendar days each month's run measures (scaled to the month's)
    months: tuple[PlanMonth, ...]
    totals: PlanTotals
    simulations: int

    def to_document(self) -> Document:
        return {"scenario": self.scenario, "file": self.file, "currency": self.currency,
                "start": self.start, "gap_policy": self.gap_policy,
                "hours_per_fte": self.hours_per_fte, "replications": self.replications,
                "seed": self.seed, "measured_days": self.measured_days,
                "simulations": self.simulations,
                "months": [m.to_document() for m in self.months],
                "totals": self.totals.to_document()}


@dataclass(frozen=True, slots=True)
class MonthDifference:
    """A month of another plan minus the baseline plan's, paired replication by replication."""

    month: str
    total: Estimate
    per_contact: Estimate

    def to_document(self) -> Document:
        return {"month": self.month, "total": self.total.to_document(),
                "per_contact": self.per_contact.to_document()}


@dataclass(frozen=True, slots=True)
class PlanDifference:
    """Another plan against the baseline plan: per month and for the whole plan."""

    plan: PlanResult
    months: tuple[MonthDifference, ...]
    total: Estimate
    per_contact: Estimate

    def to_document(self) -> Document:
        return {"plan": self.plan.to_document(),
                "difference": {"months": [m.to_document() for m in self.months],
                               "total": self.total.to_document(),
                               "per_contact": self.per_contact.to_document()}}


@dataclass(frozen=True, slots=True)
class PlanComparison:
    """``ccsim compare`` (and ``bridge``: each step against the one before) of plans."""

    baseline: PlanResult
    others: tuple[PlanDifference, ...]
    kind: str = "compare"  # "compare": each against the baseline; "bridge": each step on the last

    def to_document(self) -> Document:
        return {"kind": self.kind, "baseline": self.baseline.to_document(),
                "others": [o.to_document() for o in self.others]}
