"""ccsim show: the effective scenario (after extends and --set, defaults filled in) as TOML,
each value saying where it came from, without running it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.common import SetOption, app, load_or_fail
from simulator.spec.effective import effective_toml


@app.command()
def show(
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    set_: SetOption = None,
) -> None:
    """Print the scenario a file runs, after extends and --set, defaults filled in.

    Each value ends with where it came from: # file, # parent NAME, # --set or # default.
    The output is a scenario file of its own: saved and run, it gives the same result."""
    loaded = load_or_fail(file, list(set_ or []))
    sys.stdout.write(effective_toml(loaded))
