"""Clustering scored pairs into records that are one person: :func:`cluster`.

Records linked by a pair at the match threshold or above are one cluster (connected
components), must-links unite and cannot-links separate, and a cluster held together by a
chain of links is not formed (anti-chaining: every member of a cluster is supported by
enough of the others). Pairs between
the review and match thresholds, and links that were cut, go to the review queue unmerged;
a reviewer's :class:`ReviewDecision` returns as a must-link or a cannot-link.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, overload

import attrs
import numpy as np
import numpy.typing as npt

from crmcore._collector import frozen, paused_collector
from crmcore._safe import printable
from crmcore.dedup._anti_chaining import NOT_DENSE, DenseSets, lone_links
from crmcore.dedup._cluster_input import (
    Edge,
    read_edges,
    read_ids,
    read_items,
    read_pairs,
    read_share,
    read_thresholds,
)
from crmcore.dedup._clustering_errors import ClusteringError, ConstraintError, UnknownIdError

__all__ = [
    "REVIEW_REASONS",
    "Cluster",
    "ClusteringError",
    "Clusters",
    "ConstraintError",
    "EdgeSource",
    "ReviewDecision",
    "ReviewItem",
    "UnknownIdError",
    "cluster",
    "constraints_from",
]


REVIEW_REASONS: tuple[str, ...] = ("between_thresholds", "anti_chaining", "cannot_link")
"""The reasons a pair is in the review queue (stable codes).

``between_thresholds``: its probability is at the review threshold or above but below the
match threshold. ``anti_chaining``: it is a match link that anti-chaining cut. ``cannot_link``:
it is a match link left out because it would have put two records of a cannot-link pair in
one cluster.
"""

Explain = Callable[[str, str], Mapping[str, object]]
ExplainMany = Callable[[Sequence[tuple[str, str]]], Sequence[Mapping[str, object]]]
ExplainEdges = Callable[[npt.NDArray[np.intp]], Sequence[Mapping[str, object]]]


class EdgeSource(Protocol):
    """Anything with an ``edges()`` method giving ``(left_id, right_id, probability)`` triples.

    :class:`~crmcore.dedup.ScoredPairs` is one.
    """

    def edges(self) -> Iterable[tuple[str, str, float]]:
        """The scored pairs."""
        ...


@attrs.frozen
class Cluster:
    """Records that are one person or organisation: ``members``, sorted ids.

    ``id`` is the smallest member id: the same members give the same id, run after run, and
    no two clusters share one. A record that matches no other is a cluster of one.
    """

    id: str
    members: tuple[str, ...]

    @property
    def size(self) -> int:
        """The number of members."""
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        """``{"id": ..., "members": [...]}``, JSON-safe."""
        return {"id": self.id, "members": list(self.members)}


@attrs.frozen
class ReviewItem:
    """A pair left unmerged for a person to decide, with why and, if given, the explanation.

    ``left < right``; ``reason`` is one of :data:`REVIEW_REASONS`; ``explanation`` is what the
    ``explain`` callable of :func:`cluster` said of the pair (``None`` without one).
    """

    left: str
    right: str
    probability: float
    reason: str
    explanation: Mapping[str, Any] | None = attrs.field(default=None, eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The item as a JSON-safe dict (the explanation as ``explain`` gave it)."""
        return {
            "left": self.left,
            "right": self.right,
            "probability": self.probability,
            "reason": self.reason,
            "explanation": None if self.explanation is None else dict(self.explanation),
        }


@attrs.frozen
class ReviewDecision:
    """A person's answer about a pair: ``same`` (one person) or not."""

    left: str
    right: str
    same: bool


