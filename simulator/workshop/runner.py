"""The workshop's runner: one process pool and one cache of replications for the page, and per
page a question at a time, studied off the page's thread (a newer question cancels an older).

The cache holds replication *r* of a scenario under :func:`~.question.scenario_key`: going back
to a setting finds every replication it needs and simulates nothing ("from cache"); asking for
more replications of a scenario reuses those it already has. Replications still running when a
question is cancelled finish and are kept in the cache (a pool process cannot be stopped
mid-run without ending the pool).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.experiment import replication_pool, run_replication, stop_pool
from simulator.results.run import Figures
from simulator.spec.schema import Scenario
from simulator.studies.precision import Answer, Precision, until_precise
from simulator.workshop.question import Question, scenario_key

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


class Cache:
    """Replications by scenario content and index (thread-safe)."""

    def __init__(self) -> None:
        self._figures: dict[str, dict[int, Figures]] = {}
        self._keys: dict[int, tuple[Scenario, str]] = {}  # by id: each scenario hashed once
        self._lock = threading.Lock()

    def key(self, scenario: Scenario) -> str:
        with self._lock:
            known = self._keys.get(id(scenario))
        if known is not None and known[0] is scenario:
            return known[1]
        key = scenario_key(scenario)
        with self._lock:
            self._keys[id(scenario)] = (scenario, key)  # held, so its id is not reused
        return key

    def get(self, scenario: Scenario, replication: int) -> Figures | None:
        key = self.key(scenario)
        with self._lock:
            return self._figures.get(key, {}).get(replication)

    def put(self, scenario: Scenario, replication: int, figures: Figures) -> None:
        key = self.key(scenario)
        with self._lock:
            self._figures.setdefault(key, {})[replication] = figures

    def count(self, scenario: Scenario) -> int:
        """Replications 0..n-1 all at hand: n."""
        key = self.key(scenario)
        with self._lock:
            have = dict(self._figures.get(key, {}))
        n = 0
        while n in have:
            n += 1
        return n


class Runner:
    """The pool (``workers`` processes), the cache and the count of replications simulated."""

    def __init__(self, precision: Precision, workers: int = 2) -> None:
        self.precision = precision
        self.workers = workers
        self.cache = Cache()
        self.simulated = 0  # replications simulated since the start (none from the cache)
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = replication_pool(workers)

    def warm(self) -> None:
        """Start the pool's processes now, so the first question does not wait for them."""
        pool = self._pool
        if pool is not None:
            for future in [pool.submit(int, 0) for _ in range(self.workers)]:
                future.result()

    def prepare(self, scenario: Scenario, replications: int) -> None:
        """Replications ``0..replications-1`` of ``scenario`` simulated now (on the pool) and kept,
        so the questions that follow take them from the cache."""
        for future in [self.submit(scenario, r) for r in range(replications)]:
            future.result()

    def submit(self, scenario: Scenario, replication: int) -> Future[Figures]:
        """Replication ``replication`` of ``scenario`` on the pool; kept in the cache when done."""
        if self._pool is None:
            msg = "the workshop's pool is closed"
            raise RuntimeError(msg)
        future = self._pool.submit(run_replication, scenario, replication)

        def keep(done: Future[Figures]) -> None:
            if not done.cancelled() and done.exception() is None:
                self.cache.put(scenario, replication, done.result())
                with self._lock:
                    self.simulated += 1

        future.add_done_callback(keep)
        return future

    def answer(self, question: Question, on_answer: Callable[[Answer], None] | None = None,
               cancelled: threading.Event | None = None) -> Answer:
        """The question studied until precise (in this thread)."""
        return until_precise(question.scenarios(), self.precision, self.submit, self.cache.get,
                             on_answer, cancelled, in_flight=self.workers)

    def close(self) -> None:
        """End the pool (running replications are stopped)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            stop_pool(pool)


@dataclass
class Asked:
    """One question being studied: its latest answer (provisional until ``final``)."""

    question: Question
    number: int
    cancelled: threading.Event = field(default_factory=threading.Event)
    latest: Answer | None = None
    final: bool = False
    error: str | None = None


class Asker:
    """A page's questions, one at a time: asking a new one cancels the one before."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self.current: Asked | None = None
        self._lock = threading.Lock()
        self._asked = 0

    def ask(self, question: Question) -> Asked:
        """Study ``question`` on a thread of its own; the previous question is cancelled."""
        with self._lock:
            self.cancel()
            self._asked += 1
            asked = Asked(question, self._asked)
            self.current = asked
        thread = threading.Thread(target=self._study, args=(asked,), daemon=True,
                                  name=f"workshop-question-{asked.number}")
        thread.start()
        return asked

    def cancel(self) -> None:
        """Cancel the current question (its answer is then never shown)."""
        if self.current is not None:
            self.current.cancelled.set()
            self.current = None

    def _study(self, asked: Asked) -> None:
        def provisional(answer: Answer) -> None:
            if not asked.cancelled.is_set():
                asked.latest = answer

        try:
            answer = self.runner.answer(asked.question, provisional, asked.cancelled)
        except Exception as exc:  # a replication that failed: said on the page
            asked.error = f"{type(exc).__name__}: {exc}"
            asked.final = True
            return
        if answer.stopped != "cancelled":
            asked.latest = answer
        asked.final = True
