"""The work an agent group is given, and what Erlang A (C) says it needs for it.

Staffing (:mod:`simulator.studies.staffing`) starts from these formulas and corrects them by
simulation: the channels' work as each group sees it (:func:`work_of`), the targets an interval
must meet (:func:`goals_of`), the servers Erlang needs (:func:`servers_for`), the servers at
which Erlang would reach what a simulation reached (:func:`model_servers`), and the arrival
rates per open weekday and interval (:func:`nominal_rates`).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from simulator import analytic
from simulator.model.calendar import Calendar, weekly_rates
from simulator.spec.base import WEEKDAYS
from simulator.spec.schema import AgentGroupSpec, Scenario


# ---------------------------------------------------------------------------- the channels
@dataclass(frozen=True)
class Work:
    """One channel's work as a group to staff sees it."""

    channel: str
    share: float  # of the channel's contacts this group is given (split evenly with others)
    handle_seconds: float
    concurrency: int
    deferred: bool
    patience_seconds: float | None
    sl_seconds: float


def answers_live(scenario: Scenario, group: AgentGroupSpec) -> bool:
    """Does the group answer a channel customers wait on (not only deferred work)?"""
    types = {t.name: t for t in scenario.contact_types}
    return any(not scenario.channel(types[s].channel).deferred for s in group.skills)


def work_of(scenario: Scenario, group: AgentGroupSpec) -> list[Work]:
    """The channels' work as this group is given it: split evenly between the groups that share
    a channel — except deferred work, which a group that also answers live contacts only fills
    its idle time with: it goes to the groups that do deferred work alone, if there are any."""
    types = {t.name: t for t in scenario.contact_types}
    out = []
    for channel_name in dict.fromkeys(types[s].channel for s in group.skills):
        channel = scenario.channel(channel_name)
        served = [t for t in scenario.contact_types
                  if t.channel == channel_name and t.name in group.skills]
        sharers = [g for g in scenario.agent_groups if any(t.name in g.skills for t in served)]
        if channel.deferred:
            alone = [g for g in sharers if not answers_live(scenario, g)]
            if alone and answers_live(scenario, group):
                continue  # blended: the deferred-only groups are staffed for it
            sharers = alone or sharers
        share = sum(t.share for t in served) / max(len(sharers), 1)
        handle = sum(t.share * t.handle_time.mean for t in served) / sum(t.share for t in served)
        out.append(Work(channel_name, share, handle, channel.concurrency, channel.deferred,
                         channel.patience.mean if channel.patience is not None else None,
                         float(channel.service_level_seconds)))
    return out


@functools.lru_cache(maxsize=16_384)
def queue_figures(rate: float, work: Work, servers: int) -> analytic.QueueFigures:
    """Erlang A (Erlang C without patience) at ``rate`` with ``servers``; kept, as an
    interval's re-staffing asks the same queue again for each target and for its offset."""
    if work.patience_seconds is None:
        return analytic.erlang_c(rate, work.handle_seconds, servers, work.sl_seconds)
    return analytic.erlang_a(rate, work.handle_seconds, work.patience_seconds, servers,
                             work.sl_seconds)


def goals_of(scenario: Scenario, channel: str) -> list[tuple[str, float]]:
    """The per-interval targets of a channel: (figure, target); service level 80 % by default."""
    spec = scenario.targets.get(channel)
    if spec is None:
        return [("service_level", 0.8)]
    goals = [(figure, float(getattr(spec, name))) for name, figure in
             (("service_level", "service_level"), ("max_abandon_rate", "abandon_rate"),
              ("max_asa_seconds", "asa_seconds")) if getattr(spec, name) is not None]
    return goals or [("service_level", 0.8)]


def meets(figure: str, value: float, target: float) -> bool:
    return value >= target if figure == "service_level" else value <= target


def lowest_servers(rate: float, work: Work, share_of_load: float) -> int:
    """Where a search over servers starts: Erlang C needs more servers than erlangs."""
    load = rate * work.handle_seconds
    if work.patience_seconds is None:
        return math.floor(load) + 1
    return max(1, math.floor(load * share_of_load))


def servers_for(rate: float, work: Work, goals: list[tuple[str, float]],
                 offset: float = 0.0) -> int:
    """Servers Erlang A (C) needs at ``rate`` for every goal, plus ``offset``."""
    if rate <= 0:
        return 0
    low = lowest_servers(rate, work, 0.5)
    for n in range(low, low + 10_000):
        figures = queue_figures(rate, work, n)
        if all(meets(f, float(getattr(figures, f)), t) for f, t in goals):
            return max(0, math.ceil(n + offset - 1e-9))
    msg = f"targets.{work.channel}: not reachable with 10,000 agents in an interval"
    raise ValueError(msg)


def model_servers(rate: float, work: Work, figure: str, reached: float, on_floor: int) -> float:
    """The servers at which Erlang A at ``rate`` reaches what the simulation reached (``figure``
    = ``reached``), interpolated between whole agents; ``on_floor`` when it cannot tell."""
    if rate <= 0 or not math.isfinite(reached):
        return float(on_floor)
    def better(a: float, b: float) -> bool:
        return meets(figure, a, b)

    low = lowest_servers(rate, work, 0.3)
    previous = float(getattr(queue_figures(rate, work, low), figure))
    if better(previous, reached):
        return float(low)
    for n in range(low + 1, low + 10_000):
        value = float(getattr(queue_figures(rate, work, n), figure))
        if better(value, reached):
            span = value - previous
            return n - 1 + ((reached - previous) / span if span else 1.0)
        previous = value
    return float(on_floor)


def rostered_for(on_floor: float, shrinkage: float) -> int:
    """The fewest rostered agents whose on-floor head-count (rounded, halves up) is at least
    ``on_floor``."""
    need = max(0, math.ceil(on_floor - 1e-9))
    rostered = max(0, math.floor((need - 0.5) / (1 - shrinkage)))
    while math.floor(rostered * (1 - shrinkage) + 0.5) < need:
        rostered += 1
    return rostered


# ---------------------------------------------------------------------------- the calendar
def open_weekdays(scenario: Scenario) -> tuple[str, ...]:
    """The rows of a requirement: the open weekdays, in the order of ``hours.open_days``."""
    return tuple(scenario.hours.open_days)


def nominal_rates(scenario: Scenario, channel: str) -> np.ndarray:
    """First-contact arrivals per second, open weekdays (in the order of ``hours.open_days``) ×
    intervals of the opening hours."""
    cal = Calendar.of(scenario)
    week = weekly_rates(scenario, scenario.channel(channel), cal)
    rows = [WEEKDAYS.index(d) for d in open_weekdays(scenario)]
    lo = cal.first_open_interval
    return week[rows, lo : lo + cal.intervals_open]
