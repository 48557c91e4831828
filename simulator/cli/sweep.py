"""ccsim sweep: a grid of scenarios over one or more keys, resumable."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simulator.cli.common import (
    Format,
    FormatOption,
    HtmlOption,
    ReplicationsOption,
    SchedulerOption,
    SchedulerTimeoutOption,
    SeedOption,
    WorkersOption,
    app,
    check_outputs,
    cluster_of,
    err,
    fail,
    html_page,
    overrides_of,
    print_result,
    warn,
    within_bounds,
    write_failed,
    write_outputs,
)
from simulator.experiment import run_replications, run_result
from simulator.report.files import OutputError, sweep_csv, to_json, write_atomic
from simulator.results.run import RunResult
from simulator.spec.budget import Work, contacts_per_run, sweep_points_problems
from simulator.spec.layers import ScenarioError, load_scenario
from simulator.spec.schema import Scenario

#: the summary written to the --out folder (beside points/, one file per finished point)
OUT_FILES = ("sweep.csv", "sweep.json", "sweep.png")


@app.command()
def sweep(
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    set_: Annotated[list[str], typer.Option(
        "--set", help="KEY=V1,V2,... : values to sweep (repeat for a grid; one value fixes a key).")],
    out: Annotated[Path | None, typer.Option(
        help="Folder for points, sweep.csv, sweep.json and sweep.png (default sweep-<file>); "
        "a sweep restarted with the same folder skips finished points.")] = None,
    format: FormatOption = Format.table,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    scheduler_timeout: SchedulerTimeoutOption = None,
    html: HtmlOption = None,
) -> None:
    """Run a grid of scenarios over one or more keys: table, CSV and a chart; resumable."""
    cluster = cluster_of(scheduler, scheduler_timeout)
    from simulator.studies import sweep as grid_sweep

    base = overrides_of(None, replications, seed)
    try:
        axes = grid_sweep.parse_axes(set_)
    except ValueError as exc:
        raise fail([f"{file}: {exc}"]) from None
    problems = sweep_points_problems(str(file), [len(axis.values) for axis in axes])
    if problems:
        raise fail(problems)
    points = grid_sweep.grid(axes)
    try:  # a first estimate from the file as it stands, before every point is validated
        plain: Scenario | None = load_scenario(file, base).scenario
    except ScenarioError:
        plain = None  # the file may need a swept key: the points are checked below
    if plain is not None:
        within_bounds(str(file), Work().runs(plain, "every point as the file stands",
                                             times=len(points)))
    try:
        loaded = grid_sweep.load_points(file, base, points)
    except ScenarioError as exc:
        raise fail(exc.problems) from None
    for item, overrides in zip(loaded, points, strict=True):
        warn(item, " ".join(overrides))
    estimate = within_bounds(str(file), Work((
        (f"{len(points)} points, each its replications × days × contacts a day",
         sum(contacts_per_run(item.scenario) for item in loaded)),)))
    if sys.stderr.isatty():
        err.print(f"sweep: {len(points)} point(s), {estimate.described()} in all",
                  highlight=False)
    folder = out or Path(f"sweep-{file.stem}")
    outputs = check_outputs(folder, OUT_FILES, html, loaded)
    results: list[RunResult] = []
    done = 0
    for item, overrides in zip(loaded, points, strict=True):
        ident = grid_sweep.point_id(item, overrides)
        result = read_point(folder, ident)
        if result is None:
            figures = run_replications(item.scenario, None, workers, scheduler=cluster)
            result = run_result(item, figures)
            try:
                write_atomic(folder / "points" / f"{ident}.json", to_json(result.to_document()))
            except OutputError as exc:
                raise write_failed(outputs, exc) from None
            done += 1
        results.append(result)
        if sys.stderr.isatty():
            err.print(f"point {len(results)}/{len(points)}: {' '.join(overrides)}", highlight=False)
    study = grid_sweep.sweep_result(file, axes, points, results)
    from simulator.report.charts import to_png
    from simulator.report.study_charts import sweep_figure  # on use: matplotlib is slow to load

    currency = loaded[0].scenario.costs.currency
    write_outputs(outputs, {
        "sweep.csv": lambda: sweep_csv(study.points, study.axes),
        "sweep.json": lambda: to_json(study.to_document()),
        "sweep.png": lambda: to_png(sweep_figure(study.points, study.axes, currency))},
        lambda: html_page("sweep_html", str(file), [row.to_document() for row in study.points],
                          list(study.axes), currency, [r.to_document() for r in study.results]))

    def table() -> None:
        from simulator.report.terminal_studies import render_sweep

        render_sweep(study.points, study.axes, Console(),
                     currency)
        err.print(f"{done} point(s) run, {len(points) - done} reused (in {folder}/points)",
                  highlight=False)

    print_result(format, lambda: (folder / "sweep.json").read_text(encoding="utf-8"),
           lambda: (folder / "sweep.csv").read_text(encoding="utf-8"), table)


def read_point(folder: Path, ident: str) -> RunResult | None:
    """A finished point saved by an earlier run of the same sweep, or None."""
    path = folder / "points" / f"{ident}.json"
    if not path.is_file():
        return None
    try:
        return RunResult.from_document(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged file is run again
