"""Equal-service staffing: the fewest agents that meet the targets (``agents = "auto"``).

For each group with ``agents = "auto"`` (or every group, for ``compare --staff equal-service``):

1. **Erlang estimate per interval.** For each interval of the opening day, the average arrival
   rate over the open days of each channel the group serves, times the channel's mean handle
   time, gives the work; live channels need the agents Erlang C (Erlang A with patience) gives
   for the channel's service-level target (chat: servers = agents × concurrency); deferred work
   adds its erlangs. Rostered = on the floor / (1 − shrinkage), rounded up.
2. **Refined by simulation.** The same whole number of agents is added to (or taken from) every
   interval, and the smallest offset at which every target of the scenario is met — judged on
   the mean over replications, on the scenario's own seeds (common random numbers, so one
   offset's runs differ from the next only by the agents) — is kept; it is found by steps that
   double, then by halving (:func:`fewest`). Groups are refined in turn.

The result is a per-interval head-count (the same every open day) per group.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from simulator import analytic
from simulator.experiment import run_replications, run_result, verdicts
from simulator.model.calendar import Calendar, arrival_rates
from simulator.results.guardrails import Verdicts
from simulator.results.run import Figures
from simulator.results.studies import StaffingResult
from simulator.search import smallest_passing
from simulator.spec.layers import LoadedScenario
from simulator.spec.schema import AgentGroupSpec, Scenario, clock


def interval_rates(scenario: Scenario, channel: str) -> np.ndarray:
    """First-contact arrivals per second in each interval of the opening day, averaged over
    the open days of the run."""
    cal = Calendar.of(scenario)
    rates = arrival_rates(scenario, scenario.channel(channel), cal)
    n_days = len(cal.day_open)
    per_day = np.zeros((n_days, cal.intervals_per_day))
    flat = rates[: n_days * cal.intervals_per_day]
    per_day.flat[: flat.size] = flat
    open_days = [d for d in range(n_days) if cal.day_open[d]] or [0]
    lo = cal.first_open_interval
    return per_day[open_days, lo : lo + cal.intervals_open].mean(axis=0)  # type: ignore[no-any-return]


def erlang_estimate(scenario: Scenario, group: AgentGroupSpec) -> list[int]:
    """Rostered agents per interval of the opening hours, by Erlang C/A per channel."""
    intervals = scenario.hours.intervals_open
    need = np.zeros(intervals)
    types = {t.name: t for t in scenario.contact_types}
    for channel_name in dict.fromkeys(types[s].channel for s in group.skills):
        channel = scenario.channel(channel_name)
        mine = [t for t in scenario.contact_types if t.channel == channel_name]
        served = [t for t in mine if t.name in group.skills]
        # the share of the channel's work this group is given (split evenly with others)
        sharers = [g for g in scenario.agent_groups if any(t.name in g.skills for t in served)]
        share = sum(t.share for t in served) / max(len(sharers), 1)
        handle = sum(t.share * t.handle_time.mean for t in served) / sum(t.share for t in served)
        rates = interval_rates(scenario, channel_name) * share
        target = scenario.targets.get(channel_name)
        level = target.service_level if target and target.service_level is not None else 0.8
        patience = channel.patience.mean if channel.patience is not None else None
        for i, rate in enumerate(rates):
            if rate <= 0:
                continue
            if channel.deferred:
                need[i] += rate * handle
                continue
            servers = analytic.agents_for_service_level(
                rate, handle, channel.service_level_seconds, level, patience)
            need[i] += servers / channel.concurrency
    return [math.ceil(float(x) / (1 - group.shrinkage) - 1e-9) for x in need]


def with_staffing(scenario: Scenario, staffing: dict[str, list[int]]) -> Scenario:
    """The scenario with these groups rostered per interval (the same every open day)."""
    groups = tuple(
        g.model_copy(update={"agents": tuple(staffing[g.name]), "shifts": None})
        if g.name in staffing else g
        for g in scenario.agent_groups
    )
    return scenario.model_copy(update={"agent_groups": groups})


def guardrails(scenario: Scenario, targets_of: Scenario | None = None,
               workers: int | None = None, scheduler: str | None = None) -> Verdicts:
    """The targets (of ``targets_of``, default the scenario's own) judged on a run of it."""
    runs = run_replications(scenario, workers=workers, scheduler=scheduler)
    return verdicts(scenario, runs, targets_of)


def channels_of(scenario: Scenario, group: str) -> set[str]:
    """The channels whose contact types a group serves (the targets it answers for)."""
    spec = next(g for g in scenario.agent_groups if g.name == group)
    return {t.channel for t in scenario.contact_types if t.name in spec.skills}


def untargeted(scenario: Scenario, groups: list[str], judged_by: Scenario) -> None:
    """Refuse to staff a group that serves a channel without a target: the fewest agents meeting
    no target is one agent, which would be reported as the cheapest roster.

    Raises
    ------
    ValueError
        Naming the missing ``targets.<channel>`` and the group that needs it.
    """
    problems = [
        f"targets.{channel}: missing; group {name!r} serves channel {channel!r}, and staffing "
        f"needs a target to staff it to (e.g. [targets.{channel}] service_level = 0.8); "
        "without one the group would be cut to a single agent"
        for name in groups for channel in sorted(channels_of(scenario, name))
        if channel not in judged_by.targets]
    if problems:
        raise ValueError("\n".join(problems))


#: how many agents above the Erlang estimate the search tries before it gives up
MAX_EXTRA_AGENTS = 64


def fewest(holds: Callable[[int], bool], start: int, lowest: int, highest: int, group: str) -> int:
    """The smallest offset in ``[lowest, highest]`` at which a group's targets hold (more agents
    never hurt), searched from ``start`` (:func:`simulator.search.smallest_passing`).

    Raises
    ------
    ValueError
        If even ``highest`` does not meet the targets.
    """
    found = smallest_passing(holds, start, lowest, highest)
    if found is None:
        msg = f"agent_groups {group!r}: no staffing meets the targets"
        raise ValueError(msg)
    return found


def staff(scenario: Scenario, groups: list[str] | None = None, targets_of: Scenario | None = None,
          workers: int | None = None, scheduler: str | None = None, passes: int = 2
          ) -> tuple[Scenario, dict[str, list[int]]]:
    """Re-staff ``groups`` (default: those with ``agents = "auto"``) to the fewest agents that
    meet the targets; return the re-staffed scenario and the staffing per group."""
    names = groups if groups is not None else [
        g.name for g in scenario.agent_groups if g.agents == "auto"]
    untargeted(scenario, names, targets_of or scenario)
    specs = {g.name: g for g in scenario.agent_groups}
    base = {name: erlang_estimate(scenario, specs[name]) for name in names}
    offsets = dict.fromkeys(names, 0)

    def roster(offs: dict[str, int]) -> dict[str, list[int]]:
        return {n: [max(0, x + offs[n]) if x > 0 else 0 for x in base[n]] for n in names}

    checked: dict[tuple[int, ...], Verdicts] = {}  # a roster's guardrails, simulated once

    def ok(offs: dict[str, int], name: str) -> bool:
        key = tuple(offs[n] for n in names)
        if key not in checked:
            checked[key] = guardrails(with_staffing(scenario, roster(offs)), targets_of,
                                      workers, scheduler)
        return checked[key].all_met(channels_of(scenario, name))

    for _ in range(passes if len(names) > 1 else 1):
        for name in names:
            def holds(offset: int, name: str = name) -> bool:
                return ok({**offsets, name: offset}, name)

            offsets[name] = fewest(holds, offsets[name], lowest=1 - max(base[name]),
                                   highest=offsets[name] + MAX_EXTRA_AGENTS, group=name)
    staffing = roster(offsets)
    return with_staffing(scenario, staffing), staffing


def staffing_result(file: str, loaded: LoadedScenario, staffing: dict[str, list[int]],
                    replications: list[Figures]) -> StaffingResult:
    """``ccsim staff``: the roster per interval of the opening hours and the run of it
    (``file``: the file named on the command line)."""
    hours = loaded.scenario.hours
    starts = tuple(clock(hours.open_seconds + i * hours.interval_seconds)
                   for i in range(hours.intervals_open))
    return StaffingResult(file, starts,
                          {k: tuple(v) for k, v in staffing.items()},
                          run_result(loaded, replications))
