"""Replications of a scenario, run serially or on a process pool, and the result document.

Each replication is seeded only by ``(run.seed, replication index)``, so the numbers do not
depend on how many workers ran them or in what order they finished.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Callable
from importlib import metadata

import numpy as np

from simulator.metrics import Tree, replication_metrics, stack, summarise
from simulator.model import simulate
from simulator.model.calendar import Calendar
from simulator.results.guardrails import evaluate_targets
from simulator.spec.layers import LoadedScenario
from simulator.spec.schema import Scenario

ProgressHook = Callable[[int], None]


def run_replication(scenario: Scenario, replication: int) -> Tree:
    """Simulate one replication and return its metrics tree (picklable, pure data)."""
    return replication_metrics(simulate(scenario, replication), scenario)


def _run_one(job: tuple[Scenario, int]) -> Tree:
    return run_replication(*job)


def default_workers() -> int:
    return os.cpu_count() or 1


def run_jobs(jobs: list[tuple[Scenario, int]], workers: int | None = None,
             on_done: ProgressHook | None = None, scheduler: str | None = None) -> list[Tree]:
    """Run (scenario, replication) jobs, results in job order: in this process, on a local
    process pool (``workers`` > 1), or on a Dask cluster (``scheduler``, "tcp://host:port").

    A job's numbers depend only on its scenario and replication index, so they are the same
    wherever it runs.
    """
    results: list[Tree] = []
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
             ) -> list[list[Tree]]:
    """Replications 0..n-1 of several scenarios together; trees per scenario, in order."""
    jobs = [(scenario, r) for scenario in scenarios for r in range(replications)]
    flat = run_jobs(jobs, workers, on_done, scheduler)
    return [flat[i * replications:(i + 1) * replications] for i in range(len(scenarios))]


def run_replications(
    scenario: Scenario,
    replications: int | None = None,
    workers: int | None = None,
    on_done: ProgressHook | None = None,
    scheduler: str | None = None,
) -> list[Tree]:
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


def result_document(loaded: LoadedScenario, trees: list[Tree],
                    targets_of: Scenario | None = None) -> Tree:
    """The ``ccsim run`` JSON document (SPEC §4), provenance included. No timestamps.

    Its guardrails are those of ``targets_of`` (a baseline judging a lever), default its own.
    """
    scenario = loaded.scenario
    summary = summarise(stack(trees))
    return {
        "scenario": scenario.scenario.name,
        "file": str(loaded.path),
        "replications": len(trees),
        "seed": scenario.run.seed,
        "simulated_days": scenario.run.days,
        "warmup_hours": scenario.run.warmup_hours,
        "open_days_measured": open_days_measured(scenario),
        "version": versions()["ccsim"],
        "currency": scenario.costs.currency,
        "period": scenario.report.period,
        "channels": summary["channels"],
        "agent_groups": summary["agent_groups"],
        "cost": summary["cost"],
        "targets": evaluate_targets(targets_of or scenario, summary),
        "intervals": summary["intervals"],
        "provenance": {
            "files": [str(f) for f in loaded.files],
            "sha256": loaded.sha256,
            "overrides": list(loaded.overrides),
            "configuration": scenario.model_dump(mode="json", by_alias=True),
            "seed": scenario.run.seed,
            "replications": len(trees),
            "versions": versions(),
        },
    }
