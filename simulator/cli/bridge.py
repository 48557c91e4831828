"""ccsim bridge: the walk from the baseline to every lever together, a lever at a time."""

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
    fail,
    html_page,
    load_or_fail,
    overrides_of,
    paired,
    png_chart,
    print_result,
    restaff_if_asked,
    warn,
    with_progress,
    within_bounds,
    write_outputs,
)
from simulator.report.files import to_json
from simulator.spec.budget import scenarios_work
from simulator.spec.layers import ScenarioError


@app.command()
def bridge(
    baseline: Annotated[Path, typer.Argument(help="The baseline scenario.")],
    levers: Annotated[list[Path], typer.Argument(
        help="Lever files (each extends the baseline), applied in this order.")],
    format: FormatOption = Format.table,
    out: Annotated[
        Path | None, typer.Option(help="Also write bridge.json, bridge.csv and bridge.png here.")
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
    """Walk from the baseline's cost per contact to every lever together, one lever at a time."""
    cluster = cluster_of(scheduler, scheduler_timeout)
    from simulator.experiment import run_many
    from simulator.report.files import bridge_csv
    from simulator.report.terminal_studies import render_bridge
    from simulator.studies import bridge as walk

    overrides = overrides_of(set_, replications, seed)
    base = paired(load_or_fail(baseline, overrides))
    reps = base.scenario.run.replications
    if base.scenario.plan is not None:  # a plan: each lever rolled out from its first month
        from simulator.cli.plan import compare_plans, plan_format, plan_steps

        compare_plans([base, *plan_steps(base, levers)], "bridge", plan_format(format), out,
                      html, workers, cluster)
        return
    try:
        steps, alone = walk.bridge_scenarios(base, levers, overrides)
        conflicting = walk.conflicts(baseline, levers,
                                     restaffed=staff is StaffMode.equal_service)
    except ScenarioError as exc:
        raise fail(exc.problems) from None
    outputs = check_outputs(out, ("bridge.json", "bridge.csv", "bridge.png"), html,
                            [base, *steps, *alone])
    # in the order of walk.scenarios_to_run: the baseline, every step, every lever alone but
    # the first (the first step); each re-staffed scenario's last staffing run is its roster's
    # run, on the same seeds, so only the others are simulated here
    for item in (*steps[1:], *alone):
        warn(item, item.scenario.scenario.name)
    estimate = within_bounds(str(baseline), scenarios_work(
        [(str(item.path), item.scenario) for item in (base, *steps, *alone[1:])],
        staff is StaffMode.equal_service))
    staffed = [restaff_if_asked(item, staff, base, workers, cluster)
               for item in (base, *steps, *alone[1:])]
    base, steps = staffed[0][0], [item for item, _ in staffed[1 : 1 + len(steps)]]
    alone = [steps[0], *(item for item, _ in staffed[1 + len(steps):])]
    scenarios = walk.scenarios_to_run(base, steps, alone)
    to_run = [i for i, (_, found) in enumerate(staffed) if found is None]
    ran = with_progress(len(to_run) * reps, lambda on_done: run_many(
        [scenarios[i] for i in to_run], reps, workers, on_done=on_done,
        scheduler=cluster), estimate) if to_run else []
    fresh = dict(zip(to_run, ran, strict=True))
    figures = [fresh[i] if found is None else found.runs for i, (_, found) in enumerate(staffed)]
    from simulator.studies.staffing import group_staffing

    result = walk.bridge(base, steps, alone, figures, conflicting, [
        None if found is None else group_staffing(item.scenario, found)
        for item, found in staffed])

    write_outputs(outputs, {"bridge.json": lambda: to_json(result.to_document()),
                            "bridge.csv": lambda: bridge_csv(result),
                            "bridge.png": lambda: png_chart("waterfall_figure", result)},
                  lambda: html_page("bridge_html", result.to_document()))
    print_result(format, lambda: to_json(result.to_document()), lambda: bridge_csv(result),
           lambda: render_bridge(result, Console()))
