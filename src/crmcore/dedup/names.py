"""Person-name comparators: given names through nicknames, family names, swapped names.

They read the record's :class:`~crmcore.PersonName` fields, found through
:func:`crmcore.fields` (a contact's ``identity.name``), and compare folded text (case,
accents and punctuation do not count: ``Élodie`` is ``elodie``, ``J.-P.`` is ``j p``).
:func:`person_names` combines the parts the way record linkage usually does (exact, swapped,
nickname, close, one part only) and is the name comparison of :func:`default_comparisons
<crmcore.dedup.default_comparisons>`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from crmcore.dedup import _exact_u, _extras
from crmcore.dedup._batch import Indices
from crmcore.dedup._forked import threads
from crmcore.dedup._paths import Selector, values
from crmcore.dedup._text import fold
from crmcore.dedup.comparator import NULL, FieldComparator, RankedComparator
from crmcore.dedup.context import CompareContext
from crmcore.dedup.nicknames import Nicknames, default_nicknames
from crmcore.dedup.strings import PhoneticAlgorithm, phonetic_code
from crmcore.records.values import PersonName

__all__ = [
    "FamilyNames",
    "GivenNames",
    "MiddleNames",
    "PersonNames",
    "SwappedNames",
    "family_names",
    "given_names",
    "middle_names",
    "person_names",
    "swapped_names",
]

_NAMES = Selector(PersonName)
_Parts = tuple[str | None, str | None]

GIVEN_LEVELS = ("exact", "nickname", "initials", "close", "different", NULL)
FAMILY_LEVELS = ("exact", "typo", "phonetic", "close", "different", NULL)
_DIFFERENT = 4


def _parts(record: Any) -> _Parts | None:
    """The folded given and family names of the record's first name that has one."""
    return _parts_read(_read_parts(record))


def _read_parts(record: Any) -> tuple[tuple[str | None, str | None], ...]:
    """The given and family names of each of the record's names, as written: what
    :func:`_parts` folds."""
    return tuple([(name.given, name.family) for name in values(record, _NAMES)])


def _parts_read(read: tuple[tuple[str | None, str | None], ...]) -> _Parts | None:
    """:func:`_parts` of what :func:`_read_parts` read."""
    for given_text, family_text in read:
        given = fold(given_text) if given_text else ""
        family = fold(family_text) if family_text else ""
        if given or family:
            return (given or None, family or None)
    return None


def _read_middles(record: Any) -> tuple[str, ...]:
    """The middle names of the record's names, as written (empty ones left out)."""
    return tuple([name.middle for name in values(record, _NAMES) if name.middle])


def _middle_read(read: tuple[str, ...]) -> str | None:
    """The folded middle name of the first of the middle names read that has one."""
    for text in read:
        if middle := fold(text):
            return middle
    return None


def _initials(text: str) -> str:
    return "".join(word[0] for word in text.split())


def _only_initials(text: str) -> bool:
    return all(len(word) == 1 for word in text.split())


def _given_rank(a: str, b: str, nicknames: Nicknames) -> int:
    """0 exact, 1 nickname, 2 initials, 3 close, 4 different; symmetric."""
    if a == b:
        return 0
    return _given_rank_of(a, b, nicknames) if a < b else _given_rank_of(b, a, nicknames)


@functools.lru_cache(maxsize=65536)
def _given_rank_of(a: str, b: str, nicknames: Nicknames) -> int:
    if nicknames.same(a, b) or nicknames.same_misspelt(a, b):
        return 1
    for short, long in ((a, b), (b, a)):
        if _only_initials(short) and _initials(long).startswith(short.replace(" ", "")):
            return 2
    words_a, words_b = set(a.split()), set(b.split())
    if words_a <= words_b or words_b <= words_a:
        return 3
    if _extras.rapidfuzz_distance().JaroWinkler.similarity(a, b) >= 0.92:
        return 3
    return _DIFFERENT


def _family_rank(a: str, b: str) -> int:
    """0 exact, 1 typo, 2 phonetic, 3 close, 4 different; symmetric."""
    if a == b:
        return 0
    return _family_rank_of(a, b) if a < b else _family_rank_of(b, a)


