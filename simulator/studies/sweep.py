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
from dataclasses import dataclass
from pathlib import Path

from simulator.metrics import Tree
from simulator.results.guardrails import broken_guardrails
from simulator.spec.layers import LoadedScenario, Overrides, load_all


@dataclass(frozen=True)
class Axis:
    """One swept key and its values (as written on the command line)."""

    key: str
    values: tuple[str, ...]


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


def summary_row(document: Tree, overrides: tuple[str, ...]) -> Tree:
    """The figures a sweep table shows for one point."""
    row: Tree = {"point": dict(item.split("=", 1) for item in overrides)}
    row["cost_per_contact"] = document["cost"]["per_contact"]
    row["period_total"] = document["cost"]["period_total"]
    for name, channel in document["channels"].items():
        row[f"{name}.service_level"] = channel["service_level"]
        row[f"{name}.abandon_rate"] = channel["abandon_rate"]
        if "within_target" in channel:
            row[f"{name}.within_target"] = channel["within_target"]
    for name, group in document["agent_groups"].items():
        row[f"{name}.occupancy"] = group["occupancy"]
    row["guardrails_broken"] = broken_guardrails(document)
    return row
