"""Email and phone comparators: canonical addresses, E.164 numbers.

Emails start from :attr:`EmailAddress.normalised <crmcore.EmailAddress.normalised>` (computed
by :func:`crmcore.records.values.normalise_email` when the record was built) and phones from
:attr:`PhoneNumber.e164 <crmcore.PhoneNumber.e164>` (from ``parse_phone``): nothing is parsed
again. Every field holding emails or phones counts, found through :func:`crmcore.fields`.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crmcore.dedup import _extras
from crmcore.dedup._batch import (
    Flat,
    Indices,
    Tabled,
    TextRows,
    codes_of,
    flat,
    lengths,
    one_edit,
    table_ranks,
)
from crmcore.dedup._paths import Selector, values
from crmcore.dedup._text import fold, tokens
from crmcore.dedup.comparator import NULL, RankedComparator
from crmcore.dedup.context import CompareContext
from crmcore.records.values import EmailAddress, PersonName, PhoneNumber

__all__ = ["Emails", "Phones", "canonical_email", "emails", "phones"]

_EMAILS = Selector(EmailAddress)


_PHONES = Selector(PhoneNumber)
_NAMES = Selector(PersonName)
# what the comparators read of each value, read in C
_NORMALISED = operator.attrgetter("normalised")
_GIVEN_FAMILY = operator.attrgetter("given", "family")
_E164_EXTENSION = operator.attrgetter("e164", "extension")
# what the batch forms take of their values, in C
_FIRST, _SECOND, _THIRD = operator.itemgetter(0), operator.itemgetter(1), operator.itemgetter(2)
_AT_SIGN = operator.methodcaller("rpartition", "@")


def canonical_email(normalised: str, ctx: CompareContext) -> str:
    """The mailbox a normalised address reaches: no case, and the provider's rules undone.

    The domain becomes its provider's canonical one (``googlemail.com`` is ``gmail.com``);
    a plus tag goes only where the provider delivers plus tags, dots only where it ignores
    them (:class:`~crmcore.dedup.CompareContext` holds the providers).

    >>> ctx = CompareContext()
    >>> canonical_email("J.Doe+News@googlemail.com", ctx)
    'jdoe@gmail.com'
    >>> canonical_email("j.doe+news@example.com", ctx)
    'j.doe+news@example.com'
    """
    local, _, domain = normalised.casefold().rpartition("@")
    provider = ctx.provider(domain)  # the first provider of the domain, looked up in a dict
    if provider is not None:
        domain = provider.domains[0]
        if provider.plus_tags and "+" in local.lstrip("+"):
            local = local[: local.index("+", 1)]
        if provider.ignores_dots:
            local = local.replace(".", "") or local
    return f"{local}@{domain}"


# normalised, canonical, the words of the record's names (an address made of them only is
# never a typo of another: :func:`_name_only`, asked only of addresses one edit apart)
_Email = tuple[str, str, tuple[str, ...]]
# what is read of a record: its normalised addresses, its names' given and family parts
_EmailsRead = tuple[tuple[str, ...], tuple[tuple[str | None, str | None], ...]]
_LETTERS = re.compile(r"[^a-z]+")


def _name_only(local: str, words: tuple[str, ...]) -> bool:
    """Whether ``local``'s letters are only the person's name words and their initials.

    ``jane.doe``, ``jdoe``, ``doe_jane2`` and ``j.doe`` are, for Jane Doe; ``jdoe.sales`` is
    not. Digits and separators do not count.
    """
    letters = _LETTERS.sub("", fold(local))
    return bool(letters and words) and len(letters) <= 64 and _spelled(letters, frozenset(words))


@functools.lru_cache(maxsize=65536)
def _spelled(letters: str, words: frozenset[str]) -> bool:
    if not letters:
        return True
    return any(
        letters.startswith(piece) and _spelled(letters[len(piece) :], words)
        for word in words
        for piece in {word, word[0]}
    )


@functools.lru_cache(maxsize=65536)
def _words(given: str | None, family: str | None) -> tuple[str, ...]:
    """The words of one name's given and family parts: once per distinct name, where every
    record's addresses are prepared with its name's words."""
    found: list[str] = []
    for part in (given, family):
        if part:
            found.extend(_LETTERS.sub("", word) for word in tokens(part))
    return tuple(word for word in found if word)


@attrs.frozen
class Emails(RankedComparator[tuple[_Email, ...]], Tabled[tuple[_Email, ...], "_Table"]):
    """Email addresses: exact, same mailbox, one typo apart. See :func:`emails`."""

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``canonical``, ``typo``, ``different``, ``null``."""
        return ("exact", "canonical", "typo", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> tuple[_Email, ...] | None:
        """Each address's normalised and canonical forms, with the words of the record's
        names, each address once, in order; ``None`` when there is no address."""
        return self.prepare_read(self.read(record, ctx), ctx)

    def read(self, record: Any, ctx: CompareContext) -> _EmailsRead:
        """The normalised addresses, and each name's given and family parts (none when there
        is no address)."""
        found = tuple(map(_NORMALISED, values(record, _EMAILS)))
        if not found:
            return (), ()
        return found, tuple(map(_GIVEN_FAMILY, values(record, _NAMES)))

    def prepare_read(self, read: _EmailsRead, ctx: CompareContext) -> tuple[_Email, ...] | None:
        """:meth:`prepare` from :meth:`read`.

        A tuple, not a set: a record's addresses are one or two, a tuple of them a fraction
        of a set's memory, made faster (a million records' values are made at once). One
        name's words are the tuple :func:`_words` keeps (most records have one name).
        """
        _extras.rapidfuzz_distance()
        found, names = read
        if not found:
            return None
        if len(names) == 1:
            words = _words(*names[0])
        else:
            words = tuple(word for given, family in names for word in _words(given, family))
        if len(found) == 1:
            return ((found[0], canonical_email(found[0], ctx), words),)
        return tuple(sorted({(email, canonical_email(email, ctx), words) for email in found}))

    def compare_prepared(
        self, left: tuple[_Email, ...], right: tuple[_Email, ...], ctx: CompareContext
    ) -> str:
        """The best level over every pair of addresses."""
        if not {n for n, _, _ in left}.isdisjoint({n for n, _, _ in right}):
            return "exact"
        if not {c for _, c, _ in left}.isdisjoint({c for _, c, _ in right}):
            return "canonical"
        for _, a, words_a in left:
            for _, b, words_b in right:
                if _typo(a, b, words_a, words_b):
                    return "typo"
        return "different"

    def indexed_ranks(
        self,
        values: Sequence[tuple[_Email, ...]],
        left: Indices,
        right: Indices,
        ctx: CompareContext,
    ) -> Indices:
        """:meth:`compare_indexed` as positions in :attr:`levels`: the best rank of each
        pair's pairs of addresses (normalised equal, canonical equal, one edit apart), each
        address split once, ``typo`` found in arrays
        (:func:`~crmcore.dedup._batch.one_edit`)."""
        return table_ranks(self, self.indexed_table(values, ctx), left, right, ctx)

    def indexed_table(self, values: Sequence[tuple[_Email, ...]], ctx: CompareContext) -> _Table:
        """Every address of ``values`` laid flat, each form and part of it a code (the forms
        and parts taken apart in C, no loop of Python's over the addresses)."""
        items = flat(values)
        normalised, canonical = list(map(_FIRST, items.items)), list(map(_SECOND, items.items))
        parts = list(map(_AT_SIGN, canonical))  # local part, "@", domain
        locals_, domains = list(map(_FIRST, parts)), list(map(_THIRD, parts))
        local_length, domain_length = lengths(locals_), lengths(domains)
        return _Table(
            items,
            codes_of(normalised),
            codes_of(canonical),
            codes_of(locals_),
            codes_of(domains),
            local_length,
            domain_length,
            TextRows(locals_, local_length),
            TextRows(domains, domain_length),
        )

    def item_ranks(self, table: _Table, xs: Indices, ys: Indices, ctx: CompareContext) -> Indices:
        """The rank of each pair of addresses ``xs[i]``, ``ys[i]`` of :meth:`indexed_table`."""
        canonical, local, domain = table.canonical, table.local, table.domain
        local_length, domain_length = table.local_length, table.domain_length
        rank = np.full(len(xs), 3, dtype=np.int64)
        same_canonical = canonical[xs] == canonical[ys]
        rank[same_canonical] = 1
        rank[table.normalised[xs] == table.normalised[ys]] = 0
        same_domain = domain[xs] == domain[ys]
        by_local = np.flatnonzero(
            ~same_canonical & same_domain & (np.minimum(local_length[xs], local_length[ys]) >= 4)
        )
        by_local = by_local[one_edit(table.locals, xs[by_local], ys[by_local])]
        asked = np.concatenate([xs[by_local], ys[by_local]])
        named = _named(table.items.items, table.locals.texts, asked)
        rank[by_local[~(named[xs[by_local]] & named[ys[by_local]])]] = 2
        by_domain = np.flatnonzero(
            ~same_domain
            & (local[xs] == local[ys])
            & (np.minimum(domain_length[xs], domain_length[ys]) >= 5)
        )
        rank[by_domain[one_edit(table.domains, xs[by_domain], ys[by_domain])]] = 2
        return rank


@attrs.frozen(eq=False)
class _Table:
    """What :meth:`Emails.item_ranks` reads of the distinct values: every address laid
    flat, the codes of its normalised and canonical forms and of its canonical local part
    and domain, their lengths and texts (their rows of code points kept for every piece of
    pairs: :class:`~crmcore.dedup._batch.TextRows`)."""

    items: Flat
    normalised: Indices
    canonical: Indices
    local: Indices
    domain: Indices
    local_length: Indices
    domain_length: Indices
    locals: TextRows
    domains: TextRows


def _named(
    items: Sequence[_Email], locals_: Sequence[str], asked: Indices
) -> npt.NDArray[np.bool_]:
    """Whether each address's local part (canonical) is made of its record's name only,
    read for the items at ``asked`` (``False`` for the others)."""
    found = np.zeros(len(items), dtype=np.bool_)
    for i in np.unique(asked).tolist():
        found[i] = _name_only(locals_[i], items[i][2])
    return found


def _typo(a: str, b: str, words_a: tuple[str, ...], words_b: tuple[str, ...]) -> bool:
    """One edit apart: the local parts at one domain, unless both are the name only (their
    records' name words and initials); or the domains (5 characters or more) under one
    local part."""
    distance = _extras.rapidfuzz_distance().DamerauLevenshtein.distance
    local_a, _, domain_a = a.rpartition("@")
    local_b, _, domain_b = b.rpartition("@")
    if domain_a == domain_b:
        return (
            min(len(local_a), len(local_b)) >= 4
            and distance(local_a, local_b, score_cutoff=1) <= 1
            and not (_name_only(local_a, words_a) and _name_only(local_b, words_b))
        )
    return (
        local_a == local_b
        and min(len(domain_a), len(domain_b)) >= 5
        and distance(domain_a, domain_b, score_cutoff=1) <= 1
    )


def emails() -> Emails:
    """Compare email addresses, each record's every address, at their best pair.

    ``exact``: the same normalised address; ``canonical``: the same mailbox once case and the
    provider's rules are undone (:func:`canonical_email`); ``typo``: the same domain and local
    parts one edit apart (at least 4 characters), unless both local parts are made of the
    person's name only (its words and initials, with digits and separators: ``jane.doe``,
    ``jdoe2``), or the same local part at domains one edit apart (``exmaple.com``);
    ``different``; ``null``. Two namesakes at one provider often get such addresses
    (``robert.hughes`` and ``robert_hughes``, ``mtaylor`` and ``mtaylor2``): they agree on
    the name, which the name comparison counts already.

    >>> from crmcore import Contact, ContactIdentity, EmailAddress
    >>> def person(*addresses):
    ...     return Contact("c", ContactIdentity(emails=tuple(map(EmailAddress, addresses))))
    >>> cmp, ctx = emails(), CompareContext()
    >>> cmp(person("Jane.Doe@gmail.com"), person("janedoe+crm@googlemail.com"), ctx)
    'canonical'
    >>> cmp(person("jane.doe@example.com"), person("jnae.doe@example.com"), ctx)
    'typo'
    >>> cmp(person("jane.doe@example.com"), person("jane.doe@exmaple.com"), ctx)
    'typo'
    """
    return Emails()


_Phone = tuple[str, str | None]  # E.164, extension


@attrs.frozen
class Phones(RankedComparator[frozenset[_Phone]], Tabled[frozenset[_Phone], "_PhoneTable"]):
    """Phone numbers in E.164 form. See :func:`phones`."""

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``same_line``, ``one_digit``, ``different``, ``null``."""
        return ("exact", "same_line", "one_digit", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> frozenset[_Phone] | None:
        """Each number's E.164 form and extension; ``None`` when there is none."""
        return self.prepare_read(self.read(record, ctx), ctx)

    def read(self, record: Any, ctx: CompareContext) -> tuple[_Phone, ...]:
        """Each number's E.164 form and extension, in the record's order."""
        return tuple(map(_E164_EXTENSION, values(record, _PHONES)))

    def prepare_read(
        self, read: tuple[_Phone, ...], ctx: CompareContext
    ) -> frozenset[_Phone] | None:
        """:meth:`prepare` from :meth:`read`."""
        _extras.rapidfuzz_distance()
        return frozenset(read) or None

    def compare_prepared(
        self, left: frozenset[_Phone], right: frozenset[_Phone], ctx: CompareContext
    ) -> str:
        """The best level over every pair of numbers."""
        if not left.isdisjoint(right):
            return "exact"
        lines_left, lines_right = {e for e, _ in left}, {e for e, _ in right}
        if not lines_left.isdisjoint(lines_right):
            return "same_line"
        distance = _extras.rapidfuzz_distance().DamerauLevenshtein.distance
        for a in lines_left:
            for b in lines_right:
                if min(len(a), len(b)) >= 9 and distance(a, b, score_cutoff=1) <= 1:
                    return "one_digit"
        return "different"

    def indexed_ranks(
        self,
        values: Sequence[frozenset[_Phone]],
        left: Indices,
        right: Indices,
        ctx: CompareContext,
    ) -> Indices:
        """:meth:`compare_indexed` as positions in :attr:`levels`: the best rank of each
        pair's pairs of numbers, each number and extension a code once, ``one_digit`` found
        in arrays (:func:`~crmcore.dedup._batch.one_edit`)."""
        return table_ranks(self, self.indexed_table(values, ctx), left, right, ctx)

    def indexed_table(
        self, values: Sequence[frozenset[_Phone]], ctx: CompareContext
    ) -> _PhoneTable:
        """Every number of ``values`` laid flat, each number and extension a code."""
        items = flat(values)
        lines = [line for line, _ in items.items]
        length = lengths(lines)
        return _PhoneTable(
            items,
            codes_of(lines),
            codes_of([extension for _, extension in items.items]),
            length,
            TextRows(lines, length),
        )

    def item_ranks(
        self, table: _PhoneTable, xs: Indices, ys: Indices, ctx: CompareContext
    ) -> Indices:
        """The rank of each pair of numbers ``xs[i]``, ``ys[i]`` of :meth:`indexed_table`."""
        line, extension, length = table.line, table.extension, table.length
        same_line = line[xs] == line[ys]
        rank = np.full(len(xs), 3, dtype=np.int64)
        rank[same_line] = 1
        rank[same_line & (extension[xs] == extension[ys])] = 0
        typo = np.flatnonzero(~same_line & (np.minimum(length[xs], length[ys]) >= 9))
        if len(typo):
            rank[typo[one_edit(table.lines, xs[typo], ys[typo])]] = 2
        return rank


@attrs.frozen(eq=False)
class _PhoneTable:
    """What :meth:`Phones.item_ranks` reads of the distinct values: every number laid flat,
    the codes of its E.164 form and extension, its length and text (its rows of code points
    kept for every piece of pairs: :class:`~crmcore.dedup._batch.TextRows`)."""

    items: Flat
    line: Indices
    extension: Indices
    length: Indices
    lines: TextRows


def phones() -> Phones:
    """Compare phone numbers by their E.164 form, each record's every number, at best.

    ``exact``: same number and extension; ``same_line``: same number, another extension or
    none; ``one_digit``: one digit wrong, missing, extra or two digits swapped (numbers of 8
    digits or more); ``different``; ``null``.

    >>> from crmcore import Contact, ContactIdentity, PhoneNumber
    >>> def person(number):
    ...     return Contact("c", ContactIdentity(phones=(PhoneNumber(number, region="FR"),)))
    >>> cmp, ctx = phones(), CompareContext()
    >>> cmp(person("06 12 34 56 78"), person("+33612345678"), ctx)
    'exact'
    >>> cmp(person("06 12 34 56 78"), person("06 12 34 65 78"), ctx)
    'one_digit'
    """
    return Phones()
