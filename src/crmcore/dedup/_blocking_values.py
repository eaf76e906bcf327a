"""The raw values of a record the built-in blocking rules read, and what they make of them.

Each ``*_of`` function is a column (:mod:`~crmcore.dedup._blocking_columns`): a record's raw
values, hashable, read through the field metadata (:func:`crmcore.fields`) as the comparators
read them; the others derive from those values what several rules share (folded names,
postal codes, days of birth), remembered per distinct value.
"""

from __future__ import annotations

import enum
import functools
import operator
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date
from typing import Any, cast

import attrs

from crmcore.dedup._paths import Selector, paths, values
from crmcore.dedup._text import fold
from crmcore.dedup.context import CompareContext
from crmcore.dedup.dates import _BIRTH, birth_dates
from crmcore.records.values import EmailAddress, ExternalId, PersonName, PhoneNumber, PostalAddress

__all__ = [
    "Addresses",
    "Births",
    "Column",
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

Names = tuple[tuple[str | None, str | None], ...]
Addresses = tuple[tuple[str | None, tuple[str, ...]], ...]
Births = tuple[tuple[tuple[int, int, int], ...], tuple[str, ...]]
"""A record's dates of birth as :meth:`~crmcore.dedup.dates.Dates.read` reads them: readable
ones as (year, month, day), the raw text of unreadable ones kept in the quarantine."""


@attrs.frozen
class Column:
    """A column of the records (:mod:`~crmcore.dedup._blocking_columns`): ``each(records)``
    gives a key of each of ``records`` (of one type) in turn, read in bulk, and
    ``value_of(key)`` the record's value (equal keys, equal values; ``None``: the key is the
    value); :meth:`many`, a list of the values; a call, one record's."""

    each: Callable[[Sequence[Any]], Iterable[Hashable]]
    value_of: Callable[[Any], Any] | None = None

    def many(self, records: Sequence[Any]) -> list[Any]:
        """The value of each of ``records``."""
        found = list(self.each(records))
        return found if self.value_of is None else list(map(self.value_of, found))

    def __call__(self, record: Any) -> Any:
        return self.many((record,))[0]


_PRESENT = functools.partial(operator.is_not, None)


class _Mark(enum.Enum):
    WHOLE = "whole"  # an enum member: the same object again once unpickled


_WHOLE = _Mark.WHOLE
"""The mark of a key that is a record's whole value (see :func:`_column`)."""
_EMPTY = (_WHOLE, ())


def _value(key: Any) -> tuple[Any, ...]:
    """A record's value from its key: the whole value, or the only item of one."""
    return key[1] if type(key) is tuple and key and key[0] is _WHOLE else (key,)


def _column(selector: Selector, *fields: str) -> Column:
    """The column of ``fields`` (a tuple of them, when several) of each value ``selector``
    picks in a record: a tuple of them per record.

    A record with one such value is keyed by that value's fields alone (a text hashes faster
    than a tuple holding it), any other by ``(_WHOLE, its tuple)``.
    """
    get = operator.attrgetter(*fields)

    def each(records: Sequence[Any]) -> list[Hashable]:
        at = paths(type(records[0]), selector) if records else ()
        if len(at) != 1:
            return [(_WHOLE, tuple(map(get, values(record, selector)))) for record in records]
        # a type whose values sit at one path: read at once, path by path
        return [
            (
                _EMPTY
                if not value
                else get(value[0])
                if len(value) == 1 and value[0] is not None
                else (_WHOLE, tuple(map(get, filter(_PRESENT, value))))
            )
            if type(value) is tuple
            else (_EMPTY if value is None else get(value))
            for value in map(operator.attrgetter(at[0]), records)
        ]

    return Column(each, _value)


names_of = _column(_NAMES, "given", "family")
"""The given and family name of each of the record's names, as written (``None``: none)."""

addresses_of = _column(_ADDRESSES, "postal_code", "lines")
"""The postal code (``None``: none) and the lines of each of the record's postal addresses."""

emails_of = _column(_EMAILS, "normalised")
"""The normalised form of each of the record's email addresses."""

phones_of = _column(_PHONES, "e164")
"""The E.164 form of each of the record's phone numbers."""

external_ids_of = _column(_IDS, "system", "value")
"""The system and the id of each of the record's ids in other systems."""


def _births(records: Sequence[Any]) -> list[Hashable]:
    """Each record's date of birth as its key when it sits at one path and the record keeps
    nothing in its quarantine, else ``(_WHOLE, its dates as read)``."""
    read = _BIRTH_DATES.read
    at = paths(type(records[0]), _BIRTH) if records and _BIRTH_DATES.path is None else ()
    if len(at) != 1:
        return [(_WHOLE, read(record, _CTX)) for record in records]
    return [
        (_WHOLE, read(record, _CTX)) if kept or type(value) is tuple else value
        for record, value, kept in zip(
            records,
            map(operator.attrgetter(at[0]), records),
            map(operator.attrgetter("quarantine"), records),
            strict=True,
        )
    ]


def _birth(key: Any) -> Births:
    """A record's dates of birth from its key (:func:`_births`)."""
    if type(key) is tuple and key and key[0] is _WHOLE:
        return cast(Births, key[1])
    if isinstance(key, date):
        return ((key.year, key.month, key.day),), ()
    return (), ()


births_of = Column(_births, _birth)
"""The record's dates of birth as :func:`~crmcore.dedup.birth_dates` reads them (an
unreadable one kept in the quarantine counts), parsed per distinct value by
:func:`birth_days`."""


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


def postcode(code: str | None) -> str:
    """A postal code folded and written without spaces (``""`` when none)."""
    return "".join(fold(code).split()) if code else ""


@functools.lru_cache(maxsize=65536)
def postal_codes(addresses: Addresses) -> frozenset[str]:
    """The postal codes of the addresses (:func:`addresses_of`), folded, without spaces."""
    return frozenset(postcode(code) for code, _ in addresses) - {""}


_CENTURY = 100
"""A year below it was written with two digits (:func:`~crmcore.dedup.read_raw_date`)."""


@functools.lru_cache(maxsize=65536)
def birth_days(births: Births) -> frozenset[str]:
    """The dates of birth (:func:`births_of`) as ``yyyy-aa-bb``, day and month in order
    (``aa <= bb``): a date with its day and month swapped reads the same. A year of two
    digits (an unreadable date such as ``23/05/58``, whose century is unknown) keys in both
    centuries a date of birth is in, ``19yy`` and ``20yy``: the comparator reads it as equal
    to a full year that ends in those two digits."""
    ymds = _BIRTH_DATES.prepare_read(births, _CTX) or ()
    return frozenset(
        f"{year:04d}-{min(m, d):02d}-{max(m, d):02d}"
        for y, m, d in ymds
        for year in ((y,) if y >= _CENTURY else (1900 + y, 2000 + y))
    )
