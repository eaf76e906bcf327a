"""Organisation comparators: names without legal suffixes, web domains, registration numbers.

Names are the ``str`` fields of privacy category ``organisation`` holding one value (an
account's ``name`` and ``legal_name``, a contact's ``organisation``), domains those holding a
tuple (an account's ``domains``), all found through :func:`crmcore.fields`.
"""

from __future__ import annotations

import functools
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
    class_counts,
    classes_apart,
    codes_of,
    flat,
    table_ranks,
)
from crmcore.dedup._forked import threads
from crmcore.dedup._keyed import keyed_level
from crmcore.dedup._paths import Selector, values
from crmcore.dedup._text import fold, tokens
from crmcore.dedup.comparator import NULL, FieldComparator, RankedComparator
from crmcore.dedup.context import CompareContext
from crmcore.errors import InvalidValueError
from crmcore.records._meta import PrivacyCategory
from crmcore.records.values import RegistrationNumber

__all__ = [
    "LEGAL_SUFFIXES",
    "CompanyNames",
    "Domains",
    "RegistrationNumbers",
    "company_names",
    "domains",
    "normalise_domain",
    "registration_numbers",
    "strip_legal_suffixes",
]

_NAMES = Selector(str, PrivacyCategory.ORGANISATION, many=False)
_DOMAINS = Selector(str, PrivacyCategory.ORGANISATION, many=True)
_NUMBERS = Selector(RegistrationNumber)

LEGAL_SUFFIXES: frozenset[str] = frozenset(
    fold(text)
    for text in (
        # English-speaking countries
        "Inc",
        "Incorporated",
        "Corp",
        "Corporation",
        "Co",
        "Company",
        "Ltd",
        "Limited",
        "LLC",
        "L.L.C.",
        "LLP",
        "LP",
        "PLC",
        "PLLC",
        "PC",
        "Pty",
        "Pty Ltd",
        "Pvt",
        "Pvt Ltd",
        "Private Limited",
        "Co Ltd",
        "Holdings",
        # French
        "SARL",
        "SAS",
        "SASU",
        "SA",
        "S.A.",
        "SCA",
        "SNC",
        "EURL",
        "SCI",
        "SCOP",
        "SELARL",
        # German, Austrian, Swiss
        "GmbH",
        "mbH",
        "AG",
        "KG",
        "GmbH & Co KG",
        "GmbH & Co. KG",
        "OHG",
        "UG",
        "UG (haftungsbeschränkt)",
        "e.V.",
        "eG",
        "KGaA",
        # Dutch, Belgian
        "B.V.",
        "BV",
        "N.V.",
        "NV",
        "VOF",
        "BVBA",
        "CV",
        # Spanish, Portuguese, Latin American
        "S.L.",
        "SL",
        "SLU",
        "S.L.U.",
        "S.A. de C.V.",
        "SA de CV",
        "Lda",
        "Ltda",
        "S/A",
        # Italian
        "S.r.l.",
        "SRL",
        "S.p.A.",
        "SpA",
        "S.a.p.a.",
        "S.n.c.",
        "S.a.s.",
        # Nordic, Central European, Asian
        "AB",
        "AS",
        "A/S",
        "ASA",
        "ApS",
        "Oy",
        "Oyj",
        "Kft",
        "Sp. z o.o.",
        "s.r.o.",
        "a.s.",
        "K.K.",
        "Kabushiki Kaisha",
        "Pte Ltd",
        "Bhd",
        "Sdn Bhd",
    )
)
"""Legal forms, folded (``S.A.`` is ``s a``), taken off the start and end of a name."""

_LONGEST = max(len(suffix.split()) for suffix in LEGAL_SUFFIXES)


@functools.lru_cache(maxsize=65536)
def strip_legal_suffixes(name: str) -> str:
    """``name`` folded, without the legal forms at its end (and one at its start).

    A name that is nothing but a legal form is kept as it is.

    >>> strip_legal_suffixes("ACME Holdings GmbH & Co. KG")
    'acme'
    >>> strip_legal_suffixes("Dupont et Fils S.A.R.L."), strip_legal_suffixes("S.A.")
    ('dupont et fils', 's a')
    """
    words = list(tokens(name))
    if len(words) > 1 and words[0] in LEGAL_SUFFIXES:
        words = words[1:]
    changed = True
    while changed and len(words) > 1:
        changed = False
        for size in range(min(_LONGEST, len(words) - 1), 0, -1):
            tail = " ".join(words[-size:])
            if tail in LEGAL_SUFFIXES or tail.replace(" ", "") in _JOINED:
                words = words[:-size]
                changed = True
                break
    return " ".join(words) or fold(name)


