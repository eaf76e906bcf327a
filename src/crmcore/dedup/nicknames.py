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

from crmcore.dedup._text import fold
from crmcore.errors import InvalidValueError

__all__ = ["Nicknames", "default_nicknames", "load_nicknames"]

_COLUMNS = ("language", "name", "variants")


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
