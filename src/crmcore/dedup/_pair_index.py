"""Candidate pairs as positions: what blocking knows, kept for the stages after it.

Blocking finds pairs as positions of the records sorted by id, each with the bits of the rules
that found it. Fitting and comparing read them as arrays instead of reading every pair's ids
again, once they have checked that the records are the ones blocked (the same ids in order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["LazyTuple", "PairIndex", "positions_of"]

Ints = npt.NDArray[np.int64]
T = TypeVar("T")


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


def positions_of(pairs: object, records: Sequence[Any]) -> PairIndex | None:
    """The pair index of a blocking result of exactly ``records`` (sorted by id), else ``None``."""
    index = getattr(pairs, "positions", None)
    if not isinstance(index, PairIndex) or len(index.ids) != len(records):
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
