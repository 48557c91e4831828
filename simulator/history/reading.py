"""Interval exports (ACD and CCaaS platforms) read into a
:class:`~simulator.history.table.History`.

An export has one row per interval (15, 30 or 60 minutes) and queue. Its headers are mapped to
the table's columns by :data:`HEADERS` (the names platforms commonly write, compared without
case, spaces or punctuation) or by ``columns`` (canonical name -> the export's header, from
``--column``). The reader is strict: every problem is an :class:`ExportProblem` naming the
file, the row as a spreadsheet shows it (the header is row 1) and the column. The rules are
listed in docs/import.md.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.history.table import COLUMNS, REQUIRED, History, tidy
from simulator.spec.reading import MAX_CSV_BYTES, FileProblem, read_bounded, shown_text, utf8_text

#: Rows one export may have (its header and blank rows count).
MAX_EXPORT_ROWS = 1_000_000
#: Interval lengths an export may have, in minutes.
INTERVAL_MINUTES = (15, 30, 60)
#: Mapped names that are not columns of the table: a date and a time of day in two columns,
#: a total handle time (seconds, turned into the mean per answered contact), and a column the
#: reader is told to leave out (``--column ignore="Max Delay"``).
EXTRA_NAMES = ("date", "time", "handle_total_seconds", "ignore")

#: The headers recognised without ``--column``: canonical name -> common export headers.
HEADERS: dict[str, tuple[str, ...]] = {
    "start": ("Interval", "Interval Start", "Interval Start Time", "Start", "Date Time",
              "Period Start"),
    "date": ("Date", "Interval Date", "Day"),
    "time": ("Time", "Interval Time", "Start Time", "Time Interval"),
    "queue": ("Queue", "Queue Name", "Skill", "Skill Name", "Split", "Split/Skill"),
    "offered": ("Offered", "Calls Offered", "Contacts Offered", "Offered Calls"),
    "answered": ("Answered", "Handled", "Calls Answered", "Calls Handled", "Contacts Handled",
                 "Contacts Answered", "ACD Calls"),
    "abandoned": ("Abandoned", "Abandons", "Calls Abandoned", "Contacts Abandoned",
                  "Aban Calls"),
    "handle_seconds": ("AHT", "Avg Handle Time", "Average Handle Time", "AHT Seconds"),
    "handle_total_seconds": ("Handle Time Total", "Total Handle Time", "Handle Time"),
    "answered_within": ("Answered Within SL", "Service Level Calls", "Answered Within Threshold",
                        "Answered Within"),
    "asa_seconds": ("ASA", "Avg Speed of Answer", "Average Speed of Answer"),
    "agents": ("Agents Staffed", "Logged In Agents", "Agents", "Staffed Agents",
               "Agents Logged In"),
    "short_abandons": ("Short Abandons", "Short Abandoned", "Short Abandon"),
}

_COUNTS = ("offered", "answered", "abandoned", "answered_within", "short_abandons")
_TIMES = ("handle_seconds", "handle_total_seconds", "asa_seconds")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p")
_RANGE = re.compile(r"^\s*(.+?)\s*-\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?\s*$")
_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_CLOCK = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d(?:\.\d*)?)$")


class ExportProblem(ValueError):
    """An export refused: the message names the file (and the row and column)."""


def normalised(header: str) -> str:
    """A header as the mapping compares it: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", header.lower())


_KNOWN = {normalised(h): name for name, headers in HEADERS.items() for h in (name, *headers)}
_KNOWN.update({normalised(name): name for name in COLUMNS})


def _where(path: Path, row: int, header: str, name: str) -> str:
    shown = repr(header) if normalised(header) == normalised(name) else f"{header!r} ({name})"
    return f"{path}: row {row:,}, column {shown}"


