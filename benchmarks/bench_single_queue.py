"""Single-queue benchmark: ccsim against an idiomatic SimPy model of the same M/M/c+M centre.

Both run as fresh subprocesses, timed whole (process start to exit), interleaved in rounds
(reference, ccsim, reference, ccsim, ...) so that drift on a shared machine hits both alike.
Peak RSS of each child comes from ``os.wait4``. Run from anywhere::

    python benchmarks/bench_single_queue.py                 # 3 rounds of 1,000,000 calls
    python benchmarks/bench_single_queue.py --calls 200000 --rounds 5 --json out.json
    python benchmarks/bench_single_queue.py --horizon-check # ccsim memory vs horizon

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_SCRIPT = "benchmarks/idiomatic_simpy.py"
SCENARIO = "scenarios/erlang_a.toml"
# Fixed by the canonical scenario file (exponential handle time and patience).
HANDLE_SECONDS = 300.0
PATIENCE_SECONDS = 180.0
SECONDS_PER_DAY = 86_400.0
SHOWN_CHARS = 4_000  # of a failing child's stderr/stdout


class BenchmarkError(RuntimeError):
    """A child process failed or produced output the harness cannot read."""


@dataclass(frozen=True)
class ChildResult:
    """One timed subprocess and the figures read from its JSON output."""

    impl: str  # "reference" or "ccsim"
    round: int  # 1-based; 0 for the horizon check
    seed: int
    calls: float  # calls simulated (ccsim: Poisson number of arrivals, so not an integer target)
    wall_seconds: float  # whole process: start to exit
    calls_per_second: float  # calls / wall_seconds
    peak_rss_mib: float  # ru_maxrss of the child (largest process in its tree), MiB
    abandon_rate: float | None
    mean_wait_all_seconds: float | None
    inner_seconds: float | None  # reference only: its own timing of the simulation loop
    days: float | None  # ccsim only: simulated days


@dataclass(frozen=True)
class ErlangA:
    abandon_rate: float
    mean_wait_all_seconds: float
    wait_probability: float


# --------------------------------------------------------------------------------------------
# Exact Erlang A (M/M/c+M) from the birth-death chain, for the sanity check.


def erlang_a(agents: int, arrival_rate: float, handle: float, patience: float) -> ErlangA:
    """Stationary M/M/c+M figures: P(abandon), mean wait of all callers, P(wait > 0)."""
    mu, theta = 1.0 / handle, 1.0 / patience
    probs = [1.0]  # unnormalised p_n, p_0 = 1
    total = 1.0
    n = 0
    while True:
        n += 1
        death = min(n, agents) * mu + max(n - agents, 0) * theta
        probs.append(probs[-1] * arrival_rate / death)
        total += probs[-1]
        if n > agents and probs[-1] < 1e-16 * total:
            break
    mean_queue = sum(max(k - agents, 0) * p for k, p in enumerate(probs)) / total
    wait_probability = sum(probs[agents:]) / total
    return ErlangA(
        abandon_rate=theta * mean_queue / arrival_rate,  # abandonment flow / arrival flow
        mean_wait_all_seconds=mean_queue / arrival_rate,  # Little's law on the queue
        wait_probability=wait_probability,
    )


# --------------------------------------------------------------------------------------------
# Running children.


def _tail(data: bytes, head: bool = False) -> str:
    """The end (or, with ``head``, the start) of a child's output, for error messages."""
    text = data.decode("utf-8", errors="replace").strip()
    if len(text) > SHOWN_CHARS:
        text = text[:SHOWN_CHARS] + "\n..." if head else "...\n" + text[-SHOWN_CHARS:]
    return text or "(empty)"


def run_child(argv: Sequence[str], what: str) -> tuple[str, float, float]:
    """Run ``argv`` from the repository root; return (stdout, wall seconds, peak RSS MiB)."""
    stdout, wall, rss, _ = run_child_cpu(argv, what)
    return stdout, wall, rss


