"""The raw values of a record the built-in blocking rules read, and what they make of them.

Each ``*_of`` function is a column (:mod:`~crmcore.dedup._blocking_columns`): a record's raw
values, hashable, read through the field metadata (:func:`crmcore.fields`) as the comparators
read them; the others derive from those values what several rules share (folded names,
postal codes, days of birth), remembered per distinct value.
"""

from __future__ import annotations

import functools
from typing import Any

from crmcore.dedup._paths import Selector, values
from crmcore.dedup._text import fold
from crmcore.dedup.context import CompareContext
from crmcore.dedup.dates import birth_dates
from crmcore.records.values import EmailAddress, ExternalId, PersonName, PhoneNumber, PostalAddress

__all__ = [
    "Addresses",
    "Births",
    "Names",
    "addresses_of",
    "birth_days",
    "births_of",
    "emails_of",
    "external_ids_of",
    "name_parts",
    "names_of",
    "phones_of",
    "postal_codes",
    "postcode",
]

_EMAILS = Selector(EmailAddress)
_PHONES = Selector(PhoneNumber)
_NAMES = Selector(PersonName)
_ADDRESSES = Selector(PostalAddress)
_IDS = Selector(ExternalId)
_BIRTH_DATES = birth_dates()
_CTX = CompareContext()

Names = tuple[tuple[str, str], ...]
Addresses = tuple[tuple[str, tuple[str, ...]], ...]
Births = frozenset[tuple[int, int, int]] | None


def names_of(record: Any) -> Names:
    """The given and family name of each of the record's names, as written (``""``: none)."""
    return tuple((name.given or "", name.family or "") for name in values(record, _NAMES))


def addresses_of(record: Any) -> Addresses:
    """The postal code (``""``: none) and the lines of each of the record's postal addresses."""
    return tuple(
        (address.postal_code or "", address.lines) for address in values(record, _ADDRESSES)
    )


def births_of(record: Any) -> Births:
    """The record's dates of birth as read by :func:`~crmcore.dedup.birth_dates` (an
    unreadable one kept in the quarantine counts)."""
    return _BIRTH_DATES.prepare(record, _CTX)


def emails_of(record: Any) -> tuple[str, ...]:
    """The normalised form of each of the record's email addresses."""
    return tuple(email.normalised for email in values(record, _EMAILS))


def phones_of(record: Any) -> tuple[str, ...]:
    """The E.164 form of each of the record's phone numbers."""
    return tuple(phone.e164 for phone in values(record, _PHONES))


def external_ids_of(record: Any) -> tuple[tuple[str, str], ...]:
    """The system and the id of each of the record's ids in other systems."""
    return tuple((external.system, external.value) for external in values(record, _IDS))


@functools.lru_cache(maxsize=65536)
def name_parts(names: Names) -> tuple[tuple[str, str], ...]:
    """The folded (given, family) of each name (:func:`names_of`), ``""`` for a missing part;
    names with neither left out."""
    found = []
    for given, family in names:
        given = fold(given) if given else ""
        family = fold(family) if family else ""
        if given or family:
            found.append((given, family))
    return tuple(found)


def postcode(code: str) -> str:
    """A postal code folded and written without spaces (``""`` when none)."""
    return "".join(fold(code).split()) if code else ""


@functools.lru_cache(maxsize=65536)
def postal_codes(addresses: Addresses) -> frozenset[str]:
    """The postal codes of the addresses (:func:`addresses_of`), folded, without spaces."""
    return frozenset(postcode(code) for code, _ in addresses) - {""}


@functools.lru_cache(maxsize=65536)
def birth_days(births: Births) -> frozenset[str]:
    """The dates of birth (:func:`births_of`) as ``yyyy-aa-bb``, day and month in order
    (``aa <= bb``): a date with its day and month swapped reads the same."""
    return frozenset(f"{y:04d}-{min(m, d):02d}-{max(m, d):02d}" for y, m, d in births or ())
