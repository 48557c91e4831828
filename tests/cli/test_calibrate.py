"""``ccsim calibrate``: the table, the layer it writes (loadable, only patience changed), and
what it refuses (an export it cannot read, a queue the scenario lacks, a file it would write
over)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.history.table import History
from simulator.spec.layers import load_scenario
from tests.studies.histories import (
    TRUE_PATIENCE_SECONDS,
    export_csv,
    history_of,
    small_centre,
    write_toml,
)
from tests.text import says

runner = CliRunner()
FAST = ["--workers", "1", "--replications", "5"]


@pytest.fixture(scope="module")
def history() -> History:
    return history_of(small_centre(TRUE_PATIENCE_SECONDS), 8, 99)


@pytest.fixture
def files(tmp_path: Path, history: History) -> tuple[Path, Path]:
    """A scenario with twice the true patience, and the history's export."""
    scenario = write_toml(small_centre(2 * TRUE_PATIENCE_SECONDS), tmp_path / "centre.toml")
    return scenario, export_csv(history, tmp_path / "export.csv")


def test_writes_a_layer_that_sets_only_the_calibrated_patience(files: tuple[Path, Path]
                                                               ) -> None:
    scenario, export = files
    out = scenario.parent / "layers" / "calibrated.toml"
    out.parent.mkdir()
    ran = runner.invoke(app, ["calibrate", str(scenario), str(export), "--out", str(out), *FAST])
    assert ran.exit_code == 0, ran.output
    assert says(ran.stdout, "voice before 1,200.0")
    assert says(ran.stdout, "never abandons")
    text = out.read_text(encoding="utf-8")
    layer = tomllib.loads(text)
    assert layer["extends"] == "../centre.toml"
    assert [c["name"] for c in layer["channels"]] == ["voice"]
    assert set(layer) == {"extends", "channels"}
    assert set(layer["channels"][0]) == {"name", "patience"}
    assert str(export) in text  # the comments cite the export
    assert "MAE" in text
    mean = layer["channels"][0]["patience"]["mean"]
    assert mean < 2 * TRUE_PATIENCE_SECONDS
    merged = load_scenario(out).scenario
    original = load_scenario(scenario).scenario
    assert merged.channel("voice").patience == original.channel("voice").patience.model_copy(
        update={"mean_": mean})
    assert merged.model_dump(exclude={"channels"}) == original.model_dump(exclude={"channels"})
    assert merged.channel("care") == original.channel("care")


def test_never_writes_over_a_file_without_force(files: tuple[Path, Path]) -> None:
    scenario, export = files
    out = scenario.parent / "calibrated.toml"
    out.write_text("# mine\n", encoding="utf-8")
    ran = runner.invoke(app, ["calibrate", str(scenario), str(export), "--out", str(out), *FAST])
    assert ran.exit_code == 2
    assert says(ran.stderr, "exists; give --force")
    assert out.read_text(encoding="utf-8") == "# mine\n"
    forced = runner.invoke(app, ["calibrate", str(scenario), str(export), "--out", str(out),
                                 "--force", *FAST])
    assert forced.exit_code == 0, forced.output
    assert "extends" in tomllib.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("target", ["centre.toml", "export.csv"])
def test_never_writes_over_what_it_reads(files: tuple[Path, Path], target: str) -> None:
    scenario, export = files
    before = (scenario.parent / target).read_bytes()
    ran = runner.invoke(app, ["calibrate", str(scenario), str(export), "--out",
                              str(scenario.parent / target), "--force", *FAST])
    assert ran.exit_code == 2
    assert says(ran.stderr, "never writes over what it reads")
    assert (scenario.parent / target).read_bytes() == before


def test_an_unknown_queue_is_refused(files: tuple[Path, Path], history: History) -> None:
    scenario, export = files
    frame = history.frame.copy()
    frame.loc[frame["queue"] == "care", "queue"] = "Billing"
    export_csv(History(frame, history.interval_minutes, history.sources), export)
    out = scenario.parent / "calibrated.toml"
    ran = runner.invoke(app, ["calibrate", str(scenario), str(export), "--out", str(out), *FAST])
    assert ran.exit_code == 2
    assert says(ran.stderr, "history queue 'Billing': the scenario has no channel 'billing'")
    assert "Traceback" not in ran.output
    assert not out.exists()


def test_a_bad_export_is_refused_with_its_file_and_column(files: tuple[Path, Path]) -> None:
    scenario, export = files
    lines = export.read_text(encoding="utf-8").splitlines()
    export.write_text("\n".join([lines[0] + ",colour", *(f"{line},red" for line in lines[1:])]),
                      encoding="utf-8")
    out = scenario.parent / "calibrated.toml"
    ran = runner.invoke(app, ["calibrate", str(scenario), str(export), "--out", str(out), *FAST])
    assert ran.exit_code == 2
    assert says(ran.stderr, f"{export}: row 1, column 11 'colour': unknown column")
    assert not out.exists()
    ran = runner.invoke(app, ["calibrate", str(scenario), str(export), "--out", str(out), *FAST,
                              "--column", "ignore=colour"])  # as ccsim import takes it
    assert ran.exit_code == 0, ran.output
    assert out.exists()


@pytest.mark.parametrize("width", [80, 100, 200])
def test_the_table_fits_the_terminal(files: tuple[Path, Path], width: int) -> None:
    scenario, export = files
    ran = runner.invoke(app, ["calibrate", str(scenario), str(export), "--out",
                              str(scenario.parent / "c.toml"), *FAST], env={"COLUMNS": str(width)})
    assert ran.exit_code == 0, ran.output
    lines = ran.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    rows = [line.split() for line in lines]
    assert next(r for r in rows if r[:1] == ["voice"])[:3] == ["voice", "before", "1,200.0"]
    after = next(r for r in rows if r[:1] == ["after"])
    assert len(after) == 6  # after, patience, sims, MAE, bias, in band: none wrapped or cut
