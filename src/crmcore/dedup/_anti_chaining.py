"""Join records into clusters link by link, keeping every cluster dense: anti-chaining.

A cluster is *dense* when each member is supported by at least ``share`` of the other members
(rounded up). A member supports another when the two are one must-link group or scored at the
review threshold or above. Links join clusters strongest first (by probability, then by the
number of records supporting both ends, then by ids); a link that would join a cannot-link
pair, or make a cluster that is not dense, is refused. A chain of links thus stops growing
where its far end supports too few of the members; two groups joined by one link no more
probable than their own links stay two. The rule is greedy: a link far stronger than those
around it joins its records first, and weaker links of their groups may be refused after.

Each join checks the members of the two clusters only, and a dense cluster cannot grow past
``1 + (most supporters of a member) / share`` records, so the cost grows with the links, not
with the square of a component's size.
"""

from __future__ import annotations

import collections
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence

from crmcore.dedup._union_find import UnionFind

__all__ = ["CANNOT_LINK", "NOT_DENSE", "DenseSets", "lone_links"]

Pair = tuple[int, int]

CANNOT_LINK = "cannot_link"
NOT_DENSE = "anti_chaining"


class DenseSets:
    """Clusters of record indexes ``0 .. size - 1`` that grow only while dense.

    ``support`` maps a record to those supporting it (symmetric); must-link groups are
    joined first, whatever their density, and their members support one another.
    """

    def __init__(
        self,
        size: int,
        support: Mapping[int, set[int]],
        must: Iterable[Pair],
        cannot: Iterable[Pair],
        share: float,
    ) -> None:
        must = sorted(must)
        self._size = size
        self._sets: UnionFind[int] = UnionFind()
        self._share = share
        self._support = {node: set(found) for node, found in support.items()}
        for left, right in must:
            self._sets.union(left, right)
        # the members of each cluster of two records or more, by root; a record absent from
        # every list is a cluster of its own (most records are)
        self._members: dict[int, list[int]] = {}
        for node in sorted({node for pair in must for node in pair}):
            self._members.setdefault(self._sets.find(node), []).append(node)
        self._members = {root: group for root, group in self._members.items() if len(group) > 1}
        for group in self._members.values():
            for node in group:
                self._support.setdefault(node, set()).update(n for n in group if n != node)
        self._inside = [0] * size
        for group in self._members.values():
            members = set(group)
            for node in group:
                self._inside[node] = len(self._support[node] & members)
        self._forbidden: dict[int, set[int]] = {}
        for left, right in cannot:
            a, b = self._sets.find(left), self._sets.find(right)
            self._forbidden.setdefault(a, set()).add(b)
            self._forbidden.setdefault(b, set()).add(a)

    def find(self, node: int) -> int:
        """The root of ``node``'s cluster."""
        return self._sets.find(node)

    def together(self, left: int, right: int) -> bool:
        """Whether ``left`` and ``right`` are in one cluster."""
        return self._sets.find(left) == self._sets.find(right)

    def shared(self, left: int, right: int) -> int:
        """The number of records supporting both ``left`` and ``right``."""
        empty: set[int] = set()
        return len(self._support.get(left, empty) & self._support.get(right, empty))

    def join(self, left: int, right: int) -> str | None:
        """Join the clusters of a link; ``None`` when joined (or already one), else why not."""
        a, b = self._sets.find(left), self._sets.find(right)
        if a == b:
            return None
        if b in self._forbidden.get(a, ()):
            return CANNOT_LINK
        first, second = self._members.get(a, [a]), self._members.get(b, [b])
        gains = self._gains(first, b) if len(first) <= len(second) else self._gains(second, a)
        needed = math.ceil(self._share * (len(first) + len(second) - 1) - 1e-9)
        inside = self._inside
        if any(inside[node] + gains.get(node, 0) < needed for node in (*first, *second)):
            return NOT_DENSE
        for node, gain in gains.items():
            inside[node] += gain
        self._sets.union(a, b)
        root, other = (a, b) if self._sets.find(a) == a else (b, a)
        self._members[root] = first + second
        self._members.pop(other, None)
        moved = self._forbidden.pop(other, set())
        for node in moved:
            self._forbidden[node].discard(other)
            self._forbidden[node].add(root)
        if moved:
            self._forbidden.setdefault(root, set()).update(moved)
        return None

    def _gains(self, members: Sequence[int], other: int) -> dict[int, int]:
        """How many supporters each record gains when ``members`` join the cluster ``other``."""
        gains: dict[int, int] = {}
        find = self._sets.find
        empty: set[int] = set()
        for node in members:
            for peer in self._support.get(node, empty):
                if find(peer) == other:
                    gains[node] = gains.get(node, 0) + 1
                    gains[peer] = gains.get(peer, 0) + 1
        return gains

    def parts(self, pairs: Iterable[Pair] = ()) -> tuple[list[list[int]], list[int]]:
        """The clusters of two records or more (members sorted, the clusters by first
        member) and the records that are a cluster of their own, ascending; ``pairs`` (of
        records joined by nothing else, :func:`lone_links`) are clusters too."""
        joined = sorted([*map(sorted, self._members.values()), *map(sorted, pairs)])
        alone = bytearray(b"\x01") * self._size
        for group in joined:
            for node in group:
                alone[node] = 0
        return joined, list(itertools.compress(range(self._size), alone))


def lone_links(links: Sequence[Pair], constrained: Iterable[Pair]) -> list[bool]:
    """Whether each of ``links`` is the only link of both its records, neither of which is in
    a ``constrained`` pair (must-link or cannot-link).

    Such a link joins its two records, and them alone, whatever the order of the links: a
    cluster of two records that support each other is dense at any share. It need not pass
    through :class:`DenseSets` (most links of a large run are such pairs): give it to
    :meth:`DenseSets.parts`. Its records support no other cluster's join either, as no
    other link reaches them.
    """
    seen = collections.Counter(itertools.chain.from_iterable(links))
    seen.update(itertools.chain.from_iterable(constrained))
    return [seen[left] == 1 and seen[right] == 1 for left, right in links]
