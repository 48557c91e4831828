"""Replications of a scenario, run serially or on a process pool, and the run's result.

Each replication is seeded only by ``(run.seed, replication index)``, so the numbers do not
depend on how many workers ran them or in what order they finished.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Callable, Sequence
from importlib import metadata

import numpy as np

from simulator.metrics import replication_metrics
from simulator.model import simulate
from simulator.model.calendar import Calendar
from simulator.results.estimate import Document
from simulator.results.guardrails import Verdicts, judge
from simulator.results.run import Figures, IntervalRow, Provenance, RunResult, Sections
from simulator.spec.layers import LoadedScenario
from simulator.spec.schema import Scenario

ProgressHook = Callable[[int], None]


def run_replication(scenario: Scenario, replication: int) -> Figures:
    """Simulate one replication and return its figures (picklable, pure data)."""
    return replication_metrics(simulate(scenario, replication), scenario)


def _run_one(job: tuple[Scenario, int]) -> Figures:
    return run_replication(*job)


def default_workers() -> int:
    return os.cpu_count() or 1


def run_jobs(jobs: list[tuple[Scenario, int]], workers: int | None = None,
             on_done: ProgressHook | None = None, scheduler: str | None = None) -> list[Figures]:
    """Run (scenario, replication) jobs, results in job order: in this process, on a local
    process pool (``workers`` > 1), or on a Dask cluster (``scheduler``, "tcp://host:port").

    A job's numbers depend only on its scenario and replication index, so they are the same
    wherever it runs.
    """
    results: list[Figures] = []
    if scheduler is not None:
        from distributed import Client  # imported on use: a cluster is optional

        with Client(scheduler) as client:
            futures = client.map(_run_one, jobs, pure=False)
            for future in futures:  # in job order; they run in parallel meanwhile
                results.append(future.result())
                if on_done:
                    on_done(len(results))
        return results
    workers = min(workers or default_workers(), len(jobs))
    if workers <= 1:
        for job in jobs:
            results.append(_run_one(job))
            if on_done:
                on_done(len(results))
        return results
    from concurrent.futures import ProcessPoolExecutor  # imported on use: 1 worker needs no pool

    with ProcessPoolExecutor(max_workers=workers) as pool:
        for tree in pool.map(_run_one, jobs):
            results.append(tree)
            if on_done:
                on_done(len(results))
    return results


def run_many(scenarios: list[Scenario], replications: int, workers: int | None = None,
             on_done: ProgressHook | None = None, scheduler: str | None = None
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
    scheduler: str | None = None,
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
        A Dask scheduler address ("tcp://host:port") to run them on instead.
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
            configuration=scenario.model_dump(mode="json", by_alias=True),
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
