"""Pairwise precision, recall and F1 of clusters, per kind and among hard negatives."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore.dedup import ClusteringError, cluster
from crmcore.dedup.evaluation import KindCount, PairwiseScores, pairwise_scores
from crmcore.testing.synthetic import LabelledPair


def test_scores_count_the_pairs_clusters_imply() -> None:
    clusters = cluster(list("abcde"), [("a", "b", 0.99), ("b", "c", 0.99), ("a", "c", 0.99)])
    scores = pairwise_scores(clusters, [("a", "b"), ("d", "e")])
    assert (scores.predicted, scores.actual, scores.true_positives) == (3, 2, 1)
    assert (scores.false_positives, scores.false_negatives) == (2, 1)
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == pytest.approx(0.5)
    assert scores.f1 == pytest.approx(0.4)


def test_groups_of_ids_count_every_pair_within_once() -> None:
    scores = pairwise_scores([("a", "b", "c")], [("c", "b", "a"), ("a", "b")])
    assert (scores.actual, scores.true_positives, scores.precision) == (3, 3, 1.0)


def test_recall_per_kind_and_hard_negatives_put_together() -> None:
    known = [
        LabelledPair("a", "b", ("nickname", "upper")),
        LabelledPair("c", "d", ("nickname",)),
    ]
    negatives = [LabelledPair("a", "c", ("twins",)), LabelledPair("b", "x", ("twins",))]
    scores = pairwise_scores([("a", "b", "c"), ("d",), ("x",)], known, hard_negatives=negatives)
    assert scores.by_kind == (KindCount("nickname", 2, 1), KindCount("upper", 1, 1))
    assert scores.by_kind[0].share == 0.5
    assert scores.hard_negatives == (KindCount("twins", 2, 1),)


def test_known_pairs_outside_the_clusters_are_counted_as_missed() -> None:
    scores = pairwise_scores([("a", "b")], [("a", "b"), ("a", "gone")])
    assert (scores.true_positives, scores.false_negatives, scores.unclustered) == (1, 1, 1)


def test_nothing_to_predict_and_nothing_predicted_are_perfect() -> None:
    scores = pairwise_scores([], [])
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)
    assert pairwise_scores([("a",), ("b",)], [("a", "b")]).f1 == 0.0


def test_to_dict_is_json_safe() -> None:
    scores = pairwise_scores([("a", "b")], [LabelledPair("a", "b", ("upper",))])
    data = json.loads(json.dumps(scores.to_dict()))
    assert data["f1"] == 1.0
    assert data["by_kind"] == [{"kind": "upper", "pairs": 1, "together": 1, "share": 1.0}]


@pytest.mark.parametrize(
    ("clusters", "pairs", "message"),
    [
        ([("a", "b"), ("b",)], [], r"clusters\[1\] holds an id of clusters\[0\]"),
        ("ab", [], "clusters must be an iterable"),
        ([("a", 1)], [], r"clusters\[0\] holds an id that is not text"),
        ([("a",)], [("a",)], r"true_pairs\[0\] is not two text ids"),
        ([("a",)], [("a", 2)], r"true_pairs\[0\]"),
    ],
)
def test_bad_input_is_a_clustering_error_naming_the_position(
    clusters: object, pairs: object, message: str
) -> None:
    with pytest.raises(ClusteringError, match=message):
        pairwise_scores(clusters, pairs)  # type: ignore[arg-type]


ids = st.sampled_from("abcdefgh")


@given(
    st.lists(st.lists(ids, min_size=1, max_size=4), max_size=4),
    st.lists(st.tuples(ids, ids).filter(lambda p: p[0] != p[1]), max_size=8),
)
def test_measures_stay_within_bounds_and_agree_with_counts(
    groups: list[list[str]], pairs: list[tuple[str, str]]
) -> None:
    seen: set[str] = set()
    clusters = []
    for group in groups:
        fresh = [i for i in dict.fromkeys(group) if i not in seen]
        seen.update(fresh)
        if fresh:
            clusters.append(tuple(fresh))
    scores = pairwise_scores(clusters, pairs)
    assert isinstance(scores, PairwiseScores)
    assert 0 <= scores.true_positives <= min(scores.predicted, scores.actual)
    assert 0.0 <= scores.f1 <= 1.0
    assert scores.actual == len({tuple(sorted(p)) for p in pairs})
    assert scores.predicted == sum(len(c) * (len(c) - 1) // 2 for c in clusters)
