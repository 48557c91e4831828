"""Turn a result into what a planner reads on a terminal: one-screen tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from simulator.costs import CATEGORIES
from simulator.report import format as fmt
from simulator.results.estimate import MISSING, Estimate, Spread
from simulator.results.guardrails import Guardrail, Verdicts
from simulator.results.run import RunResult
from simulator.results.shifts import ShiftPlan
from simulator.results.studies import (
    BridgeResult,
    ComparisonResult,
    SensitivityResult,
    SensitivityRow,
    SweepAxis,
    SweepRow,
)

if TYPE_CHECKING:
    from rich.console import Console


# ---------------------------------------------------------------------------- table
def _mean(stat: Estimate | None) -> float | None:
    return None if stat is None else stat.mean


def _fmt(stat: Estimate | None, kind: str, scale: float = 1.0, signed: bool = False) -> str:
    """A statistic as '12.3 ±0.4' (``signed``: a difference, '+12.3 ±0.4', shares in points),
    written by the one formatting core."""
    mean = _mean(stat)
    if mean is None or stat is None:
        return "–"
    half = stat.half_width
    return fmt.estimate(mean * scale, None if half is None else half * scale,
                        cast("fmt.Kind", kind), signed=signed, style=fmt.TERMINAL)


CHANNEL_ROWS = (
    ("arrivals", "Arrivals (intents)", "count", True),
    ("repeats", "  of which repeats", "count", True),
    ("deflected", "Deflected by self-service", "count", True),
    ("ivr_contained", "Contained in the IVR", "count", True),
    ("ivr_hangups", "Hung up in the IVR", "count", True),
    ("blocked", "Blocked (busy signal)", "count", True),
    ("offered", "Offered to agents", "count", True),
    ("answered", "Answered", "count", True),
    ("abandoned", "Abandoned", "count", True),
    ("callbacks", "Call-backs accepted", "count", True),
    ("retrials", "Retrials", "count", True),
    ("service_level", "Service level", "pct", False),
    ("asa_seconds", "Average speed of answer (s)", "num", False),
    ("abandon_rate", "Abandon rate", "pct", False),
    ("wait_probability", "Share that had to wait", "pct", False),
    ("aht_seconds", "Average handle time (s)", "num", False),
    ("fcr", "First-contact resolution", "pct", False),
    ("response_time_hours", "Response time (min)", "num", 60.0),
    ("within_target", "Replied within target", "pct", False),
)
#: rows shown only when some channel has them (the levers in use)
OPTIONAL_ROWS = {"repeats", "deflected", "ivr_contained", "ivr_hangups", "blocked", "callbacks",
                 "retrials", "response_time_hours", "within_target"}


def _range(spread: Spread, spec: str) -> str:
    if spread.low is None or spread.high is None:
        return "–"
    return f"{spread.low:{spec}} to {spread.high:{spec}}"


def _shown(text: str) -> str:
    """Text from a file, safe to print: control characters escaped, rich markup escaped."""
    from rich.markup import escape

    return escape(fmt.printable(text))


def render_table(result: RunResult, console: Console) -> None:
    """Print the run's result on one screen."""
    from rich import box  # imported on use: a JSON or CSV run does not need them
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    days = result.per_open_day  # volumes and hours per open day
    cur = _shown(result.currency)
    cost = result.cost
    head = Text()
    head.append(f"{fmt.printable(result.scenario)}\n", style="bold")
    head.append(
        f"{fmt.printable(result.file)} · {result.replications} replications × "
        f"{result.simulated_days:g} days (seed {result.seed})\n"
        f"{fmt.convention(cur, result.period)}\n"
    )
    head.append("Cost per contact  ", style="bold")
    head.append(f"{cur} {_fmt(cost.per_contact, 'money')}", style="bold green")
    head.append(f"     Total per {result.period}  {cur} {_fmt(cost.period_total, 'whole')}")
    if not _mean(cost.total):
        head.append("\nThis file prices nothing (no wages, no [costs]): its cost leaves wages "
                    "and every other cost out.", style="yellow")
    spread = result.uncertainty
    if spread is not None:
        low, high = spread.percentiles
        names = ", ".join(i.name for i in spread.inputs)
        head.append("\nGiven the [uncertainty] ranges  ", style="bold")
        head.append(f"{cur} {_range(spread.cost_per_contact, ',.2f')}", style="bold yellow")
        head.append(f" per contact, {cur} {_range(spread.period_total, ',.0f')} per "
                    f"{result.period}\n({low:g}th–{high:g}th percentile of "
                    f"{spread.samples} Latin-hypercube samples of {names}; "
                    f"{spread.replications} replications each)")

    service = Table(title="Service", box=box.SIMPLE_HEAD, title_justify="left")
    service.add_column("metric")
    channels = result.channels
    for name in channels:
        service.add_column(name, justify="right")
    for key, label, kind, per_day in CHANNEL_ROWS:
        stats = [channels[name].figure(key) or MISSING for name in channels]
        if key in OPTIONAL_ROWS and all(not _mean(s) for s in stats):
            continue
        if key == "fcr" and all(_mean(s) == 1.0 for s in stats):
            continue
        scale = 1 / days if per_day is True else (per_day or 1.0)  # per open day, or a unit
        service.add_row(label, *(_fmt(s, kind, float(scale)) for s in stats))

    groups = Table(title="Agent groups", box=box.SIMPLE_HEAD, title_justify="left")
    for col in ("group", "occupancy", "paid hours", "on-floor hours", "answered"):
        groups.add_column(col, justify="left" if col == "group" else "right")
    for name, g in result.agent_groups.items():
        groups.add_row(name, _fmt(g.occupancy, "pct"), _fmt(g.paid_hours, "num", 1 / days),
                       _fmt(g.on_floor_hours, "num", 1 / days),
                       _fmt(g.answered, "count", 1 / days))

    money = Table(title=f"Cost ({cur})", box=box.SIMPLE_HEAD, title_justify="left")
    for col in ("line", f"per {result.period}", "share", "per contact"):
        money.add_column(col, justify="left" if col == "line" else "right")
    total = _mean(cost.total) or 0.0
    scale = cost.period_scale
    term = fmt.TERMINAL
    for category in CATEGORIES:
        value = _mean(cost.by_category.get(category)) or 0.0
        if value == 0:
            continue
        per = _mean(cost.per_contact_by_category.get(category))
        money.add_row(category.replace("_", " "), fmt.money_whole(value * scale, style=term),
                      fmt.percent(value / total, style=term) if total else "–",
                      fmt.money_cents(per, style=term))
    money.add_row(Text("total", style="bold"), _fmt(cost.period_total, "whole"),
                  fmt.percent(1.0, style=term) if total else "–", _fmt(cost.per_contact, "money"))
    for label, stat in (("per assisted contact", cost.per_assisted_contact),
                        ("per resolved contact", cost.per_resolved_contact),
                        ("per call", cost.per_call)):
        money.add_row(label, "", "", _fmt(stat, "money"))

    parts: list[Any] = [head, service, groups, money]
    if len(result.guardrails):
        targets = Table(title="Targets", box=box.SIMPLE_HEAD, title_justify="left")
        for col in ("channel", "guardrail", "target", "judged", "run average", "met"):
            targets.add_column(col)
        lines = []
        for c in result.guardrails:
            target = f"{c.target:.0%}" if c.is_share else f"{c.target:g} s"
            reached = _fmt(c.value, "pct" if c.is_share else "num")
            mark = Text("yes", style="green") if c.met else Text("NO", style="bold red")
            judged = judged_rule(c) if c.per_interval else "on the run"
            if c.per_interval:
                lines.append(Text(f"{c.channel} {c.name.replace('_', ' ')}: "
                                  f"{compliance_text(c)}", style="" if c.met else "red"))
            targets.add_row(c.channel, c.name.replace("_", " "), target, judged, reached, mark)
        parts.append(targets)
        parts.extend(lines)
    console.print(Panel(Group(*parts), title="ccsim run", expand=False))


