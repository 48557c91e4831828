"""ccsim backtest end to end: the error table, the files it writes, and the histories it refuses
(exit 2, the file, row or column named)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.history.export import write_history
from simulator.report import legibility
from simulator.report.backtest import band_figure
from simulator.results.backtest import BacktestResult
from simulator.spec.layers import load_scenario
from simulator.studies.synthetic import history_of
from tests.studies.test_synthetic import TWO_QUEUES
from tests.text import says

runner = CliRunner()
QUICK = ["--replications", "3", "--workers", "1"]


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "export.csv"
    write_history(history_of(load_scenario(TWO_QUEUES), 1, workers=1), path)
    return path


def test_the_error_table_and_every_file(export: Path, tmp_path: Path) -> None:
    rows, doc, page = tmp_path / "rows.csv", tmp_path / "result.json", tmp_path / "report.html"
    result = runner.invoke(app, ["backtest", str(TWO_QUEUES), str(export), *QUICK, "--csv",
                                 str(rows), "--json", str(doc), "--html", str(page)])
    assert result.exit_code == 0, result.output
    assert says(result.stdout, "5 dates (2026-01-05 to 2026-01-09) × 2 channel(s) × 3 "
                "replications")
    assert says(result.stdout, "nominal coverage of every band: 50.0 %")  # (3 + 1 - 2) / 4
    for cell in ("sales", "support", "SL", "abandon", "ASA (s)", "occupancy"):
        assert cell in result.stdout
    table = list(csv.DictReader(io.StringIO(rows.read_text(encoding="utf-8"))))
    assert len(table) == 5 * 8 * 2 * 4  # dates × intervals × channels × metrics
    assert {r["metric"] for r in table} == {"service_level", "abandon_rate", "asa_seconds",
                                            "occupancy"}
    assert all(r["inside"] in ("true", "false", "") for r in table)
    back = BacktestResult.from_document(json.loads(doc.read_text(encoding="utf-8")))
    assert len(back.rows) == len(table)
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 2  # a chart per channel
    assert "http" not in html.replace("http://www.w3.org", "")  # nothing fetched
    assert "simulated band" in html


def test_the_band_chart_is_legible(export: Path, tmp_path: Path) -> None:
    doc = tmp_path / "result.json"
    result = runner.invoke(app, ["backtest", str(TWO_QUEUES), str(export), *QUICK,
                                 "--json", str(doc), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("channel,metric,intervals,mae,bias,coverage")
    figure = band_figure(json.loads(doc.read_text(encoding="utf-8")), "sales")
    assert legibility.legibility(figure).problems == []


def test_a_queue_the_scenario_lacks_exits_2_naming_both(export: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text(export.read_text(encoding="utf-8").replace(",support,", ",Billing,"),
                     encoding="utf-8")
    result = runner.invoke(app, ["backtest", str(TWO_QUEUES), str(other), *QUICK])
    assert result.exit_code == 2
    assert says(result.stderr, "history queue 'Billing': the scenario has no channel 'billing'")
    assert "Traceback" not in result.output


def test_a_bad_history_exits_2_with_file_and_column(export: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(export.read_text(encoding="utf-8").replace("agents", "agnets", 1),
                   encoding="utf-8")
    result = runner.invoke(app, ["backtest", str(TWO_QUEUES), str(bad), *QUICK])
    assert result.exit_code == 2
    assert says(result.stderr, f"{bad}: row 1, column 9 'agnets': unknown column")
    mapped = runner.invoke(app, ["backtest", str(TWO_QUEUES), str(bad), *QUICK,
                                 "--column", "agents=agnets"])  # as ccsim import takes it
    assert mapped.exit_code == 0, mapped.output


def test_an_output_over_the_history_is_refused(export: Path) -> None:
    before = export.read_bytes()
    result = runner.invoke(app, ["backtest", str(TWO_QUEUES), str(export), *QUICK, "--csv",
                                 str(export)])
    assert result.exit_code == 2
    assert says(result.stderr, "is a history this command reads")
    assert export.read_bytes() == before
