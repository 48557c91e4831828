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
from simulator.experiment import result_document, run_replications
from simulator.report.files import to_json
from simulator.spec.schema import clock


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
    trees = run_replications(staffed.scenario, None, workers, scheduler=scheduler)
    document = result_document(staffed, trees)
    hours = staffed.scenario.hours
    starts = [clock(hours.open_seconds + i * hours.interval_seconds)
              for i in range(hours.intervals_open)]
    result = {"file": str(file), "intervals": starts, "staffing": staffing,
              "cost_per_contact": document["cost"]["per_contact"],
              "period_total": document["cost"]["period_total"],
              "targets": document["targets"]}
    if format is Format.json:
        sys.stdout.write(to_json(result))
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
    console.print(f"cost per contact {document['currency']} "
                  f"{document['cost']['per_contact']['mean']:.2f}; targets: " + ", ".join(
                      f"{ch} {name.replace('_', ' ')} {'met' if c['met'] else 'MISSED'}"
                      for ch, cs in document["targets"].items() for name, c in cs.items()))