def run_child_cpu(argv: Sequence[str], what: str) -> tuple[str, float, float, float]:
    """:func:`run_child`, and the CPU seconds (user + system) of the child and of the
    descendants it waited for (its worker processes): a figure a busy machine inflates far less
    than wall time.

    stdout and stderr go to temporary files rather than pipes: the child may write more than a
    pipe buffer, and reaping it with ``os.wait4`` (to get its own rusage) rules out
    ``communicate``. Wall time covers process start to exit.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # e.g. Ctrl-C: do not leave the child running
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read()
        err.seek(0)
        stderr = err.read()
    if proc.returncode != 0:
        raise BenchmarkError(
            f"{what} failed with exit code {proc.returncode}\n"
            f"  command: {' '.join(argv)}\n  cwd: {REPO_ROOT}\n"
            f"--- stderr ---\n{_tail(stderr)}\n--- stdout ---\n{_tail(stdout)}"
        )
    # Linux reports ru_maxrss in KiB (macOS in bytes).
    rss_kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime
    return stdout.decode("utf-8", errors="replace"), wall, rss_kib / 1024, cpu


def _parse_json(stdout: str, what: str, argv: Sequence[str]) -> dict[str, Any]:
    try:
        doc = json.loads(stdout)
    except json.JSONDecodeError as exc:
        raise BenchmarkError(
            f"{what} did not print a JSON document on stdout ({exc})\n"
            f"  command: {' '.join(argv)}\n"
            f"--- stdout (start) ---\n{_tail(stdout.encode(), head=True)}"
        ) from None
    if not isinstance(doc, dict):
        raise BenchmarkError(f"{what}: expected a JSON object, got {type(doc).__name__}")
    return doc


def _dig(doc: dict[str, Any], path: Sequence[str], what: str) -> Any:
    node: Any = doc
    for depth, key in enumerate(path):
        if not isinstance(node, dict) or key not in node:
            where = ".".join(path[:depth]) or "(top level)"
            keys = sorted(node) if isinstance(node, dict) else type(node).__name__
            raise BenchmarkError(f"{what}: JSON has no '{'.'.join(path)}' (at {where}: {keys})")
        node = node[key]
    return node


def _number(value: Any, path: Sequence[str], what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BenchmarkError(f"{what}: '{'.'.join(path)}' is not a number: {value!r}")
    return float(value)


def _fmt_number(value: float) -> str:
    """A --set value: integral floats without a decimal point, others in full precision."""
    rounded = round(value)
    return str(rounded) if abs(value - rounded) < 1e-9 else repr(value)


def volume_per_day(agents: int, load: float) -> float:
    return load * agents * SECONDS_PER_DAY / HANDLE_SECONDS


def days_for(calls: int, agents: int, load: float) -> int:
    """Whole days so that the expected number of arrivals is at least ``calls``."""
    return math.ceil(calls / volume_per_day(agents, load) - 1e-9)


def reference_argv(agents: int, load: float, calls: int, seed: int) -> list[str]:
    return [
        sys.executable,
        REFERENCE_SCRIPT,
        "--agents", str(agents),
        "--load", repr(load),
        "--handle-seconds", _fmt_number(HANDLE_SECONDS),
        "--patience-seconds", _fmt_number(PATIENCE_SECONDS),
        "--calls", str(calls),
        "--seed", str(seed),
    ]  # fmt: skip


def ccsim_argv(agents: int, load: float, days: float, seed: int) -> list[str]:
    return [
        sys.executable, "-m", "simulator", "run", SCENARIO,
        "--format", "json",
        "--replications", "1",
        "--workers", "1",
        "--set", f"agent_groups.agents.agents={agents}",
        "--set", f"channels.voice.volume_per_day={_fmt_number(volume_per_day(agents, load))}",
        "--set", f"run.days={_fmt_number(days)}",
        "--set", "run.warmup_hours=0",
        "--set", f"run.seed={seed}",
    ]  # fmt: skip


def run_reference(agents: int, load: float, calls: int, seed: int, rnd: int) -> ChildResult:
    what = "reference (benchmarks/idiomatic_simpy.py)"
    argv = reference_argv(agents, load, calls, seed)
    stdout, wall, rss = run_child(argv, what)
    doc = _parse_json(stdout, what, argv)
    n = _number(_dig(doc, ["calls"], what), ["calls"], what)
    return ChildResult(
        impl="reference",
        round=rnd,
        seed=seed,
        calls=n,
        wall_seconds=wall,
        calls_per_second=n / wall,
        peak_rss_mib=rss,
        abandon_rate=_number(_dig(doc, ["abandon_rate"], what), ["abandon_rate"], what),
        mean_wait_all_seconds=_number(
            _dig(doc, ["mean_wait_all_seconds"], what), ["mean_wait_all_seconds"], what
        ),
        inner_seconds=_number(_dig(doc, ["sim_seconds"], what), ["sim_seconds"], what),
        days=None,
    )


def _optional_mean(doc: dict[str, Any], path: list[str], what: str) -> float | None:
    """A statistic the sanity check wants but the timing does not need: warn if missing."""
    try:
        return _number(_dig(doc, path, what), path, what)
    except BenchmarkError as exc:
        print(f"warning: {exc}", file=sys.stderr)
        return None


def run_ccsim(agents: int, load: float, days: float, seed: int, rnd: int) -> ChildResult:
    what = "ccsim (python -m simulator run)"
    argv = ccsim_argv(agents, load, days, seed)
    stdout, wall, rss = run_child(argv, what)
    doc = _parse_json(stdout, what, argv)
    path = ["channels", "voice", "arrivals", "mean"]
    n = _number(_dig(doc, path, what), path, what)
    if n <= 0:
        raise BenchmarkError(f"{what}: simulated {n} calls; expected a positive number")
    voice = ["channels", "voice"]
    return ChildResult(
        impl="ccsim",
        round=rnd,
        seed=seed,
        calls=n,
        wall_seconds=wall,
        calls_per_second=n / wall,
        peak_rss_mib=rss,
        abandon_rate=_optional_mean(doc, [*voice, "abandon_rate", "mean"], what),
        mean_wait_all_seconds=_optional_mean(doc, [*voice, "mean_wait_seconds_all", "mean"], what),
        inner_seconds=None,
        days=days,
    )


# --------------------------------------------------------------------------------------------
# Reporting.


def _cell(value: float | None, fmt: str) -> str:
    return "n/a" if value is None else format(value, fmt)


HEADER = (
    f"{'impl':<10} {'calls':>11} {'wall s':>8} {'calls/s':>10} {'RSS MiB':>8} "
    f"{'P(aband)':>9} {'wait s':>7}  note"
)


def format_row(r: ChildResult) -> str:
    if r.inner_seconds:
        note = f"sim loop only: {r.calls / r.inner_seconds:,.0f} calls/s"
    elif r.days is not None:
        note = f"run.days={_fmt_number(r.days)}"
    else:
        note = ""
    return (
        f"{r.impl:<10} {r.calls:>11,.0f} {r.wall_seconds:>8.2f} {r.calls_per_second:>10,.0f} "
        f"{r.peak_rss_mib:>8.1f} {_cell(r.abandon_rate, '.4f'):>9} "
        f"{_cell(r.mean_wait_all_seconds, '.2f'):>7}  {note}"
    )


def _mean_of(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def _check(value: float | None, exact: float, tolerance: float) -> str:
    if value is None:
        return "n/a"
    rel = value / exact - 1.0
    return f"{rel:+.1%} {'ok' if abs(rel) <= tolerance else 'CHECK'}"


def summarise(refs: list[ChildResult], sims: list[ChildResult], exact: ErlangA) -> dict[str, Any]:
    ratios = [s.calls_per_second / r.calls_per_second for r, s in zip(refs, sims, strict=True)]
    summary: dict[str, Any] = {"ccsim_over_reference": statistics.median(ratios)}
    summary["ratio_per_round"] = ratios
    for name, runs in (("reference", refs), ("ccsim", sims)):
        total_calls = sum(r.calls for r in runs)
        summary[name] = {
            "calls_per_second_median": statistics.median(r.calls_per_second for r in runs),
            "calls_per_second_min": min(r.calls_per_second for r in runs),
            "calls_per_second_max": max(r.calls_per_second for r in runs),
            "wall_seconds_median": statistics.median(r.wall_seconds for r in runs),
            "peak_rss_mib_max": max(r.peak_rss_mib for r in runs),
            "calls_total": total_calls,
            # Rough acceptance band for the sanity check: ~4 standard errors of a c=50 run
            # (relative SE of either statistic is about 5.5/sqrt(calls)), at least 1.5 %.
            "sanity_tolerance": max(0.015, 25.0 / math.sqrt(total_calls)),
            "abandon_rate_mean": _mean_of([r.abandon_rate for r in runs]),
            "mean_wait_all_seconds_mean": _mean_of([r.mean_wait_all_seconds for r in runs]),
        }
    inner = [r.calls / r.inner_seconds for r in refs if r.inner_seconds]
    if inner:
        summary["reference"]["sim_loop_calls_per_second_median"] = statistics.median(inner)
    summary["exact_erlang_a"] = asdict(exact)
    return summary


def print_summary(summary: dict[str, Any], rounds: int) -> None:
    exact = summary["exact_erlang_a"]
    print(f"\nSummary over {rounds} round(s): whole-process wall time, median over rounds")
    print(
        f"{'':<16} {'calls/s':>10} {'min-max calls/s':>19} {'RSS MiB':>8} "
        f"{'P(aband)':>9} {'vs exact':>12} {'wait s':>7} {'vs exact':>12}"
    )
    for name in ("reference", "ccsim"):
        s = summary[name]
        tol = s["sanity_tolerance"]
        span = f"{s['calls_per_second_min']:,.0f}-{s['calls_per_second_max']:,.0f}"
        print(
            f"{name:<16} {s['calls_per_second_median']:>10,.0f} {span:>19} "
            f"{s['peak_rss_mib_max']:>8.1f} {_cell(s['abandon_rate_mean'], '.4f'):>9} "
            f"{_check(s['abandon_rate_mean'], exact['abandon_rate'], tol):>12} "
            f"{_cell(s['mean_wait_all_seconds_mean'], '.2f'):>7} "
            f"{_check(s['mean_wait_all_seconds_mean'], exact['mean_wait_all_seconds'], tol):>12}"
        )
    print(
        f"{'exact Erlang A':<16} {'':>10} {'':>19} {'':>8} {exact['abandon_rate']:>9.4f} "
        f"{'':>12} {exact['mean_wait_all_seconds']:>7.2f}"
    )
    per_round = ", ".join(f"{x:.2f}" for x in summary["ratio_per_round"])
    print(
        f"\nccsim / reference calls/s: {summary['ccsim_over_reference']:.2f}x "
        f"(median of per-round ratios: {per_round})"
    )
    if "sim_loop_calls_per_second_median" in summary["reference"]:
        print(
            "reference simulation loop alone (no interpreter start-up or imports): "
            f"{summary['reference']['sim_loop_calls_per_second_median']:,.0f} calls/s"
        )
    print(
        "P(aband) and wait s: mean over rounds; 'CHECK' = off exact Erlang A by more than "
        "~4 standard errors (a sanity check, not a test)."
    )


# --------------------------------------------------------------------------------------------
# Modes.


def preflight(agents: int, load: float, seed: int) -> None:
    """Untimed short runs of both children: fail fast, and warm the file cache for both."""
    print("preflight: short untimed runs of the reference and ccsim ...", flush=True)
    run_reference(agents, load, 2_000, seed, rnd=0)
    run_ccsim(agents, load, 0.25, seed, rnd=0)


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    days = days_for(args.calls, args.agents, args.load)
    volume = volume_per_day(args.agents, args.load)
    print(
        f"M/M/c+M: {args.agents} agents, load {args.load}, handle {HANDLE_SECONDS:g} s, "
        f"patience {PATIENCE_SECONDS:g} s (both exponential)\n"
        f"reference: {args.calls:,} calls; ccsim: {_fmt_number(volume)} calls/day x {days} days "
        f"= {volume * days:,.0f} expected calls; {args.rounds} round(s), seed {args.seed} + round"
    )
    preflight(args.agents, args.load, args.seed)
    refs: list[ChildResult] = []
    sims: list[ChildResult] = []
    for rnd in range(1, args.rounds + 1):
        seed = args.seed + rnd - 1
        print(f"\nround {rnd}/{args.rounds} (seed {seed})\n{HEADER}", flush=True)
        refs.append(run_reference(args.agents, args.load, args.calls, seed, rnd))
        print(format_row(refs[-1]), flush=True)
        sims.append(run_ccsim(args.agents, args.load, days, seed, rnd))
        print(format_row(sims[-1]), flush=True)
    exact = erlang_a(args.agents, volume / SECONDS_PER_DAY, HANDLE_SECONDS, PATIENCE_SECONDS)
    summary = summarise(refs, sims, exact)
    print_summary(summary, args.rounds)
    return {"rounds": [asdict(r) for r in refs + sims], "summary": summary}


def horizon_check(args: argparse.Namespace) -> dict[str, Any]:
    horizons = [math.ceil(args.calls / 8), math.ceil(args.calls / 2), args.calls]
    print(
        f"horizon check: ccsim peak RSS at {len(horizons)} horizons "
        f"({args.agents} agents, load {args.load}, seed {args.seed})\n{HEADER}",
        flush=True,
    )
    runs: list[ChildResult] = []
    for calls in horizons:
        days = days_for(calls, args.agents, args.load)
        runs.append(run_ccsim(args.agents, args.load, days, args.seed, rnd=0))
        print(format_row(runs[-1]), flush=True)
    low, high = runs[0], runs[-1]
    growth = high.peak_rss_mib - low.peak_rss_mib
    print(
        f"\ncalls x{high.calls / low.calls:.1f}: peak RSS {low.peak_rss_mib:.1f} -> "
        f"{high.peak_rss_mib:.1f} MiB ({growth:+.1f} MiB, {growth / low.peak_rss_mib:+.1%}): "
        + ("flat" if growth <= 0.10 * low.peak_rss_mib else "GROWS with the horizon")
    )
    return {
        "horizon_check": [asdict(r) for r in runs],
        "rss_growth_mib": growth,
        "rss_growth_fraction": growth / low.peak_rss_mib,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="ccsim vs idiomatic SimPy on one M/M/c+M queue (interleaved, whole-process)."
    )
    parser.add_argument(
        "--calls", type=int, default=1_000_000, help="calls per run (default 1,000,000)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--agents", type=int, default=50, help="agents (default 50)")
    parser.add_argument(
        "--load", type=float, default=0.95, help="offered load per agent (default 0.95)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of round 1 (default 1)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results as JSON")
    parser.add_argument(
        "--horizon-check",
        action="store_true",
        help="instead of the comparison, run ccsim once at calls/8, calls/2 and calls "
        "and show its peak RSS for each (memory should be flat in the horizon)",
    )
    args = parser.parse_args(argv)
    if args.calls < 8 or args.rounds < 1 or args.agents < 1 or args.load <= 0:
        parser.error("need --calls >= 8, --rounds >= 1, --agents >= 1, --load > 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    for rel in (REFERENCE_SCRIPT, SCENARIO):
        if not (REPO_ROOT / rel).is_file():
            print(f"error: {REPO_ROOT / rel} not found", file=sys.stderr)
            return 2
    try:
        result = horizon_check(args) if args.horizon_check else benchmark(args)
    except BenchmarkError as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return 1
    if args.json is not None:
        result["config"] = {
            "calls": args.calls,
            "rounds": args.rounds,
            "agents": args.agents,
            "load": args.load,
            "seed": args.seed,
            "handle_seconds": HANDLE_SECONDS,
            "patience_seconds": PATIENCE_SECONDS,
            "volume_per_day": volume_per_day(args.agents, args.load),
            "ccsim_command": ccsim_argv(
                args.agents, args.load, days_for(args.calls, args.agents, args.load), args.seed
            ),
            "python": sys.version,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
