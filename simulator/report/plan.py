"""A plan (``ccsim plan``) and plans compared: the terminal table, the CSV, the tables of the
workbook (one sheet per view: monthly summary, cost lines per month, head-count flow,
requirement against available). Numbers are written by the one formatting core
(:mod:`simulator.report.format`).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from simulator.report import format as fmt
from simulator.report.tables import table_csv
from simulator.report.terminal import stat_text
from simulator.results.estimate import Estimate
from simulator.results.plan import FLOW_FIELDS, PLAN_LINES, PlanComparison, PlanResult

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

#: the workbook's sheets (and the tidy CSVs of --out), in order
PLAN_SHEETS = ("monthly_summary", "cost_lines", "headcount_flow", "requirement")


def _half(e: Estimate) -> float | None:
    return e.half_width


def summary_rows(result: PlanResult) -> list[dict[str, object]]:
    """One row a month (and a last row for the plan's totals): the monthly summary."""
    rows: list[dict[str, object]] = [
        {
            "month": m.month, "days": m.days,
            "volume_factor": max(m.volume_factor.values()),
            "levers": "; ".join(m.levers),
            "required_fte": sum(g.required for g in m.groups),
            "productive_fte": sum(g.productive for g in m.groups),
            "paid_fte": sum(g.paid for g in m.groups),
            "gap_fte": sum(g.gap for g in m.groups),
            "contacts": m.contacts.mean, "total_cost": m.total.mean,
            "total_cost_pm95": _half(m.total),
            "cost_per_contact": m.per_contact.mean, "cost_per_contact_pm95": _half(m.per_contact),
            "per_assisted_contact": m.per_assisted_contact.mean,
            "per_assisted_contact_pm95": _half(m.per_assisted_contact),
            "per_resolved_contact": m.per_resolved_contact.mean,
            "per_resolved_contact_pm95": _half(m.per_resolved_contact),
            "intervals_short": m.intervals_short, "requirement": m.requirement,
            "simulations": m.simulations} for m in result.months]
    t = result.totals
    rows.append({
        "month": "all", "days": sum(m.days for m in result.months), "volume_factor": None,
        "levers": "", "required_fte": None, "productive_fte": None, "paid_fte": None,
        "gap_fte": None, "contacts": t.contacts.mean, "total_cost": t.total.mean,
        "total_cost_pm95": _half(t.total), "cost_per_contact": t.per_contact.mean,
        "cost_per_contact_pm95": _half(t.per_contact),
        "per_assisted_contact": t.per_assisted_contact.mean,
        "per_assisted_contact_pm95": _half(t.per_assisted_contact),
        "per_resolved_contact": t.per_resolved_contact.mean,
        "per_resolved_contact_pm95": _half(t.per_resolved_contact),
        "intervals_short": sum(m.intervals_short for m in result.months), "requirement": "",
        "simulations": result.simulations})
    return rows


def plan_tables(result: PlanResult) -> dict[str, pd.DataFrame]:
    """The four views as tables, by sheet name (:data:`PLAN_SHEETS`)."""
    import pandas as pd  # imported on use: pandas is slow to import

    lines = [{"month": m.month, **{f"{k}_cost": m.lines[k].mean for k in PLAN_LINES},
              "total_cost": m.total.mean} for m in result.months]
    lines.append({"month": "all", **{f"{k}_cost": result.totals.lines[k].mean
                                     for k in PLAN_LINES}, "total_cost": result.totals.total.mean})
    flow = [{"month": m.month, "group": g.group,
             **{f"{k}_fte": getattr(g, k) for k in FLOW_FIELDS[:8]}}
            for m in result.months for g in m.groups]
    need = [{"month": m.month, "group": g.group, "required_fte": g.required,
             "productive_fte": g.productive, "gap_fte": g.gap, "overtime_fte": g.overtime,
             "shortfall_fte": g.shortfall, "requirement": m.requirement,
             "intervals_short": m.intervals_short, "intervals_judged": m.intervals_judged}
            for m in result.months for g in m.groups]
    return {"monthly_summary": pd.DataFrame(summary_rows(result)),
            "cost_lines": pd.DataFrame(lines), "headcount_flow": pd.DataFrame(flow),
            "requirement": pd.DataFrame(need)}


def plan_about(result: PlanResult) -> list[tuple[str, str]]:
    """The workbook's first sheet."""
    return [("plan", fmt.printable(result.scenario)), ("file", fmt.printable(result.file)),
            ("months", f"{len(result.months)} from {result.start}"),
            ("replications", str(result.replications)), ("seed", str(result.seed)),
            ("gap policy", result.gap_policy),
            ("FTE", f"paid hours a week ÷ {result.hours_per_fte:g}"),
            ("units", f"money in {result.currency} per month (a month's run of "
             f"{result.measured_days:g} measured days scaled to its calendar days)"),
            ("columns", "the unit is in each column's name; <column>_pm95: the half-width of "
             "its 95 % interval; an empty cell: not defined")]


def plan_xlsx(result: PlanResult) -> bytes:
    """The plan's workbook: about, then one sheet per view."""
    from simulator.report.workbook import to_xlsx

    return to_xlsx(plan_tables(result), plan_about(result))


def plan_csv(result: PlanResult) -> str:
    """The monthly summary as CSV (the workbook's ``monthly_summary`` sheet, as every tidy table
    is written: :func:`simulator.report.tables.table_csv`)."""
    return table_csv(plan_tables(result)["monthly_summary"])


# ---------------------------------------------------------------------------- terminal
def render_plan(result: PlanResult, console: Console) -> None:
    """The plan within the console's width: a row a month and the totals, then the head-count
    flow and the requirement a row a month and group."""
    from rich.table import Table

    cur = result.currency
    console.print(f"{result.scenario}: {len(result.months)} months from {result.start}, "
                  f"{result.replications} replications (seed {result.seed}), gap closed by "
                  f"{result.gap_policy}; money in {cur} a month", highlight=False)
    table = Table(box=None, pad_edge=False, title="FTE: need (at equal service), have "
                  "(productive)", title_justify="left")
    for name in ("month", "need", "have", "contacts", "total", "per contact", "per assisted",
                 "per resolved"):
        table.add_column(name, justify="left" if name == "month" else "right", no_wrap=True)
    for m in result.months:
        table.add_row(m.month, fmt.number(sum(g.required for g in m.groups)),
                      fmt.number(sum(g.productive for g in m.groups)),
                      fmt.count(m.contacts.mean, style=fmt.TERMINAL),
                      fmt.money_whole(m.total.mean, style=fmt.TERMINAL),
                      stat_text(m.per_contact, "money"), stat_text(m.per_assisted_contact, "money"),
                      stat_text(m.per_resolved_contact, "money"))
    t = result.totals
    table.add_row("all", "", "", fmt.count(t.contacts.mean, style=fmt.TERMINAL),
                  fmt.money_whole(t.total.mean, style=fmt.TERMINAL),
                  stat_text(t.per_contact, "money"), stat_text(t.per_assisted_contact, "money"),
                  stat_text(t.per_resolved_contact, "money"))
    console.print(table)
    console.print(f"Plan total: {stat_text(t.total, 'whole')} {cur}; cost per contact "
                  f"{stat_text(t.per_contact, 'money')} {cur}", highlight=False)
    _group_table(console, result, "Head-count flow (FTE)",
                 ("start", "leave", "join", "end", "train", "ramp", "productive"),
                 ("start", "leavers", "joiners", "end", "in_training", "ramping", "productive"))
    _group_table(console, result, f"Requirement against available (FTE; the gap closed by "
                 f"{result.gap_policy})", ("productive", "need", "gap", "overtime", "short"),
                 ("productive", "required", "gap", "overtime", "shortfall"))
    for m in result.months:
        line = f"{m.month}: requirement {m.requirement}, {m.simulations} simulations"
        if m.intervals_short:
            line += (f"; {m.intervals_short} of {m.intervals_judged} intervals miss a target "
                     f"({', '.join(m.short_where)})")
        console.print(line, highlight=False)
    console.print(f"{result.simulations} simulations in all", highlight=False)


def _group_table(console: Console, result: PlanResult, title: str, headers: tuple[str, ...],
                 fields: tuple[str, ...]) -> None:
    """A row per month and group of the head-count figures ``fields``."""
    from rich.table import Table

    table = Table(box=None, pad_edge=False, title=title, title_justify="left")
    table.add_column("month", no_wrap=True)
    table.add_column("group", no_wrap=True, overflow="ellipsis", max_width=12)
    for name in headers:
        table.add_column(name, justify="right", no_wrap=True)
    for m in result.months:
        for g in m.groups:
            table.add_row(m.month, g.group, *(fmt.number(getattr(g, k), style=fmt.TERMINAL)
                                             for k in fields))
    console.print(table)


def render_plan_comparison(result: PlanComparison, console: Console) -> None:
    """Plans compared month by month: each against the baseline plan (or, in a bridge, the
    step before), the paired difference of total cost and cost per contact."""
    from rich.table import Table

    base = result.baseline
    against = "the baseline plan" if result.kind == "compare" else "the step before"
    console.print(f"Baseline plan: {base.scenario} ({base.file}); money in {base.currency} a "
                  "month; differences paired on common random numbers", highlight=False)
    for other in result.others:
        console.print(f"{other.plan.scenario} against {against}", highlight=False)
        table = Table(box=None, pad_edge=False)
        for name in ("month", "total", "change", "per contact", "change "):
            table.add_column(name, justify="left" if name == "month" else "right",
                             no_wrap=True)
        for m, d in zip(other.plan.months, other.months, strict=True):
            table.add_row(m.month, fmt.money_whole(m.total.mean, style=fmt.TERMINAL),
                          stat_text(d.total, "whole", signed=True),
                          stat_text(m.per_contact, "money"),
                          stat_text(d.per_contact, "money", signed=True))
        table.add_row("all", fmt.money_whole(other.plan.totals.total.mean, style=fmt.TERMINAL),
                      stat_text(other.total, "whole", signed=True),
                      stat_text(other.plan.totals.per_contact, "money"),
                      stat_text(other.per_contact, "money", signed=True))
        console.print(table)


def comparison_csv(result: PlanComparison) -> str:
    """Plans compared, tidy: a row per plan and month (and ``all``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["plan", "month", "total_cost", "total_cost_change", "total_cost_change_pm95",
                     "cost_per_contact", "cost_per_contact_change",
                     "cost_per_contact_change_pm95"])
    for other in result.others:
        rows = [(m.month, m.total, d.total, m.per_contact, d.per_contact)
                for m, d in zip(other.plan.months, other.months, strict=True)]
        rows.append(("all", other.plan.totals.total, other.total, other.plan.totals.per_contact,
                     other.per_contact))
        for month, total, change, per, per_change in rows:
            writer.writerow([other.plan.scenario, month, *(fmt.csv_number(v) for v in (
                total.mean, change.mean, change.half_width, per.mean, per_change.mean,
                per_change.half_width))])
    return out.getvalue()
