"""The ``ccsim`` command line. Thin: one module per command, each parses, calls the library
and prints; what they share is in :mod:`simulator.cli.common`."""

from simulator.cli import (
    backtest,
    bridge,
    calibrate,
    check,
    compare,
    erlang,
    importing,
    init,
    plan,
    run,
    sensitivity,
    show,
    staff,
    sweep,
    workshop,
)
from simulator.cli.common import app

__all__ = ["app", "backtest", "bridge", "calibrate", "check", "compare", "erlang", "importing",
           "init", "main", "plan", "run", "sensitivity", "show", "staff", "sweep",
           "workshop"]


def main() -> None:
    """Console-script entry point."""
    app()
