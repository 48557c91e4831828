"""The scenario: a validated, frozen description of a contact centre (SPEC §3).

Nothing here runs a simulation. :mod:`simulator.spec.layers` reads TOML into these models; the
engine in :mod:`simulator.model` reads them. Every model forbids unknown keys, rejects NaN and
infinity, and bounds sizes so that a typo (a trillion agents) is refused, not attempted.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from simulator.spec.base import (
    MAX_AGENTS,
    MAX_DAYS,
    MAX_REPLICATIONS,
    MAX_TOTAL_CONTACTS,
    MAX_VOLUME_PER_DAY,
    WEEKDAYS,
    Name,
    PlainLines,
    PlainText,
    Share,
    TimeOfDay,
    Weekday,
    check_time_of_day,
)
from simulator.spec.base import Spec as _Spec
from simulator.spec.base import clock as clock
from simulator.spec.base import seconds_of_day as seconds_of_day
from simulator.spec.distributions import Distribution
from simulator.spec.groups import AgentGroupSpec as AgentGroupSpec
from simulator.spec.groups import ShiftSpec as ShiftSpec
from simulator.spec.levers import (
    CallbackSpec,
    IvrSpec,
    RepeatContactsSpec,
    RoutingSpec,
    SelfServiceSpec,
    check_shares,
)
from simulator.spec.money import CostsSpec, ReportSpec
from simulator.spec.plan import PlanSpec, plan_problems
from simulator.spec.shifts import ShiftTemplateSpec, template_problems
from simulator.spec.uncertainty import UncertaintySpec

Weights = tuple[Annotated[float, Field(ge=0)], ...]
ChannelKind = Literal["voice", "chat", "email", "social"]
CHANNEL_KINDS: tuple[str, ...] = ("voice", "chat", "email", "social")


# ---------------------------------------------------------------------------- sections
class ScenarioInfo(_Spec):
    """``[scenario]``: what this file models."""

    name: PlainText = Field(min_length=1, max_length=200)
    description: PlainLines = Field(default="", max_length=10_000)


class RunSpec(_Spec):
    """``[run]``: horizon, replications, randomness and warm-up."""

    days: float = Field(default=5.0, gt=0, le=MAX_DAYS, description="simulated days")
    replications: int = Field(default=10, ge=1, le=MAX_REPLICATIONS)
    seed: int = Field(default=1, ge=0, le=2**63 - 1)
    warmup_hours: float = Field(default=0.0, ge=0, description="statistics start after this")
    start_day: Weekday = Field(default="mon", description="weekday of simulated day 0")

    @model_validator(mode="after")
    def _warmup_inside(self) -> RunSpec:
        if self.warmup_hours >= self.days * 24:
            msg = (
                f"warmup_hours must be shorter than the run ({self.days * 24:g} hours), "
                f"got {self.warmup_hours:g}"
            )
            raise ValueError(msg)
        return self


class HoursSpec(_Spec):
    """``[hours]``: opening hours (the same every open day) and the reporting interval."""

    open: TimeOfDay = "00:00"
    close: TimeOfDay = "24:00"
    interval_minutes: Literal[15, 30, 60] = 30
    open_days: tuple[Weekday, ...] = WEEKDAYS

    _times = field_validator("open", "close")(check_time_of_day)

    @field_validator("open_days")
    @classmethod
    def _distinct_days(cls, days: tuple[str, ...]) -> tuple[str, ...]:
        if not days:
            msg = "must name at least one day"
            raise ValueError(msg)
        if len(set(days)) != len(days):
            msg = "names a day twice"
            raise ValueError(msg)
        return days

    @model_validator(mode="after")
    def _ordered_and_aligned(self) -> HoursSpec:
        open_s, close_s = seconds_of_day(self.open), seconds_of_day(self.close)
        if close_s <= open_s:
            msg = (f"close must be after open ({self.open}), got {self.close}; "
                   "overnight hours are not supported")
            raise ValueError(msg)
        step = self.interval_minutes * 60
        if open_s % step or close_s % step:
            msg = (
                f"open and close must fall on {self.interval_minutes}-minute interval boundaries, "
                f"got {self.open}-{self.close}"
            )
            raise ValueError(msg)
        return self

    @property
    def open_seconds(self) -> int:
        return seconds_of_day(self.open)

    @property
    def close_seconds(self) -> int:
        return seconds_of_day(self.close)

    @property
    def interval_seconds(self) -> int:
        return self.interval_minutes * 60

    @property
    def intervals_open(self) -> int:
        """Number of reporting intervals in a day's opening hours."""
        return (self.close_seconds - self.open_seconds) // self.interval_seconds