def constraints_from(
    decisions: Iterable[ReviewDecision],
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """``(must_link, cannot_link)`` from review decisions, to give back to :func:`cluster`.

    Pairs come out sorted, each with its smaller id first, each once. A pair decided both ways
    is a :class:`ConstraintError` naming the ids.

    >>> constraints_from([ReviewDecision("b", "a", True), ReviewDecision("a", "c", False)])
    ((('a', 'b'),), (('a', 'c'),))
    """
    if isinstance(decisions, (str, bytes, Mapping)) or not isinstance(decisions, Iterable):
        raise ClusteringError("decisions must be an iterable of ReviewDecision")
    must: set[tuple[str, str]] = set()
    cannot: set[tuple[str, str]] = set()
    for position, decision in enumerate(decisions):
        if not isinstance(decision, ReviewDecision):
            raise ClusteringError(f"decisions[{position}] is not a ReviewDecision")
        left, right = decision.left, decision.right
        if not isinstance(left, str) or not isinstance(right, str):
            raise ClusteringError(f"decisions[{position}]: an id is not text")
        if not isinstance(decision.same, bool):
            raise ClusteringError(f"decisions[{position}]: same is not True or False")
        pair = (left, right) if left <= right else (right, left)
        (must if decision.same else cannot).add(pair)
    for left, right in sorted(must & cannot):
        raise ConstraintError(
            f"the pair of {_name(left)} and {_name(right)} is decided both the same and not"
        )
    return tuple(sorted(must)), tuple(sorted(cannot))


def _name(record_id: str) -> str:
    return repr(printable(record_id, 100))


@attrs.frozen(eq=False)
class Clusters(Sequence[Cluster]):
    """The clusters of every record, the larger first then by id, and the review queue.

    A sequence of :class:`Cluster`; ``review`` holds the :class:`ReviewItem` pairs, the most
    probable first then by ids. ``singletons`` counts the clusters of one record.
    """

    clusters: tuple[Cluster, ...]
    review: tuple[ReviewItem, ...]
    match_threshold: float
    review_threshold: float
    _by_member: Mapping[str, Cluster] | None = attrs.field(init=False, repr=False, default=None)

    def __len__(self) -> int:
        return len(self.clusters)

    @overload
    def __getitem__(self, index: int) -> Cluster: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Cluster, ...]: ...

    def __getitem__(self, index: int | slice) -> Cluster | tuple[Cluster, ...]:
        return self.clusters[index]

    def __iter__(self) -> Iterator[Cluster]:
        return iter(self.clusters)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Clusters):
            return NotImplemented
        return (self.clusters, self.review, self.match_threshold, self.review_threshold) == (
            other.clusters,
            other.review,
            other.match_threshold,
            other.review_threshold,
        )

    __hash__ = None  # type: ignore[assignment]

    def _members(self) -> Mapping[str, Cluster]:
        """Each member's cluster (made on first use, then kept: most results never ask)."""
        if self._by_member is None:
            found = {member: c for c in self.clusters for member in c.members}
            object.__setattr__(self, "_by_member", found)
            return found
        return self._by_member

    @property
    def records(self) -> int:
        """The number of records clustered."""
        return sum(len(c.members) for c in self.clusters)

    @property
    def singletons(self) -> int:
        """The number of records that are a cluster of their own."""
        return sum(1 for c in self.clusters if len(c.members) == 1)

    @property
    def duplicates(self) -> tuple[Cluster, ...]:
        """The clusters of two records or more."""
        return tuple(c for c in self.clusters if len(c.members) > 1)

    def cluster_of(self, record_id: str) -> Cluster:
        """The cluster holding ``record_id``; :class:`UnknownIdError` if none does."""
        found = self._members().get(record_id) if isinstance(record_id, str) else None
        if found is None:
            raise UnknownIdError("the record id is not among the clustered ids")
        return found

    def pairs(self) -> Iterator[tuple[str, str]]:
        """Every pair of records the clusters put together, ``left < right``, by cluster."""
        for c in self.clusters:
            members = c.members
            for i, left in enumerate(members):
                for right in members[i + 1 :]:
                    yield left, right

    def to_dict(self) -> dict[str, Any]:
        """The clusters, the review queue, the thresholds and the counts, JSON-safe."""
        return {
            "match_threshold": self.match_threshold,
            "review_threshold": self.review_threshold,
            "records": self.records,
            "clusters": [c.to_dict() for c in self.clusters],
            "singletons": self.singletons,
            "review": [item.to_dict() for item in self.review],
        }


