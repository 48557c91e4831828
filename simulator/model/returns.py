"""Customers who come back: retrials after giving up, repeats after an unresolved contact.

* **Retrials**: a share of abandoned or blocked calls tries again after a delay, with a fresh
  patience (and perhaps as another contact type, on another channel), up to ``max_attempts``
  attempts per customer. The same need: a retrial keeps its handle time and repeat fate.
* **Repeats**: a contact the front door marked unresolved comes back after its handling ends
  (plus the repeat delay) as a new intent of the same type (or another, by ``return_as``),
  with the whole journey again.

Every draw is per contact (:class:`simulator.streams.KeyedDraws`): a retrial's by the
customer's key and the attempt that gave up, a repeat's type by the handled contact's key.

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


def shares_to_types(s: Centre, shares: dict[str, float]) -> list[tuple[float, ContactType]]:
    out, cumulative = [], 0.0
    for name, share in shares.items():
        cumulative += share
        out.append((cumulative, s.types[name]))
    return out


def set_up(s: Centre) -> None:
    """The retrial rules per contact type (its own, else its channel's); the types' repeats'
    ``return_as``."""
    scenario = s.scenario
    for ct in scenario.contact_types:
        rule = ct.retrials if ct.retrials is not None else scenario.channel(ct.channel).retrials
        ctype = s.types[ct.name]
        if rule is not None and rule.share > 0:
            ctype.retry_share = rule.share
            ctype.retry_delay = rule.delay
            ctype.retry_max = rule.max_attempts
        if rule is not None and rule.return_as:
            ctype.retry_as = shares_to_types(s, rule.return_as)
    if scenario.repeat_contacts is not None:
        for name, repeat in scenario.repeat_contacts.contact_types.items():
            if repeat.return_as:
                ctype = s.types[name]
                ctype.returns_as = shares_to_types(s, repeat.return_as)


def pick(shares: list[tuple[float, ContactType]], u: float,
         otherwise: ContactType) -> ContactType:
    """The contact type a return comes back as (by cumulative shares of ``u``), or ``otherwise``."""
    for cumulative, target in shares:
        if u < cumulative:
            return target
    return otherwise


# ---------------------------------------------------------------------------- retrials
def give_up(s: Centre, c: Contact, now: float) -> None:
    """An abandoned or blocked attempt: try again later, or the customer is lost."""
    ctype = c.type
    ch = ctype.channel
    if c.attempt < ctype.retry_max:  # (retry_max is 1 without retrials)
        draws, key, attempt = ch.draws, c.key, c.attempt
        if draws.u("retrial", key, attempt) < ctype.retry_share:
            u = draws.u("retrial_delay", key, attempt)
            at = s.when_open(now + float(ctype.retry_delay.quantiles(np.array([u]))[0]))
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
    draws, key, attempt = ch.draws, old.key, old.attempt
    ctype, handle = old.type, old.handle
    if old.type.retry_as:  # perhaps back as another type, on another channel
        ctype = pick(old.type.retry_as, draws.u("retrial_as", key, attempt), old.type)
        if ctype is not old.type:
            handle = target_handle(s, ctype, draws.u("retrial_handle_time", key, attempt))
    patience = old.patience
    if ctype.patience is not None:
        u = draws.u("retrial_patience", key, attempt)
        patience = float(ctype.patience.quantiles(np.array([u]))[0])
    elif ctype.channel is not ch:
        patience = INF
    admit(s, ctype, now, handle, patience, now >= s.warmup,
          s.slot(now), attempt + 1, old.customer, key,
          old.repeat_in)  # the same need: the same fate


# ---------------------------------------------------------------------------- repeats
def repeat_later(s: Centre, ctype: ContactType, end: float, counted: bool,
                 repeat_in: float, key: int) -> None:
    """A contact handled until ``end`` was not resolved: it comes back ``repeat_in`` later."""
    if counted:
        ctype.channel.tally.unresolved += 1
    at = s.when_open(end + repeat_in)
    if at < INF:  # (no new arrivals after the run)
        back = ctype
        if ctype.returns_as:  # perhaps as another type, on another channel
            back = pick(ctype.returns_as, ctype.channel.draws.u("repeat_as", key), ctype)
        env = s.env
        Timeout(env, at - env.now, (s, back)).callbacks.append(on_repeat)


def on_repeat(event: Timeout) -> None:
    """An unresolved contact comes back: a new intent of the same type, full journey."""
    s, ctype = cast(tuple[Centre, ContactType], event.value)
    now = s.env.now
    source = ctype.channel.repeats
    assert source is not None
    handle, patience, route, tried, ivr_seconds, repeat_in, redirect = source.next(ctype.kind)
    key = source.next_key(ctype.kind)
    interval = s.slot(now)
    arrive(s, ctype, now, handle, patience, now >= s.warmup, interval, route, tried,
           ivr_seconds, repeat_in, redirect, key, repeat=True)
