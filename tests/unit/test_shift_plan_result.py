"""The shift plan as a result (simulator.results.shifts): frozen, read-only, its JSON."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from simulator.report.files import to_json
from simulator.results.shifts import ShiftPlan
from simulator.spec.shifts import ShiftTemplateSpec
from simulator.studies.shifts import plan_shifts

TEMPLATES = [ShiftTemplateSpec.model_validate(t) for t in (
    {"name": "a", "length_hours": 4, "starts": ["08:00"],
     "breaks": [{"minutes": 60, "earliest": "02:00", "latest": "03:00"}]},
    {"name": "b", "length_hours": 2, "starts": ["10:00", "11:00"], "cost_per_shift": 25},
)]
REQ = np.array([[2, 2, 1, 3, 1], [1, 1, 0, 0, 0]])


def plan() -> ShiftPlan:
    return plan_shifts(REQ, TEMPLATES, 60, 8 * 3600, ("mon", "sat"), 10.0)


def test_the_plan_is_frozen_and_its_arrays_read_only() -> None:
    result = plan()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = "x"  # type: ignore[misc]
    for name in ("requirement", "coverage", "over", "under"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(result, name)[0, 0] = 9
    given = np.array([[1, 2]])
    copied = dataclasses.replace(result, requirement=given)
    given[0, 0] = 7  # the caller's array is not the plan's
    assert copied.requirement.tolist() == [[1, 2]]
    assert not copied.requirement.flags.writeable


def test_the_document_holds_shifts_breaks_and_each_day_per_interval() -> None:
    result = plan()
    doc = json.loads(to_json(result.to_document()))
    assert doc["weekdays"] == ["mon", "sat"]
    assert doc["intervals"] == ["08:00", "09:00", "10:00", "11:00", "12:00"]
    assert doc["requirement"] == {"mon": [2, 2, 1, 3, 1], "sat": [1, 1, 0, 0, 0]}
    for name in ("coverage", "over", "under"):
        assert doc[name] == {d: getattr(result, name)[i].tolist() for i, d in enumerate(result.weekdays)}
    assert doc["under"] == {"mon": [0] * 5, "sat": [0] * 5}
    assert [s["template"] for s in doc["shifts"]] == [s.template for s in result.shifts]
    assert doc["shifts"][0] == {**dataclasses.asdict(result.shifts[0]), "days": list(result.shifts[0].days)}
    assert doc["breaks"] == [dataclasses.asdict(b) for b in result.breaks]
    assert doc["paid_hours_per_week"] == result.paid_hours_per_week
    assert doc["cost_per_week"] == result.cost_per_week
    assert (doc["status"], doc["gap"]) == ("optimal", 0.0)
    assert "solve_seconds" not in doc  # the machine's, not the plan's


def test_the_document_reads_back() -> None:
    result = plan()
    back = ShiftPlan.from_document(json.loads(to_json(result.to_document())))
    assert back.to_document() == result.to_document()
    assert (back.coverage == result.coverage).all()
    assert back.open_seconds == 8 * 3600