def judged_rule(check: Guardrail, style: fmt.Style = fmt.TERMINAL) -> str:
    """How strictly a per-interval check is judged: "every interval", "90% of intervals"."""
    share = check.intervals_met_required
    return "every interval" if share >= 1 else f"{fmt.percent(share, 0, style=style)} of intervals"


def compliance_text(check: Guardrail, *, worst: bool = True,
                    style: fmt.Style = fmt.TERMINAL) -> str:
    """"met in 130 of 144 half-hours, worst Mon 18:30 38.2%" for a per-interval check (without
    the worst interval when ``worst`` is off; on a page with ``style`` :data:`~fmt.PAGE`)."""
    furthest = check.worst if worst else None
    return fmt.compliance(
        check.intervals_met, check.intervals_judged, check.interval_minutes,
        None if furthest is None else (furthest.days, furthest.start, furthest.value.mean),
        "pct" if check.is_share else "num", style=style)


def roster_text(result: RunResult, style: fmt.Style = fmt.TERMINAL) -> str:
    """A run's roster in a few words: "re-staffed · 95.2 FTE · 640 agent-shifts a week" or "file · 102.0
    FTE" (FTE: paid hours a week ÷ 40)."""
    measured_days = result.simulated_days - result.warmup_hours / 24
    paid = sum(_mean(g.paid_hours) or 0.0 for g in result.agent_groups.values())
    fte = paid / measured_days * 7 / 40 if measured_days > 0 else None
    text = f"{fmt.number(fte, 1, style=style)} FTE"
    if not result.staffing:
        return f"file · {text}"
    shifts = sum(sum(s.agents * len(s.days) for s in g.plan.shifts)
                 for g in result.staffing.values() if g.plan is not None)
    return f"re-staffed · {text}" + (f" · {shifts:,} agent-shifts a week" if shifts else "")


