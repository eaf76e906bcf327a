"""Term-frequency adjustments of scored pairs, kept for the pairs that have one.

:func:`_adjusted_rows` computes, for a model that adjusts comparisons by term frequency,
the adjustment ``log2(u / f)`` of each pair at an adjusted level whose records both have a
term (``f`` the larger frequency of the two terms); :class:`_Adjusted` keeps those pairs'
rows and adjustments only, and sums them as the dense matrix would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from crmcore.dedup._vectors import ComparisonVectors, TermCodes
from crmcore.dedup.model import MatchModel, ModelError

if TYPE_CHECKING:
    from crmcore.dedup.frequencies import TermTable

__all__ = ["Floats", "Rows", "_Adjusted", "_adjusted", "_adjusted_rows"]

Floats = npt.NDArray[np.float64]
Rows = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class _Adjusted:
    """The term-frequency adjustments of the pairs that have one.

    ``rows`` (ascending) are those pairs, ``values`` their adjustments, one column for each
    comparison of ``columns`` (ascending) among the ``width`` comparisons; every other pair's
    and comparison's adjustment is 0.
    """

    rows: Rows
    values: Floats
    columns: tuple[int, ...]
    width: int

    def dense(self, pairs: int) -> Floats:
        """The adjustments of all ``pairs`` pairs, one row each, one column per comparison."""
        found = np.zeros((pairs, self.width), dtype=np.float64)
        found[np.ix_(self.rows, np.array(self.columns, dtype=np.int64))] = self.values
        return found

    def sums(
        self, first: int = 0, last: int | None = None, within: Sequence[int] | None = None
    ) -> Floats:
        """Row sums of rows ``first`` to ``last``: every comparison's, or those of ``within``.

        Bit for bit the sums of the dense rows, ``dense[rows].sum(axis=1)``, or (``within``
        given, ascending) those of ``dense[rows][:, within].sum(axis=1)``, a copy that NumPy
        sums column by column. Read from the kept columns alone when they are every column or
        two at most (adding zeros to a sum of two values changes no bit of it, neither value
        being ``-0.0`` as no logarithm is), else from rows made dense in the same layout.
        """
        values = self.values[first:last]
        target = range(self.width) if within is None else within
        if within is None and self.columns == tuple(target):
            return np.asarray(values.sum(axis=1), dtype=np.float64)
        kept = [k for k, column in enumerate(self.columns) if column in target]
        if len(kept) <= 2:  # the sum of one value is itself, of two their sum: added at once
            if not kept:
                return np.zeros(len(values), dtype=np.float64)
            if len(kept) == 1:
                return np.array(values[:, kept[0]], dtype=np.float64)
            return np.asarray(values[:, kept[0]] + values[:, kept[1]], dtype=np.float64)
        order = {column: k for k, column in enumerate(target)}
        rows = max(len(values), 2)  # one row alone would be summed as a contiguous one
        full = np.zeros((rows, len(target)), dtype=np.float64, order="C" if within is None else "F")
        full[: len(values), [order[self.columns[k]] for k in kept]] = values[:, kept]
        return np.asarray(full.sum(axis=1)[: len(values)], dtype=np.float64)

    def taken(self, at: Rows) -> _Adjusted:
        """The adjustments of the kept rows at places ``at`` (ascending), renumbered from 0."""
        return _Adjusted(
            np.arange(len(at), dtype=np.int64), self.values[at], self.columns, self.width
        )

    def at(self, row: int, column: int) -> float:
        """Row ``row``'s adjustment of comparison ``column`` (0 where it has none)."""
        if column not in self.columns:
            return 0.0
        at = int(np.searchsorted(self.rows, row))
        if at < len(self.rows) and int(self.rows[at]) == row:
            return float(self.values[at, self.columns.index(column)])
        return 0.0


