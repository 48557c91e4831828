"""From one replication's tally to the SPEC §4 metrics.

A replication becomes figures of plain floats (:func:`replication_metrics`), picklable to come
back from a worker; :mod:`simulator.results` turns the figures of all replications into
estimates (:class:`~simulator.results.estimate.Estimate`) and results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np

from simulator.costs import ChannelDrivers, CostDrivers, compute_costs
from simulator.model.books import ReplicationTally
from simulator.model.calendar import Calendar, day_classes
from simulator.results.run import Figures
from simulator.spec.base import WEEKDAYS
from simulator.spec.schema import Scenario, clock

_Building = dict[str, Any]  # one replication's figures while they are measured
NAN = float("nan")


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else NAN


def cost_drivers(tally: ReplicationTally, scenario: Scenario) -> CostDrivers:
    """What the cost model needs, from a replication's tally."""
    wages = {g.name: g.hourly_wage for g in scenario.agent_groups}
    channels = {}
    for spec in scenario.channels:
        t = tally.channels[spec.name]
        busy = sum(g.busy_seconds_by_channel.get(spec.name, 0.0) for g in tally.groups.values())
        channels[spec.name] = ChannelDrivers(
            kind=spec.channel_kind,
            answered=t.answered,
            deflected=t.deflected,
            ivr_contained=t.ivr_contained,
            unresolved=t.unresolved,
            inbound_minutes=(t.line_seconds + t.ivr_seconds) / 60,
            ivr_minutes=t.ivr_seconds / 60,
            outbound_minutes=t.outbound_seconds / 60,
            self_service_sessions=t.self_service_sessions,
            busy_hours=busy / 3600,
        )
    return CostDrivers(
        measured_days=tally.measured_seconds / 86_400,
        paid_hours_by_wage=tuple(
            (g.paid_seconds / 3600, wages[name]) for name, g in tally.groups.items()
        ),
        peak_seats=float(tally.peak_on_floor),
        channels=channels,
    )


def replication_metrics(tally: ReplicationTally, scenario: Scenario) -> Figures:
    """The SPEC §4 metrics of one replication, as figures of floats (by section, channel,
    group; the cost also carries the handled contacts and each cost line per contact, which
    reports show and the document leaves out)."""
    channels: _Building = {}
    for name, t in tally.channels.items():
        finished = t.answered + t.abandoned
        offered_wait = t.wait_answered_seconds + t.wait_abandoned_seconds
        channels[name] = {
            "arrivals": t.arrivals,
            "customers": t.customers,
            "retrials": t.retrials,
            "repeats": t.repeats,
            "self_service_sessions": t.self_service_sessions,
            "deflected": t.deflected,
            "redirected": t.redirected,
            "redirected_in": t.redirected_in,
            "ivr_contained": t.ivr_contained,
            "ivr_hangups": t.ivr_hangups,
            "blocked": t.blocked,
            "offered": t.offered,
            "answered": t.answered,
            "abandoned": t.abandoned,
            "callback_offers": t.callback_offers,
            "callbacks": t.callbacks,
            "callbacks_answered": t.callbacks_answered,
            "callbacks_lost": t.callbacks_lost,
            "transfers_in": t.transfers_in,
            "transfers_out": t.transfers_out,
            "unresolved": t.unresolved,
            "resolved": t.answered - t.unresolved + t.deflected + t.ivr_contained,
            "fcr": _ratio(t.answered - t.unresolved, t.answered),
            "asa_seconds": _ratio(t.wait_answered_seconds, t.answered),
            "wait_probability": _ratio(t.queued, t.offered),
            "service_level": _ratio(t.answered_in_sl, finished),
            "abandon_rate": _ratio(t.abandoned, t.offered),
            "blocking_rate": _ratio(t.blocked, t.arrivals),
            "deflection_rate": _ratio(t.deflected, t.arrivals),
            "ivr_containment_rate": _ratio(t.ivr_contained, t.arrivals),
            "aht_seconds": _ratio(t.handle_seconds, t.answered),
            "mean_wait_seconds_all": _ratio(offered_wait, t.offered),
            "mean_queue_length": t.queue_length_seconds / tally.measured_seconds,
            "customer_abandon_rate": _ratio(t.customers_lost, t.customers_served + t.customers_lost),
            "inbound_minutes": (t.line_seconds + t.ivr_seconds) / 60,
            "ivr_minutes": t.ivr_seconds / 60,
            "outbound_minutes": t.outbound_seconds / 60,
            "left_at_end": t.left_at_end,
        }
        if scenario.channel(name).deferred:  # a backlog: response time, not service level
            channels[name]["service_level"] = NAN
            channels[name]["response_time_hours"] = _ratio(t.response_seconds / 3600, t.answered)
            channels[name]["within_target"] = _ratio(t.within_target, t.answered)
    groups: _Building = {}
    for name, g in tally.groups.items():
        groups[name] = {
            "occupancy": _ratio(g.busy_seconds, g.on_floor_seconds),
            "paid_hours": g.paid_seconds / 3600,
            "on_floor_hours": g.on_floor_seconds / 3600,
            "busy_hours": g.busy_seconds / 3600,
            "answered": g.answered,
            "peak_on_floor": g.peak_on_floor,
        }
    for name in channels:  # the occupancy of the groups that serve the channel (a guardrail)
        types = {t.name for t in scenario.contact_types if t.channel == name}
        serving = [tally.groups[g.name] for g in scenario.agent_groups if types & set(g.skills)]
        channels[name]["serving_occupancy"] = _ratio(sum(g.busy_seconds for g in serving),
                                                     sum(g.on_floor_seconds for g in serving))
    drivers = cost_drivers(tally, scenario)
    breakdown = compute_costs(drivers, scenario.costs, scenario.report.period)
    cost = asdict(breakdown)
    contacts = sum(c.answered + c.deflected + c.ivr_contained for c in drivers.channels.values())
    cost["contacts"] = contacts
    cost["per_contact_by_category"] = {k: _ratio(v, contacts) for k, v in breakdown.by_category.items()}
    return {
        "channels": channels,
        "contact_types": type_metrics(tally, scenario),
        "agent_groups": groups,
        "cost": cost,
        "intervals": interval_metrics(tally, scenario),
        "intervals_by_day": interval_metrics_by_day(tally, scenario),
    }


