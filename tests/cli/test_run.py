"""Runs end to end: determinism, common random numbers, the CLI's outputs, every scenario file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiment import run_replications
from tests.conftest import single_queue

runner = CliRunner()
SCENARIOS = sorted(Path("scenarios").glob("*.toml"))
QUICK = ["--set", "run.days=5", "--replications", "3"]  # the baseline warms up 4 days


def run_json(*args: str) -> str:
    result = runner.invoke(app, ["run", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_same_seed_gives_byte_identical_json() -> None:
    first = run_json("scenarios/baseline.toml", *QUICK, "--workers", "1")
    again = run_json("scenarios/baseline.toml", *QUICK, "--workers", "1")
    assert first == again


def test_any_number_of_workers_gives_the_same_json() -> None:
    one = run_json("scenarios/baseline.toml", *QUICK, "--workers", "1")
    two = run_json("scenarios/baseline.toml", *QUICK, "--workers", "2")
    assert one == two


def test_another_seed_gives_other_numbers() -> None:
    a = json.loads(run_json("scenarios/erlang_a.toml", *QUICK, "--seed", "1"))
    b = json.loads(run_json("scenarios/erlang_a.toml", *QUICK, "--seed", "2"))
    assert a["channels"]["voice"]["arrivals"] != b["channels"]["voice"]["arrivals"]


def test_staffing_change_keeps_the_same_customers() -> None:
    """Common random numbers: more agents change waits, never who calls or what they need."""
    few = single_queue(agents=11, arrivals_per_hour=120, replications=3, days=1)
    many = single_queue(agents=14, arrivals_per_hour=120, replications=3, days=1)
    for a, b in zip(run_replications(few, workers=1), run_replications(many, workers=1),
                    strict=True):
        va, vb = a["channels"]["voice"], b["channels"]["voice"]
        assert va["arrivals"] == vb["arrivals"]
        # nobody abandons, so every customer is answered: same total handle time
        assert va["aht_seconds"] == pytest.approx(vb["aht_seconds"], rel=1e-12)
        assert vb["asa_seconds"] < va["asa_seconds"]


def test_json_document_has_the_spec_fields() -> None:
    doc = json.loads(run_json("scenarios/baseline.toml", *QUICK))
    for key in ("scenario", "file", "replications", "seed", "simulated_days", "version",
                "channels", "agent_groups", "cost", "targets", "intervals", "provenance"):
        assert key in doc
    voice = doc["channels"]["voice"]
    for key in ("arrivals", "deflected", "ivr_contained", "ivr_hangups", "offered", "answered",
                "abandoned", "callbacks", "repeats", "blocked", "asa_seconds",
                "wait_probability", "service_level", "abandon_rate", "aht_seconds",
                "mean_wait_seconds_all", "customers", "customer_abandon_rate"):
        assert set(voice[key]) == {"mean", "ci_low", "ci_high", "values"}, key
        assert len(voice[key]["values"]) == doc["replications"], key
    for key in ("total", "per_contact", "per_assisted_contact", "per_resolved_contact",
                "per_call", "period_total"):
        assert doc["cost"][key]["mean"] > 0, key
    assert set(doc["agent_groups"]["agents"]) >= {"occupancy", "paid_hours", "on_floor_hours"}
    assert doc["targets"]["voice"]["service_level"]["target"] == 0.8
    assert len(doc["intervals"]) == 24  # 08:00-20:00 in half-hours
    assert doc["intervals"][0]["start"] == "08:00"
    assert len(doc["provenance"]["sha256"]) == 64
    assert doc["provenance"]["configuration"]["run"]["days"] == 5


def test_out_folder_gets_json_and_csv(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "scenarios/erlang_a.toml", *QUICK, "--out",
                                 str(tmp_path / "res"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "res" / "result.json").read_text())
    rows = list(csv.DictReader(io.StringIO((tmp_path / "res" / "result.csv").read_text())))
    by_metric = {r["metric"]: r for r in rows}
    assert float(by_metric["channels.voice.answered"]["mean"]) == doc["channels"]["voice"][
        "answered"]["mean"]
    assert result.stdout.startswith("metric,mean,ci_low,ci_high")
    assert not [p for p in (tmp_path / "res").iterdir() if p.name.startswith(".")]


def test_table_reads_at_a_glance() -> None:
    result = runner.invoke(app, ["run", "scenarios/baseline.toml", *QUICK])
    assert result.exit_code == 0, result.output
    for text in ("Cost per contact", "Service level", "agent wages", "Targets", "occupancy"):
        assert text in result.stdout


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_every_scenario_file_checks_and_runs(path: Path) -> None:
    assert runner.invoke(app, ["check", str(path)]).exit_code == 0
    doc = json.loads(run_json(str(path), "--set", "run.days=5", "--replications", "2"))
    for name, channel in doc["channels"].items():
        assert channel["answered"]["mean"] > 0, name
        assert channel["left_at_end"]["mean"] == 0, name


def test_module_entry_point_runs() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "simulator", "check", "scenarios/erlang_a.toml"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "ok" in out.stdout


def test_every_channel_of_the_multichannel_baseline_has_its_metrics() -> None:
    doc = json.loads(run_json("scenarios/baseline.toml", *QUICK))
    assert set(doc["channels"]) == {"voice", "chat", "email"}
    common = ("arrivals", "deflected", "ivr_contained", "ivr_hangups", "offered", "answered",
              "abandoned", "callbacks", "repeats", "blocked", "asa_seconds", "wait_probability",
              "service_level", "abandon_rate", "aht_seconds", "mean_wait_seconds_all",
              "customers", "customer_abandon_rate")
    for name, channel in doc["channels"].items():
        for key in common:
            assert set(channel[key]) == {"mean", "ci_low", "ci_high", "values"}, (name, key)
            assert len(channel[key]["values"]) == doc["replications"], (name, key)
        assert channel["answered"]["mean"] > 0, name
        assert doc["cost"]["per_contact_by_channel"][name]["mean"] > 0, name
    email = doc["channels"]["email"]
    assert 0 < email["response_time_hours"]["mean"] < 24
    assert email["within_target"]["mean"] > 0.5
    assert email["abandoned"]["mean"] == 0
    assert email["service_level"]["mean"] is None  # a backlog has a response time instead
    assert doc["channels"]["chat"]["service_level"]["mean"] > 0.5
    assert set(doc["agent_groups"]) == {"agents", "chat_team", "email_team"}
    assert doc["targets"]["email"]["within_target"]["target"] == 0.95


def test_outputs_are_written_whole_with_ordinary_permissions(tmp_path: Path) -> None:
    """A temporary file renamed into place (nothing half-written), readable like any new file;
    a failed write leaves the old file as it was and no temporary file behind."""
    import os
    import stat

    from simulator.report.files import write_atomic

    target = tmp_path / "out" / "report.html"
    write_atomic(target, "first")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert target.read_text() == "first"
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "second \udcff")  # cannot be encoded: fails mid-write
    assert target.read_text() == "first"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_occupancy_guardrail_is_the_serving_groups_occupancy_with_its_interval() -> None:
    """``max_occupancy`` of a channel is judged on busy ÷ on-floor time of every group that
    serves it, per replication, so it has a 95 % interval like every other guardrail."""
    from simulator.results.guardrails import judge
    from simulator.results.run import Sections

    scenario = single_queue(agents=4, arrivals_per_hour=40, days=0.5, replications=4,
                            warmup_hours=0, targets={"voice": {"max_occupancy": 0.5}})
    groups = [{"name": "agents", "agents": 4, "skills": ["general"]},
              {"name": "spare", "agents": 2, "skills": ["general"]}]
    scenario = scenario.model_copy(update={"agent_groups": tuple(
        type(scenario.agent_groups[0]).model_validate(g) for g in groups)})
    trees = run_replications(scenario, workers=1)
    for tree in trees:
        groups_of = tree["agent_groups"]
        busy = sum(groups_of[g]["busy_hours"] for g in groups_of)
        on_floor = sum(groups_of[g]["on_floor_hours"] for g in groups_of)
        assert tree["channels"]["voice"]["serving_occupancy"] == pytest.approx(busy / on_floor)
    check = judge(scenario, Sections.of(trees).channels).of("voice")["max_occupancy"]
    assert check.value.ci_low is not None
    assert check.value.ci_high is not None
    assert check.value.mean is not None
    assert check.value.ci_low < check.value.mean < check.value.ci_high
    assert check.met == (check.value.mean <= 0.5)


def test_a_file_that_prices_nothing_says_its_cost_leaves_wages_out() -> None:
    """The canonical Erlang file has no wages and no [costs]: it runs, and says its zero cost
    is not a saving; a priced file does not say so."""
    from tests.text import says

    bare = runner.invoke(app, ["run", "scenarios/erlang_a.toml", "--replications", "2",
                               "--set", "run.days=1"])
    assert bare.exit_code == 0, bare.output
    assert says(bare.stdout, "This file prices nothing (no wages, no [costs]): its cost leaves "
                "wages and every other cost out.")
    priced = runner.invoke(app, ["run", "tests/data/staff_base.toml", "--replications", "2",
                                 "--set", "run.days=1"])
    assert priced.exit_code == 0, priced.output
    assert not says(priced.stdout, "prices nothing")