class RetrialSpec(_Spec):
    """Callers who abandon (or get a busy signal) and try again."""

    share: Share = Field(description="share of abandoned or blocked calls that try again")
    delay: Distribution = Field(description="time from giving up to trying again (seconds)")
    max_attempts: int = Field(default=3, ge=2, le=20, description="attempts per customer, first included")
    return_as: dict[Name, Share] = Field(
        default_factory=dict,
        description="shares of retrials that come back as another contact type (channel)",
    )

    @model_validator(mode="after")
    def _returns(self) -> RetrialSpec:
        check_shares(self.return_as.values(), "return_as", "the rest retry as they were")
        return self


class ChannelSpec(_Spec):
    """``[[channels]]``: a way in (a voice line, chat, email, social)."""

    name: Name
    kind: ChannelKind | None = Field(default=None, description="defaults to the name when it is a kind")
    volume_per_day: float = Field(ge=0, le=MAX_VOLUME_PER_DAY, description="contacts per open day")
    profile: Weights | dict[Weekday, Weights] | None = Field(
        default=None,
        description="intraday weights, one per interval of the opening hours; or a table of "
        "such lists per weekday (every open day named) where the days differ in shape",
    )
    weekly_pattern: tuple[Annotated[float, Field(ge=0, le=10)], ...] | None = Field(
        default=None, description="seven multipliers of volume_per_day, Monday first"
    )
    busyness_cv: float = Field(
        default=0.0, ge=0, le=2,
        description="day-to-day variation of volume beyond chance: the coefficient of variation "
        "of a gamma factor (mean 1) that multiplies every interval of a day; 0: Poisson days",
    )
    patience: Distribution | None = Field(default=None, description="omit: never abandons")
    service_level_seconds: float = Field(default=20.0, gt=0, le=30 * 86_400)
    lines: int | None = Field(default=None, ge=1, le=10 * MAX_AGENTS, description="busy signal above")
    retrials: RetrialSpec | None = None
    mode: Literal["live", "deferred"] | None = Field(
        default=None,
        description="live (answered while the customer waits) or deferred (a backlog worked "
        "in turn, no abandonment); default: deferred for email, live otherwise",
    )
    response_target_hours: float | None = Field(
        default=None, gt=0, le=24 * 60, description="deferred work: reply within this"
    )
    concurrency: int = Field(
        default=1, ge=1, le=10, description="chat (or live social): contacts an agent carries"
    )
    concurrency_stretch: float = Field(
        default=0.0, ge=0, le=5,
        description="each contact's handle time grows by this share per extra concurrent one",
    )

    @model_validator(mode="after")
    def _kind_and_patterns(self) -> ChannelSpec:
        if self.kind is None:
            if self.name not in CHANNEL_KINDS:
                msg = (
                    f"kind is required when the name {self.name!r} is not itself a kind; "
                    f"allowed: {', '.join(CHANNEL_KINDS)}"
                )
                raise ValueError(msg)
            object.__setattr__(self, "kind", self.name)
        if self.mode is None:
            object.__setattr__(self, "mode", "deferred" if self.kind == "email" else "live")
        if self.kind == "email" and self.mode == "live":
            msg = "mode: email is deferred work; allowed: deferred"
            raise ValueError(msg)
        if self.mode == "deferred":
            for key in ("patience", "lines", "retrials"):
                if getattr(self, key) is not None:
                    msg = f"{key}: deferred work ({self.kind}) does not abandon or get busy signals"
                    raise ValueError(msg)
        elif self.response_target_hours is not None:
            msg = "response_target_hours is for deferred work; live work has service_level_seconds"
            raise ValueError(msg)
        if self.kind == "chat" and self.mode == "deferred":
            msg = "mode: chat is live work; allowed: live"
            raise ValueError(msg)
        if (self.concurrency > 1 or self.concurrency_stretch) and not (
                self.kind in ("chat", "social") and self.mode == "live"):
            msg = "concurrency is for chat and live social; a call or an email is one at a time"
            raise ValueError(msg)
        if self.weekly_pattern is not None and len(self.weekly_pattern) != 7:
            msg = f"weekly_pattern needs 7 values, Monday first, got {len(self.weekly_pattern)}"
            raise ValueError(msg)
        for key, weights in self.profiles_by_key():
            lead = f"{key}:" if "." in key else key
            if not any(weights):
                msg = f"{lead} must have at least one positive weight"
                raise ValueError(msg)
            if not math.isfinite(sum(weights)):
                msg = (f"{lead} needs weights whose sum a number can hold (these add up to "
                       "infinity, which would leave no demand at all); write them as shares or "
                       "percentages")
                raise ValueError(msg)
        return self

    def profiles_by_key(self) -> list[tuple[str, tuple[float, ...]]]:
        """The profile's lists with the key each sits at (``profile`` or ``profile.mon``)."""
        if self.profile is None:
            return []
        if isinstance(self.profile, dict):
            return [(f"profile.{day}", w) for day, w in self.profile.items()]
        return [("profile", self.profile)]

    def profile_on(self, weekday: str) -> tuple[float, ...] | None:
        """The intraday weights of one weekday (``None``: flat through the opening hours)."""
        if isinstance(self.profile, dict):
            return self.profile.get(weekday)  # type: ignore[call-overload, no-any-return]
        return self.profile

    @property
    def channel_kind(self) -> str:
        return self.kind or self.name

    @property
    def deferred(self) -> bool:
        """Is this channel's work a backlog (email, deferred social) rather than live?"""
        return self.mode == "deferred"


