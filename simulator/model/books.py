"""Raw counts and times one replication produces (streamed sums, no per-contact records).

The engine fills these; :mod:`simulator.metrics` turns them into the SPEC §4 metrics and
:mod:`simulator.costs` into money. Only contacts that arrive after the warm-up are counted;
time integrals (agents on the floor, busy time, overrun) are the parts of their spans in the
measured window, from the warm-up to the end of the horizon (not the drain after it).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ChannelTally:
    """Counts for one channel. Per-interval lists are indexed by slot of the week: weekday ×
    intervals of the day + interval of the day (Monday 00:00 is slot 0)."""

    arrivals: int = 0  # calls at the front door: first attempts + retrials
    retrials: int = 0
    customers: int = 0  # first attempts
    customers_served: int = 0  # customers answered on some attempt
    customers_lost: int = 0  # customers who gave up (abandoned or blocked, no more attempts)
    blocked: int = 0
    offered: int = 0  # reached the ACD queue
    queued: int = 0  # offered and found no idle agent
    answered: int = 0
    answered_in_sl: int = 0
    abandoned: int = 0
    wait_answered_seconds: float = 0.0
    wait_abandoned_seconds: float = 0.0
    handle_seconds: float = 0.0
    queue_length_seconds: float = 0.0  # integral of the number waiting over time
    line_seconds: float = 0.0  # inbound minutes on the line: queue + talk (handle − ACW)
    left_at_end: int = 0  # still waiting when the run ended (no agent could serve them)
    # the levers
    repeats: int = 0  # intents that are repeats of an unresolved contact
    unresolved: int = 0  # answered contacts that were not resolved first time
    self_service_sessions: int = 0
    deflected: int = 0  # resolved in self-service
    redirected: int = 0  # failed self-service and turned to another channel
    redirected_in: int = 0  # arrived here from another channel's failed self-service
    ivr_contained: int = 0  # served fully by the IVR
    ivr_hangups: int = 0
    ivr_seconds: float = 0.0
    callback_offers: int = 0
    callbacks: int = 0  # offers accepted
    callbacks_answered: int = 0
    callbacks_lost: int = 0  # never reached after the last attempt
    outbound_seconds: float = 0.0  # call-back minutes: connect + talk
    transfers_in: int = 0  # contacts transferred into this channel's queues (not arrivals)
    transfers_out: int = 0  # handled contacts of this channel transferred on
    transfers_in_by_interval: list[float] = field(default_factory=list)
    # deferred work (email)
    response_seconds: float = 0.0  # summed over answered: arrival to the reply sent
    within_target: int = 0  # answered within response_target_hours
    # by slot of the week (of the contact's arrival)
    arrivals_by_interval: list[float] = field(default_factory=list)
    offered_by_interval: list[float] = field(default_factory=list)  # arrivals − not offered
    #: blocked, deflected, contained or hung up in the IVR: arrived but never reached the queue
    not_offered_by_interval: list[float] = field(default_factory=list)
    answered_by_interval: list[float] = field(default_factory=list)
    abandoned_by_interval: list[float] = field(default_factory=list)
    answered_in_sl_by_interval: list[float] = field(default_factory=list)
    wait_answered_by_interval: list[float] = field(default_factory=list)  # seconds
    handle_by_interval: list[float] = field(default_factory=list)  # seconds, of the answered

    @classmethod
    def empty(cls, intervals: int) -> ChannelTally:
        def zeros() -> list[float]:
            return [0.0] * intervals

        return cls(arrivals_by_interval=zeros(), offered_by_interval=zeros(),
                   not_offered_by_interval=zeros(), transfers_in_by_interval=zeros(),
                   answered_by_interval=zeros(), abandoned_by_interval=zeros(),
                   answered_in_sl_by_interval=zeros(), wait_answered_by_interval=zeros(),
                   handle_by_interval=zeros())


@dataclass(slots=True)
class TypeTally:
    """Totals for one contact type, counted where its channel's are (so the types of a channel
    add up to it): ``offered`` when it reaches the ACD queue, ``answered`` when an agent takes
    it (a call back: when it connects), ``abandoned`` when its patience runs out. A transferred
    leg, a retrial or a redirect counts under the contact type it has at that attempt. The only
    type of a channel is not counted one by one: its books are the channel's, copied at the end
    (``centre.close_channel_books``)."""

    offered: int = 0
    answered: int = 0
    answered_in_sl: int = 0  # waited no longer than the channel's service_level_seconds
    abandoned: int = 0
    wait_answered_seconds: float = 0.0
    handle_seconds: float = 0.0


@dataclass(slots=True)
class GroupTally:
    """Hours and work of one agent group (per-interval lists by slot of the week)."""

    rostered_seconds: float = 0.0  # paid time on the roster (shrinkage included)
    overrun_seconds: float = 0.0  # paid time finishing work after the roster ended
    on_floor_seconds: float = 0.0
    busy_seconds: float = 0.0
    answered: int = 0
    peak_on_floor: int = 0
    on_floor_by_interval: list[float] = field(default_factory=list)
    busy_by_interval: list[float] = field(default_factory=list)
    busy_seconds_by_channel: dict[str, float] = field(default_factory=dict)

    @property
    def paid_seconds(self) -> float:
        return self.rostered_seconds + self.overrun_seconds


@dataclass(slots=True)
class ReplicationTally:
    """Everything one replication measured."""

    replication: int
    measured_seconds: float  # horizon after the warm-up
    intervals_per_day: int
    exposure_seconds: list[float]  # per slot of the week, after the warm-up (weeks summed)
    open_slots: list[int]  # slots of the week inside opening hours on open weekdays
    channels: dict[str, ChannelTally]
    groups: dict[str, GroupTally]
    #: per contact type (by name), in the scenario's order
    contact_types: dict[str, TypeTally] = field(default_factory=dict)
    end_seconds: float = 0.0  # when the last contact left
    peak_on_floor: int = 0  # most agents on the floor at once, all groups (seats needed)
