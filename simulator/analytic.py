"""Exact analytic queueing formulas for a single-skill contact centre.

Erlang B (M/M/n/n loss system), Erlang C (M/M/n delay system) and Erlang A
(M/M/n+M: exponential patience) figures, computed exactly and in a numerically
stable way (recursions and log space, no large factorials). They are the test
oracle of the discrete-event simulator, so the metric definitions match the
simulator's:

* ``service_level`` = contacts answered within ``T`` seconds divided by all
  offered contacts that were answered or abandoned;
* ``asa_seconds`` = mean wait of answered contacts;
* ``mean_wait_seconds_all`` = mean wait over all offered contacts;
* ``abandon_rate`` = abandoned / offered;
* ``occupancy`` = carried load / agents.

All rates are per second and all durations are in seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

from simulator.search import smallest_passing

__all__ = [
    "QueueFigures",
    "agents_for_service_level",
    "erlang_a",
    "erlang_b",
    "erlang_b_figures",
    "erlang_c",
    "rostered_agents",
]

FloatArray = npt.NDArray[np.float64]

#: Relative stationary tail mass left out when truncating the Erlang A chain.
_TAIL_TOLERANCE = 1e-16
#: Largest queue length the Erlang A chain may need before we give up.
_MAX_QUEUE_STATES = 2_000_000
#: Largest agent count `agents_for_service_level` will search up to.
_MAX_AGENTS_SEARCH = 10_000_000


@dataclass(frozen=True, slots=True)
class QueueFigures:
    """Steady-state figures of one queue.

    Attributes
    ----------
    agents : int
        Number of agents (servers; lines for Erlang B).
    offered_load_erlangs : float
        Arrival rate times mean handle time.
    wait_probability : float
        Probability that an arriving contact finds no idle agent and queues.
    service_level : float
        Contacts answered within the target time / (answered + abandoned).
    asa_seconds : float
        Mean wait of answered contacts.
    mean_wait_seconds_all : float
        Mean wait over all offered contacts (answered and abandoned).
    abandon_rate : float
        Abandoned / offered (0 for Erlang B and C).
    occupancy : float
        Carried load divided by agents.
    blocking : float
        Share of contacts blocked (Erlang B only; 0 otherwise).
    """

    agents: int
    offered_load_erlangs: float
    wait_probability: float
    service_level: float
    asa_seconds: float
    mean_wait_seconds_all: float
    abandon_rate: float
    occupancy: float
    blocking: float


# --------------------------------------------------------------------------- validation


def _check_agents(agents: int, name: str = "agents") -> int:
    if isinstance(agents, bool) or not isinstance(agents, int | np.integer):
        raise ValueError(f"{name} must be an integer >= 1, got {agents!r}")
    if agents < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {agents!r}")
    return int(agents)


def _as_float(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return result


def _check_positive(name: str, value: float) -> float:
    result = _as_float(name, value)
    if result <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return result


def _check_non_negative(name: str, value: float) -> float:
    result = _as_float(name, value)
    if result < 0.0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return result


# --------------------------------------------------------------------------- Erlang B


def erlang_b(agents: int, offered_load_erlangs: float) -> float:
    """Erlang B blocking probability of an M/M/n/n loss system.

    Uses the stable recursion ``B(k) = a B(k-1) / (k + a B(k-1))``, ``B(0) = 1``.

    Parameters
    ----------
    agents : int
        Number of lines / agents, >= 1.
    offered_load_erlangs : float
        Offered load ``a`` in erlangs, >= 0.

    Returns
    -------
    float
        Probability that an arriving contact finds all lines busy.
    """
    n = _check_agents(agents)
    a = _check_non_negative("offered_load_erlangs", offered_load_erlangs)
    blocking = 1.0
    for k in range(1, n + 1):
        carried = a * blocking
        blocking = carried / (k + carried)
    return blocking


def erlang_b_figures(
    arrival_rate_per_second: float, mean_handle_seconds: float, agents: int
) -> QueueFigures:
    """Figures of an Erlang B loss system (lines = agents, no queue).

    Nobody waits: ``wait_probability``, waits and ``abandon_rate`` are 0 and
    ``service_level`` is 1.0 by convention (a contact that gets a line is
    answered immediately). Blocked contacts are reported in ``blocking``.

    Parameters
    ----------
    arrival_rate_per_second : float
        Poisson arrival rate, > 0.
    mean_handle_seconds : float
        Mean handle time, > 0.
    agents : int
        Number of lines / agents, >= 1.

    Returns
    -------
    QueueFigures
    """
    lam = _check_positive("arrival_rate_per_second", arrival_rate_per_second)
    handle = _check_positive("mean_handle_seconds", mean_handle_seconds)
    n = _check_agents(agents)
    load = lam * handle
    blocking = erlang_b(n, load)
    return QueueFigures(
        agents=n,
        offered_load_erlangs=load,
        wait_probability=0.0,
        service_level=1.0,
        asa_seconds=0.0,
        mean_wait_seconds_all=0.0,
        abandon_rate=0.0,
        occupancy=load * (1.0 - blocking) / n,
        blocking=blocking,
    )


def rostered_agents(agents: int, shrinkage: float) -> int:
    """Agents to roster so that ``agents`` are on the floor after ``shrinkage`` (the share of
    paid time off the phones): ``ceil(agents / (1 - shrinkage))``, 14 at 30 % -> 20.

    Raises
    ------
    ValueError
        A shrinkage outside [0, 1) or fewer than 1 agent.
    """
    n = _check_agents(agents)
    share = _check_non_negative("shrinkage", shrinkage)
    if share >= 1.0:
        raise ValueError(f"shrinkage must be below 1, got {shrinkage!r}")
    # 14 / 0.7 is 20.000000000000004 in floating point: a billionth of an agent is no agent
    return math.ceil(n / (1.0 - share) - 1e-9)


# --------------------------------------------------------------------------- Erlang C


def erlang_c(
    arrival_rate_per_second: float,
    mean_handle_seconds: float,
    agents: int,
    service_level_seconds: float,
) -> QueueFigures:
    """Figures of an Erlang C (M/M/n, infinite patience) queue.

    Parameters
    ----------
    arrival_rate_per_second : float
        Poisson arrival rate, > 0.
    mean_handle_seconds : float
        Mean (exponential) handle time, > 0.
    agents : int
        Number of agents, >= 1; must exceed the offered load.
    service_level_seconds : float
        Service-level threshold ``T``, >= 0.

    Returns
    -------
    QueueFigures
        ``service_level = 1 - C exp(-(n mu - lambda) T)``, ``asa = C / (n mu - lambda)``.

    Raises
    ------
    ValueError
        On invalid input or if the offered load is >= agents (unstable queue).
    """
    lam = _check_positive("arrival_rate_per_second", arrival_rate_per_second)
    handle = _check_positive("mean_handle_seconds", mean_handle_seconds)
    n = _check_agents(agents)
    threshold = _check_non_negative("service_level_seconds", service_level_seconds)
    load = lam * handle
    if load >= n:
        raise ValueError(
            f"Erlang C is unstable: offered load {load:.6g} erlangs >= agents {n}; "
            "add agents or use erlang_a (abandonment)"
        )
    rho = load / n
    blocking = erlang_b(n, load)
    wait_probability = blocking / (1.0 - rho * (1.0 - blocking))
    drain_rate = n / handle - lam  # n mu - lambda, per second
    asa = wait_probability / drain_rate
    service_level = 1.0 - wait_probability * math.exp(-drain_rate * threshold)
    return QueueFigures(
        agents=n,
        offered_load_erlangs=load,
        wait_probability=wait_probability,
        service_level=service_level,
        asa_seconds=asa,
        mean_wait_seconds_all=asa,
        abandon_rate=0.0,
        occupancy=rho,
        blocking=0.0,
    )


# --------------------------------------------------------------------------- Erlang A


def _erlang_a_distribution(lam: float, mu: float, theta: float, n: int) -> tuple[float, FloatArray]:
    """Stationary law of the M/M/n+M birth-death chain.

    Returns
    -------
    tuple[float, FloatArray]
        ``P(k < n)`` and the probabilities ``P(k = n + j)`` for ``j = 0..J-1``,
        with the tail beyond ``J`` below ``_TAIL_TOLERANCE`` relative mass.
    """
    # States 0..n: log pi_k - log pi_0 = k log a - log k!  (cumulative sum, no factorials).
    a = lam / mu
    ks = np.arange(1, n + 1, dtype=np.float64)
    log_low = np.concatenate(([0.0], np.cumsum(math.log(a) - np.log(ks))))
    log_pi_n = float(log_low[-1])
    # Queue states n + j (j >= 1): factor lam / (n mu + j theta), below 1 once j > j_peak.
    j_peak = max(0.0, (lam - n * mu) / theta)
    size = int(min(j_peak, 2.0 * _MAX_QUEUE_STATES)) + 64
    log_tol = math.log(_TAIL_TOLERANCE)
    while True:
        if size > _MAX_QUEUE_STATES:
            raise ValueError(
                "mean_patience_seconds is too long for this overload: the Erlang A queue "
                f"would need more than {_MAX_QUEUE_STATES} states"
            )
        js = np.arange(1, size + 1, dtype=np.float64)
        factors = lam / (n * mu + js * theta)  # factors[j] links state n + j to n + j + 1
        log_queue = log_pi_n + np.concatenate(([0.0], np.cumsum(np.log(factors[:-1]))))
        log_max = max(float(log_low.max()), float(log_queue.max()))
        # The factors decrease in j, so once below 1 the tail after state n + j is at most
        # pi_{n+j} f / (1 - f) with f = factors[j].
        decreasing = factors < 1.0
        safe = np.where(decreasing, factors, 0.5)
        log_tail = np.where(decreasing, log_queue + np.log(safe) - np.log1p(-safe), np.inf)
        small = np.flatnonzero(log_tail - log_max < log_tol)
        if small.size > 0:
            log_queue = log_queue[: int(small[0]) + 1]
            break
        size *= 2
    low = np.exp(log_low[:-1] - log_max)
    queue = np.exp(log_queue - log_max)
    total = float(low.sum()) + float(queue.sum())
    return float(low.sum()) / total, queue / total


def _served_within(queue_probs: FloatArray, n_mu: float, theta: float, threshold: float) -> float:
    """P(an arrival queues, is then served, and waits <= threshold).

    With ``j`` contacts ahead the tagged contact passes phases ``i = j..0`` of
    total rate ``s_i = n mu + (i + 1) theta`` (advance at ``n mu + i theta``,
    own abandonment at ``theta``). It is served iff every phase ends in an
    advance, with probability ``n mu / (n mu + (j + 1) theta)``, independently
    of the phase durations. The durations sum to ``-ln(U) / theta`` with
    ``U ~ Beta((n mu + theta) / theta, j + 1)`` (equal Laplace transforms), so
    ``P(wait <= T) = I_{1 - exp(-theta T)}(j + 1, (n mu + theta) / theta)``.
    """
    if threshold == 0.0 or queue_probs.size == 0:
        return 0.0
    phases = np.arange(1, queue_probs.size + 1, dtype=np.float64)  # j + 1
    p_served = n_mu / (n_mu + phases * theta)
    p_within = np.asarray(
        special.betainc(phases, (n_mu + theta) / theta, -math.expm1(-theta * threshold)),
        dtype=np.float64,
    )
    return float(np.dot(queue_probs, p_served * p_within))


def erlang_a(
    arrival_rate_per_second: float,
    mean_handle_seconds: float,
    mean_patience_seconds: float,
    agents: int,
    service_level_seconds: float,
) -> QueueFigures:
    """Exact figures of an Erlang A (M/M/n+M) queue.

    The birth-death chain (birth ``lambda``, death ``min(k, n) mu + max(k - n, 0)
    theta``) is solved in log space and truncated where the tail mass is
    negligible. Waits follow by PASTA from the tagged contact's phases: with
    ``j`` waiting ahead it is served with probability ``n mu / (n mu + (j+1)
    theta)`` after phases of rates ``n mu + (i+1) theta``, ``i = j..0``.

    Parameters
    ----------
    arrival_rate_per_second : float
        Poisson arrival rate, > 0 (any load: abandonment keeps it stable).
    mean_handle_seconds : float
        Mean (exponential) handle time, > 0.
    mean_patience_seconds : float
        Mean (exponential) patience ``1 / theta``, > 0 and finite.
    agents : int
        Number of agents, >= 1.
    service_level_seconds : float
        Service-level threshold ``T``, >= 0.

    Returns
    -------
    QueueFigures
        ``service_level = P(served and wait <= T)``.
    """
    lam = _check_positive("arrival_rate_per_second", arrival_rate_per_second)
    handle = _check_positive("mean_handle_seconds", mean_handle_seconds)
    patience = _check_positive("mean_patience_seconds", mean_patience_seconds)
    n = _check_agents(agents)
    threshold = _check_non_negative("service_level_seconds", service_level_seconds)
    mu = 1.0 / handle
    theta = 1.0 / patience
    n_mu = n * mu
    p_idle, queue_probs = _erlang_a_distribution(lam, mu, theta, n)

    ahead = np.arange(queue_probs.size, dtype=np.float64)
    # Sums of probabilities may round past 1 by an ulp in heavy overload: clamp them.
    wait_probability = min(float(queue_probs.sum()), 1.0)
    mean_queue = float(np.dot(ahead, queue_probs))
    abandon_rate = min(theta * mean_queue / lam, 1.0)
    # Served contacts: P(served | j) and E[wait | j, served] = sum of 1 / phase rates.
    phase_rates = n_mu + (ahead + 1.0) * theta
    p_served_queued = n_mu / phase_rates
    mean_wait_if_served = np.cumsum(1.0 / phase_rates)
    served_mass = float(np.dot(queue_probs, p_served_queued))
    served_wait = float(np.dot(queue_probs, p_served_queued * mean_wait_if_served))
    p_served = p_idle + served_mass
    asa = served_wait / p_served if p_served > 0.0 else 0.0
    service_level = p_idle + _served_within(queue_probs, n_mu, theta, threshold)
    return QueueFigures(
        agents=n,
        offered_load_erlangs=lam * handle,
        wait_probability=wait_probability,
        service_level=min(service_level, 1.0),
        asa_seconds=asa,
        mean_wait_seconds_all=mean_queue / lam,
        abandon_rate=abandon_rate,
        occupancy=min(lam * (1.0 - abandon_rate) * handle / n, 1.0),
        blocking=0.0,
    )


# --------------------------------------------------------------------------- staffing


def agents_for_service_level(
    arrival_rate_per_second: float,
    mean_handle_seconds: float,
    service_level_seconds: float,
    target_service_level: float,
    mean_patience_seconds: float | None = None,
    max_occupancy: float | None = None,
) -> int:
    """Smallest number of agents meeting a service-level target.

    Uses Erlang C when ``mean_patience_seconds`` is None, Erlang A otherwise.
    Service level rises and occupancy falls with agents, so a doubling search
    followed by bisection finds the smallest feasible count.

    Parameters
    ----------
    arrival_rate_per_second : float
        Poisson arrival rate, > 0.
    mean_handle_seconds : float
        Mean handle time, > 0.
    service_level_seconds : float
        Service-level threshold ``T``, >= 0.
    target_service_level : float
        Required service level, in (0, 1).
    mean_patience_seconds : float or None
        Mean patience (Erlang A); None for Erlang C.
    max_occupancy : float or None
        Optional cap on occupancy, in (0, 1].

    Returns
    -------
    int
        Smallest ``n`` with ``service_level >= target`` (and ``occupancy <= max_occupancy``).
    """
    lam = _check_positive("arrival_rate_per_second", arrival_rate_per_second)
    handle = _check_positive("mean_handle_seconds", mean_handle_seconds)
    threshold = _check_non_negative("service_level_seconds", service_level_seconds)
    target = _as_float("target_service_level", target_service_level)
    if not 0.0 < target < 1.0:
        raise ValueError(f"target_service_level must be in (0, 1), got {target_service_level!r}")
    patience = (
        None
        if mean_patience_seconds is None
        else _check_positive("mean_patience_seconds", mean_patience_seconds)
    )
    occupancy_cap = None
    if max_occupancy is not None:
        occupancy_cap = _as_float("max_occupancy", max_occupancy)
        if not 0.0 < occupancy_cap <= 1.0:
            raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy!r}")
    load = lam * handle

    def meets(n: int) -> bool:
        if patience is None:
            figures = erlang_c(lam, handle, n, threshold)
        else:
            figures = erlang_a(lam, handle, patience, n, threshold)
        if figures.service_level < target:
            return False
        return occupancy_cap is None or figures.occupancy <= occupancy_cap

    # Erlang C: smallest stable staffing. Erlang A: service_level <= P(served) =
    # carried load / offered load <= n / offered load, so fewer agents must fail.
    lowest = math.floor(load) + 1 if patience is None else max(1, math.ceil(target * load))
    found = smallest_passing(meets, lowest, lowest, _MAX_AGENTS_SEARCH)
    if found is None:
        raise ValueError(
            f"target_service_level {target} not reachable with <= {_MAX_AGENTS_SEARCH} agents")
    return found
