"""What every ccsim command shares: the app, option types, loading, progress and outputs."""


from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console

from simulator.cli.guard import Commands
from simulator.experiment import Cluster, scheduler_address
from simulator.report.files import OutputError, write_all
from simulator.report.format import printable
from simulator.spec.distributions import Empirical

if TYPE_CHECKING:
    from simulator.studies.staffing import Staffed
from simulator.spec.budget import Work
from simulator.spec.capacity import overload_warnings
from simulator.spec.layers import LoadedScenario, Override, Overrides, ScenarioError, load_scenario

app = typer.Typer(
    cls=Commands,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="ccsim: what a change would do to your contact centre's cost per contact.\n\n"
    "New here? ccsim init my_centre.toml (a commented starting scenario; see ccsim init --help "
    "for its options), then ccsim run my_centre.toml.",
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


class BookFormat(StrEnum):
    """The formats of a command that can also write a spreadsheet workbook."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


BookFormatOption = Annotated[BookFormat, typer.Option(
    "--format", "-f", help="Output format; xlsx: also write the tables to one workbook in the "
    "--out folder (result.xlsx or comparison.xlsx) and print the table.")]


def printed_format(format: BookFormat, out: Path | None, workbook: str) -> Format:
    """What goes to standard output for ``--format`` (a workbook never does: with xlsx, the
    table), after checking that xlsx has an ``--out`` folder to go to (else exit 2)."""
    if format is BookFormat.xlsx:
        if out is None:
            raise fail([f"--format xlsx: the workbook is written to the --out folder: give "
                        f"--out DIR (it writes DIR/{workbook})"])
        return Format.table
    return Format(format.value)


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


def _scheduler(address: str | None) -> str | None:
    """--scheduler: refuse what is not an address of the form tcp://HOST:PORT, at once."""
    try:
        return None if address is None else scheduler_address(address)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


SchedulerOption = Annotated[
    str | None,
    typer.Option(callback=_scheduler,
                 help="Run on a Dask cluster: its scheduler address, tcp://HOST:PORT."),
]


SchedulerTimeoutOption = Annotated[
    float | None,
    typer.Option(min=0.1, max=86_400, help="With --scheduler: seconds to wait for the scheduler "
                 "to answer, and again for its first worker (default 10 and 30)."),
]


def cluster_of(scheduler: str | None, timeout_seconds: float | None) -> Cluster | None:
    """The cluster of --scheduler and --scheduler-timeout (None: run on this machine)."""
    if scheduler is None:
        if timeout_seconds is not None:
            raise fail(["--scheduler-timeout: only with --scheduler tcp://HOST:PORT"])
        return None
    return Cluster(scheduler, timeout_seconds)


SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a key: --set run.replications=30 (repeatable)."),
]


ColumnOption = Annotated[
    list[str] | None,
    typer.Option(help='Map an export\'s column: NAME="Export Header", e.g. offered="Calls '
                 'Offered" (repeatable); ignore="Header" leaves a column out. Names: '
                 'docs/import.md.'),
]


def name_value_pairs(option: str, items: list[str] | None, example: str) -> dict[str, str]:
    """NAME=VALUE items (quotes around the value dropped), each NAME once; ``ignore`` may
    come again (its entries keyed ``ignore:VALUE``); exit 2 naming the item otherwise."""
    pairs: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip().strip('"').strip("'")
        if not sep or not key or not value:
            raise fail([f"{option} {item!r}: give NAME=VALUE, e.g. {option} {example}"])
        key = f"ignore:{value}" if key == "ignore" else key
        if key in pairs:
            raise fail([f"{option} {item!r}: {key} given twice"])
        pairs[key] = value
    return pairs


def export_columns(items: list[str] | None) -> tuple[dict[str, str], list[str]]:
    """--column items as (canonical name -> header, headers ignored), for the export reader."""
    columns = name_value_pairs("--column", items, 'offered="Calls Offered"')
    return ({k: v for k, v in columns.items() if not k.startswith("ignore:")},
            [v for k, v in columns.items() if k.startswith("ignore:")])


