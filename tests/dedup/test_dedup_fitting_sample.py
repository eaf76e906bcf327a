"""The candidate pairs and the random pairs of u compared in one pass: the same model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.dedup._distributed_checks import cleaned

from crmcore import InvalidValueError
from crmcore.dedup import ContactMatcher, block, compare_for_fit, compare_pairs, fit


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 40), sample=st.integers(1, 3_000))
def test_one_pass_gives_the_vectors_and_model_of_separate_passes(seed: int, sample: int) -> None:
    records = list(cleaned(seed, 160))
    blocking = block(records)
    vectors, u_vectors = compare_for_fit(records, blocking, seed=seed, u_sample=sample)
    alone = compare_pairs(records, blocking)
    assert tuple(vectors.left) == tuple(alone.left)
    assert tuple(vectors.right) == tuple(alone.right)
    assert np.array_equal(vectors.matrix, alone.matrix)
    assert vectors.terms == alone.terms
    assert 0 < len(u_vectors) <= sample
    model = fit(records, blocking, seed=seed, u_sample=sample)
    given_both = fit(
        records, blocking, seed=seed, u_sample=sample, vectors=vectors, u_vectors=u_vectors
    )
    assert given_both == model
    assert ContactMatcher(seed=seed, u_sample=sample).dedupe(records).model == model


def test_id_pairs_are_compared_as_by_compare_pairs() -> None:
    records = list(cleaned(3, 120))
    pairs = tuple(block(records).ids)
    vectors, u_vectors = compare_for_fit(records, pairs, seed=3, u_sample=400)
    assert np.array_equal(vectors.matrix, compare_pairs(records, pairs).matrix)
    model = fit(records, pairs, seed=3, u_sample=400, vectors=vectors, u_vectors=u_vectors)
    assert model == fit(records, pairs, seed=3, u_sample=400)


def test_a_sample_of_other_comparisons_is_refused_by_name() -> None:
    records = list(cleaned(4, 60))
    blocking = block(records)
    vectors, _ = compare_for_fit(records, blocking, u_sample=100)
    with pytest.raises(InvalidValueError) as caught:
        fit(records, blocking, vectors=vectors, u_vectors="not vectors")  # type: ignore[arg-type]
    assert caught.value.field == "u_vectors"