class ContactTypeSpec(_Spec):
    """``[[contact_types]]``: a reason for contact on a channel, with its handle time."""

    name: Name
    channel: Name
    share: float = Field(default=1.0, gt=0, le=1, description="share of the channel's volume")
    handle_time: Distribution = Field(description="talk + hold + after-contact work (seconds)")
    after_contact_work_seconds: float = Field(
        default=0.0, ge=0, le=86_400, description="part of the handle time spent off the line"
    )
    patience: Distribution | None = Field(
        default=None, description="this type's patience (seconds); omit: the channel's"
    )
    retrials: RetrialSpec | None = Field(
        default=None, description="this type's callers who try again; omit: the channel's"
    )


class TargetSpec(_Spec):
    """``[targets.<channel>]``: the quality guardrails a scenario must keep.

    ``service_level``, ``max_abandon_rate`` and ``max_asa_seconds`` are judged per interval of
    the open day (each class of alike weekdays apart) unless ``judged_on = "day"``; a share
    ``intervals_met`` of the open intervals of the week must meet each. ``max_occupancy`` and
    ``within_target`` are judged on the whole run.
    """

    service_level: Share | None = Field(default=None, description="at service_level_seconds")
    max_abandon_rate: Share | None = None
    max_occupancy: Share | None = None
    max_asa_seconds: float | None = Field(default=None, gt=0)
    within_target: Share | None = Field(
        default=None, description="deferred work: share replied within response_target_hours"
    )
    judged_on: Literal["intervals", "day"] = Field(
        default="intervals", description="per interval, or the whole run's average")
    intervals_met: float = Field(
        default=1.0, gt=0, le=1, description="share of the week's open intervals that must meet")


