"""Patience calibrated by simulation against a centre's history (Herzog's calibration idea).

Per channel the patience distribution keeps its shape and is scaled by one factor ``s`` (its
mean times ``s``); ``s`` is chosen so that the simulated abandonment of the scenario's week, at
the scenario's own volumes and staffing, matches the history's. The comparison is cell by cell,
weekday × interval: the history's abandonment rate of a cell is its abandoned ÷ offered over
every date of that weekday; the simulated one is pooled over the replications. The equation
solved is the offered-weighted mean of (simulated − actual) = 0, i.e. the history's volumes
abandoning as often in the model as they did.

The root is found on ``log s`` by a bracketed secant (Illinois' regula falsi) on common random
numbers: every simulation runs on the scenario's seed, and patience is drawn by inversion of one
uniform per contact, so scaling the distribution scales every customer's patience by ``s`` and
the simulated abandonment is a smooth, decreasing function of ``s``. All channels are searched
at once, each on its own bracket, so one simulation serves every channel; there are at most
:data:`MAX_SIMULATIONS`. The study returns results; it never writes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulator.experiment import run_replications
from simulator.history.table import History, queue_channels
from simulator.results.calibration import CalibrationResult, ChannelCalibration, Fit, Status, Step
from simulator.results.run import Figures
from simulator.spec.base import WEEKDAYS
from simulator.spec.distributions import (
    MAX_SECONDS,
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    LogNormal,
    Uniform,
)
from simulator.spec.layers import LoadedScenario, with_values
from simulator.spec.schema import Scenario

#: Simulations of the scenario's week at most (all channels together).
MAX_SIMULATIONS = 12
#: Scales of the scenario's patience the search may try.
SCALE_BOUNDS = (1 / 32, 32.0)
#: Before the root is bracketed, one step moves the scale by at most this factor.
MAX_STEP = 4.0
#: Converged when |bias| is within this share of the simulated rate's standard error (solving
#: further would move the answer by far less than the simulation noise already does) ...
NOISE_SHARE = 0.25
#: ... or when the bracket is narrower than this factor of the scale.
CLOSE_SCALE = 1.01

Cell = tuple[str, str]  # (weekday, "HH:MM" start of the interval)


# ------------------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Target:
    """What one queue of the history did, weekday × interval."""

    channel: str
    queue: str
    offered: dict[Cell, float]  # totals over the history's dates
    abandoned: dict[Cell, float]
    dates: dict[Cell, int]  # dates that give the cell
    week_rates: tuple[float, ...]  # abandoned ÷ offered of each week (for the standard error)

    @property
    def cells(self) -> int:
        """Cells the history offered contacts in."""
        return sum(1 for o in self.offered.values() if o > 0)

    @property
    def abandoned_total(self) -> float:
        return float(sum(self.abandoned.values()))


def targets(history: History, scenario: Scenario, channels: Sequence[str] | None = None
            ) -> dict[str, Target]:
    """The history's queues as targets, by the channel each is
    (:func:`~simulator.history.table.queue_channels`); ValueError for a queue the scenario has
    no channel for, two queues of one name, or a channel asked for that the history does not
    give."""
    names = [c.name for c in scenario.channels]
    frame = history.frame
    by_channel = {c: q for q, c in queue_channels(history.queues, names).items()}
    chosen = list(channels) if channels is not None else list(by_channel)
    missing = [c for c in chosen if c not in by_channel]
    if missing:
        raise ValueError(f"channel {missing[0]!r}: the history has no queue of that name; "
                         f"its queues: {', '.join(history.queues)}")
    out: dict[str, Target] = {}
    for name in chosen:
        rows = frame[frame["queue"] == by_channel[name]]
        start = rows["start"]
        cells = pd.DataFrame({
            "weekday": [WEEKDAYS[d] for d in start.dt.day_of_week],
            "clock": start.dt.strftime("%H:%M"),
            "offered": rows["offered"].astype(float),
            "abandoned": rows["abandoned"].astype(float)})
        grouped = cells.groupby(["weekday", "clock"], sort=False)
        sums, counts = grouped[["offered", "abandoned"]].sum(), grouped.size()
        week = (start.dt.normalize() - pd.to_timedelta(start.dt.day_of_week, unit="D"))
        weekly = cells.groupby(week.to_numpy())[["offered", "abandoned"]].sum()
        weekly = weekly[weekly["offered"] > 0]
        out[name] = Target(
            channel=name, queue=by_channel[name],
            offered={_cell(k): float(v) for k, v in sums["offered"].items()},
            abandoned={_cell(k): float(v) for k, v in sums["abandoned"].items()},
            dates={_cell(k): int(v) for k, v in counts.items()},
            week_rates=tuple(float(r) for r in weekly["abandoned"] / weekly["offered"]))
    return out


def _cell(key: object) -> Cell:
    """A (weekday, clock) group key of pandas as a cell."""
    assert isinstance(key, tuple)
    return str(key[0]), str(key[1])


# ---------------------------------------------------------------------------------- judging
@dataclass(frozen=True)
class Seen:
    """One channel in one simulation, judged against its target."""

    rate: float  # offered-weighted simulated abandonment rate
    actual: float  # the history's, over the same cells
    standard_error: float  # of rate, over the replications (NaN with one)
    replications: int
    fit: Fit


def simulated_cells(replications: Sequence[Figures], channel: str
                    ) -> dict[Cell, tuple[float, np.ndarray, int]]:
    """Per weekday × interval measured: the abandonment rate pooled over the replications, each
    replication's (its pooled value where a replication offered nothing there), and the days
    of the week a replication's rate pools (alike weekdays are measured together)."""
    out: dict[Cell, tuple[float, np.ndarray, int]] = {}
    for i, row in enumerate(replications[0]["intervals_by_day"]):
        figures = [r["intervals_by_day"][i][channel] for r in replications]
        offered = np.array([f["offered"] for f in figures], dtype=np.float64)
        abandoned = np.array([f["abandoned"] for f in figures], dtype=np.float64)
        if offered.sum() <= 0:
            continue
        pooled = float(abandoned.sum() / offered.sum())
        rates = np.where(offered > 0, abandoned / np.where(offered > 0, offered, 1.0), pooled)
        for day in row["days"]:
            out[(day, row["start"])] = (pooled, rates, len(row["days"]))
    return out


