"""The command group every ccsim command runs in: how a run ends when it cannot go on.

* SIGINT (Ctrl-C) and SIGTERM stop the run: the runner ends its pool's processes and cancels
  its cluster's futures on the way out, no output is left half written, one line says
  "interrupted" and the exit code is the conventional 128 + the signal's number (130, 143).
  A second signal while stopping ends the process at once.
* A Dask cluster that cannot be used (no scheduler answered, no worker joined) is one line
  naming the address and the timeout, exit 2.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from simulator.experiment import ClusterError

_STOPPING = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A stop signal arrived (a BaseException, so that no ``except Exception`` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.exit_code = 128 + signum


def _interrupt(signum: int, frame: FrameType | None) -> None:
    for stopping in _STOPPING:  # a second signal is not caught: it ends the process
        signal.signal(stopping, signal.SIG_DFL)
    raise Interrupted(signum)


class Commands(TyperGroup):
    """ccsim's commands, each run with the stop signals caught and cluster failures told."""

    def invoke(self, ctx: Any) -> Any:
        err = Console(stderr=True)
        main = threading.current_thread() is threading.main_thread()
        before = {s: signal.getsignal(s) for s in _STOPPING} if main else {}
        for stopping in before:
            signal.signal(stopping, _interrupt)
        try:
            return super().invoke(ctx)
        except (Interrupted, KeyboardInterrupt) as exc:
            err.print("interrupted", highlight=False)
            raise typer.Exit(getattr(exc, "exit_code", 128 + signal.SIGINT)) from None
        except ClusterError as exc:
            err.print(f"--scheduler {exc.address}: {exc.problem}; wait longer with "
                      "--scheduler-timeout SECONDS", markup=False, highlight=False,
                      soft_wrap=True)
            raise typer.Exit(2) from None
        finally:
            for stopping, handler in before.items():
                signal.signal(stopping, handler)
