"""One replication of a contact centre in simpy: build the centre, run the loop, close the books.

How the model runs
------------------
simpy's event queue holds only what must happen at a given moment: abandonments, retrials,
roster changes and "wake-ups". Everything else is bookkeeping between events, which is what makes
the engine several times faster than a process-per-call model (``benchmarks/``). Each mechanism
has its own module, all functions of the one state object (:class:`~simulator.model.state.Centre`):

* :mod:`~simulator.model.arrivals` — first attempts (NHPP batches) and repeats' attributes; they
  need no simpy events: the run loop below takes the next arrival whenever it comes before
  simpy's next event (``env.peek``);
* :mod:`~simulator.model.front_door` — root cause, self-service, IVR (decided per batch);
* :mod:`~simulator.model.routing` — the door and the ACD: which agent, overflow, priorities;
* :mod:`~simulator.model.queues` — queues, patience and abandonment;
* :mod:`~simulator.model.agents` — service, groups on the floor, rosters, going home;
* :mod:`~simulator.model.callbacks` — offer, accept, dial, redial;
* :mod:`~simulator.model.transfers` — on to another type's queue after handling;
* :mod:`~simulator.model.returns` — retrials and repeats;
* :mod:`~simulator.model.books` — the tallies.

All times are in seconds. ``now`` passed between functions may run ahead of ``env.now`` while
arrivals are taken between simpy events, so events are always scheduled at an absolute time
(``Timeout(env, at - env.now)``).
"""

from __future__ import annotations

import gc

from simulator.model import agents, callbacks, front_door, queues, returns, routing, transfers
from simulator.model.arrivals import Arrivals, Repeats
from simulator.model.books import ChannelTally, GroupTally, ReplicationTally
from simulator.model.calendar import Calendar
from simulator.model.state import CALLBACK, INF, Centre, Channel, ContactType, Group
from simulator.model.trace import Trace
from simulator.spec.schema import Scenario
from simulator.streams import KeyedDraws


def simulate(scenario: Scenario, replication: int,
             scripted: dict[str, list[tuple[float, str]]] | None = None,
             trace: Trace | None = None) -> ReplicationTally:
    """Run one replication of ``scenario`` and return what it measured.

    ``scripted`` replaces a channel's Poisson arrivals by given ``(time in seconds, contact
    type)`` pairs — for hand-checked timelines in tests, or to replay an observed day. Every
    other attribute still comes from the scenario's distributions and streams.

    ``trace`` (a test hook, off by default) collects per-contact records (:mod:`.trace`).
    """
    cal = Calendar.of(scenario)
    s = build(scenario, replication, cal, scripted)
    if trace is not None:
        s.trace = trace
        for ch in s.channel_list:
            assert ch.arrivals is not None
            ch.arrivals.trace = trace
            ch.draws.log = trace.draws.setdefault(ch.name, [])
    changes, peak_seats = agents.roster_changes(s, cal)
    agents.schedule_rosters(s, changes)
    sources: list[Arrivals] = [ch.arrivals for ch in s.channel_list if ch.arrivals]
    # The loop allocates millions of short-lived objects and leaves no cyclic garbage, so the
    # cyclic collector is paused while it runs (a few per cent faster); reference counting frees
    # everything as usual.
    collecting = gc.isenabled()
    gc.disable()
    try:
        run_loop(s, sources)
    finally:
        if collecting:
            gc.enable()
    end = agents.close_books(s)
    close_channel_books(s)
    return ReplicationTally(
        replication=replication,
        measured_seconds=cal.horizon_seconds - s.warmup,
        intervals_per_day=cal.intervals_per_day,
        exposure_seconds=cal.exposure_seconds().tolist(),
        open_slots=cal.open_slots(),
        channels={name: ch.tally for name, ch in s.channels.items()},
        groups={g.name: g.tally for g in s.groups},
        contact_types={t.name: t.tally for t in s.type_list},
        end_seconds=end,
        peak_on_floor=peak_seats,
    )


# ---------------------------------------------------------------------------- build
def build(scenario: Scenario, replication: int, cal: Calendar,
          scripted: dict[str, list[tuple[float, str]]] | None) -> Centre:
    """The centre of one replication, ready to run: entities, streams and rules."""
    seed = scenario.run.seed
    starts, ends = cal.open_windows()
    s = Centre(scenario, cal.warmup_seconds, cal.horizon_seconds, float(cal.interval_seconds),
               cal.slots, cal.slot_shift, starts.tolist(), ends.tolist())
    for spec in scenario.channels:
        ch = Channel(spec.name, len(s.channels), ChannelTally.empty(s.slots),
                     KeyedDraws(seed, replication, spec.name))
        ch.lines = spec.lines
        ch.sl_seconds = spec.service_level_seconds
        ch.voice = spec.channel_kind == "voice"
        ch.deferred = spec.deferred
        ch.patience = spec.patience
        if spec.response_target_hours is not None:
            ch.target_seconds = spec.response_target_hours * 3600
        s.channels[spec.name] = ch
    s.channel_list = list(s.channels.values())
    for index, ct in enumerate(scenario.contact_types):
        channel = s.channels[ct.channel]
        kind = sum(1 for t in s.types.values() if t.channel is channel)
        ctype = ContactType(ct.name, index, kind, channel, ct.after_contact_work_seconds)
        ctype.priority = scenario.priority_of(ct.name)
        if ct.patience is not None:
            ctype.patience = ct.patience
        s.types[ct.name] = ctype
    s.type_list = list(s.types.values())
    for ch in s.channel_list:
        ch.typed = sum(1 for t in s.type_list if t.channel is ch) > 1
    build_groups(s)
    returns.set_up(s)
    transfers.set_up(s)
    callback_channels = scenario.callback_channels()
    for ci, spec in enumerate(scenario.channels):
        ch = s.channels[spec.name]
        mine = [s.types[t.name] for t in scenario.contact_types if t.channel == spec.name]
        ch.arrivals = Arrivals(scenario, ci, cal, mine, seed, replication, ch.tally,
                               (scripted or {}).get(spec.name))
        if ch.arrivals.front is not None and scenario.repeat_contacts is not None:
            ch.repeats = Repeats(scenario, spec.name, seed, replication)
        if spec.name in callback_channels:
            callbacks.set_up(s, ch, seed, replication)
    s.give_up, s.transfer, s.repeat_later = returns.give_up, transfers.transfer, returns.repeat_later
    s.dial, s.queue_with_callback = callbacks.dial, callbacks.queue_with_callback
    for ch in s.channel_list:
        ch.deadlines.act = queues.abandon
        ch.offers.act = callbacks.offer_after_wait
        ch.overflows.act = routing.try_overflow
    return s


