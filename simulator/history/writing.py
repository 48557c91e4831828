"""The scenario ``ccsim import`` writes from a history's estimates, as commented TOML text (no
TOML library needed: every value goes through :func:`~simulator.spec.layers.toml_value`), and
the lines it prints about what it found and dropped."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.history.cleaning import DAY_NAMES, HIGH_SHARE, LOW_SHARE
from simulator.history.estimates import PROFILE_P_VALUE, Estimates, QueueEstimate
from simulator.history.seasons import GROWTH_MONTHS, MONTH_NAMES, Season, Seasons, plan_factors
from simulator.spec.base import WEEKDAYS, clock
from simulator.spec.layers import toml_value
from simulator.spec.plan import MAX_MONTHS, days_in, file_month_volume, month_index, month_name
from simulator.spec.schema import ChannelSpec

#: Whether the schema has a channel's ``busyness_cv`` (the engine's day-to-day variation):
#: without it the estimate is written as a comment line.
SCHEMA_HAS_BUSYNESS_CV: bool = "busyness_cv" in ChannelSpec.model_fields
#: Dropped entries listed one by one in the file's comments (the rest are counted).
MAX_DROPPED_LINES = 40


@dataclass(frozen=True)
class Choices:
    """What the planner gave on the command line (the rest comes from the history)."""

    name: str
    target_share: float = 0.80  # of answered within the threshold
    target_given: bool = False
    hourly_wage: float | None = None
    #: contacts an agent carries at once, per channel name (--concurrency; chat and social)
    concurrency: dict[str, int] = field(default_factory=dict)
    #: the plan's first month and length (--plan-start, --plan-months), None: no [plan]
    plan_start: str | None = None
    plan_months: int = 12


def _round(value: float, digits: int = 4) -> float:
    return float(f"{value:.{digits}g}")


def _days(weekdays: tuple[int, ...]) -> str:
    return ", ".join(DAY_NAMES[w][:3] for w in weekdays)


def _dates(e: Estimates) -> tuple[str, str, int]:
    first = min(q.first_date for q in e.queues)
    last = max(q.last_date for q in e.queues)
    return f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}", max(q.dates for q in e.queues)


def _comment_block(e: Estimates) -> list[str]:
    first, last, _ = _dates(e)
    lines = [
        "# Imported by `ccsim import` from a centre's interval history: every figure below is",
        "# estimated from it (docs/import.md gives the rules and estimators).",
        *(f"#   source: {source}" for source in e.sources),
        f"#   dates: {first} to {last}, {e.interval_minutes}-minute intervals",
        "#   rules: left out per queue: closed weekdays; intervals outside the usual",
        f"#   opening hours; partial days; days below {LOW_SHARE:.0%} or above {HIGH_SHARE:.0%}",
        "#   of the median of the same weekday (holidays, outages, incidents).",
    ]
    if e.dropped:
        lines.append(f"#   dropped ({len(e.dropped)}):")
        lines += [f"#     {d.what}: {d.rule}" for d in e.dropped[:MAX_DROPPED_LINES]]
        if len(e.dropped) > MAX_DROPPED_LINES:
            lines.append(f"#     ... and {len(e.dropped) - MAX_DROPPED_LINES} more "
                         "(ccsim import prints them all)")
    else:
        lines.append("#   dropped: nothing")
    return [*lines, ""]


def _weights(shares: tuple[float, ...]) -> list[float]:
    return [round(share, 6) for share in shares]


def _channel(q: QueueEstimate, e: Estimates, choices: Choices) -> list[str]:
    lines = [
        f"# Queue {q.queue!r}: {q.dates} open days ({_days(q.weekdays)}), {q.offered:,} offered.",
        "[[channels]]",
        f"name = {toml_value(q.channel)}",
        f"kind = {toml_value(q.kind)}",
        f"volume_per_day = {_round(q.volume_per_day, 6)}  # mean offered per open day "
        "(history's offered, retrials and repeats included: the scenario has none of its own)",
        f"weekly_pattern = {toml_value([_round(v) for v in q.weekly_pattern])}  # Monday first: "
        "each weekday's mean over volume_per_day",
    ]
    if q.patience is not None:
        p = q.patience
        lines.append(f'patience = {{ dist = "exponential", mean = {_round(p.mean_seconds)} }}  '
                     f"# seconds; sampling 95 %: {p.low_seconds:.0f}-{p.high_seconds:.0f}; abandoned ÷ "
                     "total wait, the wait taken as ASA × (answered + abandoned)")
    elif q.kind != "email":
        lines.append(f"# no patience: {q.patience_note}")
    if q.kind == "email":
        lines.append("response_target_hours = 24  # GUESS: the export does not say")
    elif e.threshold_seconds is not None:
        of = ("the threshold of the export's answered-within column" if q.service_level is not None
              else "--threshold-seconds or --target (the export has no answered-within column)")
        lines.append(f"service_level_seconds = {_round(e.threshold_seconds, 6)}  # {of}")
    b = q.busyness
    busyness = f"busyness_cv = {_round(b.cv, 3)}"
    why = f"day-to-day variation: raw cv² {b.cv_squared:.4f}, {b.df} df"
    if SCHEMA_HAS_BUSYNESS_CV:
        lines.append(f"{busyness}  # {why}")
    else:
        lines.append(f"# {busyness}  ({why}; needs the channel key busyness_cv, not in this "
                     "ccsim's schema yet)")
    if q.channel in choices.concurrency:
        lines.append(f"concurrency = {choices.concurrency[q.channel]}  # given by --concurrency "
                     "(the export does not say)")
    elif q.kind in ("chat", "social"):
        lines.append("# concurrency: the export does not say; 1 contact per agent assumed "
                     "(--concurrency QUEUE=N)")
    if q.shape.per_weekday:
        lines += [f"# profile per weekday: one shape rejected (chi-square {q.shape.chi2:,.0f} on "
                  f"{q.shape.df} df, p < {PROFILE_P_VALUE:g}); shares of each day's volume",
                  "[channels.profile]"]
        for w in e.weekdays:
            shares = q.profiles.get(w, q.profile)
            lines.append(f"{WEEKDAYS[w]} = {toml_value(_weights(shares))}")
    else:
        test = (f"one shape for every weekday (chi-square p = {q.shape.p_value:.3g}, not below "
                f"{PROFILE_P_VALUE:g})" if q.shape.df else "one shape (one weekday or interval)")
        lines.append(f"profile = {toml_value(_weights(q.profile))}  # {test}")
    return [*lines, ""]


def _contact_type(q: QueueEstimate) -> list[str]:
    lines = ["[[contact_types]]", f"name = {toml_value(q.channel)}",
             f"channel = {toml_value(q.channel)}", "share = 1.0"]
    h = q.handle
    if h is None:
        lines.append('handle_time = { dist = "lognormal", mean = 300, cv = 1.0 }  # GUESS: the '
                     "export gives no handle time")
    else:
        lines.append(f'handle_time = {{ dist = "lognormal", mean = {_round(h.mean_seconds)}, '
                     f"cv = {_round(h.cv, 3)} }}  # answered-weighted mean of {h.intervals:,} "
                     f"interval means (± {h.standard_error_seconds:.1f} s); cv from their spread")
    return [*lines, ""]


def _group(q: QueueEstimate, e: Estimates, c: Choices) -> list[str]:
    lines = ["[[agent_groups]]", f"name = {toml_value(q.channel + '_agents')}",
             f"skills = {toml_value([q.channel])}",
             "shrinkage = 0.0  # the history's agents were on the floor"]
    if c.hourly_wage is not None:
        lines.append(f"hourly_wage = {_round(c.hourly_wage, 8)}  # per paid hour (--hourly-wage)")
    if q.agents is None:
        lines.append('agents = "auto"  # the export gives no agents: the fewest meeting '
                     f"[targets.{q.channel}]")
    else:
        lines += ["# agents on the floor per weekday and interval: the export's, rounded means",
                  "[agent_groups.agents]"]
        lines += [f"{WEEKDAYS[w]} = {toml_value(list(q.agents[w]))}" for w in sorted(q.agents)
                  if w in e.weekdays]
    return [*lines, ""]


def _target(q: QueueEstimate, e: Estimates, c: Choices) -> list[str]:
    seen = (f"; the history: {q.service_level:.1%}" if q.service_level is not None else "")
    given = "--target" if c.target_given else "the default; give --target PCT/SECONDS"
    if q.kind == "email":
        return [f"[targets.{q.channel}]",
                "within_target = 0.95  # share replied within response_target_hours (GUESS)", ""]
    threshold = e.threshold_seconds if e.threshold_seconds is not None else 20.0
    return [f"[targets.{q.channel}]",
            f"service_level = {_round(c.target_share, 6)}  # share answered within "
            f"{threshold:g} s ({given}){seen}", ""]


def calendar_day(q: QueueEstimate, e: Estimates) -> float:
    """A channel's offered a calendar day by the figures written (rounded as written), as the
    plan prices a month (:func:`~simulator.spec.plan.file_month_volume` of one day)."""
    return file_month_volume(_round(q.volume_per_day, 6), tuple(_round(v) for v in q.weekly_pattern),
                             tuple(WEEKDAYS[w] for w in e.weekdays), 1)


def forecast(s: Seasons, e: Estimates, c: Choices) -> dict[str, list[float]]:
    """Each channel's factors per plan month (rounded as written)."""
    assert c.plan_start is not None
    return {season.channel: [_round(f, 6) for f in plan_factors(
        season, calendar_day(q, e), c.plan_start, c.plan_months)]
        for season, q in zip(s.channels, e.queues, strict=True)}


