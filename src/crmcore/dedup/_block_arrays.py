"""Blocking's pairs as arrays: the records sharing a key, or near in key order, paired in NumPy.

A block too large to pair in full is split by the keys of other rules (the split rules), its
members sharing a split key paired within a window, as
:func:`~crmcore.dedup.blocking.block_pairs` does one block at a time.

A pair of the records at positions ``i < j`` (of ``count`` records) is the code
``i * count + j``; each function answers the distinct codes of its pairs, sorted. They make
the same pairs as :func:`~crmcore.dedup.blocking.block_pairs` and
:func:`~crmcore.dedup.blocking.window_pairs` (the per-block forms the distributed engine
uses), without a Python object per pair: the memory of a million records' pairs is eight
bytes a pair.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "TAG_BITS",
    "can_tag",
    "distinct_sorted",
    "key_pair_codes",
    "key_table",
    "table_pair_codes",
    "table_window_codes",
    "tag_codes",
    "union_codes",
    "window_pair_codes",
]

Ints = npt.NDArray[np.int64]


def _runs_pairs(places: Ints, ends: Ints, reach: int, count: int) -> Ints:
    """The codes of ``(places[k], places[k + d])`` for ``0 < d < reach``, ``k + d < ends[k]``.

    ``places`` need not ascend: each pair is put in order, and a record is never paired
    with itself.
    """
    active = np.arange(len(places), dtype=np.int64)
    # every pair written in place into one array of the most there can be: no list of the
    # steps' arrays joined in a copy
    most = int(np.clip(np.minimum(reach - 1, ends - active - 1), 0, None).sum())
    found = np.empty(most, dtype=np.int64)
    filled = 0
    step = 1
    while len(active) and step < reach:
        active = active[active + step < ends[active]]
        if not len(active):
            break
        a, b = places[active], places[active + step]
        differ = a != b
        a, b = a[differ], b[differ]
        end = filled + len(a)
        np.minimum(a, b, out=found[filled:end])
        found[filled:end] *= count
        found[filled:end] += np.maximum(a, b)
        filled = end
        step += 1
    return distinct_sorted(found[:filled])


def distinct_sorted(codes: Ints) -> Ints:
    """The distinct values of ``codes``, sorted (``codes`` is sorted in place).

    By sorting, not ``np.unique``: recent NumPy finds distinct integers by hashing them,
    and pair codes (``i * count + j``, many sharing their remainders) make that hash
    collide, many times slower than a sort.
    """
    codes.sort()
    if not len(codes):
        return codes
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))]


_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))
"""Odd multipliers that spread the members' positions over 64 bits, one per digest."""


def _repeated_blocks(
    places: Ints, starts: Ints, sizes: Ints, wanted: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """Which ``wanted`` blocks (``places[starts[b]:starts[b] + sizes[b]]``, ascending) have
    the members of an earlier wanted block: their pairs would come again, so they are
    paired once.

    Blocks are grouped by size and two digests of their members; a block is a repeat only
    when its members equal those of the block before it in that order, compared one by one
    (two blocks whose digests collide are both kept: their pairs come twice and are made
    distinct later, as the pairs two keys share are).
    """
    repeated = np.zeros(len(starts), dtype=np.bool_)
    chosen = np.flatnonzero(wanted)
    if len(chosen) < 2:
        return repeated
    spread = places.astype(np.uint64)
    digests = [
        np.add.reduceat(spread * mix ^ (spread * mix >> np.uint64(31)), starts)[chosen]
        for mix in _MIX
    ]
    width = sizes[chosen]
    order = np.lexsort((digests[1], digests[0], width))
    same = (
        (width[order][1:] == width[order][:-1])
        & (digests[0][order][1:] == digests[0][order][:-1])
        & (digests[1][order][1:] == digests[1][order][:-1])
    )
    later, earlier = chosen[order[1:][same]], chosen[order[:-1][same]]
    if not len(later):
        return repeated
    widths = sizes[later]
    bounds = np.cumsum(widths) - widths
    ramp = np.arange(int(widths.sum()), dtype=np.int64) - np.repeat(bounds, widths)
    equal = (
        places[np.repeat(starts[later], widths) + ramp]
        == places[np.repeat(starts[earlier], widths) + ramp]
    )
    repeated[later[np.logical_and.reduceat(equal, bounds)]] = True
    return repeated


def _numbered(flat: list[str]) -> Ints:
    """Each key's number, the same for equal keys (numbered in order of first sight)."""
    numbers = {key: number for number, key in enumerate(dict.fromkeys(flat))}
    return np.fromiter(map(numbers.__getitem__, flat), dtype=np.int64, count=len(flat))


def key_table(keys: Sequence[tuple[str, ...]], *, ranked: bool = False) -> tuple[Ints, Ints]:
    """The keys of each record as numbers: ``(offsets, numbers)``, record ``i``'s keys being
    ``numbers[offsets[i]:offsets[i + 1]]`` (equal keys, equal numbers). ``ranked`` numbers
    the keys in their sorted order (a window rule's order), else in order of first sight."""
    counts = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    flat = list(itertools.chain.from_iterable(keys))
    if not ranked:
        return offsets, _numbered(flat)
    number = {key: place for place, key in enumerate(sorted(set(flat)))}
    return offsets, np.fromiter(map(number.__getitem__, flat), dtype=np.int64, count=len(flat))


def _owners(offsets: Ints) -> Ints:
    """The position of the record of each key of a table (:func:`key_table`)."""
    return np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))


