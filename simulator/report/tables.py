"""A result as tidy tables (pandas DataFrames): what the CSVs, the workbook and a notebook read.

One row per thing (a channel, an agent group, a cost line, a weekday class × interval ×
channel), one column per figure with its unit in the name (``offered_per_open_day``,
``service_level_pct``, ``cost_per_month_usd``), numbers rounded as every other output shows
them (:func:`simulator.report.format.shown`): volumes and hours per open day, money in whole
units per period and to the cent per contact, percentages to one decimal. A figure's 95 %
half-width is in the column after it, ``<column>_pm95``.

    >>> from simulator.report.tables import tables
    >>> frames = tables(result)            # a RunResult
    >>> frames["channels"].set_index("channel")["service_level_pct"]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from simulator.costs import CATEGORIES
from simulator.report import format as fmt
from simulator.results.estimate import Estimate
from simulator.results.run import IntervalRow, RunResult
from simulator.results.studies import ComparisonResult
from simulator.results.units import CHANNEL_TOTALS, GROUP_TOTALS

#: a column: the figure's field, the column's name, its kind, its scale ("day": per open day)
Column = tuple[str, str, fmt.Kind, float | str]

#: the channel shares, shown as percentages
CHANNEL_SHARES = ("service_level", "abandon_rate", "wait_probability", "customer_abandon_rate",
                  "blocking_rate", "deflection_rate", "ivr_containment_rate", "fcr",
                  "within_target", "serving_occupancy")

CHANNEL_COLUMNS: tuple[Column, ...] = (
    *((k, f"{k}_per_open_day", "num" if k.endswith("_minutes") else "count", "day")
      for k in CHANNEL_TOTALS),
    *((k, f"{k}_pct", "pct", 1.0) for k in CHANNEL_SHARES),
    ("asa_seconds", "asa_seconds", "num", 1.0),
    ("aht_seconds", "aht_seconds", "num", 1.0),
    ("mean_wait_seconds_all", "mean_wait_seconds_all", "num", 1.0),
    ("response_time_hours", "response_time_minutes", "num", 60.0),
    ("mean_queue_length", "mean_queue_length_contacts", "num", 1.0),
)
#: the columns of a contact type (volumes per open day, as a channel's)
TYPE_COLUMNS: tuple[Column, ...] = (
    *((k, f"{k}_per_open_day", "count", "day") for k in ("offered", "answered", "abandoned")),
    ("service_level", "service_level_pct", "pct", 1.0),
    ("abandon_rate", "abandon_rate_pct", "pct", 1.0),
    ("asa_seconds", "asa_seconds", "num", 1.0),
    ("aht_seconds", "aht_seconds", "num", 1.0),
)
GROUP_COLUMNS: tuple[Column, ...] = (
    ("occupancy", "occupancy_pct", "pct", 1.0),
    *((k, f"{k}_per_open_day", "count" if k == "answered" else "num", "day")
      for k in GROUP_TOTALS),
    ("peak_on_floor", "peak_on_floor_agents", "num", 1.0),
)
#: the columns of an interval's channel (volumes per open day to one decimal: they are small)
INTERVAL_COLUMNS: tuple[Column, ...] = (
    ("arrivals", "arrivals_per_open_day", "num", 1.0),
    ("offered", "offered_per_open_day", "num", 1.0),
    ("answered", "answered_per_open_day", "num", 1.0),
    ("abandoned", "abandoned_per_open_day", "num", 1.0),
    ("service_level", "service_level_pct", "pct", 1.0),
    ("abandon_rate", "abandon_rate_pct", "pct", 1.0),
    ("asa_seconds", "asa_seconds", "num", 1.0),
)


def money_unit(currency: str) -> str:
    """A currency as a column name ends: ``USD`` -> ``usd``."""
    return "".join(c for c in currency.lower() if c.isalnum()) or "money"


def _frame(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Rows as a table; a column of whole numbers (volumes, money per period) holds integers
    (written ``3281``, not ``3281.0``), an empty cell where a figure is missing."""
    frame = pd.DataFrame(list(rows), columns=list(columns) if columns is not None else None)
    for column in frame.columns:
        values = [row.get(column) for row in rows if row.get(column) is not None]
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            frame[column] = frame[column].astype("Int64")
    return frame


def _number(value: float | None, kind: fmt.Kind) -> float | int | None:
    """A figure as its kind shows it: whole kinds as integers."""
    x = fmt.shown(value, kind)
    return int(x) if x is not None and fmt.DECIMALS[kind] == 0 else x


def _cells(stat: Estimate | None, column: str, kind: fmt.Kind, factor: float,
           half: bool = True) -> dict[str, float | int | None]:
    """A figure (and its half-width) as the numbers a table holds."""
    if stat is None:
        return {column: None, **({f"{column}_pm95": None} if half else {})}
    mean = None if stat.mean is None else stat.mean * factor
    out = {column: _number(mean, kind)}
    if half:
        width = stat.half_width
        out[f"{column}_pm95"] = None if width is None else _number(abs(width * factor), kind)
    return out


