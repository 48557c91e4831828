"""A small centre and a self-service lever for the workshop's tests (a replication in well
under a second), written into a folder."""

from __future__ import annotations

from pathlib import Path

BASE = """\
[scenario]
name = "Small centre"

[run]
days = 1
replications = 3
seed = 7

[hours]
open = "08:00"
close = "12:00"
interval_minutes = 30

[[channels]]
name = "voice"
volume_per_day = 1200
patience = { dist = "exponential", mean = 180 }
service_level_seconds = 20

[[contact_types]]
name = "general"
channel = "voice"
handle_time = { dist = "exponential", mean = 300 }

[[agent_groups]]
name = "agents"
agents = 28
skills = ["general"]
hourly_wage = 20.0

[ivr]
menu_time = { dist = "fixed", value = 30 }

[costs]
telephony_per_minute = 0.015

[targets.voice]
service_level = 0.7
max_abandon_rate = 0.1
"""

LEVER = """\
extends = "base.toml"

[scenario]
name = "Self-service"

[self_service.voice]
try_share = 0.3
success_share = 0.4
"""


def small_files(folder: Path) -> tuple[Path, Path]:
    """``(base.toml, lever.toml)`` written into ``folder``."""
    base, lever = folder / "base.toml", folder / "lever.toml"
    base.write_text(BASE, encoding="utf-8")
    lever.write_text(LEVER, encoding="utf-8")
    return base, lever
