"""u of rare levels counted over every pair of records: the counts against a count of every
pair, and the fitted model that reads them."""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.dedup._distributed_checks import cleaned

from crmcore import Contact, ContactIdentity, PersonName
from crmcore.dedup import (
    CompareContext,
    Comparisons,
    _em,
    birth_dates,
    block,
    compare_for_fit,
    default_comparisons,
    fit,
    person_names,
    swapped_names,
)
from crmcore.dedup._batch import Interned, Read
from crmcore.dedup._exact_u import COUNTED_FLOOR, ValueCounts, _with_counts, counted_u, value_counts
from crmcore.dedup._vectors import ComparisonVectors, read_records
from crmcore.dedup.comparator import CountedLevels
from crmcore.dedup.names import PERSON_LEVELS

CTX = CompareContext()
# Nickname groups (bob, robert; ann, anne) and names that are given and family names both.
GIVEN = ("bob", "robert", "ann", "anne", "lee", "kim", "wei")
FAMILY = ("lee", "kim", "smith", "robert", "zhang", "wei", "bob")
names = st.tuples(st.sampled_from((*GIVEN, None)), st.sampled_from((*FAMILY, None)))
ymd = st.tuples(st.sampled_from((1990, 1985, 90, 85)), st.integers(1, 13), st.integers(1, 13))
date_sets = st.frozensets(ymd, min_size=1, max_size=2)


def _every_pair(values: list[Any], compare: Any) -> Counter[str]:
    """The level of every pair of ``values`` (one a record), counted: the brute force."""
    return Counter(compare(a, b, CTX) for a, b in combinations(values, 2))


def _exact_swap(a: tuple[Any, Any], b: tuple[Any, Any]) -> bool:
    return bool(a[0] and a[1]) and a != b and a == b[::-1]


@settings(max_examples=60, deadline=None)
@given(st.lists(names.filter(lambda n: n != (None, None)), max_size=40))
def test_name_counts_are_those_of_every_pair(found: list[tuple[Any, Any]]) -> None:
    cmp = person_names()
    every = list(combinations(found, 2))
    levels = [cmp.compare_prepared(a, b, CTX) for a, b in every]
    swaps = sum(
        lvl == "swapped" and _exact_swap(a, b) for (a, b), lvl in zip(every, levels, strict=True)
    )
    counted = cmp.count_levels(Counter(found), CTX)
    assert counted == {"swapped": swaps}


@settings(max_examples=60, deadline=None)
@given(st.lists(names.filter(lambda n: None not in n), max_size=40))
def test_swapped_name_counts_are_every_swap(found: list[tuple[str, str]]) -> None:
    cmp = swapped_names()
    levels = _every_pair(found, cmp.compare_prepared)
    assert cmp.count_levels(Counter(found), CTX) == {"swapped": levels["swapped"]}


@settings(max_examples=80, deadline=None)
@given(st.lists(date_sets, max_size=40))
def test_date_counts_are_every_swap(found: list[frozenset[tuple[int, int, int]]]) -> None:
    cmp = birth_dates()
    levels = _every_pair(found, cmp.compare_prepared)
    assert cmp.count_levels(Counter(found), CTX) == {"swapped": levels["swapped"]}


def test_a_swap_of_two_names_is_counted_once_per_pair_of_records() -> None:
    counts = {("wei", "zhang"): 3, ("zhang", "wei"): 2, ("bob", "smith"): 2, ("robert", "smith"): 1}
    assert person_names().count_levels(counts, CTX) == {"swapped": 6}


def _person(number: int, given: str, family: str) -> Contact:
    return Contact(f"c-{number:03d}", ContactIdentity(name=PersonName(given=given, family=family)))


def test_counts_read_from_records_and_offered_by_the_built_in_comparators() -> None:
    people = [
        _person(i, *pair) for i, pair in enumerate([("Wei", "Zhang")] * 2 + [("ZHANG", "Wei")])
    ]
    (names_cmp,) = [c for c in default_comparisons().for_type(Contact) if c.name == "crmcore.name"]
    assert value_counts(names_cmp, people, CTX) == {("wei", "zhang"): 2, ("zhang", "wei"): 1}
    assert isinstance(person_names(), CountedLevels)
    assert isinstance(birth_dates(), CountedLevels)
    assert not isinstance(lambda a, b, ctx: "exact", CountedLevels)


