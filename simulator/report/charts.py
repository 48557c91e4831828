"""Charts for a room with a projector: results in, matplotlib figures out.

Every function takes the typed results of :mod:`simulator.results` (a run, sweep rows, a
bridge, a sensitivity study) — or the same result as its JSON document, which it reads back
once (:meth:`~simulator.results.run.RunResult.from_document`), as the HTML page passes — and
returns a :class:`matplotlib.figure.Figure` drawn on the Agg canvas — no pyplot, so no global figure
state and no interactive backend. :func:`to_svg` turns a figure into SVG text with stable bytes
(fixed hash salt, no date), text drawn as paths so that no font is needed to show it.

Conventions: large type, units and currency on every axis, 95 % intervals as error bars or
bands, red for what breaks a guardrail or raises cost, green for what lowers it.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpec
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from simulator.report.placement import LineEnd, fit_texts, label_line_ends
from simulator.results.estimate import Document, Estimate
from simulator.results.run import IntervalRow, RunResult

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

#: a figure as a typed estimate, or as its ``{mean, ci_low, ci_high}`` document
Stat = Estimate | Document | None

#: type sizes for a projector at the back of a room
STYLE: dict[RcKeyType, Any] = {
    "font.size": 15,
    "axes.titlesize": 17,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 12,
    "axes.labelsize": 15,
    "xtick.labelsize": 14,
    "xtick.major.pad": 8,  # below the half of the lowest y tick label that hangs under the axis
    "ytick.labelsize": 14,
    "legend.fontsize": 13,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.35,
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "lines.linewidth": 2.5,
    "svg.fonttype": "path",  # glyphs as paths: the page needs no font, renders the same anywhere
    "svg.hashsalt": "ccsim",  # stable ids: same figure, same bytes
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}

INK = "#1f2937"
MUTED = "#6b7280"
RED = "#c62828"
GREEN = "#2e7d32"
BASE_GREY = "#546e7a"
#: the Okabe-Ito palette (Okabe & Ito 2008), told apart with every common colour-vision
#: deficiency; its yellow, faint on white, last, and its black as the page's ink
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
             "#F0E442")
#: series colours (scenarios, sweep lines), in that order
SERIES = OKABE_ITO
#: one fixed colour per cost line, the same on every chart
CATEGORY_COLOURS = {
    "agent_wages": "#1f4e79",
    "supervision": "#5b9bd5",
    "telephony": "#e69f00",
    "ivr": "#f6c667",
    "technology": "#009e73",
    "software_licences": "#7fd3b7",
    "chat_and_messaging": "#8e5ea2",
    "email_platform": "#c9a6d8",
    "self_service": "#17becf",
    "office_space": "#8c6d31",
    "desktops": "#c7a76c",
    "overheads": "#7f7f7f",
    "other": "#bdbdbd",
    "other lines": "#d9d9d9",
}
#: a cost line smaller than this share of every bar is merged into "other lines"
SMALL_SHARE = 0.02
WIDTH = 12.0  # inches: 864 pt wide in SVG, scaled to the page


@contextmanager
def style() -> Iterator[None]:
    """The projector style, for building and for saving a figure."""
    with matplotlib.rc_context(STYLE):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure on the Agg canvas (no pyplot)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def to_svg(fig: Figure) -> str:
    """The figure as SVG text: no date, stable ids, text as paths."""
    buffer = io.StringIO()
    with style():
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def to_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (for ``--out`` folders and notebooks), no metadata."""
    buffer = io.BytesIO()
    with style():
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


# ---------------------------------------------------------------------------- helpers
def estimate_of(stat: Stat) -> Estimate | None:
    """A statistic as an :class:`Estimate` (read from its document if need be), or None."""
    if isinstance(stat, Estimate):
        return stat
    if isinstance(stat, dict):
        return Estimate.from_document(stat)
    return None


def run_of(result: RunResult | Document) -> RunResult:
    """A run result (read from its document if need be)."""
    return result if isinstance(result, RunResult) else RunResult.from_document(result)


