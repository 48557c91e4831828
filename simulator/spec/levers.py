"""The levers' part of a scenario (SPEC §2 steps 1, 2, 5 and 7): validated, frozen descriptions.

``[self_service.<channel>]`` — a share of a channel's intents tries self-service first (web,
knowledge base, chatbot); a share of those succeeds and never reaches an agent (*deflected*).
The rest go on to the channel, optionally more impatient and with longer handle times.

``[ivr]`` — voice callers spend menu time in the IVR; a share hangs up there; per contact type a
share is *contained* (served fully by the IVR); optional caller verification adds IVR time and
saves agent seconds per verified call.

``[callback]`` — a caller who would wait long (by the expected wait on arrival, or by the time
already waited) is offered a call back; a share accepts, leaves the line and keeps its place; an
agent then spends connect time on an outbound call, and a share is not reached and is retried.

``[repeat_contacts]`` — a share of handled contacts is not resolved first time (first-contact
resolution, per contact type) and comes back after a delay. The root-cause lever removes a share
of a type's demand at source, or a share of its repeats.

Nothing here runs a simulation: :mod:`simulator.model` reads these models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field, model_validator

from simulator.spec.base import Share
from simulator.spec.base import Spec as _Spec
from simulator.spec.distributions import Distribution, Fixed


def check_shares(shares: Iterable[float], where: str, rest: str) -> None:
    """Shares that split a flow must add up to at most 1; ``rest`` says where the rest goes."""
    total = sum(shares)
    if total > 1 + 1e-9:
        msg = f"{where} shares add up to {total:g}; at most 1 ({rest})"
        raise ValueError(msg)


class SelfServiceSpec(_Spec):
    """``[self_service.<channel>]``: self-service tried before the assisted channel."""

    try_share: Share = Field(description="share of intents that try self-service first")
    success_share: Share = Field(default=0.0, description="share of tries that succeed (deflected)")
    success_share_by_type: dict[str, Share] = Field(
        default_factory=dict, description="success share per contact type (overrides the above)"
    )
    patience_factor: float = Field(
        default=1.0, gt=0, le=10, description="patience of those who failed, times this"
    )
    handle_time_factor: float = Field(
        default=1.0, gt=0, le=10, description="handle time of those who failed, times this"
    )
    failure_as: dict[str, Share] = Field(
        default_factory=dict,
        description="shares of those who failed that turn to another contact type (channel)",
    )

    @model_validator(mode="after")
    def _failure_shares(self) -> SelfServiceSpec:
        check_shares(self.failure_as.values(), "failure_as", "the rest stay here")
        return self

    def success_of(self, contact_type: str) -> float:
        return self.success_share_by_type.get(contact_type, self.success_share)


class VerificationSpec(_Spec):
    """``[ivr.verification]``: the IVR identifies and verifies the caller."""

    time: Distribution = Field(description="extra IVR time to verify (seconds)")
    success_share: Share = Field(default=1.0, description="share of callers verified")


class IvrTypeSpec(_Spec):
    """``[ivr.contact_types.<type>]``: what the IVR does for one reason for calling."""

    containment_share: Share = Field(default=0.0, description="share served fully by the IVR")
    containment_time: Distribution = Field(
        default=Fixed(dist="fixed", value=0.0),
        description="extra IVR time of a contained call (seconds)",
    )
    verification_saves_seconds: float = Field(
        default=0.0, ge=0, le=3600, description="agent seconds saved per verified call"
    )


class IvrSpec(_Spec):
    """``[ivr]``: the voice front end."""

    channels: tuple[str, ...] | None = Field(default=None, description="default: every voice channel")
    menu_time: Distribution = Field(description="time in the menus, every caller (seconds)")
    hangup_share: Share = Field(default=0.0, description="share of callers who hang up in the IVR")
    verification: VerificationSpec | None = None
    contact_types: dict[str, IvrTypeSpec] = Field(default_factory=dict)


class CallbackSpec(_Spec):
    """``[callback]``: virtual hold for voice callers."""

    channels: tuple[str, ...] | None = Field(default=None, description="default: every voice channel")
    offer_expected_wait_seconds: float | None = Field(
        default=None, gt=0, le=86_400, description="offer on arrival when the expected wait is longer"
    )
    offer_after_wait_seconds: float | None = Field(
        default=None, gt=0, le=86_400, description="offer once a caller has waited this long"
    )
    accept_share: Share = Field(description="share of offers accepted")
    connect_time: Distribution = Field(description="agent time to dial and connect (seconds)")
    reached_share: Share = Field(default=1.0, description="share of attempts that reach the customer")
    max_attempts: int = Field(default=3, ge=1, le=20, description="call-back attempts, then lost")
    retry_delay: Distribution = Field(
        default=Fixed(dist="fixed", value=600.0), description="time between attempts (seconds)"
    )

    @model_validator(mode="after")
    def _a_rule(self) -> CallbackSpec:
        if self.offer_expected_wait_seconds is None and self.offer_after_wait_seconds is None:
            msg = "needs offer_expected_wait_seconds or offer_after_wait_seconds (or both)"
            raise ValueError(msg)
        return self


class RepeatTypeSpec(_Spec):
    """``[repeat_contacts.contact_types.<type>]``: resolution of one reason for contact."""

    fcr: Share | None = Field(default=None, description="first-contact resolution")
    return_as: dict[str, Share] = Field(
        default_factory=dict,
        description="shares of its repeats that come back as another contact type (channel)",
    )
    demand_removed: Share = Field(default=0.0, description="root cause: share of demand removed")
    repeats_removed: Share = Field(default=0.0, description="root cause: share of repeats removed")


class RepeatContactsSpec(_Spec):
    """``[repeat_contacts]``: unresolved contacts come back."""

    fcr: Share = Field(default=1.0, description="first-contact resolution of every type unless set per type")
    delay: Distribution = Field(description="time from the handled contact to its repeat (seconds)")
    contact_types: dict[str, RepeatTypeSpec] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _returns(self) -> RepeatContactsSpec:
        for name, spec in self.contact_types.items():
            check_shares(spec.return_as.values(), f"contact_types.{name}.return_as",
                         "the rest return as they were")
        return self

    def fcr_of(self, contact_type: str) -> float:
        spec = self.contact_types.get(contact_type)
        return spec.fcr if spec is not None and spec.fcr is not None else self.fcr


class OverflowSpec(_Spec):
    """A further group that may take a contact type once it has waited long enough."""

    group: str
    after_seconds: float = Field(ge=0, le=86_400, description="waited this long, then eligible")


class TransferSpec(_Spec):
    """A share of a type's handled contacts that goes on to another type's queue."""

    to: str = Field(description="the contact type it becomes (its queue, its handle time)")
    share: Share = Field(description="share of handled contacts transferred")


class RoutingTypeSpec(_Spec):
    """``[routing.contact_types.<type>]``: how the ACD treats one reason for contact."""

    priority: int | None = Field(
        default=None, ge=-100, le=100,
        description="higher is answered first; default 0 for live work, -1 for deferrable work",
    )
    overflow: tuple[OverflowSpec, ...] = Field(
        default=(), description="groups with the skill that take it only after a wait"
    )
    transfers: tuple[TransferSpec, ...] = Field(
        default=(), description="after handling, a share goes on to another type's queue"
    )

    @model_validator(mode="after")
    def _shares(self) -> RoutingTypeSpec:
        check_shares((t.share for t in self.transfers), "transfers", "the rest end there")
        return self


class RoutingSpec(_Spec):
    """``[routing]``: skills-based routing rules of the ACD."""

    agent_selection: Literal["longest_idle", "most_proficient"] = Field(
        default="longest_idle",
        description="which idle agent takes a new contact: the one idle longest, or the one "
        "fastest at it (then the one idle longest)",
    )
    contact_types: dict[str, RoutingTypeSpec] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _transfers_end(self) -> RoutingSpec:
        endless = self.endless_transfers()
        if endless:
            names = ", ".join(repr(t) for t in endless)
            raise ValueError(
                f"transfers never end for contact types {names}: each of them transfers all "
                "its handled contacts (shares adding up to 1) to another of them, so a contact "
                "would go round for ever; lower a share below 1 somewhere on the way")
        return self

    def endless_transfers(self) -> list[str]:
        """The contact types whose contacts can never stop being transferred: every type they
        can reach by transfers (themselves included) transfers all its handled contacts.

        A contact ends on a type that keeps some (its shares add up to less than 1); one that
        can reach such a type gets there in the end, since each leg is a fresh draw.
        """
        onward = {t: [m.to for m in rule.transfers if m.share > 0]
                  for t, rule in self.contact_types.items()
                  if sum(m.share for m in rule.transfers) >= 1 - 1e-9}
        ends: set[str] = set()  # of the types in onward: those whose contacts can end
        grown = True
        while grown:  # a type's contacts can end if they can go to a type where they can
            more = {t for t, targets in onward.items()
                    if t not in ends and any(to not in onward or to in ends for to in targets)}
            ends |= more
            grown = bool(more)
        return [t for t in onward if t not in ends]
