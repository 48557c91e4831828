"""The one convention for units and periods (docs/units.md), as the result document states it.

A run's ``channels`` and ``agent_groups`` hold totals over the measured period (what the
replications counted). Every report shows volumes and hours **per open day**; this module says
which figures those are, and builds the document's ``per_open_day`` block (the same figures
divided by the open days measured) and its ``units`` block (the convention in words).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.results.estimate import Document, Estimate

#: channel figures that are totals over the measured period (counts and telephony minutes)
CHANNEL_TOTALS = (
    "arrivals", "customers", "retrials", "repeats", "self_service_sessions", "deflected",
    "redirected", "redirected_in", "ivr_contained", "ivr_hangups", "blocked", "offered",
    "answered", "abandoned", "callback_offers", "callbacks", "callbacks_answered",
    "callbacks_lost", "transfers_in", "transfers_out", "unresolved", "resolved", "left_at_end",
    "inbound_minutes", "ivr_minutes", "outbound_minutes",
)
#: agent-group figures that are totals over the measured period (hours and contacts)
GROUP_TOTALS = ("paid_hours", "on_floor_hours", "busy_hours", "answered")


def scaled(stat: Estimate, factor: float) -> Estimate:
    """An estimate multiplied by ``factor`` (mean, interval and every replication's value)."""
    def times(x: float | None) -> float | None:
        return None if x is None else x * factor

    return Estimate(times(stat.mean), times(stat.ci_low), times(stat.ci_high),
                    tuple(v * factor for v in stat.values))


def _block(sections: Mapping[str, Any], names: tuple[str, ...], days: float) -> Document:
    out: Document = {}
    for name, section in sections.items():
        figures: Document = {}
        for key in names:
            stat = section.figure(key)
            if stat is not None:
                per_day = scaled(stat, 1 / days)
                figures[key] = {"mean": per_day.mean, "ci_low": per_day.ci_low,
                                "ci_high": per_day.ci_high}
        out[name] = figures
    return out


def per_open_day_document(channels: Mapping[str, Any], agent_groups: Mapping[str, Any],
                          open_days: float) -> Document:
    """The ``per_open_day`` block: each channel's and group's totals ÷ the open days measured
    (``{mean, ci_low, ci_high}``, 1 day when none was measured)."""
    days = float(open_days) or 1.0
    return {"channels": _block(channels, CHANNEL_TOTALS, days),
            "agent_groups": _block(agent_groups, GROUP_TOTALS, days)}


def units_document(currency: str, period: str) -> Document:
    """The ``units`` block: how the document's figures are counted, in words."""
    return {
        "volumes": "channels and agent_groups: totals over the measured period; "
                   "per_open_day: the same ÷ open_days_measured (what every report shows)",
        "money": f"{currency}; cost.period_total per {period} (whole units in reports), "
                 "cost.total over the measured period, per-contact figures to the cent",
        "shares": "fractions (0.801); reports show percentages to one decimal (80.1 %)",
        "times": "as the key says: _seconds, _minutes, _hours",
        "interval": "ci_low and ci_high: the 95 % interval over replications",
    }