def judge(target: Target, replications: Sequence[Figures]) -> Seen:
    """The simulated abandonment of ``target``'s channel against the history, on the cells both
    give: offered-weighted rate, MAE and bias, and the share of cells inside the 95 % band.

    The band is where the mean of the cell's ``n`` historical dates would fall if the model were
    right: the simulated mean ± t(0.975, R − 1) · sd · √(1/n + 1/(R·k)), sd the spread of one
    date's rate: a replication is one week, and its rate of a cell pools the ``k`` alike
    weekdays measured together, so sd is √k times the replications' spread."""
    simulated = simulated_cells(replications, target.channel)
    cells = [c for c, o in target.offered.items() if o > 0 and c in simulated]
    if not cells:
        raise ValueError(f"queue {target.queue!r}: no weekday and interval of the history is "
                         "one the scenario's week simulates (opening hours, open days)")
    weights = np.array([target.offered[c] for c in cells])
    actual = np.array([target.abandoned[c] for c in cells]) / weights
    mean = np.array([simulated[c][0] for c in cells])
    rates = np.stack([simulated[c][1] for c in cells], axis=1)  # replications × cells
    total = weights.sum()
    n_reps = rates.shape[0]
    per_replication = rates @ weights / total
    se = float(per_replication.std(ddof=1) / math.sqrt(n_reps)) if n_reps > 1 else math.nan
    within: float | None = None
    if n_reps > 1:
        from scipy import stats  # imported on use: it costs 0.2 s at start-up

        dates = np.array([target.dates[c] for c in cells], dtype=np.float64)
        pooled = np.array([simulated[c][2] for c in cells], dtype=np.float64)
        one_date = rates.std(axis=0, ddof=1) * np.sqrt(pooled)
        half = (float(stats.t.ppf(0.975, n_reps - 1)) * one_date
                * np.sqrt(1 / dates + 1 / (n_reps * pooled)))
        within = float(np.mean(np.abs(actual - mean) <= half + 1e-12))
    error = mean - actual
    fit = Fit(cells=len(cells), mae=float(weights @ np.abs(error) / total),
              bias=float(weights @ error / total), within_band=within)
    return Seen(rate=float(weights @ mean / total), actual=float(weights @ actual / total),
                standard_error=se, replications=n_reps, fit=fit)


# ------------------------------------------------------------------------------ the distribution
def scaled(dist: Distribution, factor: float) -> Distribution | None:
    """``dist`` with every time multiplied by ``factor`` (its shape kept: the same cv), or None
    for an empirical list (it would need a new file)."""
    data = dist.model_dump(mode="json", by_alias=True)
    if isinstance(dist, Exponential | LogNormal | Gamma):
        keys: tuple[str, ...] = ("mean",)
    elif isinstance(dist, Uniform):
        keys = ("low", "high")
    elif isinstance(dist, Fixed):
        keys = ("value",)
    else:
        return None
    for key in keys:
        data[key] = data[key] * factor
    return type(dist).model_validate(data)


