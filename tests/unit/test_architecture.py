"""The architecture of docs/architecture.md, as far as a test can see it.

import-linter checks the import rules in CI (`lint-imports`); these tests check what it cannot:
that the report modules really load on a machine where the engine cannot.
"""

from __future__ import annotations

import subprocess
import sys

BLOCK_SIMPY = """
import importlib.abc, sys
class NoSimpy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "simpy" or name.startswith("simpy."):
            raise ImportError("simpy is blocked in this test")
        return None
sys.meta_path.insert(0, NoSimpy())
"""


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK_SIMPY + code], capture_output=True,
                          text=True, check=False, timeout=120)


def test_the_block_really_blocks_simpy() -> None:
    result = _python("import simulator.model.centre")
    assert result.returncode != 0
    assert "simpy is blocked" in result.stderr


def test_reports_and_results_import_without_the_engine() -> None:
    result = _python("import simulator.report, simulator.report.terminal, simulator.report.files, "
                     "simulator.report.charts, simulator.report.html, simulator.results.guardrails, "
                     "simulator.spec.layers; print('ok')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_no_module_is_over_600_lines() -> None:
    """A module a newcomer can read: split a longer one by what it does (docs/architecture.md)."""
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "simulator"
    lengths = {str(p.relative_to(package)): len(p.read_text(encoding="utf-8").splitlines())
               for p in package.rglob("*.py")}
    assert len(lengths) > 40  # the walk found the package
    assert {name: n for name, n in lengths.items() if n > 600} == {}
