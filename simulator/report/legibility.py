"""Whether a chart can be read from the back of a room: the text boxes of a drawn figure, the
pairs that collide, the texts cut off at the figure's edge or drawn too small, the legends
over the data.

A figure is measured as a projector shows it: scaled to :data:`PROJECTOR_PX` pixels wide
(1280 × 720, the usual beamer), where no text may be smaller than :data:`SMALLEST_PX`
pixels. The boxes are matplotlib's own (``get_window_extent`` with the figure's renderer
after a draw), so what is measured is what the SVG and PNG show. The rules are in
docs/charts.md; the tests draw every chart from small results and hold it to them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from matplotlib.axis import Axis
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from simulator.report.charts import style

#: the width of a projected slide, in pixels
PROJECTOR_PX = 1280
#: the smallest text a room can read at that width (about 11 pt at 96 dpi), in pixels
SMALLEST_PX = 15.0
#: boxes may touch: they collide when they share more than this, in pixels each way
TOUCH_PX = 1.0


@dataclass(frozen=True)
class TextBox:
    """One visible text of a drawn figure and where it is, in display pixels."""

    text: str
    box: Bbox
    size_pt: float
    artist: Text

    def __str__(self) -> str:
        first = self.text.splitlines()[0] if self.text else ""
        return f"{first!r} at ({self.box.x0:.0f}, {self.box.y0:.0f})"


def dpi_at_projector(fig: Figure) -> float:
    """The resolution at which the figure is :data:`PROJECTOR_PX` pixels wide."""
    return PROJECTOR_PX / float(fig.get_figwidth())


def pixels_at_projector(fig: Figure, size_pt: float) -> float:
    """How tall text of ``size_pt`` points is once the figure is scaled to the projector."""
    return size_pt * dpi_at_projector(fig) / 72


def _drawn_tick_labels(axis: Axis) -> Iterator[Text]:
    """The tick labels the axis draws: those of its current ticks inside its view."""
    low, high = sorted(axis.get_view_interval())
    tolerance = (high - low) * 1e-9
    for minor in (False, True):
        locs = axis.get_minorticklocs() if minor else axis.get_majorticklocs()
        ticks = axis.get_minor_ticks(len(locs)) if minor else axis.get_major_ticks(len(locs))
        for tick in ticks[:len(locs)]:
            if low - tolerance <= tick.get_loc() <= high + tolerance:
                yield tick.label1
                yield tick.label2


def _texts(fig: Figure) -> Iterator[Text]:
    """Every text artist the figure draws: titles, axis and tick labels, texts, annotations,
    legend texts and titles, the figure's own titles."""
    seen: set[int] = set()
    axes = [ax for ax in fig.axes if ax.get_visible()]
    ticks = {id(label) for ax in axes for axis in (ax.xaxis, ax.yaxis)
             for label in _drawn_tick_labels(axis)}
    hidden = {id(label) for ax in fig.axes if not ax.get_visible()
              for label in ax.findobj(Text)}
    every_tick = {id(label) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
                  for tick in (*axis.get_major_ticks(), *axis.get_minor_ticks())
                  for label in (tick.label1, tick.label2)}
    for artist in fig.findobj(Text):
        key = id(artist)
        if key in seen or key in hidden or (key in every_tick and key not in ticks):
            continue
        seen.add(key)
        if not artist.get_visible() or not artist.get_text().strip():
            continue
        if artist.get_alpha() == 0:
            continue
        legend = _legend_of(fig, artist)
        if legend is not None and not legend.get_visible():
            continue
        yield artist


def _legend_of(fig: Figure, artist: Text) -> Legend | None:
    for legend in _legends(fig):
        if artist in legend.get_texts() or artist is legend.get_title():
            return legend
    return None


def _legends(fig: Figure) -> list[Legend]:
    own = [legend for ax in fig.axes if (legend := ax.get_legend()) is not None]
    return [*fig.legends, *own]


def renderer_of(fig: Figure) -> RendererBase:
    """The figure drawn once (layout applied) and the renderer that drew it."""
    with style():  # ticks made while drawing take the projector's type sizes
        fig.canvas.draw()
    return fig.canvas.get_renderer()  # type: ignore[attr-defined, no-any-return]


