"""Transfers: a share of a type's handled contacts goes on to another type's queue.

When a handled contact of a type with ``routing.contact_types.<type>.transfers`` ends, a draw
decides whether it goes on, and to which type; the next leg has its own handle time and
patience and joins the new queue (on the line, for a call) at once, straight to the ACD.
The three draws are per contact (keyed by the handled leg); the next leg has a key of its own
(``key + NEXT_LEG``) for its own decisions.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from simpy.events import Timeout

from simulator.model.routing import admit
from simulator.model.state import INF, Centre, ContactType
from simulator.streams import NEXT_LEG


def set_up(s: Centre) -> None:
    """Each contact type's transfer shares (cumulative)."""
    types = s.types
    for ctype in types.values():
        rule = s.scenario.routing.contact_types.get(ctype.name)
        if rule is not None and rule.transfers:
            cumulative = 0.0
            for move in rule.transfers:
                cumulative += move.share
                ctype.transfers.append((cumulative, types[move.to]))


def target_handle(s: Centre, target: ContactType, u: float) -> float:
    """A handle time of ``target`` for the uniform ``u``."""
    spec = s.scenario.contact_types[target.index]
    return float(spec.handle_time.quantiles(np.array([u]))[0])


def transfer(s: Centre, ctype: ContactType, end: float, counted: bool, key: int) -> None:
    """Decide whether a handled contact goes on to another type's queue when it ends."""
    draws = ctype.channel.draws
    u = draws.u("transfer", key)
    for cumulative, target in ctype.transfers:
        if u < cumulative:
            if counted:
                ctype.channel.tally.transfers_out += 1
            # the next leg: its own handle time and patience
            handle = float(target_handle(s, target, draws.u("transfer_handle_time", key)))
            patience = target.patience
            wait = INF if patience is None else float(
                patience.quantiles(np.array([draws.u("transfer_patience", key)]))[0])
            env = s.env
            leg = (s, target, handle, wait, key + NEXT_LEG)
            Timeout(env, end - env.now, leg).callbacks.append(on_transfer)
            return


def on_transfer(event: Timeout) -> None:
    """A transferred contact joins its new queue (on the line, for a call) at once."""
    s, target, handle, patience, key = cast(tuple[Centre, ContactType, float, float, int],
                                            event.value)
    now = s.env.now
    ch = target.channel
    counted = now >= s.warmup
    interval = s.slot(now)
    if counted:
        ch.tally.transfers_in += 1
        ch.tally.transfers_in_by_interval[interval] += 1
    ch.in_system += 1
    admit(s, target, now, handle, patience, counted, interval, 1, False, key, INF, door=False)
