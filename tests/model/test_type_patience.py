"""Patience and retrials per contact type: the type's own, else its channel's."""

from __future__ import annotations

from typing import Any

from simulator.model import simulate
from simulator.spec.schema import Scenario


def two_types(agents: int, first: dict[str, Any] | None = None,
              second: dict[str, Any] | None = None) -> Scenario:
    """One voice channel (patience 180 s, exponential), two types half and half."""
    types: list[dict[str, Any]] = []
    for name, extra in (("a", first), ("b", second)):
        t: dict[str, Any] = {"name": name, "channel": "line", "share": 0.5,
                             "handle_time": {"dist": "exponential", "mean": 300}}
        t.update(extra or {})
        types.append(t)
    return Scenario.model_validate({
        "scenario": {"name": "types"},
        "run": {"days": 1, "replications": 1, "seed": 5, "warmup_hours": 2},
        "channels": [{"name": "line", "kind": "voice", "volume_per_day": 4800,
                      "patience": {"dist": "exponential", "mean": 180}}],
        "contact_types": types,
        "agent_groups": [{"name": "agents", "agents": agents, "skills": ["a", "b"]}],
    })


def test_a_type_patience_equal_to_the_channels_changes_nothing() -> None:
    same = {"patience": {"dist": "exponential", "mean": 180}}
    plain = simulate(two_types(14), 0).channels["line"]
    own = simulate(two_types(14, same), 0).channels["line"]
    for key in ("arrivals", "answered", "abandoned", "wait_answered_seconds",
                "wait_abandoned_seconds", "answered_in_sl"):
        assert getattr(plain, key) == getattr(own, key), key


def test_an_impatient_type_abandons_more() -> None:
    quick = {"patience": {"dist": "exponential", "mean": 60}}
    slow = {"patience": {"dist": "exponential", "mean": 600}}
    plain = simulate(two_types(14), 0).channels["line"]
    impatient = simulate(two_types(14, quick, quick), 0).channels["line"]
    patient = simulate(two_types(14, slow, slow), 0).channels["line"]
    assert impatient.abandoned > plain.abandoned > patient.abandoned


def test_a_type_retrial_share_of_zero_turns_its_retrials_off() -> None:
    channel_rule = {"retrials": {"share": 1.0, "delay": {"dist": "exponential", "mean": 60},
                                 "max_attempts": 3}}
    off = {"retrials": {"share": 0.0, "delay": {"dist": "exponential", "mean": 60},
                        "max_attempts": 3}}
    both = simulate(two_types(12, channel_rule, channel_rule), 0).channels["line"]
    one = simulate(two_types(12, channel_rule, off), 0).channels["line"]
    none = simulate(two_types(12), 0).channels["line"]
    assert none.retrials == 0
    assert both.retrials > one.retrials > 0