class Scenario(_Spec):
    """A whole scenario file after ``extends`` and ``--set`` have been applied."""

    scenario: ScenarioInfo
    run: RunSpec = RunSpec()
    hours: HoursSpec = HoursSpec()
    channels: tuple[ChannelSpec, ...] = Field(min_length=1, max_length=50)
    contact_types: tuple[ContactTypeSpec, ...] = Field(min_length=1, max_length=500)
    agent_groups: tuple[AgentGroupSpec, ...] = Field(min_length=1, max_length=500)
    self_service: dict[Name, SelfServiceSpec] = Field(default_factory=dict)
    ivr: IvrSpec | None = None
    callback: CallbackSpec | None = None
    repeat_contacts: RepeatContactsSpec | None = None
    routing: RoutingSpec = RoutingSpec()
    costs: CostsSpec = CostsSpec()
    targets: dict[Name, TargetSpec] = Field(default_factory=dict)
    report: ReportSpec = ReportSpec()
    uncertainty: UncertaintySpec | None = None
    shift_templates: tuple[ShiftTemplateSpec, ...] = Field(default=(), max_length=200)
    plan: PlanSpec | None = None  # ccsim plan: months ahead (docs/plan.md)

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        problems: list[str] = self._lever_references()
        if self.plan is not None:
            problems.extend(plan_problems(
                self.plan, [g.name for g in self.agent_groups], [c.name for c in self.channels],
                [t.name for t in self.contact_types]))
        for field in ("channels", "contact_types", "agent_groups"):
            names = [item.name for item in getattr(self, field)]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                problems.append(f"{field}: names must be unique, repeated: {', '.join(dupes)}")
        channels = {c.name: c for c in self.channels}
        types = {t.name for t in self.contact_types}
        for i, ct in enumerate(self.contact_types):
            if ct.channel not in channels:
                problems.append(
                    f"contact_types[{i}].channel: unknown channel {ct.channel!r}; "
                    f"known: {', '.join(channels)}"
                )
        for ch in self.channels:
            shares = [t.share for t in self.contact_types if t.channel == ch.name]
            if not shares:
                problems.append(f"channels: channel {ch.name!r} has no contact_types")
            elif not math.isclose(sum(shares), 1.0, abs_tol=1e-6):
                problems.append(
                    f"contact_types: shares on channel {ch.name!r} must add up to 1, "
                    f"got {sum(shares):.6g}"
                )
        intervals = self.hours.intervals_open
        for ch_index, ch in enumerate(self.channels):
            for key, weights in ch.profiles_by_key():
                if len(weights) != intervals:
                    problems.append(
                        f"channels[{ch_index}].{key}: needs one weight per "
                        f"{self.hours.interval_minutes}-minute interval of the opening hours "
                        f"({self.hours.open}-{self.hours.close}: {intervals}), got {len(weights)}"
                    )
            if isinstance(ch.profile, dict):
                missing = [d for d in self.hours.open_days if d not in ch.profile]
                closed = [d for d in ch.profile if d not in self.hours.open_days]
                if missing:
                    problems.append(
                        f"channels[{ch_index}].profile: a table of profiles names every open "
                        f"day; missing: {', '.join(missing)}")
                if closed:
                    problems.append(
                        f"channels[{ch_index}].profile.{closed[0]}: {closed[0]} is not an open "
                        f"day (hours.open_days: {', '.join(self.hours.open_days)})")
        for t_index, ct in enumerate(self.contact_types):
            home = channels.get(ct.channel)
            if home is not None and home.deferred:
                problems.extend(
                    f"contact_types[{t_index}].{key}: {ct.channel!r} is deferred work "
                    "(a backlog); it does not abandon or try again"
                    for key in ("patience", "retrials") if getattr(ct, key) is not None)
        served: set[str] = set()
        type_channel = {t.name: channels.get(t.channel) for t in self.contact_types}
        for g_index, group in enumerate(self.agent_groups):
            levels = {type_channel[s].concurrency for s in group.skills  # type: ignore[union-attr]
                      if type_channel.get(s) is not None}
            if len(levels) > 1:
                problems.append(
                    f"agent_groups[{g_index}].skills: mixes channels with different concurrency "
                    f"({', '.join(map(str, sorted(levels)))}); an agent carries several chats or "
                    "one contact at a time: give the chats a group of their own")
        for g_index, group in enumerate(self.agent_groups):
            for s_index, skill in enumerate(group.skills):
                if skill not in types:
                    problems.append(
                        f"agent_groups[{g_index}].skills[{s_index}]: unknown contact type "
                        f"{skill!r}; known: {', '.join(sorted(types))}"
                    )
            served.update(group.skills)
            step = self.hours.interval_seconds
            for s_index, shift in enumerate(group.shifts or ()):
                if seconds_of_day(shift.start) % step or seconds_of_day(shift.end) % step:
                    problems.append(
                        f"agent_groups[{g_index}].shifts[{s_index}]: start and end must fall on "
                        f"{self.hours.interval_minutes}-minute interval boundaries, "
                        f"got {shift.start}-{shift.end}"
                    )
            problems.extend(self._agents_problems(g_index, group))
        problems.extend(self._unpriced_groups())
        problems.extend(template_problems(self.shift_templates, self.hours.interval_minutes,
                                          [g.name for g in self.agent_groups]))
        problems.extend(
            f"shift_templates[{i}].days_per_week: {t.days_per_week} is more than the template's "
            f"open days ({', '.join(t.allowed_days(self.hours.open_days)) or 'none'})"
            for i, t in enumerate(self.shift_templates)
            if t.days_per_week is not None
            and t.days_per_week > len(t.allowed_days(self.hours.open_days)))
        for i, ct in enumerate(self.contact_types):
            if ct.name not in served:
                problems.append(
                    f"contact_types[{i}]: no agent group has the skill {ct.name!r}"
                )
        problems.extend(
            f"targets.{name}: unknown channel {name!r}; known: {', '.join(channels)}"
            for name in self.targets
            if name not in channels
        )
        problems.extend(
            f"targets.{name}.within_target: channel {name!r} needs response_target_hours"
            for name, target in self.targets.items()
            if target.within_target is not None and name in channels
            and channels[name].response_target_hours is None
        )
        per_run = self.expected_contacts_per_day() * self.run.days
        expected = per_run * self.run.replications
        if expected > MAX_TOTAL_CONTACTS:
            problems.append(
                f"run: {expected:.3g} contacts over all days and replications is more than "
                f"this tool simulates ({MAX_TOTAL_CONTACTS:.0e}); shorten run.days or "
                "run.replications"
            )
        elif self.uncertainty is not None:
            spread = self.uncertainty
            replications = spread.replications or self.run.replications
            sampled = per_run * spread.samples * replications
            if expected + sampled > MAX_TOTAL_CONTACTS:
                problems.append(
                    f"uncertainty: {spread.samples} samples × {replications} replications × "
                    f"{per_run:,.0f} contacts a run ({sampled:.3g} contacts, "
                    f"{expected + sampled:.3g} with the run itself) is more than this tool "
                    f"simulates ({MAX_TOTAL_CONTACTS:.0e}); lower uncertainty.samples or "
                    "uncertainty.replications")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _agents_problems(self, g_index: int, group: AgentGroupSpec) -> list[str]:
        """A list of ``agents`` has one number per interval of the opening hours; a table of
        lists per weekday names only open days."""
        agents, hours = group.agents, self.hours
        if isinstance(agents, tuple):
            lists: list[tuple[str | None, tuple[int, ...]]] = [(None, agents)]
        elif isinstance(agents, dict):
            lists = list(agents.items())
        else:
            return []
        problems = []
        for day, counts in lists:
            key = f"agent_groups[{g_index}].agents" + ("" if day is None else f".{day}")
            if day is not None and day not in hours.open_days:
                problems.append(f"{key}: {day} is not an open day (hours.open_days: "
                                f"{', '.join(hours.open_days)}); nobody is rostered on a closed day")
            elif len(counts) != hours.intervals_open:
                problems.append(
                    f"{key}: a list needs one number per {hours.interval_minutes}-minute "
                    f"interval of the opening hours ({hours.intervals_open}), got {len(counts)}")
        return problems

    def _unpriced_groups(self) -> list[str]:
        """In a scenario that prices anything (a non-zero rate in ``[costs]``, or a wage on any
        group), a group without a wage would cost nothing,
        silently: it must say its wage (0 if it really costs nothing). A scenario with no money
        at all (no ``[costs]``, no wages: the Erlang check files) needs none."""
        prices = [v for k, v in self.costs.model_dump().items()
                  if k not in ("currency", "seats", "agents_per_supervisor")]
        priced = any(prices) or any(g.hourly_wage for g in self.agent_groups)
        if not priced:
            return []
        return [f"agent_groups[{i}].hourly_wage: missing; this scenario prices its costs "
                "([costs] or other groups' wages), so every group needs its wage per hour "
                f"({self.costs.currency}; 0 if it really costs nothing)"
                for i, g in enumerate(self.agent_groups) if "hourly_wage" not in g.model_fields_set]

    def _lever_references(self) -> list[str]:
        """Every channel and contact type a lever names must exist (and suit the lever)."""
        problems: list[str] = []
        channels = {c.name: c for c in self.channels}
        types = {t.name: t for t in self.contact_types}

        def known(where: str, name: str, pool: dict[str, Any], what: str) -> bool:
            if name in pool:
                return True
            problems.append(f"{where}: unknown {what} {name!r}; known: {', '.join(pool)}")
            return False

        for name, spec in self.self_service.items():
            known(f"self_service.{name}", name, channels, "channel")
            problems.extend(
                f"self_service.{name}.failure_as.{other}: contact type {other!r} is on this "
                "channel; name one on another"
                for other in spec.failure_as
                if known(f"self_service.{name}.failure_as.{other}", other, types, "contact type")
                and types[other].channel == name
            )
            where = f"self_service.{name}.success_share_by_type"
            problems.extend(
                f"{where}.{t}: contact type {t!r} is on channel {types[t].channel!r}, not {name!r}"
                for t in spec.success_share_by_type
                if known(f"{where}.{t}", t, types, "contact type") and types[t].channel != name
            )
        fronts: list[tuple[str, tuple[str, ...] | None]] = [
            ("ivr", self.ivr.channels if self.ivr else None),
            ("callback", self.callback.channels if self.callback else None),
        ]
        for table, named in fronts:
            for i, name in enumerate(named or ()):
                if known(f"{table}.channels[{i}]", name, channels, "channel") \
                        and channels[name].channel_kind != "voice":
                    problems.append(f"{table}.channels[{i}]: {name!r} is not a voice channel")
        if self.ivr is not None:
            for t in self.ivr.contact_types:
                known(f"ivr.contact_types.{t}", t, types, "contact type")
        if self.repeat_contacts is not None:
            for t, repeat in self.repeat_contacts.contact_types.items():
                known(f"repeat_contacts.contact_types.{t}", t, types, "contact type")
                for other in repeat.return_as:
                    known(f"repeat_contacts.contact_types.{t}.return_as.{other}", other, types,
                          "contact type")
        for i, ch in enumerate(self.channels):
            for other in (ch.retrials.return_as if ch.retrials else {}):
                known(f"channels[{i}].retrials.return_as.{other}", other, types, "contact type")
        groups = {g.name: g for g in self.agent_groups}
        for t, rule in self.routing.contact_types.items():
            where = f"routing.contact_types.{t}"
            known(where, t, types, "contact type")
            for i, move in enumerate(rule.transfers):
                if known(f"{where}.transfers[{i}].to", move.to, types, "contact type") \
                        and move.to == t:
                    problems.append(f"{where}.transfers[{i}].to: a type cannot transfer to itself")
            for i, step in enumerate(rule.overflow):
                if known(f"{where}.overflow[{i}].group", step.group, groups, "agent group") \
                        and t not in groups[step.group].skills:
                    problems.append(f"{where}.overflow[{i}].group: group {step.group!r} does not "
                                    f"have the skill {t!r}; add it to its skills")
        return problems

    def priority_of(self, contact_type: str) -> int:
        """The routing priority of a contact type (higher is answered first)."""
        rule = self.routing.contact_types.get(contact_type)
        if rule is not None and rule.priority is not None:
            return rule.priority
        spec = next(t for t in self.contact_types if t.name == contact_type)
        return -1 if self.channel(spec.channel).deferred else 0

    def ivr_channels(self) -> set[str]:
        """Voice channels with an IVR in front."""
        if self.ivr is None:
            return set()
        voice = {c.name for c in self.channels if c.channel_kind == "voice"}
        return set(self.ivr.channels) if self.ivr.channels is not None else voice

    def callback_channels(self) -> set[str]:
        """Voice channels that offer callbacks."""
        if self.callback is None:
            return set()
        voice = {c.name for c in self.channels if c.channel_kind == "voice"}
        return set(self.callback.channels) if self.callback.channels is not None else voice

    def expected_contacts_per_day(self) -> float:
        """Mean first-attempt contacts per simulated day over a week."""
        open_days = set(self.hours.open_days)
        total = 0.0
        for ch in self.channels:
            pattern = ch.weekly_pattern or (1.0,) * 7
            total += ch.volume_per_day * sum(
                w for d, w in zip(WEEKDAYS, pattern, strict=True) if d in open_days
            ) / 7
        return total

    def expected_contacts_per_open_day(self) -> float:
        """Mean first-attempt contacts per open day over a week (what the run table's "per
        open day" volumes are counted against; repeats and retrials come on top)."""
        open_days = len(set(self.hours.open_days)) or 7
        return self.expected_contacts_per_day() * 7 / open_days

    def channel(self, name: str) -> ChannelSpec:
        return next(c for c in self.channels if c.name == name)
