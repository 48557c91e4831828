"""Mutated scenario files: every outcome is a run that accounts for every contact, or exit 2
with a ``FILE: key.path:`` message — never a traceback.

Hypothesis takes a valid scenario file (the canonical Erlang A file, the baseline, the file with
every lever on), shortens its run, and breaks it: deletes a key, copies one into another table,
gives a value another type, scales a number (to zero, negative, tiny, huge, NaN, infinity) or
swaps two values. The mutated file goes through ``ccsim check``; a file it accepts is simulated
(one replication) and every channel's contacts must balance. Derandomized, so the same examples
run every time; about a minute on two cores.
"""

from __future__ import annotations

import copy
import math
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from simulator.cli import app
from simulator.model.centre import simulate
from simulator.spec.layers import load_scenario
from tests.text import says

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {name: tomllib.loads((ROOT / path).read_text(encoding="utf-8")) for name, path in {
    "erlang_a": "scenarios/erlang_a.toml",
    "baseline": "scenarios/baseline.toml",
    "all_levers": "tests/data/all_levers.toml",
}.items()}
#: run.days and run.replications before mutating: one replication of a short run
SHORT = {"days": 1.0, "replications": 1, "warmup_hours": 0}
OTHER_TYPES: list[Any] = ["x", 7, 0.5, True, [1, 2], {"k": 1}, -1, "", []]
FACTORS = [0.0, -1.0, 1e-12, 1e12, 3.0, math.nan, math.inf]

runner = CliRunner()

Path_ = tuple[str | int, ...]


def paths(node: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every key path in a TOML tree (tables, arrays of tables and values)."""
    out: list[Path_] = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((*prefix, key))
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict | list):
                out += paths(value, (*prefix, i))
    return out


def parent_of(tree: Any, path: Path_) -> Any:
    node = tree
    for part in path[:-1]:
        node = node[part]
    return node


def tables(tree: Any) -> list[Path_]:
    return [p for p in paths(tree) if isinstance(parent_of(tree, p)[p[-1]], dict)]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    name = draw(st.sampled_from(sorted(SOURCES)))
    tree = copy.deepcopy(SOURCES[name])
    tree.setdefault("run", {}).update(SHORT)
    kind = draw(st.sampled_from(["delete", "duplicate", "retype", "scale", "swap"]))
    every = paths(tree)
    path = draw(st.sampled_from(every))
    holder, key = parent_of(tree, path), path[-1]
    if kind == "delete":
        del holder[key]
    elif kind == "duplicate":  # the key and its value into another table
        table = parent_of(tree, (*draw(st.sampled_from(tables(tree))), ""))
        if isinstance(key, str):
            table[key] = copy.deepcopy(holder[key])
    elif kind == "retype":
        holder[key] = draw(st.sampled_from(OTHER_TYPES))
    elif kind == "scale":
        numbers = [p for p in every if isinstance(parent_of(tree, p)[p[-1]], int | float)
                   and not isinstance(parent_of(tree, p)[p[-1]], bool)]
        if numbers:
            path = draw(st.sampled_from(numbers))
            holder, key = parent_of(tree, path), path[-1]
            value = holder[key] * draw(st.sampled_from(FACTORS))
            holder[key] = int(value) if isinstance(holder[key], int) and math.isfinite(value) \
                and abs(value) < 1e18 else value
    else:  # swap two values
        other = draw(st.sampled_from(every))
        there = parent_of(tree, other)
        if other[: len(path)] != path and path[: len(other)] != other:
            holder[key], there[other[-1]] = there[other[-1]], holder[key]
    return name, kind, tree


def balance(v: Any) -> int:
    return int(v.arrivals - (v.deflected + v.ivr_contained + v.ivr_hangups + v.blocked
                             + v.answered + v.abandoned + v.callbacks_lost + v.left_at_end))


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=mutated())
def test_a_mutated_file_runs_and_balances_or_is_refused_by_key(
        case: tuple[str, str, dict[str, Any]], tmp_path_factory: Any) -> None:
    name, kind, tree = case
    folder = tmp_path_factory.mktemp("mutated")
    file = folder / f"{name}.toml"
    file.write_text(tomli_w.dumps(tree), encoding="utf-8")
    result = runner.invoke(app, ["check", str(file)])
    assert result.exit_code in (0, 2), (kind, result.output, result.exception)
    assert "Traceback" not in result.output
    event(f"{kind}: exit {result.exit_code}")
    if result.exit_code == 2:
        assert says(result.output, f"{file}:"), (kind, result.output)
        return
    scenario = load_scenario(file).scenario
    tally = simulate(scenario, 0)
    for channel, v in tally.channels.items():
        assert balance(v) == 0, (kind, channel)
