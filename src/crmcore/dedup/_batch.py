"""The indexed batch form of a :class:`~crmcore.dedup.comparator.FieldComparator`.

Pairs are positions in a sequence of records. Each record is prepared once; its prepared
value is interned (equal values share a code), and each distinct ordered pair of codes is
compared once with the comparator's own ``compare_prepared``: the levels are those of the
per-pair form by construction, computed once per distinct pair of values instead of once
per pair of records. The answer is an array of level positions, gathered with NumPy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from crmcore.dedup.comparator import NULL, FieldComparator
from crmcore.dedup.context import CompareContext
from crmcore.dedup.errors import ComparatorError

__all__ = [
    "Indices",
    "codes_of",
    "fallback",
    "indexed_levels",
    "intern_prepared",
    "same",
    "single_values",
]

Indices = npt.NDArray[np.int64]


def intern_prepared(
    comparator: FieldComparator[Any],
    records: Sequence[Any],
    used: Indices,
    ctx: CompareContext,
) -> tuple[Indices, list[Any]]:
    """Each record's code (``-1`` when missing or not among ``used``) and the distinct values.

    A value that cannot be hashed gets a code of its own.
    """
    codes = np.full(len(records), -1, dtype=np.int64)
    distinct: list[Any] = []
    seen: dict[Any, int] = {}
    for position in used.tolist():
        value = comparator.prepare(records[position], ctx)
        if value is None:
            continue
        try:
            code = seen.get(value)
        except TypeError:  # unhashable: compared as its own value
            code = None
            key = None
        else:
            key = value
        if code is None:
            code = len(distinct)
            distinct.append(value)
            if key is not None:
                seen[key] = code
        codes[position] = code
    return codes, distinct


def indexed_levels(
    comparator: FieldComparator[Any],
    records: Sequence[Any],
    left: Indices,
    right: Indices,
    ctx: CompareContext,
    level_index: Callable[[str], int],
) -> npt.NDArray[np.int16]:
    """The level position (by ``level_index``) of each pair of ``left`` and ``right`` positions.

    Equal to ``level_index(comparator(records[left[i]], records[right[i]], ctx))`` for every
    ``i``: ``null`` where a side is missing, else ``compare_prepared`` of the two values.
    """
    found = np.full(len(left), level_index(NULL), dtype=np.int16)
    if not len(left):
        return found
    used = np.unique(np.concatenate((left, right)))
    codes, distinct = intern_prepared(comparator, records, used, ctx)
    a, b = codes[left], codes[right]
    both = (a >= 0) & (b >= 0)
    if not both.any():
        return found
    width = len(distinct)
    keys, inverse = np.unique(a[both] * width + b[both], return_inverse=True)
    x, y = np.divmod(keys, width)
    names = comparator.compare_indexed(distinct, x, y, ctx)
    if len(names) != len(keys):
        raise ComparatorError(f"a comparator gave {len(names)} levels for {len(keys)} pairs")
    positions = {name: level_index(name) for name in set(names)}
    levels = np.fromiter(map(positions.__getitem__, names), dtype=np.int16, count=len(keys))
    found[both] = levels[inverse.reshape(-1)]
    return found


def codes_of(values: Sequence[Any], *, missing: Callable[[Any], bool] | None = None) -> Indices:
    """Each value's code (equal values share one); ``-1`` where ``missing(value)``."""
    seen: dict[Any, int] = {}
    found = np.empty(len(values), dtype=np.int64)
    for i, value in enumerate(values):
        if missing is not None and missing(value):
            found[i] = -1
        else:
            found[i] = seen.setdefault(value, len(seen))
    return found


def same(codes: Indices, left: Indices, right: Indices) -> npt.NDArray[np.bool_]:
    """Where both sides have a code (not ``-1``) and it is the same."""
    a, b = codes[left], codes[right]
    return np.asarray((a == b) & (a >= 0))


def single_values(values: Sequence[Any]) -> tuple[list[Any], npt.NDArray[np.bool_]]:
    """The one item of each collection of one item (``None`` for the others), and where."""
    items = [next(iter(value)) if len(value) == 1 else None for value in values]
    return items, np.fromiter((len(value) == 1 for value in values), np.bool_, len(values))


def fallback(
    compare: Callable[[Any, Any, CompareContext], str],
    values: Sequence[Any],
    left: Indices,
    right: Indices,
    rows: Indices,
    found: list[str],
    ctx: CompareContext,
) -> list[str]:
    """``found`` with the ``rows`` compared one by one with ``compare``."""
    for row, a, b in zip(rows.tolist(), left[rows].tolist(), right[rows].tolist(), strict=True):
        found[row] = compare(values[a], values[b], ctx)
    return found
