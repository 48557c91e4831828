"""Read a scenario file into a validated :class:`~simulator.spec.schema.Scenario`.

Layers, last wins: the file named by ``extends`` (recursively), the file itself, then ``--set``
overrides. Tables merge key by key; arrays of tables merge by ``name``. Paths (``extends``, an
empirical distribution's ``file``) are relative to the file that names them. Values are checked
strictly: a quoted number or ``true`` where a number goes is an error, not a conversion.

Every problem is collected and raised together as a :class:`ScenarioError` whose lines read
``FILE: key.path: what is wrong``, where ``FILE`` is the file that sets the offending value (the
file itself or one it extends); a value given by ``--set`` says so.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.spec.capacity import capacity_problems
from simulator.spec.messages import (
    Layer,
    Named,
    Origins,
    Step,
    Table,
    allowed_keys,
    format_problems,
    format_validation_error,
    show_value,
)
from simulator.spec.reading import (
    MAX_EXTENDS,
    MAX_SCENARIO_BYTES,
    FileProblem,
    check_data,
    check_key_parts,
    check_name,
    parse_toml,
    parse_value_bounded,
    read_bounded,
    resolved,
    shown_name,
    shown_override,
)
from simulator.spec.schema import Scenario


class ScenarioError(Exception):
    """A scenario that cannot be run: one line per problem, each naming file and key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from (for provenance)."""

    scenario: Scenario
    path: Path
    files: tuple[Path, ...]  # the file and every file it extends, outermost first
    sha256: str  # hash over every file's bytes and the overrides
    overrides: tuple[str, ...]  # as KEY.PATH=VALUE text, for provenance




@dataclass(frozen=True)
class Override:
    """One ``--set``: a dotted key path and a typed value (a number stays a number, a bool a bool).

    The command line gives text (``KEY.PATH=VALUE``, read with :func:`parse_override`); the
    library passes values as they are, so nothing is turned into text and parsed back.
    """

    key: str
    value: Any

    def __str__(self) -> str:
        """``KEY.PATH=VALUE`` with the value written as TOML, as the command line would give it."""
        return f"{self.key}={toml_value(self.value)}"


#: what ``load_scenario`` and friends take as overrides: text from the command line, or typed
Overrides = Sequence["str | Override"]


def toml_value(value: Any) -> str:
    """A value as TOML inline text (strings quoted, bools lower case, tables inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    msg = f"cannot write {value!r} as TOML"
    raise TypeError(msg)


def parse_override(item: str) -> Override:
    """``KEY.PATH=VALUE`` from the command line; the value is read as TOML (``30``, ``0.5``,
    ``"text"``, ``[1, 2]``, ``{ dist = "fixed", value = 30 }``), a bare word as a string.

    Raises
    ------
    ValueError
        Without ``=`` or with an empty part in the key path.
    """
    if "=" not in item:
        msg = "expected KEY.PATH=VALUE"
        raise ValueError(msg)
    key, raw = item.split("=", 1)
    key = key.strip()
    check_key_parts(key)
    if not all(p.strip() for p in key.split(".")):
        msg = f"bad key path {key!r}"
        raise ValueError(msg)
    return Override(key, parse_value(raw.strip()))


def load_scenario(path: str | Path, overrides: Overrides = ()) -> LoadedScenario:
    """Read, merge, override and validate a scenario file.

    Raises
    ------
    ScenarioError
        With every problem found, each naming the file and the key path.
    """
    path = Path(path)
    files: list[Path] = []
    layers: list[Layer] = []
    data = _read_layers(path, str(path), chain=(), files=files, layers=layers)
    return _validated(path, str(path), data, files, layers, overrides)


def read_layers(path: str | Path) -> tuple[Table, list[Layer]]:
    """The data of a file merged over what it extends (before ``--set``, not validated) and
    each file's own keys, the file itself first, then what it extends, outermost first."""
    layers: list[Layer] = []
    data = _read_layers(Path(path), str(path), chain=(), files=[], layers=layers)
    return data, layers


def load_stacked(baseline: str | Path, levers: Sequence[str | Path],
                 overrides: Overrides = ()) -> LoadedScenario:
    """The baseline with each lever's changes applied in turn, then ``overrides``.

    A lever's changes are the keys of the lever file and of every file between it and the
    baseline in its ``extends`` chain: what loading the lever alone changes in the baseline. So
    ``load_stacked(base, [lever])`` is the lever file as it stands, and later levers win where
    two set the same key (see :func:`lever_conflicts`).

    Raises
    ------
    ScenarioError
        A lever that does not extend the baseline (directly or through other files), or any
        problem of the stacked scenario.
    """
    base_path = Path(baseline)
    files: list[Path] = []
    layers: list[Layer] = []
    data = _read_layers(base_path, str(base_path), chain=(), files=files, layers=layers)
    for lever in levers:
        changes = lever_layers(base_path, lever)
        for _, layer in changes:
            data = merge(data, copy.deepcopy(layer.data))
        # outermost first, as for one file: the last lever's own file leads
        files[:0] = [file for file, _ in reversed(changes)]
        layers[:0] = [layer for _, layer in reversed(changes)]
    label = " + ".join([str(base_path), *map(str, levers)])
    return _validated(Path(levers[-1]) if levers else base_path, label, data, files, layers,
                      overrides)


def lever_layers(baseline: str | Path, lever: str | Path) -> list[tuple[Path, Layer]]:
    """``(file, its own keys)`` a lever adds to the baseline, innermost (next to the baseline)
    first: the lever file and every file between it and the baseline in its ``extends`` chain."""
    files: list[Path] = []
    layers: list[Layer] = []
    _read_layers(Path(lever), str(lever), chain=(), files=files, layers=layers)
    target = resolved(Path(baseline))
    if target not in files:
        chain = " -> ".join(str(f) for f in files)
        raise ScenarioError([
            f"{lever}: extends: a lever must extend the baseline {baseline} (directly or "
            f"through other files); its chain is {chain}"
        ])
    own = files.index(target)
    return list(reversed(list(zip(files[:own], layers[:own], strict=True))))


def lever_conflicts(baseline: str | Path, levers: Sequence[str | Path]) -> list[tuple[str, list[str]]]:
    """``(key.path, [levers])`` for every key that more than one lever sets (the last wins)."""
    setters: dict[str, list[str]] = {}
    for lever in levers:
        keys: set[str] = set()
        for _, layer in lever_layers(baseline, lever):
            keys |= set(_leaf_keys(layer.data))
        for key in sorted(keys):
            setters.setdefault(key, []).append(str(lever))
    return [(key, names) for key, names in setters.items()
            if len(names) > 1 and key != "scenario.name" and key != "scenario.description"]


def leaf_keys(node: Any) -> list[str]:
    """Dotted paths of the values a layer's data sets (arrays of tables by name, a
    distribution whole): the keys a lever file changes."""
    return _leaf_keys(node)


def _leaf_keys(node: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the values a layer sets (arrays of tables by name, a distribution whole)."""
    if isinstance(node, dict) and "dist" not in node:
        return [k for key, value in node.items() for k in _leaf_keys(value, f"{prefix}{key}.")]
    if _is_named_tables(node):
        return [k for item in node for key, value in item.items() if key != "name"
                for k in _leaf_keys(value, f"{prefix}{item['name']}.{key}.")]
    return [prefix.rstrip(".")]


def _validated(path: Path, label: str, data: Table, files: list[Path], layers: list[Layer],
               overrides: Overrides) -> LoadedScenario:
    """Apply ``--set`` overrides to merged data and validate it (every problem together)."""
    texts = [str(item) for item in overrides]
    digest = hashlib.sha256()
    for f in files:
        try:
            digest.update(read_bounded(f, MAX_SCENARIO_BYTES, "a scenario file"))
        except FileProblem as exc:  # changed since it was read a moment ago
            raise ScenarioError([f"{shown_name(f)}: {exc}"]) from None
    for text in texts:
        digest.update(text.encode())
    problems: list[str] = []
    set_paths: list[tuple[str, list[Step]]] = []
    for item, text in zip(overrides, texts, strict=True):
        try:
            override = parse_override(item) if isinstance(item, str) else item
            set_paths.append((text, set_value(data, override.key, override.value)))
        except ValueError as exc:
            problems.append(f"{label}: --set {shown_override(text)}: {exc}")
    if problems:
        raise ScenarioError(problems)
    try:
        scenario = Scenario.model_validate(_as_tuples(data), strict=True)
    except ValidationError as exc:
        origins = Origins(label, data, layers, set_paths)
        raise ScenarioError(format_problems(exc, label, origins)) from None
    # a file's centre must serve someone (a scenario built in code may script its arrivals
    # with no volume of its own, so this is the file's check, not the schema's)
    problems = check_uncertainty(scenario, label) or [
        f"{label}: {problem}" for problem in capacity_problems(scenario)]
    if problems:
        raise ScenarioError(problems)
    return LoadedScenario(scenario, path, tuple(files), digest.hexdigest(), tuple(texts))


def load_all(items: Sequence[tuple[str | Path, Overrides]]) -> list[LoadedScenario]:
    """Load several (file, overrides); every problem of every one is reported together."""
    loaded: list[LoadedScenario] = []
    problems: list[str] = []
    for path, overrides in items:
        try:
            loaded.append(load_scenario(path, overrides))
        except ScenarioError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    if problems:
        raise ScenarioError(problems)
    return loaded


# ---------------------------------------------------------------------------- uncertain inputs
def value_at(data: Any, key: str) -> Any:
    """The value at a dotted key path of merged or dumped scenario data (arrays of tables by
    name); ``KeyError`` naming the first missing part."""
    node = data
    for depth, part in enumerate(key.split(".")):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and any(isinstance(t, dict) and t.get("name") == part
                                            for t in node):
            node = next(t for t in node if isinstance(t, dict) and t.get("name") == part)
        else:
            raise KeyError(".".join(key.split(".")[: depth + 1]))
    return node


def with_values(scenario: Scenario, values: Sequence[tuple[str, Any]]) -> Scenario:
    """The scenario with each ``(key.path, value)`` set and validated again (strictly).

    Raises
    ------
    pydantic.ValidationError
        If a value is not allowed where it goes.
    ValueError
        If a key path does not lead to a table.
    """
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    for key, value in values:
        set_value(data, key, value)
    return Scenario.model_validate(_as_tuples(data), strict=True)


def scenario_of(data: Table) -> Scenario:
    """Scenario data (as :func:`merge` and :func:`set_value` leave it) validated strictly."""
    return Scenario.model_validate(_as_tuples(data), strict=True)


def uncertain_values(scenario: Scenario, index: int, level: float) -> list[tuple[str, Any]]:
    """``(key, value)`` for input ``index`` of ``[uncertainty]`` at ``level`` (a value, or a
    factor of each key's value in the file when ``scale = true``). A whole-number key stays a
    whole number (rounded)."""
    assert scenario.uncertainty is not None
    spec = scenario.uncertainty.inputs[index]
    data = scenario.model_dump(mode="json", by_alias=True)
    out: list[tuple[str, Any]] = []
    for key in spec.keys:
        try:
            base = value_at(data, key)
        except KeyError:
            if spec.scale:
                raise
            base = None  # a value the file leaves to its default, or a lever it does not use
        value = base * level if spec.scale else level
        whole = isinstance(base, int) and not isinstance(base, bool)
        out.append((key, round(value) if whole else float(value)))
    return out


def check_uncertainty(scenario: Scenario, label: str) -> list[str]:
    """Problems of ``[uncertainty]``: each key must name a number in the scenario, and the
    scenario must be valid at both ends of every range."""
    if scenario.uncertainty is None:
        return []
    data = scenario.model_dump(mode="json", by_alias=True)
    problems: list[str] = []
    for i, spec in enumerate(scenario.uncertainty.inputs):
        where = f"{label}: uncertainty.inputs[{i}]"
        for j, key in enumerate(spec.keys):
            try:
                base = value_at(data, key)
            except KeyError as exc:
                if spec.scale:
                    problems.append(f"{where}.keys[{j}]: {key}: no such key in the scenario "
                                    f"({exc.args[0]} is missing); scale = true needs a value to scale")
                    continue
                base = None
            if spec.scale and (isinstance(base, bool) or not isinstance(base, int | float)):
                problems.append(f"{where}.keys[{j}]: {key}: scale = true needs a number there, "
                                f"found {show_value(base)}")
        if any(p.startswith(where) for p in problems):
            continue
        for end, level in (("low", spec.low), ("high", spec.high)):
            try:
                with_values(scenario, uncertain_values(scenario, i, level))
            except ValidationError as exc:
                problems.extend(f"{where}.{end}: {spec.name} at {level:g} makes the scenario "
                                f"invalid: {line.removeprefix(label + ': ')}"
                                for line in format_validation_error(exc, label))
            except (ValueError, KeyError) as exc:
                problems.append(f"{where}.keys: {exc}")
    return problems


# ---------------------------------------------------------------------------- layers
def _read_layers(
    path: Path, label: str, chain: tuple[Path, ...], files: list[Path], layers: list[Layer]
) -> Table:
    """The file's data merged over what it extends, the chain followed in a loop (at most
    ``MAX_EXTENDS`` files), each file read and parsed within the bounds of ``reading``."""
    own: list[Table] = []
    seen = list(chain)
    referrer = label  # the file whose ``extends`` names ``path`` (once one does)
    while True:
        # This file as messages name it: as given, or (a file it extends) without "dir/.." steps.
        me = shown_name(os.path.normpath(path) if seen else path)
        where = f"{referrer}: extends" if seen else shown_name(label)
        try:
            raw = read_bounded(path, MAX_SCENARIO_BYTES, "a scenario file")
        except FileProblem as exc:
            raise ScenarioError([f"{where}: {exc}: {me}" if seen else f"{where}: {exc}"]) from None
        real = resolved(path)
        if real in seen:
            cycle = " -> ".join(str(p) for p in (*seen, real))
            raise ScenarioError([f"{referrer}: extends: cycle: {cycle}"])
        try:
            data = parse_toml(raw)
        except FileProblem as exc:
            raise ScenarioError([f"{me}: {exc}"]) from None
        if not data:
            raise ScenarioError([f"{me}: empty scenario file: it needs [scenario], [[channels]], "
                                 "[[contact_types]] and [[agent_groups]] at least"])
        if seen:
            _check_is_scenario(data, me, referrer)
        files.append(real)
        _resolve_paths(data, path.parent)
        _resolve_levers(data, path.parent)
        parent = data.pop("extends", None)
        layers.append(Layer(me, copy.deepcopy(data)))
        own.append(data)
        if parent is None:
            break
        if not isinstance(parent, str):
            raise ScenarioError([
                f"{me}: extends: must be a file name (a string), got {show_value(parent)}"
            ])
        seen.append(real)
        if len(seen) >= MAX_EXTENDS:
            raise ScenarioError([f"{me}: extends: a chain of more than {MAX_EXTENDS} files "
                                 f"from {shown_name(label)} (each extending the next); "
                                 f"at most {MAX_EXTENDS}"])
        try:
            check_name(parent)
        except FileProblem as exc:
            raise ScenarioError([f"{me}: extends: {exc}: {shown_name(parent)}"]) from None
        referrer, path = me, path.parent / parent
    merged = own[-1]
    for data in reversed(own[:-1]):
        merged = merge(merged, data)
    return merged


def _check_is_scenario(data: Table, me: str, referrer: str) -> None:
    """Refuse an extended file none of whose keys a scenario has: it is not a scenario."""
    allowed = allowed_keys([])
    keys = [key for key in data if key != "extends"]
    if keys and not any(key in allowed for key in keys):
        found = ", ".join(keys[:5]) + (", ..." if len(keys) > 5 else "")
        raise ScenarioError([
            f"{referrer}: extends: {me} is not a scenario file: none of its keys ({found}) is a "
            f"scenario's; allowed: {', '.join(allowed)}"
        ])


def _resolve_paths(node: Any, base_dir: Path) -> None:
    """Make every empirical distribution's ``file`` relative to the file that names it (data
    already checked to be nested at most ``MAX_NESTING`` deep)."""
    if isinstance(node, dict):
        if node.get("dist") == "empirical" and isinstance(node.get("file"), str):
            node["file"] = str(resolved(base_dir / node["file"]))
        for value in node.values():
            _resolve_paths(value, base_dir)
    elif isinstance(node, list):
        for value in node:
            _resolve_paths(value, base_dir)


def _resolve_levers(data: Table, base_dir: Path) -> None:
    """Make each ``plan.rollouts[].lever`` file relative to the file that names it."""
    plan = data.get("plan")
    rollouts = plan.get("rollouts") if isinstance(plan, dict) else None
    for rollout in rollouts if isinstance(rollouts, list) else []:
        if isinstance(rollout, dict) and isinstance(rollout.get("lever"), str):
            rollout["lever"] = str(resolved(base_dir / rollout["lever"]))


def own_layers(lever: str | Path, chain: Sequence[Path]) -> list[Table]:
    """The keys a lever file adds to a scenario whose files are ``chain``: its own and those of
    every file it extends up to the first one in ``chain``, innermost first.

    Raises
    ------
    ScenarioError
        The lever cannot be read, or it extends none of the files in ``chain``.
    """
    files: list[Path] = []
    layers: list[Layer] = []
    _read_layers(Path(lever), str(lever), chain=(), files=files, layers=layers)
    common = next((i for i, f in enumerate(files) if f in set(chain)), None)
    if common is None:
        raise ScenarioError([f"{lever}: extends: a roll-out's lever must extend a file of the "
                             f"plan's chain ({', '.join(map(str, chain))})"])
    return [copy.deepcopy(layer.data) for layer in reversed(layers[:common])]


def _is_named_tables(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and isinstance(v.get("name"), str) for v in value)
    )


def merge(base: Table, layer: Table) -> Table:
    """Merge ``layer`` over ``base``: tables key by key, arrays of tables by ``name``.

    A distribution whose ``dist`` changes is replaced whole: the old one's parameters do not
    belong to the new one.
    """
    out = dict(base)
    for key, value in layer.items():
        old = out.get(key)
        if (isinstance(old, dict) and isinstance(value, dict)
                and ("dist" not in value or value["dist"] == old.get("dist"))):
            out[key] = merge(old, value)
        elif isinstance(old, list) and _is_named_tables(old) and _is_named_tables(value):
            merged = {item["name"]: item for item in old}
            for item in value:
                name = item["name"]
                merged[name] = merge(merged[name], item) if name in merged else item
            out[key] = list(merged.values())
        else:
            out[key] = value
    return out


def _as_tuples(node: Any) -> Any:
    """A copy with every list made a tuple (strict validation takes tuples for tuple fields)."""
    if isinstance(node, dict):
        return {key: _as_tuples(value) for key, value in node.items()}
    if isinstance(node, list):
        return tuple(_as_tuples(value) for value in node)
    return node


# ---------------------------------------------------------------------------- --set
def set_value(data: Table, key: str, value: Any) -> list[Step]:
    """Set ``value`` at the dotted ``key`` in place and return the key path it set (entries by
    name). Arrays of tables are addressed by ``name``; missing tables are created.

    Raises
    ------
    ValueError
        A path through a value or an array of tables without a name, or an unknown name; a
        path of more than ``MAX_KEY_PARTS`` parts or a value beyond the bounds of files.
    """
    check_key_parts(key)
    check_data(value)
    parts = key.strip().split(".")
    if not all(p.strip() for p in parts):
        msg = f"bad key path {key.strip()!r}"
        raise ValueError(msg)
    steps: list[Step] = []
    node: Any = data
    for depth, part in enumerate(parts[:-1]):
        here = ".".join(parts[: depth + 1])
        if isinstance(node, dict):
            if part not in node:
                node[part] = {}
            node = node[part]
            steps.append(part)
        elif isinstance(node, list):
            match = [t for t in node if isinstance(t, dict) and t.get("name") == part]
            if not match:
                names = [t.get("name") for t in node if isinstance(t, dict)]
                msg = f"{here}: no entry named {part!r}; known: {', '.join(map(str, names))}"
                raise ValueError(msg)
            node = match[0]
            steps.append(Named(part))
        else:
            msg = f"{'.'.join(parts[:depth])} is a value, not a table"
            raise ValueError(msg)
    prefix = ".".join(parts[:-1])
    if isinstance(node, list):
        first = next((t.get("name") for t in node if isinstance(t, dict)), "NAME")
        msg = (f"{prefix} is an array of tables: address an entry by its name, "
               f"e.g. {prefix}.{first}.KEY=VALUE")
        raise ValueError(msg)
    if not isinstance(node, dict):
        msg = f"{prefix} is a value, not a table"
        raise ValueError(msg)
    node[parts[-1]] = value
    steps.append(parts[-1])
    return steps


def parse_value(raw: str) -> Any:
    """Read one TOML value; fall back to a plain string for bare words.

    Raises
    ------
    ValueError
        A value beyond the bounds of files (nested too deep, a number of too many digits).
    """
    ok, value = parse_value_bounded(raw)
    return value if ok else raw
