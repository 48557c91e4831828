"""``ccsim plan``'s study: months priced from their runs, the head-count flow, levers rolled
out over time, and plans compared on common random numbers (docs/plan.md)."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest

from simulator.experiment import run_replications
from simulator.results.plan import PlanResult
from simulator.spec.layers import LoadedScenario, load_scenario
from simulator.spec.months import month_scenarios
from simulator.spec.plan import PlanSpec, days_in, month_index
from simulator.studies.plan import cut_in_proportion, flows, plan_difference, plan_study, roster_fte
from simulator.studies.staffing import staff

SMALL = "tests/data/plan_small.toml"
HIRE = "tests/data/plan_small_hire.toml"


@functools.cache
def planned(path: str, *overrides: str) -> PlanResult:
    return plan_study(load_scenario(path, list(overrides)), workers=2)


def values(estimate: object) -> np.ndarray:
    return np.array(estimate.values)  # type: ignore[attr-defined]


def test_a_plan_with_no_change_costs_each_month_the_plain_run_of_its_days() -> None:
    """The file's roster is the requirement (staffed first), nothing changes: every month costs
    the plain run of that roster scaled to its calendar days, replication by replication."""
    loaded = load_scenario(SMALL)
    flat = loaded.scenario
    staffed = staff(flat, ["agents"], workers=2).scenario  # a head-count roster
    assert staffed.plan is not None
    own = dataclasses.replace(loaded, scenario=staffed)
    result = plan_study(own, workers=2)
    plain = run_replications(staffed, workers=2)
    total = np.array([r["cost"]["total"] for r in plain])
    contacts = np.array([r["cost"]["contacts"] for r in plain])
    measured = staffed.run.days - staffed.run.warmup_hours / 24
    for k, month in enumerate(result.months):
        scale = days_in(month_index("2027-01") + k) / measured
        group = month.group("agents")
        assert group.gap == pytest.approx(0.0, abs=1e-9)  # the roster is the requirement
        assert group.start == pytest.approx(roster_fte(staffed, "agents", 40.0))
        np.testing.assert_allclose(values(month.total), total * scale, rtol=1e-9)
        np.testing.assert_allclose(values(month.per_contact), total / contacts, rtol=1e-9)
        assert month.lines["overtime"].mean == month.lines["hiring"].mean == 0.0
    assert [m.days for m in result.months] == [31, 28, 31]


def test_attrition_and_hiring_flows_add_up_every_month() -> None:
    plan = PlanSpec.model_validate({
        "start": "2027-01", "months": 12, "attrition_per_month": {"a": 0.03, "b": 0.05},
        "hiring": [{"group": "a", "start": "2027-02", "headcount": 12, "training_weeks": 4,
                    "ramp": [0.5, 0.7, 0.85]},
                   {"group": "b", "start": "2027-06", "headcount": 3},
                   {"group": "a", "start": "2027-09", "headcount": 14, "training_weeks": 2}]})
    rows = flows(plan, {"a": 100.0, "b": 20.0}, [{"a": 90.0, "b": 18.0}] * 12)
    for m, month in enumerate(rows):
        for g in month:
            assert g.start + g.joiners - g.leavers == pytest.approx(g.end)
            assert 0 <= g.productive <= g.paid
            if m + 1 < len(rows):
                after = next(x for x in rows[m + 1] if x.group == g.group)
                assert after.start == pytest.approx(g.end)
    a = [next(g for g in month if g.group == "a") for month in rows]
    assert a[0].leavers == pytest.approx(3.0)  # 3 % of 100
    assert a[1].joiners == 12
    assert a[1].in_training == pytest.approx(12.0)
    assert a[1].productive == pytest.approx(a[0].end - a[1].leavers / 2)
    assert 0 < a[2].ramping <= a[2].paid  # March: the class ramps (50 %, 70 %, 85 %)
    # no one joins b before June; b's class needs no training
    b = [next(g for g in month if g.group == "b") for month in rows]
    assert sum(x.joiners for x in b[:5]) == 0
    assert b[5].in_training == 0


def test_a_class_in_training_adds_cost_and_no_productive_fte() -> None:
    without, with_class = planned(SMALL), planned(HIRE)
    jan, feb = 0, 1
    for name in ("total", "per_contact"):  # January: the same on the same seeds
        np.testing.assert_array_equal(values(getattr(with_class.months[jan], name)),
                                      values(getattr(without.months[jan], name)))
    before, after = without.months[feb], with_class.months[feb]
    g0, g1 = before.group("agents"), after.group("agents")
    assert g1.joiners == 5
    assert g1.in_training == pytest.approx(5.0)
    assert g1.productive == pytest.approx(g0.productive)  # trainees are off the floor
    assert g1.paid == pytest.approx(g0.paid + 5)
    assert after.lines["hiring"].mean == pytest.approx(5 * 1000)
    extra = values(after.lines["agent_wages"]) - values(before.lines["agent_wages"])
    per_fte = values(before.lines["agent_wages"]) / g0.paid
    np.testing.assert_allclose(extra, 5 * per_fte, rtol=1e-9)  # paid like everyone else
    assert np.all(values(after.total) - values(before.total) > 5 * 1000)


def test_a_lever_rolled_out_in_month_k_moves_cost_only_from_month_k_on() -> None:
    rolled = planned("tests/data/plan_small_rolled.toml")
    base = planned(SMALL)
    np.testing.assert_array_equal(values(rolled.months[0].total), values(base.months[0].total))
    assert rolled.months[0].levers == ()
    for k in (1, 2):
        change = plan_difference(rolled, base).months[k].total
        assert change.ci_high is not None
        assert change.ci_high < 0, change  # self-service saves
        assert rolled.months[k].levers == ("plan_small_lever 100%",)
        assert rolled.months[k].lines["self_service"].mean > 0


def test_plans_compared_give_paired_differences_per_month() -> None:
    base, other = planned(SMALL), planned(HIRE)
    diff = plan_difference(other, base)
    assert [m.month for m in diff.months] == ["2027-01", "2027-02", "2027-03"]
    assert diff.months[0].total.mean == 0.0
    assert diff.months[0].total.ci_high == 0.0
    for d, o, b in zip(diff.months, other.months, base.months, strict=True):
        np.testing.assert_allclose(values(d.total), values(o.total) - values(b.total))
    # the class costs its hiring and its pay: more in every month from February, and in all
    assert diff.months[1].total.ci_low is not None
    assert diff.months[1].total.ci_low > 5000
    assert diff.total.ci_low is not None
    assert diff.total.ci_low > 5000
    np.testing.assert_allclose(values(diff.total), values(other.totals.total)
                               - values(base.totals.total))


def test_identical_months_share_one_requirement_and_run() -> None:
    result = planned(SMALL)
    assert result.months[0].requirement.startswith("searched")
    assert [m.requirement for m in result.months[1:]] == ["shared with 2027-01"] * 2
    assert result.simulations == result.months[0].simulations


def test_a_month_with_more_volume_is_warm_started_and_meets_every_target() -> None:
    result = planned(SMALL, "plan.growth_per_month=0.15", "plan.max_overtime_share=1.0")
    assert result.months[1].requirement == "warm start from 2027-01"
    assert all(m.intervals_short == 0 for m in result.months)
    need = [m.group("agents").required for m in result.months]
    assert need[0] < need[1] < need[2]
    assert all(m.simulations <= 4 for m in result.months[1:]), [m.simulations for m in result.months]


def test_loaded_is_frozen() -> None:  # the study must not change what it was given
    loaded = load_scenario(SMALL)
    before = loaded.scenario.model_dump()
    plan_study(loaded, workers=2)
    assert loaded.scenario.model_dump() == before
    assert isinstance(loaded, LoadedScenario)


def test_a_gap_not_closed_is_simulated_on_the_agents_there_are() -> None:
    """``gap = "shortfall"``: no overtime; the month runs on the agents there are and says how
    many intervals miss a target; it costs less labour than the month at the requirement."""
    short = planned(SMALL, "plan.growth_per_month=0.15", "plan.gap=shortfall")
    closed = planned(SMALL, "plan.growth_per_month=0.15", "plan.max_overtime_share=1.0")
    for s, c in zip(short.months[1:], closed.months[1:], strict=True):
        g = s.group("agents")
        assert g.gap > 0
        assert g.overtime == 0.0
        assert g.shortfall == pytest.approx(g.gap)
        assert s.lines["overtime"].mean == 0.0
        assert c.group("agents").overtime == pytest.approx(g.gap)
        assert s.intervals_short > 0
        assert c.intervals_short == 0
        assert s.short_where
        assert s.simulations == c.simulations + 1  # the run of the agents there are


def test_volumes_per_month_are_the_first_contacts_each_month_gets() -> None:
    """A forecast in contacts a month: each month's scenario arrives that many first contacts
    in the month as the plan prices it (volume_per_day x the open weekdays' share of the week x
    the month's calendar days), and the result says the factor of the file's own volume."""
    forecast = [26_000.0, 30_000.0, 24_000.0]
    loaded = load_scenario(SMALL, [f"plan.volumes_per_month.voice={forecast}"])
    months = month_scenarios(loaded.scenario, loaded.files, SMALL)
    result = plan_study(loaded, workers=2, months=months)
    for k, (month, wanted) in enumerate(zip(months, forecast, strict=True)):
        days = days_in(month_index("2027-01") + k)
        assert month.channels[0].volume_per_day * 5 / 7 * days == pytest.approx(wanted, rel=1e-12)
        assert result.months[k].volume_factor["voice"] == pytest.approx(
            wanted / (1200 * 5 / 7 * days), rel=1e-12)


def test_a_shortfall_cuts_the_share_of_agent_intervals_not_an_agent_everywhere() -> None:
    floor = np.array([[20, 21, 19, 0], [18, 22, 20, 1]])
    cut = cut_in_proportion(floor, 0.99)
    assert cut.sum() == round(floor.sum() * 0.99)  # 121 * 0.99 = 119.8 -> 120 of 121
    assert np.all(cut <= floor)
    assert np.all(cut >= np.floor(floor * 0.99))
    np.testing.assert_array_equal(cut_in_proportion(floor, 1.0), floor)
    assert cut_in_proportion(floor, 0.5).sum() == round(floor.sum() * 0.5)
