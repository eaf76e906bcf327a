"""Text comparators over any field: exact, Jaro-Winkler, Damerau-Levenshtein, phonetic.

Each reads a dotted path (``identity.name.family``, ``identity.organisation``,
``descriptive.custom.tier``). Text is folded first (case, accents, punctuation and spacing do
not count). A field holding several values (a tuple) compares at its best pair. Similarity
comes from rapidfuzz and phonetic codes from jellyfish, both in the ``dedup`` extra.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from crmcore.dedup import _extras
from crmcore.dedup._read import check_path, reader
from crmcore.dedup._text import fold
from crmcore.dedup.comparator import NULL, FieldComparator
from crmcore.dedup.context import CompareContext
from crmcore.errors import InvalidValueError

__all__ = [
    "DamerauLevenshtein",
    "Exact",
    "JaroWinkler",
    "Phonetic",
    "PhoneticAlgorithm",
    "damerau_levenshtein",
    "exact",
    "jaro_winkler",
    "phonetic",
    "phonetic_code",
]

PhoneticAlgorithm = Literal["nysiis", "metaphone", "soundex", "match_rating"]
_FUNCTIONS = {
    "nysiis": "nysiis",
    "metaphone": "metaphone",
    "soundex": "soundex",
    "match_rating": "match_rating_codex",
}
_ALGORITHMS: tuple[str, ...] = tuple(_FUNCTIONS)


@functools.lru_cache(maxsize=256)
def _levels(agreements: tuple[str, ...]) -> tuple[str, ...]:
    return ("exact", *agreements, "different", NULL)


@functools.lru_cache(maxsize=256)
def _names(prefix: str, bounds: tuple[float, ...]) -> tuple[str, ...]:
    return tuple(f"{prefix}{bound:g}" for bound in bounds)


def _folded(record: Any, path: str) -> tuple[str, ...] | None:
    found = sorted({fold(value) for value in reader(path)(record) if isinstance(value, str)})
    return tuple(text for text in found if text) or None


class _BestOfText(FieldComparator[tuple[str, ...]]):
    """Folded text at a path; several values compare at their best pair."""

    __slots__ = ()
    path: str

    @property
    def _agreements(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, the comparator's own levels, ``different``, ``null``."""
        return _levels(self._agreements)

    def prepare(self, record: Any, ctx: CompareContext) -> tuple[str, ...] | None:
        """The folded, distinct, sorted texts at :attr:`path`; ``None`` when there are none."""
        return _folded(record, self.path)

    def _rank(self, left: str, right: str) -> int:
        """The level index of two folded texts that are not equal (1 and on)."""
        raise NotImplementedError

    def compare_prepared(
        self, left: tuple[str, ...], right: tuple[str, ...], ctx: CompareContext
    ) -> str:
        """The best level over every pair of values."""
        if not set(left).isdisjoint(right):
            return "exact"
        best = len(self.levels) - 2  # "different"
        for a in left:
            for b in right:
                best = min(best, self._rank(a, b))
                if best == 1:
                    return self.levels[1]
        return self.levels[best]


