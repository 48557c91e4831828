"""Charts of the studies, on the house style of :mod:`simulator.report.charts`: the sweep
(cost per contact and service level against a key), the bridge (a waterfall), the sensitivity
(a tornado), the range of an uncertain run and a shift plan's coverage of its requirement."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from simulator.report import format as fmt
from simulator.report.charts import (
    BASE_GREY,
    GREEN,
    INK,
    MUTED,
    RED,
    SERIES,
    WIDTH,
    breaks_text,
    error_of,
    guardrail_label,
    half_width,
    mean_of,
    money,
    new_figure,
    ordinal,
    plain,
    run_of,
    style,
    wrap,
)
from simulator.report.placement import fit_texts
from simulator.results.estimate import Document, Estimate
from simulator.results.run import RunResult
from simulator.results.shifts import ShiftPlan
from simulator.results.studies import (
    BridgeResult,
    SensitivityResult,
    SensitivityRow,
    SweepAxis,
    SweepRow,
)

if TYPE_CHECKING:
    pass

#: a figure as a typed estimate, or as its ``{mean, ci_low, ci_high}`` document

# ---------------------------------------------------------------------------- sweep
def _service_level(row: SweepRow, channel: str) -> Estimate | None:
    cell = row.channels.get(channel)
    return None if cell is None else cell.service_level


def sweep_figure(points: Sequence[SweepRow | Document], axes: Sequence[SweepAxis],
                 currency: str) -> Figure:
    """Cost per contact (left) and service level of the live channels (right) against the first
    swept key, one line per combination of the other varied keys; points that break a guardrail
    are marked with a red cross (the sweep.png of ``ccsim sweep``)."""
    rows = [r if isinstance(r, SweepRow) else SweepRow.from_document(r) for r in points]
    first = axes[0].key
    varied = {a.key for a in axes[1:] if len(a.values) > 1}
    series: dict[str, list[SweepRow]] = {}
    for row in rows:
        label = ", ".join(f"{k}={v}" for k, v in row.point.items() if k in varied)
        series.setdefault(label, []).append(row)
    service = [name for name in (rows[0].channels if rows else {})
               if any(mean_of(_service_level(r, name)) is not None for r in rows)]
    with style():
        fig = new_figure(WIDTH, 6.0 + (0.5 if len(series) > 1 else 0.0))
        cost_ax, sl_ax = fig.subplots(1, 2) if service else (fig.add_subplot(), None)
        markers = ("o", "s", "^", "D", "v", "P")
        for i, (label, items) in enumerate(series.items()):
            colour = SERIES[i % len(SERIES)]
            xs = [wrap(str(r.point[first]), 12) for r in items]
            means = [mean_of(r.cost_per_contact) or 0.0 for r in items]
            errs = [error_of(r.cost_per_contact) for r in items]
            cost_ax.errorbar(xs, means, yerr=[[e[0] for e in errs], [e[1] for e in errs]],
                             marker="o", markersize=7, capsize=6, color=colour,
                             label=wrap(label, 40) if label else None)
            bad = [(x, m) for x, m, r in zip(xs, means, items, strict=True)
                   if r.guardrails_broken]
            if bad:
                cost_ax.scatter([b[0] for b in bad], [b[1] for b in bad], marker="X", s=190,
                                color=RED, zorder=5,
                                label="breaks a guardrail" if i == 0 else None)
            if sl_ax is not None:
                for j, name in enumerate(service):
                    values = [mean_of(_service_level(r, name)) for r in items]
                    pts = [(x, 100 * v) for x, v in zip(xs, values, strict=True) if v is not None]
                    ers = [error_of(_service_level(r, name))
                           for r, v in zip(items, values, strict=True) if v is not None]
                    # an interval is clipped to 0-100 %, where a share can lie
                    sl_ax.errorbar([p[0] for p in pts], [p[1] for p in pts],
                                   yerr=[[min(100 * e[0], p[1]) for p, e in zip(pts, ers, strict=True)],
                                         [min(100 * e[1], 100 - p[1])
                                          for p, e in zip(pts, ers, strict=True)]],
                                   marker=markers[j % len(markers)], markersize=7, capsize=5,
                                   color=colour, linestyle=("-", "--", ":", "-.")[j % 4],
                                   label=plain(f"{name}" + (f" ({label})" if label else "")))
        if any(r.guardrails_broken for r in rows) and not any(
                r.guardrails_broken for r in next(iter(series.values()))):
            cost_ax.scatter([], [], marker="X", s=190, color=RED, label="breaks a guardrail")
        cost_ax.set_xlabel(wrap(first, 60))
        cost_ax.set_ylabel(f"cost per contact ({plain(currency)})")
        cost_ax.set_title("Cost per contact (95 % interval)", fontsize=16)
        handles, labels = cost_ax.get_legend_handles_labels()
        if sl_ax is not None:
            sl_ax.set_xlabel(wrap(first, 60))
            sl_ax.set_ylabel("service level (% answered in time)")
            sl_ax.set_ylim(0, 105)
            sl_ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
            sl_ax.set_title("Service level (95 % interval)", fontsize=16)
            more = sl_ax.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
        if handles:  # under the panels, never over a line
            fig.legend(handles, labels, loc="outside lower center", ncol=min(len(handles), 3))
        fig.suptitle("Sweep: what each setting costs and how it serves", x=0.01, ha="left",
                     fontsize=18, fontweight="bold")
    return fig


# ---------------------------------------------------------------------------- bridge
def waterfall_figure(result: BridgeResult | Document) -> Figure:
    """The walk from the baseline's cost per contact to all levers together: one floating bar per
    lever (its paired change when added to those before it; green lowers cost, red raises it),
    each annotated with its change and what it is worth alone; the overlap is shown on the last
    bar against where the separate savings would have added up to."""
    bridge = result if isinstance(result, BridgeResult) else BridgeResult.from_document(result)
    currency = plain(bridge.currency)
    steps = bridge.steps
    start = mean_of(bridge.start) or 0.0
    end = mean_of(bridge.end)
    levels = [start]
    for step in steps:
        level = mean_of(step.cost_per_contact)
        levels.append(level if level is not None else levels[-1] + (mean_of(step.change) or 0))
    end_level = end if end is not None else levels[-1]
    sum_alone = mean_of(bridge.sum_alone)
    overlap = mean_of(bridge.overlap)
    if_added = start + sum_alone if sum_alone is not None else None
    n = len(steps)
    with style():
        fig = new_figure(WIDTH, 7.2)
        ax = fig.add_subplot()
        tops = [*levels, end_level] + ([if_added] if if_added is not None else [])
        errs = [error_of(s.change) for s in steps]
        high = max(tops) + max((e[1] for e in errs), default=0.0)
        low = min(tops) - max((e[0] for e in errs), default=0.0)
        span = max(high - low, abs(start) * 0.02, 0.01)
        floor = max(0.0, low - 1.2 * span)
        ceiling = high + 0.85 * span
        xs = list(range(n + 2))
        # baseline and end: whole bars (from the axis floor)
        ax.bar(0, start - floor, bottom=floor, width=0.6, color=BASE_GREY)
        ax.bar(n + 1, end_level - floor, bottom=floor, width=0.6, color=SERIES[0])
        # their own (unpaired) intervals are written, not drawn: the whiskers on the steps are
        # the paired intervals, far narrower, and the ones that say whether a lever helps
        for x, stat, value in ((0, bridge.start, start), (n + 1, bridge.end, end_level)):
            half = half_width(stat)
            ax.text(x, value + span * 0.05, f"{currency} {value:,.2f}", ha="center",
                    va="bottom", fontsize=15, fontweight="bold", color=INK)
            if half is not None:
                ax.text(x, value - span * 0.05, f"± {half:,.2f}", ha="center", va="top",
                        fontsize=12, color="white")
        for k, step in enumerate(steps, start=1):
            before, after = levels[k - 1], levels[k]
            change = after - before
            colour = GREEN if change < 0 else RED
            ax.bar(k, abs(change) or span * 0.004, bottom=min(before, after), width=0.6,
                   color=colour, alpha=0.9)
            lo, hi = errs[k - 1]
            if lo or hi:
                ax.errorbar(k, after, yerr=[[lo], [hi]], fmt="none", ecolor=INK, capsize=7,
                            elinewidth=2, capthick=2)
            half = half_width(step.change)
            lines = [money(change, signed=True) + (f" ± {half:.2f}" if half is not None else "")]
            alone = mean_of(step.alone)
            if alone is not None:
                lines.append(f"alone {money(alone, signed=True)}")
            top = max(before, after) + hi
            ax.text(k, top + span * 0.05, "\n".join(lines), ha="center", va="bottom",
                    fontsize=13, color=INK, linespacing=1.3)
            if step.guardrails_broken:
                ax.text(k, floor + span * 0.08, wrap("breaks " + ", ".join(
                    guardrail_label(g) for g in step.guardrails_broken), 16), ha="center",
                    va="bottom", fontsize=11, color=RED, fontweight="bold")
        for k in range(n + 1):  # connectors between the bars
            level = levels[k] if k < n else end_level
            ax.plot([k + 0.3, k + 0.7], [level, level], color=MUTED, linestyle=":", linewidth=1.5)
        if if_added is not None and overlap is not None:
            ax.plot([n + 0.62, n + 1.38], [if_added, if_added], color=INK, linestyle="--",
                    linewidth=2)
            ax.annotate("", xy=(n + 1.36, end_level), xytext=(n + 1.36, if_added),
                        arrowprops={"arrowstyle": "<->", "color": RED if overlap > 0 else GREEN,
                                    "linewidth": 2, "shrinkA": 0, "shrinkB": 0})
            half = half_width(bridge.overlap)
            amount = f"{abs(overlap):,.2f}" + (f" ± {half:.2f}" if half is not None else "")
            words = (f"overlap takes back\n{currency} {amount}" if overlap > 0 else
                     f"together they save\n{currency} {amount} more")
            ax.text(n + 1.42, (if_added + end_level) / 2, words, ha="left", va="center",
                    fontsize=13, fontweight="bold", color=RED if overlap > 0 else GREEN)
        names = ["Baseline", *(wrap(s.lever, 14) for s in steps), "All levers\ntogether"]
        ax.set_xticks(xs, names)
        ax.set_xlim(-0.6, n + 2.3)
        ax.set_ylim(floor, ceiling)
        note = f" — axis starts at {floor:,.2f}" if floor > 0 else ""
        ax.set_ylabel(f"cost per contact ({currency}){note}")
        ax.set_title("Lever bridge: from the baseline to all levers together")
        ax.grid(axis="x", visible=False)
        handles: list[Any] = [Patch(color=GREEN, label="lowers cost per contact"),
                              Patch(color=RED, label="raises it")]
        if if_added is not None and overlap is not None:
            handles.append(Line2D([], [], color=INK, linestyle="--", linewidth=2,
                                  label="the separate savings added up"))
        fig.legend(handles=handles, loc="outside lower center", ncol=len(handles))
    return fig


# ---------------------------------------------------------------------------- sensitivity
def input_value_label(kind: str, value: float) -> str:
    """How an input's end is written: a scale as "×0.90 (−10 %)", a value as itself."""
    if kind == "scale":
        pct = (value - 1) * 100
        return f"×{value:.2f} ({pct:+.0f} %)".replace("-", "−")
    return f"{value:g}"


