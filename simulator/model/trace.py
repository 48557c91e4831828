"""A test hook: per-contact records of one replication (``simulate(..., trace=Trace())``).

Off (None) on the hot path; with it, the engine records what it drew and whom it served, so
tests can check that two scenarios with the same seed see the same customers with the same
needs and the same per-contact draws (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Trace:
    #: first attempts as drawn: (key, arrival time, contact type, handle time, patience)
    arrivals: list[tuple[int, float, str, float, float]] = field(default_factory=list)
    #: every start of service: (key, group, at, contact type)
    served: list[tuple[int, str, float, str]] = field(default_factory=list)
    #: per-contact draws by channel: (decision, key, use, uniform)
    draws: dict[str, list[tuple[str, int, int, float]]] = field(default_factory=dict)
