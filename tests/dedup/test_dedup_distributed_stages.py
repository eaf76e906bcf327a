"""The stages of the distributed engine, one partition at a time, without Dask.

Splitting the work in partitions must change nothing: the window pairs of ranges of sorted
keys are those of the whole key order, the blocks of a bucket those of :func:`block`.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crmcore.dedup._distributed_stages import (
    KEY,
    PAIR,
    SKIPPED,
    boundaries,
    bucket,
    heads,
    key_group_pairs,
    range_of,
    unite_pairs,
    window_group_pairs,
)
from crmcore.dedup.blocking import window_pairs

_ITEMS = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from("abcdef"), st.sampled_from("pqrstuvwxyz")),
    unique=True,
    max_size=40,
)


@given(_ITEMS, st.lists(st.integers(0, 40), max_size=6), st.permutations([2, 3, 5]))
def test_window_pairs_of_ranges_are_those_of_the_whole_order(
    items: list[tuple[int, str, str]], cut_at: list[int], windows: list[int]
) -> None:
    ordered = sorted(items)
    cuts = sorted({ordered[i] for i in cut_at if i < len(ordered)})
    ranged = range_of([("w", *item) for item in items], cuts)
    groups: dict[int, list[Any]] = {}
    for number, item in ranged:
        groups.setdefault(number, []).append((number, item))
    parts = [list(groups.items())]
    found = window_group_pairs(parts[0], [heads(parts[0], max(windows) - 1)], windows)
    expected = set()
    for rule, window in enumerate(windows):
        places = [record_id for r, _, record_id in ordered if r == rule]
        expected |= {(PAIR, a, b, 1 << rule) for a, b in window_pairs(places, window)}
    assert set(found) == expected  # a pair two ranges both find is united later


@given(st.text(), st.integers(1, 50))
def test_a_bucket_is_stable_and_in_range(text: str, buckets: int) -> None:
    first = bucket(text, buckets)
    assert 0 <= first < buckets
    assert bucket(text, buckets) == first


@given(st.lists(st.lists(st.tuples(st.integers(0, 3), st.text(max_size=2))), max_size=4))
def test_boundaries_are_sorted_and_fewer_than_the_ranges(samples: list[Any]) -> None:
    cuts = boundaries(samples, 4)
    assert cuts == sorted(set(cuts))
    assert len(cuts) <= 3


def test_a_block_over_the_size_is_skipped_and_others_paired_in_id_order() -> None:
    items = [(KEY, 0, 0, "k", record_id, ((),)) for record_id in ("c-3", "c-1", "c-2")]
    items += [(KEY, 0, 1, "k", "c-9", ((),)), (KEY, 0, 1, "k", "c-4", ((),))]
    found = key_group_pairs([(0, items)], ["crmcore.a", "crmcore.b"], 2)
    assert found == [(SKIPPED, 0, 3), (PAIR, "c-4", "c-9", 2)]


def test_a_block_over_the_size_is_split_by_its_members_split_keys() -> None:
    split = {"c-1": (("p",), ()), "c-2": (("q",), ("d",)), "c-3": (("p",), ("d",))}
    items = [(KEY, 0, 0, "k", record_id, split[record_id]) for record_id in ("c-3", "c-1", "c-2")]
    found = key_group_pairs([(0, items)], ["crmcore.a"], 2)
    assert found == [(PAIR, "c-1", "c-3", 1), (PAIR, "c-2", "c-3", 1), (SKIPPED, 0, 3)]
    assert key_group_pairs([(0, items)], ["crmcore.a"], 2, None) == [(SKIPPED, 0, 3)]


def test_a_pair_found_by_two_rules_is_one_pair_with_both_bits() -> None:
    items = [(PAIR, 0, "c-1", "c-2", 1), (PAIR, 0, "c-1", "c-2", 4), (PAIR, 0, "c-0", "c-2", 2)]
    assert unite_pairs([(0, items)]) == [("c-0", "c-2", 2), ("c-1", "c-2", 5)]
