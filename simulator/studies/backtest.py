"""Backtest: the scenario's model run on each historical date, against what happened.

For every date of the history, one run of one day (``run.days = 1``, starting on that date's
weekday, the scenario's warm-up) in **actual-volume mode**: each matched channel's first
attempts in each interval are exactly that interval's actual offered contacts, at independent
uniform times within it (a Poisson process given its count; contact types drawn by their
shares, from the ``backtest_arrivals`` stream), and the agent group serving it has the
history's agents per interval (rounded to whole agents, shrinkage 0: an export's agents are the
ones on the floor). Everything else (handle times, patience, retrials, routing, levers) is the
scenario's. So the backtest tests the queueing, patience and handle-time model, not the
forecast; retrials and transfers the scenario makes come on top of the given arrivals.

Each date is run ``replications`` times; per interval, channel and metric the result holds the
band of the replications (:func:`~simulator.results.backtest.band_of`), their mean and the
actual value, and per channel and metric the errors (:class:`~simulator.results.backtest.ErrorRow`).

Queues are matched to channels by :func:`~simulator.history.table.channel_name`. A channel's
group is the one agent group that serves it, and it must serve nothing else (the history
gives agents per queue). A scenario channel with no queue in the history is offered nothing.

Date ``d`` (0-based, in date order) runs replications ``d × R .. d × R + R - 1`` of the
scenario's seed, so the result is the same for any number of workers. The work is bounded:
dates × channels × replications at most :data:`MAX_CHANNEL_DAYS`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simulator.experiment import ProgressHook, Scheduler, run_calls
from simulator.history.table import History, queue_channels
from simulator.model import simulate
from simulator.model.books import ReplicationTally
from simulator.results.backtest import METRICS, BacktestResult, BacktestRow, band_of
from simulator.results.run import Figures
from simulator.spec.base import MAX_TOTAL_CONTACTS, WEEKDAYS
from simulator.spec.layers import LoadedScenario, with_values
from simulator.spec.schema import AgentGroupSpec, Scenario, clock
from simulator.streams import study_stream
from simulator.studies.synthetic import serving_groups

#: the bound on dates × channels × replications (a year of five queues at 100 replications)
MAX_CHANNEL_DAYS = 200_000
MAX_REPLICATIONS = 1_000
DEFAULT_REPLICATIONS = 39  # the fewest whose band is a 95 % one (simulator.results.backtest)
NAN = math.nan


class BacktestProblem(ValueError):
    """A history and scenario that cannot be backtested together; the message says why."""


def matched(scenario: Scenario, history: History) -> tuple[dict[str, str], dict[str, str]]:
    """``(queue -> channel, channel -> group)``; :class:`BacktestProblem` naming the queue and
    channel when a queue has no channel or a channel's group cannot be identified."""
    try:
        queues = queue_channels(history.queues, [c.name for c in scenario.channels])
    except ValueError as exc:
        raise BacktestProblem(str(exc)) from None
    groups: dict[str, str] = {}
    for queue, name in queues.items():
        serving = serving_groups(scenario, name)
        own = {t.name for t in scenario.contact_types if t.channel == name}
        if len(serving) != 1 or not set(scenario_group(scenario, serving[0]).skills) <= own:
            why = (f"it is served by {len(serving)} groups ({', '.join(serving)})"
                   if len(serving) != 1 else f"its group {serving[0]!r} serves other channels too")
            raise BacktestProblem(
                f"history queue {queue!r}, channel {name!r}: cannot tell which agent group has "
                f"the queue's agents: {why}; backtest needs one group of its own per channel "
                f"(ccsim import names it {name}_agents)")
        groups[name] = serving[0]
    return queues, groups


def scenario_group(scenario: Scenario, name: str) -> AgentGroupSpec:
    return next(g for g in scenario.agent_groups if g.name == name)


