"""Chat stretch against an exact Markov model of the same rule (tests/validation/chat_ctmc.py).

The rule (README, chat): a chat's handle time is stretched by ``concurrency_stretch`` per extra
chat, the concurrency being the group's average once the chat starts — chats *in progress*,
itself included — and fixed for the chat's life. Tolerances as in test_queueing_theory.py:
``t(1 - alpha/2, R - 1) × SE`` over seeded replications, ``alpha = 0.001``.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import pytest
from scipy import stats

from simulator import analytic
from simulator.experiment import run_replications
from simulator.spec.schema import Scenario
from tests.validation.chat_ctmc import ChatFigures, chat_ctmc

ALPHA = 0.001


def chat_centre(*, agents: int, slots: int, stretch: float, per_hour: float, handle: float,
                patience: float, sl_seconds: float, days: float, replications: int,
                seed: int = 11) -> Scenario:
    """A 24-hour chat centre: one queue, exponential handle time and patience."""
    return Scenario.model_validate({
        "scenario": {"name": "chat stretch"},
        "run": {"days": days, "replications": replications, "seed": seed, "warmup_hours": 2},
        "channels": [{"name": "chat", "kind": "chat", "volume_per_day": per_hour * 24,
                      "service_level_seconds": sl_seconds,
                      "patience": {"dist": "exponential", "mean": patience},
                      "concurrency": slots, "concurrency_stretch": stretch}],
        "contact_types": [{"name": "help", "channel": "chat",
                           "handle_time": {"dist": "exponential", "mean": handle}}],
        "agent_groups": [{"name": "agents", "agents": agents, "skills": ["help"]}],
    })


def assert_agrees(sample: np.ndarray, expected: float, label: str) -> None:
    n = sample.size
    se = sample.std(ddof=1) / math.sqrt(n)
    half = stats.t.ppf(1 - ALPHA / 2, n - 1) * se
    assert abs(sample.mean() - expected) <= half, (
        f"{label}: simulated {sample.mean():.6g} ± {half:.3g} (t-interval, alpha={ALPHA}), "
        f"exact {expected:.6g}, off by {abs(sample.mean() - expected) / se:.1f} SE"
    )


@cache
def exact(per_hour: float, handle: float, patience: float, agents: int, slots: int,
          stretch: float, sl: float) -> ChatFigures:
    return chat_ctmc(per_hour / 3600, handle, patience, agents, slots, stretch, sl)


# ---------------------------------------------------------------------------- the oracle itself
@pytest.mark.parametrize(("agents", "slots", "per_hour"), [(10, 3, 140.0), (4, 2, 50.0),
                                                          (6, 1, 40.0)])
def test_ctmc_without_stretch_is_erlang_a_with_agents_times_slots_servers(
        agents: int, slots: int, per_hour: float) -> None:
    f = exact(per_hour, 600.0, 300.0, agents, slots, 0.0, 60.0)
    a = analytic.erlang_a(per_hour / 3600, 600.0, 300.0, agents * slots, 60.0)
    assert f.handle_seconds == pytest.approx(600.0)
    for key in ("wait_probability", "service_level", "asa_seconds", "abandon_rate", "occupancy"):
        assert getattr(f, key) == pytest.approx(getattr(a, key), rel=1e-8, abs=1e-12), key


@pytest.mark.parametrize("per_hour", [100.0, 140.0, 170.0])
def test_ctmc_is_consistent(per_hour: float) -> None:
    f = exact(per_hour, 480.0, 300.0, 10, 3, 0.25, 60.0)
    lam = per_hour / 3600
    # answered share from the tagged chat's chain = 1 - abandonment from the stationary law
    assert f.answered_share == pytest.approx(1.0 - f.abandon_rate, rel=1e-9)
    # Little on the slots: chats in service = throughput x mean handle time of answered chats
    assert f.occupancy * 30 == pytest.approx(lam * f.answered_share * f.handle_seconds, rel=1e-9)
    assert 480.0 < f.handle_seconds < 480.0 * 1.5
    assert 1.0 - f.wait_probability <= f.service_level <= 1.0 - f.abandon_rate


def test_ctmc_stretch_classes_by_hand() -> None:
    """One agent, two slots, +50 % for the second chat, chats that give up at once rather than
    wait: small enough to write down. States (n1, n2): a chat starting alone is class 1, one
    starting next to a chat in progress (of either class) is class 2."""
    lam, mu = 1 / 100, 1 / 100
    mu2 = mu / 1.5
    states = [(0, 0), (1, 0), (0, 1), (1, 1), (0, 2)]
    jumps = {((0, 0), (1, 0)): lam,
             ((1, 0), (0, 0)): mu, ((1, 0), (1, 1)): lam,
             ((0, 1), (0, 0)): mu2, ((0, 1), (0, 2)): lam,
             ((1, 1), (0, 1)): mu, ((1, 1), (1, 0)): mu2,
             ((0, 2), (0, 1)): 2 * mu2}
    q = np.zeros((5, 5))
    for (a, b), rate in jumps.items():
        q[states.index(a), states.index(b)] += rate
        q[states.index(a), states.index(a)] -= rate
    pi = np.linalg.solve(np.vstack([q.T[:-1], np.ones(5)]), np.eye(5)[-1])
    p = dict(zip(states, pi, strict=True))
    starts1, starts2 = lam * p[(0, 0)], lam * (p[(1, 0)] + p[(0, 1)])
    f = chat_ctmc(lam, 100.0, 1e-6, 1, 2, 0.5, 0.0)
    assert f.handle_seconds == pytest.approx((starts1 * 100 + starts2 * 150)
                                             / (starts1 + starts2), rel=1e-5)
    assert f.occupancy == pytest.approx(
        (p[(1, 0)] + p[(0, 1)] + 2 * p[(1, 1)] + 2 * p[(0, 2)]) / 2, rel=1e-5)
    assert f.wait_probability == pytest.approx(p[(1, 1)] + p[(0, 2)], rel=1e-5)


# ---------------------------------------------------------------------------- the engine
STRETCHED = [
    # (agents, slots, stretch, chats per hour, mean handle s, days per replication)
    (10, 3, 0.25, 100.0, 480.0, 3.0),
    (10, 3, 0.25, 140.0, 480.0, 3.0),  # the measured case: AHT 719.5 s against 711.3 s
    (10, 3, 0.25, 170.0, 480.0, 3.0),
    (4, 2, 0.5, 36.0, 400.0, 6.0),  # another shape: the ceil of chats per agent at 4, 8
]


@pytest.mark.parametrize(("agents", "slots", "stretch", "per_hour", "handle", "days"), STRETCHED)
def test_stretch_matches_the_exact_chain(agents: int, slots: int, stretch: float,
                                         per_hour: float, handle: float, days: float) -> None:
    patience, sl = 300.0, 60.0
    scenario = chat_centre(agents=agents, slots=slots, stretch=stretch, per_hour=per_hour,
                           handle=handle, patience=patience, sl_seconds=sl, days=days,
                           replications=40)
    trees = run_replications(scenario, workers=2)
    f = exact(per_hour, handle, patience, agents, slots, stretch, sl)

    def sample(*path: str) -> np.ndarray:
        out = []
        for tree in trees:
            node: Any = tree
            for key in path:
                node = node[key]
            out.append(float(node))
        return np.asarray(out)

    chat = ("channels", "chat")
    assert_agrees(sample(*chat, "aht_seconds"), f.handle_seconds, "handle time")
    assert_agrees(sample(*chat, "service_level"), f.service_level, "service level")
    assert_agrees(sample(*chat, "abandon_rate"), f.abandon_rate, "abandon rate")
    assert_agrees(sample(*chat, "wait_probability"), f.wait_probability, "P(wait)")
    assert_agrees(sample(*chat, "asa_seconds"), f.asa_seconds, "ASA")
    assert_agrees(sample("agent_groups", "agents", "occupancy"), f.occupancy, "occupancy")
