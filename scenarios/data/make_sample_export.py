"""Make ``sample_export.csv``: 13 weeks of the synthetic centre ``sample_centre.toml`` as the
interval export an ACD would write (SYNTHETIC: no real centre's data).

Run from the repository root: ``python scenarios/data/make_sample_export.py`` (a few seconds;
the same file every time: the weeks are seeded by the scenario's ``run.seed``). Each week is
one replication of the scenario (``simulator.studies.synthetic.history_of``); the rows are then
written in a platform's layout rather than ccsim's own: a date and an ``08:00 - 08:30`` interval
column, capitalised queue names, handle time as h:mm:ss, agents to a tenth, and answered within
20 seconds on every queue (one threshold for the whole report, as platforms often count it;
chat's own target in the scenario is 60 s). The export stops at 13:00 on its last day, as an
export taken at lunchtime would, so ``ccsim import`` has a partial day to drop.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pandas as pd

from simulator.spec.layers import load_scenario
from simulator.studies.synthetic import history_of

HERE = Path(__file__).resolve().parent
WEEKS = 13
CUT_AT = "13:00"  # the last day's export stops here
THRESHOLD_SECONDS = 20  # "Answered Within SL" counts the answered within 20 s, on every queue


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def export_frame(weeks: int = WEEKS) -> pd.DataFrame:
    """The sample export as a table, in the platform's column names."""
    history = history_of(load_scenario(HERE / "sample_centre.toml"), weeks, workers=1,
                         threshold_seconds=THRESHOLD_SECONDS)
    f = history.frame
    last = f["start"].dt.normalize().max()
    f = f[(f["start"].dt.normalize() < last) | (f["start"].dt.strftime("%H:%M") < CUT_AT)]
    end = f["start"] + timedelta(minutes=history.interval_minutes)
    return pd.DataFrame({
        "Date": f["start"].dt.strftime("%Y-%m-%d"),
        "Interval": f["start"].dt.strftime("%H:%M") + " - " + end.dt.strftime("%H:%M"),
        "Queue": f["queue"].str.capitalize(),
        "Calls Offered": f["offered"],
        "Calls Answered": f["answered"],
        "Abandoned": f["abandoned"],
        "AHT": [_clock(s) if s == s else "" for s in f["handle_seconds"]],
        "Answered Within SL": f["answered_within"],
        "ASA": f["asa_seconds"].round(1),
        "Agents Staffed": f["agents"].round(1),
    })


def main(out: Path = HERE / "sample_export.csv") -> None:
    frame = export_frame()
    frame.to_csv(out, index=False, lineterminator="\n")
    print(f"wrote {out}: {len(frame):,} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
