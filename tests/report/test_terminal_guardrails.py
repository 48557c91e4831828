"""The compare and bridge tables say in words how a per-interval guardrail is broken: "BREAKS
voice SL (met in 18 of 24 half-hours)", one line each under the table, however narrow the
terminal.

The lines are read from where the block's heading ("roster and guardrails …") starts."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from rich.console import Console

from simulator.report.terminal_studies import render_bridge, render_comparison
from simulator.results.guardrails import Verdicts
from simulator.results.studies import BridgeResult, ComparisonResult
from tests.report.test_html_report import bridge_document, small_comparison
from tests.text import says


def guardrails_column(draw: Callable[[Console], None], width: int) -> str:
    """The guardrails block, from its heading on, when a study is drawn so wide (every line of
    the whole output checked to fit)."""
    console = Console(file=io.StringIO(), width=width, record=True)
    draw(console)
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= width
    head = next(k for k, line in enumerate(lines) if "guardrails" in line)
    return "\n".join(lines[head:])


def per_interval_words(verdicts: Verdicts, short: bool = False) -> list[str]:
    """How a table names each broken per-interval guardrail of a run."""
    words = []
    for c in verdicts:
        if c.met or not c.per_interval:
            continue
        name = ({"service_level": "SL", "max_abandon_rate": "abandon",
                 "max_asa_seconds": "ASA"}[c.name] if short else c.name.replace("_", " "))
        words.append(f"{c.channel} {name} (met in {c.intervals_met} of {c.intervals_judged} "
                     "half-hours)")
    return words


@pytest.mark.parametrize("width", [80, 100, 200])
def test_compare_names_the_half_hours_a_broken_guardrail_is_met_in(width: int) -> None:
    comparison = ComparisonResult.from_document(small_comparison())
    runs = [comparison.baseline, *(row.result for row in comparison.scenarios)]
    expected = [w for run in runs for w in per_interval_words(run.guardrails, short=True)]
    assert expected, "the small comparison breaks a per-interval guardrail"
    text = guardrails_column(lambda console: render_comparison(comparison, console), width)
    assert says(text, "BREAKS")
    for words in expected:
        assert f"BREAKS {words}" in text, words  # whole, on one line


@pytest.mark.parametrize("width", [80, 100, 200])
def test_bridge_steps_name_the_half_hours_too(width: int) -> None:
    bridge = BridgeResult.from_document(bridge_document())
    text = guardrails_column(lambda console: render_bridge(bridge, console), width)
    broken_step = bridge.steps[1]  # the call-back step breaks voice's service level
    assert broken_step.guardrails_broken == ("voice.service_level",)
    check = bridge.results[1].guardrails.of("voice")["service_level"]
    assert check.per_interval
    assert says(text, f"BREAKS voice SL (met in {check.intervals_met} of "
                      f"{check.intervals_judged} half-hours)")
    for words in per_interval_words(bridge.baseline.guardrails, short=True):
        assert says(text, words), words
