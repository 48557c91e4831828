"""Result documents as files: stable JSON, tidy CSV, and writing a file whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from simulator.results.guardrails import broken_guardrails

Tree = dict[str, Any]


def to_json(document: Tree) -> str:
    """Stable JSON: NaN becomes null, key order as built, one trailing newline."""
    return json.dumps(_clean(document), indent=2, allow_nan=False) + "\n"


def _clean(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _clean(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    if isinstance(node, float) and not math.isfinite(node):
        return None
    return node


def _is_stat(node: Any) -> bool:
    return isinstance(node, dict) and set(node) == {"mean", "ci_low", "ci_high"}


def flatten(node: Any, prefix: str = "") -> list[tuple[str, Tree]]:
    """``(dotted.metric.path, {mean, ci_low, ci_high})`` for every statistic in a tree."""
    if _is_stat(node):
        return [(prefix, node)]
    out: list[tuple[str, Tree]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(flatten(value, f"{prefix}.{key}" if prefix else key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            label = value.get("start", i) if isinstance(value, dict) else i
            out.extend(flatten(value, f"{prefix}[{label}]"))
    return out


def to_csv(document: Tree) -> str:
    """One row per statistic: ``metric,mean,ci_low,ci_high``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["metric", "mean", "ci_low", "ci_high"])
    for section in ("channels", "agent_groups", "cost", "intervals"):
        for path, stat in flatten(document[section], section):
            writer.writerow([path, *(_csv_number(stat[k]) for k in ("mean", "ci_low", "ci_high"))])
    for channel, checks in document["targets"].items():
        for name, check in checks.items():
            writer.writerow([f"targets.{channel}.{name}.met", int(check["met"]), "", ""])
    spread = document.get("uncertainty")
    if spread is not None:  # the range over samples: one row per percentile
        low, high = spread["percentiles"]
        for key in ("cost_per_contact", "period_total"):
            for label, name in ((f"p{low:g}", "low"), ("p50", "median"), (f"p{high:g}", "high")):
                writer.writerow([f"uncertainty.{key}.{label}", _csv_number(spread[key][name]),
                                 "", ""])
    return buffer.getvalue()


def _csv_number(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return repr(float(value))


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a file (text as UTF-8, or bytes) whole or not at all: a temporary file renamed
    into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file (mkstemp makes it private)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def comparison_csv(document: Tree) -> str:
    """One row per scenario and statistic: value and paired difference with its interval."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scenario", "metric", "mean", "difference", "difference_ci_low",
                     "difference_ci_high"])
    base = document["baseline"]
    for section in ("channels", "agent_groups", "cost"):
        for path, stat in flatten(base[section], section):
            writer.writerow([base["scenario"], path, _csv_number(stat["mean"]), "", "", ""])
    for row in document["scenarios"]:
        values = dict(flatten({k: row["result"][k] for k in ("channels", "agent_groups", "cost")}))
        for path, stat in flatten(row["difference"]):
            value = values.get(path, {"mean": None})
            writer.writerow([row["scenario"], path, _csv_number(value["mean"]),
                             *(_csv_number(stat[k]) for k in ("mean", "ci_low", "ci_high"))])
        writer.writerow([row["scenario"], "guardrails_broken", ";".join(row["guardrails_broken"]),
                         "", "", ""])
    return buffer.getvalue()


def sensitivity_csv(document: Tree) -> str:
    """One row per input: range, cost per contact at each end, changes and swing."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    stats = ("at_low", "at_high", "change_low", "change_high", "swing")
    writer.writerow(["rank", "input", "kind", "keys", "low", "high",
                     *(f"{s}_{k}" for s in stats for k in ("mean", "ci_low", "ci_high")),
                     "guardrails_broken_low", "guardrails_broken_high"])
    for rank, row in enumerate(document["inputs"], 1):
        writer.writerow([rank, row["name"], row["kind"], ";".join(row["keys"]),
                         _csv_number(row["low"]), _csv_number(row["high"]),
                         *(_csv_number(row[s][k]) for s in stats
                           for k in ("mean", "ci_low", "ci_high")),
                         ";".join(row["guardrails_broken_low"]),
                         ";".join(row["guardrails_broken_high"])])
    return buffer.getvalue()


def bridge_csv(document: Tree) -> str:
    """One row per step (baseline, each lever, all together, the overlap)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keys = ("mean", "ci_low", "ci_high")
    writer.writerow(["step", "file", *(f"change_{k}" for k in keys),
                     *(f"cost_per_contact_{k}" for k in keys), *(f"alone_{k}" for k in keys),
                     "guardrails_broken"])
    empty = ["", "", ""]
    writer.writerow([document["baseline"]["scenario"], document["baseline"]["file"], *empty,
                     *(_csv_number(document["start"][k]) for k in keys), *empty,
                     ";".join(broken_guardrails(document["baseline"]))])
    for step in document["steps"]:
        writer.writerow([step["lever"], step["file"],
                         *(_csv_number(step["change"][k]) for k in keys),
                         *(_csv_number(step["cost_per_contact"][k]) for k in keys),
                         *(_csv_number(step["alone"][k]) for k in keys),
                         ";".join(step["guardrails_broken"])])
    writer.writerow(["every lever together", "",
                     *(_csv_number(document["total_change"][k]) for k in keys),
                     *(_csv_number(document["end"][k]) for k in keys),
                     *(_csv_number(document["sum_alone"][k]) for k in keys), ""])
    writer.writerow(["overlap", "", *(_csv_number(document["overlap"][k]) for k in keys),
                     *empty, *empty, ""])
    return buffer.getvalue()


def sweep_csv(rows: list[Tree], axes: list[Any]) -> str:
    """``sweep.csv``: one row per point, the keys swept then each statistic's mean and interval."""
    stats = [k for k in rows[0] if k not in ("point", "guardrails_broken")] if rows else []
    header = [a.key for a in axes]
    for k in stats:
        header += [f"{k}.mean", f"{k}.ci_low", f"{k}.ci_high"]
    lines = [",".join([*header, "guardrails_broken"])]
    for row in rows:
        cells = [str(row["point"][a.key]).replace(",", ";") for a in axes]
        for k in stats:
            stat = row.get(k) or {}
            cells += ["" if stat.get(x) is None else repr(float(stat[x]))
                      for x in ("mean", "ci_low", "ci_high")]
        cells.append(";".join(row["guardrails_broken"]))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"