def cluster(
    ids: Iterable[str],
    edges: Iterable[tuple[str, str, float]] | EdgeSource,
    *,
    match_threshold: float = 0.9,
    review_threshold: float = 0.5,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    explain: Explain | None = None,
    min_link_share: float = 0.5,
) -> Clusters:
    """Cluster ``ids`` by the scored pairs ``edges``; see :doc:`/dedup-clustering`.

    ``edges`` are ``(left_id, right_id, probability)`` triples in any order, or an object with
    an ``edges()`` method giving them (:class:`~crmcore.dedup.ScoredPairs`). ``ids`` names every
    record, so that records with no pair are counted as clusters of one.

    Pairs at ``match_threshold`` or above link their records, strongest first; ``must_link``
    pairs are one cluster whatever their score, ``cannot_link`` pairs never. A link is refused
    when the cluster it would make is not dense: each member must be supported (a pair at
    ``review_threshold`` or above, or a must-link) by at least ``min_link_share`` of the
    others (anti-chaining; 0 turns it off). Unmerged pairs at ``review_threshold`` or above go
    to :attr:`Clusters.review`, explained by ``explain(left, right)`` when given.

    The same ids, edges and constraints, in any order, give the same clusters, order and ids.
    """
    with _uncollected():  # objects per record and link kept, none of them garbage
        return _cluster(
            ids,
            edges,
            match_threshold,
            review_threshold,
            must_link,
            cannot_link,
            explain,
            min_link_share,
        )


@contextmanager
def _uncollected() -> Iterator[None]:
    """The collector paused (:func:`~crmcore._collector.paused_collector`), and the objects
    made inside left out of the collection that comes due when it runs again.

    Clustering keeps the objects it makes (a cluster per record, the links): none is garbage,
    but that collection would visit every one of them (a third of the stage's time at
    100,000 records). At the end they are frozen with the objects made before when inside a
    :func:`~crmcore._collector.frozen` block (a preset's run: until its outermost block
    ends), else frozen and let go at once, which moves them to the oldest generation.
    """
    with paused_collector():
        yield
        with frozen():
            pass


def _cluster(
    ids: Iterable[str],
    edges: Iterable[tuple[str, str, float]] | EdgeSource,
    match_threshold: float,
    review_threshold: float,
    must_link: Iterable[tuple[str, str]],
    cannot_link: Iterable[tuple[str, str]],
    explain: Explain | None,
    min_link_share: float,
) -> Clusters:
    """:func:`cluster`, the collector paused."""
    match, review = read_thresholds(match_threshold, review_threshold)
    share = read_share(min_link_share)
    if explain is not None and not callable(explain):
        raise ClusteringError("explain must be a callable (left, right) -> mapping")
    order = read_ids(ids)
    index = {record_id: i for i, record_id in enumerate(order)}
    scored = read_edges(edges, index, review)
    must = read_pairs(must_link, index, "must_link")
    cannot = read_pairs(cannot_link, index, "cannot_link")
    return _clustered(order, scored, must, cannot, match, review, share, explain)


def cluster_positions(
    ids: Sequence[str],
    left: npt.NDArray[np.integer[Any]],
    right: npt.NDArray[np.integer[Any]],
    probabilities: npt.NDArray[np.float64],
    *,
    match_threshold: float,
    review_threshold: float,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    explain: Explain | None = None,
    min_link_share: float = 0.5,
    explain_many: ExplainMany | None = None,
    explain_edges: ExplainEdges | None = None,
) -> Clusters | None:
    """:func:`cluster` of edges given as positions among ``ids``: edge ``i`` links
    ``ids[left[i]]`` and ``ids[right[i]]``, ``left[i] < right[i]``, each pair once (scored
    pairs kept as positions, :class:`~crmcore.dedup.ScoredPairs` of compared records). The
    same clusters as :func:`cluster` of their id triples, without an id looked up per edge;
    ``None`` when ``ids`` are not sorted and distinct (the positions would then not be those
    of :func:`cluster`'s order): call :func:`cluster` instead. ``explain_many``, given,
    explains the review queue's pairs at once instead of ``explain`` one by one (not both): a
    list of ``(left, right)`` in, the mapping of each out, in order. ``explain_edges`` does
    the same by the pairs' places among the edges (``i`` for the edge of ``left[i]`` and
    ``right[i]``), an array of them in: no id is looked up (one of the three at most).
    """
    with _uncollected():
        match, review = read_thresholds(match_threshold, review_threshold)
        share = read_share(min_link_share)
        if explain is not None and not callable(explain):
            raise ClusteringError("explain must be a callable (left, right) -> mapping")
        if explain_many is not None and not callable(explain_many):
            raise ClusteringError("explain_many must be a callable of a list of pairs")
        if explain_edges is not None and not callable(explain_edges):
            raise ClusteringError("explain_edges must be a callable of an array of edges")
        given = [f for f in (explain, explain_many, explain_edges) if f is not None]
        if len(given) > 1:
            raise ClusteringError("give one of explain, explain_many and explain_edges")
        order = read_ids(ids)
        if len(order) != len(ids) or (order != ids and order != tuple(ids)):
            return None
        _check_positions(left, right, probabilities, len(order))
        kept = probabilities >= review
        scored: list[Edge] = list(
            zip(
                left[kept].tolist(),
                right[kept].tolist(),
                probabilities[kept].tolist(),
                strict=True,
            )
        )
        musts = read_items(must_link, "must_link")
        cannots = read_items(cannot_link, "cannot_link")
        # ids looked up only for the constraints, when there are any
        index = {record_id: i for i, record_id in enumerate(order)} if musts or cannots else {}
        must = read_pairs(musts, index, "must_link")
        cannot = read_pairs(cannots, index, "cannot_link")
        explainer: Explain | _Many | _Edges | None = explain
        if explain_many is not None:
            explainer = _Many(explain_many)
        elif explain_edges is not None:
            explainer = _Edges(explain_edges, np.flatnonzero(kept))
        return _clustered(order, scored, must, cannot, match, review, share, explainer)


