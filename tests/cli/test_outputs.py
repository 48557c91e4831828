"""Output paths: checked before anything is simulated, never over an input, written whole or
not at all (``--out`` and ``--html`` of every command)."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import simulator.experiment
import simulator.report.files
from simulator.cli import app
from simulator.cli.common import Outputs, write_outputs
from tests.text import says

runner = CliRunner()
QUICK = ["--set", "run.days=0.25", "--replications", "2", "--workers", "1"]
BASE = Path("scenarios/erlang_a.toml").read_text(encoding="utf-8")


def folder_of(tmp_path: Path) -> Path:
    """base.toml (the Erlang A file, its handle time read from aht.csv), child.toml extending
    it, a plain file, and an earlier result folder ``res`` with a file of the user's in it."""
    (tmp_path / "aht.csv").write_text("seconds\n240\n300\n360\n", encoding="utf-8")
    (tmp_path / "base.toml").write_text(BASE.replace(
        'handle_time = { dist = "exponential", mean = 300 }',
        'handle_time = { dist = "empirical", file = "aht.csv" }'), encoding="utf-8")
    (tmp_path / "child.toml").write_text('extends = "base.toml"\n[scenario]\nname = "child"\n',
                                         encoding="utf-8")
    (tmp_path / "result.json").write_text('{"mine": true}\n', encoding="utf-8")
    (tmp_path / "res").mkdir()
    (tmp_path / "res" / "notes.txt").write_text("mine\n", encoding="utf-8")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@dataclass(frozen=True)
class Refused:
    args: list[str]  # the command line, run in the test's folder
    says: list[str]  # phrases the message must hold


REFUSED = {
    "html over the scenario": Refused(
        ["run", "base.toml", "--html", "base.toml"],
        ["--html base.toml: is a scenario file of this command", "give another file"]),
    "html over the scenario spelled ./": Refused(
        ["run", "base.toml", "--html", "./base.toml"], ["--html base.toml: is a scenario file"]),
    "html over a symlink to the scenario": Refused(
        ["run", "base.toml", "--html", "link.toml"], ["--html link.toml: is a scenario file"]),
    "html over an extends parent": Refused(
        ["run", "child.toml", "--html", "base.toml"],
        ["--html base.toml: is a file child.toml extends"]),
    "html over a CSV the scenario reads": Refused(
        ["run", "child.toml", "--html", "aht.csv"],
        ["--html aht.csv: is a CSV of observations child.toml reads"]),
    "html over the 2nd scenario of a compare": Refused(
        ["compare", "base.toml", "child.toml", "--html", "child.toml"],
        ["--html child.toml: is a scenario file of this command"]),
    "html over a bridge lever": Refused(
        ["bridge", "base.toml", "child.toml", "--html", "child.toml"],
        ["--html child.toml: is a scenario file of this command"]),
    "html over the sweep's file": Refused(
        ["sweep", "base.toml", "--set", "run.seed=1,2", "--out", "grid", "--html", "base.toml"],
        ["--html base.toml: is a scenario file"]),
    "html over the sensitivity's file": Refused(
        ["sensitivity", "base.toml", "--html", "base.toml"], ["--html base.toml: is a scenario"]),
    "html over the staffed file": Refused(
        ["staff", "base.toml", "--html", "base.toml"], ["--html base.toml: is a scenario"]),
    "html over a file --out writes": Refused(
        ["run", "base.toml", "--out", "res", "--html", "res/result.csv"],
        ["--html res/result.csv: --out res writes that file"]),
    "html not a regular file": Refused(
        ["run", "base.toml", "--html", "/dev/null"],
        ["--html /dev/null: exists and is not a regular file"]),
    "out over an existing file": Refused(
        ["run", "base.toml", "--out", "base.toml"],
        ["--out base.toml: exists and is not a folder", "give a folder"]),
    "out under a file": Refused(
        ["run", "base.toml", "--out", "base.toml/sub"],
        ["--out base.toml/sub: cannot create it: base.toml is a file, not a writable folder"]),
    "out whose file would be the scenario": Refused(
        ["run", "result.json", "--out", "."],
        ["--out .: would write over result.json, a scenario file of this command"]),
    "sweep out over a file": Refused(
        ["sweep", "base.toml", "--set", "run.seed=1,2", "--out", "child.toml"],
        ["--out child.toml: exists and is not a folder"]),
    "compare out under a file": Refused(
        ["compare", "base.toml", "child.toml", "--out", "aht.csv/x"],
        ["--out aht.csv/x: cannot create it: aht.csv is a file"]),
    "staff out over a file": Refused(
        ["staff", "base.toml", "--out", "aht.csv"], ["--out aht.csv: exists and is not a folder"]),
}


