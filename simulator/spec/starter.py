"""A starting scenario for a centre described by a few facts, as commented TOML text: what
``ccsim init`` writes. Every figure is one the planner gave or a GUESS the comments say to
replace; every section says what it is for and every number its unit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from simulator.spec.layers import toml_value

#: channel kinds ``ccsim init`` knows, in the order it writes them
KINDS = ("voice", "chat", "email", "social")


@dataclass(frozen=True)
class KindDefaults:
    """What ``ccsim init`` assumes for a channel of one kind unless told."""

    volume_per_day: float
    aht_seconds: float
    live: bool
    service_level_seconds: float = 20.0
    patience_seconds: float = 0.0
    concurrency: int = 1
    response_target_hours: float = 24.0
    service_level: float = 0.80
    max_abandon_rate: float = 0.06
    within_target: float = 0.95
    price_key: str = ""
    price: float = 0.0


DEFAULTS = {
    "voice": KindDefaults(2000, 360, live=True, patience_seconds=180,
                          price_key="telephony_per_minute", price=0.015),
    "chat": KindDefaults(600, 600, live=True, service_level_seconds=60, patience_seconds=120,
                         concurrency=2, max_abandon_rate=0.10, price_key="chat_per_session",
                         price=0.25),
    "email": KindDefaults(400, 420, live=False, price_key="email_per_contact", price=0.08),
    "social": KindDefaults(200, 300, live=False, response_target_hours=4, within_target=0.90),
}

Agents = int | Literal["auto"]


@dataclass(frozen=True)
class Centre:
    """The facts ``ccsim init`` is given (the rest are its defaults)."""

    name: str
    channels: tuple[str, ...]
    volume_per_day: Mapping[str, float]
    aht_seconds: Mapping[str, float]
    agents: Mapping[str, Agents]
    open: str = "08:00"
    close: str = "20:00"
    interval_minutes: int = 30
    open_days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    hourly_wage: float = 20.0
    shrinkage: float = 0.30
    currency: str = "USD"


def _num(value: float) -> str:
    """A number as a person writes it: 4000, not 4000.0."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


def _given(flag: bool, option: str) -> str:
    return f"({option})" if flag else "(GUESS: change it to yours)"


def starter_toml(centre: Centre, given: frozenset[str] = frozenset()) -> str:
    """The commented scenario of a centre; ``given``: the options the planner gave, so each
    figure says whether it is theirs or a GUESS."""
    text = [*_head(centre), *_run(), *_hours(centre, given)]
    for channel in centre.channels:
        text += _channel(centre, channel, given)
    for channel in centre.channels:
        text += _contact_type(centre, channel, given)
    for channel in centre.channels:
        text += _group(centre, channel, given)
    text += _targets(centre)
    text += _costs(centre, given)
    return "\n".join(text) + "\n"


def _head(centre: Centre) -> list[str]:
    channels = ", ".join(centre.channels)
    return [
        f"# {centre.name}: a starting scenario written by `ccsim init`.",
        "# Each figure is one you gave (the option is named) or a GUESS to replace with yours.",
        "# Units are in the comments; the reference for every key is docs/scenario-format.md.",
        "#   ccsim check FILE   validate it      ccsim run FILE    simulate it",
        "#   ccsim show FILE    every value, defaults included, and where it came from",
        "",
        "# What the file models: shown in every report.",
        "[scenario]",
        f"name = {toml_value(centre.name)}",
        "description = " + toml_value(f"A starting scenario from ccsim init: {channels}; "
                                      "replace the GUESSES with your own figures"),
        "",
    ]


def _run() -> list[str]:
    return [
        "# How long and how often to simulate. Every figure is reported as a mean with a 95 %",
        "# interval over independent replications: more replications, narrower intervals.",
        "[run]",
        "days = 7              # days simulated in each replication: one week from start_day",
        "replications = 10     # independent replications (a paired comparison needs 2 or more)",
        "seed = 1              # the same file and seed give the same result, to the digit",
        "warmup_hours = 0      # hours not counted at the start (the queue empties every night)",
        'start_day = "mon"     # the weekday of the first simulated day',
        "",
    ]


def _hours(centre: Centre, given: frozenset[str]) -> list[str]:
    return [
        "# Opening hours, the same every open day. Results, targets and staffing are per",
        "# interval of the open day; open, close and shift times fall on its boundaries.",
        "[hours]",
        f'open = "{centre.open}"  # time of day, HH:MM {_given("hours" in given, "--hours")}',
        f'close = "{centre.close}"  # time of day, HH:MM {_given("hours" in given, "--hours")}',
        f"interval_minutes = {centre.interval_minutes}  # minutes: 15, 30 or 60",
        f"open_days = {toml_value(list(centre.open_days))}  "
        f"# {_given('open_days' in given, '--open-days')}",
        "",
    ]


