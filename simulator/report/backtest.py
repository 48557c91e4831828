"""``ccsim backtest`` shown: the error table on a terminal, the tidy per-interval CSV, the chart
of the simulated band against the actual, and the HTML page. Reads only the result
(:class:`~simulator.results.backtest.BacktestResult`, or its document)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from simulator.report import format as fmt
from simulator.results.backtest import METRICS, ROW_FIELDS, BacktestResult, BacktestRow, ErrorRow
from simulator.results.estimate import Document

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from rich.console import Console

#: how each metric is named and written
LABELS = {"service_level": "service level", "abandon_rate": "abandonment",
          "asa_seconds": "ASA (s)", "occupancy": "occupancy"}
_SHARES = ("service_level", "abandon_rate", "occupancy")


def typed(result: BacktestResult | Document) -> BacktestResult:
    return result if isinstance(result, BacktestResult) else BacktestResult.from_document(result)


def value_text(metric: str, value: float | None, *, signed: bool = False) -> str:
    """A metric's value: a share in per cent (a signed one in points), ASA in seconds."""
    if metric in _SHARES:
        return fmt.percent(value, 1, signed=signed)
    return fmt.seconds(value, 1, signed=signed)


#: the metrics' names in the terminal's table
SHORT = {"service_level": "SL", "abandon_rate": "abandon", "asa_seconds": "ASA (s)",
         "occupancy": "occupancy"}


def error_cells(e: ErrorRow, short: bool = False) -> list[str]:
    """An error row's cells: channel, metric, n, MAE, bias, coverage with its interval,
    nominal."""
    return [e.channel, (SHORT if short else LABELS)[e.metric], fmt.count(e.intervals),
            value_text(e.metric, e.mae), value_text(e.metric, e.bias, signed=True),
            f"{fmt.percent(e.coverage, 1)} ({fmt.number(_pct(e.coverage_low), 1)}–"
            f"{fmt.number(_pct(e.coverage_high), 1)})", fmt.percent(e.nominal, 1)]


def _pct(share: float) -> float:
    return share * 100


ERROR_HEAD = ("channel", "metric", "intervals", "MAE", "bias", "coverage (95 % CI)", "nominal")


def about(result: BacktestResult) -> list[str]:
    """The lines that say what was run."""
    first, last = (result.dates[0], result.dates[-1]) if result.dates else ("-", "-")
    return [
        f"ccsim backtest · {result.file} against {', '.join(result.history)}",
        f"{len(result.dates)} dates ({first} to {last}) × {len(result.groups)} channel(s) × "
        f"{result.replications} replications, seed {result.seed}; actual-volume mode (each "
        "interval's actual offered, the history's agents)",
        "MAE and bias of the simulated mean against the actual (bias > 0: the model says more); "
        "coverage: share of intervals with the actual inside the simulated band, nominal: "
        "what it should be if the model is right",
    ]


def render_errors(result: BacktestResult, console: Console) -> None:
    """The table of errors per channel and metric (the nominal coverage in the header line
    when every row shares it), what ran, and what was left out."""
    from rich.text import Text

    from simulator.report.terminal_studies import (
        add_number_column,
        add_text_column,
        plain_table,
        text_width,
    )

    for line in about(result):
        console.print(line, highlight=False, markup=False)
    cells = [error_cells(e, short=True) for e in result.errors]
    nominal = {c[-1] for c in cells}
    if len(nominal) == 1:
        console.print(f"nominal coverage of every band: {nominal.pop()}", highlight=False,
                      markup=False)
        cells = [c[:-1] for c in cells]
    head = ERROR_HEAD[:len(cells[0])] if cells else ERROR_HEAD
    table = plain_table()
    fixed = [max([len(h), *(len(c[k]) for c in cells)]) for k, h in enumerate(head) if k]
    add_text_column(table, head[0], min(max([len(head[0])] + [len(c[0]) for c in cells]),
                                        text_width(console.width, fixed, 1)))
    add_text_column(table, head[1], max(len(v) for v in SHORT.values()))
    for k, header in enumerate(head[2:], start=2):
        add_number_column(table, header, [c[k] for c in cells])
    for e, c in zip(result.errors, cells, strict=True):
        table.add_row(*(Text(v, style="bold red" if e.short and k == 5 else "")
                        for k, v in enumerate(c)))
    console.print(table)
    short = [f"{e.channel} {LABELS[e.metric]}" for e in result.errors if e.short]
    if short:
        console.print(Text("coverage below nominal beyond doubt (the band misses the history "
                           "more often than the model's own noise explains): " + ", ".join(short),
                           style="bold red"))
    for line in result.left_out:
        console.print(f"not compared: {line}", highlight=False, markup=False)


def rows_csv(result: BacktestResult) -> str:
    """The tidy per-interval table: a row per date, interval, channel and metric."""
    out = io.StringIO()
    out.write(",".join([*ROW_FIELDS, "inside"]) + "\n")
    for r in result.rows:
        values = [fmt.csv_number(v) if isinstance(v, float) else str(v)
                  for v in (getattr(r, k) for k in ROW_FIELDS)]
        values.append("" if not r.judged else str(r.inside).lower())
        out.write(",".join(_csv_text(v) for v in values) + "\n")
    return out.getvalue()


