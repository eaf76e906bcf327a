"""A union-find (disjoint sets) over hashable items, with path halving and union by size."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

__all__ = ["UnionFind"]

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Disjoint sets; :meth:`union` joins two, :meth:`find` names a set's root.

    Every item is a set of its own until joined: only the items joined so far are stored,
    so that sets over many items, most of them never joined, cost nothing for those.

    >>> sets = UnionFind("abc")
    >>> sets.union("a", "b"), sets.union("b", "a"), sets.find("a") == sets.find("b")
    (True, False, True)
    >>> sets.find("z")
    'z'
    """

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._parent: dict[T, T] = {item: item for item in items}
        self._size: dict[T, int] = {}

    def find(self, item: T) -> T:
        """The root of the set holding ``item`` (``item`` itself when never joined)."""
        parent = self._parent
        while True:
            up = parent.get(item, item)
            if up == item:
                return item
            grand = parent.get(up, up)
            parent[item] = grand
            item = grand

    def union(self, left: T, right: T) -> bool:
        """Join the sets of ``left`` and ``right``; whether they were two sets."""
        a, b = self.find(left), self.find(right)
        if a == b:
            return False
        size = self._size
        if size.get(a, 1) < size.get(b, 1):
            a, b = b, a
        self._parent[b] = a
        self._parent.setdefault(a, a)
        size[a] = size.get(a, 1) + size.pop(b, 1)
        return True
