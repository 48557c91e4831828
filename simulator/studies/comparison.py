"""Levers side by side: paired differences on common random numbers (SPEC §6).

Every scenario runs with the baseline's seed and number of replications, so replication *r* of
each sees the same customers with the same needs. The difference of a metric is taken within
each replication, and its 95 % Student-t interval comes from those paired differences — far
narrower than comparing two independent intervals, because the common noise cancels.
"""

from __future__ import annotations

import math
from typing import Any

from simulator.experiment import result_document
from simulator.metrics import Tree, stack, summarise
from simulator.results.guardrails import broken_guardrails
from simulator.spec.layers import LoadedScenario, Override
from simulator.spec.schema import Scenario

#: the sections of a run document whose statistics are differenced
SECTIONS = ("channels", "agent_groups", "cost")


def same_run(scenario: Scenario) -> list[Override]:
    """Overrides that put another scenario on this one's seeds and horizon (what pairs them),
    as typed values."""
    run = scenario.run
    return [Override(f"run.{key}", getattr(run, key))
            for key in ("seed", "replications", "days", "warmup_hours", "start_day")]


def _difference(other: Any, base: Any) -> Any:
    """Leafwise ``other - base`` of two replication trees (NaN where either is undefined)."""
    if isinstance(other, dict):
        return {k: _difference(other[k], base[k]) for k in other if k in base}
    if isinstance(other, list):
        return [_difference(o, b) for o, b in zip(other, base, strict=True)]
    if isinstance(other, str):
        return other
    a, b = float(other), float(base)
    return a - b if math.isfinite(a) and math.isfinite(b) else float("nan")


def paired_difference(others: list[Tree], bases: list[Tree]) -> Tree:
    """The paired difference document (same structure as a run's sections)."""
    diffs = [{k: _difference(o[k], b[k]) for k in SECTIONS}
             for o, b in zip(others, bases, strict=True)]
    return summarise(stack(diffs))  # type: ignore[no-any-return]


def comparison_document(loaded: list[LoadedScenario], trees: list[list[Tree]]) -> Tree:
    """The ``ccsim compare`` JSON: the baseline's run document, then for each other scenario its
    run document, the paired ``difference`` and the guardrails it breaks."""
    base_doc = result_document(loaded[0], trees[0])
    base_cost = base_doc["cost"]["per_contact"]["mean"]
    rows = []
    for scenario, runs in zip(loaded[1:], trees[1:], strict=True):
        # a lever is judged against the BASELINE's guardrails (its own may differ)
        doc = result_document(scenario, runs, targets_of=loaded[0].scenario)
        difference = paired_difference(runs, trees[0])
        broken = broken_guardrails(doc)
        saving = difference["cost"]["per_contact"]
        cheaper = (saving["ci_high"] is not None and saving["ci_high"] < 0) if len(runs) > 1 \
            else (saving["mean"] is not None and saving["mean"] < 0)
        rows.append({
            "scenario": doc["scenario"],
            "file": doc["file"],
            "result": doc,
            "difference": difference,
            "guardrails_broken": broken,
            # cheaper per contact beyond doubt, AND keeping every guardrail of the baseline
            "cheaper": bool(cheaper and not broken),
        })
    return {
        "baseline": base_doc,
        "scenarios": rows,
        "cost_per_contact": base_cost,
        "seed": base_doc["seed"],
        "replications": base_doc["replications"],
    }
