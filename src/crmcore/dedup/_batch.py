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

__all__ = ["Indices", "indexed_levels", "intern_prepared"]

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
    levels = np.empty(len(keys), dtype=np.int16)
    compare = comparator.compare_prepared
    for k, key in enumerate(keys.tolist()):
        x, y = divmod(key, width)
        levels[k] = level_index(compare(distinct[x], distinct[y], ctx))
    found[both] = levels[inverse.reshape(-1)]
    return found
