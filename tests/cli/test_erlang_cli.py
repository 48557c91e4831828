"""``ccsim erlang``: published worked examples, to their printed digits, through the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from tests.text import says

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


def test_shrinkage_gives_the_agents_to_roster() -> None:
    """pyworkforce's ErlangC example: 100 calls / 30 min, AHT 3 min, 80 % in 20 s: 14 agents,
    20 to roster at 30 % shrinkage (14 / 0.7 = 20, not 21: no rounding up of float noise)."""
    out = erlang("c", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--target-sl", "0.8",
                 "--shrinkage", "0.3")
    assert (out["agents"], out["agents_to_roster"], out["shrinkage"]) == (14, 20, 0.3)
    out = erlang("a", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--agents", "14",
                 "--patience-seconds", "300", "--shrinkage", "0.25")
    assert out["agents_to_roster"] == 19  # 14 / 0.75 = 18.67
    result = runner.invoke(app, ["erlang", "c", "--arrivals-per-hour", "200", "--aht-seconds",
                                 "180", "--agents", "14", "--shrinkage", "0.3"])
    assert result.exit_code == 0
    assert says(result.stdout, "agents to roster (30% shrinkage) 20")


def test_a_table_over_agent_counts() -> None:
    out = erlang("c", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--agents-range",
                 "10-20", "--shrinkage", "0.3")
    rows = out["table"]
    assert [row["agents"] for row in rows] == list(range(10, 21))
    assert rows[0]["service_level"] is None  # 10 agents for 10 erlangs: never empties
    assert round(rows[4]["service_level"], 3) == 0.888  # 14 agents, as the worked example
    assert round(rows[3]["service_level"], 3) == 0.796
    levels = [row["service_level"] for row in rows[1:]]
    assert levels == sorted(levels)
    assert rows[4]["agents_to_roster"] == 20
    assert "agents" not in out  # no single count asked: the table alone
    result = runner.invoke(app, ["erlang", "c", "--arrivals-per-hour", "200", "--aht-seconds",
                                 "180", "--agents-range", "10-14"])
    assert result.exit_code == 0
    assert says(result.stdout, "10 unstable unstable unstable")
    assert says(result.stdout, "14 88.8% 7.8 71.4%")


def test_an_erlang_a_table_has_abandonment_and_csv_rows() -> None:
    out = erlang("a", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--patience-seconds",
                 "300", "--agents-range", "12-14")
    assert round(out["table"][2]["abandon_rate"], 6) == 0.013984  # the pyworkforce snapshot
    result = runner.invoke(app, ["erlang", "a", "--arrivals-per-hour", "200", "--aht-seconds",
                                 "180", "--patience-seconds", "300", "--agents-range", "12-14",
                                 "--format", "csv"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("agents,service_level,")
    assert [line.split(",")[0] for line in lines[1:]] == ["12", "13", "14"]
    table = runner.invoke(app, ["erlang", "a", "--arrivals-per-hour", "200", "--aht-seconds",
                                "180", "--patience-seconds", "300", "--agents-range", "14-14"])
    assert says(table.stdout, "abandon rate")
    assert says(table.stdout, "14 91.7% 3.9 70.4% 1.4%")


def test_an_erlang_b_table_over_lines() -> None:
    out = erlang("b", "--arrivals-per-hour", "100", "--aht-seconds", "180", "--agents-range",
                 "9-11")
    assert round(out["table"][1]["blocking"], 5) == 0.01838


@pytest.mark.parametrize(("args", "phrase"), [
    (["b", "--arrivals-per-hour", "100", "--aht-seconds", "180", "--lines", "10",
      "--shrinkage", "0.3"], "--shrinkage: only for Erlang C and A"),
    (["c", "--arrivals-per-hour", "100", "--aht-seconds", "180", "--agents-range", "20-12"],
     "--agents-range: '20-12': give LOW-HIGH with 1 <= LOW <= HIGH"),
    (["c", "--arrivals-per-hour", "100", "--aht-seconds", "180", "--agents-range", "twelve"],
     "--agents-range: 'twelve': give LOW-HIGH, two whole numbers"),
    (["c", "--arrivals-per-hour", "100", "--aht-seconds", "180", "--agents-range", "1-1000"],
     "at most 500 rows"),
    (["c", "--arrivals-per-hour", "100", "--aht-seconds", "180", "--agents", "9",
      "--shrinkage", "1"], "--shrinkage"),
])
def test_bad_shrinkage_or_range_is_named_with_exit_2(args: list[str], phrase: str) -> None:
    result = runner.invoke(app, ["erlang", *args])
    assert result.exit_code == 2
    assert says(result.output, phrase), result.output
    assert "Traceback" not in result.output