def _mapping(path: Path, headers: list[str], columns: Mapping[str, str],
             ignored: Sequence[str]) -> dict[str, str]:
    """export header -> canonical name, every header known (or ignored), no name twice."""
    given = {normalised(h): name for name, h in columns.items()}
    given.update({normalised(h): "ignore" for h in ignored})
    mapped: dict[str, str] = {}
    for position, header in enumerate(headers, start=1):
        key = normalised(header)
        name = given.get(key) or _KNOWN.get(key)
        if name is None:
            raise ExportProblem(
                f"{path}: row 1, column {position} {header!r}: unknown column; give its meaning "
                f"with --column NAME={shown_text(header)} (NAME one of "
                f"{', '.join([*COLUMNS, *EXTRA_NAMES])}), or --column ignore={shown_text(header)}")
        if name == "ignore":
            continue
        twice = [h for h, n in mapped.items() if n == name]
        if twice:
            raise ExportProblem(
                f"{path}: row 1, columns {twice[0]!r} and {header!r} both give {name}; map the "
                f"one to use with --column {name}=HEADER and the other with --column ignore=HEADER")
        mapped[header] = name
    names = set(mapped.values())
    if "start" not in names and "date" in names and "time" in names:
        names.add("start")
    if {"handle_seconds", "handle_total_seconds"} <= names:
        raise ExportProblem(f"{path}: row 1: both a mean and a total handle time; keep one with "
                            "--column ignore=HEADER")
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        hint = " (or date and time in two columns)" if "start" in missing else ""
        raise ExportProblem(
            f"{path}: row 1: no column for {', '.join(missing)}{hint}; columns read: "
            f"{', '.join(map(repr, headers))}; map one with --column NAME=HEADER")
    return mapped


def _read_frame(path: Path) -> pd.DataFrame:
    try:
        raw = read_bounded(path, MAX_CSV_BYTES, "an export")
        text = utf8_text(path, raw)
    except FileProblem as exc:
        message = str(exc)
        raise ExportProblem(message if message.startswith(str(path)) else f"{path}: {message}"
                            ) from None
    if text.count("\n") > MAX_EXPORT_ROWS:
        raise ExportProblem(f"{path}: more than {MAX_EXPORT_ROWS:,} rows; an export may have at "
                            f"most {MAX_EXPORT_ROWS:,} (split it into several files)")
    if not text.strip():
        raise ExportProblem(f"{path}: empty file; an export needs a header row and data rows")
    header = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=header.count)  # a spreadsheet's CSV may use ; or tabs
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skip_blank_lines=False, sep=sep)
    except (pd.errors.ParserError, ValueError) as exc:
        fields = _FIELDS.search(str(exc))
        if fields:
            expected, line, saw = fields.groups()
            raise ExportProblem(f"{path}: row {int(line):,}: {saw} values where the header has "
                                f"{expected} columns") from None
        raise ExportProblem(f"{path}: not readable as CSV: {exc}") from None
    frame.attrs["decimal_comma"] = sep != ","  # 290,5 where the separator leaves commas free
    blank = (frame == "").all(axis=1)
    return frame[~blank]


_STAMPS = [f"{d} {t}" for d in _DATE_FORMATS for t in _TIME_FORMATS]
_STAMPS += [f"{d}T{t}" for d in _DATE_FORMATS[:1] for t in _TIME_FORMATS[:2]]


def _parsed(text: pd.Series) -> tuple[list[tuple[str, pd.Series]], pd.Series]:
    """The formats of :data:`_STAMPS` that read every value, and the reading of the best one."""
    best: pd.Series | None = None
    complete: list[tuple[str, pd.Series]] = []
    for form in _STAMPS:
        parsed = pd.to_datetime(text, format=form, errors="coerce")
        if parsed.notna().all():
            complete.append((form, parsed))
        if best is None or parsed.notna().sum() > best.notna().sum():
            best = parsed
    assert best is not None
    return complete, best