def test_counted_levels_take_their_share_and_the_others_the_rest() -> None:
    sampled = np.array([0.5, 0.25, 0.25])
    levels = ("exact", "swapped", "different", "null")
    column = _with_counts(sampled, levels, {"swapped": 1}, 100)
    assert column[1] == pytest.approx(1.5 / 101.5)  # smoothed as the sample: half a pair more
    assert column.sum() == pytest.approx(1.0)
    assert column[0] / column[2] == pytest.approx(2.0)
    none = _with_counts(sampled, levels, {"swapped": 0}, 100)
    assert none[1] == pytest.approx(0.5 / 101.5)


def test_a_level_counted_rarer_than_epsilon_keeps_its_count() -> None:
    # ten exact swaps among ten million pairs: far rarer than EPSILON, and kept so
    sampled = np.array([0.5, 0.25, 0.25])
    levels = ("exact", "swapped", "different", "null")
    column = _with_counts(sampled, levels, {"swapped": 10}, 10_000_000)
    assert column[1] == pytest.approx(10.5 / 10_000_001.5)
    assert column[1] < _em.EPSILON
    assert column.sum() == pytest.approx(1.0)


def test_a_counted_level_rises_with_its_count_and_stays_above_the_counted_floor() -> None:
    # among a trillion pairs a level counted once is no rarer than one counted at none, and
    # neither falls below COUNTED_FLOOR (four bits over a sampled level, never twenty)
    sampled = np.array([0.5, 0.25, 0.25])
    levels = ("exact", "swapped", "different", "null")
    shares = [
        _with_counts(sampled, levels, {"swapped": count}, 10**12)[1]
        for count in (0, 1, 10, 10**6, 10**7, 10**8)
    ]
    assert shares == sorted(shares)
    assert shares[0] == pytest.approx(shares[1], rel=1e-9)
    assert shares[1] == pytest.approx(COUNTED_FLOOR, rel=1e-3)
    assert shares[-1] == pytest.approx((10**8 + 0.5) / (10**12 + 1.5))
    assert COUNTED_FLOOR < _em.EPSILON


def test_two_records_give_what_their_sample_gives() -> None:
    # one pair: a count of none is no more certain than the sample's smoothing says
    sampled = np.full(8, 1.0 / 8)
    column = _with_counts(sampled, PERSON_LEVELS, {"swapped": 0, "nickname": 0}, 1)
    assert column[1] == column[2] == pytest.approx(0.1)
    assert column.min() > 0.05


def test_a_comparator_without_counts_keeps_its_sampled_u() -> None:
    comparisons = Comparisons()
    comparisons.add(
        Contact,
        lambda a, b, ctx: "different",
        name="acme.plain",
        levels=("exact", "different", "null"),
    )
    sampled = [np.array([0.1, 0.9])]
    found = counted_u(
        [_person(1, "A", "B"), _person(2, "B", "A")], comparisons.for_type(Contact), CTX, sampled
    )
    assert np.array_equal(found[0], sampled[0])


