"""ccsim sweep: a grid of scenarios over one or more keys, resumable."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from simulator.cli.common import (
    Format,
    FormatOption,
    HtmlOption,
    ReplicationsOption,
    SchedulerOption,
    SeedOption,
    WorkersOption,
    app,
    err,
    fail,
    html_page,
    overrides_of,
    print_result,
    write_outputs,
)
from simulator.experiment import result_document, run_replications
from simulator.report.files import sweep_csv, to_json, write_atomic
from simulator.spec.layers import ScenarioError


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
    from simulator.studies import sweep as grid_sweep

    base = overrides_of(None, replications, seed)
    try:
        axes = grid_sweep.parse_axes(set_)
    except ValueError as exc:
        raise fail([f"{file}: {exc}"]) from None
    points = grid_sweep.grid(axes)
    try:
        loaded = grid_sweep.load_points(file, base, points)
    except ScenarioError as exc:
        raise fail(exc.problems) from None
    folder = out or Path(f"sweep-{file.stem}")
    rows, documents, done = [], [], 0
    for item, overrides in zip(loaded, points, strict=True):
        ident = grid_sweep.point_id(item, overrides)
        document = read_point(folder, ident)
        if document is None:
            trees = run_replications(item.scenario, None, workers, scheduler=scheduler)
            document = result_document(item, trees)
            write_atomic(folder / "points" / f"{ident}.json", to_json(document))
            done += 1
        rows.append(grid_sweep.summary_row(document, overrides))
        documents.append(document)
        if sys.stderr.isatty():
            err.print(f"point {len(rows)}/{len(points)}: {' '.join(overrides)}", highlight=False)
    write_atomic(folder / "sweep.csv", sweep_csv(rows, axes))
    write_atomic(folder / "sweep.json", to_json({"file": str(file), "axes": [
        {"key": a.key, "values": list(a.values)} for a in axes], "points": rows}))
    from simulator.report.charts import sweep_figure, to_png  # on use: matplotlib is slow to load

    write_atomic(folder / "sweep.png", to_png(sweep_figure(rows, axes, loaded[0].scenario.costs.currency)))

    currency = loaded[0].scenario.costs.currency
    write_outputs(None, {}, html, lambda: html_page("sweep_html", str(file), rows, axes, currency,
                                                 documents))

    def table() -> None:
        from simulator.report.terminal import render_sweep

        render_sweep(rows, axes, Console(width=max(100, 30 + 16 * len(axes))), currency)
        err.print(f"{done} point(s) run, {len(points) - done} reused; wrote {folder}/sweep.csv, "
                  f"sweep.json and sweep.png", highlight=False)

    print_result(format, lambda: (folder / "sweep.json").read_text(encoding="utf-8"),
           lambda: (folder / "sweep.csv").read_text(encoding="utf-8"), table)


def read_point(folder: Path, ident: str) -> dict[str, Any] | None:
    """A finished point saved by an earlier run of the same sweep, or None."""
    path = folder / "points" / f"{ident}.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, json.JSONDecodeError):
        return None  # a damaged file is run again
