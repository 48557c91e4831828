"""``ccsim sweep``: grids, files, and a sweep that resumes where it was stopped."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from simulator.cli import app
from simulator.studies.sweep import grid, parse_axes, split_values

runner = CliRunner()
SWEEP = ["sweep", "scenarios/erlang_a.toml", "--set", "agent_groups.agents.agents=46,48,50,52",
         "--set", "run.days=0.5", "--replications", "3", "--workers", "1"]


def test_values_split_on_commas_outside_brackets() -> None:
    assert split_values('1,2.5,"a,b",[1,2],{ dist = "fixed", value = 3 }') == [
        "1", "2.5", '"a,b"', "[1,2]", '{ dist = "fixed", value = 3 }']
    axes = parse_axes(["a.b=1,2", "c=x"])
    assert grid(axes) == [("a.b=1", "c=x"), ("a.b=2", "c=x")]


def test_sweep_writes_table_csv_json_and_chart(tmp_path: Path) -> None:
    result = runner.invoke(app, [*SWEEP, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "46" in result.stdout
    lines = (tmp_path / "sweep.csv").read_text().splitlines()
    assert len(lines) == 1 + 4
    assert lines[0].startswith("agent_groups.agents.agents,run.days,cost_per_contact.mean")
    doc = json.loads((tmp_path / "sweep.json").read_text())
    levels = [p["voice.service_level"]["mean"] for p in doc["points"]]
    assert levels == sorted(levels)  # more agents, better service, on the same customers
    assert (tmp_path / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(list((tmp_path / "points").glob("*.json"))) == 4


def test_bad_sweep_value_is_reported_before_anything_runs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sweep", "scenarios/erlang_a.toml", "--set",
                                 "agent_groups.agents.agents=10,-3", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "agent_groups[0].agents" in result.output
    assert not (tmp_path / "points").exists()


def test_a_killed_sweep_resumes_without_running_a_point_twice(tmp_path: Path) -> None:
    stopped, clean = tmp_path / "stopped", tmp_path / "clean"
    command = [sys.executable, "-m", "simulator", *SWEEP, "--format", "csv"]
    child = subprocess.Popen([*command, "--out", str(stopped)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    points = stopped / "points"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(points.glob("*.json"))) < 2:
        time.sleep(0.05)
    child.kill()
    child.wait()
    finished = {p.name: p.stat().st_mtime_ns for p in points.glob("*.json")}
    assert 2 <= len(finished) < 4, "the sweep was to be stopped midway"
    for point in points.glob("*.json"):  # written whole or not at all
        assert json.loads(point.read_text())["channels"]
    resumed = subprocess.run([*command, "--out", str(stopped)], capture_output=True, text=True,
                             check=True)
    fresh = subprocess.run([*command, "--out", str(clean)], capture_output=True, text=True,
                           check=True)
    assert resumed.stdout == fresh.stdout  # identical results
    for name, mtime in finished.items():  # finished points were read, not run again
        assert (points / name).stat().st_mtime_ns == mtime
    assert len(list(points.glob("*.json"))) == 4
