"""Random streams: one :class:`numpy.random.Generator` per decision.

A stream is named by a path such as ``("voice", "handle_time")`` and seeded from
``SeedSequence(run.seed, spawn_key=(replication, *crc32(names)))``. Naming streams (rather
than spawning them in order) means adding a channel, a contact type or a new kind of decision
never changes the numbers any existing stream draws, so two scenarios that share a seed see the
same customers with the same needs (common random numbers).

There is no global random state anywhere in ccsim.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(*names: str) -> tuple[int, ...]:
    """Stable integers for a stream path (CRC-32 of each name)."""
    return tuple(zlib.crc32(name.encode("utf-8")) for name in names)


def spawn_stream(seed: int, replication: int, *names: str) -> np.random.Generator:
    """The generator of one decision stream in one replication."""
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(replication, *stream_key(*names)))
    return np.random.Generator(np.random.PCG64(sequence))


class UniformBatches:
    """Uniforms from one stream, drawn in batches and handed out one by one."""

    __slots__ = ("_batch", "_index", "_rng", "_size")

    def __init__(self, rng: np.random.Generator, size: int = 4096) -> None:
        self._rng = rng
        self._size = size
        self._batch: list[float] = []
        self._index = 0

    def next(self) -> float:
        if self._index == len(self._batch):
            self._batch = self._rng.random(self._size).tolist()
            self._index = 0
        value = self._batch[self._index]
        self._index += 1
        return value
