"""Runs on a Dask cluster give exactly the numbers of a local run (same seed, same JSON)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


class Stop(Exception):
    """Stands for a signal arriving while the jobs run."""


def test_an_interrupted_run_leaves_no_task_on_the_cluster(scheduler: str) -> None:
    from distributed import Client

    from simulator.experiment import Cluster, run_jobs
    from simulator.spec.layers import load_scenario

    scenario = load_scenario(Path("scenarios/erlang_a.toml"), ["run.days=3"]).scenario

    def stop(done: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        run_jobs([(scenario, r) for r in range(12)], on_done=stop,
                 scheduler=Cluster(scheduler, timeout_seconds=10))
    with Client(scheduler) as client:
        deadline = time.monotonic() + 10
        while (left := client.run_on_scheduler(_tasks)) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert left == 0  # the other eleven were cancelled, none waits or runs for a result


def _tasks(dask_scheduler: Any) -> int:
    """Tasks the scheduler still holds (run on the scheduler)."""
    return len(dask_scheduler.tasks)
