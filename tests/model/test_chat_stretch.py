"""Chat stretch on hand-checked timelines: only chats in progress count.

One agent, fixed handle times, scripted arrivals. The stretch of a starting chat uses the
group's average concurrency once it starts (README, chat): chats that have already ended do
not count, however lazily the engine frees their slots.
"""

from __future__ import annotations

from typing import Any

import pytest

from simulator.model import simulate
from simulator.spec.schema import Scenario

T0 = 2 * 3600  # after the warm-up


def one_agent(slots: int, stretch: float, handle: float = 100.0) -> Scenario:
    return Scenario.model_validate({
        "scenario": {"name": "chat timeline"},
        "run": {"days": 4 / 24, "replications": 1, "seed": 1, "warmup_hours": 2},
        "channels": [{"name": "chat", "kind": "chat", "volume_per_day": 0,
                      "concurrency": slots, "concurrency_stretch": stretch}],
        "contact_types": [{"name": "help", "channel": "chat",
                           "handle_time": {"dist": "fixed", "value": handle}}],
        "agent_groups": [{"name": "agents", "agents": 1, "skills": ["help"]}],
    })


def run(scenario: Scenario, offsets: list[float]) -> Any:
    return simulate(scenario, 0, scripted={"chat": [(T0 + dt, "help") for dt in offsets]})


def test_a_chat_after_both_slots_have_ended_is_alone() -> None:
    # A at 0 alone: 100 (ends 100); B at 10 next to A: 150 (ends 160); C at 200: A and B have
    # ended, so C is alone: 100 — not 150 as if B (ended, its slot not yet freed) still ran.
    tally = run(one_agent(2, 0.5), [0, 10, 200])
    assert tally.channels["chat"].handle_seconds == pytest.approx(100 + 150 + 100)
    assert tally.groups["agents"].busy_seconds == pytest.approx((100 + 150 + 100) / 2)


def test_three_slots_all_ended() -> None:
    # A 0: 100 (ends 100), B 10: 150 (ends 160), C 20: 200 (ends 220); D at 300 alone: 100
    tally = run(one_agent(3, 0.5), [0, 10, 20, 300])
    assert tally.channels["chat"].handle_seconds == pytest.approx(100 + 150 + 200 + 100)


def test_one_ended_one_in_progress() -> None:
    # A 0: 100 (ends 100), B 10: 150 (ends 160); C at 120: A has ended, B is in progress, so C
    # is the second: 150. D at 130 finds both slots taken (B, C), waits until B ends at 160
    # and starts next to C, in progress: 150.
    tally = run(one_agent(2, 0.5), [0, 10, 120, 130])
    chat = tally.channels["chat"]
    assert chat.handle_seconds == pytest.approx(100 + 150 + 150 + 150)
    assert chat.wait_answered_seconds == pytest.approx(160 - 130)


def test_no_stretch_no_change() -> None:
    tally = run(one_agent(2, 0.0), [0, 10, 200])
    assert tally.channels["chat"].handle_seconds == pytest.approx(300)
