"""A grid of scenarios over one or more keys (SPEC §6: ``ccsim sweep``), resumable.

``--set KEY=V1,V2,...`` gives the values of a key; several ``--set`` make a grid (every
combination). Each grid point is a scenario with those overrides, run on the file's seed (so
points differ only by the keys swept: common random numbers across the grid). With an output
folder every finished point is written there whole (``points/<id>.json``) before the next
starts, and a restarted sweep loads finished points instead of running them again.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from pathlib import Path

from simulator.results.estimate import Document
from simulator.results.run import RunResult
from simulator.results.studies import SweepAxis, SweepResult, SweepRow
from simulator.spec.layers import LoadedScenario, Overrides, load_all

#: one swept key and its values (as written on the command line)
Axis = SweepAxis


def split_values(text: str) -> list[str]:
    """Split ``V1,V2,...`` on commas outside brackets, braces and quotes."""
    parts, depth, quote, current = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    parts.append(current.strip())
    return [p for p in parts if p]


def parse_axes(items: list[str]) -> list[Axis]:
    """``["run.replications=5,10", ...]`` -> axes; raise ``ValueError`` naming the problem."""
    axes = []
    for item in items:
        if "=" not in item:
            msg = f"--set {item}: expected KEY=V1,V2,..."
            raise ValueError(msg)
        key, raw = item.split("=", 1)
        values = split_values(raw)
        if not values:
            msg = f"--set {item}: no values"
            raise ValueError(msg)
        axes.append(Axis(key.strip(), tuple(values)))
    return axes


def grid(axes: list[Axis]) -> list[tuple[str, ...]]:
    """Every combination, as lists of ``KEY=VALUE`` overrides (first axis slowest)."""
    return [tuple(f"{a.key}={v}" for a, v in zip(axes, combo, strict=True))
            for combo in itertools.product(*(a.values for a in axes))]


def point_id(loaded: LoadedScenario, overrides: tuple[str, ...]) -> str:
    """A stable name for a point: the scenario files' hash and its overrides."""
    digest = hashlib.sha256(loaded.sha256.encode())
    for item in overrides:
        digest.update(b"\0" + item.encode())
    return digest.hexdigest()[:16]


def load_points(path: Path, base: Overrides, points: list[tuple[str, ...]]
                ) -> list[LoadedScenario]:
    """Validate every point before running any (a bad value stops the sweep at once)."""
    return load_all([(path, [*base, *overrides]) for overrides in points])


def summary_row(result: RunResult, overrides: tuple[str, ...]) -> SweepRow:
    """The figures a sweep table shows for one point."""
    return SweepRow.of(result, overrides)


def sweep_result(file: Path, axes: Sequence[Axis], points: Sequence[tuple[str, ...]],
                 results: Sequence[RunResult]) -> SweepResult:
    """``ccsim sweep``: a row per point, from each point's run (in the order of ``points``)."""
    return SweepResult(
        file=str(file), axes=tuple(axes),
        points=tuple(summary_row(r, o) for r, o in zip(results, points, strict=True)),
        results=tuple(results), currency=results[0].currency if results else "")


def summary_document(document: Document, overrides: tuple[str, ...]) -> Document:
    """A sweep row as data from a run document (for notebooks and the HTML page)."""
    return summary_row(RunResult.from_document(document), overrides).to_document()
