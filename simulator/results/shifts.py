"""A shift plan: the shifts :func:`simulator.studies.shifts.plan_shifts` chose to cover a
staffing requirement, their breaks, and the requirement against the coverage they give.

Reports read these (they may not import the study); ``to_document()`` is the plan's JSON and
``from_document()`` reads it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.results.estimate import Document
from simulator.spec.shifts import hh_mm

#: the plan's arrays, days × intervals of the open day
ARRAYS = ("requirement", "coverage", "over", "under")


@dataclass(frozen=True)
class PlannedShift:
    """Agents working one start and length of a template on a day or a weekly pattern."""

    template: str
    length_hours: float
    start: str
    end: str
    days: tuple[str, ...]
    agents: int
    paid_hours_per_week: float
    cost_per_week: float

    def to_document(self) -> Document:
        return {"template": self.template, "length_hours": self.length_hours, "start": self.start,
                "end": self.end, "days": list(self.days), "agents": self.agents,
                "paid_hours_per_week": self.paid_hours_per_week,
                "cost_per_week": self.cost_per_week}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> PlannedShift:
        return cls(str(node["template"]), float(node["length_hours"]), str(node["start"]),
                   str(node["end"]), tuple(node["days"]), int(node["agents"]),
                   float(node["paid_hours_per_week"]), float(node["cost_per_week"]))


@dataclass(frozen=True)
class PlannedBreak:
    """Of the agents on a shift (template, length, start) on ``day``, ``agents`` take this break
    from ``start`` to ``end``."""

    template: str
    length_hours: float
    shift_start: str
    day: str
    number: int  # which break of the template (0: the first)
    start: str
    end: str
    paid: bool
    agents: int

    def to_document(self) -> Document:
        return {"template": self.template, "length_hours": self.length_hours,
                "shift_start": self.shift_start, "day": self.day, "number": self.number,
                "start": self.start, "end": self.end, "paid": self.paid, "agents": self.agents}

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> PlannedBreak:
        return cls(str(node["template"]), float(node["length_hours"]), str(node["shift_start"]),
                   str(node["day"]), int(node["number"]), str(node["start"]), str(node["end"]),
                   bool(node["paid"]), int(node["agents"]))


@dataclass(frozen=True)
class ShiftPlan:
    """The chosen shifts and what they cover. Arrays are days (``weekdays``) × intervals of the
    open day from ``open_seconds``, whole numbers of agents, read-only (a writable array given
    is copied first, so nobody else holds a way to change it)."""

    shifts: tuple[PlannedShift, ...]
    breaks: tuple[PlannedBreak, ...]
    weekdays: tuple[str, ...]
    interval_minutes: int
    open_seconds: int
    requirement: np.ndarray = field(repr=False)
    coverage: np.ndarray = field(repr=False)
    over: np.ndarray = field(repr=False)
    under: np.ndarray = field(repr=False)
    paid_hours_per_week: float
    cost_per_week: float
    paid_break_hours_per_week: float
    objective: str  # "cost", or "paid_hours" when every cost is zero
    status: str  # "optimal" or "time_limit"
    message: str
    gap: float  # relative optimality gap (0 when optimal; NaN when unknown)
    variables: int
    constraints: int
    solve_seconds: float

    def __post_init__(self) -> None:
        for name in ARRAYS:
            array = np.asarray(getattr(self, name), dtype=np.int64)
            if array.flags.writeable:
                array = array.copy()
                array.flags.writeable = False
            object.__setattr__(self, name, array)

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    def interval_label(self, interval: int) -> str:
        return hh_mm(self.open_seconds // 60 + interval * self.interval_minutes)

    @property
    def intervals(self) -> tuple[str, ...]:
        """The start of each interval of the open day, ``"08:00"``."""
        return tuple(self.interval_label(i) for i in range(self.requirement.shape[1]))

    def to_document(self) -> Document:
        """The plan as JSON: the shifts, their breaks, and per day (``{"mon": [...]}``) the
        requirement, coverage, over- and under-coverage per interval (``intervals``). The solve
        time is left out: it is the machine's, not the plan's."""
        return {
            "weekdays": list(self.weekdays), "interval_minutes": self.interval_minutes,
            "open_seconds": self.open_seconds, "intervals": list(self.intervals),
            "shifts": [s.to_document() for s in self.shifts],
            "breaks": [b.to_document() for b in self.breaks],
            **{name: {day: [int(x) for x in row]
                      for day, row in zip(self.weekdays, getattr(self, name), strict=True)}
               for name in ARRAYS},
            "paid_hours_per_week": self.paid_hours_per_week, "cost_per_week": self.cost_per_week,
            "paid_break_hours_per_week": self.paid_break_hours_per_week,
            "objective": self.objective, "status": self.status, "message": self.message,
            "gap": self.gap, "variables": self.variables, "constraints": self.constraints,
        }

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> ShiftPlan:
        """A plan read back from :meth:`to_document` (its solve time as 0)."""
        weekdays = tuple(node["weekdays"])
        gap = node.get("gap")
        arrays = {name: np.array([node[name][day] for day in weekdays], dtype=np.int64).reshape(
            len(weekdays), len(node["intervals"])) for name in ARRAYS}
        return cls(
            shifts=tuple(PlannedShift.from_document(s) for s in node["shifts"]),
            breaks=tuple(PlannedBreak.from_document(b) for b in node["breaks"]),
            weekdays=weekdays, interval_minutes=int(node["interval_minutes"]),
            open_seconds=int(node["open_seconds"]), **arrays,
            paid_hours_per_week=float(node["paid_hours_per_week"]),
            cost_per_week=float(node["cost_per_week"]),
            paid_break_hours_per_week=float(node["paid_break_hours_per_week"]),
            objective=str(node["objective"]), status=str(node["status"]),
            message=str(node["message"]), gap=float("nan") if gap is None else float(gap),
            variables=int(node["variables"]), constraints=int(node["constraints"]),
            solve_seconds=0.0)
