"""Each lever file against the baseline on the same seeds: the right numbers move the right way.

Scenarios share seeds, so replication r of a lever sees the same customers as replication r of
the baseline (common random numbers); a direction is asserted when the paired (1 - alpha)
t-interval of the difference lies wholly on the expected side of zero.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from simulator.costs import CATEGORIES
from simulator.experiment import run_replications
from simulator.model import simulate
from simulator.spec.layers import load_scenario
from tests.conftest import single_queue

ALPHA = 0.001
SHORT = ("run.replications=5", "run.days=11")  # 4 days' warm-up + a week


@cache
def results(name: str, *extra: str) -> list[dict[str, Any]]:
    scenario = load_scenario(f"scenarios/{name}.toml", [*SHORT, *extra]).scenario
    return run_replications(scenario, workers=2)


def value(tree: dict[str, Any], path: str) -> float:
    node: Any = tree
    for key in path.split("."):
        node = node[key]
    return float(node)


def paired(lever: str, path: str, *extra: str) -> tuple[float, float]:
    """Mean paired difference lever − baseline and its (1 - ALPHA) half-width."""
    diff = np.array([value(a, path) - value(b, path)
                     for a, b in zip(results(lever, *extra), results("baseline", *extra),
                                     strict=True)])
    half = stats.t.ppf(1 - ALPHA / 2, diff.size - 1) * diff.std(ddof=1) / math.sqrt(diff.size)
    return float(diff.mean()), float(half)


def lower(lever: str, path: str, *extra: str) -> None:
    mean, half = paired(lever, path, *extra)
    assert mean + half < 0, f"{lever}: {path} should fall: {mean:+.4g} ± {half:.3g}"


def higher(lever: str, path: str, *extra: str) -> None:
    mean, half = paired(lever, path, *extra)
    assert mean - half > 0, f"{lever}: {path} should rise: {mean:+.4g} ± {half:.3g}"


def test_verification_lowers_aht_and_agent_hours() -> None:
    lower("ivr_verification", "channels.voice.aht_seconds")
    lower("ivr_verification", "agent_groups.agents.busy_hours")
    higher("ivr_verification", "channels.voice.ivr_minutes")


@pytest.mark.parametrize(("lever", "absorbed"), [("ivr_containment", "ivr_contained"),
                                                  ("self_service", "deflected")])
def test_containment_and_deflection_move_contacts_off_the_queue(lever: str, absorbed: str) -> None:
    lower(lever, "channels.voice.offered")
    higher(lever, f"channels.voice.{absorbed}")


def test_callback_lowers_abandonment_and_queue_minutes() -> None:
    # a centre under pressure, where it matters; abandonment moves by tenths of a point, so
    # this comparison needs more replications to resolve it
    busier = ("channels.voice.volume_per_day=3700", "run.replications=12")
    lower("callback", "channels.voice.abandon_rate", *busier)
    lower("callback", "channels.voice.inbound_minutes", *busier)
    higher("callback", "channels.voice.outbound_minutes", *busier)


def test_root_cause_lowers_repeats_and_cost_per_resolved_contact() -> None:
    lower("root_cause", "channels.voice.repeats")
    lower("root_cause", "cost.per_resolved_contact")


def test_wage_rise_moves_only_the_wage_lines() -> None:
    for category in CATEGORIES:
        mean, _ = paired("wage_rise", f"cost.by_category.{category}")
        if category in ("agent_wages", "supervision"):
            assert mean > 0, category
        else:
            assert mean == 0, category  # same customers, same hours: exactly equal


def test_cloud_platform_moves_only_technology_and_ivr() -> None:
    for category in CATEGORIES:
        mean, _ = paired("cloud_platform", f"cost.by_category.{category}")
        assert (mean != 0) == (category in ("technology", "ivr")), category


def test_deflection_raises_cost_per_assisted_contact_while_cost_per_contact_falls() -> None:
    """The planners' trap (see README): fewer, harder assisted contacts share the fixed costs."""
    higher("self_service", "cost.per_assisted_contact")
    lower("self_service", "cost.total")
    lower("self_service", "cost.per_contact")


# ---------------------------------------------------------------------------- conservation
def balance(v: Any) -> int:
    return int(v.arrivals - (v.deflected + v.ivr_contained + v.ivr_hangups + v.blocked
                             + v.answered + v.abandoned + v.callbacks_lost + v.left_at_end))


def test_conservation_with_every_lever_on() -> None:
    scenario = load_scenario("tests/data/all_levers.toml").scenario
    for replication in range(3):
        v = simulate(scenario, replication).channels["voice"]
        for count in (v.deflected, v.ivr_contained, v.ivr_hangups, v.callbacks_answered,
                      v.repeats, v.retrials, v.abandoned):
            assert count > 0  # every lever is at work
        assert balance(v) == 0
        assert v.left_at_end == 0
        assert v.offered == v.answered + v.abandoned + v.callbacks_lost


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), load=st.floats(0.5, 1.5), agents=st.integers(1, 20),
       try_share=st.floats(0, 1), contain=st.floats(0, 1), hangup=st.floats(0, 0.5),
       fcr=st.floats(0, 1), accept=st.floats(0, 1), reached=st.floats(0, 1),
       lines_extra=st.one_of(st.none(), st.integers(0, 10)))
def test_every_contact_is_accounted_for_with_random_levers(
        seed: int, load: float, agents: int, try_share: float, contain: float, hangup: float,
        fcr: float, accept: float, reached: float, lines_extra: int | None) -> None:
    exp = {"dist": "exponential", "mean": 120}
    scenario = single_queue(
        agents=agents, arrivals_per_hour=load * agents * 30, seed=seed, days=1, replications=1,
        warmup_hours=2, handle=exp, patience={"dist": "exponential", "mean": 200},
        lines=None if lines_extra is None else agents + lines_extra,
        channel={"retrials": {"share": 0.5, "delay": exp}},
        hours={"open": "08:00", "close": "20:00"},
        self_service={"voice": {"try_share": try_share, "success_share": 0.5}},
        ivr={"menu_time": {"dist": "fixed", "value": 20}, "hangup_share": hangup,
             "contact_types": {"general": {"containment_share": contain}}},
        callback={"offer_expected_wait_seconds": 60, "offer_after_wait_seconds": 90,
                  "accept_share": accept, "connect_time": {"dist": "fixed", "value": 20},
                  "reached_share": reached, "retry_delay": exp},
        repeat_contacts={"fcr": fcr, "delay": {"dist": "exponential", "mean": 3600}},
    )
    tally = simulate(scenario, 0)
    v = tally.channels["voice"]
    assert balance(v) == 0
    assert v.left_at_end == 0
    assert v.customers == v.arrivals - v.retrials
    group = tally.groups["agents"]
    assert group.busy_seconds <= group.on_floor_seconds + 1e-6
