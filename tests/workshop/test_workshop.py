"""The workshop's pure parts, without a browser: controls bounded by the schema, the overrides
and the CLI's messages, the cache key, the precision rule, the answers against ccsim compare,
the session's files and the command's refusals before it serves anything."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiment import run_replication
from simulator.results.estimate import Estimate
from simulator.spec.layers import Override, load_scenario
from simulator.spec.levers import CallbackSpec, SelfServiceSpec
from simulator.spec.schema import Scenario
from simulator.studies.precision import Precision, half_widths, precise, until_precise
from simulator.workshop.answers import results_of, status
from simulator.workshop.controls import (
    Bound,
    field_bound,
    scaled_overrides,
    value_overrides,
)
from simulator.workshop.question import Question, ask, levers_of, scenario_key
from simulator.workshop.record import COLUMNS, Session, export, session_csv
from tests.text import says
from tests.workshop.small import small_files

cli = CliRunner()
TRY = "value_self_service_voice_try_share"


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    return small_files(tmp_path)


def serial(scenario: Scenario, replication: int) -> Future[Any]:
    """A replication run here and now, as a finished future."""
    future: Future[Any] = Future()
    future.set_result(run_replication(scenario, replication))
    return future


def answered(question: Question, n: int) -> Any:
    """``n`` replications of every scenario of the question (the rule never stops earlier)."""
    return until_precise(question.scenarios(), Precision(1e-12, 600, 2, n), serial,
                         lambda s, r: None)


# ---------------------------------------------------------------------------- controls
def test_every_shipped_levers_controls_are_bounded_by_the_schema() -> None:
    base = load_scenario("scenarios/baseline.toml")
    files = [Path(f"scenarios/{n}.toml") for n in ("self_service", "callback",
                                                   "ivr_verification", "ivr_containment",
                                                   "root_cause", "wage_rise", "cloud_platform")]
    levers = levers_of(base, files)
    by_key = {c.key: c for lever in levers for c in lever.controls}
    assert by_key["self_service.voice.try_share"].bound == field_bound(SelfServiceSpec,
                                                                       "try_share")
    assert by_key["self_service.voice.try_share"].bound == Bound(0.0, 1.0)
    wait = by_key["callback.offer_expected_wait_seconds"]
    assert wait.bound == Bound(0.0, 86_400.0, low_open=True)
    assert wait.bound == field_bound(CallbackSpec, "offer_expected_wait_seconds")
    assert wait.start == 60.0  # the lever's value
    assert by_key["ivr.contact_types.billing.verification_saves_seconds"].bound.high == 3600
    assert "agents" in by_key
    assert by_key["agents"].kind == "roster"
    assert by_key["repeat_contacts.contact_types.tech_support.repeats_removed"].start == 0.5
    assert by_key["agent_groups.agents.hourly_wage"].start == 21.0
    # every plain control's start lies within its bound, and only the lever's keys appear
    for lever in levers[:-1]:
        for c in lever.controls:
            assert c.bound.allows(c.start), (lever.name, c.key)
    keys = {c.key for c in levers[2].controls}
    assert keys == {"ivr.verification.success_share",
                    *(f"ivr.contact_types.{t}.verification_saves_seconds"
                      for t in ("billing", "tech_support", "sales"))}
    assert [c.kind for c in levers[-1].controls] == ["volume", "wage", "roster"]


def test_bound_words_and_limits() -> None:
    assert Bound(0, 1).text() == "0 to 1"
    assert Bound(0, 86_400, low_open=True).text() == "> 0, at most 86,400"
    assert Bound(0, 1).allows(1.0)
    assert not Bound(0, 1).allows(1.01)
    assert not Bound(0, 5, low_open=True).allows(0.0)
    assert not Bound(0, 1).allows(float("nan"))


def test_overrides_of_changed_values_and_scales(small: tuple[Path, Path]) -> None:
    base_file, lever_file = small
    base = load_scenario(base_file)
    levers = levers_of(base, [lever_file])
    lever, room = levers
    assert value_overrides(lever.controls, {TRY: 0.3}) == []  # the start: nothing to set
    assert value_overrides(lever.controls, {TRY: 0.5}) == [
        Override("self_service.voice.try_share", 0.5)]
    values = {c.ident: c.start for c in room.controls}
    volume, _, roster = (c.ident for c in room.controls)
    scaled = scaled_overrides(room.controls, values | {volume: 10.0, roster: -10.0},
                              base.scenario)
    assert scaled == [Override("channels.voice.volume_per_day", pytest.approx(1320.0)),
                      Override("agent_groups.agents.agents", 25)]  # 28 x 0.9 = 25.2 -> 25


def test_an_invalid_setting_gives_the_clis_message_and_nothing_to_run(
        small: tuple[Path, Path]) -> None:
    base_file, lever_file = small
    base = load_scenario(base_file)
    levers = levers_of(base, [lever_file])
    problems = ask(base, levers, [True, False], {levers[0].ident: {TRY: 1.5}})
    assert isinstance(problems, dict)
    [line] = problems[levers[0].ident]
    result = cli.invoke(app, ["check", str(lever_file), "--set",
                              "self_service.voice.try_share=1.5"])
    assert result.exit_code == 2
    assert says(result.output, line)
    assert "must be <= 1, got 1.5" in line


def test_the_cache_key_is_the_content_not_the_name_or_count(small: tuple[Path, Path]) -> None:
    base_file, lever_file = small
    plain = load_scenario(base_file).scenario
    more = load_scenario(base_file, ["run.replications=30", 'scenario.name="Other"']).scenario
    changed = load_scenario(base_file, ["channels.voice.volume_per_day=1201"]).scenario
    assert scenario_key(plain) == scenario_key(more)
    assert scenario_key(plain) != scenario_key(changed)
    assert scenario_key(plain) != scenario_key(load_scenario(lever_file).scenario)


# ---------------------------------------------------------------------------- precision
def _fake(values: list[list[float]]) -> tuple[list[Any], Any]:
    """Scenarios standing for rows of per-replication costs per contact, and their submit."""
    scenarios = [f"s{i}" for i in range(len(values))]

    def submit(scenario: Any, r: int) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result({"cost": {"per_contact": values[scenarios.index(scenario)][r]}})
        return future
    return scenarios, submit


def test_the_rule_stops_at_the_first_precise_replication() -> None:
    rng = np.random.default_rng(3)
    base = rng.normal(6.0, 0.3, 60)
    lever = base - 0.1 + rng.normal(0, 0.05, 60)
    scenarios, submit = _fake([list(base), list(lever)])
    target = 0.03
    expected = next(n for n in range(2, 61)
                    if (Estimate.of(lever[:n] - base[:n]).half_width or 1) < target)
    seen: list[int] = []
    answer = until_precise(scenarios, Precision(target, 600, 2, 60), submit, lambda s, r: None,
                           lambda a: seen.append(a.replications))
    assert answer.stopped == "precise"
    assert answer.replications == expected
    assert seen == list(range(1, expected))  # a provisional answer after every replication
    assert answer.half_widths[0] is not None
    assert answer.half_widths[0] < target
    assert half_widths([[{"cost": {"per_contact": 1.0}}]]) == (None,)
    assert not precise([None], 1.0)
    assert precise([0.5], 1.0)


def test_the_rule_never_stops_for_precision_before_its_fewest_replications() -> None:
    # paired differences that agree exactly from the start: precise at two, yet the rule waits
    # for the default five (a spread of two or three can be small by chance)
    scenarios, submit = _fake([[6.0, 6.5, 5.5, 6.2, 5.9, 6.1] * 2, [5.8, 6.3, 5.3, 6.0, 5.7, 5.9] * 2])
    assert Precision().min_replications == 5
    answer = until_precise(scenarios, Precision(0.02, 600), submit, lambda s, r: None)
    assert answer.stopped == "precise"
    assert answer.replications == 5
    with pytest.raises(ValueError, match="min_replications"):
        Precision(min_replications=1)


def test_the_rule_stops_at_the_budget_the_most_or_when_cancelled() -> None:
    scenarios, submit = _fake([[6.0, 7.0, 5.0, 8.0] * 5, [5.0, 9.0, 6.0, 4.0] * 5])
    ticks = iter(range(1000))
    answer = until_precise(scenarios, Precision(1e-9, 2.5, 2, 20), submit, lambda s, r: None,
                           clock=lambda: float(next(ticks)))
    assert answer.stopped == "budget"
    assert 1 <= answer.replications < 20
    answer = until_precise(scenarios, Precision(1e-9, 600, 2, 5), submit, lambda s, r: None)
    assert answer.stopped == "most"
    assert answer.replications == 5
    stop = threading.Event()
    stop.set()
    answer = until_precise(scenarios, Precision(), submit, lambda s, r: None, cancelled=stop)
    assert answer.stopped == "cancelled"
    assert answer.replications == 0
    assert status(answer, Precision(), True).startswith("final")


def test_replications_known_are_not_simulated_again() -> None:
    scenarios, submit = _fake([[6.0, 7.0, 5.0], [5.0, 9.0, 6.0]])
    have = {("s0", 0): {"cost": {"per_contact": 6.0}}, ("s1", 0): {"cost": {"per_contact": 5.0}}}
    answer = until_precise(scenarios, Precision(1e-9, 600, 2, 3), submit,
                           lambda s, r: have.get((s, r)))
    assert answer.replications == 3
    assert answer.simulated == 4


def test_a_setting_known_to_its_precision_asks_for_nothing() -> None:
    scenarios, submit = _fake([[6.0, 6.1, 5.0], [5.0, 5.1, 6.0]])
    asked: list[tuple[Any, int]] = []

    def counted(scenario: Any, r: int) -> Future[Any]:
        asked.append((scenario, r))
        return submit(scenario, r)  # type: ignore[no-any-return]

    have = {(s, r): {"cost": {"per_contact": [6.0, 6.1][r] - (s == "s1")}}
            for s in scenarios for r in (0, 1)}
    answer = until_precise(scenarios, Precision(0.5, 600, 2, 50), counted,
                           lambda s, r: have.get((s, r)))
    assert answer.stopped == "precise"
    assert answer.replications == 2
    assert asked == []  # replication 2 was never started: the cache already answered


# ---------------------------------------------------------------------------- against compare
def test_the_answers_are_ccsim_compares_on_the_same_settings(small: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    base_file, lever_file = small
    base = load_scenario(base_file)
    levers = levers_of(base, [lever_file])
    room = levers[1]
    volume = room.controls[0].ident
    question = ask(base, levers, [True, True], {levers[0].ident: {TRY: 0.45},
                                               room.ident: {volume: 5.0}})
    assert isinstance(question, Question)
    answer = answered(question, 3)
    results = results_of(question, answer)
    ours = results.comparison.to_document()
    # the same settings as files: the lever with its value, the room's change on the baseline
    setting = tmp_path / "setting.toml"
    setting.write_text(lever_file.read_text().replace("try_share = 0.3", "try_share = 0.45"))
    busier = tmp_path / "busier.toml"
    busier.write_text('extends = "base.toml"\n[[channels]]\nname = "voice"\n'
                      "volume_per_day = 1260.0\n")
    done = cli.invoke(app, ["compare", str(base_file), str(setting), str(busier),
                            "--replications", "3", "--workers", "1", "--format", "json"])
    assert done.exit_code == 0, done.output
    theirs = json.loads(done.stdout)
    assert ours["baseline"]["cost"] == theirs["baseline"]["cost"]
    for k in (0, 1):
        for part in ("difference", "result"):
            mine, cli_doc = ours["scenarios"][k][part], theirs["scenarios"][k][part]
            assert mine["cost"] == cli_doc["cost"], (k, part)
        assert ours["scenarios"][k]["result"]["targets"] == theirs["scenarios"][k]["result"][
            "targets"]
    # two levers on: the bridge walks from the baseline to both, as ccsim bridge does
    assert results.bridge is not None
    walk = results.bridge
    total = (walk.end.mean or 0) - (walk.start.mean or 0)
    assert walk.total_change.mean == pytest.approx(total, abs=1e-12)
    assert [s.lever for s in walk.steps] == ["Self-service", "Room's what-ifs"]


# ---------------------------------------------------------------------------- the record
def test_the_sessions_files_load_and_compare_as_the_page_showed(
        small: tuple[Path, Path], tmp_path: Path) -> None:
    base_file, lever_file = small
    base = load_scenario(base_file)
    levers = levers_of(base, [lever_file])
    roster = levers[1].controls[2].ident
    question = ask(base, levers, [True, True], {levers[0].ident: {TRY: 0.5},
                                               levers[1].ident: {roster: 10.0}})
    assert isinstance(question, Question)
    answer = answered(question, 2)
    results = results_of(question, answer)
    session = Session()
    for row, lever in enumerate(question.levers):
        session.add(lever.name, question.settings[row], question.alone[row],
                    results.comparison, row)
    assert [t.number for t in session.tried] == [1, 2]
    again = session.add(levers[0].name, question.settings[0], question.alone[0],
                        results.comparison, 0)
    assert again.number == 1
    assert len(session.tried) == 2
    runs = [answer.runs[0], answer.runs[1], answer.runs[3]]  # baseline, lever, room alone
    out = tmp_path / "out"
    written = export(out, base, session.tried, runs)
    folder = out / "export-01"
    assert {p.name for p in written} == {"setting-01.toml", "setting-02.toml", "session.csv",
                                          "comparison.json", "comparison.csv", "workshop.html"}
    rows = list(csv.reader(io.StringIO((folder / "session.csv").read_text())))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 3
    assert session_csv(session.tried) == (folder / "session.csv").read_text()
    for t in session.tried:  # each file is the setting: the same scenario, by content
        assert scenario_key(load_scenario(folder / t.file_name).scenario) == t.key
    done = cli.invoke(app, ["compare", str(base_file), str(folder / "setting-01.toml"),
                            "--replications", "2", "--workers", "1", "--format", "json"])
    assert done.exit_code == 0, done.output
    page = results.comparison.to_document()["scenarios"][0]["difference"]["cost"]
    assert json.loads(done.stdout)["scenarios"][0]["difference"]["cost"] == page
    assert export(out, base, session.tried, runs)[0].parent.name == "export-02"  # never over


# ---------------------------------------------------------------------------- the command
def test_the_command_refuses_bad_input_before_serving(small: tuple[Path, Path],
                                                      tmp_path: Path) -> None:
    base_file, _lever_file = small
    done = cli.invoke(app, ["workshop", str(tmp_path / "missing.toml"), "--no-browser"])
    assert done.exit_code == 2
    assert "Traceback" not in done.output
    assert says(done.output, "missing.toml")
    stray = tmp_path / "stray.toml"
    stray.write_text('[scenario]\nname = "x"\n')
    done = cli.invoke(app, ["workshop", str(base_file), str(stray), "--no-browser"])
    assert done.exit_code == 2
    assert says(done.output, "stray.toml")
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    done = cli.invoke(app, ["workshop", str(base_file), "--out", str(a_file), "--no-browser"])
    assert done.exit_code == 2
    assert says(done.output, "exists and is not a folder")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = cli.invoke(app, ["workshop", str(base_file), "--port", str(port),
                                "--no-browser", "--out", str(tmp_path / "o")])
    assert done.exit_code == 2
    assert says(done.output, f"--port {port}: cannot listen")
    done = cli.invoke(app, ["workshop", str(base_file), "--precision", "0", "--no-browser"])
    assert done.exit_code == 2
