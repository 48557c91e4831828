"""Turn a result into what a planner reads on a terminal: one-screen tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from simulator.costs import CATEGORIES
from simulator.report import format as fmt
from simulator.results.estimate import MISSING, Estimate, Spread
from simulator.results.guardrails import Guardrail
from simulator.results.run import RunResult
from simulator.results.shifts import ShiftPlan

if TYPE_CHECKING:
    from rich.console import Console


# ---------------------------------------------------------------------------- table
def _mean(stat: Estimate | None) -> float | None:
    return None if stat is None else stat.mean


def stat_text(stat: Estimate | None, kind: str, scale: float = 1.0, signed: bool = False) -> str:
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


def shown(text: str) -> str:
    """Text from a file, safe to print: control characters escaped, rich markup escaped."""
    from rich.markup import escape

    return escape(fmt.printable(text))


#: the channel rows shown without ``--detail`` (the rest are behind it)
BRIEF_ROWS = ("offered", "answered", "abandoned", "service_level", "asa_seconds",
              "abandon_rate", "aht_seconds", "fcr", "within_target")
#: the cost lines shown by name without ``--detail`` (the rest summed in one line)
BRIEF_COST_LINES = 3


def _table(title: str) -> Any:
    from rich import box
    from rich.table import Table

    return Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False,
                 pad_edge=False)


def _header(result: RunResult) -> Any:
    """The panel's first lines: scenario, file and run, the --set overrides, cost per contact."""
    from rich.text import Text

    cur = shown(result.currency)
    cost = result.cost
    head = Text()
    head.append(f"{fmt.printable(result.scenario)}\n", style="bold")
    head.append(
        f"{fmt.printable(result.file)} · {result.replications} replications × "
        f"{result.simulated_days:g} days, seed {result.seed}\n"
        f"{fmt.convention(cur, result.period)}\n")
    overrides = result.provenance.overrides
    if overrides:
        head.append("--set ", style="bold")
        head.append(" ".join(fmt.printable(o) for o in overrides) + "\n")
    head.append("Cost per contact  ", style="bold")
    head.append(f"{cur} {stat_text(cost.per_contact, 'money')}", style="bold green")
    head.append(f"     Total per {result.period}  {cur} {stat_text(cost.period_total, 'whole')}")
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
    return head


def _service(result: RunResult, detail: bool) -> Any:
    service = _table("Service")
    service.add_column("metric", no_wrap=True)
    channels = result.channels
    for name in channels:
        service.add_column(shown(name), justify="right", no_wrap=True)
    days = result.per_open_day
    for key, label, kind, per_day in CHANNEL_ROWS:
        if not detail and key not in BRIEF_ROWS:
            continue
        stats = [channels[name].figure(key) or MISSING for name in channels]
        if key in OPTIONAL_ROWS and all(not _mean(s) for s in stats):
            continue
        if key == "fcr" and all(_mean(s) == 1.0 for s in stats):
            continue
        scale = 1 / days if per_day is True else (per_day or 1.0)  # per open day, or a unit
        service.add_row(label if detail else BRIEF_LABELS.get(key, label),
                        *(stat_text(s, kind, float(scale)) for s in stats))
    return service


#: shorter labels for the brief panel
BRIEF_LABELS = {"asa_seconds": "ASA (s)", "aht_seconds": "AHT (s)",
                "offered": "Offered to agents", "within_target": "Replied within target"}


#: a contact type's rows (of :data:`CHANNEL_ROWS`, with the brief labels)
TYPE_ROWS = ("offered", "answered", "abandoned", "service_level", "asa_seconds", "abandon_rate",
             "aht_seconds")


def typed_channels(result: RunResult) -> dict[str, list[str]]:
    """The channels with more than one contact type, each with its types (scenario order)."""
    types_of: dict[str, list[str]] = {}
    for name, ctype in result.contact_types.items():
        types_of.setdefault(ctype.channel, []).append(name)
    return {channel: names for channel, names in types_of.items() if len(names) > 1}


def _type_table(result: RunResult, names: list[str], title: str) -> Any:
    table = _table(title)
    table.add_column("metric", no_wrap=True)
    for name in names:
        table.add_column(shown(name), justify="right", no_wrap=True, overflow="ellipsis")
    days = result.per_open_day
    for key, label, kind, per_day in CHANNEL_ROWS:
        stats = [result.contact_types[name].figure(key) or MISSING for name in names]
        if key not in TYPE_ROWS or all(_mean(s) is None for s in stats):  # (a deferred
            continue  # channel has no service level)
        table.add_row(BRIEF_LABELS.get(key, label),
                      *(stat_text(s, kind, 1 / days if per_day is True else 1.0) for s in stats))
    return table


def _types(result: RunResult, width: int) -> list[Any]:
    """Per channel with several contact types, a table of them (a column each), split into
    tables of as many columns as fit ``width`` (a column too wide alone is cut short)."""
    from rich.console import Console
    from rich.measure import Measurement
    from rich.text import Text

    measuring = Console(width=10_000)  # wide: a table's natural width, not the terminal's

    def fits(names: list[str]) -> bool:
        table = _type_table(result, names, "")
        return Measurement.get(measuring, measuring.options, table).maximum <= width

    parts: list[Any] = []
    for channel, names in typed_channels(result).items():
        chunks: list[list[str]] = [[]]
        for name in names:
            if chunks[-1] and not fits([*chunks[-1], name]):
                chunks.append([])
            chunks[-1].append(name)
        for i, chunk in enumerate(chunks):
            title = f"Service by contact type · {shown(channel)}"
            if len(chunks) > 1:
                title += f" ({i + 1} of {len(chunks)})"
            parts += [Text(""), _type_table(result, chunk, title)]
    return parts