@functools.lru_cache(maxsize=65536)
def _family_rank_of(a: str, b: str) -> int:
    distance = _extras.rapidfuzz_distance()
    shortest = min(len(a), len(b))
    if shortest >= 4 and distance.DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1:
        return 1
    if shortest >= 3 and (
        phonetic_code(a, "nysiis") == phonetic_code(b, "nysiis")
        or phonetic_code(a, "metaphone") == phonetic_code(b, "metaphone")
    ):
        return 2
    words_a, words_b = set(a.split()), set(b.split())
    if words_a <= words_b or words_b <= words_a:
        return 3
    if distance.JaroWinkler.similarity(a, b) >= 0.88:
        return 3
    return _DIFFERENT


def _crossed(left: _Parts, right: _Parts, nicknames: Nicknames) -> bool:
    """Whether each side's given name is the other's family name, exactly or nearly.

    Nearly: each crossed pair of parts equal or near (nicknames, initials or close as given
    names, or one typo apart as family names): a swap entered with a typo on top, on one
    part or on both. With one crossed pair equal, the other may also be a typo or two apart
    (:func:`_typos_apart`).
    """
    (g1, f1), (g2, f2) = left, right
    if not (g1 and f1 and g2 and f2):
        return False
    if g1 == f2:
        return _near_part(f1, g2, nicknames) or _typos_apart(f1, g2)
    if f1 == g2:
        return _near_part(g1, f2, nicknames) or _typos_apart(g1, f2)
    return _near_part(g1, f2, nicknames) and _near_part(f1, g2, nicknames)


def _typos_apart(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are as far apart as a typo or two: Damerau-Levenshtein 1 (both
    at least 3 letters, or a letter dropped from a name of 3: ``La`` and ``Lea``) or 2 (both
    at least 4).

    Read only when the other crossed pair of parts is equal: a swap whose moved part also
    took a typo or two (a typo in a given name, then another when the swapped record was
    entered), too far for :func:`_near_part` on a short name (``Ana`` and ``Aan``). Two
    names of 2 letters are never a typo apart: a letter changed in them leaves too little.
    """
    shortest = min(len(a), len(b))
    if shortest < 2 or (shortest == 2 and max(len(a), len(b)) != 3):
        return False
    limit = 1 if shortest < 4 else 2
    distance = _extras.rapidfuzz_distance().DamerauLevenshtein
    return bool(distance.distance(a, b, score_cutoff=limit) <= limit)


def _near_part(a: str, b: str, nicknames: Nicknames) -> bool:
    return a == b or _given_rank(a, b, nicknames) <= 3 or _family_rank(a, b) <= 1


_Read = tuple[tuple[str | None, str | None], ...]


class _Names(FieldComparator[_Parts]):
    __slots__ = ()

    def prepare(self, record: Any, ctx: CompareContext) -> _Parts | None:
        """The folded given and family names; ``None`` when the record has neither (or not
        the part this comparator compares)."""
        _extras.rapidfuzz_distance()  # the missing extra named before the record is read
        return self.prepare_read(self.read(record, ctx), ctx)

    def read(self, record: Any, ctx: CompareContext) -> _Read:
        """The given and family names of each of the record's names, as written."""
        return _read_parts(record)

    def prepare_read(self, read: _Read, ctx: CompareContext) -> _Parts | None:
        """:meth:`prepare` from :meth:`read`."""
        _extras.rapidfuzz_distance()
        return self._kept(_parts_read(read))

    def _kept(self, parts: _Parts | None) -> _Parts | None:
        """The prepared names, or ``None`` when the part compared is missing."""
        return parts


@attrs.frozen
class GivenNames(_Names):
    """Given names through a nickname table. See :func:`given_names`."""

    nicknames: Nicknames = attrs.field(factory=default_nicknames, repr=False)

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``nickname``, ``initials``, ``close``, ``different``, ``null``."""
        return GIVEN_LEVELS

    def _kept(self, parts: _Parts | None) -> _Parts | None:
        """The folded names, ``None`` when there is no given name."""
        return parts if parts is not None and parts[0] is not None else None

    def compare_prepared(self, left: _Parts, right: _Parts, ctx: CompareContext) -> str:
        """The level of two given names."""
        given_left, given_right = left[0] or "", right[0] or ""
        return GIVEN_LEVELS[_given_rank(given_left, given_right, self.nicknames)]


def given_names(nicknames: Nicknames | None = None) -> GivenNames:
    """Compare given names: exact, then nicknames and diminutives, initials, close.

    ``nickname``: one row of the nickname table lists both (Bob and Robert, Paco and
    Francisco, JP and Jean-Pierre), or one side is a name the table does not know, one typo
    from a name in a group of the other's (Caterine and Kate; see
    :meth:`Nicknames.same_misspelt <crmcore.dedup.Nicknames.same_misspelt>`). ``initials``:
    one side is initials only and they begin the other's (J. and John, J.-P. and Jean-Paul).
    ``close``: one side's words are among the other's (Mary and Mary Ann), or Jaro-Winkler
    similarity of at least 0.92.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(given):
    ...     return Contact("c", ContactIdentity(name=PersonName(given=given)))
    >>> ctx, cmp = CompareContext(), given_names()
    >>> [cmp(person(a), person(b), ctx) for a, b in [("Bob", "Robert"), ("J.", "John")]]
    ['nickname', 'initials']
    """
    return GivenNames(default_nicknames() if nicknames is None else nicknames)


@attrs.frozen
class MiddleNames(FieldComparator[str]):
    """Middle names, compared as given names. See :func:`middle_names`."""

    nicknames: Nicknames = attrs.field(factory=default_nicknames, repr=False)

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``nickname``, ``initials``, ``close``, ``different``, ``null``."""
        return GIVEN_LEVELS

    def prepare(self, record: Any, ctx: CompareContext) -> str | None:
        """The folded middle name, ``None`` when there is none."""
        _extras.rapidfuzz_distance()  # the missing extra named before the record is read
        return self.prepare_read(self.read(record, ctx), ctx)

    def read(self, record: Any, ctx: CompareContext) -> tuple[str, ...]:
        """The middle names of the record's names, as written."""
        return _read_middles(record)

    def prepare_read(self, read: tuple[str, ...], ctx: CompareContext) -> str | None:
        """:meth:`prepare` from :meth:`read`."""
        _extras.rapidfuzz_distance()
        return _middle_read(read)

    def compare_prepared(self, left: str, right: str, ctx: CompareContext) -> str:
        """The level of two middle names."""
        return GIVEN_LEVELS[_given_rank(left, right, self.nicknames)]


