"""ccsim staff: the fewest agents per interval and group that meet the targets."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simulator.cli.common import (
    Format,
    FormatOption,
    ReplicationsOption,
    SchedulerOption,
    SeedOption,
    SetOption,
    WorkersOption,
    app,
    fail,
    load_or_fail,
    overrides_of,
    staff_to_targets,
)
from simulator.experiment import run_replications
from simulator.report.files import to_json


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
) -> None:
    """The fewest agents per interval and group that meet the scenario's targets."""
    loaded = load_or_fail(file, overrides_of(set_, replications, seed))
    names = [g.name for g in loaded.scenario.agent_groups]
    unknown = [g for g in (group or []) if g not in names]
    if unknown:
        raise fail([f"{file}: --group: unknown {', '.join(unknown)}; known: {', '.join(names)}"])
    chosen = group or [g.name for g in loaded.scenario.agent_groups if g.agents == "auto"] or names
    staffed, staffing = staff_to_targets(loaded, chosen, workers, scheduler)
    from simulator.studies.staffing import staffing_result

    figures = run_replications(staffed.scenario, None, workers, scheduler=scheduler)
    result = staffing_result(str(file), staffed, staffing, figures)
    starts = result.intervals
    if format is Format.json:
        sys.stdout.write(to_json(result.to_document()))
        return
    if format is Format.csv:
        sys.stdout.write("interval," + ",".join(staffing) + "\n" + "".join(
            f"{start}," + ",".join(str(staffing[g][i]) for g in staffing) + "\n"
            for i, start in enumerate(starts)))
        return
    from rich.table import Table

    table = Table(title="Rostered agents per interval (the fewest meeting every target)",
                  title_justify="left")
    table.add_column("interval")
    for name in staffing:
        table.add_column(name, justify="right")
    for i, start in enumerate(starts):
        table.add_row(start, *(str(staffing[g][i]) for g in staffing))
    console = Console()
    console.print(table)
    run = result.result
    per_contact = run.cost.per_contact.mean
    console.print(f"cost per contact {run.currency} "
                  f"{'–' if per_contact is None else f'{per_contact:.2f}'}; targets: " + ", ".join(
                      f"{c.channel} {c.name.replace('_', ' ')} {'met' if c.met else 'MISSED'}"
                      for c in run.guardrails))
