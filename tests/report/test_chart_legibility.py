"""Every chart read as a room reads it: drawn from the small results of test_html_report at a
projector's 1280 px wide (and at the page SVG's 72 dpi), no two texts overlap, none runs past
the figure's edge, none is under 15 px, no legend lies over the data (the rules of
docs/charts.md, measured by :mod:`simulator.report.legibility`).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text

from simulator.report import charts, heatmap, legibility, study_charts
from simulator.report.charts import Bar
from simulator.report.placement import spread
from tests.report.test_html_report import (
    bridge_document,
    per_interval_run,
    sensitivity_document,
    small_comparison,
    small_run,
    small_sweep,
    stat,
    with_uncertainty,
)
from tests.report.test_shift_plan_reports import plan

Tree = dict[str, Any]
BROKEN = ["voice.service_level", "voice.max_abandon_rate", "chat.service_level",
          "chat.max_abandon_rate"]


def three_runs() -> list[tuple[str, Tree]]:
    doc = small_comparison()
    return [(doc["baseline"]["scenario"], doc["baseline"]),
            *((r["scenario"], r["result"]) for r in doc["scenarios"])]


def bars() -> list[Bar]:
    return [Bar(name, run["cost"]["per_contact"], kind="baseline" if k == 0 else "scenario",
                note="" if k == 0 else "−0.12 against the baseline",
                broken=tuple(charts.broken_of(run)))
            for k, (name, run) in enumerate(three_runs())]


def hard_tornado() -> Tree:
    """The sensitivity document at its worst: a long input name, both ends breaking four
    guardrails, and an input whose ends both raise cost (labels stacked on one side)."""
    doc = copy.deepcopy(sensitivity_document())
    first, third = doc["inputs"][0], doc["inputs"][2]
    first["name"] = "voice volume per day on every weekday and in every interval"
    first["guardrails_broken_low"] = first["guardrails_broken_high"] = BROKEN
    base = doc["base"]["mean"]
    for side, change in (("low", 0.05), ("high", 0.12)):
        third[f"at_{side}"] = stat(base + change, 0.04)
        third[f"change_{side}"] = stat(change, 0.015)
    third["guardrails_broken_low"] = BROKEN[:3]
    return doc


CHARTS: dict[str, Callable[[], Figure]] = {
    "cost per contact": lambda: charts.cost_per_contact_figure(bars(), "USD"),
    "cost breakdown": lambda: charts.cost_breakdown_figure(three_runs(), "USD"),
    "intervals, 1 scenario": lambda: charts.intervals_figure(three_runs()[:1]),
    "intervals, 3 scenarios": lambda: charts.intervals_figure(three_runs()),
    "heat map": lambda: heatmap.service_heatmap_figure(per_interval_run()),
    "sweep": lambda: study_charts.sweep_figure(small_sweep()[1], small_sweep()[2], "USD"),
    "waterfall": lambda: study_charts.waterfall_figure(bridge_document()),
    "tornado": lambda: study_charts.tornado_figure(sensitivity_document()),
    "tornado at its worst": lambda: study_charts.tornado_figure(hard_tornado()),
    "uncertainty": lambda: study_charts.uncertainty_figure(with_uncertainty(small_run())),
    "shift plan": lambda: study_charts.shift_plan_figure(plan()),
}


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_is_legible_on_a_projector_and_on_the_page(name: str) -> None:
    fig = CHARTS[name]()
    for dpi in (None, 72.0):  # 1280 px wide, then as the page's SVG is drawn
        found = legibility.legibility(fig, dpi)
        assert found.texts >= 10, (name, found.texts)  # the title, ticks, labels: all collected
        assert found.problems == [], (name, dpi, found.problems)


def test_the_check_finds_what_a_room_cannot_read() -> None:
    """A figure built to fail: two texts on each other, one off the edge, one in 8 pt, a
    legend over the data; and the tornado with a label dropped on an input's name."""
    with charts.style():
        fig = charts.new_figure(charts.WIDTH, 4)
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1], label="a line")
        ax.text(0.5, 0.5, "one label", fontsize=14)
        ax.text(0.5, 0.5, "on another", fontsize=14)
        ax.text(1.02, 0.2, "past the figure's right edge, far past it",
                fontsize=14).set_in_layout(False)  # the layout would make room for it
        ax.text(0.1, 0.8, "tiny", fontsize=8)
        ax.legend(loc="upper left")
    found = legibility.legibility(fig)
    assert [(a.text, b.text) for a, b in found.collisions] == [("one label", "on another")]
    assert [b.text for b in found.cut_off] == ["past the figure's right edge, far past it"]
    assert [b.text for b in found.too_small] == ["tiny"]
    assert len(found.legends_over_data) == 1
    tornado = study_charts.tornado_figure(sensitivity_document())
    ax = tornado.axes[0]
    assert legibility.legibility(tornado).problems == []
    ax.annotate("×0.90 (−10 %): 6.43", (ax.get_xlim()[0], 0), xytext=(-30, 0),
                textcoords="offset points", ha="right", va="center", fontsize=13)
    collisions = legibility.legibility(tornado).collisions
    assert [b.text.split("\n")[0] for _a, b in collisions] == ["voice volume"] or \
        [a.text.split("\n")[0] for a, _b in collisions] == ["voice volume"]


