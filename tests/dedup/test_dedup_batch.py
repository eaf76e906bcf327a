"""The indexed batch form of comparisons: the levels of the per-pair form, each pair once."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.dedup.test_dedup_properties import CONTACT_COMPARATORS, near_contacts

from crmcore import (
    Account,
    AccountIdentity,
    Contact,
    ContactIdentity,
    EmailAddress,
    PersonName,
    PhoneNumber,
    PostalAddress,
)
from crmcore.dedup import (
    ComparatorError,
    CompareContext,
    Comparisons,
    _batch,
    _extras,
    block,
    compare_pairs,
    default_comparisons,
    fit,
    score,
)
from crmcore.dedup._batch import (
    CLASSES,
    TextRows,
    _in_chunk,
    class_counts,
    indexed_levels,
    intern_prepared,
    one_edit,
    prepared_once,
    prepared_unkept,
)
from crmcore.dedup.organisations import CompanyNames
from crmcore.errors import InvalidValueError
from crmcore.records import ExternalId
from crmcore.testing import strategies as crm_st

CTX = CompareContext()
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def records_and_pairs(
    draw: st.DrawFn, records: st.SearchStrategy[Any]
) -> tuple[list[Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    found = draw(st.lists(records, min_size=1, max_size=8))
    size = len(found)
    pairs = draw(
        st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=20)
    )
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    return found, left, right


_NUMBERS = st.sampled_from(
    ["06 12 34 56 78", "06 12 34 56 79", "06 12 34 65 78", "06 12 34 56 7", "+44 20 7946 0958"]
)
_PHONE = st.builds(
    lambda number, extension: PhoneNumber(number, region="FR", extension=extension),
    _NUMBERS,
    st.sampled_from([None, "12", "13"]),
)
_ADDRESS = st.builds(
    PostalAddress,
    lines=st.sampled_from(
        [(), ("10 rue de Rivoli",), ("10, R. de Rivoli",), ("12 rue de Rivoli",), ("Apt 4",)]
    ),
    postal_code=st.sampled_from([None, "75001", "75 001", "69001"]),
    locality=st.sampled_from([None, "Paris", "PARIS", "Lyon"]),
    country=st.sampled_from([None, "FR", "BE"]),
)


_ADDRESSES = [
    "jane.doe@gmail.com",
    "Jane.Doe+crm@googlemail.com",
    "jnae.doe@gmail.com",
    "jane.doe@example.com",
    "jane.doe+crm@example.com",
    "jane.dOe@example.com",
    "jnae.doe@example.org",
    "abc@example.com",
    "abd@example.com",
    "jane.doe@exmaple.com",
    "jdoe@example.com",
    "jdoe2@example.com",
    "jdoe@examp1e.com",
]
_EMAIL = st.builds(EmailAddress, st.sampled_from(_ADDRESSES))
_JANE_DOE = PersonName(given="Jane", family="Doe")


@st.composite
def contact_points(draw: st.DrawFn) -> Contact:
    """A contact with zero to two emails, phones and addresses drawn from small close pools,
    named Jane Doe or not (an address of the name only is never a typo of another)."""
    return Contact(
        "c",
        ContactIdentity(
            name=draw(st.sampled_from([PersonName(), _JANE_DOE])),
            emails=tuple(draw(st.lists(_EMAIL, max_size=2, unique_by=lambda e: e.address))),
            phones=tuple(draw(st.lists(_PHONE, max_size=2))),
            addresses=tuple(draw(st.lists(_ADDRESS, max_size=2))),
        ),
    )


_contacts = crm_st.contacts() | near_contacts() | contact_points()


Drawn = tuple[list[Any], Any, Any]


def _check_comparators(names: Any, drawn: Drawn) -> None:
    """Each comparator's indexed levels are its per-pair levels."""
    records, left, right = drawn
    for name in names:
        comparator = CONTACT_COMPARATORS[name]
        found = indexed_levels(comparator, records, left, right, CTX, comparator.levels.index)
        expected = [
            comparator.levels.index(comparator(records[a], records[b], CTX))
            for a, b in zip(left.tolist(), right.tolist(), strict=True)
        ]
        assert found.tolist() == expected, name


