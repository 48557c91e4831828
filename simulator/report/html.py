"""One self-contained HTML page per result, for a workshop around a projector (``--html``).

The page holds everything it shows: charts as inline SVG (text drawn as paths, so no font is
needed), the stylesheet inline, no JavaScript, nothing fetched from a network. It carries no
timestamp: the same document gives the same bytes. Every piece of user text (scenario names,
files, keys, lever names) is escaped.

Sections: a card per scenario (cost per contact with its 95 % interval, total per period,
service level and abandonment per channel, guardrails met or broken), the charts of
:mod:`simulator.report.charts`, the tables behind them, and the assumptions (provenance and the key
configuration) at the end.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from simulator.costs import CATEGORIES
from simulator.report import charts
from simulator.report.charts import Bar, broken_of, contacts_of, half_width, label_of, mean_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Tree = dict[str, Any]

CSS = """
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --panel: #f8fafc;
  --accent: #1f4e79; --red: #b71c1c; --red-bg: #fdecea; --green: #1b5e20; --green-bg: #e8f5e9; }
* { box-sizing: border-box; }
html { font-size: 18px; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums; }
main { max-width: 1240px; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
header.page { border-bottom: 4px solid var(--accent); padding-bottom: 0.8rem; margin-bottom: 1.2rem; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; color: var(--accent);
  font-weight: 700; font-size: 0.8rem; margin: 0; }
h1 { font-size: 2.1rem; margin: 0.2rem 0 0.3rem; line-height: 1.15; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 0.8rem; padding-bottom: 0.25rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.2rem 0 0.5rem; }
p.meta { color: var(--muted); margin: 0.15rem 0; }
p.lead { font-size: 1.05rem; max-width: 60rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.card:only-child { max-width: 42rem; }  /* one scenario: wide enough for its table, no wider */
.card { border: 1px solid var(--line); border-top: 6px solid var(--accent); border-radius: 6px;
  padding: 0.9rem 1.1rem 1rem; background: var(--panel); break-inside: avoid; }
.card.baseline { border-top-color: #546e7a; }
.card.broken { border-top-color: var(--red); }
.card h3 { margin: 0 0 0.1rem; font-size: 1.15rem; }
.card .file { color: var(--muted); font-size: 0.78rem; margin: 0 0 0.6rem; word-break: break-all; }
.kpi { margin: 0.2rem 0 0.5rem; }
.kpi .label { display: block; color: var(--muted); font-size: 0.8rem; text-transform: uppercase;
  letter-spacing: 0.04em; }
.kpi .value { font-size: 2rem; font-weight: 700; }
.kpi .value.small { font-size: 1.3rem; }
.kpi .value.delta { font-size: 1.05rem; font-weight: 600; }
.pm { color: var(--muted); font-weight: 400; font-size: 0.85em; white-space: nowrap; }
.badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.8rem;
  font-weight: 700; vertical-align: middle; }
.badge.good { background: var(--green-bg); color: var(--green); }
.badge.bad { background: var(--red-bg); color: var(--red); }
.badge.plain { background: #eceff1; color: #37474f; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 1rem; font-size: 0.92rem; }
th, td { padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); text-align: right;
  vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
th { background: #eef2f7; font-weight: 600; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.text, th.text { text-align: left; }
td.mono, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 0.82rem; word-break: break-all; }
table.mini { font-size: 0.85rem; margin: 0.3rem 0 0.6rem; }
table.mini th, table.mini td { padding: 0.2rem 0.4rem; background: transparent; }
.good { color: var(--green); }
.bad { color: var(--red); font-weight: 700; }
td.bad, li.bad { background: var(--red-bg) !important; }
td.good { background: var(--green-bg) !important; }
ul.guardrails { list-style: none; padding: 0; margin: 0.3rem 0 0; font-size: 0.88rem; }
ul.guardrails li { padding: 0.15rem 0.4rem; border-radius: 4px; margin: 0.1rem 0; }
figure.chart { margin: 1rem 0 1.6rem; padding: 0.6rem; border: 1px solid var(--line);
  border-radius: 6px; background: #fff; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.9rem; margin: 0.4rem 0.3rem 0; }
details { margin: 0.5rem 0 1rem; }
summary { cursor: pointer; color: var(--accent); font-weight: 600; }
pre { background: var(--panel); border: 1px solid var(--line); padding: 0.8rem; overflow-x: auto;
  font-size: 0.75rem; line-height: 1.35; }
.note { color: var(--muted); font-size: 0.9rem; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: 0.8rem;
  border-top: 1px solid var(--line); padding-top: 0.6rem; }
@media print {
  html { font-size: 12pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure.chart, .card, table { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4 landscape; margin: 12mm; }
"""


# ---------------------------------------------------------------------------- formatting
def esc(value: Any) -> str:
    return escape(str(value), quote=True)


def _number(value: float, kind: str, signed: bool = False) -> str:
    """A number as the page shows it (a change with its sign, a true minus, never "−0.0")."""
    sign = "+" if signed else ""
    if kind == "pct":
        value = round(value * 100, 1) + 0.0
        text = f"{value:{sign}.1f} pts" if signed else f"{value:.1f} %"
    elif kind == "money":
        text = f"{round(value, 2) + 0.0:{sign},.2f}"
    elif kind in ("big", "count"):
        text = f"{round(value) + 0.0:{sign},.0f}"
    else:
        text = f"{round(value, 1) + 0.0:{sign},.1f}"
    return text.replace("-", "−")


def _half_text(half: float, kind: str) -> str:
    if kind == "pct":
        return f"{half * 100:.1f}"
    if kind == "money":
        return f"{half:,.2f}"
    if kind == "big":
        return f"{half:,.0f}"
    return f"{half:,.1f}"


def stat_html(stat: Tree | None, kind: str, signed: bool = False, scale: float = 1.0) -> str:
    """A statistic as ``value ± half-width`` (the ± part muted), or an en dash."""
    mean = mean_of(stat)
    if mean is None:
        return "–"
    text = esc(_number(mean * scale, kind, signed))
    half = half_width(stat)
    if half is not None:
        text += f' <span class="pm">± {esc(_half_text(abs(half * scale), kind))}</span>'
    return text


#: for coloured differences: +1 when a rise is good, -1 when a fall is good, 0 neutral
DIRECTION = {"service_level": 1, "within_target": 1, "abandon_rate": -1, "asa_seconds": -1,
             "aht_seconds": -1, "per_contact": -1, "per_assisted_contact": -1,
             "per_resolved_contact": -1, "period_total": -1, "total": -1}


#: figures of a live queue, meaningless for a backlog (deferred work)
LIVE_ONLY = {"service_level", "abandon_rate", "asa_seconds"}


def diff_cell(stat: Tree | None, kind: str, key: str, scale: float = 1.0) -> str:
    """A paired difference; coloured when its interval excludes zero."""
    css = ""
    if stat is not None and stat.get("ci_low") is not None and stat.get("ci_high") is not None:
        low, high = float(stat["ci_low"]), float(stat["ci_high"])
        direction = DIRECTION.get(key, 0)
        if direction and (low > 0 or high < 0):
            css = ' class="good"' if (low > 0) == (direction > 0) else ' class="bad"'
    return f"<td{css}>{stat_html(stat, kind, signed=True, scale=scale)}</td>"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], css: str = "",
           text_cols: int = 1) -> str:
    """A table from already-escaped cells (a cell starting with ``<td`` is used as is)."""
    out = [f'<table{f" class={chr(34)}{css}{chr(34)}" if css else ""}><thead><tr>']
    out += [f'<th{" class=" + chr(34) + "text" + chr(34) if i < text_cols else ""}>{h}</th>'
            for i, h in enumerate(head)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            if cell.startswith("<td"):
                out.append(cell)
            else:
                out.append(f'<td{" class=" + chr(34) + "text" + chr(34) if i < text_cols else ""}>'
                           f"{cell}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


GUARDRAIL_WORDS = {
    "service_level": ("service level", "≥", "pct"),
    "max_abandon_rate": ("abandonment", "≤", "pct"),
    "max_asa_seconds": ("average speed of answer", "≤", "s"),
    "within_target": ("replied within target", "≥", "pct"),
    "max_occupancy": ("occupancy", "≤", "pct"),
}


def guardrail_text(channel: str, name: str, check: Tree) -> str:
    words, sense, kind = GUARDRAIL_WORDS.get(name, (label_of(name), "vs", "num"))
    value = mean_of(check.get("value"))
    target = float(check["target"])
    if kind == "pct":
        goal, got = f"{target * 100:g} %", "–" if value is None else f"{value * 100:.1f} %"
    else:
        goal, got = f"{target:g} s", "–" if value is None else f"{value:.1f} s"
    return f"{channel}: {words} {sense} {goal} — reached {got}"


def guardrails_html(document: Tree) -> str:
    items = []
    for channel, checks in document.get("targets", {}).items():
        for name, check in checks.items():
            text = esc(guardrail_text(channel, name, check))
            if check["met"]:
                items.append(f'<li class="good">✓ met · {text}</li>')
            else:
                items.append(f'<li class="bad">✗ BROKEN · {text}</li>')
    if not items:
        return '<p class="note">No guardrails set.</p>'
    return '<ul class="guardrails">' + "".join(items) + "</ul>"


# ---------------------------------------------------------------------------- the page
class Page:
    """Collects sections and charts; numbers the charts so their SVG ids stay unique."""

    def __init__(self, title: str, kicker: str, meta: Sequence[str]) -> None:
        self.title = title
        self.kicker = kicker
        self.meta = list(meta)
        self.parts: list[str] = []
        self.charts = 0

    def add(self, html: str) -> None:
        self.parts.append(html)

    def section(self, title: str, anchor: str) -> None:
        self.parts.append(f'<h2 id="{esc(anchor)}">{esc(title)}</h2>')

    def chart(self, fig: Figure, caption: str, name: str) -> None:
        """Embed a figure as inline SVG in ``<figure class="chart">`` with a caption."""
        self.charts += 1
        prefix = f"c{self.charts}-"
        svg = _inline_svg(charts.to_svg(fig), prefix, caption)
        self.parts.append(f'<figure class="chart" id="chart-{esc(name)}">{svg}'
                          f"<figcaption>{esc(caption)}</figcaption></figure>")

    def html(self) -> str:
        meta = "".join(f'<p class="meta">{esc(line)}</p>' for line in self.meta)
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(self.title)} · ccsim</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f'<main>\n<header class="page"><p class="kicker">{esc(self.kicker)}</p>'
            f"<h1>{esc(self.title)}</h1>{meta}</header>\n"
            + "\n".join(self.parts)
            + '\n<footer>Made by ccsim. Figures are means over independent replications; ± is '
            "the half-width of the 95 % interval (Student t). Same input, same page.</footer>\n"
            "</main>\n</body>\n</html>\n"
        )


def _inline_svg(svg: str, prefix: str, label: str) -> str:
    """Matplotlib's SVG made fit to sit inside HTML: no XML prologue or metadata, every id
    prefixed (several charts share a page), an accessible name."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m[1]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m[1]})", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{esc(label)}" ', 1).strip()


# ---------------------------------------------------------------------------- building blocks
def _period_scale(document: Tree) -> float:
    total, period = mean_of(document["cost"]["total"]), mean_of(document["cost"]["period_total"])
    return period / total if total and period is not None else 0.0


def run_meta(document: Tree) -> list[str]:
    return [
        f"{document['file']} · {document['replications']} replications × "
        f"{float(document['simulated_days']):g} days (seed {document['seed']}) · "
        f"warm-up {float(document.get('warmup_hours', 0)):g} h · ccsim {document['version']}",
        "Volumes and hours per open day; ± is the half-width of the 95 % interval.",
    ]


def scenario_card(document: Tree, title: str | None = None, *, role: str = "",
                  difference: Tree | None = None, cheaper: bool | None = None,
                  broken: Sequence[str] | None = None) -> str:
    """Key figures of one scenario: cost per contact, total per period, service per channel,
    guardrails (broken ones in red)."""
    cur = esc(document["currency"])
    cost = document["cost"]
    broken = list(broken if broken is not None else broken_of(document))
    classes = "card" + (" baseline" if role == "baseline" else "") + (" broken" if broken else "")
    badges = []
    if role == "baseline":
        badges.append('<span class="badge plain">baseline</span>')
    if cheaper:
        badges.append('<span class="badge good">cheaper, guardrails kept</span>')
    if broken:
        badges.append(f'<span class="badge bad">breaks {len(broken)} guardrail'
                      f'{"s" if len(broken) > 1 else ""}</span>')
    out = [f'<article class="{classes}"><h3>{esc(title or document["scenario"])} '
           f'{" ".join(badges)}</h3><p class="file">{esc(document["file"])}</p>']
    out.append(f'<div class="kpi"><span class="label">Cost per contact ({cur})</span>'
               f'<span class="value">{stat_html(cost["per_contact"], "money")}</span></div>')
    out.append(f'<div class="kpi"><span class="label">Total cost per {esc(document["period"])} '
               f'({cur})</span><span class="value small">'
               f'{stat_html(cost["period_total"], "big")}</span></div>')
    if difference is not None:
        dc = difference["cost"]
        out.append('<div class="kpi"><span class="label">Change against the baseline '
                   '(paired)</span><span class="value delta">'
                   f'{stat_html(dc["per_contact"], "money", signed=True)} per contact · '
                   f'{stat_html(dc["period_total"], "big", signed=True)} per '
                   f'{esc(document["period"])}</span></div>')
    rows = []
    for name, ch in document["channels"].items():
        if mean_of(ch.get("service_level")) is not None:
            rows.append([esc(name), stat_html(ch["service_level"], "pct"),
                         stat_html(ch.get("abandon_rate"), "pct")])
        elif "within_target" in ch:
            rows.append([f'{esc(name)}<br><span class="note">replied in time</span>',
                         stat_html(ch["within_target"], "pct"), "–"])
    if rows:
        out.append(_table(["channel", "service level", "abandonment"], rows, "mini"))
    out.append(guardrails_html(document))
    out.append("</article>")
    return "".join(out)


def cost_lines_table(runs: Sequence[tuple[str, Tree]]) -> str:
    """Cost lines per contact (and, for one scenario, per period with their share)."""
    currency = esc(runs[0][1]["currency"])
    if len(runs) == 1:
        document = runs[0][1]
        total = mean_of(document["cost"]["total"]) or 0.0
        scale = _period_scale(document)
        contacts = contacts_of(document)
        rows = []
        for category in CATEGORIES:
            value = mean_of(document["cost"]["by_category"].get(category)) or 0.0
            if value == 0:
                continue
            rows.append([esc(label_of(category)), esc(f"{value * scale:,.0f}"),
                         esc(f"{value / total:.1%}" if total else "–"),
                         esc(f"{value / contacts:,.2f}" if contacts else "–")])
        rows.append(["<strong>total</strong>", f"<strong>{total * scale:,.0f}</strong>",
                     "100 %" if total else "–",
                     f"<strong>{stat_html(document['cost']['per_contact'], 'money')}</strong>"])
        for key, words in (("per_assisted_contact", "per assisted contact"),
                           ("per_resolved_contact", "per resolved contact"),
                           ("per_call", "per voice call answered")):
            rows.append([words, "", "", stat_html(document["cost"].get(key), "money")])
        return _table(["cost line", f"per {esc(document['period'])} ({currency})", "share",
                       f"per contact ({currency})"], rows)
    per_contact = []
    for _, document in runs:
        contacts = contacts_of(document)
        per_contact.append({c: (mean_of(document["cost"]["by_category"].get(c)) or 0.0)
                            / contacts if contacts else 0.0 for c in CATEGORIES})
    rows = [[esc(label_of(c)), *(esc(f"{p[c]:,.2f}") for p in per_contact)]
            for c in CATEGORIES if any(p[c] for p in per_contact)]
    rows.append(["<strong>total per contact</strong>",
                 *(f"<strong>{stat_html(d['cost']['per_contact'], 'money')}</strong>"
                   for _, d in runs)])
    rows.append([f"total per {esc(runs[0][1]['period'])}",
                 *(stat_html(d["cost"]["period_total"], "big") for _, d in runs)])
    return _table([f"cost line ({currency} per contact)", *(esc(n) for n, _ in runs)], rows)


def run_bars(document: Tree) -> list[Bar]:
    """Cost per contact of one run: all contacts, assisted, resolved, then by channel."""
    cost = document["cost"]
    bars = [Bar("all contacts", cost["per_contact"], broken=tuple(broken_of(document)),
                kind="scenario"),
            Bar("per assisted contact", cost["per_assisted_contact"], kind="detail"),
            Bar("per resolved contact", cost["per_resolved_contact"], kind="detail")]
    bars += [Bar(f"{name} contacts", stat, kind="detail")
             for name, stat in cost.get("per_contact_by_channel", {}).items()]
    return bars


def agent_groups_table(document: Tree) -> str:
    days = float(document.get("open_days_measured") or 1.0) or 1.0
    rows = [[esc(name), stat_html(g["occupancy"], "pct"),
             stat_html(g["paid_hours"], "num", scale=1 / days),
             stat_html(g["on_floor_hours"], "num", scale=1 / days),
             stat_html(g.get("answered"), "count", scale=1 / days)]
            for name, g in document["agent_groups"].items()]
    return _table(["agent group", "occupancy", "paid hours / day", "on-floor hours / day",
                   "contacts answered / day"], rows)


def channels_table(document: Tree) -> str:
    days = float(document.get("open_days_measured") or 1.0) or 1.0
    names = list(document["channels"])
    spec = (("arrivals", "arrivals per open day", "count", True),
            ("offered", "offered to agents per day", "count", True),
            ("answered", "answered per day", "count", True),
            ("service_level", "service level", "pct", False),
            ("abandon_rate", "abandonment", "pct", False),
            ("asa_seconds", "average speed of answer (s)", "num", False),
            ("aht_seconds", "average handle time (s)", "num", False),
            ("within_target", "replied within target", "pct", False))
    rows = []
    for key, words, kind, per_day in spec:
        stats = [document["channels"][n].get(key) for n in names]
        if all(mean_of(s) is None for s in stats):
            continue
        rows.append([esc(words), *(stat_html(s, kind, scale=1 / days if per_day else 1.0)
                                   for s in stats)])
    return _table(["per channel", *(esc(n) for n in names)], rows)


# ---------------------------------------------------------------------------- assumptions
def _dist_text(dist: Any) -> str:
    if not isinstance(dist, dict):
        return "–" if dist is None else str(dist)
    kind = dist.get("dist", "")
    if "mean" in dist:
        extra = f", cv {dist['cv']:g}" if isinstance(dist.get("cv"), int | float) else ""
        return f"{kind} mean {float(dist['mean']):g}{extra}"
    if "value" in dist:
        return f"{kind} {dist['value']}"
    return json.dumps(dist, sort_keys=True)


def _answer_within(channel: Tree) -> str:
    if channel.get("mode") == "deferred":
        hours = channel.get("response_target_hours")
        return "no target" if hours is None else f"reply in {float(hours):g} h"
    seconds = channel.get("service_level_seconds")
    return "–" if seconds is None else f"{float(seconds):g} s"


def _agents_text(group: Tree) -> str:
    agents = group.get("agents")
    if group.get("shifts"):
        shifts = group["shifts"]
        return f"{len(shifts)} shifts, {sum(int(s.get('agents', 0)) for s in shifts)} agent-shifts"
    if isinstance(agents, list):
        return f"per interval, {min(agents)}–{max(agents)}" if agents else "none"
    return str(agents)


def key_configuration(config: Tree) -> str:
    """The assumptions a planner checks first, from the merged configuration."""
    out = []
    hours = config.get("hours", {})
    run = config.get("run", {})
    out.append(_table(["setting", "value"], [
        ["opening hours", esc(f"{hours.get('open', '?')}–{hours.get('close', '?')}, "
                              f"{', '.join(hours.get('open_days') or []) or 'every day'}")],
        ["reporting interval", esc(f"{hours.get('interval_minutes', '?')} minutes")],
        ["simulated days · warm-up", esc(f"{run.get('days')} days · {run.get('warmup_hours')} h, "
                                         f"starting on {run.get('start_day', 'mon')}")],
        ["reporting period", esc(config.get("report", {}).get("period", "?"))],
    ], text_cols=2))
    channels = config.get("channels", [])
    if channels:
        out.append("<h3>Channels</h3>")
        out.append(_table(
            ["channel", "kind", "mode", "volume per day", "answer within", "patience",
             "concurrency"],
            [[esc(c.get("name")), esc(c.get("kind")), esc(c.get("mode")),
              esc(f"{float(c.get('volume_per_day', 0)):,.0f}"),
              esc(_answer_within(c)), esc(_dist_text(c.get("patience"))),
              esc(c.get("concurrency", 1))] for c in channels], text_cols=3))
    types = config.get("contact_types", [])
    if types:
        out.append("<h3>Contact types</h3>")
        out.append(_table(["contact type", "channel", "share", "handle time (s)",
                           "after-contact work (s)"],
                          [[esc(t.get("name")), esc(t.get("channel")), esc(t.get("share")),
                            esc(_dist_text(t.get("handle_time"))),
                            esc(t.get("after_contact_work_seconds", 0))] for t in types],
                          text_cols=2))
    groups = config.get("agent_groups", [])
    if groups:
        out.append("<h3>Agent groups</h3>")
        out.append(_table(["group", "skills", "rostered", "shrinkage", "hourly wage"],
                          [[esc(g.get("name")), esc(", ".join(g.get("skills", []))),
                            esc(_agents_text(g)), esc(f"{float(g.get('shrinkage', 0)):.0%}"),
                            esc(g.get("hourly_wage"))] for g in groups], text_cols=3))
    costs = config.get("costs", {})
    if costs:
        rows = [[esc(label_of(k)), esc(v)] for k, v in costs.items()
                if v not in (None, 0, 0.0) and k != "currency"]
        out.append(f"<h3>Costs ({esc(costs.get('currency', ''))})</h3>")
        out.append(_table(["cost setting", "value"], rows, text_cols=2))
    journey = [[f'<span class="mono">{esc(k)}</span>', esc(json.dumps(v))]
               for section in ("self_service", "ivr", "callback", "repeat_contacts", "routing")
               for k, v in _flatten_config(config.get(section), section).items()
               if v not in (None, {}, [], 0, 0.0)]
    if journey:
        out.append("<h3>The journey: self-service, IVR, call-backs, repeats, routing</h3>")
        out.append(_table(["setting", "value"], journey, text_cols=2))
    targets = config.get("targets", {})
    rows = [[esc(ch), esc(label_of(k)), esc(v)] for ch, t in targets.items()
            for k, v in t.items() if v is not None]
    if rows:
        out.append("<h3>Targets (guardrails)</h3>")
        out.append(_table(["channel", "guardrail", "target"], rows, text_cols=2))
    return "".join(out)


def _flatten_config(node: Any, prefix: str = "") -> dict[str, Any]:
    """Configuration keys as dotted paths (arrays of tables by ``name``)."""
    out: dict[str, Any] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            out.update(_flatten_config(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(node, list) and node and all(isinstance(v, dict) and "name" in v
                                                  for v in node):
        for value in node:
            out.update(_flatten_config(value, f"{prefix}.{value['name']}"))
    else:
        out[prefix] = node
    return out


def config_changes(base: Tree, other: Tree, limit: int = 60) -> str:
    """What another scenario's configuration sets differently from the baseline's."""
    a = _flatten_config(base.get("provenance", {}).get("configuration", {}))
    b = _flatten_config(other.get("provenance", {}).get("configuration", {}))
    keys = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)
            and not k.startswith("scenario.")]
    if not keys:
        return '<p class="note">Same configuration as the baseline.</p>'

    def show(value: Any) -> str:
        text = json.dumps(value, sort_keys=True) if value is not None else "–"
        return esc(text if len(text) <= 80 else text[:77] + "…")

    rows = [[f'<span class="mono">{esc(k)}</span>', show(a.get(k)), show(b.get(k))]
            for k in keys[:limit]]
    more = (f'<p class="note">… and {len(keys) - limit} more (see the full configuration).</p>'
            if len(keys) > limit else "")
    return _table(["key", "baseline", "this scenario"], rows, text_cols=3) + more


def provenance_html(document: Tree, *, full: bool = True) -> str:
    prov = document.get("provenance", {})
    versions = prov.get("versions", {})
    rows = [
        ["scenario", esc(document.get("scenario"))],
        ["files", "<br>".join(f'<span class="mono">{esc(f)}</span>'
                              for f in prov.get("files", [document.get("file")]))],
        ["sha256", f'<span class="mono">{esc(prov.get("sha256", "–"))}</span>'],
        ["overrides (--set)", "<br>".join(f'<span class="mono">{esc(o)}</span>'
                                          for o in prov.get("overrides", [])) or "none"],
        ["seed · replications", esc(f"{prov.get('seed', document.get('seed'))} · "
                                    f"{prov.get('replications', document.get('replications'))}")],
        ["versions", esc(", ".join(f"{k} {v}" for k, v in versions.items()))],
    ]
    out = _table(["provenance", "value"], rows, text_cols=2)
    config = prov.get("configuration")
    if full and config:
        out += key_configuration(config)
        out += ("<details><summary>The whole merged configuration (JSON)</summary><pre>"
                + esc(json.dumps(config, indent=2)) + "</pre></details>")
    return out


def staffing_html(document: Tree) -> str:
    staffing = document.get("staffing")
    if not staffing:
        return ""
    groups = list(staffing)
    n = max(len(v) for v in staffing.values())
    starts = [row["start"] for row in document["intervals"]]
    labels = starts if len(starts) == n else [str(i) for i in range(n)]
    rows = [[esc(labels[i]), *(esc(staffing[g][i]) for g in groups)] for i in range(n)]
    return ("<h3>Rostered agents found by equal-service staffing</h3>"
            + _table(["interval", *(esc(g) for g in groups)], rows))


def uncertainty_html(document: Tree, page: Page) -> None:
    unc = document.get("uncertainty")
    if not unc:
        return
    page.section("Uncertain inputs: the range of outcomes", "uncertainty")
    p = unc.get("percentiles", [10, 90])
    page.add(f'<p class="lead">{esc(unc.get("samples"))} combinations of the uncertain inputs '
             f'({esc(unc.get("method", ""))} sampling), each run for '
             f'{esc(unc.get("replications"))} replications. The band is the '
             f'{esc(charts.ordinal(p[0]))} to {esc(charts.ordinal(p[1]))} percentile over the '
             "samples; the red diamond is the simulation's own 95 % interval at the file's "
             "values — the noise that more replications would shrink, unlike the range of the "
             "inputs.</p>")
    page.chart(charts.uncertainty_figure(document),
               f"Cost per contact over the sampled inputs, with the {charts.ordinal(p[0])}–"
               f"{charts.ordinal(p[1])} percentile band and the simulation's own 95 % interval.",
               "uncertainty")
    cur = esc(document["currency"])

    def band(b: Tree | None, kind: str) -> list[str]:
        if not b:
            return ["–"] * 4
        return [esc(_number(float(b[k]), kind)) if b.get(k) is not None else "–"
                for k in ("low", "median", "high", "mean")]

    rows = [[f"cost per contact ({cur})", *band(unc.get("cost_per_contact"), "money")],
            [f"total per {esc(document['period'])} ({cur})",
             *band(unc.get("period_total"), "big")]]
    for ch, b in unc.get("service_level", {}).items():
        rows.append([f"{esc(ch)}: service level", *band(b, "pct")])
    for ch, b in unc.get("abandon_rate", {}).items():
        rows.append([f"{esc(ch)}: abandonment", *band(b, "pct")])
    page.add(_table(["figure", f"{esc(charts.ordinal(p[0]))} percentile", "median",
                     f"{esc(charts.ordinal(p[1]))} percentile", "mean"], rows))
    page.add(_table(["uncertain input", "keys", "kind", "low", "high"],
                    [[esc(i.get("name")), "<br>".join(f'<span class="mono">{esc(k)}</span>'
                                                      for k in i.get("keys", [])),
                      esc(i.get("kind")), esc(i.get("low")), esc(i.get("high"))]
                     for i in unc.get("inputs", [])], text_cols=3))


# ---------------------------------------------------------------------------- run
def run_html(document: Tree) -> str:
    """The report of one run (``ccsim run --html``)."""
    page = Page(document["scenario"], "ccsim · scenario report", run_meta(document))
    page.section("Key figures", "key-figures")
    page.add('<div class="cards">' + scenario_card(document) + "</div>")
    page.section("Cost per contact", "cost")
    page.chart(charts.cost_per_contact_figure(run_bars(document), document["currency"],
                                              "Cost per contact, overall and by channel"),
               "Cost per contact over all handled contacts (assisted, self-served and "
               "IVR-contained), per assisted and per resolved contact, and by channel (shared "
               "costs split by agent time); whiskers are 95 % intervals.", "cost-per-contact")
    page.chart(charts.cost_breakdown_figure([(document["scenario"], document)],
                                            document["currency"]),
               "Cost per contact split by cost line (each line's cost ÷ handled contacts).",
               "cost-breakdown")
    page.add(cost_lines_table([(document["scenario"], document)]))
    page.section("Service over the day", "over-the-day")
    page.chart(charts.intervals_figure([(document["scenario"], document)]),
               "Per interval of the opening day, averaged over the simulated open days: service "
               "level and abandonment per live channel, agents on the floor (rostered × (1 − "
               "shrinkage), all groups) and their occupancy; shaded: 95 % interval.",
               "intervals")
    page.add(channels_table(document))
    page.add(agent_groups_table(document))
    page.add(staffing_html(document))
    uncertainty_html(document, page)
    page.section("Assumptions", "assumptions")
    page.add(provenance_html(document))
    return page.html()


# ---------------------------------------------------------------------------- compare
def comparison_html(document: Tree) -> str:
    """The report of ``ccsim compare``: levers against the baseline on common random numbers."""
    from simulator.report.terminal import CHANNEL_COMPARE

    base = document["baseline"]
    rows = document["scenarios"]
    cur = base["currency"]
    period = base["period"]
    page = Page(f"{base['scenario']} against {len(rows)} alternative"
                f"{'s' if len(rows) != 1 else ''}", "ccsim · comparison", [
                    *run_meta(base)[:1],
                    "Every scenario saw the same customers (common random numbers); Δ is the "
                    "paired difference from the baseline with its 95 % interval. A scenario is "
                    "held to the baseline's guardrails.",
                ])
    page.section("Key figures", "key-figures")
    cards = [scenario_card(base, role="baseline")]
    cards += [scenario_card(r["result"], difference=r["difference"], cheaper=r["cheaper"],
                            broken=r["guardrails_broken"]) for r in rows]
    page.add('<div class="cards">' + "".join(cards) + "</div>")

    page.section("Cost per contact", "cost")
    bars = [Bar(base["scenario"], base["cost"]["per_contact"], "baseline",
                tuple(broken_of(base)), kind="baseline")]
    for r in rows:
        diff = r["difference"]["cost"]["per_contact"]
        change = mean_of(diff)
        half = half_width(diff)
        note = "" if change is None else (f"Δ {charts.money(change, signed=True)}"
                                          + (f" ± {half:,.2f}" if half is not None else ""))
        bars.append(Bar(r["scenario"], r["result"]["cost"]["per_contact"], note,
                        tuple(r["guardrails_broken"])))
    page.chart(charts.cost_per_contact_figure(bars, cur, "Cost per contact by scenario"),
               "Cost per contact of each scenario with its 95 % interval; Δ is the paired "
               "difference from the baseline (its interval is narrower: the same customers). "
               "Red: breaks a guardrail of the baseline.", "cost-per-contact")
    runs = [(base["scenario"], base), *((r["scenario"], r["result"]) for r in rows)]
    page.chart(charts.cost_breakdown_figure(runs, cur),
               "Cost per contact split by cost line, one bar per scenario.", "cost-breakdown")
    page.add(cost_lines_table(runs))

    page.section("Paired differences against the baseline", "differences")
    scale = _period_scale(base)
    head = ["metric", "baseline", *(f"Δ {esc(r['scenario'])}" for r in rows)]
    table: list[list[str]] = []
    for path, words, kind in (("per_contact", f"cost per contact ({cur})", "money"),
                              ("per_assisted_contact", f"per assisted contact ({cur})", "money"),
                              ("per_resolved_contact", f"per resolved contact ({cur})", "money"),
                              ("period_total", f"total per {period} ({cur})", "big")):
        table.append([esc(words), stat_html(base["cost"].get(path), kind),
                      *(diff_cell(r["difference"]["cost"].get(path), kind, path) for r in rows)])
    days = float(base.get("open_days_measured") or 1.0) or 1.0
    for channel, figures in base["channels"].items():
        live = mean_of(figures.get("service_level")) is not None
        for key, words, kind in CHANNEL_COMPARE:
            stat = figures.get(key)
            if mean_of(stat) is None or (not live and key in LIVE_ONLY):
                continue
            per_day = 1 / days if kind == "count" else 1.0  # volumes per open day
            label = f"{channel}: {words}" + (" per open day" if kind == "count" else "")
            table.append([esc(label), stat_html(stat, kind, scale=per_day),
                          *(diff_cell(r["difference"]["channels"].get(channel, {}).get(key),
                                      kind, key, per_day) for r in rows)])
    table.extend([esc(f"{group}: occupancy"),
                  stat_html(base["agent_groups"][group]["occupancy"], "pct"),
                  *(diff_cell(r["difference"]["agent_groups"].get(group, {}).get("occupancy"),
                              "pct", "occupancy") for r in rows)]
                 for group in base["agent_groups"])
    table.append(["guardrails", esc("all met") if not broken_of(base) else
                  '<span class="bad">' + esc(", ".join(broken_of(base))) + "</span>",
                  *(("<td class=\"bad\">BREAKS " + esc(", ".join(r["guardrails_broken"]))
                     + "</td>") if r["guardrails_broken"] else '<td class="good">all met</td>'
                    for r in rows)])
    page.add(_table(head, table))
    page.add(f'<p class="note">Green: better beyond doubt (the interval excludes 0); red: worse. '
             f"Totals per {esc(period)} are scaled from the measured days "
             f"(× {scale:,.3f}).</p>")

    page.section("Service over the day", "over-the-day")
    page.chart(charts.intervals_figure(runs),
               "Per interval, averaged over the simulated open days, one line per scenario: "
               "service level and abandonment per live channel, agents on the floor and "
               "occupancy.", "intervals")

    page.section("Assumptions", "assumptions")
    page.add(f"<h3>{esc(base['scenario'])} (baseline)</h3>")
    page.add(provenance_html(base))
    for r in rows:
        page.add(f"<h3>{esc(r['scenario'])}</h3>")
        page.add(provenance_html(r["result"], full=False))
        page.add("<p><strong>What it sets differently from the baseline</strong></p>")
        page.add(config_changes(base, r["result"]))
    return page.html()


# ---------------------------------------------------------------------------- sweep
def sweep_html(file: str, rows: Sequence[Tree], axes: Sequence[Any], currency: str,
               documents: Sequence[Tree] | None = None) -> str:
    """The report of ``ccsim sweep``: the chart, a row per point, the assumptions.

    ``rows`` and ``axes`` are those of the sweep command (:func:`simulator.studies.sweep.summary_row`,
    :class:`simulator.studies.sweep.Axis`); ``documents`` are the points' run documents, in order.
    """
    keys = "; ".join(f"{a.key} = {', '.join(a.values)}" for a in axes)
    first = documents[0] if documents else None
    meta = [f"{file} · {len(rows)} points · {keys}"]
    if first is not None:
        meta.append(f"every point on seed {first['seed']}, {first['replications']} replications "
                    "(common random numbers across the grid); ± is the 95 % interval.")
    page = Page(f"Sweep of {file}", "ccsim · sweep", meta)
    page.section("Cost and service across the grid", "sweep")
    page.chart(charts.sweep_figure(rows, axes, currency),
               f"Cost per contact and service level against {axes[0].key}; whiskers are 95 % "
               "intervals, red crosses break a guardrail.", "sweep")
    service = [k for k in (rows[0] if rows else {}) if k.endswith(".service_level")
               or k.endswith(".within_target")]
    head = [*(esc(a.key) for a in axes), f"cost per contact ({esc(currency)})",
            "total per period", *(esc(k.replace(".service_level", " service level")
                                     .replace(".within_target", " within target"))
                                  for k in service), "guardrails"]
    table = []
    for row in rows:
        broken = row["guardrails_broken"]
        table.append([*(f'<span class="mono">{esc(row["point"][a.key])}</span>' for a in axes),
                      stat_html(row["cost_per_contact"], "money"),
                      stat_html(row["period_total"], "big"),
                      *(stat_html(row.get(k), "pct") for k in service),
                      ('<td class="bad">BREAKS ' + esc(", ".join(broken)) + "</td>") if broken
                      else '<td class="good">all met</td>'])
    page.add(_table(head, table, text_cols=len(axes)))
    if documents:
        varied = [a.key for a in axes if len(a.values) > 1] or [axes[0].key]
        runs = [(", ".join(f"{k.rsplit('.', 1)[-1]}={row['point'][k]}" for k in varied), d)
                for row, d in zip(rows, documents, strict=True)]
        page.section("Cost lines by point", "cost")
        page.chart(charts.cost_breakdown_figure(runs, currency),
                   "Cost per contact split by cost line, one bar per grid point.",
                   "cost-breakdown")
    page.section("Assumptions", "assumptions")
    if first is not None:
        page.add('<p class="note">The points share this file and differ only by the swept keys '
                 "(their overrides are listed with the points above).</p>")
        page.add(provenance_html(first))
    else:
        page.add(f'<p>File <span class="mono">{esc(file)}</span>.</p>')
    return page.html()


# ---------------------------------------------------------------------------- bridge
def bridge_html(document: Tree) -> str:
    """The report of ``ccsim bridge``: the waterfall from the baseline to all levers."""
    base = document["baseline"]
    cur = document["currency"]
    steps = document["steps"]
    page = Page(f"Lever bridge: {base['scenario']}", "ccsim · lever bridge", [
        f"{base['file']} · {len(steps)} levers applied in turn · {document['replications']} "
        f"replications (seed {document['seed']}) on common random numbers",
        "Each step is the paired change when a lever is added to those before it; 'alone' is "
        "the lever on its own against the baseline. ± is the 95 % interval.",
    ])
    page.section("The walk", "key-figures")
    overlap = mean_of(document.get("overlap"))
    overlap_words = ("together the levers save less than the sum of their separate savings"
                     if overlap is not None and overlap > 0 else
                     "together the levers save at least the sum of their separate savings")
    cards = [
        ("Baseline cost per contact", stat_html(document["start"], "money"), ""),
        ("All levers together", stat_html(document["end"], "money"), ""),
        ("Total change (paired)", stat_html(document["total_change"], "money", signed=True), ""),
        ("Sum of the levers alone", stat_html(document.get("sum_alone"), "money", signed=True),
         ""),
        ("Overlap", stat_html(document.get("overlap"), "money", signed=True), overlap_words),
    ]
    page.add('<div class="cards">' + "".join(
        f'<article class="card"><div class="kpi"><span class="label">{esc(t)} ({esc(cur)})'
        f'</span><span class="value small">{v}</span></div>'
        + (f'<p class="note">{esc(n)}</p>' if n else "") + "</article>"
        for t, v, n in cards) + "</div>")
    page.chart(charts.waterfall_figure(document),
               "From the baseline's cost per contact to all levers together, one lever at a "
               "time: green bars lower cost, red raise it; whiskers are the paired 95 % interval "
               "of each step. 'alone' is what the lever is worth by itself; the dashed line is "
               "where the separate savings would have added up to.", "waterfall")
    table = []
    for step in steps:
        broken = step.get("guardrails_broken") or []
        table.append([esc(step["lever"]), f'<span class="mono">{esc(step["file"])}</span>',
                      stat_html(step["cost_per_contact"], "money"),
                      diff_cell(step["change"], "money", "per_contact"),
                      diff_cell(step.get("alone"), "money", "per_contact"),
                      ('<td class="bad">BREAKS ' + esc(", ".join(broken)) + "</td>") if broken
                      else '<td class="good">all met</td>'])
    page.add(_table(["lever (in order)", "file", f"cost per contact after ({esc(cur)})",
                     "change at this step", "alone, against the baseline", "guardrails"],
                    table, text_cols=2))
    conflicts = document.get("conflicts") or []
    if conflicts:
        page.add("<h3>Keys set by more than one lever</h3>")
        page.add('<p class="note">These levers set the same key, so the order of the steps '
                 "matters for them.</p>")
        page.add(_table(["key", "levers"],
                        [[f'<span class="mono">{esc(c["key"])}</span>',
                          esc(", ".join(c["levers"]))] for c in conflicts], text_cols=2))
    results = document.get("results") or []
    if results:
        runs = [("baseline", base), *((f"+ {s['lever']}", d)
                                      for s, d in zip(steps, results, strict=False))]
        page.section("Cost lines after each step", "cost")
        page.chart(charts.cost_breakdown_figure(runs, cur),
                   "Cost per contact split by cost line: the baseline, then the levers added one "
                   "by one.", "cost-breakdown")
        page.add(cost_lines_table(runs))
    page.section("Assumptions", "assumptions")
    page.add(f"<h3>{esc(base['scenario'])} (baseline)</h3>")
    page.add(provenance_html(base))
    for step, result in zip(steps, results, strict=False):
        page.add(f"<h3>After adding {esc(step['lever'])}</h3>")
        page.add(provenance_html(result, full=False))
        page.add(config_changes(base, result))
    return page.html()


# ---------------------------------------------------------------------------- sensitivity
def _input_end(item: Tree, side: str) -> str:
    value = item.get(side)
    if value is None:
        return "–"
    return esc(charts.input_value_label(item["kind"], float(value)))


def sensitivity_html(document: Tree) -> str:
    """The report of ``ccsim sensitivity``: the tornado and its table."""
    cur = document["currency"]
    page = Page(f"Sensitivity: {document['scenario']}", "ccsim · sensitivity", [
        f"{document['file']} · {len(document['inputs'])} uncertain inputs, each moved to its low "
        f"and high end alone · {document['replications']} replications (seed "
        f"{document['seed']}) on common random numbers",
        "The change at each end is paired with the run at the file's values; ± is the 95 % "
        "interval.",
    ])
    page.section("Which inputs matter", "key-figures")
    page.add('<div class="cards"><article class="card"><div class="kpi"><span class="label">'
             f"Cost per contact at the file's values ({esc(cur)})</span><span class=\"value\">"
             f'{stat_html(document["base"], "money")}</span></div></article></div>')
    page.chart(charts.tornado_figure(document),
               "Each input moved to its low and high end, the others at the file's values; the "
               "largest swing on top. Labels: the input's value and the cost per contact there.",
               "tornado")
    table = []
    for item in document["inputs"]:
        lows = item.get("guardrails_broken_low") or []
        highs = item.get("guardrails_broken_high") or []
        broken = [*(f"low: {g}" for g in lows), *(f"high: {g}" for g in highs)]
        base = item.get("base")
        table.append([esc(item["name"]),
                      "<br>".join(f'<span class="mono">{esc(k)}</span>'
                                  for k in item.get("keys", [])),
                      _input_end(item, "low"), _input_end(item, "high"),
                      "–" if base is None else esc(f"{float(base):g}"),
                      stat_html(item["at_low"], "money"), stat_html(item["at_high"], "money"),
                      stat_html(item.get("swing"), "money"),
                      ('<td class="bad">BREAKS ' + esc(", ".join(broken)) + "</td>") if broken
                      else '<td class="good">all met</td>'])
    page.add(_table(["input", "keys", "low", "high", "file's value",
                     f"cost per contact at low ({esc(cur)})", "at high", "swing", "guardrails"],
                    table, text_cols=2))
    page.section("Assumptions", "assumptions")
    page.add(_table(["setting", "value"], [
        ["file", f'<span class="mono">{esc(document["file"])}</span>'],
        ["scenario", esc(document["scenario"])],
        ["seed · replications", esc(f"{document['seed']} · {document['replications']}")],
        ["currency", esc(cur)],
    ], text_cols=2))
    return page.html()


__all__ = ["bridge_html", "comparison_html", "run_html", "sensitivity_html", "sweep_html"]
