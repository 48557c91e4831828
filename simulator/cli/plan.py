"""ccsim plan: a scenario's [plan] month by month (docs/plan.md)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from simulator.cli.common import (
    Format,
    FormatOption,
    HtmlOption,
    ReplicationsOption,
    SchedulerOption,
    SchedulerTimeoutOption,
    SeedOption,
    SetOption,
    WorkersOption,
    app,
    check_outputs,
    cluster_of,
    err,
    fail,
    html_page,
    load_or_fail,
    overrides_of,
    print_result,
    within_bounds,
    write_outputs,
)
from simulator.report.files import to_json
from simulator.spec.layers import LoadedScenario, ScenarioError

if TYPE_CHECKING:
    from simulator.experiment import Cluster
    from simulator.results.plan import PlanResult
    from simulator.spec.schema import Scenario

#: the --out set: the document, the monthly summary, a CSV per view and the workbook
PLAN_FILES = ("plan.json", "plan.csv", "monthly_summary.csv", "cost_lines.csv",
              "headcount_flow.csv", "requirement.csv", "plan.xlsx")


def months_or_fail(loaded: LoadedScenario) -> list[Scenario]:
    """The plan's month scenarios (exit 2 naming the month and key of every problem)."""
    from simulator.spec.months import month_scenarios

    if loaded.scenario.plan is None:
        raise fail([f"{loaded.path}: plan: missing; ccsim plan needs a [plan] table (start, "
                    "months, forecast, attrition, hiring, roll-outs: docs/plan.md)"])
    try:
        return month_scenarios(loaded.scenario, loaded.files, str(loaded.path))
    except ScenarioError as exc:
        raise fail(exc.problems) from None


def plan_of(loaded: LoadedScenario, workers: int | None, cluster: Cluster | None
            ) -> PlanResult:
    """Run the plan with its progress on stderr (exit 2 if a month cannot be staffed)."""
    from simulator.spec.budget import plan_work
    from simulator.studies.plan import plan_study

    months = months_or_fail(loaded)
    assert loaded.scenario.plan is not None
    labels = loaded.scenario.plan.month_labels()
    within_bounds(str(loaded.path), plan_work(list(zip(labels, months, strict=True))))
    err.print(f"{loaded.path}: planning {len(months)} months, each staffed to the targets "
              "interval by interval ...", highlight=False)

    def progress(line: str) -> None:
        err.print(f"  {line}", highlight=False)

    try:
        return plan_study(loaded, workers, cluster, progress, months)
    except ValueError as exc:
        raise fail([f"{loaded.path}: {line}" for line in str(exc).splitlines()]) from None


@app.command()
def plan(
    file: Annotated[Path, typer.Argument(help="Scenario file with a [plan] table (TOML).")],
    format: FormatOption = Format.table,
    out: Annotated[Path | None, typer.Option(
        help="Also write plan.json, plan.csv (the monthly summary), a CSV per view "
        "(monthly_summary, cost_lines, headcount_flow, requirement) and plan.xlsx here.")] = None,
    html: HtmlOption = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    set_: SetOption = None,
    scheduler: SchedulerOption = None,
    scheduler_timeout: SchedulerTimeoutOption = None,
) -> None:
    """Months ahead: head-count, the FTE required at equal service, the gap and cost per contact.

    Each month is staffed to the file's targets in every interval (the first month by the full
    search, the others from the month before) and priced for its calendar days."""
    from simulator.report.plan import plan_csv, plan_tables, plan_xlsx, render_plan
    from simulator.report.tables import table_csv

    cluster = cluster_of(scheduler, scheduler_timeout)
    loaded = load_or_fail(file, overrides_of(set_, replications, seed))
    outputs = check_outputs(out, PLAN_FILES, html, [loaded])
    result = plan_of(loaded, workers, cluster)
    frames = cache(lambda: plan_tables(result))
    files: dict[str, Callable[[], str | bytes]] = {
        "plan.json": lambda: to_json(result.to_document()),
        "plan.csv": lambda: plan_csv(result), "plan.xlsx": lambda: plan_xlsx(result)}
    for name in ("monthly_summary", "cost_lines", "headcount_flow", "requirement"):
        files[f"{name}.csv"] = lambda name=name: table_csv(frames()[name])  # type: ignore[misc]
    write_outputs(outputs, files, lambda: html_page("plan_html", result.to_document()))
    print_result(format, lambda: to_json(result.to_document()), lambda: plan_csv(result),
                 lambda: render_plan(result, Console()))


#: the --out set of compare and bridge on plans
PLAN_COMPARISON_FILES = ("plan_comparison.json", "plan_comparison.csv")


def plan_steps(base: LoadedScenario, levers: list[Path]) -> list[LoadedScenario]:
    """``ccsim bridge`` on a plan: step *k* is the plan with levers 1..k rolled out from its
    first month (after the plan's own roll-outs), each a roll-out of the lever file."""
    from dataclasses import replace

    from simulator.spec.plan import Rollout
    from simulator.spec.reading import resolved

    plan = base.scenario.plan
    assert plan is not None
    steps: list[LoadedScenario] = []
    rollouts = list(plan.rollouts)
    for k, lever in enumerate(levers):
        rollouts.append(Rollout.model_validate({"from": plan.start, "lever": str(resolved(lever)),
                                                "name": lever.stem}))
        info = base.scenario.scenario.model_copy(update={
            "name": " + ".join([base.scenario.scenario.name, *(p.stem for p in levers[: k + 1])])})
        scenario = base.scenario.model_copy(update={
            "scenario": info, "plan": plan.model_copy(update={"rollouts": tuple(rollouts)})})
        steps.append(replace(base, scenario=scenario, path=lever))
    return steps


def plan_format(format: object) -> Format:
    """A --format of compare or bridge as one a plan comparison prints (no xlsx)."""
    value = str(getattr(format, "value", format))
    if value not in {f.value for f in Format}:
        raise fail([f"--format {value}: a comparison of plans prints table, json or csv"])
    return Format(value)


def compare_plans(loaded: list[LoadedScenario], kind: str, format: Format, out: Path | None,
                  html: Path | None, workers: int | None, cluster: Cluster | None) -> None:
    """``ccsim compare`` (``kind`` "compare") or ``bridge`` ("bridge") of plans: every plan
    on the baseline's seeds, the paired difference month by month and for the whole plan."""
    from simulator.report.plan import comparison_csv, render_plan_comparison
    from simulator.studies.plan import plan_comparison

    missing = [f"{item.path}: plan: missing; {kind} of plans needs a [plan] in every file"
               for item in loaded if item.scenario.plan is None]
    if missing:
        raise fail(missing)
    outputs = check_outputs(out, PLAN_COMPARISON_FILES, html, loaded)
    results = [plan_of(item, workers, cluster) for item in loaded]
    try:
        comparison = plan_comparison(results, kind)
    except ValueError as exc:
        raise fail([str(exc)]) from None
    write_outputs(outputs, {"plan_comparison.json": lambda: to_json(comparison.to_document()),
                            "plan_comparison.csv": lambda: comparison_csv(comparison)},
                  lambda: html_page("plan_comparison_html", comparison.to_document()))
    print_result(format, lambda: to_json(comparison.to_document()),
                 lambda: comparison_csv(comparison),
                 lambda: render_plan_comparison(comparison, Console()))
