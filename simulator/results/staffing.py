"""What staffing found for a group: the requirement per weekday and interval, the roster that
covers it (and its shifts), and the steps of the search."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.results.estimate import Document
from simulator.results.shifts import ShiftPlan


@dataclass(frozen=True, slots=True)
class GroupStaffing:
    """One staffed group: its requirement and the roster that covers it, rostered agents per
    open weekday (``weekdays``) and interval of the opening hours (``intervals``: starts)."""

    group: str
    weekdays: tuple[str, ...]
    intervals: tuple[str, ...]
    interval_minutes: int
    requirement: tuple[tuple[int, ...], ...]
    coverage: tuple[tuple[int, ...], ...]
    shrinkage: float
    hourly_wage: float
    plan: ShiftPlan | None = None  # the shifts, when the group was rostered on templates

    @property
    def interval_hours(self) -> float:
        return self.interval_minutes / 60

    @property
    def rostered_hours_per_week(self) -> float:
        """Paid hours a week of the roster (shrinkage included, as rostered)."""
        return sum(map(sum, self.coverage)) * self.interval_hours

    @property
    def required_hours_per_week(self) -> float:
        return sum(map(sum, self.requirement)) * self.interval_hours

    @property
    def peak(self) -> int:
        return max((max(r) for r in self.coverage if r), default=0)

    def to_document(self) -> Document:
        return {"weekdays": list(self.weekdays), "intervals": list(self.intervals),
                "interval_minutes": self.interval_minutes,
                "requirement": [list(r) for r in self.requirement],
                "coverage": [list(r) for r in self.coverage], "shrinkage": self.shrinkage,
                "hourly_wage": self.hourly_wage,
                "rostered_hours_per_week": self.rostered_hours_per_week,
                "required_hours_per_week": self.required_hours_per_week,
                "shift_plan": None if self.plan is None else self.plan.to_document()}

    @classmethod
    def from_document(cls, group: str, node: Mapping[str, Any]) -> GroupStaffing:
        plan = node.get("shift_plan")
        return cls(group, tuple(node["weekdays"]), tuple(node["intervals"]),
                   int(node["interval_minutes"]),
                   tuple(tuple(r) for r in node["requirement"]),
                   tuple(tuple(r) for r in node["coverage"]), float(node["shrinkage"]),
                   float(node.get("hourly_wage", 0.0)),
                   None if plan is None else ShiftPlan.from_document(plan))


@dataclass(frozen=True, slots=True)
class StaffingStep:
    """One simulation of the staffing search: what was tried and how it did."""

    step: str
    intervals_short: int  # (channel, weekday, interval) cells missing a per-interval target
    agent_intervals: int  # rostered agents summed over every weekday and interval
    broken: tuple[str, ...]  # guardrails missed

    def to_document(self) -> Document:
        return {"step": self.step, "intervals_short": self.intervals_short,
                "agent_intervals": self.agent_intervals, "broken": list(self.broken)}


