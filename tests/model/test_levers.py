"""The voice levers on tiny deterministic centres whose timelines are worked out by hand.

Arrivals are scripted (``simulate(..., scripted=...)``), every time is fixed and every share is
0 or 1, so each number below follows from the timeline in the comment above it.
"""

from __future__ import annotations

from typing import Any

import pytest

from simulator.model import simulate
from simulator.spec.schema import Scenario

FIXED = {"dist": "fixed"}


def fixed(value: float) -> dict[str, Any]:
    return {**FIXED, "value": value}


def centre(agents: int = 1, handle: float = 300, hours: float = 24, **levers: Any) -> Scenario:
    """A 24-hour voice centre with one contact type, no warm-up, one replication."""
    channel: dict[str, Any] = {"name": "voice", "volume_per_day": 0}
    channel.update(levers.pop("channel", {}))
    return Scenario.model_validate({
        "scenario": {"name": "timeline"},
        "run": {"days": hours / 24, "replications": 1, "seed": 1},
        "channels": [channel],
        "contact_types": [{"name": "g", "channel": "voice", "handle_time": fixed(handle),
                           "after_contact_work_seconds": 0}],
        "agent_groups": [{"name": "a", "agents": agents, "skills": ["g"]}],
        **levers,
    })


def run(scenario: Scenario, *times: float) -> Any:
    return simulate(scenario, 0, scripted={"voice": [(t, "g") for t in times]})


# ---------------------------------------------------------------------------- IVR
def test_verification_saves_exactly_its_seconds() -> None:
    # t=100 call; IVR menu 30 s + verification 20 s -> queue at 150, answered at once;
    # handle 300 - 60 saved = 240 -> agent busy 150..390.
    scenario = centre(ivr={
        "menu_time": fixed(30),
        "verification": {"time": fixed(20), "success_share": 1},
        "contact_types": {"g": {"verification_saves_seconds": 60}},
    })
    tally = run(scenario, 100)
    voice = tally.channels["voice"]
    assert voice.answered == 1
    assert voice.handle_seconds == 240
    assert voice.wait_answered_seconds == 0
    assert voice.ivr_seconds == 50
    assert voice.line_seconds == 240  # queue 0 + talk 240; the IVR's 50 s are counted apart
    assert tally.groups["a"].busy_seconds == 240
    without = run(centre(ivr={"menu_time": fixed(30)}), 100).channels["voice"]
    assert without.handle_seconds == 300
    assert without.ivr_seconds == 30


def test_ivr_containment_and_hang_ups_never_reach_the_queue() -> None:
    contained = run(centre(ivr={"menu_time": fixed(30), "contact_types": {
        "g": {"containment_share": 1, "containment_time": fixed(90)}}}), 10, 20, 30)
    v = contained.channels["voice"]
    assert (v.arrivals, v.ivr_contained, v.offered, v.answered) == (3, 3, 0, 0)
    assert v.ivr_seconds == 3 * (30 + 90)
    hung = run(centre(ivr={"menu_time": fixed(30), "hangup_share": 1}), 10, 20).channels["voice"]
    assert (hung.arrivals, hung.ivr_hangups, hung.offered) == (2, 2, 0)
    assert hung.ivr_seconds == 60


# ---------------------------------------------------------------------------- callback
def test_callback_keeps_its_place_and_counts_to_its_answer() -> None:
    # One agent, handle 600, offer a call back when the expected wait exceeds 700 s.
    # A t=0: answered at once, agent busy 0..600.
    # B t=10: 0 ahead, expected wait 600 s: no offer; waits on the line.
    # C t=20: 1 ahead, expected 1200 s: offered, accepts, leaves the line, keeps its place.
    # D t=30: 2 ahead, expected 1800 s: the same.
    # 600: B answered (waited 590), busy to 1200. 1200: dial C, 30 s to connect: answered at
    # 1230, busy to 1830. 1830: dial D, answered at 1860, busy to 2460.
    scenario = centre(handle=600, callback={
        "offer_expected_wait_seconds": 700, "accept_share": 1, "connect_time": fixed(30)})
    v = run(scenario, 0, 10, 20, 30).channels["voice"]
    assert (v.answered, v.callback_offers, v.callbacks, v.callbacks_answered) == (4, 2, 2, 2)
    assert v.wait_answered_seconds == pytest.approx(0 + 590 + (1230 - 20) + (1860 - 30))
    assert v.outbound_seconds == pytest.approx(2 * (30 + 600))
    assert v.line_seconds == pytest.approx(600 + (590 + 600))  # A, B; C and D left at once
    assert v.abandoned == 0