def _largest_time(dist: Distribution) -> float:
    if isinstance(dist, Uniform):
        return dist.high
    return dist.value if isinstance(dist, Fixed) else dist.mean


def rounded(dist: Distribution) -> dict[str, Any]:
    """The distribution as a scenario file writes it, times to a tenth of a second."""
    data = dist.model_dump(mode="json", by_alias=True)
    times = {k: round(v, 1) if isinstance(v, float) and k != "cv" else v
             for k, v in data.items() if k != "dist"}
    return {"dist": data["dist"], **times}


# ---------------------------------------------------------------------------------- the search
@dataclass
class Search:
    """One channel's root search on ``x = log s`` (Illinois' regula falsi once bracketed)."""

    target: Target
    start: Distribution
    x_high: float  # the largest log scale allowed
    x: float = 0.0  # the log scale the next simulation runs
    points: list[tuple[float, Seen]] = field(default_factory=list)
    above: tuple[float, float] | None = None  # (x, bias > 0): abandons too much
    below: tuple[float, float] | None = None  # (x, bias < 0)
    last_moved: str = ""
    status: Status | None = None
    guess: bool = False  # the scenario has no patience: ``start`` is where the search began

    @property
    def x_low(self) -> float:
        return math.log(SCALE_BOUNDS[0])

    def best(self) -> tuple[float, Seen]:
        return min(self.points, key=lambda p: abs(p[1].fit.bias))

    def observe(self, seen: Seen) -> None:
        """Take the simulation at ``self.x``; set the next ``x`` or the status."""
        x, g = self.x, seen.fit.bias
        self.points.append((x, seen))
        tolerance = NOISE_SHARE * seen.standard_error if math.isfinite(seen.standard_error) \
            else 0.0
        if abs(g) <= tolerance:
            self.status = "calibrated"
            return
        self._bracket(x, g)
        if self.above is not None and self.below is not None:
            (xa, ga), (xb, gb) = self.above, self.below
            if abs(xa - xb) < math.log(CLOSE_SCALE):
                self.status = "calibrated"
                self.x = self.best()[0]
                return
            self.x = xa - ga * (xb - xa) / (gb - ga)
            return
        self.x = self._step(x, g, seen)

    def _bracket(self, x: float, g: float) -> None:
        side = "above" if g > 0 else "below"
        if side == "above":
            self.above = (x, g)
        else:
            self.below = (x, g)
        if side == self.last_moved:  # the other end kept twice: Illinois halves its value
            other = self.below if side == "above" else self.above
            if other is not None:
                halved = (other[0], other[1] / 2)
                if side == "above":
                    self.below = halved
                else:
                    self.above = halved
        self.last_moved = side

    def _step(self, x: float, g: float, seen: Seen) -> float:
        """Toward the root before it is bracketed: the secant of the last two points if it
        slopes as it should (more patience, less abandonment), else the guess that the rate
        goes as 1/√s (waits lengthen as fewer abandon, so it falls slower than 1/s); at most a
        factor of :data:`MAX_STEP`, within the bounds."""
        up = g > 0  # abandons too much: more patience
        step = math.nan
        if len(self.points) >= 2:
            (x0, s0), (x1, s1) = self.points[-2], self.points[-1]
            slope = (s1.fit.bias - s0.fit.bias) / (x1 - x0) if x1 != x0 else 0.0
            if slope < 0:
                step = -g / slope
        if not math.isfinite(step):
            step = (2 * math.log(seen.rate / seen.actual) if seen.rate > 0 and seen.actual > 0
                    else (1 if up else -1) * math.log(MAX_STEP))
        step = max(-math.log(MAX_STEP), min(math.log(MAX_STEP), step))
        if (step > 0) != up:
            step = -step
        new = max(self.x_low, min(self.x_high, x + step))
        if abs(new - x) < 1e-12:
            self.status = "at_bound"
        return new

    def slope(self) -> float | None:
        """d(simulated rate)/d(log s) at the answer: the elasticity of the rate, fitted by least
        squares to log(rate) against log s over every trial (abandonment falls roughly as a
        power of the scale, and a fit over all trials is not thrown by the small jumps that
        two trials close together show), times the rate there. None without two scales or
        without a falling rate."""
        trials = [(x, s.rate) for x, s in self.points if s.rate > 0]
        xs = np.array([x for x, _ in trials])
        if len(trials) < 2 or np.ptp(xs) < 1e-9:
            return None
        logs = np.log([rate for _, rate in trials])
        elasticity = float(np.polyfit(xs, logs, 1)[0])
        value = elasticity * self.best()[1].rate
        return value if value < 0 else None


