"""The requirement: the fewest on-floor agents per open weekday and interval that meet the
targets, found by the search of :mod:`simulator.studies.staffing` (its steps 1 to 4: the Erlang
start, the re-staffings on measured load, the passes that take spare agents off), on a
scenario's own seeds. It simulates through :mod:`simulator.experiment`; rostering, the top-ups
and the study's result are :mod:`simulator.studies.staffing`'s.

Nothing here draws, prints or writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from simulator.experiment import (
    Scheduler,
    default_workers,
    interval_rows,
    run_replications,
)
from simulator.results.guardrails import PER_INTERVAL, Verdicts, judge
from simulator.results.run import Figures, IntervalRow, Sections
from simulator.results.staffing import StaffingStep
from simulator.spec.schema import Scenario, clock
from simulator.studies.workload import (
    Work,
    goals_of,
    model_servers,
    nominal_rates,
    open_weekdays,
    rostered_for,
    servers_for,
    work_of,
)

#: re-staffings after the Erlang start before the search gives up
MAX_ITERATIONS = 5
#: a share of the judged intervals few enough to leave short to step 4, which grows them
FEW_SHORT = 0.125
#: rounds of step 4 (each takes one agent off the even, then the odd intervals still able to)
MAX_SPARE_ROUNDS = 3
#: another round of step 4 only for at least this share of the intervals the first round tried
#: (fewer keep the agent they might still lose: a round costs two simulations)
FEW_CANDIDATES = 0.1
#: most agents an interval may need above its Erlang start before a target counts as unreachable
MAX_EXTRA_AGENTS = 200

Requirement = dict[str, np.ndarray]  # group -> rostered agents, open weekdays × intervals
Progress = Callable[[str], None]  # a line on the search's progress


def _cell_rows(rows: Sequence[IntervalRow]) -> dict[tuple[str, str], IntervalRow]:
    """(weekday, interval start) -> the measured row of its class of alike days."""
    return {(day, row.start): row for row in rows for day in row.days}


def _cell_figures(judged: Verdicts
                  ) -> dict[tuple[str, str], tuple[float, str, dict[tuple[str, str], float]]]:
    """(channel, guardrail) judged per interval -> its target, its sense and the value reached
    in each (weekday, interval start)."""
    return {(c.channel, c.name): (c.target, c.sense, {
        (day, cell.start): cell.value.mean for cell in c.intervals for day in cell.days
        if cell.value.mean is not None}) for c in judged if c.per_interval}


def coarse_replications(replications: int, workers: int) -> int:
    """About half the replications (at least two), as a whole number of rounds of the local
    workers when there are more than them: a coarse run that leaves a worker idle for its
    last replication costs as much as one that does not."""
    if replications <= 2:
        return replications
    half = max(2, replications // 2)
    return half - half % workers if half > workers > 1 else half


def _run_level(m: Measured) -> dict[tuple[str, str], tuple[float, float, str, bool]]:
    """(channel, guardrail) judged on the run -> its value, target, sense and verdict."""
    return {(c.channel, c.name): (c.value.mean, c.target, c.sense, c.met) for c in m.verdicts
            if (c.name not in PER_INTERVAL or not c.per_interval) and c.value.mean is not None}


# ---------------------------------------------------------------------------- the search
def erlang_floor(scenario: Scenario, names: Sequence[str], targets_of: Scenario) -> Requirement:
    """Step 1: on-floor agents per open weekday and interval by Erlang at the nominal rates."""
    specs = {g.name: g for g in scenario.agent_groups}
    out: Requirement = {}
    for name in names:
        group = specs[name]
        need = np.zeros((len(open_weekdays(scenario)), scenario.hours.intervals_open))
        for work in work_of(scenario, group):
            rates = nominal_rates(scenario, work.channel) * work.share
            goals = goals_of(targets_of, work.channel)
            for (d, i), rate in np.ndenumerate(rates):
                if work.deferred:
                    need[d, i] += rate * work.handle_seconds
                elif rate > 0:
                    need[d, i] += servers_for(float(rate), work, goals) / work.concurrency
        out[name] = np.ceil(need - 1e-9).astype(np.int64)
    return out


def rostered(scenario: Scenario, floor: Requirement) -> Requirement:
    """The fewest rostered agents giving each group at least ``floor`` on the floor (its
    shrinkage allowed for), per open weekday and interval."""
    shrinkage = {g.name: g.shrinkage for g in scenario.agent_groups}
    return {name: np.array([[rostered_for(x, shrinkage[name]) for x in row] for row in on],
                           dtype=np.int64) for name, on in floor.items()}


def head_counts(scenario: Scenario, requirement: Requirement) -> Scenario:
    """The scenario with each group rostered exactly to its requirement: a head-count per
    open weekday and interval (``agents = { mon = [..], ... }``)."""
    days = open_weekdays(scenario)
    groups = tuple(
        g.model_copy(update={"shifts": None, "agents": {
            day: tuple(int(n) for n in row)
            for day, row in zip(days, requirement[g.name], strict=True)}})
        if g.name in requirement else g
        for g in scenario.agent_groups)
    return scenario.model_copy(update={"agent_groups": groups})


@dataclass
class Measured:
    """One simulation of a roster: its verdicts and its per-interval rows."""

    verdicts: Verdicts
    rows: dict[tuple[str, str], IntervalRow]
    runs: list[Figures]
    sections: Sections

    def share_answered(self, group: str, channel: str) -> float:
        """The share of a channel's answered contacts this group answered (1 when none were
        answered): for a group of one channel, how much of its work it did itself."""
        answered = self.sections.channels[channel].answered.mean or 0.0
        done = self.sections.agent_groups[group].answered.mean or 0.0
        return min(1.0, done / answered) if answered > 0 else 1.0


class Search:
    """The state of one staffing search (see the module's steps)."""

    def __init__(self, scenario: Scenario, names: Sequence[str], targets_of: Scenario,
                 workers: int | None, scheduler: Scheduler | None,
                 progress: Progress | None) -> None:
        self.scenario, self.names, self.targets_of = scenario, list(names), targets_of
        self.workers, self.scheduler = workers, scheduler
        self.progress = progress
        self.specs = {g.name: g for g in scenario.agent_groups}
        self.work = {n: work_of(scenario, self.specs[n]) for n in names}
        self.days = open_weekdays(scenario)
        hours = scenario.hours
        self.starts = [clock(hours.open_seconds + i * hours.interval_seconds)
                       for i in range(hours.intervals_open)]
        self.steps: list[StaffingStep] = []
        self.simulations = 0
        self.last_kept: Measured | None = None  # the run of the roster step 4 starts from
        self.seen: dict[int, Measured] = {}  # per parity, step 4's last run of it
        self.pending: set[tuple[str, int, int]] = set()  # intervals step 4 grows while short
        self.growth: Requirement = {}  # by how much step 4 grows each (the re-staffing's figure)
        self.converged: Requirement = {}  # that roster
        #: run-level targets (channel, guardrail): the last value where each held, and the most
        #: a pass moved it towards its limit per agent-interval taken off
        self.level: dict[tuple[str, str], tuple[float, float, str, bool]] = {}
        self.rise: dict[tuple[str, str], float] = {}

    def measure(self, floor: Requirement, label: str,
                roster: Scenario | None = None, coarse: bool = False) -> Measured:
        """Simulate on-floor agents ``floor`` (rostered as head-counts, or as ``roster``) on the
        scenario's seeds (``coarse``: the first :func:`coarse_replications` of them, for the
        Erlang start and the first re-staffing, which need only the load and the offsets
        roughly)."""
        requirement = rostered(self.scenario, floor)
        scenario = roster or head_counts(self.scenario, requirement)
        n = scenario.run.replications
        local = self.workers or default_workers() if self.scheduler is None else 1
        runs: list[Figures] = run_replications(
            scenario, coarse_replications(n, local) if coarse else n,
            workers=self.workers, scheduler=self.scheduler)
        self.simulations += 1
        rows, sections = interval_rows(runs), Sections.of(runs)  # (as verdicts() builds them)
        judged = judge(self.targets_of, sections.channels, rows, scenario.hours.interval_minutes)
        measured = Measured(judged, _cell_rows(rows), runs, sections)
        short = self.short_cells(measured)
        self.steps.append(StaffingStep(
            label, len(short), sum(int(r.sum()) for r in requirement.values()),
            tuple(judged.broken())))
        if not label.startswith("one agent off"):
            self.say(f"{label}: {len(short):,} intervals short" if short
                     else f"{label}: every target met")
        return measured

    def say(self, line: str) -> None:
        if self.progress is not None:
            self.progress(line)

    def short_cells(self, m: Measured, every: bool = False, far: bool = False
                    ) -> set[tuple[str, int, int]]:
        """(channel, weekday row, interval) where a per-interval target is missed, of the
        guardrails not met (``every``: of every guardrail, met or not — a guardrail that allows
        a share of intervals to miss is met with some; ``far``: only where the estimate's 95 %
        interval leaves the target out, a miss that is no chance)."""
        out = set()
        for check in m.verdicts:
            if check.name in PER_INTERVAL and check.per_interval and (every or not check.met):
                for cell in check.breaches():
                    low, high = cell.value.ci_low, cell.value.ci_high
                    if far and (low is None or high is None or low <= check.target <= high):
                        continue
                    i = self.starts.index(cell.start)
                    out |= {(check.channel, self.days.index(d), i) for d in cell.days
                            if d in self.days}
        return out

    def cells_judged(self) -> int:
        """(channel, weekday, interval) cells the per-interval targets judge."""
        live = {w.channel for n in self.names for w in self.work[n] if not w.deferred}
        return len(live & set(self.targets_of.targets)) * len(self.days) * len(self.starts)

    def judged_per_interval(self, name: str) -> bool:
        """Does a target judged per interval bind this group (a channel it answers live)?"""
        return any(not w.deferred for w in self.work[name])

    def run_level_short(self, m: Measured) -> set[str]:
        """Channels missing a target judged on the whole run (occupancy, replies in time), or a
        per-interval target with no interval to judge."""
        return {c.channel for c in m.verdicts
                if not c.met and (c.name not in PER_INTERVAL or not c.per_interval)}

    def restaffed(self, current: Requirement, m: Measured, grow_only: bool) -> Requirement:
        """Step 2: each interval's on-floor agents to Erlang A on its measured load plus its
        offset."""
        short = self.short_cells(m)
        broad = self.run_level_short(m)
        out: Requirement = {}
        for name in self.names:
            need = np.zeros_like(current[name], dtype=np.float64)
            channels = {w.channel for w in self.work[name]}
            for work in self.work[name]:
                goals = goals_of(self.targets_of, work.channel)
                for d, day in enumerate(self.days):
                    for i, start in enumerate(self.starts):
                        if grow_only and not any((c, d, i) in short for c in channels):
                            continue  # it stays as it is (the Erlang arithmetic is the cost)
                        row = m.rows.get((day, start))
                        need[d, i] += self.channel_need(work, goals, row, int(current[name][d, i]),
                                                        m.share_answered(name, work.channel))
            new = np.ceil(need - 1e-9).astype(np.int64)
            for d, day in enumerate(self.days):  # a weekday the run never measured stays
                if not any((day, start) in m.rows for start in self.starts):
                    new[d] = current[name][d]
            for d in range(len(self.days)):
                for i in range(len(self.starts)):
                    failing = any((c, d, i) in short for c in channels)
                    if grow_only:
                        new[d, i] = (max(new[d, i], current[name][d, i] + 1) if failing
                                     else current[name][d, i])
                    elif failing:
                        new[d, i] = max(new[d, i], current[name][d, i] + 1)
            if grow_only and channels & broad:  # a run-level target: one more wherever there is work
                new = np.where(new > 0, new + 1, new) if new.any() else new + 1
            out[name] = new
        return out

    def channel_need(self, work: Work, goals: list[tuple[str, float]],
                     row: IntervalRow | None, floor: int, done: float) -> float:
        """On-floor agents this group needs in one interval for one channel's work (``done``:
        the share of the channel's contacts the group answered; deferred work that blended
        groups took in their idle time is work this group need not do)."""
        if row is None or work.channel not in row.channels:
            return 0.0
        offered = row.channels[work.channel].offered.mean or 0.0
        rate = offered / self.scenario.hours.interval_seconds * work.share
        if rate <= 0:
            return 0.0
        if work.deferred:
            return rate * work.handle_seconds * min(1.0, done / work.share)
        servers = floor * work.concurrency
        channel = row.channels[work.channel]
        need = 0
        for figure, target in goals:  # each goal with its own offset; the most demanding wins
            reached = channel.figure(figure)
            if reached is None or reached.mean is None or servers <= 0:
                need = max(need, servers_for(rate, work, [(figure, target)]))
                continue
            offset = servers - model_servers(rate, work, figure, reached.mean, servers)
            # aim a quarter of the estimate's noise past the target: a roster that only just
            # meets it would miss it in every other interval by chance; step 4 takes back what
            # is spare
            margin = min(0.25 * (reached.half_width or 0.0), 0.025 * abs(target))
            aimed = target + margin if figure == "service_level" else target - margin
            need = max(need, servers_for(rate, work, [(figure, aimed)], offset))
        return need / work.concurrency

    def spare(self, current: Requirement, parity: int, candidates: Requirement
              ) -> tuple[Requirement, int, int]:
        """Step 4: one agent off every candidate interval of this parity, kept off where no
        target breaks that did not break before (in the interval or the next, which its backlog
        reaches). A candidate that cannot lose its agent is one no more. Returned too: the
        intervals tried and those that kept their agent off."""
        trial = {n: r.copy() for n, r in current.items()}
        for name, r in trial.items():
            cols = (np.arange(r.shape[1]) % 2 == parity)[None, :] & (candidates[name] > 0)
            r[cols] = np.maximum(r[cols] - 1, 0)
        grown = {(c, d, i) for c, d, i in self.pending if i % 2 == parity}
        for name in self.names:  # the intervals the re-staffing left short grow in this pass
            channels = {w.channel for w in self.work[name]}
            for c, d, i in grown:
                if c in channels:
                    more = int(self.growth[name][d, i]) if name in self.growth else 1
                    trial[name][d, i] = current[name][d, i] + max(1, more)
                    candidates[name][d, i] = 0  # one fewer was short
                    self.converged[name][d, i] = max(self.converged[name][d, i],
                                                     trial[name][d, i])
        if all((trial[n] == current[n]).all() for n in self.names):
            return current, 0, 0
        m = self.measure(trial, f"one agent off the {['even', 'odd'][parity]} intervals")
        self.learn(current, trial, m)
        self.pending -= grown - self.short_cells(m)  # still short: one more next round
        before = self.short_cells(self.last_kept, every=True) if self.last_kept else set()
        short = self.short_cells(m, every=True) - before  # what the removal broke
        broad = self.run_level_short(m)
        kept = {n: trial[n].copy() for n in self.names}
        for name in self.names:
            channels = {w.channel for w in self.work[name]}
            if channels & broad:
                kept[name] = current[name].copy()
                candidates[name][:, np.arange(current[name].shape[1]) % 2 == parity] = 0
                continue
            for c, d, i in short:
                if c not in channels:
                    continue
                # the interval, or the one before whose backlog it took: this pass's removal
                near = [j for j in (i, i - 1) if j >= 0]
                now = [j for j in near if j % 2 == parity and trial[name][d, j] < current[name][d, j]]
                for j in now:
                    kept[name][d, j] = current[name][d, j]
                    candidates[name][d, j] = 0
                if not now:  # no removal of this pass near it: one of an earlier pass shows now
                    for j in near:
                        if kept[name][d, j] < self.converged[name][d, j]:
                            kept[name][d, j] += 1
                            candidates[name][d, j] = 0
                            break
        self.exhausted(kept, current, m, self.seen.get(parity, self.last_kept), candidates)
        self.seen[parity] = m
        tried = sum(int((trial[n] < current[n]).sum()) for n in self.names)
        off = sum(int((kept[n] < current[n]).sum()) for n in self.names)
        more = sum(int((kept[n] > current[n]).sum()) for n in self.names)
        self.say(f"one agent off the {['even', 'odd'][parity]} intervals: kept off in "
                 f"{off:,} of {tried:,}" + (f"; one more in {more:,} short before" if grown else ""))
        return kept, tried, off

    def exhausted(self, kept: Requirement, current: Requirement, m: Measured,
                  previous: Measured | None, candidates: Requirement) -> None:
        """Candidates no more: intervals that kept their agent off but could not lose another.
        Service is concave in agents (each agent fewer costs at least as much as the last), so
        an interval whose last agent off cost more than it had to spare — what it reached less
        what the agent cost misses a target, there or in the next interval — would break with
        one agent fewer; it is not simulated again. (``previous``: the last run in which these
        intervals had their agent.)"""
        before = _cell_figures(previous.verdicts) if previous else {}
        after = _cell_figures(m.verdicts)
        for name in self.names:
            channels = {w.channel for w in self.work[name]}
            off = np.argwhere((kept[name] < current[name]) & (candidates[name] > 0))
            for d, j in off:
                for (channel, _), (target, sense, cells) in after.items():
                    if channel not in channels or (channel, _) not in before:
                        continue
                    was = before[channel, _][2]
                    for k in (j, j + 1):
                        if k >= len(self.starts):
                            continue
                        key = (self.days[d], self.starts[k])
                        if key not in cells or key not in was:
                            continue
                        next_one = 2 * cells[key] - was[key]
                        if not (next_one >= target if sense == ">=" else next_one <= target):
                            candidates[name][d, j] = 0

    def run(self) -> Requirement:
        """Steps 1-4: the on-floor agents found, per group."""
        current = erlang_floor(self.scenario, self.names, self.targets_of)
        start = {n: r.copy() for n, r in current.items()}
        m = self.measure(current, "Erlang start", coarse=True)
        for iteration in range(1, MAX_ITERATIONS + 1):
            if iteration == 1:
                current = self.restaffed(current, m, grow_only=False)
            else:
                short, broad = self.short_cells(m), self.run_level_short(m)
                if not (short or broad):
                    break
                grown = self.restaffed(current, m, grow_only=True)
                # a few intervals still short are left to step 4's pass, which grows each by
                # what this re-staffing says it needs while it takes agents off the others (a
                # re-staffing of its own would cost a run)
                if not broad and len(short) <= FEW_SHORT * self.cells_judged():
                    self.growth = {n: grown[n] - current[n] for n in self.names}
                    break
                current = grown
            self.check_reachable(current, start)
            m = self.measure(current, f"re-staffed ({iteration})", coarse=iteration == 1)
        if len(self.short_cells(m)) > FEW_SHORT * self.cells_judged() or self.run_level_short(m):
            self.unreachable(m)
        self.pending = self.short_cells(m)
        self.last_kept = m
        self.converged = {n: r.copy() for n, r in current.items()}
        candidates = {n: np.ones_like(r) * self.judged_per_interval(n)
                      for n, r in current.items()}
        self.level = {k: v for k, v in _run_level(m).items() if v[3]}
        first = 0
        for _ in range(MAX_SPARE_ROUNDS):
            tried = off = 0
            for parity in (0, 1):
                current, tried_now, off_now = self.spare(current, parity, candidates)
                tried, off = tried + tried_now, off + off_now
            first = first or tried
            self.no_room(current, candidates)
            left = sum(int(((candidates[n] > 0) & (current[n] > 0)).sum()) for n in self.names)
            if (off == 0 and not self.pending) or left < FEW_CANDIDATES * first:
                if left:
                    self.say(f"{left:,} intervals not tried again (too few for a round)")
                break
        return current

    def learn(self, current: Requirement, trial: Requirement, m: Measured) -> None:
        """What one pass's removals did to each run-level target (occupancy, replies in time):
        the largest move towards its limit per agent-interval taken off, and its last value
        where it held."""
        for key, (value, target, sense, ok) in _run_level(m).items():
            gone = sum(int((current[n] - trial[n]).clip(min=0).sum()) for n in self.names
                       if key[0] in {w.channel for w in self.work[n]})
            if key in self.level and gone > 0:
                moved = value - self.level[key][0] if sense == "<=" else self.level[key][0] - value
                self.rise[key] = max(self.rise.get(key, 0.0), moved / gone)
            if ok:
                self.level[key] = (value, target, sense, ok)

    def no_room(self, current: Requirement, candidates: Requirement) -> None:
        """Before another round: a group whose candidates, taken off at the rise per agent the
        last passes measured, would break a run-level target from where it last held has no
        room for the round — its candidates are done, as a run-level breach in the pass would
        make them (and the round is not simulated for them)."""
        for (channel, name), rise in self.rise.items():
            value, target, sense, _ = self.level[channel, name]
            room = target - value if sense == "<=" else value - target
            serving = [n for n in self.names if channel in {w.channel for w in self.work[n]}]
            left = sum(int(((candidates[n] > 0) & (current[n] > 0)).sum()) for n in serving)
            if left and rise * left / 2 > room:  # a pass tries about half of them
                for n in serving:
                    candidates[n][:] = 0
                self.say(f"{channel} {name.replace('_', ' ')} at {value:.3f} of {target:g}: "
                         f"no room to take {left:,} more agents off")

    def check_reachable(self, new: Requirement, start: Requirement) -> None:
        for name in self.names:
            if (new[name] - start[name]).max(initial=0) > MAX_EXTRA_AGENTS:
                msg = (f"agent_groups {name!r}: the targets need more than {MAX_EXTRA_AGENTS} "
                       "agents above the Erlang estimate in an interval; they cannot be met")
                raise ValueError(msg)

    def unreachable(self, m: Measured) -> None:
        """Refuse a search that did not converge, unless every interval still missing a target
        misses it by less than its estimate's noise (its 95 % interval holds the target): that
        roster is kept, and its verdicts say which intervals miss."""
        noisy = []
        for c in m.verdicts:
            if c.met:
                continue
            if not c.per_interval or c.name not in PER_INTERVAL:
                noisy.append(False)
                continue
            noisy.extend((cell.value.ci_low or cell.value.mean or 0.0) <= c.target
                         <= (cell.value.ci_high or cell.value.mean or 0.0)
                         for cell in c.breaches())
        if noisy and all(noisy):
            return
        worst = [f"targets.{c.channel}.{c.name}: still missed after {MAX_ITERATIONS} "
                 f"re-staffings ({c.intervals_met} of {c.intervals_judged} intervals met)"
                 for c in m.verdicts if not c.met]
        raise ValueError("\n".join(worst) or "the targets could not be met")
