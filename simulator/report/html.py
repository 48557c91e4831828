"""One self-contained HTML page per result, for a workshop around a projector (``--html``).

The page holds everything it shows: charts as inline SVG (text drawn as paths, so no font is
needed), the stylesheet inline, no JavaScript, nothing fetched from a network. It carries no
timestamp: the same document gives the same bytes.

The page is drawn by the Jinja2 templates in ``simulator/report/templates/`` (``base.html``, the
layout and stylesheet; ``macros.html``, a scenario card, a chart, a table, the assumptions; one
page per report). This module turns a document into what they show — plain view data, every
number already formatted by :mod:`simulator.report.format` — and renders them. The templates
escape every value (scenario names, files, keys, lever names are user text); only the charts'
SVG, which is ours, goes in as is.

Sections: a card per scenario (cost per contact with its 95 % interval, total per period,
service level and abandonment per channel, guardrails met or broken), the charts of
:mod:`simulator.report.charts`, the tables behind them, and the assumptions (provenance and the
key configuration) at the end.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2

from simulator.costs import CATEGORIES
from simulator.report import charts
from simulator.report import format as fmt
from simulator.report.charts import Bar, broken_of, contacts_of, half_width, label_of, mean_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Tree = dict[str, Any]


# ---------------------------------------------------------------------------- view data
@dataclass(frozen=True)
class Estimate:
    """A statistic as the page shows it: its value and the half-width of its 95 % interval."""

    value: str
    half: str | None = None


@dataclass(frozen=True)
class Code:
    """Code-like text (files, keys, hashes) in monospace, one line each."""

    lines: tuple[str, ...]


Content = str | Estimate | Code


@dataclass(frozen=True)
class Cell:
    """One table cell."""

    content: Content = ""
    css: str = ""  # the cell's own class ("good", "bad") in place of its column's
    strong: bool = False
    alert: bool = False  # the content in red
    note: str = ""  # a muted line under the content


@dataclass(frozen=True)
class Table:
    """A table; its first ``text_cols`` columns hold words (left-aligned)."""

    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    css: str = ""
    text_cols: int = 1


@dataclass(frozen=True)
class Chart:
    """A figure as inline SVG: the ``<svg>`` element's attributes and what it holds."""

    name: str
    attributes: str
    inner: str


@dataclass(frozen=True)
class Badge:
    kind: str  # "good", "bad" or "plain"
    text: str


@dataclass(frozen=True)
class Guardrail:
    met: bool
    text: str


@dataclass(frozen=True)
class Change:
    """A scenario's paired change against the baseline."""

    per_contact: Estimate
    period_total: Estimate


@dataclass(frozen=True)
class Card:
    """The key figures of one scenario."""

    title: str
    file: str
    classes: str
    badges: tuple[Badge, ...]
    currency: str
    period: str
    per_contact: Estimate
    period_total: Estimate
    change: Change | None
    channels: Table | None
    guardrails: tuple[Guardrail, ...]


@dataclass(frozen=True)
class Kpi:
    """One figure on a card of its own."""

    label: str
    value: Estimate
    note: str = ""


@dataclass(frozen=True)
class Block:
    """A table under a heading (none when empty)."""

    heading: str
    table: Table


@dataclass(frozen=True)
class Provenance:
    """Where a result came from; with the key configuration and the whole of it when full."""

    table: Table
    configuration: tuple[Block, ...]
    json: str | None


@dataclass(frozen=True)
class Changes:
    """What a scenario sets differently from the baseline (no table: nothing)."""

    table: Table | None
    more: int


@dataclass(frozen=True)
class Entry:
    """One scenario in the assumptions."""

    heading: str
    provenance: Provenance
    changes: Changes | None = None


@dataclass(frozen=True)
class Uncertainty:
    """The range of outcomes over the uncertain inputs."""

    samples: str
    method: str
    replications: str
    low: str  # the percentiles, as ordinals
    high: str
    bands: Table
    inputs: Table


def table(head: Iterable[str], rows: Iterable[Iterable[Any]], css: str = "",
          text_cols: int = 1) -> Table:
    """A table from cells, estimates, code or anything else shown as its text."""
    return Table(tuple(head), tuple(tuple(_cell(value) for value in row) for row in rows), css,
                 text_cols)


