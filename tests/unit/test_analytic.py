"""Tests of the analytic Erlang B / C / A formulas (the simulator's oracle)."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from scipy import integrate, linalg, stats

from simulator import analytic

# 100 calls per 30 minutes (= 200 per hour), AHT 180 s: 10 erlangs.
CCH_RATE = 100 / 1800
CCH_AHT = 180.0


def _direct_erlang_b(agents: int, load: float) -> float:
    terms = [load**k / math.factorial(k) for k in range(agents + 1)]
    return terms[-1] / sum(terms)


# --------------------------------------------------------------------------- published examples


def test_call_centre_helper_erlang_c_example() -> None:
    """Call Centre Helper "Erlang C formula - example" (100 calls / 30 min, AHT 180 s, 20 s).

    Same figures in the pyworkforce README and tests: 14 agents -> SL 0.8884, occupancy 0.7143,
    P(wait) 0.1741; 15 agents -> SL 0.941, occupancy 0.667, P(wait) 0.102; 11 agents ->
    P(wait) 68.21 %.
    """
    fourteen = analytic.erlang_c(CCH_RATE, CCH_AHT, 14, 20.0)
    assert fourteen.offered_load_erlangs == pytest.approx(10.0)
    assert round(fourteen.service_level, 4) == 0.8884
    assert round(fourteen.occupancy, 4) == 0.7143
    assert round(fourteen.wait_probability, 4) == 0.1741
    fifteen = analytic.erlang_c(CCH_RATE, CCH_AHT, 15, 20.0)
    assert round(fifteen.service_level, 3) == 0.941
    assert round(fifteen.occupancy, 3) == 0.667
    assert round(fifteen.wait_probability, 3) == 0.102
    assert round(analytic.erlang_c(CCH_RATE, CCH_AHT, 11, 20.0).wait_probability, 4) == 0.6821


def test_call_centre_helper_staffing() -> None:
    """80 % in 20 s needs 14 agents (13 give 0.796); with max occupancy 0.7 it needs 15."""
    assert analytic.erlang_c(CCH_RATE, CCH_AHT, 13, 20.0).service_level < 0.8
    assert analytic.agents_for_service_level(CCH_RATE, CCH_AHT, 20.0, 0.8) == 14
    assert analytic.agents_for_service_level(CCH_RATE, CCH_AHT, 20.0, 0.8, max_occupancy=0.85) == 14
    assert analytic.agents_for_service_level(CCH_RATE, CCH_AHT, 20.0, 0.8, max_occupancy=0.7) == 15


def test_westbay_erlang_c_example() -> None:
    """Westbay Engineers "The Erlang-C formula": 360 calls / 30 min, 240 s, 55 agents, 15 s.

    Load 48 erlangs, occupancy 0.873, P(wait) about 24 %, ASA about 8.2 s.
    """
    figures = analytic.erlang_c(360 / 1800, 240.0, 55, 15.0)
    assert figures.offered_load_erlangs == pytest.approx(48.0)
    assert round(figures.occupancy, 3) == 0.873
    assert round(figures.wait_probability, 2) == 0.24
    assert round(figures.asa_seconds, 1) == 8.2
    assert figures.service_level == pytest.approx(1 - 0.2387009 * math.exp(-7 * 15 / 240), 1e-6)


@pytest.mark.parametrize(
    ("agents", "load", "expected", "digits"),
    [
        (10, 5.0, 0.01838, 5),  # standard Erlang B table
        (20, 15.0, 0.0456, 4),
        (30, 25.0, 0.0526, 4),  # Mathematica ErlangB example: "approximately 0.05"
        (1, 1.0, 0.5, 6),
        (2, 1.0, 0.2, 6),
    ],
)
def test_erlang_b_table_values(agents: int, load: float, expected: float, digits: int) -> None:
    assert round(analytic.erlang_b(agents, load), digits) == expected


@pytest.mark.parametrize(
    ("lines", "load_at_one_percent"),
    [(10, 4.461), (20, 12.031), (50, 37.901), (100, 84.064)],
)
def test_erlang_b_table_one_percent_column(lines: int, load_at_one_percent: float) -> None:
    """Erlang B table, 1 % grade of service column (loads printed to 3 decimals)."""
    assert analytic.erlang_b(lines, load_at_one_percent) == pytest.approx(0.01, abs=5e-6)


def test_erlang_b_lines_for_ten_erlangs_at_two_percent() -> None:
    """10 erlangs at 2 % blocking need 17 lines (Erlang B table; pyworkforce ErlangB tests)."""
    assert analytic.erlang_b(16, 10.0) > 0.02 >= analytic.erlang_b(17, 10.0)


@pytest.mark.parametrize(
    ("agents", "abandon", "wait_all_seconds"),
    [(10, 0.1198, 21.57), (50, 0.0418, 7.53), (100, 0.0240, 4.32), (1000, 0.0010, 0.18)],
)
def test_erlang_a_published_table(agents: int, abandon: float, wait_all_seconds: float) -> None:
    """M/M/n+M at load 0.95 per agent, handle 300 s, patience 180 s (exact reference table)."""
    figures = analytic.erlang_a(0.95 * agents / 300, 300.0, 180.0, agents, 20.0)
    assert round(figures.abandon_rate, 4) == abandon
    assert round(figures.mean_wait_seconds_all, 2) == wait_all_seconds


def test_erlang_a_fifty_agent_example() -> None:
    figures = analytic.erlang_a(0.95 * 50 / 300, 300.0, 180.0, 50, 20.0)
    assert round(figures.abandon_rate, 4) == 0.0418
    assert round(figures.mean_wait_seconds_all, 2) == 7.53
    assert round(figures.asa_seconds, 2) == 7.03
    assert round(figures.wait_probability, 3) == 0.334


def test_erlang_a_pyworkforce_snapshot() -> None:
    """pyworkforce ErlangA regression snapshot (independent exact code, uniformisation).

    100 calls / 30 min, AHT 3 min, patience 5 min, 14 agents, 20 s target.
    """
    figures = analytic.erlang_a(CCH_RATE, CCH_AHT, 300.0, 14, 20.0)
    assert round(figures.wait_probability, 5) == 0.14526
    assert round(figures.abandon_rate, 6) == 0.013984
    assert round(figures.occupancy, 6) == 0.704297
    assert round(figures.mean_wait_seconds_all / 60, 6) == 0.069919
    assert round(figures.service_level, 6) == 0.916792


# --------------------------------------------------------------------------- Erlang B


@pytest.mark.parametrize("agents", [1, 2, 5, 13, 30])
@pytest.mark.parametrize("load", [0.3, 4.0, 12.5, 40.0])
def test_erlang_b_recursion_matches_direct_formula(agents: int, load: float) -> None:
    assert analytic.erlang_b(agents, load) == pytest.approx(_direct_erlang_b(agents, load), 1e-12)


@pytest.mark.parametrize("load", [10.0, 4800.0, 5000.0, 7500.0])
def test_erlang_b_stable_for_5000_lines(load: float) -> None:
    # B(n, a) = P(X = n) / P(X <= n) for X ~ Poisson(a), evaluated in log space.
    log_pmf = stats.poisson.logpmf(5000, load)
    log_cdf = stats.poisson.logcdf(5000, load)
    expected = math.exp(float(log_pmf) - float(log_cdf))
    assert analytic.erlang_b(5000, load) == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_erlang_b_figures() -> None:
    figures = analytic.erlang_b_figures(5.0 / 180, 180.0, 10)
    assert figures.blocking == pytest.approx(0.01838, abs=5e-6)
    assert figures.occupancy == pytest.approx(5.0 * (1 - figures.blocking) / 10)
    assert figures.service_level == 1.0
    assert figures.wait_probability == 0.0
    assert figures.asa_seconds == figures.mean_wait_seconds_all == 0.0
    assert figures.abandon_rate == 0.0


def test_erlang_b_zero_load() -> None:
    assert analytic.erlang_b(3, 0.0) == 0.0


# --------------------------------------------------------------------------- Erlang C


def test_erlang_c_relations() -> None:
    lam, aht, n = 0.05, 180.0, 12
    figures = analytic.erlang_c(lam, aht, n, 0.0)
    load, blocking = lam * aht, analytic.erlang_b(n, lam * aht)
    assert figures.wait_probability == pytest.approx(blocking / (1 - load / n * (1 - blocking)))
    assert figures.service_level == pytest.approx(1 - figures.wait_probability)
    # Little: mean queue length = lambda * mean wait = C * rho / (1 - rho).
    rho = load / n
    assert lam * figures.mean_wait_seconds_all == pytest.approx(
        figures.wait_probability * rho / (1 - rho)
    )
    assert figures.asa_seconds == figures.mean_wait_seconds_all
    assert figures.abandon_rate == figures.blocking == 0.0


def test_erlang_c_large_and_stable() -> None:
    figures = analytic.erlang_c(4990 / 300, 300.0, 5000, 20.0)
    assert 0.0 < figures.wait_probability < 1.0
    assert 0.0 < figures.service_level < 1.0
    assert math.isfinite(figures.asa_seconds)


def test_erlang_c_monotone() -> None:
    sl_by_t = [analytic.erlang_c(CCH_RATE, CCH_AHT, 12, t).service_level for t in range(0, 200, 5)]
    assert all(b > a for a, b in itertools.pairwise(sl_by_t))
    sl_by_n = [analytic.erlang_c(CCH_RATE, CCH_AHT, n, 20.0).service_level for n in range(11, 25)]
    assert all(b > a for a, b in itertools.pairwise(sl_by_n))


def test_erlang_c_unstable_raises() -> None:
    with pytest.raises(ValueError, match="unstable"):
        analytic.erlang_c(CCH_RATE, CCH_AHT, 10, 20.0)
    with pytest.raises(ValueError, match="unstable"):
        analytic.erlang_c(CCH_RATE, CCH_AHT, 9, 20.0)


# --------------------------------------------------------------------------- Erlang A


@pytest.mark.parametrize(
    ("lam", "aht", "agents", "threshold"),
    [(CCH_RATE, CCH_AHT, 14, 20.0), (0.95 * 50 / 300, 300.0, 50, 20.0), (0.2, 30.0, 7, 5.0)],
)
def test_erlang_a_converges_to_erlang_c(
    lam: float, aht: float, agents: int, threshold: float
) -> None:
    a = analytic.erlang_a(lam, aht, 1e9, agents, threshold)
    c = analytic.erlang_c(lam, aht, agents, threshold)
    assert a.wait_probability == pytest.approx(c.wait_probability, abs=1e-5)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-5)
    assert a.asa_seconds == pytest.approx(c.asa_seconds, rel=1e-5)
    assert a.mean_wait_seconds_all == pytest.approx(c.mean_wait_seconds_all, rel=1e-5)
    assert a.occupancy == pytest.approx(c.occupancy, abs=1e-5)
    assert a.abandon_rate < 1e-5


@pytest.mark.parametrize(
    ("lam", "aht", "patience", "agents"),
    [(CCH_RATE, CCH_AHT, 300.0, 14), (0.95 * 50 / 300, 300.0, 180.0, 50), (0.1, 60.0, 20.0, 4)],
)
def test_erlang_a_identities(lam: float, aht: float, patience: float, agents: int) -> None:
    figures = analytic.erlang_a(lam, aht, patience, agents, 0.0)
    # T = 0: only contacts that find an idle agent count.
    assert figures.service_level == pytest.approx(1 - figures.wait_probability, abs=1e-14)
    # Exponential patience: P(abandon) = theta * E[wait] (Little on the queue).
    assert figures.abandon_rate == pytest.approx(figures.mean_wait_seconds_all / patience)
    # T -> infinity: every served contact counts, from the tagged-customer route.
    late = analytic.erlang_a(lam, aht, patience, agents, 1e7)
    assert late.service_level == pytest.approx(1 - figures.abandon_rate, abs=1e-12)
    assert figures.occupancy == pytest.approx(lam * aht * (1 - figures.abandon_rate) / agents)
    # Served contacts wait less on average than the patience-capped mean over everybody.
    served_wait_total = figures.asa_seconds * (1 - figures.abandon_rate)
    assert served_wait_total < figures.mean_wait_seconds_all


def test_erlang_a_monotone() -> None:
    sl_by_t = [
        analytic.erlang_a(CCH_RATE, CCH_AHT, 300.0, 12, t).service_level for t in range(0, 300, 10)
    ]
    assert all(b > a for a, b in itertools.pairwise(sl_by_t))
    sl_by_n = [
        analytic.erlang_a(CCH_RATE, CCH_AHT, 300.0, n, 20.0).service_level for n in range(5, 25)
    ]
    assert all(b > a for a, b in itertools.pairwise(sl_by_n))


def _reference_erlang_a(
    lam: float, aht: float, patience: float, agents: int, threshold: float, states: int
) -> dict[str, float]:
    """Brute force: dense generator null space + tagged-customer ODE and matrix exponential."""
    mu, theta = 1 / aht, 1 / patience
    size = states + 1
    gen = np.zeros((size, size))
    for k in range(size - 1):
        gen[k, k + 1] = lam
        gen[k + 1, k] = min(k + 1, agents) * mu + max(k + 1 - agents, 0) * theta
    gen -= np.diag(gen.sum(axis=1))
    pi = linalg.null_space(gen.T)[:, 0]
    pi = pi / pi.sum()
    queued = pi[agents:]
    ahead = np.arange(queued.size)
    # Tagged customer: states 0..J-1 (number ahead), then 'served'.
    n_mu = agents * mu
    tagged = np.zeros((queued.size + 1, queued.size + 1))
    for i in range(queued.size):
        tagged[i, i] = -(n_mu + i * theta + theta)
        if i > 0:
            tagged[i, i - 1] = n_mu + i * theta
    tagged[0, -1] = n_mu
    start = np.concatenate((queued, [0.0]))

    def forward(_t: float, p: Any) -> Any:
        return tagged.T @ p

    ode = integrate.solve_ivp(
        forward, (0.0, threshold), start, method="DOP853", rtol=1e-12, atol=1e-15
    )
    by_expm = start @ linalg.expm(tagged * threshold)
    return {
        "wait_probability": float(queued.sum()),
        "abandon_rate": float(theta * (ahead @ queued) / lam),
        "sl_ode": float(pi[:agents].sum() + ode.y[-1, -1]),
        "sl_expm": float(pi[:agents].sum() + by_expm[-1]),
    }


@pytest.mark.parametrize(
    ("lam", "aht", "patience", "agents", "threshold"),
    [
        (0.02, 100.0, 60.0, 3, 30.0),
        (0.15, 20.0, 15.0, 2, 10.0),
        (CCH_RATE, CCH_AHT, 300.0, 12, 20.0),
    ],
)
def test_erlang_a_service_level_against_independent_computation(
    lam: float, aht: float, patience: float, agents: int, threshold: float
) -> None:
    ref = _reference_erlang_a(lam, aht, patience, agents, threshold, states=agents + 150)
    assert ref["sl_ode"] == pytest.approx(ref["sl_expm"], abs=1e-10)
    figures = analytic.erlang_a(lam, aht, patience, agents, threshold)
    assert figures.wait_probability == pytest.approx(ref["wait_probability"], abs=1e-10)
    assert figures.abandon_rate == pytest.approx(ref["abandon_rate"], abs=1e-10)
    assert figures.service_level == pytest.approx(ref["sl_expm"], abs=1e-10)
    assert figures.service_level == pytest.approx(ref["sl_ode"], abs=1e-9)


@pytest.mark.parametrize(
    ("load_per_agent", "patience", "threshold"),
    [(1.5, 180.0, 20.0), (1.5, 10.0, 3600.0), (0.998, 1e9, 20.0), (0.03, 180.0, 20.0)],
)
def test_erlang_a_large_centre(load_per_agent: float, patience: float, threshold: float) -> None:
    agents, aht = 5000, 300.0
    lam = load_per_agent * agents / aht
    figures = analytic.erlang_a(lam, aht, patience, agents, threshold)
    for value in (figures.wait_probability, figures.service_level, figures.abandon_rate):
        assert 0.0 <= value <= 1.0
    assert 0.0 <= figures.occupancy <= 1.0
    assert math.isfinite(figures.asa_seconds)
    assert figures.abandon_rate == pytest.approx(figures.mean_wait_seconds_all / patience)
    if load_per_agent > 1:
        # Overload: agents nearly always busy, abandon rate -> 1 - 1 / load.
        assert figures.abandon_rate == pytest.approx(1 - 1 / load_per_agent, abs=1e-3)
    if load_per_agent < 1 and patience > 1e8:
        c = analytic.erlang_c(lam, aht, agents, threshold)
        assert figures.service_level == pytest.approx(c.service_level, abs=1e-4)
        assert figures.wait_probability == pytest.approx(c.wait_probability, abs=1e-4)


# --------------------------------------------------------------------------- staffing


@pytest.mark.parametrize(
    ("lam", "aht", "threshold", "target", "patience", "max_occupancy"),
    [
        (CCH_RATE, CCH_AHT, 20.0, 0.8, None, None),
        (CCH_RATE, CCH_AHT, 20.0, 0.95, None, None),
        (CCH_RATE, CCH_AHT, 20.0, 0.5, None, 0.8),
        (CCH_RATE, CCH_AHT, 20.0, 0.8, 300.0, None),
        (CCH_RATE, CCH_AHT, 20.0, 0.8, 30.0, 0.85),
        (1.0, 300.0, 15.0, 0.9, None, None),
        (1.0, 300.0, 15.0, 0.9, 120.0, None),
        (0.001, 60.0, 0.0, 0.5, 20.0, None),
    ],
)
def test_agents_for_service_level_is_smallest(
    lam: float,
    aht: float,
    threshold: float,
    target: float,
    patience: float | None,
    max_occupancy: float | None,
) -> None:
    n = analytic.agents_for_service_level(lam, aht, threshold, target, patience, max_occupancy)

    def figures(agents: int) -> analytic.QueueFigures:
        if patience is None:
            return analytic.erlang_c(lam, aht, agents, threshold)
        return analytic.erlang_a(lam, aht, patience, agents, threshold)

    def meets(agents: int) -> bool:
        if patience is None and lam * aht >= agents:
            return False
        f = figures(agents)
        cap_ok = max_occupancy is None or f.occupancy <= max_occupancy
        return f.service_level >= target and cap_ok

    assert meets(n)
    assert n == 1 or not meets(n - 1)


def test_agents_for_service_level_max_occupancy_binds() -> None:
    # 50 % in 20 s is met by 12 agents (0.640; 11 give 0.390), but occupancy 10 / 12 > 0.8.
    assert analytic.agents_for_service_level(CCH_RATE, CCH_AHT, 20.0, 0.5) == 12
    assert analytic.agents_for_service_level(CCH_RATE, CCH_AHT, 20.0, 0.5, max_occupancy=0.8) == 13


def test_agents_for_service_level_erlang_a_needs_fewer() -> None:
    c = analytic.agents_for_service_level(1.0, 300.0, 20.0, 0.8)
    a = analytic.agents_for_service_level(1.0, 300.0, 20.0, 0.8, mean_patience_seconds=60.0)
    assert a <= c


# --------------------------------------------------------------------------- invalid inputs


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: analytic.erlang_b(0, 1.0), "agents"),
        (lambda: analytic.erlang_b(2.5, 1.0), "agents"),  # type: ignore[arg-type]
        (lambda: analytic.erlang_b(True, 1.0), "agents"),
        (lambda: analytic.erlang_b(3, -1.0), "offered_load_erlangs"),
        (lambda: analytic.erlang_b(3, math.nan), "offered_load_erlangs"),
        (lambda: analytic.erlang_c(0.0, 180.0, 14, 20.0), "arrival_rate_per_second"),
        (lambda: analytic.erlang_c(0.05, -1.0, 14, 20.0), "mean_handle_seconds"),
        (lambda: analytic.erlang_c(0.05, 180.0, 0, 20.0), "agents"),
        (lambda: analytic.erlang_c(0.05, 180.0, 14, -1.0), "service_level_seconds"),
        (lambda: analytic.erlang_c(0.05, 180.0, 14, math.inf), "service_level_seconds"),
        (lambda: analytic.erlang_a(-0.1, 180.0, 60.0, 14, 20.0), "arrival_rate_per_second"),
        (lambda: analytic.erlang_a(0.05, 0.0, 60.0, 14, 20.0), "mean_handle_seconds"),
        (lambda: analytic.erlang_a(0.05, 180.0, 0.0, 14, 20.0), "mean_patience_seconds"),
        (lambda: analytic.erlang_a(0.05, 180.0, math.inf, 14, 20.0), "mean_patience_seconds"),
        (lambda: analytic.erlang_a(0.05, 180.0, 60.0, -3, 20.0), "agents"),
        (lambda: analytic.erlang_a(0.05, 180.0, 60.0, 14, -5.0), "service_level_seconds"),
        (lambda: analytic.erlang_b_figures(0.0, 180.0, 14), "arrival_rate_per_second"),
        (lambda: analytic.erlang_b_figures(0.05, 0.0, 14), "mean_handle_seconds"),
        (lambda: analytic.erlang_b_figures(0.05, 180.0, 0), "agents"),
        (
            lambda: analytic.agents_for_service_level(0.0, 180.0, 20.0, 0.8),
            "arrival_rate_per_second",
        ),
        (lambda: analytic.agents_for_service_level(0.05, 0.0, 20.0, 0.8), "mean_handle_seconds"),
        (
            lambda: analytic.agents_for_service_level(0.05, 180.0, -1.0, 0.8),
            "service_level_seconds",
        ),
        (lambda: analytic.agents_for_service_level(0.05, 180.0, 20.0, 1.0), "target_service_level"),
        (lambda: analytic.agents_for_service_level(0.05, 180.0, 20.0, 0.0), "target_service_level"),
        (
            lambda: analytic.agents_for_service_level(0.05, 180.0, 20.0, 0.8, -1.0),
            "mean_patience_seconds",
        ),
        (
            lambda: analytic.agents_for_service_level(0.05, 180.0, 20.0, 0.8, None, 1.5),
            "max_occupancy",
        ),
        (
            lambda: analytic.agents_for_service_level(0.05, 180.0, 20.0, 0.8, None, 0.0),
            "max_occupancy",
        ),
    ],
)
def test_invalid_inputs_name_the_argument(call: Any, argument: str) -> None:
    with pytest.raises(ValueError, match=argument):
        call()


def test_figures_are_frozen() -> None:
    figures = analytic.erlang_c(CCH_RATE, CCH_AHT, 14, 20.0)
    with pytest.raises(AttributeError):
        figures.agents = 3  # type: ignore[misc]


def test_erlang_a_rejects_hopeless_truncation() -> None:
    # Overloaded with almost infinite patience: the queue would grow without practical bound.
    with pytest.raises(ValueError, match="mean_patience_seconds"):
        analytic.erlang_a(1.0, 300.0, 1e12, 10, 20.0)


@pytest.mark.parametrize(("agents", "shrinkage", "rostered"), [
    (14, 0.3, 20),   # pyworkforce: 14 raw positions, 20 at 30 % shrinkage (14 / 0.7 in floats
    (14, 0.0, 14),   # is 20.000000000000004: not 21)
    (10, 0.5, 20),
    (11, 0.5, 22),
    (7, 0.3, 10),
    (15, 0.3, 22),   # 21.43 rounds up
])
def test_rostered_agents(agents: int, shrinkage: float, rostered: int) -> None:
    assert analytic.rostered_agents(agents, shrinkage) == rostered


def test_rostered_agents_refuses_a_shrinkage_of_one() -> None:
    with pytest.raises(ValueError, match="below 1"):
        analytic.rostered_agents(14, 1.0)
