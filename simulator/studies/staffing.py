"""Equal-service staffing: the fewest agents per interval and weekday that meet the targets.

For each agent group to staff (``agents = "auto"``, or every group for ``compare --staff
equal-service``), the *requirement* is rostered agents per open weekday and interval of the
opening hours. It is found by simulation-based iterative staffing in the spirit of Feldman,
Mandelbaum, Massey and Whitt (2008, "Staffing of time-varying queues to achieve time-stable
performance"), on common random numbers (every simulation runs the scenario's own seeds, so two
rosters' runs differ only by the agents):

1. **Start from Erlang.** Each (weekday, interval) gets the agents Erlang A (Erlang C without
   patience) needs for the channel's targets at the *nominal* arrival rate of that weekday and
   interval (chat: servers ÷ concurrency; deferred work: its erlangs), split between the groups
   that share a channel, ÷ (1 − shrinkage).
2. **Simulate, measure, re-staff.** The roster is simulated with every mechanism in play
   (retrials, repeats, IVR, callbacks, blending, chat concurrency, backlog). For each channel and
   interval the simulation gives the load actually *offered* (retrials and repeats included) and
   the service reached. The service reached, read on the Erlang A curve of the measured load,
   gives the agents the model would have needed to do as well: the difference to the agents on
   the floor is the interval's *offset* for that target (what the mechanisms Erlang leaves out
   cost or save). Each interval is re-staffed, target by target, to Erlang A on the measured
   load plus that target's offset, the most demanding winning, aiming a quarter of the
   interval's estimate noise past the target. Deferred work (email) is staffed to its erlangs
   times the share of it the group did itself (blended groups take the rest in their idle
   time). From the second re-staffing on, intervals only grow (those still short), so the
   search cannot cycle. Every step counts agents *on the floor*: one more or one fewer is one
   agent at work, however many rostered agents that takes at the group's shrinkage.
3. **Converged** when every interval meets every per-interval target and the run-level targets
   (occupancy, replies in time) hold, or when those hold and at most :data:`FEW_SHORT` of the
   intervals judged still miss: step 4's pass gives each what the last re-staffing says it
   needs (at least one agent) while taking one off the others; step 5 tops up any still
   short. At most :data:`MAX_ITERATIONS` re-staffings.
4. **Nothing to spare.** One agent is taken from every other interval (even, then odd intervals
   of the open day, every weekday and group at once), simulated, and kept off only where no
   target breaks — in that interval or in the next one, which its backlog reaches. An interval
   that could not lose its agent is done; the others are tried again, round after round (at most
   :data:`MAX_SPARE_ROUNDS`), until none can lose one. An interval is not tried again where
   concavity already answers: service is concave in agents (each agent fewer costs at least as
   much as the last), so an interval whose last agent off cost more than it has left to spare
   would break with one fewer. Nor is a group tried again whose next pass would, at the rate
   per agent off that this search's passes measured, move a run-level target (occupancy,
   replies in time) past its limit (such a breach puts back the whole pass), and a round left
   with fewer than :data:`~simulator.studies.requirement.FEW_CANDIDATES` of the first round's
   intervals is not run. Short of those, no interval keeps an agent it could lose, judged on the
   same seeds. A breach that shows in a later pass in an interval taken off in an earlier one (or in
   the interval after it) puts that agent back. (An interval's service depends only on the
   roster up to it, so taking agents from alternate intervals at once judges each removal on
   its own.) Groups that do only deferred work answer to no per-interval target (their replies
   are judged on the run, the backlog crossing intervals and nights); they keep the workload
   staffing of step 2, grown where a run-level target is missed.

5. **Rostered.** With ``[[shift_templates]]`` a group may use, the requirement is covered by the
   least-cost shifts (:mod:`simulator.studies.shifts`, an integer programme); otherwise the
   requirement itself is the roster, a head-count per weekday and interval. The roster is
   simulated once more (its run is the result) and, where it still falls short, each short
   interval gets one agent more on the floor than the roster gave it, and the least-cost shifts
   covering that are added to the last roster, whose shifts and breaks all stay (a top-up only
   adds: re-planned from scratch, the shifts could move an agent out of an interval that needed
   it, and breaks and starts would move on every day).
   At most :data:`MAX_TOP_UPS` top-ups; a roster still short then is refused unless every miss
   is within its estimate's noise.

The search simulates: the Erlang start and the first re-staffing on about half the replications,
a re-staffing or two more, the passes of step 4 (two to six) and the roster with its top-ups
(one to three): about seven to twelve simulations of the scenario, whatever its size. Targets are
judged per interval as everywhere (:mod:`simulator.results.guardrails`), on the classes of alike
weekdays the runs measure.

Nothing here draws, prints or writes.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from simulator.experiment import (
    Scheduler,
    run_result,
)
from simulator.model.calendar import Calendar, on_floor_agents, weekly_roster
from simulator.results.run import Figures
from simulator.results.shifts import ShiftPlan
from simulator.results.staffing import GroupStaffing, StaffingStep
from simulator.results.studies import StaffingResult
from simulator.spec.base import WEEKDAYS
from simulator.spec.layers import LoadedScenario
from simulator.spec.schema import Scenario, clock
from simulator.studies.requirement import (
    Progress,
    Requirement,
    Search,
    rostered,
)
from simulator.studies.rostering import roster_group, with_rosters
from simulator.studies.workload import (
    open_weekdays,
)


# ---------------------------------------------------------------------------- the study
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


@dataclass(frozen=True)
class Staffed:
    """What :func:`staff` found: the rostered scenario, the requirement it covers, the shift
    plans (groups rostered on templates), the search's steps and the run of the roster."""

    scenario: Scenario
    requirement: Requirement
    spared: Requirement  # what step 4 left, before any top-up (no interval can lose an agent)
    plans: dict[str, ShiftPlan]
    steps: tuple[StaffingStep, ...]
    simulations: int
    runs: list[Figures]


