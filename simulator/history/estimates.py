"""What a (cleaned) history says about each queue: volumes by weekday and interval, handle
time, patience, day-to-day variation and staffing; the figures ``ccsim import`` writes.

Every estimator and its formula is in docs/import.md; in short, per queue:

- volume: the mean offered per open day of each weekday; ``volume_per_day`` their mean over
  the open weekdays and ``weekly_pattern`` each weekday's mean over it;
- profile: each weekday's pooled share of its offered per interval; one profile for all days
  unless a chi-square test of homogeneity of the weekday × interval table of counts rejects
  one shape at :data:`PROFILE_P_VALUE` (conditional on the day's total, a day's counts are
  multinomial with its profile, whatever the day's busyness);
- handle time: the answered-weighted mean of the interval means, and a cv from how far the
  interval means spread (``Σ a_i (h_i - h)² / (n - 1)`` estimates the variance of one handle
  time, since an interval's mean of ``a_i`` handle times has variance σ²/a_i);
- patience (exponential, Mandelbaum and Zeltyn): abandoned ÷ total time waited, the wait of
  an interval taken as its ASA × (answered + abandoned), since exports give no wait of the
  abandoned;
- busyness: cv² pooled over weekdays as (Var − mean) / mean² of the daily offered (a day's
  count with mean λ and a gamma factor of variance cv² has variance λ + cv²λ²).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from simulator.history.cleaning import slots_of
from simulator.history.table import Dropped, History, channel_name

#: Below this p-value of the homogeneity test, each weekday gets its own profile.
PROFILE_P_VALUE = 0.001
#: The bound of a channel's busyness_cv in the schema.
MAX_BUSYNESS_CV = 2.0
#: Bounds of the handle-time cv written (a lognormal needs cv > 0; the schema allows 20).
HANDLE_CV_BOUNDS = (0.05, 20.0)
#: Kinds guessed from words in a queue's name; voice otherwise.
KIND_WORDS = (("chat", "chat"), ("mail", "email"), ("social", "social"))


@dataclass(frozen=True)
class HandleTime:
    mean_seconds: float
    cv: float  # of one handle time, from the spread of the interval means
    standard_error_seconds: float  # of the mean
    intervals: int


@dataclass(frozen=True)
class Patience:
    """Exponential patience: θ = abandoned / total wait; the mean is 1/θ."""

    mean_seconds: float
    low_seconds: float  # 95 % interval of the mean (abandons as a Poisson count)
    high_seconds: float
    abandoned: int
    wait_seconds: float  # total time waited, taken as ASA × (answered + abandoned)
    intervals: int
    dispersion: float  # Pearson χ² / df of each interval's abandons against θ × its wait


@dataclass(frozen=True)
class ShapeTest:
    """The chi-square test of one intraday shape for all weekdays."""

    chi2: float
    df: int
    p_value: float

    @property
    def per_weekday(self) -> bool:
        return self.df > 0 and self.p_value < PROFILE_P_VALUE


@dataclass(frozen=True)
class Busyness:
    cv: float  # written (floored at 0, capped at MAX_BUSYNESS_CV)
    cv_squared: float  # the raw pooled estimate (may be negative: less variation than Poisson)
    df: int  # degrees of freedom pooled (dates − weekdays)


@dataclass(frozen=True)
class QueueEstimate:
    queue: str
    channel: str
    kind: str
    dates: int
    first_date: pd.Timestamp
    last_date: pd.Timestamp
    weekdays: tuple[int, ...]  # open weekdays of this queue, 0 = Monday
    offered: int
    volume_per_day: float
    weekly_pattern: tuple[float, ...]  # 7 multipliers, Monday first
    profiles: dict[int, tuple[float, ...]]  # per weekday, shares over the centre's intervals
    profile: tuple[float, ...]  # the pooled shape of all weekdays
    shape: ShapeTest
    handle: HandleTime | None
    patience: Patience | None
    patience_note: str  # why there is none, or how it was estimated
    busyness: Busyness
    agents: dict[int, tuple[int, ...]] | None  # per weekday per interval, rounded means
    service_level: float | None  # answered within the threshold / (answered + abandoned)
    abandon_rate: float


@dataclass(frozen=True)
class Estimates:
    queues: tuple[QueueEstimate, ...]
    interval_minutes: int
    first_slot: int  # the centre's opening: intervals of the day from midnight
    end_slot: int  # one past its last interval
    weekdays: tuple[int, ...]  # the centre's open weekdays
    sources: tuple[str, ...]
    threshold_seconds: float | None
    dropped: tuple[Dropped, ...]

    @property
    def slots(self) -> int:
        return self.end_slot - self.first_slot


def kind_of(queue: str, kinds: Mapping[str, str]) -> str:
    """The channel kind of a queue: given (by queue or channel name), else guessed from its name."""
    given = kinds.get(queue) or kinds.get(channel_name(queue))
    if given:
        return given
    lower = queue.lower()
    return next((kind for word, kind in KIND_WORDS if word in lower), "voice")


def _shape(counts: pd.DataFrame) -> ShapeTest:
    table = counts.loc[:, counts.sum(axis=0) > 0]
    table = table.loc[table.sum(axis=1) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return ShapeTest(0.0, 0, 1.0)
    result = stats.chi2_contingency(table.to_numpy(dtype=float), correction=False)
    return ShapeTest(float(result.statistic), int(result.dof), float(result.pvalue))


def _shares(row: pd.Series) -> tuple[float, ...]:
    total = float(row.sum())
    return tuple(float(v) / total for v in row) if total > 0 else tuple(1.0 for _ in row)


def _handle(frame: pd.DataFrame) -> HandleTime | None:
    known = frame[(frame["answered"] > 0) & frame["handle_seconds"].notna()]
    if known.empty:
        return None
    a = known["answered"].to_numpy(dtype=float)
    h = known["handle_seconds"].to_numpy(dtype=float)
    mean = float(np.sum(a * h) / np.sum(a))
    n = len(h)
    variance = float(np.sum(a * (h - mean) ** 2) / (n - 1)) if n > 1 else 0.0
    cv = float(np.clip(np.sqrt(variance) / mean, *HANDLE_CV_BOUNDS)) if mean > 0 else 1.0
    return HandleTime(mean, cv, float(np.sqrt(variance / np.sum(a))), n)


def _patience(frame: pd.DataFrame, kind: str) -> tuple[Patience | None, str]:
    if kind == "email":
        return None, "email is deferred work: nobody abandons"
    if not frame["asa_seconds"].notna().any():
        return None, "no ASA in the export: patience not estimated (customers never abandon)"
    known = frame[frame["asa_seconds"].notna()]
    abandoned = known["abandoned"].to_numpy(dtype=float)
    waits = (known["asa_seconds"] * (known["answered"] + known["abandoned"])).to_numpy(dtype=float)
    total_abandoned, total_wait = float(abandoned.sum()), float(waits.sum())
    if total_abandoned == 0:
        return None, "no abandons in the history: customers never abandon"
    if total_wait <= 0:
        return None, "ASA is 0 throughout: no wait to estimate patience from"
    theta = total_abandoned / total_wait
    fitted = waits > 0
    expected = theta * waits[fitted]
    chi2 = float(np.sum((abandoned[fitted] - expected) ** 2 / expected))
    dispersion = chi2 / max(int(fitted.sum()) - 1, 1)
    low_theta = stats.chi2.ppf(0.025, 2 * total_abandoned) / (2 * total_wait)
    high_theta = stats.chi2.ppf(0.975, 2 * total_abandoned + 2) / (2 * total_wait)
    patience = Patience(1 / theta, float(1 / high_theta), float(1 / low_theta),
                        int(total_abandoned), total_wait, int(fitted.sum()), dispersion)
    return patience, ("exponential, abandoned ÷ total wait (Mandelbaum-Zeltyn); the wait of an "
                      "interval taken as ASA × (answered + abandoned)")


def _busyness(daily: pd.Series) -> Busyness:
    weighted, weights = 0.0, 0
    for _, group in daily.groupby(pd.DatetimeIndex(daily.index).day_of_week):
        n = len(group)
        mean = float(group.mean())
        if n < 2 or mean <= 0:
            continue
        weighted += (n - 1) * (float(group.var(ddof=1)) - mean) / mean**2
        weights += n - 1
    if not weights:
        return Busyness(0.0, 0.0, 0)
    squared = weighted / weights
    return Busyness(float(min(np.sqrt(max(squared, 0.0)), MAX_BUSYNESS_CV)), squared, weights)


def _agents(frame: pd.DataFrame, slot: pd.Series, first: int, slots: int
            ) -> dict[int, tuple[int, ...]] | None:
    if not frame["agents"].notna().any():
        return None
    means = frame["agents"].groupby([frame["start"].dt.day_of_week, slot]).mean()
    table: dict[int, tuple[int, ...]] = {}
    for weekday in sorted(set(frame["start"].dt.day_of_week)):
        row = [means.get((weekday, first + i), float("nan")) for i in range(slots)]
        table[int(weekday)] = tuple(0 if np.isnan(v) else int(np.floor(v + 0.5)) for v in row)
    return table


def _queue(frame: pd.DataFrame, queue: str, minutes: int, first: int, slots: int,
           weekdays: tuple[int, ...], kind: str) -> QueueEstimate:
    day = frame["start"].dt.normalize()
    slot = slots_of(frame, minutes)
    daily = frame.groupby(day)["offered"].sum()
    dates = pd.DatetimeIndex(daily.index)
    own = tuple(sorted({int(w) for w in dates.day_of_week}))
    by_weekday = daily.groupby(dates.day_of_week).mean()
    volume = float(by_weekday.mean())
    pattern = tuple(float(by_weekday.get(w, 0.0)) / volume if volume > 0 else 0.0
                    for w in range(7))
    counts = frame.groupby([frame["start"].dt.day_of_week, slot])["offered"].sum().unstack(
        fill_value=0).reindex(columns=range(first, first + slots), fill_value=0)
    profiles = {int(w): _shares(row) for w, row in counts.iterrows()}  # type: ignore[call-overload]
    patience, note = _patience(frame, kind)
    within = frame["answered_within"]
    reached = float((frame["answered"] + frame["abandoned"]).sum())
    service_level = (float(within.sum()) / reached if within.notna().any() and reached else None)
    return QueueEstimate(
        queue=queue, channel=channel_name(queue), kind=kind, dates=int(daily.size),
        first_date=dates.min(), last_date=dates.max(), weekdays=own,
        offered=int(daily.sum()), volume_per_day=volume, weekly_pattern=pattern,
        profiles=profiles, profile=_shares(counts.sum(axis=0)), shape=_shape(counts),
        handle=_handle(frame), patience=patience, patience_note=note,
        busyness=_busyness(daily), agents=_agents(frame, slot, first, slots),
        service_level=service_level,
        abandon_rate=float(frame["abandoned"].sum()) / max(float(frame["offered"].sum()), 1.0))


def estimated(history: History, kinds: Mapping[str, str] | None = None) -> Estimates:
    """The estimates of every queue of a cleaned history (see :func:`~simulator.history.
    cleaning.cleaned`); ``kinds`` gives a queue's channel kind (by queue or channel name)."""
    frame = history.frame
    if frame.empty:
        msg = "no intervals left to estimate from"
        raise ValueError(msg)
    minutes = history.interval_minutes
    slot = slots_of(frame, minutes)
    first, end = int(slot.min()), int(slot.max()) + 1
    weekdays = tuple(sorted({int(w) for w in frame["start"].dt.day_of_week}))
    queues = tuple(
        _queue(frame[frame["queue"] == q], q, minutes, first, end - first, weekdays,
               kind_of(q, kinds or {}))
        for q in history.queues)
    return Estimates(queues, minutes, first, end, weekdays, tuple(map(str, history.sources)),
                     history.threshold_seconds, history.dropped)
