"""ccsim backtest: simulate the historical days with the historical staffing and compare, interval
by interval, with what happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simulator.cli.common import (
    ColumnOption,
    Format,
    FormatOption,
    HtmlOption,
    SchedulerOption,
    SchedulerTimeoutOption,
    SetOption,
    WorkersOption,
    app,
    cluster_of,
    err,
    export_columns,
    fail,
    file_problems,
    input_files,
    load_or_fail,
    print_result,
    with_progress,
)
from simulator.report.files import OutputError, to_json, write_all


@app.command()
def backtest(
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    history: Annotated[list[Path], typer.Argument(
        help="Interval exports (CSV) of the same queues, as ccsim import reads them (agents "
        "per interval needed).")],
    column: ColumnOption = None,
    replications: Annotated[int, typer.Option(
        min=2, max=1_000, help="Replications of each date; 39 is the fewest whose band is a "
        "95 % one.")] = 39,
    threshold_seconds: Annotated[float | None, typer.Option(
        min=0.001, max=86_400, help="The service-level threshold the history's answered_within "
        "counts at (default: each channel's service_level_seconds); the simulated service level "
        "is counted at it too.")] = None,
    workers: WorkersOption = None,
    set_: SetOption = None,
    scheduler: SchedulerOption = None,
    scheduler_timeout: SchedulerTimeoutOption = None,
    format: FormatOption = Format.table,
    csv: Annotated[Path | None, typer.Option(
        "--csv", help="Also write the tidy per-interval table (a row per date, interval, "
        "channel and metric: actual, band, mean) to this file.")] = None,
    json_file: Annotated[Path | None, typer.Option(
        "--json", help="Also write the whole result as JSON to this file.")] = None,
    html: HtmlOption = None,
) -> None:
    """Backtest a scenario against history: simulated band against actual, interval by interval."""
    cluster = cluster_of(scheduler, scheduler_timeout)
    loaded = load_or_fail(file, list(set_ or []))
    from simulator.history.reading import ExportProblem, read_exports
    from simulator.studies.backtest import BacktestProblem, plan_backtest, run_backtest

    mapping, ignored = export_columns(column)
    try:
        table = read_exports(history, mapping, ignored=ignored)
    except ExportProblem as exc:
        raise fail([str(exc)]) from None
    if threshold_seconds is not None:
        table = replace(table, threshold_seconds=threshold_seconds)
    reads = input_files([loaded]) | {p.resolve(): "a history this command reads" for p in history}
    problems = [line for option, path, example in (("--csv", csv, "backtest.csv"),
                                                   ("--json", json_file, "backtest.json"),
                                                   ("--html", html, "backtest.html"))
                for line in file_problems(option, path, reads, example)]
    outputs = [p for p in (csv, json_file, html) if p is not None]
    if len({p.resolve() for p in outputs}) < len(outputs):
        problems.append("--csv, --json and --html: give each its own file")
    if problems:
        raise fail(problems)
    label = f"{file} against {', '.join(map(str, history))}"
    try:
        plan = plan_backtest(loaded, table, replications)
        result = with_progress(len(plan.jobs), lambda on_done: run_backtest(
            loaded, table, plan, workers, cluster, on_done))
    except BacktestProblem as exc:
        raise fail([f"{label}: {exc}"]) from None
    from simulator.report import backtest as report

    document = result.to_document()
    files: dict[Path, Callable[[], str | bytes] | None] = {}
    if csv is not None:
        files[csv] = lambda: report.rows_csv(result)
    if json_file is not None:
        files[json_file] = lambda: to_json(document)
    if html is not None:
        files[html] = lambda: report.backtest_html(result)
    try:
        written = write_all(files)
    except OutputError as exc:
        raise fail([f"cannot write {exc.path}: {exc.cause}; nothing was written (files "
                    "already there are as they were)"]) from None
    if written:
        err.print("wrote " + ", ".join(map(str, written)), highlight=False, soft_wrap=True)
    print_result(format, lambda: to_json(document), lambda: report.errors_csv(result),
                 lambda: report.render_errors(result, Console()))
