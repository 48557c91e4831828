"""ccsim calibrate: each channel's patience scaled until the simulated abandonment matches an
interval export's, written as a scenario layer over the scenario."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simulator.cli.common import (
    ColumnOption,
    ReplicationsOption,
    WorkersOption,
    app,
    err,
    export_columns,
    fail,
    file_problems,
    input_files,
    load_or_fail,
    within_bounds,
)
from simulator.report.files import OutputError, write_all
from simulator.spec.budget import Work


def _layer_problems(out: Path, force: bool, reads: dict[Path, str]) -> list[str]:
    """Why ``--out`` cannot take the layer (checked before anything is simulated)."""
    problems = file_problems("--out", out, reads, "calibrated.toml")
    if not problems and out.exists() and not force:
        problems = [f"--out {out}: exists; give --force to replace it, or another file"]
    return problems


@app.command()
def calibrate(
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML), e.g. one ccsim import wrote.")],
    exports: Annotated[list[Path], typer.Argument(
        help="Interval exports (CSV) of the same queues: the history to match.")],
    out: Annotated[Path, typer.Option(
        help="The scenario layer to write: extends FILE and sets each calibrated channel's "
        "patience.")],
    column: ColumnOption = None,
    channel: Annotated[list[str] | None, typer.Option(
        help="Calibrate only this channel (repeatable; default: every queue of the exports).")]
        = None,
    replications: ReplicationsOption = None,
    workers: WorkersOption = None,
    force: Annotated[bool, typer.Option(help="Replace --out if it exists.")] = False,
) -> None:
    """Scale each channel's patience (its mean; the shape kept) until the simulated abandonment
    of the scenario's week matches the exports' per weekday and interval.

    Prints the calibration and its fit, and writes the layer to --out."""
    from simulator.history.reading import ExportProblem, read_exports
    from simulator.studies.calibration import MAX_SIMULATIONS, calibrate_patience

    loaded = load_or_fail(file, [])
    reads = input_files([loaded])
    for export in exports:
        reads.setdefault(export.resolve(), "an export this command reads")
    problems = _layer_problems(out, force, reads)
    if problems:
        raise fail(problems)
    mapping, ignored = export_columns(column)
    try:
        history = read_exports(exports, mapping, ignored=ignored)
    except ExportProblem as exc:
        raise fail([str(exc)]) from None
    scenario = loaded.scenario
    week = (7 + scenario.run.warmup_hours / 24) / scenario.run.days
    within_bounds(str(file), Work().runs(scenario, "the calibration", times=MAX_SIMULATIONS * week,
                                         replications=replications))

    def progress(line: str) -> None:
        err.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)

    err.print(f"{file}: calibrating patience against {len(exports)} export(s) ...",
              highlight=False, markup=False)
    try:
        result = calibrate_patience(loaded, history, channels=channel, replications=replications,
                                    workers=workers, progress=progress)
    except ValueError as exc:
        raise fail([f"{file}: {line}" for line in str(exc).splitlines()]) from None
    from simulator.report.calibration import calibration_layer, render_calibration

    extends = Path(os.path.relpath(file.resolve(), out.resolve().parent)).as_posix()
    render_calibration(result, Console())
    try:
        write_all({out: lambda: calibration_layer(result, extends)})
    except OutputError as exc:
        raise fail([f"--out {out}: cannot write it: {exc.cause}; nothing was written"]) from None
    err.print(f"wrote {out}", highlight=False, markup=False, soft_wrap=True)
