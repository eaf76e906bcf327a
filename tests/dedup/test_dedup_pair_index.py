"""LazyTuple and IdsAt: pairs kept as positions, read as the tuples they stand for."""

from __future__ import annotations

import pickle

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact, ContactIdentity, EmailAddress, PersonName
from crmcore.dedup import BlockingResult, CandidatePair, block
from crmcore.dedup._pair_index import IdsAt, LazyTuple, ids_at, row_of_pair


def _lazy(items: tuple[int, ...]) -> tuple[LazyTuple[int], list[int]]:
    calls: list[int] = []

    def build() -> tuple[int, ...]:
        calls.append(1)
        return items

    return LazyTuple(len(items), build), calls


@given(st.lists(st.integers(), max_size=20).map(tuple))
def test_lazy_tuple_is_its_tuple(items: tuple[int, ...]) -> None:
    lazy, calls = _lazy(items)
    assert len(lazy) == len(items)
    assert calls == []  # the length alone makes nothing
    assert lazy == items
    assert items == lazy
    assert hash(lazy) == hash(items)
    assert list(lazy) == list(items)
    assert lazy[:3] == items[:3]
    assert repr(lazy) == repr(items)
    assert pickle.loads(pickle.dumps(lazy)) == items
    assert calls == [1]  # made once, however often read


def test_lazy_tuple_differs_from_another_tuple() -> None:
    lazy, _ = _lazy((1, 2))
    assert lazy != (1, 3)
    assert lazy != [1, 2]  # a tuple, not a list
    assert lazy == _lazy((1, 2))[0]


def _person(record_id: str, given: str, email: str) -> Contact:
    return Contact(
        record_id,
        ContactIdentity(
            name=PersonName(given=given, family="Smith"), emails=(EmailAddress(email),)
        ),
    )


def test_blocking_result_equals_one_built_by_hand() -> None:
    records = [
        _person("c-2", "Bob", "bob@example.com"),
        _person("c-1", "Robert", "BOB@example.com"),
        _person("c-3", "Alice", "alice@example.com"),
    ]
    found = block(records)
    by_hand = BlockingResult(
        pairs=tuple(
            CandidatePair(pair.left, pair.right, pair.rules) for pair in tuple(found.pairs)
        ),
        rules=found.rules,
        skipped=found.skipped,
        records=found.records,
        unkeyed=found.unkeyed,
    )
    assert found == by_hand
    assert hash(found) == hash(by_hand)
    assert found.ids == by_hand.ids == (("c-1", "c-2"), ("c-1", "c-3"), ("c-2", "c-3"))
    assert pickle.loads(pickle.dumps(found)) == found


@given(
    st.lists(st.text(max_size=3), min_size=1, max_size=8, unique=True).flatmap(
        lambda ids: st.tuples(
            st.just(tuple(ids)), st.lists(st.integers(0, len(ids) - 1), max_size=30)
        )
    )
)
def test_ids_at_is_the_tuple_of_its_ids(case: tuple[tuple[str, ...], list[int]]) -> None:
    ids, at = case
    expected = tuple(ids[i] for i in at)
    found = IdsAt(ids, np.array(at, dtype=np.int64))
    assert len(found) == len(expected)
    assert found == expected
    assert expected == found
    assert hash(found) == hash(expected)
    assert list(found) == list(expected)
    assert [found[i] for i in range(len(found))] == list(expected)
    assert found[1:5] == expected[1:5]
    assert found[::-1] == expected[::-1]
    assert repr(found) == repr(expected)
    again = pickle.loads(pickle.dumps(found))
    assert isinstance(again, IdsAt)
    assert again == found
    rows = np.arange(0, len(at), 2, dtype=np.int64)
    assert ids_at(found, rows) == [expected[i] for i in rows.tolist()]
    assert ids_at(expected, rows) == [expected[i] for i in rows.tolist()]


def test_ids_at_differs_from_other_ids_and_lists() -> None:
    found = IdsAt(("a", "b"), np.array([0, 1, 1]))
    assert found != ("a", "b", "a")
    assert found != ("a", "b")
    assert found != ["a", "b", "b"]
    assert found == IdsAt(("x", "a", "b"), np.array([1, 2, 2]))
    assert found != IdsAt(("a", "b"), np.array([0, 1, 0]))
    assert found == LazyTuple(3, lambda: ("a", "b", "b"))
    assert LazyTuple(3, lambda: ("a", "b", "b")) == found


@given(
    st.lists(st.text("abcde", min_size=1, max_size=3), min_size=2, max_size=8, unique=True),
    st.data(),
)
def test_a_pair_is_found_by_positions_as_by_its_ids(ids: list[str], data: st.DataObject) -> None:
    names = tuple(sorted(ids))
    every = [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))]
    chosen = sorted(data.draw(st.sets(st.sampled_from(every), min_size=1)))
    left = IdsAt(names, np.array([i for i, _ in chosen], dtype=np.int64))
    right = IdsAt(names, np.array([j for _, j in chosen], dtype=np.int64))
    for row, (i, j) in enumerate(chosen):
        assert row_of_pair(left, right, (names[i], names[j])) == row
    for i, j in every:
        if (i, j) not in chosen:
            assert row_of_pair(left, right, (names[i], names[j])) is None
    assert row_of_pair(left, right, ("zz", names[0])) is None
    assert row_of_pair(tuple(left), tuple(right), (names[0], names[1])) is None  # not positions