def test_callback_offered_after_waiting_and_retried_when_not_reached() -> None:
    # One agent, handle 600. A t=0 busy 0..600. B t=10 offered after 60 s waiting (t=70),
    # accepts; never reached (share 0): 600 dial 30 s -> retry 100 s after the failed call
    # (t=730): agent idle since 630, dials at once -> 760 fails again -> 2 attempts: lost.
    scenario = centre(handle=600, callback={
        "offer_after_wait_seconds": 60, "accept_share": 1, "connect_time": fixed(30),
        "reached_share": 0, "max_attempts": 2, "retry_delay": fixed(100)})
    tally = run(scenario, 0, 10)
    v = tally.channels["voice"]
    assert (v.callback_offers, v.callbacks, v.callbacks_answered, v.callbacks_lost) == (1, 1, 0, 1)
    assert v.answered == 1
    assert v.line_seconds == pytest.approx(600 + 60)  # A's talk, B's 60 s before accepting
    assert v.outbound_seconds == pytest.approx(2 * 30)
    assert tally.groups["a"].busy_seconds == pytest.approx(600 + 2 * 30)
    assert v.customers_lost == 1


# ---------------------------------------------------------------------------- repeats
def test_unresolved_contact_returns_after_its_delay() -> None:
    # handle 100, never resolved first time, back 1000 s after the handled contact ends:
    # 0..100, repeat 1100..1200, 2200..2300, 3300..3400; the next (4400) is past the 1-hour run.
    scenario = centre(handle=100, hours=1, repeat_contacts={"fcr": 0, "delay": fixed(1000)})
    v = run(scenario, 0).channels["voice"]
    assert (v.arrivals, v.repeats, v.answered, v.unresolved) == (4, 3, 4, 4)


def test_root_cause_removes_repeats_or_demand() -> None:
    fixed_repeats = centre(handle=100, hours=1, repeat_contacts={
        "fcr": 0, "delay": fixed(1000), "contact_types": {"g": {"repeats_removed": 1}}})
    v = run(fixed_repeats, 0).channels["voice"]
    assert (v.arrivals, v.repeats, v.unresolved) == (1, 0, 0)
    no_demand = centre(hours=1, repeat_contacts={
        "delay": fixed(1000), "contact_types": {"g": {"demand_removed": 1}}})
    v = run(no_demand, 0, 10, 20).channels["voice"]
    assert v.arrivals == 0


def test_returns_in_closed_hours_wait_for_the_next_opening() -> None:
    # open 08:00-20:00; a contact handled 19:00-19:05 is back 2 h later (21:05, closed): the
    # closed 12 h (20:00-08:00) map onto the next day's 12 open hours, 21:05 -> 09:05.
    scenario = Scenario.model_validate({
        **centre(handle=300, hours=48).model_dump(mode="json", by_alias=True),
        "hours": {"open": "08:00", "close": "20:00"},
        "repeat_contacts": {"fcr": 0, "delay": fixed(7200),
                            "contact_types": {"g": {"fcr": 0}}},
    })
    tally = run(scenario, 19 * 3600)
    v = tally.channels["voice"]
    assert v.repeats >= 1
    back = 86_400 + 9 * 3600 + 300  # 09:05 the next day (day 0 is a Monday: Tuesday's slot)
    assert v.arrivals_by_interval[back // 1800] == 1


# ---------------------------------------------------------------------------- self-service
def test_self_service_deflects_and_failures_are_slower() -> None:
    deflect = centre(self_service={"voice": {"try_share": 1, "success_share": 1}})
    v = run(deflect, 10, 20).channels["voice"]
    assert (v.arrivals, v.self_service_sessions, v.deflected, v.offered) == (2, 2, 2, 0)
    fail = centre(self_service={"voice": {"try_share": 1, "success_share": 0,
                                          "handle_time_factor": 1.5}})
    v = run(fail, 10).channels["voice"]
    assert (v.self_service_sessions, v.deflected, v.answered) == (1, 0, 1)
    assert v.handle_seconds == 450
