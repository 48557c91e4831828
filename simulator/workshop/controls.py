"""The workshop's controls: the numbers a room argues about, each tied to scenario keys and
bounded by the schema's own ``Field`` bounds (read from the pydantic models, never re-typed).

A lever file gets a control for each key it sets that the catalogue knows (:data:`CATALOGUE`),
starting at the lever's value; a head-count it sets becomes a scale of its roster (100 %: the
lever's roster). The room's own what-ifs on the baseline (:func:`room_controls`) change every
channel's volume, every group's wage or every group's head-count by a percentage.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel

from simulator.spec.groups import AgentGroupSpec
from simulator.spec.layers import Override, leaf_keys, lever_layers, value_at
from simulator.spec.levers import (
    CallbackSpec,
    IvrTypeSpec,
    RepeatTypeSpec,
    SelfServiceSpec,
    VerificationSpec,
)
from simulator.spec.money import CostsSpec
from simulator.spec.schema import ChannelSpec, Scenario

Kind = Literal["value", "roster", "volume", "wage"]
"""``value``: the number goes to the key as it is; ``roster``: a percentage of a group's
head-count; ``volume``/``wage``: a change in % of every channel's volume / every group's wage."""


@dataclass(frozen=True)
class Bound:
    """The range a value may take, as the schema states it (None: no bound on that side)."""

    low: float | None
    high: float | None
    low_open: bool = False  # True: the value must be > low (not >=)
    high_open: bool = False

    def allows(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return not (self.high is not None
                    and (value >= self.high if self.high_open else value > self.high))

    def text(self) -> str:
        """The bound in words: ``0 to 1``, ``> 0, at most 86,400``."""
        low = None if self.low is None else f"{'> ' if self.low_open else ''}{self.low:,g}"
        high = None if self.high is None else (f"< {self.high:,g}" if self.high_open
                                               else f"at most {self.high:,g}")
        if low and high and not self.low_open and not self.high_open:
            return f"{self.low:,g} to {self.high:,g}"
        return ", ".join(p for p in (low, high) if p) or "any number"


def field_bound(model: type[BaseModel], field: str) -> Bound:
    """The ``ge``/``gt``/``le``/``lt`` bounds of a pydantic field (through ``Annotated``)."""
    low = high = None
    low_open = high_open = False
    for item in model.model_fields[field].metadata:
        if isinstance(item, Ge):
            low = float(item.ge)  # type: ignore[arg-type]
        elif isinstance(item, Gt):
            low, low_open = float(item.gt), True  # type: ignore[arg-type]
        elif isinstance(item, Le):
            high = float(item.le)  # type: ignore[arg-type]
        elif isinstance(item, Lt):
            high, high_open = float(item.lt), True  # type: ignore[arg-type]
    return Bound(low, high, low_open, high_open)


@dataclass(frozen=True)
class Control:
    """One number on the page: what it is called, the key(s) it sets, its bound and unit, its
    step and where it starts."""

    key: str  # the scenario key (for roster/volume/wage: what it scales, in words)
    label: str
    unit: str
    bound: Bound
    step: float
    start: float
    kind: Kind = "value"

    @property
    def ident(self) -> str:
        """An identifier fit for a page element (letters, digits and underscores)."""
        return re.sub(r"[^A-Za-z0-9]", "_", f"{self.kind}_{self.key}")


@dataclass(frozen=True)
class Entry:
    """A key pattern the workshop offers a control for, and the field that bounds it."""

    pattern: str
    label: str
    unit: str
    model: type[BaseModel]
    field: str
    step: float


_NAME = r"([A-Za-z0-9_-]+)"
#: the keys a lever may set that get a control: their label, unit and bounding field
CATALOGUE: tuple[Entry, ...] = (
    Entry(rf"self_service\.{_NAME}\.try_share", "{0}: share trying self-service", "share",
          SelfServiceSpec, "try_share", 0.01),
    Entry(rf"self_service\.{_NAME}\.success_share", "{0}: self-service success share", "share",
          SelfServiceSpec, "success_share", 0.01),
    Entry(rf"self_service\.{_NAME}\.success_share_by_type\.{_NAME}",
          "{0}: self-service success share, {1}", "share", SelfServiceSpec, "success_share",
          0.01),
    Entry(r"ivr\.verification\.success_share", "IVR: share of callers verified", "share",
          VerificationSpec, "success_share", 0.01),
    Entry(rf"ivr\.contact_types\.{_NAME}\.verification_saves_seconds",
          "IVR verification: agent seconds saved, {0}", "seconds", IvrTypeSpec,
          "verification_saves_seconds", 1),
    Entry(rf"ivr\.contact_types\.{_NAME}\.containment_share", "IVR containment, {0}", "share",
          IvrTypeSpec, "containment_share", 0.01),
    Entry(r"callback\.offer_expected_wait_seconds", "callback offered when the expected wait "
          "passes", "seconds", CallbackSpec, "offer_expected_wait_seconds", 5),
    Entry(r"callback\.offer_after_wait_seconds", "callback offered after a wait of", "seconds",
          CallbackSpec, "offer_after_wait_seconds", 5),
    Entry(r"callback\.accept_share", "callback: share of offers accepted", "share",
          CallbackSpec, "accept_share", 0.01),
    Entry(r"callback\.reached_share", "callback: share of attempts reaching the customer",
          "share", CallbackSpec, "reached_share", 0.01),
    Entry(rf"repeat_contacts\.contact_types\.{_NAME}\.repeats_removed",
          "root cause: share of repeats removed, {0}", "share", RepeatTypeSpec,
          "repeats_removed", 0.01),
    Entry(rf"repeat_contacts\.contact_types\.{_NAME}\.demand_removed",
          "root cause: share of demand removed, {0}", "share", RepeatTypeSpec,
          "demand_removed", 0.01),
    Entry(rf"repeat_contacts\.contact_types\.{_NAME}\.fcr", "first-contact resolution, {0}",
          "share", RepeatTypeSpec, "fcr", 0.01),
    Entry(rf"agent_groups\.{_NAME}\.hourly_wage", "{0}: hourly wage", "money per hour",
          AgentGroupSpec, "hourly_wage", 0.25),
    Entry(rf"channels\.{_NAME}\.volume_per_day", "{0}: contacts per open day", "contacts",
          ChannelSpec, "volume_per_day", 10),
    *(Entry(rf"costs\.({name})", f"costs: {name.replace('_', ' ')}", "money", CostsSpec, name,
            0.01 if "minute" in name or "session" in name or "contact" in name else 1)
      for name, info in CostsSpec.model_fields.items() if info.annotation is float),
)

#: the room's what-ifs on the baseline, in % (the workshop's own bounds: the scenario the
#: changed values make is then validated by the schema, as a file would be)
ROOM: tuple[tuple[Kind, str, str, Bound, float], ...] = (
    ("volume", "every channel's volume_per_day", "volume change", Bound(-90, 200), 1),
    ("wage", "every group's hourly_wage", "wage change", Bound(-50, 100), 0.5),
    ("roster", "every group's head-count", "head-count change", Bound(-50, 100), 1),
)


def lever_controls(baseline: str | Any, lever: str | Any, scenario: Scenario
                   ) -> tuple[Control, ...]:
    """The controls of the keys a lever file sets (those the catalogue knows), starting at the
    lever's values (``scenario``: the lever as loaded); a head-count it sets (``agents`` or
    ``shifts``) as a roster scale starting at 100 %."""
    keys: list[str] = []
    for _, layer in lever_layers(baseline, lever):
        keys += [k for k in leaf_keys(layer.data) if k not in keys]
    data = scenario.model_dump(mode="json", by_alias=True)
    out: list[Control] = []
    for key in keys:
        roster = re.fullmatch(rf"agent_groups\.{_NAME}\.(agents|shifts)", key)
        if roster:
            out.append(Control(roster.group(1), f"{roster.group(1)}: head-count, % of the "
                               "lever's roster", "%", Bound(50, 200), 1, 100.0, "roster"))
            continue
        for entry in CATALOGUE:
            match = re.fullmatch(entry.pattern, key)
            if match is None:
                continue
            value = value_at(data, key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                out.append(Control(key, entry.label.format(*match.groups()), entry.unit,
                                   field_bound(entry.model, entry.field), entry.step,
                                   float(value)))
            break
    return tuple(out)


def room_controls() -> tuple[Control, ...]:
    """The room's what-ifs on the baseline: volume, wage and head-count changes, from 0 %."""
    return tuple(Control(key, label, "%", bound, step, 0.0, kind)
                 for kind, key, label, bound, step in ROOM)


