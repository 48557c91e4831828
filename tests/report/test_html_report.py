"""The HTML report (``--html``): every section and chart, escaped, self-contained, same bytes.

Run and comparison documents come from small real runs; bridge and sensitivity documents are
synthetic, of exactly the shape ``ccsim bridge`` and ``ccsim sensitivity`` produce. The builders
here are shared with ``tests/test_browser.py``.
"""

from __future__ import annotations

import copy
import functools
import html
import json
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from jinja2 import StrictUndefined
from matplotlib.patches import Rectangle
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiment import result_document, run_many, run_replications
from simulator.report import charts, heatmap, study_charts
from simulator.report.html import (
    breaks_per_interval,
    bridge_html,
    comparison_html,
    environment,
    run_html,
    sensitivity_html,
    sweep_html,
)
from simulator.spec.layers import load_scenario
from simulator.studies.comparison import comparison_document
from simulator.studies.sweep import parse_axes, summary_document
from tests.text import says

runner = CliRunner()
Tree = dict[str, Any]
QUICK = ["run.days=5", "run.replications=3"]  # the baseline warms up 4 days
EVIL = '<script>alert("x")</script> & $5 "plan"'
SWEEP = ["sweep", "scenarios/erlang_a.toml", "--set", "agent_groups.agents.agents=47,50",
         "--set", "agent_groups.agents.hourly_wage=20", "--set", "run.days=0.25",
         "--replications", "2", "--workers", "1"]


# ---------------------------------------------------------------------------- documents
@functools.cache
def small_run() -> Tree:
    """The baseline (three channels, shifts, every cost line) over one measured day."""
    loaded = load_scenario("scenarios/baseline.toml", QUICK)
    return result_document(loaded, run_replications(loaded.scenario, workers=1))


@functools.cache
def small_comparison() -> Tree:
    loaded = [load_scenario(f"scenarios/{name}.toml", QUICK)
              for name in ("baseline", "self_service", "callback")]
    trees = run_many([item.scenario for item in loaded], 3, workers=1)
    return comparison_document(loaded, trees)


@functools.cache
def small_sweep() -> tuple[str, list[Tree], list[Any], list[Tree]]:
    """A two-point sweep of erlang_a, as the sweep command builds it."""
    axes = parse_axes(["agent_groups.agents.agents=47,50", "agent_groups.agents.hourly_wage=20"])
    rows, documents = [], []
    for agents in ("47", "50"):
        overrides = (f"agent_groups.agents.agents={agents}", "agent_groups.agents.hourly_wage=20")
        loaded = load_scenario("scenarios/erlang_a.toml",
                               ["run.days=0.25", "run.replications=2", *overrides])
        document = result_document(loaded, run_replications(loaded.scenario, workers=1))
        rows.append(summary_document(document, overrides))
        documents.append(document)
    return "scenarios/erlang_a.toml", rows, axes, documents


def stat(mean: float | None, half: float | None = None) -> dict[str, float | None]:
    if mean is None:
        return {"mean": None, "ci_low": None, "ci_high": None}
    if half is None:
        return {"mean": mean, "ci_low": None, "ci_high": None}
    return {"mean": mean, "ci_low": mean - half, "ci_high": mean + half}


#: (lever, file, change, alone, guardrails broken)
LEVERS = (("Self-service <KB>", "scenarios/self_service.toml", -0.25, -0.31, []),
          ("Call-back & virtual hold", "scenarios/callback.toml", 0.04, 0.05,
           ["voice.service_level"]),
          ("Root cause", "scenarios/root_cause.toml", -0.18, -0.22, []))