def middle_names(nicknames: Nicknames | None = None) -> MiddleNames:
    """Compare middle names with the levels of :func:`given_names`.

    Two people of one name at one firm are told apart by a middle name where both records
    have one; one person's records rarely disagree on it. Most records have none: the
    comparison is ``null`` then and weighs nothing.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(middle):
    ...     name = PersonName(given="Ann", family="Lee", middle=middle)
    ...     return Contact("c", ContactIdentity(name=name))
    >>> ctx, cmp = CompareContext(), middle_names()
    >>> [cmp(person(a), person(b), ctx) for a, b in [("Marie", "MARIE"), ("M.", "Marie")]]
    ['exact', 'initials']
    >>> cmp(person("Marie"), person(None), ctx)
    'null'
    """
    return MiddleNames(default_nicknames() if nicknames is None else nicknames)


@attrs.frozen
class FamilyNames(_Names):
    """Family names: exact, one typo, same sound, close. See :func:`family_names`."""

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``typo``, ``phonetic``, ``close``, ``different``, ``null``."""
        return FAMILY_LEVELS

    def _kept(self, parts: _Parts | None) -> _Parts | None:
        """The folded names, ``None`` when there is no family name."""
        return parts if parts is not None and parts[1] is not None else None

    def compare_prepared(self, left: _Parts, right: _Parts, ctx: CompareContext) -> str:
        """The level of two family names."""
        return FAMILY_LEVELS[_family_rank(left[1] or "", right[1] or "")]


def family_names() -> FamilyNames:
    """Compare family names: exact, one typo, same sound, close.

    ``typo``: Damerau-Levenshtein distance 1, both at least 4 letters (Dupont and Dupond).
    ``phonetic``: same NYSIIS or metaphone code, both at least 3 letters (Catherine and
    Kathryn; Li and Le are too short to tell). ``close``: one side's
    words are among the other's (García and García López), or Jaro-Winkler of at least 0.88.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(family):
    ...     return Contact("c", ContactIdentity(name=PersonName(family=family)))
    >>> ctx, cmp = CompareContext(), family_names()
    >>> [cmp(person(a), person(b), ctx) for a, b in [("Müller", "MULLER"), ("Smith", "Smyth")]]
    ['exact', 'typo']
    """
    return FamilyNames()


@attrs.frozen
class SwappedNames(_Names):
    """Given and family names in the same order, swapped, or neither. See :func:`swapped_names`."""

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``swapped``, ``different``, ``null``."""
        return ("exact", "swapped", "different", NULL)

    def _kept(self, parts: _Parts | None) -> _Parts | None:
        """The folded names, ``None`` unless both parts are there."""
        return parts if parts is not None and None not in parts else None

    def compare_prepared(self, left: _Parts, right: _Parts, ctx: CompareContext) -> str:
        """``swapped`` when each side's given name is the other's family name."""
        if left == right:
            return "exact"
        return "swapped" if left == right[::-1] else "different"

    def count_levels(self, counts: Mapping[_Parts, int], ctx: CompareContext) -> dict[str, int]:
        """The pairs of the names counted at ``swapped``, over every pair (see
        :class:`~crmcore.dedup.comparator.CountedLevels`)."""
        compare = functools.partial(self.compare_prepared, ctx=ctx)
        return _exact_u.name_level_counts(counts, compare)


