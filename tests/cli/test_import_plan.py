"""``ccsim import --plan-start``: a [plan] whose forecast is the export's own months, per channel.

The exports are deterministic: every interval of a month has the same offered count, a known
seasonal index per calendar month (different for each queue) times, in one, a known growth a
month; so the written factors are checked against the pattern within the rounding of the
figures written (and of the counts), not a sampling error.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.spec.plan import days_in, month_index
from tests.history.exports import write
from tests.text import says

runner = CliRunner()
HEADER = ["Interval Start", "Queue", "Calls Offered", "Handled", "Abandoned", "AHT", "ASA",
          "Agents Staffed"]
#: offered per interval as a multiple of the queue's base, January first (multiples of 0.05)
SEASONS = {"Sales": (1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.75, 0.8, 0.95, 1.0, 1.1, 1.25),
           "Web Chat": (0.8, 0.85, 0.9, 1.0, 1.1, 1.25, 1.3, 1.2, 1.0, 0.9, 0.85, 0.8)}
INTERVALS = 4  # 08:00-12:00, hourly, every day of the week
#: written figures: factors and volume_per_day to 6 significant digits, the weekly pattern to 4
WRITTEN = 1e-4


def offered(base: float, season: float, growth: float, months: int) -> int:
    return round(base * season * (1 + growth) ** months)


def export(path: Path, first: date, last: date, base: dict[str, float],
           growth: float = 0.0, ends: float = 1.0) -> Path:
    """Every interval of every day from ``first`` to ``last``, offered as :func:`offered` of the
    months since ``first``'s month, times ``ends`` in the first and the last month (partial
    months that must not count)."""
    data: list[list[str]] = []
    day = first
    while day <= last:
        months = (day.year - first.year) * 12 + day.month - first.month
        edge = ends if (day.year, day.month) in ((first.year, first.month),
                                                 (last.year, last.month)) else 1.0
        for queue, season in SEASONS.items():
            n = offered(base[queue] * edge, season[day.month - 1], growth, months)
            for s in range(INTERVALS):
                abandoned = n // 20
                data.append([f"{day:%Y-%m-%d} {8 + s:02d}:00", queue, str(n), str(n - abandoned),
                             str(abandoned), "240.0", "20.0", f"{n * 240 / 3600 + 2:.2f}"])
        day += timedelta(days=1)
    return write(path, data, HEADER)


def ccsim(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def calendar_day(channel: dict[str, Any]) -> float:
    """The channel's offered a calendar day by its written figures (all week open)."""
    return float(channel["volume_per_day"] * sum(channel["weekly_pattern"]) / 7)