def bridge_document() -> Tree:
    """A bridge of three levers on the small baseline, of the ``ccsim bridge`` shape."""
    comparison = small_comparison()
    baseline = comparison["baseline"]
    start = baseline["cost"]["per_contact"]["mean"]
    steps, level = [], start
    for k, (lever, file, change, alone, broken) in enumerate(LEVERS):
        level += change
        steps.append({"lever": lever, "file": file, "cost_per_contact": stat(level, 0.03),
                      "change": stat(change, 0.02 + 0.005 * k), "alone": stat(alone, 0.02),
                      "guardrails_broken": broken})
    total = level - start
    sum_alone = sum(lever[3] for lever in LEVERS)
    results = [r["result"] for r in comparison["scenarios"]]
    return copy.deepcopy({
        "baseline": baseline, "currency": baseline["currency"], "seed": 1, "replications": 3,
        "metric": "cost.per_contact", "start": baseline["cost"]["per_contact"],
        "steps": steps, "end": stat(level, 0.03), "total_change": stat(total, 0.03),
        "sum_alone": stat(sum_alone, 0.03), "overlap": stat(total - sum_alone, 0.02),
        "conflicts": [{"key": "agent_groups.agents.shifts",
                       "levers": ["Self-service <KB>", "Root cause"]}],
        "results": [results[k % len(results)] for k in range(len(LEVERS))],
    })


def sensitivity_document(base: float = 6.64) -> Tree:
    """Four inputs of the ``ccsim sensitivity`` shape, sorted by |swing|."""
    rows = (("voice volume", ["channels.voice.volume_per_day"], "scale", 0.9, 1.1, None,
             -0.21, 0.35, [], ["voice.service_level"]),
            ("knowledge-base <deflection>", ["self_service.web.success_share"], "value", 0.05,
             0.2, 0.14, 0.12, -0.10, [], []),
            ("agent wage", ["agent_groups.agents.hourly_wage"], "scale", 0.95, 1.05, None,
             -0.11, 0.11, [], []),
            ("tech handle time", ["contact_types.tech_support.handle_time.mean"], "scale", 0.9,
             1.2, None, -0.04, 0.08, [], []))
    inputs = [{"name": name, "keys": keys, "kind": kind, "low": low, "high": high, "base": b,
               "at_low": stat(base + cl, 0.04), "at_high": stat(base + ch, 0.04),
               "change_low": stat(cl, 0.015), "change_high": stat(ch, 0.015),
               "swing": stat(ch - cl, 0.02), "guardrails_broken_low": bl,
               "guardrails_broken_high": bh}
              for name, keys, kind, low, high, b, cl, ch, bl, bh in rows]
    inputs.sort(key=lambda item: -abs(item["swing"]["mean"]))
    return {"file": "scenarios/baseline.toml", "scenario": "Baseline & <friends>",
            "currency": "USD", "seed": 1, "replications": 3, "base": stat(base, 0.04),
            "inputs": inputs}


def with_uncertainty(document: Tree) -> Tree:
    """A run document carrying an ``uncertainty`` range (synthetic samples around its cost)."""
    out = copy.deepcopy(document)
    base = out["cost"]["per_contact"]["mean"]
    costs = [base + 0.3 * float(v) for v in np.random.default_rng(3).standard_normal(40)]

    def band(xs: list[float]) -> dict[str, float]:
        return {"low": float(np.percentile(xs, 10)), "median": float(np.median(xs)),
                "high": float(np.percentile(xs, 90)), "mean": float(np.mean(xs))}

    out["uncertainty"] = {
        "samples": 40, "replications": 2, "percentiles": [10, 90], "method": "latin-hypercube",
        "inputs": [{"name": "voice volume", "keys": ["channels.voice.volume_per_day"],
                    "kind": "scale", "low": 0.9, "high": 1.1}],
        "cost_per_contact": band(costs), "period_total": band([c * 1.5e5 for c in costs]),
        "service_level": {"voice": {"low": 0.7, "median": 0.8, "high": 0.88, "mean": 0.79}},
        "abandon_rate": {"voice": {"low": 0.01, "median": 0.02, "high": 0.05, "mean": 0.025}},
        "sample_table": [{"values": {"voice volume": 1.0}, "cost_per_contact": c,
                          "period_total": c * 1.5e5} for c in costs],
    }
    return out


def build_report(kind: str) -> tuple[str, int]:
    """A report of each kind ("run", "compare", "sweep", "bridge", "sensitivity") and how many
    charts it must hold."""
    if kind == "run":
        return run_html(with_uncertainty(small_run())), 5
    if kind == "compare":
        return comparison_html(small_comparison()), 3 + len(heat_mapped(small_comparison()))
    if kind == "sweep":
        file, rows, axes, documents = small_sweep()
        return sweep_html(file, rows, axes, "USD", documents), 2
    if kind == "bridge":
        return bridge_html(bridge_document()), 2
    return sensitivity_html(sensitivity_document()), 1