def end_value(item: SensitivityRow, side: str, base: float) -> float | None:
    """Cost per contact at one end of an input's range (from its change when only that is
    known)."""
    value = mean_of(item.at(side))
    if value is None:
        change = mean_of(item.change(side))
        value = base + change if change is not None else None
    return value


#: the tornado's two ends: Okabe-Ito blue and orange (told apart with any colour vision)
LOW_COLOUR, HIGH_COLOUR = SERIES[0], SERIES[1]
#: a tornado end that breaks a guardrail: red outline and hatching (not colour alone)
BROKEN_HATCH = "//"
#: inches a line of an end's label needs (13 pt, spaced 1.2), and a row at the least
LINE_INCHES, ROW_INCHES = 0.23, 1.05


def _lines(text: str) -> int:
    return text.count("\n") + 1


def tornado_figure(result: SensitivityResult | Document) -> Figure:
    """Inputs ranked by their swing on cost per contact: a bar from the base to the cost at the
    input's low end and one to its high end (largest swing on top); the ends are labelled with
    the input's value and the cost there (and, in red, the guardrails that end breaks), whiskers
    are the paired 95 % interval of the change.

    Labels cannot collide: each sits beyond its own whisker on its bar's side; when both ends of
    an input fall on one side of the base, the low end's label goes above the row's centre and
    the high end's below, and the row is made as tall as the lines it holds; the x range is
    widened, measured, until every label lies inside the axes; the legend is under the axes."""
    study = result if isinstance(result, SensitivityResult) \
        else SensitivityResult.from_document(result)
    currency = plain(study.currency)
    base = mean_of(study.base) or 0.0
    inputs = study.inputs
    rows: list[dict[str, tuple[float, str, tuple[str, ...]]]] = []
    names: list[str] = []
    for item in inputs:
        ends: dict[str, tuple[float, str, tuple[str, ...]]] = {}
        for side in ("low", "high"):
            value = end_value(item, side, base)
            if value is None:
                continue
            broken = tuple(item.broken(side))
            text = f"{input_value_label(item.input.kind, float(item.level(side)))}: {value:,.2f}"
            ends[side] = (value, text + ("\n" + breaks_text(broken) if broken else ""), broken)
        rows.append(ends)
        swing = mean_of(item.swing)
        name = wrap(item.input.name, 22)
        if item.input.kind == "value" and item.input.base is not None:
            name += f"\n(file: {float(item.input.base):g})"
        if swing is not None:
            name += f"\nswing {abs(swing):,.2f}"
        names.append(name)
    # a row's height: its name's lines (14 pt) or its labels' lines, stacked when on one side
    pitches = []
    for ends, name in zip(rows, names, strict=True):
        sides = {v > base or (v == base and s == "high") for s, (v, _t, _b) in ends.items()}
        stacked = sum(_lines(t) for _v, t, _b in ends.values()) if len(sides) == 1 \
            else max((_lines(t) for _v, t, _b in ends.values()), default=1)
        pitches.append(max(ROW_INCHES, LINE_INCHES * max(stacked, 1.1 * _lines(name)) + 0.3))
    centres = np.cumsum([0.0, *pitches[:-1]]) / ROW_INCHES \
        + (np.array(pitches) - pitches[0]) / (2 * ROW_INCHES)
    with style():
        fig = new_figure(WIDTH, 2.9 + sum(pitches))
        ax = fig.add_subplot()
        reach: list[float] = [base]
        labels = []
        for y, item, ends in zip(centres, inputs, rows, strict=True):
            one_side = len(ends) == 2 and len({v > base for v, _t, _b in ends.values()
                                               if v != base}) <= 1
            right_of = [v for v, _t, _b in ends.values()]
            for side, colour in (("low", LOW_COLOUR), ("high", HIGH_COLOUR)):
                if side not in ends:
                    continue
                value, text, broken = ends[side]
                ax.barh(y, value - base, left=base, height=0.62, color=colour,
                        edgecolor=RED if broken else "white", linewidth=2.5 if broken else 1,
                        hatch=BROKEN_HATCH if broken else None)
                lo, hi = error_of(item.change(side))
                if lo or hi:
                    ax.errorbar(value, y, xerr=[[lo], [hi]], fmt="none", ecolor=INK, capsize=5,
                                elinewidth=1.8)
                reach.extend([value - lo, value + hi])
                right = value > base or (value == base and side == "high")
                anchor = value + hi if right else value - lo  # beyond the whisker's cap
                vertical = "center"
                if one_side:  # both ends one side: labels stacked, beyond the farther end
                    right = max(right_of) > base
                    far = max(right_of) if right else min(right_of)
                    anchor = far + max(lo, hi) if right else far - max(lo, hi)
                    vertical = "bottom" if side == "low" else "top"
                labels.append(ax.annotate(
                    text, (anchor, y), xytext=(7 if right else -7, 0 if not one_side else
                                               (2 if side == "low" else -2)),
                    textcoords="offset points", ha="left" if right else "right", va=vertical,
                    fontsize=13, color=RED if broken else INK, linespacing=1.15))
        span = max(max(reach) - min(reach), abs(base) * 0.02, 0.01)
        ax.set_xlim(min(reach) - 0.1 * span, max(reach) + 0.1 * span)
        ax.set_ylim(centres[-1] + pitches[-1] / (2 * ROW_INCHES),
                    centres[0] - pitches[0] / (2 * ROW_INCHES))  # largest swing on top
        ax.axvline(base, color=INK, linewidth=2)
        ax.annotate(f"at the file's values: {currency} {base:,.2f}", (base, 1.0),
                    xycoords=("data", "axes fraction"), xytext=(0, 6),
                    textcoords="offset points", ha="center", va="bottom", fontsize=13,
                    color=INK)
        ax.set_yticks(list(centres), names)
        ax.set_xlabel(f"cost per contact ({currency}); whiskers: paired 95 % interval")
        ax.set_title("Sensitivity: which inputs move cost per contact most", pad=34)
        ax.grid(axis="y", visible=False)
        handles = [Patch(color=LOW_COLOUR, label="input at its low end"),
                   Patch(color=HIGH_COLOUR, label="input at its high end")]
        if any(b for ends in rows for _v, _t, b in ends.values()):
            handles.append(Patch(facecolor="white", edgecolor=RED, hatch=BROKEN_HATCH,
                                 linewidth=2, label="breaks a guardrail"))
        fig.legend(handles=handles, loc="outside lower center", ncol=len(handles))
        fit_texts(ax, labels)
    return fig