def _row(section: Any, columns: Sequence[Column], days: float, half: bool = True
         ) -> dict[str, float | int | None]:
    row: dict[str, float | int | None] = {}
    for key, column, kind, scale in columns:
        factor = 1 / days if scale == "day" else float(scale)
        row.update(_cells(section.figure(key), column, kind, factor, half))
    return row


def channels_table(result: RunResult) -> pd.DataFrame:
    """One row per channel: volumes per open day, shares, times, and its cost."""
    cur, period = money_unit(result.currency), result.period
    scale = result.cost.period_scale
    rows = []
    for name, channel in result.channels.items():
        row: dict[str, Any] = {"channel": name, **_row(channel, CHANNEL_COLUMNS,
                                                        result.per_open_day)}
        row.update(_cells(result.cost.by_channel.get(name), f"cost_per_{period}_{cur}", "whole",
                          scale))
        row.update(_cells(result.cost.per_contact_by_channel.get(name), f"cost_per_contact_{cur}",
                          "money", 1.0))
        rows.append(row)
    return _frame(rows)


def contact_types_table(result: RunResult) -> pd.DataFrame:
    """One row per contact type (every channel's, in the scenario's order): its channel, its
    volumes per open day and its service."""
    return _frame([{"contact_type": name, "channel": t.channel,
                    **_row(t, TYPE_COLUMNS, result.per_open_day)}
                   for name, t in result.contact_types.items()],
                  None if result.contact_types else ["contact_type", "channel"])


def groups_table(result: RunResult) -> pd.DataFrame:
    """One row per agent group: occupancy, hours and contacts answered per open day."""
    return _frame([{"group": name, **_row(group, GROUP_COLUMNS, result.per_open_day)}
                         for name, group in result.agent_groups.items()])


def costs_table(result: RunResult) -> pd.DataFrame:
    """One row per cost line (those that cost something), the total, then cost per assisted
    contact, per resolved contact and per call: per period, share, per contact."""
    cur, period = money_unit(result.currency), result.period
    cost = result.cost
    per_period, per_contact = f"cost_per_{period}_{cur}", f"cost_per_contact_{cur}"
    total = cost.total.mean or 0.0
    scale = cost.period_scale
    rows: list[dict[str, Any]] = []
    for category in CATEGORIES:
        value = cost.by_category.get(category)
        if value is None or not value.mean:
            continue
        rows.append({"line": category, **_cells(value, per_period, "whole", scale, half=False),
                     "share_pct": fmt.shown(value.mean / total, "pct") if total else None,
                     **_cells(cost.per_contact_by_category.get(category), per_contact, "money",
                              1.0)})
    rows.append({"line": "total", **_cells(cost.period_total, per_period, "whole", 1.0,
                                           half=False),
                 "share_pct": 100.0 if total else None,
                 **_cells(cost.per_contact, per_contact, "money", 1.0)})
    for line, stat in (("per assisted contact", cost.per_assisted_contact),
                       ("per resolved contact", cost.per_resolved_contact),
                       ("per call", cost.per_call)):
        rows.append({"line": line, per_period: None, "share_pct": None,
                     **_cells(stat, per_contact, "money", 1.0)})
    return _frame(rows, ["line", per_period, "share_pct", per_contact, f"{per_contact}_pm95"])


def intervals_table(result: RunResult) -> pd.DataFrame:
    """One row per class of alike open weekdays × interval × channel (the run's own intervals
    when it has no classes): volumes per open day, service, and the interval's agents on the
    floor and occupancy (all groups)."""
    rows_of: Sequence[IntervalRow] = result.intervals_by_day or result.intervals
    rows = []
    for interval in rows_of:
        shared = {**_cells(interval.agents_on_floor, "agents_on_floor", "num", 1.0, half=False),
                  **_cells(interval.occupancy, "occupancy_pct", "pct", 1.0, half=False)}
        for name, channel in interval.channels.items():
            rows.append({"days": fmt.days(interval.days), "start": interval.start,
                         "channel": name, **_row(channel, INTERVAL_COLUMNS, 1.0, half=False),
                         **shared})
    return _frame(rows)


#: the tables of a run, by name (each also ``NAME.csv`` in an ``--out`` folder)
TABLE_NAMES = ("channels", "contact_types", "groups", "costs", "intervals")
#: the tables of a comparison
COMPARISON_TABLE_NAMES = ("summary", "differences", *TABLE_NAMES)


def about(result: RunResult, title: str = "scenario") -> list[tuple[str, str]]:
    """What a workbook's first sheet says: what was run and how its figures are counted."""
    return [(title, fmt.printable(result.scenario)), ("file", fmt.printable(result.file)),
            ("replications", str(result.replications)), ("seed", str(result.seed)),
            ("simulated days", f"{result.simulated_days:g}"),
            ("open days measured", f"{result.open_days_measured:g}"),
            ("units", fmt.convention(result.currency, result.period)),
            ("columns", "the unit is in each column's name; <column>_pm95: the half-width of "
             "its 95 % interval; an empty cell: not defined")]