def _check_comparisons(record_type: type[Any], drawn: Drawn) -> None:
    """Each default comparison's level positions are its checked per-pair levels."""
    records, left, right = drawn
    for comparison in default_comparisons().for_type(record_type):
        found = comparison.level_positions(records, left, right, CTX)
        expected = [
            comparison.level_index(comparison.compare(records[a], records[b], CTX))
            for a, b in zip(left.tolist(), right.tolist(), strict=True)
        ]
        assert found.tolist() == expected, comparison.name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records_and_pairs(contact_points()))
def test_vectorised_emails_phones_and_addresses_equal_their_per_pair_levels(drawn: Drawn) -> None:
    _check_comparators(("emails", "phones", "addresses"), drawn)


_ORGANISATIONS = st.sampled_from(
    ["ACME", "Acme Europe SA", "ACME Europe", "Acme Eurpoe", "Globex Corp.", "Globex", "Initech"]
)


@st.composite
def organisations(draw: st.DrawFn) -> Account:
    """An account with no, one or two names (trading and legal) of a small close pool."""
    return Account(
        "a",
        AccountIdentity(name=draw(_ORGANISATIONS), legal_name=draw(st.none() | _ORGANISATIONS)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records_and_pairs(organisations()))
def test_vectorised_organisation_names_equal_their_per_pair_levels(drawn: Drawn) -> None:
    _check_comparators(("organisation",), drawn)


_IDS = st.builds(
    ExternalId,
    system=st.sampled_from(["SSN", "ssn", "Stripe"]),
    value=st.sampled_from(
        ["4418209", "4418290", "4481290", "441820", "44182", "4418", "4481", "cus_9", " cus_9"]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records_and_pairs(
        st.builds(
            lambda ids: Contact("c", ContactIdentity(external_ids=tuple(ids))),
            st.lists(_IDS, max_size=3),
        )
    )
)
def test_vectorised_external_ids_equal_their_per_pair_levels(drawn: Drawn) -> None:
    _check_comparators(("external_ids",), drawn)


_CHARS = st.sampled_from("ab0\x00é+")


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    """``text`` after zero to two edits, each of the four kinds."""
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        char = draw(_CHARS)
        edit = draw(st.sampled_from(["insert", "delete", "change", "swap"]))
        if edit == "insert":
            text = text[:at] + char + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1 :]
        elif edit == "change":
            text = text[:at] + char + text[at + 1 :]
        elif at + 1 < len(text):
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    return text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_CHARS, max_size=7), min_size=1, max_size=4), st.data())
def test_one_edit_is_a_damerau_levenshtein_distance_of_one_at_most(
    bases: list[str], data: st.DataObject
) -> None:
    texts = [*bases, *(data.draw(edited(base)) for base in bases)]
    xs = np.repeat(np.arange(len(texts)), len(texts))
    ys = np.tile(np.arange(len(texts)), len(texts))
    distance = _extras.rapidfuzz_distance().DamerauLevenshtein.distance
    expected = [distance(texts[a], texts[b]) <= 1 for a, b in zip(xs, ys, strict=True)]
    assert one_edit(texts, xs, ys).tolist() == expected


def test_both_ways_of_comparing_an_indexed_comparator_give_its_per_pair_levels(
    person: Any,
) -> None:
    """Values nearly all distinct: every pair compared in arrays; many repeated: each
    distinct pair of values once. Both are the per-pair levels."""
    phones = ["06 12 34 56 78", "06 12 34 56 79", "06 12 34 65 78", "+44 20 7946 0958"]
    for numbers in (phones, phones[:2] * 6):
        records = [
            Contact(f"c-{i}", ContactIdentity(phones=(PhoneNumber(n, region="FR"),)))
            for i, n in enumerate(numbers)
        ]
        pairs = [(a, b) for a in range(len(records)) for b in range(len(records))]
        left = np.array([a for a, _ in pairs], dtype=np.int64)
        right = np.array([b for _, b in pairs], dtype=np.int64)
        _check_comparators(("phones",), (records, left, right))


