"""``ccsim compare`` prints how a per-interval guardrail is broken in words, under the table a
planner reads: "BREAKS voice SL (met in 18 of 24 half-hours)", one line each."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from simulator.cli import app

runner = CliRunner()
QUICK = ["--set", "run.days=5", "--replications", "3", "--workers", "1"]


def test_compare_table_counts_the_half_hours_of_a_broken_guardrail(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", "scenarios/baseline.toml", "scenarios/callback.toml",
                                 "--out", str(tmp_path), *QUICK])
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "comparison.json").read_text())
    lines = result.stdout.splitlines()
    head = next(k for k, line in enumerate(lines) if "guardrails" in line)
    column = "\n".join(lines[head:])  # the roster and guardrails block
    runs = [document["baseline"], *(row["result"] for row in document["scenarios"])]
    checked = 0
    for run in runs:
        for channel, checks in run["targets"].items():
            for name, check in checks.items():
                if check["met"] or check["judged_on"] != "intervals":
                    continue
                short = {"service_level": "SL", "max_abandon_rate": "abandon",
                         "max_asa_seconds": "ASA"}[name]
                assert f"BREAKS {channel} {short} (met in {check['intervals_met']} of " \
                    f"{check['intervals_judged']} half-hours)" in column, (channel, name)
                checked += 1
    assert checked  # the short baseline misses some of its half-hours
