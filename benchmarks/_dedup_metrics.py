"""Scoring clusters against labels: cluster pairwise precision, recall, F1, subsets, negatives.

Two records are *paired* when they end in the same cluster. Precision is the share of paired
records that are one person (by the labels), recall the share of the labelled pairs that are
paired. A subset's recall counts its labelled pairs only; a hard negative is a false pair when
its two strangers are paired. A linkage case (two sets) is scored on its links, the pairs
across the sets at the threshold, against the labelled pairs across the sets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from _dedup_data import Labels, true_pairs

__all__ = ["clusters_of", "score_clusters", "score_links"]


def clusters_of(ids: Sequence[str], clusters: Sequence[str]) -> dict[str, str]:
    """A record id to cluster id mapping from two parallel lists."""
    return dict(zip(ids, clusters, strict=True))


def _together(pairs: Iterable[tuple[str, str]], cluster: Mapping[str, str]) -> int:
    return sum(1 for a, b in pairs if a in cluster and b in cluster and cluster[a] == cluster[b])


def score_clusters(cluster: Mapping[str, str], labels: Labels) -> dict[str, Any]:
    """Precision, recall and F1 of the pairs within clusters; recall per subset; negatives."""
    sizes = Counter(cluster.values())
    predicted = sum(size * (size - 1) // 2 for size in sizes.values())
    truth = true_pairs(labels.groups)
    found = _together(truth, cluster)
    precision = found / predicted if predicted else 1.0
    recall = found / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    subsets = {
        kind: {
            "pairs": len(pairs),
            "found": _together(pairs, cluster),
            "recall": _together(pairs, cluster) / len(pairs) if pairs else None,
        }
        for kind, pairs in labels.subsets.items()
    }
    return {
        "clusters": len(sizes),
        "largest_cluster": max(sizes.values(), default=0),
        "predicted_pairs": predicted,
        "labelled_pairs": len(truth),
        "true_pairs_found": found,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "subsets": subsets,
        "hard_negatives": len(labels.hard_negatives),
        "hard_negatives_paired": _together(labels.hard_negatives, cluster),
    }


def score_links(
    links: Iterable[Sequence[str]], left: Iterable[str], labels: Labels
) -> dict[str, Any]:
    """Precision, recall and F1 of links across two sets; ``left`` holds the first set's ids."""
    lefts = set(left)
    truth = {
        (a, b) if a in lefts else (b, a)
        for a, b in true_pairs(labels.groups)
        if (a in lefts) != (b in lefts)
    }
    predicted = {(a, b) for a, b in links}
    found = len(predicted & truth)
    precision = found / len(predicted) if predicted else 1.0
    recall = found / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "clusters": None,
        "largest_cluster": None,
        "predicted_pairs": len(predicted),
        "labelled_pairs": len(truth),
        "true_pairs_found": found,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "subsets": {},
        "hard_negatives": 0,
        "hard_negatives_paired": 0,
    }
