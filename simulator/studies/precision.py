"""Sequential precision: replications added, in replication order, until the paired 95 %
half-width of cost per contact is narrow enough or a time budget runs out (``ccsim workshop``).

Replication *r* of every scenario is the ``ccsim compare`` replication *r* (the caller puts the
scenarios on the baseline's seeds and horizon with :func:`~simulator.studies.comparison.same_run`),
so an answer of *n* replications is ``ccsim compare --replications n`` of the same scenarios.
The study never draws or writes: it hands each provisional answer to a callback and returns the
last one. The rule is decided on the figures alone (never on the clock) except for the budget,
so a setting asked again from the cache stops at the same replication.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Literal

from simulator.metrics import per_contact
from simulator.results.estimate import Estimate
from simulator.results.run import Figures
from simulator.spec.schema import Scenario

Stop = Literal["precise", "budget", "most", "cancelled"]
#: what each reason to stop means, in words for the page
STOPS: dict[str, str] = {
    "precise": "precise: every paired half-width below the precision",
    "budget": "time budget used up before the precision was reached",
    "most": "the most replications allowed were run",
    "cancelled": "cancelled by a newer question",
}

#: waiting for a replication, the loop looks this often for a cancellation (seconds)
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Precision:
    """When to stop adding replications: the paired half-width (USD per contact) every
    comparison must fall below, the time budget, and the fewest and most replications."""

    half_width: float = 0.02
    budget_seconds: float = 15.0
    #: five, so the half-width behind a stop rests on a variance with four degrees of freedom:
    #: two or three replications can agree by chance and stop far too early
    min_replications: int = 5
    max_replications: int = 100

    def __post_init__(self) -> None:
        if not 2 <= self.min_replications <= self.max_replications:
            msg = "need 2 <= min_replications <= max_replications"
            raise ValueError(msg)


@dataclass(frozen=True)
class Answer:
    """Replications 0..n-1 of every scenario (complete for all of them), the half-widths they
    give, how many of them were simulated for this question (the rest came from a cache), the
    seconds since the question was asked, and why the study stopped (None: provisional)."""

    runs: tuple[tuple[Figures, ...], ...]
    half_widths: tuple[float | None, ...]
    simulated: int
    seconds: float
    stopped: Stop | None = None

    @property
    def replications(self) -> int:
        return len(self.runs[0])

    @property
    def widest(self) -> float | None:
        """The widest half-width (None while any is undefined, or before any replication)."""
        if not self.half_widths or any(w is None for w in self.half_widths):
            return None
        return max(w for w in self.half_widths if w is not None)


def half_widths(runs: Sequence[Sequence[Figures]]) -> tuple[float | None, ...]:
    """The 95 % half-width of cost per contact of each scenario's paired difference with the
    first (the baseline); with the baseline alone, of its own cost per contact."""
    base = per_contact(runs[0])
    if len(runs) == 1:
        return (Estimate.of(base).half_width,)
    return tuple(Estimate.of(per_contact(other) - base).half_width for other in runs[1:])


def precise(widths: Sequence[float | None], target: float) -> bool:
    """Is every half-width defined and below the target?"""
    return all(w is not None and math.isfinite(w) and w < target for w in widths)


Submit = Callable[[Scenario, int], "Future[Figures]"]
Known = Callable[[Scenario, int], "Figures | None"]


def until_precise(scenarios: Sequence[Scenario], precision: Precision, submit: Submit,
                  known: Known, on_answer: Callable[[Answer], None] | None = None,
                  cancelled: threading.Event | None = None, in_flight: int = 2,
                  clock: Callable[[], float] = time.monotonic) -> Answer:
    """Replications of every scenario, in order, until :class:`Precision` says stop.

    ``known(scenario, r)`` gives replication *r* if it is already at hand (a cache), else
    ``submit(scenario, r)`` starts it (on a pool); a replication's jobs start together, as long
    as no more than ``in_flight`` run at once (one replication may need more). After
    every replication complete for all scenarios, ``on_answer`` gets the answer so far; the
    study stops once at least ``min_replications`` are complete and every paired half-width is
    below the precision, or when the budget is spent (with at least one replication), at
    ``max_replications``, or when ``cancelled`` is set. Jobs not started are then cancelled;
    jobs already running finish on their own (the caller may keep their results).
    """
    start = clock()
    got: list[dict[int, Figures]] = [{} for _ in scenarios]
    running: dict[Future[Figures], tuple[int, int]] = {}
    scheduled = complete = simulated = 0
    widths: tuple[float | None, ...] = ()

    def answer(stopped: Stop | None) -> Answer:
        runs = tuple(tuple(g[r] for r in range(complete)) for g in got)
        return Answer(runs, widths, simulated, clock() - start, stopped)

    def schedule() -> None:
        nonlocal scheduled
        while scheduled < precision.max_replications:
            missing = []
            for s, scenario in enumerate(scenarios):
                figures = known(scenario, scheduled)
                if figures is None:
                    missing.append(s)
                else:
                    got[s][scheduled] = figures
            # a replication starts whole, when the workers can take all its jobs (or nothing
            # runs): so a study that stops leaves at most a replication's jobs running
            if running and len(running) + len(missing) > in_flight:
                return
            for s in missing:
                running[submit(scenarios[s], scheduled)] = (s, scheduled)
            scheduled += 1
            if not missing:  # known whole: judged before anything more is asked for
                return

    def stop(reason: Stop) -> Answer:
        for future in running:
            future.cancel()
        return answer(reason)

    while True:
        if cancelled is not None and cancelled.is_set():
            return stop("cancelled")
        schedule()
        while complete < scheduled and all(complete in g for g in got):
            complete += 1
            widths = half_widths([[g[r] for r in range(complete)] for g in got])
            if complete >= precision.min_replications and precise(widths, precision.half_width):
                return stop("precise")
            if complete >= precision.max_replications:
                return stop("most")
            if on_answer is not None:
                on_answer(answer(None))
        if complete and clock() - start >= precision.budget_seconds:
            return stop("budget")
        if not running:
            continue
        done, _ = wait(list(running), timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
        for future in done:
            s, r = running.pop(future)
            got[s][r] = future.result()
            simulated += 1
