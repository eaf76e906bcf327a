"""Given-name variants: which nicknames, diminutives and short forms are one name.

The table shipped in ``crmcore/dedup/data/nicknames.csv`` covers English, French, German,
Spanish, Italian, Portuguese and Dutch (its sources and licence are in ``data/SOURCES.md``).
:func:`default_nicknames` reads it once; :func:`load_nicknames` reads a table of your own in
the same shape, to use instead or :meth:`Nicknames.merge` with it.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
from collections.abc import Iterable, Mapping

import attrs

from crmcore.dedup import _extras
from crmcore.dedup._text import fold
from crmcore.errors import InvalidValueError

__all__ = ["Nicknames", "default_nicknames", "load_nicknames"]

_COLUMNS = ("language", "name", "variants")
TYPO_LENGTH = 5
"""The fewest letters of a name the table does not know for it to be read as a misspelling."""


def _deletions(name: str) -> set[str]:
    """``name`` and each string of one letter fewer."""
    return {name, *(name[:i] + name[i + 1 :] for i in range(len(name)))}


def _spelling_index(names: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each name and each of its one-letter deletions, to the names it comes from."""
    index: dict[str, set[str]] = {}
    for name in names:
        if len(name) >= TYPO_LENGTH - 1:
            for key in _deletions(name):
                index.setdefault(key, set()).add(name)
    return {key: frozenset(found) for key, found in index.items()}


@attrs.frozen(eq=False)
class Nicknames:
    """Groups of given names that are one name: a full form and its variants.

    A name may be in several groups (``bert`` is Robert, Albert and Herbert). Names are kept
    folded (no case, no accents, hyphens and dots as spaces). A table is equal only to itself
    (it is hashable, so that comparisons can cache their answers per table).

    >>> table = Nicknames.from_groups([("robert", "bob", "bobby"), ("albert", "bert")])
    >>> table.same("Bob", "ROBERT"), table.same("Bob", "Albert")
    (True, False)
    """

    groups: Mapping[str, frozenset[int]] = attrs.field(repr=False)
    languages: frozenset[str] = frozenset()
    _spellings: Mapping[str, frozenset[str]] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_spellings", _spelling_index(self.groups))

    @classmethod
    def from_groups(
        cls, groups: Iterable[Iterable[str]], languages: Iterable[str] = ()
    ) -> Nicknames:
        """A table from groups of names, each group one name and its variants."""
        index: dict[str, set[int]] = {}
        for number, group in enumerate(groups):
            if isinstance(group, str):
                raise InvalidValueError("a group is a sequence of names", field="groups")
            for name in group:
                if not isinstance(name, str):
                    raise InvalidValueError("names are text", field="groups")
                key = fold(name)
                if key:
                    index.setdefault(key, set()).add(number)
        return cls({key: frozenset(found) for key, found in index.items()}, frozenset(languages))

    def groups_of(self, name: str) -> frozenset[int]:
        """The groups ``name`` is in (empty when the table does not know it)."""
        return self.groups.get(fold(name), frozenset())

    def same(self, left: str, right: str) -> bool:
        """Whether ``left`` and ``right`` are one name or in one group of the table."""
        a, b = fold(left), fold(right)
        if a == b:
            return bool(a)
        found = self.groups.get(a)
        return found is not None and not found.isdisjoint(self.groups.get(b, ()))

    def misspelt(self, name: str) -> frozenset[str]:
        """The names of the table one typo from ``name``, when the table does not know it.

        A typo is one letter added, left out or changed, or two adjacent letters exchanged
        (Damerau-Levenshtein distance 1). Only a name of :data:`TYPO_LENGTH` letters or more
        is read this way: shorter names one letter apart are most often other names (*Jane*
        and *Jade*). A name the table knows is taken as written (empty). Needs the ``dedup``
        extra (rapidfuzz).

        >>> table = Nicknames.from_groups([("catherine", "kate"), ("caterina", "rina")])
        >>> sorted(table.misspelt("Caterine")), sorted(table.misspelt("Kate"))
        (['caterina', 'catherine'], [])
        """
        return _misspelt(self, fold(name))

    def groups_near(self, name: str) -> frozenset[int]:
        """The groups of ``name``, or of the names it is one typo from (see :meth:`misspelt`).

        >>> table = Nicknames.from_groups([("christopher", "chris"), ("christine", "chris")])
        >>> table.groups_near("Chrristopher") == table.groups_of("Christopher")
        True
        """
        key = fold(name)
        found = self.groups.get(key)
        if found is not None:
            return found
        return frozenset().union(*(self.groups[near] for near in _misspelt(self, key)))

    def same_misspelt(self, left: str, right: str) -> bool:
        """Whether one name, misspelt, is in a group of the other: a nickname with a typo.

        One of the two is a name the table does not know, one typo from another name of a
        group of the other's (*Caterine* and *Kate*: *Catherine* is in Kate's group). A name
        one typo from the other itself is not a nickname but a typo, and not counted here.

        >>> table = Nicknames.from_groups([("catherine", "kate"), ("christopher", "chris")])
        >>> table.same_misspelt("Caterine", "KATE"), table.same_misspelt("Chris", "Chrristopher")
        (True, True)
        >>> table.same_misspelt("Chrisopher", "Christopher"), table.same_misspelt("Kate", "Chris")
        (False, False)
        """
        a, b = fold(left), fold(right)
        return self._misspelt_in(a, b) or self._misspelt_in(b, a)

    def _misspelt_in(self, typed: str, known: str) -> bool:
        groups = self.groups.get(known)
        if groups is None or typed in self.groups:
            return False
        return any(
            near != known and not groups.isdisjoint(self.groups[near])
            for near in _misspelt(self, typed)
        )

    def merge(self, other: Nicknames) -> Nicknames:
        """A table with the groups of both."""
        offset = 1 + max((n for found in self.groups.values() for n in found), default=-1)
        index = {key: set(found) for key, found in self.groups.items()}
        for key, found in other.groups.items():
            index.setdefault(key, set()).update(n + offset for n in found)
        return Nicknames(
            {key: frozenset(found) for key, found in index.items()},
            self.languages | other.languages,
        )

    def __len__(self) -> int:
        return len(self.groups)


