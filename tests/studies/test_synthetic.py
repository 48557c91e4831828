"""The synthetic history: a scenario's weeks as the interval export its centre would write."""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from simulator.history.export import write_history
from simulator.history.reading import read_exports
from simulator.history.table import COLUMNS
from simulator.spec.layers import load_scenario, with_values
from simulator.studies.synthetic import history_of

TWO_QUEUES = Path(__file__).resolve().parents[1] / "data" / "backtest" / "two_queues.toml"
WEEKS = 4


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return history_of(load_scenario(TWO_QUEUES), WEEKS, workers=1).frame


def test_one_row_per_channel_and_open_interval_from_a_monday(history: pd.DataFrame) -> None:
    # 4 weeks × 5 open days × 8 intervals (08:00-12:00 by 30 minutes) × 2 queues
    assert len(history) == WEEKS * 5 * 8 * 2
    assert list(history.columns) == list(COLUMNS)
    assert history["start"].min() == pd.Timestamp("2026-01-05 08:00")
    assert history["start"].max() == pd.Timestamp("2026-01-30 11:30")  # the 4th Friday
    assert set(history["start"].dt.day_of_week) == {0, 1, 2, 3, 4}
    assert set(history["queue"]) == {"sales", "support"}
    assert (history["answered"] + history["abandoned"] <= history["offered"]).all()
    assert (history["answered_within"] <= history["answered"]).all()
    assert history["short_abandons"].isna().all()


def test_volumes_and_rosters_are_the_scenarios(history: pd.DataFrame) -> None:
    offered = history.groupby("queue")["offered"].sum()
    for queue, per_day in (("sales", 400), ("support", 300)):
        expected = per_day * 5 * WEEKS  # Poisson (no retrials): sd = sqrt(expected)
        assert abs(offered[queue] - expected) < 4 * math.sqrt(expected)
    sales = history[history["queue"] == "sales"].copy()
    sales["of_day"] = sales["start"].dt.hour * 2 + sales["start"].dt.minute // 30 - 16
    roster = [6, 9, 12, 12, 9, 9, 5, 5]
    # on the floor = the roster; an agent finishing a call after a cut counts in part
    assert (sales["agents"] - sales["of_day"].map(dict(enumerate(roster)))).between(-1e-9, 1).all()
    assert (sales["agents"].round() == sales["of_day"].map(dict(enumerate(roster)))).all()
    handle = (sales["handle_seconds"] * sales["answered"]).sum() / sales["answered"].sum()
    # mean 240 s, cv 0.8: sd of the mean of ~7,500 handles = 192 / sqrt(7,500) ≈ 2.2 s
    assert abs(handle - 240) < 4 * 192 / math.sqrt(sales["answered"].sum())


def test_the_history_reads_back_as_written(history: pd.DataFrame, tmp_path: Path) -> None:
    made = history_of(load_scenario(TWO_QUEUES), 1, workers=1)
    path = tmp_path / "export.csv"
    write_history(made, path)
    back = read_exports([path])
    assert back.interval_minutes == 30
    counts = ["offered", "answered", "abandoned", "answered_within"]
    assert back.frame[counts].equals(made.frame[counts])
    assert (back.frame["agents"] - made.frame["agents"]).abs().max() <= 5e-4  # 3 decimals
    with pytest.raises(FileExistsError):
        write_history(made, path)


def test_the_same_rows_for_any_workers_and_a_threshold_given() -> None:
    loaded = load_scenario(TWO_QUEUES)
    one, two = history_of(loaded, 2, workers=1), history_of(loaded, 2, workers=2)
    pd.testing.assert_frame_equal(one.frame, two.frame)
    assert one.threshold_seconds == 20
    wider = history_of(loaded, 2, workers=1, threshold_seconds=60)
    assert wider.threshold_seconds == 60
    assert (wider.frame["answered_within"] >= one.frame["answered_within"]).all()
    assert wider.frame["answered_within"].sum() > one.frame["answered_within"].sum()
    assert wider.frame["offered"].equals(one.frame["offered"])


def test_a_warm_up_is_run_before_the_week() -> None:
    loaded = load_scenario(TWO_QUEUES)
    warm = dataclasses.replace(loaded, scenario=with_values(loaded.scenario,
                                                            [("run.warmup_hours", 30)]))
    made = history_of(warm, 1, workers=1).frame
    assert len(made) == 5 * 8 * 2  # Monday's intervals too
    assert (made.groupby(made["start"].dt.date)["offered"].sum() > 0).all()


def test_start_date_and_weeks_are_checked() -> None:
    loaded = load_scenario(TWO_QUEUES)
    with pytest.raises(ValueError, match="must be a Monday"):
        history_of(loaded, 1, start_date=date(2026, 1, 6))
    with pytest.raises(ValueError, match="weeks must be from 1"):
        history_of(loaded, 0)
