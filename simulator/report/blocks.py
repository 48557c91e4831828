"""The parts of an HTML page built from a result document: scenario cards, the cost, channel
and group tables, guardrail lines, and the assumptions (key configuration, provenance).

Each function turns a document (or a piece of one) into view data of
:mod:`simulator.report.views`; :mod:`simulator.report.html` puts them on a page."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from simulator.costs import CATEGORIES
from simulator.report import format as fmt
from simulator.report.charts import (
    Bar,
    broken_of,
    contacts_of,
    half_width,
    label_of,
    mean_of,
    run_of,
)
from simulator.report.terminal import compliance_text, judged_rule, roster_text
from simulator.report.views import (
    Badge,
    Block,
    Card,
    Cell,
    Change,
    Changes,
    Estimate,
    Guardrail,
    Provenance,
    Table,
    Uncertainty,
    code,
    table,
)
from simulator.results.guardrails import Guardrail as GuardrailCheck
from simulator.results.guardrails import Verdicts

Tree = dict[str, Any]




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


def guardrail_text(check: GuardrailCheck) -> str:
    words, sense, kind = GUARDRAIL_WORDS.get(check.name, (label_of(check.name), "vs", "num"))
    if kind == "pct":
        goal, got = fmt.percent(check.target, None), fmt.percent(check.value.mean)
    else:
        goal = fmt.seconds(check.target, None, unit=True)
        got = fmt.seconds(check.value.mean, unit=True)
    text = f"{check.channel}: {words} {sense} {goal} — reached {got}"
    if check.per_interval:
        text += (f" on the run; judged on {judged_rule(check, fmt.PAGE)}: "
                 + compliance_text(check, style=fmt.PAGE))
    return text


def guardrails(document: Tree) -> tuple[Guardrail, ...]:
    return tuple(Guardrail(check.met, guardrail_text(check))
                 for check in Verdicts.from_document(document.get("targets", {})))


# ---------------------------------------------------------------------------- building blocks
def period_scale(document: Tree) -> float:
    total, period = mean_of(document["cost"]["total"]), mean_of(document["cost"]["period_total"])
    return period / total if total and period is not None else 0.0


def run_meta(document: Tree) -> list[str]:
    return [
        f"{document['file']} · {document['replications']} replications × "
        f"{fmt.number(document['simulated_days'], None)} days (seed {document['seed']}) · "
        f"warm-up {fmt.hours(document.get('warmup_hours', 0), None, unit=True)} · "
        f"ccsim {document['version']}",
        fmt.convention(str(document.get("currency", "")), str(document.get("period", "month")))
        + " (± is its half-width).",
    ]


def scenario_card(document: Tree, title: str | None = None, *, role: str = "",
                  difference: Tree | None = None, cheaper: bool | None = None,
                  broken: Sequence[str] | None = None, roster: bool = False) -> Card:
    """Key figures of one scenario: cost per contact, total per period, service per channel,
    guardrails (broken ones in red); ``roster``: its roster too (re-staffed or the file's, FTE,
    shifts), as a comparison shows it."""
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
    if roster:
        badges.append(Badge("plain", roster_text(run_of(document), fmt.PAGE)))
    if not mean_of(cost.get("total")):
        badges.append(Badge("plain", "prices nothing: cost leaves wages out"))
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
        scale = period_scale(document)
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


_TYPE_SERVICE: tuple[tuple[str, fmt.Kind], ...] = (
    ("service_level", "pct"), ("abandon_rate", "pct"), ("asa_seconds", "num"),
    ("aht_seconds", "num"))


def contact_types_table(document: Tree) -> Table | None:
    """A row per contact type of each channel that has several (None if none has): volumes
    per open day and service, as its channel's figures."""
    days = float(document.get("open_days_measured") or 1.0) or 1.0
    types = document.get("contact_types", {})
    channels = [t["channel"] for t in types.values()]
    rows = []
    for name, t in types.items():
        if channels.count(t["channel"]) < 2:
            continue
        rows.append([name, t["channel"],
                     *(estimate(t.get(key), "count", scale=1 / days)
                       for key in ("offered", "answered", "abandoned")),
                     *(estimate(t.get(key), kind) for key, kind in _TYPE_SERVICE)])
    if not rows:
        return None
    return table(["contact type", "channel", "offered per day", "answered per day",
                  "abandoned per day", "service level", "abandonment",
                  "average speed of answer (s)", "average handle time (s)"], rows, text_cols=2)


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
    if isinstance(agents, dict):  # a list per weekday
        counts = [n for day in agents.values() for n in day]
        spread = f", {min(counts)}–{max(counts)}" if counts else ""
        return f"per interval on {', '.join(agents)}{spread}"
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
        # busy days only where a channel has them: a file without them reads as before
        busy = any(c.get("busyness_cv") for c in channels)
        out.append(Block("Channels", table(
            ["channel", "kind", "mode", "volume per day", "answer within", "patience",
             "concurrency", *(["busy days (cv)"] if busy else [])],
            [[c.get("name"), c.get("kind"), c.get("mode"),
              fmt.count(c.get("volume_per_day", 0)),
              _answer_within(c), _dist_text(c.get("patience")),
              c.get("concurrency", 1), *([c.get("busyness_cv", 0.0)] if busy else [])]
             for c in channels], text_cols=3)))
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
    """Rostered agents per interval (rows) and weekday (a column per group and weekday), the
    requirement in brackets where the roster holds more, for each group staffed before the run."""
    staffing = document.get("staffing")
    if not staffing:
        return None
    first = next(iter(staffing.values()))
    head = ["interval", *(f"{group} {day}" for group, g in staffing.items()
                          for day in g["weekdays"])]
    rows = []
    for i, start in enumerate(first["intervals"]):
        row: list[Any] = [start]
        for g in staffing.values():
            for d in range(len(g["weekdays"])):
                need, have = g["requirement"][d][i], g["coverage"][d][i]
                row.append(str(have) if have == need else f"{have} ({need})")
        rows.append(row)
    return table(head, rows)


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
