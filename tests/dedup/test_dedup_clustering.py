"""Clustering scored pairs: components, anti-chaining, constraints, review queue."""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest

from crmcore import CRMError
from crmcore._collector import frozen
from crmcore.dedup import (
    REVIEW_REASONS,
    Cluster,
    ClusteringError,
    Clusters,
    ConstraintError,
    ReviewDecision,
    ReviewItem,
    UnknownIdError,
    cluster,
    constraints_from,
)

IDS = [f"r{n}" for n in range(10)]


def members(result: Clusters) -> list[tuple[str, ...]]:
    return [c.members for c in result]


def test_links_at_the_match_threshold_join_records_into_components() -> None:
    result = cluster(IDS[:5], [("r0", "r1", 0.95), ("r1", "r2", 0.9), ("r3", "r4", 0.89)])
    assert members(result) == [("r0", "r1", "r2"), ("r3",), ("r4",)]
    assert result.singletons == 2
    assert result.records == 5
    assert [c.id for c in result] == ["r0", "r3", "r4"]


def test_cluster_id_is_the_smallest_member_id_and_larger_clusters_come_first() -> None:
    result = cluster(["z", "b", "a", "y"], [("z", "y", 0.99), ("b", "y", 0.99)])
    assert result[0] == Cluster("b", ("b", "y", "z"))
    assert result[1] == Cluster("a", ("a",))
    assert result.cluster_of("z").id == "b"
    assert result.duplicates == (result[0],)


def test_no_ids_give_no_clusters() -> None:
    result = cluster([], [])
    assert len(result) == 0
    assert result.review == ()
    assert result.to_dict()["clusters"] == []


def test_a_planted_chain_of_weak_links_is_split_and_its_cut_link_reviewed() -> None:
    chain = [("a", "b", 0.95), ("b", "c", 0.94), ("c", "d", 0.92), ("d", "e", 0.96)]
    result = cluster(list("abcde"), chain)
    assert all(c.size < 5 for c in result)
    assert members(result) == [("a", "b", "c"), ("d", "e")]
    assert result.review == (ReviewItem("c", "d", 0.92, "anti_chaining"),)


def test_a_chain_whose_ends_are_scored_dissimilar_is_split() -> None:
    chain = [("a", "b", 0.97), ("b", "c", 0.97), ("c", "d", 0.97), ("d", "e", 0.97)]
    dissimilar = [("a", "e", 0.01), ("a", "d", 0.02), ("b", "e", 0.02)]
    result = cluster(list("abcde"), chain + dissimilar)
    assert max(c.size for c in result) <= 3
    assert {item.reason for item in result.review} == {"anti_chaining"}


def test_two_dense_groups_joined_by_one_equally_strong_link_are_cut_at_that_link() -> None:
    left = [("a", "b", 0.95), ("a", "c", 0.95), ("b", "c", 0.95)]
    right = [("d", "e", 0.95), ("d", "f", 0.95), ("e", "f", 0.95)]
    result = cluster(list("abcdef"), [*left, *right, ("c", "d", 0.95)])
    assert members(result) == [("a", "b", "c"), ("d", "e", "f")]
    assert [(i.left, i.right, i.reason) for i in result.review] == [("c", "d", "anti_chaining")]


def test_a_star_whose_leaves_are_plausibly_alike_stays_one_cluster() -> None:
    spokes = [("a", leaf, 0.95) for leaf in "bcde"]
    leaves = [(x, y, 0.6) for x, y in [("b", "c"), ("b", "d"), ("c", "e"), ("d", "e")]]
    result = cluster(list("abcde"), spokes + leaves)
    assert members(result) == [("a", "b", "c", "d", "e")]
    assert result.review == ()


def test_a_hub_linked_to_strangers_is_split() -> None:
    spokes = [("a", leaf, 0.95) for leaf in "bcdef"]
    result = cluster(list("abcdef"), spokes)
    assert max(c.size for c in result) <= 3


def test_share_zero_turns_anti_chaining_off() -> None:
    chain = [("a", "b", 0.95), ("b", "c", 0.94), ("c", "d", 0.92), ("d", "e", 0.96)]
    result = cluster(list("abcde"), chain, min_link_share=0)
    assert members(result) == [tuple("abcde")]