HtmlOption = Annotated[
    Path | None,
    typer.Option(help="Also write a self-contained HTML report (charts, key figures, "
                 "assumptions) to this file, for a workshop."),
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
             scheduler: Cluster | None, targets_of: LoadedScenario | None = None
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
               workers: int | None, scheduler: Cluster | None
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


@dataclass(frozen=True)
class Outputs:
    """Where a command writes, checked by :func:`check_outputs` before anything is simulated."""

    out: Path | None  # the --out folder
    names: tuple[str, ...]  # every file of the command's --out set
    html: Path | None
    out_option: str = "--out"


def input_files(scenarios: Iterable[LoadedScenario]) -> dict[Path, str]:
    """Every file the scenarios read, resolved, with what it is to them: each scenario file,
    every file in its ``extends`` chain and every CSV its empirical distributions read."""
    reads: dict[Path, str] = {}
    for loaded in scenarios:
        for k, file in enumerate(loaded.files):
            reads.setdefault(file.resolve(), "a scenario file of this command" if k == 0
                             else f"a file {loaded.path} extends")
        for csv_file in _empirical_files(loaded.scenario):
            reads.setdefault(csv_file.resolve(), f"a CSV of observations {loaded.path} reads")
    return reads


def _empirical_files(node: object) -> Iterator[Path]:
    if isinstance(node, Empirical):
        yield Path(node.file)
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _empirical_files(getattr(node, name))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _empirical_files(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _empirical_files(item)


def _read_by_command(path: Path, reads: dict[Path, str]) -> str | None:
    """What ``path`` is to the command if it reads it (also through a symlink or hard link)."""
    what = reads.get(path.resolve())
    if what is None and path.is_file():
        what = next((w for r, w in reads.items() if r.is_file() and os.path.samefile(path, r)),
                    None)
    return what


def _unwritable(path: Path) -> str | None:
    """Why ``path`` cannot be created (its nearest existing folder is a file or read-only)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:  # writing creates the rest
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a writable folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder} is not a writable folder"
    return None


def _out_problems(outputs: Outputs, reads: dict[Path, str]) -> list[str]:
    out, option = outputs.out, outputs.out_option
    if out is None:
        return []
    if out.exists() and not out.is_dir():
        return [f"{option} {out}: exists and is not a folder; give a folder: a new one, or one "
                "ccsim wrote its results to before (they are replaced)"]
    if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
        return [f"{option} {out}: cannot write there: {out} is not a writable folder"]
    why = None if out.is_dir() else _unwritable(out / "x")
    if why is not None:
        return [f"{option} {out}: cannot create it: {why}"]
    problems = []
    for name in outputs.names:
        target = out / name
        what = _read_by_command(target, reads)
        if what is not None:
            problems.append(f"{option} {out}: would write over {target}, {what}; ccsim never "
                            "writes over what it reads: give another folder")
        elif target.is_dir():
            problems.append(f"{option} {out}: {target} is a folder, where ccsim writes its "
                            f"{name}; give another folder")
    return problems


def file_problems(option: str, path: Path | None, reads: dict[Path, str],
                  example: str) -> list[str]:
    """Why ``path`` cannot take the one file ``option`` writes (empty: it can): a folder, not a
    regular file, a file the command reads (``reads``; through symlinks and hard links too), or
    a file whose folder cannot be written. ``example``: a file name to suggest instead."""
    if path is None:
        return []
    if path.is_dir():
        return [f"{option} {path}: is a folder; give a file, e.g. {path / example}"]
    if path.exists() and not path.is_file():
        return [f"{option} {path}: exists and is not a regular file; give another file"]
    what = _read_by_command(path, reads)
    if what is not None:
        other = path.with_name(example if path.name != example else f"new-{example}")
        return [f"{option} {path}: is {what}; ccsim never writes over what it reads: give "
                f"another file, e.g. {other}"]
    why = _unwritable(path)
    return [] if why is None else [f"{option} {path}: cannot write it: {why}"]


def _html_problems(outputs: Outputs, reads: dict[Path, str]) -> list[str]:
    html = outputs.html
    problems = file_problems("--html", html, reads, "report.html")
    if problems or html is None:
        return problems
    if outputs.out is not None and html.resolve() in {
            (outputs.out / name).resolve() for name in outputs.names}:
        return [f"--html {html}: {outputs.out_option} {outputs.out} writes that file; give "
                "another file"]
    return []


def check_outputs(out: Path | None, names: Sequence[str], html: Path | None,
                  scenarios: Iterable[LoadedScenario], out_option: str = "--out") -> Outputs:
    """Every output path of a command, checked before anything is simulated (else exit 2, the
    option and path named): none is a file the command reads (``scenarios``' files, their
    ``extends`` chains, their CSVs; through symlinks too), ``--out`` is a folder or can be made
    one, ``--html`` a file that can be written."""
    outputs = Outputs(out, tuple(names), html, out_option)
    reads = input_files(scenarios)
    problems = _out_problems(outputs, reads) + _html_problems(outputs, reads)
    if problems:
        raise fail(problems)
    return outputs


def write_failed(outputs: Outputs, exc: OutputError) -> typer.Exit:
    """A file that could not be written, as one line naming the option, the file and the cause
    (exit 2)."""
    option = "--html" if outputs.html is not None and exc.path == outputs.html else \
        outputs.out_option
    where = outputs.html if option == "--html" else outputs.out
    return fail([f"{option} {where}: cannot write {exc.path}: {exc.cause}; nothing was "
                 "written (files already there are as they were)"])


def write_outputs(outputs: Outputs, files: dict[str, Callable[[], str | bytes]],
                  page: Callable[[], str] | None = None) -> None:
    """Write the ``--out`` set and the ``--html`` page whole or not at all, say so on stderr.

    A file of the set that this run does not produce (``outputs.names`` not in ``files``) is
    removed from the folder, so it holds one result set, never a mix of two runs."""
    unknown = set(files) - set(outputs.names)
    if unknown:
        msg = f"write_outputs: {sorted(unknown)} not in the set checked before the run"
        raise ValueError(msg)
    plan: dict[Path, Callable[[], str | bytes] | None] = {}
    if outputs.out is not None:
        plan.update({outputs.out / name: files.get(name) for name in outputs.names})
    if outputs.html is not None and page is not None:
        plan[outputs.html] = page
    try:
        written = write_all(plan)
    except OutputError as exc:
        raise write_failed(outputs, exc) from None
    folder = [str(path) for path in written if path != outputs.html]
    for line in (folder, [str(outputs.html)] if outputs.html in written else []):
        if line:  # the --out set, then the page
            err.print("wrote " + ", ".join(line), highlight=False, soft_wrap=True)


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


def new_file_problem(out: Path, force: bool, command: str) -> str | None:
    """Why ``command`` may not write the scenario file ``out`` (None: it may): it writes only a
    new regular file, or over one with ``--force``."""
    if out.is_symlink() or (out.exists() and not out.is_file()):
        return (f"{out}: exists and is not a regular file; {command} writes only a new file "
                "(or, with --force, over a scenario file): give another name")
    if out.exists() and not force:
        return (f"{out}: exists; {command} never writes over a file: give a new name, or "
                "--force to replace it")
    return None


def write_scenario(out: Path, text: str, what: str) -> None:
    """Write scenario text to ``out`` whole, once it loads as ccsim would load it (tried in a
    temporary folder): else exit 2 with its problems (``what``: "ccsim init: these options
    make"), or with why it could not be written, and nothing written."""
    with tempfile.TemporaryDirectory(prefix="ccsim-scenario-") as folder:
        trial = Path(folder) / out.name
        trial.write_text(text, encoding="utf-8")
        try:
            load_scenario(trial)
        except ScenarioError as exc:
            raise fail([f"{what} a scenario ccsim cannot run; nothing was written to {out}:",
                        *(line.replace(str(trial), str(out)) for line in exc.problems)]) from None
    try:
        write_all({out: lambda: text})
    except OutputError as exc:
        raise fail([f"{out}: cannot write it: {exc.cause}; nothing was written"]) from None
