"""How fast ``ccsim workshop`` answers: from a control change to the first answer and to the
stated precision, for the baseline and one lever on the workshop's pool.

The page's path without the page: the lever's controls are read from the file, a question is
asked with a changed value (the same :func:`~simulator.workshop.question.ask` the page calls)
and studied by the runner (:class:`~simulator.workshop.runner.Runner`: the process pool, the
cache, the sequential-precision study). Timed, interleaved in one invocation over ``--rounds``:

- **unit**: one replication of the baseline in this process (what the ratios are of);
- **start**: what ``ccsim workshop`` does before it serves: the baseline's fewest replications
  (its ``run.replications``, the precision rule's default fewest) on the pool;
- **cold**: the first question of a workshop, the lever simulated (the baseline from the start);
- **change**: a control moved (the lever's seconds saved per billing call, a new value each
  round), the baseline's replications taken from the cache, the lever's simulated;
- **again**: the first setting asked again (all from the cache).

Each prints the seconds to the first answer (one paired replication) and to the final one, the
replications and the widest paired half-width reached. The page itself adds at most its poll
interval (0.2 s) and the drawing of the answer.

    python benchmarks/bench_workshop.py                      # 2 rounds, about a minute
    python benchmarks/bench_workshop.py --rounds 3 --json workshop.json
    python benchmarks/bench_workshop.py --lever scenarios/callback.toml --precision 0.01

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from simulator.experiment import run_replication  # noqa: E402
from simulator.spec.layers import load_scenario  # noqa: E402
from simulator.studies.precision import Answer, Precision  # noqa: E402
from simulator.workshop.question import Question, ask, levers_of  # noqa: E402
from simulator.workshop.runner import Runner  # noqa: E402

SAVES = "value_ivr_contact_types_billing_verification_saves_seconds"


def timed(runner: Runner, question: Question) -> dict[str, Any]:
    """Seconds to the first answer and to the last, and what the last says."""
    start = time.monotonic()
    first: list[float] = []

    def on_answer(answer: Answer) -> None:
        if not first:
            first.append(time.monotonic() - start)

    answer = runner.answer(question, on_answer)
    total = time.monotonic() - start
    return {"first_seconds": round(first[0] if first else total, 3),
            "final_seconds": round(total, 3), "replications": answer.replications,
            "simulated": answer.simulated, "stopped": answer.stopped,
            "half_width": None if answer.widest is None else round(answer.widest, 5)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="scenarios/baseline.toml")
    parser.add_argument("--lever", default="scenarios/ivr_verification.toml")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--precision", type=float, default=0.02)
    parser.add_argument("--budget-seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    os.chdir(REPO_ROOT)
    base = load_scenario(args.baseline)
    levers = levers_of(base, [Path(args.lever)])
    lever = levers[0]
    start_value = next(c.start for c in lever.controls if c.ident == SAVES) \
        if any(c.ident == SAVES for c in lever.controls) else None
    rows: list[dict[str, Any]] = []
    for round_ in range(args.rounds):
        fewest = max(base.scenario.run.replications, 2)  # ccsim workshop's default
        runner = Runner(Precision(args.precision, args.budget_seconds, fewest), args.workers)
        runner.warm()
        t = time.monotonic()
        run_replication(base.scenario, 99)
        unit = time.monotonic() - t
        # what ccsim workshop does before it serves: the baseline's fewest replications
        t = time.monotonic()
        runner.prepare(base.scenario, fewest)
        started = time.monotonic() - t
        print(f"round {round_} start  the baseline's {fewest} replications {started:6.2f} s "
              f"({started / unit:.2f} replications' time)", flush=True)
        on = [True, False]
        first_q = ask(base, levers, on, {})
        assert isinstance(first_q, Question)
        cold = timed(runner, first_q)
        values = {} if start_value is None else {lever.ident: {SAVES: start_value + 5 + round_}}
        changed_q = ask(base, levers, on, values)
        assert isinstance(changed_q, Question)
        change = timed(runner, changed_q)
        again = timed(runner, first_q)
        runner.close()
        for name, row in (("cold", cold), ("change", change), ("again", again)):
            row |= {"round": round_, "task": name, "unit_seconds": round(unit, 3),
                    "start_seconds": round(started, 3),
                    "first_ratio": round(row["first_seconds"] / unit, 2),
                    "final_ratio": round(row["final_seconds"] / unit, 2)}
            rows.append(row)
            print(f"round {round_} {name:6s} first {row['first_seconds']:6.2f} s "
                  f"({row['first_ratio']:.2f} replications' time)  final "
                  f"{row['final_seconds']:6.2f} s ({row['final_ratio']:.2f})  "
                  f"{row['replications']} replications, {row['simulated']} simulated, "
                  f"half-width {row['half_width']}, {row['stopped']}; one replication "
                  f"{unit:.2f} s", flush=True)
    for name in ("cold", "change", "again"):
        mine = [r for r in rows if r["task"] == name]
        print(f"median {name:6s} first {statistics.median(r['first_seconds'] for r in mine):.2f} s"
              f", final {statistics.median(r['final_seconds'] for r in mine):.2f} s "
              f"(goal: first < 2 s, precise < 15 s)")
    if args.json:
        args.json.write_text(json.dumps({"machine": platform.platform(), "cpus": os.cpu_count(),
                                         "precision": args.precision, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
