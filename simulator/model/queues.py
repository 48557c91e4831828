"""Queues, patience and abandonment.

One FCFS queue per contact type (joined in :mod:`simulator.model.routing`, when no agent is
idle). A freed agent takes the highest-priority, then oldest, contact it may take now
(:func:`next_contact`; overflow groups only after the contact's wait). A contact whose
patience runs out abandons at that moment (a simpy event, so retrials and busy signals see the
true state) and is left in the queue as a tombstone, skipped when it reaches the head.

Moments when waiting contacts need attention (patience running out, a call-back offer, an
overflow group becoming eligible) are kept on an :class:`~simulator.model.state.Alarms` heap
per channel and purpose, with one simpy timer each.
"""

from __future__ import annotations

from heapq import heappop, heappush
from typing import cast

from simpy.events import Timeout

from simulator.model.state import (
    ABANDONED,
    INF,
    SERVED,
    WAITING,
    Alarms,
    Centre,
    Channel,
    Contact,
    ContactType,
    Group,
)


def queue_moves(s: Centre, ch: Channel, now: float, step: int) -> None:
    """Book the time-weighted queue length, then change it by ``step``."""
    warmup = s.warmup
    if now > warmup:
        since = ch.queue_changed if ch.queue_changed > warmup else warmup
        ch.tally.queue_length_seconds += ch.queue_length * (now - since)
    ch.queue_changed = now
    ch.queue_length += step


def next_contact(s: Centre, group: Group, now: float) -> Contact | None:
    """Take the contact this group should answer next off its queue: the highest priority,
    then the oldest, among those it may take now (overflow: only after their wait)."""
    if group.single is not None:  # one contact type, no waiting rule: its queue's head
        ctype = group.single
        queue = ctype.queue
        while queue[0].state >= SERVED:
            queue.popleft()
        ctype.live -= 1
        queue_moves(s, ctype.channel, now, -1)
        return queue.popleft()
    best: ContactType | None = None
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
    queue_moves(s, best.channel, now, -1)
    return best.queue.popleft()


def has_work(group: Group) -> bool:
    """Is a contact this group can serve waiting?"""
    for ctype in group.types:  # noqa: SIM110 - a plain loop: any() and its generator cost 2x here
        if ctype.live:
            return True
    return False


def abandon(s: Centre, c: Contact, now: float) -> None:
    """A caller waiting on the line runs out of patience at ``now``."""
    c.state = ABANDONED
    c.type.live -= 1
    ch = c.type.channel
    ch.in_system -= 1
    queue_moves(s, ch, now, -1)
    if c.counted:
        t = ch.tally
        t.abandoned_by_interval[c.interval] += 1
        if ch.typed:
            c.type.tally.abandoned += 1
        t.wait_abandoned_seconds += c.patience
        if ch.voice:
            t.line_seconds += c.patience
    s.give_up(s, c, now)  # returns.give_up


def set_alarm(s: Centre, alarms: Alarms, at: float, c: Contact) -> None:
    """Act on ``c`` at ``at`` if it is still waiting on the line then."""
    alarms.count += 1
    heappush(alarms.heap, (at, alarms.count, c))
    if at < alarms.timer_at:
        alarms.timer_at = at
        env = s.env
        Timeout(env, at - env.now, (s, alarms)).callbacks.append(on_alarm)


def on_alarm(event: Timeout) -> None:
    """Act on every contact still waiting whose moment has come; re-arm on the next one."""
    s, alarms = cast(tuple[Centre, Alarms], event.value)
    now = s.env.now
    if alarms.timer_at <= now:
        alarms.timer_at = INF
    heap = alarms.heap
    act = alarms.act
    assert act is not None
    while heap and (heap[0][0] <= now or heap[0][2].state != WAITING):
        at, _, c = heappop(heap)
        if c.state == WAITING:
            act(s, c, at)
    if heap and heap[0][0] < alarms.timer_at:
        alarms.timer_at = heap[0][0]
        Timeout(s.env, alarms.timer_at - now, (s, alarms)).callbacks.append(on_alarm)