def _channel(centre: Centre, channel: str, given: frozenset[str]) -> list[str]:
    d = DEFAULTS[channel]
    lines = [
        f"# The {channel} channel: a way in. volume_per_day counts first contacts on an open day",
        "# (before repeats). Left out here: `profile` (one weight per interval of the open day)",
        "# and `weekly_pattern` (7 multipliers, Monday first), so the volume is spread evenly.",
        "[[channels]]",
        f'name = "{channel}"',
        f"volume_per_day = {_num(centre.volume_per_day[channel])}  # contacts per open day "
        f"{_given(f'volume_per_day.{channel}' in given, '--volume-per-day')}",
        "# weekly_pattern = [1.15, 1.05, 1.0, 0.95, 0.95, 0.6, 0.0]  # e.g. a Monday peak",
    ]
    if d.live:
        lines += [
            f"patience = {{ dist = \"lognormal\", mean = {_num(d.patience_seconds)}, cv = 1.0 }}"
            "  # seconds a customer waits before giving up (GUESS)",
            f"service_level_seconds = {_num(d.service_level_seconds)}  # seconds: answered "
            "within this counts toward the service level",
        ]
    else:
        lines += [
            'mode = "deferred"  # a backlog answered in turn: nobody abandons',
            f"response_target_hours = {_num(d.response_target_hours)}  # hours: reply within "
            "this (GUESS)",
        ]
    if d.concurrency > 1:
        lines += [
            f"concurrency = {d.concurrency}  # contacts an agent carries at once (GUESS)",
            "concurrency_stretch = 0.25  # share: each takes 25 % longer per other one carried "
            "(GUESS)",
        ]
    return [*lines, ""]


def _contact_type(centre: Centre, channel: str, given: frozenset[str]) -> list[str]:
    return [
        f"# Why customers contact you on {channel}: one reason here. Add more [[contact_types]]",
        "# on a channel to model reasons that take longer or shorter; their shares add up to 1.",
        "[[contact_types]]",
        f'name = "{channel}_enquiry"',
        f'channel = "{channel}"',
        "share = 1.0  # share of the channel's volume",
        f'handle_time = {{ dist = "lognormal", mean = {_num(centre.aht_seconds[channel])}, '
        f"cv = 0.6 }}  # seconds: talk + hold + wrap-up, average "
        f"{_given(f'aht_seconds.{channel}' in given, '--aht-seconds')}; spread cv GUESS",
        "",
    ]


def _group(centre: Centre, channel: str, given: frozenset[str]) -> list[str]:
    agents = centre.agents[channel]
    if agents == "auto":
        roster = [
            "# agents = \"auto\": before it runs, ccsim finds the fewest agents per weekday and",
            "# interval that meet this channel's [targets] (`ccsim staff FILE` shows them). Or",
            "# give a number (rostered through every open hour) or shifts (docs/scenario-format.md).",
            'agents = "auto"',
        ]
    else:
        roster = [f"agents = {agents}  # agents rostered through every open hour (--agents)"]
    return [
        f"# The team that answers {channel}: its skills, roster, time off the phones and pay.",
        "[[agent_groups]]",
        f'name = "{channel}_team"',
        f'skills = ["{channel}_enquiry"]',
        *roster,
        f"shrinkage = {_num(centre.shrinkage)}  # share of paid time off the phones: breaks, "
        f"training, absence {_given('shrinkage' in given, '--shrinkage')}",
        f"hourly_wage = {_num(centre.hourly_wage)}  # {centre.currency} per paid hour, before "
        f"on-costs {_given('hourly_wage' in given, '--hourly-wage')}",
        "",
    ]


def _targets(centre: Centre) -> list[str]:
    lines = [
        "# The service you promise, per channel: the report says met or BROKEN for each, judged",
        "# in every interval of the week; agents = \"auto\" staffs to meet them.",
    ]
    for channel in centre.channels:
        d = DEFAULTS[channel]
        lines.append(f"[targets.{channel}]")
        if d.live:
            lines += [
                f"service_level = {d.service_level:.2f}  # share answered within "
                f"{_num(d.service_level_seconds)} s (GUESS)",
                f"max_abandon_rate = {d.max_abandon_rate:.2f}  # share who give up waiting, at "
                "most (GUESS)",
                "max_occupancy = 0.85  # share of on-floor time busy, at most (GUESS)",
            ]
        else:
            lines.append(f"within_target = {d.within_target:.2f}  # share replied within "
                         f"{_num(d.response_target_hours)} hours (GUESS)")
        lines.append("")
    return lines


def _costs(centre: Centre, given: frozenset[str]) -> list[str]:
    prices = [(DEFAULTS[c].price_key, DEFAULTS[c].price, c) for c in centre.channels
              if DEFAULTS[c].price_key]
    unit = {"telephony_per_minute": "per inbound call minute",
            "chat_per_session": "per chat", "email_per_contact": "per email"}
    return [
        f"# What the centre costs, in {centre.currency}: turns agent hours, minutes and contacts",
        "# into money, and the cost per contact. Every rate not given here is zero (see",
        "# docs/cost-model.md for every line). All GUESSES: change them to yours.",
        "[costs]",
        f"currency = {toml_value(centre.currency)}  "
        f"# {_given('currency' in given, '--currency')}",
        "on_cost_rate = 0.30  # share on top of wages: benefits and payroll taxes",
        "agents_per_supervisor = 12  # agents per supervisor (span of control)",
        f"supervisor_hourly_wage = {_num(round(centre.hourly_wage * 1.45, 2))}  "
        f"# {centre.currency} per paid hour",
        *(f"{key} = {_num(price)}  # {centre.currency} {unit[key]} ({channel})"
          for key, price, channel in prices),
        "software_licences_per_seat_per_month = 50  # per seat (CRM, knowledge base)",
        "office_space_per_seat_per_month = 250  # per seat",
        "overheads_per_month = 0  # WFM, QA, trainers, managers, hiring: add yours",
        "",
        "# The period totals are reported for: week, month, quarter or year.",
        "[report]",
        'period = "month"',
    ]