@attrs.frozen
class Exact(FieldComparator[frozenset[Any]]):
    """Values equal or not; text folded unless ``fold`` is false. See :func:`exact`."""

    path: str = attrs.field(converter=check_path)
    fold: bool = True

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``different``, ``null``."""
        return ("exact", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> frozenset[Any] | None:
        """The values at :attr:`path` (text folded); ``None`` when there are none."""
        found = frozenset(
            fold(value) if self.fold and isinstance(value, str) else value
            for value in reader(self.path)(record)
        )
        found = found - {""}
        return found or None

    def compare_prepared(
        self, left: frozenset[Any], right: frozenset[Any], ctx: CompareContext
    ) -> str:
        """``exact`` when the two sides share a value."""
        return "different" if left.isdisjoint(right) else "exact"


def exact(path: str, *, fold: bool = True) -> Exact:
    """Compare the values at ``path``: levels ``exact``, ``different``, ``null``.

    >>> from crmcore import Contact, ContactIdentity
    >>> a = Contact("c-1", ContactIdentity(organisation="ACME  Corp"))
    >>> b = Contact("c-2", ContactIdentity(organisation="acme corp"))
    >>> ctx = CompareContext()
    >>> as_written = exact("identity.organisation", fold=False)
    >>> exact("identity.organisation")(a, b, ctx), as_written(a, b, ctx)
    ('exact', 'different')
    """
    return Exact(path, fold)


def _thresholds(values: Iterable[float]) -> tuple[float, ...]:
    found = tuple(values)
    if not found or not all(isinstance(v, (int, float)) and 0 < v < 1 for v in found):
        raise InvalidValueError("thresholds are numbers between 0 and 1", field="thresholds")
    if list(found) != sorted(set(found), reverse=True):
        raise InvalidValueError("thresholds are distinct and decreasing", field="thresholds")
    return tuple(float(v) for v in found)


@attrs.frozen
class JaroWinkler(_BestOfText):
    """Folded text by Jaro-Winkler similarity thresholds. See :func:`jaro_winkler`."""

    path: str = attrs.field(converter=check_path)
    thresholds: tuple[float, ...] = attrs.field(default=(0.92, 0.88), converter=_thresholds)

    def __attrs_post_init__(self) -> None:
        _extras.rapidfuzz_distance()

    @property
    def _agreements(self) -> tuple[str, ...]:
        return _names("jaro_winkler>=", self.thresholds)

    def _rank(self, left: str, right: str) -> int:
        similarity = _extras.rapidfuzz_distance().JaroWinkler.similarity(left, right)
        for index, threshold in enumerate(self.thresholds, start=1):
            if similarity >= threshold:
                return index
        return len(self.thresholds) + 1


def jaro_winkler(path: str, thresholds: Iterable[float] = (0.92, 0.88)) -> JaroWinkler:
    """Compare folded text at ``path`` by Jaro-Winkler similarity.

    Levels: ``exact``, one ``jaro_winkler>=T`` per threshold (decreasing), ``different``,
    ``null``.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(family):
    ...     return Contact("c", ContactIdentity(name=PersonName(family=family)))
    >>> jaro_winkler("identity.name.family")(person("Martha"), person("Marhta"), CompareContext())
    'jaro_winkler>=0.92'
    """
    return JaroWinkler(path, tuple(thresholds))


def _distances(values: Iterable[int]) -> tuple[int, ...]:
    found = tuple(values)
    if not found or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in found
    ):
        raise InvalidValueError("distances are positive whole numbers", field="distances")
    if list(found) != sorted(set(found)):
        raise InvalidValueError("distances are distinct and increasing", field="distances")
    return found


@attrs.frozen
class DamerauLevenshtein(_BestOfText):
    """Folded text by Damerau-Levenshtein distance. See :func:`damerau_levenshtein`."""

    path: str = attrs.field(converter=check_path)
    distances: tuple[int, ...] = attrs.field(default=(1, 2), converter=_distances)

    def __attrs_post_init__(self) -> None:
        _extras.rapidfuzz_distance()

    @property
    def _agreements(self) -> tuple[str, ...]:
        return _names("damerau_levenshtein<=", self.distances)

    def _rank(self, left: str, right: str) -> int:
        cutoff = self.distances[-1]
        distance = _extras.rapidfuzz_distance().DamerauLevenshtein.distance(
            left, right, score_cutoff=cutoff
        )
        for index, limit in enumerate(self.distances, start=1):
            if distance <= limit:
                return index
        return len(self.distances) + 1


def damerau_levenshtein(path: str, distances: Iterable[int] = (1, 2)) -> DamerauLevenshtein:
    """Compare folded text at ``path`` by Damerau-Levenshtein distance (a swap counts one).

    Levels: ``exact``, one ``damerau_levenshtein<=D`` per distance (increasing),
    ``different``, ``null``.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(family):
    ...     return Contact("c", ContactIdentity(name=PersonName(family=family)))
    >>> cmp = damerau_levenshtein("identity.name.family")
    >>> cmp(person("Dupont"), person("Dupnot"), CompareContext())
    'damerau_levenshtein<=1'
    """
    return DamerauLevenshtein(path, tuple(distances))


@functools.lru_cache(maxsize=65536)
def phonetic_code(text: str, algorithm: PhoneticAlgorithm = "nysiis") -> str:
    """The phonetic code of folded ``text``, word by word, joined by spaces.

    Words that are not ASCII letters only (``3rd``, ``Ωmega``, ``李``) are kept as they are.

    >>> phonetic_code("Schmidt-Meyer", "nysiis")
    'SNAD MAYAR'
    """
    encode = getattr(_extras.jellyfish(), _FUNCTIONS[algorithm])
    return " ".join(
        encode(word) if word.isascii() and word.isalpha() else word for word in fold(text).split()
    )


def _algorithm(value: str) -> str:
    if value not in _ALGORITHMS:
        raise InvalidValueError(
            "the algorithm is nysiis, metaphone, soundex or match_rating", field="algorithm"
        )
    return value


@attrs.frozen
class Phonetic(_BestOfText):
    """Folded text by phonetic code. See :func:`phonetic`."""

    path: str = attrs.field(converter=check_path)
    algorithm: PhoneticAlgorithm = attrs.field(default="nysiis", converter=_algorithm)

    def __attrs_post_init__(self) -> None:
        _extras.jellyfish()

    @property
    def _agreements(self) -> tuple[str, ...]:
        return ("phonetic",)

    def _rank(self, left: str, right: str) -> int:
        same = phonetic_code(left, self.algorithm) == phonetic_code(right, self.algorithm)
        return 1 if same else 2


def phonetic(path: str, algorithm: PhoneticAlgorithm = "nysiis") -> Phonetic:
    """Compare folded text at ``path`` by its phonetic code (NYSIIS by default).

    Levels: ``exact``, ``phonetic``, ``different``, ``null``.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(family):
    ...     return Contact("c", ContactIdentity(name=PersonName(family=family)))
    >>> phonetic("identity.name.family")(person("Philips"), person("Phillips"), CompareContext())
    'phonetic'
    """
    return Phonetic(path, algorithm)
