"""ccsim sensitivity: the [uncertainty] inputs ranked by their swing (a tornado)."""

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
    StaffMode,
    StaffOption,
    WorkersOption,
    app,
    check_outputs,
    cluster_of,
    err,
    fail,
    html_page,
    load_or_fail,
    overrides_of,
    paired,
    png_chart,
    print_result,
    staff_to_targets,
    with_progress,
    within_bounds,
    write_outputs,
)
from simulator.report.files import to_json
from simulator.spec.budget import Work
from simulator.spec.schema import Scenario


@app.command()
def sensitivity(
    file: Annotated[Path, typer.Argument(help="Scenario file with an \\[uncertainty] table.")],
    format: FormatOption = Format.table,
    out: Annotated[
        Path | None, typer.Option(help="Also write sensitivity.json, sensitivity.csv and tornado.png here.")
    ] = None,
    html: HtmlOption = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    set_: SetOption = None,
    scheduler: SchedulerOption = None,
    scheduler_timeout: SchedulerTimeoutOption = None,
    staff: StaffOption = None,
) -> None:
    """Rank the \\[uncertainty] inputs by their swing on cost per contact (a tornado)."""
    cluster = cluster_of(scheduler, scheduler_timeout)
    from simulator.report.files import sensitivity_csv
    from simulator.report.terminal_studies import render_sensitivity
    from simulator.studies.uncertainty import sensitivity as study
    from simulator.studies.uncertainty import sensitivity_variants

    loaded = load_or_fail(file, overrides_of(set_, replications, seed))
    outputs = check_outputs(out, ("sensitivity.json", "sensitivity.csv", "tornado.png"), html,
                            [loaded])
    scenario = loaded.scenario
    if scenario.uncertainty is None:
        raise fail([f"{file}: uncertainty: no [uncertainty] table; give the inputs nobody "
                     "knows exactly as ranges, e.g. [[uncertainty.inputs]] name = \"volume\", "
                     "keys = [\"channels.voice.volume_per_day\"], scale = true, low = 0.9, "
                     "high = 1.1"])
    paired(loaded)
    auto = any(g.agents == "auto" for g in scenario.agent_groups)
    estimate = Work().runs(scenario, "the staffing search", staffed=True) if auto else Work()
    estimate = within_bounds(str(file), estimate.runs(
        scenario, "the file and both ends of every range",
        times=1 + 2 * len(scenario.uncertainty.inputs), staffed=staff is StaffMode.equal_service))
    prepare = None
    if staff is StaffMode.equal_service:
        from simulator.studies.staffing import staff as restaff

        groups = [g.name for g in scenario.agent_groups]
        err.print(f"{file}: re-staffing the file and both ends of every range to its targets "
                  "(many simulations) ...", highlight=False)

        def prepare(variant: Scenario) -> Scenario:
            try:
                return restaff(variant, groups, scenario, workers, cluster).scenario
            except ValueError as exc:
                raise fail([f"{file}: {line}" for line in str(exc).splitlines()]) from None
    elif any(g.agents == "auto" for g in scenario.agent_groups):
        loaded, _ = staff_to_targets(loaded, None, workers, cluster)
    total = len(sensitivity_variants(loaded.scenario)) * scenario.run.replications
    result = with_progress(total, lambda on_done: study(
        loaded, workers, on_done, cluster, prepare), estimate)

    write_outputs(outputs, {"sensitivity.json": lambda: to_json(result.to_document()),
                            "sensitivity.csv": lambda: sensitivity_csv(result),
                            "tornado.png": lambda: png_chart("tornado_figure", result)},
                  lambda: html_page("sensitivity_html", result.to_document()))
    print_result(format, lambda: to_json(result.to_document()), lambda: sensitivity_csv(result),
           lambda: render_sensitivity(result, Console()))
