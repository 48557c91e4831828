"""Overrides travel as typed values: nothing is written as text and parsed back."""

from __future__ import annotations

import pytest

from simulator.spec.layers import Override, load_scenario, parse_override, with_values
from simulator.studies.comparison import same_run

FILE = "scenarios/erlang_a.toml"


def test_text_from_the_command_line_is_read_as_toml() -> None:
    assert parse_override("run.days=0.5") == Override("run.days", 0.5)
    assert parse_override("run.start_day=tue") == Override("run.start_day", "tue")  # a bare word
    assert parse_override('x.y={ dist = "fixed", value = 30 }') == Override(
        "x.y", {"dist": "fixed", "value": 30})
    assert parse_override("flag=true").value is True
    with pytest.raises(ValueError, match=r"KEY\.PATH=VALUE"):
        parse_override("run.days")
    with pytest.raises(ValueError, match="bad key path"):
        parse_override("run..days=1")


@pytest.mark.parametrize("value", [True, False, 3, 0.1 + 0.2, "mon", [1, 2.5], {"a": "b", "c": 1}])
def test_an_override_writes_itself_as_toml_that_reads_back_the_same(value: object) -> None:
    override = Override("k", value)
    assert parse_override(str(override)) == override


def test_a_bool_stays_a_bool() -> None:
    # with_values used to write f"{key}={value!r}", so True became the bare word "True"
    loaded = load_scenario("scenarios/self_service_ranges.toml")
    scenario = with_values(loaded.scenario, [("uncertainty.samples", 7)])
    inputs = scenario.uncertainty.inputs if scenario.uncertainty else ()
    assert scenario.uncertainty is not None
    assert scenario.uncertainty.samples == 7
    assert any(i.scale is True for i in inputs)
    flipped = with_values(scenario, [("uncertainty.inputs." + inputs[0].name + ".scale", False)])
    assert flipped.uncertainty is not None
    assert flipped.uncertainty.inputs[0].scale is False


def test_same_run_pins_typed_values_and_records_them_as_text() -> None:
    base = load_scenario(FILE, ["run.days=0.25", "run.seed=7"]).scenario
    pins = same_run(base)
    assert Override("run.days", 0.25) in pins
    assert Override("run.seed", 7) in pins
    other = load_scenario(FILE, pins)
    assert other.scenario.run == base.run
    assert other.overrides == ("run.seed=7", "run.replications=10", "run.days=0.25",
                               "run.warmup_hours=2.0", 'run.start_day="mon"')