def swapped_names() -> SwappedNames:
    """Compare names in order: ``exact``, ``swapped`` (given and family exchanged), else.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> a = Contact("c-1", ContactIdentity(name=PersonName(given="Wei", family="Zhang")))
    >>> b = Contact("c-2", ContactIdentity(name=PersonName(given="ZHANG", family="Wei")))
    >>> swapped_names()(a, b, CompareContext())
    'swapped'
    """
    return SwappedNames()


PERSON_LEVELS = (
    "exact",
    "swapped",
    "nickname",
    "typo",
    "close",
    "family_only",
    "given_only",
    "different",
    NULL,
)


def _text_pairs(
    texts: list[str], left: Indices, right: Indices, answer: Callable[[str, str], int]
) -> Indices:
    """``answer(texts[left[i]], texts[right[i]])`` for each ``i``, one call a pair."""
    return np.fromiter(
        (answer(texts[a], texts[b]) for a, b in zip(left.tolist(), right.tolist(), strict=True)),
        dtype=np.int64,
        count=len(left),
    )


def _distinct_pairs(left: Indices, right: Indices, width: int) -> tuple[Indices, Indices, Indices]:
    """The distinct pairs of codes below ``width`` (``a``, ``b``) and where each pair is in
    them (``inverse``)."""
    keys, inverse = np.unique(left * width + right, return_inverse=True)
    a, b = np.divmod(keys, width)
    return a, b, inverse.reshape(-1)


@attrs.frozen(eq=False)
class _Texts:
    """The parts of names compared in arrays: each text once, and what the ranks read of it
    (:func:`_given_ranks`, :func:`_family_ranks`)."""

    texts: list[str]
    nicknames: Nicknames
    length: Indices
    words: Any
    """True where the text is not one word: its words are compared as sets, one pair at a
    time."""
    word_sets: list[frozenset[str]]
    """The words of each text."""
    initials: Any
    """True where the text is initials only: compared as initials, one pair at a time."""
    misspelt: Any
    """True where the table reads the text as a misspelt name: one pair at a time."""
    key: Indices
    """The code of the text folded (the key of the nickname table)."""
    group: list[frozenset[int] | None]
    """The nickname groups of each text (``None``: the table does not know it)."""
    known: Any
    """True where the table knows the text (it has groups)."""
    nysiis: Indices
    """The code of each text's NYSIIS code."""
    metaphone: Indices
    """The code of each text's metaphone code."""
    order: Indices
    """The place of each text among them sorted: a pair is scored smaller text first, as
    :func:`_given_rank` and :func:`_family_rank` score it (the same float, to the last bit)."""

    @classmethod
    def of(cls, texts: list[str], nicknames: Nicknames) -> _Texts:
        folded = [fold(text) for text in texts]
        groups = [nicknames.groups.get(key) for key in folded]
        keys: dict[str, int] = {}
        sounds: dict[str, int] = {}
        return cls(
            texts,
            nicknames,
            np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)),
            np.array([text.split() != [text] for text in texts], dtype=np.bool_),
            [frozenset(text.split()) for text in texts],
            np.array([_only_initials(text) for text in texts], dtype=np.bool_),
            np.array([bool(nicknames.misspelt(text)) for text in texts], dtype=np.bool_),
            np.array([keys.setdefault(key, len(keys)) for key in folded], dtype=np.int64),
            groups,
            np.array([found is not None for found in groups], dtype=np.bool_),
            _sound_codes(texts, "nysiis", sounds),
            _sound_codes(texts, "metaphone", sounds),
            _places(texts),
        )

    def similar(self, a: Indices, b: Indices, scorer: Any, cutoff: float) -> Any:
        """Where ``texts[a[i]]`` and ``texts[b[i]]`` score at least ``cutoff`` (one call of
        rapidfuzz over every pair)."""
        if not len(a):
            return np.zeros(0, dtype=np.bool_)
        texts = self.texts
        a, b = (
            np.where(self.order[a] < self.order[b], a, b),
            np.where(self.order[a] < self.order[b], b, a),
        )
        found = _extras.rapidfuzz_process().cpdist(
            [texts[i] for i in a.tolist()],
            [texts[i] for i in b.tolist()],
            scorer=scorer,
            dtype=np.float64,
            workers=threads(),
        )
        return np.asarray(found >= cutoff)

    def edits(self, a: Indices, b: Indices, limit: int) -> Indices:
        """The Damerau-Levenshtein distance of ``texts[a[i]]`` and ``texts[b[i]]``, ``limit +
        1`` where it is above ``limit``."""
        if not len(a):
            return np.zeros(0, dtype=np.int64)
        texts = self.texts
        found = _extras.rapidfuzz_process().cpdist(
            [texts[i] for i in a.tolist()],
            [texts[i] for i in b.tolist()],
            scorer=_extras.rapidfuzz_distance().DamerauLevenshtein.distance,
            score_cutoff=limit,
            dtype=np.int64,
            workers=threads(),
        )
        return np.asarray(found, dtype=np.int64)

    def shortest(self, a: Indices, b: Indices) -> Indices:
        return np.asarray(np.minimum(self.length[a], self.length[b]))


