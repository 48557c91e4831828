"""``ccsim compare``: common random numbers, paired intervals and guardrails."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
from scipy import stats
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiment import run_many
from simulator.spec.layers import load_scenario
from simulator.studies.comparison import comparison_document

runner = CliRunner()
QUICK = ["--replications", "6", "--set", "run.days=9", "--workers", "2"]


def compare_json(*files: str) -> dict[str, Any]:
    result = runner.invoke(app, ["compare", *files, "--format", "json", *QUICK])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def half_width(sample: np.ndarray) -> float:
    return float(stats.t.ppf(0.975, sample.size - 1) * sample.std(ddof=1) / math.sqrt(sample.size))


def test_paired_intervals_are_at_least_three_times_narrower_than_unpaired() -> None:
    """Common random numbers at work, on the lever files: the paired interval of the change in
    cost per contact against the interval of the same change from independent runs."""
    over = ["run.replications=8", "run.days=9"]
    base = load_scenario("scenarios/baseline.toml", over)
    for lever in ("self_service", "ivr_verification", "root_cause", "callback"):
        other = load_scenario(f"scenarios/{lever}.toml", over)
        trees = run_many([base.scenario, other.scenario], 8, workers=2)
        a = np.array([t["cost"]["per_contact"] for t in trees[0]])
        b = np.array([t["cost"]["per_contact"] for t in trees[1]])
        paired = half_width(b - a)
        unpaired = stats.t.ppf(0.975, 14) * math.sqrt(a.var(ddof=1) / 8 + b.var(ddof=1) / 8)
        assert unpaired >= 3 * paired, (lever, paired, unpaired)
        doc = comparison_document([base, other], trees)
        stat = doc["scenarios"][0]["difference"]["cost"]["per_contact"]
        # the document reports exactly that paired interval
        assert math.isclose(stat["ci_high"] - stat["mean"], paired, rel_tol=1e-9)


def test_difference_document_has_the_run_structure() -> None:
    doc = compare_json("scenarios/baseline.toml", "scenarios/wage_rise.toml")
    row = doc["scenarios"][0]
    diff = row["difference"]
    assert set(diff) == {"channels", "agent_groups", "cost"}
    assert set(diff["channels"]) == set(doc["baseline"]["channels"])
    assert set(diff["cost"]["per_contact"]) == {"mean", "ci_low", "ci_high", "values"}
    # a wage rise changes no customer and no wait: their differences are exactly zero
    assert diff["channels"]["voice"]["answered"] == {
        "mean": 0.0, "ci_low": 0.0, "ci_high": 0.0, "values": [0.0] * doc["replications"]}
    assert diff["cost"]["by_category"]["agent_wages"]["ci_low"] > 0
    assert row["cheaper"] is False  # it is dearer


def test_a_cheaper_scenario_that_breaks_a_guardrail_is_flagged_not_recommended() -> None:
    doc = compare_json("scenarios/baseline.toml", "tests/data/understaffed.toml")
    row = doc["scenarios"][0]
    assert row["difference"]["cost"]["total"]["ci_high"] < 0  # it is cheaper...
    assert "voice.service_level" in row["guardrails_broken"]  # ...but breaks a guardrail
    assert row["cheaper"] is False
    table = runner.invoke(app, ["compare", "scenarios/baseline.toml",
                                "tests/data/understaffed.toml", *QUICK])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    line = next(x for x in lines if "Understaffed" in x)  # its summary row
    assert "cheaper" not in line
    block = lines[next(k for k, x in enumerate(lines) if "roster and guardrails" in x):]
    own = next(k for k, x in enumerate(block) if "Understaffed" in x)  # its roster line
    assert "BREAKS voice SL" in block[own + 1]  # the next line names what it breaks


def test_compare_writes_json_and_csv(tmp_path: Any) -> None:
    result = runner.invoke(app, ["compare", "scenarios/baseline.toml", "scenarios/cloud_platform.toml",
                                 "--out", str(tmp_path), *QUICK])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "comparison.json").read_text())
    assert doc["scenarios"][0]["scenario"] == "Cloud contact-centre platform"
    rows = (tmp_path / "comparison.csv").read_text().splitlines()
    assert rows[0] == "scenario,metric,mean,difference,difference_ci_low,difference_ci_high"
    assert any(r.startswith("Cloud contact-centre platform,cost.by_category.technology,") for r in rows)


def test_bad_scenario_in_compare_exits_2() -> None:
    result = runner.invoke(app, ["compare", "scenarios/baseline.toml", "nope.toml"])
    assert result.exit_code == 2
    assert "nope.toml" in result.output
