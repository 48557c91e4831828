"""``[uncertainty]``: ranges, the sensitivity tornado and the range ``ccsim run`` reports."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.spec.layers import load_scenario, uncertain_values, with_values
from simulator.studies.uncertainty import latin_hypercube, sensitivity_document

runner = CliRunner()
FILE = Path("tests/data/bridge/uncertain.toml")


def run_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--format", "json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def write(tmp_path: Path, inputs: str, head: str = "") -> Path:
    path = tmp_path / "ranges.toml"
    base = Path("tests/data/bridge/base.toml").resolve()
    path.write_text(f'extends = "{base}"\n[uncertainty]\n{head}\n{inputs}', encoding="utf-8")
    return path


@pytest.mark.parametrize(("inputs", "message"), [
    ('[[uncertainty.inputs]]\nname = "v"\nkeys = ["channels.voice.volume_per_day"]\n'
     "low = 2\nhigh = 1", "uncertainty.inputs[0].low: low (2) must be below high (1)"),
    ('[[uncertainty.inputs]]\nname = "v"\nkeys = ["channels.voice.volume_per_day"]\n'
     "low = 1\nhigh = 2\nlikely = 3", "likely (3) must lie from low (1) to high (2)"),
    ('[[uncertainty.inputs]]\nname = "v"\nkeys = ["channels.voice.nope"]\nscale = true\n'
     "low = 0.9\nhigh = 1.1", "uncertainty.inputs[0].keys[0]: channels.voice.nope: no such key"),
    ('[[uncertainty.inputs]]\nname = "v"\nkeys = ["channels.voice.name"]\nscale = true\n'
     "low = 0.9\nhigh = 1.1", "scale = true needs a number there"),
    ('[[uncertainty.inputs]]\nname = "s"\nkeys = ["run.seed"]\nlow = 1\nhigh = 2',
     "[run], [scenario] and [uncertainty] cannot be uncertain"),
    ('[[uncertainty.inputs]]\nname = "p"\nkeys = ["targets.voice.service_level"]\n'
     "low = 0.5\nhigh = 1.5", "uncertainty.inputs[0].high: p at 1.5 makes the scenario invalid: "
     "targets.voice.service_level: must be <= 1, got 1.5"),
    ('[[uncertainty.inputs]]\nname = "v"\nkeys = "channels.voice.volume_per_day"\n'
     "low = 0.9\nhigh = 1.1", "uncertainty.inputs[0].keys"),
    ("", "uncertainty.inputs: required key is missing"),
    ('samples = 1\n[[uncertainty.inputs]]\nname = "v"\nkeys = ["channels.voice.volume_per_day"]'
     "\nlow = 1\nhigh = 2", "uncertainty.samples"),
])
def test_bad_ranges_name_the_file_and_key(tmp_path: Path, inputs: str, message: str) -> None:
    path = write(tmp_path, inputs)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.output


def test_levels_set_values_and_scale_whole_numbers_stay_whole() -> None:
    scenario = load_scenario(FILE, ["agent_groups.agents.agents=12"]).scenario
    assert uncertain_values(scenario, 0, 1.1) == [("agent_groups.agents.hourly_wage",
                                                   pytest.approx(22.0))]
    assert uncertain_values(scenario, 2, 0.03) == [("costs.telephony_per_minute", 0.03)]
    varied = with_values(scenario, [("agent_groups.agents.agents", 13)])
    assert varied.agent_groups[0].agents == 13
    scaled = load_scenario(FILE, ['uncertainty.inputs.wage.keys=["agent_groups.agents.agents"]'])
    assert uncertain_values(scaled.scenario, 0, 1.1) == [("agent_groups.agents.agents", 13)]


def test_latin_hypercube_puts_one_sample_in_each_stratum_and_is_seeded() -> None:
    scenario = load_scenario(FILE, ["uncertainty.samples=40"]).scenario
    levels = latin_hypercube(scenario)
    assert levels.shape == (40, 3)
    for j, (low, high) in enumerate([(0.8, 1.2), (0.95, 1.05)]):
        strata = np.floor((levels[:, j] - low) / (high - low) * 40).astype(int)
        assert sorted(strata) == list(range(40))
    telephony = levels[:, 2]  # triangular 0.015-0.025 around 0.02: one sample per 1/40 of mass
    cdf = np.where(telephony < 0.02, (telephony - 0.015) ** 2 / (0.01 * 0.005),
                   1 - (0.025 - telephony) ** 2 / (0.01 * 0.005))
    assert sorted(np.floor(cdf * 40).astype(int)) == list(range(40))
    np.testing.assert_array_equal(levels, latin_hypercube(scenario))
    other = load_scenario(FILE, ["uncertainty.samples=40", "run.seed=4"]).scenario
    assert not np.array_equal(levels, latin_hypercube(other))


def test_tornado_order_is_stable_across_seeds() -> None:
    """Wages ±20 % swing cost per contact far more than volume ±5 %, and that more than the line
    price: the same order whatever the seed, and the intervals say the swings differ clearly."""
    for seed in (1, 2, 3):
        doc = sensitivity_document(load_scenario(FILE, [f"run.seed={seed}"]), workers=1)
        assert [row["name"] for row in doc["inputs"]] == ["wage", "volume", "telephony"]
        swings = [row["swing"] for row in doc["inputs"]]
        for bigger, smaller in itertools.pairwise(swings):
            assert abs(bigger["mean"]) > abs(smaller["mean"])
            lows = sorted([abs(bigger["ci_low"]), abs(bigger["ci_high"])])
            highs = sorted([abs(smaller["ci_low"]), abs(smaller["ci_high"])])
            assert lows[0] > highs[1], (seed, swings)


def test_a_cost_only_input_swings_in_proportion_to_its_range() -> None:
    """Wages change no customer's journey, so the swing doubles exactly with the range, and the
    base is exactly the plain run's cost per contact."""
    narrow = sensitivity_document(load_scenario(FILE, ["uncertainty.inputs.wage.low=0.9",
                                                       "uncertainty.inputs.wage.high=1.1"]),
                                  workers=1)
    wide = sensitivity_document(load_scenario(FILE), workers=1)
    swing = {doc_id: next(r for r in doc["inputs"] if r["name"] == "wage")["swing"]["mean"]
             for doc_id, doc in (("narrow", narrow), ("wide", wide))}
    assert swing["wide"] == pytest.approx(2 * swing["narrow"], rel=1e-9)
    plain = run_json("run", str(FILE), "--no-uncertainty")
    assert wide["base"]["mean"] == pytest.approx(plain["cost"]["per_contact"]["mean"], rel=1e-12)
    assert "uncertainty" not in plain