def _sound_codes(texts: list[str], kind: PhoneticAlgorithm, codes: dict[str, int]) -> Indices:
    """The code in ``codes`` (added there when new) of each text's phonetic code."""
    number = codes.setdefault
    found = (number(phonetic_code(text, kind), len(codes)) for text in texts)
    return np.fromiter(found, dtype=np.int64, count=len(texts))


def _places(texts: list[str]) -> Indices:
    """The place of each of ``texts`` among them sorted."""
    found = np.empty(len(texts), dtype=np.int64)
    found[sorted(range(len(texts)), key=texts.__getitem__)] = np.arange(len(texts))
    return found


def _given_ranks(texts: _Texts, left: Indices, right: Indices) -> Indices:
    """:func:`_given_rank` of ``texts[left[i]]`` and ``texts[right[i]]`` for each ``i``."""
    a, b, inverse = _distinct_pairs(left, right, len(texts.texts))
    ranks = np.full(len(a), _DIFFERENT, dtype=np.int64)
    rest = np.flatnonzero(a != b)
    x, y = a[rest], b[rest]
    nickname = _nicknames(texts, x, y)
    ranks[rest[nickname]] = 1
    # initials only on one side, one pair at a time; then words among the other's
    at = np.flatnonzero(~nickname & (texts.initials[x] | texts.initials[y]))
    initials = _text_pairs(texts.texts, x[at], y[at], _initials_of).astype(np.bool_)
    ranks[rest[at[initials]]] = 2
    left_out = nickname.copy()
    left_out[at[initials]] = True
    ranks[rest[_close(texts, x, y, left_out, 0.92)]] = 3
    ranks[a == b] = 0
    return np.asarray(ranks[inverse], dtype=np.int64)


def _initials_of(a: str, b: str) -> int:
    """Whether one side is initials only and they begin the other's (as :func:`_given_rank`
    reads ``initials``)."""
    for short, long in ((a, b), (b, a)):
        if _only_initials(short) and _initials(long).startswith(short.replace(" ", "")):
            return 1
    return 0


