"""ccsim staff: the fewest agents per weekday, interval and group that meet the targets."""

from __future__ import annotations

from collections.abc import Callable
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
    fail,
    html_page,
    load_or_fail,
    overrides_of,
    print_result,
    staff_to_targets,
    within_bounds,
    write_outputs,
)
from simulator.report.files import to_json
from simulator.spec.budget import Work

#: the --out set (shift_plan.csv only with shift templates; an earlier one is removed without)
OUT_FILES = ("staffing.json", "requirement.csv", "result.json", "shift_plan.csv")


@app.command()
def staff(
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    format: FormatOption = Format.table,
    group: Annotated[list[str] | None, typer.Option(
        help='Groups to staff (default: those with agents = "auto", else every group).')] = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    set_: SetOption = None,
    scheduler: SchedulerOption = None,
    scheduler_timeout: SchedulerTimeoutOption = None,
    out: Annotated[Path | None, typer.Option(
        help="Also write staffing.json, requirement.csv, result.json (the roster's run) and, "
        "with shift templates, shift_plan.csv to this folder.")] = None,
    html: HtmlOption = None,
) -> None:
    """The fewest agents per weekday, interval and group that meet the targets in every interval.

    Rostered on the file's shift templates, if it has some."""
    cluster = cluster_of(scheduler, scheduler_timeout)
    loaded = load_or_fail(file, overrides_of(set_, replications, seed))
    outputs = check_outputs(out, OUT_FILES, html, [loaded])
    names = [g.name for g in loaded.scenario.agent_groups]
    unknown = [g for g in (group or []) if g not in names]
    if unknown:
        raise fail([f"{file}: --group: unknown {', '.join(unknown)}; known: {', '.join(names)}"])
    chosen = group or [g.name for g in loaded.scenario.agent_groups if g.agents == "auto"] or names
    within_bounds(str(file), Work().runs(loaded.scenario, "the search", staffed=True))
    staffed, found = staff_to_targets(loaded, chosen, workers, cluster)
    from simulator.report.staffing import render_staffing, requirement_csv, shift_plans_csv
    from simulator.studies.staffing import staffing_result

    result = staffing_result(str(file), staffed, found)
    files: dict[str, Callable[[], str | bytes]] = {
        "staffing.json": lambda: to_json(result.to_document()),
        "requirement.csv": lambda: requirement_csv(result),
        "result.json": lambda: to_json(result.result.to_document()),
    }
    if any(g.plan is not None for g in result.groups.values()):
        files["shift_plan.csv"] = lambda: shift_plans_csv(result)
    write_outputs(outputs, files, lambda: html_page("run_html", result.result.to_document()))
    print_result(format, lambda: to_json(result.to_document()), lambda: requirement_csv(result),
                 lambda: render_staffing(result, Console()))