#: top-ups of a roster that falls short (one agent more in each short interval)
MAX_TOP_UPS = 4


def on_roster(scenario: Scenario, requirement: Requirement,
              keep: dict[str, ShiftPlan] | None = None) -> tuple[Scenario, dict[str, ShiftPlan]]:
    """The requirement rostered: on shifts from ``[[shift_templates]]`` where a group may use
    some (the least-cost plan; with ``keep``, those plans' shifts and breaks stay and the
    least-cost shifts are added on top), else as the head-count itself."""
    groups, plans = {}, {}
    for name, need in requirement.items():
        plan, groups[name] = roster_group(scenario, name, need, (keep or {}).get(name))
        if plan is not None:
            plans[name] = plan
    return (with_rosters(scenario, groups) if groups else scenario), plans


def staff(scenario: Scenario, groups: list[str] | None = None, targets_of: Scenario | None = None,
          workers: int | None = None, scheduler: Scheduler | None = None,
          progress: Progress | None = None) -> Staffed:
    """Re-staff ``groups`` (default: those with ``agents = "auto"``) to the fewest agents per
    weekday and interval that meet the targets (of ``targets_of``, default the scenario's own),
    roster them (shift templates, else head-counts), simulate the roster and top it up where it
    falls short."""
    names = groups if groups is not None else [
        g.name for g in scenario.agent_groups if g.agents == "auto"]
    judged_by = targets_of or scenario
    untargeted(scenario, names, judged_by)
    search = Search(scenario, names, judged_by, workers, scheduler, progress)
    floor = search.run() if names else {}
    spared = rostered(scenario, floor)
    final, plans = on_roster(scenario, spared)
    m = search.measure(floor, "the roster" if plans else "the requirement", final)
    for top_up in range(1, MAX_TOP_UPS + 1):
        short = search.short_cells(m)
        if not (short or search.run_level_short(m)):
            break
        for name in floor:
            channels = {w.channel for w in search.work[name]}
            spec = search.specs[name]
            # one agent more than the roster puts on the floor there (the shifts may already
            # cover more than the requirement)
            on = on_floor_agents(coverage(final, name), spec.shrinkage)
            # one more than the roster had; where it misses by more than chance, what the
            # roster's run says the interval needs
            far = search.short_cells(m, far=True)
            grown = (search.restaffed({**floor, name: on}, m, grow_only=True)[name]
                     if any(c in channels for c, _, _ in far) else on)
            for c, d, i in short:
                if c in channels:
                    floor[name][d, i] = max(floor[name][d, i], on[d, i] + 1,
                                            grown[d, i] if (c, d, i) in far else 0)
            if channels & search.run_level_short(m):
                floor[name] = floor[name] + (floor[name] > 0)
        # the roster only grows: every shift and break of the last roster stays and shifts are
        # added on top to cover the new requirement (re-planned from scratch, the shifts could
        # move an agent out of an interval that needed the one it had, and the run on the same
        # seeds would change on every day, tipping intervals far from the top-up)
        final, plans = on_roster(scenario, {
            name: np.maximum(need, coverage(final, name))
            for name, need in rostered(scenario, floor).items()}, keep=plans)
        m = search.measure(floor, f"the roster topped up ({top_up})", final)
    if search.short_cells(m) or search.run_level_short(m):
        search.unreachable(m)
    return Staffed(final, rostered(scenario, floor), spared, plans, tuple(search.steps),
                   search.simulations, m.runs)


def coverage(scenario: Scenario, group: str) -> np.ndarray:
    """The agents a group's roster puts on, per open weekday and interval of the opening
    hours."""
    cal = Calendar.of(scenario)
    spec = next(g for g in scenario.agent_groups if g.name == group)
    rows = [WEEKDAYS.index(d) for d in open_weekdays(scenario)]
    lo = cal.first_open_interval
    return weekly_roster(spec, cal)[rows, lo : lo + cal.intervals_open]


def group_staffing(scenario: Scenario, staffed: Staffed) -> dict[str, GroupStaffing]:
    """Each staffed group's requirement and the roster covering it (``scenario``: the staffed
    scenario), per open weekday and interval."""
    days = open_weekdays(scenario)
    hours = scenario.hours
    starts = tuple(clock(hours.open_seconds + i * hours.interval_seconds)
                   for i in range(hours.intervals_open))
    groups = {}
    for name, need in staffed.requirement.items():
        spec = next(g for g in scenario.agent_groups if g.name == name)
        groups[name] = GroupStaffing(
            name, days, starts, hours.interval_minutes,
            tuple(tuple(int(x) for x in r) for r in need),
            tuple(tuple(int(x) for x in r) for r in coverage(scenario, name)), spec.shrinkage,
            spec.hourly_wage, staffed.plans.get(name))
    return groups


def staffing_result(file: str, loaded: LoadedScenario, staffed: Staffed) -> StaffingResult:
    """``ccsim staff``: the requirement per weekday and interval, the roster, and its run
    (``file``: the file named on the command line; ``loaded``: the staffed scenario)."""
    groups = group_staffing(loaded.scenario, staffed)
    run = dataclasses.replace(run_result(loaded, staffed.runs), staffing=groups)
    return StaffingResult(file, groups, staffed.steps, staffed.simulations, run)
