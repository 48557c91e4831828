"""``[[agent_groups]]``: agents with the same skills, wage and roster, and their shifts.

Checked here is what a group says on its own; what needs the rest of the scenario (the length
of a per-interval list, skills that name contact types, shifts on the interval grid) is checked
by :class:`simulator.spec.schema.Scenario`.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from simulator.spec.base import (
    MAX_AGENTS,
    WEEKDAYS,
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


def _whole(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_AGENTS


def _counts(v: object) -> bool:
    """A non-empty list of whole numbers of agents."""
    return isinstance(v, list | tuple) and bool(v) and all(_whole(x) for x in v)


def _weekday_table(value: dict[Any, Any]) -> dict[str, tuple[int, ...]]:
    """``agents = { mon = [..], ... }`` checked entry by entry, in weekday order. A message led
    by ``key: `` is placed at ``agents.key`` (:mod:`simulator.spec.messages`)."""
    for key, counted in value.items():
        if key not in WEEKDAYS:
            close = difflib.get_close_matches(str(key), WEEKDAYS, n=1)
            guess = f" (did you mean {close[0]!r}?)" if close else ""
            msg = f"{key}: unknown key {key!r}{guess}; allowed here: {', '.join(WEEKDAYS)}"
            raise ValueError(msg)
        if not _counts(counted):
            shown = list(counted) if isinstance(counted, tuple) else counted
            msg = (f"{key}: must be a list of whole numbers of agents from 0 to {MAX_AGENTS}, one "
                   f"per interval of the opening hours, got {shown!r}")
            raise ValueError(msg)
    return {d: tuple(value[d]) for d in WEEKDAYS if d in value}


class AgentGroupSpec(_Spec):
    """``[[agent_groups]]``: agents with the same skills, wage and schedule.

    Staffing is one of: ``agents = 50`` (rostered through the opening hours), ``agents = [..]``
    (rostered per interval of the opening hours), ``agents = { mon = [..], sat = [..] }`` (per
    interval of the opening hours on each weekday named, nobody on the others) or
    ``shifts = [...]``. Agents on the floor are the rostered agents times (1 - shrinkage),
    rounded to the nearest whole agent (halves up); shrinkage time is paid.
    """

    name: Name
    agents: int | tuple[int, ...] | dict[Weekday, tuple[int, ...]] | Literal["auto"] | None = Field(
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
        if value is None or _whole(value) or value == "auto":
            return value
        if isinstance(value, list | tuple) and _counts(value):
            return tuple(value)
        if isinstance(value, dict) and value:
            return _weekday_table(value)
        msg = (
            f"must be a whole number of agents from 0 to {MAX_AGENTS}, or a list of them "
            "(one per interval of the opening hours), or a table of such lists per weekday "
            f'({{ mon = [..], sat = [..] }}), or "auto", got {value!r}'
        )
        raise ValueError(msg)

    @model_validator(mode="after")
    def _one_staffing(self) -> AgentGroupSpec:
        if (self.agents is None) == (self.shifts is None):
            msg = ("give exactly one of agents (a number, a list per interval or a table of lists "
                   "per weekday) and shifts")
            raise ValueError(msg)
        if len(set(self.skills)) != len(self.skills):
            msg = "skills names a contact type twice"
            raise ValueError(msg)
        extra = sorted(set(self.proficiency) - set(self.skills))
        if extra:
            msg = f"proficiency names contact types that are not skills of the group: {extra}"
            raise ValueError(msg)
        return self
