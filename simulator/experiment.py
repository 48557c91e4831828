"""Replications of a scenario, run serially or on a process pool, and the run's result.

Each replication is seeded only by ``(run.seed, replication index)``, so the numbers do not
depend on how many workers ran them or in what order they finished.
"""

from __future__ import annotations

import os
import platform
import re
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from simulator.metrics import replication_metrics
from simulator.model import simulate
from simulator.model.books import ReplicationTally
from simulator.model.calendar import Calendar
from simulator.results.estimate import Document
from simulator.results.guardrails import Verdicts, judge
from simulator.results.run import (
    Figures,
    IntervalRow,
    Provenance,
    RunResult,
    Sections,
    contact_types_of,
)
from simulator.spec.layers import LoadedScenario
from simulator.spec.schema import Scenario

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from distributed import Client

ProgressHook = Callable[[int], None]
Job = TypeVar("Job")
Done = TypeVar("Done")
Measure = Callable[[ReplicationTally, Scenario], Figures]
"""What a job returns from its replication's tally: by default the SPEC §4 metrics
(:func:`~simulator.metrics.replication_metrics`); a study that needs other books (per slot of
the week, per date) passes its own, a module-level function so that it pickles."""

CONNECT_SECONDS = 10.0
"""How long to try to reach a Dask scheduler, unless told otherwise."""
FIRST_WORKER_SECONDS = 30.0
"""How long to wait for a scheduler's first worker, unless told otherwise."""

_ADDRESS = re.compile(r"(?:tcp://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_][A-Za-z0-9_.-]*):([0-9]{1,5})/?")


class ClusterError(Exception):
    """A Dask cluster that cannot run the jobs: no scheduler answered, or no worker joined."""

    def __init__(self, address: str, problem: str) -> None:
        super().__init__(f"{address}: {problem}")
        self.address, self.problem = address, problem


@dataclass(frozen=True)
class Cluster:
    """A Dask scheduler to run on, and how long to wait for it.

    ``timeout_seconds`` bounds both the connection and the wait for the first worker; left
    None, they are :data:`CONNECT_SECONDS` and :data:`FIRST_WORKER_SECONDS`.
    """

    address: str
    timeout_seconds: float | None = None

    @property
    def connect_seconds(self) -> float:
        return self.timeout_seconds if self.timeout_seconds is not None else CONNECT_SECONDS

    @property
    def first_worker_seconds(self) -> float:
        return self.timeout_seconds if self.timeout_seconds is not None else FIRST_WORKER_SECONDS


Scheduler = str | Cluster
"""Where a run's jobs may go instead of this machine: an address, or a :class:`Cluster`."""


def scheduler_address(text: str) -> str:
    """``text`` as a Dask scheduler address, ``tcp://HOST:PORT`` (``HOST:PORT`` is taken as
    TCP); ValueError saying what is wrong otherwise."""
    match = _ADDRESS.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a scheduler address; give it as tcp://HOST:PORT, "
                         "e.g. tcp://10.0.0.5:8786")
    host, port = match.groups()
    if not 1 <= int(port) <= 65535:
        raise ValueError(f"{text!r}: port {port} is not one of 1-65535; give the address as "
                         "tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786")
    return f"tcp://{host}:{int(port)}"


def run_replication(scenario: Scenario, replication: int) -> Figures:
    """Simulate one replication and return its figures (picklable, pure data)."""
    return replication_metrics(simulate(scenario, replication), scenario)


def _run_one(job: tuple[Scenario, int]) -> Figures:
    return run_replication(*job)


def _measure_one(measure: Measure, job: tuple[Scenario, int]) -> Figures:
    scenario, replication = job
    return measure(simulate(scenario, replication), scenario)


def default_workers() -> int:
    return os.cpu_count() or 1


def _quiet_worker() -> None:
    """A pool process leaves signals to the parent: Ctrl-C (sent to the whole terminal group)
    is ignored, SIGTERM (the parent stopping it) ends it at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End a pool now: pending jobs cancelled, running ones killed with their processes."""
    processes = list(pool._processes.values()) if pool._processes else []
    # (typeshed gives this attribute the wrong type)
    manager: threading.Thread | None = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:  # Python 3.14 has pool.terminate_workers(); 3.11 does not
        process.terminate()
    for process in processes:
        process.join(timeout=5)
    # the pool's manager thread closes its wake-up pipe as it ends; if that races the
    # interpreter's exit, which wakes every pool's manager (concurrent.futures.process.
    # _python_exit), the exit writes to a closed pipe and prints "Bad file descriptor": wait
    # for the thread here so the pipe is closed, and known closed, before anything exits
    if manager is not None and manager is not threading.current_thread():
        manager.join(timeout=5)


