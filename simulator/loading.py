"""Read a scenario file into a validated :class:`~simulator.config.Scenario`.

Layers, last wins: the file named by ``extends`` (recursively), the file itself, then ``--set``
overrides. Tables merge key by key; arrays of tables merge by ``name``. Paths (``extends``, an
empirical distribution's ``file``) are relative to the file that names them. Every problem is
collected and raised together as a :class:`ScenarioError` whose lines read
``FILE: key.path: what is wrong``.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from simulator.config import Scenario
from simulator.distributions import DIST_NAMES

Table = dict[str, Any]


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
    overrides: tuple[str, ...]


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> LoadedScenario:
    """Read, merge, override and validate a scenario file.

    Raises
    ------
    ScenarioError
        With every problem found, each naming the file and the key path.
    """
    path = Path(path)
    label = str(path)
    files: list[Path] = []
    data = _read_layers(path, label, chain=(), files=files)
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
    for item in overrides:
        digest.update(item.encode())
    problems: list[str] = []
    for item in overrides:
        try:
            apply_override(data, item)
        except ValueError as exc:
            problems.append(f"{label}: --set {item}: {exc}")
    if problems:
        raise ScenarioError(problems)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, label)) from None
    return LoadedScenario(scenario, path, tuple(files), digest.hexdigest(), tuple(overrides))


# ---------------------------------------------------------------------------- layers
def _read_layers(path: Path, label: str, chain: tuple[Path, ...], files: list[Path]) -> Table:
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(str(p) for p in (*chain, resolved))
        raise ScenarioError([f"{label}: extends: cycle: {cycle}"])
    if not path.is_file():
        where = f"{label}: extends" if chain else label
        raise ScenarioError([f"{where}: file not found: {path}"])
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError([f"{path}: not a UTF-8 text file (a scenario is TOML)"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{path}: not valid TOML: {exc}"]) from None
    if not data:
        raise ScenarioError([f"{path}: empty scenario file: it needs [scenario], [[channels]], "
                             "[[contact_types]] and [[agent_groups]] at least"])
    files.append(resolved)
    _resolve_paths(data, path.parent)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError([f"{path}: extends: must be a file name (a string), got {parent!r}"])
    base = _read_layers(path.parent / parent, str(path), (*chain, resolved), files)
    return merge(base, data)


def _resolve_paths(node: Any, base_dir: Path) -> None:
    """Make every empirical distribution's ``file`` relative to the file that names it."""
    if isinstance(node, dict):
        if node.get("dist") == "empirical" and isinstance(node.get("file"), str):
            node["file"] = str((base_dir / node["file"]).resolve())
        for value in node.values():
            _resolve_paths(value, base_dir)
    elif isinstance(node, list):
        for value in node:
            _resolve_paths(value, base_dir)


def _is_named_tables(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and "name" in v for v in value)
    )


def merge(base: Table, layer: Table) -> Table:
    """Merge ``layer`` over ``base``: tables key by key, arrays of tables by ``name``."""
    out = dict(base)
    for key, value in layer.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge(old, value)
        elif _is_named_tables(old) and _is_named_tables(value):
            merged = {item["name"]: item for item in old}
            for item in value:
                name = item["name"]
                merged[name] = merge(merged[name], item) if name in merged else item
            out[key] = list(merged.values())
        else:
            out[key] = value
    return out