def _nicknames(texts: _Texts, x: Indices, y: Indices) -> Any:
    """Where ``texts[x[i]]`` and ``texts[y[i]]`` are nicknames: one row of the table, or a
    misspelt name against one it knows (:meth:`Nicknames.same`, :meth:`Nicknames.same_misspelt`)."""
    group = texts.group
    nickname = texts.key[x] == texts.key[y]
    known = np.flatnonzero(~nickname & texts.known[x] & texts.known[y])
    nickname[known] = np.fromiter(
        (
            not group[i].isdisjoint(group[j])
            for i, j in zip(x[known].tolist(), y[known].tolist(), strict=True)
        ),
        dtype=np.bool_,
        count=len(known),
    )
    misspelt = (texts.misspelt[x] & texts.known[y]) | (texts.misspelt[y] & texts.known[x])
    misspelt = np.flatnonzero(misspelt & ~nickname)
    same = texts.nicknames.same_misspelt
    nickname[misspelt] = _text_pairs(texts.texts, x[misspelt], y[misspelt], same).astype(bool)
    return nickname


def _close(texts: _Texts, x: Indices, y: Indices, ranked: Any, cutoff: float) -> Indices:
    """The places of the pairs not ``ranked`` before whose words are among the other's, or
    whose Jaro-Winkler similarity is at least ``cutoff``."""
    at = np.flatnonzero(~ranked & (texts.words[x] | texts.words[y]))
    words = texts.word_sets
    among = np.fromiter(
        (
            words[i] <= words[j] or words[j] <= words[i]
            for i, j in zip(x[at].tolist(), y[at].tolist(), strict=True)
        ),
        dtype=np.bool_,
        count=len(at),
    )
    close = np.zeros(len(x), dtype=np.bool_)
    close[at[among]] = True
    other = np.flatnonzero(~ranked & ~close)
    jaro = _extras.rapidfuzz_distance().JaroWinkler.similarity
    close[other[texts.similar(x[other], y[other], jaro, cutoff)]] = True
    return np.flatnonzero(close)


def _family_ranks(texts: _Texts, left: Indices, right: Indices) -> Indices:
    """:func:`_family_rank` of ``texts[left[i]]`` and ``texts[right[i]]`` for each ``i``."""
    a, b, inverse = _distinct_pairs(left, right, len(texts.texts))
    ranks = np.full(len(a), _DIFFERENT, dtype=np.int64)
    rest = np.flatnonzero(a != b)
    x, y = a[rest], b[rest]
    rank = np.full(len(rest), _DIFFERENT, dtype=np.int64)
    shortest = texts.shortest(x, y)
    near = np.flatnonzero((shortest >= 4) & (np.abs(texts.length[x] - texts.length[y]) <= 1))
    rank[near[texts.edits(x[near], y[near], 1) <= 1]] = 1
    sound = (texts.nysiis[x] == texts.nysiis[y]) | (texts.metaphone[x] == texts.metaphone[y])
    rank[(rank > 1) & (shortest >= 3) & sound] = 2
    rank[_close(texts, x, y, rank <= 2, 0.88)] = 3
    ranks[rest] = rank
    ranks[a == b] = 0
    return np.asarray(ranks[inverse], dtype=np.int64)


def _typos_apart_all(texts: _Texts, left: Indices, right: Indices) -> Any:
    """:func:`_typos_apart` of ``texts[left[i]]`` and ``texts[right[i]]`` for each ``i``."""
    shortest = texts.shortest(left, right)
    longest = np.maximum(texts.length[left], texts.length[right])
    limit = np.where(shortest < 4, 1, 2)
    found = np.zeros(len(left), dtype=np.bool_)
    at = np.flatnonzero((shortest >= 3) | ((shortest == 2) & (longest == 3)))
    found[at] = texts.edits(left[at], right[at], 2) <= limit[at]
    return found


def _part_codes(values: Sequence[_Parts]) -> tuple[list[str], Indices, Indices]:
    """Every part of the names (given and family ones together) once, and the code in it of
    each name's given and family name (``-1``: none)."""
    number: dict[str, int] = {}
    code = number.setdefault
    given = np.fromiter(
        (-1 if g is None else code(g, len(number)) for g, _ in values),
        dtype=np.int64,
        count=len(values),
    )
    family = np.fromiter(
        (-1 if f is None else code(f, len(number)) for _, f in values),
        dtype=np.int64,
        count=len(values),
    )
    return list(number), given, family