def test_a_subclass_comparing_its_own_way_is_compared_its_own_way(person: Any) -> None:
    class Strict(CompanyNames):
        def compare_prepared(self, left: Any, right: Any, ctx: CompareContext) -> str:
            return "exact" if left == right else "different"

    records = [
        Account(f"a-{i}", AccountIdentity(name=name))
        for i, name in enumerate(["ACME", "ACME Europe", "ACME"])
    ]
    left, right = np.array([0, 0], dtype=np.int64), np.array([1, 2], dtype=np.int64)
    found = indexed_levels(Strict(), records, left, right, CTX, Strict().levels.index)
    assert [Strict().levels[i] for i in found] == ["different", "exact"]


def test_vectorised_emails_equal_their_per_pair_levels_over_every_pair_of_the_pool() -> None:
    records = [
        Contact(f"c{i}", ContactIdentity(name=name, emails=(EmailAddress(address),)))
        for i, (name, address) in enumerate(
            (name, address) for name in (PersonName(), _JANE_DOE) for address in _ADDRESSES
        )
    ]
    pairs = [(a, b) for a in range(len(records)) for b in range(len(records))]
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    _check_comparators(("emails",), (records, left, right))


@_SETTINGS
@given(records_and_pairs(_contacts))
def test_indexed_levels_equal_the_per_pair_levels_of_every_contact_comparator(
    drawn: Drawn,
) -> None:
    _check_comparators(CONTACT_COMPARATORS, drawn)


@_SETTINGS
@given(records_and_pairs(_contacts), st.integers(1, 5))
def test_pairs_compared_a_piece_at_a_time_give_the_levels_of_all_at_once(
    drawn: Drawn, piece: int
) -> None:
    records, left, right = drawn
    whole = {
        name: indexed_levels(comparator, records, left, right, CTX, comparator.levels.index)
        for name, comparator in CONTACT_COMPARATORS.items()
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_batch, "PAIRS_AT_ONCE", piece)
        for name, comparator in CONTACT_COMPARATORS.items():
            found = indexed_levels(comparator, records, left, right, CTX, comparator.levels.index)
            assert found.tolist() == whole[name].tolist(), name


@_SETTINGS
@given(records_and_pairs(crm_st.accounts()))
def test_level_positions_equal_compare_for_every_default_account_comparison(
    drawn: Drawn,
) -> None:
    _check_comparisons(Account, drawn)


@_SETTINGS
@given(records_and_pairs(_contacts))
def test_level_positions_equal_compare_for_every_default_contact_comparison(
    drawn: Drawn,
) -> None:
    _check_comparisons(Contact, drawn)


@_SETTINGS
@given(records_and_pairs(_contacts), records_and_pairs(_contacts))
def test_levels_inside_prepared_once_equal_those_outside(drawn: Drawn, other: Drawn) -> None:
    records, left, right = drawn
    _, left2, right2 = other
    keep = (left2 < len(records)) & (right2 < len(records))  # a second set of pairs
    left2, right2 = left2[keep], right2[keep]
    for comparison in default_comparisons().for_type(Contact):
        outside = [
            comparison.level_positions(records, a, b, CTX).tolist()
            for a, b in ((left, right), (left2, right2))
        ]
        with prepared_once():
            inside = [
                comparison.level_positions(records, a, b, CTX).tolist()
                for a, b in ((left, right), (left2, right2))
            ]
        assert inside == outside, comparison.name


def test_prepared_once_prepares_each_record_once_per_comparator(person: Any) -> None:
    calls: list[str] = []
    base = CONTACT_COMPARATORS["birth_dates"]

    class Counting(type(base)):  # type: ignore[misc]
        def prepare(self, record: Any, ctx: CompareContext) -> Any:
            calls.append(record.id)
            return super().prepare(record, ctx)

    comparator = Counting(near_days=30)
    records = [person(birth_date=date(1990, 5, 13), record_id=f"c-{i}") for i in range(3)]
    left, right = np.array([0, 0], dtype=np.int64), np.array([1, 2], dtype=np.int64)
    with prepared_once():
        first = indexed_levels(comparator, records, left, right, CTX, base.levels.index)
        again = indexed_levels(comparator, records, left, right, CTX, base.levels.index)
    assert first.tolist() == again.tolist() == [0, 0]
    assert sorted(calls) == ["c-0", "c-1", "c-2"]  # once each, not twice
    calls.clear()
    indexed_levels(comparator, records, left, right, CTX, base.levels.index)
    assert sorted(calls) == ["c-0", "c-1", "c-2"]  # nothing kept after the block
    calls.clear()
    with prepared_once():
        with prepared_unkept():
            first = indexed_levels(comparator, records, left, right, CTX, base.levels.index)
        again = indexed_levels(comparator, records, left, right, CTX, base.levels.index)
    assert first.tolist() == again.tolist() == [0, 0]
    assert sorted(calls) == ["c-0", "c-0", "c-1", "c-1", "c-2", "c-2"]  # the first kept none


