"""Runs on a Dask cluster give exactly the numbers of a local run (same seed, same JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from simulator.cli import app

runner = CliRunner()
QUICK = ["--set", "run.days=5", "--replications", "3"]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        yield str(cluster.scheduler_address)


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_run_on_dask_gives_identical_json(scheduler: str) -> None:
    local = invoke("run", "scenarios/baseline.toml", *QUICK, "--format", "json", "--workers", "2")
    remote = invoke("run", "scenarios/baseline.toml", *QUICK, "--format", "json",
                    "--scheduler", scheduler)
    assert remote == local


def test_compare_on_dask_gives_identical_json(scheduler: str) -> None:
    files = ("scenarios/baseline.toml", "scenarios/wage_rise.toml")
    local = invoke("compare", *files, *QUICK, "--format", "json", "--workers", "1")
    remote = invoke("compare", *files, *QUICK, "--format", "json", "--scheduler", scheduler)
    assert remote == local
    assert json.loads(remote)["scenarios"][0]["scenario"] == "Wage rise 5 %"


def test_sweep_on_dask_gives_identical_points(scheduler: str, tmp_path: Path) -> None:
    sweep = ["sweep", "scenarios/erlang_a.toml", "--set", "agent_groups.agents.agents=48,52",
             "--set", "run.days=0.5", "--replications", "2", "--format", "csv"]
    local = invoke(*sweep, "--out", str(tmp_path / "local"), "--workers", "1")
    remote = invoke(*sweep, "--out", str(tmp_path / "remote"), "--scheduler", scheduler)
    assert remote == local