@functools.lru_cache(maxsize=65536)
def _misspelt(table: Nicknames, name: str) -> frozenset[str]:
    """The names of ``table`` one typo from ``name`` (folded), a name it does not know."""
    if len(name) < TYPO_LENGTH or name in table.groups:
        return frozenset()
    spellings = table._spellings
    candidates = {near for key in _deletions(name) for near in spellings.get(key, ())}
    distance = _extras.rapidfuzz_distance().DamerauLevenshtein
    return frozenset(
        near for near in candidates if distance.distance(name, near, score_cutoff=1) <= 1
    )


def load_nicknames(text: str) -> Nicknames:
    """Read a nickname table: CSV with ``language,name,variants``, variants split by ``|``.

    Lines starting with ``#`` are comments. A malformed row raises
    :class:`~crmcore.InvalidValueError` naming its line number, never its content.

    >>> table = load_nicknames("language,name,variants\\nnl,cornelis,kees|cor\\n")
    >>> table.same("Kees", "Cornelis"), sorted(table.languages)
    (True, ['nl'])
    """
    if not isinstance(text, str):
        raise InvalidValueError("expected the text of a CSV table", field="text")
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    rows = list(csv.reader(line for _, line in lines))
    if not rows or tuple(cell.strip() for cell in rows[0]) != _COLUMNS:
        raise InvalidValueError("the header is language,name,variants", field="text")
    groups: list[tuple[str, ...]] = []
    languages: set[str] = set()
    for (number, _), row in zip(lines[1:], rows[1:], strict=True):
        if len(row) != 3 or not row[0].strip() or not fold(row[1]):
            raise InvalidValueError(f"line {number} is not language,name,variants", field="text")
        languages.add(row[0].strip())
        groups.append((row[1], *(v for v in row[2].split("|") if v.strip())))
    return Nicknames.from_groups(groups, languages)


@functools.cache
def default_nicknames() -> Nicknames:
    """The shipped table (read once).

    >>> table = default_nicknames()
    >>> table.same("Bill", "William"), table.same("Peggy", "Margaret")
    (True, True)
    >>> table.same("J.-P.", "Jean-Pierre"), table.same("Bob", "Margaret")
    (True, False)
    >>> len(table.languages) >= 6
    True
    """
    resource = importlib.resources.files("crmcore.dedup").joinpath("data/nicknames.csv")
    return load_nicknames(resource.read_text(encoding="utf-8"))
