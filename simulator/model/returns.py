"""Customers who come back: retrials after giving up, repeats after an unresolved contact.

* **Retrials**: a share of abandoned or blocked calls tries again after a delay, with a fresh
  patience (and perhaps as another contact type, on another channel), up to ``max_attempts``
  attempts per customer. The same need: a retrial keeps its handle time and repeat fate.
* **Repeats**: a contact the front door marked unresolved comes back after its handling ends
  (plus the repeat delay) as a new intent of the same type (or another, by ``return_as``),
  with the whole journey again.

A return that would fall while the centre is closed comes during the next opening
(:meth:`simulator.model.state.Centre.when_open`).
"""

from __future__ import annotations

from typing import cast

import numpy as np
from simpy.events import Timeout

from simulator.model.front_door import arrive
from simulator.model.routing import admit
from simulator.model.state import INF, Centre, Contact, ContactType
from simulator.model.transfers import target_handle
from simulator.streams import UniformBatches, spawn_stream


def shares_to_types(s: Centre, shares: dict[str, float]) -> list[tuple[float, ContactType]]:
    out, cumulative = [], 0.0
    for name, share in shares.items():
        cumulative += share
        out.append((cumulative, s.types[name]))
    return out


def set_up(s: Centre, seed: int, replication: int) -> None:
    """The channels' retrial rules and streams; the types' repeats' ``return_as``."""
    scenario = s.scenario
    for spec in scenario.channels:
        ch = s.channels[spec.name]
        if spec.retrials is not None and spec.retrials.share > 0:
            ch.retry_share = spec.retrials.share
            ch.retry_delay = spec.retrials.delay
            ch.retry_max = spec.retrials.max_attempts
            ch.retry_rng = UniformBatches(spawn_stream(seed, replication, spec.name, "retrial"))
    for spec in scenario.channels:
        if spec.retrials is not None and spec.retrials.return_as:
            s.channels[spec.name].retry_as = shares_to_types(s, spec.retrials.return_as)
    if scenario.repeat_contacts is not None:
        for name, repeat in scenario.repeat_contacts.contact_types.items():
            if repeat.return_as:
                ctype = s.types[name]
                ctype.returns_as = shares_to_types(s, repeat.return_as)
                ctype.return_rng = UniformBatches(
                    spawn_stream(seed, replication, ctype.channel.name, name, "return_as"))


def pick(shares: list[tuple[float, ContactType]], rng: UniformBatches | None,
         otherwise: ContactType) -> ContactType:
    """The contact type a return comes back as (by cumulative shares), or ``otherwise``."""
    assert rng is not None
    u = rng.next()
    for cumulative, target in shares:
        if u < cumulative:
            return target
    return otherwise


# ---------------------------------------------------------------------------- retrials
def give_up(s: Centre, c: Contact, now: float) -> None:
    """An abandoned or blocked attempt: try again later, or the customer is lost."""
    ch = c.type.channel
    if ch.retry_rng is not None and c.attempt < ch.retry_max:
        rng = ch.retry_rng
        if rng.next() < ch.retry_share:
            at = s.when_open(now + float(ch.retry_delay.quantiles(np.array([rng.next()]))[0]))
            if at < INF:  # (no new arrivals after the run: a later retrial is not made)
                env = s.env
                Timeout(env, at - env.now, (s, c)).callbacks.append(on_retry)
                return
    if c.customer:
        ch.tally.customers_lost += 1


def on_retry(event: Timeout) -> None:
    # A new attempt object: the abandoned one may still sit in a queue as a tombstone.
    s, old = cast(tuple[Centre, Contact], event.value)
    now = s.env.now
    ch = old.type.channel
    rng = ch.retry_rng
    assert rng is not None
    ctype, handle = old.type, old.handle
    if ch.retry_as:  # perhaps back as another type, on another channel
        ctype = pick(ch.retry_as, rng, old.type)
        if ctype is not old.type:
            handle = target_handle(s, ctype, rng.next())
    patience = old.patience
    if ctype.channel.patience is not None:
        patience = float(ctype.channel.patience.quantiles(np.array([rng.next()]))[0])
    elif ctype.channel is not ch:
        patience = INF
    admit(s, ctype, now, handle, patience, now >= s.warmup,
                  int(now // s.interval_s) % s.per_day, old.attempt + 1, old.customer,
                  old.repeat_in)  # the same need: the same fate


# ---------------------------------------------------------------------------- repeats
def repeat_later(s: Centre, ctype: ContactType, end: float, counted: bool,
                 repeat_in: float) -> None:
    """A contact handled until ``end`` was not resolved: it comes back ``repeat_in`` later."""
    if counted:
        ctype.channel.tally.unresolved += 1
    at = s.when_open(end + repeat_in)
    if at < INF:  # (no new arrivals after the run)
        back = ctype
        if ctype.returns_as:  # perhaps as another type, on another channel
            back = pick(ctype.returns_as, ctype.return_rng, ctype)
        env = s.env
        Timeout(env, at - env.now, (s, back)).callbacks.append(on_repeat)


def on_repeat(event: Timeout) -> None:
    """An unresolved contact comes back: a new intent of the same type, full journey."""
    s, ctype = cast(tuple[Centre, ContactType], event.value)
    now = s.env.now
    source = ctype.channel.repeats
    assert source is not None
    handle, patience, route, tried, ivr_seconds, repeat_in, redirect = source.next(ctype.kind)
    interval = int(now // s.interval_s) % s.per_day
    arrive(s, ctype, now, handle, patience, now >= s.warmup, interval, route, tried,
                      ivr_seconds, repeat_in, redirect, repeat=True)
