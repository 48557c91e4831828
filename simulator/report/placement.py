"""Where a chart's labels go so that they cannot collide: measured, not guessed.

Two tools, both working from matplotlib's own text extents (``get_window_extent`` with the
figure's renderer, after a draw that applies the constrained layout):

- :func:`fit_texts` widens an axes' x range until every label it holds lies inside it, so a
  label beside a bar never runs over the axis, its tick labels or the figure's edge;
- :func:`label_line_ends` writes each series' name at the right of its line, outside the
  data, spread apart vertically when lines end close together, with a leader line in the
  series' colour from the name to the end of its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text

#: space between labels spread apart, and between a label and the axes' edge, in points
GAP_PT = 3.0
#: a text's share of its width kept free beyond it: extents differ a little between resolutions
SLACK = 0.03
#: how often a layout is drawn again before it is taken as settled
ROUNDS = 5


def drawn(fig: Figure) -> RendererBase:
    """The figure drawn (its layout applied) and the renderer that drew it."""
    fig.canvas.draw()
    return fig.canvas.get_renderer()  # type: ignore[attr-defined, no-any-return]


def _anchor_x(text: Text) -> float:
    """The data x a text is placed from: an annotation's point, a text's position."""
    return float(text.xy[0] if isinstance(text, Annotation) else text.get_position()[0])


def _span_needed(lo: float, hi: float, anchors: Sequence[tuple[float, float, float]]) -> \
        tuple[float, float]:
    """The narrowest limits, no narrower than ``(lo, hi)``, that hold every text: each anchor
    ``(x, left, right)`` needs ``left`` of the axes' width before it and ``right`` after it."""
    def limits(span: float) -> tuple[float, float]:
        return (min(lo, *(x - a * span for x, a, _b in anchors)),
                max(hi, *(x + b * span for x, _a, b in anchors)))

    small, big = hi - lo, (hi - lo) * 64
    if limits(big)[1] - limits(big)[0] > big:  # a text wider than the axes: do what can be done
        return limits(big)
    for _ in range(60):  # bisection on the span: the limits it needs grow slower than it does
        middle = (small + big) / 2
        low, high = limits(middle)
        small, big = (middle, big) if high - low > middle else (small, middle)
    return limits(big)


def fit_texts(ax: Axes, texts: Sequence[Text], pad_px: float = 6.0) -> None:
    """Widen the x range of ``ax`` until every text in ``texts`` lies inside it (by ``pad_px``).

    The texts are placed from a data x (with offsets in points, which do not scale), so each
    needs a fixed share of the axes' width on either side of its anchor; the narrowest limits
    that give every one its share are solved for, and the figure drawn again until the layout
    (which moves the axes' edges as tick labels change) has settled.
    """
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    for text in texts:  # kept inside the axes here, so the layout need not make room for them
        text.set_in_layout(False)
    for _ in range(ROUNDS):
        renderer = drawn(fig)
        area = ax.get_window_extent(renderer)
        width = max(area.width, 1.0)
        anchors = []
        outside = False
        for text in texts:
            if not text.get_text():
                continue
            box = Text.get_window_extent(text, renderer)
            x = _anchor_x(text)
            at = float(ax.transData.transform((x, 0.0))[0])
            # text extents shift by a few per cent with the resolution drawn at (hinting): room
            # for that, so the text fits in the page's SVG, a PNG and on a projector alike
            pad = pad_px + SLACK * box.width
            anchors.append((x, (at - box.x0 + pad) / width, (box.x1 - at + pad) / width))
            outside |= box.x0 < area.x0 + pad_px - 0.5 or box.x1 > area.x1 - pad_px + 0.5
        if not outside:
            return
        ax.set_xlim(*_span_needed(*ax.get_xlim(), anchors))


@dataclass(frozen=True)
class LineEnd:
    """The end of one series: where its line stops (data), its name and its colour."""

    x: float
    y: float
    name: str
    colour: str


def spread(wanted: Sequence[float], heights: Sequence[float], low: float, high: float,
           gap: float) -> list[float]:
    """Centres as near ``wanted`` as they can be with no two of ``heights`` overlapping (a
    ``gap`` between), kept between ``low`` and ``high`` while they fit; in ``wanted``'s
    order."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    at = [0.0] * len(wanted)
    previous_top = -float("inf")
    for i in order:  # upwards: each clear of the one below
        half = heights[i] / 2
        at[i] = max(wanted[i], low + half, previous_top + gap + half)
        previous_top = at[i] + half
    next_bottom = float("inf")
    for i in reversed(order):  # downwards: back under the top, still clear of the one above
        half = heights[i] / 2
        at[i] = min(at[i], high - half, next_bottom - gap - half)
        next_bottom = at[i] - half
    return at


def label_line_ends(fig: Figure, panels: Sequence[tuple[Axes, Sequence[LineEnd]]],
                    fontsize: float = 13) -> list[Annotation]:
    """In each panel, each series' name right of the axes at the height its line ends, spread
    apart so no two names touch, joined to the line's end by a thin leader in its colour."""
    placed: list[tuple[Axes, list[LineEnd], list[Annotation]]] = []
    for ax, ends in panels:
        labels = [ax.annotate(end.name, (end.x, end.y), xytext=(1.0, 0.5),
                              textcoords="axes fraction", ha="left", va="center",
                              fontsize=fontsize, color=end.colour, fontweight="bold",
                              annotation_clip=False,
                              arrowprops={"arrowstyle": "-", "color": end.colour,
                                          "linewidth": 1.2, "shrinkA": 2, "shrinkB": 0,
                                          "relpos": (0.0, 0.5)})
                  for end in ends]
        placed.append((ax, list(ends), labels))
    for _ in range(2):  # the layout makes room for the names, then they are spread in it
        renderer = drawn(fig)
        points = fig.dpi / 72
        for ax, ends, labels in placed:
            area = ax.get_window_extent(renderer)
            heights = [Text.get_window_extent(label, renderer).height for label in labels]
            wanted = [float(ax.transData.transform((end.x, end.y))[1]) for end in ends]
            centres = spread(wanted, heights, area.y0, area.y1, GAP_PT * points)
            for label, centre in zip(labels, centres, strict=True):
                label.set_position((1.0 + 2 * GAP_PT * points / area.width,
                                    (centre - area.y0) / max(area.height, 1.0)))
    return [label for _, _, labels in placed for label in labels]
