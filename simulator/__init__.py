"""ccsim: a contact-centre what-if simulator.

For a notebook: :func:`tables` gives a run's (or a comparison's) tidy tables as pandas
DataFrames, the very tables ``--out`` writes as CSV and ``--format xlsx`` as a workbook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from simulator.results.run import RunResult
    from simulator.results.studies import ComparisonResult


def tables(result: RunResult | ComparisonResult) -> dict[str, pd.DataFrame]:
    """A result's tables by name, volumes per open day, money per period, units in the column
    names (docs/units.md): a run's ``channels``, ``groups``, ``costs``, ``intervals``; a
    comparison's ``summary`` and ``differences`` too, each table with a ``scenario`` column."""
    from simulator.report import tables as tidy  # on use: pandas is slow to import
    from simulator.results.run import RunResult

    if isinstance(result, RunResult):
        return tidy.tables(result)
    return tidy.comparison_tables(result)


__all__ = ["tables"]
