"""Results per contact type: counted where the channel counts, so a channel's types add up to it;
a transferred leg under the type it is transferred to; patience per type shows in its own
abandonment."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from simulator.metrics import replication_metrics
from simulator.model import simulate
from simulator.spec.layers import load_scenario
from simulator.spec.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
SHORT = ["run.days=2", "run.warmup_hours=24"]
COUNTS = ("offered", "answered", "abandoned", "answered_in_sl")
TIMES = ("wait_answered_seconds", "handle_seconds")


@pytest.mark.parametrize("name", ["baseline", "all_levers", "callback", "skills_routing",
                                  "self_service"])
def test_a_channels_types_add_up_to_it(name: str) -> None:
    """IVR, repeats, retrials, call backs, self-service redirects, overflow and priorities:
    every count of a channel is the sum of its types' (exactly), every time too (to the last
    bits a different order of summing leaves)."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml", SHORT).scenario
    tally = simulate(scenario, 0)
    for channel in scenario.channels:
        mine = [tally.contact_types[t.name] for t in scenario.contact_types
                if t.channel == channel.name]
        books = tally.channels[channel.name]
        for key in COUNTS:
            assert sum(getattr(t, key) for t in mine) == getattr(books, key), (channel.name, key)
        for key in TIMES:
            assert math.isclose(sum(getattr(t, key) for t in mine), getattr(books, key),
                                rel_tol=1e-12), (channel.name, key)
    several = [t for t in scenario.contact_types if t.channel == "voice"]
    assert len(several) > 1
    assert all(tally.contact_types[t.name].offered for t in several)


def _scenario(types: list[dict[str, Any]], channels: list[dict[str, Any]], agents: int,
              routing: dict[str, Any] | None = None) -> Scenario:
    return Scenario.model_validate({
        "scenario": {"name": "types"},
        "run": {"days": 1, "replications": 1, "seed": 3, "warmup_hours": 2},
        "channels": channels, "contact_types": types, "routing": routing or {},
        "agent_groups": [{"name": "agents", "agents": agents,
                          "skills": [t["name"] for t in types]}],
    })


def _type(name: str, channel: str, share: float, **extra: Any) -> dict[str, Any]:
    return {"name": name, "channel": channel, "share": share,
            "handle_time": {"dist": "exponential", "mean": 300}, **extra}


def test_a_transferred_leg_counts_under_the_type_it_is_transferred_to() -> None:
    """Channel ``back`` has no arrivals of its own: its types see only the legs transferred to
    them (30 % of ``a``'s handled contacts to ``b``, 20 % to ``c``)."""
    scenario = _scenario(
        [_type("a", "front", 1.0), _type("b", "back", 0.5), _type("c", "back", 0.5)],
        [{"name": "front", "kind": "voice", "volume_per_day": 3000},
         {"name": "back", "kind": "voice", "volume_per_day": 0}], agents=22,
        routing={"contact_types": {"a": {"transfers": [{"to": "b", "share": 0.3},
                                                       {"to": "c", "share": 0.2}]}}})
    tally = simulate(scenario, 0)
    back = tally.channels["back"]
    b, c = tally.contact_types["b"], tally.contact_types["c"]
    assert back.transfers_in > 1000
    assert b.offered + c.offered == back.transfers_in == back.offered
    assert b.answered + b.abandoned + c.answered + c.abandoned == back.offered  # none left
    # each leg goes to b with probability 0.3 / 0.5, independently: 4 binomial sigmas
    n, p = back.transfers_in, 0.6
    assert abs(b.offered - n * p) < 4 * math.sqrt(n * p * (1 - p))
    assert tally.contact_types["a"].offered == tally.channels["front"].offered  # its only type


def test_the_more_impatient_type_abandons_more() -> None:
    """Two types alike but for patience (exponential, mean 60 s and 600 s) in one queue, an
    agent short of the load: the impatient type's abandon rate is the higher, by more than
    four standard errors of the difference of two binomial proportions (contacts taken as
    independent trials: the queue correlates them, which the 4 allows for)."""
    scenario = _scenario(
        [_type("hasty", "line", 0.5, patience={"dist": "exponential", "mean": 60}),
         _type("calm", "line", 0.5, patience={"dist": "exponential", "mean": 600})],
        [{"name": "line", "kind": "voice", "volume_per_day": 4800,
          "patience": {"dist": "exponential", "mean": 180}}], agents=16)
    figures = replication_metrics(simulate(scenario, 0), scenario)
    hasty, calm = figures["contact_types"]["hasty"], figures["contact_types"]["calm"]
    p1, n1, p2, n2 = hasty["abandon_rate"], hasty["offered"], calm["abandon_rate"], calm["offered"]
    assert n1 > 1000
    assert n2 > 1000
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    assert p1 - p2 > 4 * se, (p1, p2, se)
    # the same queue: the ratios are the types' own, their counts the channel's split
    channel = figures["channels"]["line"]
    assert hasty["abandoned"] + calm["abandoned"] == channel["abandoned"]
    assert hasty["channel"] == calm["channel"] == "line"
    for key in ("service_level", "asa_seconds", "aht_seconds"):
        assert hasty[key] > 0, key
        assert calm[key] > 0, key


def test_a_deferred_channels_types_have_no_service_level() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "baseline.toml", SHORT).scenario
    figures = replication_metrics(simulate(scenario, 0), scenario)["contact_types"]
    assert math.isnan(figures["email_enquiry"]["service_level"])
    assert figures["email_enquiry"]["answered"] > 0
    assert 0 < figures["billing"]["service_level"] <= 1
