"""What the engine knows during a run: the contacts, channels, contact types and agent groups,
and :class:`Centre`, the one object every mechanism's functions take first.

Everything here is plain data with ``__slots__``; the mechanisms are functions in their own
modules (``routing``, ``queues``, ``agents``, ``callbacks``, ``transfers``, ``returns``,
``front_door``), so a reader finds each by its file name. The hot path reads these slots
directly: there is no per-contact object but :class:`Contact`, and only for contacts that wait.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import simpy

from simulator.model.books import ChannelTally, GroupTally, TypeTally
from simulator.spec.levers import CallbackSpec
from simulator.spec.schema import Scenario
from simulator.streams import KeyedDraws

if TYPE_CHECKING:
    from simulator.model.arrivals import Arrivals, Repeats
    from simulator.model.trace import Trace

# A contact waits on the line (WAITING) or for a call back (CALLBACK); both hold their place.
WAITING, CALLBACK, SERVED, ABANDONED = 0, 1, 2, 3
INF = math.inf


class Contact:
    """One attempt of one customer (kept only while the contact is in the centre)."""

    __slots__ = ("arrival", "attempt", "counted", "customer", "dials", "handle", "interval",
                 "key", "patience", "repeat_in", "route", "state", "type")
    repeat_in: float
    route: int
    dials: int

    def __init__(self, ctype: ContactType, arrival: float, handle: float, patience: float,
                 counted: bool, interval: int, attempt: int, customer: bool, key: int) -> None:
        self.type = ctype
        self.arrival = arrival
        self.handle = handle
        self.patience = patience
        self.counted = counted  # this attempt arrived after the warm-up
        self.customer = customer  # the customer's first attempt arrived after the warm-up
        self.interval = interval
        self.attempt = attempt
        self.key = key  # who it is, for its per-contact draws (streams.KeyedDraws)
        self.state = WAITING
        # Set only on the paths that use them (kept out of the hot path):
        # ``repeat_in`` (seconds from the end of handling to the repeat; inf: resolved) when
        # the contact queues or enters the IVR, ``route`` (where the IVR sends it) when it
        # enters the IVR, ``dials`` (call-back attempts) when it accepts a call back.


class Alarms:
    """Moments when waiting contacts need attention: patience running out, a call-back offer due.

    A heap of (time, sequence, contact) with a single simpy timer armed on the earliest entry
    whose contact still waits on the line. Entries of contacts that have moved on (answered,
    called back) are dropped in bulk when the timer fires, so there is about one event per
    channel and purpose per patience span instead of one per waiting contact.
    """

    __slots__ = ("act", "count", "heap", "timer_at")

    def __init__(self) -> None:
        self.heap: list[tuple[float, int, Contact]] = []
        self.count = 0  # tie-breaker: contacts are not comparable
        self.timer_at = INF  # when the timer next fires
        self.act: Callable[[Centre, Contact, float], None] | None = None  # what to do when due


class Channel:
    __slots__ = (
        "arrivals",
        "callback",
        "deadlines",
        "deferred",
        "draws",
        "groups",
        "in_ivr",
        "in_system",
        "index",
        "lines",
        "mean_handle",
        "name",
        "offers",
        "overflows",
        "patience",
        "queue_changed",
        "queue_length",
        "repeats",
        "sl_seconds",
        "tally",
        "target_seconds",
        "typed",
        "voice",
    )

    def __init__(self, name: str, index: int, tally: ChannelTally, draws: KeyedDraws) -> None:
        self.name = name
        self.index = index
        self.tally = tally
        #: the per-contact decisions taken on this channel (call back, retrial, transfer, ...)
        self.draws = draws
        self.groups: list[Group] = []  # groups serving any of its contact types
        self.deadlines = Alarms()  # when waiting callers' patience runs out
        self.in_system = 0
        self.in_ivr = 0  # callers in the IVR now (the agents wait for them at closing time)
        self.queue_length = 0  # contacts waiting, all contact types of the channel
        self.queue_changed = 0.0
        self.lines: int | None = None
        self.sl_seconds = 20.0
        self.voice = True
        self.patience: Any = None  # the channel's patience; its types' own in ContactType
        self.arrivals: Arrivals | None = None
        self.repeats: Repeats | None = None  # where repeat contacts' attributes come from
        self.callback: CallbackSpec | None = None
        self.mean_handle = 0.0  # for the expected wait quoted to callers
        self.offers = Alarms()  # when waiting callers have waited long enough for an offer
        self.overflows = Alarms()  # when waiting contacts may go to an overflow group
        self.deferred = False  # a backlog (email): no abandonment, not drained at daily close
        self.target_seconds = INF  # deferred work: reply within this
        #: has several contact types, each counted on its own as the channel counts (with one,
        #: the type's books are the channel's, copied when the run ends: no cost per contact)
        self.typed = False


class ContactType:
    __slots__ = ("acw", "channel", "groups", "index", "kind", "live", "name", "overflow",
                 "patience", "priority", "queue", "retry_as", "retry_delay", "retry_max",
                 "retry_share", "returns_as", "tally", "transfers")

    def __init__(self, name: str, index: int, kind: int, channel: Channel, acw: float) -> None:
        self.name = name
        self.index = index  # position among all contact types
        self.kind = kind  # position among its channel's contact types
        self.channel = channel
        self.acw = acw
        self.tally = TypeTally()  # its own counts (its channel's tally has the channel's)
        self.priority = 0  # higher is answered first
        self.queue: deque[Contact] = deque()
        self.live = 0  # contacts waiting (the queue may also hold tombstones)
        self.groups: list[Group] = []  # groups that may take it at once
        self.overflow: list[tuple[Group, float]] = []  # groups that may take it after a wait
        #: after handling: (cumulative share, contact type it goes on to)
        self.transfers: list[tuple[float, ContactType]] = []
        #: its repeats come back as: (cumulative share, contact type); the rest as itself
        self.returns_as: list[tuple[float, ContactType]] = []
        #: its patience (the type's own, else its channel's; None: never abandons)
        self.patience: Any = channel.patience
        #: its retrial rule (the type's own, else its channel's; retry_max 1: no retrials)
        self.retry_share = 0.0
        self.retry_delay: Any = None
        self.retry_max = 1
        #: retrials come back as: (cumulative share, contact type); the rest as they were
        self.retry_as: list[tuple[float, ContactType]] = []


class Group:
    __slots__ = ("adjust", "busy", "busy_by_channel", "channels", "entries", "idle", "last_change",
                 "live_types", "name", "on_floor", "single", "slots", "speed", "stretch", "tally",
                 "target", "types", "wake_at")

    def __init__(self, name: str, tally: GroupTally) -> None:
        self.name = name
        self.tally = tally
        self.idle: deque[float] = deque()  # idle-since times, longest idle first
        #: busy agents as a heap of (end of handling, channel index)
        self.busy: list[tuple[float, int]] = []
        self.wake_at = INF  # time of the pending wake-up event, if any
        self.busy_by_channel: list[float] = []  # busy seconds after the warm-up, per channel
        self.on_floor = 0
        self.target = 0
        self.last_change = 0.0
        self.types: list[ContactType] = []
        self.channels: list[Channel] = []  # the channels of its contact types
        #: (contact type, wait needed before this group may take it), highest priority first
        self.entries: list[tuple[ContactType, float]] = []
        self.live_types: list[ContactType] = []  # its contact types that are live (not deferred)
        self.single: ContactType | None = None  # its only contact type, when it has no waiting rule
        #: handle-time multiplier per contact type index (its proficiency); None: all 1
        self.speed: list[float] | None = None
        #: chat: each agent carries up to ``slots`` contacts, each ``stretch`` slower per extra
        #: one; the group has agents × slots servers (on_floor, idle and busy count slots)
        self.slots = 1
        self.stretch = 0.0
        self.adjust = False  # does a contact's handle time change with the agent (speed, chats)?


def _unwired(*args: Any) -> None:
    raise RuntimeError("a mechanism was called before centre.build wired it")


class Centre:
    """One replication's state: the simpy environment, the clock's constants and the entities.

    ``closed`` (outside opening hours) and ``final`` (the run has ended: deferred work is
    drained too) change at roster changes; everything else is fixed once built.
    """

    __slots__ = ("channel_list", "channels", "closed", "dial", "env", "final", "give_up",
                 "groups", "horizon", "interval_s", "last_close", "most_proficient",
                 "queue_with_callback", "repeat_later", "scenario", "slot_shift", "slots", "trace",
                 "transfer", "type_list", "types", "warmup", "window_ends", "window_starts")

    def __init__(self, scenario: Scenario, warmup: float, horizon: float, interval_s: float,
                 slots: int, slot_shift: int, window_starts: list[float],
                 window_ends: list[float]) -> None:
        self.scenario = scenario
        self.env = simpy.Environment()
        #: time integrals (on the floor, busy, overrun) are measured over [warmup, horizon]
        self.warmup = warmup
        self.horizon = horizon
        self.interval_s = interval_s
        #: per-interval books are kept per slot of the week (weekday × interval of the day,
        #: Monday 00:00 is slot 0); simulated time 0 is slot ``slot_shift``
        self.slots = slots
        self.slot_shift = slot_shift
        self.window_starts = window_starts
        self.window_ends = window_ends
        self.last_close = window_ends[-1] if window_ends else 0.0
        self.channels: dict[str, Channel] = {}
        self.channel_list: list[Channel] = []
        self.types: dict[str, ContactType] = {}
        self.type_list: list[ContactType] = []
        self.groups: list[Group] = []
        self.most_proficient = scenario.routing.agent_selection == "most_proficient"
        self.closed = False  # is the centre outside its opening hours?
        self.final = False  # has the run ended (everything left is now served, deferred too)?
        # Calls back up the mechanisms' order, wired by ``centre.build``: a module imports only
        # the ones below it (queues < agents < routing < callbacks, transfers < front_door <
        # returns), and these few calls on the way up go through the state instead.
        self.give_up: Callable[[Centre, Contact, float], None] = _unwired  # returns.give_up
        self.transfer: Callable[[Centre, ContactType, float, bool, int], None] = _unwired
        self.repeat_later: Callable[[Centre, ContactType, float, bool, float, int], None] = (
            _unwired)
        self.dial: Callable[[Centre, Contact, Group, float], None] = _unwired  # callbacks.dial
        self.queue_with_callback: Callable[[Centre, Contact, float, CallbackSpec], None] = (
            _unwired)
        self.trace: Trace | None = None  # a test hook: per-contact records (None: off)

    def slot(self, now: float) -> int:
        """The slot of the week (weekday × interval of the day) that time ``now`` falls in."""
        return (int(now // self.interval_s) + self.slot_shift) % self.slots

    def when_open(self, at: float) -> float:
        """When a customer who would come back at ``at`` does so: then if the centre is open;
        else during the next opening, the closed period mapped linearly onto it (so night-time
        returns spread over the next day); infinity if the run has ended by then."""
        window_ends = self.window_ends
        i = bisect_right(window_ends, at)
        if i == len(window_ends):
            return INF
        start, end = self.window_starts[i], window_ends[i]
        if at >= start:
            return at
        closed_from = window_ends[i - 1] if i else 0.0
        return float(start + (at - closed_from) / (start - closed_from) * (end - start))