def test_equal_prepared_values_share_a_code(person: Any) -> None:
    comparator = CONTACT_COMPARATORS["emails"]
    records = [
        person("Ada", emails=("ada@example.com",), record_id="c-1"),
        person("Ada", emails=("ada@example.com",), record_id="c-2"),
        person("Bob", record_id="c-3"),
    ]
    codes, distinct = intern_prepared(comparator, records, np.arange(3), CTX)
    assert codes.tolist() == [0, 0, -1]
    assert len(distinct) == 1


def test_each_distinct_pair_of_values_is_compared_once(person: Any) -> None:
    calls: list[tuple[Any, Any]] = []
    base = CONTACT_COMPARATORS["birth_dates"]

    class Counting(type(base)):  # type: ignore[misc]
        def compare_prepared(self, left: Any, right: Any, ctx: CompareContext) -> str:
            calls.append((left, right))
            return super().compare_prepared(left, right, ctx)

    born = [date(1990, 5, 13)] * 3 + [date(1990, 13 - 8, 12)]
    records = [person(birth_date=day, record_id=f"c-{i}") for i, day in enumerate(born)]
    left = np.array([0, 0, 1, 0, 1, 2], dtype=np.int64)
    right = np.array([1, 2, 2, 3, 3, 3], dtype=np.int64)
    found = indexed_levels(Counting(near_days=30), records, left, right, CTX, base.levels.index)
    assert [base.levels[i] for i in found] == ["exact"] * 3 + ["one_digit"] * 3
    assert len(calls) == 2


def test_a_plain_comparator_is_compared_pair_by_pair(person: Any) -> None:
    comparisons = Comparisons()

    @comparisons.comparison(Contact, levels=("same", "different"), name="acme.given")
    def same_given(left: Contact, right: Contact, ctx: CompareContext) -> str:
        a, b = left.identity.name.given, right.identity.name.given
        return "null" if a is None or b is None else ("same" if a == b else "different")

    records = [person("Ada", record_id="c-1"), person("Ada", record_id="c-2"), person()]
    left, right = np.array([0, 0]), np.array([1, 2])
    found = comparisons["acme.given"].level_positions(records, left, right, CTX)
    assert found.tolist() == [0, 2]


def test_a_failing_comparator_raises_a_comparator_error_without_values(person: Any) -> None:
    base = CONTACT_COMPARATORS["emails"]

    class Failing(type(base)):  # type: ignore[misc]
        def compare_prepared(self, left: Any, right: Any, ctx: CompareContext) -> str:
            raise ValueError(f"secret {left}")

    comparisons = Comparisons()
    comparisons.add(Contact, Failing(), name="acme.emails")
    records = [
        person(emails=("secret@example.com",), record_id="c-1"),
        person(emails=("other@example.com",), record_id="c-2"),
    ]
    with pytest.raises(ComparatorError) as caught:
        comparisons["acme.emails"].level_positions(records, np.array([0]), np.array([1]), CTX)
    assert "secret" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


def _sample(person: Any) -> list[Contact]:
    return [
        person("Ada", "Lovelace", emails=("ada@example.com",), record_id="c-1"),
        person("Ada", "Lovelace", emails=("ada@example.com",), record_id="c-2"),
        person("Ada", "Lovelace", phones=("06 12 34 56 78",), record_id="c-3"),
        person("Bob", "Lovelace", phones=("06 12 34 56 78",), record_id="c-4"),
        person("Charles", "Babbage", emails=("cb@example.com",), record_id="c-5"),
    ]


