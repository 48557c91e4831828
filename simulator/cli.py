"""The ``ccsim`` command line. Thin: it parses, calls the library and prints."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simulator.experiment import result_document, run_replications
from simulator.loading import ScenarioError, load_scenario
from simulator.report import render_table, to_csv, to_json, write_atomic

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="ccsim: what a change would do to your contact centre's cost per contact.",
)
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a key: --set run.replications=30 (repeatable)."),
]


def _fail(problems: list[str]) -> typer.Exit:
    for line in problems:
        err.print(line, markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    out: Annotated[
        Path | None, typer.Option(help="Also write result.json and result.csv to this folder.")
    ] = None,
    replications: Annotated[
        int | None, typer.Option(min=1, max=10_000, help="Override run.replications.")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Override run.seed.")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=512, help="Processes (default: every core).")
    ] = None,
    set_: SetOption = None,
) -> None:
    """Simulate a scenario and report service, agent hours and cost per contact."""
    overrides = list(set_ or [])
    if replications is not None:
        overrides.append(f"run.replications={replications}")
    if seed is not None:
        overrides.append(f"run.seed={seed}")
    try:
        loaded = load_scenario(file, overrides)
    except ScenarioError as exc:
        raise _fail(exc.problems) from None
    n = loaded.scenario.run.replications
    if sys.stdout.isatty() and sys.stderr.isatty():
        from rich.progress import (  # imported on use: only a terminal shows the bar
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        with Progress(TextColumn("simulating"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("run", total=n)
            trees = run_replications(loaded.scenario, n, workers,
                                     on_done=lambda k: bar.update(task, completed=k))
    else:
        trees = run_replications(loaded.scenario, n, workers)
    document = result_document(loaded, trees)
    text_json = to_json(document)
    if out is not None:
        write_atomic(out / "result.json", text_json)
        write_atomic(out / "result.csv", to_csv(document))
    if format is Format.json:
        sys.stdout.write(text_json)
    elif format is Format.csv:
        sys.stdout.write(to_csv(document))
    else:
        render_table(document, Console())
        if out is not None:
            err.print(f"wrote {out / 'result.json'} and {out / 'result.csv'}")


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to validate.")],
    set_: SetOption = None,
) -> None:
    """Validate scenario files without running them (exit 2 if any is bad)."""
    problems: list[str] = []
    for file in files:
        try:
            loaded = load_scenario(file, list(set_ or []))
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        s = loaded.scenario
        typer.echo(
            f"{file}: ok: {len(s.channels)} channel(s), {len(s.contact_types)} contact type(s), "
            f"{len(s.agent_groups)} agent group(s), about "
            f"{s.expected_contacts_per_day():,.0f} contacts a day"
        )
    if problems:
        raise _fail(problems)


def main() -> None:
    """Console-script entry point."""
    app()
