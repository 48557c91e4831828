"""``ccsim plan``: a scenario's ``[plan]`` month by month (docs/plan.md).

For each month: its scenario (:mod:`simulator.spec.months`), the FTE required at equal
per-interval service, the head-count flow of each group (:func:`flows`), the gap and its cost,
and the month's cost lines priced for its calendar days. Every month runs on the file's seeds
(common random numbers), so two plans differ month by month only by what their files change.

The requirement is not searched from scratch every month:

- months whose scenario is the same apart from costs and wages share one requirement (a digest
  of the month's scenario without ``[costs]``, wages and names): the month is simulated once
  more only if its costs differ, else its run is shared too;
- the first month is staffed by :func:`simulator.studies.staffing.staff` (the full search, on
  head-counts: a plan budgets FTE, not shifts);
- every other month starts from the requirement of the month before it that was found: that
  roster is simulated on this month's scenario (about half the replications), each interval is
  re-staffed to Erlang A on the load measured plus the offset measured (the search's step 2,
  so a roster with nothing to spare stays so where the load is the same), the result is
  simulated on every replication, and any interval still short gets more agents until every
  target is met (at most :data:`MAX_TOP_UPS` top-ups; the last run is the month's run).

Nothing here draws, prints or writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.experiment import Scheduler, run_replications, verdicts
from simulator.model.calendar import Calendar, on_floor_agents, weekly_roster
from simulator.results.estimate import Estimate
from simulator.results.plan import (
    PLAN_LINES,
    GroupMonth,
    MonthDifference,
    PlanComparison,
    PlanDifference,
    PlanMonth,
    PlanResult,
    PlanTotals,
)
from simulator.results.run import Figures, Sections
from simulator.spec.base import WEEKDAYS
from simulator.spec.layers import LoadedScenario
from simulator.spec.months import content_hash, month_scenarios, volume_factors
from simulator.spec.plan import PlanSpec, days_in
from simulator.spec.schema import Scenario
from simulator.studies.requirement import Measured, Progress, Requirement, Search, head_counts, rostered
from simulator.studies.staffing import staff

#: top-ups of a warm-started month that still falls short
MAX_TOP_UPS = 4
#: intervals named where a month's service falls short
SHORT_NAMED = 5


# ---------------------------------------------------------------------------- head-count
def roster_fte(scenario: Scenario, group: str, hours_per_fte: float) -> float:
    """A group's paid FTE on its roster: rostered agent-hours a week (shrinkage included,
    unpaid breaks not) ÷ ``hours_per_fte``."""
    cal = Calendar.of(scenario)
    spec = next(g for g in scenario.agent_groups if g.name == group)
    open_rows = [WEEKDAYS.index(d) for d in scenario.hours.open_days]
    hours = float(weekly_roster(spec, cal)[open_rows].sum()) * cal.interval_seconds / 3600
    return hours / hours_per_fte


@dataclass
class _Cohort:
    start: int  # plan month it joined
    size: float
    hire: int  # index in plan.hiring


def flows(plan: PlanSpec, start: dict[str, float], required: Sequence[dict[str, float]]
          ) -> list[list[GroupMonth]]:
    """Each month's head-count flow per group (docs/plan.md, "Head-count"): leavers are
    ``attrition × start`` of the tenured and of earlier classes alike, leaving evenly through
    the month; a class joins on the first day of its month; ``paid`` is the month's average
    employed, ``productive`` its average proficiency-weighted FTE (0 in training)."""
    pool = dict(start)
    cohorts: dict[str, list[_Cohort]] = {g: [] for g in start}
    first = plan.first
    out: list[list[GroupMonth]] = []
    for m in range(plan.months):
        days = days_in(first + m)
        day0 = sum(days_in(first + k) for k in range(m))
        rows = []
        for group in start:
            rate = plan.attrition_per_month.get(group, 0.0)
            begin = pool[group] + sum(c.size for c in cohorts[group])
            leave_pool = rate * pool[group]
            joiners = 0.0
            for i, hire in enumerate(plan.hiring):
                if hire.group == group and plan.elapsed(hire.start, m) == 0:
                    cohorts[group].append(_Cohort(m, 0.0, i))
                    joiners += hire.headcount
            productive = pool[group] - leave_pool / 2
            training = ramping = 0.0
            leavers = leave_pool
            for c in cohorts[group]:
                hire = plan.hiring[c.hire]
                if c.start == m:
                    average, c.size = float(hire.headcount), float(hire.headcount)
                else:
                    leave = rate * c.size
                    leavers += leave
                    average, c.size = c.size - leave / 2, c.size - leave
                since = day0 - sum(days_in(first + k) for k in range(c.start))
                tr, rp, prof = hire.productive_share(since, days)
                training += average * tr
                ramping += average * rp
                productive += average * prof
            pool[group] -= leave_pool
            need = required[m][group]
            gap = need - productive
            cap = plan.max_overtime_share * productive if plan.gap == "overtime" else 0.0
            overtime = min(max(gap, 0.0), cap)
            rows.append(GroupMonth(
                group=group, start=begin, leavers=leavers, joiners=joiners,
                end=begin + joiners - leavers, paid=begin - leavers / 2 + joiners,
                in_training=training, ramping=ramping, productive=productive, required=need,
                gap=gap, overtime=overtime, shortfall=max(gap - overtime, 0.0)))
        out.append(rows)
    return out


def cut_in_proportion(floor: np.ndarray, share: float) -> np.ndarray:
    """Whole agents per interval making up ``share`` (at most 1) of ``floor``'s agent-intervals:
    each interval's share rounded down, then one back to the intervals that lost the largest
    fractions until the total is the share of the whole (largest remainders), so a group 1 %
    short loses 1 % of its agent-intervals, not an agent in every interval."""
    exact = floor * min(1.0, share)
    cut = np.floor(exact + 1e-9).astype(np.int64)
    missing = round(float(exact.sum())) - int(cut.sum())
    if missing > 0:
        order = np.argsort(-(exact - cut), axis=None, kind="stable")[:missing]
        flat = cut.reshape(-1)
        flat[order] += 1
    return cut


# ---------------------------------------------------------------------------- requirement
@dataclass
class Found:
    """A month's requirement: on-floor agents per group, its run, how it was found."""

    floor: Requirement
    runs: list[Figures]
    how: str
    simulations: int
    short: set[tuple[str, int, int]]
    judged: int
    search: Search


