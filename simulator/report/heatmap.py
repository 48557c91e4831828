"""Service per interval of the week as a heat map: where in the week a per-interval guardrail
breaks.

One panel per channel with a guardrail judged per interval (:mod:`simulator.results.guardrails`):
a row per open weekday (a class of alike days drawn once for each of its days, so Thu and Fri
both show), a column per interval of the open day. A cell's colour is the service level there
(a channel without a per-interval service level: its first per-interval guardrail's value),
blue where the interval meets every per-interval target of its channel (darker: further past
the target) and red where it misses any (darker: further off), with a red outline; grey where
there were no contacts to judge. Closed days are not rows; a channel without a per-interval
guardrail has no panel, and a run without any has no heat map (:func:`heat_panels` is empty).

The verdicts are read, never judged again.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from simulator.report import format as fmt
from simulator.report.charts import INK, RED, WIDTH, new_figure, plain, run_of, style
from simulator.report.terminal import compliance_text
from simulator.results.estimate import Document
from simulator.results.guardrails import Guardrail
from simulator.results.run import RunResult

#: the edge of a cell that misses a target, and the colour of one with nothing to judge
BREACH_EDGE = RED
EMPTY = "#e5e7eb"
#: a cell's figure at the smallest size a room reads (docs/charts.md)
CELL_PT = 11
_BLUES = colormaps["Blues"]
_REDS = colormaps["Reds"]


@dataclass(frozen=True)
class HeatCell:
    """One interval of one weekday: the colouring guardrail's value and whether the interval
    misses any per-interval target of the channel."""

    day: str
    start: str
    value: float | None
    breach: bool
    shade: float  # 0 to 1: how far past (met) or short of (breach) the colouring target


@dataclass(frozen=True)
class HeatPanel:
    """A channel's panel: the guardrail that colours it, every per-interval one, the grid."""

    channel: str
    colour_by: Guardrail
    checks: tuple[Guardrail, ...]
    days: tuple[str, ...]
    starts: tuple[str, ...]
    cells: tuple[HeatCell, ...]

    def cell(self, day: str, start: str) -> HeatCell | None:
        return next((c for c in self.cells if c.day == day and c.start == start), None)


def _judged(check: Guardrail) -> bool:
    return check.per_interval and check.intervals_judged > 0


def _shade(value: float, check: Guardrail, breach: bool) -> float:
    """How far a value is past its target (a met cell) or short of it (a breach), 0 to 1."""
    target = check.target
    gap = value - target if check.sense == ">=" else target - value  # > 0: past the target
    if breach:
        room = target if check.sense == ">=" else max(target, 1e-9)
        return min(max(-gap / room, 0.0), 1.0)
    room = (1.0 - target) if check.sense == ">=" and check.is_share else max(target, 1e-9)
    return min(max(gap / room, 0.0), 1.0) if room > 0 else 1.0


def heat_panels(result: RunResult | Document) -> list[HeatPanel]:
    """A panel per channel with a guardrail judged per interval, in the order of [targets]."""
    run = run_of(result)
    panels = []
    for channel in run.guardrails.channels:
        checks = tuple(c for c in run.guardrails.of(channel).values() if _judged(c))
        if not checks:
            continue
        colour_by = next((c for c in checks if c.name == "service_level"), checks[0])
        days = {d for row in run.intervals_by_day for d in row.days}
        days |= {d for c in checks for i in c.intervals for d in i.days}
        starts = {row.start for row in run.intervals_by_day}
        starts |= {i.start for c in checks for i in c.intervals}
        missed = {(d, i.start) for c in checks for i in c.breaches() for d in i.days}
        cells = []
        for check in colour_by.intervals:
            for day in check.days:
                breach = (day, check.start) in missed
                value = check.value.mean
                shade = 0.0 if value is None else _shade(value, colour_by, breach)
                cells.append(HeatCell(day, check.start, value, breach, shade))
        coloured = {(c.day, c.start) for c in cells}
        cells += [HeatCell(d, s, None, True, 0.0) for d, s in sorted(missed - coloured)]
        panels.append(HeatPanel(channel, colour_by, checks,
                                tuple(sorted(days, key=fmt.WEEKDAYS.index)),
                                tuple(sorted(starts, key=_minutes)), tuple(cells)))
    return panels


def _minutes(start: str) -> int:
    hh, mm = start.split(":")
    return int(hh) * 60 + int(mm)


def guardrail_name(check: Guardrail, seconds: float | None = None) -> str:
    """How a room names a target: "voice 80/20" (a service level answered in 20 s), "voice
    abandonment ≤ 6 %", "chat ASA ≤ 30 s"."""
    if check.name == "service_level" and seconds is not None:
        return (f"{check.channel} {fmt.number(check.target * 100, None)}/"
                f"{fmt.number(seconds, None)}")
    if check.name == "service_level":
        return f"{check.channel} service level ≥ {fmt.percent(check.target, None)}"
    if check.name == "max_abandon_rate":
        return f"{check.channel} abandonment ≤ {fmt.percent(check.target, None)}"
    if check.name == "max_asa_seconds":
        return f"{check.channel} ASA ≤ {fmt.seconds(check.target, None, unit=True)}"
    return f"{check.channel} {check.name.replace('_', ' ')}"