def _day_tables(scenario: Scenario, history: History, queues: dict[str, str]
                ) -> tuple[dict[pd.Timestamp, dict[str, pd.DataFrame]], list[str]]:
    """Per date, per channel: its rows by interval of the opening hours (``offered``, ...,
    index 0 = the first open interval), and the partial days left out (a queue's date with
    intervals of the opening hours missing); BacktestProblem for a row the day cannot hold."""
    hours = scenario.hours
    step, first, n = hours.interval_seconds, hours.open_seconds // hours.interval_seconds, \
        hours.intervals_open
    if history.interval_minutes != hours.interval_minutes:
        raise BacktestProblem(f"the history has {history.interval_minutes}-minute intervals, the "
                              f"scenario {hours.interval_minutes}-minute ones (hours.interval_"
                              "minutes); they must be the same")
    frame = history.frame
    seconds = (frame["start"] - frame["start"].dt.normalize()).dt.total_seconds()
    off_grid = frame[seconds % step != 0]
    if len(off_grid):
        raise BacktestProblem(f"queue {off_grid['queue'].iloc[0]!r}, {off_grid['start'].iloc[0]}:"
                              f" not on the scenario's {hours.interval_minutes}-minute grid")
    frame = frame.assign(slot=(seconds // step).astype(int) - first)
    outside = frame[((frame["slot"] < 0) | (frame["slot"] >= n)) & (frame["offered"] > 0)]
    if len(outside):
        row = outside.iloc[0]
        raise BacktestProblem(f"queue {row['queue']!r}, {row['start']:%Y-%m-%d %H:%M}: "
                              f"{row['offered']} offered outside the scenario's opening hours "
                              f"({hours.open}-{hours.close})")
    frame = frame[(frame["slot"] >= 0) & (frame["slot"] < n)]
    days: dict[pd.Timestamp, dict[str, pd.DataFrame]] = {}
    partial: list[str] = []
    for (day, queue), rows in frame.groupby([frame["start"].dt.normalize(), "queue"], sort=True):
        where = f"queue {queue!r} on {day:%Y-%m-%d}"
        twice = rows["slot"][rows["slot"].duplicated()]
        if len(twice):
            raise BacktestProblem(f"{where}: two rows for {clock((first + int(twice.iloc[0])) * step)}")
        missing = sorted(set(range(n)) - set(rows["slot"]))
        if missing:  # (an export cut short, a day begun late): nothing to run it with
            partial.append(f"{where}: a partial day, no row for "
                           f"{clock((first + missing[0]) * step)} ({len(missing)} of the {n} "
                           f"intervals of {hours.open}-{hours.close} missing)")
            continue
        unknown = rows[rows["agents"].isna() & (rows["offered"] > 0)]
        if len(unknown):
            raise BacktestProblem(f"{where}, {unknown['start'].iloc[0]:%H:%M}: no agents; "
                                  "backtest runs the history's staffing and needs it")
        days.setdefault(pd.Timestamp(str(day)), {})[queues[str(queue)]] = rows.set_index("slot").sort_index()
    return days, partial


def day_scenario(scenario: Scenario, day: pd.Timestamp, rows: dict[str, pd.DataFrame],
                 groups: dict[str, str], replications: int, threshold: float | None) -> Scenario:
    """The scenario as one day of the history in actual-volume mode (see the module)."""
    if scenario.run.warmup_hours >= 24:
        raise BacktestProblem(f"run.warmup_hours: backtest runs one day at a time and the "
                              f"warm-up ({scenario.run.warmup_hours:g} h) must be under 24 h")
    values: list[tuple[str, Any]] = [
        ("run.days", 1.0), ("run.start_day", WEEKDAYS[day.weekday()]),
        ("run.replications", replications), ("hours.open_days", list(WEEKDAYS))]
    for c in scenario.channels:
        key = f"channels.{c.name}"
        table = rows.get(c.name)
        offered = [] if table is None else [float(x) for x in table["offered"]]
        values += [(f"{key}.volume_per_day", float(sum(offered))), (f"{key}.weekly_pattern", None),
                   (f"{key}.profile", offered if sum(offered) > 0 else None)]
        if threshold is not None:
            values.append((f"{key}.service_level_seconds", float(threshold)))
    n = scenario.hours.intervals_open
    for channel, group in groups.items():
        table = rows.get(channel)
        agents = [0] * n if table is None else [
            0 if math.isnan(a) else math.floor(a + 0.5) for a in table["agents"]]
        values += [(f"agent_groups.{group}.agents", agents),
                   (f"agent_groups.{group}.shifts", None),
                   (f"agent_groups.{group}.shrinkage", 0.0)]
    values += [(f"agent_groups.{g.name}.agents", 0) for g in scenario.agent_groups
               if g.agents == "auto" and g.name not in groups.values()]  # (they serve nobody)
    return with_values(scenario, values)


def given_arrivals(scenario: Scenario, replication: int, counts: dict[str, list[int]]
                   ) -> dict[str, list[tuple[float, str]]]:
    """Per channel, ``counts[i]`` first attempts in interval ``i`` of the opening hours, each at
    a uniform time within it, with a contact type drawn by the types' shares."""
    step = scenario.hours.interval_seconds
    first = scenario.hours.open_seconds // step
    out = {}
    for channel, per_interval in counts.items():
        rng = study_stream(scenario.run.seed, replication, channel, "backtest_arrivals")
        types = [t.name for t in scenario.contact_types if t.channel == channel]
        shares = np.cumsum([t.share for t in scenario.contact_types if t.channel == channel])
        n = sum(per_interval)
        times = (np.repeat(first + np.arange(len(per_interval)), per_interval)
                 + rng.random(n)) * step
        kinds = np.minimum(np.searchsorted(shares, rng.random(n), side="right"), len(types) - 1)
        out[channel] = [(t, types[k]) for t, k in zip(times.tolist(), kinds.tolist(), strict=True)]
    return out


def one_day(job: tuple[Scenario, int, dict[str, list[int]]]) -> Figures:
    """One replication of a date: its given arrivals simulated, its books (a worker's job)."""
    scenario, replication, counts = job
    tally = simulate(scenario, replication, given_arrivals(scenario, replication, counts))
    return day_books(tally, scenario)


def day_books(tally: ReplicationTally, scenario: Scenario) -> Figures:
    """A one-day run's books per interval of the opening hours (picklable plain data)."""
    slots = tally.open_slots
    return {
        "exposure": [tally.exposure_seconds[s] for s in slots],
        "channels": {name: {key: [series[s] for s in slots] for key, series in (
            ("offered", t.offered_by_interval), ("answered", t.answered_by_interval),
            ("abandoned", t.abandoned_by_interval), ("within", t.answered_in_sl_by_interval),
            ("wait", t.wait_answered_by_interval), ("handle", t.handle_by_interval))}
            for name, t in tally.channels.items()},
        "groups": {name: [g.on_floor_by_interval[s] for s in slots]
                   for name, g in tally.groups.items()},
    }


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else NAN


def actual_metrics(row: pd.Series, step: int, concurrency: int) -> dict[str, float]:
    """The metrics of one history row (NaN where undefined or not given)."""
    answered, abandoned, offered = int(row["answered"]), int(row["abandoned"]), int(row["offered"])
    within, agents = row["answered_within"], float(row["agents"])
    work = 0.0 if answered == 0 else answered * float(row["handle_seconds"])
    return {
        "service_level": NAN if pd.isna(within) else _ratio(float(within), answered + abandoned),
        "abandon_rate": _ratio(abandoned, offered),
        "asa_seconds": float(row["asa_seconds"]) if answered > 0 else NAN,
        "occupancy": NAN if math.isnan(agents) else _ratio(work, agents * step * concurrency),
    }


def simulated_metrics(books: Figures, channel: str, group: str, i: int, concurrency: int
                      ) -> dict[str, float]:
    """The same metrics of interval ``i`` of one replication's books."""
    t = books["channels"][channel]
    answered, abandoned = t["answered"][i], t["abandoned"][i]
    return {
        "service_level": _ratio(t["within"][i], answered + abandoned),
        "abandon_rate": _ratio(abandoned, t["offered"][i]),
        "asa_seconds": _ratio(t["wait"][i], answered),
        "occupancy": _ratio(t["handle"][i], books["groups"][group][i] * concurrency),
    }


def work_problem(dates: int, channels: int, replications: int, contacts: float) -> str | None:
    """Why a backtest of this size is refused (None: within the bounds)."""
    if not 2 <= replications <= MAX_REPLICATIONS:
        return f"replications must be from 2 to {MAX_REPLICATIONS}, got {replications}"
    days = dates * channels * replications
    if days > MAX_CHANNEL_DAYS:
        return (f"{dates} dates × {channels} channels × {replications} replications = {days:,} "
                f"channel-days is more than a backtest runs ({MAX_CHANNEL_DAYS:,}); give fewer "
                "dates (a shorter history) or fewer replications")
    if contacts * replications > MAX_TOTAL_CONTACTS:
        return (f"{contacts * replications:.3g} contacts is more than this tool simulates "
                f"({MAX_TOTAL_CONTACTS:.0e}); give fewer dates or replications")
    return None


@dataclass(frozen=True)
class Plan:
    """What a backtest will run, checked before anything is simulated."""

    queues: dict[str, str]  # history queue -> channel
    groups: dict[str, str]  # channel -> its agent group
    days: dict[pd.Timestamp, dict[str, pd.DataFrame]]  # per date, per channel: its rows
    dates: list[pd.Timestamp]  # the dates simulated
    replications: int
    jobs: list[tuple[Scenario, int, dict[str, list[int]]]]  # date after date
    partial: tuple[str, ...] = ()  # a queue's dates left out: intervals missing


def plan_backtest(loaded: LoadedScenario, history: History,
                  replications: int = DEFAULT_REPLICATIONS) -> Plan:
    """Match the history to the scenario and make every date's jobs; BacktestProblem for a
    history the scenario cannot be run against, or a backtest beyond the bounds."""
    scenario = loaded.scenario
    queues, groups = matched(scenario, history)
    days, partial = _day_tables(scenario, history, queues)
    dates = [d for d, rows in days.items()
             if any(t["offered"].sum() > 0 or t["agents"].fillna(0).sum() > 0
                    for t in rows.values())]
    problem = work_problem(len(dates), len(groups), replications,
                           float(history.frame["offered"].sum()))
    if problem:
        raise BacktestProblem(problem)
    jobs = []
    for d, day in enumerate(dates):
        one = day_scenario(scenario, day, days[day], groups, replications,
                           history.threshold_seconds)
        counts = {c: [int(x) for x in days[day][c]["offered"]] if c in days[day] else []
                  for c in groups}
        jobs += [(one, d * replications + r, counts) for r in range(replications)]
    return Plan(queues, groups, days, dates, replications, jobs, tuple(partial))


def backtest(loaded: LoadedScenario, history: History, *,
             replications: int = DEFAULT_REPLICATIONS, workers: int | None = None,
             scheduler: Scheduler | None = None, on_done: ProgressHook | None = None
             ) -> BacktestResult:
    """Backtest the scenario against the history (see the module): :func:`plan_backtest`,
    then :func:`run_backtest`."""
    plan = plan_backtest(loaded, history, replications)
    return run_backtest(loaded, history, plan, workers, scheduler, on_done)


def run_backtest(loaded: LoadedScenario, history: History, plan: Plan,
                 workers: int | None = None, scheduler: Scheduler | None = None,
                 on_done: ProgressHook | None = None) -> BacktestResult:
    """Simulate a plan's jobs and compare them with the history."""
    scenario, replications = loaded.scenario, plan.replications
    books = run_calls(one_day, plan.jobs, workers, on_done, scheduler)
    step = scenario.hours.interval_seconds
    first = scenario.hours.open_seconds // step
    concurrency = {c.name: c.concurrency for c in scenario.channels}
    channel_queue = {c: q for q, c in plan.queues.items()}
    rows: list[BacktestRow] = []
    for d, day in enumerate(plan.dates):
        runs = books[d * replications:(d + 1) * replications]
        for channel in (c.name for c in scenario.channels if c.name in plan.days[day]):
            rows += _compare(day, channel, channel_queue[channel], plan.groups[channel],
                             plan.days[day][channel], runs, step, first, concurrency[channel])
    thresholds = {c: float(history.threshold_seconds if history.threshold_seconds is not None
                           else scenario.channel(c).service_level_seconds) for c in plan.groups}
    warm = [f"{clock(i * step)}: before the end of the warm-up ({scenario.run.warmup_hours:g} h)"
            for i in range(first, first + scenario.hours.intervals_open)
            if books and books[0]["exposure"][i - first] < step]
    unmatched = [f"channel {c.name!r}: no queue in the history (offered nothing in the runs)"
                 for c in scenario.channels if c.name not in plan.groups]
    return BacktestResult(
        scenario=scenario.scenario.name, file=str(loaded.path),
        history=tuple(str(p) for p in history.sources), queues=plan.queues, groups=plan.groups,
        dates=tuple(f"{d:%Y-%m-%d}" for d in plan.dates),
        interval_minutes=scenario.hours.interval_minutes, threshold_seconds=thresholds,
        replications=replications, seed=scenario.run.seed,
        warmup_hours=scenario.run.warmup_hours, rows=tuple(rows),
        errors=BacktestResult.errors_of(rows), left_out=(*plan.partial, *unmatched, *warm))


def _compare(day: pd.Timestamp, channel: str, queue: str, group: str, table: pd.DataFrame,
             runs: Sequence[Figures], step: int, first: int, concurrency: int
             ) -> list[BacktestRow]:
    """The rows of one channel on one date: per interval and metric, the band and the actual."""
    out = []
    for i, row in table.iterrows():
        slot = int(str(i))
        if runs[0]["exposure"][slot] < step:  # in the warm-up: nothing measured
            continue
        actual = actual_metrics(row, step, concurrency)
        simulated = [simulated_metrics(b, channel, group, slot, concurrency) for b in runs]
        for metric in METRICS:
            values = [s[metric] for s in simulated]
            low, high, nominal = band_of(values)
            defined = [v for v in values if not math.isnan(v)]
            out.append(BacktestRow(
                date=f"{day:%Y-%m-%d}", start=clock((first + slot) * step), channel=channel,
                queue=queue, metric=metric, actual=actual[metric], low=low, high=high,
                mean=float(np.mean(defined)) if defined else NAN, replications=len(defined),
                nominal=nominal))
    return out
