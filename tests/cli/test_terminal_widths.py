"""Every command's table fits the terminal it is printed on: at 80, 100 and 200 columns no line
is longer than the terminal, no cell is wrapped onto a second line, and the phrases a planner
reads are there whole (a cell cut short or wrapped would lose them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from tests.text import says

runner = CliRunner()
WIDTHS = (80, 100, 200)
SHORT = ["--set", "run.days=1", "--set", "run.warmup_hours=0", "--replications", "2",
         "--workers", "1"]
#: a guardrail line names the guardrail and, judged per interval, its count, all on one line
BREAK_LINE = re.compile(r"BREAKS \w+ (SL|abandon|ASA|occupancy|within target)"
                        r"( \(met in \d+ of \d+ half-hours\))?\s*$")


def printed(args: list[str], width: int) -> str:
    result = runner.invoke(app, args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


def fits(text: str, width: int) -> list[str]:
    lines = text.splitlines()
    assert lines
    assert max(len(line) for line in lines) <= width, max(lines, key=len)
    return lines


def assert_breaks_whole(lines: list[str]) -> int:
    """Every "BREAKS" line ends with its guardrail's name and count (nothing wrapped or cut)."""
    broken = [line for line in lines if "BREAKS" in line]
    for line in broken:
        assert BREAK_LINE.search(line), line
    return len(broken)


@pytest.mark.parametrize("width", WIDTHS)
def test_run_fits_and_shows_its_overrides(width: int) -> None:
    text = printed(["run", "scenarios/baseline.toml", *SHORT,
                    "--set", "agent_groups.agents.shrinkage=0.25"], width)
    lines = fits(text, width)
    assert "agent_groups.agents.shrinkage=0.25" in text  # the header names every --set
    for phrase in ("Cost per contact", "Service level", "agent wages", "Targets", "--detail"):
        assert phrase in text, phrase
    if width >= 100:
        assert len(lines) <= 50, len(lines)  # one screen


@pytest.mark.parametrize("width", [40, *WIDTHS])
def test_run_detail_shows_each_contact_type_whole(width: int) -> None:
    """voice's three types, each in a column, in as many tables as the width needs: no cell
    cut short, every row in every table; chat and email (one type each) have none."""
    text = printed(["run", "scenarios/baseline.toml", *SHORT, "--detail"], width)
    lines = fits(text, width)
    start = next(i for i, line in enumerate(lines) if "Service by contact type" in line)
    end = next(i for i, line in enumerate(lines) if "Agent groups" in line)
    types = "\n".join(lines[start:end])
    assert "…" not in types
    for name in ("billing", "tech_support", "sales"):
        assert re.search(rf"\b{name}\b", types), name
    tables = types.count("Service by contact type")
    assert tables == (1 if width >= 80 else types.count("metric"))
    for label in ("Offered to agents", "Answered", "Abandoned", "Service level", "ASA (s)",
                  "Abandon rate", "AHT (s)"):
        assert len(re.findall(rf"^│ {re.escape(label)}\s", types, re.MULTILINE)) == tables, label
    assert "chat_support" not in text


def test_run_detail_shows_every_line_and_the_worst_half_hours() -> None:
    brief = printed(["run", "scenarios/baseline.toml", *SHORT], 100)
    detail = printed(["run", "scenarios/baseline.toml", *SHORT, "--detail"], 100)
    fits(detail, 100)
    assert "other lines" in brief
    assert "other lines" not in detail
    assert "office space" in detail
    assert "office space" not in brief
    assert ", worst " in detail
    assert ", worst " not in brief
    assert "Average speed of answer (s)" in detail
    assert len(detail.splitlines()) > len(brief.splitlines())


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_fits_names_its_broken_guardrails_and_folds_untouched_rows(width: int) -> None:
    text = printed(["compare", "scenarios/baseline.toml", "scenarios/self_service.toml",
                    "scenarios/callback.toml", *SHORT], width)
    lines = fits(text, width)
    assert says(text, "roster and guardrails (the baseline's targets)")
    assert assert_breaks_whole(lines) or "all met" in text
    assert "Paired differences" in text
    assert "Callback" in text
    assert "Self-service" in text
    # self-service and callback leave the chat team alone: its row folds into the last line
    assert says(text, "chat_team occupancy: no change"), text
    assert not any(line.strip().startswith("chat:") for line in lines)  # no "+0.0 ±0.0" rows


@pytest.mark.parametrize("width", WIDTHS)
def test_bridge_fits(width: int) -> None:
    text = printed(["bridge", "scenarios/baseline.toml", "scenarios/self_service.toml",
                    "scenarios/callback.toml", *SHORT], width)
    lines = fits(text, width)
    assert "= every lever together" in text
    assert says(text, "Overlap:")
    assert says(text, "roster and guardrails")
    assert_breaks_whole(lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_sweep_fits_with_short_keys_and_a_legend(width: int, tmp_path: Path) -> None:
    text = printed(["sweep", "scenarios/erlang_a.toml", "--set", "agent_groups.agents.agents=40,47",
                    "--set", "agent_groups.agents.shrinkage=0.2,0.3", "--set", "run.days=0.25",
                    "--replications", "2", "--workers", "1", "--out", str(tmp_path)], width)
    lines = fits(text, width)
    assert says(text, "agent_groups.agents.shrinkage")  # in the legend, whole
    assert not any(line.startswith("agent_grou") for line in lines[:3])  # not in the header
    header = next(line for line in lines if "per contact" in line and "guardrails" in line)
    assert "shrinkage" in header
    rows = [line for line in lines if re.match(r"\s*4[07]\s", line)]
    assert len(rows) == 4
    for row in rows:  # each point's verdict, its broken guardrails by name
        assert row.rstrip().endswith("all met") or re.search(r"breaks \w+ \w+", row), row
    assert "BREAKS 1" not in text
    assert "BREAKS 2" not in text


@pytest.mark.parametrize("width", WIDTHS)
def test_sensitivity_fits_and_keeps_input_names_whole(width: int) -> None:
    text = printed(["sensitivity", "scenarios/self_service_ranges.toml", *SHORT], width)
    lines = fits(text, width)
    for name in ("volume", "agent_wage", "voice_handle_time"):
        assert re.search(rf"\b{name}\b", text), name  # whole, in the table or its legend
    assert "swing" in text
    assert says(text, "guardrails (the file's targets)")
    assert_breaks_whole(lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_fits(width: int) -> None:
    text = printed(["staff", "tests/data/staff_base.toml", "--replications", "2",
                    "--workers", "1"], width)
    fits(text, width)
    assert says(text, "rostered agents per interval")
    assert "search:" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_check_and_erlang_fit(width: int) -> None:
    text = printed(["check", "scenarios/baseline.toml", "scenarios/self_service_ranges.toml"],
                   width)
    fits(text, width)
    assert says(text, "scenarios/self_service_ranges.toml: ok: 3 channel(s)")
    text = printed(["erlang", "c", "--arrivals-per-hour", "200", "--aht-seconds", "180",
                    "--agents", "14"], width)
    fits(text, width)
    assert "service level (20 s)" in text
