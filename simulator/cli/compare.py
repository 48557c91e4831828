"""ccsim compare: scenarios against a baseline on common random numbers."""

from __future__ import annotations

from collections.abc import Callable
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
    StaffOption,
    WorkersOption,
    app,
    check_outputs,
    cluster_of,
    fail,
    html_page,
    load_or_fail,
    overrides_of,
    paired,
    print_result,
    printed_format,
    restaff_if_asked,
    warn,
    with_progress,
    within_bounds,
    write_outputs,
)
from simulator.report.files import comparison_csv, to_json
from simulator.results.studies import ComparisonResult
from simulator.spec.budget import scenarios_work
from simulator.spec.layers import ScenarioError, load_all

#: the --out set of ccsim compare: the document, the long CSV, a tidy CSV per table, the workbook
COMPARE_FILES = ("comparison.json", "comparison.csv", "summary.csv", "differences.csv",
                 "channels.csv", "contact_types.csv", "groups.csv", "costs.csv", "intervals.csv",
                 "comparison.xlsx")


def comparison_files(result: ComparisonResult, workbook: bool
                     ) -> dict[str, Callable[[], str | bytes]]:
    """What ``--out`` writes of a comparison (``workbook``: comparison.xlsx too)."""
    from simulator.report import tables as tidy  # on use: pandas is slow to import
    from simulator.report.workbook import to_xlsx

    frames = cache(lambda: tidy.comparison_tables(result))
    files: dict[str, Callable[[], str | bytes]] = {
        "comparison.json": lambda: to_json(result.to_document()),
        "comparison.csv": lambda: comparison_csv(result)}
    for name in tidy.COMPARISON_TABLE_NAMES:
        files[f"{name}.csv"] = lambda name=name: tidy.table_csv(frames()[name])  # type: ignore[misc]
    if workbook:
        files["comparison.xlsx"] = lambda: to_xlsx(frames(), tidy.about(result.baseline,
                                                                        "baseline"))
    return files


@app.command()
def compare(
    baseline: Annotated[Path, typer.Argument(help="The baseline scenario.")],
    others: Annotated[list[Path], typer.Argument(help="Scenarios to compare with it.")],
    format: BookFormatOption = BookFormat.table,
    out: Annotated[
        Path | None, typer.Option(help="Also write comparison.json, comparison.csv and a tidy "
                                  "CSV per table (summary, differences, channels, contact_types, "
                                  "groups, costs, intervals) here.")
    ] = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    set_: SetOption = None,
    scheduler: SchedulerOption = None,
    scheduler_timeout: SchedulerTimeoutOption = None,
    staff: StaffOption = None,
    html: HtmlOption = None,
) -> None:
    """Compare scenarios with a baseline on common random numbers: paired differences."""
    cluster = cluster_of(scheduler, scheduler_timeout)
    from simulator.experiment import run_many
    from simulator.report.terminal_studies import render_comparison
    from simulator.studies.comparison import comparison, same_run

    overrides = overrides_of(set_, replications, seed)
    base = paired(load_or_fail(baseline, overrides))
    run = base.scenario.run
    # every scenario on the baseline's seeds and horizon: that is what pairs them
    try:
        loaded = [base, *load_all([(other, [*overrides, *same_run(base.scenario)])
                                   for other in others])]
    except ScenarioError as exc:
        raise fail(exc.problems) from None
    if base.scenario.plan is not None:  # plans: month by month (docs/plan.md)
        from simulator.cli.plan import compare_plans, plan_format

        compare_plans(loaded, "compare", plan_format(format), out, html, workers, cluster)
        return
    printed = printed_format(format, out, "comparison.xlsx")
    outputs = check_outputs(out, COMPARE_FILES, html, loaded)
    for item in loaded[1:]:
        warn(item)
    estimate = within_bounds(str(baseline), scenarios_work(
        [(str(item.path), item.scenario) for item in loaded], staff is not None))
    restaffed = [restaff_if_asked(item, staff, base, workers, cluster) for item in loaded]
    loaded = [item for item, _ in restaffed]
    # a re-staffed scenario's last staffing run is the run of its roster, on the same seeds
    to_run = [i for i, (_, found) in enumerate(restaffed) if found is None]
    ran = with_progress(len(to_run) * run.replications, lambda on_done: run_many(
        [loaded[i].scenario for i in to_run], run.replications, workers, on_done=on_done,
        scheduler=cluster), estimate) if to_run else []
    fresh = dict(zip(to_run, ran, strict=True))
    figures = [fresh[i] if found is None else found.runs
               for i, (_, found) in enumerate(restaffed)]
    from simulator.studies.staffing import group_staffing

    result = comparison(loaded, figures, [
        None if found is None else group_staffing(item.scenario, found)
        for item, found in restaffed])
    write_outputs(outputs, comparison_files(result, format is BookFormat.xlsx),
                  lambda: html_page("comparison_html", result.to_document()))
    # wide enough for a column per scenario, also when piped to a file
    print_result(printed, lambda: to_json(result.to_document()), lambda: comparison_csv(result),
           lambda: render_comparison(result, Console()))
