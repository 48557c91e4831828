"""Interval exports read into a :class:`~simulator.history.table.History`.

This first reader takes CSVs whose headers are the table's own column names (or are mapped to
them by ``columns``: canonical name -> the export's header), one row per interval and queue.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from simulator.history.table import COLUMNS, REQUIRED, History, tidy
from simulator.spec.reading import MAX_CSV_BYTES, FileProblem, read_bounded


class ExportProblem(ValueError):
    """An export refused: the message names the file (and the row and column)."""


def read_exports(paths: Sequence[Path], columns: Mapping[str, str] | None = None) -> History:
    """Read and concatenate interval exports; every problem an :class:`ExportProblem`."""
    renames = {header: name for name, header in (columns or {}).items()}
    frames = []
    for path in paths:
        try:
            raw = read_bounded(path, MAX_CSV_BYTES, "an export")
        except FileProblem as exc:
            raise ExportProblem(f"{path}: {exc}") from None
        frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig").rename(columns=renames)
        missing = [c for c in REQUIRED if c not in frame]
        if missing:
            raise ExportProblem(f"{path}: no column for {', '.join(missing)}; columns read: "
                                f"{', '.join(map(str, frame.columns))}")
        unknown = [c for c in frame.columns if c not in COLUMNS]
        if unknown:
            raise ExportProblem(f"{path}: unknown column {unknown[0]!r}; known: "
                                f"{', '.join(COLUMNS)}")
        frames.append(frame)
    table = tidy(pd.concat(frames, ignore_index=True))
    steps = table["start"].drop_duplicates().sort_values().diff().dropna()
    minutes = int(steps.min().total_seconds() // 60) if len(steps) else 30
    return History(frame=table, interval_minutes=minutes, sources=tuple(paths))