def _clustered(
    order: tuple[str, ...],
    scored: list[Edge],
    must: set[tuple[int, int]],
    cannot: set[tuple[int, int]],
    match: float,
    review: float,
    share: float,
    explain: Explain | _Many | _Edges | None,
) -> Clusters:
    """The clusters of records ``order`` (sorted ids) by edges and constraints as positions."""
    support: dict[int, set[int]] = {}
    for left, right, p in scored:
        if p >= review and (left, right) not in cannot:
            support.setdefault(left, set()).add(right)
            support.setdefault(right, set()).add(left)
    for left, right in must:
        if left != right:
            support.setdefault(left, set()).add(right)
            support.setdefault(right, set()).add(left)
    sets = DenseSets(len(order), support, must, cannot, share)
    for left, right in sorted(cannot):
        if sets.together(left, right):
            raise ConstraintError(
                f"the cannot-link pair of {_name(order[left])} and {_name(order[right])} "
                "is joined by must-links"
            )
    strong = [
        (left, right, p) for left, right, p in scored if p >= match and (left, right) not in cannot
    ]
    ends = [(left, right) for left, right, _ in strong]
    lone = lone_links(ends, itertools.chain(must, cannot))
    # a pair linked by nothing else is joined whatever the order: only the others are sorted
    links = [
        (-p, -sets.shared(left, right), left, right)
        for (left, right, p), one in zip(strong, lone, strict=True)
        if not one
    ]
    refused: dict[tuple[int, int], str] = {}
    for _, _, left, right in sorted(links):
        why = sets.join(left, right)
        if why is not None:
            refused[left, right] = why
    joined, singles = sets.parts(itertools.compress(ends, lone))
    # the larger first, then by id: ids are in the order of positions, each group's first
    # member its smallest; the clusters of one record last, in the order of their ids
    joined.sort(key=lambda m: (-len(m), m[0]))
    alone = [order[node] for node in singles]
    clusters = (
        *_made([order[m[0]] for m in joined], [tuple([order[node] for node in m]) for m in joined]),
        *_made(alone, zip(alone)),
    )
    # each record of a cluster labelled by its first member, a record alone by itself
    owner = {node: members[0] for members in joined for node in members}
    queue = _review(scored, owner, match, review, must, cannot, refused, order, explain)
    return Clusters(clusters, queue, match, review)


_new = object.__new__
_set_id = Cluster.id.__set__  # type: ignore[attr-defined]
_set_members = Cluster.members.__set__  # type: ignore[attr-defined]


def _check_positions(
    left: npt.NDArray[np.integer[Any]],
    right: npt.NDArray[np.integer[Any]],
    probabilities: npt.NDArray[np.float64],
    count: int,
) -> None:
    """:class:`ClusteringError` unless ``left`` and ``right`` are one-dimensional arrays of
    integers, as many as ``probabilities``, each a position among ``count`` ids."""
    for name, positions in (("left", left), ("right", right)):
        if (
            not isinstance(positions, np.ndarray)
            or positions.ndim != 1
            or positions.dtype.kind not in "iu"
        ):
            raise ClusteringError(f"{name} is not a one-dimensional array of positions")
        if len(positions) != len(probabilities):
            raise ClusteringError(f"{name} and probabilities are not as many")
        if len(positions) and not (int(positions.min()) >= 0 and int(positions.max()) < count):
            raise ClusteringError(f"{name} holds a position not among the {count} ids")


