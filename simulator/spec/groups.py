"""``[[agent_groups]]``: agents with the same skills, wage and roster, and their shifts.

Checked here is what a group says on its own; what needs the rest of the scenario (the length
of a per-interval list, skills that name contact types, shifts on the interval grid) is checked
by :class:`simulator.spec.schema.Scenario`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from simulator.spec.base import (
    MAX_AGENTS,
    Name,
    TimeOfDay,
    Weekday,
    check_time_of_day,
    seconds_of_day,
)
from simulator.spec.base import Spec as _Spec


class ShiftSpec(_Spec):
    """One shift of an agent group, worked on every open day."""

    start: TimeOfDay
    end: TimeOfDay
    agents: int = Field(ge=0, le=MAX_AGENTS)
    days: tuple[Weekday, ...] | None = Field(default=None, description="default: every open day")

    _times = field_validator("start", "end")(check_time_of_day)

    @model_validator(mode="after")
    def _ordered(self) -> ShiftSpec:
        if seconds_of_day(self.end) <= seconds_of_day(self.start):
            msg = (f"end must be after start ({self.start}), got {self.end}; "
                   "overnight shifts are not supported")
            raise ValueError(msg)
        return self


class AgentGroupSpec(_Spec):
    """``[[agent_groups]]``: agents with the same skills, wage and schedule.

    Staffing is one of: ``agents = 50`` (rostered through the opening hours), ``agents = [..]``
    (rostered per interval of the opening hours) or ``shifts = [...]``. Agents on the floor are
    the rostered agents times (1 - shrinkage), rounded to the nearest whole agent (halves up); shrinkage
    time is paid.
    """

    name: Name
    agents: int | tuple[int, ...] | Literal["auto"] | None = Field(
        default=None, description='rostered agents; "auto": the fewest that meet the targets'
    )
    shifts: tuple[ShiftSpec, ...] | None = None
    skills: tuple[Name, ...] = Field(min_length=1, description="contact types this group serves")
    proficiency: dict[Name, Annotated[float, Field(gt=0, le=10)]] = Field(
        default_factory=dict,
        description="handle-time multiplier per skill (1.3: 30 % slower); default 1",
    )
    shrinkage: float = Field(default=0.0, ge=0, lt=1, description="paid time off the phones")
    hourly_wage: float = Field(default=0.0, ge=0, le=10_000)

    @field_validator("agents", mode="before")
    @classmethod
    def _agents_form(cls, value: object) -> object:
        def whole(v: object) -> bool:
            return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_AGENTS

        if value is None or whole(value) or value == "auto":
            return value
        if isinstance(value, list | tuple) and value and all(whole(v) for v in value):
            return tuple(value)
        msg = (
            f"must be a whole number of agents from 0 to {MAX_AGENTS}, or a list of them "
            f'(one per interval of the opening hours), or "auto", got {value!r}'
        )
        raise ValueError(msg)

    @model_validator(mode="after")
    def _one_staffing(self) -> AgentGroupSpec:
        if (self.agents is None) == (self.shifts is None):
            msg = "give exactly one of agents (a number or a list per interval) and shifts"
            raise ValueError(msg)
        if len(set(self.skills)) != len(self.skills):
            msg = "skills names a contact type twice"
            raise ValueError(msg)
        extra = sorted(set(self.proficiency) - set(self.skills))
        if extra:
            msg = f"proficiency names contact types that are not skills of the group: {extra}"
            raise ValueError(msg)
        return self
