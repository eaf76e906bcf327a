"""Comparison vectors kept as positions, int8 levels and term codes: read as ids and digests."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import Contact, CRMError
from crmcore.cleaning import clean_raw
from crmcore.dedup import (
    ComparisonVectors,
    ContactMatcher,
    MatchModel,
    compare_pairs,
    fit,
    score,
)
from crmcore.dedup._adjustments import _Adjusted, _adjusted_rows
from crmcore.dedup._vectors import read_records, term_codes, vectors_at
from crmcore.dedup.context import CompareContext
from crmcore.dedup.dates import Dates, birth_dates
from crmcore.dedup.defaults import default_comparisons
from crmcore.dedup.frequencies import (
    TermAdjustment,
    birth_date_term,
    default_term_adjustments,
    full_name_term,
    prepared_term,
)
from crmcore.dedup.names import PersonNames, person_names
from crmcore.dedup.scoring import term_adjustments
from crmcore.testing.synthetic import messy_dataset

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def messy() -> list[Contact]:
    data = messy_dataset(5, AS_OF, contacts=300, accounts=10, deals=0, activities=0)
    found = (clean_raw(Contact, row).record for row in data.contacts)
    return [record for record in found if record is not None]


def _per_pair(model: MatchModel, vectors: ComparisonVectors) -> npt.NDArray[np.float64]:
    """The adjustments as defined, pair by pair from the digests: what the arrays must give."""
    found = np.zeros((len(vectors), len(model.comparisons)), dtype=np.float64)
    assert model.term_frequencies is not None
    for table in model.term_frequencies.tables:
        column = model.names.index(table.comparison)
        comparison = model.comparisons[column]
        lefts, rights = vectors.terms[table.comparison]
        for row in range(len(vectors)):
            level = int(vectors.matrix[row, column])
            if comparison.levels[level] not in table.levels:
                continue
            if lefts[row] is None or rights[row] is None:
                continue
            share = max(table.frequency(lefts[row]), table.frequency(rights[row]))
            found[row, column] = np.log2(comparison.u[level] / share)
    return found


def test_vectors_keep_positions_int8_levels_and_term_codes(messy: list[Contact]) -> None:
    matcher = ContactMatcher(seed=3)
    records = matcher._read(messy)
    blocking = matcher._block(records)
    vectors = compare_pairs(records, blocking)
    assert blocking.positions is not None
    assert vectors.matrix.dtype == np.int8
    assert vectors.left_positions is blocking.positions.left  # shared, not copied
    assert vectors.record_ids == tuple(record.id for record in records)
    assert vectors.left == tuple(pair.left for pair in blocking.pairs)
    assert vectors.right == tuple(pair.right for pair in blocking.pairs)
    assert set(vectors.term_codes) == {"crmcore.name", "crmcore.birth_date"}
    for codes in vectors.term_codes.values():
        assert codes.codes.dtype == np.int32
        assert len(codes.codes) == len(records)
        assert len(set(codes.digests)) == len(codes.digests)
    lefts, rights = vectors.terms["crmcore.name"]
    assert len(lefts) == len(rights) == len(vectors)
    assert any(digest is None for digest in lefts + rights) or all(lefts)
    rebuilt = ComparisonVectors(
        vectors.record_type,
        vectors.names,
        vectors.levels,
        tuple(vectors.left),
        tuple(vectors.right),
        vectors.matrix,
        vectors.terms,
    )
    assert (rebuilt.left, rebuilt.right, rebuilt.terms) == (
        vectors.left,
        vectors.right,
        vectors.terms,
    )


def test_adjustments_from_codes_are_those_of_each_pair(messy: list[Contact]) -> None:
    matcher = ContactMatcher(seed=3)
    records = matcher._read(messy)
    blocking = matcher._block(records)
    vectors = compare_pairs(records, blocking)
    model = matcher._fit(records, blocking, vectors)
    expected = _per_pair(model, vectors)
    assert np.count_nonzero(expected)
    found = term_adjustments(model, vectors)
    assert found is not None
    assert found.tobytes() == expected.tobytes()
    sparse = _adjusted_rows(model, vectors)
    assert sparse is not None
    assert sparse.columns == tuple(
        sorted(model.names.index(name) for name in ("crmcore.name", "crmcore.birth_date"))
    )
    assert sparse.values.shape == (len(sparse.rows), 2)  # the adjusted comparisons only
    scored = score(model, vectors)
    weights = np.full(len(vectors), float(np.log2(model.prior / (1 - model.prior))))
    for column, comparison in enumerate(model.comparisons):
        weights += np.array(comparison.weights)[vectors.matrix[:, column]]
    weights += expected.sum(axis=1)
    assert scored.weights.tobytes() == weights.tobytes()


def test_taking_rows_keeps_ids_and_terms(messy: list[Contact]) -> None:
    records = ContactMatcher()._read(messy)
    vectors = compare_pairs(records, ContactMatcher()._block(records))
    rows = np.arange(len(vectors)) % 3 == 0
    taken = vectors.take(rows)
    kept = np.flatnonzero(rows).tolist()
    assert taken.left == tuple(vectors.left[i] for i in kept)
    assert taken.right == tuple(vectors.right[i] for i in kept)
    assert taken.matrix.tolist() == vectors.matrix[rows].tolist()
    for name, (lefts, rights) in vectors.terms.items():
        assert taken.terms[name] == (
            tuple(lefts[i] for i in kept),
            tuple(rights[i] for i in kept),
        )


def _by_ids(terms: tuple[tuple[str | None, ...], tuple[str | None, ...]]) -> ComparisonVectors:
    matrix = np.zeros((2, 1), dtype=np.int16)
    levels = (("exact", "null"),)
    return ComparisonVectors(
        Contact, ("acme.c",), levels, ("a", "a"), ("b", "c"), matrix, {"acme.c": terms}
    )


def test_vectors_built_from_ids_refuse_two_terms_for_one_record() -> None:
    built = _by_ids((("x", "x"), ("y", None)))
    assert built.terms == {"acme.c": (("x", "x"), ("y", None))}
    assert built.record_ids == ("a", "b", "c")
    assert built.term_codes["acme.c"].digests == ("x", "y")
    assert built.term_codes["acme.c"].codes.tolist() == [0, 1, -1]
    with pytest.raises(CRMError, match="two terms"):
        _by_ids((("x", "z"), ("y", None)))
    with pytest.raises(CRMError, match="one per pair"):
        _by_ids((("x",), ("y", None)))


def abs_zero(value: float) -> float:
    """``-0.0`` as ``0.0``: a logarithm, as adjustments are, is never ``-0.0``."""
    return value + 0.0


@st.composite
def _sparse(draw: st.DrawFn) -> tuple[_Adjusted, npt.NDArray[np.float64], list[int]]:
    width = draw(st.integers(1, 10))
    columns = tuple(sorted(draw(st.sets(st.integers(0, width - 1), min_size=1, max_size=width))))
    count = draw(st.integers(2, 12))  # a single row is summed in another order
    values = np.array(
        [[draw(st.floats(-40, 40).map(abs_zero)) for _ in columns] for _ in range(count)],
        dtype=np.float64,
    ).reshape(count, len(columns))
    rows = np.arange(count, dtype=np.int64) * 2
    within = sorted(draw(st.sets(st.integers(0, width - 1), min_size=1, max_size=width)))
    adjusted = _Adjusted(rows, values, columns, width)
    return adjusted, adjusted.dense(2 * count), within


@settings(max_examples=150, deadline=None)
@given(_sparse())
def test_sums_of_kept_columns_are_the_dense_sums_to_the_bit(
    case: tuple[_Adjusted, npt.NDArray[np.float64], list[int]],
) -> None:
    adjusted, dense, within = case
    rows = dense[adjusted.rows]
    assert adjusted.sums().tobytes() == rows.sum(axis=1).tobytes()
    assert adjusted.sums(within=within).tobytes() == rows[:, within].sum(axis=1).tobytes()
    half = len(adjusted.rows) // 2
    assert adjusted.sums(half).tobytes() == rows[half:].sum(axis=1).tobytes()
    for row in range(len(dense)):
        for column in range(adjusted.width):
            assert adjusted.at(row, column) == dense[row, column]


def test_a_fit_refuses_vectors_of_records_it_was_not_given(messy: list[Contact]) -> None:
    records = ContactMatcher()._read(messy)
    blocking = ContactMatcher()._block(records)
    vectors = compare_pairs(records, blocking)
    paired = set(vectors.left) | set(vectors.right)
    fewer = [record for record in records if record.id != min(paired)]
    with pytest.raises(CRMError, match="not among those given"):
        fit(fewer, blocking, vectors=vectors)


def _record_terms(
    records: list[Contact], wanted: list[int], adjustment: TermAdjustment
) -> tuple[tuple[str, ...], npt.NDArray[np.int32]]:
    found = term_codes(adjustment, records, wanted)
    return found.digests, found.codes


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("paired", [False, True])
def test_terms_made_from_prepared_values_are_the_records_terms(
    messy: list[Contact], jobs: int, paired: bool
) -> None:
    # the built-in terms come from their comparison's prepared values, once per distinct
    # value: the digests, their numbering and each record's code are those read per record
    records = list(read_records(messy))
    count = len(records) // 3 if paired else len(records)  # most records paired, or few
    left = np.arange(0, count - 1, dtype=np.int64)
    right = left + 1
    adjustments = default_term_adjustments()
    found = vectors_at(
        records, left, right, default_comparisons(), CompareContext(), Contact, adjustments, jobs
    )
    wanted = list(range(count)) if paired else list(range(len(records)))
    for adjustment in adjustments:
        codes = found.term_codes[adjustment.comparison]
        digests, expected = _record_terms(records, wanted, adjustment)
        assert codes.digests == digests
        assert np.array_equal(codes.codes, expected)
        assert len(digests) > 10  # enough distinct terms that a wrong numbering shows
        assert (codes.adjustment is adjustment) is not paired


class _OwnNames(PersonNames):
    """Person names prepared otherwise: upper case. Its terms are read from the records."""

    def prepare(self, record: Any, ctx: CompareContext) -> Any:
        parts = super().prepare(record, ctx)
        return None if parts is None else tuple(p and p.upper() for p in parts)


def test_a_comparison_that_prepares_otherwise_leaves_the_terms_to_the_records(
    messy: list[Contact],
) -> None:
    records = list(read_records(messy))
    left = np.arange(0, len(records) - 1, dtype=np.int64)
    comparisons = default_comparisons()
    comparisons.replace("crmcore.name", _OwnNames())
    name = default_term_adjustments()[0]
    assert name.comparison == "crmcore.name"
    assert prepared_term(name, comparisons["crmcore.name"].comparator) is None
    found = vectors_at(
        records, left, left + 1, comparisons, CompareContext(), Contact, (name,), jobs=1
    )
    digests, expected = _record_terms(records, list(range(len(records))), name)
    assert found.term_codes[name.comparison].digests == digests
    assert np.array_equal(found.term_codes[name.comparison].codes, expected)


def test_a_prepared_term_is_the_term_of_the_record(messy: list[Contact]) -> None:
    ctx = CompareContext()
    names, dates = person_names(), birth_dates()
    adjustments = {a.comparison: a for a in default_term_adjustments()}
    of_name = prepared_term(adjustments["crmcore.name"], names)
    of_dates = prepared_term(adjustments["crmcore.birth_date"], dates)
    assert of_name is not None
    assert of_dates is not None
    assert prepared_term(adjustments["crmcore.name"], dates) is None
    assert prepared_term(adjustments["crmcore.birth_date"], Dates("identity.birth_date")) is None
    custom = TermAdjustment("crmcore.name", lambda record: record.id)
    assert prepared_term(custom, names) is None
    for record in messy:
        assert of_name(names.prepare(record, ctx)) == full_name_term(record)
        assert of_dates(dates.prepare(record, ctx)) == birth_date_term(record)
    assert any(birth_date_term(record) for record in messy)
