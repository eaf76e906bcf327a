"""Consent, objections and opt-outs over time, and whether a person may be contacted.

A :class:`ConsentLedger` is one person's history of :class:`ConsentEvent` values: consent
given or withdrawn (GDPR Art. 6(1)(a), Art. 7(3)), another lawful basis relied on
(Art. 6(1)(b)-(f)), objections (Art. 21), CCPA opt-outs of sale/sharing (Civil Code
§ 1798.120), limits on sensitive personal information (§ 1798.121) and Global Privacy Control
signals (CCPA regulations § 7025). :func:`may_contact` reads it, and the person's untimed
:class:`~crmcore.CommunicationPreferences` where the ledger is silent, and returns a
:class:`Decision` with a stable code (see :data:`DECISION_CODES`).

Purposes are dotted lower-case names (``direct_marketing.newsletter``); an event about a
purpose reaches its sub-purposes too, and an event with no channel reaches every channel.

>>> from datetime import datetime, timezone
>>> from crmcore import Channel
>>> t = lambda day: datetime(2026, 3, day, tzinfo=timezone.utc)
>>> ledger = ConsentLedger((
...     ConsentEvent("direct_marketing.newsletter", Channel.EMAIL, False, t(9)),
...     ConsentEvent("direct_marketing.newsletter", Channel.EMAIL, True, t(2)),
... ))
>>> may_contact(ledger, Channel.EMAIL, "direct_marketing.newsletter", t(20)).code
'consent.withdrawn'
>>> may_contact(ledger, Channel.EMAIL, "direct_marketing.newsletter", t(5)).allowed
True
"""

from __future__ import annotations

from crmcore.privacy._consent_decide import DECISION_CODES, Decision, may_contact
from crmcore.privacy._consent_events import (
    DIRECT_MARKETING,
    SALE,
    SENSITIVE_PI,
    SHARING,
    ConsentEvent,
    ConsentKind,
    ConsentLedger,
    LawfulBasis,
    is_under,
)

__all__ = [
    "DECISION_CODES",
    "DIRECT_MARKETING",
    "SALE",
    "SENSITIVE_PI",
    "SHARING",
    "ConsentEvent",
    "ConsentKind",
    "ConsentLedger",
    "Decision",
    "LawfulBasis",
    "is_under",
    "may_contact",
]
