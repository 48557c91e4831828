"""ccsim compare: scenarios against a baseline on common random numbers."""

from __future__ import annotations

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
    restaff_if_asked,
    warn,
    with_progress,
    within_bounds,
    write_outputs,
)
from simulator.report.files import to_json
from simulator.spec.budget import scenarios_work
from simulator.spec.layers import ScenarioError, load_all


@app.command()
def compare(
    baseline: Annotated[Path, typer.Argument(help="The baseline scenario.")],
    others: Annotated[list[Path], typer.Argument(help="Scenarios to compare with it.")],
    format: FormatOption = Format.table,
    out: Annotated[
        Path | None, typer.Option(help="Also write comparison.json and comparison.csv here.")
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
    from simulator.report.files import comparison_csv
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
    outputs = check_outputs(out, ("comparison.json", "comparison.csv"), html, loaded)
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
    write_outputs(outputs, {"comparison.json": lambda: to_json(result.to_document()),
                            "comparison.csv": lambda: comparison_csv(result)},
                  lambda: html_page("comparison_html", result.to_document()))
    # wide enough for a column per scenario, also when piped to a file
    print_result(format, lambda: to_json(result.to_document()), lambda: comparison_csv(result),
           lambda: render_comparison(result, Console()))
