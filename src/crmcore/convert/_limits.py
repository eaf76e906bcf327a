"""How long a text each reader reads, and how large a number, checked before any parsing.

Parsers are not all linear: python-dateutil takes 40 seconds on a million digits, and a
number of thousands of digits turns into an int that ``json.dumps`` refuses. Every reader of
:mod:`crmcore.convert` refuses text longer than its kind can be, surrounding whitespace aside,
before it parses anything, and refuses numbers beyond what a record can hold.

The limits of what a record holds (whole numbers, amounts, emails, phones) are
:mod:`crmcore.records.limits`, which the record constructors check too; they are re-exported
here beside the readers' own text lengths (dates, numbers, codes, words), so that every
reader limit is in one place.
"""

from __future__ import annotations

from crmcore.errors import InvalidValueError
from crmcore.records.limits import (
    AMOUNT_MAX_INTEGER_DIGITS,
    AMOUNT_MAX_PLACES,
    AMOUNT_TEXT_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    INTEGER_MAX,
    INTEGER_MIN,
    PHONE_TEXT_MAX_LENGTH,
)

__all__ = [
    "AMOUNT_MAX_INTEGER_DIGITS",
    "AMOUNT_MAX_PLACES",
    "AMOUNT_TEXT_MAX_LENGTH",
    "BOOL_TEXT_MAX_LENGTH",
    "CODE_TEXT_MAX_LENGTH",
    "COUNTRY_TEXT_MAX_LENGTH",
    "DATETIME_TEXT_MAX_LENGTH",
    "DATE_TEXT_MAX_LENGTH",
    "EMAIL_MAX_LENGTH",
    "ENUM_TEXT_MAX_LENGTH",
    "INTEGER_MAX",
    "INTEGER_MIN",
    "MONEY_TEXT_MAX_LENGTH",
    "NUMBER_TEXT_MAX_LENGTH",
    "PHONE_TEXT_MAX_LENGTH",
    "TIME_ZONE_NAME_MAX_LENGTH",
    "text_within",
]

# -- what a reader reads ------------------------------------------------------------------

DATE_TEXT_MAX_LENGTH = 64
"""The longest text read as a date (``"Wednesday, 30 September 2026"`` is 28 characters)."""

DATETIME_TEXT_MAX_LENGTH = 96
"""The longest text read as a date and time, fractions of a second and zone included."""

NUMBER_TEXT_MAX_LENGTH = 64
"""The longest text read as a whole number or a fraction (``"35%"``, ``"1.5e-3"``)."""

BOOL_TEXT_MAX_LENGTH = 16
"""The longest text read as yes or no (the longest word read is ``"false"``)."""

ENUM_TEXT_MAX_LENGTH = 64
"""The longest text read as an enum member (``"Sales Qualified"``)."""

CODE_TEXT_MAX_LENGTH = 16
"""The longest text read as a currency code or a region (``"EUR"``, ``"FR"``)."""

COUNTRY_TEXT_MAX_LENGTH = 128
"""The longest text read as a country, by code or by name."""

MONEY_TEXT_MAX_LENGTH = AMOUNT_TEXT_MAX_LENGTH + 16
"""The longest text read as money written in one piece (``"12.50 EUR"``)."""

TIME_ZONE_NAME_MAX_LENGTH = 64
"""The longest time-zone name accepted as a converter option (``"America/Argentina/..."``)."""


def text_within(value: str, limit: int, what: str, code: str = "value.too_long") -> str:
    """``value`` without surrounding whitespace, refused before any parsing when too long.

    ``code`` is the code of the refusal, such as ``date.too_long``.

    >>> text_within(" 12 ", NUMBER_TEXT_MAX_LENGTH, "a number")
    '12'
    >>> text_within("7" * 100, DATE_TEXT_MAX_LENGTH, "a date")
    Traceback (most recent call last):
      ...
    crmcore.errors.InvalidValueError: too long for a date
    """
    text = value.strip()
    if len(text) > limit:
        raise InvalidValueError(f"too long for {what}", code=code)
    return text