def _csv_text(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\n') else text


def errors_csv(result: BacktestResult) -> str:
    """The error table as CSV (``--format csv``)."""
    fields = ("channel", "metric", "intervals", "mae", "bias", "coverage", "coverage_low",
              "coverage_high", "nominal", "short")
    lines = [",".join(fields)]
    for e in result.errors:
        doc = e.to_document()
        lines.append(",".join(_csv_text(doc[k]) if isinstance(doc[k], str)
                              else str(doc[k]).lower() if isinstance(doc[k], bool | int)
                              else fmt.csv_number(doc[k]) for k in fields))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- the chart
def band_figure(result: BacktestResult | Document, channel: str) -> Figure:
    """One channel over the history's dates: a panel per metric, the simulated band shaded per
    interval and the actual as points, red where it lies outside the band. Days side by side
    (a gap between dates), labelled by date."""
    from matplotlib.ticker import FuncFormatter

    from simulator.report.charts import INK, RED, SERIES, WIDTH, new_figure, style

    run = typed(result)
    mine = [r for r in run.rows if r.channel == channel]
    with style():
        fig = new_figure(WIDTH, 3.0 * len(METRICS) + 0.8)
        axes = fig.subplots(len(METRICS), 1, sharex=True)
        for ax, metric in zip(axes, METRICS, strict=True):
            rows = [r for r in mine if r.metric == metric]
            x = _positions(rows)
            _band(ax, rows, x, SERIES[0])
            inside = [(p, r.actual) for p, r in zip(x, rows, strict=True) if r.judged and r.inside]
            outside = [(p, r.actual) for p, r in zip(x, rows, strict=True)
                       if r.judged and not r.inside]
            if inside:
                ax.plot(*zip(*inside, strict=True), "o", color=INK,
                        markersize=max(1.2, min(3.5, 500 / len(inside))),
                        label="actual, inside the band", rasterized=len(inside) > 500)
            if outside:
                ax.plot(*zip(*outside, strict=True), "o", color=RED, markersize=5,
                        label="actual, outside the band")
            ax.set_title(LABELS[metric], fontsize=16)
            if metric in _SHARES:
                ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:.0f} %"))
        dates = list(dict.fromkeys(r.date for r in mine))
        _date_ticks(axes[-1], dates, len({r.start for r in mine}) + 1)
        handles, labels = [], []
        for ax in axes:
            for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
                if label not in labels:
                    handles.append(h)
                    labels.append(label)
        fig.legend(handles, labels, loc="outside lower center", ncols=3)
        fig.suptitle(f"{channel}: simulated band against the actual, per interval", x=0.01,
                     ha="left", fontsize=18, fontweight="bold")
    return fig


def _positions(rows: Sequence[BacktestRow]) -> list[float]:
    """Each row's place on the x axis: intervals side by side, a one-interval gap per date."""
    starts = sorted({r.start for r in rows})
    dates = list(dict.fromkeys(r.date for r in rows))
    per_day = len(starts) + 1
    return [dates.index(r.date) * per_day + starts.index(r.start) for r in rows]


def _band(ax: object, rows: Sequence[BacktestRow], x: Sequence[float], colour: str) -> None:
    """The band shaded date by date (no shading across the gap between dates)."""
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    labelled = False
    for date in dict.fromkeys(r.date for r in rows):
        part = [(p, r) for p, r in zip(x, rows, strict=True) if r.date == date]
        xs = [p for p, _ in part]
        ax.fill_between(xs, [r.low for _, r in part], [r.high for _, r in part], step="mid",
                        color=colour, alpha=0.3, linewidth=0,
                        label=None if labelled else "simulated band", rasterized=True)
        labelled = True


def _date_ticks(ax: object, dates: Sequence[str], per_day: int) -> None:
    """At most about eight date labels, at the middle of their days."""
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    every = max(1, -(-len(dates) // 8))
    shown = list(range(0, len(dates), every))
    ax.set_xticks([k * per_day + (per_day - 2) / 2 for k in shown],
                  [dates[k][5:] for k in shown])
    ax.set_xlabel("date (month-day), intervals of the opening hours side by side")


# ---------------------------------------------------------------------------- the page
def backtest_html(result: BacktestResult | Document) -> str:
    """The report: what ran, the error table, a chart per channel (a panel per metric), what
    was left out."""
    from simulator.report.html import Charts, render
    from simulator.report.views import Cell, table

    run = typed(result)
    figures = Charts()
    charts = [(channel, figures.svg(band_figure(run, channel), f"band-{channel}"))
              for channel in run.groups]
    head = list(ERROR_HEAD)
    rows = [[Cell(c, alert=e.short and k == 5) if k == 5 else c
             for k, c in enumerate(error_cells(e))] for e in run.errors]
    return render("backtest.html", f"Backtest of {run.file}", "ccsim · backtest", about(run),
                  errors=table(head, rows, text_cols=2), charts=charts,
                  left_out=list(run.left_out), queues=run.queues, groups=run.groups,
                  thresholds={c: fmt.seconds(s, None, unit=True)
                              for c, s in run.threshold_seconds.items()})
