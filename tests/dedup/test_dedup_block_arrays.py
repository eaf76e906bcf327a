"""Blocking's pairs in arrays equal the per-block forms: block_pairs and window_pairs."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from crmcore.dedup._batch import involved
from crmcore.dedup._block_arrays import (
    _repeated_blocks,
    can_tag,
    distinct_sorted,
    key_pair_codes,
    key_table,
    tag_codes,
    union_codes,
    window_pair_codes,
)
from crmcore.dedup.blocking import SkippedBlock, block_pairs, window_pairs

_KEYS = st.lists(
    st.lists(st.sampled_from("abcdefg"), max_size=3, unique=True).map(lambda k: tuple(sorted(k))),
    max_size=40,
)


def _pairs(codes: np.ndarray, count: int) -> list[tuple[int, int]]:
    return [(code // count, code % count) for code in codes.tolist()]


@given(_KEYS, st.integers(2, 12))
def test_key_pairs_are_those_of_each_block(keys: list[tuple[str, ...]], size: int) -> None:
    blocks: dict[str, list[int]] = {}
    for position, found in enumerate(keys):
        for key in found:
            blocks.setdefault(key, []).append(position)
    expected_skipped: list[SkippedBlock] = []
    expected: set[tuple[int, int]] = set()
    for members in blocks.values():
        expected.update(block_pairs(members, size, "r", expected_skipped))
    skipped: list[int] = []
    codes, split = key_pair_codes(keys, size, skipped.append)
    assert _pairs(codes, len(keys)) == sorted(expected)
    assert split == 0
    assert sorted(skipped) == sorted(s.size for s in expected_skipped)


_SPLITS = st.lists(_KEYS, min_size=1, max_size=2)


@given(_KEYS, st.integers(2, 6), _SPLITS, st.integers(2, 4))
def test_large_blocks_split_give_the_pairs_of_block_pairs(
    keys: list[tuple[str, ...]], size: int, splits: list[list[tuple[str, ...]]], window: int
) -> None:
    """Every block is paired as block_pairs pairs it, a large one split by the split keys;
    a block of ``size`` or fewer gives all its pairs; a larger block of ``n`` members at most
    ``n * (window - 1)`` per split key of a member."""
    tables = [(found + [()] * len(keys))[: len(keys)] for found in splits]
    blocks: dict[str, list[int]] = {}
    for position, found in enumerate(keys):
        for key in found:
            blocks.setdefault(key, []).append(position)
    expected: set[tuple[int, int]] = set()
    from_split: set[tuple[int, int]] = set()
    for members in blocks.values():
        split_keys = [tuple(table[m] for table in tables) for m in members]
        found_pairs = set(block_pairs(members, size, "r", [], split_keys, window))
        if len(members) <= size:
            assert found_pairs == {(a, b) for a in members for b in members if a < b}
        else:
            assert found_pairs <= {(a, b) for a in members for b in members if a < b}
            split_count = sum(len(table[m]) for table in tables for m in members)
            assert len(found_pairs) <= split_count * (window - 1)
            from_split |= found_pairs
        expected |= found_pairs
    codes, split = key_pair_codes(
        keys, size, lambda _: None, [key_table(table) for table in tables], window
    )
    assert _pairs(codes, len(keys)) == sorted(expected)
    assert split == len(from_split)


def test_a_large_block_pairs_its_members_sharing_a_split_key_within_the_window() -> None:
    keys = [("k",)] * 6
    places = [("p",), ("p",), ("q",), ("p",), (), ("q",)]
    codes, split = key_pair_codes(keys, 3, lambda _: None, [key_table(places)], 2)
    # p: 0, 1, 3 paired with the next one; q: 2, 5; 4 has no split key
    assert _pairs(codes, 6) == [(0, 1), (1, 3), (2, 5)]
    assert split == 3
    shared = [("s",)] * 6  # a split key shared by more than 3 is too large itself: no pair
    codes, split = key_pair_codes(keys, 3, lambda _: None, [key_table(shared)], 2)
    assert (len(codes), split) == (0, 0)


@given(_KEYS, st.integers(2, 6))
def test_window_pairs_are_those_of_the_key_order(keys: list[tuple[str, ...]], window: int) -> None:
    ordered = sorted((key, position) for position, found in enumerate(keys) for key in found)
    expected = window_pairs([position for _, position in ordered], window)
    codes = window_pair_codes(keys, window)
    assert _pairs(codes, len(keys)) == sorted(expected)


@given(st.lists(st.sets(st.tuples(st.integers(0, 9), st.integers(0, 9))), max_size=4))
def test_the_union_has_each_pair_once_with_the_bits_of_its_rules(
    rules: list[set[tuple[int, int]]],
) -> None:
    count = 10
    per_rule = [
        np.array(
            sorted({min(a, b) * count + max(a, b) for a, b in found if a != b}), dtype=np.int64
        )
        for found in rules
    ]
    given = list(per_rule)
    left, right, bits = union_codes(given, count)
    assert given == []  # emptied as read: each rule's codes freed once their bits are set
    expected: dict[tuple[int, int], int] = {}
    for number, codes in enumerate(per_rule):
        for pair in _pairs(codes, count):
            expected[pair] = expected.get(pair, 0) | 1 << number
    found = list(zip(left.tolist(), right.tolist(), strict=True))
    assert found == sorted(expected)
    assert bits.tolist() == [expected[pair] for pair in found]
    assert all(a < b for a, b in found)


@given(st.lists(st.integers(-50, 50), max_size=60))
def test_distinct_sorted_is_numpy_unique(values: list[int]) -> None:
    codes = np.array(values, dtype=np.int64)
    assert distinct_sorted(codes.copy()).tolist() == np.unique(codes).tolist()


@given(st.integers(1, 30).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.integers(0, n - 1)))))
def test_involved_positions_are_those_of_any_pair(drawn: tuple[int, list[int]]) -> None:
    count, places = drawn
    half = len(places) // 2
    left = np.array(places[:half], dtype=np.int64)
    right = np.array(places[half : 2 * half], dtype=np.int64)
    found = involved(count, left, right)
    assert found.dtype == np.int64
    assert found.tolist() == sorted(set(left.tolist()) | set(right.tolist()))


@given(st.lists(st.sets(st.tuples(st.integers(0, 9), st.integers(0, 9))), max_size=5))
def test_tagged_union_is_the_union_of_the_codes(rules: list[set[tuple[int, int]]]) -> None:
    count = 10
    per_rule = [
        np.array(
            sorted({min(a, b) * count + max(a, b) for a, b in found if a != b}), dtype=np.int64
        )
        for found in rules
    ]
    assert can_tag(count, len(per_rule))
    plain = union_codes(list(per_rule), count)
    given = [tag_codes(codes.copy(), number) for number, codes in enumerate(per_rule)]
    tagged = union_codes(given, count, tagged=True)
    assert given == []
    for found, expected in zip(tagged, plain, strict=True):
        assert found.dtype == np.int64
        assert found.tolist() == expected.tolist()


def test_codes_too_large_or_too_many_rules_are_not_tagged() -> None:
    assert can_tag(100_000, 8)
    assert not can_tag(1 << 29, 8)
    assert not can_tag(10, 63)


def test_blocks_with_the_same_members_are_paired_once() -> None:
    # keys a and b hold the same three records, c two of them: the pairs as from each block
    keys = [("a", "b", "c"), ("x",), ("a", "b", "c"), ("a", "b")]
    codes, _ = key_pair_codes(keys, 10, lambda size: None)
    assert _pairs(codes, len(keys)) == [(0, 2), (0, 3), (2, 3)]
    positions = np.array([0, 2, 3, 0, 2, 3, 0, 2, 5], dtype=np.int64)
    starts = np.array([0, 3, 6], dtype=np.int64)
    sizes = np.array([3, 3, 3], dtype=np.int64)
    wanted = np.ones(3, dtype=np.bool_)
    assert _repeated_blocks(positions, starts, sizes, wanted).tolist() == [False, True, False]
    wanted[0] = False  # a block left out (too large) is no block's original
    assert _repeated_blocks(positions, starts, sizes, wanted).tolist() == [False, False, False]
