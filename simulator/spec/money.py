"""``[costs]`` and ``[report]``: the prices that turn hours, minutes and contacts into money
(SPEC §5), and the period totals are scaled to."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from simulator.spec.base import MAX_AGENTS, PlainText
from simulator.spec.base import Spec as _Spec

PERIOD_DAYS = {"week": 7.0, "month": 365.25 / 12, "quarter": 365.25 / 4, "year": 365.25}
DAYS_PER_MONTH = 365.25 / 12


class CostsSpec(_Spec):
    """``[costs]`` (SPEC §5). Every rate is zero unless set; money is in ``currency``."""

    currency: PlainText = Field(default="USD", min_length=1, max_length=8)
    on_cost_rate: float = Field(default=0.0, ge=0, le=5, description="benefits and taxes on wages")
    agents_per_supervisor: float | None = Field(default=None, gt=0, le=1000)
    supervisor_hourly_wage: float = Field(default=0.0, ge=0, le=10_000)
    telephony_per_minute: float = Field(default=0.0, ge=0, le=100, description="inbound minutes")
    outbound_per_minute: float = Field(default=0.0, ge=0, le=100, description="callback minutes")
    ivr_per_minute: float = Field(default=0.0, ge=0, le=100)
    technology_per_seat_per_month: float = Field(default=0.0, ge=0, le=1e6)
    technology_fixed_per_month: float = Field(
        default=0.0, ge=0, le=1e12, description="platform costs that do not scale with seats"
    )
    software_licences_per_seat_per_month: float = Field(default=0.0, ge=0, le=1e6)
    chat_per_session: float = Field(default=0.0, ge=0, le=1000)
    email_per_contact: float = Field(default=0.0, ge=0, le=1000)
    self_service_per_session: float = Field(default=0.0, ge=0, le=1000)
    office_space_per_seat_per_month: float = Field(default=0.0, ge=0, le=1e6)
    desktops_per_seat_per_month: float = Field(default=0.0, ge=0, le=1e6)
    overheads_per_month: float = Field(default=0.0, ge=0, le=1e12)
    other_per_month: float = Field(default=0.0, ge=0, le=1e12)
    seats: int | None = Field(default=None, ge=0, le=10 * MAX_AGENTS, description="default: peak")


class ReportSpec(_Spec):
    """``[report]``: the period that totals are scaled to."""

    period: Literal["week", "month", "quarter", "year"] = "month"
