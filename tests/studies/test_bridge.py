"""``ccsim bridge``: levers stacked in turn on common random numbers; the steps add up."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiment import run_many, run_replications
from simulator.spec.layers import ScenarioError, load_scenario, load_stacked
from simulator.studies.bridge import bridge_document, bridge_scenarios, conflicts, scenarios_to_run
from tests.text import says, unwrapped

runner = CliRunner()
DATA = Path("tests/data/bridge")
BASE = DATA / "base.toml"


def bridge(*levers: str, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    result = runner.invoke(app, ["bridge", str(BASE), *(str(DATA / f) for f in levers),
                                 "--format", "json", "--workers", "1", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def per_contact(trees: list[Any]) -> np.ndarray:
    return np.array([t["cost"]["per_contact"] for t in trees])


def test_one_lever_stacked_is_the_lever_file_itself() -> None:
    for lever in ("faster.toml", "fewer.toml", "fewer_cheaper.toml", "wage.toml"):
        stacked = load_stacked(BASE, [DATA / lever]).scenario
        assert stacked == load_scenario(DATA / lever).scenario, lever


def test_levers_stacked_equal_the_combined_file_written_by_hand() -> None:
    stacked = load_stacked(BASE, [DATA / "faster.toml", DATA / "fewer_cheaper.toml"]).scenario
    combined = load_scenario(DATA / "combined.toml").scenario
    rename = {"scenario": combined.scenario}
    assert stacked.model_copy(update=rename) == combined


def test_steps_add_up_to_the_combined_scenarios_difference() -> None:
    """Replication by replication: start + Σ steps = end, and end is the hand-written combined
    file run on the same seeds (common random numbers make them the same numbers)."""
    base = load_scenario(BASE)
    levers = [DATA / "faster.toml", DATA / "fewer_cheaper.toml", DATA / "wage.toml"]
    steps, alone = bridge_scenarios(base, levers, [])
    trees = run_many(scenarios_to_run(base, steps, alone), 4, workers=1)
    doc = bridge_document(base, steps, alone, trees, conflicts(BASE, levers))
    walk = [per_contact(trees[0]), *(per_contact(t) for t in trees[1:4])]
    for k in range(3):
        assert doc["steps"][k]["change"]["mean"] == pytest.approx(
            float((walk[k + 1] - walk[k]).mean()), abs=1e-12)
    total = sum(step["change"]["mean"] for step in doc["steps"])
    assert total == pytest.approx(doc["total_change"]["mean"], abs=1e-12)
    assert doc["start"]["mean"] + total == pytest.approx(doc["end"]["mean"], abs=1e-12)
    # the combined file, written by hand with wages lowered too, gives exactly the end point
    combined = load_scenario(DATA / "combined.toml",
                             ["agent_groups.agents.hourly_wage=18.0"]).scenario
    by_hand = per_contact(run_replications(combined, 4, workers=1))
    np.testing.assert_allclose(walk[-1], by_hand, rtol=1e-12)
    # and the start is the baseline's own run
    np.testing.assert_allclose(walk[0], per_contact(run_replications(base.scenario, 4, workers=1)),
                               rtol=1e-12)


def test_cost_only_levers_do_not_overlap_and_service_levers_do() -> None:
    """Wages and line prices change different cost lines of the same simulation: their effects
    add exactly (overlap 0). Faster handling and fewer calls both relieve the same queue, so
    applied in turn each is worth a different amount than alone."""
    doc = bridge("wage.toml", "lines.toml")
    assert doc["overlap"]["mean"] == pytest.approx(0.0, abs=1e-12)
    for step in doc["steps"]:
        assert step["change"]["mean"] == pytest.approx(step["alone"]["mean"], abs=1e-12)
    doc = bridge("faster.toml", "fewer.toml")
    second = doc["steps"][1]
    assert not math.isclose(second["change"]["mean"], second["alone"]["mean"], abs_tol=1e-6)
    assert doc["overlap"]["mean"] == pytest.approx(
        doc["total_change"]["mean"] - doc["sum_alone"]["mean"], abs=1e-12)


def test_every_step_is_judged_by_the_baselines_guardrails() -> None:
    doc = bridge("fewer.toml", extra=("--set", "targets.voice.service_level=0.2"))
    strict = bridge("fewer.toml", extra=("--set", "targets.voice.service_level=0.99"))
    assert doc["steps"][0]["guardrails_broken"] == []
    assert strict["steps"][0]["guardrails_broken"] == ["voice.service_level"]
    assert strict["results"][0]["targets"]["voice"]["service_level"]["target"] == 0.99


def test_a_lever_through_an_intermediate_file_brings_its_changes() -> None:
    """fewer_cheaper.toml extends fewer.toml: both files' changes are the lever's."""
    stacked = load_stacked(BASE, [DATA / "faster.toml", DATA / "fewer_cheaper.toml"]).scenario
    assert stacked.channels[0].volume_per_day == 1020
    assert stacked.costs.telephony_per_minute == 0.01
    assert stacked.contact_types[0].handle_time.mean == 270


def test_conflicting_levers_are_named() -> None:
    found = conflicts(BASE, [DATA / "fewer.toml", DATA / "fewer_cheaper.toml", DATA / "lines.toml"])
    keys = {c.key: list(c.levers) for c in found}
    assert set(keys) == {"channels.voice.volume_per_day", "agent_groups.agents.agents",
                         "costs.telephony_per_minute"}
    assert keys["costs.telephony_per_minute"] == [str(DATA / "fewer_cheaper.toml"),
                                                  str(DATA / "lines.toml")]
    result = runner.invoke(app, ["bridge", str(BASE), str(DATA / "fewer_cheaper.toml"),
                                 str(DATA / "lines.toml"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert says(result.stdout, "each set costs.telephony_per_minute")


def test_a_lever_that_does_not_extend_the_baseline_is_refused() -> None:
    with pytest.raises(ScenarioError, match="a lever must extend the baseline"):
        load_stacked(BASE, [DATA / "elsewhere.toml"])
    result = runner.invoke(app, ["bridge", str(BASE), str(DATA / "elsewhere.toml")])
    assert result.exit_code == 2
    assert "elsewhere.toml: extends: a lever must extend the baseline" in result.stderr
    assert "Traceback" not in result.output


def test_bad_lever_values_name_the_lever_file() -> None:
    result = runner.invoke(app, ["bridge", str(BASE), str(DATA / "faster.toml"),
                                 "--set", "channels.voice.volume_per_day=-1"])
    assert result.exit_code == 2
    assert "channels[0].volume_per_day" in result.stderr


def test_csv_and_table_outputs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["bridge", str(BASE), str(DATA / "faster.toml"),
                                 str(DATA / "wage.toml"), "--workers", "1", "--out",
                                 str(tmp_path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("step,file,change_mean")
    assert [line.split(",")[0] for line in lines[1:]] == [
        "Small centre", "Faster handling", "Lower wages", "every lever together", "overlap"]
    document = json.loads((tmp_path / "bridge.json").read_text())
    assert len(document["results"]) == 2
    assert (tmp_path / "bridge.csv").read_text() == result.stdout
    png = (tmp_path / "bridge.png").read_bytes()  # the waterfall
    assert png.startswith(b"\x89PNG")
    assert len(png) > 20_000


def test_equal_service_bridge_restaffs_every_step() -> None:
    """With --staff equal-service every step is re-staffed to the baseline's targets: each step's
    roster is found anew (a head-count per weekday and interval, not the files' 12 and 11
    agents), and a lever that
    takes work away then saves money, where as filed it only lowered occupancy."""
    over = ("--set", "targets.voice.service_level=0.8")
    filed = bridge("faster.toml", extra=over)
    doc = bridge("faster.toml", "fewer.toml", extra=(*over, "--staff", "equal-service"))
    for result in [doc["baseline"], *doc["results"]]:
        agents = result["provenance"]["configuration"]["agent_groups"][0]["agents"]
        assert isinstance(agents, dict), agents
        assert all(isinstance(day, list) for day in agents.values()), agents
    assert all(not step["guardrails_broken"] for step in doc["steps"])
    assert filed["steps"][0]["change"]["ci_high"] > doc["steps"][0]["change"]["ci_high"]
    assert doc["steps"][0]["change"]["ci_high"] < 0
    # each scenario's roster travels with it: the baseline, and every step, re-staffed
    for result in [doc["baseline"], *doc["results"]]:
        assert result["staffing"], result["scenario"]


def test_equal_service_bridge_table_shows_each_steps_roster() -> None:
    args = ["bridge", str(BASE), str(DATA / "faster.toml"), "--set",
            "targets.voice.service_level=0.8", "--staff", "equal-service"]
    filed = runner.invoke(app, args[:-2])
    staffed = runner.invoke(app, args)
    assert staffed.exit_code == 0, staffed.output
    assert says(staffed.stdout, "The baseline was re-staffed too")
    # a roster cell for the baseline and its one step, re-staffed (and twice in the sentence
    # saying so)
    assert unwrapped(staffed.stdout).count("FTE") == 2
    assert unwrapped(staffed.stdout).count("re-staffed") == 4
    assert filed.exit_code == 0, filed.output
    assert unwrapped(filed.stdout).count("FTE") == 2
    assert "re-staffed" not in filed.stdout


def test_equal_service_bridge_page_shows_each_steps_roster(tmp_path: Path) -> None:
    page = tmp_path / "bridge.html"
    args = ["bridge", str(BASE), str(DATA / "faster.toml"), "--set",
            "targets.voice.service_level=0.8", "--html", str(page)]
    filed = runner.invoke(app, args)
    assert filed.exit_code == 0, filed.output
    assert page.read_text().count("file · ") == 2  # the baseline's roster and the step's
    page.unlink()
    staffed = runner.invoke(app, [*args, "--staff", "equal-service"])
    assert staffed.exit_code == 0, staffed.output
    text = page.read_text()
    assert text.count("re-staffed · ") == 2
    assert "file · " not in text


def test_compare_page_cards_show_each_scenarios_roster(tmp_path: Path) -> None:
    page = tmp_path / "compare.html"
    result = runner.invoke(app, ["compare", str(BASE), str(DATA / "faster.toml"), "--html",
                                 str(page)])
    assert result.exit_code == 0, result.output
    assert page.read_text().count("file · ") == 2  # a roster badge on both cards
