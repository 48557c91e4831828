"""Chat: agents carrying several chats at once."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

from simulator import analytic
from simulator.experiment import run_replications
from simulator.model import simulate
from simulator.spec.schema import Scenario

ALPHA = 0.001


def line(kind: str, agents: int, per_hour: float, concurrency: int = 1, stretch: float = 0.0,
         patience: float | None = 240.0, days: float = 1.0, replications: int = 1,
         handle: dict[str, Any] | None = None) -> Scenario:
    """A 24-hour centre with one channel called "line" (voice or chat: the same streams)."""
    channel: dict[str, Any] = {"name": "line", "kind": kind, "volume_per_day": per_hour * 24}
    if patience is not None:
        channel["patience"] = {"dist": "exponential", "mean": patience}
    if kind == "chat":
        channel.update(concurrency=concurrency, concurrency_stretch=stretch)
    return Scenario.model_validate({
        "scenario": {"name": "chat"},
        "run": {"days": days, "replications": replications, "seed": 3, "warmup_hours": 2},
        "channels": [channel],
        "contact_types": [{"name": "help", "channel": "line",
                           "handle_time": handle or {"dist": "exponential", "mean": 600}}],
        "agent_groups": [{"name": "agents", "agents": agents, "skills": ["help"]}],
    })


def test_one_chat_at_a_time_without_stretch_is_the_voice_model() -> None:
    voice = simulate(line("voice", 8, 45), 0)
    chat = simulate(line("chat", 8, 45), 0)
    v, c = voice.channels["line"], chat.channels["line"]
    for key in ("arrivals", "answered", "abandoned", "queued", "wait_answered_seconds",
                "handle_seconds", "answered_in_sl"):
        assert getattr(v, key) == getattr(c, key), key
    assert voice.groups["agents"].busy_seconds == pytest.approx(chat.groups["agents"].busy_seconds)
    assert c.line_seconds == 0  # no telephony minutes on a chat


def test_two_chats_each_is_erlang_c_with_twice_the_servers() -> None:
    agents, rate = 6, 60.0  # 60 chats an hour of 600 s = 10 erlangs on 6 agents x 2 chats
    trees = run_replications(line("chat", agents, rate, concurrency=2, patience=None,
                                  days=1.5, replications=20), workers=2)
    theory = analytic.erlang_c(rate / 3600, 600, 2 * agents, 20)
    checks = [(("channels", "line", "wait_probability"), theory.wait_probability),
              (("channels", "line", "asa_seconds"), theory.asa_seconds),
              (("channels", "line", "service_level"), theory.service_level),
              # occupancy is the share of chat slots in use
              (("agent_groups", "agents", "occupancy"), theory.occupancy)]
    for (a, b, key), expected in checks:
        data = np.array([t[a][b][key] for t in trees])
        half = stats.t.ppf(1 - ALPHA / 2, data.size - 1) * data.std(ddof=1) / math.sqrt(data.size)
        assert abs(data.mean() - expected) <= half, (key, data.mean(), half, expected)
    # hours are the agents' hours, not the slots': 6 agents x 34 h after the warm-up, plus
    # the overrun of finishing the last chats (no shrinkage: on the floor = rostered + overrun)
    group = simulate(line("chat", agents, rate, concurrency=2, patience=None, days=1.5), 0)
    tally = group.groups["agents"]
    assert tally.rostered_seconds == pytest.approx(agents * 34 * 3600)
    assert tally.on_floor_seconds == pytest.approx(tally.rostered_seconds + tally.overrun_seconds)


def test_concurrency_raises_throughput() -> None:
    one = simulate(line("chat", 5, 60, concurrency=1), 0).channels["line"]
    three = simulate(line("chat", 5, 60, concurrency=3, stretch=0.2), 0).channels["line"]
    assert three.answered > one.answered
    assert three.abandoned < one.abandoned


def test_each_extra_chat_stretches_the_handle_time() -> None:
    # one agent, 2 chats at once, +50 % per extra chat, handle 100: A at 0 alone: 100;
    # B at 10 is the agent's second chat: 150. Hours are the one agent's.
    scenario = line("chat", 1, 0, concurrency=2, stretch=0.5, patience=None, days=3 / 24,
                    handle={"dist": "fixed", "value": 100})
    tally = simulate(scenario, 0, scripted={"line": [(2 * 3600 + 0, "help"),
                                                     (2 * 3600 + 10, "help")]})
    assert tally.channels["line"].handle_seconds == pytest.approx(250)
    assert tally.groups["agents"].busy_seconds == pytest.approx(250 / 2)