def mean_of(stat: Stat) -> float | None:
    """The (finite) mean of a statistic, or None."""
    est = estimate_of(stat)
    if est is None or est.mean is None:
        return None
    return est.mean if math.isfinite(est.mean) else None


def error_of(stat: Stat) -> tuple[float, float]:
    """Distances from the mean down to ``ci_low`` and up to ``ci_high`` (0 when unknown)."""
    mean = mean_of(stat)
    est = estimate_of(stat)
    if mean is None or est is None:
        return 0.0, 0.0
    low, high = est.ci_low, est.ci_high
    below = mean - low if low is not None and math.isfinite(low) else 0.0
    above = high - mean if high is not None and math.isfinite(high) else 0.0
    return max(below, 0.0), max(above, 0.0)


def half_width(stat: Stat) -> float | None:
    """Half the width of a statistic's interval, or None when it has none."""
    est = estimate_of(stat)
    if mean_of(stat) is None or est is None or est.ci_low is None or est.ci_high is None:
        return None
    return (est.ci_high - est.ci_low) / 2


def plain(text: str) -> str:
    """User text safe for matplotlib: a "$" is a dollar sign, never mathtext."""
    return str(text).replace("$", r"\$")


def wrap(text: str, width: int = 16) -> str:
    return "\n".join(textwrap.wrap(plain(text), width, break_long_words=True,
                                   break_on_hyphens=False)) or plain(text)


def money(value: float, signed: bool = False) -> str:
    """Money with two decimals; ``signed``: a change, with a true minus sign."""
    return f"{value:+,.2f}".replace("-", "−") if signed else f"{value:,.2f}"


def ordinal(percentile: float) -> str:
    """10 -> "10th", 2.5 -> "2.5th"."""
    value = float(percentile)
    if value.is_integer() and int(value) % 100 not in (11, 12, 13):
        return f"{int(value)}" + {1: "st", 2: "nd", 3: "rd"}.get(int(value) % 10, "th")
    return f"{value:g}th"


def guardrail_label(name: str) -> str:
    """``voice.service_level`` -> ``voice service level``."""
    return name.replace(".", " ").replace("_", " ")


#: the guardrails a label beside a bar names before it counts the rest
BREAKS_NAMED = 2


def breaks_text(broken: Sequence[str], width: int = 30) -> str:
    """What a bar breaks, in lines short enough to sit beside it: the first
    :data:`BREAKS_NAMED` guardrails by name, the rest counted."""
    named = [guardrail_label(g) for g in broken[:BREAKS_NAMED]]
    rest = len(broken) - len(named)
    text = "breaks " + ", ".join(named) + (f" and {rest} more" if rest else "")
    return "\n".join(textwrap.wrap(text, width))


def label_of(name: str) -> str:
    return name.replace("_", " ")


def contacts_of(result: RunResult | Document) -> float | None:
    """Handled contacts in the measured period (the cost-per-contact denominator): carried by
    a run result; a document does not carry it, so reading one back takes its total ÷ cost per
    contact (:meth:`~simulator.results.run.CostResult.from_document`)."""
    return mean_of(run_of(result).cost.contacts)


def broken_of(result: RunResult | Document) -> list[str]:
    """``channel.guardrail`` for every target the run misses (its verdicts, not judged again)."""
    if isinstance(result, RunResult):
        return result.broken()
    from simulator.results.guardrails import Verdicts

    return Verdicts.from_document(result.get("targets", {})).broken()


def _no_data(ax: Axes, text: str) -> None:
    """Say on an empty chart why it is empty."""
    ax.text(0.5, 0.5, plain(text), transform=ax.transAxes, ha="center", va="center",
            fontsize=16, color=MUTED)
    ax.set_yticks([])