def _adjusted(adjustments: Floats | _Adjusted | None) -> _Adjusted | None:
    """Adjustments as :class:`_Adjusted`: of a dense matrix, the rows holding one (``-0.0``
    too, so that the matrix is given back bit for bit), every column kept."""
    if adjustments is None or isinstance(adjustments, _Adjusted):
        return adjustments
    dense = np.asarray(adjustments, dtype=np.float64)
    rows = np.flatnonzero(((dense != 0) | np.signbit(dense)).any(axis=1)).astype(np.int64)
    width = dense.shape[1]
    return _Adjusted(rows, dense[rows], tuple(range(width)), width)


def _adjusted_rows(model: MatchModel, vectors: ComparisonVectors) -> _Adjusted | None:
    """:func:`term_adjustments` of the pairs that have one: their rows, ascending, and theirs.

    Each distinct term's frequency is read once; the pairs' come from their records' term
    codes, as arrays.
    """
    frequencies = model.term_frequencies
    if frequencies is None or not frequencies.tables:
        return None
    found: list[tuple[int, Rows, Floats]] = []
    names = model.names
    for table in frequencies.tables if len(vectors) else ():
        codes = vectors.term_codes.get(table.comparison)
        if codes is None:
            raise ModelError(
                f"the pairs were compared without the terms of comparison {table.comparison}, "
                "which the model adjusts"
            )
        column = names.index(table.comparison)
        comparison = model.comparisons[column]
        passing = sorted({comparison.levels.index(level) for level in table.levels})
        flags = np.zeros(len(comparison.levels), dtype=np.bool_)  # a flag per level: a
        flags[passing] = True  # pass
        rows = np.flatnonzero(flags[vectors.matrix[:, column]])
        if not len(rows):
            continue
        u = np.array([*comparison.u, 1.0], dtype=np.float64)
        kept, values = _adjusted_column(table, codes, vectors, rows)
        if len(passing) == 1:  # one level adjusted: its u for every pair, as an array holds
            np.divide(u[passing[0]], values, out=values)
        else:
            np.divide(u[vectors.matrix[kept, column]], values, out=values)
        found.append((column, kept, np.log2(values, out=values)))
    found.sort(key=lambda item: item[0])
    marked = np.zeros(len(vectors), dtype=np.bool_)  # the rows of any table, by flags:
    for _, kept, _ in found:  # linear, where np.unique would hash (slowly) or sort them
        marked[kept] = True
    every = np.flatnonzero(marked).astype(np.int64, copy=False)
    values = np.zeros((len(every), len(found)), dtype=np.float64)
    place = None
    for k, (_, kept, value) in enumerate(found):
        if len(kept) == len(every):  # a table of every marked row (the only one, often)
            values[:, k] = value
            continue
        if place is None:  # each marked row's place among them: a running count, where a
            kind = np.int32 if len(every) < 1 << 31 else np.int64  # search would sort
            place = np.cumsum(marked, dtype=kind)
        at = place[kept]
        at -= 1
        values[:, k][at] = value  # set through the column (faster than by pairs of indexes)
    columns = tuple(column for column, _, _ in found)
    return _Adjusted(every, values, columns, len(model.comparisons))


def _adjusted_column(
    table: TermTable, codes: TermCodes, vectors: ComparisonVectors, rows: Rows
) -> tuple[Rows, Floats]:
    """The pairs of ``rows`` whose records both have a term, and the larger frequency of
    their two terms (``f`` of an adjustment ``log2(u / f)``).

    Each distinct term's frequency is read once, then each record's; the arrays of the pairs
    are made once and worked on in place (at a million records a new one costs more to map
    than to fill).
    """
    # each record's term's frequency, NaN (the last) where a record has no term
    shares = np.array([*map(table.frequency, codes.digests), np.nan], dtype=np.float64)
    shares = shares[codes.codes]
    at = np.take(vectors.left_positions, rows)
    larger = np.take(shares, at)
    np.take(vectors.right_positions, rows, out=at)
    np.maximum(larger, np.take(shares, at), out=larger)  # NaN where either has no term
    del at
    both = ~np.isnan(larger)
    if not both.all():  # most often every pair at an adjusted level has both terms
        rows, larger = rows[both], larger[both]
    return rows.astype(np.int64, copy=False), larger