def test_fit_on_given_vectors_equals_fit_that_compares(person: Any) -> None:
    records = _sample(person)
    blocking = block(records)
    vectors = compare_pairs(records, blocking)
    model = fit(records, blocking, seed=3)
    assert fit(records, blocking, seed=3, vectors=vectors) == model
    assert score(model, vectors).probabilities.tolist() == pytest.approx(
        score(model, compare_pairs(records, blocking)).probabilities.tolist()
    )


def test_fit_refuses_vectors_of_other_comparisons_or_without_terms(person: Any) -> None:
    records = _sample(person)
    blocking = block(records)
    fewer = default_comparisons()
    fewer.remove("crmcore.email")
    with pytest.raises(InvalidValueError):
        fit(records, blocking, vectors=compare_pairs(records, blocking, fewer))
    with pytest.raises(InvalidValueError):
        fit(records, blocking, vectors=compare_pairs(records, blocking, adjustments=()))
    with pytest.raises(InvalidValueError):
        fit(records, blocking, vectors="not vectors")  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), max_size=30), st.floats(0, 1))
def test_edges_at_a_threshold_are_the_rows_at_or_above_it_in_order(
    chances: list[float], threshold: float
) -> None:
    from crmcore.dedup import MatchModel, ScoredPairs

    left = tuple(f"a{i:03d}" for i in range(len(chances)))
    right = tuple(f"b{i:03d}" for i in range(len(chances)))
    scored = ScoredPairs(
        MatchModel("Contact", 0.1, ()),
        left,
        right,
        np.zeros(len(chances)),
        np.array(chances, dtype=np.float64),
        np.zeros((len(chances), 0), dtype=np.int16),
    )
    expected = [(a, b, p) for a, b, p in zip(left, right, chances, strict=True) if p >= threshold]
    found = list(scored.edges(threshold))
    assert found == expected
    assert all(type(p) is float for _, _, p in found)
    for a, b, p in expected[:3]:
        assert scored.explain_pair(b, a)["probability"] == p


def test_blocking_positions_are_its_pairs_and_rules(person: Any) -> None:
    records = _sample(person)
    blocking = block(records)
    index = blocking.positions
    assert index is not None
    ids = index.ids
    assert ids == tuple(sorted(record.id for record in records))
    assert [
        (ids[a], ids[b], index.rules_of(mask))
        for a, b, mask in zip(
            index.left.tolist(), index.right.tolist(), index.masks.tolist(), strict=True
        )
    ] == [(pair.left, pair.right, pair.rules) for pair in blocking.pairs]


def test_a_blocking_without_positions_or_of_other_records_is_read_by_ids(person: Any) -> None:
    records = _sample(person)
    blocking = block(records)
    by_hand = attrs.evolve(blocking, positions=None)
    vectors = compare_pairs(records, blocking)
    again = compare_pairs(records, by_hand)
    assert (again.left, again.right) == (vectors.left, vectors.right)
    assert again.matrix.tolist() == vectors.matrix.tolist()
    assert fit(records, by_hand, seed=3) == fit(records, blocking, seed=3)
    fewer = records[:4]  # the blocking of five records, read by ids for four: refused
    with pytest.raises(InvalidValueError):
        compare_pairs(fewer, blocking)


def test_a_piece_of_pairs_is_compared_with_the_values_it_reads_only() -> None:
    distinct = ["a", "b", "c", "d", "e"]
    a = np.array([4, -1, 1, 4, 0], dtype=np.int64)
    b = np.array([1, 2, -1, 3, -1], dtype=np.int64)
    both = (a >= 0) & (b >= 0)
    values, x, y = _in_chunk(distinct, a, b, both)
    assert values == ["b", "d", "e"]  # "a" and "c" are read by pairs with a side missing
    assert [(values[i], values[j]) for i, j in zip(x[both], y[both], strict=True)] == [
        ("e", "b"),
        ("e", "d"),
    ]
    assert not ((x >= 0) & (y >= 0) & ~both).any()  # a missing side stays missing
    every, x, y = _in_chunk(distinct, np.arange(5), np.arange(5)[::-1], np.ones(5, bool))
    assert every is distinct  # every value read: the values as they were


def _names(names: list[str]) -> list[Account]:
    return [Account(f"a-{i}", AccountIdentity(name=name)) for i, name in enumerate(names)]