def _made(ids: Sequence[str], members: Iterable[tuple[str, ...]]) -> list[Cluster]:
    """``[Cluster(i, m) for i, m in zip(ids, members)]``, made a million at a time: the
    fields set through their slots, each step a call of C (Cluster has no check to run)."""
    made: list[Cluster] = list(map(_new, itertools.repeat(Cluster, len(ids))))
    collections.deque(map(_set_id, made, ids), maxlen=0)
    collections.deque(map(_set_members, made, members), maxlen=0)
    return made


def _review(
    scored: Sequence[Edge],
    owner: Mapping[int, int],
    match: float,
    review: float,
    must: set[tuple[int, int]],
    cannot: set[tuple[int, int]],
    refused: Mapping[tuple[int, int], str],
    order: Sequence[str],
    explain: Explain | _Many | _Edges | None,
) -> tuple[ReviewItem, ...]:
    items: list[tuple[float, int, int, str, int]] = []
    label = owner.get
    for place, (left, right, p) in enumerate(scored):
        if (
            p < review
            or label(left, left) == label(right, right)
            or (left, right) in must
            or (left, right) in cannot
        ):
            continue
        reason = "between_thresholds" if p < match else refused.get((left, right), NOT_DENSE)
        items.append((-p, left, right, reason, place))
    items.sort()
    pairs = [(order[left], order[right]) for _, left, right, _, _ in items]
    explained: Iterable[Mapping[str, Any] | None]
    if isinstance(explain, _Many):
        explained = explain.read(pairs)
    elif isinstance(explain, _Edges):
        explained = explain.read([item[4] for item in items])
    else:
        explained = (_explained(explain, left, right) for left, right in pairs)
    return tuple(
        ReviewItem(left, right, -item[0], item[3], explanation)
        for item, (left, right), explanation in zip(items, pairs, explained, strict=True)
    )


@attrs.frozen
class _Many:
    """An ``explain_many`` callable: the review queue's pairs explained at once."""

    explain: ExplainMany

    def read(self, pairs: list[tuple[str, str]]) -> list[Mapping[str, Any]]:
        """The explanation of each of ``pairs``, checked as :func:`_explained` checks one."""
        return _read_many(lambda: self.explain(pairs), len(pairs), "explain_many")


@attrs.frozen
class _Edges:
    """An ``explain_edges`` callable: the review queue's pairs explained at once by their
    places among the edges given, ``kept`` being the places of those clustering reads."""

    explain: ExplainEdges
    kept: npt.NDArray[np.intp]

    def read(self, places: list[int]) -> list[Mapping[str, Any]]:
        """The explanation of the edge read at each of ``places``, checked as :class:`_Many`
        checks them."""
        return _read_many(lambda: self.explain(self.kept[places]), len(places), "explain_edges")


def _read_many(
    explain: Callable[[], Iterable[object]], count: int, name: str
) -> list[Mapping[str, Any]]:
    """What ``explain`` gives for the ``count`` pairs of the review queue, a mapping each
    (:class:`ClusteringError` naming the callable ``name`` when it fails or gives other)."""
    if not count:
        return []
    try:
        found = list(explain())
    except Exception as error:
        if isinstance(error, ClusteringError):
            raise
        raise ClusteringError(f"{name} failed for the review queue's pairs") from None
    maps = [one for one in found if isinstance(one, Mapping)]
    if len(found) != count or len(maps) != count:
        raise ClusteringError(f"{name} did not give a mapping for each pair")
    try:
        return [dict(one) for one in maps]
    except Exception:
        raise ClusteringError(f"{name} did not give a mapping for each pair") from None


def _explained(explain: Explain | None, left: str, right: str) -> Mapping[str, Any] | None:
    if explain is None:
        return None
    try:
        found = explain(left, right)
    except Exception as error:
        if isinstance(error, ClusteringError):
            raise
        raise ClusteringError(
            f"explain failed for the pair of {_name(left)} and {_name(right)}"
        ) from None
    if not isinstance(found, Mapping):
        raise ClusteringError(
            f"explain did not give a mapping for the pair of {_name(left)} and {_name(right)}"
        )
    return dict(found)