def test_pairs_between_the_thresholds_are_reviewed_unmerged() -> None:
    result = cluster(IDS[:4], [("r0", "r1", 0.7), ("r2", "r3", 0.4), ("r1", "r2", 0.5)])
    assert result.singletons == 4
    assert [(i.left, i.right, i.probability, i.reason) for i in result.review] == [
        ("r0", "r1", 0.7, "between_thresholds"),
        ("r1", "r2", 0.5, "between_thresholds"),
    ]


def test_a_review_pair_already_in_one_cluster_is_not_reviewed() -> None:
    edges = [("a", "b", 0.99), ("b", "c", 0.99), ("a", "c", 0.6)]
    result = cluster(list("abc"), edges)
    assert members(result) == [("a", "b", "c")]
    assert result.review == ()


def test_review_items_carry_the_explanation() -> None:
    def explain(left: str, right: str) -> dict[str, Any]:
        return {"pair": [left, right], "why": "name"}

    result = cluster(["a", "b"], [("b", "a", 0.6)], explain=explain)
    (item,) = result.review
    assert item.explanation == {"pair": ["a", "b"], "why": "name"}
    assert json.loads(json.dumps(result.to_dict()))["review"][0]["explanation"]["why"] == "name"


def test_must_link_unites_and_cannot_link_separates() -> None:
    result = cluster(
        list("abcd"),
        [("a", "b", 0.99), ("c", "d", 0.1)],
        must_link=[("d", "c")],
        cannot_link=[("a", "b")],
    )
    assert members(result) == [("c", "d"), ("a",), ("b",)]
    assert result.review == ()


def test_cannot_link_cuts_a_component_at_the_weaker_path_and_reviews_it() -> None:
    result = cluster(list("abc"), [("a", "b", 0.99), ("b", "c", 0.98)], cannot_link=[("a", "c")])
    assert members(result) == [("a", "b"), ("c",)]
    assert result.review == (ReviewItem("b", "c", 0.98, "cannot_link"),)


def test_must_links_are_never_cut_by_anti_chaining() -> None:
    must = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")]
    result = cluster(list("abcde"), [], must_link=must)
    assert members(result) == [tuple("abcde")]


def test_contradicting_constraints_name_the_ids() -> None:
    with pytest.raises(ConstraintError, match=r"'a'.*'c'"):
        cluster(list("abc"), [], must_link=[("a", "b"), ("b", "c")], cannot_link=[("c", "a")])


def test_unknown_ids_are_refused_by_position() -> None:
    with pytest.raises(UnknownIdError, match=r"edges\[1\]: the right id"):
        cluster(["a", "b"], [("a", "b", 0.5), ("a", "zz", 0.5)])
    with pytest.raises(UnknownIdError, match=r"must_link\[0\]"):
        cluster(["a"], [], must_link=[("a", "b")])


@pytest.mark.parametrize(
    ("ids", "edges", "message"),
    [
        (["a", "b", "a"], [], r"ids\[2\] repeats the id at ids\[0\]"),
        (["a", 3], [], r"ids\[1\] is not a text id"),
        ("ab", [], "ids must be an iterable"),
        (["a", "b"], [("a", "b", 1.5)], r"edges\[0\]: the probability"),
        (["a", "b"], [("a", "b", float("nan"))], r"edges\[0\]: the probability"),
        (["a", "b"], [("a", "b", True)], r"edges\[0\]: the probability"),
        (["a", "b"], [("a", "b", "0.5")], r"edges\[0\]: the probability"),
        (["a", "b"], [("a", "b")], r"edges\[0\] is not a tuple of 3"),
        (["a", "b"], [("a", "a", 0.5)], r"edges\[0\] links a record with itself"),
        (["a", "b"], [("a", "b", 0.5), ("b", "a", 0.6)], r"edges\[1\] repeats .*edges\[0\]"),
    ],
)
def test_bad_input_is_a_crm_error_naming_the_position(ids: Any, edges: Any, message: str) -> None:
    with pytest.raises(ClusteringError, match=message):
        cluster(ids, edges)


