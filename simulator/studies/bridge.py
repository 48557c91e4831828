"""The lever bridge (``ccsim bridge``, SPEC §6): from the baseline's cost per contact to that of
every lever together, one step per lever.

Step *k* is the baseline with levers 1..k applied (:func:`simulator.spec.layers.load_stacked`); each
step runs on the baseline's seeds and horizon (common random numbers), so the change a step
makes is a paired difference with its own narrow interval, and the steps add up — replication by
replication — to the difference between the combined scenario and the baseline.

A lever's worth depends on the order: a lever applied after another that already took the same
work away saves less than alone. So each lever also runs alone on the baseline, and the
*overlap* — the combined change minus the sum of the levers' changes alone — says how much the
levers' separate savings exceed what they save together (positive: together they save less).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from simulator.experiment import run_result
from simulator.metrics import per_contact
from simulator.results.estimate import Document, Estimate
from simulator.results.run import Figures
from simulator.results.staffing import GroupStaffing
from simulator.results.studies import BridgeResult, BridgeStep, Conflict
from simulator.spec.layers import LoadedScenario, Overrides, lever_conflicts, load_stacked
from simulator.spec.schema import Scenario
from simulator.studies.comparison import same_run


def bridge_scenarios(baseline: LoadedScenario, levers: list[Path], overrides: Overrides
                     ) -> tuple[list[LoadedScenario], list[LoadedScenario]]:
    """``(steps, alone)``: levers 1..k stacked on the baseline for each k, and each lever alone,
    all on the baseline's run settings. Raises :class:`~simulator.spec.layers.ScenarioError`."""
    pinned = [*overrides, *same_run(baseline.scenario)]
    alone = [load_stacked(baseline.path, [lever], pinned) for lever in levers]
    steps = [alone[0]] + [load_stacked(baseline.path, levers[: k + 1], pinned)
                          for k in range(1, len(levers))]
    names = [item.scenario.scenario.name for item in alone]
    steps = [_renamed(step, " + ".join(names[: k + 1])) for k, step in enumerate(steps)]
    return steps, alone


def _renamed(loaded: LoadedScenario, name: str) -> LoadedScenario:
    from dataclasses import replace

    info = loaded.scenario.scenario.model_copy(update={"name": name})
    return replace(loaded, scenario=loaded.scenario.model_copy(update={"scenario": info}))


def conflicts(baseline: Path, levers: list[Path], restaffed: bool = False) -> list[Conflict]:
    """Keys that more than one lever sets: the later lever's value is the one the steps use.
    When every step is re-staffed, the levers' head-counts are not used and do not count."""
    found = lever_conflicts(baseline, levers)
    if restaffed:
        found = [(key, names) for key, names in found if not (
            key.startswith("agent_groups.") and key.endswith((".agents", ".shifts")))]
    return [Conflict(key, tuple(names)) for key, names in found]


def scenarios_to_run(baseline: LoadedScenario, steps: list[LoadedScenario],
                     alone: list[LoadedScenario]) -> list[Scenario]:
    """What a bridge simulates, in the order :func:`bridge` takes the results: the
    baseline, every step, then every lever alone but the first (which is the first step)."""
    return [baseline.scenario, *(s.scenario for s in steps), *(a.scenario for a in alone[1:])]


def bridge(baseline: LoadedScenario, steps: list[LoadedScenario], alone: list[LoadedScenario],
           replications: list[list[Figures]], conflicting: list[Conflict] | None = None,
           staffing: Sequence[dict[str, GroupStaffing] | None] | None = None) -> BridgeResult:
    """``ccsim bridge``; ``replications`` are those of :func:`scenarios_to_run`, in its order,
    and so is ``staffing`` (each scenario's re-staffed groups, None where the file's roster
    ran)."""
    n = len(steps)
    staffed = list(staffing or [None] * len(replications))
    base_runs, step_runs = replications[0], replications[1 : 1 + n]
    alone_runs = [step_runs[0], *replications[1 + n :]]
    base = per_contact(base_runs)
    walk = [base, *(per_contact(t) for t in step_runs)]
    alone_changes = [per_contact(t) - base for t in alone_runs]
    # each step judged by the baseline's guardrails, as compare judges a lever
    results = tuple(replace(run_result(step, t, targets_of=baseline.scenario), staffing=groups)
                    for step, t, groups in zip(steps, step_runs, staffed[1 : 1 + n], strict=True))
    rows = tuple(BridgeStep(
        lever=alone[k].scenario.scenario.name,
        file=str(alone[k].path),
        cost_per_contact=Estimate.of(walk[k + 1]),
        change=Estimate.of(walk[k + 1] - walk[k]),
        alone=Estimate.of(alone_changes[k]),
        guardrails_broken=tuple(results[k].broken()),
    ) for k in range(n))
    total = walk[-1] - base
    sum_alone = np.sum(alone_changes, axis=0)
    return BridgeResult(
        baseline=replace(run_result(baseline, base_runs), staffing=staffed[0]),
        start=Estimate.of(base),
        steps=rows,
        end=Estimate.of(walk[-1]),
        total_change=Estimate.of(total),
        sum_alone=Estimate.of(sum_alone),
        overlap=Estimate.of(total - sum_alone),
        conflicts=tuple(conflicting or ()),
        results=results,
    )


def bridge_document(baseline: LoadedScenario, steps: list[LoadedScenario],
                    alone: list[LoadedScenario], replications: list[list[Figures]],
                    conflicting: list[Conflict] | None = None) -> Document:
    """The ``ccsim bridge`` JSON (:func:`bridge` as data, for notebooks and the HTML page)."""
    return bridge(baseline, steps, alone, replications, conflicting).to_document()
