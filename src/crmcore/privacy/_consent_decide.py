"""Decide whether a person may be contacted for a purpose on a channel, from their ledger."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from types import MappingProxyType

import attrs

from crmcore.errors import InvalidValueError
from crmcore.privacy._consent_events import (
    DIRECT_MARKETING,
    SALE,
    SENSITIVE_PI,
    SHARING,
    ConsentEvent,
    ConsentKind,
    ConsentLedger,
    LawfulBasis,
    check_purpose,
    is_under,
    reaches,
    to_channel,
)
from crmcore.records.enums import Channel
from crmcore.records.values import CommunicationPreferences

__all__ = ["DECISION_CODES", "Decision", "may_contact"]

DECISION_CODES: Mapping[str, str] = MappingProxyType(
    {
        "consent.given": "allowed: the latest event gives consent (GDPR Art. 6(1)(a)).",
        "consent.withdrawn": "refused: the latest event withdraws consent (GDPR Art. 7(3)), "
        "or another basis was relied on after a withdrawal (EDPB Guidelines 05/2020, 6).",
        "basis.in_force": "allowed: the latest event relies on a lawful basis other than "
        "consent (GDPR Art. 6(1)(b)-(f)); the decision names it.",
        "basis.ended": "refused: the latest event ends the lawful basis relied on.",
        "objection.direct_marketing": "refused: an objection to direct marketing stands; "
        "it is absolute (GDPR Art. 21(2)-(3)) and only the person can lift it.",
        "objection.standing": "refused: an objection to this purpose stands (GDPR Art. 21(1)); "
        "weighing compelling legitimate grounds is left to the controller.",
        "opt_out.sale_sharing": "refused: the person opted out of sale/sharing "
        "(CCPA § 1798.120, regs § 7026).",
        "opt_in.sale_sharing": "allowed: the person opted back in to sale/sharing after an "
        "opt-out (CCPA § 1798.120, regs § 7004 consent).",
        "gpc.signal": "refused: a Global Privacy Control signal opts out of sale/sharing "
        "(CCPA regs § 7025(c)); only consent given after a recorded signal overrides it "
        "(§ 7025(c)(3)).",
        "limit.sensitive_pi": "refused: the person limited the use of sensitive personal "
        "information (CCPA § 1798.121, regs § 7027).",
        "limit.lifted": "allowed: the person lifted a limit on sensitive personal information.",
        "preference.opt_in": "allowed: the ledger is silent and the communication "
        "preferences opt in to this channel.",
        "preference.opt_out": "refused: the ledger is silent and the communication "
        "preferences opt out of this channel.",
        "unknown": "refused: nothing is known; unknown is never consent.",
    }
)
"""Every code :func:`may_contact` returns, with what it means. Codes are API: never renamed."""


@attrs.frozen
class Decision:
    """Whether contact is allowed, a stable ``code`` (see :data:`DECISION_CODES`), a reason.

    ``event`` is the ledger event that decided, if one did (its ``repr`` hides the evidence);
    ``reason`` names the purpose, the channel and the rule, never a personal value.
    """

    allowed: bool
    code: str
    reason: str
    event: ConsentEvent | None = None


_PREFERENCE_FIELDS: Mapping[Channel, str] = MappingProxyType(
    {
        Channel.EMAIL: "email_opt_in",
        Channel.SMS: "sms_opt_in",
        Channel.PHONE: "phone_opt_in",
        Channel.POST: "post_opt_in",
    }
)

_REFUSING_CODES = {
    ConsentKind.CONSENT: "consent.withdrawn",
    ConsentKind.OPT_OUT: "opt_out.sale_sharing",
    ConsentKind.GPC: "gpc.signal",
    ConsentKind.LIMIT: "limit.sensitive_pi",
}
_ALLOWING_CODES = {
    ConsentKind.CONSENT: "consent.given",
    ConsentKind.OPT_OUT: "opt_in.sale_sharing",
    ConsentKind.LIMIT: "limit.lifted",
}


def _is_ccpa_sale(purpose: str) -> bool:
    return is_under(purpose, SALE) or is_under(purpose, SHARING)


def _lifts_objection(event: ConsentEvent) -> bool:
    """An event only the person makes: lifting the objection, or consenting afresh."""
    if not event.given:
        return False
    return event.kind is ConsentKind.OBJECTION or (
        event.kind is ConsentKind.CONSENT and event.basis is LawfulBasis.CONSENT
    )


def _is_consent_basis(event: ConsentEvent) -> bool:
    return event.basis is LawfulBasis.CONSENT


def _is_opt_in(event: ConsentEvent) -> bool:
    return event.given and (
        event.kind is ConsentKind.OPT_OUT
        or (event.kind is ConsentKind.CONSENT and event.basis is LawfulBasis.CONSENT)
    )


def _latest(events: Sequence[ConsentEvent]) -> ConsentEvent | None:
    """The deciding event: the latest; at a tie, a refusal; then the ledger's order."""
    if not events:
        return None
    last = max(event.utc for event in events)
    tied = [event for event in events if event.utc == last]
    refusals = [event for event in tied if not event.given]
    return (refusals or tied)[0]


def _where(purpose: str, channel: Channel) -> str:
    return f"purpose {purpose} on channel {channel.value}"