KINDS = ("run", "compare", "sweep", "bridge", "sensitivity")


@functools.cache
def report(kind: str) -> tuple[str, int]:
    return build_report(kind)


def heat_mapped(comparison: Tree) -> list[int]:
    """The scenarios of a comparison (0: the baseline) that break a per-interval guardrail."""
    runs = [comparison["baseline"], *(r["result"] for r in comparison["scenarios"])]
    return [k for k, run in enumerate(runs) if breaks_per_interval(run)]


# ---------------------------------------------------------------------------- helpers
def sections(page: str) -> list[str]:
    return re.findall(r'<h2 id="([^"]+)"', page)


def chart_names(page: str) -> list[str]:
    return re.findall(r'<figure class="chart" id="chart-([^"]+)"><svg ', page)


def visible_text(page: str) -> str:
    """The page without its inline SVG (whose text is drawn as paths)."""
    return re.sub(r"<svg .*?</svg>", "", page, flags=re.S)


# ---------------------------------------------------------------------------- the pages
def test_run_report_has_every_section_and_one_svg_per_chart() -> None:
    page = run_html(small_run())
    assert sections(page) == ["key-figures", "cost", "over-the-day", "assumptions"]
    assert chart_names(page) == ["service-heatmap", "cost-per-contact", "cost-breakdown",
                                 "intervals"]
    assert page.count("<svg ") == page.count('<figure class="chart"') == 4
    text = visible_text(page)
    doc = small_run()
    per_contact = doc["cost"]["per_contact"]
    assert f"{per_contact['mean']:,.2f}" in text
    assert f"± {(per_contact['ci_high'] - per_contact['ci_low']) / 2:,.2f}" in text
    assert f"{doc['cost']['period_total']['mean']:,.0f}" in text
    for channel in ("voice", "chat", "email"):
        assert f"<td class=\"text\">{channel}</td>" in text
    voice_sl = doc["targets"]["voice"]["service_level"]
    mark = "✓ met" if voice_sl["met"] else "✗ BROKEN"
    assert f"{mark} · voice: service level ≥ 80 %" in text
    # judged per half-hour, and the page says in how many it is met
    assert (f"judged on every interval: met in {voice_sl['intervals_met']} of "
            f"{voice_sl['intervals_judged']} half-hours, worst") in text
    # the assumptions: provenance and the key configuration
    prov = doc["provenance"]
    for needle in (prov["sha256"], "run.days=5", "run.replications=3", "numpy",
                   "agents per supervisor", "08:00–20:00", "tech_support", "lognormal mean 330"):
        assert needle in text, needle
    assert "<details><summary>The whole merged configuration (JSON)" in text


def test_a_broken_guardrail_is_marked_red_on_its_card() -> None:
    doc = copy.deepcopy(small_run())
    for checks in doc["targets"].values():  # every verdict met, then one broken
        for check in checks.values():
            check["met"] = True
    doc["targets"]["voice"]["service_level"]["met"] = False
    page = visible_text(run_html(doc))
    assert '<article class="card broken">' in page
    assert '<span class="badge bad">breaks 1 guardrail</span>' in page
    assert '<li class="bad">✗ BROKEN · voice: service level ≥ 80 %' in page
    assert '<li class="good">✓ met · chat: service level' in page


def test_run_with_an_uncertainty_range_shows_it_beside_the_stochastic_interval() -> None:
    doc = with_uncertainty(small_run())
    page = run_html(doc)
    assert "uncertainty" in sections(page)
    assert chart_names(page)[-1] == "uncertainty"
    band = doc["uncertainty"]["cost_per_contact"]
    text = visible_text(page)
    assert f"{band['low']:,.2f}" in text
    assert f"{band['high']:,.2f}" in text
    assert "10th percentile" in text
    assert "latin-hypercube" in text