_JOINED = frozenset(suffix.replace(" ", "") for suffix in LEGAL_SUFFIXES)


@attrs.frozen
class CompanyNames(RankedComparator[tuple[str, ...]], Tabled[tuple[str, ...], "_Table"]):
    """Organisation names without legal forms, token-set compared. See :func:`company_names`."""

    close: float = 90.0

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``token_subset``, ``close``, ``different``, ``null``."""
        return ("exact", "token_subset", "close", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> tuple[str, ...] | None:
        """The record's organisation names without legal forms; ``None`` when it has none."""
        return self.prepare_read(self.read(record, ctx), ctx)

    def read(self, record: Any, ctx: CompareContext) -> tuple[str, ...]:
        """The record's organisation names, as written."""
        return values(record, _NAMES)

    def prepare_read(self, read: tuple[str, ...], ctx: CompareContext) -> tuple[str, ...] | None:
        """:meth:`prepare` from :meth:`read`."""
        _extras.rapidfuzz_fuzz()
        found = sorted({strip_legal_suffixes(name) for name in read} - {""})
        return tuple(found) or None

    def compare_prepared(
        self, left: tuple[str, ...], right: tuple[str, ...], ctx: CompareContext
    ) -> str:
        """The best level over every pair of names."""
        if not set(left).isdisjoint(right):
            return "exact"
        fuzz = _extras.rapidfuzz_fuzz()
        best = 3
        for a in left:
            for b in right:
                words_a, words_b = set(a.split()), set(b.split())
                if words_a <= words_b or words_b <= words_a:
                    return "token_subset"
                if fuzz.token_set_ratio(a, b, score_cutoff=self.close):
                    best = 2
        return self.levels[best]

    def indexed_ranks(
        self,
        values: Sequence[tuple[str, ...]],
        left: Indices,
        right: Indices,
        ctx: CompareContext,
    ) -> Indices:
        """:meth:`compare_indexed` as positions in :attr:`levels`: the best rank of each
        pair's pairs of names, each name a code and a set of words once, one call of rapidfuzz
        over the pairs of unequal names (``close``, and ``token_subset`` among those it
        scores 100)."""
        return table_ranks(self, self.indexed_table(values, ctx), left, right, ctx)

    def indexed_table(self, values: Sequence[tuple[str, ...]], ctx: CompareContext) -> _Table:
        """Every name of ``values`` laid flat, each name a code and a set of words once."""
        items = flat(values)
        names: list[str] = items.items
        words = [frozenset(name.split()) for name in names]
        counts, length = _letter_counts(words)
        total = counts.sum(axis=1, dtype=np.int64)
        return _Table(items, codes_of(names), words, counts, total, length)

    def item_ranks(self, table: _Table, xs: Indices, ys: Indices, ctx: CompareContext) -> Indices:
        """The rank of each pair of names ``xs[i]``, ``ys[i]`` of :meth:`indexed_table`:
        one call of rapidfuzz over the pairs of names not equal, then the words of those
        it scores 100 only.

        A name's words are among the other's only where rapidfuzz's token-set ratio is 100
        (one's words a subset of the other's: the names are folded words joined by single
        spaces, split there by both), so the subsets are looked for among those pairs, few,
        not among every pair (at a million contacts, most pairs are of two names never
        compared before). Only the pairs :func:`_may_be_close` are scored by rapidfuzz: the
        others cannot reach ``close`` (a few in a thousand of a million contacts' pairs can)."""
        code, names = table.code, table.items.items
        rank = np.full(len(xs), 3, dtype=np.int64)
        rank[code[xs] == code[ys]] = 0
        rest = np.flatnonzero(rank)
        rest = rest[_may_be_close(table, xs[rest], ys[rest], self.close)]
        if not len(rest):
            return rank
        scores = np.asarray(
            _extras.rapidfuzz_process().cpdist(
                [names[i] for i in xs[rest].tolist()],
                [names[i] for i in ys[rest].tolist()],
                scorer=_extras.rapidfuzz_fuzz().token_set_ratio,
                score_cutoff=self.close,
                workers=threads(),
            )
        )
        rank[rest[scores > 0]] = 2
        full = rest[scores >= 100]
        rank[full[_subset(table, xs[full], ys[full])]] = 1
        return rank


