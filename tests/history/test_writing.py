"""The scenario text of ccsim import, loaded as ccsim loads a file: a profile per weekday where
the shapes differ, a queue with shorter weekdays, an email queue, no ASA and no agents."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from simulator.history.cleaning import cleaned
from simulator.history.estimates import estimated
from simulator.history.reading import read_exports
from simulator.history.writing import MAX_DROPPED_LINES, Choices, scenario_toml
from simulator.spec.layers import load_scenario
from tests.history.exports import HEADER, Truth, rows, write

SATURDAY = np.r_[np.ones(10), np.zeros(14)]  # 08:00-13:00


def _scenario(tmp_path: Path, data: list[list[str]], header: list[str] = HEADER,
              **choices: object) -> tuple[str, object]:
    history = cleaned(read_exports([write(tmp_path / "e.csv", data, header)],
                                   threshold_seconds=20))
    text = scenario_toml(estimated(history), Choices(name="test", **choices))  # type: ignore[arg-type]
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return text, load_scenario(path).scenario


def test_weekday_profiles_short_saturdays_and_an_email_queue_load(tmp_path: Path) -> None:
    base = np.sin(np.linspace(0.3, np.pi - 0.3, 24)) + 0.2
    truths = {"Sales": Truth(volume_per_day=400, profile={**dict.fromkeys(range(5), base),
                                                          5: SATURDAY}),
              "Email": Truth(volume_per_day=100, weekly_pattern=(1, 1, 1, 1, 1, 0, 0))}
    text, scenario = _scenario(tmp_path, rows(truths, np.random.default_rng(4), weeks=4),
                               hourly_wage=18.0)
    channels = {c.name: c for c in scenario.channels}  # type: ignore[attr-defined]
    sales, email = channels["sales"], channels["email"]
    assert isinstance(sales.profile, dict)
    assert sorted(sales.profile) == ["fri", "mon", "sat", "thu", "tue", "wed"]
    assert all(w == 0 for w in sales.profile["sat"][10:])
    assert email.kind == "email"
    assert email.mode == "deferred"
    assert email.patience is None
    assert email.weekly_pattern[5] == 0.0
    groups = {g.name: g for g in scenario.agent_groups}  # type: ignore[attr-defined]
    assert sorted(groups["email_agents"].agents) == ["fri", "mon", "thu", "tue", "wed"]
    assert {g.hourly_wage for g in groups.values()} == {18.0}
    assert "[targets.email]\nwithin_target = 0.95" in text


def test_without_asa_or_agents_the_scenario_says_so_and_staffs_auto(tmp_path: Path) -> None:
    data = rows({"Sales": Truth(volume_per_day=300)}, np.random.default_rng(5), weeks=2)
    keep = [0, 1, 2, 3, 4, 5, 7]  # no ASA, no agents
    text, scenario = _scenario(tmp_path, [[r[i] for i in keep] for r in data],
                               [HEADER[i] for i in keep])
    assert "# no patience: no ASA in the export" in text
    (channel,) = scenario.channels  # type: ignore[attr-defined]
    assert channel.patience is None
    (group,) = scenario.agent_groups  # type: ignore[attr-defined]
    assert group.agents == "auto"
    assert group.shrinkage == 0.0
    assert scenario.targets["sales"].service_level == pytest.approx(0.8)  # type: ignore[attr-defined]


def test_a_long_list_of_drops_is_cut_in_the_file(tmp_path: Path) -> None:
    data = rows({f"q{i}": Truth(volume_per_day=200) for i in range(MAX_DROPPED_LINES + 2)},
                np.random.default_rng(6), weeks=2)
    data = [r for r in data if not (r[0].startswith("2026-03-04") and r[0][11:] >= "18:00")]
    text, _ = _scenario(tmp_path, data)
    found = re.search(r"dropped \((\d+)\):", text)
    assert found is not None
    dropped = int(found.group(1))
    assert dropped >= MAX_DROPPED_LINES + 2  # a partial Wednesday in each queue at least
    assert f"... and {dropped - MAX_DROPPED_LINES} more (ccsim import prints them all)" in text
    listed = [line for line in text.splitlines() if line.startswith("#     ")]
    assert len(listed) == MAX_DROPPED_LINES + 1  # the drops listed and the "... and" line


@pytest.mark.parametrize(("minutes", "open_minutes", "slots", "hours"), [
    (60, 0, 24, ("00:00", "24:00")),  # a 24-hour centre in hours
    (15, 9 * 60, 36, ("09:00", "18:00")),
])
def test_other_interval_lengths_and_a_24_hour_day_load(tmp_path: Path, minutes: int,
                                                        open_minutes: int, slots: int,
                                                        hours: tuple[str, str]) -> None:
    truth = Truth(volume_per_day=2000, profile=np.ones(slots))
    data = rows({"voice": truth}, np.random.default_rng(9), weeks=2, open_minutes=open_minutes,
                interval_minutes=minutes)
    _, scenario = _scenario(tmp_path, data)
    h = scenario.hours  # type: ignore[attr-defined]
    assert (h.open, h.close, h.interval_minutes) == (*hours, minutes)
    (channel,) = scenario.channels  # type: ignore[attr-defined]
    assert len(channel.profile) == slots
