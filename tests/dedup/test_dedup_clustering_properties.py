"""Properties of clustering: any input order gives the same result; only CRMError comes out."""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import CRMError
from crmcore.dedup import (
    ClusteringError,
    ConstraintError,
    ReviewDecision,
    cluster,
    constraints_from,
    pairwise_scores,
)
from crmcore.dedup._anti_chaining import DenseSets, lone_links
from crmcore.dedup.clustering import cluster_positions

POOL = [f"id-{n}" for n in range(12)]
probabilities = st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.9, 0.92, 0.95, 0.99, 1.0])


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(st.sampled_from(POOL), min_size=0, max_size=12, unique=True))
    pairs = sorted({(a, b) for a in ids for b in ids if a < b})
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=30)) if pairs else []
    edges = [(a, b, draw(probabilities)) for a, b in chosen]
    must = draw(st.lists(st.sampled_from(pairs), max_size=3)) if pairs else []
    cannot = draw(st.lists(st.sampled_from(pairs), max_size=3)) if pairs else []
    return {"ids": ids, "edges": edges, "must_link": must, "cannot_link": cannot}


def run(graph: dict[str, Any], **options: Any) -> Any:
    try:
        return cluster(
            graph["ids"],
            graph["edges"],
            must_link=graph["must_link"],
            cannot_link=graph["cannot_link"],
            **options,
        )
    except ConstraintError:
        return "contradiction"


@settings(max_examples=200)
@given(graphs(), st.randoms(use_true_random=False), st.sampled_from([0.0, 0.34, 0.5, 1.0]))
def test_any_order_of_ids_edges_and_ends_gives_the_same_clusters_order_and_ids(
    graph: dict[str, Any], random: Any, share: float
) -> None:
    shuffled = {key: list(value) for key, value in graph.items()}
    for value in shuffled.values():
        random.shuffle(value)
    shuffled["edges"] = [
        (b, a, p) if random.random() < 0.5 else (a, b, p) for a, b, p in shuffled["edges"]
    ]
    shuffled["must_link"] = [(b, a) for a, b in shuffled["must_link"]]
    first, second = run(graph, min_link_share=share), run(shuffled, min_link_share=share)
    assert first == second
    if first != "contradiction":
        assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())


@settings(max_examples=200)
@given(graphs())
def test_clusters_partition_the_ids_and_honour_the_constraints(graph: dict[str, Any]) -> None:
    result = run(graph)
    if result == "contradiction":
        return
    members = [m for c in result for m in c.members]
    assert sorted(members) == sorted(graph["ids"])
    assert all(c.id == c.members[0] == min(c.members) for c in result)
    assert [(-c.size, c.id) for c in result] == sorted((-c.size, c.id) for c in result)
    for left, right in graph["must_link"]:
        assert result.cluster_of(left) == result.cluster_of(right)
    for left, right in graph["cannot_link"]:
        assert result.cluster_of(left) != result.cluster_of(right)
    for item in result.review:
        assert result.cluster_of(item.left) != result.cluster_of(item.right)
        assert item.probability >= result.review_threshold
    assert result.singletons == sum(1 for c in result if c.size == 1)


@settings(max_examples=100)
@given(graphs())
def test_without_anti_chaining_links_at_the_threshold_are_never_cut(graph: dict[str, Any]) -> None:
    graph = {**graph, "cannot_link": []}
    result = run(graph, min_link_share=0)
    for left, right, p in graph["edges"]:
        if p >= result.match_threshold:
            assert result.cluster_of(left) == result.cluster_of(right)
    assert pairwise_scores(result, []).predicted == len(list(result.pairs()))


@settings(max_examples=100)
@given(graphs())
def test_decisions_on_the_review_queue_empty_it(graph: dict[str, Any]) -> None:
    graph = {**graph, "must_link": [], "cannot_link": []}
    result = run(graph)
    decisions = [ReviewDecision(i.left, i.right, i.probability >= 0.9) for i in result.review]
    must, cannot = constraints_from(decisions)
    again = run({**graph, "must_link": must, "cannot_link": cannot})
    if again != "contradiction":
        reviewed = {(i.left, i.right) for i in result.review}
        assert not reviewed & {(i.left, i.right) for i in again.review}