@attrs.frozen(eq=False)
class _Table:
    """What :meth:`CompanyNames.item_ranks` reads of the distinct values: every name laid
    flat, its code, its words, and its words' characters counted (:func:`_letter_counts`)."""

    items: Flat
    code: Indices
    words: list[frozenset[str]]
    counts: npt.NDArray[np.uint8]
    total: Indices
    length: Indices


def _letter_counts(words: Sequence[frozenset[str]]) -> tuple[npt.NDArray[np.uint8], Indices]:
    """For each name's set of words: its characters counted by class (:func:`class_counts`)
    and the length of its words joined by single spaces."""
    length = np.array(
        [sum(map(len, found)) + max(0, len(found) - 1) for found in words], dtype=np.int64
    )
    return class_counts(["".join(found) for found in words]), length


def _may_be_close(table: _Table, xs: Indices, ys: Indices, close: float) -> npt.NDArray[np.bool_]:
    """Where rapidfuzz's token-set ratio of names ``xs[i]``, ``ys[i]`` may reach ``close``:
    ``False`` only where it cannot.

    The ratio is the best of three: the words of one name only against those of the other
    only, after the words they share (an Indel distance of at least the characters they do
    not have in common, counted by class: :func:`_letter_counts`, over the length of both
    sets of words joined), and the shared words against each name's (the distance then one
    more than the length of that name's own words, at least the characters of its classes
    the other has fewer of). A name whose words are among the other's scores 100: it has
    no such characters. Each bound is taken with one character to spare (the ratio's
    rounding). The words are those rapidfuzz splits the names into: prepared names hold no
    whitespace but single spaces (:func:`~crmcore.dedup._text.tokens`), where Python and
    rapidfuzz split alike."""
    if not len(xs):
        return np.zeros(0, dtype=np.bool_)
    spare = max(0.0, 1.0 - close / 100.0)  # a ``close`` above 100 (or NaN): subsets only
    found = np.zeros(len(xs), dtype=np.bool_)
    step = 1 << 16
    for start in range(0, len(xs), step):
        x, y = xs[start : start + step], ys[start : start + step]
        apart = classes_apart(table.counts, x, y)
        larger = table.total[x] - table.total[y]  # apart is the more of x's and the fewer
        more = (apart + larger) // 2  # of x's, at least: its own words
        fewer = (apart - larger) // 2  # of y's
        length_x, length_y = table.length[x], table.length[y]
        found[start : start + step] = (
            (more + fewer <= spare * (length_x + length_y) + 1)
            | (1 + more <= spare * (2 * length_x - 1 - more) + 1)
            | (1 + fewer <= spare * (2 * length_y - 1 - fewer) + 1)
        )
    return found


def _subset(table: _Table, xs: Indices, ys: Indices) -> npt.NDArray[np.bool_]:
    """Where the words of name ``xs[i]`` are among those of ``ys[i]`` or the other way."""
    words = table.words
    return np.fromiter(
        (
            words[a] <= words[b] or words[b] <= words[a]
            for a, b in zip(xs.tolist(), ys.tolist(), strict=True)
        ),
        dtype=np.bool_,
        count=len(xs),
    )


def company_names(close: float = 90.0) -> CompanyNames:
    """Compare organisation names without legal forms (Inc, Ltd, GmbH, SARL, S.A., B.V., ...).

    ``exact``: equal once folded and stripped; ``token_subset``: one's words are among the
    other's (ACME and ACME Europe); ``close``: rapidfuzz's token-set ratio of at least
    ``close`` (of 100); ``different``; ``null``. Every name field counts (trading and legal
    names), at their best pair.

    >>> from crmcore import Account, AccountIdentity
    >>> a = Account("a-1", AccountIdentity(name="Globex Corporation"))
    >>> b = Account("a-2", AccountIdentity(legal_name="GLOBEX CORP."))
    >>> company_names()(a, b, CompareContext())
    'exact'
    """
    if isinstance(close, bool) or not isinstance(close, (int, float)) or not 0 < close <= 100:
        raise InvalidValueError("close is a ratio between 0 and 100", field="close")
    return CompanyNames(float(close))