def build_groups(s: Centre) -> None:
    """The agent groups: skills, proficiency, chat slots; who may take what, and when."""
    scenario, types = s.scenario, s.types
    for gs in scenario.agent_groups:
        group_tally = GroupTally(on_floor_by_interval=[0.0] * s.slots,
                                 busy_by_interval=[0.0] * s.slots)
        group = Group(gs.name, group_tally)
        group.busy_by_channel = [0.0] * len(s.channels)
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
        s.groups.append(group)
    # who may take what, and when: overflow groups only after the contact has waited
    for ctype in types.values():
        rule = scenario.routing.contact_types.get(ctype.name)
        later = {step.group: step.after_seconds for step in rule.overflow} if rule else {}
        for group in s.groups:
            if ctype in group.types:
                wait = later.get(group.name, 0.0)
                group.entries.append((ctype, wait))
                if wait > 0:
                    ctype.overflow.append((group, wait))
                else:
                    ctype.groups.append(group)
    for group in s.groups:
        group.entries.sort(key=lambda entry: -entry[0].priority)
        if len(group.entries) == 1 and not group.entries[0][1]:
            group.single = group.entries[0][0]


# ---------------------------------------------------------------------------- run
def run_loop(s: Centre, sources: list[Arrivals]) -> None:
    """Merge the channels' pending arrivals with simpy's events until both run out."""
    env, warmup = s.env, s.warmup
    peek, step = env.peek, env.step
    admit, arrive = routing.admit, front_door.arrive
    if len(sources) == 1:  # the common case, kept tight: one pending-arrival list
        source = sources[0]
        while source.index < len(source.times) or source.refill():
            times, kinds, handles, patiences = (source.times, source.types, source.handles,
                                                source.patiences)
            intervals, key0 = source.intervals, source.key0
            if source.front is None:
                for i in range(source.index, len(times)):
                    t = times[i]
                    while peek() <= t:  # events at the same moment (rosters, ends) first
                        step()
                    counted = t >= warmup
                    admit(s, kinds[i], t, handles[i], patiences[i], counted, intervals[i], 1,
                          counted, key0 + i)
            else:
                routes, tried, ivr_s, repeat_in, redirects = (
                    source.routes, source.tried, source.ivr_seconds, source.repeat_in,
                    source.redirects)
                for i in range(source.index, len(times)):
                    t = times[i]
                    while peek() <= t:  # events at the same moment (rosters, ends) first
                        step()
                    arrive(s, kinds[i], t, handles[i], patiences[i], t >= warmup, intervals[i],
                           routes[i], tried[i], ivr_s[i], repeat_in[i], redirects[i], key0 + i)
            source.index = len(times)
        sources = []
    while sources:
        source = min(sources, key=Arrivals.next_time)
        t = source.next_time()
        if t >= peek():
            if t == INF:
                break
            # no arrival before the next event: run simpy's events up to the next arrival
            while peek() <= t:  # events at the same moment (rosters, ends) first
                step()
            continue
        take_arrivals(s, source, sources)
    while peek() < INF:
        step()


def take_arrivals(s: Centre, source: Arrivals, sources: list[Arrivals]) -> None:
    """Take every arrival of ``source`` that comes before simpy's next event and no later
    than the other channels' next arrivals."""
    peek, warmup = s.env.peek, s.warmup
    next_event = peek()
    other = min((o.next_time() for o in sources if o is not source), default=INF)
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
            routing.admit(s, kinds[j], t, handles[j], patiences[j], t >= warmup,
                          source.intervals[j], 1, t >= warmup, source.key0 + j)
        else:
            front_door.arrive(s, kinds[j], t, handles[j], patiences[j], t >= warmup,
                              source.intervals[j], source.routes[j], source.tried[j],
                              source.ivr_seconds[j], source.repeat_in[j], source.redirects[j],
                              source.key0 + j)
        next_event = peek()
    source.index = i


# ---------------------------------------------------------------------------- close the books
def close_channel_books(s: Centre) -> None:
    """Sum the channels' per-interval counts into totals; count who was left waiting."""
    for ch in s.channel_list:
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
    for ctype in s.types.values():
        left = sum(1 for c in ctype.queue if c.state <= CALLBACK and c.counted)
        ctype.channel.tally.left_at_end += left
        if not ctype.channel.typed:  # the channel's only type: its books are the channel's
            t, mine = ctype.channel.tally, ctype.tally
            mine.offered, mine.answered, mine.abandoned = t.offered, t.answered, t.abandoned
            mine.answered_in_sl = t.answered_in_sl
            mine.wait_answered_seconds, mine.handle_seconds = (t.wait_answered_seconds,
                                                               t.handle_seconds)
