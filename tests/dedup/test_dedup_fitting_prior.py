"""The fitted prior: among every pair of records, or among the pairs across two sets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.dedup.test_dedup_scoring import _people

from crmcore import Contact, CRMError
from crmcore.dedup import ComparisonModel, ContactMatcher, MatchModel, block, fit
from crmcore.dedup._em import EPSILON, prior_floor


@pytest.fixture
def people(person: Callable[..., Contact]) -> list[Contact]:
    return _people(person)


def _sides(people: list[Contact]) -> tuple[list[str], list[str]]:
    """The copies (``d-``) and half the others on the left, the rest on the right."""
    ids = [record.id for record in people]
    left = [i for i in ids if i.startswith("d-") or i >= "c-020"]
    return left, [i for i in ids if i not in left]


def test_the_prior_across_two_sets_counts_only_the_pairs_across(people: list[Contact]) -> None:
    pairs = block(people)
    left, right = _sides(people)
    within = fit(people, pairs, seed=1)
    across = fit(people, pairs, seed=1, across=(left, right))
    assert within.comparisons == across.comparisons  # only the prior changes
    n = len(people)
    # The expected matches across the sets are some of all of them, over fewer pairs; the
    # ten copies are all across.
    expected = within.prior * n * (n - 1) / 2
    expected_across = across.prior * len(left) * len(right)
    assert 9 <= expected_across <= expected + 1e-9
    assert across.prior > within.prior


def test_link_fits_its_prior_across_the_sets(people: list[Contact]) -> None:
    left = [r for r in people if r.id.startswith("d-")]
    right = [r for r in people if r.id.startswith("c-")]
    linked = ContactMatcher(seed=1).link(left, right)
    both = ContactMatcher(seed=1).dedupe(left + right)
    assert linked.model.prior > both.model.prior
    found = {(link.left, link.right) for link in linked.links if link.probability >= 0.9}
    assert {(f"d-{i:03}", f"c-{i:03}") for i in range(10)} <= found


@pytest.mark.parametrize(
    "across",
    [
        "c-001",
        ("c-001",),
        (["c-001"], "c-002"),
        (["c-001"], ["nobody"]),
        (["c-001", "c-002"], ["c-002"]),
    ],
)
def test_bad_sets_are_refused_without_values(people: list[Contact], across: Any) -> None:
    with pytest.raises(CRMError) as caught:
        fit(people, block(people), across=across)
    assert "nobody" not in str(caught.value)


def test_the_prior_floor_is_one_match_among_the_pairs_when_that_is_less() -> None:
    assert prior_floor(1_000) == EPSILON
    assert prior_floor(5e11) == 1 / 5e11
    assert prior_floor(0) == EPSILON


def test_a_prior_below_the_old_fixed_floor_is_kept(person: Callable[..., Contact]) -> None:
    # 1,000 people, two of them with a second record: two matches among 501,501 pairs, a
    # prior near 4e-6, below the fixed floor of 1e-5 the prior was held at before.
    def someone(i: int, prefix: str) -> Contact:
        return person(
            f"Given{i:04}",
            f"Family{i:04}",
            emails=(f"person{i:04}@example.org",),
            birth_date=date(1940 + i % 60, 1 + i % 12, 1 + i % 28),
            record_id=f"{prefix}{i:04}",
        )

    records = [someone(i, "p") for i in range(1000)] + [someone(i, "q") for i in (3, 5)]
    model = fit(records, block(records), seed=0)
    total = len(records) * (len(records) - 1) // 2
    assert prior_floor(total) <= model.prior < EPSILON
    assert 1 <= model.prior * total <= 4
    again = MatchModel.from_json(model.to_json())
    assert again.prior == model.prior


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=1e-300, max_value=1e-5))
def test_a_small_prior_round_trips_exactly_through_json(prior: float) -> None:
    email = ComparisonModel(
        "crmcore.email", ("exact", "different", "null"), (0.9, 0.1), (0.001, 0.999)
    )
    model = MatchModel("Contact", prior, (email,))
    again = MatchModel.from_json(model.to_json())
    assert again == model
    assert again.prior == prior
