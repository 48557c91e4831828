"""The ``ccsim`` command line. Thin: it parses, calls the library and prints."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from simulator.config import Scenario
from simulator.experiment import result_document, run_replications
from simulator.loading import LoadedScenario, ScenarioError, load_all, load_scenario
from simulator.report import render_table, to_csv, to_json, write_atomic
from simulator.schedule import clock

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


def _fail(problems: list[str]) -> typer.Exit:
    for line in problems:
        err.print(line, markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


def _load(file: Path, overrides: list[str]) -> LoadedScenario:
    """Load a scenario, or fail with its problems (exit 2)."""
    try:
        return load_scenario(file, overrides)
    except ScenarioError as exc:
        raise _fail(exc.problems) from None


def _overrides(set_: list[str] | None, replications: int | None, seed: int | None) -> list[str]:
    """The --set items, then --replications and --seed as the overrides they stand for."""
    overrides = list(set_ or [])
    if replications is not None:
        overrides.append(f"run.replications={replications}")
    if seed is not None:
        overrides.append(f"run.seed={seed}")
    return overrides


def _with_progress(total: int, work: Callable[[Callable[[int], None] | None], T]) -> T:
    """Run ``work(on_done)`` with a progress bar on a terminal (none when output is piped)."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        return work(None)
    from rich.progress import (  # imported on use: only a terminal shows the bar
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(TextColumn("simulating"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("simulating", total=total)
        return work(lambda done: bar.update(task, completed=done))


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
    uncertainty: Annotated[bool, typer.Option(
        help="With an \\[uncertainty] table: also report cost per contact as a range over "
        "Latin-hypercube samples of its ranges.")] = True,
    html: HtmlOption = None,
) -> None:
    """Simulate a scenario and report service, agent hours and cost per contact."""
    loaded = _load(file, _overrides(set_, replications, seed))
    staffing = None
    if any(g.agents == "auto" for g in loaded.scenario.agent_groups):
        loaded, staffing = _staffed(loaded, None, workers, scheduler)
    n = loaded.scenario.run.replications
    trees = _with_progress(n, lambda on_done: run_replications(
        loaded.scenario, n, workers, on_done=on_done, scheduler=scheduler))
    document = result_document(loaded, trees)
    if staffing is not None:
        document["staffing"] = staffing
    ranges = loaded.scenario.uncertainty
    if uncertainty and ranges is not None:
        from simulator.uncertainty import uncertainty_range

        total = ranges.samples * (ranges.replications or n)
        document["uncertainty"] = _with_progress(total, lambda on_done: uncertainty_range(
            loaded.scenario, workers, on_done, scheduler))
    _write_outputs(out, {"result.json": lambda: to_json(document),
                         "result.csv": lambda: to_csv(document)},
                   html, lambda: _page("run_html", document))
    _print(format, lambda: to_json(document), lambda: to_csv(document),
           lambda: render_table(document, Console()))


def _staffed(loaded: LoadedScenario, groups: list[str] | None, workers: int | None,
             scheduler: str | None, targets_of: LoadedScenario | None = None
             ) -> tuple[LoadedScenario, dict[str, list[int]]]:
    """Re-staff a scenario (its "auto" groups, or ``groups``) to the fewest agents meeting the
    targets; say so on stderr, as it runs many simulations."""
    from dataclasses import replace

    from simulator.staffing import staff

    err.print(f"{loaded.path}: finding the fewest agents that meet the targets ...",
              highlight=False)
    try:
        scenario, staffing = staff(loaded.scenario, groups,
                                   targets_of.scenario if targets_of else None, workers, scheduler)
    except ValueError as exc:
        raise _fail([f"{loaded.path}: {exc}"]) from None
    return replace(loaded, scenario=scenario), staffing


def _restaffed(item: LoadedScenario, staff: StaffMode | None, targets_of: LoadedScenario,
               workers: int | None, scheduler: str | None) -> LoadedScenario:
    """``--staff equal-service``: every group re-staffed to the targets of ``targets_of``;
    without it, only groups with ``agents = "auto"`` (if any)."""
    if staff is StaffMode.equal_service:
        groups: list[str] | None = [g.name for g in item.scenario.agent_groups]
    elif any(g.agents == "auto" for g in item.scenario.agent_groups):
        groups = None
    else:
        return item
    return _staffed(item, groups, workers, scheduler, targets_of)[0]


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
    loaded = _load(file, _overrides(set_, replications, seed))
    names = [g.name for g in loaded.scenario.agent_groups]
    unknown = [g for g in (group or []) if g not in names]
    if unknown:
        raise _fail([f"{file}: --group: unknown {', '.join(unknown)}; known: {', '.join(names)}"])
    chosen = group or [g.name for g in loaded.scenario.agent_groups if g.agents == "auto"] or names
    staffed, staffing = _staffed(loaded, chosen, workers, scheduler)
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
    staff: StaffOption = None,
    html: HtmlOption = None,
) -> None:
    """Compare scenarios with a baseline on common random numbers: paired differences."""
    from simulator.comparison import comparison_document, same_run
    from simulator.experiment import run_many
    from simulator.report import comparison_csv, render_comparison

    overrides = _overrides(set_, replications, seed)
    base = _paired(_load(baseline, overrides))
    run = base.scenario.run
    # every scenario on the baseline's seeds and horizon: that is what pairs them
    try:
        loaded = [base, *load_all([(other, [*overrides, *same_run(base.scenario)])
                                   for other in others])]
    except ScenarioError as exc:
        raise _fail(exc.problems) from None
    loaded = [_restaffed(item, staff, base, workers, scheduler) for item in loaded]
    scenarios = [item.scenario for item in loaded]
    trees = _with_progress(len(scenarios) * run.replications, lambda on_done: run_many(
        scenarios, run.replications, workers, on_done=on_done, scheduler=scheduler))
    document = comparison_document(loaded, trees)
    _write_outputs(out, {"comparison.json": lambda: to_json(document),
                         "comparison.csv": lambda: comparison_csv(document)},
                   html, lambda: _page("comparison_html", document))
    # wide enough for a column per scenario, also when piped to a file
    _print(format, lambda: to_json(document), lambda: comparison_csv(document),
           lambda: render_comparison(document, Console(width=max(120, 34 + 18 * len(others)))))


@app.command()
def sweep(
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    set_: Annotated[list[str], typer.Option(
        "--set", help="KEY=V1,V2,... : values to sweep (repeat for a grid; one value fixes a key).")],
    out: Annotated[Path | None, typer.Option(
        help="Folder for points, sweep.csv, sweep.json and sweep.png (default sweep-<file>); "
        "a sweep restarted with the same folder skips finished points.")] = None,
    format: FormatOption = Format.table,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    html: HtmlOption = None,
) -> None:
    """Run a grid of scenarios over one or more keys: table, CSV and a chart; resumable."""
    from simulator import sweep as grid_sweep

    base = _overrides(None, replications, seed)
    try:
        axes = grid_sweep.parse_axes(set_)
    except ValueError as exc:
        raise _fail([f"{file}: {exc}"]) from None
    points = grid_sweep.grid(axes)
    try:
        loaded = grid_sweep.load_points(file, base, points)
    except ScenarioError as exc:
        raise _fail(exc.problems) from None
    folder = out or Path(f"sweep-{file.stem}")
    rows, documents, done = [], [], 0
    for item, overrides in zip(loaded, points, strict=True):
        ident = grid_sweep.point_id(item, overrides)
        document = grid_sweep.read_point(folder, ident)
        if document is None:
            trees = run_replications(item.scenario, None, workers, scheduler=scheduler)
            document = result_document(item, trees)
            write_atomic(folder / "points" / f"{ident}.json", to_json(document))
            done += 1
        rows.append(grid_sweep.summary_row(document, overrides))
        documents.append(document)
        if sys.stderr.isatty():
            err.print(f"point {len(rows)}/{len(points)}: {' '.join(overrides)}", highlight=False)
    write_atomic(folder / "sweep.csv", grid_sweep.rows_to_csv(rows, axes))
    write_atomic(folder / "sweep.json", to_json({"file": str(file), "axes": [
        {"key": a.key, "values": list(a.values)} for a in axes], "points": rows}))
    grid_sweep.chart(rows, axes, folder / "sweep.png", loaded[0].scenario.costs.currency)

    currency = loaded[0].scenario.costs.currency
    _write_outputs(None, {}, html, lambda: _page("sweep_html", str(file), rows, axes, currency,
                                                 documents))

    def table() -> None:
        from simulator.report import render_sweep

        render_sweep(rows, axes, Console(width=max(100, 30 + 16 * len(axes))), currency)
        err.print(f"{done} point(s) run, {len(points) - done} reused; wrote {folder}/sweep.csv, "
                  f"sweep.json and sweep.png", highlight=False)

    _print(format, lambda: (folder / "sweep.json").read_text(encoding="utf-8"),
           lambda: (folder / "sweep.csv").read_text(encoding="utf-8"), table)


def _write_outputs(out: Path | None, files: dict[str, Callable[[], str | bytes]],
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
            raise _fail([f"--html {html}: cannot write: {exc.strerror or exc}"]) from None
        written.append(str(html))
    if written:
        err.print("wrote " + ", ".join(written), highlight=False, soft_wrap=True)


def _print(format: Format, json_text: Callable[[], str], csv_text: Callable[[], str],
           table: Callable[[], None]) -> None:
    """The result on standard output, in the format asked for."""
    if format is Format.json:
        sys.stdout.write(json_text())
    elif format is Format.csv:
        sys.stdout.write(csv_text())
    else:
        table()


def _page(builder: str, *args: Any) -> str:
    """An HTML page built by :mod:`simulator.html_report` (``builder``: its function's name)."""
    from simulator import html_report  # imported on use: matplotlib is slow to import

    page: str = getattr(html_report, builder)(*args)
    return page


def _png(figure: str, document: dict[str, Any]) -> bytes:
    """A chart of :mod:`simulator.charts` (``figure``: its function's name) as PNG bytes."""
    from simulator import charts  # imported on use: matplotlib is slow to import

    return charts.to_png(getattr(charts, figure)(document))


def _paired(loaded: LoadedScenario) -> LoadedScenario:
    """The scenario, if it has the replications paired intervals need (else exit 2)."""
    if loaded.scenario.run.replications < 2:
        raise _fail([f"{loaded.path}: run.replications: paired intervals need at least 2"])
    return loaded


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
    staff: StaffOption = None,
) -> None:
    """Walk from the baseline's cost per contact to every lever together, one lever at a time."""
    from simulator import bridge as walk
    from simulator.experiment import run_many
    from simulator.report import bridge_csv, render_bridge

    overrides = _overrides(set_, replications, seed)
    base = _paired(_load(baseline, overrides))
    reps = base.scenario.run.replications
    try:
        steps, alone = walk.bridge_scenarios(base, levers, overrides)
        conflicting = walk.conflicts(baseline, levers,
                                     restaffed=staff is StaffMode.equal_service)
    except ScenarioError as exc:
        raise _fail(exc.problems) from None
    steps = [_restaffed(step, staff, base, workers, scheduler) for step in steps]
    alone = [steps[0], *(_restaffed(lever, staff, base, workers, scheduler) for lever in alone[1:])]
    base = _restaffed(base, staff, base, workers, scheduler)
    scenarios = walk.scenarios_to_run(base, steps, alone)
    trees = _with_progress(len(scenarios) * reps, lambda on_done: run_many(
        scenarios, reps, workers, on_done=on_done, scheduler=scheduler))
    document = walk.bridge_document(base, steps, alone, trees, conflicting)

    _write_outputs(out, {"bridge.json": lambda: to_json(document),
                         "bridge.csv": lambda: bridge_csv(document),
                         "bridge.png": lambda: _png("waterfall_figure", document)},
                   html, lambda: _page("bridge_html", document))
    _print(format, lambda: to_json(document), lambda: bridge_csv(document),
           lambda: render_bridge(document, Console(width=max(120, Console().width))))


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
    staff: StaffOption = None,
) -> None:
    """Rank the \\[uncertainty] inputs by their swing on cost per contact (a tornado)."""
    from simulator.report import render_sensitivity, sensitivity_csv
    from simulator.uncertainty import sensitivity_document, sensitivity_variants

    loaded = _load(file, _overrides(set_, replications, seed))
    scenario = loaded.scenario
    if scenario.uncertainty is None:
        raise _fail([f"{file}: uncertainty: no [uncertainty] table; give the inputs nobody "
                     "knows exactly as ranges, e.g. [[uncertainty.inputs]] name = \"volume\", "
                     "keys = [\"channels.voice.volume_per_day\"], scale = true, low = 0.9, "
                     "high = 1.1"])
    _paired(loaded)
    prepare = None
    if staff is StaffMode.equal_service:
        from simulator.staffing import staff as restaff

        groups = [g.name for g in scenario.agent_groups]
        err.print(f"{file}: re-staffing the file and both ends of every range to its targets "
                  "(many simulations) ...", highlight=False)

        def prepare(variant: Scenario) -> Scenario:
            try:
                return restaff(variant, groups, scenario, workers, scheduler)[0]
            except ValueError as exc:
                raise _fail([f"{file}: {exc}"]) from None
    elif any(g.agents == "auto" for g in scenario.agent_groups):
        loaded, _ = _staffed(loaded, None, workers, scheduler)
    total = len(sensitivity_variants(loaded.scenario)) * scenario.run.replications
    document = _with_progress(total, lambda on_done: sensitivity_document(
        loaded, workers, on_done, scheduler, prepare))

    _write_outputs(out, {"sensitivity.json": lambda: to_json(document),
                         "sensitivity.csv": lambda: sensitivity_csv(document),
                         "tornado.png": lambda: _png("tornado_figure", document)},
                   html, lambda: _page("sensitivity_html", document))
    _print(format, lambda: to_json(document), lambda: sensitivity_csv(document),
           lambda: render_sensitivity(document, Console(width=max(120, Console().width))))


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


