"""What every ccsim command shares: the app, option types, loading, progress and outputs."""


from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from simulator.report.files import write_atomic
from simulator.report.format import printable

if TYPE_CHECKING:
    from simulator.studies.staffing import Staffed
from simulator.spec.budget import Work
from simulator.spec.capacity import overload_warnings
from simulator.spec.layers import LoadedScenario, Override, Overrides, ScenarioError, load_scenario

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="ccsim: what a change would do to your contact centre's cost per contact.",
)


err = Console(stderr=True)


T = TypeVar("T")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class StaffMode(StrEnum):
    equal_service = "equal-service"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


StaffOption = Annotated[StaffMode | None, typer.Option(
    "--staff", help="equal-service: re-staff every scenario run (each compared scenario, bridge "
    "step or end of a range) to the fewest agents meeting the baseline's targets before costing "
    "it: the roster follows the change")]


ReplicationsOption = Annotated[
    int | None, typer.Option(min=1, max=10_000, help="Override run.replications.")
]


SeedOption = Annotated[int | None, typer.Option(min=0, help="Override run.seed.")]


WorkersOption = Annotated[
    int | None, typer.Option(min=1, max=512, help="Processes (default: every core).")
]


SchedulerOption = Annotated[
    str | None,
    typer.Option(help="Run on a Dask cluster: its scheduler address, tcp://HOST:PORT."),
]


SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a key: --set run.replications=30 (repeatable)."),
]


def _html_path(path: Path | None) -> Path | None:
    """--html: refuse a path that cannot be written at once, before anything is simulated."""
    if path is None:
        return None
    if path.is_dir():
        raise typer.BadParameter(f"{path} is a folder; give a file, e.g. {path / 'report.html'}")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:  # write_atomic creates the rest
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise typer.BadParameter(f"cannot write {path}: {folder} is not a writable folder")
    return path


HtmlOption = Annotated[
    Path | None,
    typer.Option(callback=_html_path, help="Also write a self-contained HTML report (charts, key "
                 "figures, assumptions) to this file, for a workshop."),
]


