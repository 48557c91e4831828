"""A history made from a known scenario, for the tests of calibration: one replication per
week (a seven-day run from Monday, no warm-up), read slot by slot from the run's tally, one row
per channel and interval. (``simulator.studies.synthetic.history_of`` is the library's; this
small stand-in needs nothing beyond the engine.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from simulator.history.table import History, tidy
from simulator.model import simulate
from simulator.spec.layers import toml_value, with_values
from simulator.spec.schema import Scenario

FIRST_MONDAY = pd.Timestamp("2026-01-05")


def history_of(scenario: Scenario, weeks: int, seed: int) -> History:
    """``weeks`` weeks of ``scenario`` on ``seed`` (not the scenario's own: the history is not
    the calibration's common random numbers) as a History."""
    week = with_values(scenario, [("run.days", 7), ("run.warmup_hours", 0), ("run.seed", seed),
                                  ("run.start_day", "mon")])
    step = week.hours.interval_seconds
    rows = []
    for w in range(weeks):
        tally = simulate(week, w)
        monday = FIRST_MONDAY + pd.Timedelta(days=7 * w)
        for slot in tally.open_slots:
            start = monday + pd.Timedelta(seconds=slot * step)
            for name, t in tally.channels.items():
                rows.append({"start": start, "queue": name,
                             "offered": int(t.offered_by_interval[slot]),
                             "answered": int(t.answered_by_interval[slot]),
                             "abandoned": int(t.abandoned_by_interval[slot])})
    return History(frame=tidy(pd.DataFrame(rows)), interval_minutes=week.hours.interval_minutes,
                   sources=(Path("synthetic.csv"),))


def export_csv(history: History, path: Path) -> Path:
    """The history as an export in the table's own column names (what ``read_exports`` reads)."""
    frame = history.frame[["start", "queue", "offered", "answered", "abandoned"]].copy()
    frame["start"] = frame["start"].dt.strftime("%Y-%m-%d %H:%M")
    frame.to_csv(path, index=False)
    return path


TRUE_PATIENCE_SECONDS = 600.0


def small_centre(voice_patience: float | None, care_patience: float | None = None, *,
                 replications: int = 10) -> dict[str, Any]:
    """A morning centre (08:00-12:00, half-hours, Monday to Friday) of two queues, each with
    its own agents: ``voice`` (8 Erlangs on 10 agents, so its abandonment moves with patience)
    and ``care``; patience exponential with the given means (None: never abandons)."""
    def patience(mean: float | None) -> dict[str, Any]:
        return {} if mean is None else {"patience": {"dist": "exponential", "mean": mean}}

    return {
        "scenario": {"name": "calibration test centre"},
        "run": {"days": 7, "replications": replications, "seed": 3},
        "hours": {"open": "08:00", "close": "12:00", "interval_minutes": 30,
                  "open_days": ["mon", "tue", "wed", "thu", "fri"]},
        "channels": [
            {"name": "voice", "volume_per_day": 480, **patience(voice_patience)},
            {"name": "care", "kind": "voice", "volume_per_day": 60, **patience(care_patience)},
        ],
        "contact_types": [
            {"name": "voice", "channel": "voice",
             "handle_time": {"dist": "exponential", "mean": 240}},
            {"name": "care", "channel": "care",
             "handle_time": {"dist": "exponential", "mean": 300}},
        ],
        "agent_groups": [
            {"name": "voice_agents", "agents": 10, "skills": ["voice"]},
            {"name": "care_agents", "agents": 2, "skills": ["care"]},
        ],
    }


def write_toml(data: dict[str, Any], path: Path) -> Path:
    """``data`` (tables of values and arrays of tables, as :func:`small_centre` gives) as TOML."""
    lines: list[str] = []
    for key, value in data.items():
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            lines.append(f"[[{key}]]" if isinstance(value, list) else f"[{key}]")
            lines += [f"{k} = {toml_value(v)}" for k, v in entry.items()]
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
