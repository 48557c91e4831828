"""The front of the contact journey: decided for a whole batch of intents at once (numpy), then
carried out one contact at a time in the engine (:func:`arrive`).

For each intent of a channel :class:`FrontDoor` decides, in SPEC §2 order:

1. **root cause** — removed at source (the root-cause lever's ``demand_removed``);
2. **self-service** — tried or not; if tried, deflected or on to the channel (more impatient and
   slower to handle, by the channel's factors);
3. **IVR** (voice) — time in the menus; hung up; contained (plus containment time); or verified
   (plus verification time; the agent saves the type's seconds);
4. **resolution** — whether the contact, once handled, will come back as a repeat (first-contact
   resolution and the root-cause lever's ``repeats_removed``), and after what delay.

Every decision draws a fixed number of uniforms per intent from its own stream whatever the
outcome, so intent *k* gets the same draws in any scenario with the same seed: the same
customer succeeds in self-service, is contained, or needs a repeat in both (common random
numbers), and changing one lever never shifts another's draws.

:func:`arrive` then walks each intent through what was decided: removed, deflected, redirected
to another channel (:func:`turn_to`), a busy signal, the IVR (:func:`on_ivr_end`), the ACD.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
from numpy.typing import NDArray
from simpy.events import Timeout

from simulator.model.agents import go_home
from simulator.model.routing import admit, line_busy
from simulator.model.state import Centre, Channel, Contact, ContactType
from simulator.model.transfers import target_handle
from simulator.spec.schema import Scenario
from simulator.streams import decision_stream

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

QUEUE, DEFLECTED, CONTAINED, HUNG_UP, REMOVED, REDIRECTED = 0, 1, 2, 3, 4, 5
INF = float("inf")


@dataclass
class Decisions:
    """The fate of a batch of intents, one entry each."""

    route: IntArray  # QUEUE, DEFLECTED, CONTAINED, HUNG_UP, REMOVED or REDIRECTED
    redirect: IntArray  # REDIRECTED: the contact type (index among all) it turns to; else -1
    tried_self_service: NDArray[np.bool_]
    ivr_seconds: FloatArray  # 0 where there is no IVR
    handle: FloatArray  # after self-service failure and IVR verification
    patience: FloatArray  # after self-service failure
    repeat_in: FloatArray  # seconds from the end of handling to the repeat; inf: resolved


class FrontDoor:
    """Front-of-journey decisions for one channel of a scenario and replication."""

    def __init__(self, scenario: Scenario, channel: str, seed: int, replication: int,
                 stream: str = "") -> None:
        """``stream`` distinguishes sources of intents (first contacts, repeats of a type)."""
        types = [t for t in scenario.contact_types if t.channel == channel]
        names = [t.name for t in types]
        n_types = len(types)

        def rng(decision: str) -> np.random.Generator:
            return decision_stream(seed, replication, channel, stream, decision)

        self._rngs = {d: rng(d) for d in ("root_cause", "self_service", "ivr", "resolution")}

        root = np.zeros(n_types)
        fcr = np.ones(n_types)
        repeats_removed = np.zeros(n_types)
        self._repeat_delay = None
        rc = scenario.repeat_contacts
        if rc is not None:
            self._repeat_delay = rc.delay
            for k, name in enumerate(names):
                spec = rc.contact_types.get(name)
                fcr[k] = rc.fcr_of(name)
                if spec is not None:
                    root[k] = spec.demand_removed
                    repeats_removed[k] = spec.repeats_removed
        self._demand_removed, self._fcr, self._repeats_removed = root, fcr, repeats_removed

        ss = scenario.self_service.get(channel)
        self._ss_try = ss.try_share if ss else 0.0
        self._ss_success = np.array([ss.success_of(n) if ss else 0.0 for n in names])
        self._ss_patience = ss.patience_factor if ss else 1.0
        self._ss_handle = ss.handle_time_factor if ss else 1.0
        all_types = [t.name for t in scenario.contact_types]
        self._redirect = [(share, all_types.index(name))
                          for name, share in (ss.failure_as.items() if ss else ())]

        ivr = scenario.ivr if channel in scenario.ivr_channels() else None
        self._ivr = ivr
        if ivr is not None:
            specs = [ivr.contact_types.get(n) for n in names]
            self._contain = np.array([s.containment_share if s else 0.0 for s in specs])
            self._contain_time = [s.containment_time if s else None for s in specs]
            self._saves = np.array([s.verification_saves_seconds if s else 0.0 for s in specs])

        #: does any lever act on this channel? (if not, the engine skips the front door)
        self.active = rc is not None or ss is not None or ivr is not None

    def decide(self, kinds: IntArray, handle: FloatArray, patience: FloatArray,
               first_contact: bool = True) -> Decisions:
        """Decide the fate of ``len(kinds)`` intents of the given contact types."""
        n = len(kinds)
        route = np.full(n, QUEUE, dtype=np.int64)
        handle = handle.copy()
        patience = patience.copy()

        # 1. root cause: demand removed at source (first contacts only)
        u = self._rngs["root_cause"].random(n)
        if first_contact:
            route[u < self._demand_removed[kinds]] = REMOVED

        # 2. self-service: three uniforms (try, succeed, turn to another channel on failure)
        u = self._rngs["self_service"].random((n, 3))
        tried = (u[:, 0] < self._ss_try) & (route == QUEUE)
        deflected = tried & (u[:, 1] < self._ss_success[kinds])
        route[deflected] = DEFLECTED
        failed = tried & ~deflected
        redirect = np.full(n, -1, dtype=np.int64)
        low = 0.0
        for share, target in self._redirect:
            turned = failed & (u[:, 2] >= low) & (u[:, 2] < low + share)
            route[turned] = REDIRECTED
            redirect[turned] = target
            low += share
        failed &= route == QUEUE
        handle[failed] *= self._ss_handle
        patience[failed] *= self._ss_patience

        # 3. IVR: six uniforms (menu time, hang-up, contained, verified, their two extra times)
        ivr_seconds = np.zeros(n)
        u = self._rngs["ivr"].random((n, 6))
        if self._ivr is not None:
            ivr = self._ivr
            live = route == QUEUE
            ivr_seconds[live] = ivr.menu_time.quantiles(u[live, 0])
            hung = live & (u[:, 1] < ivr.hangup_share)
            route[hung] = HUNG_UP
            contained = live & ~hung & (u[:, 2] < self._contain[kinds])
            route[contained] = CONTAINED
            for k, dist in enumerate(self._contain_time):
                mask = contained & (kinds == k)
                if dist is not None and mask.any():
                    ivr_seconds[mask] += dist.quantiles(u[mask, 4])
            if ivr.verification is not None:
                through = route == QUEUE
                ivr_seconds[through] += ivr.verification.time.quantiles(u[through, 5])
                verified = through & (u[:, 3] < ivr.verification.success_share)
                handle[verified] = np.maximum(handle[verified] - self._saves[kinds[verified]], 0.0)

        # 4. resolution: three uniforms (resolved first time, repeat removed, delay)
        repeat_in = np.full(n, INF)
        u = self._rngs["resolution"].random((n, 3))
        if self._repeat_delay is not None:
            repeat = (u[:, 0] >= self._fcr[kinds]) & (u[:, 1] >= self._repeats_removed[kinds])
            repeat_in[repeat] = self._repeat_delay.quantiles(u[repeat, 2])
        return Decisions(route, redirect, tried, ivr_seconds, handle, patience, repeat_in)


# ---------------------------------------------------------------------------- in the engine
def arrive(s: Centre, ctype: ContactType, now: float, handle: float, patience: float,
           counted: bool, interval: int, route: int, tried: bool, ivr_seconds: float,
           repeat_in: float, redirect: int, key: int, repeat: bool = False) -> None:
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
        turn_to(s, s.type_list[redirect], now, ch, key)
        return
    if ch.lines is not None and line_busy(s, ch, now):
        if counted:
            t.blocked += 1
            t.not_offered_by_interval[interval] += 1
        c = Contact(ctype, now, handle, patience, counted, interval, 1, counted, key)
        c.repeat_in = repeat_in
        s.give_up(s, c, now)  # returns.give_up
        return
    ch.in_system += 1
    if ivr_seconds > 0:
        c = Contact(ctype, now, handle, patience, counted, interval, 1, counted, key)
        c.route, c.repeat_in = route, repeat_in
        ch.in_ivr += 1
        if counted:
            t.ivr_seconds += ivr_seconds
        env = s.env
        Timeout(env, now + ivr_seconds - env.now, (s, c)).callbacks.append(on_ivr_end)
        return
    admit(s, ctype, now, handle, patience, counted, interval, 1, counted, key, repeat_in,
          door=False)


def turn_to(s: Centre, target: ContactType, now: float, source: Channel, key: int) -> None:
    """A new contact of ``target`` (on its channel) now, with its own handle time and
    patience; it goes straight to that channel's door (no IVR) and has no repeat of its own.
    The same customer: the same key."""
    draws = source.draws
    handle = target_handle(s, target, draws.u("redirect_handle_time", key))
    patience = target.patience
    wait = INF if patience is None else float(
        patience.quantiles(np.array([draws.u("redirect_patience", key)]))[0])
    counted = now >= s.warmup
    interval = s.slot(now)
    if counted:
        target.channel.tally.arrivals_by_interval[interval] += 1
        target.channel.tally.redirected_in += 1
    admit(s, target, now, handle, wait, counted, interval, 1, counted, key)


def on_ivr_end(event: Timeout) -> None:
    """The caller leaves the IVR: contained, hung up, or on to the ACD queue."""
    s, c = cast(tuple[Centre, Contact], event.value)
    ch = c.type.channel
    ch.in_ivr -= 1
    now = s.env.now
    if c.route == QUEUE:
        admit(s, c.type, now, c.handle, c.patience, c.counted, c.interval, c.attempt,
              c.customer, c.key, c.repeat_in, door=False)
    else:
        leave_ivr(c)
    if s.closed and not ch.in_ivr:  # the last caller has left the IVR after closing
        for group in ch.groups:
            go_home(s, group, now)


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