class ErlangModel(StrEnum):
    c = "c"
    a = "a"
    b = "b"


@app.command()
def erlang(
    model: Annotated[ErlangModel, typer.Argument(help="c: queue; a: queue with abandonment; "
                                                 "b: lost calls (busy signal)")],
    arrivals_per_hour: Annotated[float, typer.Option(min=0.0, help="Contacts an hour.")],
    aht_seconds: Annotated[float, typer.Option(min=0.0, help="Average handle time.")],
    agents: Annotated[int | None, typer.Option(min=1, max=100_000, help="Agents.")] = None,
    sl_seconds: Annotated[float, typer.Option(min=0.0, help="Service-level threshold.")] = 20.0,
    patience_seconds: Annotated[
        float | None, typer.Option(min=0.0, help="Mean patience (Erlang A).")] = None,
    lines: Annotated[int | None, typer.Option(min=1, help="Lines (Erlang B); default agents.")] = None,
    target_sl: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="Find the fewest agents meeting this service level.")] = None,
    max_occupancy: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="With --target-sl: and at most this occupancy.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Instant Erlang C / A / B figures for a workshop (no simulation)."""
    from simulator import analytic  # imported on use: the simulator does not need it

    rate = arrivals_per_hour / 3600
    try:
        if model is ErlangModel.b:
            servers = lines or agents
            if servers is None:
                raise typer.BadParameter("Erlang B needs --lines (or --agents)")
            figures = analytic.erlang_b_figures(rate, aht_seconds, servers)
        else:
            patience = patience_seconds if model is ErlangModel.a else None
            if model is ErlangModel.a and patience is None:
                raise typer.BadParameter("Erlang A needs --patience-seconds")
            if target_sl is not None:
                agents = analytic.agents_for_service_level(
                    rate, aht_seconds, sl_seconds, target_sl, patience, max_occupancy)
            if agents is None:
                raise typer.BadParameter("give --agents, or --target-sl to find them")
            figures = (analytic.erlang_c(rate, aht_seconds, agents, sl_seconds)
                       if patience is None else
                       analytic.erlang_a(rate, aht_seconds, patience, agents, sl_seconds))
    except ValueError as exc:
        raise _fail([f"ccsim erlang {model.value}: {exc}"]) from None
    result = {
        "model": f"erlang_{model.value}",
        "arrivals_per_hour": arrivals_per_hour,
        "aht_seconds": aht_seconds,
        "sl_seconds": sl_seconds,
        "agents": figures.agents,
        "offered_load_erlangs": figures.offered_load_erlangs,
        "service_level": figures.service_level,
        "wait_probability": figures.wait_probability,
        "asa_seconds": figures.asa_seconds,
        "occupancy": figures.occupancy,
        "abandon_rate": figures.abandon_rate,
        "blocking": figures.blocking,
    }
    if format is Format.json:
        sys.stdout.write(to_json(result))
        return
    if format is Format.csv:
        sys.stdout.write("metric,value\n" + "".join(f"{k},{v}\n" for k, v in result.items()))
        return
    from rich.table import Table

    table = Table(title=f"Erlang {model.value.upper()} · {arrivals_per_hour:g}/h · "
                  f"{aht_seconds:g} s", title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("agents" if model is not ErlangModel.b else "lines", str(figures.agents))
    table.add_row("offered load (erlangs)", f"{figures.offered_load_erlangs:.2f}")
    if model is ErlangModel.b:
        table.add_row("blocking (busy signal)", f"{figures.blocking:.2%}")
    else:
        table.add_row(f"service level ({sl_seconds:g} s)", f"{figures.service_level:.1%}")
        table.add_row("wait probability", f"{figures.wait_probability:.1%}")
        table.add_row("average speed of answer", f"{figures.asa_seconds:.1f} s")
        if model is ErlangModel.a:
            table.add_row("abandon rate", f"{figures.abandon_rate:.1%}")
    table.add_row("occupancy", f"{figures.occupancy:.1%}")
    Console().print(table)


def main() -> None:
    """Console-script entry point."""
    app()
