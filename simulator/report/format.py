"""One formatting core: numbers, units and intervals as every report writes them.

Pure functions of plain numbers (``float`` or ``None``), module level, no document shapes: the
caller takes a statistic apart (its mean, the half-width of its 95 % interval) and says what
kind of figure it is. A missing value — ``None``, NaN or an infinity — is written "–".

The rules are the same on every surface; what differs is typography, a :class:`Style`:

- :data:`PAGE` (the HTML report): a true minus "−", "80.1 %", "6.64 ± 0.05", and never a
  negative zero (a change of −0.001 is "+0.00", not "−0.00").
- :data:`TERMINAL` (rich tables, plain text): "-", "80.1%", "6.64 ±0.05", and a negative zero
  kept as the terminal tables write it today ("-0.00").
- :data:`CHART` (matplotlib labels): as the page, but keeping a negative zero as the charts write
  it today ("−0.00").

Kinds of figure (:data:`Kind`), each with its precision and that of its half-width:

========  =========================================  ==================  ==================
kind      what                                       value               half-width
========  =========================================  ==================  ==================
money     money per contact, to the cent             ``6.64``            ``0.05``
whole     money in whole units (totals per period)   ``1,196,657``       ``754``
pct       a share (0.801), as a percentage           ``80.1 %``          ``1.2`` (points)
          … signed: a change in percentage points    ``+1.2 pts``        ``1.2``
count     a count                                    ``1,234``           ``12``; signed ``12.3``
num       seconds, minutes, hours, other measures    ``12.3``            ``0.4``
========  =========================================  ==================  ==================
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Literal

#: how a missing value is written
MISSING = "–"


@dataclass(frozen=True)
class Style:
    """How a surface writes a number (the rules stay the same)."""

    minus: str = "−"  # U+2212 on a page and in a chart; "-" in a terminal
    percent: str = " %"  # what follows a percentage: "80.1 %", or "80.1%"
    plus_minus: str = " ± "  # between an estimate's value and its half-width
    negative_zero: bool = False  # True: a tiny negative keeps its sign ("-0.00")


PAGE = Style()
TERMINAL = Style(minus="-", percent="%", plus_minus=" ±", negative_zero=True)
CHART = Style(negative_zero=True)

Kind = Literal["money", "whole", "pct", "count", "num"]


def printable(text: str) -> str:
    """``text`` with every control character written as its escape (ESC as ``\\x1b``), so a
    name from a file cannot clear, recolour or move a terminal; new lines and tabs stay."""
    return "".join(c.encode("unicode_escape").decode("ascii")
                   if c not in "\n\t" and (unicodedata.category(c) == "Cc"
                                            or "\u202a" <= c <= "\u202e"
                                            or "\u2066" <= c <= "\u2069")
                   else c for c in text)


def finite(value: float | None) -> float | None:
    """The value as a float, or None when it is missing (None, NaN, an infinity)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


# ---------------------------------------------------------------------------- numbers
def number(value: float | None, decimals: int | None = 1, *, signed: bool = False,
           thousands: bool = True, style: Style = PAGE) -> str:
    """A number with ``decimals`` decimals (None: as written, the shortest form like ``%g``),
    thousands separated by commas, a sign when ``signed``."""
    x = finite(value)
    if x is None:
        return MISSING
    sign = "+" if signed else ""
    if decimals is None:
        if not style.negative_zero:
            x += 0.0
        text = f"{x:{sign}g}"
    else:
        if not style.negative_zero:
            x = round(x, decimals) + 0.0  # what rounds to zero is zero, without a sign
        text = f"{x:{sign}{',' if thousands else ''}.{decimals}f}"
    return text.replace("-", style.minus)


def money_cents(value: float | None, *, signed: bool = False, style: Style = PAGE) -> str:
    """Money per contact, to the cent: ``6.64``, ``1,234.50``; ``signed``: ``+0.28``."""
    return number(value, 2, signed=signed, style=style)


def money_whole(value: float | None, *, signed: bool = False, style: Style = PAGE) -> str:
    """Money in whole units (a total per period): ``1,196,657``; ``signed``: ``−67,912``."""
    return number(value, 0, signed=signed, style=style)


