"""Transfers: a share of a type's handled contacts goes on to another type's queue.

When a handled contact of a type with ``routing.contact_types.<type>.transfers`` ends, a draw
decides whether it goes on, and to which type; the next leg has its own handle time and
patience and joins the new queue (on the line, for a call) at once, straight to the ACD.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from simpy.events import Timeout

from simulator.model.routing import admit
from simulator.model.state import INF, Centre, ContactType
from simulator.streams import UniformBatches, spawn_stream


def set_up(s: Centre, seed: int, replication: int) -> None:
    """Each contact type's transfer shares (cumulative) and stream."""
    types = s.types
    for ctype in types.values():
        rule = s.scenario.routing.contact_types.get(ctype.name)
        if rule is not None and rule.transfers:
            cumulative = 0.0
            for move in rule.transfers:
                cumulative += move.share
                ctype.transfers.append((cumulative, types[move.to]))
            ctype.transfer_rng = UniformBatches(
                spawn_stream(seed, replication, ctype.channel.name, ctype.name, "transfer"))


def target_handle(s: Centre, target: ContactType, u: float) -> float:
    """A handle time of ``target`` for the uniform ``u``."""
    spec = s.scenario.contact_types[target.index]
    return float(spec.handle_time.quantiles(np.array([u]))[0])


def transfer(s: Centre, ctype: ContactType, end: float, counted: bool) -> None:
    """Decide whether a handled contact goes on to another type's queue when it ends."""
    rng = ctype.transfer_rng
    assert rng is not None
    u = rng.next()
    for cumulative, target in ctype.transfers:
        if u < cumulative:
            if counted:
                ctype.channel.tally.transfers_out += 1
            # the next leg: its own handle time and patience, from the transfer stream
            handle = float(target_handle(s, target, rng.next()))
            patience = target.channel.patience
            wait = INF if patience is None else float(
                patience.quantiles(np.array([rng.next()]))[0])
            env = s.env
            Timeout(env, end - env.now, (s, target, handle, wait)).callbacks.append(on_transfer)
            return


def on_transfer(event: Timeout) -> None:
    """A transferred contact joins its new queue (on the line, for a call) at once."""
    s, target, handle, patience = cast(tuple[Centre, ContactType, float, float], event.value)
    now = s.env.now
    ch = target.channel
    counted = now >= s.warmup
    interval = int(now // s.interval_s) % s.per_day
    if counted:
        ch.tally.transfers_in += 1
        ch.tally.transfers_in_by_interval[interval] += 1
    ch.in_system += 1
    admit(s, target, now, handle, patience, counted, interval, 1, False, INF, door=False)
