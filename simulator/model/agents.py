"""Agents: groups on the floor, service, rosters, shifts and going home.

Per group: a count on the floor, a deque of idle agents' idle-since times and a heap of busy
agents' end-of-handling times. An agent whose handling has ended is freed lazily, in time
order, the next time the group is looked at; that is exact because nobody was waiting for it.
While a contact *is* waiting, its groups hold a wake-up event at their earliest end of
handling, and the freed agent takes the oldest waiting contact it can serve.

At each interval boundary where a group's on-floor target changes, agents join (and pull
waiting work) or leave: idle ones at once, busy ones when they finish. After the centre
closes, agents on the floor stay until no contact they can serve is waiting.
"""

from __future__ import annotations

import math
from heapq import heappop, heappush
from typing import cast

import numpy as np
from simpy.events import Timeout

from simulator.model.calendar import Calendar, on_floor_agents, rostered_agents
from simulator.model.queues import has_work, next_contact
from simulator.model.state import CALLBACK, INF, SERVED, Centre, ContactType, Group

#: a roster change: (at, is the centre closed from then, agents on the floor per group)
Change = tuple[float, bool, list[int]]


# ---------------------------------------------------------------------------- time accounting
def add_span(s: Centre, values: list[float], t0: float, t1: float, weight: float) -> None:
    """Add ``weight`` × the part of [t0, t1) in [warm-up, horizon], split by slot of the week."""
    if t0 < s.warmup:
        t0 = s.warmup
    if t1 > s.horizon:  # (the measured window ends at the horizon, not after the drain)
        t1 = s.horizon
    if t1 <= t0:
        return
    interval_s, slots, shift = s.interval_s, s.slots, s.slot_shift
    i0 = int(t0 // interval_s)
    i1 = int(t1 // interval_s)
    if i0 == i1:
        values[(i0 + shift) % slots] += weight * (t1 - t0)
        return
    values[(i0 + shift) % slots] += weight * ((i0 + 1) * interval_s - t0)
    for i in range(i0 + 1, i1):
        values[(i + shift) % slots] += weight * interval_s
    values[(i1 + shift) % slots] += weight * (t1 - i1 * interval_s)


def account(s: Centre, group: Group, now: float) -> None:
    """Book on-floor and overrun time since the group's last change."""
    t0 = group.last_change
    if now > t0 and group.on_floor:
        add_span(s, group.tally.on_floor_by_interval, t0, now, group.on_floor)
        excess = group.on_floor - group.target
        if excess > 0:
            start, stop = max(t0, s.warmup), min(now, s.horizon)  # (the measured window)
            if stop > start:
                group.tally.overrun_seconds += excess * (stop - start)
    group.last_change = now


# ---------------------------------------------------------------------------- service
def start_service(s: Centre, ctype: ContactType, arrival: float, handle: float, counted: bool,
                  customer: bool, interval: int, group: Group, now: float, key: int,
                  repeat_in: float = INF) -> None:
    """An agent of ``group`` takes the contact at ``now`` and is busy for ``handle`` seconds.

    ``counted=False`` occupies the agent without counting an answer (see ``callbacks.dial``).
    """
    ch = ctype.channel
    end = now + handle
    if s.trace is not None:
        s.trace.served.append((key, group.name, now, ctype.name))
    if counted:
        t = ch.tally
        wait = now - arrival
        t.wait_answered_seconds += wait
        t.handle_seconds += handle
        t.handle_by_interval[interval] += handle
        t.answered_by_interval[interval] += 1
        t.wait_answered_by_interval[interval] += wait
        in_sl = wait <= ch.sl_seconds
        if in_sl:
            t.answered_in_sl_by_interval[interval] += 1
        if ch.typed:  # (one type: its books are the channel's, copied at the end)
            tt = ctype.tally
            tt.answered += 1
            tt.wait_answered_seconds += wait
            tt.handle_seconds += handle
            tt.answered_in_sl += in_sl
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
        s.transfer(s, ctype, end, counted, key)  # transfers.transfer
    if repeat_in < INF:
        s.repeat_later(s, ctype, end, counted, repeat_in, key)  # returns.repeat_later
    warmup, horizon = s.warmup, s.horizon
    if end > warmup and now < horizon:  # busy time in [warmup, horizon] only
        if now >= warmup and end <= horizon:
            interval_s = s.interval_s
            i0 = int(now // interval_s)
            if i0 == int(end // interval_s):
                group.tally.busy_by_interval[(i0 + s.slot_shift) % s.slots] += handle
            else:
                add_span(s, group.tally.busy_by_interval, now, end, 1.0)
            group.busy_by_channel[ch.index] += handle
        else:
            add_span(s, group.tally.busy_by_interval, now, end, 1.0)
            group.busy_by_channel[ch.index] += min(end, horizon) - max(now, warmup)
    heappush(group.busy, (end, ch.index))


def agent_free(s: Centre, group: Group, now: float) -> None:
    """An agent of ``group`` finished at ``now``: next contact, idle, or off shift."""
    if group.on_floor > group.target and (not s.closed or not still_expected(s, group)):
        account(s, group, now)  # off shift (or the centre has closed and no one is left)
        group.on_floor -= 1
    elif has_work(group) and (c := next_contact(s, group, now)) is not None:
        if c.state == CALLBACK:
            s.dial(s, c, group, now)  # callbacks.dial
        else:
            c.state = SERVED
            handle = adjusted(c.handle, group, c.type) if group.adjust else c.handle
            start_service(s, c.type, c.arrival, handle, c.counted, c.customer, c.interval,
                          group, now, c.key, c.repeat_in)
    else:
        group.idle.append(now)


def adjusted(handle: float, group: Group, ctype: ContactType) -> float:
    """The handle time with this group: its proficiency, and for chat the stretch of
    carrying several at once (its agents' average concurrency once this one starts)."""
    if group.speed is not None:
        handle *= group.speed[ctype.index]
    if group.slots > 1 and group.stretch:
        busy = group.on_floor - len(group.idle)  # slots in use, this one included
        agents_on_floor = group.on_floor / group.slots
        concurrent = (min(group.slots, math.ceil(busy / agents_on_floor - 1e-9))
                      if agents_on_floor else 1)
        handle *= 1 + group.stretch * (concurrent - 1)
    return handle


def release_finished(s: Centre, group: Group, now: float) -> None:
    """Free, in time order, every agent of ``group`` whose handling ended by ``now``.

    Ends of handling are not simpy events: while no contact waits for a group, its agents
    are freed lazily, when a contact arrives or the roster changes. Freed in time order, they
    join the idle deque in the order they became idle (so longest-idle stays exact). While a
    contact waits, the group has a wake-up event at its earliest end (see ``schedule_wake``).
    """
    busy = group.busy
    channel_list = s.channel_list
    while busy and busy[0][0] <= now:
        end, channel_index = heappop(busy)
        channel_list[channel_index].in_system -= 1
        agent_free(s, group, end)


def schedule_wake(s: Centre, group: Group) -> None:
    """Wake ``group`` when its first busy agent finishes (a contact is waiting for it)."""
    group.wake_at = group.busy[0][0]
    env = s.env
    Timeout(env, group.wake_at - env.now, (s, group)).callbacks.append(on_wake)


def on_wake(event: Timeout) -> None:
    s, group = cast(tuple[Centre, Group], event.value)
    now = s.env.now
    if group.wake_at <= now:
        group.wake_at = INF
    release_finished(s, group, now)
    if group.busy and group.busy[0][0] < group.wake_at and has_work(group):
        schedule_wake(s, group)


# ---------------------------------------------------------------------------- shifts
def still_expected(s: Centre, group: Group) -> bool:
    """After closing: is a live contact this group serves waiting, or still in the IVR?
    (Deferred work waits for the next opening, except at the end of the run.)"""
    types = group.types if s.final else group.live_types
    return any(t.live for t in types) or any(ch.in_ivr for ch in group.channels)


def go_home(s: Centre, group: Group, now: float) -> None:
    """Idle agents beyond the roster leave, unless (after closing) contacts are expected."""
    if s.closed and still_expected(s, group):
        return
    while group.on_floor > group.target and group.idle:
        group.idle.pop()
        account(s, group, now)
        group.on_floor -= 1


def roster_changes(s: Centre, cal: Calendar) -> tuple[list[Change], int]:
    """The moments when the groups' on-floor targets (or opening) change, and the peak seats.

    Also books each group's rostered seconds and peak on the floor (after the warm-up).
    """
    scenario, interval_s, warmup = s.scenario, s.interval_s, s.warmup
    open_mask = cal.open_mask()
    targets = []
    for gs, group in zip(scenario.agent_groups, s.groups, strict=True):
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
    changes: list[Change] = []
    previous: tuple[bool, list[int]] | None = None
    for i in range(cal.n_intervals):
        state = (not bool(open_mask[i]), [int(t[i]) for t in targets])
        if state != previous:
            changes.append((i * interval_s, state[0], state[1]))
            previous = state
    changes.append((cal.horizon_seconds, True, [0] * len(s.groups)))
    return changes, peak_seats


def set_rosters(s: Centre, now: float, is_closed: bool, new_targets: list[int]) -> None:
    """The roster changes at ``now``: agents join (and take waiting work) or leave."""
    s.closed = is_closed
    s.final = is_closed and now >= s.last_close  # the last close: drain deferred work too
    for group, agents_on_floor in zip(s.groups, new_targets, strict=True):
        target = agents_on_floor * group.slots
        release_finished(s, group, now)
        account(s, group, now)
        group.target = target
        while group.on_floor < target:  # a new agent takes waiting work or goes idle
            group.on_floor += 1
            agent_free(s, group, now)
        go_home(s, group, now)
        if group.busy and group.busy[0][0] < group.wake_at and has_work(group):
            schedule_wake(s, group)


def on_roster(event: Timeout) -> None:
    s, (now, is_closed, new_targets) = cast(tuple[Centre, Change], event.value)
    set_rosters(s, now, is_closed, new_targets)


def schedule_rosters(s: Centre, changes: list[Change]) -> None:
    for change in changes:
        Timeout(s.env, change[0], (s, change)).callbacks.append(on_roster)


# ---------------------------------------------------------------------------- the books
def close_books(s: Centre) -> float:
    """Agents still busy finish (with no one waiting, they leave); book every group's time.
    Returns the moment the last agent left."""
    groups = s.groups
    for group in groups:
        release_finished(s, group, INF)
    end = max([s.env.now, *(g.last_change for g in groups)])
    for group in groups:
        account(s, group, end)
        if group.slots > 1:  # chat slots back to agents
            gt, k = group.tally, group.slots
            gt.on_floor_by_interval = [x / k for x in gt.on_floor_by_interval]
            gt.busy_by_interval = [x / k for x in gt.busy_by_interval]
            gt.overrun_seconds /= k
            group.busy_by_channel = [x / k for x in group.busy_by_channel]
        group.tally.on_floor_seconds = sum(group.tally.on_floor_by_interval)
        group.tally.busy_seconds = sum(group.tally.busy_by_interval)
        group.tally.busy_seconds_by_channel = dict(zip(s.channels, group.busy_by_channel,
                                                       strict=True))
    return end
