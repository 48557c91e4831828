"""Shifts from a requirement (simulator.studies.shifts) and their templates (simulator.spec.shifts).

The programme is checked against brute force: every integer assignment of agents to the allowed
shifts (and of their breaks to break starts) up to ``max_agents``, on small random instances.
The brute force works from the clock (minutes) and shares no code with the module under test.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest
from pydantic import ValidationError

from simulator.spec.shifts import ShiftTemplateSpec, template_problems
from simulator.studies.shifts import plan_shifts, roster_from_plan

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def template(**keys: object) -> ShiftTemplateSpec:
    keys.setdefault("name", "t")
    return ShiftTemplateSpec.model_validate(keys)


def minutes(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


# ------------------------------------------------------------------ the brute-force oracle
def units_of(templates: list[dict], days: tuple[str, ...]) -> list[dict]:
    """Every decision (template, length, start, pattern) with its geometry, from first principles."""
    units = []
    for t in templates:
        allowed = [d for d in days if d in t.get("days", days)]
        lengths = t["length_hours"] if isinstance(t["length_hours"], list) else [t["length_hours"]]
        k = t.get("days_per_week")
        patterns = [(d,) for d in allowed] if k is None else list(itertools.combinations(allowed, k))
        unpaid = sum(b["minutes"] for b in t.get("breaks", []) if not b.get("paid", False))
        for length in lengths:
            for start in t["starts"]:
                s = minutes(start)
                for p in patterns:
                    per_day = t.get("cost_per_shift", t.get("cost_per_hour", WAGE) * length)
                    units.append({"key": (t["name"], length, s), "start": s,
                                  "end": s + round(length * 60) + unpaid, "days": p,
                                  "breaks": t.get("breaks", []), "cost": per_day * len(p),
                                  "max": t.get("max_agents"), "min": t.get("min_agents", 0)})
    return units


def on_floor(start: int, end: int, open_min: int, step: int, n: int) -> np.ndarray:
    return np.array([1 if start <= open_min + i * step and open_min + (i + 1) * step <= end else 0
                     for i in range(n)])


def brute_force(templates: list[dict], req: np.ndarray, days: tuple[str, ...], step: int,
                open_min: int, bound: int) -> float:
    """The least cost of any assignment of 0..bound agents per decision (inf if none covers).

    Every assignment is enumerated (as one numpy array); those within the head-count bounds and
    covering the requirement before breaks are tried in order of cost, breaks spread every way.
    """
    units = units_of(templates, days)
    n = req.shape[1]
    keys = sorted({(u["key"], d) for u in units for d in u["days"]})
    shape = {u["key"]: u for u in units}
    x = np.array(list(itertools.product(range(bound + 1), repeat=len(units))), dtype=np.int64)
    cost = x @ np.array([u["cost"] for u in units])
    to_z = np.array([[1 if d in u["days"] and u["key"] == key else 0 for key, d in keys] for u in units])
    z = x @ to_z
    low = np.array([shape[key]["min"] for key, _ in keys])
    high = np.array([shape[key]["max"] if shape[key]["max"] is not None else 10**9 for key, _ in keys])
    cells = np.zeros((len(units), len(days), n), dtype=np.int64)
    for j, u in enumerate(units):
        for d in u["days"]:
            cells[j, days.index(d)] = on_floor(u["start"], u["end"], open_min, step, n)
    base = x @ cells.reshape(len(units), -1)
    ok = ((z >= low) & (z <= high)).all(axis=1) & (base >= req.reshape(-1)).all(axis=1)
    for row in np.flatnonzero(ok)[np.argsort(cost[ok], kind="stable")]:
        agents = {key: int(a) for key, a in zip(keys, z[row], strict=True) if a}
        if _coverable(agents, shape, req, days, step, open_min, n):
            return float(cost[row])
    return math.inf


def _coverable(z: dict, shape: dict, req: np.ndarray, days: tuple[str, ...], step: int,
               open_min: int, n: int) -> bool:
    base = np.zeros(req.shape, dtype=int)
    choices = []  # per (shift, day, break): every way of spreading its agents over break starts
    for (key, d), agents in z.items():
        u = shape[key]
        base[days.index(d)] += agents * on_floor(u["start"], u["end"], open_min, step, n)
        for b in u["breaks"]:
            starts = range(u["start"] + minutes(b["earliest"]),
                           u["start"] + minutes(b["latest"]) - b["minutes"] + 1, step)
            offs = [on_floor(s, s + b["minutes"], open_min, step, n) for s in starts]
            spreads = [c for c in itertools.product(range(agents + 1), repeat=len(offs))
                       if sum(c) == agents]
            choices.append([(days.index(d), sum(k * off for k, off in zip(c, offs, strict=True)))
                            for c in spreads])
    for pick in itertools.product(*choices):
        cover = base.copy()
        for d, off in pick:
            cover[d] -= off
        if (cover >= req).all():
            return True
    return False


WAGE = 10.0


def solve(templates: list[dict], req: np.ndarray, days: tuple[str, ...], step: int = 60,
          open_min: int = 8 * 60, **kw: object):  # type: ignore[no-untyped-def]
    specs = [ShiftTemplateSpec.model_validate(t) for t in templates]
    return plan_shifts(req, specs, step, open_min * 60, days, WAGE, **kw)  # type: ignore[arg-type]


def random_templates(rng: np.random.Generator, count: int, starts: int, bound: int,
                     days_per_week: int | None = None) -> list[dict]:
    out = []
    for j in range(count):
        first = 8 + int(rng.integers(0, 2))
        out.append({"name": f"t{j}", "length_hours": int(rng.integers(2, 5)),
                    "starts": [f"{first + s:02d}:00" for s in range(starts)],
                    "cost_per_hour": float(rng.integers(5, 15)), "max_agents": bound,
                    "days_per_week": days_per_week})
    return out


def assert_matches(templates: list[dict], req: np.ndarray, days: tuple[str, ...], bound: int,
                   **kw: object) -> float:
    expected = brute_force(templates, req, days, 60, 8 * 60, bound)
    if expected == math.inf:
        with pytest.raises(ValueError, match="cannot be covered"):
            solve(templates, req, days, **kw)
        return expected
    plan = solve(templates, req, days, **kw)
    assert plan.status == "optimal"
    assert plan.cost_per_week == pytest.approx(expected)
    assert (plan.coverage >= req).all()
    return expected


# ------------------------------------------------------------------ optimality
@pytest.mark.parametrize("seed", range(8))
def test_cost_equals_brute_force_minimum_day_by_day(seed: int) -> None:
    rng = np.random.default_rng(seed)
    days = ("mon", "tue")[: 1 + seed % 2]
    templates = random_templates(rng, count=2 + seed % 2, starts=2, bound=2)
    req = rng.integers(0, 3, size=(len(days), 5))
    assert_matches(templates, req, days, bound=2)


@pytest.mark.parametrize("seed", range(4))
def test_cost_equals_brute_force_minimum_with_weekly_patterns(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    days = ("mon", "tue", "wed")
    templates = random_templates(rng, count=2, starts=2, bound=2, days_per_week=2)
    templates[1]["days_per_week"] = None if seed % 2 else 3
    for t in templates:
        t["starts"] = ["08:00", "10:00"]
    req = rng.integers(0, 3, size=(3, 5))
    assert_matches(templates, req, days, bound=2)


@pytest.mark.parametrize("seed", range(8))
def test_cost_equals_brute_force_minimum_with_staggered_breaks(seed: int) -> None:
    """A one-hour break in a two-hour window: the break starts are decisions the MILP must get
    right (letting agents skip their break gives a cheaper, wrong answer on most seeds)."""
    rng = np.random.default_rng(200 + seed)
    brk = {"minutes": 60, "paid": bool(seed % 2), "earliest": "02:00", "latest": "04:00"}
    templates = [
        {"name": "long", "length_hours": 5, "starts": ["08:00", "09:00", "10:00"], "breaks": [brk],
         "max_agents": 3, "cost_per_hour": float(rng.integers(5, 12))},
        {"name": "short", "length_hours": 2, "starts": ["09:00", "11:00", "13:00"], "max_agents": 3,
         "cost_per_hour": float(rng.integers(8, 16))},
    ]
    req = rng.integers(1, 4, size=(1, 7))
    assert assert_matches(templates, req, ("mon",), bound=3) < math.inf


def test_the_brute_force_oracle_on_a_hand_checked_case() -> None:
    """The oracle itself, on a case worked by hand."""
    templates = [{"name": "a", "length_hours": 2, "starts": ["08:00", "09:00"], "max_agents": 2},
                 {"name": "b", "length_hours": 3, "starts": ["08:00"], "max_agents": 2}]
    req = np.array([[1, 2, 1]])
    best = brute_force(templates, req, ("mon",), 60, 480, 2)
    assert best == pytest.approx(WAGE * 4)  # two 2-hour shifts: 08-10 and 09-11
    assert solve(templates, req, ("mon",)).cost_per_week == pytest.approx(best)


# ------------------------------------------------------------------ what a plan says
def coverage_from(plan, n: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Coverage rebuilt from the plan's shifts and breaks (not from its coverage array)."""
    cover = np.zeros((len(plan.weekdays), n), dtype=int)
    open_min, step = plan.open_seconds // 60, plan.interval_minutes
    for s in plan.shifts:
        for d in s.days:
            cover[plan.weekdays.index(d)] += s.agents * on_floor(minutes(s.start), minutes(s.end),
                                                                 open_min, step, n)
    for b in plan.breaks:
        cover[plan.weekdays.index(b.day)] -= b.agents * on_floor(minutes(b.start), minutes(b.end),
                                                                 open_min, step, n)
    return cover


