"""The simulator against queueing theory: Erlang C, Erlang A, Erlang B and Little's law.

Every check is seeded. A simulated mean passes when it lies within
``t(1 - alpha/2, R - 1) × SE`` of the formula, SE being the standard error over R independent
replications. ``alpha = 0.001`` per check: with about 60 checks in this file that keeps the
family-wise false-alarm rate near 5 % (Bonferroni), while a real bias of a few standard errors
still fails. The tolerances come from the replication variance only — never widened by hand.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

from simulator import analytic
from simulator.experiment import run_replications
from simulator.spec.schema import Scenario
from tests.conftest import single_queue

ALPHA = 0.001


def values(trees: list[dict[str, Any]], *path: str) -> np.ndarray:
    out = []
    for tree in trees:
        node: Any = tree
        for key in path:
            node = node[key]
        out.append(float(node))
    return np.asarray(out)


def assert_agrees(sample: np.ndarray, expected: float, label: str) -> None:
    """The mean of ``sample`` is within its (1 - ALPHA) t-interval of ``expected``."""
    n = sample.size
    se = sample.std(ddof=1) / math.sqrt(n)
    half = stats.t.ppf(1 - ALPHA / 2, n - 1) * se
    assert abs(sample.mean() - expected) <= half, (
        f"{label}: simulated {sample.mean():.6g} ± {half:.3g} (t-interval, alpha={ALPHA}), "
        f"theory {expected:.6g}, off by {abs(sample.mean() - expected) / se:.1f} SE"
    )


def simulate(scenario: Scenario) -> list[dict[str, Any]]:
    return run_replications(scenario, workers=2)


# ---------------------------------------------------------------------------- Erlang C
# (agents, load per agent, mean handle s, service-level threshold s, days per replication)
ERLANG_C_CENTRES = [
    (1, 0.50, 60.0, 30.0, 12.0),
    (5, 0.80, 120.0, 20.0, 8.0),
    (20, 0.90, 300.0, 20.0, 5.0),
    (100, 0.95, 300.0, 20.0, 1.0),
    (300, 0.95, 300.0, 10.0, 0.4),
]


@pytest.mark.parametrize(("agents", "load", "handle", "sl", "days"), ERLANG_C_CENTRES)
def test_erlang_c(agents: int, load: float, handle: float, sl: float, days: float) -> None:
    rate = load * agents / handle
    scenario = single_queue(agents=agents, arrivals_per_hour=rate * 3600,
                            handle={"dist": "exponential", "mean": handle},
                            days=days, replications=20, sl_seconds=sl)
    theory = analytic.erlang_c(rate, handle, agents, sl)
    trees = simulate(scenario)
    ch = ("channels", "voice")
    assert_agrees(values(trees, *ch, "wait_probability"), theory.wait_probability, "P(wait)")
    assert_agrees(values(trees, *ch, "asa_seconds"), theory.asa_seconds, "ASA")
    assert_agrees(values(trees, *ch, "service_level"), theory.service_level, "service level")
    assert_agrees(values(trees, "agent_groups", "agents", "occupancy"), theory.occupancy,
                  "occupancy")
    assert values(trees, *ch, "abandoned").sum() == 0


# ---------------------------------------------------------------------------- Erlang A
# (agents, load per agent, mean handle s, mean patience s, days per replication)
ERLANG_A_CENTRES = [
    (10, 0.95, 300.0, 180.0, 6.0),
    (50, 0.95, 300.0, 180.0, 1.5),
    (100, 0.80, 240.0, 600.0, 1.0),
    (20, 1.30, 300.0, 120.0, 3.0),  # overloaded: more work arrives than agents can do
]


@pytest.mark.parametrize(("agents", "load", "handle", "patience", "days"), ERLANG_A_CENTRES)
def test_erlang_a(agents: int, load: float, handle: float, patience: float, days: float) -> None:
    rate = load * agents / handle
    scenario = single_queue(agents=agents, arrivals_per_hour=rate * 3600,
                            handle={"dist": "exponential", "mean": handle},
                            patience={"dist": "exponential", "mean": patience},
                            days=days, replications=20)
    theory = analytic.erlang_a(rate, handle, patience, agents, 20.0)
    trees = simulate(scenario)
    ch = ("channels", "voice")
    assert_agrees(values(trees, *ch, "abandon_rate"), theory.abandon_rate, "abandon rate")
    assert_agrees(values(trees, *ch, "service_level"), theory.service_level, "service level")
    assert_agrees(values(trees, *ch, "asa_seconds"), theory.asa_seconds, "ASA")
    assert_agrees(values(trees, *ch, "wait_probability"), theory.wait_probability, "P(wait)")
    assert_agrees(values(trees, *ch, "mean_wait_seconds_all"), theory.mean_wait_seconds_all,
                  "mean wait (all)")
    assert_agrees(values(trees, *ch, "mean_queue_length"),
                  rate * theory.mean_wait_seconds_all, "mean queue length (Little)")
    assert_agrees(values(trees, "agent_groups", "agents", "occupancy"), theory.occupancy,
                  "occupancy")


def test_canonical_file_matches_erlang_a() -> None:
    """The SPEC's canonical file (50 agents, 14,400 calls a day: load exactly 1.0)."""
    from simulator.spec.layers import load_scenario

    scenario = load_scenario("scenarios/erlang_a.toml").scenario
    theory = analytic.erlang_a(14_400 / 86_400, 300.0, 180.0, 50, 20.0)
    trees = simulate(scenario)
    ch = ("channels", "voice")
    assert_agrees(values(trees, *ch, "abandon_rate"), theory.abandon_rate, "abandon rate")
    assert_agrees(values(trees, *ch, "service_level"), theory.service_level, "service level")
    assert_agrees(values(trees, *ch, "asa_seconds"), theory.asa_seconds, "ASA")