def _searched(scenario: Scenario, targets_of: Scenario, workers: int | None,
              scheduler: Scheduler | None, progress: Progress | None) -> Found:
    names = [g.name for g in scenario.agent_groups]
    flat = scenario.model_copy(update={"shift_templates": ()})
    staffed = staff(flat, names, targets_of, workers, scheduler, progress)
    shrink = {g.name: g.shrinkage for g in scenario.agent_groups}
    floor = {n: on_floor_agents(r, shrink[n]) for n, r in staffed.requirement.items()}
    search = Search(flat, names, targets_of, workers, scheduler, progress)
    judged = verdicts(staffed.scenario, staffed.runs, targets_of)
    short = search.short_cells(Measured(judged, {}, staffed.runs, Sections.of(staffed.runs)))
    return Found(floor, staffed.runs, "searched (ccsim staff)", staffed.simulations, short,
                 search.cells_judged(), search)


def _warm(scenario: Scenario, targets_of: Scenario, start: Requirement, neighbour: str,
          workers: int | None, scheduler: Scheduler | None, progress: Progress | None) -> Found:
    names = [g.name for g in scenario.agent_groups]
    search = Search(scenario, names, targets_of, workers, scheduler, progress)
    m = search.measure(start, f"{neighbour}'s requirement on this month", coarse=True)
    floor = search.restaffed(start, m, grow_only=False)
    m = search.measure(floor, "re-staffed on this month's load")
    for top_up in range(1, MAX_TOP_UPS + 1):
        if not (search.short_cells(m) or search.run_level_short(m)):
            break
        floor = search.restaffed(floor, m, grow_only=True)
        m = search.measure(floor, f"topped up ({top_up})")
    if search.short_cells(m) or search.run_level_short(m):
        search.unreachable(m)  # raises, unless every miss is within its noise
    return Found(floor, m.runs, f"warm start from {neighbour}", search.simulations,
                 search.short_cells(m), search.cells_judged(), search)


def _short_where(search: Search, short: set[tuple[str, int, int]]) -> tuple[str, ...]:
    return tuple(f"{c} {search.days[d]} {search.starts[i]}"
                 for c, d, i in sorted(short)[:SHORT_NAMED])


# ---------------------------------------------------------------------------- the study
def _estimate(values: np.ndarray) -> Estimate:
    return Estimate.of(values.tolist())


