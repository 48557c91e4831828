"""``ccsim plan`` end to end: bad [plan] inputs refused with their key path, the outputs (the
table at any width, JSON, CSV, the workbook, the HTML page) agreeing, and compare and bridge
of plans month by month."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from tests.text import says

runner = CliRunner()
SMALL = "tests/data/plan_small.toml"
HIRE = "tests/data/plan_small_hire.toml"
LEVER = "tests/data/plan_small_lever.toml"


def with_plan(tmp_path: Path, extra: str) -> Path:
    """The small plan with more [plan] keys (or tables after it)."""
    path = tmp_path / "plan.toml"
    path.write_text(Path(SMALL).read_text().replace("months = 3", f"months = 3\n{extra}"))
    return path


@pytest.mark.parametrize(("extra", "message"), [
    ('\n[[plan.hiring]]\ngroup = "agents"\nstart = "2026-11"\nheadcount = 3\n',
     "plan.hiring[0].start: 2026-11 is before the plan's start 2027-01"),
    ('\n[[plan.hiring]]\ngroup = "agents"\nstart = "2027-05"\nheadcount = 3\n',
     "plan.hiring[0].start: 2027-05 is after the plan's last month 2027-03"),
    ('\n[[plan.hiring]]\ngroup = "nobody"\nstart = "2027-02"\nheadcount = 3\n',
     "plan.hiring[0].group: unknown agent group 'nobody'; known: agents"),
    ('\n[[plan.hiring]]\ngroup = "agents"\nstart = "2027-02"\nheadcount = 3\n'
     'ramp = [0.8, 0.5]\n', "plan.hiring[0]"),
    ('attrition_per_month = { agnets = 0.03 }\n', "plan.attrition_per_month.agnets: unknown"),
    ('volume_factors = { voice = [1.0, 1.1] }\n',
     "plan.volume_factors.voice: needs one factor per month of the plan (3), got 2"),
    ('mnths = 4\n', "plan.mnths"),
    ('volumes_per_month = { voice = [26000, 30000] }\n',
     "plan.volumes_per_month.voice: needs one volume per month of the plan (3), got 2"),
    ('growth_per_month = 0.01\nvolumes_per_month = { voice = [1, 2, 3] }\n',
     "plan.volumes_per_month: give the forecast one way only"),
    ('volumes_per_month = { vocie = [1, 2, 3] }\n', "plan.volumes_per_month.vocie: unknown"),
    ('\n[[plan.rollouts]]\nfrom = "2027-02"\nset = { "routing.nonsense" = 1 }\n',
     "month 2027-02"),
    ('\n[[plan.rollouts]]\nfrom = "2027-02"\nlever = "missing.toml"\n', "plan.rollouts[0].lever"),
])
def test_bad_plan_inputs_exit_2_naming_the_key(tmp_path: Path, extra: str, message: str) -> None:
    result = runner.invoke(app, ["plan", str(with_plan(tmp_path, extra))])
    assert result.exit_code == 2, result.output
    assert says(result.output, message), result.output
    assert "Traceback" not in result.output


def test_a_file_without_a_plan_is_refused() -> None:
    result = runner.invoke(app, ["plan", "tests/data/staff_base.toml"])
    assert result.exit_code == 2
    assert says(result.output, "plan: missing")


@pytest.mark.parametrize("columns", ["80", "200"])
def test_the_table_fits_the_terminal(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = runner.invoke(app, ["plan", HIRE])
    assert result.exit_code == 0, result.output
    assert says(result.output, "Plan total:")
    assert says(result.output, "Head-count flow (FTE)")
    assert all(len(line) <= int(columns) for line in result.stdout.splitlines())
    assert "…" not in result.stdout.split("Head-count")[0]  # no cut figure in the months


def test_the_workbook_opens_and_its_totals_equal_the_json(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", HIRE, "--out", str(out), "--format", "json",
                                 "--html", str(tmp_path / "plan.html")])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert json.loads((out / "plan.json").read_text()) == document
    book = load_workbook(out / "plan.xlsx")
    assert book.sheetnames == ["about", "monthly_summary", "cost_lines", "headcount_flow",
                               "requirement"]
    sheet = book["monthly_summary"]
    head = [c.value for c in sheet[1]]
    rows = [dict(zip(head, (c.value for c in row), strict=True)) for row in sheet.iter_rows(
        min_row=2)]
    assert [r["month"] for r in rows] == [*(m["month"] for m in document["months"]), "all"]
    for row, month in zip(rows, document["months"], strict=False):
        assert row["total_cost"] == pytest.approx(month["cost"]["total"]["mean"], rel=1e-12)
        assert row["cost_per_contact"] == pytest.approx(month["cost"]["per_contact"]["mean"],
                                                        rel=1e-12)
    assert rows[-1]["total_cost"] == pytest.approx(document["totals"]["total"]["mean"],
                                                   rel=1e-12)
    # the CSV is the workbook's monthly summary, every digit kept
    assert (out / "plan.csv").read_text() == (out / "monthly_summary.csv").read_text()
    csv_rows = list(csv.DictReader(io.StringIO((out / "plan.csv").read_text())))
    assert [r["month"] for r in csv_rows] == [r["month"] for r in rows]
    assert float(csv_rows[-1]["total_cost"]) == document["totals"]["total"]["mean"]
    lines = book["cost_lines"]
    last = [c.value for c in list(lines.iter_rows())[-1]]
    assert last[0] == "all"
    assert sum(last[1:-1]) == pytest.approx(last[-1], rel=1e-9)  # the lines add up
    flows = book["headcount_flow"]
    head = [c.value for c in flows[1]]
    for row in flows.iter_rows(min_row=2, values_only=True):
        r = dict(zip(head, row, strict=True))
        assert r["start_fte"] + r["joiners_fte"] - r["leavers_fte"] == pytest.approx(r["end_fte"])
    page = (tmp_path / "plan.html").read_text()
    assert "Cost per contact, month by month" in page
    assert "Head-count against the requirement" in page


def test_compare_of_two_plans_gives_paired_differences_per_month() -> None:
    result = runner.invoke(app, ["compare", SMALL, HIRE, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["kind"] == "compare"
    diff = document["others"][0]["difference"]
    assert [m["month"] for m in diff["months"]] == ["2027-01", "2027-02", "2027-03"]
    assert diff["months"][0]["total"]["mean"] == 0.0  # the same month on the same seeds
    assert diff["months"][1]["total"]["ci_low"] > 0  # the class is paid from February
    table = runner.invoke(app, ["compare", SMALL, HIRE])
    assert table.exit_code == 0
    assert says(table.output, "against the baseline plan")


def test_bridge_on_a_plan_rolls_each_lever_out_from_its_first_month() -> None:
    result = runner.invoke(app, ["bridge", SMALL, LEVER, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["kind"] == "bridge"
    step = document["others"][0]
    assert step["plan"]["months"][0]["levers"] == ["plan_small_lever 100%"]
    assert all(m["total"]["ci_high"] < 0 for m in step["difference"]["months"])


def test_the_same_file_and_seed_give_the_same_plan_on_any_number_of_workers() -> None:
    one = runner.invoke(app, ["plan", HIRE, "--format", "json", "--workers", "1"])
    two = runner.invoke(app, ["plan", HIRE, "--format", "json", "--workers", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout


def test_an_auto_group_needs_its_start_headcount() -> None:
    result = runner.invoke(app, ["plan", SMALL, "--set", "agent_groups.agents.agents=auto"])
    assert result.exit_code == 2, result.output
    assert says(result.output, "plan.start_headcount.agents: group 'agents' has agents = \"auto\"")
    fine = runner.invoke(app, ["plan", SMALL, "--set", "agent_groups.agents.agents=auto",
                               "--set", "plan.start_headcount.agents=16", "--format", "json"])
    assert fine.exit_code == 0, fine.output
    assert json.loads(fine.stdout)["months"][0]["groups"][0]["start"] == 16


def test_check_validates_every_month_of_a_plan(tmp_path: Path) -> None:
    path = with_plan(tmp_path, '\n[[plan.rollouts]]\nfrom = "2027-03"\n'
                     'set = { "channels.voice.volume_per_day" = -5 }\n')
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert says(result.output, "plan, month 2027-03: channels[0].volume_per_day")
    assert runner.invoke(app, ["check", SMALL, "scenarios/plan.toml"]).exit_code == 0


def test_compare_and_bridge_of_plans_write_their_html_page(tmp_path: Path) -> None:
    """The page shows each month's paired change, the same figures as the JSON."""
    page = tmp_path / "plans.html"
    result = runner.invoke(app, ["compare", SMALL, HIRE, "--format", "json", "--html", str(page)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    text = page.read_text()
    assert "Paired change in cost per contact" in text
    assert "<svg" in text
    diff = document["others"][0]["difference"]
    february = diff["months"][1]["total"]["mean"]
    assert f"+{february:,.0f}" in text  # the class's cost in February, as in the JSON
    assert "the plan" in text
    bridge_page = tmp_path / "bridge.html"
    result = runner.invoke(app, ["bridge", SMALL, LEVER, "--html", str(bridge_page)])
    assert result.exit_code == 0, result.output
    assert "Bridge of plans" in bridge_page.read_text()
