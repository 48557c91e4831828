"""Random streams: one :class:`numpy.random.Generator` per decision.

A stream is named by a path such as ``("voice", "handle_time")`` and seeded from
``SeedSequence(run.seed, spawn_key=(replication, *crc32(names)))``. Naming streams (rather
than spawning them in order) means adding a channel, a contact type or a new kind of decision
never changes the numbers any existing stream draws, so two scenarios that share a seed see the
same customers with the same needs (common random numbers).

:data:`DECISIONS` names every decision the engine draws for, and no two decisions share a
stream. Two kinds:

* **drawn per intent when its batch arrives** (:data:`AT_ARRIVAL`): each intent of a channel
  takes a fixed number of uniforms from each of these streams, in arrival order, whatever
  happens to it later (one exception, ``busyness``: one stream for the whole centre, path
  ``("busyness",)``, whose d-th uniform is simulated day d's; it depends on the seed and the
  replication alone);
* **drawn per contact when the decision comes up** (:data:`PER_CONTACT`): the uniform is
  addressed by the contact's key and the use (the attempt, the dial, the offer) through
  :class:`KeyedDraws`, so it is a function of who decides, never of how many others drew
  before. Changing the share that accepts a call back, or is reached, or retries, moves no
  other customer's draw of any decision.

There is no global random state anywhere in ccsim.
"""

from __future__ import annotations

import zlib

import numpy as np

#: drawn for every intent of a channel when its batch arrives (arrivals, front door, repeats)
AT_ARRIVAL = (
    "arrivals",  # the gaps of the Poisson process
    "contact_type",
    "handle_time",
    "patience",
    "root_cause",  # demand removed at source
    "self_service",  # tried; succeeded; the channel it turns to on failure
    "ivr",  # menu time; hung up; contained; verified; their extra times
    "resolution",  # resolved first time; repeat removed; repeat delay
    "repeat_attributes",  # a repeat intent's handle time and patience
    "busyness",  # centre-wide, not per channel: one uniform per simulated day (busy days)
)
#: drawn per contact, addressed by the contact's key and use (:class:`KeyedDraws`)
PER_CONTACT = (
    "callback_accept",  # per offer
    "callback_connect",  # per dial: the connect time
    "callback_reach",  # per dial: the customer answers
    "callback_redial_delay",  # per dial not reached
    "retrial",  # per abandoned or blocked attempt: tries again?
    "retrial_delay",
    "retrial_as",  # the contact type it comes back as
    "retrial_handle_time",  # when it comes back as another type
    "retrial_patience",  # a fresh patience
    "transfer",  # per handled contact: transferred? to which type?
    "transfer_handle_time",  # the next leg's
    "transfer_patience",
    "repeat_as",  # the contact type a repeat comes back as
    "redirect_handle_time",  # failed self-service, turned to another channel
    "redirect_patience",
)
#: every decision stream the engine draws from, each its own
DECISIONS = AT_ARRIVAL + PER_CONTACT
#: drawn by a study before the engine runs (never by the engine), each its own stream too
BY_STUDIES = (
    "backtest_arrivals",  # a backtest's given arrivals: their times within each interval, types
)


def stream_key(*names: str) -> tuple[int, ...]:
    """Stable integers for a stream path (CRC-32 of each name)."""
    return tuple(zlib.crc32(name.encode("utf-8")) for name in names)


def spawn_stream(seed: int, replication: int, *names: str) -> np.random.Generator:
    """The generator of one decision stream in one replication."""
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(replication, *stream_key(*names)))
    return np.random.Generator(np.random.PCG64(sequence))


def decision_stream(seed: int, replication: int, *where: str) -> np.random.Generator:
    """The generator of a decision drawn at arrival: ``where`` ends with its name."""
    if where[-1] not in AT_ARRIVAL:
        raise ValueError(f"{where[-1]!r} is not a decision drawn at arrival ({AT_ARRIVAL})")
    return spawn_stream(seed, replication, *where)


def study_stream(seed: int, replication: int, *where: str) -> np.random.Generator:
    """The generator of a study's draw (:data:`BY_STUDIES`): ``where`` ends with its name."""
    if where[-1] not in BY_STUDIES:
        raise ValueError(f"{where[-1]!r} is not a study's draw ({BY_STUDIES})")
    return spawn_stream(seed, replication, *where)


BLOCK_BITS = 12
BLOCK = 1 << BLOCK_BITS
_BLOCK_MASK = BLOCK - 1


class KeyedDraws:
    """A channel's per-contact decisions: the uniform of a decision for a contact key and use.

    Uniforms come in blocks of :data:`BLOCK` consecutive keys, each block a stream of its own
    (``spawn_key = (replication, crc32(channel), crc32(decision), key // BLOCK, use)``), so a
    draw is a function of (seed, replication, channel, decision, key, use) alone, made when it
    is first needed. Blocks are cached and forgotten in bulk; one needed again is regenerated,
    identical.
    """

    __slots__ = ("_blocks", "_replication", "_seed", "_where", "log")

    def __init__(self, seed: int, replication: int, channel: str) -> None:
        self._seed = seed
        self._replication = replication
        self._where = stream_key(channel)
        self._blocks: dict[tuple[str, int, int], list[float]] = {}
        #: a test hook: when a list, every draw is appended as (decision, key, use, uniform)
        self.log: list[tuple[str, int, int, float]] | None = None

    def u(self, decision: str, key: int, use: int = 0) -> float:
        """The uniform of ``decision`` for contact ``key``, its ``use``-th time (attempt, dial)."""
        block = (decision, key >> BLOCK_BITS, use)
        values = self._blocks.get(block)
        if values is None:
            values = self._fill(block)
        value = values[key & _BLOCK_MASK]
        if self.log is not None:
            self.log.append((decision, key, use, value))
        return value

    def _fill(self, block: tuple[str, int, int]) -> list[float]:
        decision, index, use = block
        if decision not in PER_CONTACT:
            raise ValueError(f"{decision!r} is not a per-contact decision ({PER_CONTACT})")
        if len(self._blocks) >= 512:
            self._blocks.clear()
        sequence = np.random.SeedSequence(
            entropy=self._seed,
            spawn_key=(self._replication, *self._where, *stream_key(decision), index, use))
        values: list[float] = np.random.Generator(np.random.PCG64(sequence)).random(BLOCK).tolist()
        self._blocks[block] = values
        return values


def contact_key(origin: str, sequence: int) -> int:
    """The key of the ``sequence``-th intent from ``origin`` (a channel's first contacts, a
    type's repeats): unique in a replication, the same in every scenario."""
    return (zlib.crc32(origin.encode("utf-8")) << 32) | sequence


#: a transferred contact's next leg: its key is the leg's key plus this
NEXT_LEG = 1 << 64
