"""A real full disk and a read-only one: a small tmpfs mounted for the test (where the machine
lets the test mount one, as CI's root does; skipped elsewhere, saying why).

The first result set fits; a second run into the same folder does not. It must fail with one
line ("disk full"), exit 2, and leave the first set byte for byte as it was, with no temporary
files left behind on the disk.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.text import says

ROOT = Path(__file__).resolve().parents[2]
QUICK = ["--set", "run.days=1", "--set", "run.replications=2"]
#: room for one result set of the short Erlang A run (about 240 kB) but not for two
DISK_BYTES = 400 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs",
                              str(disk)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not let the test mount a tmpfs: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def ccsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_a_full_disk_fails_in_one_line_and_keeps_the_earlier_set(small_disk: Path) -> None:
    out = small_disk / "res"
    first = ccsim("run", "scenarios/erlang_a.toml", *QUICK, "--out", str(out))
    assert first.returncode == 0, first.stderr
    kept = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {"result.json", "result.csv", "channels.csv"} <= set(kept)
    used = shutil.disk_usage(small_disk).used

    second = ccsim("run", "scenarios/erlang_a.toml", *QUICK, "--set", "run.seed=2",
                   "--out", str(out))
    assert second.returncode == 2, second.stderr
    assert "Traceback" not in second.stdout + second.stderr
    assert says(second.stderr, "disk full"), second.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == kept
    assert sorted(p.name for p in small_disk.iterdir()) == ["res"]  # no temporary folder left
    assert shutil.disk_usage(small_disk).used == used


def test_a_read_only_disk_is_refused_in_one_line(small_disk: Path) -> None:
    """A read-only file system stops even root (whom permission bits do not)."""
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)],
                               capture_output=True, text=True)
    if remounted.returncode != 0:
        pytest.skip(f"cannot remount the tmpfs read-only: {remounted.stderr.strip()}")
    for option, target in (("--out", small_disk / "res"), ("--html", small_disk / "page.html")):
        result = ccsim("run", "scenarios/erlang_a.toml", *QUICK, option, str(target))
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert says(result.stderr, f"{option} {target}"), result.stderr
        assert says(result.stderr, "not a writable folder"), result.stderr
    assert list(small_disk.iterdir()) == []