# ---------------------------------------------------------------------------- cost breakdown
def cost_breakdown_figure(runs: Sequence[tuple[str, RunResult | Document]], currency: str
                          ) -> Figure:
    """Cost per contact split by cost line: one stacked bar per scenario.

    A line's share of the cost per contact is its cost over the handled contacts, within each
    replication (``per_contact_by_category``), so the segments add up to the bar's cost per
    contact. Lines smaller than 2 % of every bar are merged into "other lines".
    """
    from simulator.costs import CATEGORIES

    bars: list[tuple[str, dict[str, float], float]] = []
    for name, document in runs:
        cost = run_of(document).cost
        if not mean_of(cost.contacts):
            continue
        by = cost.per_contact_by_category
        per = {c: mean_of(by.get(c)) or 0.0 for c in CATEGORIES}
        bars.append((name, per, sum(per.values())))
    keep = [c for c in CATEGORIES
            if any(total > 0 and per[c] / total >= SMALL_SHARE for _, per, total in bars)]
    merged = [c for c in CATEGORIES if c not in keep
              and any(per[c] > 0 for _, per, _t in bars)]
    segments = [*keep, *(["other lines"] if merged else [])]
    with style():
        fig = new_figure(WIDTH, 2.6 + 0.85 * max(len(bars), 1))
        ax = fig.add_subplot()
        ys = list(range(len(bars)))
        left = [0.0] * len(bars)
        biggest = max((t for _, _, t in bars), default=1.0) or 1.0
        for segment in segments:
            widths = [sum(per[c] for c in merged) if segment == "other lines" else per[segment]
                      for _, per, _t in bars]
            name = f"smaller lines ({len(merged)})" if segment == "other lines" else segment
            ax.barh(ys, widths, left=left, height=0.62, label=label_of(name),
                    color=CATEGORY_COLOURS[segment], edgecolor="white", linewidth=1)
            for y, x0, w in zip(ys, left, widths, strict=True):
                if w >= 0.075 * biggest:  # room for the figure inside the segment
                    dark = segment in ("agent_wages", "chat_and_messaging", "office_space",
                                       "technology", "overheads")
                    ax.text(x0 + w / 2, y, f"{w:,.2f}", ha="center", va="center", fontsize=13,
                            color="white" if dark else INK)
            left = [a + b for a, b in zip(left, widths, strict=True)]
        for y, (_, _, total) in zip(ys, bars, strict=True):
            ax.text(total + biggest * 0.01, y, f"{currency} {total:,.2f}", va="center",
                    ha="left", fontsize=15, fontweight="bold", color=INK)
        ax.set_yticks(ys, [wrap(name, 22) for name, _, _ in bars])
        ax.invert_yaxis()
        ax.set_xlim(0, biggest * 1.18)
        ax.set_xlabel(f"cost per contact ({plain(currency)}), by cost line")
        ax.set_title("What one contact costs, line by line")
        ax.grid(axis="y", visible=False)
        if segments:
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16 if len(bars) > 1 else -0.3),
                      ncol=min(len(segments), 5), handlelength=1.2)
        else:
            _no_data(ax, "No cost: this scenario sets no wages and no [costs].")
    return fig


# ---------------------------------------------------------------------------- cost per contact
@dataclass(frozen=True)
class Bar:
    """One bar of :func:`cost_per_contact_figure`."""

    label: str
    stat: Estimate | Document
    note: str = ""  # written after the value, e.g. the change against the baseline
    broken: tuple[str, ...] = ()  # guardrails broken: the bar is drawn red
    kind: str = "scenario"  # "baseline", "scenario" or "detail" (a lighter colour)


