"""The largest values and longest texts a record holds, in one place.

Record constructors refuse anything beyond these limits, and the conversion readers use the same
constants to refuse input before parsing it, so that every record crmcore builds round-trips
through JSON (``json.dumps`` of :func:`crmcore.to_dict` output) and fits the column types common
databases offer.

>>> from crmcore.records import limits
>>> limits.COUNT_MAX == 2**63 - 1
True
"""

from __future__ import annotations

__all__ = [
    "AMOUNT_MAX_INTEGER_DIGITS",
    "AMOUNT_MAX_PLACES",
    "AMOUNT_TEXT_MAX_LENGTH",
    "COUNT_MAX",
    "EMAIL_MAX_LENGTH",
    "INTEGER_MAX",
    "INTEGER_MIN",
    "LANGUAGE_TAG_MAX_LENGTH",
    "PHONE_TEXT_MAX_LENGTH",
]

COUNT_MAX = 2**63 - 1
"""The largest count (``email_clicks``, ``employees``, ...): a signed 64-bit integer (BIGINT)."""

INTEGER_MIN = -(2**63)
"""The smallest whole number a custom field holds: a signed 64-bit integer."""

INTEGER_MAX = 2**63 - 1
"""The largest whole number a custom field holds: a signed 64-bit integer."""

AMOUNT_MAX_INTEGER_DIGITS = 20
"""The most digits an amount has before the decimal point (so it is below 10**20)."""

AMOUNT_MAX_PLACES = 18
"""The most digits an amount has after the decimal point, trailing zeros included.

With :data:`AMOUNT_MAX_INTEGER_DIGITS`, every amount fits ``DECIMAL(38, 18)``, the widest
decimal most databases and Spark offer.
"""

AMOUNT_TEXT_MAX_LENGTH = 64
"""The longest text read as an amount (``"12.50"``); longer text is refused before parsing."""

EMAIL_MAX_LENGTH = 254
"""The longest email address, surrounding whitespace aside (RFC 3696 erratum 1690, RFC 5321)."""

PHONE_TEXT_MAX_LENGTH = 64
"""The longest text read as a phone number, extension and punctuation included."""

LANGUAGE_TAG_MAX_LENGTH = 64
"""The longest language tag, surrounding whitespace aside.

RFC 5646 (section 4.4.1) asks for at least 35 characters without extensions; 64 leaves room
for an extension or a private-use part.
"""