def _seen(season: Season, month: int) -> str:
    months = season.seen(month % 12)
    days = ", ".join(f"{season.offered[t] / days_in(t):,.1f}" for t in months)
    return f"{', '.join(month_name(t) for t in months)} ({days} a day)"


def _growth_note(s: Seasons) -> str:
    if len(s.whole) >= GROWTH_MONTHS:
        return (f"growth a month: year over year, the 12th root of the geometric mean of the "
                f"{s.pairs} ratios of whole months a year apart")
    return (f"growth a month: 0 (the export covers {len(s.whole)} whole months; year-over-year "
            f"growth needs {GROWTH_MONTHS})")


def plan_toml(s: Seasons, e: Estimates, c: Choices) -> list[str]:
    """The ``[plan]`` table: its start, months and each channel's ``volume_factors``, every
    factor commented with the months of the export it came from."""
    assert c.plan_start is not None
    factors = forecast(s, e, c)
    first = month_index(c.plan_start)
    partial = "; ".join(s.partial) or "none"
    lines = [
        f"# The plan's forecast (ccsim import --plan-start {c.plan_start} --plan-months "
        f"{c.plan_months}), from the",
        f"# export's whole calendar months {s.span} ({len(s.whole)}).",
        f"# Left out as partial: {partial}.",
        "# A factor of a channel's volume_per_day per plan month: the history's offered a "
        "calendar day",
        "# in that calendar month (the mean of its whole months, each taken to the history's "
        "centre",
        "# month by the growth) × (1 + growth)^(months from the centre) ÷ the channel's own "
        "calendar",
        "# day (volume_per_day × the weekly pattern's open sum ÷ 7): each month is priced at "
        "the",
        "# history's volume of it, every channel with its own season (docs/import.md).",
        f"# {_growth_note(s)}.",
        f"# Up to {MAX_MONTHS} months; add attrition, hiring, wages, roll-outs (docs/plan.md).",
        "[plan]",
        f"start = {toml_value(c.plan_start)}",
        f"months = {c.plan_months}",
        "",
        "[plan.volume_factors]",
    ]
    for season, q in zip(s.channels, e.queues, strict=True):
        day = calendar_day(q, e)
        lines.append(f"# {season.channel} (queue {season.queue!r}): growth "
                     f"{season.growth_per_month:.4%} a month from the centre "
                     f"{month_name(round(season.centre))}; its own calendar day {day:,.2f}")
        lines.append(f"{season.channel} = [")
        for m, factor in enumerate(factors[season.channel]):
            month = first + m
            grown = (1 + season.growth_per_month) ** (month - season.centre)
            growth = f" × growth {grown:.4f}" if season.growth_per_month else ""
            lines.append(f"  {toml_value(factor)},  # {month_name(month)}: "
                         f"{MONTH_NAMES[month % 12]} of {_seen(season, month)}; index "
                         f"{season.index[month % 12]:.4f}{growth}")
        lines.append("]")
    return [*lines, ""]


