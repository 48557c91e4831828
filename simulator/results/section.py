"""A flat section of a result: named estimates built figure by figure from the replications.

A channel, an agent group, a contact type, a channel in one interval: each is a frozen dataclass
of :class:`~simulator.results.estimate.Estimate` fields deriving from :class:`Section`, which
builds them from the per-replication figures of :mod:`simulator.metrics`, writes them to the
result document and reads them back. A field with ``metadata=LABEL`` is not a figure but a name the
section carries as it is (a contact type's channel).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any, Self

from simulator.results.estimate import Document, Estimate

Figures = Mapping[str, Any]
"""One replication's figures as :mod:`simulator.metrics` measures them (floats, nested by
section, channel and group; ``intervals`` a list of rows)."""


#: the metadata of a field that names, not measures (``field(metadata=LABEL)``): copied from
#: the figures, written as it is
LABEL = {"label": True}


def _is_label(f: Any) -> bool:
    return bool(f.metadata.get("label", False))


class Section:
    """A flat section of named estimates (a channel, an agent group): built field by field from
    the replications; an optional figure (``None``) is one the replications do not have."""

    __slots__ = ()

    @classmethod
    def of(cls, replications: Sequence[Figures]) -> Self:
        first = replications[0]
        kwargs: dict[str, Any] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            if _is_label(f):
                kwargs[f.name] = first[f.name]
            elif f.name in first:
                kwargs[f.name] = Estimate.of(r[f.name] for r in replications)
            else:
                kwargs[f.name] = None
        return cls(**kwargs)

    def to_document(self) -> Document:
        out: Document = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if _is_label(f):
                out[f.name] = value
            elif value is not None and f.metadata.get("document", True):
                out[f.name] = value.to_document()
        return out

    @classmethod
    def from_document(cls, node: Mapping[str, Any]) -> Self:
        return cls(**{f.name: node[f.name] if _is_label(f)
                      else Estimate.from_document(node[f.name]) if f.name in node else None
                      for f in fields(cls)})  # type: ignore[arg-type]

    def figure(self, name: str) -> Estimate | None:
        """A figure by its name (for tables that list figures by name), None if not there."""
        value = getattr(self, name, None)
        return value if isinstance(value, Estimate) else None

    def estimates(self, prefix: str) -> list[tuple[str, Estimate]]:
        """``(prefix.figure, estimate)`` for every figure, in the document's order."""
        out = []
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, Estimate):
                out.append((f"{prefix}.{f.name}", value))
        return out
