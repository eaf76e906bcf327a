"""Split a cluster held together by a chain of links: the anti-chaining rule.

A cluster is *dense* when each member is supported by at least ``share`` of the other members
(rounded up): supported by a member means a must-link to it or a scored pair with it at the
review threshold or above. A cluster that is not dense is split in two at its weakest link,
and each part is checked again, until every part is dense.

The weakest link is found on a maximum spanning tree of the cluster's links (the must-links
first, then the match links by decreasing strength): it is the tree link, not a must-link,
with the lowest *support* (the number of members supporting both of its ends), then the lowest
probability, then the greatest ids. Cutting it splits the tree in two; every match link
between the two halves is cut. A chain's links have no support, so a chain is cut at its
weakest link; two groups joined by one link are cut at that link.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from crmcore.dedup._union_find import UnionFind

__all__ = ["split_chains"]

Pair = tuple[int, int]


def _dense(part: Sequence[int], support: Mapping[int, set[int]], share: float) -> bool:
    needed = math.ceil(share * (len(part) - 1) - 1e-9)
    members = set(part)
    return all(len(support.get(node, set()) & members) >= needed for node in part)


def _cut(
    part: Sequence[int],
    links: Mapping[Pair, float],
    must: set[Pair],
    support: Mapping[int, set[int]],
) -> tuple[list[int], list[int]] | None:
    """The two halves of ``part`` cut at its weakest tree link, or ``None`` if only must-links."""
    members = set(part)
    inside = [pair for pair in links if pair[0] in members and pair[1] in members]
    empty: set[int] = set()

    def strength(pair: Pair) -> tuple[int, int, float, int, int]:
        left, right = pair
        shared = len(support.get(left, empty) & support.get(right, empty) & members)
        return (pair in must, shared, links[pair], -left, -right)

    ranked = sorted(inside, key=strength, reverse=True)
    tree = UnionFind(part)
    chosen: list[Pair] = []
    for pair in ranked:
        if tree.union(*pair):
            chosen.append(pair)
    weakest = next((pair for pair in reversed(chosen) if pair not in must), None)
    if weakest is None:
        return None
    halves = UnionFind(part)
    for pair in chosen:
        if pair != weakest:
            halves.union(*pair)
    root = halves.find(weakest[0])
    first = [node for node in part if halves.find(node) == root]
    second = [node for node in part if halves.find(node) != root]
    return first, second


def split_chains(
    part: Sequence[int],
    links: Mapping[Pair, float],
    must: set[Pair],
    support: Mapping[int, set[int]],
    share: float,
) -> list[list[int]]:
    """The dense parts of one connected cluster ``part`` (sorted indexes), each sorted.

    ``links`` are the cluster's match links and must-links (probability 1) by index pair;
    ``support`` maps each member to the members that support it.
    """
    done: list[list[int]] = []
    pending = [list(part)]
    while pending:
        current = pending.pop()
        if len(current) <= 2 or _dense(current, support, share):
            done.append(current)
            continue
        halves = _cut(current, links, must, support)
        if halves is None:
            done.append(current)
            continue
        pending.extend(halves)
    return sorted(done)
