"""``ccsim show``: the effective scenario as TOML, each value with its origin; saved and run,
it gives the same result as the file it shows."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from tests.text import says

runner = CliRunner()
SHORT = ["--set", "run.days=1", "--set", "run.replications=2", "--set", "run.warmup_hours=0"]


def show(*args: str) -> str:
    result = runner.invoke(app, ["show", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def result_of(file: Path | str, *sets: str) -> dict[str, Any]:
    ran = runner.invoke(app, ["run", str(file), *sets, "--workers", "1", "--format", "json"])
    assert ran.exit_code == 0, ran.output
    document: dict[str, Any] = json.loads(ran.stdout)
    document.pop("file")  # the file named and how it was read differ; nothing else may
    for key in ("files", "sha256", "overrides"):
        document["provenance"].pop(key)
    return document


@pytest.mark.parametrize("sets", [
    ["scenarios/baseline.toml", *SHORT],
    ["scenarios/self_service.toml", *SHORT],
    ["scenarios/self_service.toml", *SHORT, "--set", "agent_groups.agents.shrinkage=0.25",
     "--set", "channels.voice.patience.mean=200"],
], ids=["baseline", "lever", "lever-with-set"])
def test_show_round_trips_to_the_same_result(tmp_path: Path, sets: list[str]) -> None:
    shown = tmp_path / "effective.toml"
    shown.write_text(show(*sets), encoding="utf-8")
    assert "extends" not in tomllib.loads(shown.read_text(encoding="utf-8"))
    again = result_of(shown)
    original = result_of(*sets)
    assert again == original
    assert again["provenance"]["configuration"]["run"]["days"] == 1.0  # the --set went in


def test_each_value_says_where_it_came_from() -> None:
    text = show("scenarios/self_service.toml", *SHORT,
                "--set", "channels.voice.patience.mean=200")
    lines = text.splitlines()
    assert 'name = "Self-service deflection"  # file' in lines
    assert "days = 1.0  # --set" in lines
    assert "seed = 1  # parent scenarios/baseline.toml" in lines
    assert "self_service_per_session = 0.1  # file" in lines
    assert "telephony_per_minute = 0.015  # parent scenarios/baseline.toml" in lines
    assert "outbound_per_minute = 0.0  # default" in lines
    # one line, two origins: the mean from --set, the spread from the parent
    assert ('patience = { dist = "lognormal", mean = 200.0, cv = 1.0 }  '
            "# --set + parent scenarios/baseline.toml") in lines
    values = [line for line in lines if " = " in line and not line.startswith(("#", " "))]
    assert len(values) > 150
    for line in values:
        assert "  # " in line, line
        for origin in line.rsplit("  # ", 1)[1].split(" + "):
            assert origin in {"file", "--set", "default", "parent scenarios/baseline.toml"}, line


def test_a_parents_value_changed_in_a_chain_is_the_childs(tmp_path: Path) -> None:
    """base <- middle <- top: each value named by the file that sets it last."""
    base = Path("scenarios/erlang_a.toml").read_text(encoding="utf-8")
    (tmp_path / "base.toml").write_text(base, encoding="utf-8")
    (tmp_path / "middle.toml").write_text(
        'extends = "base.toml"\n[run]\nreplications = 3\n', encoding="utf-8")
    (tmp_path / "top.toml").write_text(
        'extends = "middle.toml"\n[scenario]\nname = "top"\n[run]\nseed = 7\n', encoding="utf-8")
    text = show(str(tmp_path / "top.toml"))
    assert 'name = "top"  # file' in text
    assert "seed = 7  # file" in text
    assert f"replications = 3  # parent {tmp_path / 'middle.toml'}" in text
    assert f"days = 5.0  # parent {tmp_path / 'base.toml'}" in text
    assert 'start_day = "mon"  # default' in text


def test_show_reports_a_bad_file_like_check(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(Path("scenarios/erlang_a.toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["show", str(bad), "--set", "run.days=-1"])
    assert result.exit_code == 2
    assert says(result.output, "run.days: must be > 0")
    assert "Traceback" not in result.output