def _start_times(path: Path, frame: pd.DataFrame, where: dict[str, str]) -> pd.Series:
    """Interval starts from one column (date and time), or from a date and a time column (a
    start column holding only the time of day, or a range such as 08:00-08:30, is the time)."""
    complete: list[tuple[str, pd.Series]] = []
    if "start" in where:
        header = where["start"]
        text = frame[header].str.strip().str.replace(_RANGE, r"\1", regex=True)
        complete, best = _parsed(text)
    if not complete and "date" in where:
        clock = where.get("time", where.get("start", ""))
        header = f"{where['date']} + {clock}"
        times = frame[clock].str.strip().str.replace(_RANGE, r"\1", regex=True)
        text = frame[where["date"]].str.strip() + " " + times
        complete, best = _parsed(text)
    if complete:
        day_first = [p for f, p in complete if f.startswith("%d/")]
        month_first = [p for f, p in complete if f.startswith("%m/")]
        if day_first and month_first and not day_first[0].equals(month_first[0]):
            raise ExportProblem(
                f"{path}: column {header!r}: the dates read both day first and month first "
                f"(e.g. {text.iloc[0]!r}); write them as YYYY-MM-DD")
        return complete[0][1]
    bad = int(np.flatnonzero(best.isna().to_numpy())[0])
    raise ExportProblem(
        f"{_where(path, int(frame.index[bad]) + 2, header, 'start')}: "
        f"{shown_text(text.iloc[bad])} is not a date and time; allowed: 2026-03-02 08:30 (or "
        "2026-03-02T08:30:00, 03/02/2026 8:30 AM, 02.03.2026 08:30, a date and a time in two "
        "columns)")


def _seconds(value: str) -> float:
    """A time in seconds (``312.5``) or as h:mm:ss / mm:ss; NaN if empty; ValueError if neither."""
    value = value.strip()
    if not value:
        return float("nan")
    try:
        return float(value)
    except ValueError:
        pass
    match = _CLOCK.match(value)
    if match is None:
        raise ValueError(value)
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


def _numbers(path: Path, frame: pd.DataFrame, header: str, name: str) -> pd.Series:
    """A column's values as numbers, every bad one refused with its row."""
    texts = frame[header].str.strip()
    if frame.attrs.get("decimal_comma"):
        texts = texts.str.replace(",", ".", regex=False)
    rows = frame.index.to_numpy() + 2
    if name in _TIMES:
        values = np.empty(len(texts))
        for i, text in enumerate(texts):
            try:
                values[i] = _seconds(text)
            except ValueError:
                raise ExportProblem(f"{_where(path, int(rows[i]), header, name)}: "
                                    f"{shown_text(text)} is not a time; allowed: seconds (312 "
                                    "or 312.5) or h:mm:ss (0:05:12)") from None
        series = pd.Series(values, index=frame.index)
    else:
        series = pd.to_numeric(texts.where(texts != "", None), errors="coerce")
        bad = series.isna() & (texts != "")
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ExportProblem(f"{_where(path, int(rows[i]), header, name)}: "
                                f"{shown_text(texts.iloc[i])} is not a number")
    finite = series.dropna()
    problem = ("is negative; counts and times are 0 or more" if (finite < 0).any() else "")
    if not problem and not np.isfinite(finite).all():
        problem = "is not a finite number"
    if not problem and name in _COUNTS and (finite != np.floor(finite)).any():
        problem = "is not a whole number; a count is a whole number of contacts"
    if problem:
        bad_mask = series.notna() & ((series < 0) | ~np.isfinite(series) |
                                     ((series != np.floor(series)) & (name in _COUNTS)))
        i = int(np.flatnonzero(bad_mask.to_numpy())[0])
        raise ExportProblem(f"{_where(path, int(rows[i]), header, name)}: "
                            f"{shown_text(texts.iloc[i])} {problem}")
    if name in REQUIRED and series.isna().any():
        i = int(np.flatnonzero(series.isna().to_numpy())[0])
        raise ExportProblem(f"{_where(path, int(rows[i]), header, name)}: empty; every row "
                            f"needs its {name}")
    return series


