"""Shared builders for tests: small scenarios as plain dicts, validated like a file."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.spec.schema import Scenario


def single_queue(
    *,
    agents: int,
    arrivals_per_hour: float,
    handle: dict[str, Any] | None = None,
    patience: dict[str, Any] | None = None,
    lines: int | None = None,
    days: float = 1.0,
    replications: int = 10,
    warmup_hours: float = 2.0,
    seed: int = 1,
    sl_seconds: float = 20.0,
    **extra: Any,
) -> Scenario:
    """A 24-hour single-queue voice centre (the Erlang models' assumptions)."""
    channel: dict[str, Any] = {
        "name": "voice",
        "volume_per_day": arrivals_per_hour * 24,
        "service_level_seconds": sl_seconds,
    }
    if patience is not None:
        channel["patience"] = patience
    if lines is not None:
        channel["lines"] = lines
    channel.update(extra.pop("channel", {}))
    data: dict[str, Any] = {
        "scenario": {"name": "test centre"},
        "run": {"days": days, "replications": replications, "seed": seed,
                "warmup_hours": warmup_hours},
        "channels": [channel],
        "contact_types": [{
            "name": "general",
            "channel": "voice",
            "handle_time": handle or {"dist": "exponential", "mean": 300},
        }],
        "agent_groups": [{"name": "agents", "agents": agents, "skills": ["general"]}],
    }
    data.update(extra)
    return Scenario.model_validate(data)


@pytest.fixture
def tiny_centre() -> Scenario:
    return single_queue(agents=3, arrivals_per_hour=30, patience={"dist": "exponential",
                        "mean": 120}, days=0.5, replications=3, warmup_hours=0)


@pytest.fixture(autouse=True)
def terminal_of_100_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the README's 100-column terminal, whatever terminal runs the tests.

    rich sizes its tables and panels from COLUMNS (or the real terminal), so without this the
    same assertion could pass in one terminal and fail in another. Phrases that may still wrap
    (long paths in error panels) are compared with `tests.text.says`.
    """
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "40")