def _from_event(event: ConsentEvent, purpose: str, channel: Channel) -> Decision:
    where = _where(purpose, channel)
    if event.kind is ConsentKind.CONSENT and event.basis is not LawfulBasis.CONSENT:
        if event.given:
            return Decision(
                True, "basis.in_force", f"{where}: relies on {event.basis.article}", event
            )
        return Decision(
            False, "basis.ended", f"{where}: {event.basis.article} no longer relied on", event
        )
    code = (_ALLOWING_CODES if event.given else _REFUSING_CODES)[event.kind]
    return Decision(event.given, code, f"{where}: {DECISION_CODES[code]}", event)


def _from_preferences(
    preferences: CommunicationPreferences | None, purpose: str, channel: Channel
) -> Decision:
    where = _where(purpose, channel)
    sensitive = _is_ccpa_sale(purpose) or is_under(purpose, SENSITIVE_PI)
    name = _PREFERENCE_FIELDS.get(channel)
    opted = None if preferences is None or name is None or sensitive else getattr(preferences, name)
    if opted is True:
        return Decision(True, "preference.opt_in", f"{where}: preferences opt in ({name})")
    if opted is False:
        return Decision(False, "preference.opt_out", f"{where}: preferences opt out ({name})")
    return Decision(False, "unknown", f"{where}: no consent or basis known")


def may_contact(
    ledger: ConsentLedger,
    channel: Channel,
    purpose: str,
    at: datetime,
    *,
    preferences: CommunicationPreferences | None = None,
    gpc: bool = False,
) -> Decision:
    """Decide, as of ``at``, whether the person may be contacted on ``channel`` for ``purpose``.

    The rules, in order (events after ``at`` are not yet known and are left out):

    1. An objection (Art. 21) that reaches the purpose and channel refuses until the person
       lifts it or consents afresh *after* it; another lawful basis never overrides it.
       For direct marketing (:data:`DIRECT_MARKETING` and its sub-purposes) it is absolute
       (Art. 21(3)): ``objection.direct_marketing``.
    2. Otherwise the latest other event decides, in any insertion order; at a tie, a refusal
       wins, so an opt-in never overrides a withdrawal of the same instant or later. Once
       consent is withdrawn, another lawful basis relied on later does not replace it (EDPB
       Guidelines 05/2020 on consent, section 6): only fresh consent does.
    3. With ``gpc=True`` (the request carries a GPC signal), sale and sharing are refused
       (``gpc.signal``), unless the deciding event is consent given after a GPC signal the
       ledger records (regs § 7025(c)(3): the person confirmed, knowing of the conflict).
       A refusal the ledger already records keeps its own code and event.
    4. If the ledger is silent, ``preferences`` decide for the channel (email, SMS, phone,
       post), never for sale, sharing or sensitive information; ``None`` is unknown.
    5. Nothing known: refused, ``unknown``.

    ``channel`` may be given by value (``"email"``). Bad arguments raise
    :class:`~crmcore.errors.InvalidValueError` naming the argument.
    """
    if not isinstance(ledger, ConsentLedger):
        raise InvalidValueError("expected a ConsentLedger", field="ledger")
    if not isinstance(channel, Channel):
        if not isinstance(channel, str):
            raise InvalidValueError("expected a Channel", field="channel")
        channel = to_channel(channel)
    check_purpose(purpose)
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise InvalidValueError("expected a timezone-aware datetime", field="at")
    if preferences is not None and not isinstance(preferences, CommunicationPreferences):
        raise InvalidValueError("expected CommunicationPreferences or None", field="preferences")
    if type(gpc) is not bool:
        raise InvalidValueError("expected True or False", field="gpc")

    known = [
        event for event in ledger.events if event.at <= at and reaches(event, purpose, channel)
    ]
    standing = _latest([e for e in known if e.kind is ConsentKind.OBJECTION and not e.given])
    if standing is not None and not any(
        _lifts_objection(e) and e.utc > standing.utc for e in known
    ):
        code = (
            "objection.direct_marketing"
            if is_under(purpose, DIRECT_MARKETING)
            else "objection.standing"
        )
        where = _where(purpose, channel)
        return Decision(False, code, f"{where}: {DECISION_CODES[code]}", standing)

    deciding = _latest([event for event in known if event.kind is not ConsentKind.OBJECTION])
    if (
        deciding is not None
        and deciding.given
        and deciding.kind is ConsentKind.CONSENT
        and deciding.basis is not LawfulBasis.CONSENT
    ):
        # No swapping to another basis once consent is withdrawn (EDPB Guidelines 05/2020, 6).
        consents = [e for e in known if e.kind is ConsentKind.CONSENT and _is_consent_basis(e)]
        withdrawn = _latest(consents)
        if withdrawn is not None and not withdrawn.given:
            deciding = withdrawn
    decision = (
        _from_preferences(preferences, purpose, channel)
        if deciding is None
        else _from_event(deciding, purpose, channel)
    )
    if gpc and _is_ccpa_sale(purpose):
        signals = [event for event in known if event.kind is ConsentKind.GPC]
        confirmed = (
            deciding is not None
            and _is_opt_in(deciding)
            and any(signal.utc < deciding.utc for signal in signals)
        )
        # A refusal the ledger records (with its evidence) is kept; anything else yields.
        if not confirmed and (decision.allowed or decision.event is None):
            code = "gpc.signal"
            where = _where(purpose, channel)
            return Decision(False, code, f"{where}: {DECISION_CODES[code]}")
    return decision
