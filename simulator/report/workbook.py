"""Tables as one spreadsheet workbook (``result.xlsx``), written with openpyxl.

The first sheet, ``about``, says what was run and how the figures are counted (the convention
line); then one sheet per table, its header row bold and frozen, columns as wide as their
contents, numbers stored as numbers with a number format that shows them as every other output
does (``#,##0`` for volumes and money per period, ``#,##0.00`` per contact, ``0.0`` for
percentages, hours, minutes and seconds).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd

#: the number format of a column, by how its name ends or what it holds (first match wins)
_FORMATS: tuple[tuple[str, str], ...] = (
    ("_pct", "0.0"), ("_pct_pm95", "0.0"),
    ("cost_per_contact", "#,##0.00"), ("per_assisted_contact", "#,##0.00"),
    ("per_resolved_contact", "#,##0.00"), ("cost_per_", "#,##0"),
    ("_hours", "#,##0.0"), ("_minutes", "#,##0.0"), ("_seconds", "#,##0.0"),
    ("_agents", "#,##0.0"), ("_contacts", "#,##0.0"), ("agents_on_floor", "#,##0.0"),
    ("_per_open_day", "#,##0"),
)
#: when the workbook says it was made: fixed, so the same result gives the same workbook
_MADE = datetime(2000, 1, 1)


def number_format(column: str, frame: pd.DataFrame | None = None) -> str:
    """The number format of a column by its name (``General`` when none fits). In an interval
    table volumes per open day have one decimal (they are small)."""
    name = column.removesuffix("_pm95")
    if frame is not None and "start" in frame.columns and name.endswith("_per_open_day"):
        return "#,##0.0"
    for part, code in _FORMATS:
        if part in name:
            return code
    return "General"


def _value(cell: Any) -> Any:
    """A table cell as openpyxl stores it: None for a missing number, plain Python types."""
    if cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell)):
        return None
    if hasattr(cell, "item"):  # a numpy scalar
        return cell.item()
    return cell


def to_xlsx(frames: Mapping[str, pd.DataFrame], about: Sequence[tuple[str, str]]) -> bytes:
    """A workbook of the tables (one sheet each, by name) after an ``about`` sheet of
    ``(what, value)`` rows; its bytes."""
    from openpyxl import Workbook  # imported on use: only a workbook needs it
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "about"
    for what, value in about:
        sheet.append([what, value])
    for cell in sheet["A"]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = min(100, max((len(v) for _, v in about), default=10) + 2)
    for name, frame in frames.items():
        page = book.create_sheet(name[:31])
        page.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            page.append([_value(v) for v in row])
        for cell in page[1]:
            cell.font = Font(bold=True)
        page.freeze_panes = "A2"
        for j, column in enumerate(frame.columns, 1):
            code = number_format(str(column), frame)
            letter = get_column_letter(j)
            for (cell,) in page.iter_rows(min_row=2, min_col=j, max_col=j):
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.number_format = code
            cells = [_value(v) for v in frame[column]]
            longest = max([len(str(column)), *(len(f"{v:,.2f}") if isinstance(v, float)
                                                else len(str(v)) for v in cells if v is not None)])
            page.column_dimensions[letter].width = min(60, longest + 2)
    book.properties.created = book.properties.modified = _MADE
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
