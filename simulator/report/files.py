"""Results as files: stable JSON (of a result's document), tidy CSV (read from the typed
results), and writing a file whole or not at all."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from simulator.results.estimate import Document, Estimate
from simulator.results.run import RunResult
from simulator.results.shifts import ARRAYS, ShiftPlan
from simulator.results.studies import (
    BridgeResult,
    ComparisonResult,
    SensitivityResult,
    SweepAxis,
    SweepRow,
)

_KEYS = ("mean", "ci_low", "ci_high")


def to_json(document: Document) -> str:
    """Stable JSON: NaN becomes null, key order as built, one trailing newline."""
    return json.dumps(_clean(document), indent=2, allow_nan=False) + "\n"


def _clean(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _clean(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    if isinstance(node, float) and not math.isfinite(node):
        return None
    return node


def _stat(stat: Estimate) -> list[str]:
    return [_csv_number(stat.mean), _csv_number(stat.ci_low), _csv_number(stat.ci_high)]


def to_csv(result: RunResult) -> str:
    """One row per statistic: ``metric,mean,ci_low,ci_high``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["metric", *_KEYS])
    for path, stat in result.estimates():
        writer.writerow([path, *_stat(stat)])
    for check in result.guardrails:
        writer.writerow([f"targets.{check.key}.met", int(check.met), "", ""])
    spread = result.uncertainty
    if spread is not None:  # the range over samples: one row per percentile
        low, high = spread.percentiles
        for key in ("cost_per_contact", "period_total"):
            band = getattr(spread, key)
            for label, value in ((f"p{low:g}", band.low), ("p50", band.median),
                                 (f"p{high:g}", band.high)):
                writer.writerow([f"uncertainty.{key}.{label}", _csv_number(value), "", ""])
    return buffer.getvalue()