def realistic(days_per_week: int | None = None, latest_full: str = "15:30") -> tuple[list[dict], np.ndarray]:
    brk = [{"minutes": 30, "paid": False, "earliest": "03:00", "latest": "05:00"}]
    templates = [
        {"name": "full", "length_hours": 8, "earliest_start": "07:00", "latest_start": latest_full,
         "breaks": brk, "days_per_week": days_per_week},
        {"name": "six", "length_hours": 6, "earliest_start": "07:00", "latest_start": "16:00",
         "breaks": brk, "days_per_week": days_per_week},
        {"name": "four", "length_hours": 4, "earliest_start": "07:00", "latest_start": "16:00",
         "days_per_week": days_per_week},
    ]
    hours = 8 + 0.5 * np.arange(24) + 0.25  # 08:00-20:00, mid-interval
    shape = 15 + 105 * np.exp(-(((hours - 10.5) / 1.8) ** 2)) + 55 * np.exp(-(((hours - 19) / 1.2) ** 2))
    req = np.rint(np.outer([1.0, 0.95, 0.95, 0.97, 1.05, 0.7], shape)).astype(int)
    return templates, req


def test_realistic_week_is_covered_and_the_plan_adds_up() -> None:
    templates, req = realistic()
    plan = solve(templates, req, DAYS[:6], step=30)
    assert plan.status == "optimal"
    assert plan.gap == pytest.approx(0, abs=1e-6)
    assert (plan.coverage >= req).all()
    assert (plan.under == 0).all()
    assert (plan.over == plan.coverage - req).all()
    assert (coverage_from(plan, 24) == plan.coverage).all()
    assert plan.paid_hours_per_week == pytest.approx(
        sum(s.agents * s.length_hours * len(s.days) for s in plan.shifts))
    assert plan.cost_per_week == pytest.approx(WAGE * plan.paid_hours_per_week)
    # every agent on a shift with a break takes it, inside its window
    for s in plan.shifts:
        if s.template in ("full", "six"):
            taken = sum(b.agents for b in plan.breaks if (b.template, b.shift_start, b.day)
                        == (s.template, s.start, s.days[0]))
            assert taken == s.agents
    for b in plan.breaks:
        assert 180 <= minutes(b.start) - minutes(b.shift_start) <= 270
    with pytest.raises(ValueError, match="read-only"):
        plan.coverage[0, 0] = 0


