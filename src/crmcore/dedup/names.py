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
from collections.abc import Mapping
from typing import Any

import attrs

from crmcore.dedup import _exact_u, _extras
from crmcore.dedup._paths import Selector, values
from crmcore.dedup._text import fold
from crmcore.dedup.comparator import NULL, FieldComparator
from crmcore.dedup.context import CompareContext
from crmcore.dedup.nicknames import Nicknames, default_nicknames
from crmcore.dedup.strings import phonetic_code
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
    return tuple((name.given, name.family) for name in values(record, _NAMES))


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
    return tuple(name.middle for name in values(record, _NAMES) if name.middle)


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
    at least 3 letters) or 2 (both at least 4).

    Read only when the other crossed pair of parts is equal: a swap whose moved part also
    took a typo or two (a typo in a given name, then another when the swapped record was
    entered), too far for :func:`_near_part` on a short name (``Ana`` and ``Aan``).
    """
    shortest = min(len(a), len(b))
    if shortest < 3:
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
        return _exact_u.name_level_counts(counts, {}, compare, ("swapped",))


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


@attrs.frozen
class PersonNames(_Names):
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

    def count_levels(self, counts: Mapping[_Parts, int], ctx: CompareContext) -> dict[str, int]:
        """The pairs of the names counted at ``swapped`` and ``nickname``, over every pair
        (see :class:`~crmcore.dedup.comparator.CountedLevels`): those whose parts are
        exchanged exactly, and those of one family name whose given names are in one group
        of the nickname table. A swap or a nickname with a typo on top, rarer still between
        two people, is not counted."""
        compare = functools.partial(self.compare_prepared, ctx=ctx)
        groups = self.nicknames.groups
        return _exact_u.name_level_counts(counts, groups, compare, ("swapped", "nickname"))


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
      Ruiz``);
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
