"""The workshop's page: a Shiny for Python app over the runner (the only module that imports
Shiny). It reads the controls, asks the question, shows each answer as it tightens and keeps
the room's record; every figure comes from :mod:`.answers`, every file from :mod:`.record`."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shiny import App, Inputs, Outputs, Session, reactive, render, ui

from simulator.report.files import OutputError
from simulator.results.estimate import Estimate
from simulator.spec.layers import LoadedScenario
from simulator.workshop.answers import Results, compliance_lines, money, results_of
from simulator.workshop.answers import status as status_words
from simulator.workshop.question import Lever, Question, ask
from simulator.workshop.record import Session as Record
from simulator.workshop.record import export, session_csv
from simulator.workshop.runner import Asked, Asker, Runner

#: how often the page looks for a newer answer (seconds)
POLL_SECONDS = 0.2

STYLE = """
body { font-family: system-ui, sans-serif; }
.card-row { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0.5rem 0 1rem; }
.figure-card { border: 1px solid #bbb; border-radius: 6px; padding: 0.6rem 0.9rem; min-width: 14rem; }
.figure-card .big { font-size: 1.5rem; font-weight: 600; }
.problem { color: #a40000; font-weight: 600; white-space: pre-wrap; }
.provisional { color: #8a5a00; font-weight: 600; }
.final { color: #1f6f2f; font-weight: 600; }
.broken { color: #a40000; }
.met { color: #1f6f2f; }
.lever { border-top: 2px solid #ddd; margin-top: 1rem; padding-top: 0.5rem; }
table.session td, table.session th { padding: 0.2rem 0.6rem; border-bottom: 1px solid #ddd; }
"""


def _input_id(lever: Lever, ident: str) -> str:
    return f"{lever.ident}__{ident}"


def _figure(ident: str, label: str, text: str, value: Estimate) -> Any:
    """A card with a figure; its exact mean in ``data-value`` (for checks against the CLI)."""
    mean = "" if value.mean is None else repr(value.mean)
    return ui.div(ui.div(label), ui.div(text, class_="big", id=ident, **{"data-value": mean}),
                  class_="figure-card")


def page_ui(baseline: LoadedScenario, levers: list[Lever], precision_text: str) -> Any:
    """The page: the baseline's cards, a panel per lever with its controls, the comparison,
    the bridge, the room's record and its export."""
    panels = []
    for k, lever in enumerate(levers):
        where = "the baseline" if lever.path is None else str(lever.path)
        controls = []
        for c in lever.controls:
            controls.append(ui.input_numeric(
                _input_id(lever, c.ident), f"{c.label} ({c.unit}; {c.bound.text()})", c.start,
                min=c.bound.low, max=c.bound.high, step=c.step, update_on="blur"))
            controls.append(ui.output_ui(f"{_input_id(lever, c.ident)}__problem"))
        panels.append(ui.div(
            ui.h3(lever.name), ui.p(f"changes {where}; keys: "
                                    + ", ".join(c.key for c in lever.controls)),
            ui.input_checkbox(_input_id(lever, "on"), "switched on",
                              value=k == 0 and lever.path is not None),
            *controls, ui.output_ui(f"{lever.ident}__problems"), class_="lever"))
    return ui.page_fluid(
        ui.head_content(ui.tags.title("ccsim workshop"), ui.tags.link(rel="icon", href="data:,"),
                        ui.tags.style(STYLE)),
        ui.h1(f"ccsim workshop: {baseline.scenario.scenario.name}"),
        ui.p(f"Baseline {baseline.path}; every lever on its seeds (common random numbers). "
             f"{precision_text}"),
        ui.output_ui("status"),
        ui.h2("Baseline"), ui.output_ui("baseline_cards"),
        ui.h2("Against the baseline"), ui.output_ui("comparison"),
        ui.h2("Bridge of the levers switched on"), ui.output_ui("bridge"),
        ui.h2("Levers"), *panels,
        ui.h2("The room's record"), ui.output_ui("session_list"),
        ui.input_action_button("export", "Export the session (lever files, CSV, HTML report)"),
        ui.download_button("download_session", "Download the session list (CSV)"),
        ui.output_ui("exported"),
    )


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def workshop_app(baseline: LoadedScenario, levers: list[Lever], runner: Runner, out: Path,
                 precision_text: str) -> App:
    """The Shiny app of a workshop (one runner and cache shared by every open page)."""

    record = Record()  # the room's: every page of this command adds to it, a reload keeps it

    def server(input: Inputs, output: Outputs, session: Session) -> None:
        asker = Asker(runner)
        shown = reactive.value(0)  # bumped when a newer answer is there to show
        problems: reactive.Value[dict[str, list[str]]] = reactive.value({})
        seen: dict[str, Any] = {"asked": None, "answer": None, "final": False}
        session.on_ended(asker.cancel)

        @reactive.calc
        def question() -> Question | dict[str, list[str]]:
            values: dict[str, dict[str, float]] = {}
            missing: dict[str, list[str]] = {}
            for lever in levers:
                own = values.setdefault(lever.ident, {})
                for c in lever.controls:
                    number = _number(input[_input_id(lever, c.ident)]())
                    if number is None:
                        missing.setdefault(lever.ident, []).append(
                            f"{c.label}: give a number ({c.bound.text()})")
                    else:
                        own[c.ident] = number
            on = [bool(input[_input_id(lever, "on")]()) for lever in levers]
            # an empty or unreadable number of a lever switched on: nothing is simulated
            missing_on = {lever.ident: missing[lever.ident] for lever, yes in zip(levers, on,
                                                                                   strict=True)
                          if yes and lever.ident in missing}
            return missing_on or ask(baseline, levers, on, values)

        @reactive.effect
        def _ask() -> None:
            asked = question()
            if isinstance(asked, dict):
                asker.cancel()
                problems.set(asked)
            else:
                problems.set({})
                asker.ask(asked)
            with reactive.isolate():
                shown.set(shown.get() + 1)

        @reactive.effect
        def _poll() -> None:
            reactive.invalidate_later(POLL_SECONDS)
            asked = asker.current
            if asked is None:
                return
            if (asked is not seen["asked"] or asked.latest is not seen["answer"]
                    or asked.final != seen["final"]):
                seen.update(asked=asked, answer=asked.latest, final=asked.final)
                with reactive.isolate():
                    shown.set(shown.get() + 1)
                    if asked.final and asked.latest is not None:
                        _keep(asked)

        def _keep(asked: Asked) -> None:
            results = _results()
            if results is None:
                return
            for row, (lever, setting, loaded) in enumerate(zip(
                    asked.question.levers, asked.question.settings, asked.question.alone,
                    strict=True)):
                record.add(lever.name, setting, loaded, results.comparison, row)

        def _current() -> Asked | None:
            shown.get()
            asked = asker.current
            return None if asked is None or problems.get() else asked

        cache: dict[str, Any] = {"answer": None, "results": None}

        def _results() -> Results | None:
            asked = asker.current
            if asked is None or asked.latest is None:
                return None
            if cache["answer"] is not asked.latest:
                cache.update(answer=asked.latest, results=results_of(asked.question,
                                                                     asked.latest))
            results: Results = cache["results"]
            return results

        @render.ui
        def status() -> Any:
            asked = _current()
            count = ui.span(str(runner.simulated), id="simulated-count")
            if asked is None:
                text = "nothing is simulated: a lever switched on has a problem (see below)" \
                    if problems.get() else "waiting for a question"
                return ui.p(text, " · replications simulated this session: ", count,
                            id="status-line")
            answer = asked.latest
            words = status_words(answer, runner.precision, asked.final)
            if asked.error:
                words = f"a replication failed: {asked.error}"
            kind = "final" if asked.final and answer is not None else "provisional"
            return ui.p(ui.span(words, class_=kind, id="answer-state",
                                **{"data-final": "1" if asked.final else "0",
                                   "data-question": str(asked.number),
                                   "data-replications": str(answer.replications if answer
                                                            else 0),
                                   "data-simulated": str(answer.simulated if answer else 0)}),
                        " · replications simulated this session: ", count, id="status-line")

        def _provisional() -> Any:
            """A plain mark over figures that are not final yet."""
            asked = asker.current
            if asked is not None and not asked.final:
                return ui.p("PROVISIONAL: more replications are being added", class_="provisional")
            return None

        @render.ui
        def baseline_cards() -> Any:
            if _current() is None or (results := _results()) is None:
                return ui.p("–")
            base = results.comparison.baseline
            cur = base.currency
            lines = [ui.tags.li(text, class_="met" if ok else "broken")
                     for text, ok in compliance_lines(base)]
            return ui.TagList(_provisional(), ui.div(
                _figure("baseline-cpc", "cost per contact (± 95 %)",
                        money(base.cost.per_contact, cur), base.cost.per_contact),
                _figure("baseline-period", f"total per {base.period}",
                        money(base.cost.period_total, cur).replace(".00", ""),
                        base.cost.period_total), class_="card-row"),
                ui.p("Guardrails: " + ("every one met" if base.guardrails.all_met()
                                       else "broken: " + ", ".join(base.broken()))),
                ui.tags.ul(*lines))

        @render.ui
        def comparison() -> Any:
            if _current() is None or (results := _results()) is None:
                return ui.p("–")
            if not results.comparison.scenarios:
                return ui.p("No lever is switched on.")
            cur = results.comparison.baseline.currency
            cards = []
            for k, row in enumerate(results.comparison.scenarios):
                lever = asker.current.question.levers[k] if asker.current else None
                ident = lever.ident if lever else str(k)
                diff = row.difference.cost
                broken = row.guardrails_broken
                cards.append(ui.div(
                    ui.h4(row.scenario),
                    ui.div(_figure(f"{ident}-cpc", "cost per contact",
                                   money(row.result.cost.per_contact, cur),
                                   row.result.cost.per_contact),
                           _figure(f"{ident}-difference", "difference per contact (paired)",
                                   money(diff.per_contact, cur, signed=True), diff.per_contact),
                           _figure(f"{ident}-period", f"difference per {row.result.period}",
                                   money(diff.period_total, cur, signed=True),
                                   diff.period_total), class_="card-row"),
                    ui.p("baseline's guardrails: " + ("all kept" if not broken else
                                                      "BROKEN: " + ", ".join(broken)),
                         class_="met" if not broken else "broken")))
            return ui.TagList(_provisional(), *cards)

        @render.ui
        def bridge() -> Any:
            if _current() is None or (results := _results()) is None:
                return ui.p("–")
            walk = results.bridge
            if walk is None:
                return ui.p("Switch on two levers or more to see their bridge.")
            cur = walk.currency
            rows = [ui.tags.tr(ui.tags.td("baseline"), ui.tags.td(money(walk.start, cur)),
                               ui.tags.td(""), ui.tags.td(""))]
            rows += [ui.tags.tr(ui.tags.td(step.lever), ui.tags.td(money(step.cost_per_contact,
                                                                         cur)),
                                ui.tags.td(money(step.change, cur, signed=True)),
                                ui.tags.td(money(step.alone, cur, signed=True)))
                     for step in walk.steps]
            head = ui.tags.tr(*(ui.tags.th(h) for h in ("step", "cost per contact",
                                                         "change at this step", "lever alone")))
            return ui.TagList(_provisional(), ui.tags.table(head, *rows, class_="session"),
                              ui.p(f"total change {money(walk.total_change, cur, signed=True)}; "
                                   f"overlap {money(walk.overlap, cur, signed=True)}"))

        def _problem_ui(lever: Lever, ident: str | None) -> Callable[[], Any]:
            def shown_problem() -> Any:
                lines = problems.get().get(lever.ident, [])
                keys = {c.ident: c.key for c in lever.controls}
                if ident is None:  # the lever's problems no control claims
                    mine = [p for p in lines if not any(f"--set {k}" in p or
                                                        p.startswith(f"{c.label}:")
                                                        for c in lever.controls
                                                        for k in [c.key])]
                else:
                    control = next(c for c in lever.controls if c.ident == ident)
                    mine = [p for p in lines if f"--set {keys[ident]}" in p
                            or p.startswith(f"{control.label}:")]
                return ui.div("\n".join(mine), class_="problem") if mine else None
            return shown_problem

        for lever in levers:
            output(id=f"{lever.ident}__problems")(render.ui(_problem_ui(lever, None)))
            for c in lever.controls:
                output(id=f"{_input_id(lever, c.ident)}__problem")(
                    render.ui(_problem_ui(lever, c.ident)))

        @render.ui
        def session_list() -> Any:
            shown.get()
            if not record.tried:
                return ui.p("No setting tried yet.")
            head = ui.tags.tr(*(ui.tags.th(h) for h in (
                "#", "lever", "setting", "replications", "cost per contact",
                "difference per contact", "guardrails broken")))
            rows = [ui.tags.tr(ui.tags.td(str(t.number)), ui.tags.td(t.lever),
                               ui.tags.td(t.setting), ui.tags.td(str(t.replications)),
                               ui.tags.td(money(t.cost_per_contact, baseline.scenario.costs.currency)),
                               ui.tags.td(money(t.difference, baseline.scenario.costs.currency,
                                                signed=True)),
                               ui.tags.td(", ".join(t.broken) or "none"))
                    for t in record.tried]
            return ui.tags.table(head, *rows, class_="session", id="session-list")

        written: reactive.Value[str] = reactive.value("")

        @reactive.effect
        @reactive.event(input.export)
        def _export() -> None:
            if not record.tried:
                written.set("Nothing to export yet: try a setting first.")
                return
            n = min([runner.cache.count(baseline.scenario),
                     *(runner.cache.count(t.loaded.scenario) for t in record.tried)])
            runs = [[runner.cache.get(item.scenario, r) for r in range(n)]
                    for item in [baseline, *(t.loaded for t in record.tried)]]
            try:
                paths = export(out, baseline, record.tried, runs)  # type: ignore[arg-type]
            except OutputError as exc:
                written.set(f"cannot write {exc.path}: {exc.cause}; nothing was written")
                return
            written.set("wrote " + ", ".join(str(p) for p in paths))

        @render.download(filename="session.csv")
        def download_session() -> Any:
            yield session_csv(record.tried)

        @render.ui
        def exported() -> Any:
            text = written.get()
            return ui.p(text, id="exported-files") if text else None

    return App(page_ui(baseline, levers, precision_text), server)
