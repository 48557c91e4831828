"""Histories from a known scenario for the tests of calibration: the small centre they use, its
history by :func:`simulator.studies.synthetic.history_of` (one independent week a replication,
numbered where no run of the scenario goes) and the files the command reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.history.export import history_csv
from simulator.history.table import History
from simulator.spec.layers import LoadedScenario, toml_value
from simulator.spec.schema import Scenario
from simulator.studies import synthetic


def loaded(scenario: Scenario) -> LoadedScenario:
    """A scenario built in code as if read from ``centre.toml``."""
    path = Path("centre.toml")
    return LoadedScenario(scenario, path, (path,), "", ())


def history_of(data: dict[str, Any], weeks: int, seed: int) -> History:
    """``weeks`` weeks of the centre ``data`` describes, on ``seed`` (run.seed)."""
    truth = Scenario.model_validate({**data, "run": {**data["run"], "seed": seed}})
    return synthetic.history_of(loaded(truth), weeks, workers=1)


def export_csv(history: History, path: Path) -> Path:
    """The history as an export in the table's own column names (what ``read_exports`` reads)."""
    path.write_text(history_csv(history), encoding="utf-8")
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
