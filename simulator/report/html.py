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

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2

from simulator.report import charts, heatmap, study_charts
from simulator.report import format as fmt
from simulator.report.blocks import (
    LIVE_ONLY,
    TERMINAL_KINDS,
    agent_groups_table,
    channels_table,
    config_changes,
    contact_types_table,
    cost_lines_table,
    diff_cell,
    estimate,
    period_scale,
    provenance,
    run_bars,
    run_meta,
    scenario_card,
    staffing_table,
    uncertainty,
)
from simulator.report.charts import Bar, broken_of, half_width, mean_of
from simulator.report.terminal import roster_text
from simulator.report.views import (
    Captioned,
    Cell,
    Chart,
    Code,
    Entry,
    Estimate,
    Kpi,
    code,
    guardrail_cell,
    table,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Tree = dict[str, Any]



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


# ---------------------------------------------------------------------------- heat map
def breaks_per_interval(document: Tree) -> bool:
    """Does a run break a guardrail judged per interval?"""
    return any(not c.met and c.per_interval and c.intervals_judged
               for c in charts.run_of(document).guardrails)


def heat_map(document: Tree, figures: Charts, name: str = "service-heatmap",
             scenario: str | None = None) -> Captioned | None:
    """Service per interval of the week, a panel per channel with a per-interval guardrail
    (None when the run has none); ``scenario`` names the run in the title and caption."""
    run = charts.run_of(document)
    if not heatmap.heat_panels(run):
        return None
    title = f"{scenario}: service per interval of the week" if scenario else None
    return Captioned(figures.svg(heatmap.service_heatmap_figure(run, title), name),
                     heatmap.caption(run, scenario))


# ---------------------------------------------------------------------------- run
def run_html(document: Tree) -> str:
    """The report of one run (``ccsim run --html``)."""
    figures = Charts()
    name, currency = document["scenario"], document["currency"]
    service_map = heat_map(document, figures)
    chart_views = {
        "cost_per_contact": figures.svg(charts.cost_per_contact_figure(
            run_bars(document), currency, "Cost per contact, overall and by channel"),
            "cost-per-contact"),
        "cost_breakdown": figures.svg(charts.cost_breakdown_figure([(name, document)], currency),
                                      "cost-breakdown"),
        "intervals": figures.svg(charts.intervals_figure([(name, document)]), "intervals"),
    }
    plans = [(group, g["shift_plan"]) for group, g in (document.get("staffing") or {}).items()
             if g.get("shift_plan")]
    # requirement against coverage, one chart per group rostered on shift templates
    shift_plans = [(group, figures.svg(study_charts.shift_plan_figure(plan), f"shift-plan-{group}"))
                   for group, plan in plans]
    spread = uncertainty(document)
    if spread is not None:
        chart_views["uncertainty"] = figures.svg(study_charts.uncertainty_figure(document),
                                                 "uncertainty")
    return render("run.html", name, "ccsim · scenario report", run_meta(document),
                  card=scenario_card(document), heatmap=service_map, charts=chart_views,
                  cost_lines=cost_lines_table([(name, document)]),
                  channels=channels_table(document), contact_types=contact_types_table(document),
                  agent_groups=agent_groups_table(document),
                  staffing=staffing_table(document), shift_plans=shift_plans,
                  uncertainty=spread,
                  provenance=provenance(document))


# ---------------------------------------------------------------------------- compare
def comparison_html(document: Tree) -> str:
    """The report of ``ccsim compare``: levers against the baseline on common random numbers."""
    from simulator.report.terminal_studies import CHANNEL_COMPARE

    base = document["baseline"]
    rows = document["scenarios"]
    cur = base["currency"]
    period = base["period"]
    figures = Charts()
    cards = [scenario_card(base, role="baseline", roster=True)]
    cards += [scenario_card(r["result"], difference=r["difference"], cheaper=r["cheaper"],
                            broken=r["guardrails_broken"], roster=True) for r in rows]

    runs = [(base["scenario"], base), *((r["scenario"], r["result"]) for r in rows)]
    # where in the week each scenario that breaks a per-interval guardrail misses it
    broken = [k for k, (_, run) in enumerate(runs) if breaks_per_interval(run)]
    heatmaps = [h for k in broken
                if (h := heat_map(runs[k][1], figures, f"service-heatmap-{k}",
                                  runs[k][0] + (" (baseline)" if k == 0 else ""))) is not None]
    kept = [str(n) for k, (n, run) in enumerate(runs)
            if k not in broken and heatmap.heat_panels(run)]
    heat_note = None
    if heatmaps or kept:
        heat_note = ("Service per interval is drawn for each scenario that breaks a guardrail "
                     "judged per interval" + (f"; {', '.join(kept)} keep"
                                              f"{'s' if len(kept) == 1 else ''} every one."
                                              if kept else "."))
    bars = [Bar(base["scenario"], base["cost"]["per_contact"], "baseline",
                tuple(broken_of(base)), kind="baseline")]
    for r in rows:
        diff = r["difference"]["cost"]["per_contact"]
        change = mean_of(diff)
        note = "" if change is None else f"Δ {fmt.difference(change, half_width(diff), 'money')}"
        bars.append(Bar(r["scenario"], r["result"]["cost"]["per_contact"], note,
                        tuple(r["guardrails_broken"])))
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
            label = f"{channel}: {words}" + (" per open day" if kind == "count"
                                             and not words.endswith("per open day") else "")
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
                  heatmaps=heatmaps, heat_note=heat_note, charts=chart_views,
                  cost_lines=cost_lines_table(runs),
                  differences=table(head, differences), period=period,
                  scale=fmt.number(period_scale(base), 3), assumptions=assumptions)


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
    chart_views = {"sweep": figures.svg(study_charts.sweep_figure(rows, axes, currency), "sweep")}
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
    chart_views = {"waterfall": figures.svg(study_charts.waterfall_figure(document), "waterfall")}
    conflicts = document.get("conflicts") or []
    results = document.get("results") or []
    rosters = [roster_text(charts.run_of(r), fmt.PAGE) for r in results]
    step_rows = [[step["lever"], code([step["file"]]),
                  estimate(step["cost_per_contact"], "money"),
                  diff_cell(step["change"], "money", "per_contact"),
                  diff_cell(step.get("alone"), "money", "per_contact"),
                  rosters[k] if k < len(rosters) else "",
                  guardrail_cell(step.get("guardrails_broken") or [])]
                 for k, step in enumerate(steps)]
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
            f"replications (seed {document['seed']}) on common random numbers · baseline roster: "
            f"{roster_text(charts.run_of(base), fmt.PAGE)}",
            "Each step is the paired change when a lever is added to those before it; 'alone' "
            "is the lever on its own against the baseline. ± is the 95 % interval."]
    return render(
        "bridge.html", f"Lever bridge: {base['scenario']}", "ccsim · lever bridge", meta,
        walk=walk, charts=chart_views,
        steps=table(["lever (in order)", "file", f"cost per contact after ({cur})",
                     "change at this step", "alone, against the baseline", "roster",
                     "guardrails"], step_rows, text_cols=2),
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
        charts={"tornado": figures.svg(study_charts.tornado_figure(document), "tornado")},
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


# ---------------------------------------------------------------------------- plan
def plan_html(document: Tree) -> str:
    """The report of ``ccsim plan``: cost per contact month by month with its band, the
    head-count against the requirement, and the cost lines."""
    from simulator.report.plan_charts import plan_cost_figure, plan_headcount_figure
    from simulator.results.plan import PLAN_LINES

    cur = document["currency"]
    totals = document["totals"]
    figures = Charts()
    kpis = [Kpi(f"Plan total ({cur})", estimate(totals["total"], "whole")),
            Kpi(f"Cost per contact ({cur})", estimate(totals["per_contact"], "money")),
            Kpi(f"Per assisted contact ({cur})", estimate(totals["per_assisted_contact"], "money")),
            Kpi(f"Per resolved contact ({cur})", estimate(totals["per_resolved_contact"], "money"))]
    months = document["months"]

    def fte(m: Tree, key: str) -> str:
        return fmt.number(sum(g[key] for g in m["groups"]))

    summary = table(["month", "need (FTE)", "productive (FTE)", "paid (FTE)", "contacts",
                     f"total ({cur})", f"per contact ({cur})", f"per assisted ({cur})",
                     f"per resolved ({cur})", "levers", "service"],
                    [[m["month"], fte(m, "required"), fte(m, "productive"), fte(m, "paid"),
                      fmt.count(mean_of(m["contacts"])), estimate(m["cost"]["total"], "whole"),
                      estimate(m["cost"]["per_contact"], "money"),
                      estimate(m["cost"]["per_assisted_contact"], "money"),
                      estimate(m["cost"]["per_resolved_contact"], "money"),
                      ", ".join(m["levers"]) or "–",
                      "every target met" if not m["service"]["intervals_short"] else
                      f"{m['service']['intervals_short']} of {m['service']['intervals_judged']} "
                      "intervals short"] for m in months])
    flow = table(["month", "group", "start", "leavers", "joiners", "end", "in training",
                  "ramping", "productive", "required", "gap", "overtime", "shortfall"],
                 [[m["month"], g["group"], *(fmt.number(g[k]) for k in (
                     "start", "leavers", "joiners", "end", "in_training", "ramping",
                     "productive", "required", "gap", "overtime", "shortfall"))]
                  for m in months for g in m["groups"]], text_cols=2)
    lines = table(["month", *(k.replace("_", " ") for k in PLAN_LINES), "total"],
                  [[m["month"], *(fmt.money_whole(mean_of(m["cost"]["lines"][k]))
                                  for k in PLAN_LINES), fmt.money_whole(mean_of(m["cost"]["total"]))]
                   for m in months])
    meta = [f"{document['file']} · {len(months)} months from {document['start']} · "
            f"{document['replications']} replications (seed {document['seed']}) · the gap closed "
            f"by {document['gap_policy']} · {document['simulations']} simulations",
            f"Each month: its scenario staffed to the targets in every interval, its run of "
            f"{document['measured_days']:g} measured days scaled to the month's calendar days; "
            "± is the 95 % interval over replications."]
    return render("plan.html", f"Plan: {document['scenario']}", "ccsim · plan", meta,
                  kpis=kpis, summary=summary, flow=flow, lines=lines, charts={
                      "cost": figures.svg(plan_cost_figure(document), "plan-cost"),
                      "headcount": figures.svg(plan_headcount_figure(document), "plan-headcount")})


def plan_comparison_html(document: Tree) -> str:
    """The report of ``ccsim compare`` (or ``bridge``) of plans: each plan's paired change of
    cost per contact month by month with its band, and the changes per month and for the
    plan, each with its 95 % interval."""
    from simulator.report.plan_charts import plan_difference_figure

    base = document["baseline"]
    cur = base["currency"]
    bridge = document["kind"] == "bridge"
    figures = Charts()
    kpis = [Kpi(f"{base['scenario']}: plan total ({cur})", estimate(base["totals"]["total"],
                                                                   "whole"))]
    kpis += [Kpi(f"{o['plan']['scenario']}: change ({cur})",
                 estimate(o["difference"]["total"], "whole", signed=True))
             for o in document["others"]]
    tables = []
    for k, other in enumerate(document["others"]):
        before = document["others"][k - 1]["plan"] if bridge and k else base
        rows = [[m["month"], estimate(b["cost"]["total"], "whole"),
                 estimate(o["cost"]["total"], "whole"), estimate(d["total"], "whole", signed=True),
                 estimate(o["cost"]["per_contact"], "money"),
                 estimate(d["per_contact"], "money", signed=True)]
                for m, b, o, d in zip(base["months"], before["months"], other["plan"]["months"],
                                      other["difference"]["months"], strict=True)]
        rows.append(["the plan", estimate(before["totals"]["total"], "whole"),
                     estimate(other["plan"]["totals"]["total"], "whole"),
                     estimate(other["difference"]["total"], "whole", signed=True),
                     estimate(other["plan"]["totals"]["per_contact"], "money"),
                     estimate(other["difference"]["per_contact"], "money", signed=True)])
        tables.append((f"{other['plan']['scenario']} against "
                       f"{before['scenario']} ({other['plan']['file']})",
                       table(["month", f"before ({cur})", f"this plan ({cur})",
                              f"change ({cur})", f"per contact ({cur})",
                              f"change per contact ({cur})"], rows)))
    meta = [f"{base['file']} · {len(base['months'])} months from {base['start']} · "
            f"{base['replications']} replications (seed {base['seed']}), every plan on the same "
            "seeds (common random numbers)",
            ("Each step against the plan before it (a bridge)" if bridge else
             "Each plan against the baseline plan") + "; ± is the 95 % interval of the paired "
            "difference over replications."]
    title = "Bridge of plans" if bridge else "Plans compared"
    return render("plan_comparison.html", f"{title}: {base['scenario']}",
                  f"ccsim · {document['kind']} of plans", meta, kpis=kpis, tables=tables,
                  chart=figures.svg(plan_difference_figure(document), "plan-difference"))
