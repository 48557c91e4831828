"""One replication of a contact centre in simpy.

How the model runs
------------------
simpy's event queue holds only what must happen at a given moment: abandonments, retrials,
roster changes and "wake-ups". Everything else is bookkeeping between events, which is what makes
the engine several times faster than a process-per-call model (``benchmarks/``):

* **Arrivals** are a non-homogeneous Poisson process per channel, generated in batches by
  inverting the cumulative intensity (:mod:`simulator.model.calendar`), with each contact's attributes
  — contact type, handle time, patience — drawn when it arrives, from one stream per decision
  (so two scenarios with the same seed see the same customers). They need no simpy events: the
  run loop takes the next arrival whenever it comes before simpy's next event (``env.peek``).
* **Agents**: per group, a count on the floor, a deque of idle agents' idle-since times and a heap
  of busy agents' end-of-handling times. An arriving contact goes to the longest-idle agent
  among the groups with its skill. An agent whose handling has ended is freed lazily, in time
  order, the next time the group is looked at; that is exact because nobody was waiting for it.
  While a contact *is* waiting, its groups hold a wake-up event at their earliest end of
  handling, and the freed agent takes the oldest waiting contact it can serve.
* **Queues**: one FCFS queue per contact type. A contact whose patience runs out abandons at that
  moment (a simpy event, so retrials and busy signals see the true state) and is left in the
  queue as a tombstone, skipped when it reaches the head.
* **Rosters**: at each interval boundary where a group's on-floor target changes, agents join
  (and pull waiting work) or leave: idle ones at once, busy ones when they finish. After the
  centre closes, agents on the floor stay until no contact they can serve is waiting.
* **Retrials**: a share of abandoned or blocked calls tries again after a delay, with a fresh
  patience, up to ``max_attempts`` attempts per customer.

All times are in seconds. ``now`` passed between functions may run ahead of ``env.now`` while
arrivals are taken between simpy events, so events are always scheduled at an absolute time
(``Timeout(env, at - env.now)``).
"""

from __future__ import annotations

import gc
import math
from bisect import bisect_right
from collections import deque
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any, cast

import numpy as np
import simpy
from numpy.typing import NDArray
from simpy.events import Timeout

from simulator.model.books import ChannelTally, GroupTally, ReplicationTally
from simulator.model.calendar import (
    Calendar,
    arrival_rates,
    cumulative_intensity,
    on_floor_agents,
    rostered_agents,
)
from simulator.model.front_door import CONTAINED, DEFLECTED, QUEUE, REDIRECTED, REMOVED, FrontDoor
from simulator.spec.levers import CallbackSpec
from simulator.spec.schema import Scenario
from simulator.streams import UniformBatches, spawn_stream

# A contact waits on the line (WAITING) or for a call back (CALLBACK); both hold their place.
WAITING, CALLBACK, SERVED, ABANDONED = 0, 1, 2, 3
INF = math.inf
BATCH = 8192


class Contact:
    """One attempt of one customer (kept only while the contact is in the centre)."""

    __slots__ = ("arrival", "attempt", "counted", "customer", "dials", "handle", "interval",
                 "patience", "repeat_in", "route", "state", "type")
    repeat_in: float
    route: int
    dials: int

    def __init__(self, ctype: _Type, arrival: float, handle: float, patience: float,
                 counted: bool, interval: int, attempt: int, customer: bool) -> None:
        self.type = ctype
        self.arrival = arrival
        self.handle = handle
        self.patience = patience
        self.counted = counted  # this attempt arrived after the warm-up
        self.customer = customer  # the customer's first attempt arrived after the warm-up
        self.interval = interval
        self.attempt = attempt
        self.state = WAITING
        # Set only on the paths that use them (kept out of the hot path):
        # ``repeat_in`` (seconds from the end of handling to the repeat; inf: resolved) when
        # the contact queues or enters the IVR, ``route`` (where the IVR sends it) when it
        # enters the IVR, ``dials`` (call-back attempts) when it accepts a call back.


class _Alarms:
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
        self.act: Callable[[Contact, float], None] | None = None  # what to do when one is due


class _Channel:
    __slots__ = (
        "arrivals",
        "callback",
        "callback_rng",
        "deadlines",
        "deferred",
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
        "redirect_rng",
        "repeats",
        "retry_as",
        "retry_delay",
        "retry_max",
        "retry_rng",
        "retry_share",
        "sl_seconds",
        "tally",
        "target_seconds",
        "voice",
    )

    def __init__(self, name: str, index: int, tally: ChannelTally) -> None:
        self.name = name
        self.index = index
        self.tally = tally
        self.groups: list[_Group] = []  # groups serving any of its contact types
        self.deadlines = _Alarms()  # when waiting callers' patience runs out
        self.in_system = 0
        self.in_ivr = 0  # callers in the IVR now (the agents wait for them at closing time)
        self.queue_length = 0  # contacts waiting, all contact types of the channel
        self.queue_changed = 0.0
        self.lines: int | None = None
        self.sl_seconds = 20.0
        self.voice = True
        self.patience: Any = None
        self.retry_share = 0.0
        self.retry_delay: Any = None
        self.retry_max = 1
        self.retry_rng: UniformBatches | None = None
        #: retrials come back as: (cumulative share, contact type); the rest as they were
        self.retry_as: list[tuple[float, _Type]] = []
        self.arrivals: _Arrivals | None = None
        self.repeats: _Repeats | None = None  # where repeat contacts' attributes come from
        self.redirect_rng: UniformBatches | None = None  # for contacts turning to other channels
        self.callback: CallbackSpec | None = None
        self.callback_rng: UniformBatches | None = None
        self.mean_handle = 0.0  # for the expected wait quoted to callers
        self.offers = _Alarms()  # when waiting callers have waited long enough for an offer
        self.overflows = _Alarms()  # when waiting contacts may go to an overflow group
        self.deferred = False  # a backlog (email): no abandonment, not drained at daily close
        self.target_seconds = INF  # deferred work: reply within this


class _Type:
    __slots__ = ("acw", "channel", "groups", "index", "kind", "live", "name", "overflow",
                 "priority", "queue", "return_rng", "returns_as", "transfer_rng", "transfers")

    def __init__(self, name: str, index: int, kind: int, channel: _Channel, acw: float) -> None:
        self.name = name
        self.index = index  # position among all contact types
        self.kind = kind  # position among its channel's contact types
        self.channel = channel
        self.acw = acw
        self.priority = 0  # higher is answered first
        self.queue: deque[Contact] = deque()
        self.live = 0  # contacts waiting (the queue may also hold tombstones)
        self.groups: list[_Group] = []  # groups that may take it at once
        self.overflow: list[tuple[_Group, float]] = []  # groups that may take it after a wait
        #: after handling: (cumulative share, contact type it goes on to)
        self.transfers: list[tuple[float, _Type]] = []
        self.transfer_rng: UniformBatches | None = None
        #: its repeats come back as: (cumulative share, contact type); the rest as itself
        self.returns_as: list[tuple[float, _Type]] = []
        self.return_rng: UniformBatches | None = None


