"""A wider grid against Erlang C and Erlang A (marked slow: CI runs it with ``-m slow``).

Same rule as tests/test_queueing_theory.py: a simulated mean passes within its
t(1 - alpha/2, R - 1) × SE interval of the formula. The grid makes about 130 comparisons, so
alpha = 0.0005 each keeps the family-wise false-alarm rate near 6 %.
"""

from __future__ import annotations

import math

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
    v = [t["channels"]["voice"] for t in trees]
    check([x["wait_probability"] for x in v], theory.wait_probability, "P(wait)")
    check([x["asa_seconds"] for x in v], theory.asa_seconds, "ASA")
    check([x["service_level"] for x in v], theory.service_level, "service level")
    check([x["mean_queue_length"] for x in v], rate * theory.asa_seconds, "Little")
    check([t["agent_groups"]["agents"]["occupancy"] for t in trees], theory.occupancy, "occ")


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
