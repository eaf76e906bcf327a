"""Postal-address comparator: the same address, street number and street, or postcode.

There is no house-number field: :func:`street_parts` reads the number and the street from
:attr:`PostalAddress.lines <crmcore.PostalAddress.lines>`, skipping lines for a flat, a floor
or a building, and writes street types one way (``Street`` and ``St.`` are ``st``,
``Straße`` and ``Str.`` are ``str``). Exact equality is :func:`crmcore.cleaning.address_key`.
A street or a place a typo away counts as near (see :func:`addresses`).
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Hashable, Sequence
from typing import Any, NamedTuple

import attrs
import numpy as np

from crmcore.cleaning.contact_points import address_key
from crmcore.dedup._batch import Flat, Indices, Tabled, codes_of, flat, same, table_ranks
from crmcore.dedup._paths import Selector, values
from crmcore.dedup._street_typos import (
    Places,
    Streets,
    long_form,
    near_place,
    near_places_at,
    near_street,
    near_streets_at,
    place_table,
    street_table,
)
from crmcore.dedup._text import fold, tokens
from crmcore.dedup.comparator import NULL, RankedComparator
from crmcore.dedup.context import CompareContext
from crmcore.records.values import PostalAddress

__all__ = ["Addresses", "addresses", "street_parts"]

_ADDRESSES = Selector(PostalAddress)

_STREET_TYPES: dict[str, str] = {}
_LONG_FORMS: dict[str, str] = {}  # a street type's code to its first, long form: st, street
for _canonical, _forms in {
    "st": "street st str",
    "av": "avenue ave av avenida avda avd",
    "rd": "road rd",
    "bd": "boulevard blvd bvd boul bd",
    "dr": "drive dr",
    "ln": "lane ln",
    "pl": "place pl plaza pza plz",
    "sq": "square sq",
    "ct": "court ct",
    "terr": "terrace terr ter",
    "cres": "crescent cres",
    "hwy": "highway hwy",
    "pkwy": "parkway pkwy",
    "rue": "rue r",
    "ch": "chemin ch",
    "imp": "impasse imp",
    "rte": "route rte",
    "fbg": "faubourg fbg",
    "all": "allee all",
    "c": "calle c cl",
    "po": "paseo po pso",
    "pza": "piazza pza",
    "cso": "corso cso",
    "str": "strasse str straat",
    "pl_de": "platz",
    "weg": "weg",
    "laan": "laan",
}.items():
    for _form in _forms.split():
        _STREET_TYPES.setdefault(_form, _canonical)
    _LONG_FORMS.setdefault(_canonical, _forms.split()[0])

# A word at the start of a line that makes it a flat, floor, building or care-of line.
_NOT_STREET = frozenset(
    (
        *("apt", "apartment", "appt", "appartement", "flat", "suite", "ste", "unit"),
        *("floor", "fl", "etage", "etg", "stock", "piso", "planta", "interno", "scala"),
        *("bat", "batiment", "building", "bldg", "escalier", "esc", "residence", "wohnung"),
        "attn",
    )
)
_NUMBER = re.compile(r"(?<![0-9a-z])(\d{1,6})(bis|ter|quater|[a-z]| bis| ter| quater)?(?![0-9a-z])")
_GERMAN_STREET = re.compile(r"(strasse|str)$")


@functools.lru_cache(maxsize=65536)
def street_parts(lines: tuple[str, ...]) -> tuple[str | None, str | None]:
    """The street number and the normalised street of an address's lines.

    The street line is the first one with letters that does not begin like a flat or
    building line; the number is its first run of digits (with ``bis``, ``ter`` or a letter
    stuck to it: ``221B``), the street the rest of the line, street types written one way.

    >>> street_parts(("Apt 4", "221B Baker Street"))
    ('221b', 'baker st')
    >>> street_parts(("Hauptstraße 5",)), street_parts(("10 bis, Rue de Rivoli",))
    (('5', 'hauptstr'), ('10bis', 'rue de rivoli'))
    """
    for line in lines:
        words = tokens(line)
        if not words or words[0] in _NOT_STREET or words[:2] == ("c", "o"):
            continue  # a flat, floor, building or care-of line
        if not any(word.isalpha() for word in words):
            continue
        text = " ".join(words)
        match = _NUMBER.search(text)
        number = None
        if match is not None:
            number = match[1] + (match[2] or "").strip()
            text = text[: match.start()] + " " + text[match.end() :]
        street = []
        for word in text.split():
            word = _STREET_TYPES.get(word, word)
            if len(word) > 6 and _GERMAN_STREET.search(word):
                word = _GERMAN_STREET.sub("str", word)
            street.append(word)
        return number, " ".join(street) or None
    return None, None


class _Prepared(NamedTuple):
    """What :func:`_prepare` makes of an address: a tuple, made and hashed in C (a million
    contacts' distinct addresses are prepared and interned at once)."""

    key: Hashable
    number: str | None
    street: str | None
    postcode: str | None
    locality: str | None
    country: str | None
    written: str | None  # the street, its type in full: kambalda crescent


class _Read(NamedTuple):
    """The fields of a postal address that its key and :func:`_prepare` read, as plain values
    (the names of :class:`~crmcore.PostalAddress`'s)."""

    lines: tuple[str, ...]
    locality: str | None
    region: str | None
    postal_code: str | None
    country: str | None


_READ = operator.attrgetter(*_Read._fields)  # a tuple of _Read's fields, read in C


def _prepare(address: _Read) -> _Prepared:
    number, street = street_parts(address.lines)
    postcode = "".join(address.postal_code.split()).upper() if address.postal_code else None
    return _Prepared(
        address_key(address),
        number,
        street,
        postcode,
        _place(address.locality) if address.locality else None,
        address.country,
        _written(street) if street else None,
    )


@functools.lru_cache(maxsize=65536)
def _written(street: str) -> str:
    """The street with its types in full (:func:`long_form`), once per distinct street."""
    return long_form(street, _LONG_FORMS)


@functools.lru_cache(maxsize=65536)
def _place(locality: str) -> str:
    """The locality folded, once per distinct locality."""
    return fold(locality)


def _agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _near(a: _Prepared, b: _Prepared) -> bool:
    """On one street, in one place, either a typo away: :func:`near_street`, :func:`near_place`."""
    return bool(
        a.written
        and b.written
        and near_street(a.written, b.written)
        and near_place(a.postcode, b.postcode, a.locality, b.locality)
    )


def _rank(a: _Prepared, b: _Prepared) -> int:
    if a.key == b.key:
        return 0
    if not _agree(a.country, b.country):
        return _DIFFERENT
    place = (
        a.postcode == b.postcode
        if a.postcode and b.postcode
        else bool(a.locality and b.locality and a.locality == b.locality)
    )
    same_number = bool(a.number and a.number == b.number)
    if same_number and a.street and a.street == b.street and place:
        return 1
    if _near(a, b):
        return 2 if same_number else 3
    if a.postcode and a.postcode == b.postcode:
        return 4
    return _DIFFERENT


_DIFFERENT = 5


@attrs.frozen
class Addresses(RankedComparator[tuple[_Prepared, ...]], Tabled[tuple[_Prepared, ...], "_Table"]):
    """Postal addresses. See :func:`addresses`."""

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``same_street_number``, ``near_street_number``, ``same_street``, ..."""
        return (
            "exact",
            "same_street_number",
            "near_street_number",
            "same_street",
            "same_postcode",
            "different",
            NULL,
        )

    def prepare(self, record: Any, ctx: CompareContext) -> tuple[_Prepared, ...] | None:
        """Each address's key, street number, street and place; ``None`` when there is none."""
        return self.prepare_read(self.read(record, ctx), ctx)

    def read(self, record: Any, ctx: CompareContext) -> tuple[tuple[Any, ...], ...]:
        """The fields of each address that :meth:`prepare` reads (those of ``_Read``)."""
        return tuple(map(_READ, values(record, _ADDRESSES)))

    def prepare_read(
        self, read: tuple[tuple[Any, ...], ...], ctx: CompareContext
    ) -> tuple[_Prepared, ...] | None:
        """:meth:`prepare` from :meth:`read`."""
        return tuple(_prepare(_Read._make(fields)) for fields in read) or None

    def compare_prepared(
        self, left: tuple[_Prepared, ...], right: tuple[_Prepared, ...], ctx: CompareContext
    ) -> str:
        """The best level over every pair of addresses."""
        best = min(_rank(a, b) for a in left for b in right)
        return self.levels[best]

    def indexed_ranks(
        self,
        values: Sequence[tuple[_Prepared, ...]],
        left: Indices,
        right: Indices,
        ctx: CompareContext,
    ) -> Indices:
        """:meth:`compare_prepared` of many pairs as positions in :attr:`levels`, in arrays:
        the best :func:`_rank` of each pair's pairs of addresses, each part of each address a
        code once."""
        return table_ranks(self, self.indexed_table(values, ctx), left, right, ctx)

    def indexed_table(self, values: Sequence[tuple[_Prepared, ...]], ctx: CompareContext) -> _Table:
        """Every address of ``values`` laid flat, each part of it a code, its street and
        place made ready for the typos (:func:`street_table`, :func:`place_table`)."""
        items = flat(values)
        one: list[_Prepared] = items.items

        def part(name: str) -> Any:
            return codes_of([getattr(a, name) for a in one], missing=lambda value: not value)

        return _Table(
            items,
            codes_of([a.key for a in one]),
            codes_of([a.country for a in one], missing=lambda value: value is None),
            part("number"),
            part("street"),
            part("written"),
            street_table([a.written or "" for a in one]),
            place_table([a.postcode for a in one], [a.locality for a in one]),
        )

    def item_ranks(self, table: _Table, xs: Indices, ys: Indices, ctx: CompareContext) -> Indices:
        """The :func:`_rank` of each pair of addresses ``xs[i]``, ``ys[i]`` of
        :meth:`indexed_table`."""
        country, written = table.country, table.written
        postcode, locality = table.places.postcode, table.places.locality
        both_postcodes = (postcode[xs] >= 0) & (postcode[ys] >= 0)
        place = np.where(both_postcodes, postcode[xs] == postcode[ys], same(locality, xs, ys))
        agree = (country[xs] < 0) | (country[ys] < 0) | (country[xs] == country[ys])
        on_street = same(table.street, xs, ys) & place
        same_number = same(table.number, xs, ys)
        near = np.zeros(len(xs), dtype=np.bool_)
        rows = np.flatnonzero(agree & (written[xs] >= 0) & (written[ys] >= 0))
        rows = rows[near_streets_at(table.streets, xs[rows], ys[rows])]
        near[rows[near_places_at(table.places, xs[rows], ys[rows])]] = True
        rank = np.full(len(xs), _DIFFERENT, dtype=np.int64)
        rank[same(postcode, xs, ys)] = 4
        rank[near] = 3
        rank[near & same_number] = 2
        rank[on_street & same_number] = 1
        rank[~agree] = _DIFFERENT
        rank[table.key[xs] == table.key[ys]] = 0
        return rank


@attrs.frozen(eq=False)
class _Table:
    """What :meth:`Addresses.item_ranks` reads of the distinct values: every address laid
    flat, the codes of its key, country, number, street and street written in full
    (``-1``: none), its street and place for the typos."""

    items: Flat
    key: Indices
    country: Indices
    number: Indices
    street: Indices
    written: Indices
    streets: Streets
    places: Places


def addresses() -> Addresses:
    """Compare postal addresses, each record's every address, at their best pair.

    - ``exact``: the same :func:`~crmcore.cleaning.address_key` (case and spacing aside);
    - ``same_street_number``: the same street and number in the same place (postcode, or
      locality when a side has no postcode);
    - ``near_street_number``: the same number on a street *near* it: the same street or one
      a typo away (one edit between the streets written as one run of letters, their types
      in full, two on streets of 12 letters or more: ``Kambalda Ctescent``, ``Kelleway
      Avenue`` and ``Kellewayavenue``), or its words in another order, in the same place or
      one a typo away (postcodes one edit apart, or the same locality): one address written
      with a typo;
    - ``same_street``: a street near it (as above), the number different or missing;
    - ``same_postcode``: the same postcode only;
    - ``different`` (countries that differ always are); ``null``.

    >>> from crmcore import Contact, ContactIdentity, PostalAddress
    >>> def person(*lines, code="75001"):
    ...     address = PostalAddress(lines=lines, postal_code=code, country="FR")
    ...     return Contact("c", ContactIdentity(addresses=(address,)))
    >>> cmp, ctx = addresses(), CompareContext()
    >>> cmp(person("10 Rue de Rivoli"), person("Bât. B", "10, r. de Rivoli"), ctx)
    'same_street_number'
    >>> cmp(person("10 Rue de Rivoli"), person("12 rue de Rivoli"), ctx)
    'same_street'
    >>> cmp(person("10 Rue de Rivoli"), person("10 rue de Rivolli", code="75010"), ctx)
    'near_street_number'
    """
    return Addresses()