def test_the_projector_scale_and_the_smallest_text() -> None:
    fig = charts.new_figure(charts.WIDTH, 4)
    assert legibility.dpi_at_projector(fig) == pytest.approx(1280 / 12)
    # 15 px at 1280 px across 12 inches: 10.125 pt; the heat map's cells are drawn in 11
    assert legibility.pixels_at_projector(fig, 10) < legibility.SMALLEST_PX
    assert legibility.pixels_at_projector(fig, heatmap.CELL_PT) >= legibility.SMALLEST_PX


def test_scenarios_differ_by_colour_and_carry_their_names_at_their_lines_ends() -> None:
    runs = three_runs()
    fig = charts.intervals_figure(runs)
    names = [charts.wrap(name, 15) for name, _ in runs]
    for ax in fig.axes:
        lines = [line for line in ax.get_lines() if line.get_linestyle() != "--"]  # not limits
        assert all(line.get_linestyle() == "-" for line in lines)  # no dashes tell them apart
        labels = [t for t in ax.texts if isinstance(t, Annotation) and t.get_text() in names]
        assert sorted(t.get_text() for t in labels) == sorted(names), ax.get_title()
        colours = {t.get_text(): t.get_color() for t in labels}
        assert [colours[n] for n in names] == list(charts.SERIES[:3])
        box = ax.get_window_extent()
        # outside the data (the text's own box: an annotation's includes its leader)
        assert all(Text.get_window_extent(t).x0 >= box.x1 for t in labels)
    assert not fig.legends  # the names on the lines are the key
    single = charts.intervals_figure(runs[:1])
    assert not [t for ax in single.axes for t in ax.texts if t.get_text() in names]


def test_the_series_colours_are_okabe_ito() -> None:
    assert charts.SERIES[:3] == ("#0072B2", "#E69F00", "#009E73")
    assert len(set(charts.SERIES)) == len(charts.SERIES) == 8
    assert charts.SERIES[:2] == (study_charts.LOW_COLOUR, study_charts.HIGH_COLOUR)
    dashed = [line for line in charts.intervals_figure(three_runs()).findobj(Line2D)
              if line.get_linestyle() not in ("-", "--", "None", "none", "")]
    assert dashed == []


def test_labels_are_spread_apart_in_order_and_kept_inside() -> None:
    centres = spread([50, 50, 51, 200], [20, 20, 20, 20], 0, 210, 3)
    assert centres[0] < centres[1] < centres[2]  # ties keep their order
    ordered = sorted(centres)
    assert all(b - a >= 23 - 1e-9 for a, b in itertools.pairwise(ordered))
    assert centres[3] == 200  # a label with room stays where its line ends
    crowded = spread([205, 206, 207], [20, 20, 20], 0, 210, 3)
    assert max(crowded) + 10 <= 210
    assert min(crowded) - 10 >= 0