def test_run_reports_the_range_over_samples() -> None:
    doc = run_json("run", str(FILE))
    spread = doc["uncertainty"]
    assert spread["samples"] == 10
    assert spread["replications"] == 2
    costs = [row["cost_per_contact"] for row in spread["sample_table"]]
    low, median, high = np.percentile(costs, [10, 50, 90])
    assert spread["cost_per_contact"] == pytest.approx(
        {"low": low, "median": median, "high": high, "mean": np.mean(costs)})
    assert low < doc["cost"]["per_contact"]["mean"] < high
    for row in spread["sample_table"]:
        assert 0.8 <= row["values"]["wage"] <= 1.2


def test_a_linear_input_gives_the_range_its_distribution_implies() -> None:
    """Only wages uncertain (uniform ×0.8-1.2): each sample's cost per contact is a + b·w on the
    same simulated customers, so the 10th-90th percentile is a + b·(0.84, 1.16), up to the
    Latin-hypercube's 1/n stratum width."""
    n = 50
    over = [f"uncertainty.samples={n}", "uncertainty.inputs.volume.low=0.9999999",
            "uncertainty.inputs.volume.high=1.0000001",
            "uncertainty.inputs.telephony.low=0.0199999999",
            "uncertainty.inputs.telephony.high=0.0200000001",
            "uncertainty.inputs.telephony.likely=0.02", "uncertainty.replications=2"]
    doc = run_json("run", str(FILE), *[a for o in over for a in ("--set", o)],
                   "--replications", "2")
    samples = doc["uncertainty"]["sample_table"]
    w = np.array([s["values"]["wage"] for s in samples])
    cost = np.array([s["cost_per_contact"] for s in samples])
    b, a = np.polyfit(w, cost, 1)
    np.testing.assert_allclose(a + b * w, cost, rtol=1e-6)  # linear: the journeys are the same
    spread = doc["uncertainty"]["cost_per_contact"]
    tolerance = abs(b) * 0.4 / n
    assert spread["low"] == pytest.approx(a + b * 0.84, abs=tolerance)
    assert spread["high"] == pytest.approx(a + b * 1.16, abs=tolerance)


def test_sensitivity_needs_ranges_and_writes_outputs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sensitivity", "tests/data/bridge/base.toml"])
    assert result.exit_code == 2
    assert "no [uncertainty] table" in result.stderr
    result = runner.invoke(app, ["sensitivity", str(FILE), "--workers", "1", "--out",
                                 str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "1 wage ×0.8 (-20 %) ×1.2 (+20 %)" in text
    rows = (tmp_path / "sensitivity.csv").read_text().splitlines()
    assert [r.split(",")[1] for r in rows[1:]] == ["wage", "volume", "telephony"]
    assert json.loads((tmp_path / "sensitivity.json").read_text())["inputs"][0]["kind"] == "scale"
    png = (tmp_path / "tornado.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert len(png) > 20_000


def test_csv_carries_the_range() -> None:
    result = runner.invoke(app, ["run", str(FILE), "--format", "csv", "--workers", "1",
                                 "--set", "uncertainty.samples=4"])
    assert result.exit_code == 0, result.output
    rows = {line.split(",")[0]: line.split(",")[1] for line in result.stdout.splitlines()}
    assert float(rows["uncertainty.cost_per_contact.p10"]) <= float(
        rows["uncertainty.cost_per_contact.p50"]) <= float(rows["uncertainty.cost_per_contact.p90"])
    assert "uncertainty.period_total.p90" in rows


def test_equal_service_sensitivity_restaffs_every_end() -> None:
    """On the file's roster 5 % more calls break the 90 % service level; re-staffed to the
    file's targets no end breaks it, and the roster follows the volume."""
    over = ["--set", "targets.voice.service_level=0.9"]
    fixed = run_json("sensitivity", str(FILE), *over)
    volume = next(r for r in fixed["inputs"] if r["name"] == "volume")
    assert volume["guardrails_broken_high"] == ["voice.service_level"]
    staffed = run_json("sensitivity", str(FILE), *over, "--staff", "equal-service")
    assert staffed["staffing"] == "equal-service"
    assert all(not r["guardrails_broken_low"] and not r["guardrails_broken_high"]
               for r in staffed["inputs"])
    # cost follows volume once the roster does: the swing shrinks to a fraction
    again = next(r for r in staffed["inputs"] if r["name"] == "volume")
    assert abs(again["swing"]["ci_low"]) < abs(volume["swing"]["ci_high"]) / 2


def test_help_names_the_uncertainty_table() -> None:
    """"[uncertainty]" is a TOML table name, not terminal markup: the help must show it."""
    for args in (["sensitivity", "--help"], ["run", "--help"], ["--help"]):
        result = runner.invoke(app, args, terminal_width=200)
        assert result.exit_code == 0
        assert "[uncertainty]" in result.stdout, args