# ---------------------------------------------------------------------------- compare
COMPARE_ROWS = (
    ("cost.per_contact", "cost per contact", "money"),
    ("cost.per_assisted_contact", "cost per assisted contact", "money"),
    ("cost.per_resolved_contact", "cost per resolved contact", "money"),
    ("cost.period_total", "total cost per {period}", "whole"),
)
CHANNEL_COMPARE = (
    ("service_level", "service level", "pct"),
    ("abandon_rate", "abandon rate", "pct"),
    ("asa_seconds", "ASA (s)", "num"),
    ("aht_seconds", "AHT (s)", "num"),
    ("offered", "offered per open day", "count"),
    ("within_target", "within target", "pct"),
)


def render_comparison(comparison: ComparisonResult, console: Console) -> None:
    """Print the comparison: a summary line per scenario, then the paired differences."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    base = comparison.baseline
    cur = _shown(base.currency)
    period = base.period
    summary = Table(title=f"ccsim compare · {base.replications} replications on common random "
                    f"numbers (seed {base.seed}) · Δ = scenario − baseline, paired 95 % interval"
                    f"\n{fmt.convention(cur, period)}",
                    box=box.SIMPLE_HEAD, title_justify="left")
    for col in ("scenario", f"cost per contact ({cur})", "Δ", f"Δ total per {period}",
                "roster", "guardrails"):
        summary.add_column(col, justify="left" if col in ("scenario", "roster", "guardrails")
                           else "right", overflow="fold")  # a narrow cell folds, never cuts
    summary.add_row(Text(fmt.printable(base.scenario), style="bold"), _fmt(base.cost.per_contact, "money"),
                    "baseline", "", roster_text(base),
                    _guardrail_text(base.broken(), base.guardrails))
    for row in comparison.scenarios:
        result, diff = row.result, row.difference
        name = Text(fmt.printable(row.scenario))
        if row.cheaper:
            name.append("  cheaper", style="bold green")
        summary.add_row(name, _fmt(result.cost.per_contact, "money"),
                        _fmt(diff.cost.per_contact, "money", signed=True),
                        _fmt(diff.cost.period_total, "whole", signed=True),
                        roster_text(result),
                        _guardrail_text(row.guardrails_broken, row.result.guardrails))
    console.print(summary)
    if base.staffing:
        console.print("The baseline was re-staffed too (to its own targets, interval by "
                      "interval): its cost is that of the re-staffed roster, not of the file's.",
                      highlight=False)

    detail = Table(box=box.SIMPLE_HEAD, title="Paired differences (Δ ± 95 %)",
                   title_justify="left")
    detail.add_column("metric")
    detail.add_column("baseline", justify="right")
    for row in comparison.scenarios:
        detail.add_column(_shown(row.scenario[:24]), justify="right")
    base_figures = base.sections
    differences = [row.difference for row in comparison.scenarios]
    for path, title, kind in COMPARE_ROWS:
        detail.add_row(title.format(period=period), _fmt(base_figures.figure(path), kind),
                       *(_fmt(d.figure(path), kind, signed=True) for d in differences))
    for channel in base.channels:
        for key, title, kind in CHANNEL_COMPARE:
            path = f"channels.{channel}.{key}"
            stat = base_figures.figure(path)
            if stat is None or stat.mean is None:
                continue
            per_day = 1 / base.per_open_day if kind == "count" else 1.0  # volumes per open day
            detail.add_row(f"{channel}: {title}", _fmt(stat, kind, per_day),
                           *(_fmt(d.figure(path), kind, per_day, signed=True)
                             for d in differences))
    for group in base.agent_groups:
        path = f"agent_groups.{group}.occupancy"
        detail.add_row(f"{group}: occupancy", _fmt(base_figures.figure(path), "pct"),
                       *(_fmt(d.figure(path), "pct", signed=True) for d in differences))
    console.print(detail)


def _in_words(key: str, name: str, verdicts: Verdicts | None) -> str:
    """A broken guardrail as a table names it and, judged per interval, in how many intervals
    it is met: "voice service level (met in 118 of 144 half-hours)"."""
    check = None if verdicts is None else next((c for c in verdicts if c.key == key), None)
    if check is None or not check.per_interval or not check.intervals_judged:
        return name
    return f"{name} ({compliance_text(check, worst=False)})"


def _guardrail_text(broken_keys: Sequence[str], verdicts: Verdicts | None = None) -> Any:
    """"BREAKS voice service level (met in 118 of 144 half-hours)", or "all met"; ``verdicts``
    (the run's) tell the per-interval counts."""
    from rich.text import Text

    broken = [_in_words(b, b.replace(".", " ").replace("_", " "), verdicts) for b in broken_keys]
    if not broken:
        return Text("all met", style="green")
    return Text("BREAKS " + ", ".join(broken), style="bold red")


def render_sweep(rows: Sequence[SweepRow], axes: Sequence[SweepAxis], console: Console,
                 currency: str) -> None:
    """One row per grid point: the swept values, cost and service."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title="ccsim sweep (± is the 95 % interval)", box=box.SIMPLE_HEAD,
                  title_justify="left")
    for axis in axes:
        table.add_column(axis.key, overflow="fold")
    table.add_column(f"cost per contact ({_shown(currency)})", justify="right")
    table.add_column("total per period", justify="right")
    service = list(rows[0].channels) if rows else []
    for name in service:
        table.add_column(f"{name} SL", justify="right")
    table.add_column("guardrails")
    for row in rows:
        broken = row.guardrails_broken
        table.add_row(*(str(row.point[a.key]) for a in axes),
                      _fmt(row.cost_per_contact, "money"),
                      _fmt(row.period_total, "count"),
                      *(_fmt(row.channels[name].service_level if name in row.channels else None,
                             "pct") for name in service),
                      Text(f"BREAKS {len(broken)}", style="bold red") if broken
                      else Text("all met", style="green"))
    console.print(table)
    if any(row.guardrails_broken for row in rows):
        console.print("(which guardrails: sweep.csv and sweep.json)")


# ---------------------------------------------------------------------------- bridge, tornado
_SHORT = {"service_level": "SL", "max_abandon_rate": "abandon", "max_occupancy": "occupancy",
          "max_asa_seconds": "ASA", "within_target": "within target"}


def _short(guardrail: str) -> str:
    """``voice.max_abandon_rate`` -> ``voice abandon`` (for narrow table cells)."""
    channel, _, name = guardrail.partition(".")
    return f"{channel} {_SHORT.get(name, name.replace('_', ' '))}"


def _broken_text(broken: Sequence[str], prefix: str = "", verdicts: Verdicts | None = None
                 ) -> Any:
    """"BREAKS voice SL (met in 118 of 144 half-hours)" (the counts when ``verdicts`` are
    given), or "all met"."""
    from rich.text import Text

    if not broken:
        return Text("all met", style="green")
    return Text(f"BREAKS {prefix}" + ", ".join(_in_words(b, _short(b), verdicts) for b in broken),
                style="bold red")


def render_bridge(bridge: BridgeResult, console: Console) -> None:
    """The walk from the baseline's cost per contact to every lever together."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    cur = _shown(bridge.currency)
    table = Table(title=f"ccsim bridge · cost per contact ({cur}) · levers applied in turn on "
                  f"common random numbers ({bridge.replications} replications, seed "
                  f"{bridge.seed}) · ± paired 95 % interval",
                  box=box.SIMPLE_HEAD, title_justify="left")
    for col in ("step", "change", "cost per contact", "lever alone", "roster",
                "guardrails (baseline's)"):
        table.add_column(col, justify="left" if col in ("step", "roster", "guardrails (baseline's)")
                         else "right", overflow="fold")
    base = bridge.baseline
    table.add_row(Text(fmt.printable(base.scenario), style="bold"), "",
                  _fmt(bridge.start, "money"), "", roster_text(base),
                  _broken_text(base.broken(), verdicts=base.guardrails))
    for k, step in enumerate(bridge.steps):
        result = bridge.results[k] if k < len(bridge.results) else None
        table.add_row(f"+ {step.lever}", _fmt(step.change, "money", signed=True),
                      _fmt(step.cost_per_contact, "money"),
                      _fmt(step.alone, "money", signed=True),
                      roster_text(result) if result is not None else "",
                      _broken_text(step.guardrails_broken,
                                   verdicts=result.guardrails if result is not None else None))
    table.add_row(Text("= every lever together", style="bold"),
                  _fmt(bridge.total_change, "money", signed=True),
                  Text(_fmt(bridge.end, "money"), style="bold"),
                  _fmt(bridge.sum_alone, "money", signed=True), "", "")
    console.print(table)
    if base.staffing:
        console.print("The baseline was re-staffed too (to its own targets, interval by "
                      "interval), and so was every step and every lever alone: each cost is "
                      "that of its re-staffed roster, not of the files'.", highlight=False)
    console.print(
        f"Overlap: {_fmt(bridge.overlap, 'money', signed=True)} {cur} per contact "
        f"(together {_fmt(bridge.total_change, 'money', signed=True)} vs the levers' "
        f"changes alone adding up to {_fmt(bridge.sum_alone, 'money', signed=True)}; "
        "positive: together the levers save less than their effects alone add up to, as part "
        "of a saving is counted under more than one lever).",
        highlight=False)
    for conflict in bridge.conflicts:
        console.print(f"Note: {' and '.join(conflict.levers)} each set {conflict.key}; "
                      "from the later lever's step on, its value is used"
                      + (" (--staff equal-service re-staffs every step instead)."
                         if conflict.key.startswith("agent_groups.") else "."),
                      highlight=False)


def _level_text(row: SensitivityRow, end: str) -> str:
    value = float(row.level(end))
    if row.input.kind == "scale":
        return f"×{value:.3g} ({(value - 1) * 100:+.0f} %)"
    return f"{value:.4g}"


def render_sensitivity(study: SensitivityResult, console: Console) -> None:
    """The inputs ranked by their swing on cost per contact (a tornado as a table)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    cur = _shown(study.currency)
    table = Table(title=f"ccsim sensitivity · {_shown(study.scenario)} · cost per contact ({cur}) "
                  f"{_fmt(study.base, 'money')} at the file's values · each input alone "
                  f"at the ends of its range, "
                  + ("every end re-staffed to the file's targets"
                     if study.staffing == "equal-service" else "on the file's roster")
                  + f" ({study.replications} replications, seed {study.seed}; "
                  "± paired 95 % interval)",
                  box=box.SIMPLE_HEAD, title_justify="left")
    for col in ("#", "input", "low", "high", "Δ at low", "Δ at high", "swing", "guardrails"):
        table.add_column(col, justify="left" if col in ("input", "guardrails") else "right",
                         overflow="fold", no_wrap=col not in ("input", "guardrails"))
    table.caption = "swing = cost per contact at high − at low; guardrails: the file's targets"
    for rank, row in enumerate(study.inputs, 1):
        broken = Text()
        for end in ("low", "high"):
            if row.broken(end):
                broken.append(_broken_text(row.broken(end), f"at {end}: "))
                broken.append(" ")
        table.add_row(str(rank), row.input.name, _level_text(row, "low"),
                      _level_text(row, "high"),
                      _fmt(row.change_low, "money", signed=True),
                      _fmt(row.change_high, "money", signed=True),
                      _fmt(row.swing, "money", signed=True),
                      broken if broken.plain else Text("all met", style="green"))
    console.print(table)


# ---------------------------------------------------------------------------- shift plan
SHIFT_COLUMNS = ("template", "start–end", "days", "agents", "paid hours/week", "cost/week")
DAY_COLUMNS = ("day", "required (agent-h)", "covered (agent-h)", "intervals under",
               "over-coverage (agent-h)")


def shift_rows(plan: ShiftPlan) -> list[tuple[str, ...]]:
    """One row per planned shift (:data:`SHIFT_COLUMNS`), then the totals."""
    style = fmt.TERMINAL
    rows: list[tuple[str, ...]] = [
        (s.template, f"{s.start}–{s.end}", ", ".join(s.days), fmt.count(s.agents, style=style),
         fmt.hours(s.paid_hours_per_week, 1, style=style),
         fmt.money_cents(s.cost_per_week, style=style)) for s in plan.shifts]
    agent_days = sum(s.agents * len(s.days) for s in plan.shifts)
    rows.append(("total", "", "", f"{fmt.count(agent_days, style=style)} agent-days",
                 fmt.hours(plan.paid_hours_per_week, 1, style=style),
                 fmt.money_cents(plan.cost_per_week, style=style)))
    return rows


def coverage_rows(plan: ShiftPlan) -> list[tuple[str, ...]]:
    """Per open day (:data:`DAY_COLUMNS`): agent-hours required and covered, the intervals
    short of the requirement and the agent-hours above it."""
    style, hours = fmt.TERMINAL, plan.interval_minutes / 60
    return [(day, fmt.hours(float(plan.requirement[d].sum()) * hours, 1, style=style),
             fmt.hours(float(plan.coverage[d].sum()) * hours, 1, style=style),
             fmt.count(int((plan.under[d] > 0).sum()), style=style),
             fmt.hours(float(plan.over[d].sum()) * hours, 1, style=style))
            for d, day in enumerate(plan.weekdays)]


def shift_plan_summary(plan: ShiftPlan, currency: str = "") -> str:
    """The plan in one line: its totals and how it was solved."""
    style = fmt.TERMINAL
    money = f"{_shown(currency)} " if currency else ""
    under = int((plan.under > 0).sum())
    solved = "optimal" if plan.optimal else (
        f"{plan.status.replace('_', ' ')}, gap {fmt.percent(plan.gap, 2, style=style)}")
    breaks = (f" (of which paid breaks {fmt.hours(plan.paid_break_hours_per_week, 1, style=style)})"
              if plan.paid_break_hours_per_week else "")
    return (f"{len(plan.shifts)} shifts, {fmt.hours(plan.paid_hours_per_week, 1, style=style)} "
            f"paid hours a week{breaks}, "
            f"{money}{fmt.money_cents(plan.cost_per_week, style=style)} a week; "
            f"{'every interval covered' if not under else f'{under} intervals short'}; "
            f"{solved}")


def render_shift_plan(plan: ShiftPlan, console: Console, currency: str = "",
                      title: str = "Shift plan") -> None:
    """The planned shifts with their totals, then requirement against coverage per day."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    cur = f" ({_shown(currency)})" if currency else ""
    shifts = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for col in SHIFT_COLUMNS:
        shifts.add_column(col + (cur if col == "cost/week" else ""),
                          justify="left" if col in ("template", "start–end", "days") else "right")
    rows = shift_rows(plan)
    for row in rows[:-1]:
        shifts.add_row(*row)
    shifts.add_row(*(Text(cell, style="bold") for cell in rows[-1]))
    console.print(shifts)
    days = Table(title="Requirement against coverage, per day", box=box.SIMPLE_HEAD,
                 title_justify="left")
    for col in DAY_COLUMNS:
        days.add_column(col, justify="left" if col == "day" else "right")
    for row in coverage_rows(plan):
        days.add_row(*row[:3], Text(row[3], style="bold red") if row[3] != "0" else row[3], row[4])
    console.print(days)
    console.print(shift_plan_summary(plan, currency), highlight=False)
