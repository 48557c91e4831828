"""Arrivals: who comes in, when, and with what needs.

First attempts are a non-homogeneous Poisson process per channel, generated a batch at a time
by inverting the cumulative intensity (:mod:`simulator.model.calendar`), each day's intensity
times the day's busyness factor (:mod:`simulator.model.busyness`; 1 unless ``busyness_cv``).
Each contact's attributes (contact type, handle time, patience) are drawn when its batch is,
from one stream per decision, and the front door (:mod:`simulator.model.front_door`) decides
the batch's fates at once. Arrivals need no simpy events: the run loop
(:mod:`simulator.model.centre`) takes the next arrival whenever it comes before simpy's next
event.

Repeat contacts (a new intent after an unresolved one) draw their attributes here too, in
batches per contact type (:class:`Repeats`).
"""

from __future__ import annotations

from collections import deque

import numpy as np
from numpy.typing import NDArray

from simulator.model.books import ChannelTally
from simulator.model.busyness import busy_rates
from simulator.model.calendar import Calendar, arrival_rates, cumulative_intensity
from simulator.model.front_door import REMOVED, FrontDoor
from simulator.model.state import INF, ContactType
from simulator.model.trace import Trace
from simulator.spec.distributions import Distribution
from simulator.spec.schema import Scenario
from simulator.streams import contact_key, decision_stream

BATCH = 8192
IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