def cost_per_contact_figure(bars: Sequence[Bar], currency: str,
                            title: str = "Cost per contact, with its 95 % interval") -> Figure:
    """Horizontal bars of cost per contact with 95 % intervals as error bars."""
    shown = [b for b in bars if mean_of(b.stat) is not None]
    colours = {"baseline": BASE_GREY, "scenario": SERIES[0], "detail": "#90a4ae"}
    with style():
        fig = new_figure(WIDTH, 2.2 + 0.8 * max(len(shown), 1))
        ax = fig.add_subplot()
        ys = list(range(len(shown)))
        means = [mean_of(b.stat) or 0.0 for b in shown]
        errs = [error_of(b.stat) for b in shown]
        ax.barh(ys, means, height=0.6, color=[RED if b.broken else colours[b.kind] for b in shown],
                hatch=None)
        ax.errorbar(means, ys, xerr=[[e[0] for e in errs], [e[1] for e in errs]], fmt="none",
                    ecolor=INK, elinewidth=2, capsize=7, capthick=2)
        top = max((m + e[1] for m, e in zip(means, errs, strict=True)), default=1.0) or 1.0
        for y, bar, m, e in zip(ys, shown, means, errs, strict=True):
            half = half_width(bar.stat)
            text = money(m) + (f" ± {half:,.2f}" if half is not None else "")
            if bar.note:
                text += f"   {plain(bar.note)}"
            if bar.broken:
                text += "\n" + breaks_text(bar.broken, 40)
            ax.text(m + e[1] + top * 0.015, y, text, va="center", ha="left", fontsize=14,
                    color=RED if bar.broken else INK)
        ax.set_yticks(ys, [wrap(b.label, 24) for b in shown])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.05)
        ax.set_xlabel(f"cost per contact ({plain(currency)}); whiskers: 95 % interval")
        ax.set_title(plain(title))
        ax.grid(axis="y", visible=False)
        fit_texts(ax, ax.texts)  # the values beside the bars inside the axes, measured
    return fig


# ---------------------------------------------------------------------------- over the day
def _hours(start: str) -> float:
    hh, mm = start.split(":")
    return int(hh) + int(mm) / 60