def _cell(value: Any) -> Cell:
    if isinstance(value, Cell):
        return value
    if isinstance(value, Estimate | Code):
        return Cell(value)
    return Cell(str(value))


def code(values: Iterable[Any]) -> Code:
    return Code(tuple(str(v) for v in values))


def guardrail_cell(broken: Sequence[str], prefix: str = "BREAKS ") -> Cell:
    return Cell(prefix + ", ".join(broken), css="bad") if broken else Cell("all met", css="good")


# ---------------------------------------------------------------------------- rendering
def _is_estimate(value: Any) -> bool:
    return isinstance(value, Estimate)


def _is_code(value: Any) -> bool:
    return isinstance(value, Code)


@cache
def environment() -> jinja2.Environment:
    """The templates of ``simulator/report/templates``, escaping every value."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("simulator.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.tests["estimate"] = _is_estimate
    env.tests["code"] = _is_code
    return env


def render(template: str, title: str, kicker: str, meta: Sequence[str], **view: Any) -> str:
    """A page template filled with its view data."""
    return environment().get_template(template).render(title=title, kicker=kicker,
                                                       meta=list(meta), **view)


class Charts:
    """The page's charts in the order they are drawn, numbered so their SVG ids stay unique."""

    def __init__(self) -> None:
        self.count = 0

    def svg(self, fig: Figure, name: str) -> Chart:
        self.count += 1
        return _inline_svg(charts.to_svg(fig), f"c{self.count}-", name)


