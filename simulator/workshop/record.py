"""The room's record: every setting tried, and its files (lever scenario files, a CSV of the
list and the HTML report of the settings against the baseline).

Each export goes into a new folder ``export-NN`` of the workshop's output folder, written whole
by :func:`~simulator.report.files.write_all`; nothing that exists is ever written over.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.report.files import comparison_csv, to_json, write_all
from simulator.report.format import csv_number
from simulator.results.estimate import Estimate
from simulator.results.run import Figures
from simulator.results.studies import ComparisonResult
from simulator.spec.layers import LoadedScenario, toml_value
from simulator.studies.comparison import comparison
from simulator.workshop.question import scenario_key

#: the columns of the session list's CSV
COLUMNS = ("number", "lever", "setting", "replications", "cost_per_contact",
           "cost_per_contact_ci_low", "cost_per_contact_ci_high", "difference_per_contact",
           "difference_ci_low", "difference_ci_high", "difference_per_period",
           "difference_per_period_ci_low", "difference_per_period_ci_high", "guardrails_broken",
           "file")


@dataclass(frozen=True)
class Tried:
    """One setting tried: its lever and values, the scenario it made and its last answer."""

    number: int
    lever: str
    setting: str
    loaded: LoadedScenario
    replications: int
    cost_per_contact: Estimate
    difference: Estimate
    period_difference: Estimate
    broken: tuple[str, ...]

    @property
    def key(self) -> str:
        return scenario_key(self.loaded.scenario)

    @property
    def file_name(self) -> str:
        return f"setting-{self.number:02d}.toml"


class Session:
    """The settings tried, in the order first tried (a setting tried again is updated)."""

    def __init__(self) -> None:
        self.tried: list[Tried] = []

    def add(self, lever: str, setting: str, loaded: LoadedScenario, result: ComparisonResult,
            row: int) -> Tried:
        """Record (or update) the setting of ``result``'s ``row`` (its comparison with the
        baseline)."""
        found = result.scenarios[row]
        key = scenario_key(loaded.scenario)
        number = next((t.number for t in self.tried if t.key == key), len(self.tried) + 1)
        entry = Tried(number, lever, setting, loaded, found.result.replications,
                      found.result.cost.per_contact, found.difference.cost.per_contact,
                      found.difference.cost.period_total, tuple(found.result.broken()))
        self.tried = [entry if t.key == key else t for t in self.tried]
        if entry not in self.tried:
            self.tried.append(entry)
        return entry


def session_csv(tried: Sequence[Tried]) -> str:
    """The session list: one row per setting tried."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for t in tried:
        writer.writerow([t.number, t.lever, t.setting, t.replications,
                         *_three(t.cost_per_contact), *_three(t.difference),
                         *_three(t.period_difference), " ".join(t.broken), t.file_name])
    return buffer.getvalue()


def _three(value: Estimate) -> list[str]:
    return [csv_number(value.mean), csv_number(value.ci_low), csv_number(value.ci_high)]


def _delta(new: Any, old: Any) -> Any:
    """What ``new`` changes in ``old`` (scenario data): tables key by key, arrays of tables by
    name (with the name), any other value whole; None when nothing changes."""
    if isinstance(new, dict) and isinstance(old, dict) and "dist" not in new:
        out = {k: d for k, v in new.items() if (d := _delta(v, old.get(k))) is not None}
        return out or None
    if _named(new) and _named(old):
        before = {item["name"]: item for item in old}
        changed = []
        for item in new:
            d = _delta(item, before.get(item["name"], {}))
            if d is not None:
                changed.append({"name": item["name"], **d})
        return changed or None
    return None if new == old else new


def _named(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and isinstance(v.get("name"), str) for v in value)


def lever_toml(loaded: LoadedScenario, baseline: LoadedScenario, folder: Path, note: str) -> str:
    """A lever scenario file of a setting: ``extends`` the baseline (relative to ``folder``,
    where it is written) and sets every key whose value differs from the baseline's."""
    def dump(item: LoadedScenario) -> dict[str, Any]:
        return item.scenario.model_dump(mode="json", by_alias=True, exclude_none=True)

    delta = _delta(dump(loaded), dump(baseline)) or {}
    delta["scenario"] = {"name": loaded.scenario.scenario.name}
    extends = os.path.relpath(baseline.path.resolve(), folder.resolve())
    lines = [f"# {line}" for line in note.splitlines()]
    lines += [f"extends = {toml_value(extends)}"]
    lines += [f"{k} = {toml_value(v)}" for k, v in delta.items()
              if not _named(v) and not isinstance(v, dict)]  # top-level values before tables
    for key, value in sorted(delta.items(), key=lambda kv: kv[0] != "scenario"):
        if _named(value):
            for item in value:
                lines += ["", f"[[{key}]]", *(f"{k} = {toml_value(v)}" for k, v in item.items())]
        elif isinstance(value, dict):
            lines += ["", f"[{key}]", *(f"{k} = {toml_value(v)}" for k, v in value.items())]
    return "\n".join(lines) + "\n"


def tried_comparison(baseline: LoadedScenario, tried: Sequence[Tried],
                     runs: Sequence[Sequence[Figures]]) -> ComparisonResult:
    """The settings tried against the baseline, on ``runs`` (the baseline's first, then one
    per setting, all of the same replications)."""
    return comparison([baseline, *(t.loaded for t in tried)], [list(r) for r in runs])


def export_folder(out: Path) -> Path:
    """The next ``export-NN`` folder of ``out`` that does not exist yet."""
    n = 1
    while (out / f"export-{n:02d}").exists():
        n += 1
    return out / f"export-{n:02d}"


def export(out: Path, baseline: LoadedScenario, tried: Sequence[Tried],
           runs: Sequence[Sequence[Figures]]) -> list[Path]:
    """Write the session into a new folder of ``out``: a lever file per setting, the session
    list's CSV, and (with two replications or more) the comparison as JSON, CSV and the HTML
    report. The paths written (OutputError if any cannot be: then none is)."""
    from simulator.report.html import comparison_html  # on use: matplotlib is slow to import

    folder = export_folder(out)
    files: dict[Path, Any] = {}
    for t in tried:
        note = (f"ccsim workshop: setting {t.number} of lever {t.lever}: {t.setting}\n"
                f"Compare it: ccsim compare {baseline.path} {t.file_name}")
        files[folder / t.file_name] = (lambda t=t, note=note:
                                       lever_toml(t.loaded, baseline, folder, note))
    files[folder / "session.csv"] = lambda: session_csv(tried)
    if tried and min(len(r) for r in runs) >= 2:
        result = tried_comparison(baseline, tried, runs)
        files[folder / "comparison.json"] = lambda: to_json(result.to_document())
        files[folder / "comparison.csv"] = lambda: comparison_csv(result)
        files[folder / "workshop.html"] = lambda: comparison_html(result.to_document())
    return write_all(files)
