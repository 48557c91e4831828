"""ccsim check: validate scenario files without running them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simulator.cli.common import SetOption, app, fail, warn
from simulator.spec.layers import ScenarioError, load_scenario


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
            if loaded.scenario.plan is not None:  # every month's scenario, as ccsim plan builds it
                from simulator.spec.months import month_scenarios

                month_scenarios(loaded.scenario, loaded.files, str(file))
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        warn(loaded)
        s = loaded.scenario
        Console().print(
            f"{file}: ok: {len(s.channels)} channel(s), {len(s.contact_types)} contact type(s), "
            f"{len(s.agent_groups)} agent group(s), about "
            f"{s.expected_contacts_per_open_day():,.0f} first contacts per open day",
            markup=False, highlight=False)  # wrapped at spaces to the terminal's width
    if problems:
        raise fail(problems)
