"""A synthetic history: what a scenario's centre would have exported, week after week.

:func:`history_of` simulates ``weeks`` independent weeks of a scenario (one replication a week,
each a 7-day run from Monday 00:00) and writes each week's per-interval books as the interval
rows of a :class:`~simulator.history.table.History`, one per channel and open interval, dated
from a Monday (``start_date``). It is how the round trip (import, backtest) is tested against a
centre whose truth is known, and how the sample export is made.

What a row holds, from the replication's books of that slot of the week:

* ``queue`` is the channel's name; every count is booked to the interval the contact arrived
  in (offered, answered, abandoned, answered within the threshold), as is the wait and handle
  time behind ``asa_seconds`` and ``handle_seconds`` (means over the answered; empty if none);
* ``answered_within`` counts the answered that waited at most the threshold: the channel's own
  ``service_level_seconds``, or ``threshold_seconds`` for every channel when given;
* ``agents`` is the mean number of agents on the floor in the interval of the group(s) serving
  the channel. A group that serves several channels is split between them by its share of busy
  time on each over the week (exact when every channel has a group of its own);
* ``short_abandons`` is left unknown (the engine keeps no such count).

A scenario with a warm-up starts its runs that many whole days before the Monday (``run.days``
grows to match), so every interval of the week is measured after the warm-up. Week ``w`` is
replication :data:`FIRST_REPLICATION` + ``w``: numbers no ``ccsim run`` of the scenario uses,
so a backtest of the same scenario never replays the history's own draws.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from simulator.experiment import Scheduler, run_jobs
from simulator.history.table import History, tidy
from simulator.model.books import ReplicationTally
from simulator.results.run import Figures
from simulator.spec.base import MAX_TOTAL_CONTACTS, WEEKDAYS
from simulator.spec.capacity import answering
from simulator.spec.layers import LoadedScenario, with_values
from simulator.spec.schema import Scenario

#: The replication of week 0 (beyond any run's replications: ``run.replications`` ≤ 10,000).
FIRST_REPLICATION = 1_000_000_000
MAX_WEEKS = 520
START_DATE = date(2026, 1, 5)  # a Monday


def week_scenario(scenario: Scenario, threshold_seconds: float | None = None) -> Scenario:
    """The scenario as one simulated week from Monday 00:00, measured whole after its warm-up
    (whole warm-up days before the Monday), with every channel's service-level threshold set
    to ``threshold_seconds`` when given."""
    lead_days = math.ceil(scenario.run.warmup_hours / 24)
    values: list[tuple[str, Any]] = [
        ("run.days", 7 + lead_days), ("run.start_day", WEEKDAYS[-lead_days % 7]),
        ("run.warmup_hours", 24.0 * lead_days), ("run.replications", 1)]
    if threshold_seconds is not None:
        values += [(f"channels.{c.name}.service_level_seconds", float(threshold_seconds))
                   for c in scenario.channels]
    return with_values(scenario, values)


def week_books(tally: ReplicationTally, scenario: Scenario) -> Figures:
    """What a history row needs from one week's tally (picklable plain data)."""
    return {
        "open_slots": tally.open_slots,
        "exposure_seconds": tally.exposure_seconds,
        "channels": {name: {
            "offered": t.offered_by_interval, "answered": t.answered_by_interval,
            "abandoned": t.abandoned_by_interval, "answered_within": t.answered_in_sl_by_interval,
            "wait": t.wait_answered_by_interval, "handle": t.handle_by_interval,
        } for name, t in tally.channels.items()},
        "groups": {name: {"on_floor": g.on_floor_by_interval,
                          "busy_by_channel": g.busy_seconds_by_channel,
                          "busy": g.busy_seconds} for name, g in tally.groups.items()},
    }


def serving_groups(scenario: Scenario, channel: str) -> list[str]:
    """The agent groups with a skill of one of the channel's contact types, in file order."""
    return [g.name for _, g in answering(scenario, scenario.channel(channel))]


