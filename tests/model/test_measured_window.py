"""Time is measured over one window: from the warm-up to the end of the horizon.

On-floor time, busy time (per group, per channel, per interval) and overrun are each the part of
their spans inside ``[warm-up, horizon]``, so occupancy = busy ÷ on-floor compares like with
like: a contact in service at the warm-up counts for the part after it, one in service at the
horizon for the part before it, and the drain after the horizon (where every agent left on the
floor is busy by construction) counts in neither. Contacts are still counted by arrival.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.metrics import replication_metrics
from simulator.model import simulate
from simulator.spec.schema import Scenario
from tests.conftest import single_queue


def test_busy_and_on_floor_over_the_same_window() -> None:
    # one agent, 24 hours open, warm-up 1 h, horizon 3 h, handle 3,600 s:
    # C1 at 0.5 h (in the warm-up, not counted) served 0.5-1.5 h: 0.5 h busy in the window;
    # C2 at 2.5 h (counted) served 2.5-3.5 h: 0.5 h busy in the window, 0.5 h after it.
    # On the floor 1-3 h (the agent stays until 3.5 h, outside the window): occupancy 1/2.
    scenario = single_queue(agents=1, arrivals_per_hour=0, days=3 / 24, warmup_hours=1,
                            replications=1, handle={"dist": "fixed", "value": 3600})
    tally = simulate(scenario, 0, scripted={"voice": [(1800, "general"), (9000, "general")]})
    group = tally.groups["agents"]
    assert group.busy_seconds == pytest.approx(1800 + 1800)
    assert group.on_floor_seconds == pytest.approx(7200)
    assert group.rostered_seconds == pytest.approx(7200)
    assert group.overrun_seconds == pytest.approx(0)
    assert group.busy_seconds_by_channel == {"voice": pytest.approx(3600)}
    assert sum(group.busy_by_interval) == pytest.approx(group.busy_seconds)
    voice = tally.channels["voice"]
    assert (voice.answered, voice.handle_seconds) == (1, 3600)  # C2, counted by arrival
    assert tally.end_seconds == pytest.approx(12600)  # the drain still happens
    metrics = replication_metrics(tally, scenario)
    assert metrics["agent_groups"]["agents"]["occupancy"] == pytest.approx(0.5)
    assert metrics["agent_groups"]["agents"]["paid_hours"] == pytest.approx(2.0)


def test_chat_slots_over_the_window() -> None:
    # one agent, two chats at once, no stretch, handle 3,600 s, horizon 3 h, warm-up 1 h:
    # A at 0.5 h (0.5 h in the window), B at 2 h and C at 2.5 h (1 h and 0.5 h in it):
    # 2 slot-hours busy of 4 slot-hours on the floor; hours are the agent's (÷ 2).
    scenario = Scenario.model_validate({
        "scenario": {"name": "chat window"},
        "run": {"days": 3 / 24, "replications": 1, "seed": 1, "warmup_hours": 1},
        "channels": [{"name": "chat", "kind": "chat", "volume_per_day": 0, "concurrency": 2}],
        "contact_types": [{"name": "help", "channel": "chat",
                           "handle_time": {"dist": "fixed", "value": 3600}}],
        "agent_groups": [{"name": "agents", "agents": 1, "skills": ["help"]}],
    })
    tally = simulate(scenario, 0, scripted={"chat": [(1800, "help"), (7200, "help"),
                                                     (9000, "help")]})
    group = tally.groups["agents"]
    assert group.busy_seconds == pytest.approx((1800 + 3600 + 1800) / 2)
    assert group.on_floor_seconds == pytest.approx(7200)
    assert group.overrun_seconds == pytest.approx(0)


def test_a_centre_that_closes_before_the_horizon_keeps_its_overrun() -> None:
    # open 08:00-20:00, one agent, handle 3,600 s, a call at 19:30: served 19:30-20:30, the
    # half hour after closing is overrun (paid, on the floor, busy), inside the 24-hour window.
    scenario = single_queue(agents=1, arrivals_per_hour=0, days=1, warmup_hours=0,
                            replications=1, handle={"dist": "fixed", "value": 3600},
                            hours={"open": "08:00", "close": "20:00"})
    tally = simulate(scenario, 0, scripted={"voice": [(19.5 * 3600, "general")]})
    group = tally.groups["agents"]
    assert group.overrun_seconds == pytest.approx(1800)
    assert group.on_floor_seconds == pytest.approx(12 * 3600 + 1800)
    assert group.busy_seconds == pytest.approx(3600)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    load=st.floats(0.3, 1.4),
    warmup=st.sampled_from([0.0, 2.0, 7.0]),
    days=st.sampled_from([0.5, 1.0, 1.25]),
    close=st.sampled_from(["20:00", "24:00"]),
    shrinkage=st.sampled_from([0.0, 0.2]),
    slots=st.integers(1, 3),
)
def test_hours_and_busy_time_stay_consistent(seed: int, load: float, warmup: float,
                                             days: float, close: str, shrinkage: float,
                                             slots: int) -> None:
    """In every group and replication: busy <= on the floor <= paid, the channels' busy time
    adds up to the group's, and with no shrinkage on the floor = rostered + overrun."""
    exp = {"dist": "exponential", "mean": 300}
    per_day = load * 8 * 16 * 3600 / 300
    data: dict[str, Any] = {
        "scenario": {"name": "window property"},
        "run": {"days": days, "replications": 1, "seed": seed, "warmup_hours": warmup},
        "hours": {"open": "08:00", "close": close},
        "channels": [
            {"name": "voice", "volume_per_day": per_day * 0.6,
             "patience": {"dist": "exponential", "mean": 240}},
            {"name": "chat", "kind": "chat", "volume_per_day": per_day * 0.3 * slots,
             "concurrency": slots, "concurrency_stretch": 0.2 if slots > 1 else 0.0,
             "patience": {"dist": "exponential", "mean": 300}},
            {"name": "email", "volume_per_day": per_day * 0.1, "response_target_hours": 8},
        ],
        "contact_types": [{"name": "call", "channel": "voice", "handle_time": exp},
                          {"name": "help", "channel": "chat", "handle_time": exp},
                          {"name": "mail", "channel": "email", "handle_time": exp}],
        "agent_groups": [
            {"name": "voice_team", "skills": ["call", "mail"], "shrinkage": shrinkage,
             "shifts": [{"start": "08:00", "end": "16:00", "agents": 4},
                        {"start": "12:00", "end": close, "agents": 4}]},
            {"name": "chat_team", "agents": 3, "skills": ["help"], "shrinkage": shrinkage},
        ],
    }
    scenario = Scenario.model_validate(data)
    tally = simulate(scenario, 0)
    for name, group in tally.groups.items():
        assert group.busy_seconds <= group.on_floor_seconds + 1e-6, name
        assert group.on_floor_seconds <= group.paid_seconds + 1e-6, name
        assert sum(group.busy_seconds_by_channel.values()) == pytest.approx(group.busy_seconds,
                                                                            abs=1e-6), name
        assert sum(group.on_floor_by_interval) == pytest.approx(group.on_floor_seconds), name
        if shrinkage == 0:
            assert group.on_floor_seconds == pytest.approx(
                group.rostered_seconds + group.overrun_seconds, abs=1e-6), name
    metrics = replication_metrics(tally, scenario)
    for name, group in metrics["agent_groups"].items():
        assert group["busy_hours"] <= group["on_floor_hours"] + 1e-9, name
        assert group["on_floor_hours"] <= group["paid_hours"] + 1e-9, name
    for row in metrics["intervals"]:
        assert not row["occupancy"] > 1 + 1e-9, row["start"]
