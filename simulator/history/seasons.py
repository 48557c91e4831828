"""A plan's volume forecast from a history: each channel's offered per calendar month, its
season and its growth (``ccsim import --plan-start``, docs/import.md "A plan from the history").

Per channel (an export's queue, by :func:`~simulator.history.table.channel_name`), on the raw
offered counts (what the centre received, holidays and outages included: a month's volume is
what it was, not a typical week's):

- only **whole** calendar months count: the export's dates run from the month's first open
  day to its last (the centre's closed weekdays at a month's ends do not make it partial);
- with at least :data:`MIN_MONTHS` whole months, a month *t* of the history has ``v_t``
  offered a calendar day; with :data:`GROWTH_MONTHS` or more, the growth a month is
  ``g = (geometric mean of v_{t+12} / v_t over the pairs of whole months a year apart)^(1/12)
  - 1``, else 0;
- each calendar month *c* gets ``P_c``: the mean over its whole months of ``v_t`` taken back to
  the history's centre month ``t̄`` (``v_t / (1 + g)^(t - t̄)``); its **index** is ``P_c`` over
  the day-weighted mean of the twelve (a year of indexes sums to the year's volume);
- plan month *T* (calendar month *c*) is forecast ``P_c (1 + g)^(T - t̄)`` offered a calendar
  day; its factor of the scenario's ``volume_per_day`` is that over the scenario's own calendar
  day (``volume_per_day`` × the weekly pattern's sum over open weekdays ÷ 7), so the plan
  prices each month at the history's volume of it, grown.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from simulator.history.estimates import Estimates
from simulator.history.table import History
from simulator.spec.plan import days_in, month_index, month_name

#: Whole calendar months a season needs (one of each calendar month).
MIN_MONTHS = 12
#: Whole calendar months from which growth is taken year over year (else 0).
GROWTH_MONTHS = 24
MONTH_NAMES = tuple(calendar.month_abbr[1:])


class SeasonProblem(ValueError):
    """The history cannot give a forecast (too few whole months; a month without contacts)."""


@dataclass(frozen=True)
class Season:
    """One channel's months of history and what they give."""

    queue: str
    channel: str
    offered: dict[int, int]  # per whole month (month_index), offered
    growth_per_month: float
    centre: float  # t̄, the mean month_index of the whole months
    per_day: tuple[float, ...]  # P_c, January first: offered a calendar day at t̄
    index: tuple[float, ...]  # P_c over their day-weighted mean, January first

    def per_day_at(self, month: int) -> float:
        """The forecast offered a calendar day in ``month`` (a month_index)."""
        return float(self.per_day[month % 12] * (1 + self.growth_per_month) ** (month - self.centre))

    def seen(self, calendar_month: int) -> list[int]:
        """The whole months of the history in a calendar month (0 = January)."""
        return [t for t in self.offered if t % 12 == calendar_month]


@dataclass(frozen=True)
class Seasons:
    whole: tuple[int, ...]  # the whole months (month_index), in order
    partial: tuple[str, ...]  # e.g. "2026-03 (from 2026-03-10)"
    pairs: int  # pairs of whole months a year apart (growth from them when >= 12)
    channels: tuple[Season, ...]

    @property
    def span(self) -> str:
        return f"{month_name(self.whole[0])} to {month_name(self.whole[-1])}"


def _open_ends(month: int, weekdays: tuple[int, ...]) -> tuple[date, date]:
    """The first and last dates of ``month`` on an open weekday (its first and last day if
    none is open)."""
    year, number = divmod(month, 12)
    days = [date(year, number + 1, d) for d in range(1, days_in(month) + 1)]
    open_days = [d for d in days if d.weekday() in weekdays] or days
    return open_days[0], open_days[-1]


def months_covered(first: date, last: date,
                   weekdays: tuple[int, ...]) -> tuple[list[int], list[str]]:
    """(whole months, partial months described) of an export from ``first`` to ``last``."""
    whole: list[int] = []
    partial: list[str] = []
    for month in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
        start, end = _open_ends(month, weekdays)
        if first <= start and last >= end:
            whole.append(month)
        elif first > start:
            partial.append(f"{month_name(month)} (the export starts {first:%Y-%m-%d})")
        else:
            partial.append(f"{month_name(month)} (the export ends {last:%Y-%m-%d})")
    return whole, partial


def _season(queue: str, channel: str, offered: dict[int, int], pairs: list[tuple[int, int]],
            growth: bool) -> Season:
    per_day = {t: n / days_in(t) for t, n in offered.items()}
    g = 0.0
    if growth:
        ratios = [per_day[b] / per_day[a] for a, b in pairs]
        g = float(np.exp(np.mean(np.log(ratios)) / 12) - 1)
    centre = float(np.mean(list(offered)))
    p = [float(np.mean([per_day[t] / (1 + g) ** (t - centre)
                        for t in offered if t % 12 == c])) for c in range(12)]
    days = [float(np.mean([days_in(t) for t in offered if t % 12 == c])) for c in range(12)]
    mean = sum(x * d for x, d in zip(p, days, strict=True)) / sum(days)
    return Season(queue, channel, offered, g, centre, tuple(p), tuple(x / mean for x in p))


def seasons_of(history: History, estimates: Estimates, option: str) -> Seasons:
    """Every channel's :class:`Season` from the raw ``history`` (its queues as ``estimates``
    made them channels).

    Raises
    ------
    SeasonProblem
        Fewer than :data:`MIN_MONTHS` whole months, or a channel with a whole month without
        contacts (one line, naming ``option``).
    """
    frame = history.frame
    first, last = frame["start"].min().date(), frame["start"].max().date()
    whole, partial = months_covered(first, last, estimates.weekdays)
    if len(whole) < MIN_MONTHS:
        have = (f"{len(whole)} whole calendar month(s) ({month_name(whole[0])} to "
                f"{month_name(whole[-1])})" if whole else "no whole calendar month")
        raise SeasonProblem(
            f"{option}: a forecast from the history needs at least {MIN_MONTHS} whole calendar "
            f"months (a season of each), with growth from {GROWTH_MONTHS}; the export covers "
            f"{first:%Y-%m-%d} to {last:%Y-%m-%d}: {have}")
    month = frame["start"].dt.year * 12 + frame["start"].dt.month - 1
    inside = month.isin(whole)
    totals = frame[inside].groupby([frame["queue"][inside], month[inside]])["offered"].sum()
    pairs = [(t, t + 12) for t in whole if t + 12 in whole]
    out: list[Season] = []
    for q in estimates.queues:
        offered = {t: int(totals.get((q.queue, t), 0)) for t in whole}
        empty = [month_name(t) for t, n in offered.items() if n == 0]
        if empty:
            raise SeasonProblem(
                f"{option}: queue {q.queue!r} has no contacts in the whole month(s) "
                f"{', '.join(empty)}; a season needs contacts in every whole month (leave the "
                "queue out of the export, or import without the option)")
        out.append(_season(q.queue, q.channel, offered, pairs, len(whole) >= GROWTH_MONTHS))
    return Seasons(tuple(whole), tuple(partial), len(pairs), tuple(out))


def plan_factors(season: Season, calendar_day: float, start: str,
                 months: int) -> list[float]:
    """The factor of each plan month: its forecast offered a calendar day over the scenario's
    own ``calendar_day`` (volume_per_day × the weekly pattern's open sum ÷ 7)."""
    first = month_index(start)
    return [season.per_day_at(first + m) / calendar_day if calendar_day > 0 else math.nan
            for m in range(months)]
