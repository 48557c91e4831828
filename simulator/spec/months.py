"""One scenario per month of a ``[plan]`` (docs/plan.md, "The month's scenario").

Plan month *m*'s scenario is the file's scenario (``[plan]`` removed) with, in this order:

1. every roll-out whose month has come: a lever file's own keys merged over it (as ``extends``
   would), or the roll-out's ``set`` keys; a number the roll-out changes moves from the file's
   value (or ``ramp_from``) to the lever's in equal steps over ``ramp_months``;
2. each channel's ``volume_per_day`` times the month's volume factor;
3. each contact type's handle time (its mean; a uniform's ends; a fixed value) times the
   month's handle-time factor.

Wages are not part of it: the plan prices labour itself (:mod:`simulator.studies.plan`), so months
that differ only in pay share one simulation. A month's scenario is validated like any file.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.spec.layers import (
    ScenarioError,
    leaf_keys,
    merge,
    own_layers,
    scenario_of,
    set_value,
    value_at,
)
from simulator.spec.messages import format_validation_error
from simulator.spec.plan import WEEKDAY_NAMES, PlanSpec, days_in, file_month_volume
from simulator.spec.schema import Scenario

Table = dict[str, Any]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _ramped(before: Table, after: Table, keys: Sequence[str], share: float,
            starts: dict[str, float] | None = None) -> Table:
    """``after`` with each numeric key moved only ``share`` of the way from its value in
    ``before`` (or in ``starts``), a whole number staying whole. A key with no value to start
    from (the file leaves it unset) takes the lever's value at once."""
    if share >= 1:
        return after
    for key in keys:
        try:
            new = value_at(after, key)
            old = (starts or {}).get(key)
            old = value_at(before, key) if old is None else old
        except KeyError:
            continue
        if not (_number(new) and _number(old)):
            continue
        value = old + (new - old) * share
        set_value(after, key, round(value) if isinstance(new, int) else float(value))
    return after


def lever_tables(plan: PlanSpec, chain: Sequence[Path]) -> dict[int, list[Table]]:
    """Each lever roll-out's own keys (by roll-out index), read once.

    Raises
    ------
    ScenarioError
        A lever file that cannot be read or extends no file of ``chain``.
    """
    out: dict[int, list[Table]] = {}
    for i, rollout in enumerate(plan.rollouts):
        if rollout.lever is not None:
            try:
                out[i] = own_layers(rollout.lever, chain)
            except ScenarioError as exc:
                raise ScenarioError([f"plan.rollouts[{i}].lever: {p}"
                                     for p in exc.problems]) from None
    return out


def month_data(base: Table, plan: PlanSpec, m: int, levers: dict[int, list[Table]]) -> Table:
    """Plan month ``m``'s scenario data (module docstring), not yet validated."""
    data = copy.deepcopy(base)
    data.pop("plan", None)
    for i, rollout in enumerate(plan.rollouts):
        elapsed = plan.elapsed(rollout.from_, m)
        if elapsed < 0:
            continue
        share = rollout.share_at(elapsed)
        before = copy.deepcopy(data)
        if rollout.lever is not None:
            for layer in levers[i]:
                layer = {k: v for k, v in layer.items() if k not in ("scenario", "plan", "run")}
                data = _ramped(before, merge(data, copy.deepcopy(layer)), leaf_keys(layer), share)
                before = copy.deepcopy(data)
        else:
            for key, value in (rollout.set or {}).items():
                set_value(data, key, value)
            data = _ramped(before, data, list(rollout.set or {}), share, rollout.ramp_from or {})
    days = days_in(plan.first + m)
    open_days = tuple(data.get("hours", {}).get("open_days", WEEKDAY_NAMES))
    for channel in data["channels"]:
        file_volume = file_month_volume(channel["volume_per_day"], channel.get("weekly_pattern"),
                                        open_days, days)
        channel["volume_per_day"] = channel["volume_per_day"] * plan.volume_factor(
            channel["name"], m, file_volume)
    for kind in data["contact_types"]:
        factor = plan.handle_time_factor(kind["name"], m)
        if factor != 1:
            kind["handle_time"] = _scaled(kind["handle_time"], factor, kind["name"])
    return data


def _scaled(dist: Table, factor: float, name: str) -> Table:
    """A handle-time distribution with every time in it times ``factor``."""
    keys = {"uniform": ("low", "high"), "fixed": ("value",)}.get(dist["dist"], ("mean",))
    if dist["dist"] == "empirical":
        raise ValueError(f"plan.handle_time: contact type {name!r} has an empirical handle time, "
                         "which a factor cannot scale; give it a mean (e.g. lognormal)")
    return {**dist, **{k: dist[k] * factor for k in keys}}


def month_scenarios(scenario: Scenario, chain: Sequence[Path], label: str) -> list[Scenario]:
    """Every plan month's scenario, validated; every problem of every month together (each
    naming the month and the key path).

    Raises
    ------
    ScenarioError
        A lever file that cannot be read, or a month whose scenario is not valid.
    """
    plan = scenario.plan
    assert plan is not None
    levers = lever_tables(plan, chain)
    base = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    out: list[Scenario] = []
    problems: list[str] = []
    for m, month in enumerate(plan.month_labels()):
        try:
            out.append(scenario_of(month_data(base, plan, m, levers)))
        except ValidationError as exc:
            lines = [p.removeprefix(f"{label}: ") for p in format_validation_error(exc, label)]
            problems.extend(f"{label}: plan, month {month}: {line}" for line in lines)
        except ValueError as exc:
            problems.append(f"{label}: plan, month {month}: {exc}")
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    return out


def volume_factors(scenario: Scenario, m: int) -> dict[str, float]:
    """Plan month ``m``'s volume factor per channel of the file's ``scenario``."""
    plan = scenario.plan
    assert plan is not None
    days = days_in(plan.first + m)
    return {c.name: plan.volume_factor(c.name, m, file_month_volume(
        c.volume_per_day, c.weekly_pattern, scenario.hours.open_days, days))
        for c in scenario.channels}


def content_hash(scenario: Scenario, staffing_only: bool = False) -> str:
    """A digest of a month's scenario (``staffing_only``: without ``[costs]``, the wages and the
    names, none of which moves the requirement)."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    if staffing_only:
        data.pop("costs", None)
        data.pop("scenario", None)
        data.pop("report", None)
        for group in data["agent_groups"]:
            group.pop("hourly_wage", None)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
