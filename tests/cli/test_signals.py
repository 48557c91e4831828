"""SIGINT and SIGTERM stop a run on a process pool whole: every worker ends, nothing is written,
one line says "interrupted" and the exit code is 128 + the signal (130, 143)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

LONG = ["scenarios/erlang_a.toml", "--workers", "2", "--set", "run.days=20",
        "--set", "run.replications=8"]  # about a minute of work: the signal comes well before


def living(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (dead, waiting to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def children(pid: int) -> list[int]:
    """The living processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_every_worker_and_writes_nothing(signum: int, code: int,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-m", "simulator", "run", *LONG, "--out", str(out)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while len(workers := children(run.pid)) < 2:
            assert run.poll() is None, run.communicate()
            assert time.monotonic() < deadline, "the pool's workers never started"
            time.sleep(0.05)
        time.sleep(0.5)  # the workers are simulating
        run.send_signal(signum)
        stdout, stderr = run.communicate(timeout=20)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert run.returncode == code, stderr
    assert stderr.strip().splitlines()[-1] == "interrupted", stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    assert not out.exists() or not any(out.iterdir())  # no output, not even a part of one
    deadline = time.monotonic() + 5
    while any(living(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if living(pid)], "a worker outlived the run"
