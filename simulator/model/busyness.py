"""Busy days: a day-to-day factor on every channel's first-attempt arrival intensity.

Real daily volumes vary more than a Poisson count does: some days are simply busier. A channel
with ``busyness_cv = c > 0`` has its intensity over simulated day *d* multiplied by
``G_d = gamma.ppf(u_d, a=1/c², scale=c²)`` (mean 1, variance c²), so a day whose expected
volume is λ brings ``Var[N] = λ + c²λ²`` first contacts (the gamma-Poisson, or negative
binomial, day of L'Ecuyer and Buist's ContactCenters "busyness" factor).

``u_d`` is the d-th uniform of one centre-wide stream (``decision_stream(seed, replication,
"busyness")``): the same for every channel, so a busy day is busy everywhere; a channel with its
own cv applies its own gamma quantile to that one uniform (comonotone factors: the days rank the
same on every channel, each spreads them as its cv says). The stream depends on the run's seed
and the replication only, never on a lever, so two scenarios compared on one seed meet the same
busy days (common random numbers). Every simulated calendar day has its factor, warm-up days
and closed days included (a closed day's factor multiplies nothing), so day *d* keeps its
factor whatever the horizon. ``c = 0`` draws nothing and changes nothing.

Only the simulated arrivals see the factor: the analytic offered load (Erlang formulas,
capacity warnings, staffing's Erlang start) stays on its mean, 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from simulator.model.calendar import Calendar
from simulator.streams import decision_stream

FloatArray = NDArray[np.float64]


def day_uniforms(seed: int, replication: int, days: int) -> FloatArray:
    """The centre's busyness uniforms of simulated days 0 … ``days`` − 1 (a prefix of one
    stream: day d's uniform is the same in a shorter or a longer run)."""
    return decision_stream(seed, replication, "busyness").random(days)


def day_factors(cv: float, uniforms: FloatArray) -> FloatArray:
    """Each day's factor: the ``uniforms``' quantiles of a gamma of mean 1 and cv ``cv``
    (all 1 for ``cv = 0``)."""
    if cv == 0:
        return np.ones(len(uniforms))
    # gamma.ppf(u, a, scale=θ) of scipy.stats is θ · gammaincinv(a, u); scipy.special is taken
    # directly because importing scipy.stats costs a second and a half in every worker process
    from scipy import special  # imported on use: it costs 0.2 s at start-up

    shape = 1.0 / cv**2
    factors: FloatArray = cv**2 * np.asarray(special.gammaincinv(shape, uniforms), dtype=np.float64)
    return factors


def busy_rates(rates: FloatArray, cv: float, seed: int, replication: int,
               cal: Calendar) -> FloatArray:
    """A channel's arrival rates per grid interval (:func:`~.calendar.arrival_rates`) times
    their day's factor; the rates themselves when ``cv = 0``."""
    if cv == 0:
        return rates
    days = len(cal.weekday)
    factors = day_factors(cv, day_uniforms(seed, replication, days))
    day = np.arange(len(rates)) // cal.intervals_per_day
    scaled: FloatArray = rates * factors[day]
    return scaled
