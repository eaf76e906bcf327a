"""The kinds of privacy request a data subject or consumer can make."""

from __future__ import annotations

import enum

from crmcore.errors import InvalidValueError

__all__ = [
    "RequestKind",
]


class RequestKind(enum.Enum):
    """What a privacy request asks for; stored and exchanged by its value.

    The same kind covers the matching right of each law: ``access`` is a GDPR Art. 15 request
    and a CCPA request to know, ``erasure`` a GDPR Art. 17 request and a CCPA request to delete.

    >>> RequestKind("erasure") is RequestKind.ERASURE
    True
    """

    #: GDPR Art. 15; CCPA request to know (Civ. Code § 1798.110); LGPD Art. 18 I-II, 19;
    #: PIPEDA Sch. 1 cl. 4.9; Quebec private sector act s. 27.
    ACCESS = "access"
    #: GDPR Art. 16; CCPA request to correct (§ 1798.106); HIPAA amendment (45 CFR 164.526).
    RECTIFICATION = "rectification"
    #: GDPR Art. 17; CCPA request to delete (§ 1798.105).
    ERASURE = "erasure"
    #: GDPR Art. 18.
    RESTRICTION = "restriction"
    #: GDPR Art. 20.
    PORTABILITY = "portability"
    #: GDPR Art. 21 (absolute for direct marketing, Art. 21(3)).
    OBJECTION = "objection"
    #: CCPA request to opt out of sale/sharing (§ 1798.120; regs § 7026).
    OPT_OUT_SALE_SHARING = "opt_out_sale_sharing"
    #: CCPA request to limit the use of sensitive personal information (§ 1798.121; § 7027).
    LIMIT_SENSITIVE_PI = "limit_sensitive_pi"
    #: GDPR Art. 7(3): withdrawing consent, as easy as giving it.
    CONSENT_WITHDRAWAL = "consent_withdrawal"
    #: HIPAA right of access to protected health information (45 CFR 164.524).
    HIPAA_ACCESS = "hipaa_access"


def read_kind(kind: object, field: str = "kind") -> RequestKind:
    """``kind`` as a :class:`RequestKind`: the member itself or its value (``"access"``)."""
    if isinstance(kind, RequestKind):
        return kind
    if isinstance(kind, str):
        try:
            return RequestKind(kind)
        except ValueError:
            pass
    raise InvalidValueError("unknown request kind", field=field)
