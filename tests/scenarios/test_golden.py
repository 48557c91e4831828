"""The gate for refactoring: seeded short runs must give the JSON pinned in golden/.

Each case runs a command in-process and compares its JSON, with the machine-specific parts
taken out (absolute paths, package versions), to a file in tests/golden/: every key, string and
whole number the same, every other number within a billionth (the last bits of a float sum
differ between processors' vector units; a figure that moves moves far more). A change that moves
code must leave these files alone; a change that means to alter the numbers (a stream split, a
defect fixed) re-pins them in a commit of its own, saying why:

    CCSIM_REPIN_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SHORT_BASELINE = ["--set", "run.days=2", "--set", "run.warmup_hours=24", "--replications", "2"]
TOLERANCE = 1e-9  # of a float: a moved figure moves far more than that
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


def differences(got: Any, pinned: Any, path: str = "") -> list[str]:
    """Where ``got`` differs from ``pinned``: keys, strings and whole numbers exactly, other
    numbers beyond :data:`TOLERANCE` (relative, or absolute near zero)."""
    if isinstance(got, dict) and isinstance(pinned, dict):
        if list(got) != list(pinned):
            return [f"{path or '.'}: keys {list(got)} != {list(pinned)}"]
        return [d for k in got for d in differences(got[k], pinned[k], f"{path}.{k}")]
    if isinstance(got, list) and isinstance(pinned, list):
        if len(got) != len(pinned):
            return [f"{path}: {len(got)} items != {len(pinned)}"]
        return [d for i, (a, b) in enumerate(zip(got, pinned, strict=True))
                for d in differences(a, b, f"{path}[{i}]")]
    if isinstance(got, float) or isinstance(pinned, float):
        if (isinstance(got, int | float) and isinstance(pinned, int | float)
                and not isinstance(got, bool) and not isinstance(pinned, bool)
                and math.isclose(got, pinned, rel_tol=TOLERANCE, abs_tol=TOLERANCE)):
            return []
    elif got == pinned and type(got) is type(pinned):
        return []
    return [f"{path}: {got!r} != {pinned!r}"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_json_matches_the_golden_file(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, [*CASES[case], "--format", "json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    text = json.dumps(machine_free(json.loads(result.stdout)), indent=1, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"{case}.json"
    if os.environ.get("CCSIM_REPIN_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with CCSIM_REPIN_GOLDEN=1 to pin it"
    pinned = machine_free(json.loads(golden.read_text(encoding="utf-8")))
    found = differences(json.loads(text), pinned)
    assert not found, f"{case}: the JSON differs from {golden.name}: " + "; ".join(found[:5])


def test_the_comparison_sees_a_moved_figure_and_forgives_the_last_bits() -> None:
    pinned = {"cost": {"mean": 6.47, "values": [6.4, 6.54]}, "n": 2, "name": "baseline"}
    assert differences({"cost": {"mean": 6.47 * (1 + 1e-13), "values": [6.4, 6.54]}, "n": 2,
                        "name": "baseline"}, pinned) == []
    assert differences({"cost": {"mean": 6.4700001, "values": [6.4, 6.54]}, "n": 2,
                        "name": "baseline"}, pinned) == [".cost.mean: 6.4700001 != 6.47"]
    assert differences({"cost": {"mean": 6.47, "values": [6.4]}, "n": 3, "name": "baseline"},
                       pinned) == [".cost.values: 1 items != 2", ".n: 3 != 2"]