def plan_summary(s: Seasons, e: Estimates, c: Choices) -> list[str]:
    """What ``ccsim import`` prints about the plan it wrote."""
    lines = [f"plan from {c.plan_start}, {c.plan_months} months: volume_factors per channel from "
             f"the whole months {s.span} ({len(s.whole)}); partial, left out: "
             f"{'; '.join(s.partial) or 'none'}; {_growth_note(s)}"]
    for season, (name, factors) in zip(s.channels, forecast(s, e, c).items(), strict=True):
        lines.append(f"  {name}: index {min(season.index):.3f}-{max(season.index):.3f}, growth "
                     f"{season.growth_per_month:.4%} a month; factors {min(factors):.3f}-"
                     f"{max(factors):.3f}")
    return lines


def scenario_toml(e: Estimates, choices: Choices, seasons: Seasons | None = None) -> str:
    """The whole scenario file (with ``seasons``: and its ``[plan]``)."""
    first, last, _ = _dates(e)
    hours_open = clock(e.first_slot * e.interval_minutes * 60)
    hours_close = clock(e.end_slot * e.interval_minutes * 60)
    text = [
        *_comment_block(e),
        "[scenario]",
        f"name = {toml_value(choices.name)}",
        "description = " + toml_value(
            f"Imported by ccsim import from {len(e.sources)} export(s) (named in the comments "
            f"at the top): {first} to {last}; channels {', '.join(q.channel for q in e.queues)}"),
        "",
        "[run]",
        "days = 7  # one week from Monday",
        "replications = 10",
        "seed = 1",
        'start_day = "mon"',
        "",
        "# The centre's hours: from the earliest usual interval of any queue to the end of the",
        "# latest (a queue's own shorter hours are zeros in its profile).",
        "[hours]",
        f'open = "{hours_open}"',
        f'close = "{hours_close}"',
        f"interval_minutes = {e.interval_minutes}",
        f"open_days = {toml_value([WEEKDAYS[w] for w in e.weekdays])}",
        "",
    ]
    for q in e.queues:
        text += _channel(q, e, choices)
    for q in e.queues:
        text += _contact_type(q)
    for q in e.queues:
        text += _group(q, e, choices)
    for q in e.queues:
        text += _target(q, e, choices)
    if seasons is not None:
        text += plan_toml(seasons, e, choices)
    return "\n".join(text).rstrip("\n") + "\n"


