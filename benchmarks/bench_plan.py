"""What the twelve-month plan costs, in equal-service staffings of the baseline.

Runs, in one invocation and interleaved over ``--rounds`` (the machine is shared: compare within
a run), whole processes from the repository root:

- **staff**: ``python -m simulator staff scenarios/baseline.toml --format json`` (the unit: one
  equal-service staffing of the baseline, every group);
- **plan**: ``python -m simulator plan scenarios/plan.toml --format json`` (the worked plan:
  twelve months, each staffed to the baseline's targets in every half-hour),

and prints each one's wall and processor seconds (the child and its pool's workers: less moved
by other jobs on a shared machine), the simulations the plan ran, and the ratios plan ÷ staff of
the same round, against the target: at most 12 (judged on wall time).

    python benchmarks/bench_plan.py                    # 1 round, ~5 minutes on 2 cores
    python benchmarks/bench_plan.py --rounds 2 --json plan.json
    python benchmarks/bench_plan.py --set run.replications=4   # a quicker look

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
#: the most the plan may take, in staffings of the baseline
RATIO_TARGET = 12.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str]) -> tuple[float, float, str]:
    """Wall and processor seconds (the child and its workers) of a child process run from the
    repository root, and its stdout."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "simulator", *argv], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        msg = f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-2000:]}"
        raise RuntimeError(msg)
    return wall, _children_cpu() - cpu, done.stdout


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--json", type=Path, metavar="PATH")
    parser.add_argument("--plan-json", type=Path, metavar="PATH",
                        help="also keep the last round's plan document (ccsim plan's JSON)")
    args = parser.parse_args(argv)
    sets = [part for item in args.sets for part in ("--set", item)]
    rounds = []
    for k in range(args.rounds):
        staff_s, staff_cpu, _ = timed(["staff", "scenarios/baseline.toml", "--format", "json",
                                       *sets])
        plan_s, plan_cpu, out = timed(["plan", "scenarios/plan.toml", "--format", "json", *sets])
        document = json.loads(out)
        if args.plan_json is not None:
            args.plan_json.write_text(out)
        row = {"round": k + 1, "staff_seconds": round(staff_s, 2),
               "plan_seconds": round(plan_s, 2), "ratio": round(plan_s / staff_s, 2),
               "staff_cpu_seconds": round(staff_cpu, 2), "plan_cpu_seconds": round(plan_cpu, 2),
               "cpu_ratio": round(plan_cpu / staff_cpu, 2),
               "plan_simulations": document["simulations"],
               "simulations_per_month": [m["simulations"] for m in document["months"]],
               "per_contact": document["totals"]["per_contact"]["mean"],
               "total": document["totals"]["total"]["mean"]}
        rounds.append(row)
        print(f"round {k + 1}: staff {staff_s:.1f} s (cpu {staff_cpu:.1f}), plan {plan_s:.1f} s "
              f"(cpu {plan_cpu:.1f}; {document['simulations']} simulations, per month "
              f"{row['simulations_per_month']}), ratio {plan_s / staff_s:.2f} (cpu "
              f"{plan_cpu / staff_cpu:.2f}; target <= {RATIO_TARGET:g}); the plan: "
              f"{row['per_contact']:.2f} per contact, {row['total']:,.0f} in all", flush=True)
    ratio = statistics.median(r["ratio"] for r in rounds)
    verdict = "met" if ratio <= RATIO_TARGET else "MISSED"
    print(f"plan / staff: {ratio:.2f} (median of {len(rounds)}), target <= {RATIO_TARGET:g}: "
          f"{verdict}")
    if args.json is not None:
        args.json.write_text(json.dumps({"rounds": rounds, "ratio": ratio,
                                         "target": RATIO_TARGET}, indent=2) + "\n")
    return 0 if ratio <= RATIO_TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