def count(value: float | None, *, signed: bool = False, style: Style = PAGE) -> str:
    """A count (or a mean count) in whole numbers with thousands separated: ``12,345``."""
    return number(value, 0, signed=signed, style=style)


def percent(share: float | None, decimals: int | None = 1, *, signed: bool = False,
            style: Style = PAGE) -> str:
    """A share as a percentage, ``0.801`` -> ``80.1 %``; ``signed``: a change in percentage
    points, ``+1.2 pts``. ``decimals`` None: as written (a target, ``80 %``)."""
    x = finite(share)
    if x is None:
        return MISSING
    text = number(x * 100, decimals, signed=signed, thousands=False, style=style)
    return text + (" pts" if signed else style.percent)


def seconds(value: float | None, decimals: int | None = 1, *, unit: bool = False,
            signed: bool = False, style: Style = PAGE) -> str:
    """Seconds: ``12.3``; ``unit``: ``12.3 s``; ``decimals`` None: as written (``20 s``)."""
    return _with_unit(number(value, decimals, signed=signed, style=style), " s", unit)


def minutes(value: float | None, decimals: int | None = 1, *, unit: bool = False,
            signed: bool = False, style: Style = PAGE) -> str:
    """Minutes: ``42.5``; ``unit``: ``42.5 min``."""
    return _with_unit(number(value, decimals, signed=signed, style=style), " min", unit)


def hours(value: float | None, decimals: int | None = 1, *, unit: bool = False,
          signed: bool = False, style: Style = PAGE) -> str:
    """Hours: ``7.5``; ``unit``: ``7.5 h``; ``decimals`` None: as written (``24 h``)."""
    return _with_unit(number(value, decimals, signed=signed, style=style), " h", unit)


def _with_unit(text: str, unit: str, show: bool) -> str:
    return text + unit if show and text != MISSING else text


