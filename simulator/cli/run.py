"""ccsim run: simulate one scenario and report service, hours and cost per contact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simulator.cli.common import (
    BookFormat,
    BookFormatOption,
    HtmlOption,
    ReplicationsOption,
    SchedulerOption,
    SchedulerTimeoutOption,
    SeedOption,
    SetOption,
    WorkersOption,
    app,
    check_outputs,
    cluster_of,
    html_page,
    load_or_fail,
    overrides_of,
    print_result,
    printed_format,
    staff_to_targets,
    with_progress,
    within_bounds,
    write_outputs,
)
from simulator.experiment import run_replications, run_result
from simulator.report.files import to_csv, to_json
from simulator.report.terminal import render_table
from simulator.results.run import RunResult
from simulator.spec.budget import run_work

#: the --out set of ccsim run: the document, the long CSV, a tidy CSV per table, the workbook
RUN_FILES = ("result.json", "result.csv", "channels.csv", "contact_types.csv", "groups.csv",
             "costs.csv", "intervals.csv", "result.xlsx")


def run_files(result: RunResult, workbook: bool) -> dict[str, Callable[[], str | bytes]]:
    """What ``--out`` writes of a run (``workbook``: result.xlsx too), each made on use."""
    from simulator.report import tables as tidy  # on use: pandas is slow to import
    from simulator.report.workbook import to_xlsx

    frames = cache(lambda: tidy.tables(result))
    files: dict[str, Callable[[], str | bytes]] = {
        "result.json": lambda: to_json(result.to_document()), "result.csv": lambda: to_csv(result)}
    for name in tidy.TABLE_NAMES:
        files[f"{name}.csv"] = lambda name=name: tidy.table_csv(frames()[name])  # type: ignore[misc]
    if workbook:
        files["result.xlsx"] = lambda: to_xlsx(frames(), tidy.about(result))
    return files


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    format: BookFormatOption = BookFormat.table,
    out: Annotated[
        Path | None, typer.Option(help="Also write result.json, result.csv and a tidy CSV per "
                                  "table (channels, contact_types, groups, costs, intervals) to this folder.")
    ] = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    set_: SetOption = None,
    scheduler: SchedulerOption = None,
    scheduler_timeout: SchedulerTimeoutOption = None,
    uncertainty: Annotated[bool, typer.Option(
        help="With an \\[uncertainty] table: also report cost per contact as a range over "
        "Latin-hypercube samples of its ranges.")] = True,
    html: HtmlOption = None,
    detail: Annotated[bool, typer.Option(
        "--detail", help="In the table: every service row, every cost line and the worst "
        "interval of each guardrail (the default fits one screen).")] = False,
) -> None:
    """Simulate a scenario and report service, agent hours and cost per contact."""
    cluster = cluster_of(scheduler, scheduler_timeout)
    loaded = load_or_fail(file, overrides_of(set_, replications, seed))
    printed = printed_format(format, out, "result.xlsx")
    outputs = check_outputs(out, RUN_FILES, html, [loaded])
    n = loaded.scenario.run.replications
    auto = any(g.agents == "auto" for g in loaded.scenario.agent_groups)
    estimate = within_bounds(str(file), run_work(loaded.scenario, staffed=auto,
                                                 sampled=uncertainty))
    if auto:
        from simulator.studies.staffing import staffing_result

        loaded, staffed = staff_to_targets(loaded, None, workers, cluster)
        result = staffing_result(str(file), loaded, staffed).result  # the roster's own run
    else:
        figures = with_progress(n, lambda on_done: run_replications(
            loaded.scenario, n, workers, on_done=on_done, scheduler=cluster), estimate)
        result = run_result(loaded, figures)
    ranges = loaded.scenario.uncertainty
    if uncertainty and ranges is not None:
        from simulator.studies.uncertainty import uncertainty_range

        total = ranges.samples * (ranges.replications or n)
        result = replace(result, uncertainty=with_progress(total, lambda on_done: uncertainty_range(
            loaded.scenario, workers, on_done, cluster), estimate))
    write_outputs(outputs, run_files(result, format is BookFormat.xlsx),
                  lambda: html_page("run_html", result.to_document()))
    print_result(printed, lambda: to_json(result.to_document()), lambda: to_csv(result),
           lambda: render_table(result, Console(), detail))