# ---------------------------------------------------------------------------- Erlang B
@pytest.mark.parametrize(("lines", "erlangs", "days"), [(10, 7.0, 10.0), (30, 25.0, 4.0)])
def test_erlang_b_blocking(lines: int, erlangs: float, days: float) -> None:
    handle = 180.0
    rate = erlangs / handle
    scenario = single_queue(agents=lines, lines=lines, arrivals_per_hour=rate * 3600,
                            handle={"dist": "exponential", "mean": handle},
                            days=days, replications=20)
    trees = simulate(scenario)
    theory = analytic.erlang_b_figures(rate, handle, lines)
    assert_agrees(values(trees, "channels", "voice", "blocking_rate"), theory.blocking, "blocking")
    assert_agrees(values(trees, "agent_groups", "agents", "occupancy"), theory.occupancy,
                  "occupancy")
    # with lines = agents nobody ever waits
    assert values(trees, "channels", "voice", "wait_probability").max() == 0.0


def test_erlang_b_is_insensitive_to_handle_distribution() -> None:
    """Erlang B holds for any handle-time distribution (insensitivity): lognormal here."""
    handle, lines, erlangs = 240.0, 12, 9.0
    rate = erlangs / handle
    scenario = single_queue(agents=lines, lines=lines, arrivals_per_hour=rate * 3600,
                            handle={"dist": "lognormal", "mean": handle, "cv": 1.5},
                            days=8.0, replications=20)
    trees = simulate(scenario)
    assert_agrees(values(trees, "channels", "voice", "blocking_rate"),
                  analytic.erlang_b(lines, erlangs), "blocking")


# ---------------------------------------------------------------------------- Little, conservation
def test_littles_law_holds_exactly_on_every_sample_path() -> None:
    """With no warm-up the centre starts and ends empty, so area under the queue = total wait."""
    scenario = single_queue(agents=8, arrivals_per_hour=95, warmup_hours=0, days=2,
                            patience={"dist": "lognormal", "mean": 200, "cv": 1.0},
                            replications=4)
    for tree in simulate(scenario):
        voice = tree["channels"]["voice"]
        measured = 2 * 86_400
        little = voice["offered"] / measured * voice["mean_wait_seconds_all"]
        assert voice["mean_queue_length"] == pytest.approx(little, rel=1e-9)


def test_conservation_with_retrials_and_lines() -> None:
    scenario = single_queue(
        agents=10, lines=14, arrivals_per_hour=160, days=2, replications=4,
        patience={"dist": "gamma", "mean": 90, "cv": 0.7},
        channel={"retrials": {"share": 0.6, "delay": {"dist": "exponential", "mean": 300},
                              "max_attempts": 4}},
    )
    for tree in simulate(scenario):
        v = tree["channels"]["voice"]
        assert v["retrials"] > 0
        assert v["blocked"] > 0
        assert v["abandoned"] > 0
        assert v["arrivals"] == v["answered"] + v["abandoned"] + v["blocked"]
        assert v["offered"] == v["answered"] + v["abandoned"]
        assert v["arrivals"] == v["customers"] + v["retrials"]
        assert v["left_at_end"] == 0
        assert v["customer_abandon_rate"] < v["abandon_rate"] + v["blocking_rate"]