def _clock_label(value: float, _pos: int | None = None) -> str:
    minutes = round(value * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def live_channels(result: RunResult | Document) -> list[str]:
    """Channels answered while the customer waits: those with a service level (deferred work,
    a backlog, has a response time instead)."""
    return run_of(result).live_channels()


def intervals_figure(runs: Sequence[tuple[str, RunResult | Document]]) -> Figure:
    """Over the opening day, per interval: service level and abandonment of each live channel,
    agents on the floor and their occupancy; one line per scenario (one scenario: shaded, its
    95 % interval). Scenarios differ by colour and each line carries its scenario's name at its
    end, right of the panel (spread apart where lines end together), not by dash or legend."""
    typed = [(name, run_of(result)) for name, result in runs]
    first = typed[0][1]
    channels = first.live_channels()
    step = 0.5
    if len(first.intervals) > 1:
        step = first.intervals[1].hours - first.intervals[0].hours
    cols = max(2, len(channels))
    rows = (2 if len(channels) > 1 else 1 if channels else 0) + 1
    names = [wrap(name, 15) for name, _ in runs]
    # several scenarios: each panel as tall as its names stacked need (13 pt, 1.2 lines)
    lines = sum(name.count("\n") + 1 for name in names) if len(runs) > 1 else 0
    with style():
        fig = new_figure(WIDTH, max(3.7, 0.5 + lines * 0.3) * rows + 0.5)
        grid = GridSpec(rows, 2 * cols, figure=fig)
        panels: list[tuple[Axes, str, str | None]] = []
        if len(channels) > 1:
            for i, ch in enumerate(channels):
                panels.append((fig.add_subplot(grid[0, 2 * i:2 * i + 2]), "service_level", ch))
                panels.append((fig.add_subplot(grid[1, 2 * i:2 * i + 2]), "abandon", ch))
        elif channels:
            panels.append((fig.add_subplot(grid[0, 0:cols]), "service_level", channels[0]))
            panels.append((fig.add_subplot(grid[0, cols:]), "abandon", channels[0]))
        panels.append((fig.add_subplot(grid[rows - 1, 0:cols]), "agents", None))
        panels.append((fig.add_subplot(grid[rows - 1, cols:]), "occupancy", None))
        ticks = 7 if cols <= 2 and len(runs) < 2 else 4
        ends: list[tuple[Axes, list[LineEnd]]] = []
        for ax, metric, channel in panels:
            ends.append((ax, _interval_panel(ax, typed, metric, channel, step, names)))
            ax.xaxis.set_major_locator(MaxNLocator(nbins=ticks, steps=[1, 2, 4, 5, 10]))
            ax.xaxis.set_major_formatter(FuncFormatter(_clock_label))
            if metric in ("agents", "occupancy"):
                ax.set_xlabel("time of day")
        fig.suptitle("Over the opening day (average of the simulated open days)",
                     x=0.01, ha="left", fontsize=18, fontweight="bold")
        if len(runs) > 1:
            label_line_ends(fig, ends)
    return fig


def _cell(row: IntervalRow, channel: str | None, figure: str) -> Estimate | None:
    cell = row.channels.get(channel or "")
    return None if cell is None else cell.figure(figure)


def _interval_panel(ax: Axes, runs: Sequence[tuple[str, RunResult]], metric: str,
                    channel: str | None, step: float, names: Sequence[str]) -> list[LineEnd]:
    """One panel's lines; the end of each (for its scenario's name)."""
    first = runs[0][1]
    ends: list[LineEnd] = []
    for i, (_, result) in enumerate(runs):
        colour = SERIES[i % len(SERIES)]
        # the first scenario widest: a line that lies on another still shows its colour
        width = 2.5 + 1.4 * (len(runs) - 1 - i)
        xs, ys, lows, highs = [], [], [], []
        for row in result.intervals:
            x = row.hours + step / 2
            if metric in ("service_level", "occupancy"):
                stat = _cell(row, channel, "service_level") if channel else row.occupancy
                mean = mean_of(stat)
                if mean is None:
                    continue
                lo, hi = error_of(stat)
                xs.append(x)
                ys.append(mean * 100)
                lows.append(max(0.0, mean - lo) * 100)
                highs.append(min(1.0, mean + hi) * 100)
            elif metric == "abandon":
                offered = mean_of(_cell(row, channel, "offered"))
                abandoned = mean_of(_cell(row, channel, "abandoned")) or 0.0
                if not offered:
                    continue
                xs.append(x)
                ys.append(100 * abandoned / offered)
            else:
                mean = mean_of(row.agents_on_floor)
                if mean is None:
                    continue
                xs.append(x)
                ys.append(mean)
        if not xs:
            continue
        if metric == "agents":
            edges = [x - step / 2 for x in xs] + [xs[-1] + step / 2]
            ax.stairs(ys, edges, color=colour, linewidth=width, baseline=None)
            ends.append(LineEnd(edges[-1], ys[-1], names[i], colour))
        else:
            single = len(runs) == 1
            ax.plot(xs, ys, color=colour, marker="o" if single and len(xs) < 30 else None,
                    markersize=4, linewidth=width)
            ends.append(LineEnd(xs[-1], ys[-1], names[i], colour))
            if lows and single:  # one scenario: its 95 % band; several: the lines only
                ax.fill_between(xs, lows, highs, color=colour, alpha=0.15, linewidth=0)
    targets = first.guardrails.of(channel or "")
    name = plain(channel or "").capitalize()
    if metric == "service_level":
        seconds = first.service_level_seconds.get(channel or "")
        ax.set_title(f"{name}: service level", fontsize=15)
        ax.set_ylabel("% answered" + (f" in {seconds:g} s" if seconds is not None else ""))
        ax.set_ylim(0, 105)
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        if "service_level" in targets:
            _target_line(ax, targets["service_level"].target * 100, "target")
    elif metric == "abandon":
        ax.set_title(f"{name}: abandonment", fontsize=15)
        ax.set_ylabel("% of offered")
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=None))
        top = ax.get_ylim()[1]
        if "max_abandon_rate" in targets:
            limit = targets["max_abandon_rate"].target * 100
            # the limit line and its label inside the axes, however far below it the series runs
            top = max(top, limit * 1.3)
            _target_line(ax, limit, "limit")
        ax.set_ylim(0, top)
    elif metric == "agents":
        ax.set_title("Agents on the floor (all groups)", fontsize=15)
        ax.set_ylabel("agents")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.set_title("Occupancy (busy ÷ on the floor)", fontsize=15)
        ax.set_ylabel("% of on-floor time")
        ax.set_ylim(0, 105)
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    return ends


def _target_line(ax: Axes, value: float, word: str) -> None:
    ax.axhline(value, color=RED, linestyle="--", linewidth=1.8)
    ax.annotate(f"{word} {value:g} %", (1.0, value), xycoords=("axes fraction", "data"),
                xytext=(-4, 4), textcoords="offset points", ha="right", va="bottom",
                fontsize=12, color=RED,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
