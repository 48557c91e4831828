"""The work a whole command asks for, estimated before anything is simulated.

A scenario's own bound (:data:`~simulator.spec.base.MAX_TOTAL_CONTACTS`, checked by the schema)
counts one run: its replications × days × contacts a day. A command can ask for many runs: a
sweep runs every point, ``ccsim run`` also samples the ``[uncertainty]`` ranges, a sensitivity
runs both ends of every range, and a staffing search simulates the scenario about
:data:`STAFFING_SIMULATIONS` times. :class:`Work` adds those up into one estimate of the
contacts the command simulates, which must stay within :data:`MAX_COMMAND_CONTACTS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.spec.base import MAX_TOTAL_CONTACTS

if TYPE_CHECKING:
    from simulator.spec.schema import Scenario

#: Contacts one command may simulate in all (every scenario, point, sample and search run).
MAX_COMMAND_CONTACTS = MAX_TOTAL_CONTACTS
#: Simulations a staffing search is counted as (it takes about seven to twelve).
STAFFING_SIMULATIONS = 12
#: Points a sweep may have (each is validated, then simulated, in turn).
MAX_SWEEP_POINTS = 1_000


def contacts_per_run(scenario: Scenario, replications: int | None = None) -> float:
    """Expected first-attempt contacts of one run: replications × days × contacts a day."""
    reps = scenario.run.replications if replications is None else replications
    return scenario.expected_contacts_per_day() * scenario.run.days * reps


@dataclass(frozen=True)
class Work:
    """Runs a command asks for: ``(what, contacts)`` per kind of run."""

    parts: tuple[tuple[str, float], ...] = ()

    @property
    def contacts(self) -> float:
        return sum(contacts for _, contacts in self.parts)

    def plus(self, what: str, contacts: float) -> Work:
        return Work((*self.parts, (what, contacts)))

    def runs(self, scenario: Scenario, label: str, *, times: float = 1.0, staffed: bool = False,
             replications: int | None = None) -> Work:
        """This work and ``times`` runs of ``scenario`` (each a staffing search if
        ``staffed``), described as ``label``."""
        reps = scenario.run.replications if replications is None else replications
        factor = times * (STAFFING_SIMULATIONS if staffed else 1)
        what = (f"{label}: {times:g} × " if times != 1 else f"{label}: ") + (
            f"{STAFFING_SIMULATIONS} staffing simulations × " if staffed else "") + (
            f"{reps} replications × {scenario.run.days:g} days × "
            f"{scenario.expected_contacts_per_day():,.0f} contacts a day")
        return self.plus(what, factor * contacts_per_run(scenario, reps))

    def problems(self, label: str) -> list[str]:
        """The line refusing this work, if it is above :data:`MAX_COMMAND_CONTACTS`."""
        if self.contacts <= MAX_COMMAND_CONTACTS:
            return []
        return [f"{label}: this command would simulate about {self.contacts:.3g} contacts "
                f"({'; '.join(what for what, _ in self.parts)}), more than one command "
                f"simulates ({MAX_COMMAND_CONTACTS:.0e}); use fewer points, samples, "
                "replications or days"]

    def described(self) -> str:
        """"about 720,000 contacts" (for a start line or a progress bar)."""
        return f"about {self.contacts:,.0f} contacts"


def run_work(scenario: Scenario, *, staffed: bool = False, sampled: bool = True) -> Work:
    """``ccsim run``: the run (a staffing search, with "auto" groups) and, with an
    ``[uncertainty]`` table and ``sampled``, its samples."""
    work = Work().runs(scenario, "the run", staffed=staffed)
    spread = scenario.uncertainty
    if sampled and spread is not None:
        work = work.runs(scenario, "[uncertainty] samples", times=spread.samples,
                         replications=spread.replications or scenario.run.replications)
    return work


def scenarios_work(scenarios: Sequence[tuple[str, Scenario]], staff: bool) -> Work:
    """``ccsim compare`` and ``bridge``: every ``(label, scenario)``'s run, or its staffing
    search (``staff``: ``--staff equal-service``, or a group with ``agents = "auto"``)."""
    work = Work()
    for label, scenario in scenarios:
        searched = staff or any(g.agents == "auto" for g in scenario.agent_groups)
        work = work.runs(scenario, label, staffed=searched)
    return work


def sweep_points_problems(label: str, sizes: list[int]) -> list[str]:
    """A sweep's grid (values per axis) must have at most :data:`MAX_SWEEP_POINTS` points;
    checked before any point is built or validated."""
    points = 1
    for size in sizes:
        points *= size
    if points <= MAX_SWEEP_POINTS:
        return []
    shown = " × ".join(str(s) for s in sizes)
    return [f"{label}: --set: the grid has {points:,} points ({shown} values), more than a sweep "
            f"runs ({MAX_SWEEP_POINTS:,}); sweep fewer values, or split the sweep"]


#: simulations a month after the first is counted as: its neighbour's roster, the re-staffed
#: roster, at most four top-ups and the roster of the agents there are (a gap not closed)
PLAN_MONTH_SIMULATIONS = 7


def plan_work(months: Sequence[tuple[str, Scenario]]) -> Work:
    """``ccsim plan``: the first month's staffing search and, for every other month, at most
    :data:`PLAN_MONTH_SIMULATIONS` simulations (fewer where months share a requirement)."""
    work = Work()
    for k, (label, scenario) in enumerate(months):
        work = (work.runs(scenario, label, staffed=True) if k == 0 else
                work.runs(scenario, label, times=PLAN_MONTH_SIMULATIONS))
    return work
