"""Round trip: a history drawn with numpy from a KNOWN process (tests/history/exports.py) is
read, cleaned and estimated, and the estimates recover the process within sampling error.

Every tolerance is 4 standard deviations of the estimate, the standard deviation derived from
the process's own figures (the formula is beside each check); the seeds are fixed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulator.history.cleaning import cleaned
from simulator.history.estimates import Estimates, QueueEstimate, estimated
from simulator.history.reading import read_exports
from tests.history.exports import Truth, rows, write

WEEKS = 13
SATURDAY_SHAPE = np.r_[np.ones(10), np.zeros(14)]  # Saturday: 08:00-13:00 only


def _estimates(tmp_path: Path, truths: dict[str, Truth], seed: int) -> Estimates:
    path = write(tmp_path / "export.csv", rows(truths, np.random.default_rng(seed), weeks=WEEKS))
    return estimated(cleaned(read_exports([path], threshold_seconds=20)))


def _queue(e: Estimates, name: str) -> QueueEstimate:
    return next(q for q in e.queues if q.queue == name)


def _daily_means(t: Truth) -> np.ndarray:
    """λ_w: the mean offered of each open weekday."""
    return np.array([t.volume_per_day * m for m in t.weekly_pattern if m > 0])


def test_volumes_weekdays_profile_busyness_and_handle_time_are_recovered(tmp_path: Path) -> None:
    truth = Truth()
    e = _estimates(tmp_path, {"sales": truth}, seed=11)
    q = _queue(e, "sales")
    assert e.dropped == ()
    lam = _daily_means(truth)
    c2 = truth.busyness_cv**2
    # A day's count: Var = λ + c²λ² (Poisson with a gamma factor); a weekday's mean over 13
    # dates has Var/13; volume_per_day is the mean of the 6 weekday means.
    var_day = lam + c2 * lam**2
    assert abs(q.volume_per_day - lam.mean()) < 4 * np.sqrt(np.sum(var_day / WEEKS) / 36)
    means = np.array(q.weekly_pattern[:6]) * q.volume_per_day
    assert np.all(np.abs(means - lam) < 4 * np.sqrt(var_day / WEEKS))
    assert q.weekly_pattern[6] == 0.0
    # One shape: conditional on a day's total the counts are multinomial, so a pooled share
    # p̂ of C contacts has Var ≈ p(1 - p) / C.
    assert not q.shape.per_weekday
    p = truth.shape(0)
    assert np.all(np.abs(np.array(q.profile) - p) < 4 * np.sqrt(p * (1 - p) / q.offered))
    # Busyness: per weekday (s² - m) / m² estimates c², with Var(s²) ≈ σ⁴ (2/(n-1) + κ/n),
    # κ = 6c⁶λ⁴/σ⁴ (the gamma factor's excess kurtosis carried into the count), pooled with
    # weights n - 1.
    n = WEEKS
    kurtosis = 6 * c2**3 * lam**4 / var_day**2
    var_term = var_day**2 * (2 / (n - 1) + kurtosis / n) / lam**4
    sd_c2 = np.sqrt(np.sum((n - 1) ** 2 * var_term)) / (6 * (n - 1))
    assert q.busyness.df == 6 * (n - 1)
    assert abs(q.busyness.cv_squared - c2) < 4 * sd_c2
    # Handle time: the answered-weighted mean of interval means has Var = σ² / Σ answered;
    # the spread estimate s² = Σ a(h - h̄)² / (n - 1) has Var ≈ 2σ⁴ / n (n intervals).
    assert q.handle is not None
    sigma = truth.handle_cv * truth.handle_mean
    answered = q.offered * (1 - truth.abandon_share)
    assert abs(q.handle.mean_seconds - truth.handle_mean) < 4 * sigma / np.sqrt(answered)
    variance = (q.handle.cv * q.handle.mean_seconds) ** 2
    assert abs(variance - sigma**2) < 4 * np.sqrt(2 / q.handle.intervals) * sigma**2
    assert q.handle.standard_error_seconds == pytest.approx(sigma / np.sqrt(answered), rel=0.1)


def test_weekdays_of_another_shape_get_a_profile_each(tmp_path: Path) -> None:
    base = np.sin(np.linspace(0.3, np.pi - 0.3, 24)) + 0.2
    truth = Truth(profile={**dict.fromkeys(range(5), base), 5: SATURDAY_SHAPE})
    q = _queue(_estimates(tmp_path, {"sales": truth}, seed=12), "sales")
    assert q.shape.per_weekday
    saturday = np.array(q.profiles[5])
    assert np.all(saturday[10:] == 0)
    c = q.offered * q.weekly_pattern[5] / sum(q.weekly_pattern)  # Saturday's contacts
    p = truth.shape(5)[:10]
    assert np.all(np.abs(saturday[:10] - p) < 4 * np.sqrt(p * (1 - p) / c))
    monday = np.array(q.profiles[0])
    p = truth.shape(0)
    assert np.all(np.abs(monday - p) < 4 * np.sqrt(p * (1 - p) / (q.offered / 6)))


def test_no_day_to_day_variation_gives_a_busyness_near_zero(tmp_path: Path) -> None:
    truth = Truth(busyness_cv=0.0)
    q = _queue(_estimates(tmp_path, {"a": truth}, seed=13), "a")
    lam = _daily_means(truth)
    # c² = 0: each term (s² - m)/m² has Var ≈ 2λ²/(n-1)/λ⁴.
    sd = np.sqrt(np.sum(2 / (lam**2 * (WEEKS - 1)) * (WEEKS - 1) ** 2)) / (6 * (WEEKS - 1))
    assert abs(q.busyness.cv_squared) < 4 * sd
    assert q.busyness.cv == pytest.approx(np.sqrt(max(q.busyness.cv_squared, 0)))


def test_agents_are_the_rounded_mean_per_weekday_and_interval(tmp_path: Path) -> None:
    truth = Truth()
    q = _queue(_estimates(tmp_path, {"a": truth}, seed=14), "a")
    assert q.agents is not None
    assert sorted(q.agents) == [0, 1, 2, 3, 4, 5]
    # agents = λ_ws × h / 1800 × G_d + N(2, 0.3): the mean over 13 dates has sd
    # sqrt((λ h / 1800)² c² + 0.3²) / √13; rounding adds at most 0.5.
    load = truth.volume_per_day * truth.weekly_pattern[0] * truth.shape(0) * 300 / 1800
    sd = np.sqrt(load**2 * truth.busyness_cv**2 + 0.3**2) / np.sqrt(WEEKS)
    assert np.all(np.abs(np.array(q.agents[0]) - (load + 2)) < 0.5 + 4 * sd)


def test_kinds_are_guessed_from_queue_names_or_given(tmp_path: Path) -> None:
    path = write(tmp_path / "e.csv", rows({"Web Chat": Truth(volume_per_day=200),
                                           "E-mail": Truth(volume_per_day=100),
                                           "Sales": Truth(volume_per_day=100)},
                                          np.random.default_rng(3), weeks=1))
    history = cleaned(read_exports([path]))
    kinds = {q.queue: q.kind for q in estimated(history).queues}
    assert kinds == {"Web Chat": "chat", "E-mail": "email", "Sales": "voice"}
    given = {q.queue: q.kind for q in estimated(history, {"sales": "social"}).queues}
    assert given["Sales"] == "social"
    assert _queue(estimated(history), "E-mail").patience is None