def text_boxes(fig: Figure) -> list[TextBox]:
    """The window extent of every visible text of the figure, drawn first."""
    renderer = renderer_of(fig)
    boxes = []
    for artist in _texts(fig):
        box = Text.get_window_extent(artist, renderer)  # an annotation's text, not its arrow
        if box.width <= 0 or box.height <= 0 or not all(
                math.isfinite(v) for v in box.extents):
            continue
        boxes.append(TextBox(artist.get_text(), box, float(artist.get_fontsize()), artist))
    return boxes


def collisions(boxes: list[TextBox], touch: float = TOUCH_PX) -> list[tuple[TextBox, TextBox]]:
    """Pairs of texts whose boxes share more than ``touch`` pixels each way."""
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            wide = min(a.box.x1, b.box.x1) - max(a.box.x0, b.box.x0)
            tall = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
            if wide > touch and tall > touch:
                pairs.append((a, b))
    return pairs


def cut_off(fig: Figure, boxes: list[TextBox], touch: float = TOUCH_PX) -> list[TextBox]:
    """Texts that reach past the figure's edge (and would be clipped when it is shown)."""
    edge = fig.bbox
    return [b for b in boxes if b.box.x0 < edge.x0 - touch or b.box.y0 < edge.y0 - touch
            or b.box.x1 > edge.x1 + touch or b.box.y1 > edge.y1 + touch]


def too_small(fig: Figure, boxes: list[TextBox], smallest: float = SMALLEST_PX) -> list[TextBox]:
    """Texts smaller than ``smallest`` pixels once the figure is :data:`PROJECTOR_PX` wide."""
    return [b for b in boxes if pixels_at_projector(fig, b.size_pt) < smallest - 1e-9]


def legends_over_data(fig: Figure, touch: float = TOUCH_PX) -> list[Legend]:
    """Legends drawn inside an axes (over its data) rather than beside or under it."""
    renderer = renderer_of(fig)
    out = []
    for legend in _legends(fig):
        if not legend.get_visible():
            continue
        box = legend.get_window_extent(renderer)
        for ax in fig.axes:
            if not ax.get_visible():
                continue
            area = ax.get_window_extent(renderer)
            wide = min(box.x1, area.x1) - max(box.x0, area.x0)
            tall = min(box.y1, area.y1) - max(box.y0, area.y0)
            if wide > touch and tall > touch:
                out.append(legend)
                break
    return out


@dataclass(frozen=True)
class Legibility:
    """What is wrong with a figure at projector size (every list empty: nothing)."""

    texts: int
    collisions: list[tuple[TextBox, TextBox]]
    cut_off: list[TextBox]
    too_small: list[TextBox]
    legends_over_data: list[Legend]

    @property
    def problems(self) -> list[str]:
        return ([f"{a} overlaps {b}" for a, b in self.collisions]
                + [f"{b} runs past the figure's edge" for b in self.cut_off]
                + [f"{b} is {b.size_pt:g} pt: under {SMALLEST_PX:g} px at {PROJECTOR_PX} px"
                   for b in self.too_small]
                + [f"a legend ({', '.join(t.get_text() for t in legend.get_texts())[:60]}) "
                   "lies over the data" for legend in self.legends_over_data])


def legibility(fig: Figure, dpi: float | None = None) -> Legibility:
    """Every check of the module on one figure, drawn at ``dpi`` (by default the projector's:
    :data:`PROJECTOR_PX` wide; the page's SVG is drawn at 72). Text extents differ a little
    between resolutions (hinting), so what is measured is drawn at the size it is shown."""
    kept = fig.dpi
    fig.set_dpi(dpi or dpi_at_projector(fig))
    try:
        with style():
            boxes = text_boxes(fig)
            return Legibility(len(boxes), collisions(boxes), cut_off(fig, boxes),
                              too_small(fig, boxes), legends_over_data(fig))
    finally:
        fig.set_dpi(kept)
