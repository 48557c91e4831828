"""What every part of the scenario schema shares: the strict frozen base model, names, shares,
times of day and the bounds that refuse a typo (a trillion agents) rather than attempt it."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

MAX_DAYS = 3660.0
MAX_REPLICATIONS = 10_000
MAX_AGENTS = 100_000
MAX_VOLUME_PER_DAY = 10_000_000.0
#: Expected contacts over all days and replications above which a run is refused.
MAX_TOTAL_CONTACTS = 2_000_000_000.0

_NAME = r"^[A-Za-z][A-Za-z0-9_\-]*$"
Name = Annotated[str, Field(pattern=_NAME, max_length=64)]
Share = Annotated[float, Field(ge=0, le=1)]


_DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_characters(text: str, allowed: str = "") -> list[str]:
    """The control characters of ``text`` (terminal escapes, bells, backspaces) and the
    direction overrides that reorder what is shown, as ``\\x1b``-style escapes; those in
    ``allowed`` are let through."""
    found = [c for c in text if c not in allowed
             and (unicodedata.category(c) == "Cc" or c in _DIRECTION_OVERRIDES)]
    return [c.encode("unicode_escape").decode("ascii") for c in dict.fromkeys(found)]


def _plain_text(allowed: str) -> AfterValidator:
    def check(text: str) -> str:
        found = control_characters(text, allowed)
        if found:
            msg = (f"must be plain text: it holds the control character(s) {', '.join(found)}, "
                   "which could clear, recolour or reorder a terminal's text; remove them")
            raise ValueError(msg)
        return text
    return AfterValidator(check)


#: text a user writes and ccsim prints (a scenario's name, a currency): no control characters
PlainText = Annotated[str, _plain_text("")]
#: plain text over several lines (a description): new lines and tabs allowed
PlainLines = Annotated[str, _plain_text("\n\t")]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: "HH:MM" from "00:00" to "24:00" (a time of day, or a duration from a shift's start)
HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


def seconds_of_day(text: str) -> int:
    """``"08:30"`` -> 30600. ``"24:00"`` is the end of the day."""
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def clock(seconds: int) -> str:
    """Seconds into the day as "HH:MM"."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def check_time_of_day(value: str) -> str:
    """A field validator: ``value`` if it is a time of day "HH:MM"."""
    if not isinstance(value, str) or not HH_MM.match(value):
        msg = f'must be a time of day "HH:MM" from "00:00" to "24:00", got {value!r}'
        raise ValueError(msg)
    return value


TimeOfDay = Annotated[str, Field(examples=["08:00"])]


class Spec(BaseModel):
    """A table of the scenario: unknown keys are errors, values are frozen, NaN and inf refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
