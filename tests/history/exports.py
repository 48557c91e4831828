"""Interval exports made with numpy from a KNOWN process, for the round trips of import.

Per queue and date d: a busyness factor G_d ~ gamma(mean 1, cv² = ``busyness_cv``²); offered
in interval s ~ Poisson(volume_per_day × weekly_pattern[weekday] × profile[weekday][s] × G_d);
abandoned ~ Binomial(offered, ``abandon_share``); an interval's mean handle time is the mean of
its answered contacts' gamma(mean ``handle_mean``, cv ``handle_cv``) handle times, drawn
exactly as gamma(answered / cv², scale = mean cv²) / answered.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

FLAT_WEEK = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0)


@dataclass(frozen=True)
class Truth:
    """The process behind one queue's history."""

    volume_per_day: float = 1200.0
    weekly_pattern: tuple[float, ...] = (1.2, 1.05, 1.0, 0.95, 0.9, 0.5, 0.0)  # mean ≈ 0.93
    profile: dict[int, np.ndarray] | np.ndarray = field(
        default_factory=lambda: np.sin(np.linspace(0.3, np.pi - 0.3, 24)) + 0.2)
    busyness_cv: float = 0.15
    handle_mean: float = 300.0
    handle_cv: float = 0.8
    abandon_share: float = 0.05
    asa_seconds: float = 25.0

    def shape(self, weekday: int) -> np.ndarray:
        p = self.profile[weekday] if isinstance(self.profile, dict) else self.profile
        return np.asarray(p, dtype=float) / np.sum(p)


HEADER = ["Interval Start", "Queue", "Calls Offered", "Handled", "Abandoned", "AHT", "ASA",
          "Answered Within SL", "Agents Staffed"]


def rows(truths: dict[str, Truth], rng: np.random.Generator, *, weeks: int = 13,
         first: date = date(2026, 3, 2), open_minutes: int = 8 * 60,
         interval_minutes: int = 30) -> list[list[str]]:
    """The export's data rows (every interval of every open day and queue)."""
    out: list[list[str]] = []
    for offset in range(weeks * 7):
        day = first + timedelta(days=offset)
        for queue, t in truths.items():
            multiplier = t.weekly_pattern[day.weekday()]
            if multiplier == 0:
                continue
            cv2 = t.busyness_cv**2
            factor = rng.gamma(1 / cv2, cv2) if cv2 > 0 else 1.0
            means = t.volume_per_day * multiplier * factor * t.shape(day.weekday())
            for s, mean in enumerate(means):
                start = datetime(day.year, day.month, day.day) + timedelta(
                    minutes=open_minutes + s * interval_minutes)
                offered = int(rng.poisson(mean))
                abandoned = int(rng.binomial(offered, t.abandon_share))
                answered = offered - abandoned
                k = 1 / t.handle_cv**2
                aht = (rng.gamma(answered * k, t.handle_mean / k) / answered if answered else 0.0)
                within = int(rng.binomial(answered, 0.8))
                agents = mean * t.handle_mean / (interval_minutes * 60) + rng.normal(2, 0.3)
                out.append([f"{start:%Y-%m-%d %H:%M}", queue, str(offered), str(answered),
                            str(abandoned), f"{aht:.1f}" if answered else "",
                            f"{t.asa_seconds * rng.uniform(0.8, 1.2):.1f}", str(within),
                            f"{max(agents, 0):.2f}"])
    return out


def write(path: Path, data: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(data)
    return path
