"""Guardrail verdicts: each target of ``[targets.<channel>]`` judged once, in one place."""

from __future__ import annotations

from typing import Any

from simulator.spec.schema import Scenario

Tree = dict[str, Any]


def evaluate_targets(scenario: Scenario, summary: Tree) -> Tree:
    """Each guardrail of ``[targets.<channel>]`` with the value reached and whether it is met.

    A guardrail is judged on the mean over replications; the interval is reported beside it so a
    reader can see when a result straddles the target.
    """
    out: Tree = {}
    for channel, spec in scenario.targets.items():
        figures = summary["channels"][channel]
        checks: Tree = {}
        pairs: list[tuple[str, float | None, Any, str]] = [
            ("service_level", spec.service_level, figures["service_level"], ">="),
            ("max_abandon_rate", spec.max_abandon_rate, figures["abandon_rate"], "<="),
            ("max_asa_seconds", spec.max_asa_seconds, figures["asa_seconds"], "<="),
        ]
        if spec.within_target is not None:
            pairs.append(("within_target", spec.within_target, figures["within_target"], ">="))
        if spec.max_occupancy is not None:
            pairs.append(("max_occupancy", spec.max_occupancy, figures["serving_occupancy"], "<="))
        for name, target, stat, sense in pairs:
            if target is None:
                continue
            value = stat["mean"]
            met = value is not None and (value >= target if sense == ">=" else value <= target)
            checks[name] = {"target": target, "value": stat, "met": bool(met)}
        out[channel] = checks
    return out


def broken_guardrails(document: Tree) -> list[str]:
    """``channel.guardrail`` for every target a result document misses."""
    return [f"{channel}.{name}" for channel, checks in document["targets"].items()
            for name, check in checks.items() if not check["met"]]
