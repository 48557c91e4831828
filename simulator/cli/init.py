"""ccsim init: write a commented starting scenario for a centre described by a few options."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from simulator.cli.common import app, fail, new_file_problem, write_scenario
from simulator.spec.base import WEEKDAYS
from simulator.spec.starter import DEFAULTS, KINDS, Agents, Centre, starter_toml

T = TypeVar("T")

_TIME = re.compile(r"^(\d{2}):(\d{2})$")


def _channels(text: str) -> tuple[str, ...]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in KINDS]
    if not names or unknown:
        got = ", ".join(unknown) or repr(text)
        raise fail([f"--channels: unknown channel {got}; allowed: {', '.join(KINDS)} "
                    "(comma-separated, e.g. voice,chat,email)"])
    if len(set(names)) < len(names):
        raise fail([f"--channels: a channel given twice in {text!r}"])
    return tuple(kind for kind in KINDS if kind in names)


def per_channel(option: str, text: str | None, channels: tuple[str, ...],
                read: Callable[[str], T], default: Callable[[str], T]
                ) -> tuple[dict[str, T], set[str]]:
    """``4000`` (every channel) or ``voice=4000,chat=1200`` (the others get ``default``), and
    the channels the text named."""
    values = {channel: default(channel) for channel in channels}
    named: set[str] = set()
    if text is None:
        return values, named
    example = ",".join(f"{c}=VALUE" for c in channels)
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) == 1 and "=" not in parts[0]:
        parts = [f"{channel}={parts[0]}" for channel in channels]
    for part in parts:
        channel, _, raw = part.partition("=")
        channel = channel.strip()
        if not raw or channel not in channels:
            raise fail([f"{option}: {part!r}: give CHANNEL=VALUE for a channel of --channels "
                        f"({', '.join(channels)}), e.g. {example}, or one value for all"])
        try:
            values[channel] = read(raw.strip())
        except ValueError as exc:
            raise fail([f"{option}: {channel}={raw.strip()}: {exc}"]) from None
        named.add(channel)
    return values, named


def _number(low: float, high: float) -> Callable[[str], float]:
    def read(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            msg = "not a number"
            raise ValueError(msg) from None
        if not low < value <= high:
            msg = f"must be more than {low:g} and at most {high:,.0f}"
            raise ValueError(msg)
        return value
    return read


def _agents(raw: str) -> Agents:
    if raw == "auto":
        return "auto"
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        msg = 'a whole number of agents from 1 to 100,000, or "auto"'
        raise ValueError(msg)
    return int(raw)


def _hours(text: str) -> tuple[str, str, int]:
    """``08:00-20:00`` as (open, close, interval minutes: 30, or 15 for quarter hours)."""
    allowed = "give OPEN-CLOSE as HH:MM-HH:MM on the quarter hour, e.g. 08:00-20:00"
    ends = [part.strip() for part in text.split("-")]
    matches = [_TIME.match(end) for end in ends]
    if len(ends) != 2 or None in matches:
        raise fail([f"--hours: {text!r}: {allowed}"])
    minutes = [int(m.group(1)) * 60 + int(m.group(2)) for m in matches if m is not None]
    if any(m % 15 or m > 24 * 60 for m in minutes) or minutes[0] >= minutes[1]:
        raise fail([f"--hours: {text!r}: {allowed}, closing after opening, by 24:00 at the "
                    "latest (overnight hours are not supported)"])
    interval = 30 if all(m % 30 == 0 for m in minutes) else 15
    return ends[0], ends[1], interval


def _open_days(text: str) -> tuple[str, ...]:
    """``mon-sat``, ``mon,wed,fri``, ``mon-fri,sun``."""
    days: set[str] = set()
    for part in (p.strip().lower() for p in text.split(",") if p.strip()):
        first, _, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS) or (
                last and WEEKDAYS.index(last) < WEEKDAYS.index(first)):
            raise fail([f"--open-days: {part!r}: give weekdays ({', '.join(WEEKDAYS)}) or "
                        "ranges of them from Monday on, comma-separated, e.g. mon-sat or "
                        "mon-fri,sun"])
        days.update(WEEKDAYS[WEEKDAYS.index(first): WEEKDAYS.index(last or first) + 1])
    if not days:
        raise fail(["--open-days: give at least one weekday, e.g. mon-fri"])
    return tuple(day for day in WEEKDAYS if day in days)


@app.command()
def init(
    out: Annotated[Path, typer.Argument(help="The scenario file to write, e.g. my_centre.toml.")],
    channels: Annotated[str, typer.Option(
        help="The channels, comma-separated: voice, chat, email, social.")] = "voice",
    volume_per_day: Annotated[str | None, typer.Option(
        help="First contacts per open day: one number, or per channel voice=4000,chat=1200 "
        "(default voice 2000, chat 600, email 400, social 200).")] = None,
    aht_seconds: Annotated[str | None, typer.Option(
        help="Average handle time in seconds: one number, or per channel voice=360,chat=600 "
        "(default voice 360, chat 600, email 420, social 300).")] = None,
    hours: Annotated[str | None, typer.Option(
        help="Opening hours, OPEN-CLOSE (default 08:00-20:00).")] = None,
    open_days: Annotated[str | None, typer.Option(
        help="Open weekdays: mon-fri (the default), mon-sat, mon,wed,fri ...")] = None,
    hourly_wage: Annotated[float | None, typer.Option(
        min=0, max=10_000, help="Agents' pay per paid hour, before on-costs (default 20).")] = None,
    shrinkage: Annotated[float | None, typer.Option(
        min=0, max=0.95, help="Share of paid time off the phones (0.3 = 30 %, the default).")
    ] = None,
    agents: Annotated[str, typer.Option(
        help='"auto" (the fewest agents meeting the targets, found before each run), a number '
        "for every team, or per channel voice=40,chat=12.")] = "auto",
    currency: Annotated[str | None, typer.Option(
        help="Currency of every amount, e.g. USD (the default), EUR.")] = None,
    name: Annotated[str, typer.Option(help="The centre's name in reports.")] = "My contact centre",
    force: Annotated[bool, typer.Option(help="Replace OUT if it exists.")] = False,
) -> None:
    """Write a commented starting scenario for your centre (then: ccsim run OUT)."""
    kinds = _channels(channels)
    open_, close, interval = _hours(hours or "08:00-20:00")
    if currency is not None and not re.fullmatch(r"[^\s\x00-\x1f\x7f-\x9f\"\\]{1,8}", currency):
        raise fail([f"--currency: {currency!r}: give a code of 1 to 8 characters, no spaces "
                    "or quotes, e.g. USD or EUR"])
    volumes, named_volumes = per_channel("--volume-per-day", volume_per_day, kinds,
                                         _number(0, 10_000_000),
                                         lambda c: DEFAULTS[c].volume_per_day)
    handle_times, named_times = per_channel("--aht-seconds", aht_seconds, kinds,
                                            _number(0, 86_400), lambda c: DEFAULTS[c].aht_seconds)
    given = frozenset(
        [*(f"volume_per_day.{c}" for c in named_volumes),
         *(f"aht_seconds.{c}" for c in named_times),
         *(key for key, value in (("hourly_wage", hourly_wage), ("shrinkage", shrinkage),
                                  ("currency", currency), ("hours", hours),
                                  ("open_days", open_days)) if value is not None)])
    centre = Centre(
        name=name, channels=kinds,
        volume_per_day=volumes, aht_seconds=handle_times,
        agents=per_channel("--agents", agents, kinds, _agents, lambda c: "auto")[0],
        open=open_, close=close, interval_minutes=interval, open_days=_open_days(open_days or "mon-fri"),
        hourly_wage=20.0 if hourly_wage is None else hourly_wage,
        shrinkage=0.30 if shrinkage is None else shrinkage, currency=currency or "USD")
    problem = new_file_problem(out, force, "ccsim init")
    if problem:
        raise fail([problem])
    text = starter_toml(centre, given)
    write_scenario(out, text, "ccsim init: these options make")
    days = ", ".join(centre.open_days)
    typer.echo(f"wrote {out}: {', '.join(kinds)}, open {open_}-{close} on {days}; next: "
               f"ccsim run {out}")

