"""ccsim run: simulate one scenario and report service, hours and cost per contact."""

from __future__ import annotations

from dataclasses import replace
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
    WorkersOption,
    app,
    check_outputs,
    cluster_of,
    html_page,
    load_or_fail,
    overrides_of,
    print_result,
    staff_to_targets,
    with_progress,
    within_bounds,
    write_outputs,
)
from simulator.experiment import run_replications, run_result
from simulator.report.files import to_csv, to_json
from simulator.report.terminal import render_table
from simulator.spec.budget import run_work


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    format: FormatOption = Format.table,
    out: Annotated[
        Path | None, typer.Option(help="Also write result.json and result.csv to this folder.")
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
    outputs = check_outputs(out, ("result.json", "result.csv"), html, [loaded])
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
    write_outputs(outputs, {"result.json": lambda: to_json(result.to_document()),
                            "result.csv": lambda: to_csv(result)},
                  lambda: html_page("run_html", result.to_document()))
    print_result(format, lambda: to_json(result.to_document()), lambda: to_csv(result),
           lambda: render_table(result, Console(), detail))
