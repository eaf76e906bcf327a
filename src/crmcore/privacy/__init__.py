"""Privacy and governance: requests, erasure, consent, retention and access by purpose.

No I/O: time is an argument, the calendar of holidays is the caller's. This module re-exports
the names of requests, regimes and deadlines; consent, access and pseudonyms are imported from
their modules (``crmcore.privacy.consent``, ``.access``, ``.pseudonym``).
"""

from crmcore.privacy.calendar import Calendar
from crmcore.privacy.deadlines import Deadline, Wait, deadline
from crmcore.privacy.errors import TransitionError
from crmcore.privacy.kinds import RequestKind
from crmcore.privacy.laws import (
    CCPA_CPRA,
    CONFIRM_RECEIPT,
    GDPR,
    HIPAA,
    LGPD,
    PIPEDA,
    QUEBEC_PRIVATE_SECTOR,
    UK_GDPR,
)
from crmcore.privacy.periods import Period
from crmcore.privacy.regime import RESPOND, Regime, Timing
from crmcore.privacy.regimes import ENTRY_POINT_GROUP, PluginError, Regimes, default_regimes
from crmcore.privacy.requests import TRANSITIONS, PrivacyRequest, RequestEvent, RequestStatus

__all__ = [
    "CCPA_CPRA",
    "CONFIRM_RECEIPT",
    "ENTRY_POINT_GROUP",
    "GDPR",
    "HIPAA",
    "LGPD",
    "PIPEDA",
    "QUEBEC_PRIVATE_SECTOR",
    "RESPOND",
    "TRANSITIONS",
    "UK_GDPR",
    "Calendar",
    "Deadline",
    "Period",
    "PluginError",
    "PrivacyRequest",
    "Regime",
    "Regimes",
    "RequestEvent",
    "RequestKind",
    "RequestStatus",
    "Timing",
    "TransitionError",
    "Wait",
    "deadline",
    "default_regimes",
]
