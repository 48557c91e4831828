"""The cleaning rules: closed weekdays, intervals outside the usual hours, partial days,
holidays and outliers are left out, each with its rule; a usual history loses nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulator.history.cleaning import cleaned
from simulator.history.reading import read_exports
from tests.history.exports import Truth, rows, write


def _scaled(row: list[str], factor: float) -> list[str]:
    """An export row with its counts scaled by ``factor`` (kept consistent)."""
    offered = int(int(row[2]) * factor)
    answered = min(int(row[3]), offered)
    within = min(int(row[7]), answered)
    return [row[0], row[1], str(offered), str(answered), str(offered - answered), row[5],
            row[6], str(within), row[8]]


def test_each_rule_drops_what_it_says_and_nothing_else(tmp_path: Path) -> None:
    data = rows({"sales": Truth(busyness_cv=0.05)}, np.random.default_rng(5), weeks=13)
    holiday, outlier, partial = "2026-04-06", "2026-03-17", "2026-03-11"
    data = [_scaled(r, 0.2) if r[0].startswith(holiday) else
            _scaled(r, 3.0) if r[0].startswith(outlier) else r
            for r in data if not (r[0].startswith(partial) and r[0][11:] >= "14:00")]
    data.append(["2026-03-03 07:30", "sales", "2", "2", "0", "100", "5", "2", "1"])
    data += [[f"2026-03-08 {h:02d}:{m:02d}", "sales", "1", "1", "0", "100", "5", "1", "1"]
             for h in range(8, 20) for m in (0, 30)]  # one Sunday of 13 with contacts
    history = read_exports([write(tmp_path / "e.csv", data)])
    kept = cleaned(history)
    rules = {d.what: d.rule for d in kept.dropped}
    assert rules["2026-04-06 (Monday), queue 'sales'"].startswith("holiday or outage: ")
    assert "of the median Monday" in rules["2026-04-06 (Monday), queue 'sales'"]
    assert rules["2026-03-17 (Tuesday), queue 'sales'"].startswith("outlier: ")
    assert rules["2026-03-11 (Wednesday), queue 'sales'"] == (
        "partial day: 12 of the 24 intervals of a usual Wednesday (08:00-20:00)")
    assert rules["queue 'sales': 1 interval(s) on 1 date(s)"].startswith(
        "outside the usual opening hours (Mon 08:00-20:00;")
    assert rules["queue 'sales': 1 Sunday(s)"].startswith("closed weekday")
    assert len(kept.dropped) == 5
    gone = {holiday, outlier, partial, "2026-03-08"}
    expected = [r for r in data if r[0][:10] not in gone and r[0][11:] >= "08:00"]
    assert len(kept.frame) == len(expected)
    assert set(kept.frame["start"].dt.strftime("%Y-%m-%d")).isdisjoint(gone)


def test_a_usual_history_loses_nothing(tmp_path: Path) -> None:
    data = rows({"a": Truth(), "b": Truth(volume_per_day=300)}, np.random.default_rng(6),
                weeks=13)
    history = read_exports([write(tmp_path / "e.csv", data)])
    kept = cleaned(history)
    assert kept.dropped == ()
    assert len(kept.frame) == len(history.frame)
