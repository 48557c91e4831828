"""A :class:`~simulator.history.table.History` written back as an export, in the table's own column
names, which :func:`~simulator.history.reading.read_exports` reads back as it was."""

from __future__ import annotations

import os
from pathlib import Path

from simulator.history.table import COLUMNS, History


def history_csv(history: History) -> str:
    """The history as CSV text: a header of :data:`COLUMNS`, a row per interval and queue, the
    start as ``YYYY-MM-DD HH:MM``, unknown values empty, means to the millisecond."""
    frame = history.frame[list(COLUMNS)].copy()
    frame["start"] = frame["start"].dt.strftime("%Y-%m-%d %H:%M")
    return frame.to_csv(index=False, float_format="%.3f", lineterminator="\n")


def write_history(history: History, path: Path, *, force: bool = False) -> None:
    """Write :func:`history_csv` to ``path`` whole (a temporary file beside it, then renamed),
    or nothing at all. An existing file is kept unless ``force`` (FileExistsError)."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; give force to replace it")
    text = history_csv(history)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("x", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
