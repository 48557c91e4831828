"""The smallest whole number at which a monotone test passes (staffing searches).

Steps that double from a start (1, 2, 4, ...) until the answer is bracketed, then halving the
bracket: about 2·log2(distance) evaluations instead of one per step — which matters when each
evaluation is a simulation.
"""

from __future__ import annotations

from collections.abc import Callable


def smallest_passing(passes: Callable[[int], bool], start: int, lowest: int,
                     highest: int) -> int | None:
    """The smallest ``n`` in ``[lowest, highest]`` with ``passes(n)``, assuming that passing at
    ``n`` means passing at every larger ``n``; ``None`` if even ``highest`` fails."""
    step = 1
    if passes(start):  # go down until it fails
        good = start
        while True:
            if good <= lowest:
                return good
            trial = max(good - step, lowest)
            if not passes(trial):
                bad = trial
                break
            good, step = trial, step * 2
    else:  # go up until it passes
        bad = start
        while True:
            if bad >= highest:
                return None
            trial = min(bad + step, highest)
            if passes(trial):
                good = trial
                break
            bad, step = trial, step * 2
    while good - bad > 1:  # bad fails, good passes: halve the bracket
        middle = (good + bad) // 2
        if passes(middle):
            good = middle
        else:
            bad = middle
    return good
