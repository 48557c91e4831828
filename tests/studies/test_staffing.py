"""Equal-service staffing: the fewest agents per weekday and interval that meet the targets,
found by simulation-based iterative staffing."""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator import analytic, experiment
from simulator.cli import app
from simulator.experiment import run_replications
from simulator.search import smallest_passing
from simulator.spec.layers import load_scenario
from simulator.studies.requirement import coarse_replications, head_counts
from simulator.studies.staffing import staff
from simulator.studies.workload import nominal_rates
from tests.text import says

runner = CliRunner()


VARYING = "tests/data/staff_varying.toml"
#: a load that changes fast: a two-hour burst at five times the rest of the day
BURST = "channels.voice.profile=[" + ", ".join(["0.4"] * 4 + ["2.0"] * 4 + ["0.4"] * 8) + "]"
#: a load that changes slowly: 3 % an interval up, then down
GENTLE = "channels.voice.profile=[" + ", ".join(
    f"{1.03 ** min(i, 15 - i):.4f}" for i in range(16)) + "]"


def erlang_a_minimum(scenario: Any) -> list[int]:
    """Per interval of Monday, the fewest agents Erlang A says meet 80/20 and 5 % abandonment
    at the interval's own (stationary) arrival rate."""
    out = []
    for rate in nominal_rates(scenario, "voice")[0]:
        n = analytic.agents_for_service_level(float(rate), 240, 20, 0.8, 600)
        while analytic.erlang_a(float(rate), 240, 600, n, 20).abandon_rate > 0.05:
            n += 1
        out.append(n)
    return out


@functools.cache
def staffed(*overrides: str) -> Any:
    scenario = load_scenario(VARYING, list(overrides)).scenario
    return scenario, staff(scenario, ["agents"], workers=2)


def test_every_interval_meets_its_targets_after_staffing_in_a_handful_of_simulations() -> None:
    _, found = staffed()
    verdicts = experiment.verdicts(found.scenario, found.runs)
    assert verdicts.all_met()
    for check in verdicts:  # judged per half-hour, every one of them met
        assert check.per_interval
        assert check.intervals_met == check.intervals_judged == 16 * 3  # Mon-Wed alike
    assert found.simulations <= 10, [s.step for s in found.steps]
    assert found.steps[-1].intervals_short == 0


@pytest.mark.parametrize("overrides", [(), ("agent_groups.agents.shrinkage=0.3",)],
                         ids=["no shrinkage", "30 % shrinkage"])
def test_no_interval_can_lose_an_agent_on_the_same_seeds(overrides: tuple[str, ...]) -> None:
    """Step 4's roster: each interval's agent taken off in turn breaks a target. (Confirming the
    roster may then top up a few intervals whose service a change upstream tipped below a
    target by chance; those are few.) With shrinkage, one rostered agent fewer is one fewer on
    the floor: the search counts agents at work, so it leaves no rostered agent that puts
    nobody more on the floor."""
    scenario, found = staffed(*overrides)
    need = found.spared["agents"]
    for i in range(need.shape[1]):
        fewer = need.copy()
        fewer[:, i] -= 1
        runs = run_replications(head_counts(scenario, {"agents": fewer}), workers=2)
        assert experiment.verdicts(scenario, runs).broken(), f"interval {i} could lose an agent"
    topped_up = found.requirement["agents"] - need
    assert topped_up.min() >= 0
    assert topped_up.sum() <= 2 * need.shape[0], topped_up  # at most two agents a day


def test_on_slowly_varying_load_the_requirement_is_erlang_a_within_one_agent() -> None:
    """Over a week of alike days (all pooled), 3 % a half-hour is slow for a 4-minute call:
    each interval is near its stationary answer. The opening half-hour is not slow — the load
    jumps from nothing — and starts with an empty queue, so it needs no more than Erlang."""
    scenario, found = staffed(GENTLE, "run.days=7")
    need = found.requirement["agents"][0].tolist()
    erlang = erlang_a_minimum(scenario)
    assert need[0] <= erlang[0], (need, erlang)
    assert max(abs(a - b) for a, b in zip(need[1:], erlang[1:], strict=True)) <= 1, (need, erlang)


def test_where_load_changes_fast_the_requirement_departs_from_erlang_as_theory_says() -> None:
    """A stationary formula ignores the queue's memory: when the burst starts the queue is
    still short (fewer agents do), when it ends the burst's backlog is still there (more are
    needed); the day starts empty (fewer)."""
    scenario, found = staffed(BURST)
    need = found.requirement["agents"][0].tolist()
    erlang = erlang_a_minimum(scenario)
    assert need[4] <= erlang[4], (need, erlang)  # the burst starts
    assert need[8] >= erlang[8] + 3, (need, erlang)  # the burst's backlog
    assert need[0] <= erlang[0], (need, erlang)  # the day starts empty
    verdicts = experiment.verdicts(found.scenario, found.runs)
    assert verdicts.all_met()


def test_staff_command_prints_a_roster_that_meets_the_targets() -> None:
    result = runner.invoke(app, ["staff", "tests/data/staff_base.toml", "--format", "json",
                                 "--workers", "2"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    agents = doc["groups"]["agents"]
    assert len(agents["requirement"]) == 7
    assert len(agents["requirement"][0]) == 48
    assert agents["intervals"][0] == "00:00"
    assert agents["requirement"] == agents["coverage"]  # no shift templates: the head-count
    assert doc["targets"]["voice"]["service_level"]["met"] is True
    assert doc["targets"]["voice"]["service_level"]["judged_on"] == "intervals"
    assert doc["search"]["simulations"] == len(doc["search"]["steps"])


def test_auto_in_a_file_is_staffed_before_the_run() -> None:
    result = runner.invoke(app, ["run", "tests/data/staff_base.toml", "--format", "json",
                                 "--set", 'agent_groups.agents.agents="auto"', "--workers", "2"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["staffing"]["agents"]["requirement"][0]) == 48
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
def test_the_smallest_passing_search_asks_few_questions(answer: int, start: int) -> None:
    """On any monotone test it returns the smallest value that holds, asking about
    2·log2(distance) + 2 questions rather than one per step (Erlang staffing uses it)."""
    asked: list[int] = []

    def holds(offset: int) -> bool:
        asked.append(offset)
        return offset >= answer

    assert smallest_passing(holds, start, -30, start + 64) == answer
    distance = abs(answer - start)
    assert len(asked) <= 2 * math.log2(distance + 1) + 3, asked


def test_the_smallest_passing_search_stops_at_the_bounds() -> None:
    assert smallest_passing(lambda offset: True, 0, -4, 10) == -4
    assert smallest_passing(lambda offset: offset > 100, 0, -4, 64) is None


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


@pytest.mark.parametrize(("replications", "workers", "coarse"), [
    (10, 2, 4), (10, 1, 5), (10, 8, 5), (20, 8, 8), (9, 4, 4), (3, 2, 2), (2, 2, 2), (1, 2, 1)])
def test_coarse_runs_take_about_half_in_whole_rounds_of_the_workers(
        replications: int, workers: int, coarse: int) -> None:
    assert coarse_replications(replications, workers) == coarse
