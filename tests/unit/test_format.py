"""The formatting core (simulator.report.format): rounding, signs, negative zero, missing values,
thousands, units — and that it writes exactly what the terminal, files and charts helpers write
today, so that they can adopt it without changing an output.

The helpers are copied here as they stand (terminal.py ``_fmt``/``_half``, files.py
``_csv_number``, charts.py ``money``/``_clock_label``/``input_value_label``/``ordinal``) rather
than imported: they are the oracle of today's output, and they may move once they use the core.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.report import format as fmt
from simulator.report.format import CHART, MISSING, PAGE, TERMINAL

Tree = dict[str, Any]


# ---------------------------------------------------------------------------- the rules
def test_missing_values_are_an_en_dash() -> None:
    for value in (None, math.nan, math.inf, -math.inf):
        assert fmt.number(value) == MISSING == "–"
        assert fmt.money_cents(value) == fmt.money_whole(value) == fmt.count(value) == MISSING
        assert fmt.percent(value) == fmt.percent(value, signed=True) == MISSING
        assert fmt.seconds(value, unit=True) == fmt.hours(value, unit=True) == MISSING
        assert fmt.minutes(value, unit=True) == fmt.clock(value) == MISSING
        assert fmt.multiplier(value) == MISSING
        assert fmt.estimate(value, 0.1, "money") == MISSING
        assert fmt.estimate_parts(value, 0.1, "pct") == (MISSING, None)
        assert fmt.half_text(value, "money") is None
        assert fmt.csv_number(value) == ""
    assert fmt.estimate(6.64, None, "money") == fmt.estimate(6.64, math.nan, "money") == "6.64"


def test_money_to_the_cent_and_in_whole_units_with_thousands() -> None:
    assert fmt.money_cents(6.644) == "6.64"
    assert fmt.money_cents(1234.5) == "1,234.50"
    assert fmt.money_whole(1196656.6) == "1,196,657"
    assert fmt.money_whole(999.4) == "999"
    assert fmt.money_cents(-0.28, signed=True) == "−0.28"  # a true minus on the page
    assert fmt.money_cents(-0.28, signed=True, style=TERMINAL) == "-0.28"
    assert fmt.money_whole(67912.4, signed=True) == "+67,912"
    assert fmt.money_whole(-67912.4, signed=True) == "−67,912"
    assert fmt.money_cents(0.0, signed=True) == "+0.00"
    assert fmt.money_cents(-1, signed=True, style=PAGE) == fmt.money_cents(-1, signed=True)


def test_rounding_is_to_the_nearest_even_of_the_exact_binary_value() -> None:
    assert fmt.money_cents(0.125) == "0.12"  # 0.125 is exact: half to even
    assert fmt.money_cents(0.375) == "0.38"
    assert fmt.money_cents(2.675) == "2.67"  # 2.675 is 2.67499999… in binary
    assert fmt.count(2.5) == "2"
    assert fmt.count(3.5) == "4"
    assert fmt.percent(0.8005) == "80.0 %"  # 80.04999… in binary
    assert fmt.percent(0.12345) == "12.3 %"
    assert fmt.number(0.05, 1) == "0.1"  # 0.05000000000000000277


def test_no_negative_zero_on_the_page_but_kept_where_it_is_written_today() -> None:
    assert fmt.money_cents(-0.004) == "0.00"
    assert fmt.money_cents(-0.004, signed=True) == "+0.00"
    assert fmt.money_cents(-0.0, signed=True) == "+0.00"
    assert fmt.percent(-0.0004, signed=True) == "+0.0 pts"
    assert fmt.count(-0.4) == "0"
    assert fmt.number(-0.0, None) == "0"
    assert fmt.multiplier(0.9999) == "×1.00 (+0 %)"
    # the terminal and the charts write a tiny negative with its sign today
    assert fmt.money_cents(-0.004, signed=True, style=TERMINAL) == "-0.00"
    assert fmt.money_cents(-0.004, signed=True, style=CHART) == "−0.00"
    assert fmt.multiplier(0.9999, style=CHART) == "×1.00 (−0 %)"


def test_percentages_to_one_decimal_and_changes_in_points() -> None:
    assert fmt.percent(0.8012) == "80.1 %"
    assert fmt.percent(0.8012, style=TERMINAL) == "80.1%"
    assert fmt.percent(1.0, 0) == "100 %"
    assert fmt.percent(0.8, None) == "80 %"  # a target as written
    assert fmt.percent(0.825, None) == "82.5 %"
    assert fmt.percent(0.022, signed=True) == "+2.2 pts"
    assert fmt.percent(-0.022, signed=True) == "−2.2 pts"
    assert fmt.percent(12.345) == "1234.5 %"  # no thousands separator in a percentage


def test_durations_and_their_units() -> None:
    assert fmt.seconds(12.34) == "12.3"
    assert fmt.seconds(12.34, unit=True) == "12.3 s"
    assert fmt.seconds(20, None, unit=True) == "20 s"
    assert fmt.seconds(1234.56, unit=True) == "1,234.6 s"
    assert fmt.minutes(0.7 * 60, unit=True) == "42.0 min"
    assert fmt.hours(24, None, unit=True) == "24 h"
    assert fmt.hours(7.25) == "7.2"  # 7.25 is exact: half to even
    assert fmt.hours(-1.5, signed=True, unit=True) == "−1.5 h"


def test_counts_with_thousands_and_signs() -> None:
    assert fmt.count(1234567.4) == "1,234,567"
    assert fmt.count(12, signed=True) == "+12"
    assert fmt.count(-1234, signed=True) == "−1,234"
    assert fmt.count(-1234, signed=True, style=TERMINAL) == "-1,234"
    assert fmt.number(1234.5678, 3) == "1,234.568"
    assert fmt.number(1234.5678, 3, thousands=False) == "1234.568"


def test_an_estimate_is_mean_plus_minus_half_width() -> None:
    assert fmt.estimate(6.644, 0.048, "money") == "6.64 ± 0.05"
    assert fmt.estimate(6.644, 0.048, "money", style=TERMINAL) == "6.64 ±0.05"
    assert fmt.estimate(0.9043, 0.0187, "pct") == "90.4 % ± 1.9"
    assert fmt.estimate(1196656.6, 754.2, "whole") == "1,196,657 ± 754"
    assert fmt.estimate(412.3, 12.34, "count") == "412 ± 12"
    assert fmt.estimate(12.34, 0.44, "num") == "12.3 ± 0.4"
    assert fmt.estimate_parts(6.644, 0.048, "money") == ("6.64", "0.05")
    assert fmt.estimate_parts(6.644, None, "money") == ("6.64", None)
    assert fmt.half_text(-0.048, "money") == "0.05"  # a width has no sign


def test_a_paired_difference_always_has_its_sign() -> None:
    assert fmt.difference(-0.2812, 0.0123, "money") == "−0.28 ± 0.01"
    assert fmt.difference(0.022, 0.017, "pct") == "+2.2 pts ± 1.7"
    assert fmt.difference(-67912.4, 363.2, "whole") == "−67,912 ± 363"
    assert fmt.difference(3.0, 0.44, "count") == "+3 ± 0.4"  # a count's change: its half to 0.1
    assert fmt.difference(0.0, 0.0, "money", style=TERMINAL) == "+0.00 ±0.00"


def test_clock_labels() -> None:
    assert fmt.clock(0) == "00:00"
    assert fmt.clock(8.5) == "08:30"
    assert fmt.clock(19.75) == "19:45"
    assert fmt.clock(8 + 59.6 / 60) == "09:00"  # to the nearest minute
    assert fmt.clock(24) == "24:00"


def test_multipliers_ordinals_and_csv_numbers() -> None:
    assert fmt.multiplier(0.9) == "×0.90 (−10 %)"
    assert fmt.multiplier(1.1) == "×1.10 (+10 %)"
    assert fmt.multiplier(0.9, significant=3, style=TERMINAL) == "×0.9 (-10 %)"
    assert [fmt.ordinal(p) for p in (1, 2, 3, 4, 10, 11, 12, 13, 21, 90, 2.5)] == [
        "1st", "2nd", "3rd", "4th", "10th", "11th", "12th", "13th", "21st", "90th", "2.5th"]
    assert fmt.csv_number(0.1) == "0.1"
    assert fmt.csv_number(3) == "3.0"
    assert fmt.csv_number(1 / 3) == repr(1 / 3)


# ---------------------------------------------------------------------------- today's helpers
def _mean(stat: Tree | None) -> float | None:  # terminal.py
    if stat is None:
        return None
    value = stat.get("mean")
    return None if value is None else float(value)


def _half(stat: Tree) -> float | None:  # terminal.py
    if stat.get("ci_high") is None or stat.get("mean") is None:
        return None
    return float(stat["ci_high"]) - float(stat["mean"])


def _fmt(stat: Tree, kind: str, scale: float = 1.0, signed: bool = False) -> str:  # terminal.py
    mean = _mean(stat)
    if mean is None:
        return "–"
    half = _half(stat)
    mean *= scale
    sign = "+" if signed else ""
    if kind == "pct":
        text = f"{mean * 100:{sign}.1f} pts" if signed else f"{mean * 100:.1f}%"
        return text + (f" ±{half * scale * 100:.1f}" if half is not None else "")
    if kind == "money":
        text = f"{mean:{sign},.2f}"
        return text + (f" ±{half * scale:,.2f}" if half is not None else "")
    if kind == "count":
        text = f"{mean:{sign},.0f}"
        return text + (f" ±{half * scale:,.{1 if signed else 0}f}" if half is not None else "")
    text = f"{mean:{sign},.1f}"
    return text + (f" ±{half * scale:,.1f}" if half is not None else "")


def _csv_number(value: Any) -> str:  # files.py
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return repr(float(value))


def _money(value: float, signed: bool = False) -> str:  # charts.py: money
    return f"{value:+,.2f}".replace("-", "−") if signed else f"{value:,.2f}"


def _clock_label(value: float, _pos: int | None = None) -> str:  # charts.py
    minutes = round(value * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _input_value_label(kind: str, value: float) -> str:  # charts.py: input_value_label
    if kind == "scale":
        pct = (value - 1) * 100
        return f"×{value:.2f} ({pct:+.0f} %)".replace("-", "−")
    return f"{value:g}"


def _level_text(kind: str, value: float) -> str:  # terminal.py, on a row's low or high
    if kind == "scale":
        return f"×{value:.3g} ({(value - 1) * 100:+.0f} %)"
    return f"{value:.4g}"


def _terminal(stat: Tree, kind: fmt.Kind, scale: float = 1.0, signed: bool = False) -> str:
    """``_fmt`` written with the core, as terminal.py can adopt it."""
    mean, half = _mean(stat), _half(stat)
    return fmt.estimate(None if mean is None else mean * scale,
                        None if half is None else half * scale, kind, signed=signed,
                        style=TERMINAL)


FINITE = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
HALF = st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False))
SCALE = st.sampled_from([1.0, 1 / 3, 1 / 7, 60.0, 0.5])


@given(mean=FINITE, half=HALF, scale=SCALE, signed=st.booleans(),
       kind=st.sampled_from(["money", "pct", "count", "num"]))
def test_the_core_writes_what_the_terminal_fmt_writes(mean: float, half: float | None,
                                                      scale: float, signed: bool,
                                                      kind: fmt.Kind) -> None:
    stat = {"mean": mean, "ci_low": None if half is None else mean - half,
            "ci_high": None if half is None else mean + half}
    assert _terminal(stat, kind, scale, signed) == _fmt(stat, kind, scale, signed)


def test_the_core_writes_what_the_terminal_fmt_writes_when_missing() -> None:
    for stat in ({"mean": None, "ci_low": None, "ci_high": None}, {}):
        for kind in ("money", "pct", "count", "num"):
            assert _terminal(stat, kind) == _fmt(stat, kind) == "–"


@given(value=st.one_of(st.none(), st.floats(), st.integers(-10**6, 10**6)))
def test_csv_numbers_are_written_as_today(value: float | None) -> None:
    assert fmt.csv_number(value) == _csv_number(value)


@given(value=FINITE, signed=st.booleans())
def test_chart_money_is_money_cents_in_the_chart_style(value: float, signed: bool) -> None:
    if not signed:
        value = abs(value)  # charts write unsigned money for costs, which are never negative
    assert fmt.money_cents(value, signed=signed, style=CHART) == _money(value, signed)


@given(value=st.floats(min_value=0, max_value=48, allow_nan=False))
def test_clock_labels_are_written_as_today(value: float) -> None:
    assert fmt.clock(value) == _clock_label(value)


@given(value=st.floats(min_value=0.01, max_value=10, allow_nan=False))
def test_scale_factors_are_written_as_today(value: float) -> None:
    assert fmt.multiplier(value, style=CHART) == _input_value_label("scale", value)
    assert fmt.multiplier(value, significant=3, style=TERMINAL) == _level_text("scale", value)
    assert fmt.number(value, None, style=TERMINAL) == _input_value_label("value", value)


@given(share=st.floats(min_value=-2, max_value=2, allow_nan=False), decimals=st.sampled_from([0, 1]))
def test_terminal_shares_are_written_as_today(share: float, decimals: int) -> None:
    assert fmt.percent(share, decimals, style=TERMINAL) == f"{share:.{decimals}%}"


@pytest.mark.parametrize("target", [0.8, 0.95, 0.825, 0.06, 1.0])
def test_targets_are_written_as_today(target: float) -> None:
    assert fmt.percent(target, None) == f"{target * 100:g} %"  # the page's guardrails
    assert fmt.percent(target, 0, style=TERMINAL) == f"{target:.0%}"  # the terminal's targets
    assert fmt.seconds(target * 100, None, unit=True) == f"{target * 100:g} s"
