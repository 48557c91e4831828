"""Skills-based routing and deferred work: Erlang C pooling, and hand-checked timelines."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from simulator import analytic
from simulator.experiment import run_replications
from simulator.model import simulate
from simulator.spec.schema import Scenario

ALPHA = 0.001


def fixed(value: float) -> dict[str, Any]:
    return {"dist": "fixed", "value": value}


def build(types: list[tuple[str, str, float]], groups: list[dict[str, Any]],
          channels: list[dict[str, Any]] | None = None, hours: float = 24,
          **extra: Any) -> Scenario:
    """A small centre: ``types`` are (name, channel, fixed handle seconds)."""
    channels = channels or [{"name": "voice", "volume_per_day": 0}]
    return Scenario.model_validate({
        "scenario": {"name": "routing"},
        "run": {"days": hours / 24, "replications": 1, "seed": 1},
        "channels": channels,
        "contact_types": [{"name": n, "channel": c, "share": 1 / sum(t[1] == c for t in types),
                           "handle_time": fixed(h)} for n, c, h in types],
        "agent_groups": groups,
        **extra,
    })


def answered_waits(tally: Any, channel: str = "voice") -> float:
    return float(tally.channels[channel].wait_answered_seconds)


# ---------------------------------------------------------------------------- pooling
def centre(pooled: bool, agents: int, rate_per_hour: float, replications: int = 20) -> Scenario:
    exp = {"dist": "exponential", "mean": 300}
    groups = ([{"name": "pool", "agents": 2 * agents, "skills": ["a", "b"]}] if pooled else
              [{"name": "team_a", "agents": agents, "skills": ["a"]},
               {"name": "team_b", "agents": agents, "skills": ["b"]}])
    return Scenario.model_validate({
        "scenario": {"name": "pooling"},
        "run": {"days": 1.5, "replications": replications, "seed": 5, "warmup_hours": 2},
        "channels": [{"name": "voice", "volume_per_day": 2 * rate_per_hour * 24}],
        "contact_types": [{"name": "a", "channel": "voice", "share": 0.5, "handle_time": exp},
                          {"name": "b", "channel": "voice", "share": 0.5, "handle_time": exp}],
        "agent_groups": groups,
    })


def check(sample: list[float], expected: float, label: str) -> None:
    data = np.asarray(sample)
    half = stats.t.ppf(1 - ALPHA / 2, data.size - 1) * data.std(ddof=1) / math.sqrt(data.size)
    assert abs(data.mean() - expected) <= half, (label, data.mean(), half, expected)


def test_one_pool_beats_two_dedicated_teams_and_both_match_erlang_c() -> None:
    agents, rate = 10, 100.0  # per type: 100 calls an hour of 300 s = 8.33 erlangs on 10 agents
    dedicated = run_replications(centre(False, agents, rate), workers=2)
    pooled = run_replications(centre(True, agents, rate), workers=2)
    one = analytic.erlang_c(rate / 3600, 300, agents, 20)
    two = analytic.erlang_c(2 * rate / 3600, 300, 2 * agents, 20)
    for trees, theory, label in ((dedicated, one, "dedicated"), (pooled, two, "pooled")):
        v = [t["channels"]["voice"] for t in trees]
        check([x["wait_probability"] for x in v], theory.wait_probability, f"{label} P(wait)")
        check([x["asa_seconds"] for x in v], theory.asa_seconds, f"{label} ASA")
        check([x["service_level"] for x in v], theory.service_level, f"{label} SL")
    # the same customers in both: pooling answers every replication's callers sooner
    for d, p in zip(dedicated, pooled, strict=True):
        assert p["channels"]["voice"]["asa_seconds"] < d["channels"]["voice"]["asa_seconds"]


# ---------------------------------------------------------------------------- priorities
def test_higher_priority_is_answered_first() -> None:
    # one agent, handle 100. L1 t=0 answered at once (busy 0-100); L2 t=10 waits; H t=20 waits.
    # At 100 the agent takes H (priority 1) before the older L2: H waits 80, L2 waits 190.
    scenario = build([("low", "voice", 100), ("high", "voice", 100)],
                     [{"name": "a", "agents": 1, "skills": ["low", "high"]}],
                     routing={"contact_types": {"high": {"priority": 1}}})
    tally = simulate(scenario, 0, scripted={"voice": [(0, "low"), (10, "low"), (20, "high")]})
    assert answered_waits(tally) == pytest.approx(0 + 80 + 190)
    fifo = build([("low", "voice", 100), ("high", "voice", 100)],
                 [{"name": "a", "agents": 1, "skills": ["low", "high"]}])
    tally = simulate(fifo, 0, scripted={"voice": [(0, "low"), (10, "low"), (20, "high")]})
    assert answered_waits(tally) == pytest.approx(0 + 90 + 180)  # without priority: FCFS


# ---------------------------------------------------------------------------- overflow
def test_overflow_group_takes_a_contact_only_after_its_wait() -> None:
    # specialist busy 0-300 with X1; X2 arrives at 10; the generalist is idle but may take X
    # only after 60 s of waiting: at 70. X2 waits exactly 60.
    scenario = build([("x", "voice", 300)],
                     [{"name": "specialist", "agents": 1, "skills": ["x"]},
                      {"name": "generalist", "agents": 1, "skills": ["x"]}],
                     routing={"contact_types": {"x": {"overflow": [
                         {"group": "generalist", "after_seconds": 60}]}}})
    tally = simulate(scenario, 0, scripted={"voice": [(0, "x"), (10, "x")]})
    assert answered_waits(tally) == pytest.approx(60)
    assert tally.groups["generalist"].answered == 1
    assert tally.groups["specialist"].answered == 1


def test_overflow_contact_still_goes_to_its_own_group_if_that_frees_first() -> None:
    # specialist busy 0-50; X2 at 10 would overflow at 70, but the specialist frees at 50
    scenario = build([("x", "voice", 50)],
                     [{"name": "specialist", "agents": 1, "skills": ["x"]},
                      {"name": "generalist", "agents": 1, "skills": ["x"]}],
                     routing={"contact_types": {"x": {"overflow": [
                         {"group": "generalist", "after_seconds": 60}]}}})
    tally = simulate(scenario, 0, scripted={"voice": [(0, "x"), (10, "x")]})
    assert answered_waits(tally) == pytest.approx(40)
    assert tally.groups["generalist"].answered == 0


def test_most_proficient_idle_agent_takes_the_contact_and_is_faster() -> None:
    groups = [{"name": "novices", "agents": 1, "skills": ["x"], "proficiency": {"x": 1.5}},
              {"name": "experts", "agents": 1, "skills": ["x"], "proficiency": {"x": 0.8}}]
    proficient = build([("x", "voice", 100)], groups,
                       routing={"agent_selection": "most_proficient"})
    tally = simulate(proficient, 0, scripted={"voice": [(100, "x")]})
    assert tally.groups["experts"].answered == 1
    assert tally.channels["voice"].handle_seconds == pytest.approx(80)
    # longest idle: both idle since 0; the first group listed is chosen on a tie
    idle = simulate(build([("x", "voice", 100)], groups), 0, scripted={"voice": [(100, "x")]})
    assert idle.groups["novices"].answered == 1
    assert idle.channels["voice"].handle_seconds == pytest.approx(150)


# ---------------------------------------------------------------------------- deferred work
EMAIL = {"name": "email", "volume_per_day": 0, "response_target_hours": 1}


def test_blended_agent_answers_calls_before_older_email() -> None:
    # one agent, email 600 s, calls 300 s. E1 t=0 taken at once (0-600). E2 t=5, V1 t=10 wait.
    # At 600 the call goes first although E2 is older: V1 600-900, then E2 900-1500.
    scenario = build([("mail", "email", 600), ("call", "voice", 300)],
                     [{"name": "blended", "agents": 1, "skills": ["mail", "call"]}],
                     channels=[{"name": "voice", "volume_per_day": 0}, EMAIL])
    tally = simulate(scenario, 0, scripted={"email": [(0, "mail"), (5, "mail")],
                                            "voice": [(10, "call")]})
    voice, email = tally.channels["voice"], tally.channels["email"]
    assert voice.wait_answered_seconds == pytest.approx(590)
    assert email.response_seconds == pytest.approx(600 + (1500 - 5))  # reply sent - arrival
    assert email.within_target == 2  # E1 in 10 minutes; E2 took 24 min 55 s: both < 1 hour
    assert email.abandoned == 0


def open_08_to_20(scenario: Scenario) -> Scenario:
    return Scenario.model_validate({**scenario.model_dump(mode="json", by_alias=True),
                                    "hours": {"open": "08:00", "close": "20:00"}})


def test_email_backlog_carries_into_the_next_day() -> None:
    # open 08:00-20:00, one agent, email 600 s. E1 19:45 -> 19:45-19:55; E2 19:50 -> 19:55-20:05
    # (the agent finishes the email in hand: 300 s overrun); E3 19:52 waits; after 20:05 only
    # email waits, so the agent goes home; back at 08:00: E3 08:00-08:10 the next day.
    # Responses: 600 + 900 + (08:10 next day - 19:52 = 12 h 18 min).
    scenario = open_08_to_20(build([("mail", "email", 600)],
                                   [{"name": "a", "agents": 1, "skills": ["mail"]}],
                                   channels=[EMAIL], hours=48))
    evening = 19 * 3600
    tally = simulate(scenario, 0, scripted={"email": [(evening + 45 * 60, "mail"),
                                                      (evening + 50 * 60, "mail"),
                                                      (evening + 52 * 60, "mail")]})
    email = tally.channels["email"]
    assert (email.arrivals, email.answered, email.left_at_end) == (3, 3, 0)
    assert email.response_seconds == pytest.approx(600 + 900 + 12 * 3600 + 18 * 60)
    assert email.within_target == 2
    assert tally.groups["a"].overrun_seconds == pytest.approx(300)


def test_email_left_at_the_last_close_is_drained_at_the_end_of_the_run() -> None:
    # one day; five emails 19:50-19:54, 600 s each: E1 19:50-20:00; 20:00 is the run's last
    # close, so the agent stays: E2-E5 20:00-20:40, 2,400 s of paid overrun.
    scenario = open_08_to_20(build([("mail", "email", 600)],
                                   [{"name": "a", "agents": 1, "skills": ["mail"]}],
                                   channels=[EMAIL], hours=24))
    tally = simulate(scenario, 0, scripted={"email": [(19 * 3600 + 3000 + 60 * i, "mail")
                                                      for i in range(5)]})
    email = tally.channels["email"]
    assert (email.answered, email.left_at_end) == (5, 0)
    assert tally.groups["a"].overrun_seconds == pytest.approx(2400)


# ---------------------------------------------------------------------------- properties
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), load=st.floats(0.4, 1.4), specialists=st.integers(0, 8),
       generalists=st.integers(1, 8), overflow_after=st.one_of(st.none(), st.floats(0, 300)),
       high=st.integers(-2, 2), slow=st.floats(0.5, 2.0),
       selection=st.sampled_from(["longest_idle", "most_proficient"]))
def test_routing_accounts_for_every_contact(seed: int, load: float, specialists: int,
                                            generalists: int, overflow_after: float | None,
                                            high: int, slow: float, selection: str) -> None:
    exp = {"dist": "exponential", "mean": 240}
    agents = specialists + generalists
    groups: list[dict[str, Any]] = [{"name": "generalists", "agents": generalists,
                                     "skills": ["billing", "tech", "mail"],
                                     "proficiency": {"tech": slow}}]
    if specialists:
        groups.append({"name": "specialists", "agents": specialists, "skills": ["tech"]})
    rules: dict[str, Any] = {"billing": {"priority": high}}
    if overflow_after is not None and specialists:
        rules["tech"] = {"overflow": [{"group": "generalists", "after_seconds": overflow_after}]}
    scenario = Scenario.model_validate({
        "scenario": {"name": "routing property"},
        "run": {"days": 2, "replications": 1, "seed": seed, "warmup_hours": 3},
        "hours": {"open": "08:00", "close": "20:00"},
        "channels": [{"name": "voice", "volume_per_day": load * agents * 12 * 3600 / 240 * 0.8,
                      "patience": {"dist": "exponential", "mean": 200}},
                     {"name": "email", "volume_per_day": load * agents * 12 * 3600 / 240 * 0.2,
                      "response_target_hours": 8}],
        "contact_types": [{"name": "billing", "channel": "voice", "share": 0.5, "handle_time": exp},
                          {"name": "tech", "channel": "voice", "share": 0.5, "handle_time": exp},
                          {"name": "mail", "channel": "email", "handle_time": exp}],
        "agent_groups": groups,
        "routing": {"agent_selection": selection, "contact_types": rules},
    })
    tally = simulate(scenario, 0)
    voice, email = tally.channels["voice"], tally.channels["email"]
    assert voice.arrivals == voice.answered + voice.abandoned
    assert voice.left_at_end == 0
    assert email.arrivals == email.answered  # email never abandons and is drained at the end
    assert email.left_at_end == 0
    for group in tally.groups.values():
        assert group.busy_seconds <= group.on_floor_seconds + 1e-6


# ---------------------------------------------------------------------------- transfers
def transfer_centre(patience: float | None = None) -> Scenario:
    channel: dict[str, Any] = {"name": "voice", "volume_per_day": 0}
    if patience is not None:
        channel["patience"] = fixed(patience)
    return build([("front", "voice", 100), ("back", "voice", 200)],
                 [{"name": "first_line", "agents": 1, "skills": ["front"]},
                  {"name": "second_line", "agents": 1, "skills": ["back"]}],
                 channels=[channel],
                 routing={"contact_types": {"front": {"transfers": [{"to": "back",
                                                                     "share": 1}]}}})


def test_transfer_goes_on_to_the_other_queue_with_its_own_handle_time() -> None:
    # t=0 first line 0-100, transferred at 100, second line idle: 100-300
    tally = simulate(transfer_centre(), 0, scripted={"voice": [(0, "front")]})
    v = tally.channels["voice"]
    assert (v.arrivals, v.transfers_out, v.transfers_in, v.answered) == (1, 1, 1, 2)
    assert v.handle_seconds == pytest.approx(100 + 200)
    assert v.wait_answered_seconds == 0
    assert tally.groups["second_line"].answered == 1


def test_transferred_caller_waits_and_can_abandon() -> None:
    # B (back) at 90 takes the second line 90-290; F at 0 is transferred at 100 and waits;
    # patience 50 s: it abandons at 150. Arrivals 2 + transfers in 1 = answered 2 + abandoned 1.
    tally = simulate(transfer_centre(patience=50), 0,
                     scripted={"voice": [(0, "front"), (90, "back")]})
    v = tally.channels["voice"]
    assert (v.arrivals, v.transfers_in, v.answered, v.abandoned) == (2, 1, 2, 1)
    assert v.wait_abandoned_seconds == pytest.approx(50)
    assert v.offered == v.answered + v.abandoned


# ---------------------------------------------------------------------------- other channels
def voice_and_email(**extra: Any) -> Scenario:
    voice = {"name": "voice", "volume_per_day": 0, **extra.pop("voice", {})}
    return build([("call", "voice", 100), ("mail", "email", 300)],
                 [{"name": "blended", "agents": 1, "skills": ["call", "mail"]}],
                 channels=[voice, {"name": "email", "volume_per_day": 0,
                                   "response_target_hours": 24}], **extra)


def test_a_repeat_can_come_back_on_another_channel() -> None:
    # the call (0-100) is never resolved; its repeat comes back 1,000 s later as an email:
    # 1100-1400. The email itself is resolved.
    scenario = voice_and_email(repeat_contacts={
        "fcr": 0, "delay": fixed(1000),
        "contact_types": {"call": {"return_as": {"mail": 1}}, "mail": {"fcr": 1}}})
    tally = simulate(scenario, 0, scripted={"voice": [(0, "call")]})
    voice, email = tally.channels["voice"], tally.channels["email"]
    assert (voice.arrivals, voice.answered, voice.unresolved) == (1, 1, 1)
    assert (email.arrivals, email.repeats, email.answered, email.unresolved) == (1, 1, 1, 0)
    assert email.response_seconds == pytest.approx(300)


def test_an_abandoned_caller_can_come_back_by_email() -> None:
    # A (call, handle 1000 here) 0-1000; B at 10 waits, gives up at 40 (patience 30), writes an
    # email 100 s later (140); the blended agent answers it after A: 1000-1300.
    scenario = build([("call", "voice", 1000), ("mail", "email", 300)],
                     [{"name": "blended", "agents": 1, "skills": ["call", "mail"]}],
                     channels=[{"name": "voice", "volume_per_day": 0, "patience": fixed(30),
                                "retrials": {"share": 1, "delay": fixed(100),
                                             "return_as": {"mail": 1}}},
                               {"name": "email", "volume_per_day": 0,
                                "response_target_hours": 24}])
    tally = simulate(scenario, 0, scripted={"voice": [(0, "call"), (10, "call")]})
    voice, email = tally.channels["voice"], tally.channels["email"]
    assert (voice.arrivals, voice.answered, voice.abandoned) == (2, 1, 1)
    assert (email.arrivals, email.retrials, email.answered) == (1, 1, 1)
    assert email.response_seconds == pytest.approx(1300 - 140)


def test_a_failed_self_service_session_can_become_an_email() -> None:
    # the intent tries self-service (always), fails (always) and writes an email at once:
    # nothing reaches the voice queue; the email is answered 0-300.
    scenario = voice_and_email(self_service={"voice": {
        "try_share": 1, "success_share": 0, "failure_as": {"mail": 1}}})
    tally = simulate(scenario, 0, scripted={"voice": [(0, "call")]})
    voice, email = tally.channels["voice"], tally.channels["email"]
    assert (voice.arrivals, voice.self_service_sessions, voice.redirected, voice.offered) == (
        1, 1, 1, 0)
    assert (email.arrivals, email.redirected_in, email.answered) == (1, 1, 1)
    assert email.response_seconds == pytest.approx(300)
