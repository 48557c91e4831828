"""The cost model on a hand-worked example, and its structural properties."""

from __future__ import annotations

import dataclasses

import pytest

from simulator.costs import CATEGORIES, ChannelDrivers, CostDrivers, compute_costs
from simulator.spec.money import CostsSpec

MONTH_DAYS = 365.25 / 12


def drivers() -> CostDrivers:
    return CostDrivers(
        measured_days=MONTH_DAYS,  # exactly one month
        paid_hours_by_wage=((1000.0, 20.0), (500.0, 30.0)),
        peak_seats=40.0,
        channels={
            "voice": ChannelDrivers(kind="voice", answered=6000, inbound_minutes=10_000,
                                    busy_hours=600),
            "chat": ChannelDrivers(kind="chat", answered=2000, busy_hours=200),
        },
    )


SPEC = CostsSpec(
    on_cost_rate=0.30, agents_per_supervisor=10, supervisor_hourly_wage=40,
    telephony_per_minute=0.02, technology_per_seat_per_month=100,
    software_licences_per_seat_per_month=10, chat_per_session=0.5,
    office_space_per_seat_per_month=200, desktops_per_seat_per_month=20,
    overheads_per_month=5000, other_per_month=1000,
)


def test_hand_worked_example() -> None:
    cost = compute_costs(drivers(), SPEC, "year")
    expected = {
        "agent_wages": (1000 * 20 + 500 * 30) * 1.3,  # 45,500
        "supervision": 1500 / 10 * 40 * 1.3,  # 7,800
        "telephony": 10_000 * 0.02,  # 200
        "ivr": 0.0,
        "technology": 40 * 100,  # 4,000
        "software_licences": 40 * 10,  # 400
        "chat_and_messaging": 2000 * 0.5,  # 1,000
        "email_platform": 0.0,
        "self_service": 0.0,
        "office_space": 40 * 200,  # 8,000
        "desktops": 40 * 20,  # 800
        "overheads": 5000.0,
        "other": 1000.0,
    }
    assert cost.by_category == pytest.approx(expected)
    assert cost.total == pytest.approx(73_700)
    assert cost.per_contact == pytest.approx(73_700 / 8000)
    assert cost.per_assisted_contact == pytest.approx(73_700 / 8000)
    # voice: its telephony + 600/800 of the shared 72,500 (chat keeps its sessions' 1,000)
    assert cost.by_channel["voice"] == pytest.approx(200 + 0.75 * 72_500)
    assert cost.by_channel["chat"] == pytest.approx(1000 + 0.25 * 72_500)
    assert cost.per_call == pytest.approx((200 + 0.75 * 72_500) / 6000)
    assert cost.period_total == pytest.approx(73_700 * 12)


def test_channel_costs_add_up_to_total() -> None:
    cost = compute_costs(drivers(), SPEC, "month")
    assert sum(cost.by_channel.values()) == pytest.approx(cost.total)
    assert set(cost.by_category) == set(CATEGORIES)


def test_doubling_every_rate_doubles_the_total() -> None:
    doubled = CostsSpec(**{
        k: (v * 2 if isinstance(v, float) and k not in ("agents_per_supervisor",) else v)
        for k, v in SPEC.model_dump().items()
    })
    base = compute_costs(drivers(), SPEC, "month")
    twice = compute_costs(drivers(), doubled, "month")
    # wages scale with 1 + on_cost_rate, so compare the lines that are linear in one rate
    for line in ("telephony", "technology", "office_space", "overheads", "chat_and_messaging"):
        assert twice.by_category[line] == pytest.approx(2 * base.by_category[line])


def test_wage_rise_moves_only_wage_lines() -> None:
    base = compute_costs(drivers(), SPEC, "month")
    richer = dataclasses.replace(drivers(), paid_hours_by_wage=((1000.0, 22.0), (500.0, 33.0)))
    raised = compute_costs(richer, SPEC, "month")
    for line in CATEGORIES:
        if line == "agent_wages":
            assert raised.by_category[line] == pytest.approx(base.by_category[line] * 1.1)
        else:
            assert raised.by_category[line] == base.by_category[line]


def test_explicit_seats_override_the_peak() -> None:
    spec = SPEC.model_copy(update={"seats": 50})
    assert compute_costs(drivers(), spec, "month").by_category["technology"] == pytest.approx(5000)


def test_no_contacts_gives_no_ratio_rather_than_a_crash() -> None:
    empty = dataclasses.replace(drivers(), channels={
        "voice": ChannelDrivers(kind="voice", answered=0)})
    cost = compute_costs(empty, SPEC, "month")
    assert cost.per_contact != cost.per_contact  # NaN: reported as null
