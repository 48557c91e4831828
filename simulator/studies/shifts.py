"""Shifts from a staffing requirement: an integer programme over ``[[shift_templates]]``.

Given the rostered agents required in every interval of the open day on every open weekday,
:func:`plan_shifts` chooses how many agents work each allowed shift so that the requirement is
covered in every (day, interval) at least cost (``scipy.optimize.milp``, HiGHS).

**The programme.** A *variant* ``v`` is a template, one of its paid lengths and one of its starts.
A *pattern* ``p`` is one day (templates without ``days_per_week``) or a set of ``days_per_week``
of the template's open days (the same start and length on each).

- ``x[v, p] ≥ 0`` integer: agents working variant ``v`` on the days of ``p``;
- ``y[v, d, b, k] ≥ 0`` integer: of the agents on ``v`` on day ``d``, those taking break ``b`` at
  its ``k``-th allowed start (only for breaks whose window leaves more than one start; a break
  with a single possible start is taken out of the shift's coverage directly);
- ``z[v, d] = Σ_{p ∋ d} x[v, p]``: agents on ``v`` on day ``d`` (an expression, not a variable).

minimise ``Σ cost(v, p) · x[v, p]`` where ``cost(v, p) = |p| × (cost_per_shift`` or
``cost_per_hour × paid hours)``, ``cost_per_hour`` defaulting to the caller's wage, subject to

- coverage, for every (day ``d``, interval ``i``) with a positive requirement:
  ``Σ_v on[v, i] · z[v, d] − Σ_{v, b, k} off[v, b, k, i] · y[v, d, b, k] ≥ requirement[d, i]``;
- every agent takes each break once: ``Σ_k y[v, d, b, k] = z[v, d]``;
- head-count: ``min_agents ≤ z[v, d] ≤ max_agents`` on each of the template's days (variable
  bounds when a pattern is one day);
- integrality of ``x`` and ``y``.

Breaks are modelled exactly: the break start is a decision per agent (aggregated as counts
``y``), so the agents of one shift may stagger their breaks across the window as a planner
would. Because a template's break windows may not overlap, an agent is off the floor for at
most one break in an interval, and coverage is never negative.

When every cost is zero (a group without a wage) the programme minimises paid hours instead.

Nothing here draws, prints or writes: the result is a :class:`~simulator.results.shifts.ShiftPlan`.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, hstack

from simulator.results.shifts import PlannedBreak, PlannedShift, ShiftPlan
from simulator.spec.base import WEEKDAYS
from simulator.spec.schema import ShiftSpec
from simulator.spec.shifts import ShiftTemplateSpec, hh_mm, minutes_of

#: Variables × constraints above which a programme is refused rather than attempted.
MAX_PROBLEM_SIZE = 50_000_000
#: Seconds HiGHS may search before it stops with the best roster found.
TIME_LIMIT_SECONDS = 60.0

_STATUS = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded", 4: "error"}


@dataclass(frozen=True)
class _Variant:
    template: ShiftTemplateSpec
    length_hours: float
    start: int  # minutes after midnight
    end: int
    on: np.ndarray  # (intervals,) 1 where on the floor (single-start breaks taken out)
    #: per break with several starts: (break index, [(start minute, off mask), ...])
    flexible: tuple[tuple[int, tuple[tuple[int, np.ndarray], ...]], ...]
    #: breaks with one possible start: (break index, start minute)
    fixed: tuple[tuple[int, int], ...]
    days: tuple[int, ...]  # indices into weekdays
    unit_cost: float  # per agent per day worked
    paid_break_minutes: int


def _mask(start: int, end: int, open_min: int, step: int, n: int) -> np.ndarray:
    """1 for every interval of the open day lying inside [start, end) (minutes of the day)."""
    lo = open_min + step * np.arange(n)
    return ((lo >= start) & (lo + step <= end)).astype(np.int64)


def _variants(templates: Sequence[ShiftTemplateSpec], weekdays: tuple[str, ...], step: int,
              open_min: int, n: int, wage_per_hour: float) -> list[_Variant]:
    out: list[_Variant] = []
    for template in templates:
        days = tuple(weekdays.index(d) for d in template.allowed_days(weekdays))
        for length in template.lengths:
            span = template.span_minutes(length)
            if template.cost_per_shift is not None:
                unit_cost = template.cost_per_shift
            else:
                rate = wage_per_hour if template.cost_per_hour is None else template.cost_per_hour
                unit_cost = rate * length
            for start in template.start_minutes(step):
                on = _mask(start, start + span, open_min, step, n)
                flexible: list[tuple[int, tuple[tuple[int, np.ndarray], ...]]] = []
                fixed: list[tuple[int, int]] = []
                for b, brk in enumerate(template.breaks):
                    first, last = start + brk.earliest_minutes, start + brk.latest_minutes - brk.minutes
                    starts = range(first, last + 1, step)
                    if len(starts) == 1:
                        on = on - _mask(first, first + brk.minutes, open_min, step, n)
                        fixed.append((b, first))
                    else:
                        flexible.append((b, tuple(
                            (s, _mask(s, s + brk.minutes, open_min, step, n)) for s in starts)))
                out.append(_Variant(template, length, start, start + span, on, tuple(flexible),
                                    tuple(fixed), days, unit_cost,
                                    sum(b.minutes for b in template.breaks if b.paid)))
    return out


def _patterns(variant: _Variant) -> list[tuple[int, ...]]:
    k = variant.template.days_per_week
    if k is None:
        return [(d,) for d in variant.days]
    return list(itertools.combinations(variant.days, k))


def _check_inputs(requirement: np.ndarray, templates: Sequence[ShiftTemplateSpec],
                  interval_minutes: int, open_seconds: int, weekdays: tuple[str, ...]) -> None:
    if requirement.ndim != 2 or requirement.shape[0] != len(weekdays):
        msg = (f"requirement must be days ({len(weekdays)}: {', '.join(weekdays)}) × intervals, "
               f"got shape {requirement.shape}")
        raise ValueError(msg)
    if not np.issubdtype(requirement.dtype, np.integer) or (requirement < 0).any():
        msg = "requirement must be whole numbers of agents, none negative"
        raise ValueError(msg)
    unknown = [d for d in weekdays if d not in WEEKDAYS]
    if unknown or len(set(weekdays)) != len(weekdays):
        msg = f"weekdays must be distinct names of {', '.join(WEEKDAYS)}, got {list(weekdays)}"
        raise ValueError(msg)
    if interval_minutes <= 0 or open_seconds % (interval_minutes * 60) or open_seconds < 0 \
            or open_seconds + requirement.shape[1] * interval_minutes * 60 > 86_400:
        msg = (f"the open day ({requirement.shape[1]} intervals of {interval_minutes} minutes from "
               f"{hh_mm(open_seconds // 60)}) must lie on the interval grid within one day")
        raise ValueError(msg)
    if not templates:
        msg = "no shift templates to plan with"
        raise ValueError(msg)
    problems: list[str] = []
    for template in templates:
        problems.extend(f"shift template {template.name!r}: {p}"
                        for p in template.grid_problems(interval_minutes))
        k, days = template.days_per_week, template.allowed_days(weekdays)
        if k is not None and k > len(days):
            problems.append(f"shift template {template.name!r}: days_per_week ({k}) is more than "
                            f"its open days ({', '.join(days) or 'none'})")
    if problems:
        raise ValueError("\n".join(problems))


def _uncoverable(requirement: np.ndarray, variants: list[_Variant], weekdays: tuple[str, ...],
                 label: Callable[[int], str]) -> None:
    """Refuse a (day, interval) that more agents are required in than any roster can put there."""
    cap = np.zeros(requirement.shape, dtype=float)
    for v in variants:
        reach = np.maximum(v.on, 0).astype(float)
        limit = np.inf if v.template.max_agents is None else float(v.template.max_agents)
        for d in v.days:
            cap[d] += np.where(reach > 0, limit, 0.0)
    short = np.argwhere(requirement > cap)
    if not short.size:
        return
    lines = []
    for d, i in short[:5]:
        need = int(requirement[d, i])
        if cap[d, i] == 0:
            lines.append(f"{weekdays[d]} {label(i)}: {need} agents required, but no allowed shift "
                         "covers this interval")
        else:
            lines.append(f"{weekdays[d]} {label(i)}: {need} agents required, but max_agents lets at "
                         f"most {int(cap[d, i])} be there")
    more = f"\n(and {len(short) - 5} more intervals)" if len(short) > 5 else ""
    raise ValueError("the requirement cannot be covered:\n" + "\n".join(lines) + more)


def plan_shifts(
    requirement: np.ndarray | Sequence[Sequence[int]],
    templates: Iterable[ShiftTemplateSpec],
    interval_minutes: int,
    open_seconds: int,
    weekdays: Sequence[str],
    wage_per_hour: float,
    *,
    group: str | None = None,
    time_limit_seconds: float = TIME_LIMIT_SECONDS,
    max_size: int = MAX_PROBLEM_SIZE,
    mip_rel_gap: float = 1e-6,
    keep: ShiftPlan | None = None,
) -> ShiftPlan:
    """The least-cost shifts covering ``requirement`` (rostered agents, days × intervals).

    ``weekdays`` names the rows of ``requirement`` (the open days); its columns are the intervals
    of ``interval_minutes`` from ``open_seconds`` (seconds after midnight). ``wage_per_hour`` is
    the cost of a paid hour for templates without ``cost_per_hour`` or ``cost_per_shift``. With
    ``group``, only the templates that group may use are considered.

    Raises ValueError for bad inputs, a (day, interval) no allowed shift can cover (named as
    ``"mon 07:30"``), an infeasible programme, a programme larger than ``max_size`` (variables
    × constraints) and a search that found no roster within ``time_limit_seconds``. A search
    stopped by the time limit with a roster in hand returns it with ``status = "time_limit"``
    and its optimality gap.

    With ``keep`` (an earlier plan on the same templates and days), every shift and break of
    that plan stays as it is and the programme only adds the least-cost shifts on top (a
    staffing top-up: re-planned from scratch, the shifts and breaks of every day could move,
    and a run on the same seeds would change far from where agents were added).
    """
    req = np.asarray(requirement)
    if req.dtype == object or not np.issubdtype(req.dtype, np.number):
        msg = "requirement must be an array of whole numbers of agents"
        raise ValueError(msg)
    days_named = tuple(weekdays)
    chosen = [t for t in templates if group is None or t.usable_by(group)]
    if not chosen and group is not None:
        msg = f"no shift template may be used by the agent group {group!r}"
        raise ValueError(msg)
    _check_inputs(req, chosen, interval_minutes, open_seconds, days_named)
    req = req.astype(np.int64)
    n_days, n = req.shape
    step, open_min = interval_minutes, open_seconds // 60

    def label(i: int) -> str:
        return hh_mm(open_min + i * step)

    variants = _variants(chosen, days_named, step, open_min, n, wage_per_hour)
    _uncoverable(req, variants, days_named, label)

    # ---------------------------------------------------------------- variables
    x_index: list[tuple[int, tuple[int, ...]]] = []  # (variant, pattern)
    for vi, v in enumerate(variants):
        x_index.extend((vi, p) for p in _patterns(v))
    y_index: list[tuple[int, int, int, int]] = []  # (variant, day, flexible break slot, start k)
    for vi, v in enumerate(variants):
        for d in v.days:
            for slot, (_, starts) in enumerate(v.flexible):
                y_index.extend((vi, d, slot, k) for k in range(len(starts)))
    n_x, n_var = len(x_index), len(x_index) + len(y_index)
    per_day_bounds = all(v.template.days_per_week is None for v in variants)
    headcount_rows = 0 if per_day_bounds else sum(
        len(v.days) for v in variants if v.template.min_agents > 0 or v.template.max_agents is not None)
    cover_rows = int((req > 0).sum())
    link_rows = sum(len(v.days) * len(v.flexible) for v in variants)
    n_con = cover_rows + link_rows + headcount_rows
    size = n_var * max(n_con, 1)
    if size > max_size:
        msg = (f"the shift programme would have {n_var:,} variables × {n_con:,} constraints = "
               f"{size:,}, more than the {max_size:,} this tool attempts; use fewer starts, "
               "lengths or day patterns, or a longer interval")
        raise ValueError(msg)

    paid_hours = np.array([variants[vi].length_hours * len(p) for vi, p in x_index] + [0.0] * len(y_index))
    cost = np.array([variants[vi].unit_cost * len(p) for vi, p in x_index] + [0.0] * len(y_index))
    objective = "cost" if cost.any() else "paid_hours"
    c = cost if objective == "cost" else paid_hours

    # ---------------------------------------------------------------- constraints
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    z_cols: dict[tuple[int, int], list[int]] = defaultdict(list)  # (variant, day) -> x columns
    for col, (vi, p) in enumerate(x_index):
        for d in p:
            z_cols[vi, d].append(col)
    cover_row = -np.ones((n_days, n), dtype=np.int64)
    cover_row[req > 0] = np.arange(cover_rows)
    for (vi, d), xs in z_cols.items():
        for i in np.flatnonzero(variants[vi].on):
            r = cover_row[d, i]
            if r >= 0:
                for col in xs:
                    rows.append(int(r))
                    cols.append(col)
                    vals.append(float(variants[vi].on[i]))
    for col, (vi, d, slot, k) in enumerate(y_index, start=n_x):
        for i in np.flatnonzero(variants[vi].flexible[slot][1][k][1]):
            r = cover_row[d, i]
            if r >= 0:
                rows.append(int(r))
                cols.append(col)
                vals.append(-1.0)
    lo.extend(float(r) for r in req[req > 0])
    hi.extend([np.inf] * cover_rows)
    row = cover_rows
    y_cols: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for col, (vi, d, slot, _) in enumerate(y_index, start=n_x):
        y_cols[vi, d, slot].append(col)
    for (vi, d, _), ys in y_cols.items():
        for col in ys:
            rows.append(row)
            cols.append(col)
            vals.append(1.0)
        for col in z_cols[vi, d]:
            rows.append(row)
            cols.append(col)
            vals.append(-1.0)
        lo.append(0.0)
        hi.append(0.0)
        row += 1
    lb = np.zeros(n_var)
    ub = np.full(n_var, np.inf)
    for vi, v in enumerate(variants):
        low = float(v.template.min_agents)
        high = np.inf if v.template.max_agents is None else float(v.template.max_agents)
        if low == 0 and high == np.inf:
            continue
        for d in v.days:
            xs = z_cols[vi, d]
            if per_day_bounds:
                lb[xs[0]], ub[xs[0]] = low, high
                continue
            for col in xs:
                rows.append(row)
                cols.append(col)
                vals.append(1.0)
            lo.append(low)
            hi.append(high)
            row += 1
    assert row == n_con
    if keep is not None:
        lb = np.maximum(lb, _kept(keep, variants, x_index, y_index, days_named))
        ub = np.maximum(ub, lb)

    constraints = []
    if n_con:
        matrix = coo_matrix((vals, (rows, cols)), shape=(n_con, n_var)).tocsr()
        constraints = [LinearConstraint(matrix, np.array(lo), np.array(hi))]
    options = {"time_limit": float(time_limit_seconds), "mip_rel_gap": mip_rel_gap, "disp": False}
    began = time.perf_counter()
    res = milp(c, integrality=np.ones(n_var), bounds=Bounds(lb, ub), constraints=constraints,
               options=options)
    took = time.perf_counter() - began
    status = _STATUS.get(res.status, "error")
    if res.x is None:
        if status == "infeasible":
            _explain_infeasible(req, n_x, n_var, lb, ub, constraints, cover_rows, cover_row,
                                days_named, label, time_limit_seconds)
        msg = (f"no roster found: HiGHS stopped ({status}: {res.message}) after {took:.1f} s "
               f"with a time limit of {time_limit_seconds:g} s")
        raise ValueError(msg)

    amount = np.rint(res.x).astype(np.int64)
    return _plan(req, variants, x_index, y_index, amount, cost, paid_hours, days_named, step,
                 open_seconds, objective, status, str(res.message), res, n_var, n_con, took)


def _explain_infeasible(req: np.ndarray, n_x: int, n_var: int, lb: np.ndarray, ub: np.ndarray,
                        constraints: list[LinearConstraint], cover_rows: int, cover_row: np.ndarray,
                        weekdays: tuple[str, ...], label: Callable[[int], str],
                        time_limit_seconds: float) -> None:
    """Raise naming the (day, interval)s that stay short when shortfall is allowed at a price."""
    if not cover_rows:
        msg = ("no roster meets the templates' min_agents and max_agents on every day with their "
               "days_per_week patterns, whatever the requirement")
        raise ValueError(msg)
    matrix = constraints[0].A
    elastic = np.zeros((matrix.shape[0], cover_rows))
    elastic[np.arange(cover_rows), np.arange(cover_rows)] = 1.0
    a = hstack([matrix, coo_matrix(elastic)]).tocsr()
    c = np.concatenate([np.zeros(n_var), np.ones(cover_rows)])
    res = milp(c, integrality=np.concatenate([np.ones(n_var), np.zeros(cover_rows)]),
               bounds=Bounds(np.concatenate([lb, np.zeros(cover_rows)]),
                             np.concatenate([ub, np.full(cover_rows, np.inf)])),
               constraints=[LinearConstraint(a, constraints[0].lb, constraints[0].ub)],
               options={"time_limit": float(time_limit_seconds), "disp": False})
    if res.x is None:
        msg = ("no roster meets the templates' min_agents and max_agents on every day with their "
               "days_per_week patterns, whatever the requirement")
        raise ValueError(msg)
    short = np.rint(res.x[n_var:]).astype(np.int64)
    lines = []
    for d, i in np.argwhere(cover_row >= 0):
        gap = short[cover_row[d, i]]
        if gap > 0:
            lines.append(f"{weekdays[d]} {label(int(i))}: {int(req[d, i])} agents required, at "
                         f"least {int(gap)} short with the allowed shifts and their max_agents")
    more = f"\n(and {len(lines) - 5} more intervals)" if len(lines) > 5 else ""
    raise ValueError("the requirement cannot be covered:\n" + "\n".join(lines[:5]) + more)


def _kept(plan: ShiftPlan, variants: list[_Variant], x_index: list[tuple[int, tuple[int, ...]]],
          y_index: list[tuple[int, int, int, int]], weekdays: tuple[str, ...]) -> np.ndarray:
    """Lower bounds of the programme's variables holding ``plan``'s shifts and breaks."""
    shifts = {(s.template, s.length_hours, s.start, s.days): s.agents for s in plan.shifts}
    breaks = {(b.template, b.length_hours, b.shift_start, b.day, b.number, b.start): b.agents
              for b in plan.breaks}
    out = np.zeros(len(x_index) + len(y_index))
    for col, (vi, p) in enumerate(x_index):
        v = variants[vi]
        out[col] = shifts.get((v.template.name, v.length_hours, hh_mm(v.start),
                               tuple(weekdays[d] for d in p)), 0)
    for col, (vi, d, slot, k) in enumerate(y_index, start=len(x_index)):
        v = variants[vi]
        b, starts = v.flexible[slot]
        out[col] = breaks.get((v.template.name, v.length_hours, hh_mm(v.start), weekdays[d], b,
                               hh_mm(starts[k][0])), 0)
    return out


def _plan(req: np.ndarray, variants: list[_Variant], x_index: list[tuple[int, tuple[int, ...]]],
          y_index: list[tuple[int, int, int, int]], amount: np.ndarray, cost: np.ndarray,
          paid_hours: np.ndarray, weekdays: tuple[str, ...], step: int, open_seconds: int,
          objective: str, status: str, message: str, res: object, n_var: int, n_con: int,
          took: float) -> ShiftPlan:
    n_x = len(x_index)
    coverage = np.zeros(req.shape, dtype=np.int64)
    shifts: list[PlannedShift] = []
    on_day: dict[tuple[int, int], int] = defaultdict(int)
    for col, (vi, p) in enumerate(x_index):
        agents = int(amount[col])
        if agents <= 0:
            continue
        v = variants[vi]
        for d in p:
            on_day[vi, d] += agents
            coverage[d] += agents * v.on
        shifts.append(PlannedShift(
            template=v.template.name, length_hours=v.length_hours, start=hh_mm(v.start),
            end=hh_mm(v.end), days=tuple(weekdays[d] for d in p), agents=agents,
            paid_hours_per_week=float(agents * paid_hours[col]), cost_per_week=float(agents * cost[col])))
    breaks: list[PlannedBreak] = []

    def add_break(v: _Variant, d: int, b: int, start: int, agents: int) -> None:
        brk = v.template.breaks[b]
        breaks.append(PlannedBreak(
            template=v.template.name, length_hours=v.length_hours, shift_start=hh_mm(v.start),
            day=weekdays[d], number=b, start=hh_mm(start), end=hh_mm(start + brk.minutes), paid=brk.paid,
            agents=agents))

    for (vi, d), agents in on_day.items():
        for b, start in variants[vi].fixed:
            add_break(variants[vi], d, b, start, agents)
    for col, (vi, d, slot, k) in enumerate(y_index, start=n_x):
        agents = int(amount[col])
        if agents > 0:
            b, starts = variants[vi].flexible[slot]
            coverage[d] -= agents * starts[k][1]
            add_break(variants[vi], d, b, starts[k][0], agents)
    breaks.sort(key=lambda x: (x.template, x.length_hours, x.shift_start, weekdays.index(x.day), x.start))
    paid_break_hours = sum(agents * variants[vi].paid_break_minutes / 60
                           for (vi, _), agents in on_day.items())
    gap = getattr(res, "mip_gap", None)
    arrays = {
        "requirement": req.copy(),
        "coverage": coverage,
        "over": np.maximum(coverage - req, 0),
        "under": np.maximum(req - coverage, 0),
    }
    return ShiftPlan(
        shifts=tuple(shifts), breaks=tuple(breaks), weekdays=weekdays, interval_minutes=step,
        open_seconds=open_seconds, **arrays,
        paid_hours_per_week=float(paid_hours[:n_x] @ amount[:n_x]),
        cost_per_week=float(cost[:n_x] @ amount[:n_x]),
        paid_break_hours_per_week=float(paid_break_hours), objective=objective, status=status,
        message=message, gap=float(gap) if gap is not None else (0.0 if status == "optimal" else np.nan),
        variables=n_var, constraints=n_con, solve_seconds=took)


def roster_from_plan(plan: ShiftPlan) -> tuple[ShiftSpec, ...]:
    """The plan as ``AgentGroupSpec.shifts`` entries, so it can be simulated as it stands.

    ``ShiftSpec`` has no breaks, so a shift is cut at its breaks into entries with the same
    agents and day: up to the first break, between breaks, after the last (rostered agents add up interval by
    interval, so the per-interval head-count is exactly the plan's). Entries are per day, days
    with the same start, end and agents merged into one entry. The simulation then does not pay
    paid breaks: ``plan.paid_break_hours_per_week`` is the difference.
    """
    by_shift: dict[tuple[str, float, str, str], list[PlannedBreak]] = defaultdict(list)
    for brk in plan.breaks:
        by_shift[brk.template, brk.length_hours, brk.shift_start, brk.day].append(brk)
    agents_on: dict[tuple[str, float, str, str], tuple[int, str]] = {}
    for shift in plan.shifts:
        for day in shift.days:
            key = (shift.template, shift.length_hours, shift.start, day)
            before = agents_on.get(key, (0, shift.end))[0]
            agents_on[key] = (before + shift.agents, shift.end)
    pieces: dict[tuple[str, str, str], int] = defaultdict(int)  # (start, end, day) -> agents
    for key, (agents, end) in agents_on.items():
        # each agent's break starts, one list per break of the template, paired in order
        per_break: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for brk in by_shift.get(key, []):
            per_break[brk.number].extend([(minutes_of(brk.start), minutes_of(brk.end))] * brk.agents)
        lists = [sorted(times) for _, times in sorted(per_break.items())]
        for agent in range(agents):
            cursor = minutes_of(key[2])
            for gaps in lists:
                b_start, b_end = gaps[agent]
                if b_start > cursor:
                    pieces[hh_mm(cursor), hh_mm(b_start), key[3]] += 1
                cursor = b_end
            if minutes_of(end) > cursor:
                pieces[hh_mm(cursor), end, key[3]] += 1
    merged: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for (start, end, day), agents in pieces.items():
        merged[start, end, agents].append(day)
    order = {d: i for i, d in enumerate(plan.weekdays)}
    return tuple(
        ShiftSpec(start=start, end=end, agents=agents,
                  days=tuple(sorted(days, key=order.__getitem__)))
        for (start, end, agents), days in sorted(
            merged.items(), key=lambda kv: (minutes_of(kv[0][0]), minutes_of(kv[0][1]), kv[0][2]))
    )
