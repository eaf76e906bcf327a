"""Clustering real scored pairs of generated data: anti-chaining costs no recall."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from crmcore import Contact
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.dedup import block, cluster, fit, pairwise_scores, score_pairs
from crmcore.testing.synthetic import messy_dataset

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def scored() -> dict[str, Any]:
    data = messy_dataset(2026, AS_OF, contacts=1500, accounts=30, deals=0, activities=0)
    ctx = CleaningContext(as_of=AS_OF, default_region="FR", dayfirst=True)
    records = [r.record for row in data.contacts if (r := clean_raw(Contact, row, ctx)).record]
    pairs = block(records)
    scores = score_pairs(fit(records, pairs, seed=0), records, pairs)
    ids = {record.id for record in records}
    known = [p for p in data.duplicate_pairs if p.left in ids and p.right in ids]
    return {"ids": sorted(ids), "scored": scores, "known": known}


def test_anti_chaining_keeps_the_recall_of_plain_components_and_gains_precision(
    scored: dict[str, Any],
) -> None:
    plain = cluster(scored["ids"], scored["scored"], min_link_share=0)
    dense = cluster(scored["ids"], scored["scored"])
    before = pairwise_scores(plain, scored["known"])
    after = pairwise_scores(dense, scored["known"])
    assert after.recall >= before.recall - 0.005
    assert after.recall > 0.95
    assert after.precision >= before.precision
    assert max(c.size for c in dense) <= max(c.size for c in plain)


def test_review_items_are_explained_by_the_scored_pairs(scored: dict[str, Any]) -> None:
    result = cluster(
        scored["ids"],
        scored["scored"],
        review_threshold=0.01,
        explain=scored["scored"].explain_pair,
    )
    assert result.review
    for item in result.review[:20]:
        assert item.explanation is not None
        assert item.explanation["probability"] == item.probability
        assert {item.explanation["left"], item.explanation["right"]} == {item.left, item.right}