def test_a_tabled_comparator_ranks_each_pair_of_few_values_once_over_every_piece() -> None:
    records = _names(["ACME", "ACME Europe", "Globex", "Globex Works", "Initech"] * 4)
    pairs = [(a, b) for a in range(len(records)) for b in range(len(records))]
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    ranked: list[tuple[str, str]] = []

    class Counted(CompanyNames):
        def item_ranks(self, table: Any, xs: Any, ys: Any, ctx: CompareContext) -> Any:
            names = table.items.items
            ranked.extend(zip([names[i] for i in xs], [names[i] for i in ys], strict=True))
            return super().item_ranks(table, xs, ys, ctx)

    comparator = Counted()
    expected = [comparator(records[a], records[b], CTX) for a, b in pairs]
    # kept in a square, kept sorted, not kept
    for known, few in ((_batch.KNOWN_AT_MOST, 8), (0, 1), (0, 8)):
        ranked.clear()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_batch, "PAIRS_AT_ONCE", 7)
            patch.setattr(_batch, "KNOWN_AT_MOST", known)
            patch.setattr(_batch, "FEW_VALUES", few)
            found = indexed_levels(comparator, records, left, right, CTX, comparator.levels.index)
        assert [comparator.levels[i] for i in found] == expected
        if known or few == 1:  # 25 pairs of the 5 names, each once though 400 pairs in 58 pieces
            assert len(set(ranked)) == len(ranked) == 25
        else:
            assert len(ranked) > 25


def test_a_subclass_ranking_in_its_own_way_is_not_ranked_from_the_table() -> None:
    class Reversed(CompanyNames):
        def indexed_ranks(self, values: Any, left: Any, right: Any, ctx: CompareContext) -> Any:
            return 3 - super().indexed_ranks(values, left, right, ctx)

    records = _names(["ACME", "ACME", "Globex"])
    left, right = np.array([0, 0], dtype=np.int64), np.array([1, 2], dtype=np.int64)
    comparator = Reversed()
    found = indexed_levels(comparator, records, left, right, CTX, comparator.levels.index)
    assert [comparator.levels[i] for i in found] == ["different", "exact"]
    assert _batch._tabled(comparator) is None
    assert _batch._tabled(CompanyNames()) is not None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 9), min_size=1, max_size=3), min_size=1, max_size=6), st.data()
)
def test_flat_pairs_are_every_pair_of_items_of_each_pair_in_order(
    values: list[list[int]], data: st.DataObject
) -> None:
    positions = st.integers(0, len(values) - 1)
    pairs = data.draw(st.lists(st.tuples(positions, positions), max_size=10))
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    items = _batch.flat(values)
    xs, ys, starts = _batch.flat_pairs(items, left, right)
    found = [(items.items[x], items.items[y]) for x, y in zip(xs, ys, strict=True)]
    expected = [(x, y) for a, b in pairs for x in values[a] for y in values[b]]
    assert found == expected
    sizes = [len(values[a]) * len(values[b]) for a, b in pairs]
    assert starts.tolist() == [sum(sizes[:i]) for i in range(len(pairs))]


def test_codes_are_numbered_in_the_order_values_first_come_missing_ones_minus_one() -> None:
    values = ["b", "", "a", "b", None, "a", "c"]
    assert _batch.codes_of(values).tolist() == [0, 1, 2, 0, 3, 2, 4]
    found = _batch.codes_of(values, missing=lambda value: not value)
    assert found.tolist() == [0, -1, 1, 0, -1, 1, 2]
    assert _batch.codes_of([]).tolist() == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(_CHARS, max_size=7), min_size=1, max_size=4), st.data())
def test_one_edit_of_kept_rows_answers_as_of_plain_texts_piece_by_piece(
    bases: list[str], data: st.DataObject
) -> None:
    texts = [
        *bases,
        *(data.draw(edited(base)) for base in bases),
        "ü" * data.draw(st.integers(0, 9)),
    ]
    rows = TextRows(texts)
    xs = np.repeat(np.arange(len(texts)), len(texts))
    ys = np.tile(np.arange(len(texts)), len(texts))
    for piece in np.array_split(np.arange(len(xs)), 3):  # pieces of pairs, rows kept between
        x, y = xs[piece], ys[piece]
        assert one_edit(rows, x, y).tolist() == one_edit(texts, x, y).tolist()


