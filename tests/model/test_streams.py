"""One stream per decision: common random numbers hold where levers are compared.

Two scenarios with the same seed must see the same customers (arrival, contact type, handle
time, patience), and each customer's draw of a per-contact decision (accepting a call back,
being reached, retrying, ...) must not depend on what other decisions did. The engine's trace
hook (``simulate(..., trace=Trace())``) records both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.model import simulate
from simulator.model.trace import Trace
from simulator.spec.layers import load_scenario
from simulator.spec.schema import Scenario
from simulator.streams import AT_ARRIVAL, DECISIONS, PER_CONTACT, KeyedDraws, decision_stream

ROOT = Path(__file__).resolve().parents[2]
SHORT = ["run.days=2", "run.warmup_hours=24", "channels.voice.volume_per_day=4400"]  # busy: abandons


def scenario(name: str, *overrides: str) -> Scenario:
    return load_scenario(ROOT / "scenarios" / name, [*SHORT, *overrides]).scenario


def traced(s: Scenario, replication: int = 0) -> Trace:
    trace = Trace()
    simulate(s, replication, trace=trace)
    return trace


def draws_by_contact(trace: Trace, channel: str = "voice") -> dict[tuple[str, int, int], float]:
    return {(d, key, use): u for d, key, use, u in trace.draws[channel]}


def assert_common_draws_equal(a: Trace, b: Trace, decision: str, at_least: int) -> None:
    """Every (contact, use) that drew ``decision`` in both runs drew the same uniform."""
    da, db = draws_by_contact(a), draws_by_contact(b)
    common = [k for k in da if k[0] == decision and k in db]
    assert len(common) >= at_least, (decision, len(common))
    assert all(da[k] == db[k] for k in common), decision


# ---------------------------------------------------------------------------- the list
def test_every_decision_has_one_named_stream() -> None:
    assert len(set(DECISIONS)) == len(DECISIONS) == len(AT_ARRIVAL) + len(PER_CONTACT)
    with pytest.raises(ValueError, match="not a per-contact decision"):
        KeyedDraws(1, 0, "voice").u("handle_time", 0)
    with pytest.raises(ValueError, match="not a decision drawn at arrival"):
        decision_stream(1, 0, "voice", "callback_accept")


def test_a_per_contact_draw_depends_on_the_contact_alone() -> None:
    a, b = KeyedDraws(7, 2, "voice"), KeyedDraws(7, 2, "voice")
    keys = [0, 1, 5000, 123_456, (99 << 32) | 17]
    forward = [a.u("callback_accept", k, 1) for k in keys]
    # the other order, other decisions drawn in between, the cache forgotten: the same values
    backward = []
    for k in reversed(keys):
        b.u("callback_reach", k)
        b.u("retrial", k + 1, 2)
        backward.append(b.u("callback_accept", k, 1))
    assert backward[::-1] == forward
    assert len(set(forward)) == len(forward)
    assert a.u("callback_accept", 5, 0) != a.u("callback_accept", 5, 1)  # each use its own
    assert a.u("callback_accept", 5) != a.u("callback_reach", 5)  # each decision its own
    assert KeyedDraws(7, 3, "voice").u("callback_accept", 0, 1) != forward[0]  # replication


# ---------------------------------------------------------------------------- the trace
def test_the_trace_records_customers_and_who_served_them() -> None:
    s = scenario("callback.toml")
    trace = traced(s)
    assert trace.arrivals
    assert trace.served
    groups = {g.name for g in s.agent_groups}
    assert {group for _, group, _, _ in trace.served} <= groups
    first = {key for key, *_ in trace.arrivals}
    assert len(first) == len(trace.arrivals)  # one key per customer
    assert traced(s) == trace  # the same file and seed: the same records, draw for draw


# ---------------------------------------------------------------------------- CRN
@pytest.mark.parametrize("change", [
    "callback.reached_share=0.5",
    "callback.accept_share=0.8",
    "callback.connect_time.mean=40",
    "callback.offer_expected_wait_seconds=20",
])
def test_a_callback_lever_moves_no_customer_and_no_other_draw(change: str) -> None:
    before, after = traced(scenario("callback.toml")), traced(scenario("callback.toml", change))
    # the same customers: arrival, contact type, handle time and patience of every one
    assert after.arrivals == before.arrivals
    # the same per-contact draws for every customer who reached the decision in both runs
    assert_common_draws_equal(before, after, "callback_accept", at_least=300)
    assert_common_draws_equal(before, after, "callback_reach", at_least=100)
    assert_common_draws_equal(before, after, "retrial", at_least=50)
    assert_common_draws_equal(before, after, "retrial_patience", at_least=10)


def test_with_another_reached_share_the_first_customers_accept_alike() -> None:
    before = traced(scenario("callback.toml"))
    after = traced(scenario("callback.toml", "callback.reached_share=0.3"))

    def accepts(trace: Trace) -> dict[tuple[int, int], float]:
        return {(key, use): u for d, key, use, u in trace.draws["voice"]
                if d == "callback_accept"}

    a, b = accepts(before), accepts(after)
    first = sorted(set(a) & set(b))[:200]  # the first 200 customers offered in both
    assert len(first) == 200
    assert [a[k] for k in first] == [b[k] for k in first]


@pytest.mark.parametrize("change", [
    "channels.voice.retrials.share=0.8",
    "channels.voice.retrials.max_attempts=2",
    "channels.voice.retrials.delay.mean=60",
])
def test_a_retrial_lever_moves_no_customer_and_no_other_draw(change: str) -> None:
    before, after = traced(scenario("callback.toml")), traced(scenario("callback.toml", change))
    assert after.arrivals == before.arrivals
    assert_common_draws_equal(before, after, "callback_accept", at_least=300)
    assert_common_draws_equal(before, after, "retrial", at_least=50)
    assert_common_draws_equal(before, after, "retrial_delay", at_least=10)