def _split_pairs(
    places: Ints,
    blocks: Ints,
    splits: Sequence[tuple[Ints, Ints]],
    window: int,
    max_size: int,
    count: int,
) -> Ints:
    """The codes of the pairs of the members of large blocks (record ``places[k]`` in block
    ``blocks[k]``, ascending by block then place) sharing a key of a split table, each
    paired with the next ``window - 1`` members that share it; a split key shared by more
    than ``max_size`` members of a block (no smaller than the block, for one) pairs none."""
    found = [np.zeros(0, dtype=np.int64)]
    for offsets, numbers in splits:
        first = offsets[places]
        many = offsets[places + 1] - first
        total = int(many.sum())
        if not total:
            continue
        slot = np.repeat(np.arange(len(places), dtype=np.int64), many)
        ramp = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(many) - many, many)
        members, groups, split = places[slot], blocks[slot], numbers[first[slot] + ramp]
        order = np.lexsort((members, split, groups))  # by block, split key, then place
        members, groups, split = members[order], groups[order], split[order]
        new = np.concatenate(([True], (groups[1:] != groups[:-1]) | (split[1:] != split[:-1])))
        starts = np.flatnonzero(new)
        sizes = np.diff(np.append(starts, len(members)))
        kept = np.repeat(sizes <= max_size, sizes)
        ends = np.repeat(starts + sizes, sizes)[kept]
        shift = np.cumsum(~kept)[kept]  # the entries left out before each kept one
        found.append(_runs_pairs(members[kept], ends - shift, window, count))
    return distinct_sorted(np.concatenate(found))


def key_pair_codes(
    keys: Sequence[tuple[str, ...]],
    max_size: int,
    skip: Callable[[int], None],
    splits: Sequence[tuple[Ints, Ints]] = (),
    window: int = 0,
) -> tuple[Ints, int]:
    """The codes of the pairs of records sharing a key (``keys[i]``: record ``i``'s, distinct),
    and how many distinct pairs the large blocks' split gave: :func:`table_pair_codes` of
    their :func:`key_table`."""
    return table_pair_codes(key_table(keys), max_size, skip, splits, window)


def table_pair_codes(
    table: tuple[Ints, Ints],
    max_size: int,
    skip: Callable[[int], None],
    splits: Sequence[tuple[Ints, Ints]] = (),
    window: int = 0,
) -> tuple[Ints, int]:
    """The codes of the pairs of records sharing a key (``table``: their keys as numbers,
    :func:`key_table`), and how many distinct pairs the large blocks' split gave.

    A key shared by more than ``max_size`` records is not paired in full: ``skip(size)`` is
    called for it, and with a ``window`` (2 or more) its members sharing a key of one of the
    ``splits`` (:func:`key_table`) are paired within ``window`` places (their codes are among
    the codes answered).
    """
    offsets, kinds = table
    count = len(offsets) - 1
    if not len(kinds):
        return np.zeros(0, dtype=np.int64), 0
    owners = _owners(offsets)
    order = np.lexsort((owners, kinds))  # by key, then position
    kinds, places = kinds[order], owners[order]
    starts = np.flatnonzero(np.concatenate(([True], kinds[1:] != kinds[:-1])))
    sizes = np.diff(np.append(starts, len(kinds)))
    large = sizes > max_size
    for size in sizes[large].tolist():
        skip(size)
    split = np.zeros(0, dtype=np.int64)
    if window >= 2 and splits and large.any():
        # repeated large blocks (same members) give the same pairs: made distinct after
        in_large = np.repeat(large, sizes)
        blocks = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)[in_large]
        split = _split_pairs(places[in_large], blocks, splits, window, max_size, count)
    wanted = (sizes > 1) & ~large
    wanted &= ~_repeated_blocks(places, starts, sizes, wanted)
    kept = np.repeat(wanted, sizes)
    ends = np.repeat(starts + sizes, sizes)[kept]
    shift = np.cumsum(~kept)[kept]  # the entries left out before each kept one
    pairs = _runs_pairs(places[kept], ends - shift, max_size, count)
    if len(split):
        pairs = distinct_sorted(np.concatenate((pairs, split)))
    return pairs, len(split)


def window_pair_codes(keys: Sequence[tuple[str, ...]], window: int) -> Ints:
    """The codes of the pairs of records within ``window - 1`` places in key order:
    :func:`table_window_codes` of their ranked :func:`key_table`."""
    return table_window_codes(key_table(keys, ranked=True), window)


