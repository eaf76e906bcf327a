"""Read and check the input of :func:`crmcore.dedup.cluster`: ids, edges, constraints.

Every error names an argument and a position (``edges[3]``), or an id made printable; never a
probability or any other value given.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

from crmcore._safe import printable
from crmcore.dedup._clustering_errors import ClusteringError, UnknownIdError

__all__ = [
    "Edge",
    "read_edges",
    "read_ids",
    "read_items",
    "read_pairs",
    "read_share",
    "read_thresholds",
]

Edge = tuple[int, int, float]
"""An edge between two record indexes, the smaller first, and its probability."""


def _name(record_id: str) -> str:
    return repr(printable(record_id, 100))


def read_items(value: object, argument: str) -> list[Any]:
    """``value`` read to its end as a list; refuses text, a mapping or a non-iterable."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise ClusteringError(f"{argument} must be an iterable of items")
    try:
        return list(value)
    except Exception as error:  # an iterator of the caller's that fails
        if isinstance(error, ClusteringError):
            raise
        raise ClusteringError(f"{argument} could not be read to its end") from None


def read_ids(ids: object) -> tuple[str, ...]:
    """Every record id, sorted; refuses anything but distinct text ids."""
    found = read_items(ids, "ids")
    if set(map(type, found)) <= {str} and all(
        map(str.__lt__, found, itertools.islice(found, 1, None))
    ):  # ascending already (so distinct): the ids of records read in order, at once
        return tuple(found)
    distinct = set(found) if all(type(record_id) is str for record_id in found) else None
    if distinct is not None and len(distinct) == len(found):  # the common case, at once
        return tuple(sorted(distinct))
    seen: dict[str, int] = {}
    for position, record_id in enumerate(found):
        if not isinstance(record_id, str):
            raise ClusteringError(f"ids[{position}] is not a text id")
        if record_id in seen:
            raise ClusteringError(f"ids[{position}] repeats the id at ids[{seen[record_id]}]")
        seen[record_id] = position
    return tuple(sorted(seen))


def _probability(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    try:
        probability = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(probability) or not 0.0 <= probability <= 1.0:
        return None
    return probability


def _pair(
    item: object, index: Mapping[str, int], where: str, width: int
) -> tuple[int, int, tuple[Any, ...]]:
    if isinstance(item, (str, bytes, Mapping)) or not isinstance(item, Iterable):
        raise ClusteringError(f"{where} is not a tuple of {width} items")
    try:
        parts = tuple(item)
    except Exception:
        raise ClusteringError(f"{where} could not be read") from None
    if len(parts) != width:
        raise ClusteringError(f"{where} is not a tuple of {width} items")
    ends: list[int] = []
    for side, record_id in zip(("left", "right"), parts[:2], strict=False):
        if not isinstance(record_id, str):
            raise ClusteringError(f"{where}: the {side} id is not text")
        position = index.get(record_id)
        if position is None:
            raise UnknownIdError(f"{where}: the {side} id {_name(record_id)} is not among the ids")
        ends.append(position)
    return ends[0], ends[1], parts


def read_edges(edges: object, index: Mapping[str, int], floor: float = 0.0) -> list[Edge]:
    """The edges of ``edges`` (triples, or an object with an ``edges()`` method) as indexes.

    Every edge is checked; only those of probability ``floor`` or above are returned.
    """
    method = getattr(edges, "edges", None)
    if method is not None and callable(method):
        try:
            edges = method()
        except Exception as error:
            if isinstance(error, ClusteringError):
                raise
            raise ClusteringError("edges.edges() failed") from None
    read: list[Edge] = []
    first: dict[tuple[int, int], int] = {}
    for position, item in enumerate(read_items(edges, "edges")):
        # The common case, (text, text, float), checked without a function call.
        if type(item) is tuple and len(item) == 3:
            left_id, right_id, probability = item
            if type(left_id) is str and type(right_id) is str and type(probability) is float:
                left, right = index.get(left_id), index.get(right_id)
                if left is not None and right is not None and 0.0 <= probability <= 1.0:
                    key = (left, right) if left < right else (right, left)
                    if left != right and key not in first:
                        first[key] = position
                        if probability >= floor:
                            read.append((key[0], key[1], probability))
                        continue
        read.extend(_slow_edge(item, index, position, first, floor))
    return read


def _slow_edge(
    item: object,
    index: Mapping[str, int],
    position: int,
    first: dict[tuple[int, int], int],
    floor: float,
) -> list[Edge]:
    """Check an edge the fast path did not accept: raise naming what is wrong, or read it."""
    where = f"edges[{position}]"
    left, right, parts = _pair(item, index, where, 3)
    if left == right:
        raise ClusteringError(f"{where} links a record with itself")
    probability = _probability(parts[2])
    if probability is None:
        raise ClusteringError(f"{where}: the probability is not a number from 0 to 1")
    key = (left, right) if left < right else (right, left)
    if key in first:
        raise ClusteringError(f"{where} repeats the pair of edges[{first[key]}]")
    first[key] = position
    return [(key[0], key[1], probability)] if probability >= floor else []


def read_pairs(pairs: object, index: Mapping[str, int], argument: str) -> set[tuple[int, int]]:
    """The id pairs of ``must_link`` or ``cannot_link`` as index pairs, the smaller first."""
    found: set[tuple[int, int]] = set()
    for position, item in enumerate(read_items(pairs, argument)):
        left, right, _ = _pair(item, index, f"{argument}[{position}]", 2)
        found.add((left, right) if left <= right else (right, left))
    return found


def _unit(value: object, argument: str) -> float:
    probability = _probability(value)
    if probability is None:
        raise ClusteringError(f"{argument} must be a number from 0 to 1")
    return probability


def read_thresholds(match: object, review: object) -> tuple[float, float]:
    """``(match_threshold, review_threshold)``, with ``0 < match`` and ``review <= match``."""
    match_threshold = _unit(match, "match_threshold")
    review_threshold = _unit(review, "review_threshold")
    if match_threshold == 0.0:
        raise ClusteringError("match_threshold must be above 0")
    if review_threshold > match_threshold:
        raise ClusteringError("review_threshold must not be above match_threshold")
    return match_threshold, review_threshold


def read_share(share: object) -> float:
    """``min_link_share``: a number from 0 to 1."""
    return _unit(share, "min_link_share")
