"""crmcore's side of the deduplication benchmark: from records to clusters.

:func:`run` is what a user runs: ``ContactMatcher(...).dedupe(records)``, which blocks with
the default rules, fits a model with no labels, scores every candidate pair, and clusters at
the match threshold (with anti-chaining and the review queue, explained). :func:`run_stages`
runs the same stages one by one with the public functions (``block``, ``fit``,
``score_pairs``, ``cluster``) to time each; it is not what the comparison with Splink times.
:func:`link` links two sets: ``ContactMatcher(...).link(left, right)``, its matches at the
threshold. Both run with ``jobs=2`` (:data:`JOBS`): blocking and comparing on the two cores
of the machine the issue names, as Splink's engine uses both.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from crmcore import Contact
from crmcore.dedup import ContactMatcher, block, cluster, fit, score_pairs

__all__ = ["JOBS", "link", "run", "run_stages"]

JOBS = 2
"""Processes of the matcher (``ContactMatcher(jobs=...)``), set explicitly: the default is 1."""


def _assignment(ids: Sequence[str], clusters: Any) -> list[str]:
    found = {member: c.id for c in clusters.clusters for member in c.members}
    return [found[record_id] for record_id in ids]


def run(records: Sequence[Contact], threshold: float, seed: int) -> dict[str, Any]:
    """``ContactMatcher().dedupe(records)``: clusters and candidate pairs."""
    result = ContactMatcher(match_threshold=threshold, seed=seed, jobs=JOBS).dedupe(records)
    ids = [record.id for record in records]
    return {
        "ids": ids,
        "clusters": _assignment(ids, result.clusters),
        "candidate_pairs": len(result.blocking.pairs),
        "review": len(result.review),
        "stages": {},
    }


def run_stages(records: Sequence[Contact], threshold: float, seed: int) -> dict[str, Any]:
    """The stages one by one, each timed: block, fit, score, cluster."""
    stages: dict[str, float] = {}
    mark = time.perf_counter()
    blocked = block(records)
    stages["block"] = time.perf_counter() - mark
    mark = time.perf_counter()
    model = fit(records, blocked, seed=seed)
    stages["fit"] = time.perf_counter() - mark
    mark = time.perf_counter()
    scored = score_pairs(model, records, blocked)
    stages["score"] = time.perf_counter() - mark
    mark = time.perf_counter()
    ids = [record.id for record in records]
    clusters = cluster(ids, scored, match_threshold=threshold, explain=scored.explain_pair)
    stages["cluster"] = time.perf_counter() - mark
    return {
        "ids": ids,
        "clusters": _assignment(ids, clusters),
        "candidate_pairs": len(blocked.pairs),
        "stages": stages,
    }


def link(
    sets: tuple[Sequence[Contact], Sequence[Contact]], threshold: float, seed: int
) -> dict[str, Any]:
    """``ContactMatcher().link(left, right)``: the pairs across the sets at the threshold."""
    left, right = sets
    result = ContactMatcher(match_threshold=threshold, seed=seed, jobs=JOBS).link(left, right)
    return {
        "links": [[pair.left, pair.right] for pair in result.matches],
        "candidate_pairs": result.candidates,
        "review": len(result.review),
        "stages": {},
    }
