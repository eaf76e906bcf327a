"""What the presets answer: :class:`DedupeResult` for one set, :class:`LinkageResult` for two.

Both hold ids, probabilities, levels and the model; the records themselves stay out of their
``repr``. Explanations name comparisons and levels, never a value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from crmcore._safe import printable
from crmcore.dedup.blocking import BlockingResult
from crmcore.dedup.clustering import Cluster, Clusters
from crmcore.dedup.errors import DedupError
from crmcore.dedup.merge import Merged, merge
from crmcore.dedup.model import MatchModel
from crmcore.dedup.scoring import ScoredPairs
from crmcore.dedup.survivorship import SurvivorshipContext, SurvivorshipRules
from crmcore.records._base import Record

__all__ = ["LEFT_PREFIX", "RIGHT_PREFIX", "DedupeResult", "LinkageResult", "LinkedPair"]


def _unknown(what: str, key: str) -> DedupError:
    return DedupError(f"there is no {what} {printable(str(key), 100)!r}")


@attrs.frozen(eq=False, repr=False)
class DedupeResult:
    """The result of :meth:`ContactMatcher.dedupe`: blocking, scored pairs, clusters, model.

    ``clusters`` holds every record (singletons too), ``review`` the pairs between the review
    and match thresholds, explained and left unmerged. :meth:`merge` makes the golden record
    of each cluster of two records or more; :meth:`golden` gives one record per cluster.
    """

    records: tuple[Record, ...] = attrs.field(repr=False)
    blocking: BlockingResult = attrs.field(repr=False)
    pairs: ScoredPairs = attrs.field(repr=False)
    clusters: Clusters = attrs.field(repr=False)
    model: MatchModel = attrs.field(repr=False)
    match_threshold: float
    review_threshold: float
    survivorship_rules: SurvivorshipRules | None = attrs.field(default=None, repr=False)
    survivorship_context: SurvivorshipContext | None = attrs.field(default=None, repr=False)

    def __repr__(self) -> str:  # counts only: never a record
        return (
            f"DedupeResult(records={len(self.records)}, pairs={len(self.pairs)}, "
            f"clusters={len(self.clusters.clusters)}, duplicates={len(self.duplicates)}, "
            f"review={len(self.review)})"
        )

    @property
    def review(self) -> tuple[Any, ...]:
        """The pairs to review: between the review and the match threshold, explained."""
        return tuple(self.clusters.review)

    @property
    def duplicates(self) -> tuple[Cluster, ...]:
        """The clusters of two records or more, in the clusters' order."""
        return self.clusters.duplicates

    def explain(self, left: str, right: str) -> dict[str, Any]:
        """Why the pair of ``left`` and ``right`` scored as it did: levels and weights."""
        return self.pairs.explain_pair(left, right)

    def explain_cluster(self, cluster_id: str) -> dict[str, Any]:
        """A JSON-safe dict of one cluster: ``cluster`` (its id), ``members``, and ``pairs``:
        the explained pairs within it at the review threshold or above, no values."""
        found = next((c for c in self.clusters.clusters if c.id == cluster_id), None)
        if found is None:
            raise _unknown("cluster", cluster_id)
        return self._explained(found, self._rows_by_cluster().get(found.id, []))

    def explain_clusters(self, *, singletons: bool = True) -> Iterator[dict[str, Any]]:
        """:meth:`explain_cluster` of every cluster in order (of those of two records or more
        without ``singletons``), the pairs read once for all."""
        rows = self._rows_by_cluster()
        for found in self.clusters.clusters:
            if singletons or len(found.members) > 1:
                yield self._explained(found, rows.get(found.id, []))

    def _explained(self, found: Cluster, rows: list[int]) -> dict[str, Any]:
        return {
            "cluster": found.id,
            "members": list(found.members),
            "pairs": [self.pairs.explain(i) for i in rows],
        }

    def _rows_by_cluster(self) -> dict[str, list[int]]:
        home = {member: c.id for c in self.clusters.clusters for member in c.members}
        found: dict[str, list[int]] = {}
        for i in self.pairs.rows_at(self.review_threshold).tolist():
            where = home.get(self.pairs.left[i])
            if where is not None and where == home.get(self.pairs.right[i]):
                found.setdefault(where, []).append(i)
        return found

    def merge(
        self,
        rules: SurvivorshipRules | None = None,
        ctx: SurvivorshipContext | None = None,
    ) -> tuple[Merged, ...]:
        """The :class:`Merged` of each cluster of two records or more, in the clusters' order.

        ``rules`` and ``ctx`` default to the matcher's survivorship rules and context.
        """
        rules = rules if rules is not None else self.survivorship_rules
        ctx = ctx if ctx is not None else self.survivorship_context
        by_id = {record.id: record for record in self.records}
        return tuple(
            merge([by_id[member] for member in cluster.members], rules, ctx)
            for cluster in self.duplicates
        )

    def golden(
        self,
        rules: SurvivorshipRules | None = None,
        ctx: SurvivorshipContext | None = None,
    ) -> tuple[Record, ...]:
        """One record per cluster, in the clusters' order: the golden record of each cluster of
        two or more, the record itself for a singleton."""
        merged = iter(self.merge(rules, ctx))
        by_id = {record.id: record for record in self.records}
        return tuple(
            next(merged).golden if len(cluster.members) > 1 else by_id[cluster.members[0]]
            for cluster in self.clusters.clusters
        )

    def id_map(self) -> dict[str, str]:
        """Every record id mapped to the id of its cluster's golden record (its smallest id)."""
        return {
            member: min(cluster.members)
            for cluster in self.clusters.clusters
            for member in cluster.members
        }


