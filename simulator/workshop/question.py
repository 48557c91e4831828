"""A question the room asks: which levers are on and with what values, as the scenarios to run.

Each lever alone is its file loaded with the controls' values as ``--set`` overrides (then the
baseline's run section, :func:`~simulator.studies.comparison.same_run`), exactly as
``ccsim compare BASELINE LEVER --set ...`` loads it, so a problem reads as the CLI's would. With
more than one lever on, the bridge's steps stack them in order (:mod:`simulator.studies.bridge`).
The scenarios' content, not their file names, keys the cache (:func:`scenario_key`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from simulator.spec.layers import (
    LoadedScenario,
    Override,
    ScenarioError,
    load_scenario,
    load_stacked,
)
from simulator.spec.schema import Scenario
from simulator.studies.bridge import scenarios_to_run
from simulator.studies.comparison import same_run
from simulator.workshop.controls import (
    Control,
    lever_controls,
    room_controls,
    scaled_overrides,
    value_overrides,
)

#: the name of the room's own lever (volume, wage and head-count changes on the baseline)
ROOM_NAME = "Room's what-ifs"


@dataclass(frozen=True)
class Lever:
    """A lever on the page: its name, its file (None: the room's what-ifs) and controls."""

    name: str
    path: Path | None
    controls: tuple[Control, ...]

    @property
    def ident(self) -> str:
        return "room" if self.path is None else "lever_" + "".join(
            ch if ch.isalnum() else "_" for ch in self.path.stem)


def levers_of(baseline: LoadedScenario, files: Sequence[Path]) -> list[Lever]:
    """The levers of the given files (then the room's what-ifs), each with its controls.

    Raises
    ------
    ScenarioError
        A lever that does not load, or does not extend the baseline.
    """
    pinned = same_run(baseline.scenario)
    levers: list[Lever] = []
    problems: list[str] = []
    for file in files:
        try:
            loaded = load_scenario(file, pinned)
            levers.append(Lever(loaded.scenario.scenario.name, file,
                                lever_controls(baseline.path, file, loaded.scenario)))
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    return [*levers, Lever(ROOM_NAME, None, room_controls())]


Values = Mapping[str, Mapping[str, float]]
"""The controls' values: by lever ident, then by control ident (a control left out: its start)."""


def setting_text(lever: Lever, values: Values) -> str:
    """The lever's values that differ from its start, as ``label = value`` (or "as in the file")."""
    own = values.get(lever.ident, {})
    changed = [f"{c.label} = {own[c.ident]:g}{' %' if c.unit == '%' else ''}"
               for c in lever.controls if c.ident in own and own[c.ident] != c.start]
    return "; ".join(changed) if changed else ("as in the file" if lever.path else "no change")


def load_lever(baseline: LoadedScenario, levers: Sequence[Lever], values: Values
               ) -> LoadedScenario:
    """The levers applied in turn on the baseline with their values, on the baseline's run
    (one lever: its file as ``ccsim compare`` loads it, with the values as ``--set``).

    Raises
    ------
    ScenarioError
        The problems of the scenario these values make, as the CLI states them.
    """
    pinned = same_run(baseline.scenario)
    files = [lever.path for lever in levers if lever.path is not None]
    overrides: list[Override] = []

    def loaded(extra: list[Override]) -> LoadedScenario:
        everything = [*overrides, *extra, *pinned]
        if len(files) == 1 and len(levers) == 1:
            return load_scenario(files[0], everything)
        return load_stacked(baseline.path, files[:], everything) if files else \
            load_scenario(baseline.path, everything)

    for k, lever in enumerate(levers):
        own = values.get(lever.ident, {})
        overrides += value_overrides(lever.controls, own)
        if any(c.kind != "value" and own.get(c.ident, c.start) != c.start
               for c in lever.controls):
            upto = [lv.path for lv in levers[: k + 1] if lv.path is not None]
            here = load_stacked(baseline.path, upto, [*overrides, *pinned]).scenario \
                if upto else load_scenario(baseline.path, [*overrides, *pinned]).scenario
            overrides += scaled_overrides(lever.controls, own, here)
    result = loaded([])
    if lever_is_room(levers):
        info = result.scenario.scenario.model_copy(update={"name": ROOM_NAME})
        result = replace(result, scenario=result.scenario.model_copy(update={"scenario": info}))
    return result


def lever_is_room(levers: Sequence[Lever]) -> bool:
    return len(levers) == 1 and levers[0].path is None


@dataclass(frozen=True)
class Question:
    """The levers switched on, with their values, as the scenarios a bridge runs."""

    baseline: LoadedScenario
    levers: tuple[Lever, ...]
    settings: tuple[str, ...]  # per lever on: its values in words
    steps: tuple[LoadedScenario, ...]  # levers 1..k stacked, for each k
    alone: tuple[LoadedScenario, ...]  # each lever alone on the baseline

    def scenarios(self) -> list[Scenario]:
        """What to simulate, in the order of :func:`~simulator.studies.bridge.scenarios_to_run`."""
        if not self.alone:
            return [self.baseline.scenario]
        return scenarios_to_run(self.baseline, list(self.steps), list(self.alone))


def ask(baseline: LoadedScenario, levers: Sequence[Lever], on: Sequence[bool], values: Values
        ) -> Question | dict[str, list[str]]:
    """The question of the levers switched ``on`` with these values, or the problems of each
    lever that cannot run (by lever ident; nothing is simulated then)."""
    chosen = [lever for lever, yes in zip(levers, on, strict=True) if yes]
    alone: list[LoadedScenario] = []
    problems: dict[str, list[str]] = {}
    for lever in chosen:
        try:
            alone.append(load_lever(baseline, [lever], values))
        except ScenarioError as exc:
            problems[lever.ident] = exc.problems
    if problems:
        return problems
    steps = alone[:1]
    for k in range(1, len(chosen)):
        try:
            step = load_lever(baseline, chosen[: k + 1], values)
        except ScenarioError as exc:
            return {chosen[k].ident: exc.problems}
        name = " + ".join(a.scenario.scenario.name for a in alone[: k + 1])
        info = step.scenario.scenario.model_copy(update={"name": name})
        steps.append(replace(step, scenario=step.scenario.model_copy(update={"scenario": info})))
    return Question(baseline, tuple(chosen), tuple(setting_text(lv, values) for lv in chosen),
                    tuple(steps), tuple(alone))


def scenario_key(scenario: Scenario) -> str:
    """What a scenario's replications depend on, hashed: its validated content as canonical
    JSON, without its name, description and number of replications (replication *r* is the
    same whatever the run's count), so the cache finds a setting again under any label."""
    data = scenario.model_dump(mode="json", by_alias=True)
    data["run"].pop("replications", None)
    data.pop("scenario", None)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()
