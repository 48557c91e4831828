"""Inputs nobody knows exactly (``[uncertainty]``, SPEC §6): which matter, and the range they give.

* :func:`sensitivity_document` (``ccsim sensitivity``): one input at a time at the low and the
  high end of its range, every other input at the file's value. The *swing* of an input is the
  cost per contact at its high end minus that at its low end, taken within each replication
  (all variants run on the file's seeds: common random numbers), so the tornado ranks inputs by
  differences whose intervals are narrow even where each run's interval is wide.
* :func:`uncertainty_range` (``ccsim run`` on a file with ranges): every input varies at once,
  Latin-hypercube samples of the ranges (uniform, or triangular around ``likely``); each sample
  runs ``uncertainty.replications`` replications on the file's seeds, and the range reported is
  the percentiles (10th-90th by default) of the samples' cost per contact. It answers "what
  could cost per contact be, given what we do not know", beside the 95 % interval that answers
  "how precisely did the simulation estimate it".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.experiment import ProgressHook, run_many
from simulator.metrics import Tree, interval95, per_contact, stack, summarise
from simulator.results.guardrails import broken_guardrails, evaluate_targets
from simulator.spec.layers import LoadedScenario, uncertain_values, value_at, with_values
from simulator.spec.schema import Scenario
from simulator.spec.uncertainty import UncertainInputSpec, UncertaintySpec
from simulator.streams import stream_key


def _ranges(scenario: Scenario) -> UncertaintySpec:
    if scenario.uncertainty is None:
        msg = "no [uncertainty] table: give the inputs nobody knows exactly as ranges"
        raise ValueError(msg)
    return scenario.uncertainty


def _paired(a: np.ndarray, b: np.ndarray) -> dict[str, float | None]:
    return interval95((a - b).tolist())


def _broken(scenario: Scenario, trees: list[Tree]) -> list[str]:
    return broken_guardrails({"targets": evaluate_targets(scenario, summarise(stack(trees)))})


def describe_input(scenario: Scenario, spec: UncertainInputSpec) -> Tree:
    """An input as reports show it: name, keys, kind, range and the file's value (of the first
    key; ``None`` for a scale, whose file value is the factor 1)."""
    base: Any = None
    if not spec.scale:
        try:
            base = value_at(scenario.model_dump(mode="json", by_alias=True), spec.keys[0])
        except KeyError:
            base = None
    return {"name": spec.name, "keys": list(spec.keys), "kind": "scale" if spec.scale else "value",
            "low": spec.low, "high": spec.high, "likely": spec.likely,
            "base": base if isinstance(base, int | float) else None}


def sensitivity_variants(scenario: Scenario) -> list[Scenario]:
    """The file's scenario, then each input at its low and its high end (others as in the file)."""
    ranges = _ranges(scenario)
    return [scenario, *(with_values(scenario, uncertain_values(scenario, i, level))
                        for i, spec in enumerate(ranges.inputs) for level in (spec.low, spec.high))]


def sensitivity_document(loaded: LoadedScenario, workers: int | None = None,
                         on_done: ProgressHook | None = None, scheduler: str | None = None,
                         prepare: Callable[[Scenario], Scenario] | None = None) -> Tree:
    """The ``ccsim sensitivity`` document: inputs ranked by the swing of cost per contact.

    ``prepare`` turns each variant into what is run (e.g. re-staffs it to the file's targets,
    ``--staff equal-service``); by default every variant keeps the file's roster.
    """
    scenario = loaded.scenario
    ranges = _ranges(scenario)
    variants = sensitivity_variants(scenario)
    if prepare is not None:
        variants = [prepare(variant) for variant in variants]
    trees = run_many(variants, scenario.run.replications, workers, on_done, scheduler)
    base = per_contact(trees[0])
    rows = []
    for i, spec in enumerate(ranges.inputs):
        low_trees, high_trees = trees[1 + 2 * i], trees[2 + 2 * i]
        low, high = per_contact(low_trees), per_contact(high_trees)
        rows.append({
            **describe_input(scenario, spec),
            "at_low": interval95(low.tolist()),
            "at_high": interval95(high.tolist()),
            "change_low": _paired(low, base),
            "change_high": _paired(high, base),
            "swing": _paired(high, low),
            "guardrails_broken_low": _broken(scenario, low_trees),
            "guardrails_broken_high": _broken(scenario, high_trees),
        })
    rows.sort(key=lambda row: -abs(row["swing"]["mean"] or 0.0))
    return {
        "file": str(loaded.path),
        "scenario": scenario.scenario.name,
        "currency": scenario.costs.currency,
        "seed": scenario.run.seed,
        "replications": scenario.run.replications,
        "metric": "cost.per_contact",
        "staffing": "file" if prepare is None else "equal-service",
        "base": interval95(base.tolist()),
        "guardrails_broken": _broken(scenario, trees[0]),
        "inputs": rows,
    }


