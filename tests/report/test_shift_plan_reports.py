"""Reports of a shift plan: the terminal tables, the CSV files and the chart, on a plan small
enough to check by hand.

The plan: open 08:00-13:00 in hours on Monday and Saturday. Template ``a`` is 4 paid hours
from 08:00 with an unpaid hour's break 2 h in (on the floor 08-10 and 11-13), at 10 an hour;
``b`` is 2 hours from 10:00 or 11:00 at 25 a shift. Monday needs [2, 2, 1, 3, 1]: only ``a``
reaches 08:00, so two of them (80, covering [2, 2, 0, 2, 2]) and one ``b`` at 10:00 (25) for
10:00 and the third agent at 11:00. Saturday needs [1, 1, 0, 0, 0]: one ``a``. 145 a week.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import numpy as np
from matplotlib.patches import StepPatch
from rich.console import Console

from simulator.report.charts import to_svg
from simulator.report.files import coverage_csv, shift_plan_csv, write_shift_plan
from simulator.report.study_charts import shift_plan_figure
from simulator.report.terminal import coverage_rows, render_shift_plan, shift_plan_summary, shift_rows
from simulator.results.shifts import ShiftPlan
from simulator.spec.shifts import ShiftTemplateSpec
from simulator.studies.shifts import plan_shifts

TEMPLATES = [ShiftTemplateSpec.model_validate(t) for t in (
    {"name": "a", "length_hours": 4, "starts": ["08:00"],
     "breaks": [{"minutes": 60, "earliest": "02:00", "latest": "03:00"}]},
    {"name": "b", "length_hours": 2, "starts": ["10:00", "11:00"], "cost_per_shift": 25},
)]
REQ = np.array([[2, 2, 1, 3, 1], [1, 1, 0, 0, 0]])
COVER = [[2, 2, 1, 3, 2], [1, 1, 0, 1, 1]]


def plan() -> ShiftPlan:
    return plan_shifts(REQ, TEMPLATES, 60, 8 * 3600, ("mon", "sat"), 10.0)


def test_the_plan_is_the_one_worked_out_by_hand() -> None:
    result = plan()
    assert [(s.template, s.start, s.end, s.days, s.agents) for s in result.shifts] == [
        ("a", "08:00", "13:00", ("mon",), 2), ("a", "08:00", "13:00", ("sat",), 1),
        ("b", "10:00", "12:00", ("mon",), 1)]
    assert result.coverage.tolist() == COVER
    assert result.cost_per_week == 145


def test_the_terminal_table_has_a_row_per_shift_and_the_totals() -> None:
    assert shift_rows(plan()) == [
        ("a", "08:00–13:00", "mon", "2", "8.0", "80.00"),
        ("a", "08:00–13:00", "sat", "1", "4.0", "40.00"),
        ("b", "10:00–12:00", "mon", "1", "2.0", "25.00"),
        ("total", "", "", "4 agent-days", "14.0", "145.00"),
    ]


def test_the_day_summary_gives_hours_required_covered_and_over_and_intervals_short() -> None:
    result = plan()
    assert coverage_rows(result) == [("mon", "9.0", "10.0", "0", "1.0"),
                                     ("sat", "2.0", "4.0", "0", "2.0")]
    # a plan short somewhere (a time-limited search could give one): the intervals are counted
    short = dataclasses.replace(result, coverage=np.array([[2, 1, 1, 1, 2], COVER[1]]),
                                under=np.array([[0, 1, 0, 2, 0], [0] * 5]))
    assert coverage_rows(short)[0][3] == "2"
    assert "2 intervals short" in shift_plan_summary(short)


def test_the_plan_prints_on_a_terminal() -> None:
    console = Console(record=True, width=120)
    render_shift_plan(plan(), console, "EUR")
    text = console.export_text()
    for piece in ("Shift plan", "cost/week (EUR)", "08:00–13:00", "4 agent-days", "145.00",
                  "Requirement against coverage, per day",
                  "3 shifts, 14.0 paid hours a week, EUR 145.00 a week; every interval covered; "
                  "optimal"):
        assert piece in text, piece


def test_the_shift_csv_has_one_row_per_shift() -> None:
    rows = list(csv.DictReader(io.StringIO(shift_plan_csv(plan()))))
    assert rows == [
        {"template": "a", "length_hours": "4.0", "start": "08:00", "end": "13:00", "days": "mon",
         "agents": "2", "paid_hours_per_week": "8.0", "cost_per_week": "80.0"},
        {"template": "a", "length_hours": "4.0", "start": "08:00", "end": "13:00", "days": "sat",
         "agents": "1", "paid_hours_per_week": "4.0", "cost_per_week": "40.0"},
        {"template": "b", "length_hours": "2.0", "start": "10:00", "end": "12:00", "days": "mon",
         "agents": "1", "paid_hours_per_week": "2.0", "cost_per_week": "25.0"},
    ]


def test_a_weekly_pattern_lists_its_days() -> None:
    week = [ShiftTemplateSpec.model_validate(
        {"name": "w", "length_hours": 2, "starts": ["08:00"], "days_per_week": 2})]
    result = plan_shifts(np.array([[1, 1], [1, 1]]), week, 60, 8 * 3600, ("mon", "tue"), 10.0)
    assert [r["days"] for r in csv.DictReader(io.StringIO(shift_plan_csv(result)))] == ["mon;tue"]
    assert shift_rows(result)[0][2] == "mon, tue"


def test_the_coverage_csv_is_tidy() -> None:
    rows = list(csv.reader(io.StringIO(coverage_csv(plan()))))
    assert rows[0] == ["day", "interval", "requirement", "coverage", "over", "under"]
    body = [(d, t, int(r), int(c), int(o), int(u)) for d, t, r, c, o, u in rows[1:]]
    hours = ["08:00", "09:00", "10:00", "11:00", "12:00"]
    assert body == [(day, hours[i], int(REQ[d, i]), COVER[d][i], max(COVER[d][i] - int(REQ[d, i]), 0), 0)
                    for d, day in enumerate(("mon", "sat")) for i in range(5)]


def test_the_files_are_written_together(tmp_path: Path) -> None:
    result = plan()
    written = write_shift_plan(tmp_path / "out", result)
    assert [p.name for p in written] == ["shift_plan.csv", "coverage.csv", "shift_plan.json"]
    assert (tmp_path / "out" / "shift_plan.csv").read_text(encoding="utf-8") == shift_plan_csv(result)
    assert (tmp_path / "out" / "coverage.csv").read_text(encoding="utf-8") == coverage_csv(result)
    document = json.loads((tmp_path / "out" / "shift_plan.json").read_text(encoding="utf-8"))
    assert document["coverage"] == {"mon": COVER[0], "sat": COVER[1]}
    assert not list((tmp_path / "out").glob(".*"))  # no temporary files left


def test_the_chart_draws_requirement_and_coverage_per_day() -> None:
    result = plan()
    for source in (result, result.to_document()):
        fig = shift_plan_figure(source)
        panels = [ax for ax in fig.axes if ax.get_visible()]
        assert [ax.get_title(loc="left") for ax in panels] == ["mon", "sat"]
        for d, ax in enumerate(panels):
            steps = [p for p in ax.patches if isinstance(p, StepPatch)]
            lines = [p.get_data() for p in steps if p.get_data().baseline is None]
            cover, need = lines  # coverage drawn first, the requirement (dashed) on top
            assert need.values.tolist() == REQ[d].tolist()
            assert cover.values.tolist() == COVER[d]
            assert cover.edges.tolist() == [8, 9, 10, 11, 12, 13]  # hours of the day
        assert "<svg" in to_svg(fig)


def test_a_day_short_is_named_on_its_panel() -> None:
    result = plan()
    short = dataclasses.replace(result, coverage=np.array([[2, 1, 1, 1, 2], COVER[1]]),
                                under=np.array([[0, 1, 0, 2, 0], [0] * 5]))
    titles = [ax.get_title(loc="left") for ax in shift_plan_figure(short).axes if ax.get_visible()]
    assert titles == ["mon · 2 intervals short", "sat"]