def test_comparison_report_has_a_card_per_scenario_and_the_paired_differences() -> None:
    doc = small_comparison()
    page = comparison_html(doc)
    assert sections(page) == ["key-figures", "cost", "differences", "over-the-day",
                              "assumptions"]
    mapped = heat_mapped(doc)
    assert chart_names(page) == [*(f"service-heatmap-{k}" for k in mapped),
                                 "cost-per-contact", "cost-breakdown", "intervals"]
    assert page.count("<svg ") == 3 + len(mapped)
    text = visible_text(page)
    assert text.count('<article class="card') == 3
    diff = doc["scenarios"][0]["difference"]["cost"]["per_contact"]
    shown = f"{diff['mean']:+,.2f}".replace("-", "−")
    assert shown in text  # the paired Δ cost per contact of the first lever
    assert "Δ Self-service deflection" in text
    # what each lever sets differently from the baseline, from the merged configurations
    lever_parts = text.split("What it sets differently from the baseline")
    assert len(lever_parts) == 3  # one table per lever
    assert '<span class="mono">self_service.voice.try_share</span>' in lever_parts[1]
    assert '<span class="mono">callback.accept_share</span>' in lever_parts[2]
    assert "self_service.voice" not in lever_parts[2]  # the call-back lever leaves it alone


def test_sweep_report_has_the_chart_the_points_and_their_costs() -> None:
    file, rows, axes, documents = small_sweep()
    page = sweep_html(file, rows, axes, "USD", documents)
    assert chart_names(page) == ["sweep", "cost-breakdown"]
    text = visible_text(page)
    assert text.count('<span class="mono">47</span>') == 1
    assert text.count('<span class="mono">50</span>') == 1
    assert f"{rows[0]['cost_per_contact']['mean']:,.2f}" in text


def test_bridge_report_has_the_waterfall_and_every_step() -> None:
    doc = bridge_document()
    page = bridge_html(doc)
    assert chart_names(page) == ["waterfall", "cost-breakdown"]
    text = visible_text(page)
    for lever, *_ in LEVERS:
        assert text.count(f'<td class="text">{html.escape(lever)}</td>') == 1
    assert '<td class="bad">BREAKS voice.service_level</td>' in text
    assert "Keys set by more than one lever" in text
    assert "together the levers save less than the sum" in text  # overlap > 0


def test_sensitivity_report_has_the_tornado_and_labels_the_ends() -> None:
    page = sensitivity_html(sensitivity_document())
    assert chart_names(page) == ["tornado"]
    text = visible_text(page)
    assert "×0.90 (−10 %)" in text
    assert "×1.10 (+10 %)" in text
    assert "<td>0.05</td>" in text  # a "value" input's end is the value itself
    assert '<td class="bad">BREAKS high: voice.service_level</td>' in text


def test_user_text_is_escaped_everywhere() -> None:
    loaded = load_scenario("scenarios/erlang_a.toml", [
        f"scenario.name={json.dumps(EVIL)}", "run.days=0.25", "run.replications=2"])
    doc = result_document(loaded, run_replications(loaded.scenario, workers=1))
    assert doc["scenario"] == EVIL
    pages = [run_html(doc), bridge_html(bridge_document()),
             sensitivity_html(sensitivity_document())]
    for page in pages:
        assert "<script" not in page
        assert "<KB>" not in page
        assert "<friends>" not in page
        assert "<deflection>" not in page
    # the name is shown as typed, as text (a quote may be written &quot; or &#34;)
    title = re.search(r"<h1>(.*?)</h1>", pages[0])
    assert title is not None
    assert html.unescape(title[1]) == EVIL
    assert "&lt;script&gt;" in pages[0]


def test_templates_escape_everything_but_the_charts_svg() -> None:
    env = environment()
    assert env.undefined is StrictUndefined
    names = env.list_templates()
    assert {"base.html", "macros.html", "run.html", "compare.html", "sweep.html", "bridge.html",
            "sensitivity.html"} <= set(names)
    assert all(env.autoescape(name) if callable(env.autoescape) else env.autoescape
               for name in names)
    unescaped = [(name, line.strip()) for name in names
                 for line in Path(env.get_template(name).filename or "").read_text().splitlines()
                 if "|safe" in line or "Markup" in line]
    assert [name for name, _ in unescaped] == ["macros.html"], unescaped  # the chart macro only
    assert unescaped[0][1].count("|safe") == 2  # the <svg> element's attributes and content


