"""Comparison vectors: the level of every comparison for every pair, as a NumPy matrix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crmcore._safe import printable
from crmcore.dedup._batch import Indices, involved
from crmcore.dedup._forked import forked_map
from crmcore.dedup.comparator import NULL
from crmcore.dedup.comparisons import Comparison, Comparisons
from crmcore.dedup.context import CompareContext
from crmcore.dedup.frequencies import TermAdjustment
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record

__all__ = ["ComparisonVectors", "comparison_vectors", "read_pairs", "read_records"]

Levels = npt.NDArray[np.int16]


@attrs.frozen(eq=False)
class ComparisonVectors:
    """The levels of candidate pairs: one row per pair, one column per comparison.

    A level is its position in the comparison's declared levels (0 the strongest agreement,
    the last ``"null"``). ``terms`` holds, for each comparison compared with a
    :class:`~crmcore.dedup.TermAdjustment`, the term digests of each pair's left and right
    records (``None`` where a record has no term).
    """

    record_type: type[Any]
    names: tuple[str, ...]
    levels: tuple[tuple[str, ...], ...]
    left: tuple[str, ...]
    right: tuple[str, ...]
    matrix: Levels
    terms: Mapping[str, tuple[tuple[str | None, ...], tuple[str | None, ...]]] = attrs.field(
        factory=dict
    )

    def __len__(self) -> int:
        return len(self.left)

    def take(self, rows: npt.NDArray[np.bool_]) -> ComparisonVectors:
        """The vectors of the pairs where ``rows`` (one flag per pair) is true, in order."""
        kept = np.flatnonzero(rows).tolist()
        return ComparisonVectors(
            self.record_type,
            self.names,
            self.levels,
            tuple(self.left[i] for i in kept),
            tuple(self.right[i] for i in kept),
            self.matrix[rows],
            {
                name: (tuple(lefts[i] for i in kept), tuple(rights[i] for i in kept))
                for name, (lefts, rights) in self.terms.items()
            },
        )

    def null_mask(self) -> npt.NDArray[np.bool_]:
        """True where a pair's level is ``"null"`` (no evidence)."""
        nulls = np.array([len(levels) - 1 for levels in self.levels], dtype=np.int16)
        return np.asarray(self.matrix == nulls[np.newaxis, :])


def read_records(records: object) -> tuple[Record, ...]:
    """The records sorted by id; a CRMError for non-records, mixed types or repeated ids."""
    if isinstance(records, (str, bytes, Record, Mapping)) or not isinstance(records, Iterable):
        raise InvalidValueError("expected an iterable of crmcore records", field="records")
    found = tuple(records)
    seen: set[str] = set()
    for position, record in enumerate(found):
        if not isinstance(record, Record):
            raise InvalidValueError(f"records[{position}] is not a crmcore record", field="records")
        if type(record) is not type(found[0]):
            raise InvalidValueError(
                f"record {printable(record.id, 100)!r} is not of the first record's type",
                field="records",
            )
        if record.id in seen:
            raise InvalidValueError(
                f"record id {printable(record.id, 100)!r} is repeated", field="records"
            )
        seen.add(record.id)
    return tuple(sorted(found, key=lambda record: record.id))


