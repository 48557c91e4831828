"""When contacts arrive and agents are rostered, over the whole simulated horizon.

Simulation time is in seconds from 00:00 of day 0 (a ``run.start_day``). Arrival intensity and
rosters are step functions on the reporting intervals; this module turns the scenario's
``volume_per_day``, ``profile``, ``weekly_pattern``, opening hours and staffing into those step
functions. It is pure numpy, so the engine and the tests share one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulator.spec.base import WEEKDAYS
from simulator.spec.schema import AgentGroupSpec, ChannelSpec, Scenario, seconds_of_day

DAY_SECONDS = 86_400


@dataclass(frozen=True)
class Calendar:
    """The interval grid of a run: which intervals are open, which day of week each day is."""

    horizon_seconds: float
    warmup_seconds: float
    interval_seconds: int
    intervals_per_day: int
    first_open_interval: int  # index within the day of the first open interval
    intervals_open: int
    day_open: tuple[bool, ...]  # per simulated day (ceil(days) of them)
    weekday: tuple[int, ...]  # per simulated day, 0 = Monday

    @classmethod
    def of(cls, scenario: Scenario) -> Calendar:
        hours, run = scenario.hours, scenario.run
        n_days = int(np.ceil(run.days))
        first = WEEKDAYS.index(run.start_day)
        weekday = tuple((first + d) % 7 for d in range(n_days))
        open_days = {WEEKDAYS.index(d) for d in hours.open_days}
        return cls(
            horizon_seconds=run.days * DAY_SECONDS,
            warmup_seconds=run.warmup_hours * 3600.0,
            interval_seconds=hours.interval_seconds,
            intervals_per_day=DAY_SECONDS // hours.interval_seconds,
            first_open_interval=hours.open_seconds // hours.interval_seconds,
            intervals_open=hours.intervals_open,
            day_open=tuple(w in open_days for w in weekday),
            weekday=weekday,
        )

    @property
    def n_intervals(self) -> int:
        """Intervals on the grid up to the end of the horizon (the last may be partial)."""
        return int(np.ceil(self.horizon_seconds / self.interval_seconds - 1e-9))

    @property
    def slots(self) -> int:
        """Slots of the week: 7 × intervals of the day (per-interval books are kept per slot)."""
        return 7 * self.intervals_per_day

    @property
    def slot_shift(self) -> int:
        """The slot of simulated time 0 (Monday 00:00 is slot 0; day 0 is ``run.start_day``)."""
        return self.weekday[0] * self.intervals_per_day if self.weekday else 0

    def interval_starts(self) -> NDArray[np.float64]:
        return np.arange(self.n_intervals, dtype=np.float64) * self.interval_seconds

    def open_mask(self) -> NDArray[np.bool_]:
        """Per grid interval: is the centre open?"""
        idx = np.arange(self.n_intervals)
        day, of_day = np.divmod(idx, self.intervals_per_day)
        in_hours = (of_day >= self.first_open_interval) & (
            of_day < self.first_open_interval + self.intervals_open
        )
        mask: NDArray[np.bool_] = in_hours & np.asarray(self.day_open, dtype=bool)[day]
        return mask

    def exposure_seconds(self) -> NDArray[np.float64]:
        """Seconds of each slot of the week observed after the warm-up (all weeks summed)."""
        starts = self.interval_starts()
        ends = np.minimum(starts + self.interval_seconds, self.horizon_seconds)
        seen = np.clip(ends - np.maximum(starts, self.warmup_seconds), 0, None)
        out = np.zeros(self.slots)
        np.add.at(out, (np.arange(self.n_intervals) + self.slot_shift) % self.slots, seen)
        return out

    def open_slots(self) -> list[int]:
        """The slots of the week inside opening hours on an open weekday, in week order."""
        open_weekdays = {w for w, is_open in zip(self.weekday, self.day_open, strict=True)
                         if is_open}
        lo, n = self.first_open_interval, self.intervals_open
        return [w * self.intervals_per_day + i for w in sorted(open_weekdays)
                for i in range(lo, lo + n)]

    def open_windows(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Start and end times of the periods the centre is open (adjacent intervals merged)."""
        mask = self.open_mask().astype(np.int8)
        edges = np.diff(np.concatenate(([0], mask, [0])))
        step = float(self.interval_seconds)
        starts = (np.flatnonzero(edges == 1) * step).astype(np.float64)
        ends = np.minimum(np.flatnonzero(edges == -1) * step, self.horizon_seconds).astype(np.float64)
        return starts, ends

