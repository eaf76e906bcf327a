"""Privacy and governance: requests, erasure, consent, retention and access by purpose.

No I/O: time is an argument, the calendar of holidays is the caller's. This module re-exports
the public names of requests, regimes and deadlines (:mod:`~crmcore.privacy.deadlines`,
:mod:`~crmcore.privacy.requests`, ...), consent (:mod:`~crmcore.privacy.consent`), access by
purpose (:mod:`~crmcore.privacy.access`), pseudonyms (:mod:`~crmcore.privacy.pseudonym`),
retention (:mod:`~crmcore.privacy.retention`), de-identification
(:mod:`~crmcore.privacy.deid`), finding and exporting a data subject's records
(:mod:`~crmcore.privacy.discovery`, :mod:`~crmcore.privacy.export`; one record at a time
with :mod:`~crmcore.privacy.search`), and erasure and
rectification (:mod:`~crmcore.privacy.erasure`, :mod:`~crmcore.privacy.rectification`) of a
data subject (:mod:`~crmcore.privacy.subject`).
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
from crmcore.privacy.deid import (
    NINETY_OR_OLDER,
    REMOVED_PRIVACY,
    SafeHarborResult,
    generalise_age,
    generalise_birth_date,
    generalise_zip,
    restricted_zip3,
    safe_harbor,
)

# Finding a subject's records and exporting them.
from crmcore.privacy.discovery import (
    REASON_CODES,
    Confidence,
    Discovery,
    Match,
    Reason,
    find_subject,
)
from crmcore.privacy.errors import TransitionError
from crmcore.privacy.export import (
    EXPORT_COLUMNS,
    EXPORT_FORMAT,
    AccessInfo,
    ExportedField,
    ExportedRecord,
    Provenance,
    SubjectExport,
    export_subject,
)
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
from crmcore.privacy.retention import (
    INACTIVE,
    RETENTION_ENTRY_POINT_GROUP,
    Due,
    RetentionContext,
    RetentionPolicies,
    RetentionPolicy,
    RetentionPolicyError,
    default_retention_policies,
    due_for_deletion,
    inactive_for,
)

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
from crmcore.privacy.search import ReferenceRegions, SubjectSearch
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

# -- retention and de-identification --
__all__ += [
    "INACTIVE",
    "NINETY_OR_OLDER",
    "REMOVED_PRIVACY",
    "RETENTION_ENTRY_POINT_GROUP",
    "Due",
    "RetentionContext",
    "RetentionPolicies",
    "RetentionPolicy",
    "RetentionPolicyError",
    "SafeHarborResult",
    "default_retention_policies",
    "due_for_deletion",
    "generalise_age",
    "generalise_birth_date",
    "generalise_zip",
    "inactive_for",
    "restricted_zip3",
    "safe_harbor",
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

# Finding a subject's records and exporting them.
__all__ += [
    "EXPORT_COLUMNS",
    "EXPORT_FORMAT",
    "REASON_CODES",
    "AccessInfo",
    "Confidence",
    "Discovery",
    "ExportedField",
    "ExportedRecord",
    "Match",
    "Provenance",
    "Reason",
    "ReferenceRegions",
    "SubjectExport",
    "SubjectSearch",
    "export_subject",
    "find_subject",
]
