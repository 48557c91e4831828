"""Inputs nobody knows exactly (``[uncertainty]``, SPEC §6): which matter, and the range they give.

* :func:`sensitivity` (``ccsim sensitivity``): one input at a time at the low and the
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

from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.experiment import ProgressHook, Scheduler, run_many, verdicts
from simulator.metrics import per_contact
from simulator.results.estimate import Document, Estimate, Spread
from simulator.results.run import Figures, Sections, UncertainInput, UncertaintyResult, UncertaintySample
from simulator.results.studies import SensitivityResult, SensitivityRow
from simulator.spec.layers import LoadedScenario, uncertain_values, value_at, with_values
from simulator.spec.schema import Scenario
from simulator.spec.uncertainty import UncertainInputSpec, UncertaintySpec
from simulator.streams import stream_key


def _ranges(scenario: Scenario) -> UncertaintySpec:
    if scenario.uncertainty is None:
        msg = "no [uncertainty] table: give the inputs nobody knows exactly as ranges"
        raise ValueError(msg)
    return scenario.uncertainty


def _paired(a: np.ndarray, b: np.ndarray) -> Estimate:
    return Estimate.of(a - b)


def _broken(scenario: Scenario, runs: list[Figures]) -> tuple[str, ...]:
    return tuple(verdicts(scenario, runs).broken())


def describe_input(scenario: Scenario, spec: UncertainInputSpec) -> UncertainInput:
    """An input as reports show it: name, keys, kind, range and the file's value (of the first
    key; ``None`` for a scale, whose file value is the factor 1)."""
    base: Any = None
    if not spec.scale:
        try:
            base = value_at(scenario.model_dump(mode="json", by_alias=True), spec.keys[0])
        except KeyError:
            base = None
    return UncertainInput(spec.name, tuple(spec.keys), "scale" if spec.scale else "value",
                          spec.low, spec.high, spec.likely,
                          base if isinstance(base, int | float) else None)


def sensitivity_variants(scenario: Scenario) -> list[Scenario]:
    """The file's scenario, then each input at its low and its high end (others as in the file)."""
    ranges = _ranges(scenario)
    return [scenario, *(with_values(scenario, uncertain_values(scenario, i, level))
                        for i, spec in enumerate(ranges.inputs) for level in (spec.low, spec.high))]


def sensitivity(loaded: LoadedScenario, workers: int | None = None,
                on_done: ProgressHook | None = None, scheduler: Scheduler | None = None,
                prepare: Callable[[Scenario], Scenario] | None = None) -> SensitivityResult:
    """``ccsim sensitivity``: inputs ranked by the swing of cost per contact.

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
        rows.append(SensitivityRow(
            input=describe_input(scenario, spec),
            at_low=Estimate.of(low),
            at_high=Estimate.of(high),
            change_low=_paired(low, base),
            change_high=_paired(high, base),
            swing=_paired(high, low),
            guardrails_broken_low=_broken(scenario, low_trees),
            guardrails_broken_high=_broken(scenario, high_trees),
        ))
    rows.sort(key=lambda row: -abs(row.swing.mean or 0.0))
    return SensitivityResult(
        file=str(loaded.path),
        scenario=scenario.scenario.name,
        currency=scenario.costs.currency,
        seed=scenario.run.seed,
        replications=scenario.run.replications,
        staffing="file" if prepare is None else "equal-service",
        base=Estimate.of(base),
        guardrails_broken=_broken(scenario, trees[0]),
        inputs=tuple(rows),
    )


def sensitivity_document(loaded: LoadedScenario, workers: int | None = None,
                         on_done: ProgressHook | None = None, scheduler: Scheduler | None = None,
                         prepare: Callable[[Scenario], Scenario] | None = None) -> Document:
    """The ``ccsim sensitivity`` JSON (:func:`sensitivity` as data)."""
    return sensitivity(loaded, workers, on_done, scheduler, prepare).to_document()


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


def uncertainty_range(scenario: Scenario, workers: int | None = None,
                      on_done: ProgressHook | None = None, scheduler: Scheduler | None = None
                      ) -> UncertaintyResult:
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
    means = [Sections.of(runs) for runs in trees]

    def mean_of(stat: Estimate | None) -> float:
        return float("nan") if stat is None or stat.mean is None else float(stat.mean)

    channels = [c.name for c in scenario.channels]
    per_contact_means = [mean_of(m.cost.per_contact) for m in means]
    period_means = [mean_of(m.cost.period_total) for m in means]
    return UncertaintyResult(
        samples=ranges.samples,
        replications=replications,
        percentiles=ranges.percentiles,
        method="latin-hypercube",
        inputs=tuple(describe_input(scenario, spec) for spec in ranges.inputs),
        cost_per_contact=Spread.of(per_contact_means, ranges.percentiles),
        period_total=Spread.of(period_means, ranges.percentiles),
        service_level={ch: Spread.of([mean_of(m.channels[ch].service_level) for m in means],
                                     ranges.percentiles) for ch in channels},
        abandon_rate={ch: Spread.of([mean_of(m.channels[ch].abandon_rate) for m in means],
                                    ranges.percentiles) for ch in channels},
        sample_table=tuple(
            UncertaintySample({spec.name: float(level)
                               for spec, level in zip(ranges.inputs, row, strict=True)},
                              cost, total)
            for row, cost, total in zip(levels, per_contact_means, period_means, strict=True)),
    )
