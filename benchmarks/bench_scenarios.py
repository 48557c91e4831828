"""How fast ccsim simulates the realistic scenarios, against its own single-queue speed.

Runs, interleaved in one invocation (the machine is shared: compare within a run), whole
``ccsim run`` processes on:

- the single queue of ``bench_single_queue.py`` (50 agents, load 0.95, Erlang A),
- ``scenarios/baseline.toml`` (voice with IVR, chat, email; shifts, repeats, retrials, blending),
- ``scenarios/all_levers.toml`` (every voice lever on),

each for about ``--contacts`` intents in one replication, and prints contacts simulated per
second of wall time, and each scenario's speed as a share of the single queue's.

    python benchmarks/bench_scenarios.py                 # 3 rounds x ~500,000 contacts
    python benchmarks/bench_scenarios.py --contacts 200000 --rounds 2 --json out.json
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_single_queue import ccsim_argv, days_for, run_child

#: (label, scenario file, contacts per simulated day, for sizing the run)
SCENARIOS = (
    ("baseline", "scenarios/baseline.toml", 5_130.0),
    ("all levers", "scenarios/all_levers.toml", 4_400.0),
)


def scenario_argv(path: str, days: float, seed: int) -> list[str]:
    return [sys.executable, "-m", "simulator", "run", path, "--format", "json",
            "--replications", "1", "--workers", "1",
            "--set", f"run.days={days:g}", "--set", f"run.seed={seed}"]


def timed(label: str, argv: list[str]) -> dict[str, float]:
    stdout, wall, rss = run_child(argv, label)
    doc = json.loads(stdout)
    contacts = sum(float(ch["arrivals"]["mean"]) for ch in doc["channels"].values())
    # contacts counted after the warm-up; the whole run simulated more (scale by the horizon)
    days, warmup = float(doc["simulated_days"]), float(doc["warmup_hours"]) / 24
    simulated = contacts * days / (days - warmup)
    return {"contacts": simulated, "wall": wall, "rate": simulated / wall, "rss": rss}


def benchmark(contacts: int, rounds: int, seed: int) -> dict[str, Any]:
    rows: dict[str, list[dict[str, float]]] = {"single queue": []}
    for label, _, _ in SCENARIOS:
        rows[label] = []
    for r in range(rounds):
        print(f"round {r + 1}/{rounds}")
        queue_days = days_for(contacts, 50, 0.95)
        runs = [("single queue", ccsim_argv(50, 0.95, queue_days, seed + r))]
        for label, path, per_day in SCENARIOS:
            runs.append((label, scenario_argv(path, 4 + math.ceil(contacts / per_day), seed + r)))
        for label, argv in runs:
            result = timed(label, argv)
            rows[label].append(result)
            print(f"  {label:14s} {result['contacts']:>11,.0f} contacts {result['wall']:7.2f} s "
                  f"{result['rate']:>10,.0f} contacts/s  {result['rss']:6.1f} MiB")
    queue_rate = statistics.median(x["rate"] for x in rows["single queue"])
    summary = {}
    print("\nmedian over rounds")
    for label, results in rows.items():
        rate = statistics.median(x["rate"] for x in results)
        summary[label] = {"contacts_per_second": rate, "vs_single_queue": rate / queue_rate,
                          "peak_rss_mib": max(x["rss"] for x in results)}
        print(f"  {label:14s} {rate:>10,.0f} contacts/s  {rate / queue_rate:5.2f} x single queue")
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=500_000, help="contacts per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the summary")
    args = parser.parse_args(argv)
    summary = benchmark(args.contacts, args.rounds, args.seed)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
