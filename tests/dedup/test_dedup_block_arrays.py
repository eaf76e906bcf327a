"""Blocking's pairs in arrays equal the per-block forms: block_pairs and window_pairs."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from crmcore.dedup._batch import involved
from crmcore.dedup._block_arrays import (
    distinct_sorted,
    key_pair_codes,
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
    codes = key_pair_codes(keys, size, skipped.append)
    assert _pairs(codes, len(keys)) == sorted(expected)
    assert sorted(skipped) == sorted(s.size for s in expected_skipped)


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