def test_roster_reproduces_the_plans_coverage() -> None:
    templates, req = realistic()
    plan = solve(templates, req, DAYS[:6], step=30)
    roster = roster_from_plan(plan)
    cover = np.zeros_like(req)
    for entry in roster:
        assert entry.days is not None
        for d in entry.days:
            cover[DAYS.index(d)] += entry.agents * on_floor(minutes(entry.start), minutes(entry.end),
                                                            480, 30, 24)
    assert (cover == plan.coverage).all()
    assert plan.paid_break_hours_per_week == 0


@pytest.mark.parametrize("seed", range(3))
def test_roster_reproduces_two_staggered_breaks_on_weekly_patterns(seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    breaks = [{"minutes": 15, "paid": True, "earliest": "01:30", "latest": "02:30"},
              {"minutes": 30, "earliest": "03:00", "latest": "05:00"},
              {"minutes": 15, "paid": True, "earliest": "06:00", "latest": "07:00"}]
    templates = [{"name": "full", "length_hours": [7.5, 8], "earliest_start": "08:00",
                  "latest_start": "10:00", "breaks": breaks, "days_per_week": 3},
                 {"name": "part", "length_hours": 4, "starts": ["12:00", "14:00"], "cost_per_shift": 70}]
    req = rng.integers(2, 12, size=(4, 40))
    plan = solve(templates, req, DAYS[:4], step=15)
    assert plan.status == "optimal"
    assert (coverage_from(plan, 40) == plan.coverage).all()
    assert (plan.coverage >= req).all()
    cover = np.zeros_like(req)
    for entry in roster_from_plan(plan):
        assert entry.days is not None
        for d in entry.days:
            cover[DAYS.index(d)] += entry.agents * on_floor(minutes(entry.start), minutes(entry.end),
                                                            480, 15, 40)
    assert (cover == plan.coverage).all()
    full_days = sum(s.agents * len(s.days) for s in plan.shifts if s.template == "full")
    assert plan.paid_break_hours_per_week == pytest.approx(full_days * 0.5)


def test_weekly_patterns_work_the_same_start_on_k_days() -> None:
    templates = [{"name": "week", "length_hours": 4, "starts": ["08:00", "09:00"], "days_per_week": 2}]
    req = np.array([[1, 1, 1, 1], [2, 2, 2, 2], [1, 1, 1, 1]])
    plan = solve(templates, req, DAYS[:3])
    assert all(len(s.days) == 2 for s in plan.shifts)
    assert sum(s.agents for s in plan.shifts) == 2  # mon+tue and tue+wed
    assert plan.paid_hours_per_week == 16
    assert (plan.coverage >= req).all()


def test_head_count_bounds_are_respected() -> None:
    templates = [{"name": "a", "length_hours": 2, "starts": ["08:00", "09:00", "10:00"],
                  "min_agents": 1, "max_agents": 3},
                 {"name": "b", "length_hours": 4, "starts": ["08:00"], "max_agents": 1,
                  "cost_per_hour": 1.0}]
    req = np.array([[4, 4, 0, 0], [0, 1, 1, 0]])
    plan = solve(templates, req, ("mon", "tue"))
    per = {(s.template, s.start, s.days[0]): s.agents for s in plan.shifts}
    for start in ("08:00", "09:00", "10:00"):
        for day in ("mon", "tue"):
            assert 1 <= per.get(("a", start, day), 0) <= 3
    assert all(per.get(("b", "08:00", d), 0) <= 1 for d in ("mon", "tue"))
    assert per[("b", "08:00", "mon")] == 1  # the cheap one is used, up to its maximum
    # patterns: the bound holds per day, summed over the patterns working it
    templates = [{"name": "p", "length_hours": 2, "starts": ["08:00"], "days_per_week": 2,
                  "max_agents": 2, "min_agents": 1}]
    plan = solve(templates, np.array([[2, 2], [2, 2], [1, 0]]), DAYS[:3])
    for d in DAYS[:3]:
        assert 1 <= sum(s.agents for s in plan.shifts if d in s.days) <= 2


def test_breaks_reduce_coverage_where_they_fall() -> None:
    # one 30-minute break exactly 2 h into a 4 h shift: everybody is off 10:00-10:30
    templates = [{"name": "a", "length_hours": 4, "starts": ["08:00"],
                  "breaks": [{"minutes": 30, "earliest": "02:00", "latest": "02:30"}]}]
    req = np.full((1, 9), 3)
    req[0, 4] = 0  # 10:00
    plan = solve(templates, req, ("mon",), step=30)
    assert plan.shifts[0].end == "12:30"
    assert plan.coverage.tolist() == [[3, 3, 3, 3, 0, 3, 3, 3, 3]]
    assert [(b.start, b.end, b.agents) for b in plan.breaks] == [("10:00", "10:30", 3)]
    roster = roster_from_plan(plan)
    assert [(r.start, r.end, r.agents) for r in roster] == [("08:00", "10:00", 3), ("10:30", "12:30", 3)]
    # a staggered break: the agents spread over the window, coverage dips by the share off
    templates[0]["breaks"] = [{"minutes": 30, "earliest": "01:00", "latest": "03:00", "paid": True}]
    plan = solve(templates, np.array([[3, 3, 2, 2, 2, 2, 3, 3]]), ("mon",), step=30)
    assert plan.shifts[0].end == "12:00"
    assert plan.shifts[0].agents == 3
    assert (plan.coverage >= [3, 3, 2, 2, 2, 2, 3, 3]).all()
    assert plan.coverage.sum() == 8 * 3 - 3  # three agents, one interval off each
    assert {b.start for b in plan.breaks} < {"09:00", "09:30", "10:00", "10:30"}
    assert all(b.agents == 1 for b in plan.breaks)  # staggered: one at a time
    assert plan.paid_break_hours_per_week == pytest.approx(1.5)
    assert plan.paid_hours_per_week == 12


def test_zero_wage_minimises_paid_hours() -> None:
    templates = [{"name": "a", "length_hours": [2, 4], "starts": ["08:00", "10:00"]}]
    specs = [ShiftTemplateSpec.model_validate(t) for t in templates]
    plan = plan_shifts(np.array([[1, 1, 1, 1]]), specs, 60, 8 * 3600, ("mon",), 0.0)
    assert plan.objective == "paid_hours"
    assert plan.paid_hours_per_week == 4
    assert plan.cost_per_week == 0


def test_groups_pick_their_templates() -> None:
    templates = [ShiftTemplateSpec.model_validate(
        {"name": "a", "length_hours": 2, "starts": ["08:00"], "groups": ["sales"]})]
    assert plan_shifts([[1, 1]], templates, 60, 8 * 3600, ("mon",), 10.0, group="sales").shifts
    with pytest.raises(ValueError, match="no shift template may be used by the agent group 'service'"):
        plan_shifts([[1, 1]], templates, 60, 8 * 3600, ("mon",), 10.0, group="service")


# ------------------------------------------------------------------ refusals
def test_an_interval_no_shift_reaches_is_named() -> None:
    templates = [{"name": "a", "length_hours": 2, "starts": ["08:00"]}]
    req = np.array([[1, 1, 0, 0], [0, 0, 0, 2]])
    with pytest.raises(ValueError, match=r"tue 11:00: 2 agents required, but no allowed shift covers"):
        solve(templates, req, ("mon", "tue"))


def test_max_agents_too_small_is_named() -> None:
    templates = [{"name": "a", "length_hours": 2, "starts": ["08:00"], "max_agents": 2},
                 {"name": "b", "length_hours": 1, "starts": ["09:00"], "max_agents": 1}]
    with pytest.raises(ValueError, match=r"mon 09:00: 4 agents required, but max_agents lets at most 3"):
        solve(templates, np.array([[1, 4]]), ("mon",))


def test_a_day_the_template_is_not_worked_is_named() -> None:
    templates = [{"name": "a", "length_hours": 2, "starts": ["08:00"], "days": ["mon"]}]
    with pytest.raises(ValueError, match=r"tue 08:00: 1 agents required, but no allowed shift"):
        solve(templates, np.array([[1, 1], [1, 0]]), ("mon", "tue"))


def test_breaks_that_cannot_all_be_placed_are_named() -> None:
    # one agent at most; their break must fall at 09:00 or 10:00, and both need them there
    templates = [{"name": "a", "length_hours": 4, "starts": ["08:00"], "max_agents": 1,
                  "breaks": [{"minutes": 60, "earliest": "01:00", "latest": "03:00"}]}]
    with pytest.raises(ValueError, match=r"mon (09|10):00: 1 agents required, at least 1 short"):
        solve(templates, np.array([[1, 1, 1, 1, 1]]), ("mon",))


def test_bounds_no_pattern_can_meet_are_refused() -> None:
    templates = [{"name": "a", "length_hours": 2, "starts": ["08:00"], "days_per_week": 2,
                  "min_agents": 1, "max_agents": 1}]  # 3 days, each exactly 1: 3 = 2 × agents
    with pytest.raises(ValueError, match="min_agents and max_agents"):
        solve(templates, np.array([[1, 1], [1, 1], [1, 1]]), DAYS[:3])


def test_too_large_a_programme_is_refused_with_its_size() -> None:
    templates, req = realistic()
    with pytest.raises(ValueError, match=r"1,224 variables × 366 constraints = 447,984, more than the 1,000"):
        solve(templates, req, DAYS[:6], step=30, max_size=1000)


def test_a_search_stopped_by_the_time_limit_says_so() -> None:
    templates, req = realistic(days_per_week=5)
    try:
        plan = solve(templates, req, DAYS[:6], step=30, time_limit_seconds=0.5)
    except ValueError as error:  # stopped before any roster was found
        stopped = str(error)
        plan = None
    if plan is None:
        assert re.search(r"no roster found: HiGHS stopped \(time_limit", stopped)
    else:
        assert plan.status == "time_limit"
        assert plan.gap > 0
        assert (plan.coverage >= req).all()


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"starts": None}, r"give the allowed start times"),
        ({"earliest_start": "07:00", "latest_start": "09:00"}, "not both"),
        ({"starts": None, "earliest_start": "07:00"}, "earliest_start and latest_start go together"),
        ({"starts": None, "earliest_start": "10:00", "latest_start": "09:00"},
         r"latest_start \(09:00\) must not be before"),
        ({"starts": ["8:00"]}, r'must be "HH:MM"'),
        ({"starts": ["08:00", "08:00"]}, "names a start twice: 08:00"),
        ({"starts": ["08:00"], "start_step_minutes": 30}, "start_step_minutes goes with"),
        ({"length_hours": 7.99}, "whole number of minutes"),
        ({"length_hours": [8, 8]}, "names a length twice"),
        ({"starts": ["16:30"], "breaks": [{"minutes": 30, "earliest": "03:00", "latest": "05:00"}]},
         r"the 8 h shift starting at 16:30 would end at 01:00 the next day"),
        ({"breaks": [{"minutes": 30, "earliest": "07:00", "latest": "09:00"}]},
         r"breaks\[0\].latest: must be before the end of the 8 h shift \(08:30 after its start\)"
         r".*got 09:00"),
        ({"breaks": [{"minutes": 60, "earliest": "03:00", "latest": "03:30"}]},
         "a 60-minute break does not fit between earliest"),
        ({"breaks": [{"minutes": 30, "earliest": "00:00", "latest": "01:00"}]}, "cannot open a shift"),
        ({"breaks": [{"minutes": 15, "earliest": "02:00", "latest": "04:00"},
                     {"minutes": 30, "earliest": "03:00", "latest": "05:00"}]},
         r"breaks\[1\].earliest: must not be before the window of breaks\[0\] ends \(04:00\), "
         r"got 03:00"),
        ({"min_agents": 5, "max_agents": 2}, r"max_agents \(2\) must not be below min_agents \(5\)"),
        ({"cost_per_hour": 10, "cost_per_shift": 80}, "at most one of cost_per_hour and cost_per_shift"),
        ({"days": ["mon", "tue"], "days_per_week": 3}, r"days_per_week \(3\) is more than"),
        ({"days": ["mon", "mon"]}, "names a day twice"),
        ({"days": ["monday"]}, "mon"),
        ({"shift": "x"}, "Extra inputs"),
    ],
)
def test_bad_templates_are_refused_clearly(keys: dict, message: str) -> None:
    base: dict[str, object] = {"name": "t", "length_hours": 8, "starts": ["08:00"]}
    base.update(keys)
    with pytest.raises(ValidationError, match=message):
        ShiftTemplateSpec.model_validate(base)