def _read_one(path: Path, columns: Mapping[str, str], ignored: Sequence[str]) -> pd.DataFrame:
    """One export as the table's columns plus ``row`` (its spreadsheet row) and
    ``start_column`` (the header(s) of the start)."""
    frame = _read_frame(path)
    headers = [str(h) for h in frame.columns]
    if any(h.startswith("Unnamed: ") for h in headers):
        position = next(i for i, h in enumerate(headers, start=1) if h.startswith("Unnamed: "))
        raise ExportProblem(f"{path}: row 1, column {position}: no header; every column needs "
                            "one (or a row has more values than the header)")
    mapped = _mapping(path, headers, columns, ignored)
    where = {name: header for header, name in mapped.items()}
    out = pd.DataFrame(index=frame.index)
    out["start"] = _start_times(path, frame, where)
    queue = frame[where["queue"]].str.strip()
    if (queue == "").any():
        i = int(np.flatnonzero((queue == "").to_numpy())[0])
        raise ExportProblem(f"{_where(path, int(frame.index[i]) + 2, where['queue'], 'queue')}: "
                            "empty; every row needs its queue")
    out["queue"] = queue
    for name, header in where.items():
        if name in (*_COUNTS, *_TIMES, "agents"):
            out[name] = _numbers(path, frame, header, name)
    if "handle_total_seconds" in out:
        answered = out["answered"].where(out["answered"] > 0)
        out["handle_seconds"] = out.pop("handle_total_seconds") / answered
    out["row"] = frame.index.to_numpy() + 2
    out["start_column"] = (where["start"] if "date" not in where
                           else f"{where['date']} + {where.get('time', where.get('start'))}")
    _check_counts(path, out, where)
    return out


def _check_counts(path: Path, out: pd.DataFrame, where: dict[str, str]) -> None:
    rules = [("answered", out["answered"] > out["offered"], "more answered than offered"),
             ("abandoned", out["answered"] + out["abandoned"] > out["offered"],
              "answered + abandoned is more than offered")]
    if "answered_within" in out:
        rules.append(("answered_within", out["answered_within"] > out["answered"],
                      "more answered within the threshold than answered"))
    if "short_abandons" in out:
        rules.append(("short_abandons", out["short_abandons"] > out["abandoned"],
                      "more short abandons than abandoned"))
    for name, bad, what in rules:
        if bad.any():
            i = int(np.flatnonzero(bad.fillna(False).to_numpy(dtype=bool))[0])
            row = out.iloc[i]
            counts = ", ".join(f"{c} {int(row[c])}" for c in
                               dict.fromkeys(("offered", "answered", "abandoned", name)))
            raise ExportProblem(f"{_where(path, int(row['row']), where[name], name)}: {what} "
                                f"({counts})")


def _at(row: pd.Series) -> str:
    """Where a row of the concatenated exports is: its file, row and start column."""
    return f"{row['file']}: row {int(row['row']):,}, column {row['start_column']!r}"


