"""The effective scenario: what a file says once ``extends`` and ``--set`` are applied and every
default is filled in, as TOML text that says where each value came from.

Each value's line ends with its origin: ``# --set``, ``# file`` (the file named), ``# parent
NAME`` (a file it extends, directly or further up the chain) or ``# default`` (the simulator's
default, or a value it derives such as a channel's ``kind`` from its name). A value written on
one line whose parts come from several places (a distribution whose mean a lever changes) names
them all, joined by ``+``. The text is a scenario file of its own: run, it gives the same result
as the file it shows (tested).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from simulator.spec.layers import LoadedScenario, parse_override, read_layers, set_value, toml_value
from simulator.spec.messages import Layer, Named, Step, Table

SET = "--set"
FILE = "file"
DEFAULT = "default"

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Provenance:
    """Where the values of an effective scenario come from."""

    data: Table  # the validated scenario, dumped (defaults filled in)
    layers: list[Layer]  # the file's own keys first, then each file it extends
    set_paths: list[list[Step]]  # the key paths --set gave, in order

    def origin(self, steps: list[Step]) -> str:
        """The origin of the one value at ``steps`` (a leaf of :attr:`data`)."""
        for path in self.set_paths:
            if path[: len(steps)] == steps[: len(path)]:  # one a prefix of the other
                return SET
        for k, layer in enumerate(self.layers):
            if _holds(layer.data, self.data, steps):
                return FILE if k == 0 else f"parent {layer.label}"
        return DEFAULT

    def origins(self, value: Any, steps: list[Step]) -> str:
        """The origins of every part of ``value`` at ``steps``, in the order --set, the file,
        its parents, default; joined by ``+``."""
        found = {self.origin(leaf) for leaf in _leaves(value, steps)}
        order = [SET, FILE, *(f"parent {layer.label}" for layer in self.layers[1:]), DEFAULT]
        return " + ".join(name for name in order if name in found)


def provenance_of(loaded: LoadedScenario) -> Provenance:
    """The provenance of a loaded scenario: its files read again and its ``--set`` replayed."""
    merged, layers = read_layers(loaded.path)
    data = copy.deepcopy(merged)
    set_paths = [set_value(data, o.key, o.value)
                 for o in (parse_override(text) for text in loaded.overrides)]
    dumped = _tidy(loaded.scenario.model_dump(mode="json", by_alias=True, exclude_none=True))
    return Provenance(dumped, layers, set_paths)


def effective_toml(loaded: LoadedScenario) -> str:
    """The effective scenario of ``loaded`` as TOML, each value annotated with its origin."""
    provenance = provenance_of(loaded)
    parents = ", ".join(layer.label for layer in provenance.layers[1:]) or "none"
    sets = ", ".join(loaded.overrides) or "none"
    lines = [
        f"# The effective scenario of {provenance.layers[0].label}, written by ccsim show:",
        "# what the simulator runs once `extends` and --set are applied and every default is",
        f"# filled in. Files it extends: {parents}. --set: {sets}.",
        "# Each value ends with where it came from: --set, file (the file itself), parent NAME",
        "# (a file it extends) or default (the simulator's default, or derived from other keys).",
        "# Units: seconds unless a key says otherwise (_minutes, _hours, _per_month); shares",
        "# are 0 to 1; money in costs.currency. Save it and run it: it gives the same result.",
    ]
    _write_table(lines, [], provenance.data, [], provenance)
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------- origins
def _holds(layer: Any, dumped: Any, steps: list[Step]) -> bool:
    """Whether a layer sets the value at ``steps`` (and it survives in the effective data: a
    distribution the layer gives of another kind than the effective one does not)."""
    node, effective = layer, dumped
    for step in steps:
        if isinstance(node, dict) and "dist" in node and node["dist"] != effective.get("dist"):
            return False
        if isinstance(step, Named):
            if not isinstance(node, list):
                return False
            node = next((t for t in node if isinstance(t, dict) and t.get("name") == step.name),
                        None)
            effective = next(t for t in effective if t.get("name") == step.name)
        elif isinstance(step, int):
            if not isinstance(node, list) or not 0 <= step < len(node):
                return False
            node, effective = node[step], effective[step]
        else:
            if not isinstance(node, dict) or step not in node:
                return False
            node, effective = node[step], effective[step]
        if node is None:
            return False
    return True


def _step_of(item: Any, index: int) -> Step:
    name = item.get("name") if isinstance(item, dict) else None
    return Named(name) if isinstance(name, str) else index


def _leaves(value: Any, steps: list[Step]) -> list[list[Step]]:
    """The key paths of every leaf under ``value`` (an empty table or list is a leaf)."""
    if isinstance(value, dict) and value:
        return [leaf for key, item in value.items() for leaf in _leaves(item, [*steps, key])]
    if isinstance(value, list) and value:
        return [leaf for i, item in enumerate(value)
                for leaf in _leaves(item, [*steps, _step_of(item, i)])]
    return [steps]


def _tidy(node: Any) -> Any:
    """A distribution's ``dist`` first, as a person writes it."""
    if isinstance(node, dict):
        keys = sorted(node, key=lambda k: k != "dist")
        return {k: _tidy(node[k]) for k in keys}
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    return node


# ---------------------------------------------------------------------------- TOML text
def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_value(key)


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and "dist" not in value


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _write_table(lines: list[str], path: list[str], table: Table, steps: list[Step],
                 provenance: Provenance) -> None:
    """A table's own values, then its sub-tables and arrays of tables as sections."""
    nested = [(k, v) for k, v in table.items() if _is_table(v) or _is_array_of_tables(v)]
    for key, value in table.items():
        if (key, value) not in nested:
            lines.extend(_value_lines(key, value, [*steps, key], provenance))
    for key, value in nested:
        where = ".".join(_key(part) for part in [*path, key])
        if isinstance(value, dict):
            if any(not (_is_table(v) or _is_array_of_tables(v)) for v in value.values()):
                lines.extend(["", f"[{where}]"])
            _write_table(lines, [*path, key], value, [*steps, key], provenance)
        else:
            for i, item in enumerate(value):
                lines.extend(["", f"[[{where}]]"])
                item_steps = [*steps, key, _step_of(item, i)]
                for k, v in item.items():
                    lines.extend(_value_lines(k, v, [*item_steps, k], provenance))


def _value_lines(key: str, value: Any, steps: list[Step], provenance: Provenance) -> list[str]:
    """``key = value  # origin``; a list of several tables one per line."""
    comment = f"  # {provenance.origins(value, steps)}"
    if _is_array_of_tables(value) and len(value) > 1:
        return [f"{_key(key)} = [{comment}",
                *(f"    {toml_value(item)}," for item in value), "]"]
    return [f"{_key(key)} = {toml_value(value)}{comment}"]
