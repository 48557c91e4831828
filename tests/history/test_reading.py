"""The first reader of interval exports: canonical columns in, one tidy History out."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.history.reading import ExportProblem, read_exports
from simulator.history.table import COLUMNS

ROWS = """start,queue,offered,answered,abandoned,handle_seconds,agents
2026-03-02 08:30,sales,40,37,3,290.5,6
2026-03-02 08:00,sales,30,29,1,301.0,6
2026-03-02 08:00,billing,12,12,0,412.0,3
"""


def test_an_export_is_read_sorted_with_its_interval_length(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(ROWS)
    history = read_exports([path])
    assert list(history.frame.columns) == list(COLUMNS)
    assert history.interval_minutes == 30
    assert history.queues == ("billing", "sales")
    assert list(history.frame["offered"]) == [12, 30, 40]
    assert history.known("agents")
    assert not history.known("asa_seconds")


def test_mapped_headers_are_read_and_unknown_ones_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(ROWS.replace("offered", "Calls Offered", 1))
    assert read_exports([path], {"offered": "Calls Offered"}).frame["offered"].sum() == 82
    with pytest.raises(ExportProblem, match="no column for offered"):
        read_exports([path])
    path.write_text(ROWS.replace("agents", "agnets", 1))
    with pytest.raises(ExportProblem, match="unknown column 'agnets'"):
        read_exports([path])
