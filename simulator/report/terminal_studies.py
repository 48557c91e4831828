"""The studies on a terminal: compare, bridge, sweep and sensitivity, each within the console's
width and without a wrapped cell.

Every table cell stays on one line: numbers keep their width, names are shortened (scenario
keys by :mod:`simulator.report.names`, other names cut with "…") and the guardrails a run breaks
are listed under the table, one line each, named and counted in half-hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from simulator.report import format as fmt
from simulator.report.names import legend, short_keys
from simulator.report.terminal import compliance_text, roster_text, shown, stat_text
from simulator.results.estimate import Estimate
from simulator.results.guardrails import Verdicts
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
    from rich.table import Table

#: columns a text column is never cut below
MIN_TEXT_WIDTH = 10

# ---------------------------------------------------------------------------- layout
_SHORT = {"service_level": "SL", "max_abandon_rate": "abandon", "max_occupancy": "occupancy",
          "max_asa_seconds": "ASA", "within_target": "within target"}


def short_guardrail(guardrail: str) -> str:
    """``voice.max_abandon_rate`` -> ``voice abandon`` (for narrow lines)."""
    channel, _, name = guardrail.partition(".")
    return f"{channel} {_SHORT.get(name, name.replace('_', ' '))}"


def guardrail_words(key: str, verdicts: Verdicts | None) -> str:
    """A broken guardrail by name and, judged per interval, in how many intervals it is met:
    "voice SL (met in 118 of 144 half-hours)"."""
    name = short_guardrail(key)
    check = None if verdicts is None else next((c for c in verdicts if c.key == key), None)
    if check is None or not check.per_interval or not check.intervals_judged:
        return name
    return f"{name} ({compliance_text(check, worst=False)})"


def plain_table(**options: Any) -> Table:
    """A borderless table with a rule under its header and no blank edge lines."""
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, **options)


def add_number_column(table: Table, header: str, cells: Sequence[str]) -> None:
    """A right-aligned column as wide as its widest cell (and header): never cut, never wrapped."""
    width = max([len(header), *(len(c) for c in cells)])
    table.add_column(header, justify="right", no_wrap=True, min_width=width, max_width=width)


def add_text_column(table: Table, header: str, width: int) -> None:
    """A left-aligned column of at most ``width`` characters; longer text ends in "…"."""
    table.add_column(header, no_wrap=True, overflow="ellipsis", max_width=max(width, 1))


def table_width(widths: Sequence[int]) -> int:
    """How wide a :func:`plain_table` of columns so wide is: between two columns a space of
    padding each side and a divider."""
    return sum(widths) + 3 * max(len(widths) - 1, 0)


def text_width(console_width: int, fixed: Sequence[int], texts: int) -> int:
    """The width each of ``texts`` text columns may take beside columns of ``fixed`` widths."""
    spare = console_width - table_width([*fixed, *([0] * texts)])
    return max(MIN_TEXT_WIDTH, spare // max(texts, 1))


def widest(cells: Sequence[str]) -> int:
    return max((len(c) for c in cells), default=0)


def say(console: Console, text: str, style: str = "") -> None:
    """A line of prose (wrapped at spaces to the console's width, never cut)."""
    console.print(text, style=style, highlight=False, markup=False)


def render_guardrails(console: Console, title: str,
                      runs: Sequence[tuple[str, Sequence[str], Verdicts | None]],
                      rosters: Sequence[str] = ()) -> None:
    """Under a study's table: each run's roster (when ``rosters`` are given) and its broken
    guardrails, one line each ("BREAKS voice SL (met in 17 of 24 half-hours)"), or "all met"."""
    from rich.text import Text

    lines = [(name, [guardrail_words(b, verdicts) for b in broken]) for name, broken, verdicts
             in runs]
    verdict_width = widest([w for _, words in lines for w in words] + ["all met", *rosters]) + 7
    table = plain_table(show_header=False, title=title, title_justify="left")
    add_text_column(table, "run", text_width(console.width, [verdict_width], 1))
    add_text_column(table, "guardrails", console.width - MIN_TEXT_WIDTH - 4)
    for k, (name, words) in enumerate(lines):
        if k < len(rosters):
            table.add_row(Text(name), f"roster: {rosters[k]}")
            name = ""
        if not words:
            table.add_row(Text(name), Text("all met", style="green"))
        for k, text in enumerate(words):
            table.add_row(Text(name if k == 0 else ""), Text(f"BREAKS {text}", style="bold red"))
    console.print(table)


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


def is_zero(stat: Estimate | None) -> bool:
    """A difference of nothing: zero, and an interval of zero (a lever that does not touch it)."""
    if stat is None or stat.mean is None:
        return True
    half = stat.half_width or 0.0
    return abs(stat.mean) < 1e-12 and abs(half) < 1e-12


def render_comparison(comparison: ComparisonResult, console: Console) -> None:
    """Print the comparison: a summary line per scenario, the guardrails each breaks, then the
    paired differences (rows no scenario changes folded into one line)."""
    from rich.text import Text

    base = comparison.baseline
    cur = shown(base.currency)
    period = base.period
    say(console, f"ccsim compare · {base.replications} replications on common random numbers "
        f"(seed {base.seed}) · Δ = scenario − baseline ± paired 95 % interval")
    say(console, fmt.convention(cur, period))
    rows = [(fmt.printable(base.scenario), stat_text(base.cost.per_contact, "money"), "baseline",
             "", "")]
    rows.extend((fmt.printable(row.scenario), stat_text(row.result.cost.per_contact, "money"),
                 stat_text(row.difference.cost.per_contact, "money", signed=True),
                 stat_text(row.difference.cost.period_total, "whole", signed=True),
                 "cheaper" if row.cheaper else "") for row in comparison.scenarios)
    summary = plain_table()
    headers = ("per contact", "Δ", f"Δ per {period}", "")
    numbers = [[r[k] for r in rows] for k in (1, 2, 3, 4)]
    fixed = [max(len(h), widest(c)) for h, c in zip(headers, numbers, strict=True)]
    add_text_column(summary, "scenario", min(widest([r[0] for r in rows]),
                                             text_width(console.width, fixed, 1)))
    for header, column in zip(headers[:3], numbers, strict=False):
        add_number_column(summary, header, column)
    summary.add_column("", no_wrap=True, style="bold green")
    for k, (name, per, delta, total, cheaper) in enumerate(rows):
        summary.add_row(Text(name, style="bold" if k == 0 else ""), per, delta, total, cheaper)
    console.print(summary)
    if base.staffing:
        say(console, "The baseline was re-staffed too (to its own targets, interval by "
            "interval): its cost is that of the re-staffed roster, not of the file's.")
    render_guardrails(console, "roster and guardrails (the baseline's targets)",
                      [(rows[0][0], base.broken(), base.guardrails)]
                      + [(fmt.printable(r.scenario), r.guardrails_broken, r.result.guardrails)
                         for r in comparison.scenarios],
                      [roster_text(base), *(roster_text(r.result) for r in comparison.scenarios)])
    _render_differences(comparison, console)


def _difference_rows(comparison: ComparisonResult
                     ) -> tuple[list[tuple[str, str, list[str]]], list[tuple[str, str]]]:
    """The rows of the paired differences (label, baseline, one cell per scenario) and the
    (owner, metric) of each row no scenario changes."""
    base = comparison.baseline
    figures = base.sections
    differences = [row.difference for row in comparison.scenarios]
    shown_rows: list[tuple[str, str, list[str]]] = []
    unchanged: list[tuple[str, str]] = []

    def add(owner: str, label: str, path: str, kind: str) -> None:
        stats = [d.figure(path) for d in differences]
        if differences and all(is_zero(s) for s in stats):
            unchanged.append((owner, label))
            return
        scale = 1 / base.per_open_day if kind == "count" else 1.0  # volumes per open day
        shown_rows.append((f"{owner}: {label}" if owner else label,
                           stat_text(figures.figure(path), kind, scale),
                           [stat_text(s, kind, scale, signed=True) for s in stats]))

    for path, title, kind in COMPARE_ROWS:
        add("", title.format(period=base.period), path, kind)
    for channel in base.channels:
        for key, title, kind in CHANNEL_COMPARE:
            path = f"channels.{channel}.{key}"
            stat = figures.figure(path)
            if stat is None or stat.mean is None:
                continue
            add(channel, title, path, kind)
    for group in base.agent_groups:
        add(group, "occupancy", f"agent_groups.{group}.occupancy", "pct")
    return shown_rows, unchanged


def unchanged_text(unchanged: Sequence[tuple[str, str]], metrics_of: dict[str, int]) -> str:
    """"chat, email AHT (s), chat_team occupancy: no change" (an owner whose every metric is
    unchanged by its name alone)."""
    owners: dict[str, list[str]] = {}
    for owner, label in unchanged:
        owners.setdefault(owner, []).append(label)
    parts = []
    for owner, labels in owners.items():
        if owner and len(labels) == metrics_of.get(owner, -1) and len(labels) > 1:
            parts.append(owner)
        else:
            parts.extend(f"{owner} {label}".strip() for label in labels)
    return ", ".join(parts) + ": no change"


def _render_differences(comparison: ComparisonResult, console: Console) -> None:
    from rich.text import Text

    rows, unchanged = _difference_rows(comparison)
    names = [fmt.printable(r.scenario) for r in comparison.scenarios]
    label_width = widest([r[0] for r in rows] + ["metric"])
    base_width = widest([r[1] for r in rows] + ["baseline"])
    cell_width = max(12, widest([c for r in rows for c in r[2]]))
    room = console.width - table_width([label_width, base_width])
    per_table = max(1, room // (cell_width + 3))
    for start in range(0, max(len(names), 1), per_table):
        chunk = range(start, min(start + per_table, len(names)))
        title = "Paired differences (Δ ± 95 %)" + (
            f", scenarios {start + 1}–{chunk[-1] + 1} of {len(names)}"
            if len(names) > per_table and len(chunk) else "")
        table = plain_table(title=title, title_justify="left")
        table.add_column("metric", no_wrap=True, min_width=label_width, max_width=label_width)
        table.add_column("baseline", justify="right", no_wrap=True, min_width=base_width,
                         max_width=base_width)
        for k in chunk:
            table.add_column(shown(names[k]), justify="right", no_wrap=True, overflow="ellipsis",
                             min_width=cell_width, max_width=cell_width)
        for label, baseline, cells in rows:
            table.add_row(Text(label), baseline, *(cells[k] for k in chunk))
        console.print(table)
    if unchanged:
        base = comparison.baseline
        metrics_of = {name: sum(1 for key, _, _ in CHANNEL_COMPARE
                                if (s := base.sections.figure(f"channels.{name}.{key}"))
                                is not None and s.mean is not None)
                      for name in base.channels}
        metrics_of.update(dict.fromkeys(base.agent_groups, 1))
        say(console, unchanged_text(unchanged, metrics_of))


# ---------------------------------------------------------------------------- sweep
def render_sweep(rows: Sequence[SweepRow], axes: Sequence[SweepAxis], console: Console,
                 currency: str) -> None:
    """One row per grid point: the swept values (keys shortened, a legend under the table),
    cost and service, and the guardrails each point breaks, by name."""
    from rich.text import Text

    say(console, f"ccsim sweep · cost per contact and per period ({fmt.printable(currency)}) · "
        "± is the 95 % interval")
    service = list(rows[0].channels) if rows else []
    names = short_keys([a.key for a in axes])
    value_widths = [max([len(str(row.point[a.key])) for row in rows] + [4]) for a in axes]
    others = 11 + 10 + 11 * len(service) + len("all met")
    if table_width([*(max(len(names[a.key]), v) for a, v in zip(axes, value_widths, strict=True)),
                    others]) + 3 * (2 + len(service)) > console.width:
        names = short_keys([a.key for a in axes], parts=1)  # narrow: the last part alone
    cells: list[list[str]] = [
        [*(str(row.point[a.key]) for a in axes), stat_text(row.cost_per_contact, "money"),
         stat_text(row.period_total, "count"),
         *(stat_text(row.channels[name].service_level if name in row.channels else None, "pct")
           for name in service)] for row in rows]
    headers = [names[a.key] for a in axes] + ["per contact", "per period"] + [
        f"{name} SL" for name in service]
    table = plain_table()
    fixed = []
    for k, header in enumerate(headers):
        column = [c[k] for c in cells]
        add_number_column(table, shown(header), column)
        fixed.append(max(len(header), widest(column)))
    add_text_column(table, "guardrails", text_width(console.width, fixed, 1))
    for row, values in zip(rows, cells, strict=True):
        broken = row.guardrails_broken
        verdict = (Text("breaks " + ", ".join(short_guardrail(b) for b in broken),
                        style="bold red") if broken else Text("all met", style="green"))
        table.add_row(*(Text(v) for v in values), verdict)
    console.print(table)
    key_legend = legend(names)
    if key_legend:
        say(console, f"keys: {key_legend}")


# ---------------------------------------------------------------------------- bridge
def render_bridge(bridge: BridgeResult, console: Console) -> None:
    """The walk from the baseline's cost per contact to every lever together."""
    from rich.text import Text

    cur = shown(bridge.currency)
    say(console, f"ccsim bridge · cost per contact ({cur}) · levers applied in turn on common "
        f"random numbers ({bridge.replications} replications, seed {bridge.seed}) · ± paired "
        "95 % interval")
    base = bridge.baseline
    rows = [(fmt.printable(base.scenario), "", stat_text(bridge.start, "money"), "")]
    rows.extend((f"+ {fmt.printable(step.lever)}", stat_text(step.change, "money", signed=True),
                 stat_text(step.cost_per_contact, "money"),
                 stat_text(step.alone, "money", signed=True)) for step in bridge.steps)
    rows.append(("= every lever together", stat_text(bridge.total_change, "money", signed=True),
                 stat_text(bridge.end, "money"), stat_text(bridge.sum_alone, "money", signed=True)))
    table = plain_table()
    headers = ("change", "cost per contact", "lever alone")
    numbers = [[r[k] for r in rows] for k in (1, 2, 3)]
    fixed = [max(len(h), widest(c)) for h, c in zip(headers, numbers, strict=True)]
    add_text_column(table, "step", min(widest([r[0] for r in rows]),
                                       text_width(console.width, fixed, 1)))
    for header, column in zip(headers, numbers, strict=True):
        add_number_column(table, header, column)
    for k, row in enumerate(rows):
        bold = k in (0, len(rows) - 1)
        table.add_row(Text(row[0], style="bold" if bold else ""), *row[1:])
    console.print(table)
    runs: list[tuple[str, Sequence[str], Verdicts | None]] = [
        (fmt.printable(base.scenario), base.broken(), base.guardrails)]
    rosters = [roster_text(base)]
    for k, step in enumerate(bridge.steps):
        result = bridge.results[k] if k < len(bridge.results) else None
        runs.append((f"+ {fmt.printable(step.lever)}", step.guardrails_broken,
                     result.guardrails if result is not None else None))
        if result is not None and len(rosters) == k + 1:
            rosters.append(roster_text(result))
    render_guardrails(console, "roster and guardrails (the baseline's targets)", runs, rosters)
    if base.staffing:
        say(console, "The baseline was re-staffed too (to its own targets, interval by "
            "interval), and so was every step and every lever alone: each cost is that of its "
            "re-staffed roster, not of the files'.")
    say(console,
        f"Overlap: {stat_text(bridge.overlap, 'money', signed=True)} {bridge.currency} per contact "
        f"(together {stat_text(bridge.total_change, 'money', signed=True)} vs the levers' "
        f"changes alone adding up to {stat_text(bridge.sum_alone, 'money', signed=True)}; "
        "positive: together the levers save less than their effects alone add up to, as part "
        "of a saving is counted under more than one lever).")
    for conflict in bridge.conflicts:
        say(console, f"Note: {' and '.join(conflict.levers)} each set {conflict.key}; "
            "from the later lever's step on, its value is used"
            + (" (--staff equal-service re-staffs every step instead)."
               if conflict.key.startswith("agent_groups.") else "."))


# ---------------------------------------------------------------------------- sensitivity
def _level_text(row: SensitivityRow, end: str, brief: bool = False) -> str:
    """"×0.9 (-10 %)" for a scale (``brief``: "×0.9"), "180" for a value."""
    value = float(row.level(end))
    if row.input.kind == "scale":
        return f"×{value:.3g}" if brief else f"×{value:.3g} ({(value - 1) * 100:+.0f} %)"
    return f"{value:.4g}"


def render_sensitivity(study: SensitivityResult, console: Console) -> None:
    """The inputs ranked by their swing on cost per contact (a tornado as a table), then the
    guardrails each end breaks."""
    from rich.text import Text

    cur = shown(study.currency)
    say(console, f"ccsim sensitivity · {fmt.printable(study.scenario)} · cost per contact ({cur}) "
        f"{stat_text(study.base, 'money')} at the file's values")
    say(console, "Each input alone at the ends of its range, "
        + ("every end re-staffed to the file's targets" if study.staffing == "equal-service"
           else "on the file's roster")
        + f" ({study.replications} replications, seed {study.seed}; ± paired 95 % interval); "
        "swing = cost per contact at high − at low.")
    headers = ("#", "input", "low", "high", "Δ at low", "Δ at high", "swing")
    for brief in (False, True):  # the levels in brief where the table is too narrow for both
        rows = [[str(rank), fmt.printable(row.input.name), _level_text(row, "low", brief),
                 _level_text(row, "high", brief),
                 stat_text(row.change_low, "money", signed=True),
                 stat_text(row.change_high, "money", signed=True),
                 stat_text(row.swing, "money", signed=True)]
                for rank, row in enumerate(study.inputs, 1)]
        fixed = [max(len(h), widest([r[k] for r in rows])) for k, h in enumerate(headers)
                 if k != 1]
        if table_width([*fixed, 16]) <= console.width:
            break
    table = plain_table()
    input_width = min(text_width(console.width, fixed, 1), max(widest([r[1] for r in rows]), 5))
    for k, header in enumerate(headers):
        if k == 1:
            add_text_column(table, header, input_width)
        else:
            add_number_column(table, header, [r[k] for r in rows])
    for cells in rows:
        table.add_row(*(Text(c) for c in cells))
    console.print(table)
    cut = [f"{r[0]} {r[1]}" for r in rows if len(r[1]) > input_width]
    if cut:
        say(console, "inputs in full: " + "; ".join(cut))
    render_guardrails(console, "guardrails (the file's targets)",
                      [(f"{rank} {fmt.printable(row.input.name)} at {end}", row.broken(end), None)
                       for rank, row in enumerate(study.inputs, 1) for end in ("low", "high")])
