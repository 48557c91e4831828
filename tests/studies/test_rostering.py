"""Rostering a group from a requirement (simulator.studies.rostering): shifts from the
templates when the group may use some, else exactly the requirement per weekday."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from simulator.model.calendar import Calendar, rostered_agents
from simulator.spec.schema import Scenario
from simulator.spec.shifts import ShiftTemplateSpec
from simulator.studies.rostering import roster_group, with_rosters
from simulator.studies.shifts import plan_shifts

OPEN_DAYS = ("mon", "tue", "wed", "sat")
TEMPLATES = [
    {"name": "day", "length_hours": 4, "earliest_start": "08:00", "latest_start": "10:00",
     "breaks": [{"minutes": 30, "earliest": "01:30", "latest": "03:00"}], "groups": ["phones"]},
    {"name": "short", "length_hours": 2, "starts": ["12:00", "13:00"], "cost_per_shift": 30},
]
#: open 08:00-15:00 in 30-minute intervals: 14 per day
REQ = np.array([
    [2, 3, 4, 4, 5, 5, 4, 3, 3, 4, 4, 3, 2, 1],
    [1, 1, 2, 2, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1],
    [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
    [3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1],
])


def centre(templates: list[dict[str, Any]] | None = None) -> Scenario:
    """Two groups; seven simulated days from a Monday."""
    return Scenario.model_validate({
        "scenario": {"name": "rostering"},
        "run": {"days": 7, "replications": 1},
        "hours": {"open": "08:00", "close": "15:00", "interval_minutes": 30,
                  "open_days": list(OPEN_DAYS)},
        "channels": [{"name": "voice", "volume_per_day": 500}],
        "contact_types": [{"name": "g", "channel": "voice",
                           "handle_time": {"dist": "exponential", "mean": 200}}],
        "agent_groups": [
            {"name": "phones", "skills": ["g"], "agents": "auto", "hourly_wage": 20.0,
             "shrinkage": 0.2, "proficiency": {"g": 1.1}},
            {"name": "backup", "skills": ["g"], "agents": 2, "hourly_wage": 15.0},
        ],
        "shift_templates": templates or [],
    })


def open_roster(scenario: Scenario, group: str) -> np.ndarray:
    """Rostered agents of the group per open day (hours.open_days order) × open interval."""
    cal = Calendar.of(scenario)
    spec = next(g for g in scenario.agent_groups if g.name == group)
    week = rostered_agents(spec, scenario, cal).reshape(7, cal.intervals_per_day)
    lo = cal.first_open_interval
    rows = [cal.weekday.index(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(d))
            for d in OPEN_DAYS]
    return week[rows, lo : lo + cal.intervals_open]


def test_with_templates_the_roster_covers_the_requirement_with_the_planned_shifts() -> None:
    scenario = centre(TEMPLATES)
    plan, group = roster_group(scenario, "phones", REQ)
    assert plan is not None
    specs = [ShiftTemplateSpec.model_validate(t) for t in TEMPLATES]
    expected = plan_shifts(REQ, specs, 30, 8 * 3600, OPEN_DAYS, 20.0, group="phones")
    assert plan.to_document() == expected.to_document()
    assert group.agents is None
    assert group.shifts
    # only the roster changed
    phones = scenario.agent_groups[0]
    assert (group.name, group.skills, group.hourly_wage, group.shrinkage, dict(group.proficiency)) \
        == (phones.name, phones.skills, phones.hourly_wage, phones.shrinkage, dict(phones.proficiency))
    rostered = with_rosters(scenario, {"phones": group})
    roster = open_roster(rostered, "phones")
    assert (roster >= REQ).all()
    assert (roster == plan.coverage).all()
    assert rostered.agent_groups[1] == scenario.agent_groups[1]  # the other group is untouched
    assert rostered.shift_templates == scenario.shift_templates


def test_a_group_without_usable_templates_is_rostered_exactly_the_requirement() -> None:
    for scenario in (centre(), centre([TEMPLATES[0]])):  # none at all; only phones' template
        plan, group = roster_group(scenario, "backup", REQ)
        assert plan is None
        assert group.shifts is None
        assert group.agents == {d: tuple(int(n) for n in row) for d, row in zip(OPEN_DAYS, REQ, strict=True)}
        assert group.hourly_wage == 15.0
        rostered = with_rosters(scenario, {"backup": group})
        assert (open_roster(rostered, "backup") == REQ).all()
        cal = Calendar.of(rostered)
        week = rostered_agents(rostered.agent_groups[1], rostered, cal).reshape(7, -1)
        assert week[[3, 4, 6]].sum() == 0  # thu, fri closed; sun closed


def test_infeasible_templates_name_the_day_and_interval() -> None:
    scenario = centre([{**TEMPLATES[0], "groups": None}])  # starts 08:00-10:00, ends by 14:30
    with pytest.raises(ValueError, match=r"agent_groups 'phones': the requirement cannot be covered:"
                                         r"\nmon 14:30: 1 agents required, but no allowed shift"):
        roster_group(scenario, "phones", REQ)
    capped = centre([{**TEMPLATES[0], "max_agents": 1}, TEMPLATES[1]])
    with pytest.raises(ValueError, match=r"mon 08:00: 2 agents required, but max_agents lets at most 1"):
        roster_group(capped, "phones", REQ)


def test_bad_requests_are_refused() -> None:
    scenario = centre(TEMPLATES)
    with pytest.raises(ValueError, match=r"no group named 'sales'; known: phones, backup"):
        roster_group(scenario, "sales", REQ)
    with pytest.raises(ValueError, match=r"open days \(4: mon, tue, wed, sat\) × intervals of the "
                                         r"opening hours \(14: 08:00-15:00 in 30 minutes\), "
                                         r"got shape \(4, 13\)"):
        roster_group(scenario, "phones", REQ[:, 1:])
    with pytest.raises(ValueError, match="whole numbers of agents, none negative"):
        roster_group(scenario, "phones", REQ * 0.5)
    _, group = roster_group(centre(), "backup", REQ)
    with pytest.raises(ValueError, match="given a group named 'backup'"):
        with_rosters(scenario, {"phones": group})
    with pytest.raises(ValueError, match="no group named 'sales'"):
        with_rosters(scenario, {"sales": group})
