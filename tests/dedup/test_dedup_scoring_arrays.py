"""Scores computed when read: the same numbers, edges and explanations as whole arrays."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import Contact
from crmcore.cleaning import clean_raw
from crmcore.dedup import (
    ComparisonModel,
    ContactMatcher,
    MatchModel,
    ModelError,
    ScoredPairs,
    TermAdjustment,
    block,
    compare_pairs,
    fit,
    score,
    term_frequencies,
)
from crmcore.dedup import scoring as scoring_module
from crmcore.dedup._vectors import ComparisonVectors
from crmcore.dedup.frequencies import birth_date_term
from crmcore.dedup.scoring import term_adjustments
from crmcore.testing.synthetic import messy_dataset

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)


def _eager(
    model: MatchModel, levels: npt.NDArray[np.int16], adjustments: npt.NDArray[np.float64] | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Weights and probabilities as whole arrays, the way scoring computed them at once."""
    weights = np.full(len(levels), float(np.log2(model.prior / (1 - model.prior))))
    for column, comparison in enumerate(model.comparisons):
        weights += np.array(comparison.weights, dtype=np.float64)[levels[:, column]]
    if adjustments is not None:
        weights += adjustments.sum(axis=1)
    return weights, 1.0 / (1.0 + np.exp2(-np.clip(weights, -1000, 1000)))