def _inline_svg(svg: str, prefix: str, name: str) -> Chart:
    """Matplotlib's SVG made fit to sit inside HTML: no XML prologue or metadata, every id
    prefixed (several charts share a page); the template adds an accessible name."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m[1]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m[1]})", svg)
    svg = svg.strip()
    opening = svg.index(">")
    if not svg.endswith("</svg>"):
        raise ValueError("matplotlib's SVG does not end with </svg>")
    return Chart(name, svg[len("<svg "):opening], svg[opening + 1:-len("</svg>")])


# ---------------------------------------------------------------------------- figures
def estimate(stat: Tree | None, kind: fmt.Kind, signed: bool = False,
             scale: float = 1.0) -> Estimate:
    """A statistic as ``value ± half-width`` (:func:`simulator.report.format.estimate_parts`),
    or an en dash."""
    mean, half = mean_of(stat), half_width(stat)
    return Estimate(*fmt.estimate_parts(None if mean is None else mean * scale,
                                        None if half is None else half * scale, kind,
                                        signed=signed))


#: for coloured differences: +1 when a rise is good, -1 when a fall is good, 0 neutral
DIRECTION = {"service_level": 1, "within_target": 1, "abandon_rate": -1, "asa_seconds": -1,
             "aht_seconds": -1, "per_contact": -1, "per_assisted_contact": -1,
             "per_resolved_contact": -1, "period_total": -1, "total": -1}


#: the kinds of figure the terminal's tables name (terminal.CHANNEL_COMPARE)
TERMINAL_KINDS: dict[str, fmt.Kind] = {"money": "money", "pct": "pct", "count": "count",
                                       "num": "num"}


#: figures of a live queue, meaningless for a backlog (deferred work)
LIVE_ONLY = {"service_level", "abandon_rate", "asa_seconds"}


def diff_cell(stat: Tree | None, kind: fmt.Kind, key: str, scale: float = 1.0) -> Cell:
    """A paired difference; coloured when its interval excludes zero."""
    css = ""
    if stat is not None and stat.get("ci_low") is not None and stat.get("ci_high") is not None:
        low, high = float(stat["ci_low"]), float(stat["ci_high"])
        direction = DIRECTION.get(key, 0)
        if direction and (low > 0 or high < 0):
            css = "good" if (low > 0) == (direction > 0) else "bad"
    return Cell(estimate(stat, kind, signed=True, scale=scale), css=css)


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
        goal, got = fmt.percent(target, None), fmt.percent(value)
    else:
        goal, got = fmt.seconds(target, None, unit=True), fmt.seconds(value, unit=True)
    return f"{channel}: {words} {sense} {goal} — reached {got}"


def guardrails(document: Tree) -> tuple[Guardrail, ...]:
    return tuple(Guardrail(bool(check["met"]), guardrail_text(channel, name, check))
                 for channel, checks in document.get("targets", {}).items()
                 for name, check in checks.items())


# ---------------------------------------------------------------------------- building blocks
def _period_scale(document: Tree) -> float:
    total, period = mean_of(document["cost"]["total"]), mean_of(document["cost"]["period_total"])
    return period / total if total and period is not None else 0.0


def run_meta(document: Tree) -> list[str]:
    return [
        f"{document['file']} · {document['replications']} replications × "
        f"{fmt.number(document['simulated_days'], None)} days (seed {document['seed']}) · "
        f"warm-up {fmt.hours(document.get('warmup_hours', 0), None, unit=True)} · "
        f"ccsim {document['version']}",
        "Volumes and hours per open day; ± is the half-width of the 95 % interval.",
    ]


def scenario_card(document: Tree, title: str | None = None, *, role: str = "",
                  difference: Tree | None = None, cheaper: bool | None = None,
                  broken: Sequence[str] | None = None) -> Card:
    """Key figures of one scenario: cost per contact, total per period, service per channel,
    guardrails (broken ones in red)."""
    cost = document["cost"]
    broken = list(broken if broken is not None else broken_of(document))
    classes = "card" + (" baseline" if role == "baseline" else "") + (" broken" if broken else "")
    badges = []
    if role == "baseline":
        badges.append(Badge("plain", "baseline"))
    if cheaper:
        badges.append(Badge("good", "cheaper, guardrails kept"))
    if broken:
        badges.append(Badge("bad", f"breaks {len(broken)} guardrail{'s' if len(broken) > 1 else ''}"))
    change = None
    if difference is not None:
        dc = difference["cost"]
        change = Change(estimate(dc["per_contact"], "money", signed=True),
                        estimate(dc["period_total"], "whole", signed=True))
    rows: list[list[Any]] = []
    for name, ch in document["channels"].items():
        if mean_of(ch.get("service_level")) is not None:
            rows.append([name, estimate(ch["service_level"], "pct"),
                         estimate(ch.get("abandon_rate"), "pct")])
        elif "within_target" in ch:
            rows.append([Cell(name, note="replied in time"), estimate(ch["within_target"], "pct"),
                         "–"])
    return Card(
        title=str(title or document["scenario"]), file=str(document["file"]), classes=classes,
        badges=tuple(badges), currency=str(document["currency"]), period=str(document["period"]),
        per_contact=estimate(cost["per_contact"], "money"),
        period_total=estimate(cost["period_total"], "whole"), change=change,
        channels=table(["channel", "service level", "abandonment"], rows, "mini") if rows else None,
        guardrails=guardrails(document))


def cost_lines_table(runs: Sequence[tuple[str, Tree]]) -> Table:
    """Cost lines per contact (and, for one scenario, per period with their share)."""
    currency = runs[0][1]["currency"]
    if len(runs) == 1:
        document = runs[0][1]
        total = mean_of(document["cost"]["total"]) or 0.0
        scale = _period_scale(document)
        contacts = contacts_of(document)
        rows: list[list[Any]] = []
        for category in CATEGORIES:
            value = mean_of(document["cost"]["by_category"].get(category)) or 0.0
            if value == 0:
                continue
            rows.append([label_of(category), fmt.money_whole(value * scale),
                         fmt.percent(value / total) if total else "–",
                         fmt.money_cents(value / contacts) if contacts else "–"])
        rows.append([Cell("total", strong=True), Cell(fmt.money_whole(total * scale), strong=True),
                     fmt.percent(1.0, 0) if total else "–",
                     Cell(estimate(document["cost"]["per_contact"], "money"), strong=True)])
        for key, words in (("per_assisted_contact", "per assisted contact"),
                           ("per_resolved_contact", "per resolved contact"),
                           ("per_call", "per voice call answered")):
            rows.append([words, "", "", estimate(document["cost"].get(key), "money")])
        return table(["cost line", f"per {document['period']} ({currency})", "share",
                      f"per contact ({currency})"], rows)
    per_contact = []
    for _, document in runs:
        contacts = contacts_of(document)
        per_contact.append({c: (mean_of(document["cost"]["by_category"].get(c)) or 0.0)
                            / contacts if contacts else 0.0 for c in CATEGORIES})
    rows = [[label_of(c), *(fmt.money_cents(p[c]) for p in per_contact)]
            for c in CATEGORIES if any(p[c] for p in per_contact)]
    rows.append([Cell("total per contact", strong=True),
                 *(Cell(estimate(d["cost"]["per_contact"], "money"), strong=True)
                   for _, d in runs)])
    rows.append([f"total per {runs[0][1]['period']}",
                 *(estimate(d["cost"]["period_total"], "whole") for _, d in runs)])
    return table([f"cost line ({currency} per contact)", *(n for n, _ in runs)], rows)


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


def agent_groups_table(document: Tree) -> Table:
    days = float(document.get("open_days_measured") or 1.0) or 1.0
    rows = [[name, estimate(g["occupancy"], "pct"),
             estimate(g["paid_hours"], "num", scale=1 / days),
             estimate(g["on_floor_hours"], "num", scale=1 / days),
             estimate(g.get("answered"), "count", scale=1 / days)]
            for name, g in document["agent_groups"].items()]
    return table(["agent group", "occupancy", "paid hours / day", "on-floor hours / day",
                  "contacts answered / day"], rows)


def channels_table(document: Tree) -> Table:
    days = float(document.get("open_days_measured") or 1.0) or 1.0
    names = list(document["channels"])
    spec: tuple[tuple[str, str, fmt.Kind, bool], ...] = (
            ("arrivals", "arrivals per open day", "count", True),
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
        rows.append([words, *(estimate(s, kind, scale=1 / days if per_day else 1.0)
                              for s in stats)])
    return table(["per channel", *names], rows)


# ---------------------------------------------------------------------------- assumptions
def _dist_text(dist: Any) -> str:
    if not isinstance(dist, dict):
        return "–" if dist is None else str(dist)
    kind = dist.get("dist", "")
    if "mean" in dist:
        extra = f", cv {fmt.number(dist['cv'], None)}" if isinstance(dist.get("cv"), int | float) \
            else ""
        return f"{kind} mean {fmt.number(dist['mean'], None)}{extra}"
    if "value" in dist:
        return f"{kind} {dist['value']}"
    return json.dumps(dist, sort_keys=True)


def _answer_within(channel: Tree) -> str:
    if channel.get("mode") == "deferred":
        hours = channel.get("response_target_hours")
        return "no target" if hours is None else f"reply in {fmt.hours(hours, None, unit=True)}"
    return fmt.seconds(channel.get("service_level_seconds"), None, unit=True)


def _agents_text(group: Tree) -> str:
    agents = group.get("agents")
    if group.get("shifts"):
        shifts = group["shifts"]
        return f"{len(shifts)} shifts, {sum(int(s.get('agents', 0)) for s in shifts)} agent-shifts"
    if isinstance(agents, list):
        return f"per interval, {min(agents)}–{max(agents)}" if agents else "none"
    return str(agents)


def key_configuration(config: Tree) -> tuple[Block, ...]:
    """The assumptions a planner checks first, from the merged configuration."""
    hours = config.get("hours", {})
    run = config.get("run", {})
    out = [Block("", table(["setting", "value"], [
        ["opening hours", f"{hours.get('open', '?')}–{hours.get('close', '?')}, "
                          f"{', '.join(hours.get('open_days') or []) or 'every day'}"],
        ["reporting interval", f"{hours.get('interval_minutes', '?')} minutes"],
        ["simulated days · warm-up", f"{run.get('days')} days · {run.get('warmup_hours')} h, "
                                     f"starting on {run.get('start_day', 'mon')}"],
        ["reporting period", config.get("report", {}).get("period", "?")],
    ], text_cols=2))]
    channels = config.get("channels", [])
    if channels:
        out.append(Block("Channels", table(
            ["channel", "kind", "mode", "volume per day", "answer within", "patience",
             "concurrency"],
            [[c.get("name"), c.get("kind"), c.get("mode"),
              fmt.count(c.get("volume_per_day", 0)),
              _answer_within(c), _dist_text(c.get("patience")),
              c.get("concurrency", 1)] for c in channels], text_cols=3)))
    types = config.get("contact_types", [])
    if types:
        out.append(Block("Contact types", table(
            ["contact type", "channel", "share", "handle time (s)", "after-contact work (s)"],
            [[t.get("name"), t.get("channel"), t.get("share"), _dist_text(t.get("handle_time")),
              t.get("after_contact_work_seconds", 0)] for t in types], text_cols=2)))
    groups = config.get("agent_groups", [])
    if groups:
        out.append(Block("Agent groups", table(
            ["group", "skills", "rostered", "shrinkage", "hourly wage"],
            [[g.get("name"), ", ".join(g.get("skills", [])), _agents_text(g),
              fmt.percent(g.get("shrinkage", 0), 0), g.get("hourly_wage")] for g in groups],
            text_cols=3)))
    costs = config.get("costs", {})
    if costs:
        rows = [[label_of(k), v] for k, v in costs.items()
                if v not in (None, 0, 0.0) and k != "currency"]
        out.append(Block(f"Costs ({costs.get('currency', '')})",
                         table(["cost setting", "value"], rows, text_cols=2)))
    journey = [[code([k]), json.dumps(v)]
               for section in ("self_service", "ivr", "callback", "repeat_contacts", "routing")
               for k, v in _flatten_config(config.get(section), section).items()
               if v not in (None, {}, [], 0, 0.0)]
    if journey:
        out.append(Block("The journey: self-service, IVR, call-backs, repeats, routing",
                         table(["setting", "value"], journey, text_cols=2)))
    targets = config.get("targets", {})
    rows = [[ch, label_of(k), v] for ch, t in targets.items() for k, v in t.items()
            if v is not None]
    if rows:
        out.append(Block("Targets (guardrails)",
                         table(["channel", "guardrail", "target"], rows, text_cols=2)))
    return tuple(out)


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


def config_changes(base: Tree, other: Tree, limit: int = 60) -> Changes:
    """What another scenario's configuration sets differently from the baseline's."""
    a = _flatten_config(base.get("provenance", {}).get("configuration", {}))
    b = _flatten_config(other.get("provenance", {}).get("configuration", {}))
    keys = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)
            and not k.startswith("scenario.")]
    if not keys:
        return Changes(None, 0)

    def show(value: Any) -> str:
        text = json.dumps(value, sort_keys=True) if value is not None else "–"
        return text if len(text) <= 80 else text[:77] + "…"

    rows = [[code([k]), show(a.get(k)), show(b.get(k))] for k in keys[:limit]]
    return Changes(table(["key", "baseline", "this scenario"], rows, text_cols=3),
                   max(len(keys) - limit, 0))


def provenance(document: Tree, *, full: bool = True) -> Provenance:
    prov = document.get("provenance", {})
    versions = prov.get("versions", {})
    overrides = prov.get("overrides", [])
    rows: list[list[Any]] = [
        ["scenario", document.get("scenario")],
        ["files", code(prov.get("files", [document.get("file")]))],
        ["sha256", code([prov.get("sha256", "–")])],
        ["overrides (--set)", code(overrides) if overrides else "none"],
        ["seed · replications", f"{prov.get('seed', document.get('seed'))} · "
                                f"{prov.get('replications', document.get('replications'))}"],
        ["versions", ", ".join(f"{k} {v}" for k, v in versions.items())],
    ]
    config = prov.get("configuration")
    show = bool(full and config)
    return Provenance(table(["provenance", "value"], rows, text_cols=2),
                      key_configuration(config) if show else (),
                      json.dumps(config, indent=2) if show else None)


def staffing_table(document: Tree) -> Table | None:
    staffing = document.get("staffing")
    if not staffing:
        return None
    groups = list(staffing)
    n = max(len(v) for v in staffing.values())
    starts = [row["start"] for row in document["intervals"]]
    labels = starts if len(starts) == n else [str(i) for i in range(n)]
    rows = [[labels[i], *(staffing[g][i] for g in groups)] for i in range(n)]
    return table(["interval", *groups], rows)


def uncertainty(document: Tree) -> Uncertainty | None:
    unc = document.get("uncertainty")
    if not unc:
        return None
    p = unc.get("percentiles", [10, 90])
    cur = document["currency"]

    def band(b: Tree | None, kind: fmt.Kind) -> list[str]:
        return [fmt.value_text((b or {}).get(k), kind) for k in ("low", "median", "high", "mean")]

    rows = [[f"cost per contact ({cur})", *band(unc.get("cost_per_contact"), "money")],
            [f"total per {document['period']} ({cur})", *band(unc.get("period_total"), "whole")]]
    rows.extend([f"{ch}: service level", *band(b, "pct")]
                for ch, b in unc.get("service_level", {}).items())
    rows.extend([f"{ch}: abandonment", *band(b, "pct")]
                for ch, b in unc.get("abandon_rate", {}).items())
    low, high = fmt.ordinal(p[0]), fmt.ordinal(p[1])
    return Uncertainty(
        samples=str(unc.get("samples")), method=str(unc.get("method", "")),
        replications=str(unc.get("replications")), low=low, high=high,
        bands=table(["figure", f"{low} percentile", "median", f"{high} percentile", "mean"],
                    rows),
        inputs=table(["uncertain input", "keys", "kind", "low", "high"],
                     [[i.get("name"), code(i.get("keys", [])), i.get("kind"), i.get("low"),
                       i.get("high")] for i in unc.get("inputs", [])], text_cols=3))


# ---------------------------------------------------------------------------- run
def run_html(document: Tree) -> str:
    """The report of one run (``ccsim run --html``)."""
    figures = Charts()
    name, currency = document["scenario"], document["currency"]
    chart_views = {
        "cost_per_contact": figures.svg(charts.cost_per_contact_figure(
            run_bars(document), currency, "Cost per contact, overall and by channel"),
            "cost-per-contact"),
        "cost_breakdown": figures.svg(charts.cost_breakdown_figure([(name, document)], currency),
                                      "cost-breakdown"),
        "intervals": figures.svg(charts.intervals_figure([(name, document)]), "intervals"),
    }
    spread = uncertainty(document)
    if spread is not None:
        chart_views["uncertainty"] = figures.svg(charts.uncertainty_figure(document),
                                                 "uncertainty")
    return render("run.html", name, "ccsim · scenario report", run_meta(document),
                  card=scenario_card(document), charts=chart_views,
                  cost_lines=cost_lines_table([(name, document)]),
                  channels=channels_table(document), agent_groups=agent_groups_table(document),
                  staffing=staffing_table(document), uncertainty=spread,
                  provenance=provenance(document))


# ---------------------------------------------------------------------------- compare
def comparison_html(document: Tree) -> str:
    """The report of ``ccsim compare``: levers against the baseline on common random numbers."""
    from simulator.report.terminal import CHANNEL_COMPARE

    base = document["baseline"]
    rows = document["scenarios"]
    cur = base["currency"]
    period = base["period"]
    figures = Charts()
    cards = [scenario_card(base, role="baseline")]
    cards += [scenario_card(r["result"], difference=r["difference"], cheaper=r["cheaper"],
                            broken=r["guardrails_broken"]) for r in rows]

    bars = [Bar(base["scenario"], base["cost"]["per_contact"], "baseline",
                tuple(broken_of(base)), kind="baseline")]
    for r in rows:
        diff = r["difference"]["cost"]["per_contact"]
        change = mean_of(diff)
        note = "" if change is None else f"Δ {fmt.difference(change, half_width(diff), 'money')}"
        bars.append(Bar(r["scenario"], r["result"]["cost"]["per_contact"], note,
                        tuple(r["guardrails_broken"])))
    runs = [(base["scenario"], base), *((r["scenario"], r["result"]) for r in rows)]
    chart_views = {
        "cost_per_contact": figures.svg(
            charts.cost_per_contact_figure(bars, cur, "Cost per contact by scenario"),
            "cost-per-contact"),
        "cost_breakdown": figures.svg(charts.cost_breakdown_figure(runs, cur), "cost-breakdown"),
    }

    head = ["metric", "baseline", *(f"Δ {r['scenario']}" for r in rows)]
    differences: list[list[Any]] = []
    costs: tuple[tuple[str, str, fmt.Kind], ...] = (
        ("per_contact", f"cost per contact ({cur})", "money"),
        ("per_assisted_contact", f"per assisted contact ({cur})", "money"),
        ("per_resolved_contact", f"per resolved contact ({cur})", "money"),
        ("period_total", f"total per {period} ({cur})", "whole"))
    for path, words, kind in costs:
        differences.append([words, estimate(base["cost"].get(path), kind),
                            *(diff_cell(r["difference"]["cost"].get(path), kind, path)
                              for r in rows)])
    days = float(base.get("open_days_measured") or 1.0) or 1.0
    for channel, figures_of in base["channels"].items():
        live = mean_of(figures_of.get("service_level")) is not None
        for key, words, name in CHANNEL_COMPARE:
            kind = TERMINAL_KINDS[name]
            stat = figures_of.get(key)
            if mean_of(stat) is None or (not live and key in LIVE_ONLY):
                continue
            per_day = 1 / days if kind == "count" else 1.0  # volumes per open day
            label = f"{channel}: {words}" + (" per open day" if kind == "count" else "")
            differences.append([label, estimate(stat, kind, scale=per_day),
                                *(diff_cell(r["difference"]["channels"].get(channel, {}).get(key),
                                            kind, key, per_day) for r in rows)])
    differences.extend([f"{group}: occupancy",
                        estimate(base["agent_groups"][group]["occupancy"], "pct"),
                        *(diff_cell(r["difference"]["agent_groups"].get(group, {})
                                    .get("occupancy"), "pct", "occupancy") for r in rows)]
                       for group in base["agent_groups"])
    base_broken = broken_of(base)
    differences.append(["guardrails",
                        Cell(", ".join(base_broken), alert=True) if base_broken else "all met",
                        *(guardrail_cell(r["guardrails_broken"]) for r in rows)])
    chart_views["intervals"] = figures.svg(charts.intervals_figure(runs), "intervals")

    assumptions = [Entry(f"{base['scenario']} (baseline)", provenance(base))]
    assumptions += [Entry(str(r["scenario"]), provenance(r["result"], full=False),
                          config_changes(base, r["result"])) for r in rows]
    title = f"{base['scenario']} against {len(rows)} alternative{'s' if len(rows) != 1 else ''}"
    meta = [*run_meta(base)[:1],
            "Every scenario saw the same customers (common random numbers); Δ is the paired "
            "difference from the baseline with its 95 % interval. A scenario is held to the "
            "baseline's guardrails."]
    return render("compare.html", title, "ccsim · comparison", meta, cards=cards,
                  charts=chart_views, cost_lines=cost_lines_table(runs),
                  differences=table(head, differences), period=period,
                  scale=fmt.number(_period_scale(base), 3), assumptions=assumptions)


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
    figures = Charts()
    chart_views = {"sweep": figures.svg(charts.sweep_figure(rows, axes, currency), "sweep")}
    service = [k for k in (rows[0] if rows else {}) if k.endswith(".service_level")
               or k.endswith(".within_target")]
    head = [*(a.key for a in axes), f"cost per contact ({currency})", "total per period",
            *(k.replace(".service_level", " service level").replace(".within_target",
                                                                     " within target")
              for k in service), "guardrails"]
    points = [[*(code([row["point"][a.key]]) for a in axes),
               estimate(row["cost_per_contact"], "money"), estimate(row["period_total"], "whole"),
               *(estimate(row.get(k), "pct") for k in service),
               guardrail_cell(row["guardrails_broken"])] for row in rows]
    if documents:
        varied = [a.key for a in axes if len(a.values) > 1] or [axes[0].key]
        runs = [(", ".join(f"{k.rsplit('.', 1)[-1]}={row['point'][k]}" for k in varied), d)
                for row, d in zip(rows, documents, strict=True)]
        chart_views["cost_breakdown"] = figures.svg(charts.cost_breakdown_figure(runs, currency),
                                                    "cost-breakdown")
    return render("sweep.html", f"Sweep of {file}", "ccsim · sweep", meta, charts=chart_views,
                  first_key=axes[0].key, points=table(head, points, text_cols=len(axes)),
                  provenance=None if first is None else provenance(first), file=file)


# ---------------------------------------------------------------------------- bridge
def bridge_html(document: Tree) -> str:
    """The report of ``ccsim bridge``: the waterfall from the baseline to all levers."""
    base = document["baseline"]
    cur = document["currency"]
    steps = document["steps"]
    figures = Charts()
    overlap = mean_of(document.get("overlap"))
    overlap_words = ("together the levers save less than the sum of their separate savings"
                     if overlap is not None and overlap > 0 else
                     "together the levers save at least the sum of their separate savings")
    walk = [
        Kpi(f"Baseline cost per contact ({cur})", estimate(document["start"], "money")),
        Kpi(f"All levers together ({cur})", estimate(document["end"], "money")),
        Kpi(f"Total change (paired) ({cur})",
            estimate(document["total_change"], "money", signed=True)),
        Kpi(f"Sum of the levers alone ({cur})",
            estimate(document.get("sum_alone"), "money", signed=True)),
        Kpi(f"Overlap ({cur})", estimate(document.get("overlap"), "money", signed=True),
            overlap_words),
    ]
    chart_views = {"waterfall": figures.svg(charts.waterfall_figure(document), "waterfall")}
    step_rows = [[step["lever"], code([step["file"]]),
                  estimate(step["cost_per_contact"], "money"),
                  diff_cell(step["change"], "money", "per_contact"),
                  diff_cell(step.get("alone"), "money", "per_contact"),
                  guardrail_cell(step.get("guardrails_broken") or [])] for step in steps]
    conflicts = document.get("conflicts") or []
    results = document.get("results") or []
    runs = [("baseline", base), *((f"+ {s['lever']}", d)
                                  for s, d in zip(steps, results, strict=False))]
    if results:
        chart_views["cost_breakdown"] = figures.svg(charts.cost_breakdown_figure(runs, cur),
                                                    "cost-breakdown")
    assumptions = [Entry(f"{base['scenario']} (baseline)", provenance(base))]
    assumptions += [Entry(f"After adding {step['lever']}", provenance(result, full=False),
                          config_changes(base, result))
                    for step, result in zip(steps, results, strict=False)]
    meta = [f"{base['file']} · {len(steps)} levers applied in turn · {document['replications']} "
            f"replications (seed {document['seed']}) on common random numbers",
            "Each step is the paired change when a lever is added to those before it; 'alone' "
            "is the lever on its own against the baseline. ± is the 95 % interval."]
    return render(
        "bridge.html", f"Lever bridge: {base['scenario']}", "ccsim · lever bridge", meta,
        walk=walk, charts=chart_views,
        steps=table(["lever (in order)", "file", f"cost per contact after ({cur})",
                     "change at this step", "alone, against the baseline", "guardrails"],
                    step_rows, text_cols=2),
        conflicts=table(["key", "levers"], [[code([c["key"]]), ", ".join(c["levers"])]
                                            for c in conflicts], text_cols=2)
        if conflicts else None,
        cost_lines=cost_lines_table(runs) if results else None, assumptions=assumptions)


# ---------------------------------------------------------------------------- sensitivity
def _input_end(item: Tree, side: str) -> str:
    """An input's end as the tornado labels it: a scale as "×0.90 (−10 %)", a value as itself."""
    value = item.get(side)
    return fmt.multiplier(value) if item["kind"] == "scale" else fmt.number(value, None)


