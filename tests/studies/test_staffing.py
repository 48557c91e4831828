"""Equal-service staffing: the fewest agents that meet the targets, found by simulation."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from simulator import analytic
from simulator.cli import app
from simulator.experiment import run_replications
from simulator.spec.layers import load_scenario
from simulator.studies.staffing import erlang_estimate, fewest, staff, with_staffing
from tests.text import says

runner = CliRunner()


def sl_interval(scenario: Any) -> tuple[float, float]:
    levels = np.array([t["channels"]["voice"]["service_level"]
                       for t in run_replications(scenario, workers=2)])
    half = stats.t.ppf(0.975, levels.size - 1) * levels.std(ddof=1) / math.sqrt(levels.size)
    return float(levels.mean() - half), float(levels.mean() + half)


@pytest.mark.parametrize(("calls_per_hour", "handle", "target"),
                         [(200, 180, 0.8), (600, 240, 0.8), (90, 300, 0.9)])
def test_staff_finds_the_erlang_c_minimum(calls_per_hour: float, handle: float,
                                          target: float) -> None:
    scenario = load_scenario("tests/data/staff_base.toml", [
        f"channels.voice.volume_per_day={calls_per_hour * 24}",
        f'contact_types.general.handle_time={{ dist = "exponential", mean = {handle} }}',
        f"targets.voice.service_level={target}"]).scenario
    erlang = analytic.agents_for_service_level(calls_per_hour / 3600, handle, 20, target)
    assert set(erlang_estimate(scenario, scenario.agent_groups[0])) == {erlang}
    _, staffing = staff(scenario, ["agents"], workers=2)
    found = set(staffing["agents"])
    assert len(found) == 1  # a flat day gets a flat roster
    agents = found.pop()
    assert abs(agents - erlang) <= 1
    if agents != erlang:  # only where the simulated service level straddles the target
        low, high = sl_interval(with_staffing(scenario, {"agents": [min(agents, erlang)] * 48}))
        assert low <= target <= high, (agents, erlang, low, high)
    # and one agent fewer than found misses the target on average
    fewer = with_staffing(scenario, {"agents": [agents - 1] * 48})
    low, high = sl_interval(fewer)
    assert (low + high) / 2 < target


def test_staff_command_prints_a_roster_that_meets_the_targets() -> None:
    result = runner.invoke(app, ["staff", "tests/data/staff_base.toml", "--format", "json",
                                 "--workers", "2"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["staffing"]["agents"]) == 48
    assert doc["intervals"][0] == "00:00"
    assert doc["targets"]["voice"]["service_level"]["met"] is True


def test_auto_in_a_file_is_staffed_before_the_run() -> None:
    result = runner.invoke(app, ["run", "tests/data/staff_base.toml", "--format", "json",
                                 "--set", 'agent_groups.agents.agents="auto"', "--workers", "2"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["staffing"]["agents"]) == 48
    assert doc["targets"]["voice"]["service_level"]["met"] is True


def test_equal_service_turns_saved_handle_time_into_money() -> None:
    files = ["tests/data/staff_base.toml", "tests/data/staff_faster.toml"]
    fixed = runner.invoke(app, ["compare", *files, "--format", "json", "--workers", "2"])
    equal = runner.invoke(app, ["compare", *files, "--format", "json", "--workers", "2",
                                "--staff", "equal-service"])
    assert fixed.exit_code == 0, fixed.output
    assert equal.exit_code == 0, equal.output
    same_roster = json.loads(fixed.stdout)["scenarios"][0]
    restaffed = json.loads(equal.stdout)["scenarios"][0]
    # re-staffed to the same service: fewer agents, lower cost per contact, guardrails kept
    saving = restaffed["difference"]["cost"]["per_contact"]
    assert saving["ci_high"] < 0
    # same roster: the agents are paid anyway; only the overrun at the end moves
    assert abs(same_roster["difference"]["cost"]["per_contact"]["mean"]) < abs(saving["mean"]) / 10
    assert restaffed["guardrails_broken"] == []
    assert restaffed["cheaper"] is True


@pytest.mark.parametrize("answer", [-30, -7, -1, 0, 1, 2, 13, 40])
@pytest.mark.parametrize("start", [-5, 0, 3])
def test_the_search_finds_the_fewest_with_few_simulations(answer: int, start: int) -> None:
    """On any monotone 'targets met' it returns the smallest offset that holds, asking about
    2·log2(distance) + 2 questions rather than one per agent."""
    asked: list[int] = []

    def holds(offset: int) -> bool:
        asked.append(offset)
        return offset >= answer

    assert fewest(holds, start, lowest=-30, highest=start + 64, group="g") == answer
    distance = abs(answer - start)
    assert len(asked) <= 2 * math.log2(distance + 1) + 3, asked


def test_the_search_stops_at_the_bounds() -> None:
    assert fewest(lambda offset: True, 0, lowest=-4, highest=10, group="g") == -4
    with pytest.raises(ValueError, match="agent_groups 'g': no staffing meets the targets"):
        fewest(lambda offset: offset > 100, 0, lowest=-4, highest=64, group="g")


def test_a_group_serving_a_channel_without_a_target_is_refused(tmp_path: Path) -> None:
    """With no target the fewest agents would be one, reported as the cheapest roster."""
    result = CliRunner().invoke(app, ["staff", "scenarios/erlang_a.toml", "--replications", "2"])
    assert result.exit_code == 2
    assert says(result.stderr, "scenarios/erlang_a.toml: targets.voice: missing; group 'agents' "
                "serves channel 'voice', and staffing needs a target to staff it to")
    assert "Traceback" not in result.output
    scenario = load_scenario("scenarios/erlang_a.toml").scenario
    with pytest.raises(ValueError, match=r"targets\.voice: missing"):
        staff(scenario, ["agents"])
    auto = tmp_path / "auto.toml"
    auto.write_text('extends = "' + str(Path("scenarios/erlang_a.toml").resolve()) + '"\n'
                    '[[agent_groups]]\nname = "agents"\nagents = "auto"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(auto), "--replications", "2"])
    assert result.exit_code == 2
    assert says(result.stderr, f"{auto}: targets.voice: missing")
