"""One convention for units and periods (docs/units.md): each family of figures has the same
value and unit in the terminal table, the tidy CSVs, the JSON, the workbook and the HTML page of
one run; and the tidy tables, the workbook and ``ccsim check`` say what they hold."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

import simulator
from simulator.cli import app
from simulator.report import format as fmt
from simulator.report.blocks import contact_types_table
from simulator.report.workbook import number_format
from simulator.results.run import RunResult
from tests.text import says

runner = CliRunner()
QUICK = ["--set", "run.days=6", "--set", "run.replications=2", "--workers", "1"]


@dataclass(frozen=True)
class Outputs:
    """Every output of one run: the terminal table, the tidy CSVs, the JSON, the workbook,
    the visible text of the HTML page."""

    table: str
    csv: dict[str, list[dict[str, str]]]
    document: dict[str, Any]
    book: dict[str, list[dict[str, Any]]]
    page: str

    def row(self, table: str, key: str, name: str) -> dict[str, str]:
        return next(r for r in self.csv[table] if r[key] == name)

    def cell(self, table: str, key: str, name: str, column: str) -> Any:
        return next(r for r in self.book[table] if r[key] == name)[column]


def _sheets(path: Path) -> dict[str, list[dict[str, Any]]]:
    book = openpyxl.load_workbook(path)
    out = {}
    for sheet in book.worksheets[1:]:
        rows = list(sheet.iter_rows(values_only=True))
        out[sheet.title] = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    folder = tmp_path_factory.mktemp("units")
    result = runner.invoke(app, ["run", "scenarios/baseline.toml", *QUICK, "--detail", "--out",
                                 str(folder / "out"), "--format", "xlsx", "--html",
                                 str(folder / "report.html")])  # --detail: every service row
    assert result.exit_code == 0, result.output
    out = folder / "out"
    tables = {name: list(csv.DictReader(io.StringIO((out / f"{name}.csv").read_text("utf-8"))))
              for name in ("channels", "contact_types", "groups", "costs", "intervals")}
    page = re.sub(r"<[^>]+>", " ", (folder / "report.html").read_text("utf-8"))
    return Outputs(result.stdout, tables, json.loads((out / "result.json").read_text("utf-8")),
                   _sheets(out / "result.xlsx"), html.unescape(page))


def _number(text: str) -> float:
    return float(text)


def test_volumes_per_open_day_agree(outputs: Outputs) -> None:
    voice = outputs.row("channels", "channel", "voice")
    offered, half = int(voice["offered_per_open_day"]), int(voice["offered_per_open_day_pm95"])
    per_day = outputs.document["per_open_day"]["channels"]["voice"]["offered"]
    assert round(per_day["mean"]) == offered
    total = outputs.document["channels"]["voice"]["offered"]["mean"]  # the run total, labelled
    assert total / outputs.document["open_days_measured"] == pytest.approx(per_day["mean"])
    assert total > 1.5 * per_day["mean"]  # more than one open day measured: the two differ
    assert outputs.cell("channels", "channel", "voice", "offered_per_open_day") == offered
    assert says(outputs.table, f"Offered to agents {offered:,} ±{half:,}")
    assert says(outputs.page, f"offered to agents per day {offered:,} ± {half:,}")


def test_service_level_agrees(outputs: Outputs) -> None:
    voice = outputs.row("channels", "channel", "voice")
    level, half = voice["service_level_pct"], voice["service_level_pct_pm95"]
    stat = outputs.document["channels"]["voice"]["service_level"]
    assert f"{stat['mean'] * 100:.1f}" == level
    assert f"{(stat['ci_high'] - stat['mean']) * 100:.1f}" == half
    assert outputs.cell("channels", "channel", "voice", "service_level_pct") == _number(level)
    assert says(outputs.table, f"Service level {level}% ±{half}")
    assert says(outputs.page, f"service level {level} % ± {half}")


@pytest.mark.parametrize(("key", "words_terminal", "words_page"), [
    ("aht_seconds", "Average handle time (s)", "average handle time (s)"),
    ("asa_seconds", "Average speed of answer (s)", "average speed of answer (s)")])
def test_handle_time_and_asa_agree(outputs: Outputs, key: str, words_terminal: str,
                                   words_page: str) -> None:
    chat = outputs.row("channels", "channel", "chat")
    seconds, half = chat[key], chat[f"{key}_pm95"]
    assert f"{outputs.document['channels']['chat'][key]['mean']:.1f}" == seconds
    assert outputs.cell("channels", "channel", "chat", key) == _number(seconds)
    voice = outputs.row("channels", "channel", "voice")
    # the table's row: voice, chat, email, in that order
    assert says(outputs.table, f"{words_terminal} {voice[key]} ±{voice[key + '_pm95']} "
                f"{seconds} ±{half}")
    assert says(outputs.page, f"{words_page} {voice[key]} ± {voice[key + '_pm95']} "
                f"{seconds} ± {half}")


def test_contact_types_agree_and_add_up(outputs: Outputs) -> None:
    """Each contact type in the JSON (with its channel, every figure a statistic), the tidy
    CSV, the workbook, the --detail table and the page; a channel's types add up to it in
    every replication. Only voice has several types: only voice has a table of them."""
    doc = outputs.document
    types = doc["contact_types"]
    configured = doc["provenance"]["configuration"]["contact_types"]
    assert list(types) == [t["name"] for t in configured]
    assert {t["channel"] for t in types.values()} == set(doc["channels"])
    for channel, figures in doc["channels"].items():
        mine = [t for t in types.values() if t["channel"] == channel]
        for key in ("offered", "answered", "abandoned"):
            for r in range(doc["replications"]):
                assert sum(t[key]["values"][r] for t in mine) == figures[key]["values"][r]
    for key in ("service_level", "abandon_rate", "asa_seconds", "aht_seconds"):
        assert set(types["billing"][key]) == {"mean", "ci_low", "ci_high", "values"}, key
    assert types["email_enquiry"]["service_level"]["mean"] is None  # deferred: none
    billing = outputs.row("contact_types", "contact_type", "billing")
    assert billing["channel"] == "voice"
    offered, half = int(billing["offered_per_open_day"]), int(billing["offered_per_open_day_pm95"])
    assert round(types["billing"]["offered"]["mean"] / doc["open_days_measured"]) == offered
    level = types["billing"]["service_level"]
    assert f"{level['mean'] * 100:.1f}" == billing["service_level_pct"]
    assert outputs.cell("contact_types", "contact_type", "billing", "offered_per_open_day") == offered
    assert len(outputs.csv["contact_types"]) == len(types)
    # the table: billing is the first column of the voice types' (first) table at any width
    assert says(outputs.table, "Service by contact type · voice")
    assert not says(outputs.table, "Service by contact type · chat")
    assert says(outputs.table, f"Offered to agents {offered:,} ±{half:,}")
    assert says(outputs.page, "Service by contact type")
    assert says(outputs.page, f"billing voice {offered:,} ± {half:,}")
    page_table = contact_types_table(doc)
    assert page_table is not None
    assert [row[0].content for row in page_table.rows] == ["billing", "tech_support", "sales"]


def test_the_long_csv_has_a_row_per_type_and_figure() -> None:
    """erlang_a's one type is its channel: the same figures, row for row."""
    result = runner.invoke(app, ["run", "scenarios/erlang_a.toml", "--set", "run.days=0.25",
                                 "--replications", "2", "--workers", "1", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["metric"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    figures = ("offered", "answered", "abandoned", "service_level", "abandon_rate",
               "asa_seconds", "aht_seconds")
    assert [m for m in rows if m.startswith("contact_types.")] == [
        f"contact_types.general.{key}" for key in figures]
    for key in figures:
        assert rows[f"contact_types.general.{key}"] | {"metric": ""} == \
            rows[f"channels.voice.{key}"] | {"metric": ""}, key


def test_cost_per_contact_and_total_agree(outputs: Outputs) -> None:
    total = outputs.row("costs", "line", "total")
    per, per_half = total["cost_per_contact_usd"], total["cost_per_contact_usd_pm95"]
    month = int(total["cost_per_month_usd"])
    cost = outputs.document["cost"]
    assert f"{cost['per_contact']['mean']:.2f}" == per
    assert round(cost["period_total"]["mean"]) == month
    assert outputs.cell("costs", "line", "total", "cost_per_month_usd") == month
    assert outputs.cell("costs", "line", "total", "cost_per_contact_usd") == _number(per)
    month_half = round(cost["period_total"]["ci_high"] - cost["period_total"]["mean"])
    assert says(outputs.table, f"Cost per contact USD {per} ±{per_half}")
    assert says(outputs.table, f"Total per month USD {month:,} ±{month_half:,}")  # whole units
    assert not re.search(r"Total per month\s+USD [\d,]+\.\d", outputs.table)  # no cents
    assert says(outputs.page, f"{per} ± {per_half}")
    assert says(outputs.page, f"{month:,} ± {month_half:,}")
    # the lines add up to the total per month, each to the whole unit
    lines = [int(r["cost_per_month_usd"]) for r in outputs.csv["costs"]
             if r["cost_per_month_usd"] and r["line"] != "total"]
    assert abs(sum(lines) - month) <= len(lines)


def test_occupancy_and_hours_agree(outputs: Outputs) -> None:
    agents = outputs.row("groups", "group", "agents")
    occupancy, half = agents["occupancy_pct"], agents["occupancy_pct_pm95"]
    paid = agents["paid_hours_per_open_day"]
    document = outputs.document
    assert f"{document['agent_groups']['agents']['occupancy']['mean'] * 100:.1f}" == occupancy
    per_day = document["per_open_day"]["agent_groups"]["agents"]["paid_hours"]["mean"]
    assert f"{per_day:.1f}" == paid
    assert outputs.cell("groups", "group", "agents", "paid_hours_per_open_day") == _number(paid)
    assert says(outputs.table, f"agents {occupancy}% ±{half} {float(paid):,.1f}")
    assert says(outputs.page, f"agents {occupancy} % ± {half} {float(paid):,.1f}")


def test_every_output_states_the_convention(outputs: Outputs) -> None:
    line = fmt.convention("USD", "month")
    assert says(outputs.table, line)
    assert says(outputs.page, line)
    assert "per_open_day" in outputs.document["units"]["volumes"]


def test_intervals_table_is_tidy(outputs: Outputs) -> None:
    rows = outputs.csv["intervals"]
    keys = {(r["days"], r["start"], r["channel"]) for r in rows}
    assert len(keys) == len(rows)  # one row per weekday class × interval × channel
    assert {r["channel"] for r in rows} == {"voice", "chat", "email"}
    classes = outputs.document["intervals_by_day"]
    assert len(rows) == 3 * len(classes)
    first = classes[0]
    row = next(r for r in rows if r["start"] == first["start"] and r["channel"] == "voice"
               and r["days"] == fmt.days(first["days"]))
    assert f"{first['voice']['offered']['mean']:.1f}" == row["offered_per_open_day"]


def test_workbook_is_a_planners_spreadsheet(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", "scenarios/baseline.toml", "scenarios/callback.toml",
                                 *QUICK, "--out", str(tmp_path), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "comparison.xlsx")
    assert book.sheetnames == ["about", "summary", "differences", "channels", "contact_types",
                               "groups", "costs", "intervals"]
    assert fmt.convention("USD", "month") in [c.value for c in book["about"]["B"]]
    sheet = book["summary"]
    header = [c.value for c in sheet[1]]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    month = sheet.cell(2, header.index("cost_per_month_usd") + 1)
    assert isinstance(month.value, int)
    assert month.number_format == "#,##0"
    per = sheet.cell(3, header.index("cost_per_contact_usd") + 1)
    assert isinstance(per.value, float)
    assert per.number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width >= len("Callback (virtual hold)")
    summary = list(csv.DictReader(io.StringIO((tmp_path / "summary.csv").read_text("utf-8"))))
    assert summary[1]["cost_per_contact_usd"] == f"{per.value:.2f}"
    # the terminal's comparison: money per month in whole units, volumes per open day
    change = summary[1]["change_cost_per_month_usd"]
    assert says(result.stdout, f"total cost per month {int(summary[0]['cost_per_month_usd']):,}")
    assert "total cost in the run" not in result.stdout
    assert says(result.stdout, f"{int(change):+,} ±")
    differences = list(csv.DictReader(io.StringIO(
        (tmp_path / "differences.csv").read_text("utf-8"))))
    offered = next(r for r in differences if r["figure"] == "voice.offered_per_open_day")
    assert says(result.stdout, f"voice: offered per open day {int(float(offered['baseline'])):,}")


def test_number_formats_follow_the_units() -> None:
    assert number_format("service_level_pct") == "0.0"
    assert number_format("cost_per_contact_usd_pm95") == "#,##0.00"
    assert number_format("cost_per_month_usd") == "#,##0"
    assert number_format("paid_hours_per_open_day") == "#,##0.0"
    assert number_format("offered_per_open_day") == "#,##0"
    assert number_format("channel") == "General"


def test_xlsx_needs_a_folder() -> None:
    result = runner.invoke(app, ["run", "scenarios/erlang_a.toml", "--format", "xlsx"])
    assert result.exit_code == 2
    assert says(result.output, "--format xlsx: the workbook is written to the --out folder")


def test_tables_api_is_what_the_csvs_hold(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "scenarios/erlang_a.toml", "--set", "run.days=0.25",
                                 "--replications", "2", "--workers", "1", "--out", str(tmp_path),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    run = RunResult.from_document(json.loads(result.stdout))
    frames = simulator.tables(run)
    assert list(frames) == ["channels", "contact_types", "groups", "costs", "intervals"]
    for name, frame in frames.items():
        assert frame.to_csv(index=False, lineterminator="\n") == \
            (tmp_path / f"{name}.csv").read_text("utf-8"), name


def test_check_counts_contacts_per_open_day() -> None:
    """The baseline is open Monday to Saturday: its first contacts per open day are 7/6 of a
    day's averaged over the week (closed Sunday included), and a month's run agrees."""
    result = runner.invoke(app, ["check", "scenarios/baseline.toml"])
    assert result.exit_code == 0, result.output
    match = re.search(r"about ([\d,]+) first contacts per open day", " ".join(result.stdout.split()))
    assert match is not None, result.stdout
    said = int(match.group(1).replace(",", ""))
    ran = runner.invoke(app, ["run", "scenarios/baseline.toml", "--set", "run.days=18",
                              "--set", "run.replications=2", "--workers", "2", "--format",
                              "json"])
    per_day = json.loads(ran.stdout)["per_open_day"]["channels"]
    first = sum(c["customers"]["mean"] - c["repeats"]["mean"] - c["redirected_in"]["mean"]
                for c in per_day.values())
    assert said == pytest.approx(first, rel=0.05)
