"""The round trip of a centre's own data, on the committed sample: the synthetic centre
``scenarios/data/sample_centre.toml`` (the truth) → its 13-week export
``scenarios/data/sample_export.csv`` → ``ccsim import`` → figures within their sampling error
of the truth → ``ccsim backtest`` of the imported scenario against the export, covering the
actual values about as often as its 95 % band says.

Every tolerance is derived from the truth (named beside each check): the estimates are means
of counts whose variance the scenario states (Poisson arrivals times a gamma day factor,
multinomial intraday shares, lognormal handle times).
"""

from __future__ import annotations

import dataclasses
import math
import runpy
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.history.reading import read_exports
from simulator.results.backtest import BacktestResult
from simulator.spec.layers import load_scenario
from simulator.spec.schema import Scenario
from simulator.studies.backtest import backtest
from tests.text import says

DATA = Path(__file__).resolve().parents[2] / "scenarios" / "data"
EXPORT = DATA / "sample_export.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def truth() -> Scenario:
    return load_scenario(DATA / "sample_centre.toml").scenario


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("import") / "centre.toml"
    result = runner.invoke(app, ["import", str(EXPORT), "--out", str(out),
                                 "--concurrency", "Chat=2", "--hourly-wage", "20"])
    assert result.exit_code == 0, result.output
    return out, result.output


def channels(path: Path) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in tomllib.loads(path.read_text(encoding="utf-8"))["channels"]}


def test_the_committed_export_is_what_its_script_makes() -> None:
    """sample_export.csv is reproducible: its script, run again, gives the same rows."""
    made = runpy.run_path(str(DATA / "make_sample_export.py"))["export_frame"]()
    assert made.to_csv(index=False, lineterminator="\n") == EXPORT.read_text(encoding="utf-8")


def test_import_drops_the_partial_last_day_and_says_why(imported: tuple[Path, str]) -> None:
    _, output = imported
    for queue in ("Chat", "Sales", "Support"):
        assert says(output, f"2026-04-04 (Saturday), queue '{queue}': partial day: 10 of the "
                            "20 intervals")


def test_volumes_and_profiles_come_back_within_their_sampling_error(
        truth: Scenario, imported: tuple[Path, str]) -> None:
    got = channels(imported[0])
    frame = read_exports([EXPORT]).frame
    for c in truth.channels:
        assert c.weekly_pattern is not None
        pattern = [c.weekly_pattern[d] for d in range(6)]  # Mon-Sat open
        per_day = [c.volume_per_day * w for w in pattern]
        mean = sum(per_day) / 6
        # volume_per_day is the mean over the 77 whole days kept (13 weeks less the cut
        # Saturday): Var of a day's count is λ + cv²λ² (Poisson × gamma day factor)
        days = [per_day[d] for d in range(6) for _ in range(13)][:-1]
        se = math.sqrt(sum(lam + c.busyness_cv ** 2 * lam ** 2 for lam in days)) / len(days)
        assert abs(got[c.name]["volume_per_day"] - mean) < 3 * se, (c.name, mean, se)
        # the day factor scales a whole day alike: intraday shares are multinomial given N
        shares = ([w / sum(c.profile) for w in c.profile] if isinstance(c.profile, tuple)
                  else [1 / 20] * 20)
        n = float(frame[frame["queue"] == c.name.capitalize()]["offered"].sum())
        for k, (est, p) in enumerate(zip(got[c.name]["profile"], shares, strict=True)):
            assert abs(est - p) < 4 * math.sqrt(p * (1 - p) / n), (c.name, k, est, p)


def test_handle_time_patience_and_busy_days_come_back(truth: Scenario,
                                                     imported: tuple[Path, str]) -> None:
    path, _ = imported
    got = channels(path)
    types = {t["channel"]: t for t in tomllib.loads(path.read_text(encoding="utf-8"))
             ["contact_types"]}
    frame = read_exports([EXPORT]).frame
    for c in truth.channels:
        own = [t for t in truth.contact_types if t.channel == c.name]
        answered = float(frame[frame["queue"] == c.name.capitalize()]["answered"].sum())
        if len(own) == 1:  # (support's two reasons abandon unalike: its answered mix shifts)
            hand = own[0].handle_time
            se = hand.cv * hand.mean / math.sqrt(answered)  # type: ignore[union-attr]
            assert abs(types[c.name]["handle_time"]["mean"] - hand.mean) < 3 * se
            # patience: the closed form takes the abandoners' wait as the answered's ASA,
            # which runs low (docs/import.md): stated tolerance -10 % to +3 sampling errors
            est, mean = got[c.name]["patience"]["mean"], c.patience.mean  # type: ignore[union-attr]
            abandoned = float(frame[frame["queue"] == c.name.capitalize()]["abandoned"].sum())
            se = mean / math.sqrt(abandoned)  # of 1/θ̂ with the abandons a Poisson count
            assert 0.90 * mean - 3 * se < est < mean + 3 * se, (c.name, est, mean)
        # cv² pooled over 71 df: its sampling sd is about √(2/df) (cv² + 1/λ)
        lam = c.volume_per_day * 0.95
        se = math.sqrt(2 / 71) * (c.busyness_cv ** 2 + 1 / lam)
        assert abs(got[c.name]["busyness_cv"] ** 2 - c.busyness_cv ** 2) < 3 * se, c.name


def test_the_backtest_of_the_imported_centre_covers_the_history(
        imported: tuple[Path, str]) -> None:
    """Two weeks of the export (12 dates × 20 half-hours = 240 intervals a channel), 39
    replications (a 95 % band): the nominal 95 % must lie inside the Wilson interval of the
    coverage seen, or above it only by ties (SL and abandonment are ratios of small counts,
    docs/backtest.md), i.e. coverage not below nominal beyond doubt and at most 99.5 %."""
    history = read_exports([EXPORT])
    first = history.frame["start"].min().normalize()
    two_weeks = history.frame[history.frame["start"] < first + pd.Timedelta(days=14)]
    result: BacktestResult = backtest(load_scenario(imported[0]),
                                      dataclasses.replace(history, frame=two_weeks), workers=2)
    for e in result.errors:
        if e.metric in ("service_level", "abandon_rate"):
            assert e.intervals >= 200, (e.channel, e.metric)
            assert e.coverage_high >= e.nominal, (e.channel, e.metric, e.coverage)
            assert e.coverage <= 0.995, (e.channel, e.metric, e.coverage)
