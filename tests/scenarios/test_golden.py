"""The gate for refactoring: seeded short runs must give byte-identical JSON.

Each case runs a command in-process and compares its JSON, with the machine-specific parts
taken out (absolute paths, package versions), to a file in tests/golden/. A change that moves
code must leave these files alone; a change that means to alter the numbers (a stream split, a
defect fixed) re-pins them in a commit of its own, saying why:

    CCSIM_REPIN_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SHORT_BASELINE = ["--set", "run.days=2", "--set", "run.warmup_hours=24", "--replications", "2"]
CASES: dict[str, list[str]] = {
    "erlang_a": ["run", "scenarios/erlang_a.toml", "--set", "run.days=0.25",
                 "--replications", "2"],
    "baseline": ["run", "scenarios/baseline.toml", *SHORT_BASELINE],
    "compare_callback": ["compare", "scenarios/baseline.toml", "scenarios/callback.toml",
                         *SHORT_BASELINE],
}


def machine_free(node: Any) -> Any:
    """`node` without what differs between machines or comments: versions, paths, file hashes."""
    if isinstance(node, dict):
        return {key: machine_free(value) for key, value in node.items() if key not in ("versions", "sha256")}
    if isinstance(node, list):
        return [machine_free(value) for value in node]
    if isinstance(node, str):
        return node.replace(str(ROOT), "<root>")
    return node


@pytest.mark.parametrize("case", sorted(CASES))
def test_json_is_byte_identical_to_the_golden_file(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, [*CASES[case], "--format", "json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    text = json.dumps(machine_free(json.loads(result.stdout)), indent=1, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"{case}.json"
    if os.environ.get("CCSIM_REPIN_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with CCSIM_REPIN_GOLDEN=1 to pin it"
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, f"{case}: the JSON differs from {golden.name}"
