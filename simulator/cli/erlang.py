"""ccsim erlang c|a|b: instant queueing figures for a workshop (no simulation)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from simulator.cli.common import Format, app, fail
from simulator.report.files import to_json


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
        raise fail([f"ccsim erlang {model.value}: {exc}"]) from None
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
