"""Typed results: the estimate against numpy/scipy by hand, documents that read back to the
golden JSON, and guardrail verdicts judged in one place."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

from simulator.report.files import to_json
from simulator.results.estimate import MISSING, Estimate, Spread
from simulator.results.guardrails import Verdicts, broken_guardrails, judge, met
from simulator.results.run import ChannelResult, RunResult
from simulator.results.studies import ComparisonResult, SweepRow
from tests.conftest import single_queue
from tests.scenarios.test_golden import GOLDEN, machine_free

NAN = float("nan")


# ---------------------------------------------------------------------------- the estimate
def test_estimate_is_the_mean_and_student_t_interval_by_hand() -> None:
    values = [12.5, 9.0, 11.25, 14.0, 10.5]
    est = Estimate.of(values)
    data = np.array(values)
    half = stats.t.ppf(0.975, df=len(values) - 1) * data.std(ddof=1) / math.sqrt(len(values))
    assert est.mean == pytest.approx(data.mean(), rel=1e-15)
    assert est.ci_low == pytest.approx(data.mean() - half, rel=1e-12)
    assert est.ci_high == pytest.approx(data.mean() + half, rel=1e-12)
    assert est.half_width == pytest.approx(half, rel=1e-12)
    assert est.values == tuple(values)
    assert est.to_document() == {"mean": est.mean, "ci_low": est.ci_low, "ci_high": est.ci_high,
                                 "values": values}


def test_undefined_replications_are_skipped_but_kept_among_the_values() -> None:
    est = Estimate.of([1.0, NAN, 3.0])
    half = stats.t.ppf(0.975, df=1) * np.std([1.0, 3.0], ddof=1) / math.sqrt(2)
    assert est.mean == 2.0
    assert est.ci_high == pytest.approx(2.0 + half, rel=1e-12)
    assert len(est.values) == 3
    assert math.isnan(est.values[1])


def test_one_replication_has_no_interval_and_none_has_no_mean() -> None:
    one = Estimate.of([4.0])
    assert (one.mean, one.ci_low, one.ci_high, one.half_width) == (4.0, None, None, None)
    none = Estimate.of([NAN, NAN])
    assert (none.mean, none.ci_low, none.ci_high) == (None, None, None)
    assert not none.defined
    assert Estimate.of(np.array([2.0, 2.0])).ci_low == 2.0  # no spread: a zero-width interval


def test_an_estimate_reads_back_from_its_document() -> None:
    est = Estimate.of([1.0, 2.0, 5.0])
    back = Estimate.from_document(est.to_document())
    assert back == est
    undefined = Estimate.from_document({"mean": 1.0, "ci_low": None, "ci_high": None,
                                        "values": [1.0, None]})  # NaN is null in JSON
    assert undefined.values[0] == 1.0
    assert math.isnan(undefined.values[1])
    assert Estimate.from_document(None) is MISSING


def test_spread_is_the_percentiles_of_the_samples() -> None:
    values = [float(v) for v in range(1, 101)]
    spread = Spread.of([*values, NAN], (10.0, 90.0))
    low, median, high = np.percentile(values, [10, 50, 90])
    assert (spread.low, spread.median, spread.high, spread.mean) == (low, median, high, 50.5)
    assert Spread.of([NAN], (10.0, 90.0)).to_document() == {
        "low": None, "median": None, "high": None, "mean": None}


# ---------------------------------------------------------------------------- documents
def _golden(name: str) -> Any:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def _same(built: Any, golden: Any) -> None:
    """Equal once the machine-specific parts are out (as the golden files are pinned), and
    byte-identical as the golden test writes them."""
    text = json.dumps(machine_free(json.loads(to_json(built))), indent=1, ensure_ascii=False)
    assert text == json.dumps(golden, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("name", ["erlang_a", "baseline"])
def test_a_run_document_reads_back_and_writes_the_golden_json(name: str) -> None:
    golden = _golden(name)
    result = RunResult.from_document(golden)
    _same(result.to_document(), golden)
    assert result.scenario == golden["scenario"]
    assert result.cost.per_contact.mean == golden["cost"]["per_contact"]["mean"]
    assert list(result.channels) == list(golden["channels"])
    assert [row.start for row in result.intervals] == [r["start"] for r in golden["intervals"]]
    assert result.broken() == broken_guardrails(golden)


def test_a_comparison_document_reads_back_and_writes_the_golden_json() -> None:
    golden = _golden("compare_callback")
    result = ComparisonResult.from_document(golden)
    _same(result.to_document(), golden)
    row = result.scenarios[0]
    assert row.difference.cost.per_contact.mean == \
        golden["scenarios"][0]["difference"]["cost"]["per_contact"]["mean"]
    assert row.guardrails_broken == golden["scenarios"][0]["guardrails_broken"]


def test_a_run_built_from_replications_has_the_golden_shape(tiny_centre: Any) -> None:
    from simulator.experiment import run_replications, run_result
    from simulator.spec.layers import LoadedScenario

    figures = run_replications(tiny_centre, workers=1)
    loaded = LoadedScenario(scenario=tiny_centre, path=Path("tiny.toml"), files=(Path("tiny.toml"),),
                            overrides=(), sha256="0" * 64)
    result = run_result(loaded, figures)
    document = result.to_document()
    golden = _golden("erlang_a")
    assert list(document) == list(golden)
    assert list(document["channels"]["voice"]) == list(golden["channels"]["voice"])
    assert list(document["cost"]) == list(golden["cost"])
    assert list(document["intervals"][0]) == list(golden["intervals"][0])
    # each estimate keeps the values it came from, one per replication
    answered = [f["channels"]["voice"]["answered"] for f in figures]
    assert result.channels["voice"].answered.values == tuple(float(a) for a in answered)
    # what reports read that the document leaves out: handled contacts, lines per contact
    contacts = result.cost.contacts
    assert contacts.mean == pytest.approx(np.mean(answered))
    lines = sum(v.mean or 0.0 for v in result.cost.per_contact_by_category.values())
    assert lines == pytest.approx(result.cost.per_contact.mean, rel=1e-9)
    assert result.service_level_seconds == {"voice": 20.0}
    assert to_json(RunResult.from_document(document).to_document()) == to_json(document)


def test_a_sweep_row_reads_back() -> None:
    result = RunResult.from_document(_golden("baseline"))
    row = SweepRow.of(result, ("run.days=2",))
    assert row.point == {"run.days": "2"}
    back = SweepRow.from_document(row.to_document())
    assert back.to_document() == row.to_document()
    keys = [key for key, _ in row.statistics()]
    assert keys[:2] == ["cost_per_contact", "period_total"]
    assert "email.within_target" in keys  # a backlog reports its response, not only SL


# ---------------------------------------------------------------------------- guardrails
def _channel(**means: float) -> ChannelResult:
    """A channel whose figures have these means (two replications, ± 0.01), others 0."""
    names = [f.name for f in fields(ChannelResult)]
    reps = [{n: means.get(n, 0.0) + d for n in names} for d in (-0.01, 0.01)]
    return ChannelResult.of(reps)


def _scenario(**targets: float) -> Any:
    return single_queue(agents=3, arrivals_per_hour=30, targets={"voice": targets})


@pytest.mark.parametrize(("name", "figure", "value", "target", "expected"), [
    ("service_level", "service_level", 0.85, 0.8, True),
    ("service_level", "service_level", 0.75, 0.8, False),
    ("service_level", "service_level", 0.8, 0.8, True),  # reaching the target meets it
    ("max_abandon_rate", "abandon_rate", 0.03, 0.05, True),
    ("max_abandon_rate", "abandon_rate", 0.07, 0.05, False),
    ("max_asa_seconds", "asa_seconds", 30.0, 20.0, False),
    ("max_asa_seconds", "asa_seconds", 20.0, 20.0, True),
    ("max_occupancy", "serving_occupancy", 0.9, 0.85, False),
    ("max_occupancy", "serving_occupancy", 0.8, 0.85, True),
])
def test_each_guardrail_is_met_or_broken_by_its_sense(name: str, figure: str, value: float,
                                                      target: float, expected: bool) -> None:
    verdicts = judge(_scenario(**{name: target}), {"voice": _channel(**{figure: value})})
    [check] = list(verdicts)
    assert (check.channel, check.name, check.target) == ("voice", name, target)
    assert check.value.mean == pytest.approx(value)
    assert check.sense == ("<=" if name.startswith("max_") else ">=")
    assert check.met is expected
    assert verdicts.broken() == ([] if expected else [f"voice.{name}"])
    assert verdicts.all_met() is expected
    assert verdicts.all_met(["chat"])  # no guardrail of another channel is broken


def test_an_undefined_figure_meets_no_target() -> None:
    assert not met(MISSING, 0.8, ">=")
    assert not met(MISSING, 0.05, "<=")
    assert met(Estimate.of([0.04]), 0.05, "<=")


def test_verdicts_keep_the_order_of_the_targets_and_read_back() -> None:
    scenario = _scenario(service_level=0.8, max_abandon_rate=0.05, max_asa_seconds=20)
    verdicts = judge(scenario, {"voice": _channel(service_level=0.7, abandon_rate=0.02,
                                                  asa_seconds=25)})
    assert [c.name for c in verdicts] == ["service_level", "max_abandon_rate", "max_asa_seconds"]
    assert verdicts.broken() == ["voice.service_level", "voice.max_asa_seconds"]
    document = verdicts.to_document()
    assert document["voice"]["max_abandon_rate"] == {
        "target": 0.05, "value": verdicts.of("voice")["max_abandon_rate"].value.to_document(),
        "met": True, "judged_on": "day"}
    back = Verdicts.from_document(document)
    assert back.to_document() == document
    assert [c.sense for c in back] == [c.sense for c in verdicts]
    assert broken_guardrails({"targets": document}) == verdicts.broken()
