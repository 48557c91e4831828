"""A staffing result as a planner reads it: the requirement and the roster per weekday and
interval, the shifts, how the search went, and the roster's service and cost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.report import format as fmt
from simulator.report.files import shift_plan_csv
from simulator.report.terminal import compliance_text, render_shift_plan
from simulator.results.staffing import GroupStaffing
from simulator.results.studies import StaffingResult

if TYPE_CHECKING:
    from rich.console import Console


def requirement_csv(result: StaffingResult) -> str:
    """Tidy rows: group, weekday, interval, required and rostered agents, over and under."""
    lines = ["group,weekday,interval,required,rostered,over,under"]
    for name, g in result.groups.items():
        for d, day in enumerate(g.weekdays):
            for i, start in enumerate(g.intervals):
                need, have = g.requirement[d][i], g.coverage[d][i]
                lines.append(f"{name},{day},{start},{need},{have},{max(have - need, 0)},"
                             f"{max(need - have, 0)}")
    return "\n".join(lines) + "\n"


def shift_plans_csv(result: StaffingResult) -> str:
    """Every group's planned shifts, one row per shift, the group first."""
    out: list[str] = []
    for name, g in result.groups.items():
        if g.plan is None:
            continue
        rows = shift_plan_csv(g.plan).splitlines()
        if not out:
            out.append("group," + rows[0])
        out.extend(f"{name},{row}" for row in rows[1:])
    return "\n".join(out) + "\n" if out else ""


def _cell(g: GroupStaffing, d: int, i: int) -> str:
    need, have = g.requirement[d][i], g.coverage[d][i]
    return str(have) if have == need else f"{have} ({need})"


def render_staffing(result: StaffingResult, console: Console) -> None:
    """The requirement per group, weekday and interval (rostered, and the requirement in
    brackets where shifts roster more), the shifts, the search, and the roster's verdicts."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    run = result.result
    for name, g in result.groups.items():
        table = Table(title=f"{name}: rostered agents per interval"
                      + (" (required in brackets where the shifts roster more)"
                         if g.plan is not None else " (the requirement)"),
                      box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("interval")
        for day in g.weekdays:
            table.add_column(day.title(), justify="right")
        for i, start in enumerate(g.intervals):
            table.add_row(start, *(_cell(g, d, i) for d in range(len(g.weekdays))))
        console.print(table)
        hours = fmt.hours(g.rostered_hours_per_week, 0, style=fmt.TERMINAL)
        required = fmt.hours(g.required_hours_per_week, 0, style=fmt.TERMINAL)
        console.print(f"{name}: {hours} rostered hours a week (required {required}), "
                      f"{fmt.number(g.rostered_hours_per_week / 40, 1, style=fmt.TERMINAL)} FTE "
                      f"of 40 hours, peak {g.peak} rostered", highlight=False)
        if g.plan is not None:
            render_shift_plan(g.plan, console, run.currency, title=f"{name}: shift plan")
    steps = "; ".join(f"{s.step}: {s.intervals_short} short" for s in result.steps)
    console.print(f"search: {result.simulations} simulations ({steps})", highlight=False)
    per_contact = run.cost.per_contact
    console.print(f"cost per contact {escape(fmt.printable(run.currency))} "
                  f"{fmt.estimate(per_contact.mean, per_contact.half_width, 'money', style=fmt.TERMINAL)}",
                  highlight=False)
    for c in run.guardrails:
        verdict = "met" if c.met else "MISSED"
        detail = f" ({compliance_text(c)})" if c.per_interval else ""
        console.print(f"{c.channel} {c.name.replace('_', ' ')}: {verdict}{detail}",
                      highlight=False, style="" if c.met else "red")
