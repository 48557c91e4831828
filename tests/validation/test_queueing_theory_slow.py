"""A wider grid against Erlang C and Erlang A (marked slow: CI runs it with ``-m slow``).

Same rule as tests/test_queueing_theory.py: a simulated mean passes within its
t(1 - alpha/2, R - 1) × SE interval of the formula. The grid makes about 130 comparisons, so
alpha = 0.0005 each keeps the family-wise false-alarm rate near 6 %.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

from simulator import analytic
from simulator.experiment import run_replications
from tests.conftest import single_queue

pytestmark = pytest.mark.slow
ALPHA = 0.0005
AGENTS = (1, 3, 10, 30, 100, 300)
LOADS = (0.5, 0.8, 0.95)


def check(sample: list[float], expected: float, label: str) -> None:
    data = np.asarray(sample)
    se = data.std(ddof=1) / math.sqrt(data.size)
    half = stats.t.ppf(1 - ALPHA / 2, data.size - 1) * se
    assert abs(data.mean() - expected) <= half, (label, data.mean(), half, expected)


def check_share(trees: list[dict[str, Any]], key: str, expected: float) -> bool:
    """Check a share of offered contacts (waited, answered within the threshold).

    When fewer than 5 contacts are expected on the rarer side (e.g. P(wait) = 1e-10 in a large,
    lightly loaded centre), every replication sees the same 0 or 1 and a t-interval is
    meaningless; then the rare count must not exceed its Poisson (1 - alpha) upper bound.
    Returns False in that case (the share is too rare for further comparisons).
    """
    voice = [t["channels"]["voice"] for t in trees]
    offered = sum(v["offered"] for v in voice)
    rare = min(expected, 1 - expected)
    if rare * offered >= 5:
        check([v[key] for v in voice], expected, key)
        return True
    seen = sum((v[key] if expected == rare else 1 - v[key]) * v["offered"] for v in voice)
    assert seen <= stats.poisson.ppf(1 - ALPHA, rare * offered), (key, seen, rare * offered)
    return False


def days_for(agents: int, load: float, handle: float, calls: float) -> float:
    return calls / (load * agents / handle * 86_400)


@pytest.mark.parametrize("agents", AGENTS)
@pytest.mark.parametrize("load", LOADS)
def test_erlang_c_grid(agents: int, load: float) -> None:
    handle = 180.0
    rate = load * agents / handle
    scenario = single_queue(agents=agents, arrivals_per_hour=rate * 3600, replications=30,
                            handle={"dist": "exponential", "mean": handle},
                            days=days_for(agents, load, handle, 30_000) + 0.1, sl_seconds=15)
    theory = analytic.erlang_c(rate, handle, agents, 15)
    trees = run_replications(scenario, workers=2)
    check([t["agent_groups"]["agents"]["occupancy"] for t in trees], theory.occupancy, "occ")
    check_share(trees, "service_level", theory.service_level)
    if not check_share(trees, "wait_probability", theory.wait_probability):
        return  # waits too rare to estimate their length
    v = [t["channels"]["voice"] for t in trees]
    check([x["asa_seconds"] for x in v], theory.asa_seconds, "ASA")
    check([x["mean_queue_length"] for x in v], rate * theory.asa_seconds, "Little")


@pytest.mark.parametrize("agents", AGENTS)
@pytest.mark.parametrize("load", [0.9, 1.2])
def test_erlang_a_grid(agents: int, load: float) -> None:
    handle, patience = 240.0, 300.0
    rate = load * agents / handle
    scenario = single_queue(agents=agents, arrivals_per_hour=rate * 3600, replications=30,
                            handle={"dist": "exponential", "mean": handle},
                            patience={"dist": "exponential", "mean": patience},
                            days=days_for(agents, load, handle, 30_000) + 0.1)
    theory = analytic.erlang_a(rate, handle, patience, agents, 20)
    trees = run_replications(scenario, workers=2)
    v = [t["channels"]["voice"] for t in trees]
    check([x["abandon_rate"] for x in v], theory.abandon_rate, "abandon")
    check([x["asa_seconds"] for x in v], theory.asa_seconds, "ASA")
    check([x["service_level"] for x in v], theory.service_level, "service level")
    check([x["mean_wait_seconds_all"] for x in v], theory.mean_wait_seconds_all, "wait all")
