"""ccsim import: a scenario estimated from a centre's interval exports (ACD / CCaaS)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.common import (
    ColumnOption,
    app,
    export_columns,
    fail,
    file_problems,
    name_value_pairs,
    new_file_problem,
    write_scenario,
)
from simulator.history.cleaning import cleaned
from simulator.history.estimates import Estimates, estimated
from simulator.history.reading import ExportProblem, read_exports
from simulator.history.seasons import SeasonProblem, Seasons, seasons_of
from simulator.history.table import History, channel_name
from simulator.history.writing import Choices, forecast, plan_summary, scenario_toml, summary_lines
from simulator.report.format import printable
from simulator.spec.plan import MAX_FACTOR, MAX_MONTHS, month_index
from simulator.spec.schema import CHANNEL_KINDS, ChannelSpec

#: contacts at once, the schema's bound on a channel's ``concurrency``
MAX_CONCURRENCY: int = next(m.le for m in ChannelSpec.model_fields["concurrency"].metadata
                            if hasattr(m, "le"))
_TARGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*/\s*(\d+(?:\.\d+)?)\s*s?\s*$")


def _target(text: str | None, threshold: float | None) -> tuple[float, float, bool]:
    """(share, threshold seconds, given) of --target PCT/SECONDS and --threshold-seconds."""
    if text is None:
        return 0.80, 20.0 if threshold is None else threshold, False
    match = _TARGET.match(text)
    if match is None or not 0 < float(match.group(1)) <= 100 or float(match.group(2)) <= 0:
        raise fail([f"--target {text!r}: give PERCENT/SECONDS, e.g. 80/20 (80 % answered "
                    "within 20 seconds)"])
    seconds = float(match.group(2))
    if threshold is not None and threshold != seconds:
        raise fail([f"--target {text}: its {seconds:g} seconds differ from --threshold-seconds "
                    f"{threshold:g} (the export's answered-within threshold); give one"])
    return float(match.group(1)) / 100, seconds, True


def _concurrency(given: dict[str, str], estimates: Estimates) -> dict[str, int]:
    """--concurrency QUEUE=N (the export's queue or its channel name) per channel name."""
    queues = {key: q for q in estimates.queues for key in (q.queue, q.channel)}
    out: dict[str, int] = {}
    for queue, text in given.items():
        q = queues.get(queue)
        if q is None:
            raise fail([f"--concurrency {queue}=...: no such queue; queues: "
                        f"{', '.join(e.queue for e in estimates.queues)}"])
        if q.kind not in ("chat", "social"):
            raise fail([f"--concurrency {queue}={text}: {queue} is a {q.kind} queue; only chat "
                        "and social carry several contacts at once (--kind QUEUE=chat)"])
        if not text.isdigit() or not 1 <= int(text) <= MAX_CONCURRENCY:
            raise fail([f"--concurrency {queue}={text}: give a whole number 1-{MAX_CONCURRENCY}"])
        out[q.channel] = int(text)
    return out


def _plan_start(text: str | None, months: int) -> str | None:
    if text is None and months != 12:
        raise fail([f"--plan-months {months}: give --plan-start YYYY-MM too (the plan's first "
                    "month)"])
    if text is not None:
        try:
            month_index(text)
        except ValueError as exc:
            raise fail([f"--plan-start: {exc}"]) from None
    return text


def _seasons(history: History, estimates: Estimates, choices: Choices) -> Seasons | None:
    """The history's seasons for --plan-start (None without it); fail for too short a history
    or a factor out of the plan's bounds."""
    if choices.plan_start is None:
        return None
    try:
        seasons = seasons_of(history, estimates, f"--plan-start {choices.plan_start}")
    except SeasonProblem as exc:
        raise fail([str(exc)]) from None
    for name, factors in forecast(seasons, estimates, choices).items():
        bad = [f for f in factors if not 0 < f <= MAX_FACTOR]
        if bad:
            raise fail([f"--plan-start {choices.plan_start}: channel {name}'s forecast factor "
                        f"{bad[0]:g} is outside the plan's (0, {MAX_FACTOR:g}]; the history's "
                        "growth taken this far is not a forecast (a shorter --plan-months?)"])
    return seasons


@app.command("import")
def import_(
    exports: Annotated[list[Path], typer.Argument(help="Interval exports (CSV), one or more.")],
    out: Annotated[Path, typer.Option(help="The scenario file to write.")],
    column: ColumnOption = None,
    kind: Annotated[list[str] | None, typer.Option(
        help="A queue's channel kind, QUEUE=chat (voice, chat, email, social; repeatable); "
        "default: guessed from the name (chat, mail), else voice.")] = None,
    threshold_seconds: Annotated[float | None, typer.Option(
        min=0.001, max=86_400, help="Service-level threshold of the answered-within column "
        "(default 20, or the seconds of --target).")] = None,
    target: Annotated[str | None, typer.Option(
        help="Service-level target of every live channel, PERCENT/SECONDS (default 80/20).")
    ] = None,
    hourly_wage: Annotated[float | None, typer.Option(
        min=0, max=10_000, help="Agents' pay per paid hour (default: none, a scenario without "
        "money).")] = None,
    concurrency: Annotated[list[str] | None, typer.Option(
        help="Contacts a chat or social agent carries at once, QUEUE=2 (repeatable; exports "
        "do not say; default 1).")] = None,
    name: Annotated[str | None, typer.Option(help="The scenario's name in reports.")] = None,
    plan_start: Annotated[str | None, typer.Option(
        help="Also write a plan table from this month, YYYY-MM, its volume forecast per channel from "
        "the export's whole calendar months (needs 12; growth from 24).")] = None,
    plan_months: Annotated[int, typer.Option(
        min=1, max=MAX_MONTHS, help="The plan's months (with --plan-start).")] = 12,
    force: Annotated[bool, typer.Option(help="Replace OUT if it exists.")] = False,
) -> None:
    """Estimate a scenario from your interval exports (then: ccsim run OUT).

    Volumes per weekday and interval, handle time, patience, day-to-day variation and the
    staffing seen, from ACD or CCaaS interval exports; what was dropped and why is printed."""
    share, threshold, given = _target(target, threshold_seconds)
    start = _plan_start(plan_start, plan_months)
    mapping, ignored = export_columns(column)
    kinds = name_value_pairs("--kind", kind, "support_chat=chat")
    bad = [k for k in kinds.values() if k not in CHANNEL_KINDS]
    if bad:
        raise fail([f"--kind: {bad[0]!r} is not a channel kind; allowed: "
                    f"{', '.join(CHANNEL_KINDS)}"])
    reads = {path.resolve(): "an export of this command" for path in exports}
    problems = file_problems("--out", out, reads, "scenario.toml")
    problem = None if problems else new_file_problem(out, force, "ccsim import")
    if problems or problem:
        raise fail(problems or [str(problem)])
    try:
        history = read_exports(exports, mapping, threshold, ignored=ignored)
        kept = cleaned(history)
        estimates = estimated(kept, kinds)
    except ExportProblem as exc:
        raise fail([str(exc)]) from None
    except ValueError as exc:
        raise fail([f"{', '.join(map(str, exports))}: {exc}"]) from None
    unknown = [q for q in kinds if q not in history.queues and
               q not in {channel_name(h) for h in history.queues}]
    if unknown:
        raise fail([f"--kind {unknown[0]}=...: no such queue; queues: "
                    f"{', '.join(history.queues)}"])
    channels = [q.channel for q in estimates.queues]
    twice = sorted({c for c in channels if channels.count(c) > 1})
    if twice:
        raise fail([f"queues {', '.join(q.queue for q in estimates.queues if q.channel in twice)} "
                    f"all become channel {twice[0]!r}; rename one in the export"])
    at_once = _concurrency(name_value_pairs("--concurrency", concurrency, "support_chat=2"), estimates)
    choices = Choices(name=name or printable(f"Imported from {exports[0].name}"),
                      target_share=share, target_given=given, hourly_wage=hourly_wage,
                      concurrency=at_once, plan_start=start, plan_months=plan_months)
    seasons = _seasons(history, estimates, choices)
    text = scenario_toml(estimates, choices, seasons)
    write_scenario(out, text, "ccsim import: the history makes")
    lines = summary_lines(estimates, len(history.frame))
    if seasons is not None:
        lines += plan_summary(seasons, estimates, choices)
    for line in lines:
        typer.echo(printable(line))  # queue names from a file: no terminal escapes
    typer.echo(printable(f"wrote {out}; next: ccsim check {out}, ccsim run {out}"))
