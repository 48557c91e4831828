"""Patience calibrated by simulation: from a history made by a known scenario, a scenario whose
patience is twice or half the truth gets the true mean back, within the noise of both sides."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from simulator.history.table import History
from simulator.results.calibration import CalibrationResult, ChannelCalibration
from simulator.spec import distributions as dists
from simulator.spec.schema import Scenario
from simulator.studies.calibration import MAX_SIMULATIONS, calibrate_patience, scaled
from tests.studies.histories import TRUE_PATIENCE_SECONDS, history_of, loaded, small_centre

#: history and replications of the tests of one calibration: enough that 3 σ of the recovered
#: log mean is under log 2 (a calibration that stayed at a start twice off would fail them)
WEEKS = 26
REPLICATIONS = 20


@pytest.fixture(scope="module")
def history() -> History:
    """26 weeks of the true centre on seed 99 (the calibration runs on the scenario's seed, 3)."""
    return history_of(small_centre(TRUE_PATIENCE_SECONDS), WEEKS, 99)


def calibrated(history: History, voice: float | None, care: float | None = None,
               **options: int) -> CalibrationResult:
    scenario = Scenario.model_validate(small_centre(voice, care, replications=REPLICATIONS))
    return calibrate_patience(loaded(scenario), history, workers=1, **options)


def channel(result: CalibrationResult, name: str) -> ChannelCalibration:
    return next(c for c in result.channels if c.channel == name)


def sigma_log_scale(found: ChannelCalibration) -> float:
    """The standard deviation of log(calibrated scale) from the noise, by the delta method:
    √(SE_sim² + SE_history²) / |d(abandonment rate)/d(log s)|. The study reports the 95 % range
    exp(log s ± t · σ) with t ≥ 1.96 (Student's, on the replications' and weeks' degrees of
    freedom), so half its width over 1.96 is σ or a little more."""
    assert found.scale_low is not None
    assert found.scale_high is not None
    return math.log(found.scale_high / found.scale_low) / (2 * 1.96)


@pytest.fixture(scope="module")
def from_double(history: History) -> CalibrationResult:
    return calibrated(history, 2 * TRUE_PATIENCE_SECONDS)


@pytest.fixture(scope="module")
def from_half(history: History) -> CalibrationResult:
    return calibrated(history, TRUE_PATIENCE_SECONDS / 2)


@pytest.mark.parametrize("start", ["from_double", "from_half"])
def test_recovers_the_true_mean_within_the_noise(start: str, request: pytest.FixtureRequest
                                                 ) -> None:
    result: CalibrationResult = request.getfixturevalue(start)
    voice = channel(result, "voice")
    assert voice.status == "calibrated"
    assert voice.simulations == len(voice.steps) <= MAX_SIMULATIONS
    assert result.simulations <= MAX_SIMULATIONS
    sigma = sigma_log_scale(voice)
    # the tolerance must be able to fail: a calibration that stayed at the start (a factor 2
    # off) lies outside it
    assert 3 * sigma < math.log(2)
    assert voice.calibrated_mean_seconds is not None
    # 3 σ: a recovered mean outside it happens in 0.3 % of histories if the method is unbiased
    assert abs(math.log(voice.calibrated_mean_seconds / TRUE_PATIENCE_SECONDS)) <= 3 * sigma
    assert voice.patience == {"dist": "exponential",
                              "mean": round(voice.calibrated_mean_seconds, 1)}


def test_both_starts_find_the_same_root(from_double: CalibrationResult,
                                        from_half: CalibrationResult) -> None:
    """On common random numbers the simulated abandonment is one function of the scale, so the
    two searches solve the same equation: each stops within a quarter of the simulated rate's
    standard error of the root (or on a bracket under 1 % wide), so they differ by at most half
    of it over the slope, i.e. half of σ_sim ≤ σ, or the bracket's 1 %."""
    a, b = channel(from_double, "voice"), channel(from_half, "voice")
    assert a.calibrated_mean_seconds is not None
    assert b.calibrated_mean_seconds is not None
    gap = abs(math.log(a.calibrated_mean_seconds / b.calibrated_mean_seconds))
    assert gap <= 0.5 * max(sigma_log_scale(a), sigma_log_scale(b)) + math.log(1.01)


def test_the_fit_improves(from_double: CalibrationResult) -> None:
    voice = channel(from_double, "voice")
    assert voice.before is not None
    assert voice.after is not None
    assert voice.before.cells == voice.after.cells == 5 * 8  # every weekday x half-hour
    # twice the patience abandons clearly less than the history: by several standard errors
    assert voice.before.bias < -3 * voice.steps[0].standard_error
    assert abs(voice.after.bias) < abs(voice.before.bias) / 3
    assert voice.after.mae < voice.before.mae
    assert voice.before.within_band is not None
    assert voice.after.within_band is not None
    assert voice.after.within_band >= voice.before.within_band


def test_a_channel_that_never_abandons_is_left_alone(from_double: CalibrationResult) -> None:
    care = channel(from_double, "care")
    assert care.status == "unchanged"
    assert "never abandons" in care.note
    assert care.patience is None
    assert care.scale == 1.0
    assert [c.channel for c in from_double.calibrated] == ["voice"]


def test_a_history_that_never_abandons_leaves_patience_alone(history: History) -> None:
    # the history's care queue has no patience: none of its contacts abandoned
    result = calibrated(history, 2 * TRUE_PATIENCE_SECONDS, care=90.0)
    care = channel(result, "care")
    assert care.status == "unchanged"
    assert "history never abandons" in care.note
    assert care.calibrated_mean_seconds == 90.0


def test_the_simulations_are_bounded(history: History) -> None:
    result = calibrated(history, 2 * TRUE_PATIENCE_SECONDS, max_simulations=2)
    voice = channel(result, "voice")
    assert result.simulations == 2 == len(voice.steps)
    assert voice.status == "not_converged"
    assert "ran out" in voice.note
    best = min(voice.steps, key=lambda s: abs(s.simulated_rate - voice.actual_rate))
    assert voice.scale == pytest.approx(best.scale)


def test_a_queue_the_scenario_lacks_is_refused(history: History) -> None:
    frame = history.frame.copy()
    frame.loc[frame["queue"] == "care", "queue"] = "Billing Line"
    other = History(frame, history.interval_minutes, history.sources)
    with pytest.raises(ValueError, match=r"queue 'Billing Line'.*no channel 'billing_line'"):
        calibrated(other, TRUE_PATIENCE_SECONDS)


def test_intervals_of_another_length_are_refused(history: History) -> None:
    other = History(history.frame, 60, history.sources)
    with pytest.raises(ValueError, match="60-minute intervals"):
        calibrated(other, TRUE_PATIENCE_SECONDS)


@pytest.mark.parametrize("dist", [
    dists.Exponential(dist="exponential", mean=120),
    dists.LogNormal(dist="lognormal", mean=120, cv=0.8),
    dists.Gamma(dist="gamma", mean=120, cv=1.5),
    dists.Uniform(dist="uniform", low=10, high=200),
    dists.Fixed(dist="fixed", value=90),
])
def test_a_scale_multiplies_every_customers_patience(dist: dists.Distribution) -> None:
    """The coupling calibration relies on: the same uniform gives s times the patience."""
    u = np.linspace(0.001, 0.999, 101)
    twice = scaled(dist, 2.5)
    assert twice is not None
    assert type(twice) is type(dist)
    np.testing.assert_allclose(twice.quantiles(u), 2.5 * dist.quantiles(u),
                               rtol=1e-9)
    assert twice.mean == pytest.approx(2.5 * dist.mean)


def test_an_empirical_patience_is_not_scaled(tmp_path: Path) -> None:
    values = tmp_path / "patience.csv"
    values.write_text("seconds\n30\n60\n", encoding="utf-8")
    assert scaled(dists.Empirical(dist="empirical", file=str(values)), 2.0) is None


@pytest.mark.slow
def test_the_95_percent_range_covers_the_truth() -> None:
    """30 independent pairs of history (13 weeks, its own seed) and calibration (10 replications,
    another seed), from twice the true patience: the recovered log mean is unbiased (its mean
    within 3 standard errors of the truth) and the 95 % range holds the truth in at least 25 of
    30 (a range that truly covers 95 % does worse with probability 0.3 %, binomial(30, 0.95)).
    Measured: 28 of these 30, 57 of 60."""
    errors, inside = [], 0
    for k in range(30):
        history = history_of(small_centre(TRUE_PATIENCE_SECONDS), 13, 200 + k)
        data = small_centre(2 * TRUE_PATIENCE_SECONDS)
        data["run"]["seed"] = 500 + k
        voice = channel(calibrate_patience(loaded(Scenario.model_validate(data)), history,
                                           workers=1), "voice")
        assert voice.calibrated_mean_seconds is not None
        assert voice.scale_low is not None
        assert voice.scale_high is not None
        start = 2 * TRUE_PATIENCE_SECONDS
        inside += start * voice.scale_low <= TRUE_PATIENCE_SECONDS <= start * voice.scale_high
        errors.append(math.log(voice.calibrated_mean_seconds / TRUE_PATIENCE_SECONDS))
    assert abs(np.mean(errors)) <= 3 * np.std(errors, ddof=1) / math.sqrt(len(errors))
    assert inside >= 25


def test_a_root_beyond_the_bounds_stops_at_the_bound(history: History) -> None:
    """A history abandoning 100 % lies beyond any scale down to 1/32: the search steps down by
    its largest step, keeps the bound and says so."""
    frame = history.frame.copy()
    voice = frame["queue"] == "voice"
    frame.loc[voice, "abandoned"] = frame.loc[voice, "offered"]
    frame.loc[voice, "answered"] = 0
    result = calibrated(History(frame, history.interval_minutes, history.sources),
                        TRUE_PATIENCE_SECONDS)
    found = channel(result, "voice")
    assert found.status == "at_bound"
    assert found.scale == pytest.approx(1 / 32)
    assert [round(s.scale, 6) for s in found.steps] == [1, 1 / 4, 1 / 16, 1 / 32]
    assert "beyond the scales tried" in found.note


def test_only_the_channels_asked_for(history: History) -> None:
    scenario = loaded(Scenario.model_validate(small_centre(2 * TRUE_PATIENCE_SECONDS)))
    result = calibrate_patience(scenario, history, channels=["care"], workers=1)
    assert [c.channel for c in result.channels] == ["care"]
    assert result.simulations == 1  # nothing to search: one run of the week for the fit
    with pytest.raises(ValueError, match="channel 'sales': the history has no queue"):
        calibrate_patience(scenario, history, channels=["sales"], workers=1)


def test_a_channel_without_patience_whose_history_abandons_gets_one() -> None:
    """The scenario's care queue never abandons, its history does (a true 300 s): the search
    starts from an exponential with the mean handle time (300 s) and finds the truth within 3 σ;
    before, the scenario abandons no one, so its bias is minus the history's rate."""
    history = history_of(small_centre(TRUE_PATIENCE_SECONDS, 300.0), WEEKS, 99)
    result = calibrated(history, TRUE_PATIENCE_SECONDS, care=None)
    care = channel(result, "care")
    assert care.status == "calibrated"
    assert care.start_mean_seconds is None
    assert "searched from an exponential of mean 300.0 s" in care.note
    assert care.steps[0].scale == 1.0
    assert care.before is not None
    assert care.before.bias == pytest.approx(-care.actual_rate)
    assert care.calibrated_mean_seconds is not None
    assert abs(math.log(care.calibrated_mean_seconds / 300.0)) <= 3 * sigma_log_scale(care)
    assert care.patience == {"dist": "exponential", "mean": round(care.calibrated_mean_seconds, 1)}


def test_a_channel_whose_types_have_their_own_patience_is_left_alone(history: History) -> None:
    data = small_centre(None, replications=REPLICATIONS)
    data["contact_types"][0]["patience"] = {"dist": "exponential", "mean": 1200.0}
    result = calibrate_patience(loaded(Scenario.model_validate(data)), history, workers=1)
    voice = channel(result, "voice")
    assert voice.status == "unchanged"
    assert "contact type 'voice' has its own patience" in voice.note
    assert result.calibrated == ()
