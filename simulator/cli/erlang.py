"""ccsim erlang c|a|b: instant queueing figures for a workshop (no simulation)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from simulator.cli.common import Format, app, fail
from simulator.report.files import to_json

if TYPE_CHECKING:
    from simulator.analytic import QueueFigures

#: most rows ``--agents-range`` gives
MAX_RANGE_ROWS = 500


class ErlangModel(StrEnum):
    c = "c"
    a = "a"
    b = "b"


def agents_range(text: str | None) -> range | None:
    """``12-20`` as the agent counts 12 to 20 (else exit 2 naming the option)."""
    if text is None:
        return None
    low, _, high = text.partition("-")
    if not (low.strip().isdigit() and high.strip().isdigit()):
        raise fail([f"--agents-range: {text!r}: give LOW-HIGH, two whole numbers of agents, "
                    "e.g. 12-20"])
    first, last = int(low), int(high)
    if not 1 <= first <= last or last - first + 1 > MAX_RANGE_ROWS:
        raise fail([f"--agents-range: {text!r}: give LOW-HIGH with 1 <= LOW <= HIGH and at most "
                    f"{MAX_RANGE_ROWS} rows, e.g. 12-20"])
    return range(first, last + 1)


def _figures(model: ErlangModel, rate: float, aht_seconds: float, servers: int,
             sl_seconds: float, patience: float | None) -> QueueFigures:
    from simulator import analytic  # imported on use: the simulator does not need it

    if model is ErlangModel.b:
        return analytic.erlang_b_figures(rate, aht_seconds, servers)
    if patience is None:
        return analytic.erlang_c(rate, aht_seconds, servers, sl_seconds)
    return analytic.erlang_a(rate, aht_seconds, patience, servers, sl_seconds)


def _row(figures: QueueFigures | None, agents: int, shrinkage: float | None) -> dict[str, Any]:
    """One agent count's figures (None for an unstable queue: every figure null)."""
    from simulator.analytic import rostered_agents

    keys = ("service_level", "wait_probability", "asa_seconds", "occupancy", "abandon_rate",
            "blocking")
    row: dict[str, Any] = {"agents": agents}
    row.update({key: None if figures is None else getattr(figures, key) for key in keys})
    row["agents_to_roster"] = None if shrinkage is None else rostered_agents(agents, shrinkage)
    return row


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
    shrinkage: Annotated[float | None, typer.Option(
        min=0.0, max=0.95, help="Share of paid time off the phones (0.3 = 30 %): also say the "
        "agents to roster, agents / (1 - shrinkage) rounded up (C and A).")] = None,
    agents_range_: Annotated[str | None, typer.Option(
        "--agents-range", help="Also a table over agent counts LOW-HIGH (lines for Erlang B), "
        "e.g. 12-20.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Instant Erlang C / A / B figures for a workshop (no simulation)."""
    from simulator import analytic  # imported on use: the simulator does not need it

    rate = arrivals_per_hour / 3600
    counts = agents_range(agents_range_)
    if shrinkage is not None and model is ErlangModel.b:
        raise fail(["--shrinkage: only for Erlang C and A: Erlang B counts lines, not people"])
    patience = patience_seconds if model is ErlangModel.a else None
    figures: QueueFigures | None = None
    try:
        if model is ErlangModel.b:
            servers = lines or agents
            if servers is None and counts is None:
                raise typer.BadParameter("Erlang B needs --lines (or --agents, or --agents-range)")
        else:
            if model is ErlangModel.a and patience is None:
                raise typer.BadParameter("Erlang A needs --patience-seconds")
            if target_sl is not None:
                agents = analytic.agents_for_service_level(
                    rate, aht_seconds, sl_seconds, target_sl, patience, max_occupancy)
            if agents is None and counts is None:
                raise typer.BadParameter("give --agents, or --target-sl to find them, or "
                                         "--agents-range for a table")
            servers = agents
        if servers is not None:
            figures = _figures(model, rate, aht_seconds, servers, sl_seconds, patience)
    except ValueError as exc:
        raise fail([f"ccsim erlang {model.value}: {exc}"]) from None
    table = None if counts is None else [_table_row(model, rate, aht_seconds, n, sl_seconds,
                                                    patience, shrinkage) for n in counts]
    result: dict[str, Any] = {
        "model": f"erlang_{model.value}",
        "arrivals_per_hour": arrivals_per_hour,
        "aht_seconds": aht_seconds,
        "sl_seconds": sl_seconds,
        "offered_load_erlangs": rate * aht_seconds,
    }
    if figures is not None:
        result.update(_row(figures, figures.agents, shrinkage))
        result["shrinkage"] = shrinkage
    if table is not None:
        result["table"] = table
    if format is Format.json:
        sys.stdout.write(to_json(result))
    elif format is Format.csv:
        sys.stdout.write(_csv(result, table))
    else:
        console = Console()
        if figures is not None:
            console.print(_figures_table(model, figures, sl_seconds, shrinkage, result))
        if table is not None:
            console.print(_range_table(model, table, sl_seconds, shrinkage))


def _table_row(model: ErlangModel, rate: float, aht_seconds: float, n: int, sl_seconds: float,
               patience: float | None, shrinkage: float | None) -> dict[str, Any]:
    try:
        figures: QueueFigures | None = _figures(model, rate, aht_seconds, n, sl_seconds, patience)
    except ValueError:  # Erlang C with no more agents than the load: the queue never empties
        figures = None
    return _row(figures, n, shrinkage)


def _csv(result: dict[str, Any], table: list[dict[str, Any]] | None) -> str:
    """``metric,value`` rows; with a range, the table instead: one row per agent count."""
    def cell(value: Any) -> str:
        return "" if value is None else str(value)

    if table is None:
        return "metric,value\n" + "".join(f"{k},{cell(v)}\n" for k, v in result.items())
    header = list(table[0])
    return ",".join(header) + "\n" + "".join(
        ",".join(cell(row[key]) for key in header) + "\n" for row in table)


def _figures_table(model: ErlangModel, figures: QueueFigures, sl_seconds: float,
                   shrinkage: float | None, result: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(title=f"Erlang {model.value.upper()} · {result['arrivals_per_hour']:g}/h · "
                  f"{result['aht_seconds']:g} s", title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("agents" if model is not ErlangModel.b else "lines", str(figures.agents))
    if shrinkage is not None:
        table.add_row(f"agents to roster ({shrinkage:.0%} shrinkage)",
                      str(result["agents_to_roster"]))
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
    return table


def _range_table(model: ErlangModel, rows: list[dict[str, Any]], sl_seconds: float,
                 shrinkage: float | None) -> Any:
    from rich.table import Table

    def share(value: float | None, digits: int = 1) -> str:
        return "unstable" if value is None else f"{value:.{digits}%}"

    table = Table(title="Over agent counts" if model is not ErlangModel.b else "Over lines",
                  title_justify="left")
    columns: list[tuple[str, Any]] = [("agents" if model is not ErlangModel.b else "lines",
                                       lambda r: str(r["agents"]))]
    if shrinkage is not None:
        columns.append((f"to roster ({shrinkage:.0%})", lambda r: str(r["agents_to_roster"])))
    if model is ErlangModel.b:
        columns.append(("blocking", lambda r: share(r["blocking"], 2)))
    else:
        columns += [
            (f"service level ({sl_seconds:g} s)", lambda r: share(r["service_level"])),
            ("ASA (s)", lambda r: "unstable" if r["asa_seconds"] is None
             else f"{r['asa_seconds']:.1f}"),
        ]
    columns.append(("occupancy", lambda r: share(r["occupancy"])))
    if model is ErlangModel.a:
        columns.append(("abandon rate", lambda r: share(r["abandon_rate"])))
    for title, _ in columns:
        table.add_column(title, justify="right")
    for row in rows:
        table.add_row(*(text(row) for _, text in columns))
    return table