def latin_hypercube(scenario: Scenario) -> np.ndarray:
    """``samples × inputs`` levels: a Latin-hypercube design of the ranges (uniform, or
    triangular around ``likely``), seeded from ``run.seed`` by its own named stream."""
    ranges = _ranges(scenario)
    sequence = np.random.SeedSequence(scenario.run.seed, spawn_key=stream_key("uncertainty"))
    from scipy.stats import qmc, triang  # imported on use: only files with ranges need them

    unit = qmc.LatinHypercube(d=len(ranges.inputs), rng=np.random.default_rng(sequence)
                              ).random(ranges.samples)
    levels: np.ndarray = np.empty(unit.shape)
    for j, spec in enumerate(ranges.inputs):
        width = spec.high - spec.low
        if spec.likely is None:
            levels[:, j] = spec.low + unit[:, j] * width
        else:
            levels[:, j] = triang.ppf(unit[:, j], (spec.likely - spec.low) / width,
                                      loc=spec.low, scale=width)
    return levels


def _spread(values: list[float], percentiles: tuple[float, float]) -> Tree:
    data = np.array([v for v in values if not math.isnan(v)], dtype=np.float64)
    if data.size == 0:
        return {"low": None, "median": None, "high": None, "mean": None}
    low, median, high = np.percentile(data, [percentiles[0], 50.0, percentiles[1]])
    return {"low": float(low), "median": float(median), "high": float(high),
            "mean": float(data.mean())}


def uncertainty_range(scenario: Scenario, workers: int | None = None,
                      on_done: ProgressHook | None = None, scheduler: str | None = None
                      ) -> Tree:
    """Cost per contact, period total, service level and abandonment as ranges over
    Latin-hypercube samples of ``[uncertainty]`` (the ``uncertainty`` section of a run)."""
    ranges = _ranges(scenario)
    levels = latin_hypercube(scenario)
    variants = []
    for row in levels:
        values = [pair for j, level in enumerate(row)
                  for pair in uncertain_values(scenario, j, float(level))]
        variants.append(with_values(scenario, values))
    replications = ranges.replications or scenario.run.replications
    trees = run_many(variants, replications, workers, on_done, scheduler)
    means = [summarise(stack(runs)) for runs in trees]

    def mean_of(summary: Tree, *path: str) -> float:
        node = summary
        for part in path:
            node = node[part]
        return float("nan") if node["mean"] is None else float(node["mean"])

    channels = [c.name for c in scenario.channels]
    return {
        "samples": ranges.samples,
        "replications": replications,
        "percentiles": list(ranges.percentiles),
        "method": "latin-hypercube",
        "inputs": [describe_input(scenario, spec) for spec in ranges.inputs],
        "cost_per_contact": _spread([mean_of(m, "cost", "per_contact") for m in means],
                                    ranges.percentiles),
        "period_total": _spread([mean_of(m, "cost", "period_total") for m in means],
                                ranges.percentiles),
        "service_level": {ch: _spread([mean_of(m, "channels", ch, "service_level")
                                       for m in means], ranges.percentiles) for ch in channels},
        "abandon_rate": {ch: _spread([mean_of(m, "channels", ch, "abandon_rate")
                                      for m in means], ranges.percentiles) for ch in channels},
        "sample_table": [
            {"values": {spec.name: float(level) for spec, level in zip(ranges.inputs, row,
                                                                          strict=True)},
             "cost_per_contact": mean_of(m, "cost", "per_contact"),
             "period_total": mean_of(m, "cost", "period_total")}
            for row, m in zip(levels, means, strict=True)],
    }
