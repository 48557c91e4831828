"""Transfers that can never end are refused when the scenario is read.

A contact type whose handled contacts all go on (transfer shares adding up to 1) to types that
do the same passes its contacts round for ever: with no caller giving up, a replication never
finishes. Such a scenario is refused (exit 2) before anything is simulated; a cycle that keeps
any share anywhere ends, since every leg is a fresh draw, and runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulator.spec.layers import ScenarioError, load_scenario
from simulator.spec.levers import RoutingSpec, RoutingTypeSpec
from tests.text import says

CENTRE = """
[scenario]
name = "Transfers between two desks"

[run]
days = 0.5
replications = 1

[[channels]]
name = "voice"
volume_per_day = 200
service_level_seconds = 20

[[contact_types]]
name = "front"
channel = "voice"
share = 0.5
handle_time = { dist = "exponential", mean = 120 }

[[contact_types]]
name = "back"
channel = "voice"
share = 0.5
handle_time = { dist = "exponential", mean = 120 }

[[agent_groups]]
name = "agents"
agents = 20
skills = ["front", "back"]

[routing.contact_types.front]
transfers = [{ to = "back", share = 1.0 }]

[routing.contact_types.back]
transfers = [{ to = "front", share = BACK_SHARE }]
"""


def endless(rules: dict[str, dict[str, float]]) -> list[str]:
    """The types of ``{type: {to: share}}`` whose transfers never end (each rule valid alone;
    the routing built without its own check, which would refuse the endless ones)."""
    types = {t: RoutingTypeSpec.model_validate(
        {"transfers": [{"to": to, "share": share} for to, share in moves.items()]})
        for t, moves in rules.items()}
    return RoutingSpec.model_construct(contact_types=types).endless_transfers()


def test_a_closed_cycle_with_every_share_one_never_ends() -> None:
    assert endless({"a": {"b": 1.0}, "b": {"a": 1.0}}) == ["a", "b"]
    # split shares that add up to 1, all within the cycle
    assert endless({"a": {"b": 0.5, "c": 0.5}, "b": {"a": 1.0}, "c": {"b": 1.0}}) == ["a", "b", "c"]
    # a type that feeds the cycle with all its contacts never ends either; one keeping some does
    assert endless({"a": {"b": 1.0}, "b": {"c": 1.0}, "c": {"b": 1.0},
                    "d": {"b": 0.5}}) == ["a", "b", "c"]


def test_a_cycle_with_a_way_out_ends() -> None:
    assert endless({"a": {"b": 1.0}, "b": {"a": 0.9}}) == []  # b keeps a tenth
    assert endless({"a": {"b": 1.0}, "b": {"a": 0.5, "c": 0.5}}) == []  # c keeps them all
    assert endless({"a": {"b": 1.0}, "b": {"c": 1.0}}) == []  # a chain, no cycle
    assert endless({"a": {"b": 0.0, "c": 1.0}, "b": {"a": 1.0}}) == []  # a share of 0 is no way


def test_the_endless_scenario_is_refused_with_its_types(tmp_path: Path) -> None:
    path = tmp_path / "cycle.toml"
    path.write_text(CENTRE.replace("BACK_SHARE", "1.0"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, [])
    (line,) = caught.value.problems
    assert line.startswith(f"{path}: routing: transfers never end for contact types 'front', "
                           "'back'"), line


def ccsim_run(path: Path) -> subprocess.CompletedProcess[str]:
    """``ccsim run`` on ``path`` in a process of its own, stopped if it takes a minute."""
    return subprocess.run([sys.executable, "-m", "simulator", "run", str(path), "--workers", "1"],
                          capture_output=True, text=True, timeout=60, check=False)


def test_the_cycle_that_would_never_end_exits_2_at_once(tmp_path: Path) -> None:
    path = tmp_path / "cycle.toml"
    path.write_text(CENTRE.replace("BACK_SHARE", "1.0"), encoding="utf-8")
    done = ccsim_run(path)  # before the check, this ran until the timeout
    assert done.returncode == 2, done.stderr
    assert says(done.stderr, "transfers never end for contact types 'front', 'back'")
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_cycle_that_keeps_some_runs_to_the_end(tmp_path: Path) -> None:
    path = tmp_path / "leaky.toml"
    path.write_text(CENTRE.replace("BACK_SHARE", "0.5"), encoding="utf-8")
    done = ccsim_run(path)
    assert done.returncode == 0, done.stderr
    assert says(done.stdout, "Transfers between two desks")