def replication_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool for replications submitted one by one (a study that decides as results
    come in how many more it needs): its processes leave signals to the parent, as
    :func:`run_jobs`'s do. End it with :func:`stop_pool`."""
    from concurrent.futures import ProcessPoolExecutor  # imported on use

    return ProcessPoolExecutor(max_workers=workers or default_workers(), initializer=_quiet_worker)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """End a pool of :func:`replication_pool` now: pending jobs cancelled, running ones ended."""
    _stop(pool)


def connect(cluster: Scheduler) -> Client:
    """A client of the cluster's scheduler once it has a worker; ClusterError if no scheduler
    answers within its connection timeout or no worker joins within its worker timeout."""
    from distributed import Client  # imported on use: a cluster is optional

    if isinstance(cluster, str):
        cluster = Cluster(cluster)
    address = cluster.address
    try:
        client = Client(address, timeout=cluster.connect_seconds)
    except (OSError, TimeoutError):
        raise ClusterError(address, f"no Dask scheduler answered within "
                           f"{cluster.connect_seconds:g} s") from None
    try:
        client.wait_for_workers(1, timeout=cluster.first_worker_seconds)
    except TimeoutError:
        client.close()
        raise ClusterError(address, f"the scheduler has no workers: none joined within "
                           f"{cluster.first_worker_seconds:g} s") from None
    except BaseException:
        client.close()
        raise
    return client


def run_jobs(jobs: list[tuple[Scenario, int]], workers: int | None = None,
             on_done: ProgressHook | None = None, scheduler: Scheduler | None = None,
             measure: Measure | None = None) -> list[Figures]:
    """Run (scenario, replication) jobs, results in job order: in this process, on a local
    process pool (``workers`` > 1), or on a Dask cluster (``scheduler``, "tcp://host:port" or
    a :class:`Cluster`). Each job returns ``measure`` of its tally (default: its metrics).

    A job's numbers depend only on its scenario and replication index, so they are the same
    wherever it runs. Interrupted (any exception, a signal's included), it leaves nothing
    running: the pool's processes are ended, the cluster's futures cancelled.
    """
    one = _run_one if measure is None else partial(_measure_one, measure)
    return run_calls(one, jobs, workers, on_done, scheduler)


def run_calls(call: Callable[[Job], Done], jobs: Sequence[Job], workers: int | None = None,
              on_done: ProgressHook | None = None, scheduler: Scheduler | None = None
              ) -> list[Done]:
    """``call`` of every job, in job order, wherever :func:`run_jobs` runs them (``call`` a
    module-level function and the jobs plain data, so that both pickle). For a study whose
    jobs are more than a scenario and a replication (a backtest's given arrivals)."""
    results: list[Done] = []
    if scheduler is not None:
        with connect(scheduler) as client:
            futures = client.map(call, jobs, pure=False)
            try:
                for future in futures:  # in job order; they run in parallel meanwhile
                    results.append(future.result())
                    if on_done:
                        on_done(len(results))
            except BaseException:
                client.cancel(futures)
                raise
        return results
    workers = min(workers or default_workers(), len(jobs))
    if workers <= 1:
        for job in jobs:
            results.append(call(job))
            if on_done:
                on_done(len(results))
        return results
    from concurrent.futures import ProcessPoolExecutor  # imported on use: 1 worker needs no pool

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_quiet_worker)
    try:
        for tree in pool.map(call, jobs):
            results.append(tree)
            if on_done:
                on_done(len(results))
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()
    return results


def run_many(scenarios: list[Scenario], replications: int, workers: int | None = None,
             on_done: ProgressHook | None = None, scheduler: Scheduler | None = None
             ) -> list[list[Figures]]:
    """Replications 0..n-1 of several scenarios together; figures per scenario, in order."""
    jobs = [(scenario, r) for scenario in scenarios for r in range(replications)]
    flat = run_jobs(jobs, workers, on_done, scheduler)
    return [flat[i * replications:(i + 1) * replications] for i in range(len(scenarios))]


