"""The history of a centre as one tidy table: a row per interval and queue.

Every export, whatever its platform called the columns, is read into this one shape
(:mod:`simulator.history.reading`); import, calibration and backtest read only this.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: The columns of :attr:`History.frame`, in order, with what each holds.
COLUMNS: dict[str, str] = {
    "start": "interval start, date and time (local, no time zone)",
    "queue": "queue or skill, as the export names it",
    "offered": "contacts offered in the interval",
    "answered": "contacts answered",
    "abandoned": "contacts abandoned while waiting",
    "handle_seconds": "mean handle time of the answered contacts (seconds); empty where none",
    "answered_within": "contacts answered within the service-level threshold; empty if unknown",
    "asa_seconds": "mean wait of the answered contacts (seconds); empty if unknown",
    "agents": "agents staffed or logged in (mean over the interval); empty if unknown",
    "short_abandons": "abandons within the short-abandon threshold; empty if unknown",
}
#: Columns every export must give (after mapping).
REQUIRED: tuple[str, ...] = ("start", "queue", "offered", "answered", "abandoned")
#: Whole-number columns that may be unknown (pandas' nullable integers).
OPTIONAL_COUNTS: tuple[str, ...] = ("answered_within", "short_abandons")
#: Real-valued columns that may be unknown (NaN).
OPTIONAL_REALS: tuple[str, ...] = ("handle_seconds", "asa_seconds", "agents")


@dataclass(frozen=True)
class Dropped:
    """Rows left out of the history, and the rule that left them out."""

    what: str  # e.g. "2026-03-08 (Sunday), queue 'sales'"
    rows: int
    rule: str  # e.g. "partial day: 12 of 26 intervals"


@dataclass(frozen=True)
class History:
    """Interval rows of one or more exports, checked, sorted by start then queue."""

    frame: pd.DataFrame  # the columns of COLUMNS, in that order
    interval_minutes: int
    sources: tuple[Path, ...]
    threshold_seconds: float | None = None  # the service-level threshold of answered_within
    dropped: tuple[Dropped, ...] = ()

    @property
    def queues(self) -> tuple[str, ...]:
        return tuple(sorted(self.frame["queue"].unique()))

    @property
    def dates(self) -> tuple[pd.Timestamp, ...]:
        return tuple(sorted(self.frame["start"].dt.normalize().unique()))

    def known(self, column: str) -> bool:
        """Does the export give ``column`` (somewhere)?"""
        return bool(self.frame[column].notna().any())


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with at least :data:`REQUIRED`) in the table's column order and types, the
    unknown optional columns filled as empty."""
    out = pd.DataFrame({
        "start": pd.to_datetime(frame["start"]),
        "queue": frame["queue"].astype(str),
        **{c: frame[c].astype("int64") for c in ("offered", "answered", "abandoned")},
    })
    for c in OPTIONAL_REALS:
        out[c] = frame[c].astype("float64") if c in frame else float("nan")
    for c in OPTIONAL_COUNTS:
        out[c] = frame[c].astype("Int64") if c in frame else pd.array([pd.NA] * len(frame),
                                                                         dtype="Int64")
    out = out[list(COLUMNS)]
    return out.sort_values(["start", "queue"], kind="stable").reset_index(drop=True)


_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9_\-]+")


def channel_name(queue: str) -> str:
    """The scenario name of an export's queue: the channel, contact type and (with ``_agents``)
    agent group that ``ccsim import`` makes of it and ``ccsim backtest`` looks up. Runs of
    characters a name cannot hold become ``_``; a name must start with a letter (``q_`` else);
    at most 48 characters, so that ``<name>_agents`` fits a name's 64."""
    name = _NOT_IN_NAME.sub("_", queue.strip()).strip("_").lower() or "queue"
    if not name[0].isalpha():
        name = f"q_{name}"
    return name[:48]


def queue_channels(queues: Sequence[str], channels: Sequence[str]) -> dict[str, str]:
    """Each history queue's channel of a scenario (by :func:`channel_name`); ValueError naming
    the queue for one the scenario has no channel for, or two queues that are one channel."""
    matched: dict[str, str] = {}
    for queue in queues:
        name = channel_name(queue)
        if name not in channels:
            raise ValueError(f"history queue {queue!r}: the scenario has no channel {name!r} (the "
                             f"name a queue is matched by); its channels: "
                             f"{', '.join(sorted(channels))}")
        other = next((q for q, c in matched.items() if c == name), None)
        if other is not None:
            raise ValueError(f"history queues {other!r} and {queue!r} are both channel {name!r}; "
                             "give them names that differ")
        matched[queue] = name
    return matched