LEFT_PREFIX = "l:"
"""What :meth:`ContactMatcher.link` puts before the ids of the left set while it scores."""

RIGHT_PREFIX = "r:"
"""What :meth:`ContactMatcher.link` puts before the ids of the right set while it scores."""


@attrs.frozen
class LinkedPair:
    """A pair across two sets: the left record's id, the right record's id, the probability."""

    left: str
    right: str
    probability: float


@attrs.frozen(eq=False)
class LinkageResult:
    """The result of :meth:`ContactMatcher.link`: the scored pairs across two sets.

    ``links`` are the pairs at the review threshold or above, by left id, then probability
    (highest first), then right id. ``best`` gives each left id with a link its links in that
    order: its best match first. ``candidates`` counts the pairs across the sets that blocking
    found and were scored.
    """

    links: tuple[LinkedPair, ...]
    model: MatchModel = attrs.field(repr=False)
    match_threshold: float
    review_threshold: float
    candidates: int
    pairs: ScoredPairs = attrs.field(repr=False)

    @property
    def matches(self) -> tuple[LinkedPair, ...]:
        """The links at the match threshold or above."""
        return tuple(link for link in self.links if link.probability >= self.match_threshold)

    @property
    def review(self) -> tuple[LinkedPair, ...]:
        """The links between the review and the match threshold: for a person to decide."""
        return tuple(link for link in self.links if link.probability < self.match_threshold)

    @property
    def best(self) -> dict[str, tuple[LinkedPair, ...]]:
        """Each left id that has a link: its links, best first."""
        found: dict[str, list[LinkedPair]] = {}
        for link in self.links:
            found.setdefault(link.left, []).append(link)
        return {left: tuple(links) for left, links in found.items()}

    def explain(self, left: str, right: str) -> dict[str, Any]:
        """Why a left and a right record scored as they did (a left id, then a right id)."""
        try:
            found = self.pairs.explain_pair(LEFT_PREFIX + str(left), RIGHT_PREFIX + str(right))
        except DedupError:
            raise _unknown("scored pair of the left and right ids", f"{left}, {right}") from None
        found["left"], found["right"] = str(left), str(right)
        return found
