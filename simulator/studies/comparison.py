"""Levers side by side: paired differences on common random numbers (SPEC §6).

Every scenario runs with the baseline's seed and number of replications, so replication *r* of
each sees the same customers with the same needs. The difference of a metric is taken within
each replication, and its 95 % Student-t interval comes from those paired differences — far
narrower than comparing two independent intervals, because the common noise cancels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from simulator.experiment import run_result
from simulator.results.estimate import Document
from simulator.results.run import Figures, Sections
from simulator.results.staffing import GroupStaffing
from simulator.results.studies import ComparisonResult, ComparisonRow
from simulator.spec.layers import LoadedScenario, Override
from simulator.spec.schema import Scenario

#: the sections of a run whose figures are differenced
SECTIONS = ("channels", "agent_groups", "cost")


def same_run(scenario: Scenario) -> list[Override]:
    """Overrides that put another scenario on this one's seeds and horizon (what pairs them),
    as typed values."""
    run = scenario.run
    return [Override(f"run.{key}", getattr(run, key))
            for key in ("seed", "replications", "days", "warmup_hours", "start_day")]


def _difference(other: Any, base: Any) -> Any:
    """Leafwise ``other - base`` of two replications' figures (NaN where either is undefined)."""
    if isinstance(other, dict):
        return {k: _difference(other[k], base[k]) for k in other if k in base}
    if isinstance(other, list):
        return [_difference(o, b) for o, b in zip(other, base, strict=True)]
    if isinstance(other, str):
        return other
    a, b = float(other), float(base)
    return a - b if math.isfinite(a) and math.isfinite(b) else float("nan")


def paired_difference(others: list[Figures], bases: list[Figures]) -> Sections:
    """The paired difference ``other − base`` of every figure of the differenced sections,
    replication by replication, with its interval."""
    diffs = [{k: _difference(o[k], b[k]) for k in SECTIONS}
             for o, b in zip(others, bases, strict=True)]
    return Sections.of(diffs)


def comparison(loaded: list[LoadedScenario], replications: list[list[Figures]],
               staffing: Sequence[dict[str, GroupStaffing] | None] | None = None
               ) -> ComparisonResult:
    """``ccsim compare``: the baseline's run, then for each other scenario its run (judged by
    the baseline's guardrails) and the paired difference. ``staffing``: per scenario, the
    groups re-staffed before the run (None: the file's roster)."""
    staffed = list(staffing or [None] * len(loaded))
    baseline = replace(run_result(loaded[0], replications[0]), staffing=staffed[0])
    rows = []
    for scenario, runs, groups in zip(loaded[1:], replications[1:], staffed[1:], strict=True):
        # a lever is judged against the BASELINE's guardrails (its own may differ)
        result = replace(run_result(scenario, runs, targets_of=loaded[0].scenario),
                         staffing=groups)
        difference = paired_difference(runs, replications[0])
        saving = difference.cost.per_contact
        cheaper = (saving.ci_high is not None and saving.ci_high < 0) if len(runs) > 1 \
            else (saving.mean is not None and saving.mean < 0)
        # cheaper per contact beyond doubt, AND keeping every guardrail of the baseline
        rows.append(ComparisonRow(result, difference,
                                  bool(cheaper and result.guardrails.all_met())))
    return ComparisonResult(baseline, tuple(rows))


def comparison_document(loaded: list[LoadedScenario], replications: list[list[Figures]]
                        ) -> Document:
    """The ``ccsim compare`` JSON (:func:`comparison` as data, for notebooks and the HTML page)."""
    return comparison(loaded, replications).to_document()
