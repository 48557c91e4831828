"""The stated rules that leave days and intervals out of a history before anything is estimated
from it, each reported as a :class:`~simulator.history.table.Dropped` entry.

Per queue, in this order (docs/import.md gives the reasons):

1. **Closed weekdays.** A weekday is open when at least half of its dates from the queue's
   first date to its last had a contact; the dates of a closed weekday are left out (whatever
   came in on them).
2. **Outside the usual opening hours.** Per open weekday, an interval of the day is *usual*
   when at least half of that weekday's dates with contacts had a contact in it, or it had at
   least half a contact a date on average (a quiet first interval of the day); the weekday's
   opening hours run from its first usual interval to the end of its last. Rows outside are
   left out.
3. **Partial days.** A date with fewer rows inside its weekday's opening hours than the hours
   hold (an export that starts or ends mid-day, an outage) is left out.
4. **Holidays and outliers.** A date whose offered volume is below :data:`LOW_SHARE` or above
   :data:`HIGH_SHARE` of the median of the same weekday's dates is left out, where that weekday
   has at least :data:`MIN_DATES_FOR_MEDIAN` dates (the median is not moved by the outliers
   themselves; the bounds are far outside the day-to-day variation of a usual centre).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from simulator.history.table import Dropped, History
from simulator.spec.base import clock

#: A day below this share of its weekday's median volume is a holiday or an outage.
LOW_SHARE = 0.5
#: A day above this share of its weekday's median volume is an outlier (an incident, a mailing).
HIGH_SHARE = 2.0
#: The median rule needs this many dates of the weekday.
MIN_DATES_FOR_MEDIAN = 3
#: Share of a weekday's dates (or of its dates with contacts) that makes it open (an interval usual).
USUAL_SHARE = 0.5

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def slots_of(frame: pd.DataFrame, interval_minutes: int) -> pd.Series:
    """The interval of the day of each row: 0 for the one starting at midnight."""
    start = frame["start"]
    slots: pd.Series = ((start.dt.hour * 60 + start.dt.minute) // interval_minutes).astype("int64")
    return slots


def spans_of(frame: pd.DataFrame, interval_minutes: int) -> dict[int, tuple[int, int]]:
    """Per weekday (0 = Monday) of one queue's rows: its opening hours as (first interval, one
    past the last), from the usual intervals (rule 2)."""
    slots = slots_of(frame, interval_minutes)
    day = frame["start"].dt.normalize()
    spans: dict[int, tuple[int, int]] = {}
    busy = frame["offered"] > 0
    for weekday in range(7):
        on = (frame["start"].dt.day_of_week == weekday) & busy
        dates = day[on].nunique()
        if not dates:
            continue
        share = slots[on].groupby(slots[on]).size() / dates
        mean = frame.loc[on, "offered"].groupby(slots[on]).sum() / dates
        usual = share.index[(share >= USUAL_SHARE) | (mean >= USUAL_SHARE)]
        if len(usual):
            spans[weekday] = (int(usual.min()), int(usual.max()) + 1)
    return spans


def _by_date(series: pd.Series) -> dict[pd.Timestamp, float]:
    return {pd.Timestamp(d): float(v) for d, v in series.items()}  # type: ignore[arg-type]


def _hours(span: tuple[int, int], interval_minutes: int) -> str:
    return f"{clock(span[0] * interval_minutes * 60)}-{clock(span[1] * interval_minutes * 60)}"


def _queue_cleaned(frame: pd.DataFrame, queue: str, minutes: int,
                   low: float, high: float) -> tuple[pd.DataFrame, list[Dropped]]:
    dropped: list[Dropped] = []
    day = frame["start"].dt.normalize()
    weekday = frame["start"].dt.day_of_week
    totals = _by_date(frame.groupby(day)["offered"].sum())
    calendar = pd.date_range(min(totals), max(totals), freq="D").day_of_week
    closed = [w for w in range(7)
              if sum(t > 0 for d, t in totals.items() if d.day_of_week == w)
              < USUAL_SHARE * int(np.sum(calendar == w))
              and any(d.day_of_week == w for d in totals)]
    for w in closed:
        out = weekday == w
        contacts = int(frame.loc[out, "offered"].sum())
        dates = day[out].nunique()
        dropped.append(Dropped(
            what=f"queue {queue!r}: {dates} {DAY_NAMES[w]}(s)", rows=int(out.sum()),
            rule=f"closed weekday: contacts on fewer than half of its dates from the first to "
                 f"the last ({contacts:,} contacts left out)"))
    frame = frame[~weekday.isin(closed)]
    spans = spans_of(frame, minutes)
    slots = slots_of(frame, minutes)
    weekday = frame["start"].dt.day_of_week
    first = weekday.map(lambda w: spans.get(w, (0, 0))[0])
    end = weekday.map(lambda w: spans.get(w, (0, 0))[1])
    inside = (slots >= first) & (slots < end)
    if (~inside).any():
        hours = "; ".join(f"{DAY_NAMES[w][:3]} {_hours(s, minutes)}" for w, s in sorted(spans.items()))
        dropped.append(Dropped(
            what=f"queue {queue!r}: {int((~inside).sum()):,} interval(s) on "
                 f"{frame.loc[~inside, 'start'].dt.normalize().nunique()} date(s)",
            rows=int((~inside).sum()),
            rule=f"outside the usual opening hours ({hours}): "
                 f"{int(frame.loc[~inside, 'offered'].sum()):,} contacts left out"))
    frame = frame[inside]
    day = frame["start"].dt.normalize()
    counts = _by_date(frame.groupby(day).size())
    totals = _by_date(frame.groupby(day)["offered"].sum())
    keep = dict.fromkeys(counts, True)
    for date, count in counts.items():
        w = date.day_of_week
        length = spans[w][1] - spans[w][0]
        if count < length:
            keep[date] = False
            dropped.append(Dropped(
                what=f"{date:%Y-%m-%d} ({DAY_NAMES[w]}), queue {queue!r}", rows=int(count),
                rule=f"partial day: {count:.0f} of the {length} intervals of a usual "
                     f"{DAY_NAMES[w]} ({_hours(spans[w], minutes)})"))
    for w in range(7):
        group = {d: total for d, total in totals.items() if keep[d] and d.day_of_week == w}
        if len(group) < MIN_DATES_FOR_MEDIAN:
            continue
        median = float(np.median(list(group.values())))
        for date, total in group.items():
            share = total / median if median > 0 else 1.0
            if share < low or share > high:
                keep[date] = False
                dropped.append(Dropped(
                    what=f"{date:%Y-%m-%d} ({DAY_NAMES[w]}), queue {queue!r}",
                    rows=int(counts[date]),
                    rule=f"{'holiday or outage' if share < low else 'outlier'}: {total:,.0f} "
                         f"contacts, {share:.0%} of the median {DAY_NAMES[w]} "
                         f"({median:,.0f}); kept: {low:.0%} to {high:.0%}"))
    kept = np.array([keep[pd.Timestamp(d)] for d in day], dtype=bool)
    return frame[kept], dropped


def cleaned(history: History, *, low_share: float = LOW_SHARE,
            high_share: float = HIGH_SHARE) -> History:
    """The history without what the rules above leave out, with a :class:`Dropped` entry for
    each; a queue left with nothing is left out whole (and said so)."""
    kept: list[pd.DataFrame] = []
    dropped = list(history.dropped)
    for queue in history.queues:
        rows = history.frame[history.frame["queue"] == queue]
        frame, gone = _queue_cleaned(rows, queue, history.interval_minutes, low_share,
                                     high_share)
        dropped += gone
        if frame.empty:
            dropped.append(Dropped(what=f"queue {queue!r}", rows=0,
                                   rule="nothing left after the rules above"))
            continue
        kept.append(frame)
    frame = (pd.concat(kept).sort_values(["start", "queue"], kind="stable").reset_index(drop=True)
             if kept else history.frame.iloc[0:0])
    return replace(history, frame=frame, dropped=tuple(dropped))