def summary_lines(e: Estimates, rows: int) -> list[str]:
    """What ``ccsim import`` prints: what it read, dropped and estimated."""
    first, last, _ = _dates(e)
    lines = [f"read {len(e.sources)} export(s), {rows:,} rows: {len(e.queues)} queue(s), "
             f"{first} to {last}, {e.interval_minutes}-minute intervals, open "
             f"{clock(e.first_slot * e.interval_minutes * 60)}-"
             f"{clock(e.end_slot * e.interval_minutes * 60)} on {_days(e.weekdays)}"]
    if e.dropped:
        lines.append(f"dropped ({len(e.dropped)}; the rules are in docs/import.md):")
        lines += [f"  {d.what}: {d.rule}" for d in e.dropped]
    else:
        lines.append("dropped: nothing (no closed weekday, partial day, holiday or outlier)")
    for q in e.queues:
        pattern = " ".join(f"{DAY_NAMES[w][:3]} {q.weekly_pattern[w]:.2f}" for w in q.weekdays)
        shape = ("a profile per weekday (one shape rejected, p < "
                 f"{PROFILE_P_VALUE:g})" if q.shape.per_weekday else "one profile for all days")
        lines += [f"{q.queue} -> channel {q.channel} ({q.kind}): {q.dates} days kept, "
                  f"{q.volume_per_day:,.1f} offered per open day ({pattern}); {shape}"]
        if q.handle is not None:
            h = q.handle
            lines.append(f"  handle time {h.mean_seconds:,.1f} s (± {h.standard_error_seconds:.1f}"
                         f" s), cv {h.cv:.2f}: lognormal")
        else:
            lines.append("  handle time: not in the export (GUESS 300 s written)")
        if q.patience is not None:
            p = q.patience
            lines.append(f"  patience {p.mean_seconds:,.0f} s (sampling 95 %: {p.low_seconds:,.0f}-"
                         f"{p.high_seconds:,.0f}): {q.patience_note}; fit: dispersion "
                         f"{p.dispersion:.2f} over {p.intervals:,} intervals (1 when exponential "
                         "patience explains each interval's abandons); to match the history's "
                         "abandonment by simulation: ccsim calibrate")
        else:
            lines.append(f"  patience: {q.patience_note}")
        b = q.busyness
        written = "written" if SCHEMA_HAS_BUSYNESS_CV else "written as a comment"
        lines.append(f"  busyness cv {b.cv:.3f} (raw cv² {b.cv_squared:.4f}, {b.df} df; {written})"
                     f"; abandon rate {q.abandon_rate:.1%}"
                     + (f", service level {q.service_level:.1%}" if q.service_level is not None
                        else ""))
        lines.append("  agents: " + ("per weekday and interval from the export"
                                     if q.agents is not None else '"auto" (none in the export)'))
    return lines
