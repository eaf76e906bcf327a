"""crmcore's side of the deduplication benchmark: from records to clusters.

The stages as a user runs them with the public API: ``block`` (the default rules),
``fit`` (a :class:`~crmcore.dedup.MatchModel` with no labels), ``score_pairs`` and, until
``crmcore.dedup`` has a clustering stage, connected components of the pairs at the threshold
(the same step Splink takes). Each stage is timed on its own.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from _dedup_metrics import components
from crmcore import Contact
from crmcore.dedup import block, fit, score_pairs

__all__ = ["run"]


def run(records: Sequence[Contact], threshold: float, seed: int) -> dict[str, Any]:
    """Block, fit, score and cluster ``records``; clusters, candidate pairs, stage times."""
    stages: dict[str, float] = {}
    start = time.perf_counter()
    blocked = block(records)
    stages["block"] = time.perf_counter() - start
    mark = time.perf_counter()
    model = fit(records, blocked, seed=seed)
    stages["fit"] = time.perf_counter() - mark
    mark = time.perf_counter()
    scored = score_pairs(model, records, blocked)
    stages["score"] = time.perf_counter() - mark
    mark = time.perf_counter()
    ids = [record.id for record in records]
    cluster = components(ids, scored.edges(threshold))
    stages["cluster"] = time.perf_counter() - mark
    return {
        "ids": ids,
        "clusters": [cluster[record_id] for record_id in ids],
        "candidate_pairs": len(blocked.pairs),
        "stages": stages,
    }
