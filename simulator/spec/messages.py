"""Problems with a scenario as lines a planner can act on: ``FILE: key.path: what is wrong``.

Pydantic's validation errors are rewritten here: the key path in the file's own terms (arrays of
tables by index as written, a distribution's tag left out), the file that sets the value (the
file itself, one it extends, or ``--set``), a plain message with the value got and what is
allowed, and for an unknown key the keys allowed at that place (with a close match suggested).
"""

from __future__ import annotations

import difflib
import math
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from simulator.spec.distributions import DIST_NAMES
from simulator.spec.schema import Scenario

Table = dict[str, Any]
Loc = list[int | str]


@dataclass(frozen=True)
class Layer:
    """One file's own keys (``extends`` removed, paths resolved), for naming where a value is."""

    label: str
    data: Table


@dataclass(frozen=True)
class Named:
    """A step into an array of tables: the entry with this ``name``."""

    name: str


Step = str | int | Named


# ---------------------------------------------------------------------------- where a value is
class Origins:
    """Finds the layer (``--set``, the file, a file it extends) that sets the value at a path."""

    def __init__(
        self,
        label: str,
        merged: Table,
        layers: list[Layer],
        set_paths: list[tuple[str, list[Step]]],
    ) -> None:
        self.label = label
        self.merged = merged
        self.layers = layers
        self.set_paths = set_paths

    def locate(self, loc: Sequence[int | str]) -> tuple[str, str]:
        """``(file, suffix)`` for the layer setting the deepest part of ``loc``; ties go to the
        outermost layer (``--set``, then the file itself, then what it extends)."""
        steps = self._steps(loc)
        where, suffix, best = self.label, "", 0
        for item, path in reversed(self.set_paths):
            depth = 0
            for a, b in zip(path, steps, strict=False):
                if a != b:
                    break
                depth += 1
            if depth > best:
                where, suffix, best = self.label, f" (from --set {item})", depth
        for layer in self.layers:
            depth = _depth(layer.data, steps)
            if depth > best:
                where, suffix, best = layer.label, "", depth
        return where, suffix

    def _steps(self, loc: Sequence[int | str]) -> list[Step]:
        node: Any = self.merged
        steps: list[Step] = []
        for part in loc:
            if isinstance(node, dict) and isinstance(part, str):
                if part not in node and node.get("dist") == part:
                    continue  # a distribution's tag, not a key
                steps.append(part)
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                item = node[part]
                name = item.get("name") if isinstance(item, dict) else None
                steps.append(Named(name) if isinstance(name, str) else part)
                node = item
            else:
                steps.append(part)
                node = None
        return steps


def _depth(data: Table, steps: list[Step]) -> int:
    """How many leading ``steps`` ``data`` holds."""
    node: Any = data
    depth = 0
    for step in steps:
        if isinstance(step, Named):
            if not isinstance(node, list):
                break
            node = next((t for t in node if isinstance(t, dict) and t.get("name") == step.name),
                        None)
            if node is None:
                break
        elif isinstance(step, int):
            if not isinstance(node, list) or not 0 <= step < len(node):
                break
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                break
            node = node[step]
        depth += 1
    return depth


# ---------------------------------------------------------------------------- messages
_LEADING_PATH = re.compile(r"^([A-Za-z_][\w-]*(?:\[\d+\]|\.[A-Za-z_][\w-]*)*): ")
_LEADING_FIELD = re.compile(r"^([a-z_]+)(?= )(?! and )(?! or )")
_LEADING_ITEM = re.compile(r"^([a-z_]+(?:\[\d+\]|\.[a-z_]+)+): ")


def format_validation_error(exc: ValidationError, label: str) -> list[str]:
    """One ``FILE: key.path: message`` line per problem pydantic found."""
    return format_problems(exc, label, None)


def format_problems(exc: ValidationError, label: str, origins: Origins | None) -> list[str]:
    errors = exc.errors(include_url=False)
    locs = [tuple(err["loc"]) for err in errors]
    lines: list[str] = []
    for err in errors:
        loc = tuple(err["loc"])
        # pydantic adds "at least 1 item" for a list whose every entry failed: noise.
        if err["type"] == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in locs
        ):
            continue
        for where_loc, text in _describe(err):
            where, suffix = origins.locate(where_loc) if origins else (label, "")
            lines.append(f"{where}: {text}{suffix}")
    return list(dict.fromkeys(lines))


