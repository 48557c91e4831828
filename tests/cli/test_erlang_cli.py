"""``ccsim erlang``: published worked examples, to their printed digits, through the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app

runner = CliRunner()


def erlang(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["erlang", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_call_centre_helper_example_14_agents() -> None:
    """200 calls an hour, 180 s, 14 agents, 20 s: SL 0.888, occupancy 0.714, P(wait) 0.174."""
    out = erlang("c", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--agents", "14",
                 "--sl-seconds", "20")
    assert round(out["service_level"], 3) == 0.888
    assert round(out["occupancy"], 3) == 0.714
    assert round(out["wait_probability"], 3) == 0.174
    assert out["agents"] == 14


def test_call_centre_helper_example_15_agents() -> None:
    out = erlang("c", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--agents", "15")
    assert round(out["service_level"], 3) == 0.941
    assert round(out["occupancy"], 3) == 0.667


def test_target_mode_returns_the_agents_needed() -> None:
    """80/20 at 200 calls an hour of 180 s needs 14 agents (13 give 0.796)."""
    out = erlang("c", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--target-sl", "0.8")
    assert out["agents"] == 14
    out = erlang("c", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--target-sl", "0.8",
                 "--max-occupancy", "0.7")
    assert out["agents"] == 15


def test_erlang_b_table_value() -> None:
    """B(10 lines, 5 erlangs) = 0.01838 (Erlang B tables): 100 calls an hour of 180 s."""
    out = erlang("b", "--arrivals-per-hour", "100", "--aht-seconds", "180", "--lines", "10")
    assert round(out["blocking"], 5) == 0.01838


def test_erlang_a_reference_snapshot() -> None:
    """pyworkforce's ErlangA snapshot: 100 calls / 30 min, AHT 3 min, patience 5 min, 14 agents."""
    out = erlang("a", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--agents", "14",
                 "--patience-seconds", "300", "--sl-seconds", "20")
    assert round(out["service_level"], 6) == 0.916792
    assert round(out["abandon_rate"], 6) == 0.013984


def test_erlang_a_exact_reference_table() -> None:
    """M/M/50+M at load 0.95, handle 300 s, patience 180 s: P(abandon) 0.0418, P(wait) 0.334."""
    out = erlang("a", "--arrivals-per-hour", str(0.95 * 50 / 300 * 3600), "--aht-seconds", "300",
                 "--agents", "50", "--patience-seconds", "180")
    assert round(out["abandon_rate"], 4) == 0.0418
    assert round(out["wait_probability"], 3) == 0.334


@pytest.mark.parametrize(("args", "says"), [
    (["c", "--arrivals-per-hour", "2000", "--aht-seconds", "180", "--agents", "14"], "unstable"),
    (["a", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--agents", "14"],
     "--patience-seconds"),
    (["c", "--arrivals-per-hour", "200", "--aht-seconds", "180"], "--target-sl"),
])
def test_impossible_requests_say_why_with_exit_2(args: list[str], says: str) -> None:
    result = runner.invoke(app, ["erlang", *args])
    assert result.exit_code == 2
    assert says in result.output
    assert "Traceback" not in result.output


def test_table_output_reads_as_a_workshop_figure() -> None:
    result = runner.invoke(app, ["erlang", "c", "--arrivals-per-hour", "200", "--aht-seconds",
                                 "180", "--agents", "14"])
    assert result.exit_code == 0
    assert "88.8%" in result.stdout
    assert "71.4%" in result.stdout