def value_overrides(controls: tuple[Control, ...], values: Mapping[str, float]
                    ) -> list[Override]:
    """The ``--set`` overrides of the plain controls whose value differs from the start."""
    return [Override(c.key, float(values[c.ident])) for c in controls
            if c.kind == "value" and c.ident in values and values[c.ident] != c.start]


def scaled_overrides(controls: tuple[Control, ...], values: Mapping[str, float],
                     scenario: Scenario) -> list[Override]:
    """The overrides of the scale controls (roster %, volume and wage changes), computed on
    ``scenario`` (the one they change): a head-count rounded to whole agents."""
    out: list[Override] = []
    for c in controls:
        value = values.get(c.ident, c.start)
        if c.kind == "value" or value == c.start:
            continue
        if c.kind == "volume":
            out += [Override(f"channels.{ch.name}.volume_per_day",
                             ch.volume_per_day * (1 + value / 100)) for ch in scenario.channels]
        elif c.kind == "wage":
            out += [Override(f"agent_groups.{g.name}.hourly_wage",
                             g.hourly_wage * (1 + value / 100)) for g in scenario.agent_groups]
        else:
            factor = value / 100 if c.start == 100 else 1 + value / 100
            groups = [g for g in scenario.agent_groups if c.start != 100 or g.name == c.key]
            out += [o for g in groups for o in _roster(g, factor)]
    return out


def _roster(group: AgentGroupSpec, factor: float) -> list[Override]:
    """A group's head-count times ``factor``, rounded to whole agents (shifts, a flat count, or
    counts per interval or per weekday)."""
    key = f"agent_groups.{group.name}"
    if group.shifts is not None:
        shifts = [s.model_dump(mode="json", exclude_none=True) for s in group.shifts]
        return [Override(f"{key}.shifts", [s | {"agents": round(s["agents"] * factor)}
                                           for s in shifts])]
    agents = group.agents
    if isinstance(agents, int):
        return [Override(f"{key}.agents", round(agents * factor))]
    if isinstance(agents, tuple):
        return [Override(f"{key}.agents", [round(n * factor) for n in agents])]
    if isinstance(agents, dict):
        return [Override(f"{key}.agents", {day: [round(n * factor) for n in counts]
                                           for day, counts in agents.items()})]
    return []  # "auto": the staffing search chooses the head-count