class Arrivals:
    """First-attempt arrivals of one channel, generated a batch at a time."""

    def __init__(self, scenario: Scenario, channel_index: int, cal: Calendar,
                 types: list[ContactType], seed: int, replication: int, tally: ChannelTally,
                 scripted: list[tuple[float, str]] | None = None) -> None:
        spec = scenario.channels[channel_index]
        front = FrontDoor(scenario, spec.name, seed, replication)
        #: given (time, contact type) arrivals instead of the Poisson process
        self._scripted = None if scripted is None else deque(sorted(scripted))
        self.front = front if front.active else None
        rates = busy_rates(arrival_rates(scenario, spec, cal), spec.busyness_cv, seed,
                           replication, cal)
        knots_t, knots_cum = cumulative_intensity(rates, cal)
        self._knots_t = knots_t
        self._knots_cum = knots_cum
        self._total = float(knots_cum[-1])
        self._cum = 0.0
        name = spec.name
        self._gap_rng = decision_stream(seed, replication, name, "arrivals")
        self._type_rng = decision_stream(seed, replication, name, "contact_type")
        self._handle_rng = decision_stream(seed, replication, name, "handle_time")
        self._patience_rng = decision_stream(seed, replication, name, "patience")
        #: the k-th first contact of the channel has key ``contact_key(name, k)``; the current
        #: batch's arrival ``i`` has ``key0 + i``
        self._origin = contact_key(name, 0)
        self._drawn = 0
        self.key0 = self._origin
        self.trace: Trace | None = None
        type_specs = [t for t in scenario.contact_types if t.channel == name]
        self._types = types
        self._handle = [t.handle_time for t in type_specs]
        self._cum_shares = np.cumsum([t.share for t in type_specs])
        self._cum_shares[-1] = 1.0
        #: per contact type: its own patience, else the channel's (None: never abandons)
        self._patience = [t.patience if t.patience is not None else spec.patience
                          for t in type_specs]
        #: the current batch, consumed from ``index`` on
        self.times: list[float] = []
        self.intervals: list[int] = []  # slot of the week of each arrival
        self._interval_seconds = float(cal.interval_seconds)
        self._slots = cal.slots
        self._slot_shift = cal.slot_shift
        self._warmup = cal.warmup_seconds
        self._tally = tally
        self.types: list[ContactType] = []
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
        patience = patiences(self._patience, kinds, self._patience_rng.random(n))
        if self.front is not None:
            fate = self.front.decide(kinds, handle, patience)
            handle, patience = fate.handle, fate.patience
            self.routes = fate.route.tolist()
            self.tried = fate.tried_self_service.tolist()
            self.ivr_seconds = fate.ivr_seconds.tolist()
            self.repeat_in = fate.repeat_in.tolist()
            self.redirects = fate.redirect.tolist()
        intervals = ((times // self._interval_seconds + self._slot_shift) % self._slots).astype(np.int64)
        # First contacts per interval are known once drawn: counted here, not one by one.
        counted = times >= self._warmup
        if self.front is not None:
            counted &= np.asarray(self.routes) != REMOVED
        self._count_arrivals(np.bincount(intervals[counted], minlength=self._slots))
        self.times = times.tolist()
        self.intervals = intervals.tolist()
        self.types = [self._types[k] for k in kinds.tolist()]
        self.handles = handle.tolist()
        self.patiences = patience.tolist()
        self.index = 0
        self.key0 = self._origin | self._drawn
        self._drawn += n
        if self.trace is not None:
            self.trace.arrivals.extend(zip(range(self.key0, self.key0 + n), self.times,
                                           [t.name for t in self.types], self.handles,
                                           self.patiences, strict=True))
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


def patiences(dists: list[Distribution | None], kinds: IntArray, u: FloatArray) -> FloatArray:
    """Each contact's patience: the quantile ``u`` of its type's distribution (``dists[kind]``;
    None: never abandons). One uniform per contact whatever its type (common random numbers);
    one quantile call per distinct distribution, so a channel whose types share one is as before."""
    out = np.full(len(u), INF)
    first = dists[0] if dists else None
    if all(d is first for d in dists):
        return first.quantiles(u) if first is not None else out
    for k, dist in enumerate(dists):
        if dist is not None:
            mask = kinds == k
            out[mask] = dist.quantiles(u[mask])
    return out


class Repeats:
    """Attributes of one channel's repeat contacts, drawn in batches per contact type.

    A repeat is a new intent of the same type: fresh handle time and patience, and its own
    front-door fate (no demand removal: the root cause lever acts on repeats by
    ``repeats_removed``). Streams are per type, so repeats of one type never shift another's.
    The j-th repeat of a type takes the j-th draws and the key ``contact_key(<channel>:repeats:
    <type>, j)`` for its own per-contact decisions.
    """

    def __init__(self, scenario: Scenario, channel: str, seed: int, replication: int) -> None:
        spec = scenario.channel(channel)
        self._types = [t for t in scenario.contact_types if t.channel == channel]
        self._patience = [t.patience if t.patience is not None else spec.patience
                          for t in self._types]
        self._args = (scenario, channel, seed, replication)
        self._doors: dict[int, FrontDoor] = {}
        self._rngs: dict[int, np.random.Generator] = {}
        self._batches: dict[int, list[tuple[float, float, int, bool, float, float, int]]] = {}
        self._keys = [contact_key(f"{channel}:repeats:{t.name}", 0) for t in self._types]

    def next(self, kind: int) -> tuple[float, float, int, bool, float, float, int]:
        """(handle, patience, route, tried self-service, IVR seconds, repeat in, redirect)."""
        batch = self._batches.get(kind)
        if not batch:
            batch = self._refill(kind)
        return batch.pop()

    def next_key(self, kind: int) -> int:
        """The key of the next repeat of this contact type (call once per :meth:`next`)."""
        key = self._keys[kind]
        self._keys[kind] = key + 1
        return key

    def _refill(self, kind: int) -> list[tuple[float, float, int, bool, float, float, int]]:
        scenario, channel, seed, replication = self._args
        name = self._types[kind].name
        if kind not in self._doors:
            self._doors[kind] = FrontDoor(scenario, channel, seed, replication, f"repeats:{name}")
            self._rngs[kind] = decision_stream(seed, replication, channel, f"repeats:{name}",
                                               "repeat_attributes")
        n = 256
        u = self._rngs[kind].random((n, 2))
        handle = self._types[kind].handle_time.quantiles(u[:, 0])
        dist = self._patience[kind]
        patience = dist.quantiles(u[:, 1]) if dist is not None else np.full(n, INF)
        fate = self._doors[kind].decide(np.full(n, kind), handle, patience, first_contact=False)
        batch = list(zip(fate.handle.tolist(), fate.patience.tolist(), fate.route.tolist(),
                         fate.tried_self_service.tolist(), fate.ivr_seconds.tolist(),
                         fate.repeat_in.tolist(), fate.redirect.tolist(), strict=True))
        batch.reverse()  # consumed from the end, in draw order
        self._batches[kind] = batch
        return batch