def type_metrics(tally: ReplicationTally, scenario: Scenario) -> _Building:
    """Per contact type (by name, with its channel's name): its volumes and its service, each
    ratio as its channel's (the service level over answered + abandoned within the channel's
    ``service_level_seconds``; none on a deferred channel)."""
    out: _Building = {}
    for spec in scenario.contact_types:
        t = tally.contact_types[spec.name]
        deferred = scenario.channel(spec.channel).deferred
        out[spec.name] = {
            "channel": spec.channel,
            "offered": t.offered,
            "answered": t.answered,
            "abandoned": t.abandoned,
            "service_level": NAN if deferred else _ratio(t.answered_in_sl,
                                                         t.answered + t.abandoned),
            "abandon_rate": _ratio(t.abandoned, t.offered),
            "asa_seconds": _ratio(t.wait_answered_seconds, t.answered),
            "aht_seconds": _ratio(t.handle_seconds, t.answered),
        }
    return out


def interval_metrics(tally: ReplicationTally, scenario: Scenario,
                     days: Sequence[int] | None = None) -> list[_Building]:
    """Per interval of the opening hours, per open day, over the measured open weekdays
    ``days`` (0 = Monday; default all of them): counts per day and the interval's rates."""
    step = scenario.hours.interval_seconds
    per_day = tally.intervals_per_day
    slots_of: dict[int, list[int]] = {}  # interval of the day -> its slots on those days
    for slot in tally.open_slots:
        weekday, of_day = divmod(slot, per_day)
        if (days is None or weekday in days) and tally.exposure_seconds[slot] > 0:
            slots_of.setdefault(of_day, []).append(slot)
    names = [WEEKDAYS[w] for w in sorted({s // per_day for v in slots_of.values() for s in v})]
    rows: list[_Building] = []
    for of_day, slots in sorted(slots_of.items()):
        exposure = sum(tally.exposure_seconds[s] for s in slots)
        n_days = exposure / step
        row: _Building = {"start": clock(of_day * step), "days": names}
        for name, t in tally.channels.items():
            def total(series: list[float], slots: list[int] = slots) -> float:
                return sum(series[s] for s in slots)
            answered, abandoned = total(t.answered_by_interval), total(t.abandoned_by_interval)
            offered = total(t.offered_by_interval)
            row[name] = {
                "arrivals": total(t.arrivals_by_interval) / n_days,
                "offered": offered / n_days,
                "answered": answered / n_days,
                "abandoned": abandoned / n_days,
                "service_level": _ratio(total(t.answered_in_sl_by_interval), answered + abandoned),
                "abandon_rate": _ratio(abandoned, offered),
                "asa_seconds": _ratio(total(t.wait_answered_by_interval), answered),
            }
        on_floor = sum(g.on_floor_by_interval[s] for g in tally.groups.values() for s in slots)
        busy = sum(g.busy_by_interval[s] for g in tally.groups.values() for s in slots)
        row["agents_on_floor"] = on_floor / exposure
        row["occupancy"] = _ratio(busy, on_floor)
        rows.append(row)
    return rows


def interval_metrics_by_day(tally: ReplicationTally, scenario: Scenario) -> list[_Building]:
    """:func:`interval_metrics` for each class of alike open weekdays
    (:func:`~simulator.model.calendar.day_classes`), class after class."""
    classes = day_classes(scenario, Calendar.of(scenario))
    return [row for days in classes for row in interval_metrics(tally, scenario, days)]


# ---------------------------------------------------------------------------- paired figures
def per_contact(replications: Sequence[Figures]) -> np.ndarray:
    """Cost per contact of each replication (for paired differences)."""
    return np.array([r["cost"]["per_contact"] for r in replications], dtype=np.float64)
