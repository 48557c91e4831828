"""An answer as the page shows it: the comparison of each lever with the baseline and the
bridge of the levers switched on (the studies' own results), and the words that say how far it
can be trusted. Plain data: no page library here."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.report.format import compliance, estimate
from simulator.results.estimate import Estimate
from simulator.results.run import RunResult
from simulator.results.studies import BridgeResult, ComparisonResult
from simulator.studies.bridge import bridge
from simulator.studies.precision import STOPS, Answer, Precision
from simulator.workshop.question import Question


@dataclass(frozen=True)
class Results:
    """The comparison (the baseline, then each lever alone) and, with two levers or more on,
    the bridge, of one answer."""

    comparison: ComparisonResult
    bridge: BridgeResult | None


def results_of(question: Question, answer: Answer) -> Results:
    """The studies' results of an answer's replications (``scenarios()``'s order)."""
    from simulator.studies.comparison import comparison

    runs = [list(r) for r in answer.runs]
    n = len(question.steps)
    alone_runs = [runs[1], *runs[1 + n:]] if n else []
    compared = comparison([question.baseline, *question.alone], [runs[0], *alone_runs])
    walk = bridge(question.baseline, list(question.steps), list(question.alone), runs) \
        if n >= 2 else None
    return Results(compared, walk)


def money(value: Estimate, currency: str, signed: bool = False) -> str:
    """``USD 6.64 ± 0.05`` (the half-width of the 95 % interval; none with one replication)."""
    return f"{currency} " + estimate(value.mean, value.half_width, "money", signed=signed)


def compliance_lines(result: RunResult) -> list[tuple[str, bool]]:
    """Each guardrail in words with its verdict: ``voice service_level 80 %: met in 144 of 144
    half-hours`` (judged per interval) or on the run."""
    out = []
    for check in result.guardrails:
        target = f"{check.target * 100:g} %" if check.is_share else f"{check.target:g} s"
        if check.per_interval:
            worst = check.worst
            words = compliance(check.intervals_met, check.intervals_judged,
                               check.interval_minutes,
                               None if worst is None else (worst.days, worst.start,
                                                           worst.value.mean),
                               "pct" if check.is_share else "num")
        else:
            value = check.value.mean
            shown = "–" if value is None else (f"{value * 100:.1f} %" if check.is_share
                                               else f"{value:.1f} s")
            words = f"{shown} on the run"
        out.append((f"{check.key} {target}: {words}", check.met))
    return out


def status(answer: Answer | None, precision: Precision, final: bool) -> str:
    """How far the answer can be trusted, in words: provisional or final, replications, the
    widest paired half-width against the precision, and why it stopped."""
    if answer is None or (answer.replications == 0 and not final):
        return "simulating the first replication ..."
    widest = answer.widest
    width = "no interval yet (one replication)" if widest is None else \
        f"paired half-width {widest:.4f} (precision {precision.half_width:g})"
    n = answer.replications
    head = f"{n} replication{'s' if n != 1 else ''}, {width}, {answer.seconds:.1f} s"
    if not final or answer.stopped is None:
        return f"PROVISIONAL: {head}; adding replications ..."
    cached = "; from cache (nothing simulated)" if answer.simulated == 0 else \
        f"; {answer.simulated} replications simulated"
    return f"final: {head}; {STOPS[answer.stopped]}{cached}"
