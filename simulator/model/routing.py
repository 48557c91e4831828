"""Routing: which agent takes a contact, and when.

An arriving contact goes to the longest-idle agent among the groups that may take it at once
(or, with ``agent_selection = "most_proficient"``, the most proficient idle group first). If no
agent is idle it waits in its queue (:mod:`simulator.model.queues`); an overflow group may take
it once it has waited that group's ``after_seconds``. A freed agent takes the highest-priority,
then oldest, contact it may serve (:func:`simulator.model.queues.next_contact`). A group's
proficiency and chat concurrency change the handle time
(:func:`simulator.model.agents.adjusted`).
"""

from __future__ import annotations

from heapq import heappop

from simulator.model.agents import (
    adjusted,
    agent_free,
    release_finished,
    schedule_wake,
    start_service,
)
from simulator.model.queues import has_work, queue_moves, set_alarm
from simulator.model.state import INF, WAITING, Centre, Channel, Contact, ContactType, Group


def admit(s: Centre, ctype: ContactType, now: float, handle: float, patience: float,
          counted: bool, interval: int, attempt: int, customer: bool, key: int,
          repeat_in: float = INF, door: bool = True) -> None:
    """A call reaches the door (busy signal?) and the ACD: an agent, or the queue.

    ``door=False``: the contact is already in (it comes from the IVR), go straight to the ACD.
    """
    ch = ctype.channel
    t = ch.tally
    if door:
        if attempt > 1 and counted:  # (first contacts are counted when drawn)
            t.arrivals_by_interval[interval] += 1
            t.retrials += 1
        if ch.lines is not None and line_busy(s, ch, now):
            if counted:
                t.blocked += 1
                t.not_offered_by_interval[interval] += 1
            c = Contact(ctype, now, handle, patience, counted, interval, attempt, customer, key)
            c.repeat_in = repeat_in
            s.give_up(s, c, now)  # returns.give_up
            return
        ch.in_system += 1
    if counted and ch.typed:  # offered: it reached the ACD (the channel's arrivals − not
        ctype.tally.offered += 1  # offered + transfers in; one type: copied at the end)
    # the longest-idle agent among the groups with this skill
    groups = ctype.groups
    best: Group | None = None
    if len(groups) == 1:
        only = groups[0]
        busy = only.busy
        if busy and busy[0][0] <= now:
            # (not for stretched chat: the stretch counts chats in progress, so every
            # finished chat is freed first, below — not only the one this shortcut frees)
            if (not only.idle and only.on_floor <= only.target and not has_work(only)
                    and not (only.slots > 1 and only.stretch)):
                # Nobody is idle, but the first agent to finish (nobody waited for them) is
                # the longest idle: they take this contact straight away.
                s.channel_list[heappop(busy)[1]].in_system -= 1
                if only.adjust:
                    handle = adjusted(handle, only, ctype)
                start_service(s, ctype, now, handle, counted, customer, interval, only, now, key,
                              repeat_in)
                return
            release_finished(s, only, now)
        if only.idle:
            best = only
    elif s.most_proficient:
        best = fastest_idle(s, groups, ctype, now)
    else:
        best = longest_idle(s, groups, now)
    if best is not None:
        best.idle.popleft()
        if best.adjust:
            handle = adjusted(handle, best, ctype)
        start_service(s, ctype, now, handle, counted, customer, interval, best, now, key,
                      repeat_in)
        return
    if counted:
        t.queued += 1
    c = Contact(ctype, now, handle, patience, counted, interval, attempt, customer, key)
    c.repeat_in = repeat_in
    if ch.callback is not None:
        s.queue_with_callback(s, c, now, ch.callback)  # callbacks.queue_with_callback
        return
    wait_in_queue(s, c, ctype, now)


def wait_in_queue(s: Centre, c: Contact, ctype: ContactType, now: float) -> None:
    """``c`` found no idle agent: it joins its queue on the line, with its patience running,
    and the groups that may take it (at once, or after a wait) are told."""
    ch = ctype.channel
    ctype.queue.append(c)
    ctype.live += 1
    queue_moves(s, ch, now, 1)
    if c.patience < INF:
        set_alarm(s, ch.deadlines, now + c.patience, c)
    for group in ctype.groups:
        if group.busy and group.busy[0][0] < group.wake_at:
            schedule_wake(s, group)
    if ctype.overflow:
        for _, wait in ctype.overflow:
            set_alarm(s, ch.overflows, now + wait, c)


def queue_contact(s: Centre, c: Contact, now: float) -> None:
    """Put a contact at the back of its type's queue and wake the groups that serve it."""
    ctype = c.type
    ctype.queue.append(c)
    ctype.live += 1
    queue_moves(s, ctype.channel, now, 1)
    for group in ctype.groups:
        if group.busy and group.busy[0][0] < group.wake_at:
            schedule_wake(s, group)


def line_busy(s: Centre, ch: Channel, now: float) -> bool:
    """Are all of the channel's lines in use (IVR, queue, talk, outbound)?"""
    assert ch.lines is not None
    for group in ch.groups:
        if group.busy and group.busy[0][0] <= now:
            release_finished(s, group, now)
    return ch.in_system >= ch.lines


def longest_idle(s: Centre, groups: list[Group], now: float) -> Group | None:
    """The group whose first idle agent has been idle longest (agents that finished by
    ``now`` are freed first), or None if every agent is busy."""
    best: Group | None = None
    for group in groups:
        if group.busy and group.busy[0][0] <= now:
            release_finished(s, group, now)
        if group.idle and (best is None or group.idle[0] < best.idle[0]):
            best = group
    return best


def fastest_idle(s: Centre, groups: list[Group], ctype: ContactType, now: float) -> Group | None:
    """Among groups with an idle agent, the most proficient at ``ctype`` (the lowest
    handle-time multiplier), then the one whose agent has been idle longest."""
    best: Group | None = None
    best_key = (INF, INF)
    for group in groups:
        if group.busy and group.busy[0][0] <= now:
            release_finished(s, group, now)
        if group.idle:
            key = (group.speed[ctype.index] if group.speed is not None else 1.0,
                   group.idle[0])
            if key < best_key:
                best, best_key = group, key
    return best


def try_overflow(s: Centre, c: Contact, now: float) -> None:
    """``c`` has waited long enough for an overflow group: an idle agent there takes the
    work it should (``c``, unless something of higher priority waits), or the group is
    woken when its next agent finishes."""
    for group, wait in c.type.overflow:
        if now - c.arrival < wait - 1e-9:
            continue
        if group.busy and group.busy[0][0] <= now:
            release_finished(s, group, now)
        if group.idle:
            group.idle.pop()  # the agent idle the shortest time comes back at once
            agent_free(s, group, now)
            if c.state != WAITING:
                return
        elif group.busy and group.busy[0][0] < group.wake_at:
            schedule_wake(s, group)