def table_window_codes(table: tuple[Ints, Ints], window: int) -> Ints:
    """The codes of the pairs of records within ``window - 1`` places in key order, the keys
    numbered in their sorted order (:func:`key_table` ``ranked``).

    Each record takes one place per key, ties ordered by position (the records are sorted by
    id): the pairs of :func:`~crmcore.dedup.blocking.window_pairs` of that order.
    """
    offsets, ranks = table
    owners = _owners(offsets)
    places = owners[np.lexsort((owners, ranks))]  # by key, then position
    ends = np.full(len(places), len(places), dtype=np.int64)
    return _runs_pairs(places, ends, window, len(offsets) - 1)


TAG_BITS = 6
"""Low bits of a tagged code that hold its rule's number (fewer than 63 rules)."""


def tag_codes(codes: Ints, number: int) -> Ints:
    """Rule ``number``'s codes (sorted) tagged with it, in place: ``code << 6 | number``.

    Tagged codes keep the order of the codes, so that :func:`union_codes` merges the rules'
    sorted runs rather than sorting every code again. Codes that would not fit are left as
    they are (see :func:`can_tag`).
    """
    codes <<= TAG_BITS
    codes |= number
    return codes


def can_tag(count: int, rules: int) -> bool:
    """Whether the codes of ``count`` records' pairs, tagged by one of ``rules`` rules, fit
    in 63 bits."""
    return rules < 63 and count * count < 1 << (63 - TAG_BITS)


def union_codes(
    per_rule: list[Ints], count: int, *, tagged: bool = False
) -> tuple[Ints, Ints, npt.NDArray[Any]]:
    """The pairs any rule found, sorted, as positions, with the bits of the rules that did.

    ``per_rule`` holds each rule's codes (distinct, sorted), or with ``tagged`` each rule's
    codes tagged by :func:`tag_codes`; it is emptied as it is read, so that each rule's codes
    are freed once read. Tagged codes are joined and merged by a stable sort (each rule's
    codes being one sorted run, it merges the runs rather than sorting them) and each pair's
    bits gathered from its tags: about 26 bytes a pair found by any rule at the peak, beside
    the result. Untagged, the codes are sorted as one array and each rule's bits set where
    its codes fall (a binary search). The bits are 64-bit integers for fewer than 63 rules,
    Python integers beyond (never tagged).
    """
    if tagged:
        return _union_tagged(per_rule, count)
    kind: Any = object if len(per_rule) >= 63 else np.int64
    every = np.concatenate([np.zeros(0, dtype=np.int64), *per_rule])
    distinct = distinct_sorted(every)
    del every
    bits = np.zeros(len(distinct), dtype=kind)
    for number in range(len(per_rule)):
        codes = per_rule[number]
        per_rule[number] = np.zeros(0, dtype=np.int64)
        bits[np.searchsorted(distinct, codes)] |= 1 << number
        del codes
    per_rule.clear()
    left, right = np.divmod(distinct, count)
    return left, right, bits


_CHUNK = 1 << 20
"""Entries read at a time where a whole temporary array would raise the peak."""


def _union_tagged(per_rule: list[Ints], count: int) -> tuple[Ints, Ints, Ints]:
    """:func:`union_codes` of tagged codes.

    The rules' codes are copied one by one into the joined array, each freed once copied
    (the joined array's pages are taken as they are written), and the temporary arrays over
    every code are made a piece at a time: the peak stays near 16 bytes a code beside the
    result.
    """
    every = np.empty(sum(len(codes) for codes in per_rule), dtype=np.int64)
    at = 0
    for number in range(len(per_rule)):
        codes = per_rule[number]
        per_rule[number] = np.zeros(0, dtype=np.int64)
        every[at : at + len(codes)] = codes
        at += len(codes)
        del codes
    per_rule.clear()
    every.sort(kind="stable")  # a merge of the rules' sorted runs
    first = np.zeros(len(every), dtype=np.bool_)  # where each pair's run of tags starts
    first[:1] = True
    for start in range(1, len(every), _CHUNK):
        stop = min(start + _CHUNK, len(every))
        first[start:stop] = (every[start:stop] >> TAG_BITS) != (
            every[start - 1 : stop - 1] >> TAG_BITS
        )
    starts = np.flatnonzero(first)
    del first
    distinct = every[starts]
    distinct >>= TAG_BITS
    every &= (1 << TAG_BITS) - 1
    tags = every.astype(np.uint8)
    del every
    bits = np.empty(len(starts), dtype=np.int64)
    for begin in range(0, len(starts), _CHUNK):
        end = min(begin + _CHUNK, len(starts))
        low = int(starts[begin])
        high = int(starts[end]) if end < len(starts) else len(tags)
        shifted = np.left_shift(1, tags[low:high].astype(np.int64))
        bits[begin:end] = np.bitwise_or.reduceat(shifted, starts[begin:end] - low)
    del tags, starts
    left, right = np.divmod(distinct, count)
    return left, right, bits
