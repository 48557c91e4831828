"""A roster for an agent group from a staffing requirement: shifts from the scenario's
``[[shift_templates]]`` when the group may use some, else the requirement itself.

The requirement is rostered agents (shrinkage already allowed for) per open weekday and
interval of the opening hours. With templates the group may use, :func:`roster_group` plans the
least-cost shifts covering it (:func:`simulator.studies.shifts.plan_shifts`, at the group's
wage) and rosters the group on them; without, it rosters exactly the requirement as a table per
weekday (``agents = { mon = [..], ... }``). :func:`with_rosters` puts such groups back into the
scenario, validated again.

Nothing here simulates: a caller (staffing) decides the requirement and runs the roster.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from simulator.results.shifts import ShiftPlan
from simulator.spec.layers import with_values
from simulator.spec.schema import AgentGroupSpec, Scenario
from simulator.studies.shifts import plan_shifts, roster_from_plan


def _group(scenario: Scenario, name: str) -> AgentGroupSpec:
    for group in scenario.agent_groups:
        if group.name == name:
            return group
    msg = (f"agent_groups: no group named {name!r}; known: "
           f"{', '.join(g.name for g in scenario.agent_groups)}")
    raise ValueError(msg)


def _checked(scenario: Scenario, group: str, requirement: np.ndarray) -> np.ndarray:
    hours = scenario.hours
    req = np.asarray(requirement)
    shape = (len(hours.open_days), hours.intervals_open)
    if req.shape != shape:
        msg = (f"agent_groups {group!r}: the requirement must be open days ({shape[0]}: "
               f"{', '.join(hours.open_days)}) × intervals of the opening hours ({shape[1]}: "
               f"{hours.open}-{hours.close} in {hours.interval_minutes} minutes), got shape "
               f"{req.shape}")
        raise ValueError(msg)
    if not np.issubdtype(req.dtype, np.integer) or (req < 0).any():
        msg = f"agent_groups {group!r}: the requirement must be whole numbers of agents, none negative"
        raise ValueError(msg)
    return req.astype(np.int64)


def roster_group(scenario: Scenario, group: str, requirement: np.ndarray,
                 on_top_of: ShiftPlan | None = None) -> tuple[ShiftPlan | None, AgentGroupSpec]:
    """The group rostered to cover ``requirement`` (rostered agents, open days × intervals of the
    opening hours, rows in the order of ``hours.open_days``).

    With shift templates the group may use: the least-cost plan at the group's ``hourly_wage``
    and the group with ``shifts`` from it (:func:`~simulator.studies.shifts.roster_from_plan`).
    Without: ``None`` and the group with the per-weekday ``agents`` table equal to the
    requirement. Only the roster changes; skills, wage and shrinkage are the group's own.
    ``on_top_of``: an earlier plan of the group whose shifts and breaks all stay, the programme
    adding shifts on top (:func:`~simulator.studies.shifts.plan_shifts`).

    Raises
    ------
    ValueError
        An unknown group, a requirement of the wrong shape or not whole numbers of agents, or a
        requirement the templates cannot cover (naming the day and interval, ``"mon 07:30"``),
        each line led by ``agent_groups 'NAME':``.
    """
    spec = _group(scenario, group)
    req = _checked(scenario, group, requirement)
    hours = scenario.hours
    keep = spec.model_dump(exclude_unset=True, exclude={"agents", "shifts"})
    if not any(t.usable_by(group) for t in scenario.shift_templates):
        table = {day: tuple(int(n) for n in row) for day, row in zip(hours.open_days, req, strict=True)}
        return None, AgentGroupSpec.model_validate({**keep, "agents": table})
    try:
        plan = plan_shifts(req, scenario.shift_templates, hours.interval_minutes,
                           hours.open_seconds, hours.open_days, spec.hourly_wage, group=group,
                           keep=on_top_of)
    except ValueError as exc:
        msg = f"agent_groups {group!r}: {exc}"
        raise ValueError(msg) from None
    return plan, AgentGroupSpec.model_validate({**keep, "shifts": roster_from_plan(plan)})


def with_rosters(scenario: Scenario, groups: Mapping[str, AgentGroupSpec]) -> Scenario:
    """The scenario with these groups (by name) in place of its own, validated again as a whole
    (:func:`simulator.spec.layers.with_values`).

    Raises
    ------
    ValueError
        A name that is not a group of the scenario, a group given under another name, or a
        scenario the new groups make invalid (a pydantic ``ValidationError``).
    """
    values: list[tuple[str, object]] = []
    for name, spec in groups.items():
        _group(scenario, name)
        if spec.name != name:
            msg = f"agent_groups {name!r}: given a group named {spec.name!r}"
            raise ValueError(msg)
        values.extend((f"agent_groups.{name}.{key}", value)
                      for key, value in spec.model_dump(mode="json", by_alias=True).items())
    return with_values(scenario, values)