def tables(result: RunResult) -> dict[str, pd.DataFrame]:
    """A run's tables by name: ``channels``, ``contact_types``, ``groups``, ``costs``,
    ``intervals``."""
    return {"channels": channels_table(result), "contact_types": contact_types_table(result),
            "groups": groups_table(result),
            "costs": costs_table(result), "intervals": intervals_table(result)}


# ---------------------------------------------------------------------------- comparison
def _differences(comparison: ComparisonResult) -> pd.DataFrame:
    """One row per scenario and figure: the baseline, the scenario and the paired change."""
    base = comparison.baseline
    cur, period = money_unit(base.currency), base.period
    days = base.per_open_day
    figures: list[tuple[str, str, fmt.Kind, float]] = [
        ("cost.per_contact", f"cost_per_contact_{cur}", "money", 1.0),
        ("cost.per_assisted_contact", f"cost_per_assisted_contact_{cur}", "money", 1.0),
        ("cost.per_resolved_contact", f"cost_per_resolved_contact_{cur}", "money", 1.0),
        ("cost.period_total", f"cost_per_{period}_{cur}", "whole", 1.0)]
    for channel in base.channels:
        figures += [(f"channels.{channel}.{key}", f"{channel}.{column}", kind,
                     1 / days if scale == "day" else float(scale))
                    for key, column, kind, scale in CHANNEL_COLUMNS
                    if key in ("offered", "answered", "abandoned", "service_level",
                               "abandon_rate", "asa_seconds", "aht_seconds", "within_target")]
    figures += [(f"agent_groups.{group}.occupancy", f"{group}.occupancy_pct", "pct", 1.0)
                for group in base.agent_groups]
    rows = []
    for row in comparison.scenarios:
        mine = row.result.sections
        for path, name, kind, factor in figures:
            was, now = base.sections.figure(path), mine.figure(path)
            change = row.difference.figure(path)
            if was is None or was.mean is None:
                continue
            rows.append({"scenario": row.scenario, "figure": name,
                         "baseline": _number(was.mean * factor, kind),
                         "scenario_value": None if now is None or now.mean is None
                         else _number(now.mean * factor, kind),
                         **{k.replace("figure", "change"): v for k, v in _cells(
                             change, "figure", kind, factor).items()}})
    return _frame(rows, ["scenario", "figure", "baseline", "scenario_value", "change",
                         "change_pm95"])


def _summary(comparison: ComparisonResult) -> pd.DataFrame:
    base = comparison.baseline
    cur, period = money_unit(base.currency), base.period
    per_contact, per_period = f"cost_per_contact_{cur}", f"cost_per_{period}_{cur}"
    rows = [{"scenario": base.scenario, **_cells(base.cost.per_contact, per_contact, "money", 1.0),
             **_cells(base.cost.period_total, per_period, "whole", 1.0),
             "change_" + per_contact: None, "change_" + per_contact + "_pm95": None,
             "change_" + per_period: None, "change_" + per_period + "_pm95": None,
             "cheaper": None, "guardrails_broken": ";".join(base.broken())}]
    for row in comparison.scenarios:
        cost, change = row.result.cost, row.difference.cost
        rows.append({"scenario": row.scenario, **_cells(cost.per_contact, per_contact, "money", 1.0),
                     **_cells(cost.period_total, per_period, "whole", 1.0),
                     **_cells(change.per_contact, "change_" + per_contact, "money", 1.0),
                     **_cells(change.period_total, "change_" + per_period, "whole", 1.0),
                     "cheaper": row.cheaper, "guardrails_broken": ";".join(row.guardrails_broken)})
    return _frame(rows)


def comparison_tables(comparison: ComparisonResult) -> dict[str, pd.DataFrame]:
    """A comparison's tables by name: ``summary`` (a row per scenario), ``differences`` (the
    paired changes), then each run's ``channels``, ``contact_types``, ``groups``, ``costs`` and
    ``intervals`` with a ``scenario`` column, the baseline first."""
    runs = [comparison.baseline, *(row.result for row in comparison.scenarios)]
    names = [comparison.baseline.scenario, *(row.scenario for row in comparison.scenarios)]
    out = {"summary": _summary(comparison), "differences": _differences(comparison)}
    each = [tables(run) for run in runs]
    for key in TABLE_NAMES:
        frames = [mine[key].assign(scenario=name) for mine, name in zip(each, names, strict=True)]
        joined = pd.concat(frames, ignore_index=True)
        out[key] = joined[["scenario", *(c for c in joined.columns if c != "scenario")]]
    return out


def table_csv(frame: pd.DataFrame) -> str:
    """A table as CSV text: a header row, empty cells where a figure is missing."""
    return frame.to_csv(index=False, lineterminator="\n")