def _agent_shares(scenario: Scenario, books: Figures) -> dict[str, dict[str, float]]:
    """Per channel, per serving group: the share of the group's agents counted for the channel
    (its share of the group's busy time; equal shares for a group that was never busy)."""
    channels_of: dict[str, list[str]] = {}
    for c in scenario.channels:
        for g in serving_groups(scenario, c.name):
            channels_of.setdefault(g, []).append(c.name)
    shares: dict[str, dict[str, float]] = {c.name: {} for c in scenario.channels}
    for g, served in channels_of.items():
        busy = books["groups"][g]
        for name in served:
            shares[name][g] = (busy["busy_by_channel"].get(name, 0.0) / busy["busy"]
                               if busy["busy"] > 0 else 1.0 / len(served))
    return shares


def _rows(scenario: Scenario, books: Figures, monday: date) -> list[dict[str, Any]]:
    """The interval rows of one simulated week, dated from ``monday``."""
    step = scenario.hours.interval_seconds
    per_day = 86_400 // step
    shares = _agent_shares(scenario, books)
    rows = []
    for slot in books["open_slots"]:
        if books["exposure_seconds"][slot] < step:  # (never: the warm-up is before the week)
            continue
        weekday, of_day = divmod(slot, per_day)
        start = datetime.combine(monday + timedelta(days=weekday), datetime.min.time()) \
            + timedelta(seconds=of_day * step)
        for c in scenario.channels:
            t = books["channels"][c.name]
            answered = round(t["answered"][slot])
            agents = sum(books["groups"][g]["on_floor"][slot] / step * share
                         for g, share in shares[c.name].items())
            rows.append({
                "start": start, "queue": c.name, "offered": round(t["offered"][slot]),
                "answered": answered, "abandoned": round(t["abandoned"][slot]),
                "handle_seconds": t["handle"][slot] / answered if answered else math.nan,
                "answered_within": round(t["answered_within"][slot]),
                "asa_seconds": t["wait"][slot] / answered if answered else math.nan,
                "agents": agents,
            })
    return rows


def history_of(loaded: LoadedScenario, weeks: int, *, threshold_seconds: float | None = None,
               start_date: date = START_DATE, workers: int | None = None,
               scheduler: Scheduler | None = None) -> History:
    """``weeks`` simulated weeks of the scenario as an interval history (see the module).

    ``start_date`` must be a Monday. The history's ``threshold_seconds`` is the one given, else
    the channels' common ``service_level_seconds`` (None when they differ: each channel's
    ``answered_within`` is then at its own). The rows are the same for any ``workers``.
    """
    scenario = loaded.scenario
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be from 1 to {MAX_WEEKS}, got {weeks}")
    if start_date.weekday() != 0:
        raise ValueError(f"start_date must be a Monday, got {start_date:%Y-%m-%d} "
                         f"({start_date:%A})")
    contacts = scenario.expected_contacts_per_day() * 7 * weeks
    if contacts > MAX_TOTAL_CONTACTS:
        raise ValueError(f"{weeks} weeks are {contacts:.3g} contacts, more than this tool "
                         f"simulates ({MAX_TOTAL_CONTACTS:.0e}); ask for fewer weeks")
    week = week_scenario(scenario, threshold_seconds)
    jobs = [(week, FIRST_REPLICATION + w) for w in range(weeks)]
    books = run_jobs(jobs, workers, scheduler=scheduler, measure=week_books)
    rows = [row for w, b in enumerate(books)
            for row in _rows(week, b, start_date + timedelta(weeks=w))]
    thresholds = {c.service_level_seconds for c in week.channels}
    return History(
        frame=tidy(pd.DataFrame(rows)),
        interval_minutes=scenario.hours.interval_minutes,
        sources=(loaded.path,),
        threshold_seconds=thresholds.pop() if len(thresholds) == 1 else None,
    )