def test_templates_off_the_interval_grid_are_refused() -> None:
    odd = template(length_hours=7.75, earliest_start="07:15", latest_start="09:00",
                   start_step_minutes=45,
                   breaks=[{"minutes": 20, "earliest": "03:00", "latest": "04:10"}])
    problems = template_problems([odd, odd], 30, groups=["agents"])
    assert problems[0] == "shift_templates: names must be unique, repeated: t"
    assert "shift_templates[0].length_hours: 7.75 h is not a whole number of 30-minute intervals" in problems
    assert "shift_templates[0].earliest_start: 07:15 is not on a 30-minute interval boundary" in problems
    assert "shift_templates[0].start_step_minutes: 45 is not a multiple of the 30-minute interval" in problems
    assert "shift_templates[0].breaks[0].minutes: 20 is not a whole number of 30-minute intervals" in problems
    assert "shift_templates[0].breaks[0].latest: 04:10 is not on a 30-minute interval boundary" in problems
    assert template_problems([odd], 15) != []
    assert template_problems([template(length_hours=7.75, starts=["07:15"])], 15) == []
    stranger = template(length_hours=4, starts=["08:00"], groups=["sales"])
    assert template_problems([stranger], 30, groups=["agents"]) == [
        "shift_templates[0].groups[0]: unknown agent group 'sales'; known: agents"]
    with pytest.raises(ValueError, match=r"shift template 't': length_hours: 7.75 h is not a whole number"):
        plan_shifts([[1]], [odd], 30, 8 * 3600, ("mon",), 10.0)


