"""``agents = { mon = [..], sat = [..] }``: a head-count per interval of the opening hours on
each weekday named, nobody on the others (simulator.spec.groups, simulator.model.calendar)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from simulator.model.calendar import Calendar, rostered_agents
from simulator.spec.schema import Scenario

OPEN_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat"]


def centre(agents: Any, **run: Any) -> Scenario:
    """Open 08:00-12:00 in hours, Monday to Saturday."""
    return Scenario.model_validate({
        "scenario": {"name": "weekday roster"},
        "run": {"days": 7, "replications": 1, **run},
        "hours": {"open": "08:00", "close": "12:00", "interval_minutes": 60,
                  "open_days": OPEN_DAYS},
        "channels": [{"name": "voice", "volume_per_day": 100}],
        "contact_types": [{"name": "g", "channel": "voice",
                           "handle_time": {"dist": "exponential", "mean": 120}}],
        "agent_groups": [{"name": "a", "skills": ["g"], "agents": agents}],
    })


TABLE = {"sat": [1, 2, 3, 4], "mon": [5, 6, 7, 8], "wed": [0, 9, 9, 0]}


def week_roster(scenario: Scenario) -> np.ndarray:
    cal = Calendar.of(scenario)
    return rostered_agents(scenario.agent_groups[0], scenario, cal).reshape(-1, 24)


def test_the_table_is_kept_in_weekday_order_as_tuples() -> None:
    agents = centre(TABLE).agent_groups[0].agents
    assert agents == {"mon": (5, 6, 7, 8), "wed": (0, 9, 9, 0), "sat": (1, 2, 3, 4)}
    assert isinstance(agents, dict)
    assert list(agents) == ["mon", "wed", "sat"]


def test_a_table_rosters_exactly_that_head_count_per_weekday_and_interval() -> None:
    roster = week_roster(centre(TABLE))
    expected = np.zeros((7, 24), dtype=np.int64)
    for day, counts in {"mon": TABLE["mon"], "wed": TABLE["wed"], "sat": TABLE["sat"]}.items():
        expected[OPEN_DAYS.index(day), 8:12] = counts
    assert (roster == expected).all()  # tue, thu, fri: nobody; sun closed; nothing out of hours


def test_the_table_follows_the_weekday_not_the_simulated_day() -> None:
    roster = week_roster(centre(TABLE, start_day="sat", days=9))
    # day 0 is a Saturday, day 2 a Monday, day 4 a Wednesday, day 7 a Saturday again
    assert roster[0, 8:12].tolist() == TABLE["sat"]
    assert roster[1].sum() == 0  # Sunday
    assert roster[2, 8:12].tolist() == TABLE["mon"]
    assert roster[3].sum() == 0  # Tuesday: not in the table
    assert roster[4, 8:12].tolist() == TABLE["wed"]
    assert roster[7, 8:12].tolist() == TABLE["sat"]
    assert roster[8].sum() == 0


def test_the_other_forms_roster_as_before() -> None:
    flat = week_roster(centre(3))
    lists = week_roster(centre([1, 2, 3, 4]))
    for day in range(6):
        assert flat[day, 8:12].tolist() == [3, 3, 3, 3]
        assert lists[day, 8:12].tolist() == [1, 2, 3, 4]
    assert flat[6].sum() == lists[6].sum() == 0


@pytest.mark.parametrize(("agents", "says"), [
    ({"mond": [1, 2, 3, 4]}, "agent_groups.0.agents\n  Value error, mond: unknown key 'mond' "
                             "(did you mean 'mon'?); allowed here: mon, tue, wed, thu, fri, sat, sun"),
    ({"mon": [1, 2.5, 3, 4]}, "mon: must be a list of whole numbers of agents"),
    ({"mon": []}, "mon: must be a list of whole numbers of agents"),
    ({"mon": [1, 2, 3, 4], "tue": True}, "tue: must be a list of whole numbers of agents"),
    ({}, "or a table of such lists per weekday"),
    ({"mon": [1, 2, 3]}, "agent_groups[0].agents.mon: a list needs one number per 60-minute "
                         "interval of the opening hours (4), got 3"),
    ({"sun": [1, 2, 3, 4]}, "agent_groups[0].agents.sun: sun is not an open day "
                            "(hours.open_days: mon, tue, wed, thu, fri, sat)"),
])
def test_a_bad_table_is_refused(agents: dict[str, Any], says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        centre(agents)
    assert says in str(caught.value)


def test_the_report_names_the_weekdays_of_a_table() -> None:
    from simulator.report.blocks import key_configuration

    config = centre(TABLE).model_dump(mode="json", by_alias=True)
    groups = next(b for b in key_configuration(config) if b.heading == "Agent groups")
    cells = [c.content for c in groups.table.rows[0]]
    assert "per interval on mon, wed, sat, 0–9" in cells
