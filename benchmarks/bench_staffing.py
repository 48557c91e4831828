"""What staffing costs, in plain runs of the baseline: ccsim staff, compare at equal service and
the workshop notebooks, against one ``ccsim run``.

Runs, interleaved over ``--rounds`` in one invocation (the machine is shared: compare within a
run), whole processes from the repository root:

- **run**: ``python -m simulator run scenarios/baseline.toml --format json`` (the unit);
- **staff**: ``python -m simulator staff scenarios/baseline.toml --format json``;
- **compare**: ``python -m simulator compare scenarios/baseline.toml`` with four levers and
  ``--staff equal-service --format json`` (every scenario re-staffed; each staffing's last
  run is the scenario's run);
- **nb01**, **nb02**, **nb03**: each notebook of ``notebooks/`` top to bottom in full mode (no
  ``CCSIM_NOTEBOOK_FAST``), with nbclient as ``tests/notebooks`` runs them,

and prints each one's wall seconds and its ratio to the run of the same round, against the
targets: staff at most 6 runs, compare at most 40, every notebook under 180 s.

    python benchmarks/bench_staffing.py                        # 1 round, ~15 minutes
    python benchmarks/bench_staffing.py --rounds 3 --json staffing.json
    python benchmarks/bench_staffing.py --only run,staff       # some of the tasks
    python benchmarks/bench_staffing.py --set run.replications=2 --set run.days=6 \\
        --notebook-fast                                         # a smoke test, ~2 minutes

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_single_queue import REPO_ROOT, BenchmarkError, run_child_cpu

BASELINE = "scenarios/baseline.toml"
#: the levers compared at equal service (each extends the baseline)
LEVERS = ("scenarios/ivr_verification.toml", "scenarios/callback.toml",
          "scenarios/self_service.toml", "scenarios/skills_routing.toml")
NOTEBOOKS = REPO_ROOT / "notebooks"
#: the most a task may take, as plain runs of the baseline (None: judged in seconds instead)
RATIO_TARGETS = {"staff": 6.0, "compare": 40.0}
NOTEBOOK_SECONDS = 180.0
CELL_TIMEOUT = 900  # seconds per notebook cell before the child gives up
KERNEL = "ccsim-bench-staffing"  # a kernelspec name no other on the machine will have


@dataclass(frozen=True)
class Task:
    name: str
    argv: list[str]
    what: str  # for error messages


@dataclass(frozen=True)
class Timing:
    task: str
    round: int
    wall_seconds: float
    cpu_seconds: float  # user + system, the child's and its workers' (reaped descendants)
    peak_rss_mib: float
    ratio_to_run: float | None  # wall / the run of the same round
    simulations: int | None  # staff only: simulations of the search, from its JSON


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def notebook_task_name(path: Path) -> str:
    return f"nb{path.name[:2]}"


def tasks(sets: Sequence[str], workers: int | None, notebook_fast: bool) -> list[Task]:
    """Every task of a round, the unit (run) first."""
    extra = [arg for key in sets for arg in ("--set", key)]
    if workers is not None:
        extra += ["--workers", str(workers)]
    sim = [sys.executable, "-m", "simulator"]
    out = [
        Task("run", [*sim, "run", BASELINE, "--format", "json", *extra], "ccsim run"),
        Task("staff", [*sim, "staff", BASELINE, "--format", "json", *extra], "ccsim staff"),
        Task("compare", [*sim, "compare", BASELINE, *LEVERS, "--staff", "equal-service",
                         "--format", "json", *extra], "ccsim compare --staff equal-service"),
    ]
    mode = ["--fast"] if notebook_fast else []
    out += [Task(notebook_task_name(p), [sys.executable, __file__, "--run-notebook", str(p), *mode],
                 f"notebook {p.name}") for p in notebook_paths()]
    return out


def selected(all_tasks: list[Task], only: str | None, skip_notebooks: bool) -> list[Task]:
    names = {t.name for t in all_tasks}
    chosen = set(names)
    if only:
        chosen = set()
        for word in only.split(","):
            word = word.strip()
            if word == "notebooks":
                chosen |= {n for n in names if n.startswith("nb")}
            elif word in names:
                chosen.add(word)
            else:
                raise SystemExit(f"--only: unknown task {word!r} (known: {', '.join(sorted(names))}, "
                                 "notebooks)")
    if skip_notebooks:
        chosen = {n for n in chosen if not n.startswith("nb")}
    return [t for t in all_tasks if t.name in chosen]


def simulations_of(stdout: str) -> int | None:
    try:
        return int(json.loads(stdout)["search"]["simulations"])
    except (ValueError, KeyError, TypeError):
        return None


def benchmark(chosen: list[Task], rounds: int) -> list[Timing]:
    timings: list[Timing] = []
    for rnd in range(1, rounds + 1):
        print(f"\nround {rnd}/{rounds}")
        print(f"  {'task':8s} {'wall s':>8s} {'x run':>7s} {'cpu s':>8s} {'RSS MiB':>8s}  note",
              flush=True)
        unit: float | None = None
        for task in chosen:
            stdout, wall, rss, cpu = run_child_cpu(task.argv, task.what)
            if task.name == "run":
                unit = wall
            sims = simulations_of(stdout) if task.name == "staff" else None
            timing = Timing(task.name, rnd, wall, cpu, rss, None if unit is None else wall / unit,
                            sims)
            timings.append(timing)
            note = f"{sims} simulations" if sims is not None else ""
            ratio = "" if timing.ratio_to_run is None else f"{timing.ratio_to_run:7.2f}"
            print(f"  {task.name:8s} {wall:8.1f} {ratio:>7s} {cpu:8.1f} {rss:8.1f}  {note}",
                  flush=True)
    return timings


def verdict(task: str, wall: float, ratio: float | None) -> tuple[str, str]:
    """(the target, 'ok' or 'OVER') of a task's median."""
    if task.startswith("nb"):
        return f"< {NOTEBOOK_SECONDS:.0f} s", "ok" if wall < NOTEBOOK_SECONDS else "OVER"
    if task in RATIO_TARGETS:
        target = RATIO_TARGETS[task]
        if ratio is None:
            return f"<= {target:g} runs", "n/a (no run measured)"
        return f"<= {target:g} runs", "ok" if ratio <= target else "OVER"
    return "(the unit)", ""


