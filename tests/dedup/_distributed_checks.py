"""What the distributed engine's tests share: cleaned generated contacts, and the check that a
distributed result is the in-process one."""

from __future__ import annotations

import functools
from datetime import datetime, timezone

import numpy as np

from crmcore import Contact
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.dedup import DedupeResult, DistributedResult
from crmcore.testing.synthetic import messy_dataset

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)


@functools.cache
def cleaned(seed: int, contacts: int) -> tuple[Contact, ...]:
    rows = messy_dataset(seed, AS_OF, contacts=contacts).contacts
    ctx = CleaningContext(as_of=AS_OF)
    return tuple(clean_raw(Contact, row, ctx).record for row in rows)


def assert_same(found: DistributedResult, expected: DedupeResult, *, every_pair: bool) -> None:
    """The clusters, their ids and order, the review queue (explained), the model and the scores."""
    assert found.clusters == expected.clusters
    assert [c.id for c in found.clusters] == [c.id for c in expected.clusters]
    assert [c.members for c in found.clusters] == [c.members for c in expected.clusters]
    assert found.review == expected.review
    assert [item.explanation for item in found.review] == [
        item.explanation for item in expected.review
    ]
    assert found.model == expected.model
    assert found.records == len(expected.records)
    assert found.candidates == len(expected.pairs)
    assert dict(found.pairs_per_rule) == dict(expected.blocking.pairs_per_rule)
    assert found.skipped == expected.blocking.skipped
    assert found.unkeyed == expected.blocking.unkeyed
    kept = list(expected.pairs.edges(0.0 if every_pair else expected.review_threshold))
    assert list(found.pairs.edges()) == kept
    if every_pair:
        assert found.pairs.left == expected.pairs.left
        assert found.pairs.right == expected.pairs.right
        assert np.array_equal(found.pairs.weights, expected.pairs.weights)
        assert np.array_equal(found.pairs.levels, expected.pairs.levels)
        assert (found.pairs.adjustments is None) == (expected.pairs.adjustments is None)
        if expected.pairs.adjustments is not None:
            assert np.array_equal(found.pairs.adjustments, expected.pairs.adjustments)