anything = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.sampled_from(["a", "b"]),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner, inner),
    max_leaves=12,
)


@settings(max_examples=300)
@given(
    anything,
    anything,
    st.fixed_dictionaries(
        {},
        optional={
            "match_threshold": anything,
            "review_threshold": anything,
            "must_link": anything,
            "cannot_link": anything,
            "min_link_share": anything,
        },
    ),
)
def test_arbitrary_input_raises_only_crm_errors(ids: Any, edges: Any, options: Any) -> None:
    try:
        result = cluster(ids, edges, **options)
    except CRMError:
        return
    json.dumps(result.to_dict())


@given(st.sampled_from([ValueError, KeyError, RuntimeError, TypeError]), anything)
def test_a_failing_or_odd_explain_raises_a_crm_error(error: type[Exception], odd: Any) -> None:
    def failing(left: str, right: str) -> dict[str, Any]:
        raise error("boom")

    with pytest.raises(CRMError, match="explain failed"):
        cluster(["a", "b"], [("a", "b", 0.6)], explain=failing)
    for explain in (lambda left, right: odd, odd):
        with contextlib.suppress(CRMError):
            cluster(["a", "b"], [("a", "b", 0.6)], explain=explain)


@given(anything)
def test_arbitrary_decisions_raise_only_crm_errors(decisions: Any) -> None:
    with contextlib.suppress(CRMError):
        constraints_from(decisions)


@given(anything, anything, anything)
def test_arbitrary_input_to_pairwise_scores_raises_only_crm_errors(
    clusters: Any, pairs: Any, negatives: Any
) -> None:
    with contextlib.suppress(CRMError):
        pairwise_scores(clusters, pairs, hard_negatives=negatives)


@given(st.floats(allow_nan=False).filter(lambda p: not 0 <= p <= 1))
def test_a_bad_probability_is_never_quoted(probability: float) -> None:
    with pytest.raises(CRMError, match=r"edges\[0\]") as caught:
        cluster(["a", "b"], [("a", "b", probability)])
    assert repr(probability) not in str(caught.value)


@settings(max_examples=200)
@given(graphs(), st.sampled_from([0.34, 0.5, 0.67, 1.0]))
def test_every_cluster_is_dense(graph: dict[str, Any], share: float) -> None:
    graph = {**graph, "must_link": []}
    result = run(graph, min_link_share=share)
    if result == "contradiction":
        return
    support: dict[str, set[str]] = {}
    for left, right, p in graph["edges"]:
        if p >= result.review_threshold and (left, right) not in graph["cannot_link"]:
            support.setdefault(left, set()).add(right)
            support.setdefault(right, set()).add(left)
    for found in result:
        needed = math.ceil(share * (found.size - 1) - 1e-9)
        for member in found.members:
            assert len(support.get(member, set()) & set(found.members)) >= needed


def _by_positions(graph: dict[str, Any], share: float, many: str = "") -> Any:
    """:func:`cluster_positions` of a graph: its edges as positions among its sorted ids
    (``many``: the review queue explained at once, by ``"pairs"`` or by ``"edges"``)."""
    order = sorted(graph["ids"])
    at = {record_id: i for i, record_id in enumerate(order)}
    ends = [sorted((at[a], at[b])) for a, b, _ in graph["edges"]]

    def by_edges(edges: Any) -> list[dict[str, Any]]:
        return [{"pair": [order[ends[edge][0]], order[ends[edge][1]]]} for edge in edges]

    try:
        return cluster_positions(
            order,
            np.array([left for left, _ in ends], dtype=np.int64),
            np.array([right for _, right in ends], dtype=np.int64),
            np.array([p for _, _, p in graph["edges"]], dtype=np.float64),
            match_threshold=0.9,
            review_threshold=0.5,
            must_link=graph["must_link"],
            cannot_link=graph["cannot_link"],
            explain=None if many else lambda left, right: {"pair": [left, right]},
            explain_many=_explain_many if many == "pairs" else None,
            explain_edges=by_edges if many == "edges" else None,
            min_link_share=share,
        )
    except ConstraintError:
        return "contradiction"


