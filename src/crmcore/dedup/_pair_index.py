"""Candidate pairs as positions: what blocking knows, kept for the stages after it.

Blocking finds pairs as positions of the records sorted by id, each with the bits of the rules
that found it. Fitting and comparing read them as arrays instead of reading every pair's ids
again, once they have checked that the records are the ones blocked (the same ids in order).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["IdsAt", "LazyTuple", "PairIndex", "ids_at", "pair_index", "positions_of", "row_of_pair"]

Ints = npt.NDArray[np.int64]
T = TypeVar("T")

_CHUNK = 1 << 16
"""Positions turned into ids at a time when every id is read."""


@attrs.frozen(eq=False)
class PairIndex:
    """Pairs ``(left[i], right[i])``, positions in ``ids`` (sorted), ``left < right``, sorted.

    ``masks[i]`` has bit ``k`` set when rule ``rules[k]`` found pair ``i``.
    """

    ids: tuple[str, ...]
    left: Ints
    right: Ints
    masks: Ints
    rules: tuple[str, ...]

    def rules_of(self, mask: int) -> tuple[str, ...]:
        """The names of the rules whose bits ``mask`` has, in the rules' order."""
        return tuple(name for k, name in enumerate(self.rules) if mask >> k & 1)


def pair_index(pairs: object) -> PairIndex | None:
    """The pair index ``pairs`` carries (a blocking result's ``positions``), else ``None``."""
    index = getattr(pairs, "positions", None)
    return index if isinstance(index, PairIndex) else None


def positions_of(pairs: object, records: Sequence[Any]) -> PairIndex | None:
    """The pair index of a blocking result of exactly ``records`` (sorted by id), else ``None``."""
    index = pair_index(pairs)
    if index is None or len(index.ids) != len(records):
        return None
    if any(a != record.id for a, record in zip(index.ids, records, strict=True)):
        return None
    return index


class LazyTuple(Sequence[T]):
    """A tuple of ``length`` items made by ``build()`` the first time an item is asked for.

    It compares and hashes as the tuple it stands for (``LazyTuple(...) == (...)``) and
    pickles as that tuple. Blocking hands its candidate pairs over this way: the stages after
    it read the positions, and a million pair objects are made only for a caller who reads
    them.
    """

    __slots__ = ("_build", "_items", "_length")

    def __init__(self, length: int, build: Callable[[], tuple[T, ...]]) -> None:
        self._length = length
        self._build: Callable[[], tuple[T, ...]] | None = build
        self._items: tuple[T, ...] | None = None

    def _tuple(self) -> tuple[T, ...]:
        items = self._items
        if items is None:
            build = self._build
            assert build is not None  # set until the items are made
            items = self._items = build()
            self._build = None
        return items

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self._tuple()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._tuple())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyTuple):
            other = other._tuple()
        if isinstance(other, tuple):
            return self._tuple() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._tuple())

    def __repr__(self) -> str:
        return repr(self._tuple())

    def __reduce__(self) -> tuple[type[tuple[T, ...]], tuple[tuple[T, ...]]]:
        return (tuple, (self._tuple(),))


class IdsAt(Sequence[str]):
    """The ids ``ids[at[0]], ids[at[1]], ...``: a tuple of ids kept as positions.

    Candidate pairs keep each side as an integer array into the records' ids, a few bytes a
    pair instead of a reference each; an id is looked up when read. It compares and hashes as
    the tuple it stands for (``IdsAt(...) == (...)``) and pickles as its arrays.
    """

    __slots__ = ("_at", "_ids")

    def __init__(self, ids: tuple[str, ...], at: npt.NDArray[np.integer[Any]]) -> None:
        self._ids = ids
        self._at = at

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids the positions point into."""
        return self._ids

    @property
    def at(self) -> npt.NDArray[np.integer[Any]]:
        """The positions, one per item."""
        return self._at

    def __len__(self) -> int:
        return len(self._at)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...

    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, slice):
            ids = self._ids
            return tuple([ids[i] for i in self._at[index].tolist()])
        return self._ids[int(self._at[index])]

    def __iter__(self) -> Iterator[str]:
        ids = self._ids
        for start in range(0, len(self._at), _CHUNK):
            yield from [ids[i] for i in self._at[start : start + _CHUNK].tolist()]

    def _tuple(self) -> tuple[str, ...]:
        ids = self._ids
        return tuple([ids[i] for i in self._at.tolist()])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdsAt):
            if other._ids == self._ids:
                return bool(np.array_equal(self._at, other._at))
            other = other._tuple()
        elif isinstance(other, LazyTuple):
            other = other._tuple()
        if isinstance(other, tuple):
            return len(other) == len(self) and self._tuple() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._tuple())

    def __repr__(self) -> str:
        return repr(self._tuple())

    def __reduce__(self) -> tuple[type[IdsAt], tuple[tuple[str, ...], Any]]:
        return (IdsAt, (self._ids, self._at))


def ids_at(ids: Sequence[str], rows: npt.NDArray[np.integer[Any]]) -> list[str]:
    """``[ids[i] for i in rows]``, read through the positions when ``ids`` is an :class:`IdsAt`."""
    if isinstance(ids, IdsAt):
        names = ids.ids
        return [names[i] for i in ids.at[rows].tolist()]
    return [ids[i] for i in rows.tolist()]


def row_of_pair(left: Sequence[str], right: Sequence[str], key: tuple[str, str]) -> int | None:
    """The row of the pair of ids ``key`` among pairs sorted by ids, found through positions.

    When both sides are :class:`IdsAt` over the same ids, sorted, each id's position is found
    by halving the ids and the row by halving the positions (no id made per step); ``None``
    when the pair is not found that way (sides of another kind, ids or pairs out of order,
    or no such pair).
    """
    if not (isinstance(left, IdsAt) and isinstance(right, IdsAt) and left.ids is right.ids):
        return None
    ids = left.ids
    first, second = bisect.bisect_left(ids, key[0]), bisect.bisect_left(ids, key[1])
    if first >= len(ids) or second >= len(ids) or ids[first] != key[0] or ids[second] != key[1]:
        return None
    lefts, rights = left.at, right.at
    start, end = (int(at) for at in np.searchsorted(lefts, (first, first + 1)))
    row = start + int(np.searchsorted(rights[start:end], second))
    if row < end and int(lefts[row]) == first and int(rights[row]) == second:
        return row
    return None
