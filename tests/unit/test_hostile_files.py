"""Hostile and mistaken files: every one a refusal naming the file and the bound, exit code 2.

Format abuse (nesting, long numbers, long chains, huge files, bad names, symlink loops, CSVs
that are not UTF-8 text) and messages that must name the right thing (a folder or a device is
never "file not found"; an extended file that is not a scenario is named by the file extending
it). Every input is generated in ``tmp_path``; the huge file is sparse, so nothing big is
written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.spec.layers import ScenarioError, load_scenario
from simulator.spec.reading import (
    MAX_CSV_BYTES,
    MAX_CSV_ROWS,
    MAX_DIGITS,
    MAX_EXTENDS,
    MAX_NESTING,
    MAX_SCENARIO_BYTES,
    FileProblem,
    check_data,
)
from tests.text import says, unwrapped

CANONICAL = (Path(__file__).resolve().parents[2] / "scenarios" / "erlang_a.toml").read_text(
    encoding="utf-8"
)
HANDLE = 'handle_time = { dist = "exponential", mean = 300 }'


@dataclass(frozen=True)
class Hostile:
    """Command-line arguments after the command (``{tmp}`` is the test's folder), the file the
    message must name, and phrases it must say."""

    args: tuple[str, ...]
    named: str
    says: tuple[str, ...]
    make: Callable[[Path], None] = lambda tmp: None


def scenario(name: str, text: str = CANONICAL) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        (tmp / name).write_text(text, encoding="utf-8")
    return make


def both(*makers: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        for maker in makers:
            maker(tmp)
    return make


def with_csv(file: str) -> str:
    """The canonical file with its handle time read from ``file``."""
    assert CANONICAL.count(HANDLE) == 1
    return CANONICAL.replace(HANDLE, f'handle_time = {{ dist = "empirical", file = "{file}" }}')


def chain(length: int) -> Callable[[Path], None]:
    """``c{length-1}.toml`` extends ... ``c1.toml`` extends ``c0.toml`` (the canonical file)."""
    def make(tmp: Path) -> None:
        (tmp / "c0.toml").write_text(CANONICAL, encoding="utf-8")
        for i in range(1, length):
            (tmp / f"c{i}.toml").write_text(f'extends = "c{i - 1}.toml"\n', encoding="utf-8")
    return make


def symlink_loop(name: str) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        os.symlink(name, tmp / name)
    return make


def sparse(name: str, size: int) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        with open(tmp / name, "wb") as handle:
            handle.truncate(size)
    return make


def written(name: str, data: bytes) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        (tmp / name).write_bytes(data)
    return make


def folder(name: str) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        (tmp / name).mkdir()
    return make


X = "{tmp}/x.toml"
DEEP = "[" * 10_000 + "]" * 10_000
NOT_FOUND = "file not found"

CASES: dict[str, Hostile] = {
    # ------------------------------------------------------------------ nesting
    "array-nested-10000-deep": Hostile(
        (X,), X, (f"nested more than {MAX_NESTING} deep",),
        scenario("x.toml", f"a = {DEEP}\n" + CANONICAL)),
    "array-nested-40-deep-names-key": Hostile(
        (X,), X, ("a[0][0]", f"nested more than {MAX_NESTING} deep"),
        scenario("x.toml", "a = " + "[" * 40 + "]" * 40 + "\n" + CANONICAL)),
    "header-of-10000-parts": Hostile(
        (X,), X, ("k.k.k", f"nested more than {MAX_NESTING} deep"),
        scenario("x.toml", CANONICAL + "\n[" + ".".join(["k"] * 10_000) + "]\nv = 1\n")),
    "set-key-of-10000-parts": Hostile(
        (X, "--set", ".".join(["k"] * 10_000) + "=1"), X,
        ("--set", "a key path of 10,000 parts", f"at most {MAX_NESTING}"), scenario("x.toml")),
    "set-value-nested-5000-deep": Hostile(
        (X, "--set", "run.seed=" + "[" * 5000 + "]" * 5000), X,
        ("--set", f"nested more than {MAX_NESTING} deep"), scenario("x.toml")),
    # ------------------------------------------------------------------ long numbers
    "integer-of-5000-digits": Hostile(
        (X,), X, ("line 5", f"more than {MAX_DIGITS} digits"),
        scenario("x.toml", CANONICAL.replace("[run]", "[run]\nxx = " + "9" * 5000, 1))),
    "integer-of-25-digits": Hostile(
        (X,), X, ("run.seed: a whole number of 25 digits", f"at most {MAX_DIGITS}"),
        scenario("x.toml", CANONICAL.replace("seed = 1", "seed = " + "9" * 25, 1))),
    "set-integer-of-5000-digits": Hostile(
        (X, "--set", "run.seed=" + "9" * 5000), X,
        ("--set run.seed=999", f"more than {MAX_DIGITS} digits"), scenario("x.toml")),
    # ------------------------------------------------------------------ extends chains
    "extends-chain-of-100-files": Hostile(
        ("{tmp}/c99.toml",), f"{{tmp}}/c{100 - MAX_EXTENDS}.toml",
        (f"a chain of more than {MAX_EXTENDS} files", "c99.toml"), chain(100)),
    "extends-chain-one-too-long": Hostile(
        (f"{{tmp}}/c{MAX_EXTENDS}.toml",), "{tmp}/c1.toml",
        (f"a chain of more than {MAX_EXTENDS} files",), chain(MAX_EXTENDS + 1)),
    # ------------------------------------------------------------------ size
    "scenario-of-200-mb-sparse": Hostile(
        (X,), X, ("file too large", "at most 4.0 MB", "200.0 MB"),
        sparse("x.toml", 200 * 1024 * 1024)),
    "scenario-one-byte-over-the-bound": Hostile(
        (X,), X, ("file too large", "at most 4.0 MB"),
        written("x.toml", b"#" * (MAX_SCENARIO_BYTES - len(CANONICAL.encode())) + b"\n"
                + CANONICAL.encode())),
    # ------------------------------------------------------------------ names and links
    "name-of-5000-characters": Hostile(
        ("{tmp}/" + "a" * 5000,), "{tmp}/aaaa", ("file name too long", "at most 1,024")),
    "symlink-loop": Hostile((X,), X, ("symlink loop",), symlink_loop("x.toml")),
    "folder": Hostile(("{tmp}/ro",), "{tmp}/ro", ("not a file (a folder)",), folder("ro")),
    "device": Hostile(("/dev/null",), "/dev/null", ("not a file (a device",)),
    "extends-nul": Hostile((X,), X, ("extends: a file name cannot contain a NUL", "a\\x00b"),
                           scenario("x.toml", 'extends = "a\\u0000b"\n')),
    "extends-long-name": Hostile((X,), X, ("extends: file name too long",),
                                 scenario("x.toml", f'extends = "{"b" * 5000}"\n')),
    "extends-symlink-loop": Hostile(
        (X,), X, ("extends: symlink loop", "loop.toml"),
        both(scenario("x.toml", 'extends = "loop.toml"\n'), symlink_loop("loop.toml"))),
    "extends-folder": Hostile((X,), X, ("extends: not a file (a folder)", "ro"),
                              both(scenario("x.toml", 'extends = "ro"\n'), folder("ro"))),
    "extends-device": Hostile((X,), X, ("extends: not a file (a device", "/dev/null"),
                              scenario("x.toml", 'extends = "/dev/null"\n')),
    "extends-a-non-scenario": Hostile(
        (X,), X, ("extends: {tmp}/notscen.toml is not a scenario file", "(foo)"),
        both(scenario("x.toml", 'extends = "notscen.toml"\n'),
             scenario("notscen.toml", "foo = 1\n"))),
    # ------------------------------------------------------------------ empirical CSVs
    "csv-not-utf8-names-row-and-column": Hostile(
        (X,), X, ("handle_time.file", "aht.csv: row 3, column 2", "byte 0xff is not UTF-8"),
        both(scenario("x.toml", with_csv("aht.csv")),
             written("aht.csv", b"seconds\n300\n12,\xff\n"))),
    "csv-too-many-rows": Hostile(
        (X,), X, ("aht.csv", f"more than {MAX_CSV_ROWS:,} rows"),
        both(scenario("x.toml", with_csv("aht.csv")),
             written("aht.csv", b"1\n" * (MAX_CSV_ROWS + 1)))),
    "csv-too-large-sparse": Hostile(
        (X,), X, ("handle_time.file: file too large", "at most 64.0 MB", "aht.csv"),
        both(scenario("x.toml", with_csv("aht.csv")), sparse("aht.csv", MAX_CSV_BYTES + 1))),
    "csv-field-too-long": Hostile(
        (X,), X, ("aht.csv: row 1: not readable as CSV", "a value longer than"),
        both(scenario("x.toml", with_csv("aht.csv")),
             written("aht.csv", b'"' + b"9" * 200_000 + b'"\n'))),
    "csv-folder": Hostile((X,), X, ("handle_time.file: not a file (a folder)", "ro"),
                          both(scenario("x.toml", with_csv("ro")), folder("ro"))),
    "csv-device": Hostile((X,), X, ("handle_time.file: not a file (a device", "/dev/null"),
                          scenario("x.toml", with_csv("/dev/null"))),
    "csv-nul": Hostile((X,), X, ("handle_time.file: a file name cannot contain a NUL",),
                       scenario("x.toml", with_csv("a\\u0000b.csv"))),
    "csv-symlink-loop": Hostile(
        (X,), X, ("handle_time.file: symlink loop", "loop.csv"),
        both(scenario("x.toml", with_csv("loop.csv")), symlink_loop("loop.csv"))),
}


@pytest.mark.parametrize("command", ["check", "run"])
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_is_refused_naming_file_and_bound(name: str, command: str,
                                                        tmp_path: Path) -> None:
    case = CASES[name]
    case.make(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in case.args]
    result = CliRunner().invoke(app, [command, *args])
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    err = result.stderr
    assert "Traceback" not in err, err
    assert "Error:" not in err, err
    named = case.named.replace("{tmp}", str(tmp_path))
    (line,) = [ln for ln in err.splitlines() if ln.strip()]  # one problem, one line
    assert unwrapped(line).startswith(unwrapped(named)), err
    for phrase in case.says:
        assert says(err, phrase.replace("{tmp}", str(tmp_path))), err
    if name.endswith(("folder", "device")):
        assert not says(err, NOT_FOUND), err


def test_at_least_two_members_per_class() -> None:
    kinds = ("nest", "digits", "chain", "sparse", "name", "symlink", "csv", "folder")
    for kind in kinds:
        assert sum(kind in name for name in CASES) >= 2, kind
    assert len(CASES) >= 25


# ---------------------------------------------------------------------------- at the bounds
def test_a_chain_of_exactly_the_bound_loads(tmp_path: Path) -> None:
    chain(MAX_EXTENDS)(tmp_path)
    loaded = load_scenario(tmp_path / f"c{MAX_EXTENDS - 1}.toml")
    assert len(loaded.files) == MAX_EXTENDS


def test_nesting_at_the_bound_passes_and_one_deeper_fails() -> None:
    def nested(depth: int) -> dict[str, object]:
        node: object = 1
        for _ in range(depth):
            node = [node]
        return {"a": node}
    check_data(nested(MAX_NESTING))
    with pytest.raises(FileProblem, match=f"more than {MAX_NESTING} deep"):
        check_data(nested(MAX_NESTING + 1))


def test_digits_at_the_bound_pass_and_one_more_fails() -> None:
    check_data({"seed": 10**MAX_DIGITS - 1})
    with pytest.raises(FileProblem, match=f"{MAX_DIGITS + 1} digits"):
        check_data({"seed": 10**MAX_DIGITS})


def test_a_file_at_the_size_bound_is_read(tmp_path: Path) -> None:
    body = CANONICAL.encode()
    path = tmp_path / "x.toml"
    path.write_bytes(b"#" * (MAX_SCENARIO_BYTES - len(body) - 1) + b"\n" + body)
    assert path.stat().st_size == MAX_SCENARIO_BYTES
    assert load_scenario(path).scenario.agent_groups[0].agents == 50


def test_a_name_with_nul_is_refused_by_the_library(tmp_path: Path) -> None:
    # A shell cannot pass a NUL in an argument (click refuses it with exit code 2 as well);
    # the library, called with one, names the file as messages show it.
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "a\x00b.toml")
    assert caught.value.problems == [
        f"{tmp_path}/a\\x00b.toml: a file name cannot contain a NUL character"]


def test_a_non_utf8_csv_is_a_scenario_error_not_a_codec_error(tmp_path: Path) -> None:
    (tmp_path / "aht.csv").write_bytes(b"\xff\xfe3\x000\x000\x00\n")  # UTF-16, as Excel saves
    (tmp_path / "x.toml").write_text(with_csv("aht.csv"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "x.toml")
    (line,) = caught.value.problems
    assert "row 1, column 1: byte 0xff is not UTF-8 text" in line
    assert "codec" not in line
    assert "utf-8-sig" not in line


@pytest.mark.parametrize("command", [
    ["compare", "{tmp}/base.toml", "{tmp}/x.toml"],
    ["staff", "{tmp}/x.toml"],
    ["sensitivity", "{tmp}/x.toml"],
    ["sweep", "{tmp}/x.toml", "--set", "run.days=1,2"],
    ["bridge", "{tmp}/base.toml", "{tmp}/x.toml"],
])
def test_every_command_refuses_through_the_same_reading(command: list[str],
                                                        tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text(CANONICAL, encoding="utf-8")
    (tmp_path / "x.toml").write_text(
        'extends = "base.toml"\n[' + ".".join(["k"] * 10_000) + "]\nv = 1\n", encoding="utf-8")
    result = CliRunner().invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in command])
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert says(result.stderr, f"{tmp_path}/x.toml: k.k.k"), result.stderr
    assert says(result.stderr, f"nested more than {MAX_NESTING} deep"), result.stderr