def sentences(result: RunResult | Document) -> list[str]:
    """Per per-interval guardrail: "voice 80/20: met in 130 of 144 half-hours, worst Mon 08:30
    14.4 %"."""
    run = run_of(result)
    return [f"{guardrail_name(c, run.service_level_seconds.get(c.channel))}: "
            f"{compliance_text(c, style=fmt.PAGE)}"
            for panel in heat_panels(run) for c in panel.checks]


def caption(result: RunResult | Document, scenario: str | None = None) -> str:
    """The heat map's caption (and accessible name): what it shows, then every per-interval
    guardrail's count and worst interval."""
    run = run_of(result)
    unit = fmt.INTERVAL_WORDS.get(run.guardrails.checks[0].interval_minutes, "intervals") \
        if run.guardrails.checks else "intervals"
    head = f"{scenario}: " if scenario else ""
    return (f"{head}Service per {unit[:-1]} of the week, a row per open weekday: the colour is "
            "the service level (a channel without one: its first per-interval target); blue "
            "where every per-interval target of the channel is met (darker: further past it), "
            "red with a red outline where one is missed (darker: further off), grey: no "
            "contacts. " + "; ".join(sentences(run)) + ".")


def service_heatmap_figure(result: RunResult | Document, title: str | None = None) -> Figure:
    """The heat map: a panel per channel with a per-interval guardrail (see the module)."""
    run = run_of(result)
    panels = heat_panels(run)
    seconds = run.service_level_seconds
    with style():
        heights = [1.5 + 0.42 * max(len(p.days), 1) for p in panels]
        fig = new_figure(WIDTH, sum(heights) + 1.2)
        grid = fig.add_gridspec(max(len(panels), 1), 1, height_ratios=heights or [1])
        axes: list[Axes] = []
        for k, panel in enumerate(panels):
            ax = fig.add_subplot(grid[k, 0])
            _draw_panel(ax, panel, seconds.get(panel.channel))
            axes.append(ax)
        fig.legend(handles=[
            Patch(facecolor=_BLUES(0.6), edgecolor="white", label="every target met"),
            Patch(facecolor=_REDS(0.6), edgecolor=BREACH_EDGE, linewidth=2,
                  label="a per-interval target missed"),
            Patch(facecolor=EMPTY, edgecolor="white", label="no contacts")],
            loc="outside lower center", ncol=3)
        fig.suptitle(plain(title or "Service per interval of the week"), x=0.01, ha="left",
                     fontsize=18, fontweight="bold")
        for ax in axes:
            _drop_figures_that_overflow(ax)
    return fig


def _drop_figures_that_overflow(ax: Axes) -> None:
    """Cells too narrow for their figures at :data:`CELL_PT` (many intervals a day) keep only
    their colour: the figures are in the caption's worst interval and the tables."""
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    cell = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]
    if any(text.get_window_extent(renderer).width > 0.9 * cell for text in ax.texts):
        for text in list(ax.texts):
            text.remove()


def _draw_panel(ax: Axes, panel: HeatPanel, seconds: float | None) -> None:
    rows = {day: y for y, day in enumerate(panel.days)}
    cols = {start: x for x, start in enumerate(panel.starts)}
    share = panel.colour_by.is_share
    for cell in panel.cells:
        x, y = cols[cell.start], rows[cell.day]
        face: str | tuple[float, float, float, float] = EMPTY
        if cell.breach:
            face = _REDS(0.4 + 0.55 * cell.shade)
        elif cell.value is not None:
            face = _BLUES(0.25 + 0.65 * cell.shade)
        ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=face,
                               edgecolor=BREACH_EDGE if cell.breach else "white",
                               linewidth=2.2 if cell.breach else 1.0,
                               zorder=2 if cell.breach else 1))  # red outlines on top
        if cell.value is not None:
            text = fmt.number(cell.value * 100 if share else cell.value, 0)
            dark = (cell.breach and cell.shade > 0.45) or (not cell.breach and cell.shade > 0.5)
            ax.text(x, y, text, ha="center", va="center", fontsize=CELL_PT,
                    color="white" if dark else INK)
    drawn = {(c.day, c.start) for c in panel.cells}
    for day, y in rows.items():  # the intervals with no contacts to judge
        for start, x in cols.items():
            if (day, start) not in drawn:
                ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=EMPTY,
                                       edgecolor="white", linewidth=1.0))
    ax.set_xlim(-0.5, len(cols) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # Monday on top
    ax.set_yticks(list(rows.values()), [day.title() for day in rows])
    step = max(1, -(-len(cols) // 12))
    ax.set_xticks(list(cols.values())[::step], list(cols)[::step])
    ax.grid(visible=False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    name = guardrail_name(panel.colour_by, seconds)
    lines = [f"{name[0].upper()}{name[1:]} (cells in {'%' if share else 's'}): "
             f"{compliance_text(panel.colour_by, style=fmt.CHART)}"]
    lines += [f"{guardrail_name(c, seconds)}: {compliance_text(c, style=fmt.CHART)}"
              for c in panel.checks if c is not panel.colour_by]
    ax.set_title(plain("\n".join(lines)), fontsize=14)


__all__ = ["HeatCell", "HeatPanel", "caption", "guardrail_name", "heat_panels", "sentences",
           "service_heatmap_figure"]
