"""A union-find (disjoint sets) over hashable items, with path halving and union by size."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

__all__ = ["UnionFind"]

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Disjoint sets of ``items``; :meth:`union` joins two, :meth:`find` names a set's root.

    >>> sets = UnionFind("abc")
    >>> sets.union("a", "b"), sets.union("b", "a"), sets.find("a") == sets.find("b")
    (True, False, True)
    """

    def __init__(self, items: Iterable[T]) -> None:
        self._parent: dict[T, T] = {item: item for item in items}
        self._size: dict[T, int] = dict.fromkeys(self._parent, 1)

    def find(self, item: T) -> T:
        """The root of the set holding ``item``."""
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, left: T, right: T) -> bool:
        """Join the sets of ``left`` and ``right``; whether they were two sets."""
        a, b = self.find(left), self.find(right)
        if a == b:
            return False
        if self._size[a] < self._size[b]:
            a, b = b, a
        self._parent[b] = a
        self._size[a] += self._size[b]
        return True