def _describe(err: Any) -> list[tuple[Loc, str]]:
    """``(loc for finding the file, "key.path: message")`` for each line of one error."""
    raw: Loc = list(err["loc"])
    if err["type"] == "value_error" and not raw:
        # The whole scenario's cross-reference checks: each line names its own key path.
        out: list[tuple[Loc, str]] = []
        for part in _value_error_text(err).split("\n"):
            match = _LEADING_PATH.match(part)
            loc: Loc = _parse_path(match.group(1)) if match else []
            out.append((loc, part))
        return out
    message, extra = _message(err, raw)
    _, shown = _walk(raw)
    path = _dotted(shown + extra)
    return [(raw + extra, f"{path}: {part}" if path else part) for part in message.split("\n")]


def _parse_path(text: str) -> Loc:
    return [int(t[1:-1]) if t.startswith("[") else t
            for t in re.findall(r"\[\d+\]|[A-Za-z_][\w-]*", text)]


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _num(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _plain(value: Any) -> Any:
    """Tuples back to lists, for showing a value as the file wrote it."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple):
        text = repr(_plain(value))
        return text if len(text) < 60 else text[:57] + "..."
    return repr(value)


def _value_error_text(err: Any) -> str:
    text = str(err["msg"]).removeprefix("Value error, ")
    got = err.get("input")
    if isinstance(got, tuple):
        text = text.replace(repr(got), repr(_plain(got)))
    return text


_BOUNDS = {
    "greater_than": (">", "gt"),
    "greater_than_equal": (">=", "ge"),
    "less_than": ("<", "lt"),
    "less_than_equal": ("<=", "le"),
}


def _message(err: Any, raw: Loc) -> tuple[str, Loc]:
    """The message for one error and any key to add to its path (``dist``, a field name)."""
    kind: str = err["type"]
    ctx = err.get("ctx", {})
    got = err.get("input")
    expected, _ = _walk(raw)
    dists = ", ".join(DIST_NAMES)
    if kind == "extra_forbidden":
        key = str(raw[-1])
        allowed = allowed_keys(raw[:-1])
        close = difflib.get_close_matches(key, allowed, n=1)
        guess = f" (did you mean {close[0]!r}?)" if close else ""
        listed = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"unknown key {key!r}{guess}{listed}", []
    if kind == "missing":
        hint = ""
        if _is_model(expected):
            hint = f"; add a [{_dotted(_walk(raw)[1])}] table"
        elif typing.get_origin(expected) is tuple and _is_model(_element(expected)):
            hint = f"; add at least one [[{_dotted(_walk(raw)[1])}]] table"
        return f"required key is missing{hint}", []
    if kind == "union_tag_invalid":
        tag = got.get("dist") if isinstance(got, dict) else ctx.get("tag")
        return f"must be one of {dists}, got {show_value(tag)}", ["dist"]
    if kind == "union_tag_not_found":
        return f"required key is missing: a distribution names one of {dists}", ["dist"]
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if _is_distribution(expected):
            example = '{ dist = "exponential", mean = 300 }'
            return f"must be a table like {example}, got {show_value(got)}", []
        return f"must be a table, got {show_value(got)}", []
    if kind in ("tuple_type", "list_type"):
        if isinstance(got, dict) and _is_model(_element(expected)):
            name = raw[-1] if raw else "..."
            return f"must be an array of tables, [[{name}]], got a single table [{name}]", []
        return f"must be a list [...], got {show_value(got)}", []
    if kind == "too_short":
        n = ctx.get("min_length")
        entries = "entry" if n == 1 else "entries"
        return f"needs at least {n} {entries}, got {ctx.get('actual_length')}", []
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} entries, got {ctx.get('actual_length')}", []
    if kind == "string_too_short":
        n = ctx.get("min_length")
        return ("must not be empty" if n == 1 else f"needs at least {n} characters"), []
    if kind == "string_too_long":
        length = len(got) if isinstance(got, str) else "more"
        return f"must be at most {ctx.get('max_length')} characters, got {length}", []
    if kind == "finite_number":
        return f"must be a finite number, got {show_value(got)}", []
    if kind in _BOUNDS:
        op, key = _BOUNDS[kind]
        bound = ctx[key]
        shown = _num(bound) if isinstance(bound, float) else str(bound)
        return f"must be {op} {shown}, got {show_value(got)}", []
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, got {show_value(got)}", []
    if kind == "string_pattern_mismatch":
        what = "a key" if raw and raw[-1] == "[key]" else "a name"
        return (f"must be {what} of letters, digits, _ or - starting with a letter, "
                f"got {show_value(got)}"), []
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, got {show_value(got)}", []
    if kind in ("float_type", "float_parsing"):
        return f"must be a number, got {show_value(got)}", []
    if kind == "string_type":
        return f"must be text (in quotes), got {show_value(got)}", []
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, got {show_value(got)}", []
    if kind == "value_error":
        text = _value_error_text(err)
        extra: Loc = []
        head, sep, rest = text.partition(": ")
        if sep and isinstance(got, dict) and head in got and not _is_model(expected):
            return rest, [head]  # a check on one entry of a map: its key leads the path
        if _is_model(expected):
            # A check over a whole table: move the key it is about into the path.
            fields = _fields(expected)
            match = _LEADING_FIELD.match(text)
            item = _LEADING_ITEM.match(text)
            if item and re.split(r"[\[.]", item.group(1))[0] in fields:
                return text[item.end():], _parse_path(item.group(1))  # "breaks[1].latest: ..."
            if match and match.group(1) in fields:
                extra = [match.group(1)]
                rest = text[match.end():].lstrip()
                if rest.startswith(("must", "needs")):
                    text = rest  # the key now leads the path: do not say it twice
            elif "file" in fields:
                extra = ["file"]
        return text, extra
    return f"{err['msg']}, got {show_value(got)}", []


# ---------------------------------------------------------------------------- the schema
def allowed_keys(loc: list[int | str]) -> list[str]:
    """The keys a table at ``loc`` accepts (walks the schema; empty if unknown)."""
    model, _ = _walk(loc)
    return list(_fields(model)) if _is_model(model) else []


def _walk(loc: Sequence[int | str]) -> tuple[Any, Loc]:
    """Follow a pydantic ``loc`` through the schema.

    Returns the type expected there (``None`` if unknown) and the loc as the file spells it:
    without a distribution's tag, a union member's label or pydantic's ``[key]``.
    """
    tp: Any = Scenario
    shown: Loc = []
    for part in loc:
        if part == "[key]":
            continue
        if tp is not None:
            tp = _unwrap(tp)
            members = _union_members(tp)
            if members:
                tags = {_tag(m): m for m in members if _is_model(m)}
                if isinstance(part, str) and part in tags:
                    tp = tags[part]
                    continue
                tp = None
                if isinstance(part, str):
                    continue  # the label pydantic gives a member of a union
        if tp is None:
            if not (isinstance(part, str) and part in DIST_NAMES):
                shown.append(part)
            continue
        shown.append(part)
        origin = typing.get_origin(tp)
        if _is_model(tp):
            tp = _fields(tp).get(part) if isinstance(part, str) else None
        elif origin in (tuple, list):
            tp = _element(tp) if isinstance(part, int) else None
        elif origin is dict:
            tp = typing.get_args(tp)[1]
        else:
            tp = None
    return (None if tp is None else _unwrap(tp)), shown


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``| None``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _union_members(tp: Any) -> list[Any]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [_unwrap(a) for a in typing.get_args(tp) if a is not type(None)]
    return []


def _element(tp: Any) -> Any:
    args = typing.get_args(_unwrap(tp)) if tp is not None else ()
    return _unwrap(args[0]) if args else None


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _is_distribution(tp: Any) -> bool:
    members = _union_members(tp)
    return bool(members) and all(_is_model(m) and _tag(m) for m in members)


def _fields(model: Any) -> dict[str, Any]:
    """A model's keys as a file spells them (aliases), with their types; ``dist`` first."""
    fields = {f.alias or name: f.annotation for name, f in model.model_fields.items()}
    if "dist" in fields:
        fields = {"dist": fields.pop("dist"), **fields}
    return fields


def _tag(model: Any) -> str | None:
    field = model.model_fields.get("dist")
    if field is not None and typing.get_origin(field.annotation) is Literal:
        return str(typing.get_args(field.annotation)[0])
    return None