def test_one_swap_among_many_names_is_counted_below_epsilon() -> None:
    # 800 distinct names and one of them entered swapped: one exact swap among 320,400 pairs
    people = [_person(i, f"Given{i}", f"Family{i}") for i in range(800)]
    people.append(_person(800, "Family7", "Given7"))
    chosen = [c for c in default_comparisons().for_type(Contact) if c.name == "crmcore.name"]
    sampled = [np.full(len(PERSON_LEVELS) - 1, 1.0 / (len(PERSON_LEVELS) - 1))]
    (found,) = counted_u(people, chosen, CTX, sampled)
    swapped = found[PERSON_LEVELS.index("swapped")]
    assert swapped == pytest.approx(1.5 / (801 * 800 // 2 + 4))
    assert swapped < _em.EPSILON


def test_the_fitted_u_of_a_swap_is_its_count_over_every_pair() -> None:
    records = list(cleaned(5, 300))
    model = fit(records, block(records), seed=5)
    (names_cmp,) = [c for c in default_comparisons().for_type(Contact) if c.name == "crmcore.name"]
    prepared = [names_cmp.comparator.prepare(record, CTX) for record in records]
    present = [value for value in prepared if value is not None]
    swaps = sum(_exact_swap(a, b) for a, b in combinations(present, 2))
    pairs = len(present) * (len(present) - 1) // 2
    (name_model,) = [c for c in model.comparisons if c.name == "crmcore.name"]
    u = dict(zip(name_model.levels[:-1], name_model.u, strict=True))
    assert u["swapped"] == pytest.approx((swaps + 0.5) / (pairs + 4), rel=1e-6, abs=1e-9)


def test_the_model_is_the_same_in_any_order_and_with_two_jobs() -> None:
    records = list(cleaned(8, 240))
    model = fit(records, block(records), seed=2)
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    assert fit(shuffled, block(shuffled), seed=2).to_json() == model.to_json()
    assert fit(records, block(records), seed=2, jobs=2).to_json() == model.to_json()


def test_a_counting_comparator_that_raises_is_named_never_quoted() -> None:
    import attrs

    from crmcore.dedup import ComparatorError
    from crmcore.dedup.names import PersonNames

    @attrs.frozen
    class Broken(PersonNames):
        def count_levels(self, counts: Any, ctx: Any) -> dict[str, int]:
            raise ValueError(f"cannot count {sorted(counts)}")

    comparisons = Comparisons()
    comparisons.add(Contact, Broken(person_names().nicknames), name="acme.broken")
    records = [_person(1, "Wei", "Zhang"), _person(2, "Zhang", "Wei")]
    sampled = [np.full(len(PERSON_LEVELS) - 1, 0.1)]
    with pytest.raises(ComparatorError) as raised:
        counted_u(records, comparisons.for_type(Contact), CTX, sampled)
    assert "acme.broken" in str(raised.value)
    assert "zhang" not in str(raised.value).casefold()
    assert raised.value.__cause__ is None


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_comparison_pass_counts_the_values_a_fit_counts_levels_of(jobs: int) -> None:
    records = read_records(cleaned(3, 200))
    comparisons = default_comparisons()
    vectors, sample = compare_for_fit(records, block(records), comparisons, seed=3, jobs=jobs)
    assert set(vectors.value_counts) == {"crmcore.name", "crmcore.birth_date"}
    assert sample.value_counts == vectors.value_counts  # one pass: shared by the two sets
    for comparison in comparisons.for_type(Contact):
        known = vectors.value_counts.get(comparison.name)
        if known is not None:
            read = value_counts(comparison, records, CTX)
            assert value_counts(comparison, (), CTX, known) == read
            assert read  # the records have names and birth dates


def test_counted_u_reads_the_counts_given_not_the_records() -> None:
    records = read_records(cleaned(4, 200))
    comparisons = default_comparisons()
    vectors, _ = compare_for_fit(records, block(records), comparisons, seed=4)
    chosen = comparisons.for_type(Contact)
    sampled = [np.full(len(c.levels) - 1, 1.0 / (len(c.levels) - 1)) for c in chosen]
    expected = counted_u(records, chosen, CTX, sampled)
    found = counted_u((), chosen, CTX, sampled, vectors.value_counts)
    assert all(np.array_equal(a, b) for a, b in zip(found, expected, strict=True))
    assert any(not np.array_equal(a, b) for a, b in zip(found, sampled, strict=True))
    # counts another comparator read are not used: with no records to read, u is the sample's
    stale = {
        name: ValueCounts(counts.values, counts.counts, counts.read, (object(), CTX))
        for name, counts in vectors.value_counts.items()
    }
    found = counted_u((), chosen, CTX, sampled, stale)
    assert all(np.array_equal(a, b) for a, b in zip(found, sampled, strict=True))


def test_values_counted_from_what_was_read_or_prepared() -> None:
    read = Read(np.array([1, 0, -1, 1, 2]), [("a",), ("b",), ("c",)], 5)
    counts = ValueCounts.of(read, None, CTX)
    assert counts.read
    assert counts.counts.tolist() == [1, 2, 1]
    prepared = ValueCounts.of(Interned(np.array([-1, 0, 0]), ["x"], 3), None, CTX)
    assert not prepared.read
    assert prepared.counts.tolist() == [2]


def test_counted_values_never_show_in_their_repr() -> None:
    counts = ValueCounts.of(Read(np.array([0, 1]), [("Jane Doe",), ("1958",)], 2), None, CTX)
    assert repr(counts) == "ValueCounts(2 values, read=True)"


def test_the_model_is_the_same_with_the_values_counted_by_the_comparison_pass() -> None:
    records = read_records(cleaned(6, 300))
    blocking = block(records)
    vectors, sample = compare_for_fit(records, blocking, seed=6)
    assert vectors.value_counts
    bare = [
        ComparisonVectors.at_positions(
            v.record_type,
            v.names,
            v.levels,
            v.record_ids,
            v.left_positions,
            v.right_positions,
            v.matrix,
            v.term_codes,
        )
        for v in (vectors, sample)
    ]
    counted = fit(records, blocking, seed=6, vectors=vectors, u_vectors=sample)
    read = fit(records, blocking, seed=6, vectors=bare[0], u_vectors=bare[1])
    assert counted.to_json() == read.to_json()
    assert read.to_json() == fit(records, blocking, seed=6).to_json()
