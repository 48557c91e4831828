"""What every part of the scenario schema shares: the strict frozen base model, names, shares
and the bounds that refuse a typo (a trillion agents) rather than attempt it."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_DAYS = 3660.0
MAX_REPLICATIONS = 10_000
MAX_AGENTS = 100_000
MAX_VOLUME_PER_DAY = 10_000_000.0
#: Expected contacts over all days and replications above which a run is refused.
MAX_TOTAL_CONTACTS = 2_000_000_000.0

_NAME = r"^[A-Za-z][A-Za-z0-9_\-]*$"
Name = Annotated[str, Field(pattern=_NAME, max_length=64)]
Share = Annotated[float, Field(ge=0, le=1)]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: "HH:MM" from "00:00" to "24:00" (a time of day, or a duration from a shift's start)
HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


class Spec(BaseModel):
    """A table of the scenario: unknown keys are errors, values are frozen, NaN and inf refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
