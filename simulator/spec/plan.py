"""The ``[plan]`` table: months ahead, the forecast, head-count and levers over time.

``ccsim plan FILE`` (docs/plan.md) turns a scenario with a ``[plan]`` into one scenario per month
(:mod:`simulator.spec.months`) and a head-count flow per agent group. This module is the
description only: its fields, their bounds and the checks that need nothing but the file.
Months are written ``"YYYY-MM"``; every date of the plan must fall inside it.
"""

from __future__ import annotations

import calendar
import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from simulator.spec.base import Name, Share
from simulator.spec.base import Spec as _Spec

#: the longest plan, in months
MAX_MONTHS = 36
#: the most hires a class may bring, and the most a hire may cost
MAX_CLASS = 10_000
MAX_COST_PER_HIRE = 1_000_000.0
#: the longest a class may train off the floor, and the longest proficiency ramp, in weeks
MAX_TRAINING_WEEKS = 52.0
MAX_RAMP_WEEKS = 52

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
Month = Annotated[str, Field(pattern=_MONTH.pattern, description="a month, YYYY-MM")]
#: the largest factor of a volume, a handle time
MAX_FACTOR = 10.0
Factor = Annotated[float, Field(gt=0, le=MAX_FACTOR)]
#: the most first contacts a channel may be forecast in a month (a million a day)
MAX_VOLUME_PER_MONTH = 31_000_000.0
Volume = Annotated[float, Field(ge=0, le=MAX_VOLUME_PER_MONTH)]
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def file_month_volume(volume_per_day: float, weekly_pattern: tuple[float, ...] | None,
                      open_days: tuple[str, ...], days: int) -> float:
    """The first contacts a channel's own figures give in a month of ``days`` calendar days,
    priced as the plan prices a month (the run's mean calendar day × the month's days):
    ``volume_per_day`` × the weekly pattern's sum over the open weekdays ÷ 7 × ``days``."""
    pattern = weekly_pattern or (1.0,) * 7
    week = sum(pattern[i] for i, d in enumerate(WEEKDAY_NAMES) if d in open_days)
    return volume_per_day * week / 7 * days


