"""The cost model (SPEC §5): numbers in, money out. Pure — no simulation, no I/O.

:func:`compute_costs` prices what one replication measured (:class:`CostDrivers`) with a
scenario's ``[costs]`` table and the groups' wages. Every category is a cost over the measured
period (the horizon after the warm-up); ``period_total`` scales the total to
``report.period``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.spec.money import DAYS_PER_MONTH, PERIOD_DAYS, CostsSpec

CATEGORIES = (
    "agent_wages",
    "supervision",
    "telephony",
    "ivr",
    "technology",
    "software_licences",
    "chat_and_messaging",
    "email_platform",
    "self_service",
    "office_space",
    "desktops",
    "overheads",
    "other",
)

#: Categories charged to a channel directly; all others are shared by agent busy time.
DIRECT = {"telephony": "voice", "ivr": "voice", "chat_and_messaging": "chat",
          "email_platform": "email"}


@dataclass(frozen=True)
class ChannelDrivers:
    """What a channel did in the measured period."""

    kind: str
    answered: float  # contacts handled by an agent
    deflected: float = 0.0  # resolved in self-service
    ivr_contained: float = 0.0  # resolved in the IVR
    unresolved: float = 0.0  # answered but not resolved first time (they come back)
    inbound_minutes: float = 0.0  # voice: minutes on the line (IVR + queue + talk)
    ivr_minutes: float = 0.0
    outbound_minutes: float = 0.0
    self_service_sessions: float = 0.0
    busy_hours: float = 0.0  # agent time spent on this channel's contacts


@dataclass(frozen=True)
class CostDrivers:
    """Everything the cost model needs from a replication."""

    measured_days: float
    paid_hours_by_wage: tuple[tuple[float, float], ...]  # (paid hours, hourly wage) per group
    peak_seats: float
    channels: dict[str, ChannelDrivers] = field(default_factory=dict)


@dataclass(frozen=True)
class CostBreakdown:
    total: float
    by_category: dict[str, float]
    by_channel: dict[str, float]
    per_contact_by_channel: dict[str, float]  # a channel's cost / its handled contacts
    per_contact: float
    per_assisted_contact: float
    per_resolved_contact: float
    per_call: float
    period_total: float


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("nan")


def compute_costs(drivers: CostDrivers, spec: CostsSpec, period: str) -> CostBreakdown:
    """Price one replication's drivers.

    Parameters
    ----------
    drivers
        Volumes, minutes and hours of the measured period.
    spec
        The scenario's ``[costs]`` table.
    period
        ``report.period``: ``week``, ``month``, ``quarter`` or ``year``.
    """
    months = drivers.measured_days / DAYS_PER_MONTH
    load = 1.0 + spec.on_cost_rate
    paid_hours = sum(hours for hours, _ in drivers.paid_hours_by_wage)
    seats = float(spec.seats) if spec.seats is not None else drivers.peak_seats
    chans = drivers.channels.values()

    def of_kind(kind: str) -> float:
        return sum(c.answered for c in chans if c.kind == kind)

    cost = dict.fromkeys(CATEGORIES, 0.0)
    cost["agent_wages"] = sum(h * wage for h, wage in drivers.paid_hours_by_wage) * load
    if spec.agents_per_supervisor is not None:
        cost["supervision"] = paid_hours / spec.agents_per_supervisor * (
            spec.supervisor_hourly_wage * load
        )
    cost["telephony"] = (
        sum(c.inbound_minutes for c in chans) * spec.telephony_per_minute
        + sum(c.outbound_minutes for c in chans) * spec.outbound_per_minute
    )
    cost["ivr"] = sum(c.ivr_minutes for c in chans) * spec.ivr_per_minute
    cost["technology"] = (seats * spec.technology_per_seat_per_month
                          + spec.technology_fixed_per_month) * months
    cost["software_licences"] = seats * spec.software_licences_per_seat_per_month * months
    cost["chat_and_messaging"] = (of_kind("chat") + of_kind("social")) * spec.chat_per_session
    cost["email_platform"] = of_kind("email") * spec.email_per_contact
    cost["self_service"] = sum(c.self_service_sessions for c in chans) * (
        spec.self_service_per_session
    )
    cost["office_space"] = seats * spec.office_space_per_seat_per_month * months
    cost["desktops"] = seats * spec.desktops_per_seat_per_month * months
    cost["overheads"] = spec.overheads_per_month * months
    cost["other"] = spec.other_per_month * months
    total = sum(cost.values())

    by_channel = _allocate(cost, drivers)
    answered = sum(c.answered for c in chans)
    contacts = answered + sum(c.deflected + c.ivr_contained for c in chans)
    resolved = contacts - sum(c.unresolved for c in chans)
    voice_calls = of_kind("voice")
    voice_cost = sum(v for name, v in by_channel.items() if drivers.channels[name].kind == "voice")
    return CostBreakdown(
        total=total,
        by_category=cost,
        by_channel=by_channel,
        per_contact_by_channel={
            name: _ratio(amount, drivers.channels[name].answered
                         + drivers.channels[name].deflected + drivers.channels[name].ivr_contained)
            for name, amount in by_channel.items()
        },
        per_contact=_ratio(total, contacts),
        per_assisted_contact=_ratio(total, answered),
        per_resolved_contact=_ratio(total, resolved),
        per_call=_ratio(voice_cost, voice_calls),
        period_total=total * PERIOD_DAYS[period] / drivers.measured_days,
    )


def _allocate(cost: dict[str, float], drivers: CostDrivers) -> dict[str, float]:
    """Split the cost over channels: direct lines to their channel, the rest by agent time."""
    names = list(drivers.channels)
    out = dict.fromkeys(names, 0.0)
    if not names:
        return out
    busy = {n: drivers.channels[n].busy_hours for n in names}
    busy_total = sum(busy.values())
    weights = {n: (busy[n] / busy_total if busy_total > 0 else 1 / len(names)) for n in names}
    for category, amount in cost.items():
        kind = DIRECT.get(category)
        takers = [n for n in names if drivers.channels[n].kind == kind] if kind else []
        if category == "self_service":
            sessions = {n: drivers.channels[n].self_service_sessions for n in names}
            total_sessions = sum(sessions.values())
            if total_sessions > 0:
                for n in names:
                    out[n] += amount * sessions[n] / total_sessions
                continue
        if takers:
            base = {n: drivers.channels[n].answered for n in takers}
            base_total = sum(base.values())
            for n in takers:
                out[n] += amount * (base[n] / base_total if base_total > 0 else 1 / len(takers))
        else:
            for n in names:
                out[n] += amount * weights[n]
    return out