@pytest.fixture
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any simulation fails the test: a refused output must be refused before it."""
    def refuse(*_: object, **__: object) -> None:
        pytest.fail("simulated before checking the outputs")

    monkeypatch.setattr(simulator.experiment, "run_jobs", refuse)


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_a_bad_output_path_is_refused_before_simulating(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_simulation: None, case: Refused
) -> None:
    folder = folder_of(tmp_path)
    if "result.json" in case.args[:2]:  # a scenario named as an output of the --out set
        (folder / "result.json").write_text(BASE, encoding="utf-8")
    (folder / "link.toml").symlink_to("base.toml")
    before = snapshot(folder)
    monkeypatch.chdir(folder)
    result = runner.invoke(app, [*case.args, *QUICK])
    assert result.exit_code == 2, result.output
    for phrase in case.says:
        assert says(result.output, phrase), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert snapshot(folder) == before  # every input as it was, nothing written


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permission bits")
def test_a_read_only_folder_is_refused_before_simulating(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_simulation: None) -> None:
    folder = folder_of(tmp_path)
    locked = folder / "locked"
    locked.mkdir(mode=0o555)
    monkeypatch.chdir(folder)
    for option, target in (("--out", "locked/res"), ("--html", "locked/r.html")):
        result = runner.invoke(app, ["run", "base.toml", option, target, *QUICK])
        assert result.exit_code == 2, result.output
        assert says(result.output, f"{option} {target}: cannot")
        assert says(result.output, "locked is not a writable folder")


def disk_full_at(monkeypatch: pytest.MonkeyPatch, call: int) -> None:
    """The ``call``-th file written (1 = the first) fails as on a full disk."""
    real: Callable[[Path, str | bytes], None] = simulator.report.files._write_bytes
    calls = []

    def write(path: Path, content: str | bytes) -> None:
        calls.append(path)
        if len(calls) == call:
            path.write_bytes(b"half")  # a partial file, as a full disk leaves it
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, content)

    monkeypatch.setattr(simulator.report.files, "_write_bytes", write)


#: the files of ``ccsim run --out res --html page.html`` in the order they are written
WRITTEN = ["res/result.json", "res/result.csv", "res/channels.csv", "res/contact_types.csv",
           "res/groups.csv", "res/costs.csv", "res/intervals.csv", "page.html"]


@pytest.mark.parametrize("call", [1, 2, 3, 8])
def test_a_full_disk_leaves_the_earlier_set_and_page_as_they_were(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: int) -> None:
    folder = folder_of(tmp_path)
    monkeypatch.chdir(folder)
    args = ["run", "base.toml", "--out", "res", "--html", "page.html", *QUICK]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    before = snapshot(folder)
    assert {"res/result.json", "res/result.csv", "page.html"} <= set(before)
    disk_full_at(monkeypatch, call)  # result.json, result.csv, the tidy CSVs, then the page
    result = runner.invoke(app, [*args, "--seed", "7"])
    assert result.exit_code == 2, result.output
    failed = WRITTEN[call - 1]
    option = "--html page.html" if failed == "page.html" else "--out res"
    assert says(result.output, f"{option}: cannot write {failed}: disk full")
    assert says(result.output, "nothing was written")
    assert "Traceback" not in result.output
    assert snapshot(folder) == before  # no half file, no temporary folder, the old set whole


def test_a_full_disk_in_a_new_folder_leaves_no_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = folder_of(tmp_path)
    monkeypatch.chdir(folder)
    before = snapshot(folder)
    disk_full_at(monkeypatch, 2)
    result = runner.invoke(app, ["run", "base.toml", "--out", "new/deep", *QUICK])
    assert result.exit_code == 2, result.output
    assert says(result.output, "--out new/deep: cannot write new/deep/result.csv: disk full")
    assert not (folder / "new").exists()
    assert snapshot(folder) == before


def test_an_ok_run_writes_its_set_beside_the_users_files(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = folder_of(tmp_path)
    monkeypatch.chdir(folder)
    inputs = {name: (folder / name).read_bytes() for name in ("base.toml", "child.toml",
                                                               "aht.csv")}
    result = runner.invoke(app, ["run", "child.toml", "--out", "res", "--html", "out/page.html",
                                 *QUICK])
    assert result.exit_code == 0, result.output
    assert says(result.stderr, "wrote res/result.json, res/result.csv")
    assert says(result.stderr, "wrote out/page.html")
    assert (folder / "res" / "result.json").stat().st_size > 0
    assert (folder / "out" / "page.html").read_text(encoding="utf-8").startswith("<!")
    assert (folder / "res" / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert {name: (folder / name).read_bytes() for name in inputs} == inputs
    assert not list(folder.rglob(".ccsim-*"))  # no temporary folder left behind


def test_a_set_replaces_the_earlier_set_whole(tmp_path: Path) -> None:
    """A file of the set this run does not produce (staff's shift_plan.csv without shift
    templates) is removed, so the folder never mixes two runs; other files stay."""
    out = tmp_path / "res"
    out.mkdir()
    for name in ("a.csv", "b.csv", "notes.txt"):
        (out / name).write_text("old\n", encoding="utf-8")
    write_outputs(Outputs(out, ("a.csv", "b.csv"), None), {"a.csv": lambda: "new\n"})
    assert (out / "a.csv").read_text(encoding="utf-8") == "new\n"
    assert not (out / "b.csv").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "old\n"