def _scenario_at(scenario: Scenario, searches: dict[str, Search]) -> Scenario:
    """The scenario's week (seven days after its warm-up) with each channel's patience scaled."""
    values: list[tuple[str, Any]] = [("run.days", 7 + scenario.run.warmup_hours / 24)]
    for name, search in searches.items():
        x = search.x if search.status is None else search.best()[0]
        dist = scaled(search.start, math.exp(x))
        assert dist is not None  # searches are made only for distributions that scale
        values.append((f"channels.{name}.patience", dist.model_dump(mode="json", by_alias=True)))
    return with_values(scenario, values)


def _first_guess(scenario: Scenario, channel: str) -> Distribution:
    """Where the search starts for a channel without patience whose history abandons: an
    exponential with the mean handle time of its contact types (share-weighted), a patience
    of the order of the service callers wait for; the search may go 32 times either way."""
    types = [t for t in scenario.contact_types if t.channel == channel]
    share = sum(t.share for t in types)
    mean = sum(t.share * t.handle_time.mean for t in types) / share
    return Exponential(dist="exponential", mean=round(min(mean, MAX_SECONDS / 32), 1))


def _unchanged(target: Target, start: Distribution | None, note: str,
               seen: Seen | None) -> ChannelCalibration:
    mean = start.mean if start is not None else None
    offered = max(1.0, sum(target.offered.values()))
    return ChannelCalibration(
        channel=target.channel, queue=target.queue, status="unchanged", note=note,
        history_cells=target.cells,
        actual_rate=seen.actual if seen else target.abandoned_total / offered,
        actual_standard_error=_actual_se(target), start_mean_seconds=mean,
        calibrated_mean_seconds=mean, scale=1.0, scale_low=None, scale_high=None,
        low_seconds=None, high_seconds=None, patience=None,
        simulations=0, steps=(), before=seen.fit if seen else None,
        after=seen.fit if seen else None)


def _actual_se(target: Target) -> float | None:
    rates = np.asarray(target.week_rates)
    if len(rates) >= 2:
        return float(rates.std(ddof=1) / math.sqrt(len(rates)))
    offered = sum(target.offered.values())
    return math.sqrt(target.abandoned_total) / offered if offered > 0 else None


def _t_quantile(se_sim: float, replications: int, se_hist: float, weeks: int) -> float:
    """The 97.5 % Student-t quantile for the sum of two variances estimated from R
    replications and W weeks (Welch–Satterthwaite degrees of freedom)."""
    from scipy import stats  # imported on use: it costs 0.2 s at start-up

    a, b = se_sim**2, se_hist**2
    denominator = a**2 / max(replications - 1, 1) + b**2 / max(weeks - 1, 1)
    df = (a + b) ** 2 / denominator if denominator > 0 else math.inf
    return float(stats.t.ppf(0.975, df)) if math.isfinite(df) else 1.96


def _found(search: Search, max_simulations: int) -> ChannelCalibration:
    x, seen = search.best()
    factor = math.exp(x)
    dist = scaled(search.start, factor)
    assert dist is not None
    actual_se = _actual_se(search.target)
    low = high = None
    slope = search.slope()
    if slope is not None and math.isfinite(seen.standard_error) and actual_se is not None:
        weeks = max(len(search.target.week_rates), 2)
        quantile = _t_quantile(seen.standard_error, seen.replications, actual_se, weeks)
        half = quantile * math.hypot(seen.standard_error, actual_se) / abs(slope)
        low, high = math.exp(x - half), math.exp(x + half)
    status = search.status or "not_converged"
    before = search.points[0][1].fit
    guessed = ""
    if search.guess:  # before: the scenario as it is, abandoning no one in any cell
        target = search.target
        before = Fit(cells=target.cells, mae=target.abandoned_total / sum(target.offered.values()),
                     bias=-target.abandoned_total / sum(target.offered.values()),
                     within_band=sum(1 for c, o in target.offered.items()
                                     if o > 0 and target.abandoned[c] == 0) / target.cells)
        guessed = (f"the scenario has no patience: searched from an exponential of mean "
                   f"{search.start.mean:.1f} s (the mean handle time)")
    notes = {"calibrated": "", "not_converged": f"the {max_simulations} simulations ran out: "
             "the best scale found is kept",
             "at_bound": "the history's abandonment lies beyond the scales tried "
             f"({SCALE_BOUNDS[0]:g}..{SCALE_BOUNDS[1]:g}): the nearest bound is kept"}
    return ChannelCalibration(
        channel=search.target.channel, queue=search.target.queue, status=status,
        note="; ".join(n for n in (guessed, notes.get(status, "")) if n),
        history_cells=search.target.cells, actual_rate=seen.actual,
        actual_standard_error=actual_se,
        start_mean_seconds=None if search.guess else search.start.mean,
        calibrated_mean_seconds=dist.mean, scale=factor, scale_low=low, scale_high=high,
        low_seconds=None if low is None else search.start.mean * low,
        high_seconds=None if high is None else search.start.mean * high,
        patience=rounded(dist),
        simulations=len(search.points),
        steps=tuple(Step(math.exp(px), s.rate, s.standard_error) for px, s in search.points),
        before=before, after=seen.fit)