def weekly_rates(scenario: Scenario, channel: ChannelSpec, cal: Calendar) -> NDArray[np.float64]:
    """Expected first-attempt arrivals per second, weekday (0 = Monday) × interval of the day;
    closed days and hours are 0."""
    day_shape = np.zeros((7, cal.intervals_per_day))
    for w, day in enumerate(WEEKDAYS):
        weights = np.asarray(channel.profile_on(day) or (1.0,) * cal.intervals_open,
                             dtype=np.float64)
        day_shape[w, cal.first_open_interval : cal.first_open_interval + cal.intervals_open] = (
            weights / weights.sum()  # share of the day's volume
        )
    pattern = np.asarray(channel.weekly_pattern or (1.0,) * 7)
    open_week = np.asarray([d in scenario.hours.open_days for d in WEEKDAYS], dtype=np.float64)
    day_volume = channel.volume_per_day * pattern * open_week
    return day_volume[:, None] * day_shape / cal.interval_seconds


def arrival_rates(scenario: Scenario, channel: ChannelSpec, cal: Calendar) -> NDArray[np.float64]:
    """Expected first-attempt arrivals per second in each grid interval of the horizon."""
    return _over_horizon(weekly_rates(scenario, channel, cal), cal)


def _over_horizon(week: NDArray[Any], cal: Calendar) -> NDArray[Any]:
    """A weekday × interval-of-the-day table laid over the grid of the horizon."""
    day, of_day = np.divmod(np.arange(cal.n_intervals), cal.intervals_per_day)
    return week[np.asarray(cal.weekday, dtype=np.int64)[day], of_day]


def cumulative_intensity(
    rates: NDArray[np.float64], cal: Calendar
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Knots ``(times, Lambda(times))`` of the piecewise-linear cumulative intensity."""
    starts = cal.interval_starts()
    ends = np.minimum(starts + cal.interval_seconds, cal.horizon_seconds)
    times = np.concatenate(([0.0], ends))
    cumulative = np.concatenate(([0.0], np.cumsum(rates * (ends - starts))))
    return times, cumulative


def weekly_roster(group: AgentGroupSpec, cal: Calendar) -> NDArray[np.int64]:
    """Rostered (paid) agents of a group, weekday (0 = Monday) × interval of the day, in every
    form of staffing (the centre's closed days included: they are closed in the horizon)."""
    lo, n = cal.first_open_interval, cal.intervals_open
    if group.agents == "auto":
        msg = f'agent group {group.name!r}: agents = "auto" must be staffed before simulating'
        raise ValueError(msg)
    week = np.zeros((7, cal.intervals_per_day), dtype=np.int64)
    if isinstance(group.agents, dict):  # a head-count per weekday
        for d, counts in group.agents.items():
            week[WEEKDAYS.index(d), lo : lo + n] = counts
    elif group.agents is not None:  # the same every day: one number, or one per interval
        week[:, lo : lo + n] = group.agents
    step = cal.interval_seconds
    for shift in group.shifts or ():
        first, last = seconds_of_day(shift.start) // step, seconds_of_day(shift.end) // step
        for d in shift.days or WEEKDAYS:
            week[WEEKDAYS.index(d), first:last] += shift.agents
    return week


def rostered_agents(group: AgentGroupSpec, scenario: Scenario, cal: Calendar) -> NDArray[np.int64]:
    """Rostered (paid) agents of a group in each grid interval of the horizon (none on closed
    days)."""
    open_day = np.asarray(cal.day_open, dtype=np.int64)[
        np.arange(cal.n_intervals) // cal.intervals_per_day]
    return _over_horizon(weekly_roster(group, cal), cal) * open_day


def on_floor_agents(rostered: NDArray[np.int64], shrinkage: float) -> NDArray[np.int64]:
    """Agents available to take contacts: rostered × (1 − shrinkage), to the nearest agent."""
    return np.floor(rostered * (1.0 - shrinkage) + 0.5).astype(np.int64)  # type: ignore[no-any-return]


def day_classes(scenario: Scenario, cal: Calendar) -> list[tuple[int, ...]]:
    """The measured open weekdays (0 = Monday), grouped where every channel's arrival rates and
    every group's roster are the same interval by interval: days alike are judged together,
    days that differ (a Monday peak, a Saturday roster) apart. In week order."""
    seen = cal.exposure_seconds().reshape(7, cal.intervals_per_day)
    hours = slice(cal.first_open_interval, cal.first_open_interval + cal.intervals_open)
    rates = [weekly_rates(scenario, ch, cal)[:, hours] for ch in scenario.channels]
    rosters = [weekly_roster(g, cal)[:, hours] for g in scenario.agent_groups]
    open_week = {WEEKDAYS.index(d) for d in scenario.hours.open_days}
    signatures: dict[tuple[float | int, ...], list[int]] = {}
    for weekday in range(7):
        if weekday in open_week and seen[weekday, hours].sum() > 0:
            signature = (tuple(float(x) for r in rates for x in r[weekday])
                         + tuple(int(x) for r in rosters for x in r[weekday]))
            signatures.setdefault(signature, []).append(weekday)
    return list(map(tuple, signatures.values()))