# ---------------------------------------------------------------------------- --set
def apply_override(data: Table, item: str) -> None:
    """Apply ``KEY.PATH=VALUE`` in place. Arrays of tables are addressed by ``name``.

    The value is read as TOML (``30``, ``0.5``, ``"text"``, ``[1, 2]``,
    ``{ dist = "fixed", value = 30 }``); a bare word that is not TOML is taken as a string.
    """
    if "=" not in item:
        msg = "expected KEY.PATH=VALUE"
        raise ValueError(msg)
    key, raw = item.split("=", 1)
    parts = [p for p in key.strip().split(".")]
    if not all(parts):
        msg = f"bad key path {key!r}"
        raise ValueError(msg)
    value = parse_value(raw.strip())
    node: Any = data
    for depth, part in enumerate(parts[:-1]):
        here = ".".join(parts[: depth + 1])
        if isinstance(node, dict):
            if part not in node:
                node[part] = {}
            node = node[part]
        elif isinstance(node, list):
            match = [t for t in node if isinstance(t, dict) and t.get("name") == part]
            if not match:
                names = [t.get("name") for t in node if isinstance(t, dict)]
                msg = f"{here}: no entry named {part!r}; known: {', '.join(map(str, names))}"
                raise ValueError(msg)
            node = match[0]
        else:
            msg = f"{here} is a value, not a table"
            raise ValueError(msg)
    if not isinstance(node, dict):
        msg = f"{'.'.join(parts[:-1])} is not a table"
        raise ValueError(msg)
    node[parts[-1]] = value


def parse_value(raw: str) -> Any:
    """Read one TOML value; fall back to a plain string for bare words."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


# ---------------------------------------------------------------------------- messages
def format_validation_error(exc: ValidationError, label: str) -> list[str]:
    """One ``FILE: key.path: message`` line per pydantic error."""
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if p not in DIST_NAMES]
        path = _dotted(loc)
        message = _message(err, loc)
        # A cross-reference problem (raised by the whole scenario) names its own key path.
        lines.extend(f"{label}: {path}: {part}" if path else f"{label}: {part}"
                     for part in message.split("\n"))
    return lines


def _dotted(loc: list[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _fmt(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict | list):
        text = repr(value)
        return text if len(text) < 60 else text[:57] + "..."
    return repr(value)


def _message(err: Any, loc: list[int | str]) -> str:
    kind: str = err["type"]
    ctx = err.get("ctx", {})
    got = err.get("input")
    if kind == "extra_forbidden":
        allowed = allowed_keys(loc[:-1])
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{hint}"
    if kind == "missing":
        return "required key is missing"
    if kind == "finite_number":
        return f"must be a finite number, got {_fmt(got)}"
    bounds = {
        "greater_than": ("> ", "gt"),
        "greater_than_equal": (">= ", "ge"),
        "less_than": ("< ", "lt"),
        "less_than_equal": ("<= ", "le"),
    }
    if kind in bounds:
        op, key = bounds[kind]
        return f"must be {op}{ctx[key]}, got {_fmt(got)}"
    if kind == "union_tag_invalid":
        return f"dist must be one of {', '.join(DIST_NAMES)}, got {_fmt(ctx.get('tag'))}"
    if kind == "union_tag_not_found":
        return f"a distribution needs dist = one of {', '.join(DIST_NAMES)}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, got {_fmt(got)}"
    if kind == "string_pattern_mismatch":
        return f"must be a name of letters, digits, _ or - starting with a letter, got {_fmt(got)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, got {_fmt(got)}"
    if kind in ("float_type", "float_parsing"):
        return f"must be a number, got {_fmt(got)}"
    if kind in ("string_type",):
        return f"must be text (in quotes), got {_fmt(got)}"
    if kind in ("model_type", "dict_type"):
        return f"must be a table, got {_fmt(got)}"
    if kind in ("tuple_type", "list_type"):
        return f"must be a list [...], got {_fmt(got)}"
    if kind in ("too_short", "too_long"):
        return str(err["msg"]).replace("Tuple", "list").replace("List", "list")
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return f"{err['msg']}, got {_fmt(got)}"


def allowed_keys(loc: list[int | str]) -> list[str]:
    """The keys a table at ``loc`` accepts (walks the schema; empty if unknown)."""
    model: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _inner_model(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items() if not f.exclude]
    return []


def _inner_model(annotation: Any) -> Any:
    """The model inside ``X | None``, ``tuple[X, ...]`` or ``dict[str, X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
