"""A profile per weekday: each day's arrivals follow its own shape; one list for every day is
the same centre as the list form."""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model import simulate
from simulator.model.calendar import Calendar, weekly_rates
from simulator.spec.base import WEEKDAYS
from simulator.spec.schema import Scenario

MORNING = [3.0, 1.0, 1.0, 1.0]
EVENING = [1.0, 1.0, 1.0, 3.0]


def centre(profile: Any) -> Scenario:
    return Scenario.model_validate({
        "scenario": {"name": "weekday profiles"},
        "run": {"days": 2, "replications": 1, "seed": 3},
        "hours": {"open": "08:00", "close": "10:00", "interval_minutes": 30,
                  "open_days": ["mon", "tue"]},
        "channels": [{"name": "voice", "volume_per_day": 600, "profile": profile,
                      "patience": {"dist": "exponential", "mean": 120}}],
        "contact_types": [{"name": "call", "channel": "voice",
                           "handle_time": {"dist": "exponential", "mean": 120}}],
        "agent_groups": [{"name": "agents", "agents": 12, "skills": ["call"]}],
    })


def test_each_weekday_takes_its_own_shape() -> None:
    scenario = centre({"mon": MORNING, "tue": EVENING})
    cal = Calendar.of(scenario)
    rates = weekly_rates(scenario, scenario.channels[0], cal)
    first = cal.first_open_interval
    for day, shape in (("mon", MORNING), ("tue", EVENING)):
        row = rates[WEEKDAYS.index(day), first:first + 4] * cal.interval_seconds
        np.testing.assert_allclose(row, 600 * np.asarray(shape) / sum(shape))


def test_one_list_for_every_day_is_the_list_form() -> None:
    listed = simulate(centre(MORNING), 0)
    tabled = simulate(centre({"mon": MORNING, "tue": MORNING}), 0)
    assert listed == tabled