def _csv_number(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return repr(float(value))


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a file (text as UTF-8, or bytes) whole or not at all: a temporary file renamed
    into place."""
    write_all({path: lambda: content})


#: why a file could not be written, in a planner's words, by ``errno``
_CAUSES = {errno.ENOSPC: "disk full", errno.EDQUOT: "disk quota exceeded",
           errno.EACCES: "permission denied", errno.EPERM: "permission denied",
           errno.EROFS: "read-only file system", errno.ENOTDIR: "a folder on the way is a file",
           errno.EISDIR: "it is a folder", errno.ENAMETOOLONG: "the name is too long",
           errno.EIO: "input/output error"}


class OutputError(OSError):
    """A file that could not be written: ``path`` (the file meant) and ``cause`` (in words)."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(error.errno, cause_of(error), str(path))
        self.path = path
        self.cause = cause_of(error)


def cause_of(exc: OSError) -> str:
    """An operating-system error in a planner's words (``disk full``, ``permission denied``)."""
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return exc.strerror or str(exc)


def write_all(files: Mapping[Path, Callable[[], str | bytes] | None]) -> list[Path]:
    """Write every file whole, or none of them; the paths written.

    Each file's content (text as UTF-8, or bytes) goes first into a hidden temporary folder in
    its target's folder (so on the same disk); only when every file is complete are they
    renamed into place, which needs no space. A path mapped to None is removed instead (a file
    of an earlier set that the new one does not have). Folders missing on the way are created,
    and removed again if writing fails.

    Raises
    ------
    OutputError
        When a file cannot be written (disk full, permission denied, ...): every temporary file
        and every folder created is gone, and the targets are as they were.
    """
    created: list[Path] = []
    staging: dict[Path, Path] = {}  # target folder -> its temporary folder
    staged: list[tuple[Path, Path]] = []  # (temporary file, target)
    umask = os.umask(0)
    os.umask(umask)
    current = next(iter(files), Path("."))
    done = False
    try:
        for path, content in files.items():
            current = path
            if content is None:
                continue
            folder = path.parent
            if folder not in staging:
                created += _make_folders(folder)
                staging[folder] = Path(tempfile.mkdtemp(prefix=".ccsim-", dir=folder))
            tmp = staging[folder] / path.name
            _write_bytes(tmp, content())
            os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file (mkdtemp makes it private)
            staged.append((tmp, path))
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
        for path, content in files.items():
            if content is None:
                current = path
                path.unlink(missing_ok=True)
        done = True
    except OSError as exc:
        raise OutputError(current, exc) from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for folder in staging.values():
            shutil.rmtree(folder, ignore_errors=True)
        if not done:
            for folder in reversed(created):
                with contextlib.suppress(OSError):
                    folder.rmdir()
    return [path for path, content in files.items() if content is not None]


def _write_bytes(path: Path, content: str | bytes) -> None:
    with path.open("wb") as handle:
        handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and any missing folder above it; those created, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    for each in missing:
        each.mkdir()
    return missing


def comparison_csv(comparison: ComparisonResult) -> str:
    """One row per scenario and statistic: value and paired difference with its interval."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scenario", "metric", "mean", "difference", "difference_ci_low",
                     "difference_ci_high"])
    base = comparison.baseline
    for path, stat in base.sections.estimates():
        writer.writerow([base.scenario, path, _csv_number(stat.mean), "", "", ""])
    for row in comparison.scenarios:
        values = dict(row.result.sections.estimates())
        for path, stat in row.difference.estimates():
            value = values.get(path)
            writer.writerow([row.scenario, path, _csv_number(value.mean if value else None),
                             *_stat(stat)])
        writer.writerow([row.scenario, "guardrails_broken", ";".join(row.guardrails_broken),
                         "", "", ""])
    return buffer.getvalue()


def sensitivity_csv(study: SensitivityResult) -> str:
    """One row per input: range, cost per contact at each end, changes and swing."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    stats = ("at_low", "at_high", "change_low", "change_high", "swing")
    writer.writerow(["rank", "input", "kind", "keys", "low", "high",
                     *(f"{s}_{k}" for s in stats for k in _KEYS),
                     "guardrails_broken_low", "guardrails_broken_high"])
    for rank, row in enumerate(study.inputs, 1):
        item = row.input
        writer.writerow([rank, item.name, item.kind, ";".join(item.keys),
                         _csv_number(item.low), _csv_number(item.high),
                         *(cell for s in stats for cell in _stat(getattr(row, s))),
                         ";".join(row.guardrails_broken_low),
                         ";".join(row.guardrails_broken_high)])
    return buffer.getvalue()


def bridge_csv(bridge: BridgeResult) -> str:
    """One row per step (baseline, each lever, all together, the overlap)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["step", "file", *(f"change_{k}" for k in _KEYS),
                     *(f"cost_per_contact_{k}" for k in _KEYS), *(f"alone_{k}" for k in _KEYS),
                     "guardrails_broken"])
    empty = ["", "", ""]
    base = bridge.baseline
    writer.writerow([base.scenario, base.file, *empty, *_stat(bridge.start), *empty,
                     ";".join(base.broken())])
    for step in bridge.steps:
        writer.writerow([step.lever, step.file, *_stat(step.change), *_stat(step.cost_per_contact),
                         *_stat(step.alone), ";".join(step.guardrails_broken)])
    writer.writerow(["every lever together", "", *_stat(bridge.total_change), *_stat(bridge.end),
                     *_stat(bridge.sum_alone), ""])
    writer.writerow(["overlap", "", *_stat(bridge.overlap), *empty, *empty, ""])
    return buffer.getvalue()


def sweep_csv(rows: Sequence[SweepRow], axes: Sequence[SweepAxis]) -> str:
    """``sweep.csv``: one row per point, the keys swept then each statistic's mean and interval."""
    stats = [key for key, _ in rows[0].statistics()] if rows else []
    header = [a.key for a in axes]
    for k in stats:
        header += [f"{k}.mean", f"{k}.ci_low", f"{k}.ci_high"]
    lines = [",".join([*header, "guardrails_broken"])]
    for row in rows:
        cells = [str(row.point[a.key]).replace(",", ";") for a in axes]
        figures = dict(row.statistics())
        for k in stats:
            stat = figures.get(k)
            cells += ["", "", ""] if stat is None else [
                "" if x is None else repr(float(x)) for x in (stat.mean, stat.ci_low, stat.ci_high)]
        cells.append(";".join(row.guardrails_broken))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- shift plan
def shift_plan_csv(plan: ShiftPlan) -> str:
    """``shift_plan.csv``: one row per planned shift (its days joined by ``;``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["template", "length_hours", "start", "end", "days", "agents",
                     "paid_hours_per_week", "cost_per_week"])
    for s in plan.shifts:
        writer.writerow([s.template, _csv_number(s.length_hours), s.start, s.end, ";".join(s.days),
                         s.agents, _csv_number(s.paid_hours_per_week), _csv_number(s.cost_per_week)])
    return buffer.getvalue()


def coverage_csv(plan: ShiftPlan) -> str:
    """``coverage.csv``, tidy: one row per open day and interval (its start, ``08:30``) with the
    agents required, rostered (coverage), above and short of the requirement."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["day", "interval", "requirement", "coverage", "over", "under"])
    for d, day in enumerate(plan.weekdays):
        for i, start in enumerate(plan.intervals):
            writer.writerow([day, start, *(int(getattr(plan, name)[d, i]) for name in ARRAYS)])
    return buffer.getvalue()


def write_shift_plan(folder: Path, plan: ShiftPlan) -> list[Path]:
    """``shift_plan.csv``, ``coverage.csv`` and ``shift_plan.json`` in ``folder``, written
    whole or not at all (see :func:`write_all`); the paths written."""
    return write_all({folder / "shift_plan.csv": lambda: shift_plan_csv(plan),
                      folder / "coverage.csv": lambda: coverage_csv(plan),
                      folder / "shift_plan.json": lambda: to_json(plan.to_document())})
