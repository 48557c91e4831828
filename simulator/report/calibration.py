"""A calibration of patience on a terminal, and as the scenario layer ``ccsim calibrate`` writes.

Rates are written in percent, the fit's MAE and bias in percentage points of abandonment rate
(offered-weighted over the weekday × interval cells), the band as the share of cells.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simulator.report import format as fmt
from simulator.report.terminal_studies import (
    add_number_column,
    add_text_column,
    plain_table,
    say,
    text_width,
    widest,
)
from simulator.results.calibration import CalibrationResult, ChannelCalibration, Fit
from simulator.spec.layers import toml_value

if TYPE_CHECKING:
    from rich.console import Console

_STATUS = {"calibrated": "calibrated", "at_bound": "at a bound", "not_converged": "not converged",
           "unchanged": "unchanged"}


def _points(share: float | None) -> str:
    """A difference of rates in percentage points, signed: ``+1.2``."""
    return fmt.number(None if share is None else share * 100, 1, signed=True, thousands=False,
                      style=fmt.TERMINAL)


def _mae(fit: Fit | None) -> str:
    return fmt.number(None if fit is None else fit.mae * 100, 1, thousands=False,
                      style=fmt.TERMINAL)


def _band(fit: Fit | None) -> str:
    return fmt.percent(None if fit is None else fit.within_band, 0, style=fmt.TERMINAL)


def _mean(seconds: float | None) -> str:
    return fmt.seconds(seconds, 1, style=fmt.TERMINAL)


def scale_range(channel: ChannelCalibration) -> str:
    """The 95 % range of the calibrated mean, ``160.2-290.5`` (empty when it cannot be said)."""
    if channel.low_seconds is None or channel.high_seconds is None:
        return ""
    return f"{channel.low_seconds:.1f}-{channel.high_seconds:.1f}"


def render_calibration(result: CalibrationResult, console: Console) -> None:
    """Per channel two rows, before (the scenario's patience) and after (the calibrated one):
    mean patience, simulations, the history's abandonment and the fit; a line per channel left
    unchanged or not settled, and what the columns mean."""
    from rich.text import Text

    say(console, f"ccsim calibrate · patience against {len(result.sources)} export(s), "
        f"{result.weeks} week(s) of {result.interval_minutes}-minute intervals")
    rows: list[list[str]] = []
    for c in result.channels:
        start = "none" if c.start_mean_seconds is None else _mean(c.start_mean_seconds)
        rows.append([c.channel, "before", start, "",
                     fmt.percent(c.actual_rate, 1, style=fmt.TERMINAL), _mae(c.before),
                     _points(None if c.before is None else c.before.bias), _band(c.before)])
        if c.changed:
            rows.append(["", "after", _mean(c.calibrated_mean_seconds), str(c.simulations), "",
                         _mae(c.after), _points(None if c.after is None else c.after.bias),
                         _band(c.after)])
    headers = ["channel", "", "patience s", "sims", "actual", "MAE pts", "bias pts", "in band"]
    widths = [max(len(h), widest([r[k] for r in rows])) for k, h in enumerate(headers)]
    table = plain_table()
    add_text_column(table, headers[0], min(widths[0], text_width(console.width, widths[1:], 1)))
    add_text_column(table, headers[1], widths[1])
    for k, header in enumerate(headers[2:], start=2):
        add_number_column(table, header, [r[k] for r in rows])
    for r in rows:
        table.add_row(*(Text(fmt.printable(v)) for v in r))
    console.print(table)
    for c in result.channels:
        where = f"{c.channel} (queue {fmt.printable(c.queue)!r})"
        if c.after is not None and c.after.cells < c.history_cells:
            say(console, f"{where}: the simulated week measures {c.after.cells} of the "
                f"history's {c.history_cells} weekday x interval cells; the rest are not "
                "compared")
        if c.status == "calibrated":
            extra = f", 95 % range {scale_range(c)} s" if scale_range(c) else ""
            scale = f"mean x{c.scale:.3g}" if c.start_mean_seconds is not None else \
                f"mean {c.calibrated_mean_seconds or math.nan:.1f} s"
            say(console, f"{where}: patience {scale}{extra}" + (f"; {c.note}" if c.note else ""))
        else:
            say(console, f"{where}: {_STATUS[c.status]}: {c.note}")
    say(console, f"{result.simulations} simulation(s) of the scenario's week, "
        f"{result.replications} replications each (at most {result.max_simulations}); "
        "MAE and bias: simulated - actual abandonment rate, percentage points, weighted by "
        "offered over the weekday x interval cells; in band: share of cells whose history "
        "lies inside the simulated 95 % band")


def _comment(text: str) -> str:
    """One comment line of a TOML file (control characters escaped, so it stays one line)."""
    return "# " + fmt.printable(text).replace("\n", " ").replace("\r", " ")


def _fit_words(channel: ChannelCalibration) -> str:
    before, after = channel.before, channel.after
    if before is None or after is None:
        return "no fit measured"
    band = ("no band (one replication)" if before.within_band is None or after.within_band is None
            else f"history inside the simulated 95 % band in {before.within_band:.0%} -> "
            f"{after.within_band:.0%} of cells")
    return (f"abandonment over {after.cells} of the history's {channel.history_cells} weekday x "
            "interval cells (offered-weighted): "
            f"MAE {before.mae * 100:.1f} -> {after.mae * 100:.1f} pts, bias "
            f"{before.bias * 100:+.1f} -> {after.bias * 100:+.1f} pts;\n{band}")


def calibration_layer(result: CalibrationResult, extends: str) -> str:
    """A scenario layer over the calibrated scenario (``extends``: its path relative to the
    layer) that sets only each calibrated channel's ``patience``, with comments citing the
    exports and the fit."""
    lines = [_comment("Patience calibrated by ccsim calibrate (simulated abandonment matched to "
                      "the history, weekday by interval)."),
             _comment(f"History: {', '.join(result.sources)} ({result.weeks} week(s), "
                      f"{result.interval_minutes}-minute intervals)."),
             _comment(f"{result.simulations} simulation(s) of the scenario's week, "
                      f"{result.replications} replications each, seed {result.seed}.")]
    for c in result.channels:
        lines.append(_comment(f"{c.channel} (queue {c.queue!r}): "
                              f"{_STATUS[c.status]}" + (f" ({c.note})" if c.note else "")))
        if c.changed:
            span = scale_range(c)
            start = ("no patience" if c.start_mean_seconds is None
                     else f"mean {c.start_mean_seconds:.1f} s")
            lines.append(_comment(
                f"  {start} -> mean {c.calibrated_mean_seconds or math.nan:.1f} s"
                f"{' (95 % range ' + span + ' s)' if span else ''}, "
                f"{c.simulations} simulation(s)"))
        lines += [_comment(f"  {part}") for part in _fit_words(c).split("\n")]
    lines += [f"extends = {toml_value(extends)}", ""]
    for c in result.calibrated:
        assert c.patience is not None
        lines += ["[[channels]]", f"name = {toml_value(c.channel)}",
                  f"patience = {toml_value(c.patience)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