def fail(problems: list[str]) -> typer.Exit:
    """Print the problems on stderr (control characters escaped) for an exit with code 2."""
    for line in problems:
        err.print(printable(line), markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


def warn(loaded: LoadedScenario, where: str = "") -> None:
    """Say on stderr what the scenario will do that a planner may not mean (a queue that grows
    without bound), one line per warning: ``FILE: warning: [where: ]...``."""
    for line in overload_warnings(loaded.scenario):
        err.print(printable(f"{loaded.path}: warning: {where + ': ' if where else ''}{line}"),
                  markup=False, highlight=False, soft_wrap=True, style="bold yellow")


def load_or_fail(file: Path, overrides: Overrides) -> LoadedScenario:
    """Load a scenario, or fail with its problems (exit 2); warn about what it will do."""
    try:
        loaded = load_scenario(file, overrides)
    except ScenarioError as exc:
        raise fail(exc.problems) from None
    warn(loaded)
    return loaded


def overrides_of(set_: list[str] | None, replications: int | None, seed: int | None
                 ) -> list[str | Override]:
    """The --set items (text), then --replications and --seed as the typed overrides they stand
    for."""
    overrides: list[str | Override] = list(set_ or [])
    if replications is not None:
        overrides.append(Override("run.replications", replications))
    if seed is not None:
        overrides.append(Override("run.seed", seed))
    return overrides


def within_bounds(label: str, work: Work) -> Work:
    """The command's work, if it is within :data:`~simulator.spec.budget.MAX_COMMAND_CONTACTS`
    (else exit 2 with the estimate and the bound), before anything is simulated."""
    problems = work.problems(label)
    if problems:
        raise fail(problems)
    return work


def with_progress(total: int, work: Callable[[Callable[[int], None] | None], T],
                  estimate: Work | None = None) -> T:
    """Run ``work(on_done)`` with a progress bar on a terminal (none when output is piped);
    ``estimate``: the contacts it simulates, shown with the bar."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        return work(None)
    from rich.progress import (  # imported on use: only a terminal shows the bar
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    label = "simulating" + (f" {estimate.described()}" if estimate is not None else "")
    with Progress(TextColumn(label, markup=False), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("simulating", total=total)
        return work(lambda done: bar.update(task, completed=done))


def staff_to_targets(loaded: LoadedScenario, groups: list[str] | None, workers: int | None,
             scheduler: str | None, targets_of: LoadedScenario | None = None
             ) -> tuple[LoadedScenario, Staffed]:
    """Re-staff a scenario (its "auto" groups, or ``groups``) to the fewest agents per weekday
    and interval meeting the targets; show the search's progress on stderr."""
    from dataclasses import replace

    from simulator.studies.staffing import staff

    err.print(f"{loaded.path}: staffing to the targets, interval by interval ...",
              highlight=False)

    def progress(line: str) -> None:
        err.print(f"  {line}", highlight=False)

    try:
        staffed = staff(loaded.scenario, groups,
                        targets_of.scenario if targets_of else None, workers, scheduler,
                        progress=progress)
    except ValueError as exc:
        raise fail([f"{loaded.path}: {line}" for line in str(exc).splitlines()]) from None
    return replace(loaded, scenario=staffed.scenario), staffed


def restaff_if_asked(item: LoadedScenario, staff: StaffMode | None, targets_of: LoadedScenario,
               workers: int | None, scheduler: str | None
               ) -> tuple[LoadedScenario, Staffed | None]:
    """``--staff equal-service``: every group re-staffed to the targets of ``targets_of``;
    without it, only groups with ``agents = "auto"`` (if any). The staffing found (its last run
    is the roster's run) or None when the file's roster stands."""
    if staff is StaffMode.equal_service:
        groups: list[str] | None = [g.name for g in item.scenario.agent_groups]
    elif any(g.agents == "auto" for g in item.scenario.agent_groups):
        groups = None
    else:
        return item, None
    return staff_to_targets(item, groups, workers, scheduler, targets_of)


def write_outputs(out: Path | None, files: dict[str, Callable[[], str | bytes]],
                   html: Path | None, page: Callable[[], str]) -> None:
    """Write ``--out`` files and the ``--html`` page (each whole or not at all), say so on stderr."""
    written = []
    if out is not None:
        for name, content in files.items():
            write_atomic(out / name, content())
            written.append(str(out / name))
    if html is not None:
        try:
            write_atomic(html, page())
        except OSError as exc:
            raise fail([f"--html {html}: cannot write: {exc.strerror or exc}"]) from None
        written.append(str(html))
    if written:
        err.print("wrote " + ", ".join(written), highlight=False, soft_wrap=True)


def print_result(format: Format, json_text: Callable[[], str], csv_text: Callable[[], str],
           table: Callable[[], None]) -> None:
    """The result on standard output, in the format asked for."""
    if format is Format.json:
        sys.stdout.write(json_text())
    elif format is Format.csv:
        sys.stdout.write(csv_text())
    else:
        table()


def html_page(builder: str, *args: Any) -> str:
    """An HTML page built by :mod:`simulator.report.html` (``builder``: its function's name)."""
    from simulator.report import html as html_report  # imported on use: matplotlib is slow to import

    page: str = getattr(html_report, builder)(*args)
    return page


def png_chart(figure: str, result: object) -> bytes:
    """A study's chart (``figure``: the name of its function in :mod:`simulator.report.study_charts`)
    of a result, as PNG bytes."""
    from simulator.report import charts, study_charts  # on use: matplotlib is slow to import

    return charts.to_png(getattr(study_charts, figure)(result))


def paired(loaded: LoadedScenario) -> LoadedScenario:
    """The scenario, if it has the replications paired intervals need (else exit 2)."""
    if loaded.scenario.run.replications < 2:
        raise fail([f"{loaded.path}: run.replications: paired intervals need at least 2"])
    return loaded