_SCHEME = re.compile(r"\A[a-z][a-z0-9+.-]*://")


@functools.lru_cache(maxsize=65536)
def normalise_domain(text: str) -> str:
    """A web domain in lower case, without scheme, ``www.``, port, path or final dot.

    >>> normalise_domain("HTTPS://www.Example.COM:443/contact")
    'example.com'
    """
    domain = _SCHEME.sub("", text.strip().lower())
    domain = re.split(r"[/?#]", domain, maxsplit=1)[0].rpartition("@")[2]
    domain = domain.split(":", 1)[0].strip().rstrip(".")
    return domain.removeprefix("www.")


_SECOND_LEVEL = frozenset(("co", "com", "org", "net", "ac", "gov", "ltd", "plc"))


def _label(domain: str) -> str:
    """The name part of a domain: ``acme`` in ``acme.com``, ``acme.co.uk``, ``shop.acme.de``."""
    labels = domain.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


@attrs.frozen
class Domains(FieldComparator[frozenset[str]]):
    """Web domains, normalised. See :func:`domains`."""

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``same_name``, ``different``, ``null``."""
        return ("exact", "same_name", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> frozenset[str] | None:
        """The record's normalised domains; ``None`` when it has none."""
        found = frozenset(normalise_domain(text) for text in values(record, _DOMAINS)) - {""}
        return found or None

    def compare_prepared(
        self, left: frozenset[str], right: frozenset[str], ctx: CompareContext
    ) -> str:
        """``exact`` on a shared domain, ``same_name`` on a shared name in another zone."""
        if not left.isdisjoint(right):
            return "exact"
        if not {_label(d) for d in left}.isdisjoint({_label(d) for d in right}):
            return "same_name"
        return "different"


def domains() -> Domains:
    """Compare web domains: ``exact``, ``same_name`` (acme.com and acme.co.uk), ``different``.

    >>> from crmcore import Account, AccountIdentity
    >>> a = Account("a-1", AccountIdentity(domains=("https://www.acme.com/",)))
    >>> b = Account("a-2", AccountIdentity(domains=("acme.co.uk", "ACME.com")))
    >>> domains()(a, b, CompareContext())
    'exact'
    """
    return Domains()


def _number_key(number: RegistrationNumber) -> tuple[str, str]:
    value = re.sub(r"[^0-9A-Za-z]", "", number.value).upper()
    country = (number.country or "").upper()
    if country and value.startswith(country) and len(value) > len(country):
        value = value[len(country) :]  # FR12345678901 written with or without its prefix
    return fold(number.scheme), value


@attrs.frozen
class RegistrationNumbers(FieldComparator[dict[str, frozenset[str]]]):
    """Registration numbers of a shared scheme. See :func:`registration_numbers`."""

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``different``, ``null``."""
        return ("exact", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> dict[str, frozenset[str]] | None:
        """The record's numbers by folded scheme; ``None`` when it has none."""
        found: dict[str, set[str]] = {}
        for number in values(record, _NUMBERS):
            scheme, value = _number_key(number)
            if value:
                found.setdefault(scheme, set()).add(value)
        return {scheme: frozenset(v) for scheme, v in found.items()} or None

    def compare_prepared(
        self, left: dict[str, frozenset[str]], right: dict[str, frozenset[str]], ctx: CompareContext
    ) -> str:
        """``exact`` on a shared number, ``different`` when a shared scheme has other numbers."""
        return keyed_level(left, right)


def registration_numbers() -> RegistrationNumbers:
    """Compare registration numbers (VAT, SIREN, company register) scheme by scheme.

    Numbers are compared without spaces, dots or dashes, a VAT number with or without its
    country prefix. ``exact``: a number in common; ``different``: a scheme in common, no
    number; ``null``: no scheme in common.

    >>> from crmcore import Account, AccountIdentity
    >>> from crmcore.records import RegistrationNumber
    >>> def account(value):
    ...     number = RegistrationNumber(scheme="VAT", value=value, country="FR")
    ...     return Account("a", AccountIdentity(registration_numbers=(number,)))
    >>> cmp = registration_numbers()
    >>> cmp(account("FR 40 303 265 045"), account("40303265045"), CompareContext())
    'exact'
    """
    return RegistrationNumbers()