def clock(hours_since_midnight: float | None) -> str:
    """A time of day, ``8.5`` -> ``08:30`` (to the nearest minute)."""
    x = finite(hours_since_midnight)
    if x is None:
        return MISSING
    total = round(x * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def multiplier(value: float | None, *, significant: int | None = None,
               style: Style = PAGE) -> str:
    """A scale factor and the change it makes, ``0.9`` -> ``×0.90 (−10 %)`` (two decimals, or
    ``significant`` digits: ``×0.9``)."""
    x = finite(value)
    if x is None:
        return MISSING
    if significant is None:
        factor = number(x, 2, thousands=False, style=style)
    else:
        factor = f"{x:.{significant}g}".replace("-", style.minus)
    change = number((x - 1) * 100, 0, signed=True, thousands=False, style=style)
    return f"×{factor} ({change} %)"


def ordinal(percentile: float) -> str:
    """10 -> ``10th``, 2.5 -> ``2.5th``."""
    value = float(percentile)
    if value.is_integer() and int(value) % 100 not in (11, 12, 13):
        return f"{int(value)}" + {1: "st", 2: "nd", 3: "rd"}.get(int(value) % 10, "th")
    return f"{value:g}th"


def csv_number(value: float | None) -> str:
    """A number in a CSV file: every digit (``repr``), or empty when missing."""
    x = finite(value)
    return "" if x is None else repr(x)


# ---------------------------------------------------------------------------- estimates
def value_text(value: float | None, kind: Kind, *, signed: bool = False,
               style: Style = PAGE) -> str:
    """A figure of a kind (see the table above)."""
    if kind == "pct":
        return percent(value, signed=signed, style=style)
    if kind == "money":
        return money_cents(value, signed=signed, style=style)
    if kind in ("whole", "count"):
        return number(value, 0, signed=signed, style=style)
    return number(value, 1, signed=signed, style=style)


_HALF_DECIMALS = {"money": 2, "whole": 0, "pct": 1, "num": 1}


def half_text(half: float | None, kind: Kind, *, signed: bool = False) -> str | None:
    """The half-width of a figure's interval, without "±" (None when it has none): as many
    decimals as the figure, a share's in points (``1.2``), a count's to one decimal when it is a
    difference (it is often below 1)."""
    h = finite(half)
    if h is None:
        return None
    h = abs(h)
    if kind == "pct":
        return f"{h * 100:.1f}"
    decimals = (1 if signed else 0) if kind == "count" else _HALF_DECIMALS[kind]
    return f"{h:,.{decimals}f}"


def estimate_parts(mean: float | None, half: float | None, kind: Kind, *, signed: bool = False,
                   style: Style = PAGE) -> tuple[str, str | None]:
    """An estimate's value and half-width as written (``("–", None)`` when the mean is
    missing)."""
    if finite(mean) is None:
        return MISSING, None
    return value_text(mean, kind, signed=signed, style=style), half_text(half, kind,
                                                                          signed=signed)


def estimate(mean: float | None, half: float | None, kind: Kind, *, signed: bool = False,
             style: Style = PAGE) -> str:
    """An estimate as "mean ± half-width" (``6.64 ± 0.05``), the mean alone when it has no
    interval, "–" when it is missing."""
    value, half_width = estimate_parts(mean, half, kind, signed=signed, style=style)
    return value if half_width is None else value + style.plus_minus + half_width


def difference(mean: float | None, half: float | None, kind: Kind, *,
               style: Style = PAGE) -> str:
    """A paired difference, always signed: ``−0.28 ± 0.01``, ``+2.2 pts ± 1.7``."""
    return estimate(mean, half, kind, signed=True, style=style)


__all__ = [
    "CHART", "DECIMALS", "MISSING", "PAGE", "TERMINAL", "Kind", "Style", "clock", "convention",
    "count", "csv_number",
    "difference", "estimate", "estimate_parts", "finite", "half_text", "hours", "minutes",
    "money_cents", "money_whole", "multiplier", "number", "ordinal", "percent", "seconds",
    "shown", "value_text",
]


#: the days of the week in order, as scenario files name them
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: what an interval of so many minutes is called in a sentence ("met in 41 of 48 half-hours")
INTERVAL_WORDS = {15: "quarter-hours", 30: "half-hours", 60: "hours"}


def days(names: tuple[str, ...] | list[str]) -> str:
    """Weekdays as a reader writes them: "Mon", "Thu–Fri", "Mon–Sat", "Mon, Wed"."""
    order = sorted(names, key=WEEKDAYS.index)
    if not order:
        return ""
    idx = [WEEKDAYS.index(d) for d in order]
    if len(order) > 1 and idx == list(range(idx[0], idx[-1] + 1)):
        return f"{order[0].title()}–{order[-1].title()}"
    return ", ".join(d.title() for d in order)


def compliance(intervals_met: int, intervals_judged: int, interval_minutes: int,
               worst: tuple[tuple[str, ...] | list[str], str, float | None] | None,
               kind: Kind, *, style: Style = PAGE) -> str:
    """A per-interval verdict in words: "met in 130 of 144 half-hours, worst Mon 18:30
    38.2 %" (``worst``: the worst interval's days, start and value)."""
    unit = INTERVAL_WORDS.get(interval_minutes, f"{interval_minutes}-minute intervals")
    text = f"met in {intervals_met:,} of {intervals_judged:,} {unit}"
    if worst is not None:
        when, start, value = worst
        unit_of_value = " s" if kind == "num" else ""
        text += (f", worst {days(tuple(when))} {start} "
                 f"{value_text(value, kind, style=style)}{unit_of_value}")
    return text


# ---------------------------------------------------------------------------- the convention
#: decimals a figure of each kind is shown with, everywhere (tables, tidy CSV, workbook, page)
DECIMALS: dict[Kind, int] = {"money": 2, "whole": 0, "pct": 1, "count": 0, "num": 1}


def shown(value: float | None, kind: Kind) -> float | None:
    """A figure as every output shows it, as a number: rounded to its kind's decimals, a share
    as a percentage (``0.8012`` -> ``80.1``); None when missing. The tidy CSVs and the workbook
    hold these numbers, so they agree with the tables digit for digit."""
    x = finite(value)
    if x is None:
        return None
    return round(x * 100 if kind == "pct" else x, DECIMALS[kind]) + 0.0


def convention(currency: str, period: str) -> str:
    """The line at the top of every output that says how its figures are counted."""
    return (f"volumes and hours per open day · {currency} per {period}, per contact to the "
            "cent · ± 95 % interval")