def _explain_many(pairs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"pair": [left, right]} for left, right in pairs]


@settings(max_examples=200)
@given(graphs(), st.sampled_from([0.0, 0.34, 0.5, 1.0]))
def test_edges_given_as_positions_give_the_clusters_of_the_same_edges_as_ids(
    graph: dict[str, Any], share: float
) -> None:
    expected = run(graph, min_link_share=share, explain=lambda left, right: {"pair": [left, right]})
    for many in ("", "pairs", "edges"):
        found = _by_positions(graph, share, many)
        assert found == expected
        if expected != "contradiction":
            assert [item.explanation for item in found.review] == [
                item.explanation for item in expected.review
            ]


def test_a_review_queue_explained_at_once_asks_once_and_is_checked() -> None:
    calls: list[list[tuple[str, str]]] = []

    def many(pairs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        calls.append(list(pairs))
        return [{"n": n} for n in range(len(pairs))]

    ends = np.array([0, 1]), np.array([1, 2]), np.array([0.7, 0.6])
    found = cluster_positions(
        ("a", "b", "c"), *ends, match_threshold=0.9, review_threshold=0.5, explain_many=many
    )
    assert found is not None
    assert calls == [[("a", "b"), ("b", "c")]]
    assert [item.explanation for item in found.review] == [{"n": 0}, {"n": 1}]
    _each_refused(ends, "explain_many", [lambda _: [{}], lambda _: [1, 2], lambda _: 1 / 0])


def _each_refused(ends: tuple[Any, Any, Any], name: str, wrongs: list[Any]) -> None:
    """Each of ``wrongs`` given as the callable ``name`` fails with an error naming it."""
    for wrong in wrongs:
        with pytest.raises(ClusteringError, match=name):
            cluster_positions(
                ("a", "b", "c"), *ends, match_threshold=0.9, review_threshold=0.5, **{name: wrong}
            )


def test_a_review_queue_explained_by_edges_asks_once_for_the_edges_given() -> None:
    calls: list[list[int]] = []

    def by_edges(edges: Any) -> list[dict[str, Any]]:
        calls.append(edges.tolist())
        return [{"edge": edge} for edge in edges.tolist()]

    # the edge at place 1 is below the review threshold: the places are of every edge given
    ends = np.array([1, 0, 0]), np.array([2, 1, 2]), np.array([0.6, 0.1, 0.7])
    found = cluster_positions(
        ("a", "b", "c"), *ends, match_threshold=0.9, review_threshold=0.5, explain_edges=by_edges
    )
    assert found is not None
    assert calls == [[2, 0]]  # the queue's order: the more probable first
    assert [item.explanation for item in found.review] == [{"edge": 2}, {"edge": 0}]
    _each_refused(ends, "explain_edges", [lambda _: [{}], lambda _: [1, 2], lambda _: 1 / 0, 3])


@pytest.mark.parametrize(
    "given",
    [
        {"explain": lambda left, right: {}, "explain_many": _explain_many},
        {"explain_many": _explain_many, "explain_edges": lambda edges: []},
        {"explain": lambda left, right: {}, "explain_edges": lambda edges: []},
    ],
)
def test_explain_and_explain_many_together_are_refused(given: dict[str, Any]) -> None:
    ends = np.array([0]), np.array([1]), np.array([0.7])
    with pytest.raises(ClusteringError, match="give one of"):
        cluster_positions(("a", "b"), *ends, match_threshold=0.9, review_threshold=0.5, **given)


def test_positions_among_ids_out_of_order_are_refused_for_the_ids_path() -> None:
    no_edge = np.zeros(0, dtype=np.int64)
    found = cluster_positions(
        ["b", "a"], no_edge, no_edge, np.zeros(0), match_threshold=0.9, review_threshold=0.5
    )
    assert found is None
    ordered = cluster_positions(
        ("a", "b"),
        np.array([0]),
        np.array([1]),
        np.array([0.95]),
        match_threshold=0.9,
        review_threshold=0.5,
    )
    assert ordered is not None
    assert [c.members for c in ordered] == [("a", "b")]


@pytest.mark.parametrize(
    ("left", "right", "chances", "message"),
    [
        (np.array([-2, -2]), np.array([0, 1]), np.array([0.95, 0.95]), "left holds a position"),
        (np.array([0]), np.array([3]), np.array([0.95]), "right holds a position"),
        (np.array([0.0]), np.array([1]), np.array([0.95]), "left is not"),
        (np.array([[0]]), np.array([1]), np.array([0.95]), "left is not"),
        (np.array([0, 1]), np.array([1, 2]), np.array([0.95]), "not as many"),
    ],
)
def test_positions_not_among_the_ids_are_refused(
    left: Any, right: Any, chances: Any, message: str
) -> None:
    with pytest.raises(ClusteringError, match=message):
        cluster_positions(
            ("a", "b", "c"), left, right, chances, match_threshold=0.9, review_threshold=0.5
        )


class _Unreadable(Mapping[str, Any]):
    """A mapping whose values cannot be read (its error message holds a value)."""

    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("zq.planted@example.com")

    def __iter__(self) -> Any:
        return iter(["x"])

    def __len__(self) -> int:
        return 1


def test_a_mapping_that_cannot_be_read_is_refused_naming_the_callable_only() -> None:
    ends = np.array([0]), np.array([1]), np.array([0.7])
    with pytest.raises(ClusteringError, match="explain_many did not give") as caught:
        cluster_positions(
            ("a", "b"),
            *ends,
            match_threshold=0.9,
            review_threshold=0.5,
            explain_many=lambda pairs: [_Unreadable()],
        )
    assert "planted" not in str(caught.value)


def test_lone_links_are_those_whose_records_have_no_other_link_nor_constraint() -> None:
    links = [(0, 1), (2, 3), (3, 4), (5, 6), (7, 8), (9, 9)]
    assert lone_links(links, [(6, 10)]) == [True, False, False, False, True, False]
    assert lone_links([], [(0, 1)]) == []


@settings(max_examples=300)
@given(graphs(), st.sampled_from([0.0, 0.34, 0.5, 1.0]))
def test_clusters_are_those_of_every_link_joined_through_the_dense_sets(
    graph: dict[str, Any], share: float
) -> None:
    """Links with nothing else at their records join without the dense sets: the clusters
    are those of every link joined through them, strongest first."""
    result = run(graph, min_link_share=share)
    if result == "contradiction":
        return
    order = sorted(graph["ids"])
    at = {record_id: i for i, record_id in enumerate(order)}
    edges = [(at[a], at[b], p) for a, b, p in graph["edges"]]
    must = {tuple(sorted((at[a], at[b]))) for a, b in graph["must_link"]}
    cannot = {tuple(sorted((at[a], at[b]))) for a, b in graph["cannot_link"]}
    support: dict[int, set[int]] = {}
    for left, right in [(a, b) for a, b, p in edges if p >= 0.5 and (a, b) not in cannot] + [
        pair for pair in must if pair[0] != pair[1]
    ]:
        support.setdefault(left, set()).add(right)
        support.setdefault(right, set()).add(left)
    sets = DenseSets(len(order), support, must, cannot, share)  # type: ignore[arg-type]
    links = [(-p, -sets.shared(a, b), a, b) for a, b, p in edges if p >= 0.9]
    for _, _, left, right in sorted(link for link in links if link[2:] not in cannot):
        sets.join(left, right)
    expected = sorted(tuple(order[node] for node in group) for group in sets.parts()[0])
    assert sorted(found.members for found in result if found.size > 1) == expected