def calibrate_patience(loaded: LoadedScenario, history: History, *,
                       channels: Sequence[str] | None = None, replications: int | None = None,
                       workers: int | None = None, max_simulations: int = MAX_SIMULATIONS,
                       progress: Callable[[str], None] | None = None) -> CalibrationResult:
    """Scale each channel's patience so that its simulated abandonment matches the history's
    (see the module); ValueError naming the problem for a history the scenario cannot be
    judged on (interval length, unknown queue, an unstaffed group)."""
    scenario = loaded.scenario
    if max_simulations < 1:
        raise ValueError(f"max_simulations must be at least 1, got {max_simulations}")
    if history.interval_minutes != scenario.hours.interval_minutes:
        raise ValueError(f"the history has {history.interval_minutes}-minute intervals, the "
                         f"scenario {scenario.hours.interval_minutes}-minute ones "
                         "(hours.interval_minutes); they must be the same")
    auto = [g.name for g in scenario.agent_groups if g.agents == "auto"]
    if auto:
        raise ValueError(f'agent group {auto[0]!r}: agents = "auto"; calibration runs the '
                         "staffing the history had: give the agents per weekday and interval")
    wanted = targets(history, scenario, channels)
    n_reps = replications or scenario.run.replications
    searches: dict[str, Search] = {}
    notes: dict[str, str] = {}
    for name, target in wanted.items():
        start = scenario.channel(name).patience
        own = [t.name for t in scenario.contact_types if t.channel == name and t.patience]
        live = not scenario.channel(name).deferred
        if own:
            notes[name] = f"contact type {own[0]!r} has its own patience: not calibrated"
        elif start is None and live and target.abandoned_total > 0:
            searches[name] = Search(target, _first_guess(scenario, name), math.log(
                SCALE_BOUNDS[1]), guess=True)
        elif start is None:
            notes[name] = "no patience: the channel never abandons"
        elif isinstance(start, Empirical):
            notes[name] = "empirical patience: a scale would need a new file; not calibrated"
        elif target.abandoned_total <= 0:
            notes[name] = "the history never abandons: patience left as it is"
        else:
            x_high = min(math.log(SCALE_BOUNDS[1]), math.log(MAX_SECONDS / _largest_time(start)))
            searches[name] = Search(target, start, x_high)
    last: list[Figures] = []
    simulations = 0
    while any(s.status is None for s in searches.values()) and simulations < max_simulations:
        last = run_replications(_scenario_at(scenario, searches), n_reps, workers)
        simulations += 1
        said = []
        for name, search in searches.items():
            if search.status is None:
                scale = math.exp(search.x)
                seen = judge(search.target, last)
                search.observe(seen)
                said.append(f"{name} x{scale:.3g}: abandons {seen.rate:.1%} "
                            f"(history {seen.actual:.1%})")
        if progress is not None:
            progress(f"simulation {simulations}: {'; '.join(said)}")
    if notes and not last:  # the fit of channels left alone, on the scenario's own week
        last = run_replications(_scenario_at(scenario, {}), n_reps, workers)
        simulations += 1
    done = {name: _found(s, max_simulations) for name, s in searches.items()}
    results = tuple(
        done[name] if name in done else _unchanged(
            wanted[name], scenario.channel(name).patience, notes[name],
            judge(wanted[name], last) if last else None)
        for name in wanted)
    return CalibrationResult(
        scenario=str(loaded.path), sources=tuple(str(p) for p in history.sources),
        interval_minutes=history.interval_minutes, replications=n_reps, seed=scenario.run.seed,
        simulations=simulations, max_simulations=max_simulations,
        weeks=weeks_of(history), channels=results)


def weeks_of(history: History) -> int:
    """The calendar weeks (Monday to Sunday) the history has a date in."""
    start = history.frame["start"]
    return int((start.dt.normalize() - pd.to_timedelta(start.dt.day_of_week, unit="D")).nunique())