def sensitivity_html(document: Tree) -> str:
    """The report of ``ccsim sensitivity``: the tornado and its table."""
    cur = document["currency"]
    figures = Charts()
    rows = []
    for item in document["inputs"]:
        lows = item.get("guardrails_broken_low") or []
        highs = item.get("guardrails_broken_high") or []
        broken = [*(f"low: {g}" for g in lows), *(f"high: {g}" for g in highs)]
        base = item.get("base")
        rows.append([item["name"], code(item.get("keys", [])), _input_end(item, "low"),
                     _input_end(item, "high"), fmt.number(base, None),
                     estimate(item["at_low"], "money"), estimate(item["at_high"], "money"),
                     estimate(item.get("swing"), "money"), guardrail_cell(broken)])
    meta = [f"{document['file']} · {len(document['inputs'])} uncertain inputs, each moved to its "
            f"low and high end alone · {document['replications']} replications (seed "
            f"{document['seed']}) on common random numbers",
            "The change at each end is paired with the run at the file's values; ± is the 95 % "
            "interval."]
    return render(
        "sensitivity.html", f"Sensitivity: {document['scenario']}", "ccsim · sensitivity", meta,
        base=Kpi(f"Cost per contact at the file's values ({cur})",
                 estimate(document["base"], "money")),
        charts={"tornado": figures.svg(charts.tornado_figure(document), "tornado")},
        inputs=table(["input", "keys", "low", "high", "file's value",
                      f"cost per contact at low ({cur})", "at high", "swing", "guardrails"],
                     rows, text_cols=2),
        settings=table(["setting", "value"], [
            ["file", code([document["file"]])],
            ["scenario", document["scenario"]],
            ["seed · replications", f"{document['seed']} · {document['replications']}"],
            ["currency", cur],
        ], text_cols=2))


__all__ = ["bridge_html", "comparison_html", "run_html", "sensitivity_html", "sweep_html"]