def _person_ranks(
    values: Sequence[_Parts], left: Indices, right: Indices, nicknames: Nicknames
) -> Indices:
    """:meth:`PersonNames.compare_prepared` of each pair as a position in its levels: each
    pair of parts compared once, in arrays (:func:`_given_ranks`, :func:`_family_ranks`),
    the levels read in the order :meth:`~PersonNames.compare_prepared` reads them."""
    words, given, family = _part_codes(values)
    texts = _Texts.of(words, nicknames)
    g1, f1, g2, f2 = given[left], family[left], given[right], family[right]
    has_given, has_family = (g1 >= 0) & (g2 >= 0), (f1 >= 0) & (f2 >= 0)
    given_rank = np.full(len(left), -1, dtype=np.int64)
    family_rank = np.full(len(left), -1, dtype=np.int64)
    at = np.flatnonzero(has_given)
    given_rank[at] = _given_ranks(texts, g1[at], g2[at])
    at = np.flatnonzero(has_family)
    family_rank[at] = _family_ranks(texts, f1[at], f2[at])
    ranks = np.full(len(left), -1, dtype=np.int64)
    both = has_given & has_family

    def rank(where: Any, level: str) -> None:
        """Rank ``level`` where ``where`` and no level was given before."""
        ranks[where & (ranks < 0)] = PERSON_LEVELS.index(level)

    rank(~has_given & ~has_family, NULL)
    rank(((g1 == g2) & (f1 == f2)) | ((given_rank == 0) & (family_rank == 0)), "exact")
    four = (g1 >= 0) & (f1 >= 0) & (g2 >= 0) & (f2 >= 0)
    rank(four & (g1 == f2) & (f1 == g2), "swapped")
    rank(both & (family_rank <= 1) & ((given_rank == 1) | (given_rank == 2)), "nickname")
    rank(both & (given_rank == 0) & (family_rank == 1), "typo")
    at = np.flatnonzero(both & (family_rank == 0) & (ranks < 0))
    ranks[at[_family_ranks(texts, g1[at], g2[at]) == 1]] = PERSON_LEVELS.index("typo")
    rank(both & (family_rank <= 3) & (given_rank <= 3), "close")
    at = np.flatnonzero(four & (ranks < 0))
    crossed = _crossed_codes(texts, (g1[at], f1[at], g2[at], f2[at]))
    ranks[at[crossed]] = PERSON_LEVELS.index("swapped")
    rank(has_family & (family_rank <= 1) & ~has_given, "family_only")
    rank(~has_family & has_given & (given_rank <= 1), "given_only")
    rank(ranks < 0, "different")
    return ranks


def _crossed_codes(texts: _Texts, parts: tuple[Indices, Indices, Indices, Indices]) -> Any:
    """:func:`_crossed` of pairs of names of four parts, given as the codes of their parts."""
    g1, f1, g2, f2 = parts

    def near(a: Indices, b: Indices) -> Any:
        """:func:`_near_part` of each pair."""
        return (a == b) | (_given_ranks(texts, a, b) <= 3) | (_family_ranks(texts, a, b) <= 1)

    first, second = g1 == f2, (g1 != f2) & (f1 == g2)
    crossed = np.zeros(len(g1), dtype=np.bool_)
    at = np.flatnonzero(first)
    crossed[at] = near(f1[at], g2[at]) | _typos_apart_all(texts, f1[at], g2[at])
    at = np.flatnonzero(second)
    crossed[at] = near(g1[at], f2[at]) | _typos_apart_all(texts, g1[at], f2[at])
    at = np.flatnonzero(~first & ~second)
    crossed[at] = near(g1[at], f2[at]) & near(f1[at], g2[at])
    return crossed


