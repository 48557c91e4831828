"""Reference model: an M/M/c+M call centre written the way a typical SimPy user writes it.

This is the *baseline* for ``bench_single_queue.py``, so it is deliberately NOT optimised: it
follows SimPy's own ``bank_renege`` example. One generator process per call, the agent pool is a
``simpy.Resource``, reneging is ``yield req | env.timeout(patience)``, handle time is an
``env.timeout``, and random draws come from one ``random.Random(seed)`` instance. Statistics are
running sums (no per-call lists), so memory does not grow with the number of calls.

Poisson arrivals at rate ``load * agents / handle`` per second until ``--calls`` calls have
arrived; then arrivals stop and the system drains (every call is answered or abandons). Prints
one JSON line::

    python benchmarks/idiomatic_simpy.py --agents 50 --load 0.95 --handle-seconds 300 \
        --patience-seconds 180 --calls 1000000 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random  # noqa: TID251 - the reference deliberately uses the stdlib RNG, as SimPy users do
import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import simpy


@dataclass
class Stats:
    """Running totals, updated as calls leave the queue."""

    answered: int = 0
    abandoned: int = 0
    total_wait: float = 0.0  # seconds in queue, summed over all calls (answered or abandoned)


def call(
    env: simpy.Environment,
    agents: simpy.Resource,
    rng: random.Random,
    stats: Stats,
    handle_seconds: float,
    patience_seconds: float,
) -> Generator[simpy.Event, Any, None]:
    """One caller: queue for an agent, hang up if patience runs out first."""
    arrive = env.now
    patience = rng.expovariate(1.0 / patience_seconds)
    with agents.request() as req:
        results = yield req | env.timeout(patience)
        stats.total_wait += env.now - arrive
        if req in results:
            stats.answered += 1
            yield env.timeout(rng.expovariate(1.0 / handle_seconds))
        else:
            stats.abandoned += 1


def source(
    env: simpy.Environment,
    agents: simpy.Resource,
    rng: random.Random,
    stats: Stats,
    calls: int,
    arrival_rate: float,
    handle_seconds: float,
    patience_seconds: float,
) -> Generator[simpy.Event, object, None]:
    """Poisson arrivals: ``calls`` calls, then stop."""
    for _ in range(calls):
        yield env.timeout(rng.expovariate(arrival_rate))
        env.process(call(env, agents, rng, stats, handle_seconds, patience_seconds))


def simulate(
    agents: int,
    load: float,
    handle_seconds: float,
    patience_seconds: float,
    calls: int,
    seed: int,
) -> dict[str, float | int]:
    """Run the model and return the summary that the command line prints."""
    rng = random.Random(seed)
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=agents)
    stats = Stats()
    arrival_rate = load * agents / handle_seconds
    env.process(
        source(env, pool, rng, stats, calls, arrival_rate, handle_seconds, patience_seconds)
    )
    start = time.perf_counter()
    env.run()  # no `until`: runs until the last call has left (drained)
    sim_seconds = time.perf_counter() - start
    finished = stats.answered + stats.abandoned
    return {
        "calls": calls,
        "answered": stats.answered,
        "abandoned": stats.abandoned,
        "abandon_rate": stats.abandoned / finished,
        "mean_wait_all_seconds": stats.total_wait / finished,
        "sim_seconds": sim_seconds,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--load", type=float, default=0.95, help="offered load per agent")
    parser.add_argument("--handle-seconds", type=float, default=300.0, help="mean, exponential")
    parser.add_argument("--patience-seconds", type=float, default=180.0, help="mean, exponential")
    parser.add_argument("--calls", type=int, default=1_000_000, help="arrivals to generate")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.agents < 1 or args.calls < 1:
        parser.error("--agents and --calls must be >= 1")
    if args.load <= 0 or args.handle_seconds <= 0 or args.patience_seconds <= 0:
        parser.error("--load, --handle-seconds and --patience-seconds must be > 0")
    result = simulate(
        args.agents,
        args.load,
        args.handle_seconds,
        args.patience_seconds,
        args.calls,
        args.seed,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
