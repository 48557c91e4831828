"""An exact Markov model of one chat group with concurrency and stretch (a test oracle).

The rule modelled is the engine's (README "Model semantics", chat): a group of ``agents``
agents carrying up to ``slots`` chats each is ``agents × slots`` servers fed FCFS by Poisson
arrivals, with exponential handle times (mean ``h``) and exponential patience (mean ``1/θ``)
while waiting. When a chat starts, let ``b`` be the number of chats in service *including the
one starting*; the group's average concurrency is then ``c = min(slots, ⌈b / agents⌉)`` and the
chat's handle time is ``h × (1 + stretch × (c − 1))``, fixed for its whole life. Chats that
have ended do not count in ``b``.

Because the stretch is fixed at the start, the chats in service are tracked by their stretch
class: the state is ``(n_1, …, n_slots, q)``, ``n_c`` chats in service of class ``c`` and ``q``
waiting. A class ``c`` chat can only start when at most ``c × agents`` chats are in service
(itself included) and later starts never lower the count below, so every reachable state has
``n_1 + … + n_j <= j × agents`` for every ``j``; a chat waits only when every slot is taken
(``q > 0`` only when ``Σ n = agents × slots``), and a chat taken from the queue starts with all
slots in use, in the top class. ``q`` is capped where the tail mass is negligible (checked).

Figures, all exact up to the truncation (PASTA for arriving chats):

* ``handle_seconds``: mean handle time of answered chats (the starts' flux by class);
* ``wait_probability``: an arriving chat finds every slot taken;
* ``service_level``: answered within ``T`` ÷ arrivals, from a tagged chat's absorbing chain
  (the classes of the chats in service ahead of it, and the number waiting ahead, which
  shrinks by their abandonment and by starts — each start in the top class);
* ``asa_seconds``: mean wait of answered chats, from the same chain;
* ``abandon_rate`` = ``θ E[q] / λ``; ``occupancy`` = ``E[Σ n] / (agents × slots)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import linalg

TAIL = 1e-13  # stationary mass allowed at the queue cap


@dataclass(frozen=True)
class ChatFigures:
    handle_seconds: float
    wait_probability: float
    service_level: float
    asa_seconds: float
    abandon_rate: float
    answered_share: float  # answered ÷ arrivals, from the tagged chain (= 1 − abandon_rate)
    occupancy: float
    queue_cap: int


def stretch_class(in_service: int, agents: int, slots: int) -> int:
    """The class (average concurrency, 1..slots) of a chat that starts with ``in_service``
    chats in service, itself included."""
    return min(slots, max(1, math.ceil(in_service / agents)))


def _configs(agents: int, slots: int) -> Iterator[tuple[int, ...]]:
    """Every reachable (n_1, ..., n_slots): prefix sums n_1 + ... + n_j <= j × agents."""

    def extend(prefix: tuple[int, ...], total: int) -> Iterator[tuple[int, ...]]:
        j = len(prefix) + 1
        if j > slots:
            yield prefix
            return
        for n in range(j * agents - total + 1):
            yield from extend((*prefix, n), total + n)

    yield from extend((), 0)


def chat_ctmc(arrivals_per_second: float, mean_handle: float, mean_patience: float,
              agents: int, slots: int, stretch: float, sl_seconds: float,
              queue_cap: int = 64) -> ChatFigures:
    """Stationary figures of the chat group; the queue cap doubles until its mass is below
    ``TAIL``."""
    while True:
        figures, cap_mass = _solve(arrivals_per_second, mean_handle, mean_patience, agents,
                                   slots, stretch, sl_seconds, queue_cap)
        if cap_mass < TAIL:
            return figures
        queue_cap *= 2


def _solve(lam: float, h: float, patience: float, agents: int, slots: int, stretch: float,
           sl: float, cap: int) -> tuple[ChatFigures, float]:
    servers = agents * slots
    theta = 1.0 / patience
    factor = np.array([1.0 + stretch * c for c in range(slots)])  # class c+1: h × factor[c]
    mu = 1.0 / (h * factor)  # service rate of one chat of each class
    configs = list(_configs(agents, slots))
    full = [n for n in configs if sum(n) == servers]
    # states: (config, q); q > 0 only for full configs
    index: dict[tuple[tuple[int, ...], int], int] = {}
    for n in configs:
        index[(n, 0)] = len(index)
    for q in range(1, cap + 1):
        for n in full:
            index[(n, q)] = len(index)
    size = len(index)
    rows: list[int] = []
    cols: list[int] = []
    rates: list[float] = []

    def move(a: int, b: int, rate: float) -> None:
        if rate > 0:
            rows.append(a)
            cols.append(b)
            rates.append(rate)

    def bump(n: tuple[int, ...], c: int, step: int) -> tuple[int, ...]:
        m = list(n)
        m[c] += step
        return tuple(m)

    top = slots - 1
    for (n, q), s in index.items():
        total = sum(n)
        if total < servers:  # an arrival starts at once, in the class of total + 1
            move(s, index[(bump(n, stretch_class(total + 1, agents, slots) - 1, 1), 0)], lam)
        elif q < cap:  # it waits (at the cap it is turned away: negligible mass)
            move(s, index[(n, q + 1)], lam)
        for c in range(slots):  # a chat of class c ends; the queue's head starts in the top
            if n[c]:
                after = bump(n, c, -1)
                target = (bump(after, top, 1), q - 1) if q else (after, 0)
                move(s, index[target], n[c] * mu[c])
        if q:
            move(s, index[(n, q - 1)], q * theta)
    generator = sparse.coo_matrix((rates, (rows, cols)), shape=(size, size)).tocsr()
    out = np.asarray(generator.sum(axis=1)).ravel()
    generator = (generator - sparse.diags(out)).tocsc()
    # pi Q = 0: Q^T pi = 0 with pi[0] = 1 (its equation dropped: it follows from the others,
    # and the system stays sparse), then normalised
    balance = generator.T.tocsc()
    rest = np.asarray(linalg.spsolve(balance[1:, 1:], -balance[1:, 0].toarray().ravel()))
    pi = np.concatenate(([1.0], rest))
    pi /= pi.sum()

    keys = list(index)
    totals = np.array([sum(n) for n, _ in keys], dtype=np.float64)
    queue = np.array([q for _, q in keys], dtype=np.float64)
    cap_mass = float(pi[queue == cap].sum())
    occupancy = float(pi @ totals) / servers
    abandon_rate = theta * float(pi @ queue) / lam
    free = totals < servers
    wait_probability = float(pi[~free].sum())
    # starts by class: arrivals finding a free slot, and the queue's head when a chat ends
    starts = np.zeros(slots)
    for (n, q), s in index.items():
        total = sum(n)
        if total < servers:
            starts[stretch_class(total + 1, agents, slots) - 1] += lam * pi[s]
        elif q:
            starts[top] += pi[s] * float(np.dot(n, mu))
    handle_seconds = h * float(starts @ factor) / float(starts.sum())
    served_within, served_queued, served_wait = _tagged(pi, index, full, mu, theta, cap, sl,
                                                         top)
    figures = ChatFigures(
        handle_seconds=handle_seconds,
        wait_probability=wait_probability,
        service_level=(1.0 - wait_probability) + served_within,
        asa_seconds=served_wait / (1.0 - abandon_rate),
        abandon_rate=abandon_rate,
        answered_share=(1.0 - wait_probability) + served_queued,
        occupancy=occupancy,
        queue_cap=cap,
    )
    return figures, cap_mass


def _tagged(pi: np.ndarray, index: dict[tuple[tuple[int, ...], int], int],
            full: list[tuple[int, ...]], mu: np.ndarray, theta: float, cap: int, sl: float,
            top: int) -> tuple[float, float, float]:
    """A chat that arrives to find every slot taken, followed until it starts or abandons.

    Its state is (classes in service, chats waiting ahead of it); chats behind it never
    matter. From ``(n, j)``: a class ``c`` chat ends at ``n_c mu_c`` (with ``j = 0`` the tagged
    chat starts, else the head starts in the top class and ``j`` drops), one ahead abandons at
    ``j θ``, the tagged chat abandons at ``θ``. Returns, per arrival: P(queued and answered
    within ``sl``), P(queued and answered), E[wait × 1{answered}].
    """
    where = {(n, j): k for k, (n, j) in enumerate((n, j) for j in range(cap) for n in full)}
    size = len(where)
    served, lost = size, size + 1  # absorbing states
    rows: list[int] = []
    cols: list[int] = []
    rates: list[float] = []
    start = np.zeros(size + 2)
    for (n, j), s in where.items():
        start[s] = pi[index[(n, j)]]  # it finds n in service and j waiting (PASTA)
        for c, count in enumerate(n):
            if count:
                if j == 0:
                    target = served
                else:
                    m = list(n)
                    m[c] -= 1
                    m[top] += 1
                    target = where[(tuple(m), j - 1)]
                rows.append(s)
                cols.append(target)
                rates.append(count * mu[c])
        if j:
            rows.append(s)
            cols.append(where[(n, j - 1)])
            rates.append(j * theta)
        rows.append(s)
        cols.append(lost)
        rates.append(theta)
    jumps = sparse.coo_matrix((rates, (rows, cols)), shape=(size + 2, size + 2)).tocsr()
    out = np.asarray(jumps.sum(axis=1)).ravel()
    generator = (jumps - sparse.diags(out)).tocsc()
    at_sl = linalg.expm_multiply(generator.T * sl, start) if sl > 0 else start
    within = float(at_sl[served])
    # E[1{served}] = p0 N r and E[T 1{served}] = p0 N² r, with N = (−Q_transient)⁻¹
    transient = -generator[:size, :size]
    to_served = np.asarray(jumps[:size, served].todense()).ravel()
    lu = linalg.splu(transient.tocsc())
    once = lu.solve(to_served)
    twice = lu.solve(once)
    p0 = start[:size]
    return within, float(p0 @ once), float(p0 @ twice)