@attrs.frozen
class PersonNames(_Names, RankedComparator[_Parts]):
    """Given and family names together, swaps and nicknames included. See :func:`person_names`."""

    nicknames: Nicknames = attrs.field(factory=default_nicknames, repr=False)

    @property
    def levels(self) -> tuple[str, ...]:
        """From ``exact`` to ``different``, then ``null``; see :func:`person_names`."""
        return PERSON_LEVELS

    def compare_prepared(self, left: _Parts, right: _Parts, ctx: CompareContext) -> str:
        """The level of two names."""
        (g1, f1), (g2, f2) = left, right
        given = _given_rank(g1, g2, self.nicknames) if g1 and g2 else None
        family = _family_rank(f1, f2) if f1 and f2 else None
        if given is None and family is None:
            return NULL  # one side has only a given name, the other only a family name
        if left == right or (given == 0 and family == 0):
            return "exact"  # the same parts, equal (a lone given name against itself too)
        if g1 and f1 and g2 and f2 and g1 == f2 and f1 == g2:
            return "swapped"
        if family is not None and given is not None:
            if family <= 1 and given in (1, 2):
                return "nickname"
            if given == 0 and family == 1:
                return "typo"  # one part equal, the other one typo apart (as family names)
            if family == 0 and g1 and g2 and _family_rank(g1, g2) == 1:
                return "typo"
            if family <= 3 and given <= 3:
                return "close"
        if _crossed(left, right, self.nicknames):
            return "swapped"  # swapped, and a nickname or a typo on top
        if family is not None and family <= 1 and given is None:
            return "family_only"
        if family is None and given is not None and given <= 1:
            return "given_only"
        return "different"

    def indexed_ranks(
        self, values: Sequence[_Parts], left: Indices, right: Indices, ctx: CompareContext
    ) -> Indices:
        """:meth:`compare_indexed` as positions in :attr:`levels`: each pair of given names,
        of family names and of crossed parts compared once, the levels read in arrays."""
        return _person_ranks(values, left, right, self.nicknames)

    def count_levels(self, counts: Mapping[_Parts, int], ctx: CompareContext) -> dict[str, int]:
        """The pairs of the names at ``swapped`` whose parts are exchanged exactly, over
        every pair (see :class:`~crmcore.dedup.comparator.CountedLevels`).

        A lower bound: ``swapped`` also holds crossed names with a typo, a nickname or a close
        part, which share no key and are not counted (between strangers about as many as the
        exact swaps at 100,000 generated contacts: u 3.6e-6 counted against 6.7e-6 for the
        whole level, where the random-pair sample, which never sees the level, gave 2.5e-5).
        So the level weighs about 0.9 bit too much, where the sample made it weigh 1.9 bits
        too little. ``nickname`` is left to the sample: counted, its weight let a nickname
        and an employer alone link strangers (F1 at 10,000 ``hard`` 0.909 to 0.905)."""
        compare = functools.partial(self.compare_prepared, ctx=ctx)
        return _exact_u.name_level_counts(counts, compare)


def person_names(nicknames: Nicknames | None = None) -> PersonNames:
    """Compare whole names; the levels, strongest first:

    - ``exact``: given and family names equal (folded), or the same single part on both
      sides (a lone given name, equal);
    - ``swapped``: each one's given name is the other's family name, exactly, or nearly
      when the names in order are not ``nickname`` or ``close``: each crossed pair of parts
      equal, nicknames, initials or close as given names, or one typo apart (a swap with a
      nickname or a typo on top, on one part or both: ``Moreau Chritophe`` and ``Christophe
      Moreau``, ``Evans Eliizabeth`` and ``Elizabeth Evanns``); with one crossed part equal,
      the other up to two edits away (one for names of 3 letters: ``Ruiz Aan`` and ``Ana
      Ruiz``; a letter dropped from one of 3: ``Le Goff La`` and ``Léa Le Goff``);
    - ``nickname``: family names equal or one typo apart, given names nicknames or initials;
    - ``typo``: one part equal, the other one typo apart (Damerau-Levenshtein 1, names of 4
      letters or more, as :func:`family_names` reads a ``typo``): ``Joe Walker`` and ``Joe
      Wlaker``, ``Sandra Bianchi`` and ``Sanrda Bianchi``;
    - ``close``: both parts at least close (see :func:`given_names`, :func:`family_names`);
    - ``family_only``: family names equal or one typo apart, no given name on one side (two
      given names that are not close make the pair ``different``: relatives share a family
      name, an address and often a phone, and their given names are what tells them apart);
    - ``given_only``: no family name on one side, given names equal or nicknames;
    - ``different``; ``null``: no name part on one side, or no part on both sides (a given
      name only against a family name only).

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(given, family):
    ...     return Contact("c", ContactIdentity(name=PersonName(given=given, family=family)))
    >>> ctx, cmp = CompareContext(), person_names()
    >>> cmp(person("Bob", "Smith"), person("Robert", "Smith"), ctx)
    'nickname'
    >>> cmp(person("Robert", "Smith"), person("Smith", "Robert"), ctx)
    'swapped'
    >>> cmp(person("Robert", "Smith"), person("Smith", "Bob"), ctx)
    'swapped'
    >>> cmp(person("Anna", "Smith"), person("Peter", "Smith"), ctx)
    'different'
    """
    return PersonNames(default_nicknames() if nicknames is None else nicknames)