def run_replications(
    scenario: Scenario,
    replications: int | None = None,
    workers: int | None = None,
    on_done: ProgressHook | None = None,
    scheduler: Scheduler | None = None,
) -> list[Figures]:
    """Metrics of every replication, in replication order.

    Parameters
    ----------
    replications
        Defaults to ``run.replications``.
    workers
        Processes to use; 1 runs in this process. Defaults to every core.
    on_done
        Called with the number of replications finished so far.
    scheduler
        A Dask scheduler address ("tcp://host:port"), or a :class:`Cluster` with its
        timeout, to run them on instead.
    """
    n = replications if replications is not None else scenario.run.replications
    return run_jobs([(scenario, r) for r in range(n)], workers, on_done, scheduler)


def versions() -> dict[str, str]:
    """Versions of ccsim, Python and the libraries the numbers depend on."""
    out = {"python": platform.python_version()}
    for dist in ("ccsim", "numpy", "scipy", "simpy", "pydantic"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "unknown"
    return out


def open_days_measured(scenario: Scenario) -> float:
    """Open days after the warm-up (a part-day counts in part): the "per open day" divisor."""
    cal = Calendar.of(scenario)
    mask = cal.open_mask()
    starts = cal.interval_starts()
    ends = np.minimum(starts + cal.interval_seconds, cal.horizon_seconds)
    seen = np.clip(ends - np.maximum(starts, cal.warmup_seconds), 0, None)
    opening = cal.intervals_open * cal.interval_seconds
    return round(float((seen * mask).sum()) / opening, 6)


def interval_rows(replications: Sequence[Figures], key: str = "intervals_by_day",
                  ) -> tuple[IntervalRow, ...]:
    """The per-interval rows of ``key`` (``intervals`` or ``intervals_by_day``) as estimates."""
    return tuple(IntervalRow.of([r[key][i] for r in replications])
                 for i in range(len(replications[0][key])))


def verdicts(scenario: Scenario, replications: Sequence[Figures],
             targets_of: Scenario | None = None) -> Verdicts:
    """The guardrails (of ``targets_of``, default the scenario's own) judged on these
    replications of ``scenario``: on the run and per interval."""
    return judge(targets_of or scenario, Sections.of(list(replications)).channels,
                 interval_rows(replications), scenario.hours.interval_minutes)


def run_result(loaded: LoadedScenario, replications: list[Figures],
               targets_of: Scenario | None = None) -> RunResult:
    """What ``ccsim run`` reports (SPEC §4) from the figures of every replication, provenance
    included. No timestamps.

    Its guardrails are those of ``targets_of`` (a baseline judging a lever), default its own.
    """
    scenario = loaded.scenario
    sections = Sections.of(replications)
    intervals, by_day = interval_rows(replications, "intervals"), interval_rows(replications)
    seed, n = scenario.run.seed, len(replications)
    return RunResult(
        scenario=scenario.scenario.name,
        file=str(loaded.path),
        replications=n,
        seed=seed,
        simulated_days=scenario.run.days,
        warmup_hours=scenario.run.warmup_hours,
        open_days_measured=open_days_measured(scenario),
        version=versions()["ccsim"],
        currency=scenario.costs.currency,
        period=scenario.report.period,
        channels=sections.channels,
        contact_types=contact_types_of(replications),
        agent_groups=sections.agent_groups,
        cost=sections.cost,
        guardrails=judge(targets_of or scenario, sections.channels, by_day,
                         scenario.hours.interval_minutes),
        intervals=intervals,
        intervals_by_day=by_day,
        provenance=Provenance(
            files=tuple(str(f) for f in loaded.files),
            sha256=loaded.sha256,
            overrides=tuple(loaded.overrides),
            # a file without [plan] keeps the configuration it always had (no "plan": null)
            configuration=scenario.model_dump(mode="json", by_alias=True, exclude=(
                {"plan"} if scenario.plan is None else None)),
            seed=seed,
            replications=n,
            versions=versions(),
        ),
        service_level_seconds={c.name: float(c.service_level_seconds) for c in scenario.channels},
    )


def result_document(loaded: LoadedScenario, replications: list[Figures],
                    targets_of: Scenario | None = None) -> Document:
    """The ``ccsim run`` JSON document: :func:`run_result` as data (for notebooks and the HTML
    page, which read documents)."""
    return run_result(loaded, replications, targets_of).to_document()
