"""Short names for long scenario keys, by one rule, with a legend for what was shortened.

The rule: a key keeps its last two parts (``agent_groups.email_team.shrinkage`` ->
``email_team.shrinkage``), or its last part alone where a table is too narrow for two; where
two keys would then read alike, each keeps as many more of its last parts as it takes to tell
them apart. A key of one or two parts is shown whole (or by its last part, when narrow).
"""

from __future__ import annotations

from collections.abc import Sequence

#: the parts a shortened key keeps at least
KEPT_PARTS = 2


def short_keys(keys: Sequence[str], parts: int = KEPT_PARTS) -> dict[str, str]:
    """Each key -> its short name: its last ``parts`` parts, or more where that is needed to
    tell it from the other ``keys``."""
    split = {key: key.split(".") for key in keys}
    kept = {key: min(parts, len(p)) for key, p in split.items()}
    while True:
        names = {key: ".".join(split[key][-kept[key]:]) for key in keys}
        clashes = [key for key in keys
                   if sum(1 for other in keys if names[other] == names[key]) > 1
                   and kept[key] < len(split[key])]
        if not clashes:
            return names
        for key in clashes:
            kept[key] += 1


def legend(names: dict[str, str]) -> str | None:
    """"email_team.shrinkage = agent_groups.email_team.shrinkage; ..." for every key that was
    shortened, or None when none was."""
    shortened = [f"{short} = {key}" for key, short in names.items() if short != key]
    return "; ".join(shortened) if shortened else None