class _Group:
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
        self.types: list[_Type] = []
        self.channels: list[_Channel] = []  # the channels of its contact types
        #: (contact type, wait needed before this group may take it), highest priority first
        self.entries: list[tuple[_Type, float]] = []
        self.live_types: list[_Type] = []  # its contact types that are live (not deferred)
        self.single: _Type | None = None  # its only contact type, when it has no waiting rule
        #: handle-time multiplier per contact type index (its proficiency); None: all 1
        self.speed: list[float] | None = None
        #: chat: each agent carries up to ``slots`` contacts, each ``stretch`` slower per extra
        #: one; the group has agents × slots servers (on_floor, idle and busy count slots)
        self.slots = 1
        self.stretch = 0.0
        self.adjust = False  # does a contact's handle time change with the agent (speed, chats)?


class _Arrivals:
    """First-attempt arrivals of one channel, generated a batch at a time."""

    def __init__(self, scenario: Scenario, channel_index: int, cal: Calendar,
                 types: list[_Type], seed: int, replication: int, tally: ChannelTally,
                 scripted: list[tuple[float, str]] | None = None) -> None:
        spec = scenario.channels[channel_index]
        front = FrontDoor(scenario, spec.name, seed, replication)
        #: given (time, contact type) arrivals instead of the Poisson process
        self._scripted = None if scripted is None else deque(sorted(scripted))
        self.front = front if front.active else None
        knots_t, knots_cum = cumulative_intensity(arrival_rates(scenario, spec, cal), cal)
        self._knots_t = knots_t
        self._knots_cum = knots_cum
        self._total = float(knots_cum[-1])
        self._cum = 0.0
        name = spec.name
        self._gap_rng = spawn_stream(seed, replication, name, "arrivals")
        self._type_rng = spawn_stream(seed, replication, name, "contact_type")
        self._handle_rng = spawn_stream(seed, replication, name, "handle_time")
        self._patience_rng = spawn_stream(seed, replication, name, "patience")
        type_specs = [t for t in scenario.contact_types if t.channel == name]
        self._types = types
        self._handle = [t.handle_time for t in type_specs]
        self._cum_shares = np.cumsum([t.share for t in type_specs])
        self._cum_shares[-1] = 1.0
        self._patience = spec.patience
        #: the current batch, consumed from ``index`` on
        self.times: list[float] = []
        self.intervals: list[int] = []  # interval of the day of each arrival
        self._interval_seconds = float(cal.interval_seconds)
        self._per_day = cal.intervals_per_day
        self._warmup = cal.warmup_seconds
        self._tally = tally
        self.types: list[_Type] = []
        self.handles: list[float] = []
        self.patiences: list[float] = []
        #: with levers: each arrival's route, self-service try, IVR time and repeat delay
        self.routes: list[int] = []
        self.tried: list[bool] = []
        self.ivr_seconds: list[float] = []
        self.repeat_in: list[float] = []
        self.redirects: list[int] = []
        self.index = 0

    def refill(self) -> bool:
        """Draw the next batch of arrivals; False when the horizon has no more."""
        if self._scripted is not None:
            if not self._scripted:
                return False
            given = [self._scripted.popleft() for _ in range(min(BATCH, len(self._scripted)))]
            n = len(given)
            names = [t.name for t in self._types]
            times = np.array([at for at, _ in given], dtype=np.float64)
            kinds = np.array([names.index(name) for _, name in given], dtype=np.int64)
        else:
            if self._cum >= self._total:
                return False
            cum = self._cum + np.cumsum(self._gap_rng.exponential(1.0, BATCH))
            self._cum = float(cum[-1])
            cum = cum[cum < self._total]
            n = len(cum)
            if n == 0:
                return False
            times = np.interp(cum, self._knots_cum, self._knots_t)
            kinds = np.searchsorted(self._cum_shares, self._type_rng.random(n), side="right")
            kinds = np.minimum(kinds, len(self._handle) - 1)
        u = self._handle_rng.random(n)
        handle = np.empty(n)
        for k, dist in enumerate(self._handle):
            mask = kinds == k
            handle[mask] = dist.quantiles(u[mask])
        u = self._patience_rng.random(n)
        patience = self._patience.quantiles(u) if self._patience is not None else np.full(n, INF)
        if self.front is not None:
            fate = self.front.decide(kinds, handle, patience)
            handle, patience = fate.handle, fate.patience
            self.routes = fate.route.tolist()
            self.tried = fate.tried_self_service.tolist()
            self.ivr_seconds = fate.ivr_seconds.tolist()
            self.repeat_in = fate.repeat_in.tolist()
            self.redirects = fate.redirect.tolist()
        intervals = ((times // self._interval_seconds) % self._per_day).astype(np.int64)
        # First contacts per interval are known once drawn: counted here, not one by one.
        counted = times >= self._warmup
        if self.front is not None:
            counted &= np.asarray(self.routes) != REMOVED
        self._count_arrivals(np.bincount(intervals[counted], minlength=self._per_day))
        self.times = times.tolist()
        self.intervals = intervals.tolist()
        self.types = [self._types[k] for k in kinds.tolist()]
        self.handles = handle.tolist()
        self.patiences = patience.tolist()
        self.index = 0
        return True

    def _count_arrivals(self, per_interval: NDArray[np.int64]) -> None:
        counts = self._tally.arrivals_by_interval
        for i, n in enumerate(per_interval.tolist()):
            counts[i] += n

    def next_time(self) -> float:
        """Time of the next arrival (infinity when there is none), refilling as needed."""
        if self.index == len(self.times) and not self.refill():
            return INF
        return self.times[self.index]


class _Repeats:
    """Attributes of one channel's repeat contacts, drawn in batches per contact type.

    A repeat is a new intent of the same type: fresh handle time and patience, and its own
    front-door fate (no demand removal: the root cause lever acts on repeats by
    ``repeats_removed``). Streams are per type, so repeats of one type never shift another's.
    """

    def __init__(self, scenario: Scenario, channel: str, seed: int, replication: int) -> None:
        spec = scenario.channel(channel)
        self._types = [t for t in scenario.contact_types if t.channel == channel]
        self._patience = spec.patience
        self._args = (scenario, channel, seed, replication)
        self._doors: dict[int, FrontDoor] = {}
        self._rngs: dict[int, np.random.Generator] = {}
        self._batches: dict[int, list[tuple[float, float, int, bool, float, float, int]]] = {}

    def next(self, kind: int) -> tuple[float, float, int, bool, float, float, int]:
        """(handle, patience, route, tried self-service, IVR seconds, repeat in, redirect)."""
        batch = self._batches.get(kind)
        if not batch:
            batch = self._refill(kind)
        return batch.pop()

    def _refill(self, kind: int) -> list[tuple[float, float, int, bool, float, float, int]]:
        scenario, channel, seed, replication = self._args
        name = self._types[kind].name
        if kind not in self._doors:
            self._doors[kind] = FrontDoor(scenario, channel, seed, replication, f"repeats:{name}")
            self._rngs[kind] = spawn_stream(seed, replication, channel, f"repeats:{name}", "attrs")
        n = 256
        u = self._rngs[kind].random((n, 2))
        handle = self._types[kind].handle_time.quantiles(u[:, 0])
        patience = (self._patience.quantiles(u[:, 1]) if self._patience is not None
                    else np.full(n, INF))
        fate = self._doors[kind].decide(np.full(n, kind), handle, patience, first_contact=False)
        batch = list(zip(fate.handle.tolist(), fate.patience.tolist(), fate.route.tolist(),
                         fate.tried_self_service.tolist(), fate.ivr_seconds.tolist(),
                         fate.repeat_in.tolist(), fate.redirect.tolist(), strict=True))
        batch.reverse()  # consumed from the end, in draw order
        self._batches[kind] = batch
        return batch


def simulate(scenario: Scenario, replication: int,
             scripted: dict[str, list[tuple[float, str]]] | None = None) -> ReplicationTally:
    """Run one replication of ``scenario`` and return what it measured.

    ``scripted`` replaces a channel's Poisson arrivals by given ``(time in seconds, contact
    type)`` pairs — for hand-checked timelines in tests, or to replay an observed day. Every
    other attribute still comes from the scenario's distributions and streams.
    """
    cal = Calendar.of(scenario)
    seed = scenario.run.seed
    warmup = cal.warmup_seconds

    interval_s = float(cal.interval_seconds)
    per_day = cal.intervals_per_day
    env = simpy.Environment()

    # ------------------------------------------------------------------ build
    channels: dict[str, _Channel] = {}
    for spec in scenario.channels:
        tally = ChannelTally.empty(per_day)
        ch = _Channel(spec.name, len(channels), tally)
        ch.lines = spec.lines
        ch.sl_seconds = spec.service_level_seconds
        ch.voice = spec.channel_kind == "voice"
        ch.deferred = spec.deferred
        ch.patience = spec.patience
        if spec.response_target_hours is not None:
            ch.target_seconds = spec.response_target_hours * 3600
        if spec.retrials is not None and spec.retrials.share > 0:
            ch.retry_share = spec.retrials.share
            ch.retry_delay = spec.retrials.delay
            ch.retry_max = spec.retrials.max_attempts
            ch.retry_rng = UniformBatches(spawn_stream(seed, replication, spec.name, "retrial"))
        channels[spec.name] = ch
    types: dict[str, _Type] = {}
    for index, ct in enumerate(scenario.contact_types):
        kind = sum(1 for t in types.values() if t.channel is channels[ct.channel])
        ctype = _Type(ct.name, index, kind, channels[ct.channel], ct.after_contact_work_seconds)
        ctype.priority = scenario.priority_of(ct.name)
        types[ct.name] = ctype
    groups: list[_Group] = []
    by_name: dict[str, _Group] = {}
    for gs in scenario.agent_groups:
        group_tally = GroupTally(on_floor_by_interval=[0.0] * per_day,
                                 busy_by_interval=[0.0] * per_day)
        group = _Group(gs.name, group_tally)
        group.busy_by_channel = [0.0] * len(channels)
        group.types = [types[skill] for skill in gs.skills]
        group.live_types = [t for t in group.types if not t.channel.deferred]
        if any(v != 1.0 for v in gs.proficiency.values()):
            group.speed = [gs.proficiency.get(name, 1.0) for name in types]
        served = [scenario.channel(scenario.contact_types[t.index].channel) for t in group.types]
        group.slots = served[0].concurrency  # (validated: the same for all its channels)
        group.stretch = max(c.concurrency_stretch for c in served)
        group.adjust = group.speed is not None or (group.slots > 1 and group.stretch > 0)
        for member in group.types:
            if group not in member.channel.groups:
                member.channel.groups.append(group)
                group.channels.append(member.channel)
        groups.append(group)
        by_name[gs.name] = group
    # who may take what, and when: overflow groups only after the contact has waited
    for ctype in types.values():
        rule = scenario.routing.contact_types.get(ctype.name)
        later = {step.group: step.after_seconds for step in rule.overflow} if rule else {}
        for group in groups:
            if ctype in group.types:
                wait = later.get(group.name, 0.0)
                group.entries.append((ctype, wait))
                if wait > 0:
                    ctype.overflow.append((group, wait))
                else:
                    ctype.groups.append(group)
    def shares_to_types(shares: dict[str, float]) -> list[tuple[float, _Type]]:
        out, cumulative = [], 0.0
        for name, share in shares.items():
            cumulative += share
            out.append((cumulative, types[name]))
        return out

    for spec in scenario.channels:
        if spec.retrials is not None and spec.retrials.return_as:
            channels[spec.name].retry_as = shares_to_types(spec.retrials.return_as)
    if scenario.repeat_contacts is not None:
        for name, repeat in scenario.repeat_contacts.contact_types.items():
            if repeat.return_as:
                ctype = types[name]
                ctype.returns_as = shares_to_types(repeat.return_as)
                ctype.return_rng = UniformBatches(
                    spawn_stream(seed, replication, ctype.channel.name, name, "return_as"))
    for ctype in types.values():
        rule = scenario.routing.contact_types.get(ctype.name)
        if rule is not None and rule.transfers:
            cumulative = 0.0
            for move in rule.transfers:
                cumulative += move.share
                ctype.transfers.append((cumulative, types[move.to]))
            ctype.transfer_rng = UniformBatches(
                spawn_stream(seed, replication, ctype.channel.name, ctype.name, "transfer"))
    for group in groups:
        group.entries.sort(key=lambda entry: -entry[0].priority)
        if len(group.entries) == 1 and not group.entries[0][1]:
            group.single = group.entries[0][0]
    most_proficient = scenario.routing.agent_selection == "most_proficient"
    type_list = list(types.values())
    channel_list = list(channels.values())
    callback_channels = scenario.callback_channels()
    for ci, spec in enumerate(scenario.channels):
        ch = channels[spec.name]
        mine = [types[t.name] for t in scenario.contact_types if t.channel == spec.name]
        ch.arrivals = _Arrivals(scenario, ci, cal, mine, seed, replication, ch.tally,
                                (scripted or {}).get(spec.name))
        ss = scenario.self_service.get(spec.name)
        if ss is not None and ss.failure_as:
            ch.redirect_rng = UniformBatches(spawn_stream(seed, replication, spec.name, "redirect"))
        if ch.arrivals.front is not None and scenario.repeat_contacts is not None:
            ch.repeats = _Repeats(scenario, spec.name, seed, replication)
        if spec.name in callback_channels:
            ch.callback = scenario.callback
            ch.callback_rng = UniformBatches(spawn_stream(seed, replication, spec.name, "callback"))
            shares = [(t.share, t.handle_time.mean) for t in scenario.contact_types
                      if t.channel == spec.name]
            ch.mean_handle = sum(w * m for w, m in shares)

    closed = [False]  # is the centre outside its opening hours? (a cell for the callbacks)
    final = [False]  # has the run ended (everything left is now served, deferred work too)?
    starts_array, ends_array = cal.open_windows()
    window_starts: list[float] = starts_array.tolist()
    window_ends: list[float] = ends_array.tolist()

    def when_open(at: float) -> float:
        """When a customer who would come back at ``at`` does so: then if the centre is open;
        else during the next opening, the closed period mapped linearly onto it (so night-time
        returns spread over the next day); infinity if the run has ended by then."""
        i = bisect_right(window_ends, at)
        if i == len(window_ends):
            return INF
        start, end = window_starts[i], window_ends[i]
        if at >= start:
            return at
        closed_from = window_ends[i - 1] if i else 0.0
        return float(start + (at - closed_from) / (start - closed_from) * (end - start))

    # ------------------------------------------------------------------ time accounting
    def add_span(values: list[float], t0: float, t1: float, weight: float) -> None:
        """Add ``weight`` × the part of [t0, t1) after the warm-up, split by interval of day."""
        if t0 < warmup:
            t0 = warmup
        if t1 <= t0:
            return
        i0 = int(t0 // interval_s)
        i1 = int(t1 // interval_s)
        if i0 == i1:
            values[i0 % per_day] += weight * (t1 - t0)
            return
        values[i0 % per_day] += weight * ((i0 + 1) * interval_s - t0)
        for i in range(i0 + 1, i1):
            values[i % per_day] += weight * interval_s
        values[i1 % per_day] += weight * (t1 - i1 * interval_s)

    def account(group: _Group, now: float) -> None:
        """Book on-floor and overrun time since the group's last change."""
        t0 = group.last_change
        if now > t0 and group.on_floor:
            add_span(group.tally.on_floor_by_interval, t0, now, group.on_floor)
            excess = group.on_floor - group.target
            if excess > 0:
                start = max(t0, warmup)
                if now > start:
                    group.tally.overrun_seconds += excess * (now - start)
        group.last_change = now

    def queue_moves(ch: _Channel, now: float, step: int) -> None:
        """Book the time-weighted queue length, then change it by ``step``."""
        if now > warmup:
            since = ch.queue_changed if ch.queue_changed > warmup else warmup
            ch.tally.queue_length_seconds += ch.queue_length * (now - since)
        ch.queue_changed = now
        ch.queue_length += step

    # ------------------------------------------------------------------ contact flow
    # Counts by interval are kept per contact; their totals are summed when the books close.
    # A contact is passed around as its attributes; it becomes a Contact only if it must wait.
    def start_service(ctype: _Type, arrival: float, handle: float, counted: bool,
                      customer: bool, interval: int, group: _Group, now: float,
                      repeat_in: float = INF) -> None:
        """An agent of ``group`` takes the contact at ``now`` and is busy for ``handle`` seconds.

        ``counted=False`` occupies the agent without counting an answer (see ``dial``).
        """
        ch = ctype.channel
        end = now + handle
        if counted:
            t = ch.tally
            wait = now - arrival
            t.wait_answered_seconds += wait
            t.handle_seconds += handle
            t.answered_by_interval[interval] += 1
            if wait <= ch.sl_seconds:
                t.answered_in_sl_by_interval[interval] += 1
            if ch.voice:
                talk = handle - ctype.acw
                t.line_seconds += wait + talk if talk > 0 else wait
            elif ch.deferred:  # response time: from arrival to the reply being sent
                t.response_seconds += end - arrival
                if end - arrival <= ch.target_seconds:
                    t.within_target += 1
            group.tally.answered += 1
            if customer:  # (a counted customer's attempts are all counted)
                t.customers_served += 1
        if ctype.transfers:
            transfer(ctype, end, counted)
        if repeat_in < INF:
            if counted:
                ch.tally.unresolved += 1
            at = when_open(end + repeat_in)
            if at < INF:  # (no new arrivals after the run)
                back = ctype
                if ctype.returns_as:  # perhaps as another type, on another channel
                    back = pick(ctype.returns_as, ctype.return_rng, ctype)
                Timeout(env, at - env.now, back).callbacks.append(on_repeat)
        if end > warmup:
            if now >= warmup:
                i0 = int(now // interval_s)
                if i0 == int(end // interval_s):
                    group.tally.busy_by_interval[i0 % per_day] += handle
                else:
                    add_span(group.tally.busy_by_interval, now, end, 1.0)
                group.busy_by_channel[ch.index] += handle
            else:
                add_span(group.tally.busy_by_interval, now, end, 1.0)
                group.busy_by_channel[ch.index] += end - warmup
        heappush(group.busy, (end, ch.index))

    def pick(shares: list[tuple[float, _Type]], rng: UniformBatches | None,
             otherwise: _Type) -> _Type:
        """The contact type a return comes back as (by cumulative shares), or ``otherwise``."""
        assert rng is not None
        u = rng.next()
        for cumulative, target in shares:
            if u < cumulative:
                return target
        return otherwise

    def adjusted(handle: float, group: _Group, ctype: _Type) -> float:
        """The handle time with this group: its proficiency, and for chat the stretch of
        carrying several at once (its agents' average concurrency once this one starts)."""
        if group.speed is not None:
            handle *= group.speed[ctype.index]
        if group.slots > 1 and group.stretch:
            busy = group.on_floor - len(group.idle)  # slots in use, this one included
            agents = group.on_floor / group.slots
            concurrent = min(group.slots, math.ceil(busy / agents - 1e-9)) if agents else 1
            handle *= 1 + group.stretch * (concurrent - 1)
        return handle

    def transfer(ctype: _Type, end: float, counted: bool) -> None:
        """Decide whether a handled contact goes on to another type's queue when it ends."""
        rng = ctype.transfer_rng
        assert rng is not None
        u = rng.next()
        for cumulative, target in ctype.transfers:
            if u < cumulative:
                if counted:
                    ctype.channel.tally.transfers_out += 1
                # the next leg: its own handle time and patience, from the transfer stream
                handle = float(target_handle(target, rng.next()))
                patience = target.channel.patience
                wait = INF if patience is None else float(
                    patience.quantiles(np.array([rng.next()]))[0])
                Timeout(env, end - env.now, (target, handle, wait)).callbacks.append(on_transfer)
                return

    def target_handle(target: _Type, u: float) -> float:
        spec = scenario.contact_types[target.index]
        return float(spec.handle_time.quantiles(np.array([u]))[0])

    def on_transfer(event: Timeout) -> None:
        """A transferred contact joins its new queue (on the line, for a call) at once."""
        target, handle, patience = cast(tuple[_Type, float, float], event.value)
        now = env.now
        ch = target.channel
        counted = now >= warmup
        interval = int(now // interval_s) % per_day
        if counted:
            ch.tally.transfers_in += 1
            ch.tally.transfers_in_by_interval[interval] += 1
        ch.in_system += 1
        admit(target, now, handle, patience, counted, interval, 1, False, INF, door=False)

    def line_busy(ch: _Channel, now: float) -> bool:
        """Are all of the channel's lines in use (IVR, queue, talk, outbound)?"""
        assert ch.lines is not None
        for group in ch.groups:
            if group.busy and group.busy[0][0] <= now:
                release_finished(group, now)
        return ch.in_system >= ch.lines

    def admit(ctype: _Type, now: float, handle: float, patience: float, counted: bool,
              interval: int, attempt: int, customer: bool, repeat_in: float = INF,
              door: bool = True) -> None:
        """A call reaches the door (busy signal?) and the ACD: an agent, or the queue.

        ``door=False``: the contact is already in (it comes from the IVR), go straight to the ACD.
        """
        ch = ctype.channel
        t = ch.tally
        if door:
            if attempt > 1 and counted:  # (first contacts are counted when drawn)
                t.arrivals_by_interval[interval] += 1
                t.retrials += 1
            if ch.lines is not None and line_busy(ch, now):
                if counted:
                    t.blocked += 1
                    t.not_offered_by_interval[interval] += 1
                c = Contact(ctype, now, handle, patience, counted, interval, attempt, customer)
                c.repeat_in = repeat_in
                give_up(c, now)
                return
            ch.in_system += 1
        # the longest-idle agent among the groups with this skill
        groups = ctype.groups
        best: _Group | None = None
        if len(groups) == 1:
            only = groups[0]
            busy = only.busy
            if busy and busy[0][0] <= now:
                if not only.idle and only.on_floor <= only.target and not has_work(only):
                    # Nobody is idle, but the first agent to finish (nobody waited for them) is
                    # the longest idle: they take this contact straight away.
                    channel_list[heappop(busy)[1]].in_system -= 1
                    if only.adjust:
                        handle = adjusted(handle, only, ctype)
                    start_service(ctype, now, handle, counted, customer, interval, only, now,
                                  repeat_in)
                    return
                release_finished(only, now)
            if only.idle:
                best = only
        else:
            best = fastest_idle(groups, ctype, now) if most_proficient else longest_idle(groups, now)
        if best is not None:
            best.idle.popleft()
            if best.adjust:
                handle = adjusted(handle, best, ctype)
            start_service(ctype, now, handle, counted, customer, interval, best, now, repeat_in)
            return
        if counted:
            t.queued += 1
        c = Contact(ctype, now, handle, patience, counted, interval, attempt, customer)
        c.repeat_in = repeat_in
        if ch.callback is not None:
            queue_with_callback(c, now, ch.callback)
            return
        ctype.queue.append(c)
        ctype.live += 1
        queue_moves(ch, now, 1)
        if patience < INF:
            set_alarm(ch.deadlines, now + patience, c)
        for group in groups:
            if group.busy and group.busy[0][0] < group.wake_at:
                schedule_wake(group)
        if ctype.overflow:
            for _, wait in ctype.overflow:
                set_alarm(ch.overflows, now + wait, c)

    def queue_with_callback(c: Contact, now: float, cb: CallbackSpec) -> None:
        """Queue a caller on a channel that offers call backs (on arrival, or after a wait)."""
        ch = c.type.channel
        if (cb.offer_expected_wait_seconds is not None
                and expected_wait(ch) > cb.offer_expected_wait_seconds):
            offer_callback(c, now)
        queue_contact(c, now)
        if c.state == WAITING:
            if c.patience < INF:
                set_alarm(ch.deadlines, now + c.patience, c)
            if cb.offer_after_wait_seconds is not None:
                set_alarm(ch.offers, now + cb.offer_after_wait_seconds, c)

    def arrive(ctype: _Type, now: float, handle: float, patience: float, counted: bool,
               interval: int, route: int, tried: bool, ivr_seconds: float, repeat_in: float,
               redirect: int = -1, repeat: bool = False) -> None:
        """An intent on a channel with levers: self-service, the door, the IVR, then the ACD."""
        if route == REMOVED:  # the root cause was fixed: this contact never happens
            return
        ch = ctype.channel
        t = ch.tally
        if counted:
            if repeat:  # (first contacts are counted when drawn)
                t.arrivals_by_interval[interval] += 1
                t.repeats += 1
            if tried:
                t.self_service_sessions += 1
        if route == DEFLECTED:
            if counted:
                t.deflected += 1
                t.not_offered_by_interval[interval] += 1
            return
        if route == REDIRECTED:  # self-service failed: the customer turns to another channel
            if counted:
                t.redirected += 1
                t.not_offered_by_interval[interval] += 1
            turn_to(type_list[redirect], now, ch)
            return
        if ch.lines is not None and line_busy(ch, now):
            if counted:
                t.blocked += 1
                t.not_offered_by_interval[interval] += 1
            c = Contact(ctype, now, handle, patience, counted, interval, 1, counted)
            c.repeat_in = repeat_in
            give_up(c, now)
            return
        ch.in_system += 1
        if ivr_seconds > 0:
            c = Contact(ctype, now, handle, patience, counted, interval, 1, counted)
            c.route, c.repeat_in = route, repeat_in
            ch.in_ivr += 1
            if counted:
                t.ivr_seconds += ivr_seconds
            Timeout(env, now + ivr_seconds - env.now, c).callbacks.append(on_ivr_end)
            return
        admit(ctype, now, handle, patience, counted, interval, 1, counted, repeat_in, door=False)

    def turn_to(target: _Type, now: float, source: _Channel) -> None:
        """A new contact of ``target`` (on its channel) now, with its own handle time and
        patience; it goes straight to that channel's door (no IVR) and has no repeat of its own."""
        rng = source.redirect_rng
        assert rng is not None
        handle = target_handle(target, rng.next())
        patience = target.channel.patience
        wait = INF if patience is None else float(patience.quantiles(np.array([rng.next()]))[0])
        counted = now >= warmup
        interval = int(now // interval_s) % per_day
        if counted:
            target.channel.tally.arrivals_by_interval[interval] += 1
            target.channel.tally.redirected_in += 1
        admit(target, now, handle, wait, counted, interval, 1, counted)

    def on_ivr_end(event: Timeout) -> None:
        """The caller leaves the IVR: contained, hung up, or on to the ACD queue."""
        c = cast(Contact, event.value)
        ch = c.type.channel
        ch.in_ivr -= 1
        now = env.now
        if c.route == QUEUE:
            admit(c.type, now, c.handle, c.patience, c.counted, c.interval, c.attempt,
                  c.customer, c.repeat_in, door=False)
        else:
            leave_ivr(c)
        if closed[0] and not ch.in_ivr:  # the last caller has left the IVR after closing
            for group in ch.groups:
                go_home(group, now)

    def leave_ivr(c: Contact) -> None:
        """A caller contained, or hung up, in the IVR."""
        ch = c.type.channel
        ch.in_system -= 1
        if c.counted:
            if c.route == CONTAINED:
                ch.tally.ivr_contained += 1
            else:
                ch.tally.ivr_hangups += 1
            ch.tally.not_offered_by_interval[c.interval] += 1

    def on_repeat(event: Timeout) -> None:
        """An unresolved contact comes back: a new intent of the same type, full journey."""
        ctype = cast(_Type, event.value)
        now = env.now
        source = ctype.channel.repeats
        assert source is not None
        handle, patience, route, tried, ivr_seconds, repeat_in, redirect = source.next(ctype.kind)
        interval = int(now // interval_s) % per_day
        arrive(ctype, now, handle, patience, now >= warmup, interval, route, tried, ivr_seconds,
               repeat_in, redirect, repeat=True)

    def give_up(c: Contact, now: float) -> None:
        """An abandoned or blocked attempt: try again later, or the customer is lost."""
        ch = c.type.channel
        if ch.retry_rng is not None and c.attempt < ch.retry_max:
            rng = ch.retry_rng
            if rng.next() < ch.retry_share:
                at = when_open(now + float(ch.retry_delay.quantiles(np.array([rng.next()]))[0]))
                if at < INF:  # (no new arrivals after the run: a later retrial is not made)
                    Timeout(env, at - env.now, c).callbacks.append(on_retry)
                    return
        if c.customer:
            ch.tally.customers_lost += 1

    def next_contact(group: _Group, now: float) -> Contact | None:
        """Take the contact this group should answer next off its queue: the highest priority,
        then the oldest, among those it may take now (overflow: only after their wait)."""
        if group.single is not None:  # one contact type, no waiting rule: its queue's head
            ctype = group.single
            queue = ctype.queue
            while queue[0].state >= SERVED:
                queue.popleft()
            ctype.live -= 1
            queue_moves(ctype.channel, now, -1)
            return queue.popleft()
        best: _Type | None = None
        head_arrival = INF
        priority = 0
        for ctype, wait in group.entries:  # highest priority first
            if best is not None and ctype.priority < priority:
                break
            if not ctype.live:
                continue
            queue = ctype.queue
            while queue[0].state >= SERVED:  # tombstones: abandoned or already taken
                queue.popleft()
            head = queue[0]
            if head.arrival < head_arrival and (not wait or now - head.arrival >= wait):
                head_arrival = head.arrival
                best = ctype
                priority = ctype.priority
        if best is None:
            return None
        best.live -= 1
        queue_moves(best.channel, now, -1)
        return best.queue.popleft()

    def has_work(group: _Group) -> bool:
        """Is a contact this group can serve waiting?"""
        for ctype in group.types:  # noqa: SIM110 - a plain loop: any() and its generator cost 2x here
            if ctype.live:
                return True
        return False

    def still_expected(group: _Group) -> bool:
        """After closing: is a live contact this group serves waiting, or still in the IVR?
        (Deferred work waits for the next opening, except at the end of the run.)"""
        types = group.types if final[0] else group.live_types
        return any(t.live for t in types) or any(ch.in_ivr for ch in group.channels)

    def go_home(group: _Group, now: float) -> None:
        """Idle agents beyond the roster leave, unless (after closing) contacts are expected."""
        if closed[0] and still_expected(group):
            return
        while group.on_floor > group.target and group.idle:
            group.idle.pop()
            account(group, now)
            group.on_floor -= 1

    def agent_free(group: _Group, now: float) -> None:
        """An agent of ``group`` finished at ``now``: next contact, idle, or off shift."""
        if group.on_floor > group.target and (not closed[0] or not still_expected(group)):
            account(group, now)  # off shift (or the centre has closed and no one is left)
            group.on_floor -= 1
        elif has_work(group) and (c := next_contact(group, now)) is not None:
            if c.state == CALLBACK:
                dial(c, group, now)
            else:
                c.state = SERVED
                handle = adjusted(c.handle, group, c.type) if group.adjust else c.handle
                start_service(c.type, c.arrival, handle, c.counted, c.customer, c.interval,
                              group, now, c.repeat_in)
        else:
            group.idle.append(now)

    def release_finished(group: _Group, now: float) -> None:
        """Free, in time order, every agent of ``group`` whose handling ended by ``now``.

        Ends of handling are not simpy events: while no contact waits for a group, its agents
        are freed lazily, when a contact arrives or the roster changes. Freed in time order, they
        join the idle deque in the order they became idle (so longest-idle stays exact). While a
        contact waits, the group has a wake-up event at its earliest end (see ``schedule_wake``).
        """
        busy = group.busy
        while busy and busy[0][0] <= now:
            end, channel_index = heappop(busy)
            channel_list[channel_index].in_system -= 1
            agent_free(group, end)

    def schedule_wake(group: _Group) -> None:
        """Wake ``group`` when its first busy agent finishes (a contact is waiting for it)."""
        group.wake_at = group.busy[0][0]
        Timeout(env, group.wake_at - env.now, group).callbacks.append(on_wake)

    # ------------------------------------------------------------------ callbacks
    def on_wake(event: Timeout) -> None:
        group = cast(_Group, event.value)
        now = env.now
        if group.wake_at <= now:
            group.wake_at = INF
        release_finished(group, now)
        if group.busy and group.busy[0][0] < group.wake_at and has_work(group):
            schedule_wake(group)

    def abandon(c: Contact, now: float) -> None:
        """A caller waiting on the line runs out of patience at ``now``."""
        c.state = ABANDONED
        c.type.live -= 1
        ch = c.type.channel
        ch.in_system -= 1
        queue_moves(ch, now, -1)
        if c.counted:
            t = ch.tally
            t.abandoned_by_interval[c.interval] += 1
            t.wait_abandoned_seconds += c.patience
            if ch.voice:
                t.line_seconds += c.patience
        give_up(c, now)

    def set_alarm(alarms: _Alarms, at: float, c: Contact) -> None:
        """Act on ``c`` at ``at`` if it is still waiting on the line then."""
        alarms.count += 1
        heappush(alarms.heap, (at, alarms.count, c))
        if at < alarms.timer_at:
            alarms.timer_at = at
            Timeout(env, at - env.now, alarms).callbacks.append(on_alarm)

    def on_alarm(event: Timeout) -> None:
        """Act on every contact still waiting whose moment has come; re-arm on the next one."""
        alarms = cast(_Alarms, event.value)
        now = env.now
        if alarms.timer_at <= now:
            alarms.timer_at = INF
        heap = alarms.heap
        act = alarms.act
        assert act is not None
        while heap and (heap[0][0] <= now or heap[0][2].state != WAITING):
            at, _, c = heappop(heap)
            if c.state == WAITING:
                act(c, at)
        if heap and heap[0][0] < alarms.timer_at:
            alarms.timer_at = heap[0][0]
            Timeout(env, alarms.timer_at - now, alarms).callbacks.append(on_alarm)

    # ------------------------------------------------------------------ callbacks (virtual hold)
    def offer_callback(c: Contact, now: float) -> None:
        """Offer a call back to a waiting caller; if accepted, they leave the line, keep the place."""
        ch = c.type.channel
        cb, rng = ch.callback, ch.callback_rng
        assert cb is not None
        assert rng is not None
        if c.counted:
            ch.tally.callback_offers += 1
        if rng.next() >= cb.accept_share:
            return
        c.state = CALLBACK
        c.dials = 0
        ch.in_system -= 1
        if c.counted:
            ch.tally.callbacks += 1
            ch.tally.line_seconds += now - c.arrival  # on the line until accepting

    def expected_wait(ch: _Channel) -> float:
        """What the ACD would quote a new caller: (callers ahead + 1) × AHT / agents on the floor."""
        agents = sum(g.on_floor for g in ch.groups)
        return (ch.queue_length + 1) * ch.mean_handle / agents if agents else INF

    def dial(c: Contact, group: _Group, now: float) -> None:
        """An agent calls a customer back: connect time, then the call if they answer."""
        ch = c.type.channel
        cb, rng = ch.callback, ch.callback_rng
        assert cb is not None
        assert rng is not None
        connect = float(cb.connect_time.quantiles(np.array([rng.next()]))[0])
        reached = rng.next() < cb.reached_share
        c.dials += 1
        ch.in_system += 1  # the outbound call holds a line while it lasts
        if reached:
            c.state = SERVED
            handle = adjusted(c.handle, group, c.type) if group.adjust else c.handle
            if c.counted:  # answered when the call connects; the call is outbound
                t = ch.tally
                wait = now + connect - c.arrival
                t.callbacks_answered += 1
                t.wait_answered_seconds += wait
                t.handle_seconds += handle
                t.answered_by_interval[c.interval] += 1
                if wait <= ch.sl_seconds:
                    t.answered_in_sl_by_interval[c.interval] += 1
                t.outbound_seconds += connect + max(handle - c.type.acw, 0.0)
                group.tally.answered += 1
                if c.customer:
                    t.customers_served += 1
                if c.repeat_in < INF:
                    t.unresolved += 1
            # occupy the agent for connect + handle; the repeat (if any) follows the call
            start_service(c.type, c.arrival, connect + handle, False, False, c.interval,
                          group, now, c.repeat_in)
            return
        # not reached: the agent was busy for the connect time only
        if c.counted:
            ch.tally.outbound_seconds += connect
        start_service(c.type, c.arrival, connect, False, False, c.interval, group, now)
        again = when_open(now + connect + float(cb.retry_delay.quantiles(np.array([rng.next()]))[0]))
        if c.dials < cb.max_attempts and again < INF:
            Timeout(env, again - env.now, c).callbacks.append(on_redial)
            return
        c.state = ABANDONED
        if c.counted:
            ch.tally.callbacks_lost += 1
        if c.customer:
            ch.tally.customers_lost += 1

    def on_redial(event: Timeout) -> None:
        """Time to try a call back again: an idle agent dials now, or it queues at the end."""
        c = cast(Contact, event.value)
        now = env.now
        group = longest_idle(c.type.groups, now)
        if group is not None:
            group.idle.popleft()
            dial(c, group, now)
        else:
            queue_contact(c, now)

    def fastest_idle(groups: list[_Group], ctype: _Type, now: float) -> _Group | None:
        """Among groups with an idle agent, the most proficient at ``ctype`` (the lowest
        handle-time multiplier), then the one whose agent has been idle longest."""
        best: _Group | None = None
        best_key = (INF, INF)
        for group in groups:
            if group.busy and group.busy[0][0] <= now:
                release_finished(group, now)
            if group.idle:
                key = (group.speed[ctype.index] if group.speed is not None else 1.0,
                       group.idle[0])
                if key < best_key:
                    best, best_key = group, key
        return best

    def try_overflow(c: Contact, now: float) -> None:
        """``c`` has waited long enough for an overflow group: an idle agent there takes the
        work it should (``c``, unless something of higher priority waits), or the group is
        woken when its next agent finishes."""
        for group, wait in c.type.overflow:
            if now - c.arrival < wait - 1e-9:
                continue
            if group.busy and group.busy[0][0] <= now:
                release_finished(group, now)
            if group.idle:
                group.idle.pop()  # the agent idle the shortest time comes back at once
                agent_free(group, now)
                if c.state != WAITING:
                    return
            elif group.busy and group.busy[0][0] < group.wake_at:
                schedule_wake(group)

    def longest_idle(groups: list[_Group], now: float) -> _Group | None:
        """The group whose first idle agent has been idle longest (agents that finished by
        ``now`` are freed first), or None if every agent is busy."""
        best: _Group | None = None
        for group in groups:
            if group.busy and group.busy[0][0] <= now:
                release_finished(group, now)
            if group.idle and (best is None or group.idle[0] < best.idle[0]):
                best = group
        return best

    def queue_contact(c: Contact, now: float) -> None:
        """Put a contact at the back of its type's queue and wake the groups that serve it."""
        ctype = c.type
        ctype.queue.append(c)
        ctype.live += 1
        queue_moves(ctype.channel, now, 1)
        for group in ctype.groups:
            if group.busy and group.busy[0][0] < group.wake_at:
                schedule_wake(group)

    def on_retry(event: Timeout) -> None:
        # A new attempt object: the abandoned one may still sit in a queue as a tombstone.
        old = cast(Contact, event.value)
        now = env.now
        ch = old.type.channel
        rng = ch.retry_rng
        assert rng is not None
        ctype, handle = old.type, old.handle
        if ch.retry_as:  # perhaps back as another type, on another channel
            ctype = pick(ch.retry_as, rng, old.type)
            if ctype is not old.type:
                handle = target_handle(ctype, rng.next())
        patience = old.patience
        if ctype.channel.patience is not None:
            patience = float(ctype.channel.patience.quantiles(np.array([rng.next()]))[0])
        elif ctype.channel is not ch:
            patience = INF
        admit(ctype, now, handle, patience, now >= warmup, int(now // interval_s) % per_day,
              old.attempt + 1, old.customer, old.repeat_in)  # the same need: the same fate

    # Arrivals are drawn ahead, so they need no simpy events: the run loop below merges the
    # earliest pending arrival of every channel with simpy's event queue.
    sources: list[_Arrivals] = [ch.arrivals for ch in channels.values() if ch.arrivals]

    # ------------------------------------------------------------------ rosters
    open_mask = cal.open_mask()
    targets = []
    for gs, group in zip(scenario.agent_groups, groups, strict=True):
        rostered = rostered_agents(gs, scenario, cal)
        starts = cal.interval_starts()
        ends = np.minimum(starts + interval_s, cal.horizon_seconds)
        seen = np.clip(ends - np.maximum(starts, warmup), 0, None)
        group.tally.rostered_seconds = float((rostered * seen).sum())
        on_floor = on_floor_agents(rostered, gs.shrinkage)
        group.tally.peak_on_floor = int(on_floor[seen > 0].max(initial=0))
        targets.append(on_floor)
    observed = (np.minimum(cal.interval_starts() + interval_s, cal.horizon_seconds) > warmup)
    peak_seats = int(np.sum(targets, axis=0)[observed].max(initial=0))
    changes: list[tuple[float, bool, list[int]]] = []
    previous: tuple[bool, list[int]] | None = None
    for i in range(cal.n_intervals):
        state = (not bool(open_mask[i]), [int(t[i]) for t in targets])
        if state != previous:
            changes.append((i * interval_s, state[0], state[1]))
            previous = state
    changes.append((cal.horizon_seconds, True, [0] * len(groups)))

    last_close = window_ends[-1] if window_ends else 0.0

    def set_rosters(now: float, is_closed: bool, new_targets: list[int]) -> None:
        closed[0] = is_closed
        final[0] = is_closed and now >= last_close  # the last close: drain deferred work too
        for group, agents in zip(groups, new_targets, strict=True):
            target = agents * group.slots
            release_finished(group, now)
            account(group, now)
            group.target = target
            while group.on_floor < target:  # a new agent takes waiting work or goes idle
                group.on_floor += 1
                agent_free(group, now)
            go_home(group, now)
            if group.busy and group.busy[0][0] < group.wake_at and has_work(group):
                schedule_wake(group)

    def on_roster(event: Timeout) -> None:
        now, is_closed, new_targets = cast(tuple[float, bool, list[int]], event.value)
        set_rosters(now, is_closed, new_targets)

    for change in changes:
        Timeout(env, change[0], change).callbacks.append(on_roster)

    for ch in channel_list:
        ch.deadlines.act = abandon
        ch.offers.act = offer_callback
        ch.overflows.act = try_overflow

    def run_loop(sources: list[_Arrivals]) -> None:
        """Merge the channels' pending arrivals with simpy's events until both run out."""
        peek, step = env.peek, env.step
        if len(sources) == 1:  # the common case, kept tight: one pending-arrival list
            source = sources[0]
            while source.index < len(source.times) or source.refill():
                times, kinds, handles, patiences = (source.times, source.types, source.handles,
                                                    source.patiences)
                intervals = source.intervals
                if source.front is None:
                    for i in range(source.index, len(times)):
                        t = times[i]
                        while peek() <= t:  # events at the same moment (rosters, ends) first
                            step()
                        counted = t >= warmup
                        admit(kinds[i], t, handles[i], patiences[i], counted, intervals[i], 1,
                              counted)
                else:
                    routes, tried, ivr_s, repeat_in, redirects = (
                        source.routes, source.tried, source.ivr_seconds, source.repeat_in,
                        source.redirects)
                    for i in range(source.index, len(times)):
                        t = times[i]
                        while peek() <= t:  # events at the same moment (rosters, ends) first
                            step()
                        arrive(kinds[i], t, handles[i], patiences[i], t >= warmup, intervals[i],
                               routes[i], tried[i], ivr_s[i], repeat_in[i], redirects[i])
                source.index = len(times)
            sources = []
        while sources:
            source = min(sources, key=_Arrivals.next_time)
            t = source.next_time()
            if t >= peek():
                if t == INF:
                    break
                # no arrival before the next event: run simpy's events up to the next arrival
                while peek() <= t:  # events at the same moment (rosters, ends) first
                    step()
                continue
            # take every arrival of this channel that comes before simpy's next event and
            # no later than the other channels' next arrivals
            next_event = peek()
            other = min((s.next_time() for s in sources if s is not source), default=INF)
            times, kinds, handles, patiences = (source.times, source.types, source.handles,
                                                source.patiences)
            i, n = source.index, len(times)
            while i < n:
                t = times[i]
                if t >= next_event or t > other:
                    break
                i += 1
                source.index = i
                j = i - 1
                if source.front is None:
                    admit(kinds[j], t, handles[j], patiences[j], t >= warmup,
                          source.intervals[j], 1, t >= warmup)
                else:
                    arrive(kinds[j], t, handles[j], patiences[j], t >= warmup,
                           source.intervals[j], source.routes[j], source.tried[j],
                           source.ivr_seconds[j], source.repeat_in[j], source.redirects[j])
                next_event = peek()
            source.index = i
        while peek() < INF:
            step()

    # The loop allocates millions of short-lived objects and leaves no cyclic garbage, so the
    # cyclic collector is paused while it runs (a few per cent faster); reference counting frees
    # everything as usual.
    collecting = gc.isenabled()
    gc.disable()
    try:
        run_loop(sources)
    finally:
        if collecting:
            gc.enable()

    # ------------------------------------------------------------------ close the books
    for group in groups:  # agents still busy finish; with no one waiting, they leave
        release_finished(group, INF)
    end = max([env.now, *(g.last_change for g in groups)])
    for group in groups:
        account(group, end)
        if group.slots > 1:  # chat slots back to agents
            gt, k = group.tally, group.slots
            gt.on_floor_by_interval = [x / k for x in gt.on_floor_by_interval]
            gt.busy_by_interval = [x / k for x in gt.busy_by_interval]
            gt.overrun_seconds /= k
            group.busy_by_channel = [x / k for x in group.busy_by_channel]
        group.tally.on_floor_seconds = sum(group.tally.on_floor_by_interval)
        group.tally.busy_seconds = sum(group.tally.busy_by_interval)
        group.tally.busy_seconds_by_channel = dict(zip(channels, group.busy_by_channel, strict=True))
    for ch in channel_list:
        totals = ch.tally
        totals.arrivals = int(sum(totals.arrivals_by_interval))
        totals.customers = totals.arrivals - totals.retrials  # intents: first contacts + repeats
        totals.offered_by_interval = [
            a - b + x
            for a, b, x in zip(totals.arrivals_by_interval, totals.not_offered_by_interval,
                               totals.transfers_in_by_interval, strict=True)
        ]
        totals.offered = int(sum(totals.offered_by_interval))
        totals.answered = int(sum(totals.answered_by_interval))
        totals.abandoned = int(sum(totals.abandoned_by_interval))
        totals.answered_in_sl = int(sum(totals.answered_in_sl_by_interval))
    for ctype in types.values():
        left = sum(1 for c in ctype.queue if c.state <= CALLBACK and c.counted)
        ctype.channel.tally.left_at_end += left
    exposure = cal.exposure_seconds()
    lo = cal.first_open_interval
    return ReplicationTally(
        replication=replication,
        measured_seconds=cal.horizon_seconds - warmup,
        exposure_seconds=exposure.tolist(),
        open_intervals=list(range(lo, lo + cal.intervals_open)),
        channels={name: ch.tally for name, ch in channels.items()},
        groups={g.name: g.tally for g in groups},
        end_seconds=end,
        peak_on_floor=peak_seats,
    )