def test_requirement_shape_and_values_are_checked() -> None:
    t = [template(length_hours=1, starts=["08:00"])]
    with pytest.raises(ValueError, match=r"days \(2: mon, tue\) × intervals, got shape \(1, 2\)"):
        plan_shifts([[1, 1]], t, 60, 8 * 3600, ("mon", "tue"), 10.0)
    with pytest.raises(ValueError, match="whole numbers of agents, none negative"):
        plan_shifts([[1.5, 1]], t, 60, 8 * 3600, ("mon",), 10.0)
    with pytest.raises(ValueError, match="within one day"):
        plan_shifts([[1] * 20], t, 60, 8 * 3600, ("mon",), 10.0)


def test_a_plan_kept_keeps_every_shift_and_break_and_adds_on_top() -> None:
    """A top-up (``keep``): the earlier plan's shifts and breaks all stay, agent for agent, and
    the extra requirement is covered by what is added; the result costs at least the plan from
    scratch (it is one of the rosters that programme could choose) and no more than the earlier
    plan plus the least-cost plan of the extra alone (that is one the kept programme could
    choose)."""
    templates, req = realistic()
    first = solve(templates, req, DAYS[:6], step=30)
    more = req.copy()
    more[1, 6:9] += 2  # Tuesday 11:00-12:30 needs two more
    more[4, 20] += 1  # Friday 18:00 one more
    more = np.maximum(more, first.coverage)
    kept = solve(templates, more, DAYS[:6], step=30, keep=first)
    assert kept.status == "optimal"
    assert (kept.coverage >= more).all()
    shifts = {(s.template, s.start, s.days): s.agents for s in kept.shifts}
    for s in first.shifts:
        assert shifts[s.template, s.start, s.days] >= s.agents
    breaks = {(b.template, b.shift_start, b.day, b.number, b.start): b.agents for b in kept.breaks}
    for b in first.breaks:
        assert breaks[b.template, b.shift_start, b.day, b.number, b.start] >= b.agents
    extra = solve(templates, np.maximum(more - first.coverage, 0), DAYS[:6], step=30)
    scratch = solve(templates, more, DAYS[:6], step=30)
    assert scratch.cost_per_week - 1e-6 <= kept.cost_per_week
    assert kept.cost_per_week <= first.cost_per_week + extra.cost_per_week + 1e-6
