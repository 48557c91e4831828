"""Occupancy over a short measured window against Erlang A.

Occupancy is busy ÷ on-floor time over the measured window, from the warm-up to the end of the
horizon. With a window of a few hours the edges matter: work carried in at the warm-up and
work carried out at the horizon (the drain, where every agent still on the floor is busy) must
be cut at the window, in busy and on-floor time alike, or occupancy is pulled towards 1.
Tolerances as in test_queueing_theory.py: ``t(1 - alpha/2, R - 1) × SE``, ``alpha = 0.001``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from simulator import analytic
from simulator.experiment import run_replications
from tests.conftest import single_queue

ALPHA = 0.001

CENTRES = [
    # (agents, load per agent, mean handle s, mean patience s, replications)
    (250, 0.50, 300.0, 180.0, 120),  # the measured case: 0.504 against 0.500 before the fix
    (50, 0.95, 300.0, 180.0, 120),  # high load
    (20, 1.30, 300.0, 120.0, 60),  # overloaded
]


@pytest.mark.parametrize(("agents", "load", "handle", "patience", "replications"), CENTRES)
def test_occupancy_over_a_four_hour_window(agents: int, load: float, handle: float,
                                           patience: float, replications: int) -> None:
    rate = load * agents / handle
    scenario = single_queue(agents=agents, arrivals_per_hour=rate * 3600,
                            handle={"dist": "exponential", "mean": handle},
                            patience={"dist": "exponential", "mean": patience},
                            days=6 / 24, warmup_hours=2, replications=replications, seed=5)
    trees = run_replications(scenario, workers=2)
    theory = analytic.erlang_a(rate, handle, patience, agents, 20.0)
    groups = [t["agent_groups"]["agents"] for t in trees]
    sample = np.array([g["occupancy"] for g in groups])
    se = sample.std(ddof=1) / math.sqrt(sample.size)
    half = stats.t.ppf(1 - ALPHA / 2, sample.size - 1) * se
    assert abs(sample.mean() - theory.occupancy) <= half, (
        f"occupancy: simulated {sample.mean():.5f} ± {half:.3g}, Erlang A "
        f"{theory.occupancy:.5f}, off by {abs(sample.mean() - theory.occupancy) / se:.1f} SE")
    # the hours are the window's: agents x 4 h on the floor, busy within them, paid for them
    for g in groups:
        assert g["on_floor_hours"] == pytest.approx(agents * 4)
        assert g["busy_hours"] <= g["on_floor_hours"]
        assert g["paid_hours"] == pytest.approx(g["on_floor_hours"])
        assert g["occupancy"] == pytest.approx(g["busy_hours"] / g["on_floor_hours"])
