"""Hostile numbers and text: centres that serve nobody, queues that never empty, work beyond the
bound of a command, and control characters in names (exit 2 naming the key, or a warning line,
never a traceback). Each case starts from the canonical ``scenarios/erlang_a.toml`` and is
refused before anything is simulated, so these tests are fast."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from simulator.cli import app
from simulator.report.format import printable
from simulator.spec.budget import MAX_COMMAND_CONTACTS, MAX_SWEEP_POINTS, STAFFING_SIMULATIONS
from tests.text import says

ROOT = Path(__file__).resolve().parents[2]
CANONICAL = (ROOT / "scenarios" / "erlang_a.toml").read_text(encoding="utf-8")
PATIENCE = 'patience = { dist = "exponential", mean = 180 }   # omit: callers never abandon\n'
UNCERTAIN = ('uncertainty={{samples={samples},replications={reps},inputs=[{{name="v",'
             'keys=["channels.voice.volume_per_day"],scale=true,low=0.9,high=1.1}}]}}')


def scenario(tmp_path: Path, text: str = CANONICAL) -> Path:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    return path


def without_patience(tmp_path: Path) -> Path:
    assert CANONICAL.count(PATIENCE) == 1
    return scenario(tmp_path, CANONICAL.replace(PATIENCE, ""))


def refused(args: list[str], key: str, *phrases: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lead = key if key.startswith("this command") else f"{key}: "  # a key path, or the work
    assert says(result.output, f"x.toml: {lead}"), result.output
    for phrase in phrases:
        assert says(result.output, phrase), result.output


# ---------------------------------------------------------------------------- class 5
SERVES_NOBODY = [
    (["--set", "agent_groups.agents.agents=0"], "channels[0]",
     ("no agent on the floor can answer 'voice'", "agent_groups[0].agents")),
    (["--set", "agent_groups.agents.agents=1", "--set", "agent_groups.agents.shrinkage=0.6"],
     "channels[0]", ("rostered × (1 - shrinkage)", "shrinkage 0.6")),
    (["--set", "agent_groups.agents.agents={ sat = [" + ", ".join(["5"] * 48) + "] }"],
     "channels[0]", ("no agent on the floor", "mon, tue, wed, thu, fri")),
    (["--set", 'hours.open_days=["sat", "sun"]', "--set", "run.days=2",
      "--set", "run.warmup_hours=0"], "hours.open_days",
     ("no open day inside the run", "run.start_day = mon")),
    (["--set", "run.warmup_hours=119.9999999999"], "run.warmup_hours",
     ("less than one 30-minute reporting interval",)),
    (["--set", "run.days=1.25", "--set", 'hours.open="08:00"', "--set", 'hours.close="12:00"',
      "--set", "run.warmup_hours=13"], "run.warmup_hours", ("nothing would be measured",)),
    (["--set", "channels.voice.volume_per_day=0"], "channels", ("no contact arrives",)),
    (["--set", "channels.voice.profile=[" + ", ".join(["1e308"] * 48) + "]"],
     "channels[0].profile", ("add up to infinity",)),
]


@pytest.mark.parametrize("command", ["check", "run"])
@pytest.mark.parametrize(("options", "key", "phrases"), SERVES_NOBODY)
def test_a_centre_that_serves_nobody_is_refused(tmp_path: Path, command: str, options: list[str],
                                                key: str, phrases: tuple[str, ...]) -> None:
    refused([command, str(scenario(tmp_path)), *options], key, *phrases)


def test_a_roster_that_serves_someone_passes(tmp_path: Path) -> None:
    """The near misses of the cases above: one agent on the floor, a Saturday run."""
    path = scenario(tmp_path)
    for options in (["--set", "agent_groups.agents.agents=1",
                     "--set", "agent_groups.agents.shrinkage=0.5"],  # 0.5 rounds up to 1
                    ["--set", 'hours.open_days=["sat"]', "--set", "run.start_day=sat",
                     "--set", "run.days=1", "--set", "run.warmup_hours=23.5"]):
        result = CliRunner().invoke(app, ["check", str(path), *options])
        assert result.exit_code == 0, result.output


UNSTABLE = [
    (["--set", "agent_groups.agents.agents=10"], "offered load 50.0 erlangs against 10 agents "
     "on the floor (at most 10.0): the queue grows without bound through the open day"),
    (["--set", "agent_groups.agents.agents=60",
      "--set", "channels.voice.weekly_pattern=[1, 1, 1, 1, 1.5, 1, 1]"],
     "offered load 75.0 erlangs against 60 agents on the floor (at most 60.0) on fri"),
    (["--set", "agent_groups.agents.agents=100", "--set", "agent_groups.agents.shrinkage=0.6"],
     "offered load 50.0 erlangs against 40 agents on the floor (at most 40.0)"),
]


@pytest.mark.parametrize(("options", "warning"), UNSTABLE)
def test_an_unstable_queue_without_patience_is_warned_of(tmp_path: Path, options: list[str],
                                                        warning: str) -> None:
    result = CliRunner().invoke(app, ["check", str(without_patience(tmp_path)), *options])
    assert result.exit_code == 0, result.output
    assert says(result.output, f"x.toml: warning: voice: {warning}"), result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("options", [
    ["--set", "agent_groups.agents.agents=51"],  # 50 erlangs: stable without patience
    ["--set", "agent_groups.agents.agents=10", "--set", "channels.voice.lines=20"],  # busy signal
])
def test_a_stable_or_bounded_queue_is_not_warned_of(tmp_path: Path, options: list[str]) -> None:
    result = CliRunner().invoke(app, ["check", str(without_patience(tmp_path)), *options])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_patience_bounds_the_queue_so_no_warning(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(scenario(tmp_path)),
                                      "--set", "agent_groups.agents.agents=10"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_run_warns_too(tmp_path: Path) -> None:
    """The warning comes with ``run`` as with ``check`` (a short run to see it)."""
    result = CliRunner().invoke(app, ["run", str(without_patience(tmp_path)), "-f", "json",
                                      "--set", "agent_groups.agents.agents=10",
                                      "--set", "run.days=0.05", "--set", "run.warmup_hours=0",
                                      "--replications", "2", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert says(result.output, "x.toml: warning: voice: offered load 50.0 erlangs")


# ---------------------------------------------------------------------------- class 6
BEYOND_BOUNDS = [
    (["check", "{file}", "--set", UNCERTAIN.format(samples=1000, reps=10_000)], "uncertainty",
     ("1000 samples × 10000 replications", "2e+09")),
    (["run", "{file}", "--set", UNCERTAIN.format(samples=1000, reps=10_000)], "uncertainty",
     ("1000 samples × 10000 replications",)),
    (["sweep", "{file}", "--set", "agent_groups.agents.agents=" + ",".join(map(str, range(1, 1001))),
      "--set", "run.seed=1,2,3"], "--set", ("the grid has 3,000 points", f"{MAX_SWEEP_POINTS:,}")),
    (["sweep", "{file}", "--set", "agent_groups.agents.agents=50,60,70,80",
      "--replications", "9000"], "this command would simulate about 2.59e+09 contacts",
     ("every point as the file stands",)),
    (["sweep", "{file}", "--set", "agent_groups.agents.agents=50,60",
      "--set", "run.replications=10,10000,10000"], "this command would simulate about 2.88e+09",
     ("6 points",)),
    (["staff", "{file}", "--replications", "3000"], "this command would simulate about 2.59e+09",
     ("12 staffing simulations × 3000 replications",)),
    (["compare", "{file}", "{file}", "--replications", "2000", "--staff", "equal-service"],
     "this command would simulate", ("12 staffing simulations × 2000 replications",)),
    (["run", "{file}", "--replications", "1000", "--set", "agent_groups.agents.agents=\"auto\"",
      "--set", "run.days=30"], "this command would simulate about 5.18e+09",
     ("the run: 12 staffing simulations",)),
]


@pytest.mark.parametrize(("args", "key", "phrases"), BEYOND_BOUNDS)
def test_work_beyond_the_bound_of_a_command_is_refused_at_once(
        tmp_path: Path, args: list[str], key: str, phrases: tuple[str, ...]) -> None:
    path = str(scenario(tmp_path))
    refused([a.replace("{file}", path) for a in args], key, *phrases)


def test_the_bounds_are_the_documented_ones() -> None:
    docs = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert MAX_COMMAND_CONTACTS == 2e9
    assert "| expected first contacts one command simulates, " \
        "in all | 2·10⁹" in docs
    assert f"| {MAX_SWEEP_POINTS:,} |" in docs
    assert STAFFING_SIMULATIONS == 12
    assert "counted as 12 simulations" in docs


# ---------------------------------------------------------------------------- class 8
CONTROL = [
    ('scenario.name="\\u001b[2J\\u001b[31mred"', "scenario.name", "\\x1b"),
    ('costs.currency="\\u0007USD"', "costs.currency", "\\x07"),
    ('costs.currency="\\u202eDSU"', "costs.currency", "\\u202e"),
    ('scenario.description="line\\rover"', "scenario.description", "\\r"),
]


@pytest.mark.parametrize("command", ["check", "run"])
@pytest.mark.parametrize(("setting", "key", "shown"), CONTROL)
def test_control_characters_in_printed_text_are_refused(tmp_path: Path, command: str,
                                                        setting: str, key: str,
                                                        shown: str) -> None:
    result = CliRunner().invoke(app, [command, str(scenario(tmp_path)), "--set", setting])
    assert result.exit_code == 2, result.output
    assert "\x1b" not in result.output
    assert "\x07" not in result.output
    assert says(result.output, f"x.toml: {key}: must be plain text"), result.output
    assert shown in result.output
    assert "Traceback" not in result.output


def test_a_description_may_have_lines(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(scenario(tmp_path)), "--set",
                                      'scenario.description="one\\ntwo\\tthree"'])
    assert result.exit_code == 0, result.output


def test_the_terminal_escapes_control_characters_defensively() -> None:
    """A result read back from a file (a sweep point, a document) is not checked by the
    schema: the terminal renderer escapes what it prints."""
    from simulator.report.terminal_studies import render_sweep

    assert printable("\x1b[2J\x1b[31mred\n\tok\u202e") == "\\x1b[2J\\x1b[31mred\n\tok\\u202e"
    console = Console(record=True, width=120, color_system=None)
    render_sweep([], [], console, "\x1b[31m[/]")
    text = console.export_text()
    assert "\x1b" not in text
    assert "\\x1b[31m[/]" in text
