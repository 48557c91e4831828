"""Whether a centre can serve anyone, and whether its queues can keep up: a scenario's
calendar, rosters and nominal arrival rates read without simulating.

:func:`capacity_problems` refuses what would run and "succeed" serving nobody: no open day
inside the run, a run whose warm-up leaves less than one reporting interval to measure, no
contact arriving at all, or a channel that no agent on the floor can answer at any open time.
:func:`overload_warnings` says where the offered load of a channel whose callers never abandon
is above what its agents on the floor can carry over an open day: that queue grows without
bound (a warning, not a refusal: a planner may mean to study an overloaded day).

The arithmetic is the engine's (:mod:`simulator.model.calendar`): arrivals per interval are
``volume_per_day`` × the weekday's multiplier × the interval's share of the profile, agents on
the floor are the rostered agents × (1 - shrinkage) rounded to the nearest agent per group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.spec.base import WEEKDAYS, seconds_of_day

if TYPE_CHECKING:
    from simulator.spec.groups import AgentGroupSpec
    from simulator.spec.schema import ChannelSpec, Scenario

DAY_SECONDS = 86_400


def days_in_run(scenario: Scenario, *, measured: bool = False) -> list[str]:
    """The open weekdays whose opening hours fall (partly) inside the run, each once, in week
    order; ``measured``: inside the part of the run after the warm-up."""
    run, hours = scenario.run, scenario.hours
    horizon = run.days * DAY_SECONDS
    start = run.warmup_hours * 3600.0 if measured else 0.0
    first = WEEKDAYS.index(run.start_day)
    seen: set[str] = set()
    for d in range(math.ceil(run.days)):
        weekday = WEEKDAYS[(first + d) % 7]
        opens = d * DAY_SECONDS + hours.open_seconds
        closes = min(d * DAY_SECONDS + hours.close_seconds, horizon)
        if weekday in hours.open_days and max(opens, start) < closes:
            seen.add(weekday)
    return [d for d in WEEKDAYS if d in seen]


def rostered(group: AgentGroupSpec, scenario: Scenario, weekday: str) -> list[int]:
    """Rostered agents of a group in each interval of the opening hours of ``weekday``."""
    hours = scenario.hours
    n = hours.intervals_open
    agents = group.agents
    if isinstance(agents, dict):
        return list(agents.get(weekday, (0,) * n))  # type: ignore[call-overload]
    if isinstance(agents, tuple):
        return list(agents)
    if isinstance(agents, int):
        return [agents] * n
    counts = [0] * n
    step = hours.interval_seconds
    for shift in group.shifts or ():
        if shift.days is not None and weekday not in shift.days:
            continue
        for i in range(n):
            begins = hours.open_seconds + i * step
            if seconds_of_day(shift.start) <= begins < seconds_of_day(shift.end):
                counts[i] += shift.agents
    return counts


def on_floor(group: AgentGroupSpec, scenario: Scenario, weekday: str) -> list[int]:
    """Agents of a group on the floor in each open interval of ``weekday`` (halves up)."""
    return [math.floor(r * (1.0 - group.shrinkage) + 0.5)
            for r in rostered(group, scenario, weekday)]


def answering(scenario: Scenario, channel: ChannelSpec) -> list[tuple[int, AgentGroupSpec]]:
    """``(index, group)`` of every group with a skill on the channel."""
    types = {t.name for t in scenario.contact_types if t.channel == channel.name}
    return [(i, g) for i, g in enumerate(scenario.agent_groups) if types & set(g.skills)]


def arrivals_per_second(channel: ChannelSpec, scenario: Scenario, weekday: str) -> list[float]:
    """Nominal first-contact arrivals per second in each open interval of ``weekday``."""
    hours = scenario.hours
    weights = channel.profile_on(weekday) or (1.0,) * hours.intervals_open
    total = sum(weights)
    pattern = channel.weekly_pattern or (1.0,) * 7
    day_volume = channel.volume_per_day * pattern[WEEKDAYS.index(weekday)]
    return [day_volume * w / total / hours.interval_seconds for w in weights]


def capacity_problems(scenario: Scenario) -> list[str]:
    """What makes a centre unable to serve anyone (see the module's docstring)."""
    run, hours = scenario.run, scenario.hours
    days = days_in_run(scenario)
    if not days:
        return [f"hours.open_days: no open day inside the run ({run.days:g} day(s) from "
                f"run.start_day = {run.start_day}, open {', '.join(hours.open_days)}): nothing "
                "would be simulated; lengthen run.days or change run.start_day"]
    left_hours = run.days * 24 - run.warmup_hours
    if left_hours < hours.interval_minutes / 60 - 1e-9:
        return [f"run.warmup_hours: {run.warmup_hours:.12g} leaves {left_hours:.3g} hours of the "
                f"{run.days * 24:g}-hour run to measure, less than one "
                f"{hours.interval_minutes}-minute reporting interval; shorten the warm-up"]
    if not days_in_run(scenario, measured=True):
        return [f"run.warmup_hours: the warm-up ({run.warmup_hours:g} hours) covers every "
                "open hour of the run: nothing would be measured; shorten the warm-up or "
                "lengthen run.days"]
    problems: list[str] = []
    demand = {c.name: sum(sum(arrivals_per_second(c, scenario, d)) for d in days)
              for c in scenario.channels}
    if not any(demand.values()):
        return [f"channels: no contact arrives inside the run (every channel's volume_per_day "
                f"and weekly_pattern give 0 on the open days simulated: {', '.join(days)})"]
    for c_index, channel in enumerate(scenario.channels):
        groups = answering(scenario, channel)
        if not demand[channel.name] or not groups or any(g.agents == "auto" for _, g in groups):
            continue  # no work, no skill (refused elsewhere), or staffed by the search
        if any(any(on_floor(g, scenario, d)) for _, g in groups for d in days):
            continue
        keys = ", ".join(f"agent_groups[{i}].{'shifts' if g.shifts else 'agents'} ({g.name}, "
                         f"shrinkage {g.shrinkage:g})" for i, g in groups)
        problems.append(
            f"channels[{c_index}]: no agent on the floor can answer {channel.name!r} at any open "
            f"time of the run ({', '.join(days)} {hours.open}-{hours.close}): its groups put "
            f"no agent on the floor (rostered × (1 - shrinkage), to the nearest agent): {keys}; "
            "give them agents, or \"auto\"")
    return problems


@dataclass(frozen=True)
class Overload:
    """A channel's worst open day: mean offered load and capacity over its open intervals."""

    weekday: str
    load_erlangs: float
    agents_on_floor: float
    capacity_erlangs: float


def overload(scenario: Scenario, channel: ChannelSpec) -> Overload | None:
    """The open day inside the run with the most load per unit of capacity, if its offered
    load is above its capacity (agents on the floor × concurrency) over the day."""
    groups = answering(scenario, channel)
    if not groups or any(g.agents == "auto" for _, g in groups):
        return None
    types = [t for t in scenario.contact_types if t.channel == channel.name]
    handle_seconds = sum(t.share * t.handle_time.mean for t in types) / sum(t.share for t in types)
    worst: Overload | None = None
    n = scenario.hours.intervals_open
    for day in days_in_run(scenario, measured=True):
        load = sum(arrivals_per_second(channel, scenario, day)) * handle_seconds / n
        agents = sum(sum(on_floor(g, scenario, day)) for _, g in groups) / n
        capacity = agents * channel.concurrency
        if load > capacity * (1 + 1e-9) and (
                worst is None or load * worst.capacity_erlangs > worst.load_erlangs * capacity):
            worst = Overload(day, load, agents, capacity)
    return worst


def overload_warnings(scenario: Scenario) -> list[str]:
    """A line per live channel whose callers never abandon (no patience, no busy signal) and
    whose offered load is above what its agents on the floor carry over an open day."""
    lines = []
    for channel in scenario.channels:
        if channel.deferred or channel.patience is not None or channel.lines is not None:
            continue
        found = overload(scenario, channel)
        if found is None:
            continue
        agents = f"{found.agents_on_floor:.0f}" if found.agents_on_floor.is_integer() \
            else f"{found.agents_on_floor:.1f} (mean)"
        every_day = all(overload_on(scenario, channel, d)
                        for d in days_in_run(scenario, measured=True))
        when = "" if every_day else f" on {found.weekday}"
        lines.append(
            f"{channel.name}: offered load {found.load_erlangs:.1f} erlangs against {agents} "
            f"agents on the floor (at most {found.capacity_erlangs:.1f}){when}: the queue grows "
            f"without bound through the open day ({scenario.hours.open}-"
            f"{scenario.hours.close}); its callers never abandon (no patience), "
            "so add agents or give it a patience")
    return lines


def overload_on(scenario: Scenario, channel: ChannelSpec, weekday: str) -> bool:
    """Is the channel's offered load above its capacity over ``weekday``'s open hours?"""
    groups = answering(scenario, channel)
    types = [t for t in scenario.contact_types if t.channel == channel.name]
    handle_seconds = sum(t.share * t.handle_time.mean for t in types) / sum(t.share for t in types)
    load = sum(arrivals_per_second(channel, scenario, weekday)) * handle_seconds
    capacity = sum(sum(on_floor(g, scenario, weekday)) for _, g in groups) * channel.concurrency
    return load > capacity * (1 + 1e-9)