def _interval_minutes(table: pd.DataFrame) -> int:
    """The one interval length of every file and queue; every gap inside a day refused.

    The length is the shortest gap between two intervals of a queue on a day; a queue whose
    gaps are all one longer length (at least two of them), or not a multiple of it, has
    intervals of another length; a longer gap otherwise is intervals missing."""
    table = table.sort_values(["file", "queue", "start"], kind="stable")
    day = table["start"].dt.normalize()
    same = (table["file"] == table["file"].shift()) & (table["queue"] == table["queue"].shift()) \
        & (day == day.shift())
    gap = (table["start"] - table["start"].shift()).dt.total_seconds() / 60
    gaps = table.assign(gap=gap.where(same))
    per_group = gaps.groupby(["file", "queue"], sort=False)["gap"].min().dropna()
    if per_group.empty:
        raise ExportProblem(f"{table['file'].iloc[0]}: cannot tell the interval length: no queue "
                            "has two intervals on one day")
    minutes = int(per_group.min())
    grouped = gaps.groupby(["file", "queue"], sort=False)["gap"]
    steady = grouped.nunique() == 1  # every gap of the queue alike: its own grid
    several = grouped.count() >= 2
    odd = per_group[(per_group != minutes) & ((per_group % minutes > 0) | (steady & several))]
    if minutes not in INTERVAL_MINUTES or not odd.empty:
        if minutes in INTERVAL_MINUTES:
            file, queue = odd.index[0]
            other = gaps[(gaps["file"] == file) & (gaps["queue"] == queue)]
            row = other.loc[other["gap"] == odd.iloc[0]].iloc[0]
            raise ExportProblem(
                f"{_at(row)}: mixed interval lengths: queue "
                f"{queue!r} has {int(odd.iloc[0])}-minute intervals, others {minutes}-minute; "
                "import one length at a time")
        row = gaps.loc[gaps["gap"] == minutes].iloc[0]
        raise ExportProblem(f"{_at(row)}: intervals of "
                            f"{minutes} minutes; allowed: 15, 30 or 60")
    off = (table["start"].dt.hour * 60 + table["start"].dt.minute) % minutes > 0
    off |= table["start"].dt.second > 0
    if off.any():
        row = table[off].iloc[0]
        raise ExportProblem(
            f"{_at(row)}: {row['start']:%H:%M:%S} is "
            f"off the {minutes}-minute grid (intervals start at whole multiples of {minutes} "
            "minutes from midnight)")
    bad = gaps[gaps["gap"] % minutes > 0]
    if not bad.empty:
        row = bad.iloc[0]
        raise ExportProblem(f"{_at(row)}: mixed "
                            f"interval lengths: {int(row['gap'])} minutes after the previous "
                            f"interval of queue {row['queue']!r}; intervals are {minutes} minutes")
    holes = gaps[gaps["gap"] > minutes]
    if not holes.empty:
        row = holes.iloc[0]
        first = row["start"] - pd.Timedelta(minutes=row["gap"] - minutes)
        raise ExportProblem(
            f"{_at(row)}: missing intervals inside a "
            f"day: queue {row['queue']!r} has no row for {first:%Y-%m-%d %H:%M} to "
            f"{row['start']:%H:%M} (an export gives every interval of the open day, 0 where "
            "nothing was offered)")
    return minutes


def read_exports(paths: Sequence[Path], columns: Mapping[str, str] | None = None,
                 threshold_seconds: float | None = None, *,
                 ignored: Sequence[str] = ()) -> History:
    """Read and concatenate interval exports; every problem an :class:`ExportProblem`.

    ``columns`` maps canonical names (those of :data:`~simulator.history.table.COLUMNS` and
    :data:`EXTRA_NAMES`) to an export's headers, over the default :data:`HEADERS`;
    ``threshold_seconds`` is the service-level threshold of ``answered_within``; ``ignored``:
    headers left out (``--column ignore=HEADER``)."""
    columns = dict(columns or {})
    unknown = [name for name in columns if name not in (*COLUMNS, *EXTRA_NAMES[:-1])]
    if unknown:
        raise ExportProblem(f"--column {unknown[0]}=...: unknown name {unknown[0]!r}; allowed: "
                            f"{', '.join([*COLUMNS, *EXTRA_NAMES])}")
    if not paths:
        raise ExportProblem("no export given")
    frames = []
    for path in paths:
        one = _read_one(path, columns, ignored)
        if one.empty:
            raise ExportProblem(f"{path}: no data rows; an export needs at least one interval")
        frames.append(one.assign(file=str(path)))
    table = pd.concat(frames, ignore_index=True)
    twice = table.duplicated(["start", "queue"], keep=False)
    if twice.any():
        rows = table[twice].sort_values(["start", "queue"], kind="stable")
        first, second = rows.iloc[0], rows.iloc[1]
        raise ExportProblem(
            f"{_at(second)}: "
            f"queue {second['queue']!r} at {second['start']:%Y-%m-%d %H:%M} twice: also "
            f"{first['file']} row {int(first['row']):,}; each interval and queue once")
    minutes = _interval_minutes(table)
    return History(frame=tidy(table), interval_minutes=minutes, sources=tuple(paths),
                   threshold_seconds=threshold_seconds)
