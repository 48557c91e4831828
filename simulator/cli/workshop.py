"""ccsim workshop: the live what-if page of a baseline and its levers (docs/workshop.md)."""

from __future__ import annotations

import datetime
import socket
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.common import (
    WorkersOption,
    app,
    check_outputs,
    err,
    fail,
    load_or_fail,
    paired,
)
from simulator.spec.layers import ScenarioError

LOCAL = "127.0.0.1"


def free_port(host: str) -> int:
    """A port nobody listens on now (the system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _open_browser(url: str) -> None:
    """Open the page in the machine's browser, if it has one (say so if not)."""
    try:
        opened = webbrowser.get().open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        err.print(f"no browser to open here: open {url} yourself", highlight=False)


@app.command()
def workshop(
    baseline: Annotated[Path, typer.Argument(help="The baseline scenario.")],
    levers: Annotated[list[Path] | None, typer.Argument(
        help="Lever scenarios (each extends the baseline): a panel of controls each.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535,
                                             help="Port to serve on (default: a free one).")
                    ] = None,
    host: Annotated[str, typer.Option(help="Address to bind; the default serves this machine "
                                      "only. Another address lets the network in: no login, "
                                      "no encryption.")] = LOCAL,
    no_browser: Annotated[bool, typer.Option("--no-browser",
                                             help="Do not open a browser.")] = False,
    out: Annotated[Path | None, typer.Option(
        help="Folder the page's exports go to, each in a new export-NN folder (default "
        "./workshop-YYYY-MM-DD).")] = None,
    precision: Annotated[float, typer.Option(
        min=0.0001, max=100, help="Stop adding replications once every paired 95 % half-width "
        "of cost per contact is below this (money per contact).")] = 0.02,
    budget_seconds: Annotated[float, typer.Option(
        min=1, max=3600, help="Stop adding replications after this long per question.")] = 15.0,
    min_replications: Annotated[int | None, typer.Option(
        min=2, max=1000, help="Never stop for precision before this many replications "
        "(default: the baseline's run.replications, so every answer and guardrail is judged "
        "on at least as many as ccsim run and compare judge them; at least 2).")] = None,
    max_replications: Annotated[int, typer.Option(
        min=2, max=1000, help="Stop at this many replications per question.")] = 100,
    workers: WorkersOption = None,
) -> None:
    """A live what-if page on this machine: move the levers, get paired answers in seconds."""
    from simulator.experiment import default_workers
    from simulator.studies.precision import Precision
    from simulator.workshop.question import levers_of

    base = paired(load_or_fail(baseline, []))
    try:
        panels = levers_of(base, levers or [])
    except ScenarioError as exc:
        raise fail(exc.problems) from None
    folder = out if out is not None else Path(f"workshop-{datetime.date.today().isoformat()}")
    check_outputs(folder, [], None, [base])
    try:
        socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        raise fail([f"--host {host}: not an address of this machine"]) from None
    try:
        chosen = port if port is not None else free_port(host)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((host, chosen))
    except OSError as exc:
        raise fail([f"--port {port}: cannot listen on {host}:{port}: {exc.strerror}; give "
                    "another port, or leave --port out for a free one"
                    if port is not None else f"--host {host}: cannot listen there: "
                    f"{exc.strerror}"]) from None
    fewest = (min_replications if min_replications is not None
              else min(max(base.scenario.run.replications, 2), max_replications))
    if fewest > max_replications:
        raise fail([f"--min-replications {fewest}: at most --max-replications "
                    f"({max_replications})"])
    stop = Precision(precision, budget_seconds, fewest, max_replications)
    from simulator.workshop.page import workshop_app  # on use: only this command needs Shiny
    from simulator.workshop.runner import Runner

    runner = Runner(stop, workers or default_workers())
    runner.warm()
    words = (f"precision: paired half-width below {base.scenario.costs.currency} "
             f"{precision:g} per contact, or {budget_seconds:g} s, or {max_replications} "
             "replications")
    page = workshop_app(base, panels, runner, folder, words)
    url = f"http://{host}:{chosen}/"
    import uvicorn  # on use: installed with Shiny

    try:
        # the baseline's fewest replications before the page opens: every question then
        # simulates only its levers (a first answer in one replication's time)
        err.print(f"ccsim workshop: simulating the baseline's {fewest} replications first ...",
                  highlight=False, soft_wrap=True)
        runner.prepare(base.scenario, fewest)
        err.print(f"ccsim workshop: {url} (Ctrl-C ends it); exports go to {folder}",
                  highlight=False, soft_wrap=True)
        if host == LOCAL:
            err.print(f"binds to {LOCAL} only: this machine can open it, the network cannot",
                      highlight=False, soft_wrap=True)
        else:
            err.print(f"warning: binds to {host}: anyone who can reach this address can use "
                      "the page and its exports (no login, no encryption)",
                      style="bold yellow", highlight=False, soft_wrap=True)
        if not no_browser:
            threading.Timer(1.0, _open_browser, args=(url,)).start()
        uvicorn.run(page, host=host, port=chosen, log_level="warning",
                    timeout_graceful_shutdown=2)
    finally:
        runner.close()
        err.print("ccsim workshop: ended", highlight=False)