@settings(max_examples=300, deadline=None)
@given(st.text(_CHARS, max_size=9), st.data())
def test_texts_of_one_length_one_edit_apart_share_a_half(base: str, data: st.DataObject) -> None:
    other = data.draw(edited(base))
    first, last = _batch.halves([base, other])
    distance = _extras.rapidfuzz_distance().DamerauLevenshtein.distance
    if len(other) == len(base) and distance(base, other) <= 1:
        assert first[0] == first[1] or last[0] == last[1]


def test_texts_apart_share_no_half_and_are_not_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["+33612345678", "+33698765432", "+33612345679", "+43612345678", "+3361234567"]
    first, last = _batch.halves(texts)
    assert first.tolist() == [0, 1, 0, 2, 3]
    assert last.tolist() == [0, 1, 2, 0, 3]
    compared: list[int] = []
    rows_of = _batch._one_edit_rows

    def counted(*args: Any) -> Any:
        compared.append(len(args[3]))
        return rows_of(*args)

    monkeypatch.setattr(_batch, "_one_edit_rows", counted)
    xs, ys = np.array([0, 0, 0, 0, 1]), np.array([1, 2, 3, 4, 2])
    assert one_edit(TextRows(texts), xs, ys).tolist() == [False, True, True, True, False]
    assert compared == [3]  # the pairs that share no half, of one length: left out


def test_text_rows_are_kept_once_a_call_reads_most_texts_and_only_when_small(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = ["0612", "0621", "0613", "612", "6012", "0699"]
    rows = TextRows(texts)
    one_edit(rows, np.array([0]), np.array([1]))  # two texts of six: made for the call only
    assert rows.rows(0) is None
    found = one_edit(rows, np.array([0, 0, 3]), np.array([1, 2, 5]))
    assert found.tolist() == [True, True, False]
    kept = rows.rows(0)
    assert kept is not None
    assert kept[0].shape == (6, 4)
    assert one_edit(rows, np.array([5]), np.array([2])).tolist() == [False]
    assert rows.rows(0) is kept  # made once, read again by the next call
    monkeypatch.setattr(_batch, "ROWS_KEPT_AT_MOST", 8)
    large = TextRows(texts)
    assert one_edit(large, np.array([0, 0, 3]), np.array([1, 2, 5])).tolist() == found.tolist()
    assert large.rows(len(texts)) is None  # too large to keep: made for each call


def test_organisation_subsets_are_found_among_the_pairs_scored_100() -> None:
    cmp = CompanyNames()
    names = [("acme",), ("acme europe",), ("acme corp europe",), ("acme eurpoe",), ("zeta",)]
    table = cmp.indexed_table(names, CTX)
    xs = np.array([0, 1, 1, 0, 0, 2], dtype=np.int64)
    ys = np.array([1, 2, 3, 4, 0, 1], dtype=np.int64)
    expected = [
        cmp.levels.index(cmp.compare_prepared(names[a], names[b], CTX))
        for a, b in zip(xs, ys, strict=True)
    ]
    assert expected == [1, 1, 2, 3, 0, 1]
    assert cmp.item_ranks(table, xs, ys, CTX).tolist() == expected


def test_one_edit_reads_ascii_and_other_texts_alike() -> None:
    texts = ["jdoe", "jdeo", "jdöe", "jdoé", "jd", "jdoe"]
    xs = np.array([0, 0, 2, 2, 0, 1], dtype=np.int64)
    ys = np.array([1, 2, 3, 0, 4, 5], dtype=np.int64)
    expected = [True, True, False, True, False, True]
    assert one_edit(texts, xs, ys).tolist() == expected
    assert one_edit(texts[:2], xs[:1], ys[:1]).tolist() == [True]  # every text ASCII


def test_class_counts_count_every_character_a_lone_surrogate_too() -> None:
    counts = class_counts(["", "ab", "a\udce9a", "a" * 300])
    assert counts.sum(axis=1).tolist() == [0, 2, 3, 255]
    assert counts[1, ord("a") % CLASSES] == 1
    assert counts[2, ord("a") % CLASSES] == 2