def _same_bits(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> bool:
    return a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.fixture(scope="module")
def messy() -> list[Contact]:
    data = messy_dataset(11, AS_OF, contacts=400, accounts=10, deals=0, activities=0)
    found = (clean_raw(Contact, row).record for row in data.contacts)
    return [record for record in found if record is not None]


@pytest.mark.parametrize("block", [3, 1 << 20])
def test_scores_read_lazily_equal_the_whole_arrays(
    messy: list[Contact], block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring_module, "BLOCK", block)
    matcher = ContactMatcher(seed=3)
    records = matcher._read(messy)
    blocking = matcher._block(records)
    vectors, sample = matcher._compare(records, blocking)
    assert vectors is not None
    model = matcher._fit(records, blocking, vectors, sample)
    assert model.adjusted  # the default model adjusts names and dates by term frequency
    dense = term_adjustments(model, vectors)
    assert dense is not None
    assert np.count_nonzero(dense)
    weights, probabilities = _eager(model, vectors.matrix, dense)
    lazy = score(model, vectors)
    eager = ScoredPairs(
        model, vectors.left, vectors.right, weights, probabilities, vectors.matrix, dense
    )
    for threshold in (0.0, 0.5, 0.9):
        assert list(lazy.edges(threshold)) == list(eager.edges(threshold))
    explained = [eager.explain(i) for i in range(len(eager))]
    assert [lazy.explain(i) for i in range(len(lazy))] == explained
    pairs = list(zip(lazy.left, lazy.right, strict=True))
    assert lazy.explain_pairs(pairs) == explained  # at once, as one by one
    assert lazy.explain_pairs([]) == []
    backwards = list(range(len(lazy)))[::-1]
    assert lazy.explain_rows(np.array(backwards)) == explained[::-1]  # by rows, at once
    assert lazy.explain_rows([]) == []
    for outside in (-1, len(lazy)):
        with pytest.raises(ModelError, match="not among"):
            lazy.explain_rows([0, outside])
        with pytest.raises(ModelError, match="not among"):
            lazy.explain_rows(np.array([0, outside]))
    wrongs = ["zq.planted@example.com", None, 3, "12", {0: 1}, (r for r in [0])]
    for wrong in [*wrongs, [0.7], ["1"], [True], np.array([1.9]), np.array([[0, 1]])]:
        with pytest.raises(ModelError) as caught:
            lazy.explain_rows(wrong)
        assert "planted" not in str(caught.value)
    ids, rows, lefts, rights, chances = lazy.rows_at_positions(0.5)
    assert (ids, lefts.tolist(), rights.tolist(), chances.tolist()) == (
        lazy.positions_at(0.5)[0],
        *(found.tolist() for found in lazy.positions_at(0.5)[1:]),
    )
    assert [(ids[a], ids[b]) for a, b in zip(lefts, rights, strict=True)] == [
        (lazy.left[row], lazy.right[row]) for row in rows
    ]
    for bad in ("xy", (pairs[0][0],), (pairs[0][0], 1), None):
        with pytest.raises(ModelError, match=r"pairs\[1\] is not a pair"):
            lazy.explain_pairs([pairs[0], bad])  # type: ignore[list-item]
    assert any("tf_adjustment" in c for c in lazy.explain(0)["comparisons"].values())
    adjustments = lazy.adjustments
    assert adjustments is not None
    assert _same_bits(adjustments, dense)
    assert _same_bits(lazy.weights, weights)
    assert _same_bits(lazy.probabilities, probabilities)


def test_a_dedupe_keeps_no_array_of_weights_or_probabilities(messy: list[Contact]) -> None:
    result = ContactMatcher(seed=3, review_threshold=0.01).dedupe(messy)
    explained = list(result.explain_clusters(singletons=False))
    assert explained  # explaining the clusters reads the pairs a block at a time
    assert all(cluster["pairs"] for cluster in explained)
    pairs = result.pairs
    assert pairs._weights is None
    assert pairs._probabilities is None
    adjusted = pairs._adjustments
    assert adjusted is not None
    assert len(adjusted.rows) < len(pairs)
    assert result.review
    assert all(item.explanation for item in result.review)


@st.composite
def _scored(draw: st.DrawFn) -> tuple[MatchModel, npt.NDArray[np.int16], npt.NDArray[np.float64]]:
    comparisons = []
    for i in range(draw(st.integers(1, 10))):
        count = draw(st.integers(1, 4))
        m = draw(st.lists(st.floats(0.01, 1.0), min_size=count, max_size=count))
        u = draw(st.lists(st.floats(0.01, 1.0), min_size=count, max_size=count))
        comparisons.append(
            ComparisonModel(
                f"acme.c{i}",
                (*(f"level{j}" for j in range(count)), "null"),
                tuple(x / sum(m) for x in m),
                tuple(x / sum(u) for x in u),
            )
        )
    model = MatchModel("Contact", draw(st.floats(1e-6, 1 - 1e-6)), tuple(comparisons))
    pairs = draw(st.integers(0, 40))
    levels = np.array(
        [[draw(st.integers(0, len(c.levels) - 1)) for c in comparisons] for _ in range(pairs)],
        dtype=np.int16,
    ).reshape(pairs, len(comparisons))
    values = st.one_of(st.just(0.0), st.just(-0.0), st.floats(-30, 30))
    adjustments = np.array(
        [[draw(values) for _ in comparisons] for _ in range(pairs)], dtype=np.float64
    ).reshape(pairs, len(comparisons))
    return model, levels, adjustments


@settings(max_examples=80, deadline=None)
@given(_scored(), st.integers(1, 7))
def test_any_levels_and_adjustments_score_as_whole_arrays(
    case: tuple[MatchModel, npt.NDArray[np.int16], npt.NDArray[np.float64]], block: int
) -> None:
    model, levels, adjustments = case
    weights, probabilities = _eager(model, levels, adjustments)
    ids = tuple(f"c-{i:03}" for i in range(len(levels)))
    others = tuple(f"d-{i:03}" for i in range(len(levels)))
    lazy = ScoredPairs(model, ids, others, None, None, levels, adjustments)
    eager = ScoredPairs(model, ids, others, weights, probabilities, levels, adjustments)
    old = scoring_module.BLOCK
    scoring_module.BLOCK = block  # the edges read a few pairs at a time
    try:
        assert list(lazy.edges(0.3)) == list(eager.edges(0.3))
        expected = np.flatnonzero(eager.probabilities >= 0.3)
        assert np.array_equal(lazy.rows_at(0.3), expected)
        assert np.array_equal(eager.rows_at(0.3), expected)
    finally:
        scoring_module.BLOCK = old
    explained = [eager.explain(i) for i in range(len(eager))]
    assert [lazy.explain(i) for i in range(len(lazy))] == explained
    pairs = list(zip(others, ids, strict=True))[::-1]  # any order, either id first
    assert lazy.explain_pairs(pairs) == explained[::-1]
    assert eager.explain_pairs(pairs) == explained[::-1]
    assert lazy._weights is None  # nor did explaining or finding rows make the whole arrays
    assert lazy._probabilities is None
    dense = lazy.adjustments
    assert dense is not None
    assert _same_bits(dense, adjustments)
    assert _same_bits(lazy.weights, weights)
    assert _same_bits(lazy.probabilities, probabilities)


def test_vectors_without_adjusted_comparisons_have_no_adjustments() -> None:
    model = MatchModel("Contact", 0.1, (ComparisonModel("acme.c0", ("a", "null"), (1.0,), (1.0,)),))
    vectors = ComparisonVectors(
        Contact, ("acme.c0",), (("a", "null"),), ("a",), ("b",), np.zeros((1, 1), np.int16)
    )
    scored = score(model, vectors)
    assert scored.adjustments is None
    assert "tf_adjustment" not in scored.explain(0)["comparisons"]["acme.c0"]
    assert _same_bits(scored.weights, _eager(model, vectors.matrix, None)[0])


def test_term_adjustments_are_log_u_over_the_larger_frequency_pair_by_pair(
    messy: list[Contact],
) -> None:
    def family(record: Contact) -> str | None:
        name = record.identity.name
        return name.family.lower() if name and name.family else None

    # a table of two levels (its u read per pair) beside one of a level, rows of each apart
    adjustments = [
        TermAdjustment("crmcore.name", family, levels=("exact", "nickname")),
        TermAdjustment("crmcore.birth_date", birth_date_term),
    ]
    tf = term_frequencies(messy, adjustments)
    records = ContactMatcher()._read(messy)
    pairs = block(records)
    model = fit(records, pairs, seed=0, term_frequencies=tf, adjustments=adjustments)
    vectors = compare_pairs(records, pairs, adjustments=adjustments)
    expected = np.zeros((len(vectors), len(model.comparisons)))
    for table in tf.tables:
        column = model.names.index(table.comparison)
        comparison = model.comparisons[column]
        lefts, rights = vectors.terms[table.comparison]
        for row, (left, right) in enumerate(zip(lefts, rights, strict=True)):
            level = int(vectors.matrix[row, column])
            if comparison.levels[level] in table.levels and left and right:
                larger = max(table.frequency(left), table.frequency(right))
                expected[row, column] = np.log2(comparison.u[level] / larger)
    found = term_adjustments(model, vectors)
    assert found is not None
    assert _same_bits(found, expected)
    name = model.names.index("crmcore.name")
    levels = vectors.matrix[:, name][np.flatnonzero(found[:, name])]
    assert len(set(levels.tolist())) == 2  # both adjusted levels met
