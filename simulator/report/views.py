"""The view data of the HTML page: plain frozen records (every number already formatted by
:mod:`simulator.report.format`) that the Jinja2 templates show, and small builders of them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

Tree = dict[str, Any]




# ---------------------------------------------------------------------------- view data
@dataclass(frozen=True)
class Estimate:
    """A statistic as the page shows it: its value and the half-width of its 95 % interval."""

    value: str
    half: str | None = None


@dataclass(frozen=True)
class Code:
    """Code-like text (files, keys, hashes) in monospace, one line each."""

    lines: tuple[str, ...]


Content = str | Estimate | Code


@dataclass(frozen=True)
class Cell:
    """One table cell."""

    content: Content = ""
    css: str = ""  # the cell's own class ("good", "bad") in place of its column's
    strong: bool = False
    alert: bool = False  # the content in red
    note: str = ""  # a muted line under the content


@dataclass(frozen=True)
class Table:
    """A table; its first ``text_cols`` columns hold words (left-aligned)."""

    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    css: str = ""
    text_cols: int = 1


@dataclass(frozen=True)
class Chart:
    """A figure as inline SVG: the ``<svg>`` element's attributes and what it holds."""

    name: str
    attributes: str
    inner: str


@dataclass(frozen=True)
class Captioned:
    """A chart with a caption of its own (made from the result, not written in a template)."""

    chart: Chart
    caption: str


@dataclass(frozen=True)
class Badge:
    kind: str  # "good", "bad" or "plain"
    text: str


@dataclass(frozen=True)
class Guardrail:
    met: bool
    text: str


@dataclass(frozen=True)
class Change:
    """A scenario's paired change against the baseline."""

    per_contact: Estimate
    period_total: Estimate


@dataclass(frozen=True)
class Card:
    """The key figures of one scenario."""

    title: str
    file: str
    classes: str
    badges: tuple[Badge, ...]
    currency: str
    period: str
    per_contact: Estimate
    period_total: Estimate
    change: Change | None
    channels: Table | None
    guardrails: tuple[Guardrail, ...]


@dataclass(frozen=True)
class Kpi:
    """One figure on a card of its own."""

    label: str
    value: Estimate
    note: str = ""


@dataclass(frozen=True)
class Block:
    """A table under a heading (none when empty)."""

    heading: str
    table: Table


@dataclass(frozen=True)
class Provenance:
    """Where a result came from; with the key configuration and the whole of it when full."""

    table: Table
    configuration: tuple[Block, ...]
    json: str | None


@dataclass(frozen=True)
class Changes:
    """What a scenario sets differently from the baseline (no table: nothing)."""

    table: Table | None
    more: int


@dataclass(frozen=True)
class Entry:
    """One scenario in the assumptions."""

    heading: str
    provenance: Provenance
    changes: Changes | None = None


@dataclass(frozen=True)
class Uncertainty:
    """The range of outcomes over the uncertain inputs."""

    samples: str
    method: str
    replications: str
    low: str  # the percentiles, as ordinals
    high: str
    bands: Table
    inputs: Table


def table(head: Iterable[str], rows: Iterable[Iterable[Any]], css: str = "",
          text_cols: int = 1) -> Table:
    """A table from cells, estimates, code or anything else shown as its text."""
    return Table(tuple(head), tuple(tuple(_cell(value) for value in row) for row in rows), css,
                 text_cols)


def _cell(value: Any) -> Cell:
    if isinstance(value, Cell):
        return value
    if isinstance(value, Estimate | Code):
        return Cell(value)
    return Cell(str(value))


def code(values: Iterable[Any]) -> Code:
    return Code(tuple(str(v) for v in values))


def guardrail_cell(broken: Sequence[str], prefix: str = "BREAKS ") -> Cell:
    return Cell(prefix + ", ".join(broken), css="bad") if broken else Cell("all met", css="good")
