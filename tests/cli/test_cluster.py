"""A Dask cluster that cannot run the jobs ends the command at once with one line, exit 2.

A malformed --scheduler is refused before anything is read; a scheduler that does not answer,
or has no worker, is named with the timeout that ran out (--scheduler-timeout sets both).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from distributed import LocalCluster
from typer.testing import CliRunner, Result

from simulator.cli import app
from simulator.experiment import scheduler_address
from tests.text import says

runner = CliRunner()
QUICK = ["scenarios/erlang_a.toml", "--set", "run.days=0.5", "--replications", "2"]


def ccsim(*args: str) -> Result:
    return runner.invoke(app, list(args))


def free_port() -> int:
    """A port nothing listens on (the system's pick for a socket bound and closed again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("address", ["not an address", "tcp://", "tcp://host", "host",
                                     "tcp://host:port", "tcp://:8786", "http://host:8786",
                                     "tcp://host:0", "tcp://host:70000", "tcp://a b:8786"])
@pytest.mark.parametrize("command", [["run", *QUICK], ["sweep", *QUICK, "--set",
                                                        "agent_groups.agents.agents=48,52"]])
def test_a_malformed_address_is_refused_at_once(command: list[str], address: str) -> None:
    result = ccsim(*command, "--scheduler", address)
    assert result.exit_code == 2, result.output
    assert says(result.output, "'--scheduler'")
    assert says(result.output, "tcp://HOST:PORT")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("address", "taken"), [
    ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"), ("10.0.0.5:8786", "tcp://10.0.0.5:8786"),
    ("tcp://dask-scheduler.local:8786/", "tcp://dask-scheduler.local:8786"),
    (" tcp://[::1]:8786 ", "tcp://[::1]:8786")])
def test_a_well_formed_address_is_taken(address: str, taken: str) -> None:
    assert scheduler_address(address) == taken


def test_nothing_listening_is_named_with_its_timeout() -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    start = time.monotonic()
    result = ccsim("run", *QUICK, "--scheduler", address, "--scheduler-timeout", "1")
    assert result.exit_code == 2, result.output
    assert says(result.output, f"--scheduler {address}: no Dask scheduler answered within 1 s")
    assert says(result.output, "--scheduler-timeout")
    assert "Traceback" not in result.output
    assert time.monotonic() - start < 15  # not the 30 s Dask waits by itself


@pytest.fixture(scope="module")
def no_workers() -> Iterator[str]:
    with LocalCluster(n_workers=0, dashboard_address=None) as cluster:
        yield str(cluster.scheduler_address)


@pytest.mark.parametrize("command", [["run", *QUICK],
                                     ["compare", "scenarios/erlang_a.toml", *QUICK]])
def test_a_scheduler_without_workers_is_named_with_its_timeout(no_workers: str,
                                                               command: list[str]) -> None:
    start = time.monotonic()
    result = ccsim(*command, "--scheduler", no_workers, "--scheduler-timeout", "1.5")
    assert result.exit_code == 2, result.output
    assert says(result.output, f"--scheduler {no_workers}: the scheduler has no workers: none "
                "joined within 1.5 s")
    assert "Traceback" not in result.output
    assert time.monotonic() - start < 15  # before, it waited for ever


def test_a_timeout_needs_a_scheduler() -> None:
    result = ccsim("run", *QUICK, "--scheduler-timeout", "5")
    assert result.exit_code == 2, result.output
    assert says(result.output, "--scheduler-timeout: only with --scheduler")
