"""Call backs (virtual hold): offer, accept, dial, redial.

On a channel with the callback lever, a caller is offered a call back when the quoted wait is
over ``offer_expected_wait_seconds`` (on arrival) or once they have waited
``offer_after_wait_seconds``. One who accepts leaves the line but keeps their place in the
queue; when an agent reaches them, the agent dials: a connect time, then the call if the
customer answers, else a redial after ``retry_delay``, up to ``max_attempts`` dials.

Each decision has its own per-contact stream (:class:`simulator.streams.KeyedDraws`), addressed
by the caller's key and the offer (on arrival or after the wait, per attempt) or the dial: the
same caller accepts, is reached and waits for a redial alike in every scenario with the seed.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from simpy.events import Timeout

from simulator.model.agents import adjusted, start_service
from simulator.model.queues import set_alarm
from simulator.model.routing import longest_idle, queue_contact
from simulator.model.state import ABANDONED, CALLBACK, INF, SERVED, WAITING, Centre, Channel, Contact, Group
from simulator.spec.levers import CallbackSpec

DIALS = 32  # per-dial draws are numbered DIALS × (attempt − 1) + dial (max_attempts ≤ 20)


def set_up(s: Centre, ch: Channel, seed: int, replication: int) -> None:
    """Give ``ch`` the callback lever and the mean handle time it quotes with."""
    scenario = s.scenario
    ch.callback = scenario.callback
    shares = [(t.share, t.handle_time.mean) for t in scenario.contact_types
              if t.channel == ch.name]
    ch.mean_handle = sum(w * m for w, m in shares)


def queue_with_callback(s: Centre, c: Contact, now: float, cb: CallbackSpec) -> None:
    """Queue a caller on a channel that offers call backs (on arrival, or after a wait)."""
    ch = c.type.channel
    if (cb.offer_expected_wait_seconds is not None
            and expected_wait(ch) > cb.offer_expected_wait_seconds):
        offer_callback(s, c, now)
    queue_contact(s, c, now)
    if c.state == WAITING:
        if c.patience < INF:
            set_alarm(s, ch.deadlines, now + c.patience, c)
        if cb.offer_after_wait_seconds is not None:
            set_alarm(s, ch.offers, now + cb.offer_after_wait_seconds, c)


def expected_wait(ch: Channel) -> float:
    """What the ACD would quote a new caller: (callers ahead + 1) × AHT / agents on the floor."""
    agents_on_floor = sum(g.on_floor for g in ch.groups)
    return (ch.queue_length + 1) * ch.mean_handle / agents_on_floor if agents_on_floor else INF


def offer_callback(s: Centre, c: Contact, now: float, after_wait: int = 0) -> None:
    """Offer a call back to a waiting caller; if accepted, they leave the line, keep the place.

    ``after_wait``: 0 for the offer on arrival, 1 for the one after the wait (each its own
    draw, per attempt)."""
    ch = c.type.channel
    cb = ch.callback
    assert cb is not None
    if c.counted:
        ch.tally.callback_offers += 1
    if ch.draws.u("callback_accept", c.key, 2 * (c.attempt - 1) + after_wait) >= cb.accept_share:
        return
    c.state = CALLBACK
    c.dials = 0
    ch.in_system -= 1
    if c.counted:
        ch.tally.callbacks += 1
        ch.tally.line_seconds += now - c.arrival  # on the line until accepting


def offer_after_wait(s: Centre, c: Contact, now: float) -> None:
    """The caller has waited ``offer_after_wait_seconds``: offer a call back (again)."""
    offer_callback(s, c, now, 1)


def dial(s: Centre, c: Contact, group: Group, now: float) -> None:
    """An agent calls a customer back: connect time, then the call if they answer."""
    ch = c.type.channel
    cb, draws, key = ch.callback, ch.draws, c.key
    assert cb is not None
    use = DIALS * (c.attempt - 1) + c.dials  # this dial of this attempt
    connect = float(cb.connect_time.quantiles(np.array([draws.u("callback_connect", key, use)]))[0])
    reached = draws.u("callback_reach", key, use) < cb.reached_share
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
            t.handle_by_interval[c.interval] += handle
            t.answered_by_interval[c.interval] += 1
            t.wait_answered_by_interval[c.interval] += wait
            in_sl = wait <= ch.sl_seconds
            if in_sl:
                t.answered_in_sl_by_interval[c.interval] += 1
            if ch.typed:
                tt = c.type.tally
                tt.answered += 1
                tt.wait_answered_seconds += wait
                tt.handle_seconds += handle
                tt.answered_in_sl += in_sl
            t.outbound_seconds += connect + max(handle - c.type.acw, 0.0)
            group.tally.answered += 1
            if c.customer:
                t.customers_served += 1
            if c.repeat_in < INF:
                t.unresolved += 1
        # occupy the agent for connect + handle; the repeat (if any) follows the call
        start_service(s, c.type, c.arrival, connect + handle, False, False, c.interval,
                      group, now, key, c.repeat_in)
        return
    # not reached: the agent was busy for the connect time only
    if c.counted:
        ch.tally.outbound_seconds += connect
    start_service(s, c.type, c.arrival, connect, False, False, c.interval, group, now, key)
    delay = float(cb.retry_delay.quantiles(
        np.array([draws.u("callback_redial_delay", key, use)]))[0])
    again = s.when_open(now + connect + delay)
    if c.dials < cb.max_attempts and again < INF:
        env = s.env
        Timeout(env, again - env.now, (s, c)).callbacks.append(on_redial)
        return
    c.state = ABANDONED
    if c.counted:
        ch.tally.callbacks_lost += 1
    if c.customer:
        ch.tally.customers_lost += 1


def on_redial(event: Timeout) -> None:
    """Time to try a call back again: an idle agent dials now, or it queues at the end."""
    s, c = cast(tuple[Centre, Contact], event.value)
    now = s.env.now
    group = longest_idle(s, c.type.groups, now)
    if group is not None:
        group.idle.popleft()
        dial(s, c, group, now)
    else:
        queue_contact(s, c, now)
