"""Building blocks and model behaviour: distributions, streams, calendar, rosters, warm-up."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from scipy import stats

from simulator.experiment import run_replications
from simulator.model import simulate
from simulator.model.calendar import Calendar, arrival_rates, on_floor_agents, rostered_agents
from simulator.spec.distributions import Distribution
from simulator.spec.schema import Scenario
from simulator.streams import spawn_stream
from tests.conftest import single_queue

ALPHA = 0.001
DIST = TypeAdapter(Distribution)


def within(sample: np.ndarray, expected: float) -> bool:
    se = sample.std(ddof=1) / math.sqrt(sample.size)
    return abs(sample.mean() - expected) <= stats.t.ppf(1 - ALPHA / 2, sample.size - 1) * se


# ---------------------------------------------------------------------------- distributions
@pytest.mark.parametrize("spec", [
    {"dist": "exponential", "mean": 300},
    {"dist": "lognormal", "mean": 360, "cv": 0.6},
    {"dist": "lognormal", "mean": 200, "cv": 2.0},
    {"dist": "gamma", "mean": 300, "cv": 0.8},
    {"dist": "gamma", "mean": 50, "cv": 1.7},
    {"dist": "uniform", "low": 20, "high": 40},
])
def test_sampled_mean_matches_analytic_mean(spec: dict[str, Any]) -> None:
    dist = DIST.validate_python(spec)
    sample = dist.sample(spawn_stream(7, 0, "test"), 200_000)
    assert within(sample, dist.mean), (sample.mean(), dist.mean)
    if "cv" in spec:
        assert sample.std() / sample.mean() == pytest.approx(spec["cv"], rel=0.1)


def test_fixed_and_empirical(tmp_path: Any) -> None:
    fixed = DIST.validate_python({"dist": "fixed", "value": 30})
    assert fixed.mean == 30
    assert set(fixed.sample(spawn_stream(1, 0, "x"), 10).tolist()) == {30.0}
    csv = tmp_path / "aht.csv"
    csv.write_text("seconds\n100\n200\n600\n", encoding="utf-8")
    emp = DIST.validate_python({"dist": "empirical", "file": str(csv)})
    assert emp.mean == pytest.approx(300)
    sample = emp.sample(spawn_stream(1, 0, "x"), 90_000)
    assert set(sample.tolist()) == {100.0, 200.0, 600.0}
    assert within(sample, 300)


def test_quantiles_are_monotone_so_scenarios_stay_coupled() -> None:
    u = np.linspace(0.001, 0.999, 999)
    for spec in ({"dist": "lognormal", "mean": 300, "cv": 1}, {"dist": "gamma", "mean": 3, "cv": 2},
                 {"dist": "exponential", "mean": 10}):
        assert np.all(np.diff(DIST.validate_python(spec).quantiles(u)) > 0)


# ---------------------------------------------------------------------------- streams
def test_streams_are_reproducible_and_independent_of_other_names() -> None:
    a = spawn_stream(5, 3, "voice", "handle_time").random(5)
    assert np.array_equal(a, spawn_stream(5, 3, "voice", "handle_time").random(5))
    assert not np.array_equal(a, spawn_stream(5, 4, "voice", "handle_time").random(5))
    assert not np.array_equal(a, spawn_stream(5, 3, "voice", "patience").random(5))
    assert not np.array_equal(a, spawn_stream(6, 3, "voice", "handle_time").random(5))


def test_adding_a_channel_leaves_the_first_channels_customers_alone() -> None:
    one = single_queue(agents=12, arrivals_per_hour=100, replications=1, days=1)
    data = one.model_dump(mode="json", by_alias=True)
    data["channels"].append({"name": "sales", "kind": "voice", "volume_per_day": 500})
    data["contact_types"].append({"name": "sell", "channel": "sales",
                                  "handle_time": {"dist": "exponential", "mean": 200}})
    data["agent_groups"].append({"name": "sellers", "agents": 5, "skills": ["sell"]})
    two = Scenario.model_validate(data)
    a, b = simulate(one, 0).channels["voice"], simulate(two, 0).channels["voice"]
    assert (a.arrivals, a.handle_seconds, a.wait_answered_seconds) == (
        b.arrivals, b.handle_seconds, b.wait_answered_seconds)


# ---------------------------------------------------------------------------- calendar
def profiled(**run: Any) -> Scenario:
    return Scenario.model_validate({
        "scenario": {"name": "profile"},
        "run": {"days": 7, "replications": 8, "seed": 3, **run},
        "hours": {"open": "08:00", "close": "12:00", "interval_minutes": 60,
                  "open_days": ["mon", "tue", "wed", "thu", "fri", "sat"]},
        "channels": [{"name": "voice", "volume_per_day": 2000,
                      "profile": [1, 2, 3, 2], "weekly_pattern": [1.5, 1, 1, 1, 1, 0.5, 1]}],
        "contact_types": [{"name": "g", "channel": "voice",
                           "handle_time": {"dist": "exponential", "mean": 120}}],
        "agent_groups": [{"name": "a", "skills": ["g"], "shrinkage": 0.25, "shifts": [
            {"start": "08:00", "end": "12:00", "agents": 30},
            {"start": "09:00", "end": "11:00", "agents": 10, "days": ["mon"]}]}],
    })


def test_arrival_rates_follow_volume_profile_and_week() -> None:
    scenario = profiled()
    cal = Calendar.of(scenario)
    rates = arrival_rates(scenario, scenario.channels[0], cal)
    per_day = rates.reshape(7, 24).sum(axis=1) * 3600
    assert per_day == pytest.approx([3000, 2000, 2000, 2000, 2000, 1000, 0])  # Sunday closed
    assert rates.reshape(7, 24)[0, 8:12] * 3600 == pytest.approx([375, 750, 1125, 750])


def test_rosters_per_weekday_and_shrinkage() -> None:
    scenario = profiled()
    cal = Calendar.of(scenario)
    roster = rostered_agents(scenario.agent_groups[0], scenario, cal).reshape(7, 24)
    assert roster[0, 8:12].tolist() == [30, 40, 40, 30]  # Monday's extra shift
    assert roster[1, 8:12].tolist() == [30, 30, 30, 30]
    assert roster[6].sum() == 0
    assert roster[0, :8].sum() == 0
    assert on_floor_agents(roster[0, 8:12], 0.25).tolist() == [23, 30, 30, 23]  # 22.5 -> 23


def test_simulated_intervals_match_the_profile_and_roster() -> None:
    trees = run_replications(profiled(), workers=2)
    week_volume = 3000 + 4 * 2000 + 1000
    for hour, weight in zip(range(4), [1, 2, 3, 2], strict=True):
        sample = np.array([t["intervals"][hour]["voice"]["arrivals"] for t in trees])
        assert within(sample, week_volume * weight / 8 / 6), hour  # over the 6 open days
    # agents on the floor at 09:00: Monday 40 x 0.75 = 30, Tuesday-Saturday 30 x 0.75 = 22.5 -> 23
    floor = trees[0]["intervals"][1]["agents_on_floor"]
    assert floor == pytest.approx((30 + 5 * 23) / 6, rel=0.01)  # over the open days
    group = trees[0]["agent_groups"]["a"]
    rostered_hours = 6 * (30 * 4) + 10 * 2
    assert group["paid_hours"] >= rostered_hours
    assert group["paid_hours"] - rostered_hours < 50  # overrun: agents finishing at close


def test_warm_up_counts_only_later_arrivals() -> None:
    scenario = single_queue(agents=10, arrivals_per_hour=100, days=2, warmup_hours=12,
                            replications=8)
    trees = run_replications(scenario, workers=2)
    arrivals = np.array([t["channels"]["voice"]["arrivals"] for t in trees])
    assert within(arrivals, 100 * 36)
    assert trees[0]["agent_groups"]["agents"]["on_floor_hours"] == pytest.approx(10 * 36, rel=0.01)


def test_centre_drains_after_close() -> None:
    scenario = profiled(days=1)
    tally = simulate(scenario, 0)
    voice = tally.channels["voice"]
    assert voice.left_at_end == 0
    assert voice.arrivals == voice.answered + voice.abandoned + voice.blocked
    assert tally.end_seconds >= 12 * 3600


# ---------------------------------------------------------------------------- properties
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    agents=st.integers(1, 30),
    load=st.floats(0.2, 1.6),
    patience=st.one_of(st.none(), st.floats(5, 900)),
    lines_extra=st.one_of(st.none(), st.integers(0, 20)),
    retry_share=st.floats(0, 1),
    warmup=st.sampled_from([0.0, 3.0]),
    seed=st.integers(0, 10_000),
)
def test_every_call_is_accounted_for(agents: int, load: float, patience: float | None,
                                     lines_extra: int | None, retry_share: float,
                                     warmup: float, seed: int) -> None:
    """arrivals = answered + abandoned + blocked and customers = served + lost, always."""
    handle = 180.0
    channel: dict[str, Any] = {}
    if patience is not None or lines_extra is not None:
        channel["retrials"] = {"share": retry_share,
                               "delay": {"dist": "exponential", "mean": 300}}
    scenario = single_queue(
        agents=agents, arrivals_per_hour=load * agents / handle * 3600, days=0.5,
        warmup_hours=warmup, seed=seed, replications=1,
        handle={"dist": "exponential", "mean": handle},
        patience=None if patience is None else {"dist": "exponential", "mean": patience},
        lines=None if lines_extra is None else agents + lines_extra,
        channel=channel,
    )
    tally = simulate(scenario, 0)
    v = tally.channels["voice"]
    assert v.arrivals == v.answered + v.abandoned + v.blocked
    assert v.offered == v.answered + v.abandoned
    assert v.customers == v.customers_served + v.customers_lost
    assert v.left_at_end == 0
    group = tally.groups["agents"]
    assert group.busy_seconds <= group.on_floor_seconds + 1e-6


def test_head_count_per_interval() -> None:
    scenario = profiled().model_copy(deep=True)
    data = scenario.model_dump(mode="json", by_alias=True)
    group = data["agent_groups"][0]
    del group["shifts"]
    group["agents"] = [40, 60, 62, 40]  # on the floor: 20, 30, 31, 20 (enough: no backlog)
    group["shrinkage"] = 0.5
    per_interval = Scenario.model_validate(data)
    cal = Calendar.of(per_interval)
    roster = rostered_agents(per_interval.agent_groups[0], per_interval, cal).reshape(7, 24)
    assert roster[2, 8:12].tolist() == [40, 60, 62, 40]
    assert roster[6].sum() == 0  # Sunday closed
    tally = simulate(per_interval, 0)
    # books are per slot of the week: Wednesday 08:00-12:00, then closed Sunday
    books = tally.groups["a"].on_floor_by_interval
    floor = [books[2 * 24 + h] / tally.exposure_seconds[2 * 24 + h] for h in range(8, 12)]
    # the last interval also holds the few minutes of finishing calls
    assert floor[:3] == pytest.approx([20, 30, 31], rel=1e-9)
    assert floor[3] == pytest.approx(20, rel=0.05)
    assert sum(books[6 * 24 + h] for h in range(24)) == 0