# ---------------------------------------------------------------------------- uncertainty
def uncertainty_figure(document: RunResult | Document) -> Figure:
    """Cost per contact over the sampled inputs (histogram, 10th–90th percentile band, median)
    beside the simulation's own 95 % interval at the file's values."""
    result = run_of(document)
    unc = result.uncertainty
    if unc is None:
        msg = f"{result.scenario}: the run has no uncertainty part (no [uncertainty] ranges)"
        raise ValueError(msg)
    currency = plain(result.currency)
    band = unc.cost_per_contact
    costs = [float(s.cost_per_contact) for s in unc.sample_table
             if not math.isnan(s.cost_per_contact)]
    percentiles = unc.percentiles
    with style():
        fig = new_figure(WIDTH, 6.4)
        ax = fig.add_subplot()
        low, high, median = band.low, band.high, band.median
        if low is not None and high is not None:
            ax.axvspan(float(low), float(high), color=SERIES[1], alpha=0.18,
                       label=f"{ordinal(percentiles[0])}–{ordinal(percentiles[1])} percentile: "
                             f"{float(low):,.2f} – {float(high):,.2f}")
        top = 1.0
        if costs:
            bins = max(5, min(24, len(costs) // 3))
            counts, _edges, _patches = ax.hist(costs, bins=bins, color=SERIES[0], alpha=0.85,
                                               edgecolor="white", label="sampled inputs")
            top = float(max(counts)) if len(counts) else 1.0
        if median is not None:
            ax.axvline(float(median), color=INK, linestyle="--", linewidth=2,
                       label=f"median {float(median):,.2f}")
        stat = result.cost.per_contact
        mean = mean_of(stat)
        if mean is not None:
            lo, hi = error_of(stat)
            ax.errorbar(mean, top * 1.18, xerr=[[lo], [hi]], fmt="D", color=RED, markersize=9,
                        capsize=8, elinewidth=2.5, capthick=2.5,
                        label=f"simulation noise at the file's values (95 %): {mean:,.2f}"
                              + (f" ± {(lo + hi) / 2:,.2f}" if lo or hi else ""))
        ax.set_ylim(0, top * 1.45)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(f"cost per contact ({currency})")
        ax.set_ylabel("input samples")
        ax.set_title(f"What the uncertain inputs do to cost per contact "
                     f"({unc.samples} samples)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, fontsize=13)
    return fig


# ---------------------------------------------------------------------------- shift plan
def shift_plan_figure(plan: ShiftPlan | Document) -> Figure:
    """Agents required against agents rostered by a shift plan over the open day, one small
    panel per open weekday (step lines per interval); over-coverage shaded blue, a shortfall
    red."""
    shifts = plan if isinstance(plan, ShiftPlan) else ShiftPlan.from_document(plan)
    n_days, n = shifts.requirement.shape
    step = shifts.interval_minutes / 60
    edges = shifts.open_seconds / 3600 + step * np.arange(n + 1)
    cols = 1 if n_days == 1 else 2
    rows = math.ceil(n_days / cols)
    top = max(int(shifts.requirement.max(initial=0)), int(shifts.coverage.max(initial=0)), 1)
    with style():
        fig = new_figure(WIDTH, 2.9 * rows + 1.3)
        axes = fig.subplots(rows, cols, squeeze=False, sharex=True, sharey=True)
        for d in range(rows * cols):
            ax = axes[d // cols][d % cols]
            if d >= n_days:
                ax.set_visible(False)
                continue
            need, cover = shifts.requirement[d], shifts.coverage[d]
            ax.stairs(np.maximum(cover, need), edges, baseline=need, fill=True, color=SERIES[0],
                      alpha=0.18, linewidth=0)
            ax.stairs(np.minimum(cover, need), edges, baseline=need, fill=True, color=RED,
                      alpha=0.45, linewidth=0)
            ax.stairs(cover, edges, baseline=None, color=SERIES[0], linewidth=2.5)
            ax.stairs(need, edges, baseline=None, color=INK, linestyle="--", linewidth=2)
            short = int((shifts.under[d] > 0).sum())
            ax.set_title(f"{shifts.weekdays[d]}" + (f" · {short} intervals short" if short else ""),
                         fontsize=15, color=RED if short else INK)
            ax.set_ylim(0, top * 1.12)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 4, 5, 10]))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt.clock(x)))
            if d % cols == 0:
                ax.set_ylabel("agents")
            if d + cols >= n_days:
                ax.set_xlabel("time of day")
                ax.xaxis.set_tick_params(labelbottom=True)
        handles = [Line2D([], [], color=INK, linestyle="--", linewidth=2, label="required"),
                   Line2D([], [], color=SERIES[0], linewidth=2.5, label="rostered by the plan"),
                   Patch(color=SERIES[0], alpha=0.18, label="over the requirement"),
                   Patch(color=RED, alpha=0.45, label="short of it")]
        fig.legend(handles=handles, loc="outside lower center", ncol=4)
        fig.suptitle("Shift plan: agents required and rostered per interval",
                     x=0.01, ha="left", fontsize=18, fontweight="bold")
    return fig
