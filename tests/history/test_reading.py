"""The export reader: headers mapped by default and by --column, times in seconds or h:mm:ss,
and every kind of bad export refused with its file, row (header = row 1) and column."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from simulator.history import reading
from simulator.history.reading import ExportProblem, read_exports
from simulator.history.table import COLUMNS

HEADER = "Interval Start,Skill,Calls Offered,Handled,Abandons,AHT,Answered Within SL,ASA,Agents"
GOOD = [
    "2026-03-02 08:00,sales,30,29,1,301,25,12,6",
    "2026-03-02 08:30,sales,40,37,3,290.5,30,15,6.5",
    "2026-03-02 09:00,sales,35,35,0,0:05:10,35,3,7",
    "2026-03-02 08:00,billing,12,12,0,412,10,4,3",
    "2026-03-02 08:30,billing,10,9,1,400,9,8,3",
]


def export(tmp_path: Path, rows: list[str] = GOOD, header: str = HEADER,
           name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def refused(path: Path | list[Path], *parts: str, **kwargs: object) -> str:
    """The message of the refusal, checked to hold every part (the file name first)."""
    paths = path if isinstance(path, list) else [path]
    with pytest.raises(ExportProblem) as caught:
        read_exports(paths, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"
    return message


def test_common_headers_are_read_and_sorted_with_the_interval_length(tmp_path: Path) -> None:
    history = read_exports([export(tmp_path)])
    assert list(history.frame.columns) == list(COLUMNS)
    assert history.interval_minutes == 30
    assert history.queues == ("billing", "sales")
    assert list(history.frame["offered"]) == [12, 30, 10, 40, 35]
    assert history.frame["handle_seconds"].iloc[-1] == 310.0  # 0:05:10
    assert history.known("agents")
    assert history.known("asa_seconds")
    assert not history.known("short_abandons")


def test_headers_are_compared_without_case_spaces_or_punctuation(tmp_path: Path) -> None:
    header = "INTERVAL_START,queue-name,calls offered,HANDLED,abandoned,Avg. Handle Time"
    rows = ["2026-03-02 08:00,a,3,2,1,100", "2026-03-02 08:15,a,4,4,0,120"]
    history = read_exports([export(tmp_path, rows, header)])
    assert history.interval_minutes == 15
    assert list(history.frame["answered"]) == [2, 4]


def test_date_and_time_in_two_columns_and_a_total_handle_time(tmp_path: Path) -> None:
    header = "Date,Time,Queue,Offered,Answered,Abandoned,Total Handle Time"
    rows = ["03/02/2026,8:00 AM,a,3,2,1,200", "03/02/2026,9:00 AM,a,4,4,0,0:08:00",
            "03/13/2026,8:00 AM,a,0,0,0,0"]
    frame = read_exports([export(tmp_path, rows, header)]).frame
    assert list(frame["start"]) == [pd.Timestamp("2026-03-02 08:00"),
                                    pd.Timestamp("2026-03-02 09:00"),
                                    pd.Timestamp("2026-03-13 08:00")]
    assert list(frame["handle_seconds"])[:2] == [100.0, 120.0]  # total ÷ answered
    assert pd.isna(frame["handle_seconds"].iloc[2])  # nothing answered: no mean


def test_column_option_maps_a_header_and_ignore_leaves_one_out(tmp_path: Path) -> None:
    path = export(tmp_path, header=HEADER.replace("Calls Offered", "Presented"))
    refused(path, "row 1, column 3 'Presented': unknown column", "--column NAME=")
    history = read_exports([path], {"offered": "Presented"})
    assert history.frame["offered"].sum() == 127
    path = export(tmp_path, [row + ",x" for row in GOOD], HEADER + ",Max Delay")
    refused(path, "column 10 'Max Delay': unknown column")
    assert read_exports([path], ignored=["max delay"]).frame["offered"].sum() == 127
    refused(path, "unknown name 'offerd'", columns={"offerd": "x"})


def test_two_columns_for_one_meaning_are_refused(tmp_path: Path) -> None:
    path = export(tmp_path, [row + ",1" for row in GOOD], HEADER + ",Contacts Offered")
    refused(path, f"{path}: row 1, columns 'Calls Offered' and 'Contacts Offered' both give offered")


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    header = HEADER.replace(",Abandons", "")
    rows = [re.sub(r"^((?:[^,]*,){4})[^,]*,", r"\1", row) for row in GOOD]
    refused(export(tmp_path, rows, header), "export.csv: row 1: no column for abandoned")


@pytest.mark.parametrize(("row", "where", "what"), [
    ("2026-03-02 8h30,sales,40,37,3,290,30,15,6", "column 'Interval Start' (start)",
     "is not a date and time"),
    ("2026-03-02 08:30,sales,forty,37,3,290,30,15,6", "column 'Calls Offered' (offered)",
     "'forty' is not a number"),
    ("2026-03-02 08:30,sales,40,37,3,5 min,30,15,6", "column 'AHT' (handle_seconds)",
     "is not a time"),
    ("2026-03-02 08:30,sales,40,-1,3,290,0,15,6", "column 'Handled' (answered)", "is negative"),
    ("2026-03-02 08:30,sales,40.5,37,3,290,30,15,6", "column 'Calls Offered' (offered)",
     "not a whole number"),
    ("2026-03-02 08:30,sales,,37,3,290,30,15,6", "column 'Calls Offered' (offered)", "empty"),
    ("2026-03-02 08:30,sales,40,41,0,290,30,15,6", "column 'Handled' (answered)",
     "more answered than offered"),
    ("2026-03-02 08:30,sales,40,37,4,290,30,15,6", "column 'Abandons' (abandoned)",
     "answered + abandoned is more than offered"),
    ("2026-03-02 08:30,sales,40,37,3,290,38,15,6", "column 'Answered Within SL' "
     "(answered_within)", "more answered within the threshold than answered"),
    ("2026-03-02 08:30,,40,37,3,290,30,15,6", "column 'Skill' (queue)", "empty"),
])
def test_a_bad_value_is_refused_with_its_row_and_column(tmp_path: Path, row: str, where: str,
                                                         what: str) -> None:
    rows = [*GOOD[:1], row, *GOOD[2:]]
    refused(export(tmp_path, rows), f"export.csv: row 3, {where}: ", what)


def test_the_row_is_the_spreadsheets_even_after_blank_lines(tmp_path: Path) -> None:
    rows = [GOOD[0], "", GOOD[1].replace(",40,", ",4x,"), *GOOD[2:]]
    refused(export(tmp_path, rows), "row 4, column 'Calls Offered'")


def test_a_duplicate_interval_and_queue_is_refused_across_files(tmp_path: Path) -> None:
    first = export(tmp_path, GOOD[:3], name="march.csv")
    second = export(tmp_path, GOOD[1:2], name="again.csv")
    refused([first, second], "row 2, column 'Interval Start': queue 'sales' at 2026-03-02 08:30 twice",
            "march.csv row 3")


def test_interval_grids_mixed_lengths_and_missing_intervals(tmp_path: Path) -> None:
    off = [*GOOD[:2], GOOD[2].replace("09:00", "09:10"), *GOOD[3:]]
    refused(export(tmp_path, off), "row 4, column 'Interval Start': 09:10:00 is off the 30-minute grid")
    mixed = [*GOOD[:3], GOOD[3], GOOD[4].replace("08:30", "09:00"),
             GOOD[4].replace("08:30", "10:00")]
    refused(export(tmp_path, mixed), "row 6, column 'Interval Start': mixed interval lengths: queue "
            "'billing' has 60-minute intervals, others 30-minute")
    hole = [*GOOD, GOOD[0].replace("08:00", "10:00")]
    refused(export(tmp_path, hole), "row 7, column 'Interval Start': missing intervals inside "
            "a day: queue 'sales' has no row for 2026-03-02 09:30 to 10:00")
    odd = [GOOD[3], GOOD[4].replace("08:30", "08:20")]
    refused(export(tmp_path, odd), "intervals of 20 minutes; allowed: 15, 30 or 60")


def test_bounds_on_size_and_rows_are_stated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    path = export(tmp_path)
    monkeypatch.setattr(reading, "MAX_EXPORT_ROWS", 4)
    refused(path, "export.csv: more than 4 rows; an export may have at most 4")
    monkeypatch.setattr(reading, "MAX_CSV_BYTES", 100)
    refused(path, "export.csv: file too large: an export may have at most")


def test_text_that_is_not_utf8_names_its_row_and_column(tmp_path: Path) -> None:
    path = export(tmp_path)
    path.write_bytes(path.read_bytes().replace(b"billing,12", b"bill\xffing,12"))
    refused(path, "export.csv: row 5, column 2: byte 0xff is not UTF-8")


def test_day_month_order_that_cannot_be_told_is_refused(tmp_path: Path) -> None:
    rows = [row.replace("2026-03-02", "03/02/2026") for row in GOOD]
    refused(export(tmp_path, rows), "both day first and month first", "YYYY-MM-DD")
    rows.append("03/13/2026 08:00,sales,1,1,0,100,1,1,1")
    assert read_exports([export(tmp_path, rows)]).dates[0] == pd.Timestamp("2026-03-02")


def test_semicolons_with_decimal_commas_and_tabs_are_read(tmp_path: Path) -> None:
    rows = [row.replace(",", ";").replace("290.5", "290,5") for row in GOOD]
    history = read_exports([export(tmp_path, rows, HEADER.replace(",", ";"))])
    assert 290.5 in list(history.frame["handle_seconds"])
    rows = [row.replace(",", "\t") for row in GOOD]
    assert read_exports([export(tmp_path, rows, HEADER.replace(",", "\t"))]).frame[
        "offered"].sum() == 127


def test_a_row_longer_than_the_header_and_too_many_short_abandons(tmp_path: Path) -> None:
    rows = [*GOOD[:2], GOOD[2] + ",1", *GOOD[3:]]
    refused(export(tmp_path, rows), "export.csv: row 4: 10 values where the header has 9 columns")
    rows = [row + ",0" for row in GOOD]
    rows[1] = GOOD[1] + ",4"
    refused(export(tmp_path, rows, HEADER + ",Short Abandons"),
            "row 3, column 'Short Abandons': more short abandons than abandoned")


def test_a_date_column_with_an_interval_of_the_day_or_a_whole_start(tmp_path: Path) -> None:
    header = "Date,Interval,Queue,Offered,Answered,Abandoned"
    rows = ["2026-03-02,08:00 - 08:30,a,3,2,1", "2026-03-02,08:30 - 09:00,a,4,4,0"]
    frame = read_exports([export(tmp_path, rows, header)]).frame
    assert list(frame["start"]) == [pd.Timestamp("2026-03-02 08:00"),
                                    pd.Timestamp("2026-03-02 08:30")]
    rows = ["2026-03-02,2026-03-02 08:00,a,3,2,1", "2026-03-02,2026-03-02 08:30,a,4,4,0"]
    assert len(read_exports([export(tmp_path, rows, header)]).frame) == 2
    rows = ["2026-03-02,08:00 - 08:30,a,3,2,1", "2026-03-02,8h30,a,4,4,0"]
    refused(export(tmp_path, rows, header), "row 3, column 'Date + Interval' (start): "
            "'2026-03-02 8h30' is not a date and time")
