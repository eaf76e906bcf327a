"""How good are clusters? Pairwise precision, recall and F1 against known duplicates.

:func:`pairwise_scores` compares the pairs of records that clusters put together with the
pairs known to be one person, the measure record-linkage tools report. Given labelled pairs
with kinds (:attr:`crmcore.testing.synthetic.Dataset.duplicate_pairs`), it gives the recall per
kind; given hard negatives (:attr:`~crmcore.testing.synthetic.Dataset.hard_negatives`), the
number of them wrongly put together.

>>> from crmcore.dedup import cluster
>>> clusters = cluster(["a", "b", "c", "d"], [("a", "b", 0.99), ("b", "c", 0.95)])
>>> scores = pairwise_scores(clusters, [("a", "b"), ("c", "d")])
>>> scores.predicted, scores.true_positives, scores.precision, scores.recall
(3, 1, 0.3333333333333333, 0.5)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from crmcore.dedup._clustering_errors import ClusteringError

__all__ = ["KindCount", "PairwiseScores", "pairwise_scores"]


@attrs.frozen
class KindCount:
    """Of the labelled ``pairs`` of one ``kind``, how many the clusters put together.

    For known duplicates, ``share`` is the recall of the kind; for hard negatives, the share of
    them wrongly put together.
    """

    kind: str
    pairs: int
    together: int

    @property
    def share(self) -> float:
        """``together / pairs`` (1.0 for no pair)."""
        return self.together / self.pairs if self.pairs else 1.0

    def to_dict(self) -> dict[str, Any]:
        """The counts and the share, JSON-safe."""
        return {
            "kind": self.kind,
            "pairs": self.pairs,
            "together": self.together,
            "share": self.share,
        }


@attrs.frozen
class PairwiseScores:
    """The pairs clusters imply, scored against the pairs known to be one person.

    ``predicted``: pairs put together; ``actual``: known pairs; ``true_positives``: both.
    Nothing predicted has precision 1.0, nothing to find has recall 1.0. ``unclustered``
    counts the known pairs naming an id the clusters do not hold (counted as missed).
    ``by_kind`` gives the recall per kind of labelled pair, ``hard_negatives`` how many pairs
    of each kind of hard negative were put together; both sorted by kind.
    """

    predicted: int
    actual: int
    true_positives: int
    unclustered: int = 0
    by_kind: tuple[KindCount, ...] = ()
    hard_negatives: tuple[KindCount, ...] = ()

    @property
    def false_positives(self) -> int:
        """Pairs put together that are not known to be one person."""
        return self.predicted - self.true_positives

    @property
    def false_negatives(self) -> int:
        """Known pairs the clusters keep apart."""
        return self.actual - self.true_positives

    @property
    def precision(self) -> float:
        """The share of the pairs put together that are known pairs."""
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """The share of the known pairs put together."""
        return self.true_positives / self.actual if self.actual else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Every count and measure, JSON-safe."""
        return {
            "predicted": self.predicted,
            "actual": self.actual,
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "unclustered": self.unclustered,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "by_kind": [k.to_dict() for k in self.by_kind],
            "hard_negatives": [k.to_dict() for k in self.hard_negatives],
        }


def _iterable(value: object, argument: str) -> Iterable[Any]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise ClusteringError(f"{argument} must be an iterable")
    return value


def _labels(clusters: object) -> dict[str, int]:
    """Each clustered id and the number of its cluster."""
    label: dict[str, int] = {}
    for number, group in enumerate(_iterable(clusters, "clusters")):
        members = getattr(group, "members", group)
        for record_id in _iterable(members, f"clusters[{number}]"):
            if not isinstance(record_id, str):
                raise ClusteringError(f"clusters[{number}] holds an id that is not text")
            if record_id in label:
                raise ClusteringError(
                    f"clusters[{number}] holds an id of clusters[{label[record_id]}]"
                )
            label[record_id] = number
    return label


def _pairs(labelled: object, argument: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """The distinct pairs of ``labelled`` (pairs, groups or labelled pairs) and their kinds."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for position, item in enumerate(_iterable(labelled, argument)):
        if hasattr(item, "left") and hasattr(item, "right"):
            group: tuple[Any, ...] = (item.left, item.right)
            kinds = getattr(item, "kinds", ())
            kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
        else:
            group, kinds = tuple(_iterable(item, f"{argument}[{position}]")), ()
        if len(group) < 2 or not all(isinstance(i, str) for i in group):
            raise ClusteringError(f"{argument}[{position}] is not two text ids or more")
        if not all(isinstance(kind, str) for kind in kinds):
            raise ClusteringError(f"{argument}[{position}] has a kind that is not text")
        ids = sorted(set(group))
        for i, left in enumerate(ids):
            for right in ids[i + 1 :]:
                known = found.get((left, right), ())
                found[left, right] = tuple(sorted(set(known) | set(kinds)))
    return found


def _by_kind(
    pairs: Mapping[tuple[str, str], tuple[str, ...]], together: set[tuple[str, str]]
) -> tuple[KindCount, ...]:
    counts: dict[str, list[int]] = {}
    for pair, kinds in pairs.items():
        for kind in kinds:
            count = counts.setdefault(kind, [0, 0])
            count[0] += 1
            count[1] += pair in together
    return tuple(KindCount(kind, total, hits) for kind, (total, hits) in sorted(counts.items()))


def pairwise_scores(
    clusters: object,
    true_pairs: Iterable[Any],
    *,
    hard_negatives: Iterable[Any] = (),
) -> PairwiseScores:
    """Score the pairs ``clusters`` imply against ``true_pairs``.

    ``clusters`` is a :class:`~crmcore.dedup.Clusters` or any groups of ids (another tool's
    clusters). ``true_pairs`` are pairs or larger groups of ids known to be one person, or
    labelled pairs with ``left``, ``right`` and ``kinds`` (recall per kind); each pair counts
    once. ``hard_negatives`` are pairs known to be two people, labelled the same way.
    """
    label = _labels(clusters)
    sizes: dict[int, int] = {}
    for number in label.values():
        sizes[number] = sizes.get(number, 0) + 1
    predicted = sum(size * (size - 1) // 2 for size in sizes.values())

    def joined(pairs: Mapping[tuple[str, str], tuple[str, ...]]) -> set[tuple[str, str]]:
        return {
            (left, right)
            for left, right in pairs
            if left in label and right in label and label[left] == label[right]
        }

    known = _pairs(true_pairs, "true_pairs")
    found = joined(known)
    negatives = _pairs(hard_negatives, "hard_negatives")
    return PairwiseScores(
        predicted=predicted,
        actual=len(known),
        true_positives=len(found),
        unclustered=sum(1 for left, right in known if left not in label or right not in label),
        by_kind=_by_kind(known, found),
        hard_negatives=_by_kind(negatives, joined(negatives)),
    )