def _per(cost: np.ndarray, count: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(count > 0, cost / np.where(count > 0, count, 1), np.nan)


def plan_study(loaded: LoadedScenario, workers: int | None = None,
               scheduler: Scheduler | None = None, progress: Progress | None = None,
               months: list[Scenario] | None = None) -> PlanResult:
    """Every month of the file's ``[plan]`` (module docstring). ``months``: the month scenarios
    if already built (:func:`~simulator.spec.months.month_scenarios`).

    Raises
    ------
    ScenarioError
        A month's scenario is not valid.
    ValueError
        A month's targets cannot be met (staffing's message).
    """
    scenario = loaded.scenario
    plan = scenario.plan
    assert plan is not None
    auto = [g.name for g in scenario.agent_groups
            if g.agents == "auto" and g.name not in plan.start_headcount]
    if auto:
        raise ValueError("\n".join(
            f"plan.start_headcount.{name}: group {name!r} has agents = \"auto\" (no roster to "
            "count); give the FTE it employs at the start" for name in auto))
    months = months or month_scenarios(scenario, loaded.files, str(loaded.path))
    labels = plan.month_labels()
    say = progress or (lambda line: None)
    by_staffing: dict[str, tuple[str, Found]] = {}
    by_content: dict[str, tuple[str, Found]] = {}
    found: list[Found] = []
    last: tuple[str, Found] | None = None
    total_simulations = 0
    for label, month in zip(labels, months, strict=True):
        whole, part = content_hash(month), content_hash(month, staffing_only=True)
        if whole in by_content:
            first, shared = by_content[whole]
            say(f"{label}: the same scenario as {first}: its requirement and run")
            f = Found(shared.floor, shared.runs, f"shared with {first}", 0, shared.short,
                      shared.judged, shared.search)
        elif part in by_staffing:
            first, shared = by_staffing[part]
            say(f"{label}: the same staffing as {first} (costs differ): one run")
            runs = run_replications(head_counts(month, rostered(month, shared.floor)),
                                    workers=workers, scheduler=scheduler)
            f = Found(shared.floor, runs, f"shared with {first}, its run re-costed", 1, shared.short,
                      shared.judged, shared.search)
        else:
            say(f"{label}: staffing to the targets ...")
            f = (_searched(month, scenario, workers, scheduler, progress) if last is None
                 else _warm(month, scenario, last[1].floor, last[0], workers, scheduler,
                            progress))
            by_staffing[part] = (label, f)
            last = (label, f)
        by_content.setdefault(whole, (label, f))
        total_simulations += f.simulations
        found.append(f)
    start = {g.name: plan.start_headcount[g.name] if g.name in plan.start_headcount
             else roster_fte(scenario, g.name, plan.hours_per_fte) for g in scenario.agent_groups}
    required = [{g: roster_fte(head_counts(mo, rostered(mo, f.floor)), g, plan.hours_per_fte)
                 for g in start} for mo, f in zip(months, found, strict=True)]
    flow = flows(plan, start, required)
    out: list[PlanMonth] = []
    for m, (label, month, f, rows) in enumerate(zip(labels, months, found, flow, strict=True)):
        runs, short, sims, how = f.runs, f.short, f.simulations, f.how
        if any(r.shortfall > 1e-9 for r in rows):
            # the gap is not closed: simulate the agents there are (the requirement cut in
            # proportion, interval by interval) and say where service falls short
            cut = {r.group: cut_in_proportion(f.floor[r.group], (r.productive + r.overtime)
                                              / r.required)
                   if r.required > 0 else f.floor[r.group] for r in rows}
            # this month's own scenario (a month sharing another's requirement may differ in
            # its costs)
            search = Search(month, list(f.floor), scenario, workers, scheduler, progress)
            measured: Measured = search.measure(cut, "the agents there are")
            runs, short, sims = measured.runs, search.short_cells(measured), sims + 1
            total_simulations += 1
            roster = head_counts(month, rostered(month, cut))
        else:
            roster = head_counts(month, rostered(month, f.floor))
        out.append(_month(scenario, plan, m, label, month, roster, rows, runs, short, f, sims,
                          how))
    return PlanResult(
        scenario=scenario.scenario.name, file=str(loaded.path), currency=scenario.costs.currency,
        start=plan.start, gap_policy=plan.gap, hours_per_fte=plan.hours_per_fte,
        replications=scenario.run.replications, seed=scenario.run.seed,
        measured_days=_measured_days(scenario), months=tuple(out), totals=_totals(out),
        simulations=total_simulations)


def _measured_days(scenario: Scenario) -> float:
    return scenario.run.days - scenario.run.warmup_hours / 24


def _month(file_scenario: Scenario, plan: PlanSpec, m: int, label: str, month: Scenario, roster: Scenario,
           rows: list[GroupMonth], runs: list[Figures], short: set[tuple[str, int, int]],
           f: Found, sims: int, how: str) -> PlanMonth:
    """A month priced: labour from the head-count, every other line from the month's run,
    scaled to the month's calendar days (docs/plan.md, "The month's cost")."""
    days = days_in(plan.first + m)
    scale = days / _measured_days(month)
    load = 1.0 + month.costs.on_cost_rate
    wages = {g.name: g.hourly_wage * plan.wage_factor(g.name, m) for g in month.agent_groups}
    fte = {r.group: roster_fte(roster, r.group, plan.hours_per_fte) for r in rows}
    lines = {k: np.zeros(len(runs)) for k in PLAN_LINES}
    for r in rows:
        # the paid hours of one FTE of the roster run this month (overrun included)
        hours = (np.array([x["agent_groups"][r.group]["paid_hours"] for x in runs]) * scale
                 / fte[r.group] if fte[r.group] > 0 else  # a group rostered to nobody
                 np.full(len(runs), plan.hours_per_fte * days / 7))
        lines["agent_wages"] += hours * r.paid * wages[r.group] * load
        lines["overtime"] += hours * r.overtime * wages[r.group] * load * plan.overtime_premium
    roster_total = sum(fte.values()) or 1.0
    paid_total = sum(r.paid + r.overtime for r in rows)
    for k in PLAN_LINES:
        if k in ("agent_wages", "overtime", "hiring"):
            continue
        measured = np.array([x["cost"]["by_category"][k] for x in runs]) * scale
        lines[k] += measured * (paid_total / roster_total if k == "supervision" else 1.0)
    lines["hiring"] += sum(h.headcount * h.cost_per_hire for h in plan.hiring
                           if plan.elapsed(h.start, m) == 0)
    total = sum(lines.values(), np.zeros(len(runs)))
    contacts = np.array([x["cost"]["contacts"] for x in runs]) * scale
    assisted = np.array([sum(c["answered"] for c in x["channels"].values()) for x in runs]) * scale
    sim_total = np.array([x["cost"]["total"] for x in runs])
    per_resolved = np.array([x["cost"]["per_resolved_contact"] for x in runs])
    resolved = _per(sim_total, per_resolved) * scale
    levers = tuple(f"{r.label()} {r.share_at(plan.elapsed(r.from_, m)):.0%}"
                   for r in plan.rollouts if plan.elapsed(r.from_, m) >= 0)
    return PlanMonth(
        month=label, days=days,
        volume_factor=volume_factors(file_scenario, m),
        handle_time_factor=max(plan.handle_time_factor(t.name, m) for t in month.contact_types),
        levers=levers, groups=tuple(rows), lines={k: _estimate(v) for k, v in lines.items()},
        total=_estimate(total), contacts=_estimate(contacts), assisted_contacts=_estimate(assisted),
        per_contact=_estimate(_per(total, contacts)),
        per_assisted_contact=_estimate(_per(total, assisted)),
        per_resolved_contact=_estimate(_per(total, resolved)),
        requirement=how, simulations=sims, intervals_short=len(short),
        intervals_judged=f.judged, short_where=_short_where(f.search, short))


def _values(e: Estimate) -> np.ndarray:
    return np.array(e.values, dtype=np.float64)


def _totals(months: Sequence[PlanMonth]) -> PlanTotals:
    total = sum((_values(m.total) for m in months), np.zeros(len(months[0].total.values)))
    contacts = sum((_values(m.contacts) for m in months), np.zeros_like(total))
    assisted = sum((_values(m.assisted_contacts) for m in months), np.zeros_like(total))
    resolved = sum((_per(_values(m.total), _values(m.per_resolved_contact)) for m in months),
                   np.zeros_like(total))
    lines = {k: _estimate(sum((_values(m.lines[k]) for m in months), np.zeros_like(total)))
             for k in PLAN_LINES}
    return PlanTotals(_estimate(total), lines, _estimate(contacts),
                      _estimate(_per(total, contacts)), _estimate(_per(total, assisted)),
                      _estimate(_per(total, resolved)))


# ---------------------------------------------------------------------------- compare
def plan_difference(other: PlanResult, base: PlanResult) -> PlanDifference:
    """``other − base`` month by month and for the whole plan, paired by replication (both ran
    on the same seeds: :func:`simulator.studies.comparison.same_run`)."""
    if len(other.months) != len(base.months) or other.replications != base.replications:
        msg = (f"{other.file}: a plan is compared month by month with one of as many months and "
               f"replications ({len(base.months)} months, {base.replications} replications in "
               f"{base.file}; {len(other.months)} and {other.replications} here)")
        raise ValueError(msg)
    months = tuple(MonthDifference(
        o.month, _estimate(_values(o.total) - _values(b.total)),
        _estimate(_values(o.per_contact) - _values(b.per_contact)))
        for o, b in zip(other.months, base.months, strict=True))
    return PlanDifference(
        other, months,
        _estimate(_values(other.totals.total) - _values(base.totals.total)),
        _estimate(_values(other.totals.per_contact) - _values(base.totals.per_contact)))


def plan_comparison(plans: Sequence[PlanResult], kind: str = "compare") -> PlanComparison:
    """Each plan against the first (``compare``), or each against the one before (``bridge``)."""
    pairs = [(p, plans[0] if kind == "compare" else plans[k])
             for k, p in enumerate(plans[1:])]
    return PlanComparison(plans[0], tuple(plan_difference(o, b) for o, b in pairs), kind)