def summarise(timings: list[Timing], chosen: list[Task]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    print("\nmedian over rounds")
    print(f"  {'task':8s} {'wall s':>8s} {'x run':>7s} {'cpu s':>8s} {'cpu x':>6s}  "
          f"{'target':14s} verdict")
    unit_cpu = [t.cpu_seconds for t in timings if t.task == "run"]
    for task in chosen:
        mine = [t for t in timings if t.task == task.name]
        wall = statistics.median(t.wall_seconds for t in mine)
        ratios = [t.ratio_to_run for t in mine if t.ratio_to_run is not None]
        ratio = statistics.median(ratios) if ratios else None
        target, ok = verdict(task.name, wall, ratio)
        cpu = statistics.median(t.cpu_seconds for t in mine)
        # CPU seconds against the run's: on a shared machine, what the task cost whatever the
        # others were doing (wall time is the target, as a user waits for it)
        cpu_ratio = cpu / statistics.median(unit_cpu) if unit_cpu else None
        summary[task.name] = {"wall_seconds_median": wall, "ratio_to_run_median": ratio,
                              "cpu_seconds_median": cpu, "cpu_ratio_to_run": cpu_ratio,
                              "target": target, "verdict": ok,
                              "peak_rss_mib_max": max(t.peak_rss_mib for t in mine)}
        shown = "" if ratio is None else f"{ratio:7.2f}"
        cpu_shown = "" if cpu_ratio is None or task.name.startswith("nb") else f"{cpu_ratio:6.2f}"
        print(f"  {task.name:8s} {wall:8.1f} {shown:>7s} {cpu:8.1f} {cpu_shown:>6s}  "
              f"{target:14s} {ok}")
    return summary


# ---------------------------------------------------------------------------- a notebook child
def run_notebook(path: Path, fast: bool) -> int:
    """Execute one notebook top to bottom as tests/notebooks does: nbclient, a kernel running
    this interpreter (a kernelspec in a temporary folder), the notebook's folder as working
    directory; full mode unless ``fast``. Exits non-zero if a cell fails."""
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    import nbformat
    from ipykernel.kernelspec import install
    from nbclient import NotebookClient

    if fast:
        os.environ["CCSIM_NOTEBOOK_FAST"] = "1"
    else:
        os.environ.pop("CCSIM_NOTEBOOK_FAST", None)
    os.environ.pop("MPLBACKEND", None)  # the inline backend, as in Jupyter
    with tempfile.TemporaryDirectory() as prefix:
        install(kernel_name=KERNEL, display_name="ccsim benchmark", prefix=prefix)
        os.environ["JUPYTER_PATH"] = str(Path(prefix) / "share" / "jupyter")
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, startup_timeout=120,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="ccsim staff, compare --staff equal-service and the notebooks, in plain runs "
                    "of the baseline (interleaved, whole-process).")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (default 1)")
    parser.add_argument("--only", metavar="TASKS",
                        help="comma-separated: run, staff, compare, nb01, nb02, nb03, notebooks")
    parser.add_argument("--skip-notebooks", action="store_true", help="leave the notebooks out")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                        help="passed to run, staff and compare as --set (e.g. a smoke test: "
                             "run.replications=2); not to the notebooks")
    parser.add_argument("--workers", type=int, help="passed to run, staff and compare")
    parser.add_argument("--notebook-fast", action="store_true",
                        help="run the notebooks in fast mode (CCSIM_NOTEBOOK_FAST=1): a smoke test, "
                             "not the measure")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--run-notebook", type=Path, help=argparse.SUPPRESS)  # the child
    parser.add_argument("--fast", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("need --rounds >= 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.run_notebook is not None:
        return run_notebook(args.run_notebook.resolve(), args.fast)
    chosen = selected(tasks(args.sets, args.workers, args.notebook_fast), args.only,
                      args.skip_notebooks)
    if not chosen:
        print("error: no task selected", file=sys.stderr)
        return 2
    print(f"staffing benchmark: {', '.join(t.name for t in chosen)}; {args.rounds} round(s)"
          + (f"; --set {' --set '.join(args.sets)}" if args.sets else "")
          + ("; notebooks in FAST mode (a smoke test)" if args.notebook_fast else ""))
    try:
        timings = benchmark(chosen, args.rounds)
    except BenchmarkError as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return 1
    summary = summarise(timings, chosen)
    if args.json is not None:
        result = {"rounds": [asdict(t) for t in timings], "summary": summary,
                  "config": {"rounds": args.rounds, "sets": args.sets, "workers": args.workers,
                             "notebook_fast": args.notebook_fast,
                             "commands": {t.name: t.argv for t in chosen},
                             "python": sys.version, "platform": platform.platform(),
                             "cpus": os.cpu_count()}}
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