def month_index(text: str) -> int:
    """Months since year 0 of a ``YYYY-MM`` month (for differences)."""
    match = _MONTH.fullmatch(text)
    if match is None:
        msg = f"{text!r} is not a month; write it YYYY-MM, e.g. 2027-01"
        raise ValueError(msg)
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_name(index: int) -> str:
    """The ``YYYY-MM`` of a :func:`month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def days_in(index: int) -> int:
    """Calendar days of a month (:func:`month_index`)."""
    return calendar.monthrange(index // 12, index % 12 + 1)[1]


class HandleTimeTrend(_Spec):
    """Handle time multiplied by ``factor`` from a month, moving to ``to_factor`` over
    ``over_months`` (learning after a system change: 1.10 back to 1.0 over four months)."""

    from_: Month = Field(alias="from")
    factor: Factor = Field(description="multiplies handle time in the first month")
    to_factor: Factor | None = Field(default=None, description="default: factor (no change)")
    over_months: int = Field(default=1, ge=1, le=MAX_MONTHS)
    contact_types: tuple[Name, ...] | None = Field(default=None, max_length=500,
                                                   description="default: every contact type")

    def factor_at(self, elapsed: int) -> float:
        """The factor ``elapsed`` months after ``from`` (0: the first month)."""
        end = self.factor if self.to_factor is None else self.to_factor
        done = min(1.0, elapsed / self.over_months)
        return self.factor + (end - self.factor) * done


class HiringClass(_Spec):
    """A class of new hires: paid from its start month, off the floor in training, then
    ramping up week by week to full proficiency."""

    group: Name
    start: Month
    headcount: int = Field(ge=1, le=MAX_CLASS)
    training_weeks: float = Field(default=0.0, ge=0, le=MAX_TRAINING_WEEKS)
    ramp: tuple[Annotated[float, Field(gt=0, le=1)], ...] = Field(
        default=(), max_length=MAX_RAMP_WEEKS,
        description="proficiency per week after training (then 1.0)")
    cost_per_hire: float = Field(default=0.0, ge=0, le=MAX_COST_PER_HIRE,
                                 description="recruiting and training, once per hire")

    @model_validator(mode="after")
    def _ramp_rises(self) -> HiringClass:
        if any(b < a for a, b in zip(self.ramp, self.ramp[1:], strict=False)):
            msg = (f"ramp: proficiency must not fall from week to week, got "
                   f"{', '.join(f'{x:g}' for x in self.ramp)}")
            raise ValueError(msg)
        return self

    def productive_share(self, first_day: int, days: int) -> tuple[float, float, float]:
        """(in training, ramping, proficiency) averaged over ``days`` days starting
        ``first_day`` days after the class starts."""
        training = ramping = proficient = 0.0
        for day in range(first_day, first_day + days):
            week = day / 7.0
            if week < self.training_weeks:
                training += 1
                continue
            step = int(week - self.training_weeks)
            if step < len(self.ramp):
                ramping += 1
                proficient += self.ramp[step]
            else:
                proficient += 1
        return training / days, ramping / days, proficient / days


class WageChange(_Spec):
    """Hourly wages multiplied by ``1 + change`` from a month (a pay rise of 3 %: 0.03)."""

    from_: Month = Field(alias="from")
    change: float = Field(ge=-0.5, le=1.0)
    groups: tuple[Name, ...] | None = Field(default=None, max_length=500,
                                            description="default: every group")


Value = float | int | bool | str


class Rollout(_Spec):
    """A lever from a month: a lever file's changes, or keys set; numbers may ramp from the
    file's value (or ``ramp_from``) to the lever's over ``ramp_months``."""

    from_: Month = Field(alias="from")
    name: str | None = Field(default=None, max_length=200)
    lever: str | None = Field(default=None, max_length=4096,
                              description="a lever file, relative to the file that names it")
    set: dict[str, Value] | None = Field(default=None, max_length=100)
    ramp_months: int = Field(default=1, ge=1, le=MAX_MONTHS)
    ramp_from: dict[str, float] | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _one_source(self) -> Rollout:
        if (self.lever is None) == (self.set is None):
            msg = "give either lever = \"FILE.toml\" or set = { KEY.PATH = VALUE }, not both or neither"
            raise ValueError(msg)
        unknown = sorted(set(self.ramp_from or {}) - set(self.set or {}))
        if unknown:
            msg = f"ramp_from: {', '.join(unknown)} not among the keys this roll-out sets"
            raise ValueError(msg)
        return self

    def label(self) -> str:
        if self.name:
            return self.name
        if self.lever is not None:
            return self.lever.rsplit("/", 1)[-1].removesuffix(".toml")
        return ", ".join(sorted(self.set or {}))

    def share_at(self, elapsed: int) -> float:
        """How far the roll-out is ``elapsed`` months after ``from`` (0: its first month)."""
        return min(1.0, (elapsed + 1) / self.ramp_months)


class PlanSpec(_Spec):
    """``[plan]``: see docs/plan.md."""

    start: Month
    months: int = Field(default=12, ge=1, le=MAX_MONTHS)
    growth_per_month: float = Field(default=0.0, ge=-0.5, le=1.0,
                                    description="volume grows by this share each month")
    seasonality: tuple[Factor, ...] | None = Field(
        default=None, min_length=12, max_length=12,
        description="a volume index per calendar month, January first")
    volume_factors: dict[Name, tuple[Factor, ...]] | None = Field(
        default=None, max_length=50, description="per channel, a factor per plan month")
    volumes_per_month: dict[Name, tuple[Volume, ...]] | None = Field(
        default=None, max_length=50,
        description="per channel, the first contacts forecast for each plan month")
    handle_time: tuple[HandleTimeTrend, ...] = Field(default=(), max_length=50)
    attrition_per_month: dict[Name, Share] = Field(default_factory=dict, max_length=500)
    start_headcount: dict[Name, Annotated[float, Field(ge=0, le=100_000)]] = Field(
        default_factory=dict, max_length=500,
        description="FTE employed at the start (default: the roster's paid FTE)")
    hours_per_fte: float = Field(default=40.0, gt=0, le=80, description="paid hours a week")
    hiring: tuple[HiringClass, ...] = Field(default=(), max_length=200)
    wages: tuple[WageChange, ...] = Field(default=(), max_length=100)
    rollouts: tuple[Rollout, ...] = Field(default=(), max_length=50)
    gap: Literal["overtime", "shortfall"] = "overtime"
    overtime_premium: float = Field(default=1.5, ge=1, le=3)
    max_overtime_share: Share = Field(default=0.1, description="of the productive hours")

    @property
    def first(self) -> int:
        return month_index(self.start)

    def month_labels(self) -> list[str]:
        return [month_name(self.first + m) for m in range(self.months)]

    def elapsed(self, text: str, m: int) -> int:
        """Months from ``text`` to plan month ``m`` (negative: not yet)."""
        return self.first + m - month_index(text)

    def volume_factor(self, channel: str, m: int, file_volume: float | None = None) -> float:
        """Plan month ``m``'s volume as a factor of the file's ``volume_per_day``
        (``file_volume``: the month's first contacts by the file's own figures,
        :func:`file_month_volume`, needed for ``volumes_per_month``)."""
        if self.volumes_per_month is not None and channel in self.volumes_per_month:
            wanted = self.volumes_per_month[channel][m]
            return wanted / file_volume if file_volume else 1.0
        if self.volume_factors is not None and channel in self.volume_factors:
            return self.volume_factors[channel][m]
        season = 1.0 if self.seasonality is None else self.seasonality[(self.first + m) % 12]
        return float((1 + self.growth_per_month) ** m * season)

    def handle_time_factor(self, contact_type: str, m: int) -> float:
        factor = 1.0
        for trend in self.handle_time:
            elapsed = self.elapsed(trend.from_, m)
            if elapsed >= 0 and (trend.contact_types is None or contact_type in trend.contact_types):
                factor *= trend.factor_at(elapsed)
        return factor

    def wage_factor(self, group: str, m: int) -> float:
        factor = 1.0
        for change in self.wages:
            if self.elapsed(change.from_, m) >= 0 and (change.groups is None
                                                       or group in change.groups):
                factor *= 1 + change.change
        return factor


def plan_problems(plan: PlanSpec, groups: list[str], channels: list[str],
                  contact_types: list[str]) -> list[str]:
    """What the plan gets wrong against itself and the scenario, each naming its key path."""
    problems: list[str] = []
    first, last = plan.first, plan.first + plan.months - 1
    end = month_name(last)

    def inside(key: str, text: str) -> None:
        index = month_index(text)
        if index < first:
            problems.append(f"plan.{key}: {text} is before the plan's start {plan.start}")
        elif index > last:
            problems.append(f"plan.{key}: {text} is after the plan's last month {end}")

    def known(key: str, name: str, names: list[str], what: str) -> None:
        if name not in names:
            problems.append(f"plan.{key}: unknown {what} {name!r}; known: {', '.join(names)}")

    for i, trend in enumerate(plan.handle_time):
        inside(f"handle_time[{i}].from", trend.from_)
        for j, name in enumerate(trend.contact_types or ()):
            known(f"handle_time[{i}].contact_types[{j}]", name, contact_types, "contact type")
    for name in plan.attrition_per_month:
        known(f"attrition_per_month.{name}", name, groups, "agent group")
    for name in plan.start_headcount:
        known(f"start_headcount.{name}", name, groups, "agent group")
    for i, hire in enumerate(plan.hiring):
        inside(f"hiring[{i}].start", hire.start)
        known(f"hiring[{i}].group", hire.group, groups, "agent group")
    for i, change in enumerate(plan.wages):
        inside(f"wages[{i}].from", change.from_)
        for j, name in enumerate(change.groups or ()):
            known(f"wages[{i}].groups[{j}]", name, groups, "agent group")
    for i, rollout in enumerate(plan.rollouts):
        inside(f"rollouts[{i}].from", rollout.from_)
    for name, factors in (plan.volume_factors or {}).items():
        known(f"volume_factors.{name}", name, channels, "channel")
        if len(factors) != plan.months:
            problems.append(f"plan.volume_factors.{name}: needs one factor per month of the plan "
                            f"({plan.months}), got {len(factors)}")
    if plan.volume_factors is not None and (plan.seasonality is not None
                                            or plan.growth_per_month != 0):
        problems.append("plan.volume_factors: give the forecast either as growth_per_month and "
                        "seasonality or as volume_factors per channel, not both")
    for name, volumes in (plan.volumes_per_month or {}).items():
        known(f"volumes_per_month.{name}", name, channels, "channel")
        if len(volumes) != plan.months:
            problems.append(f"plan.volumes_per_month.{name}: needs one volume per month of the "
                            f"plan ({plan.months}), got {len(volumes)}")
    if plan.volumes_per_month is not None and (
            plan.volume_factors is not None or plan.seasonality is not None
            or plan.growth_per_month != 0):
        problems.append("plan.volumes_per_month: give the forecast one way only: growth_per_month "
                        "and seasonality, volume_factors, or volumes_per_month")
    return problems