@pytest.fixture(scope="module")
def thirteen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2025-01-15 to 2026-03-10: 13 whole months (February twice), two partial ones 40 % busier
    than their calendar months (were they counted, January and March would move)."""
    folder = tmp_path_factory.mktemp("seasons")
    return export(folder / "thirteen.csv", date(2025, 1, 15), date(2026, 3, 10),
                  {"Sales": 20, "Web Chat": 40}, ends=1.4)


def test_whole_months_give_each_channel_its_own_season(thirteen: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.toml"
    result = ccsim("import", thirteen, "--out", out, "--plan-start", "2026-07")
    assert result.exit_code == 0, result.output
    assert says(result.output, "volume_factors per channel from the whole months 2025-02 to "
                               "2026-02 (13)")
    text = out.read_text(encoding="utf-8")
    assert "Left out as partial: 2025-01 (the export starts 2025-01-15); 2026-03 (the export " \
           "ends 2026-03-10)" in text
    assert "growth a month: 0 (the export covers 13 whole months; year-over-year growth " \
           "needs 24)" in text
    data = tomllib.loads(text)
    assert data["plan"]["start"] == "2026-07"
    assert data["plan"]["months"] == 12
    factors = data["plan"]["volume_factors"]
    channels = {c["name"]: c for c in data["channels"]}
    for queue, name, base in (("Sales", "sales", 20), ("Web Chat", "web_chat", 40)):
        day = calendar_day(channels[name])
        for m, factor in enumerate(factors[name]):
            month = (6 + m) % 12  # July first
            wanted = INTERVALS * base * SEASONS[queue][month] / day
            assert factor == pytest.approx(wanted, rel=WRITTEN), (name, m)
    # each channel keeps its own season: sales peaks in January, chat in July
    assert factors["sales"][6] > factors["sales"][0]
    assert factors["web_chat"][0] > factors["web_chat"][6]
    # the comment says where a factor came from and gives the index
    season = SEASONS["Sales"]
    days = [days_in(month_index(f"2025-{c + 1:02d}")) for c in range(12)]
    mean = sum(s * d for s, d in zip(season, days, strict=True)) / sum(days)
    line = next(x for x in text.splitlines() if "# 2027-02: Feb of 2025-02, 2026-02" in x)
    assert line.startswith(f"  {factors['sales'][7]},")
    index = re.search(r"index (\d+\.\d+)", line)
    assert index is not None
    assert float(index.group(1)) == pytest.approx(season[1] / mean,
                                                                         abs=5e-5)


def test_the_written_plan_runs(thirteen: Path, tmp_path: Path) -> None:
    out = tmp_path / "short.toml"
    result = ccsim("import", thirteen, "--out", out, "--plan-start", "2026-12",
                   "--plan-months", "2")
    assert result.exit_code == 0, result.output
    assert ccsim("check", out).exit_code == 0
    plan = ccsim("plan", out, "--set", "run.replications=2", "--workers", "1", "--format", "csv")
    assert plan.exit_code == 0, plan.output
    assert says(plan.output, "2026-12")
    assert says(plan.output, "2027-01")


def test_growth_comes_year_over_year_from_24_months(tmp_path: Path) -> None:
    growth = 0.01
    base = {"Sales": 2500.0, "Web Chat": 2500.0}
    first = date(2024, 1, 1)
    path = export(tmp_path / "long.csv", first, date(2026, 2, 28), base, growth)
    out = tmp_path / "grown.toml"
    result = ccsim("import", path, "--out", out, "--plan-start", "2026-06", "--plan-months", "6")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "the 14 ratios of whole months a year apart" in text
    data = tomllib.loads(text)
    channels = {c["name"]: c for c in data["channels"]}
    # a month's counts are rounded to whole contacts: relative error eps per month; growth from
    # log ratios of such months (error 2 eps / 12 a month) is carried over |T - centre| months
    eps = 0.5 / min(b * min(SEASONS[q]) for q, b in base.items())
    centre = 12.5  # months 0..25
    for queue, name in (("Sales", "sales"), ("Web Chat", "web_chat")):
        rates = re.findall(rf"# {name} \(queue '{queue}'\): growth (\d+\.\d+)%", text)
        assert rates
        assert abs(float(rates[0]) / 100 - growth) <= 2 * eps / 12 + 5e-7
        day = calendar_day(channels[name])
        for m, factor in enumerate(data["plan"]["volume_factors"][name]):
            months = 29 + m  # 2026-06 is 29 months after 2024-01
            wanted = INTERVALS * base[queue] * SEASONS[queue][(5 + m) % 12] * (
                1 + growth) ** months / day
            tol = eps * (1 + 2 * abs(months - centre) / 12) + WRITTEN
            assert factor == pytest.approx(wanted, rel=tol), (name, m)
    # growth taken far enough leaves the plan's bound: refused, naming the channel
    far = ccsim("import", path, "--out", tmp_path / "far.toml", "--plan-start", "2099-01")
    assert far.exit_code == 2
    assert says(far.output, "channel sales's forecast factor")
    assert says(far.output, "is outside the plan's (0, 10]")
    assert not (tmp_path / "far.toml").exists()


def test_fewer_than_12_whole_months_are_refused(tmp_path: Path) -> None:
    path = export(tmp_path / "short.csv", date(2025, 1, 15), date(2025, 12, 31),
                  {"Sales": 20, "Web Chat": 20})
    out = tmp_path / "no.toml"
    result = ccsim("import", path, "--out", out, "--plan-start", "2026-01")
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for phrase in ["--plan-start 2026-01: a forecast from the history needs at least 12 whole "
                   "calendar months", "the export covers 2025-01-15 to 2025-12-31: 11 whole "
                   "calendar month(s) (2025-02 to 2025-12)"]:
        assert says(result.output, phrase), phrase
    assert not out.exists()
    bad = ccsim("import", path, "--out", out, "--plan-start", "2026-13")
    assert bad.exit_code == 2
    assert says(bad.output, "--plan-start: '2026-13' is not a month")
    alone = ccsim("import", path, "--out", out, "--plan-months", "6")
    assert alone.exit_code == 2
    assert says(alone.output, "--plan-months 6: give --plan-start")
    assert not out.exists()
