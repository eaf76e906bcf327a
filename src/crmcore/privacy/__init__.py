"""Privacy and governance: requests, erasure, consent, retention and access by purpose.

No I/O: time is an argument, the calendar of holidays is the caller's. This module re-exports
the public names of requests, regimes and deadlines (:mod:`~crmcore.privacy.deadlines`,
:mod:`~crmcore.privacy.requests`, ...), consent (:mod:`~crmcore.privacy.consent`), access by
purpose (:mod:`~crmcore.privacy.access`), pseudonyms (:mod:`~crmcore.privacy.pseudonym`), and
erasure and rectification (:mod:`~crmcore.privacy.erasure`, :mod:`~crmcore.privacy.rectification`)
of a data subject (:mod:`~crmcore.privacy.subject`).
"""

from crmcore.privacy.access import REDACTED, AccessPolicy, Grant, Projection, UnknownPurposeError
from crmcore.privacy.calendar import Calendar
from crmcore.privacy.consent import (
    DECISION_CODES,
    DIRECT_MARKETING,
    SALE,
    SENSITIVE_PI,
    SHARING,
    ConsentEvent,
    ConsentKind,
    ConsentLedger,
    Decision,
    LawfulBasis,
    is_under,
    may_contact,
)
from crmcore.privacy.deadlines import Deadline, Wait, WaitReason, deadline
from crmcore.privacy.errors import TransitionError
from crmcore.privacy.kinds import RequestKind
from crmcore.privacy.laws import (
    BUILTIN_REGIMES,
    CCPA_CPRA,
    CONFIRM_RECEIPT,
    GDPR,
    HIPAA,
    LGPD,
    PIPEDA,
    QUEBEC_PRIVATE_SECTOR,
    UK_GDPR,
)
from crmcore.privacy.periods import Period, Unit
from crmcore.privacy.pseudonym import (
    KEY_BYTES,
    PseudonymKind,
    normalise_for_pseudonym,
    pseudonymise,
)
from crmcore.privacy.regime import RESPOND, ClockEffect, EndRule, ReceiptDay, Regime, Timing
from crmcore.privacy.regimes import ENTRY_POINT_GROUP, PluginError, Regimes, default_regimes
from crmcore.privacy.requests import TRANSITIONS, PrivacyRequest, RequestEvent, RequestStatus

# Erasure, rectification and the data subject.
# isort: split
from crmcore.privacy.erasure import (
    Action,
    AuditEntry,
    ErasureAudit,
    ErasureError,
    ErasurePlan,
    ErasureResult,
    Hold,
    PathPlan,
    RecordPlan,
    apply_erasure,
    plan_erasure,
)
from crmcore.privacy.rectification import apply_rectification
from crmcore.privacy.subject import DataSubject

__all__ = [
    "BUILTIN_REGIMES",
    "CCPA_CPRA",
    "CONFIRM_RECEIPT",
    "DECISION_CODES",
    "DIRECT_MARKETING",
    "ENTRY_POINT_GROUP",
    "GDPR",
    "HIPAA",
    "KEY_BYTES",
    "LGPD",
    "PIPEDA",
    "QUEBEC_PRIVATE_SECTOR",
    "REDACTED",
    "RESPOND",
    "SALE",
    "SENSITIVE_PI",
    "SHARING",
    "TRANSITIONS",
    "UK_GDPR",
    "AccessPolicy",
    "Calendar",
    "ClockEffect",
    "ConsentEvent",
    "ConsentKind",
    "ConsentLedger",
    "Deadline",
    "Decision",
    "EndRule",
    "Grant",
    "LawfulBasis",
    "Period",
    "PluginError",
    "PrivacyRequest",
    "Projection",
    "PseudonymKind",
    "ReceiptDay",
    "Regime",
    "Regimes",
    "RequestEvent",
    "RequestKind",
    "RequestStatus",
    "Timing",
    "TransitionError",
    "Unit",
    "UnknownPurposeError",
    "Wait",
    "WaitReason",
    "deadline",
    "default_regimes",
    "is_under",
    "may_contact",
    "normalise_for_pseudonym",
    "pseudonymise",
]

# Erasure, rectification and the data subject.
__all__ += [
    "Action",
    "AuditEntry",
    "DataSubject",
    "ErasureAudit",
    "ErasureError",
    "ErasurePlan",
    "ErasureResult",
    "Hold",
    "PathPlan",
    "RecordPlan",
    "apply_erasure",
    "apply_rectification",
    "plan_erasure",
]
