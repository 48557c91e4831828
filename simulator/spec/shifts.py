"""``[[shift_templates]]``: the shapes of shift a planner may roster, from which
:mod:`simulator.studies.shifts` builds shifts that cover a staffing requirement at least cost.

A template names a paid length (or several), the start times allowed, the weekdays it may be
worked, its breaks (each inside a window measured from the shift start), head-count bounds, a
cost and the agent groups that may use it. Nothing here solves anything.

Times of a shift: a shift starting at ``s`` with paid length ``L`` hours and unpaid breaks of
``u`` minutes in all runs from ``s`` to ``s + L h + u min`` (its *span*); paid breaks are part
of the paid length. Overnight shifts are not supported: every start plus the span must end by
``"24:00"``.

Days: without ``days_per_week`` the head-count of each start is chosen day by day (one decision
per template × length × start × day). With ``days_per_week = k``, agents work a weekly pattern:
``k`` of the template's days, at the same start time and length on each of them (one decision
per template × length × start × set of ``k`` days).

This module must not import :mod:`simulator.spec.schema`, which imports it for the scenario's
``shift_templates`` and checks them there with :func:`template_problems`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from simulator.spec.base import HH_MM, MAX_AGENTS, Name, Weekday, clock, seconds_of_day
from simulator.spec.base import Spec as _Spec

MINUTES_PER_DAY = 24 * 60

Length = Annotated[float, Field(gt=0, le=24)]


def minutes_of(text: str) -> int:
    """``"08:30"`` -> 510 (minutes; a time of day or a duration from the shift start)."""
    return seconds_of_day(text) // 60


def hh_mm(minutes: int) -> str:
    """510 -> ``"08:30"``."""
    return clock(minutes * 60)


def _check_hh_mm(value: str) -> str:
    if not isinstance(value, str) or not HH_MM.match(value):
        msg = f'must be "HH:MM" from "00:00" to "24:00", got {value!r}'
        raise ValueError(msg)
    return value


def _distinct(values: tuple[str, ...], what: str) -> tuple[str, ...]:
    if not values:
        msg = f"must name at least one {what}"
        raise ValueError(msg)
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        msg = f"names a {what} twice: {', '.join(repeated)}"
        raise ValueError(msg)
    return values


class BreakSpec(_Spec):
    """One break of a shift: ``minutes`` long, starting no earlier than ``earliest`` and ending
    no later than ``latest``, both measured from the shift start (``"03:00"``: three hours in)."""

    minutes: int = Field(ge=1, le=240, description="length of the break")
    paid: bool = Field(default=False, description="paid breaks count in the paid length")
    earliest: str = Field(description='earliest start, from the shift start ("HH:MM")')
    latest: str = Field(description='latest end, from the shift start ("HH:MM")')

    _times = field_validator("earliest", "latest")(_check_hh_mm)

    @model_validator(mode="after")
    def _fits_window(self) -> BreakSpec:
        window = minutes_of(self.latest) - minutes_of(self.earliest)
        if window < self.minutes:
            msg = (f"a {self.minutes}-minute break does not fit between earliest ({self.earliest}) "
                   f"and latest ({self.latest}) from the shift start")
            raise ValueError(msg)
        if minutes_of(self.earliest) == 0:
            msg = 'earliest must be after the shift start ("00:00"); a break cannot open a shift'
            raise ValueError(msg)
        return self

    @property
    def earliest_minutes(self) -> int:
        return minutes_of(self.earliest)

    @property
    def latest_minutes(self) -> int:
        return minutes_of(self.latest)


class ShiftTemplateSpec(_Spec):
    """``[[shift_templates]]``: a shape of shift the planner may roster."""

    name: Name
    length_hours: Length | tuple[Length, ...] = Field(
        description="paid hours (unpaid breaks come on top); a list: any of these lengths"
    )
    starts: tuple[str, ...] | None = Field(default=None, description='allowed starts, "HH:MM"')
    earliest_start: str | None = None
    latest_start: str | None = None
    start_step_minutes: int | None = Field(
        default=None, ge=1, le=MINUTES_PER_DAY, description="default: the interval"
    )
    days: tuple[Weekday, ...] | None = Field(default=None, description="default: every open day")
    days_per_week: int | None = Field(
        default=None, ge=1, le=7, description="weekly pattern of this many days; default: per day"
    )
    breaks: tuple[BreakSpec, ...] = Field(default=(), max_length=6)
    min_agents: int = Field(default=0, ge=0, le=MAX_AGENTS, description="per start and day")
    max_agents: int | None = Field(default=None, ge=0, le=MAX_AGENTS, description="per start and day")
    cost_per_hour: float | None = Field(
        default=None, ge=0, le=10_000, description="per paid hour; default: the group's wage"
    )
    cost_per_shift: float | None = Field(default=None, ge=0, le=1_000_000, description="per day worked")
    groups: tuple[Name, ...] | None = Field(default=None, description="default: every group")

    @field_validator("length_hours", mode="after")
    @classmethod
    def _whole_minutes(cls, value: float | tuple[float, ...]) -> float | tuple[float, ...]:
        lengths = value if isinstance(value, tuple) else (value,)
        if not lengths:
            msg = "must give at least one length"
            raise ValueError(msg)
        for length in lengths:
            if abs(length * 60 - round(length * 60)) > 1e-9:
                msg = f"must be a whole number of minutes, got {length:g} hours"
                raise ValueError(msg)
        if len(set(lengths)) != len(lengths):
            msg = f"names a length twice: {list(lengths)}"
            raise ValueError(msg)
        return value

    @field_validator("earliest_start", "latest_start")
    @classmethod
    def _start_times(cls, value: str | None) -> str | None:
        return None if value is None else _check_hh_mm(value)

    @field_validator("starts")
    @classmethod
    def _starts(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        for text in value:
            _check_hh_mm(text)
        return _distinct(value, "start")

    @field_validator("days")
    @classmethod
    def _days(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if value is None else _distinct(value, "day")

    @field_validator("groups")
    @classmethod
    def _groups(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if value is None else _distinct(value, "group")

    @model_validator(mode="after")
    def _consistent(self) -> ShiftTemplateSpec:
        ranged = self.earliest_start is not None or self.latest_start is not None
        if self.starts is not None and ranged:
            msg = "give either starts (a list) or earliest_start and latest_start, not both"
            raise ValueError(msg)
        if self.starts is None and not ranged:
            msg = ('give the allowed start times: starts = ["07:00", ...] or earliest_start and '
                   "latest_start")
            raise ValueError(msg)
        if ranged:
            if self.earliest_start is None or self.latest_start is None:
                msg = "earliest_start and latest_start go together; give both"
                raise ValueError(msg)
            if minutes_of(self.latest_start) < minutes_of(self.earliest_start):
                msg = (f"latest_start ({self.latest_start}) must not be before earliest_start "
                       f"({self.earliest_start})")
                raise ValueError(msg)
        elif self.start_step_minutes is not None:
            msg = "start_step_minutes goes with earliest_start and latest_start, not with starts"
            raise ValueError(msg)
        if self.days is not None and self.days_per_week is not None \
                and self.days_per_week > len(self.days):
            msg = (f"days_per_week ({self.days_per_week}) is more than the template's days "
                   f"({', '.join(self.days)})")
            raise ValueError(msg)
        if self.max_agents is not None and self.max_agents < self.min_agents:
            msg = f"max_agents ({self.max_agents}) must not be below min_agents ({self.min_agents})"
            raise ValueError(msg)
        if self.cost_per_hour is not None and self.cost_per_shift is not None:
            msg = "give at most one of cost_per_hour and cost_per_shift"
            raise ValueError(msg)
        self._check_breaks()
        self._check_day_end()
        return self

    def _check_breaks(self) -> None:
        for j, (before, after) in enumerate(zip(self.breaks, self.breaks[1:], strict=False)):
            if after.earliest_minutes < before.latest_minutes:
                msg = (f"breaks[{j + 1}].earliest: must not be before the window of breaks[{j}] "
                       f"ends ({before.latest}), got {after.earliest}; list breaks in order, "
                       "windows apart")
                raise ValueError(msg)
        for length in self.lengths:
            span = self.span_minutes(length)
            for j, brk in enumerate(self.breaks):
                if brk.latest_minutes >= span:
                    msg = (f"breaks[{j}].latest: must be before the end of the {length:g} h shift "
                           f"({hh_mm(span)} after its start): a break ends inside the shift, "
                           f"got {brk.latest}")
                    raise ValueError(msg)

    def _check_day_end(self) -> None:
        last = max(self.lengths, key=self.span_minutes)
        latest = self.latest_start if self.starts is None else max(self.starts, key=minutes_of)
        assert latest is not None
        end = minutes_of(latest) + self.span_minutes(last)
        if end > MINUTES_PER_DAY:
            msg = (f"the {last:g} h shift starting at {latest} would end at {hh_mm(end - MINUTES_PER_DAY)} "
                   f"the next day ({hh_mm(self.span_minutes(last))} with unpaid breaks); "
                   "overnight shifts are not supported")
            raise ValueError(msg)

    # ------------------------------------------------------------------ derived values
    @property
    def lengths(self) -> tuple[float, ...]:
        """The allowed paid lengths in hours."""
        return self.length_hours if isinstance(self.length_hours, tuple) else (self.length_hours,)

    @property
    def unpaid_break_minutes(self) -> int:
        return sum(b.minutes for b in self.breaks if not b.paid)

    def span_minutes(self, length_hours: float) -> int:
        """Minutes from start to end of a shift of this paid length (unpaid breaks added)."""
        return round(length_hours * 60) + self.unpaid_break_minutes

    def start_minutes(self, interval_minutes: int) -> tuple[int, ...]:
        """The allowed starts in minutes after midnight (the step defaults to the interval)."""
        if self.starts is not None:
            return tuple(sorted(minutes_of(s) for s in self.starts))
        assert self.earliest_start is not None
        assert self.latest_start is not None
        step = self.start_step_minutes or interval_minutes
        return tuple(range(minutes_of(self.earliest_start), minutes_of(self.latest_start) + 1, step))

    def allowed_days(self, open_days: Iterable[str]) -> tuple[str, ...]:
        """The open days this template may be worked on, in the order of ``open_days``."""
        return tuple(d for d in open_days if self.days is None or d in self.days)

    def usable_by(self, group: str) -> bool:
        return self.groups is None or group in self.groups

    def grid_problems(self, interval_minutes: int) -> list[str]:
        """What does not fall on the ``interval_minutes`` grid (empty when all does)."""
        step = interval_minutes
        problems: list[str] = []
        off = [f"{length:g}" for length in self.lengths if round(length * 60) % step]
        if off:
            problems.append(f"length_hours: {', '.join(off)} h is not a whole number of "
                            f"{step}-minute intervals")
        if self.starts is not None:
            off = [s for s in self.starts if minutes_of(s) % step]
            if off:
                problems.append(f"starts: {', '.join(off)} not on {step}-minute interval boundaries")
        else:
            for key in ("earliest_start", "latest_start"):
                value = getattr(self, key)
                if minutes_of(value) % step:
                    problems.append(f"{key}: {value} is not on a {step}-minute interval boundary")
            if self.start_step_minutes is not None and self.start_step_minutes % step:
                problems.append(f"start_step_minutes: {self.start_step_minutes} is not a multiple "
                                f"of the {step}-minute interval")
        for j, brk in enumerate(self.breaks):
            if brk.minutes % step:
                problems.append(f"breaks[{j}].minutes: {brk.minutes} is not a whole number of "
                                f"{step}-minute intervals")
            for key in ("earliest", "latest"):
                value = getattr(brk, key)
                if minutes_of(value) % step:
                    problems.append(f"breaks[{j}].{key}: {value} is not on a {step}-minute "
                                    "interval boundary")
        return problems


def template_problems(templates: Iterable[ShiftTemplateSpec], interval_minutes: int,
                      groups: Iterable[str] | None = None) -> list[str]:
    """Problems of a scenario's ``shift_templates`` against its ``[hours]`` interval and its
    agent groups, as ``shift_templates[i].key: message`` lines (empty when there are none)."""
    problems: list[str] = []
    templates = tuple(templates)
    names = [t.name for t in templates]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        problems.append(f"shift_templates: names must be unique, repeated: {', '.join(repeated)}")
    known = None if groups is None else tuple(groups)
    for i, template in enumerate(templates):
        problems.extend(f"shift_templates[{i}].{p}" for p in template.grid_problems(interval_minutes))
        if known is not None:
            problems.extend(
                f"shift_templates[{i}].groups[{j}]: unknown agent group {g!r}; known: {', '.join(known)}"
                for j, g in enumerate(template.groups or ()) if g not in known
            )
    return problems
