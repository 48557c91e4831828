"""``ccsim compare`` prints how a per-interval guardrail is broken in words, in the table a
planner reads: "BREAKS voice service level (met in 18 of 24 half-hours)"."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from simulator.cli import app
from tests.text import says

runner = CliRunner()
QUICK = ["--set", "run.days=5", "--replications", "3", "--workers", "1"]


def test_compare_table_counts_the_half_hours_of_a_broken_guardrail(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", "scenarios/baseline.toml", "scenarios/callback.toml",
                                 "--out", str(tmp_path), *QUICK])
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "comparison.json").read_text())
    lines = result.stdout.splitlines()
    head = next(k for k, line in enumerate(lines) if "guardrails" in line)
    start = lines[head].index("guardrails")
    column = "\n".join(line[start:] for line in lines[head:])  # the last column on its own
    runs = [document["baseline"], *(row["result"] for row in document["scenarios"])]
    checked = 0
    for run in runs:
        for channel, checks in run["targets"].items():
            for name, check in checks.items():
                if check["met"] or check["judged_on"] != "intervals":
                    continue
                assert says(column, f"{channel} {name.replace('_', ' ')} (met in "
                                    f"{check['intervals_met']} of {check['intervals_judged']} "
                                    "half-hours)"), (channel, name)
                checked += 1
    assert checked  # the short baseline misses some of its half-hours