@pytest.mark.parametrize(
    ("match", "review"), [(0.5, 0.6), (0, 0), (1.2, 0.5), (0.9, -0.1), ("0.9", 0.5)]
)
def test_bad_thresholds_are_refused(match: Any, review: Any) -> None:
    with pytest.raises(ClusteringError):
        cluster([], [], match_threshold=match, review_threshold=review)


def test_an_object_with_an_edges_method_is_read() -> None:
    class Scored:
        def edges(self) -> list[tuple[str, str, float]]:
            return [("a", "b", 0.95)]

    assert members(cluster(["a", "b"], Scored())) == [("a", "b")]


def test_cluster_of_an_unknown_id_is_refused_without_the_id() -> None:
    result = cluster(["a"], [])
    with pytest.raises(UnknownIdError) as caught:
        result.cluster_of("secret@example.org")
    assert "secret" not in str(caught.value)


def test_to_dict_is_json_safe_and_counts_singletons() -> None:
    result = cluster(list("abc"), [("a", "b", 0.95), ("b", "c", 0.55)])
    data = json.loads(json.dumps(result.to_dict()))
    assert data["clusters"] == [{"id": "a", "members": ["a", "b"]}, {"id": "c", "members": ["c"]}]
    assert data["singletons"] == 1
    assert data["records"] == 3
    assert data["review"][0]["reason"] == "between_thresholds"
    assert set(REVIEW_REASONS) >= {item["reason"] for item in data["review"]}


def test_pairs_lists_the_pairs_each_cluster_implies() -> None:
    result = cluster(list("abcd"), [("a", "b", 0.95), ("b", "c", 0.95), ("a", "c", 0.95)])
    assert sorted(result.pairs()) == [("a", "b"), ("a", "c"), ("b", "c")]


def test_decisions_become_constraints_that_cluster_honours() -> None:
    result = cluster(list("abc"), [("a", "b", 0.7), ("b", "c", 0.6)])
    decisions = [ReviewDecision("a", "b", True), ReviewDecision("c", "b", False)]
    must, cannot = constraints_from(decisions)
    assert (must, cannot) == ((("a", "b"),), (("b", "c"),))
    again = cluster(
        list("abc"), [("a", "b", 0.7), ("b", "c", 0.6)], must_link=must, cannot_link=cannot
    )
    assert members(again) == [("a", "b"), ("c",)]
    assert again.review == ()
    assert result.review != again.review


def test_a_pair_decided_both_ways_is_a_constraint_error() -> None:
    with pytest.raises(ConstraintError):
        constraints_from([ReviewDecision("a", "b", True), ReviewDecision("b", "a", False)])
    with pytest.raises(ClusteringError, match=r"decisions\[0\]"):
        constraints_from([("a", "b", True)])  # type: ignore[list-item]


def test_every_clustering_error_is_a_crm_error() -> None:
    assert issubclass(ConstraintError, CRMError)
    assert issubclass(UnknownIdError, LookupError)


def test_a_long_band_of_links_breaks_into_dense_clusters() -> None:
    ids = [f"r{n:04d}" for n in range(600)]
    band = [(ids[a], ids[b], 0.95) for a in range(600) for b in range(a + 1, min(600, a + 4))]
    result = cluster(ids, band)
    assert sum(c.size for c in result) == 600
    assert max(c.size for c in result) <= 7
    assert all(item.reason == "anti_chaining" for item in result.review)


def _in_generations(item: object) -> set[int]:
    """The collector's generations (not the frozen objects) that hold ``item``."""
    return {g for g in range(3) if any(found is item for found in gc.get_objects(g))}


def test_the_clusters_made_stay_out_of_the_collection_that_follows() -> None:
    if gc.get_freeze_count():
        pytest.skip("objects frozen by another: frozen() leaves them as they are")
    edges = [("a", "b", 0.95), ("b", "c", 0.97)]
    with frozen():  # a preset's run: frozen with the objects before, until the block ends
        inside = cluster(["a", "b", "c", "d"], edges)
        assert gc.is_tracked(inside.clusters[0])
        assert _in_generations(inside.clusters[0]) == set()
    assert _in_generations(inside.clusters[0]) == {2}
    alone = cluster(["a", "b", "c", "d"], edges)  # alone: moved to the oldest generation
    assert _in_generations(alone.clusters[0]) == {2}
    assert alone == inside
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