def read_pairs(pairs: object, ids: set[str] | dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Candidate pairs as sorted, distinct ``(left, right)`` id pairs of known records.

    ``pairs`` is a blocking result (anything with a ``pairs`` attribute of candidate pairs),
    candidate pairs or ``(left, right)`` id pairs.
    """
    items = getattr(pairs, "pairs", pairs)
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise InvalidValueError("expected candidate pairs or a blocking result", field="pairs")
    found: set[tuple[str, str]] = set()
    for position, item in enumerate(items):
        left = getattr(item, "left", None)
        right = getattr(item, "right", None)
        if left is None and isinstance(item, Sequence) and len(item) == 2:
            left, right = item[0], item[1]
        if not isinstance(left, str) or not isinstance(right, str):
            raise InvalidValueError(f"pairs[{position}] is not a pair of record ids", field="pairs")
        for side in (left, right):
            if side not in ids:
                raise InvalidValueError(
                    f"pairs[{position}] names unknown id {printable(side, 100)!r}", field="pairs"
                )
        if left == right:
            raise InvalidValueError(f"pairs[{position}] pairs a record with itself", field="pairs")
        found.add((left, right) if left < right else (right, left))
    return tuple(sorted(found))


def _check_comparisons(comparisons: object, record_type: type[Any]) -> tuple[Comparison, ...]:
    if not isinstance(comparisons, Comparisons):
        raise InvalidValueError("expected a Comparisons registry", field="comparisons")
    return comparisons.for_type(record_type)


def comparison_vectors(
    records: Sequence[Record],
    pairs: Sequence[tuple[str, str]],
    comparisons: Comparisons,
    ctx: CompareContext,
    record_type: type[Any],
    adjustments: Sequence[TermAdjustment] = (),
    jobs: int = 1,
) -> ComparisonVectors:
    """The level matrix of ``pairs`` (ids of ``records``), each comparison in its batch form.

    For each of ``adjustments`` (of the record type), the term digests of the pairs' records.
    ``jobs`` as :func:`vectors_at`.
    """
    position = {record.id: i for i, record in enumerate(records)}
    left = np.fromiter((position[a] for a, _ in pairs), dtype=np.int64, count=len(pairs))
    right = np.fromiter((position[b] for _, b in pairs), dtype=np.int64, count=len(pairs))
    return vectors_at(records, left, right, comparisons, ctx, record_type, adjustments, jobs)


def vectors_at(
    records: Sequence[Record],
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    comparisons: Comparisons,
    ctx: CompareContext,
    record_type: type[Any],
    adjustments: Sequence[TermAdjustment] = (),
    jobs: int = 1,
) -> ComparisonVectors:
    """:func:`comparison_vectors` of the pairs ``(records[left[i]], records[right[i]])``.

    With ``jobs`` above 1, the comparisons run on that many worker processes, a column each
    (:func:`~crmcore.dedup._forked.forked_map`): the same matrix, sooner.
    """
    chosen = _check_comparisons(comparisons, record_type)
    matrix = np.empty((len(left), len(chosen)), dtype=np.int16)
    if len(left):
        shared = (records, left, right, chosen, ctx)
        for column, levels in enumerate(forked_map(_column, shared, len(chosen), jobs)):
            matrix[:, column] = levels
    ids = np.array([record.id for record in records], dtype=object)
    terms: dict[str, tuple[tuple[str | None, ...], tuple[str | None, ...]]] = {}
    if adjustments and len(left):
        paired = [records[i] for i in involved(len(records), left, right).tolist()]
        for adjustment in adjustments:
            digests = adjustment.digests(paired)
            found = np.array([digests.get(record_id) for record_id in ids.tolist()], dtype=object)
            terms[adjustment.comparison] = (
                tuple(found[left].tolist()),
                tuple(found[right].tolist()),
            )
    return ComparisonVectors(
        record_type,
        tuple(c.name for c in chosen),
        tuple(c.levels for c in chosen),
        tuple(ids[left].tolist()),
        tuple(ids[right].tolist()),
        matrix,
        terms,
    )


_Columns = tuple[Sequence[Record], Indices, Indices, tuple[Comparison, ...], CompareContext]


def _column(shared: _Columns, column: int) -> Levels:
    """The levels of comparison ``column`` for every pair: one task of :func:`vectors_at`."""
    records, left, right, chosen, ctx = shared
    return chosen[column].level_positions(records, left, right, ctx)


def null_level(levels: tuple[str, ...]) -> int:
    """The position of ``"null"`` in declared levels (always last)."""
    assert levels[-1] == NULL
    return len(levels) - 1