def _groups(result: RunResult) -> Any:
    from rich.text import Text

    days = result.per_open_day
    groups = _table("Agent groups")
    for col in ("group", "occupancy", "paid hours", "on-floor hours", "answered"):
        groups.add_column(col, justify="left" if col == "group" else "right", no_wrap=True,
                          overflow="ellipsis")
    for name, g in result.agent_groups.items():
        groups.add_row(Text(fmt.printable(name)), stat_text(g.occupancy, "pct"),
                       stat_text(g.paid_hours, "num", 1 / days),
                       stat_text(g.on_floor_hours, "num", 1 / days),
                       stat_text(g.answered, "count", 1 / days))
    return groups


def _money(result: RunResult, detail: bool) -> Any:
    from rich.text import Text

    cost = result.cost
    money = _table(f"Cost ({shown(result.currency)})")
    for col in ("line", f"per {result.period}", "share", "per contact"):
        money.add_column(col, justify="left" if col == "line" else "right", no_wrap=True)
    total = _mean(cost.total) or 0.0
    scale = cost.period_scale
    lines = [(c, _mean(cost.by_category.get(c)) or 0.0,
              _mean(cost.per_contact_by_category.get(c))) for c in CATEGORIES]
    lines = [line for line in lines if line[1] != 0]
    if not detail and len(lines) > BRIEF_COST_LINES + 1:
        named = sorted(lines, key=lambda line: -line[1])[:BRIEF_COST_LINES]
        rest = [line for line in lines if line not in named]
        shown_lines: list[tuple[str, float, float | None]] = [
            line for line in lines if line in named]
        shown_lines.append((f"{len(rest)} other lines", sum(line[1] for line in rest),
                            sum(line[2] or 0.0 for line in rest)))
    else:
        shown_lines = lines
    term = fmt.TERMINAL
    for category, value, per in shown_lines:
        money.add_row(category.replace("_", " "), fmt.money_whole(value * scale, style=term),
                      fmt.percent(value / total, style=term) if total else "–",
                      fmt.money_cents(per, style=term))
    money.add_row(Text("total", style="bold"), stat_text(cost.period_total, "whole"),
                  fmt.percent(1.0, style=term) if total else "–",
                  stat_text(cost.per_contact, "money"))
    for label, stat in (("per assisted contact", cost.per_assisted_contact),
                        ("per resolved contact", cost.per_resolved_contact),
                        ("per call", cost.per_call)):
        money.add_row(label, "", "", stat_text(stat, "money"))
    return money


def _targets(result: RunResult, detail: bool) -> list[Any]:
    from rich.text import Text

    first = next((c for c in result.guardrails if c.per_interval), None)
    unit = "" if first is None else fmt.INTERVAL_WORDS.get(first.interval_minutes, "intervals")
    targets = _table("Targets")
    # the verdict, yes or NO, and in how many intervals judged it is met
    for col in ("channel", "guardrail", "target", "run average",
                f"met · {unit} judged" if unit else "met"):
        targets.add_column(col, no_wrap=True, overflow="ellipsis")
    lines = []
    for c in result.guardrails:
        target = f"{c.target:.0%}" if c.is_share else f"{c.target:g} s"
        reached = stat_text(c.value, "pct" if c.is_share else "num")
        verdict = "yes" if c.met else "NO"
        if c.per_interval and c.intervals_judged:
            verdict += (f" · {c.intervals_met} of {c.intervals_judged}"
                        + ("" if c.intervals_met_required >= 1 else
                           f", {judged_rule(c)} asked"))
        elif not c.per_interval:
            verdict += " · on the run"
        mark = Text(verdict, style="green" if c.met else "bold red")
        if c.per_interval and detail:
            lines.append(Text(f"{c.channel} {c.name.replace('_', ' ')}: "
                              f"{compliance_text(c)}", style="" if c.met else "red"))
        targets.add_row(shown(c.channel), c.name.replace("_", " "), target, reached, mark)
    return [targets, *lines]


def render_table(result: RunResult, console: Console, detail: bool = False) -> None:
    """Print the run's result on one screen (at most 50 lines at 100 columns for the baseline):
    the main service rows, the largest cost lines and the targets; ``detail``: every row, every
    cost line, the service of each contact type of a channel that has several, and each
    per-interval guardrail's worst interval."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    parts: list[Any] = [_header(result), Text(""), _service(result, detail)]
    if detail:  # inside the panel: its border and padding take 4 columns
        parts += _types(result, console.width - 4)
    parts += [Text(""), _groups(result), Text(""), _money(result, detail)]
    if len(result.guardrails):
        parts.extend([Text(""), *_targets(result, detail)])
    if not detail:
        parts.append(Text("(every row and cost line, each contact type, the worst half-hours: "
                          "--detail)", style="dim"))
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
    money = f"{shown(currency)} " if currency else ""
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

    cur = f" ({shown(currency)})" if currency else ""
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