def test_same_document_gives_identical_bytes_and_no_timestamp() -> None:
    for name in KINDS:
        page = report(name)[0]
        assert page == build_report(name)[0], name  # built again from the same documents
        assert re.search(r"20\d\d-\d\d-\d\d", visible_text(page)) is None, name


def test_pages_are_self_contained_with_unique_ids() -> None:
    for name in KINDS:
        page, charts_expected = report(name)
        assert page.startswith("<!DOCTYPE html>")
        assert page.count("<svg ") == len(chart_names(page)) == charts_expected, name
        for banned in ("<script", "@import", "<?xml", "<!DOCTYPE svg"):
            assert banned not in page, (name, banned)
        # every link is to something inside the page; nothing to fetch
        for target in re.findall(r'(?:href|src)="([^"]*)"', page):
            assert target.startswith("#"), (name, target)
        assert re.search(r"url\((?!#)", page) is None, name
        ids = re.findall(r'\bid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), name


# ---------------------------------------------------------------------------- the charts
def test_waterfall_bars_float_from_one_level_to_the_next() -> None:
    doc = bridge_document()
    fig = study_charts.waterfall_figure(doc)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 2 + len(LEVERS)
    start = doc["start"]["mean"]
    levels = [start, *(s["cost_per_contact"]["mean"] for s in doc["steps"])]
    floating = [b for b in bars if b.get_x() + b.get_width() / 2 in (1, 2, 3)]
    floating.sort(key=lambda b: b.get_x())
    for k, bar in enumerate(floating, start=1):
        low, high = sorted((levels[k - 1], levels[k]))
        assert bar.get_y() == pytest.approx(low)
        assert bar.get_y() + bar.get_height() == pytest.approx(high)
        expected = charts.GREEN if levels[k] < levels[k - 1] else charts.RED
        assert bar.get_facecolor()[:3] == pytest.approx(
            tuple(int(expected[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    # the axis need not start at zero, and says so
    assert "axis starts at" in ax.get_ylabel()


def test_tornado_puts_the_largest_swing_on_top() -> None:
    doc = sensitivity_document()
    ax = study_charts.tornado_figure(doc).axes[0]
    labels = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
    assert labels[0] == doc["inputs"][0]["name"] == "voice volume"
    assert ax.yaxis_inverted()  # row 0 (largest swing) drawn on top
    assert study_charts.input_value_label("scale", 0.9) == "×0.90 (−10 %)"
    assert study_charts.input_value_label("value", 0.05) == "0.05"


def test_cost_breakdown_segments_add_up_to_cost_per_contact() -> None:
    doc = small_comparison()
    runs = [("baseline", doc["baseline"]), *((r["scenario"], r["result"])
                                             for r in doc["scenarios"])]
    ax = charts.cost_breakdown_figure(runs, "USD").axes[0]
    widths: dict[float, float] = {}
    for patch in ax.patches:
        assert isinstance(patch, Rectangle)
        y = round(patch.get_y() + patch.get_height() / 2, 6)
        widths[y] = widths.get(y, 0.0) + patch.get_width()
    totals = [widths[y] for y in sorted(widths)]
    expected = [d["cost"]["per_contact"]["mean"] for _, d in runs]
    assert totals == pytest.approx(expected, rel=1e-9)


def test_interval_chart_has_a_panel_per_live_channel_and_the_agents() -> None:
    fig = charts.intervals_figure([("baseline", small_run())])
    titles = [ax.get_title("left") for ax in fig.axes]
    assert titles == ["Voice: service level", "Voice: abandonment", "Chat: service level",
                      "Chat: abandonment", "Agents on the floor (all groups)",
                      "Occupancy (busy ÷ on the floor)"]  # email is a backlog: no queue panels
    agents = fig.axes[4]
    heights = [float(v) for v in agents.patches[0].get_data().values]  # type: ignore[attr-defined]
    expected = [row["agents_on_floor"]["mean"] for row in small_run()["intervals"]]
    assert heights == pytest.approx(expected)


# ---------------------------------------------------------------------------- the heat map
def per_interval_run(breach: str = "08:30") -> Tree:
    """The small run with its intervals on a class of two alike days (Thu and Fri) and voice's
    per-interval guardrails met in every half-hour but ``breach``, where the service level is
    14.4 %."""
    doc = copy.deepcopy(small_run())
    for row in doc["intervals_by_day"]:
        row["days"] = ["thu", "fri"]
    for channel, checks in doc["targets"].items():
        for name, check in checks.items():
            for cell in check.get("intervals", []):
                cell["days"] = ["thu", "fri"]
                if channel != "voice":
                    continue
                cell["met"] = not (name == "service_level" and cell["start"] == breach)
                if name == "service_level":
                    cell["value"] = 0.144 if not cell["met"] else max(cell["value"], 0.8)
                else:
                    cell["value"] = min(cell["value"], check["target"])
    return doc


def rgb(colour: Any) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def test_the_heat_map_draws_a_row_per_alike_day_and_a_breach_red() -> None:
    doc = per_interval_run()
    voice = heatmap.heat_panels(doc)[0]
    assert voice.channel == "voice"
    assert voice.colour_by.name == "service_level"
    assert voice.days == ("thu", "fri")  # a class of two days: both are rows
    assert voice.starts[0] == "08:00"
    assert len(voice.starts) == 24
    fig = heatmap.service_heatmap_figure(doc)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Thu", "Fri"]
    red, blue = set(), set()
    for patch in ax.patches:
        assert isinstance(patch, Rectangle)
        where = (voice.days[round(patch.get_y() + 0.5)], voice.starts[round(patch.get_x() + 0.5)])
        r, g, b = rgb(patch.get_facecolor())
        if rgb(patch.get_edgecolor()) == rgb(charts.RED):
            assert r > max(g, b), where  # a red outline round a red cell
            red.add(where)
        else:
            assert b > r, where
            blue.add(where)
    assert red == {("thu", "08:30"), ("fri", "08:30")}
    assert len(blue) == 2 * 24 - 2
    # the caption and the accessible name say in how many half-hours it is met, and the worst
    page = run_html(doc)
    words = "voice 80/20: met in 46 of 48 half-hours, worst Thu–Fri 08:30 14.4 %"
    assert words in heatmap.caption(doc)
    assert chart_names(page)[0] == "service-heatmap"
    figure = page[page.index('id="chart-service-heatmap"'):]
    assert f'aria-label="{html.escape(heatmap.caption(doc))}' in figure
    assert words in figure[:figure.index("</figure>")].split("<figcaption>")[1]


def test_no_heat_map_without_a_per_interval_guardrail() -> None:
    doc = copy.deepcopy(small_run())
    for check in doc["targets"]["chat"].values():  # chat judged on the run: no panel
        check["judged_on"] = "day"
        check.pop("intervals", None)
    assert [p.channel for p in heatmap.heat_panels(doc)] == ["voice"]
    assert "chat 80/60" not in heatmap.caption(doc)
    for check in doc["targets"]["voice"].values():
        check["judged_on"] = "day"
        check.pop("intervals", None)
    assert heatmap.heat_panels(doc) == []
    assert "service-heatmap" not in chart_names(run_html(doc))
    doc["targets"] = {}  # a run with no targets
    assert chart_names(run_html(doc)) == ["cost-per-contact", "cost-breakdown", "intervals"]


def test_the_comparison_draws_a_heat_map_for_a_lever_that_breaks_service_per_interval() -> None:
    doc = copy.deepcopy(small_comparison())
    runs = [doc["baseline"], *(r["result"] for r in doc["scenarios"])]
    for run in runs:  # every per-interval guardrail met, then the first lever's broken
        for checks in run["targets"].values():
            for check in checks.values():
                check["met"] = True
                for cell in check.get("intervals", []):
                    cell["met"] = True
    lever = runs[1]["targets"]["voice"]["service_level"]
    lever["met"] = False
    lever["intervals"][3]["met"] = False
    page = comparison_html(doc)
    assert chart_names(page)[:2] == ["service-heatmap-1", "cost-per-contact"]
    name = doc["scenarios"][0]["scenario"]
    assert f"<figcaption>{html.escape(name)}: Service per half-hour" in page
    others = [doc["baseline"]["scenario"], doc["scenarios"][1]["scenario"]]
    assert f"{', '.join(others)} keep every one." in visible_text(page)


# ---------------------------------------------------------------------------- the CLI
def test_run_html_writes_the_page_of_the_json_it_prints(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "report.html"
    result = runner.invoke(app, ["run", "scenarios/baseline.toml", "--format", "json",
                                 "--html", str(target), "--workers", "1",
                                 *(f"--set={o}" for o in QUICK)])
    assert result.exit_code == 0, result.output
    assert says(result.stderr, f"wrote {target}")
    document = json.loads(result.stdout)  # stdout is still only the JSON
    assert target.read_text(encoding="utf-8") == run_html(document)


def test_compare_and_sweep_write_html(tmp_path: Path) -> None:
    page = tmp_path / "compare.html"
    result = runner.invoke(app, ["compare", "scenarios/erlang_a.toml", "scenarios/erlang_a.toml",
                                 "--set", "run.days=0.25", "--replications", "2",
                                 "--workers", "1", "--html", str(page)])
    assert result.exit_code == 0, result.output
    assert chart_names(page.read_text(encoding="utf-8")) == [
        "cost-per-contact", "cost-breakdown", "intervals"]
    page = tmp_path / "sweep.html"
    result = runner.invoke(app, [*SWEEP, "--out", str(tmp_path / "grid"), "--html", str(page)])
    assert result.exit_code == 0, result.output
    assert says(result.stderr, f"wrote {page}")
    assert chart_names(page.read_text(encoding="utf-8")) == ["sweep", "cost-breakdown"]


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_an_unwritable_html_path_fails_at_once_with_exit_2(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    args = {"run": ["run", "scenarios/erlang_a.toml"],
            "compare": ["compare", "scenarios/erlang_a.toml", "scenarios/erlang_a.toml"],
            "sweep": SWEEP}[command]
    for bad, words in ((blocker / "report.html", "a-file is a file, not a writable folder"),
                       (tmp_path, "is a folder")):
        result = runner.invoke(app, [*args, "--html", str(bad)])
        assert result.exit_code == 2, result.output
        assert says(result.output, "--html")
        assert says(result.output, words)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not list(tmp_path.glob("**/*.html"))


def test_a_staffed_run_shows_its_roster_and_requirement_against_its_shifts(tmp_path: Path) -> None:
    """`ccsim staff --html`: the roster per weekday and interval, and for a group rostered on
    shift templates a chart of the requirement against the shifts' coverage."""
    base = Path("tests/data/staff_base.toml").resolve()
    with_shifts = tmp_path / "shifts.toml"
    with_shifts.write_text(
        f'extends = "{base}"\n[[shift_templates]]\nname = "day"\nlength_hours = 8\n'
        'earliest_start = "00:00"\nlatest_start = "16:00"\n', encoding="utf-8")
    page_path = tmp_path / "staffed.html"
    result = CliRunner().invoke(app, ["staff", str(with_shifts), "--html", str(page_path),
                                      "--replications", "4", "--workers", "2",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    plan = doc["groups"]["agents"]["shift_plan"]
    assert plan["shifts"], plan
    coverage, need = doc["groups"]["agents"]["coverage"], doc["groups"]["agents"]["requirement"]
    assert all(c >= n for crow, nrow in zip(coverage, need, strict=True)
               for c, n in zip(crow, nrow, strict=True))
    page = page_path.read_text(encoding="utf-8")
    assert "Rostered agents found by equal-service staffing" in page
    assert "shift-plan-agents" in chart_names(page)
    assert "agents mon" in page  # a column per group and weekday


def test_interval_chart_keeps_the_abandonment_limit_inside_its_panel() -> None:
    """A channel far below its abandonment limit (voice here, about 1 % against 5 %): the limit
    line and its label stay inside the panel, so the layout is applied (it had collapsed, with a
    matplotlib warning on the terminal)."""
    doc = copy.deepcopy(small_run())
    for row in doc["intervals"]:
        voice = row["voice"]
        voice["abandoned"]["mean"] = 0.01 * voice["offered"]["mean"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = charts.intervals_figure([("baseline", doc)])
        charts.to_svg(fig)
    abandonment = fig.axes[1]
    limit = doc["targets"]["voice"]["max_abandon_rate"]["target"] * 100
    assert abandonment.get_ylim()[1] > limit
