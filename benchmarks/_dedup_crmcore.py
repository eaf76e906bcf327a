"""crmcore's side of the deduplication benchmark: from records to clusters.

:func:`run` is what a user runs: ``ContactMatcher(...).dedupe(records)``, which blocks with
the default rules, fits a model with no labels, scores every candidate pair, and clusters at
the match threshold (with anti-chaining and the review queue, explained). :func:`run_stages`
runs the same stages one by one, as ``dedupe`` runs them (the same matcher, the pairs
compared once for the fit and the scores), to time each; it is not what the comparison with
Splink times. :func:`link` links two sets: ``ContactMatcher(...).link(left, right)``, its
matches at the threshold. All three run with ``jobs=2`` (:data:`JOBS`): blocking and
comparing on the two cores of the machine the issue names, as Splink's engine uses both.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from crmcore import Contact
from crmcore.dedup import ContactMatcher
from crmcore.dedup._batch import prepared_once

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
    """``dedupe``'s stages one by one, each timed: read, block, compare, fit, score, cluster.

    The matcher's own stages, in ``dedupe``'s order and with its ``jobs``: the times add up to
    what :func:`run` spends (a stage run here with other options would not).
    """
    matcher = ContactMatcher(match_threshold=threshold, seed=seed, jobs=JOBS)
    stages: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        stages[stage] = now - mark
        mark = now

    found = matcher._read(records)
    lap("read")
    with matcher._reading(found):  # as in dedupe: read once for blocking and comparing
        blocked = matcher._block(found)  # (the read counted in blocking's time)
        lap("block")
        with prepared_once():  # as in dedupe: each record prepared once for the pairs and u
            vectors, sample = matcher._compare(found, blocked)
            lap("compare")
            model = matcher._fit(found, blocked, vectors, sample)
            lap("fit")
    scored = matcher._score(model, found, blocked, vectors)
    lap("score")
    clusters = matcher._cluster([record.id for record in found], scored, (), ())
    lap("cluster")
    ids = [record.id for record in records]
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
