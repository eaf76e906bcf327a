"""Scoring candidate pairs with a :class:`~crmcore.dedup.MatchModel`: :func:`score`.

A pair's match weight is the prior's log-odds plus the weight (``log2(m / u)``) of each of its
comparisons' levels, plus, for a comparison the model adjusts by term frequency, the
adjustment ``log2(u / f)`` of a pair at an adjusted level (``f`` the frequency of its term);
its probability is ``2**w / (1 + 2**w)``. :class:`ScoredPairs` holds the
result as arrays and explains each pair without quoting any value.

Memory: :func:`score` keeps, beside the level matrix it is given, only the term-frequency
adjustments of the pairs that have one; a pair's weight and probability are computed from
its levels when read (:meth:`ScoredPairs.edges` a block of pairs at a time), with the same
operations in the same order, so they are the numbers a full array would hold.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crmcore._safe import printable
from crmcore.dedup._pair_index import IdsAt, ids_at, row_of_pair
from crmcore.dedup._vectors import ComparisonVectors
from crmcore.dedup.model import MatchModel, ModelError

__all__ = ["ScoredPairs", "score", "term_adjustments"]

Floats = npt.NDArray[np.float64]
Rows = npt.NDArray[np.int64]

BLOCK = 1 << 20
"""Pairs whose probabilities are computed at a time when every pair is read."""


def _weight_tables(model: MatchModel) -> list[Floats]:
    return [np.array(c.weights, dtype=np.float64) for c in model.comparisons]


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


@attrs.frozen(eq=False)
class ScoredPairs:
    """Scored candidate pairs: ids, match weights, probabilities and the level matrix.

    Row ``i`` is the pair ``(left[i], right[i])``, ``left[i] < right[i]``, rows sorted by ids.
    ``adjustments`` (one column per comparison) holds the term-frequency adjustments of a
    model that has them, else ``None``.

    :func:`score` gives ``weights`` and ``probabilities`` as ``None`` and keeps the levels and
    the adjustments of the adjusted pairs only: the whole arrays are then made on first
    reading (and kept), while :meth:`edges` and :meth:`explain` compute what they read
    without them.
    """

    model: MatchModel
    left: Sequence[str]
    right: Sequence[str]
    _weights: Floats | None = attrs.field(repr=False)
    _probabilities: Floats | None = attrs.field(repr=False)
    levels: npt.NDArray[np.integer[Any]]
    _adjustments: _Adjusted | None = attrs.field(default=None, converter=_adjusted, repr=False)
    _rows: dict[tuple[str, str], int] | None = attrs.field(init=False, repr=False, default=None)
    _tables: list[Floats] | None = attrs.field(init=False, repr=False, default=None)

    def __len__(self) -> int:
        return len(self.left)

    @property
    def weights(self) -> Floats:
        """Every pair's match weight (made on first reading when not given, then kept)."""
        if self._weights is None:
            object.__setattr__(self, "_weights", self._weights_of(0, len(self)))
        assert self._weights is not None
        return self._weights

    @property
    def probabilities(self) -> Floats:
        """Every pair's match probability (made on first reading when not given, then kept)."""
        if self._probabilities is None:
            object.__setattr__(self, "_probabilities", _probability(self.weights))
        assert self._probabilities is not None
        return self._probabilities

    @property
    def adjustments(self) -> Floats | None:
        """Every pair's term-frequency adjustment per comparison, ``None`` without any."""
        found = self._adjustments
        return None if found is None else found.dense(len(self))

    def _weights_of(self, start: int, stop: int) -> Floats:
        """The match weights of rows ``start`` to ``stop``, as :func:`score` defines them."""
        if self._weights is not None:
            return self._weights[start:stop]
        levels = self.levels[start:stop]
        prior = float(np.log2(self.model.prior / (1 - self.model.prior)))
        weights = np.full(len(levels), prior, dtype=np.float64)
        if self._tables is None:  # made once: a pair explained reads them again
            object.__setattr__(self, "_tables", _weight_tables(self.model))
        assert self._tables is not None
        for column, table in enumerate(self._tables):
            weights += table[levels[:, column]]
        found = self._adjustments
        if found is not None:  # a whole array of sums added, as to every weight before
            sums = np.zeros(len(levels), dtype=np.float64)
            first, last = np.searchsorted(found.rows, (start, stop)).tolist()
            sums[found.rows[first:last] - start] = found.sums(first, last)
            weights += sums
        return weights

    def _probabilities_of(self, start: int, stop: int) -> Floats:
        if self._probabilities is not None:
            return self._probabilities[start:stop]
        return _probability(self._weights_of(start, stop))

    def _adjustment(self, row: int, column: int) -> float:
        """Row ``row``'s adjustment of comparison ``column`` (0 where it has none)."""
        found = self._adjustments
        return 0.0 if found is None else found.at(row, column)

    def _at(self, threshold: float) -> Iterator[tuple[npt.NDArray[np.intp], Floats]]:
        """The rows at ``threshold`` or above and their probabilities, a block at a time."""
        for start in range(0, len(self), BLOCK):
            chances = self._probabilities_of(start, start + BLOCK)
            kept = np.flatnonzero(chances >= threshold)
            yield kept + start, chances[kept]

    def rows_at(self, threshold: float) -> npt.NDArray[np.intp]:
        """The rows whose probability is ``threshold`` or above, in order.

        Computed a block of rows at a time, as :meth:`edges`: no array of every pair's
        probability is made.
        """
        found = [rows for rows, _ in self._at(threshold)]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)

    def positions_at(
        self, threshold: float
    ) -> tuple[tuple[str, ...], npt.NDArray[np.integer[Any]], npt.NDArray[np.integer[Any]], Floats]:
        """The pairs at ``threshold`` or above as positions among the ids of the compared
        records: ``(ids, left, right, probabilities)``, ``ids[left[i]]`` and
        ``ids[right[i]]`` being the ids :meth:`edges` gives; ``()`` and empty arrays when the
        sides are not kept as positions among one tuple of ids."""
        left, right = self.left, self.right
        empty = np.zeros(0, dtype=np.int64)
        if not (isinstance(left, IdsAt) and isinstance(right, IdsAt) and left.ids is right.ids):
            return (), empty, empty, np.zeros(0)
        found = list(self._at(threshold))
        rows = np.concatenate([kept for kept, _ in found]) if found else empty
        chances = np.concatenate([chance for _, chance in found]) if found else np.zeros(0)
        return left.ids, left.at[rows], right.at[rows], chances

    def edges(self, threshold: float = 0.0) -> Iterator[tuple[str, str, float]]:
        """``(left, right, probability)`` of each pair at ``threshold`` or above, by ids."""
        left, right = self.left, self.right
        for kept, chances in self._at(threshold):
            yield from zip(ids_at(left, kept), ids_at(right, kept), chances.tolist(), strict=True)

    def explain(self, i: int) -> dict[str, Any]:
        """Why row ``i`` scored as it did: each comparison's level and weight, no values.

        A JSON-safe dict: ``{"left", "right", "comparisons": {name: {"level", "weight"}},
        "prior_weight", "match_weight", "probability"}``. A comparison the model adjusts by
        term frequency also has ``"tf_adjustment"``, the weight added for how common the
        pair's term is (0 when its level is not adjusted); never the term itself. The ids are
        the records' own.
        """
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
            raise ModelError("a row of scored pairs is an integer")
        if not 0 <= int(i) < len(self.left):
            raise ModelError(f"there is no row {int(i)} among {len(self.left)} scored pairs")
        row = int(i)
        comparisons: dict[str, dict[str, Any]] = {}
        adjusted = set(self.model.adjusted)
        for column, comparison in enumerate(self.model.comparisons):
            level = int(self.levels[row, column])
            comparisons[comparison.name] = {
                "level": comparison.levels[level],
                "weight": round(comparison.weight(level), 6),
            }
            if comparison.name in adjusted and self._adjustments is not None:
                adjustment = round(self._adjustment(row, column), 6)
                comparisons[comparison.name]["tf_adjustment"] = adjustment
        prior = float(np.log2(self.model.prior / (1 - self.model.prior)))
        weight = self._weights_of(row, row + 1)
        chance = (
            self._probabilities[row] if self._probabilities is not None else _probability(weight)[0]
        )
        return {
            "left": self.left[row],
            "right": self.right[row],
            "comparisons": comparisons,
            "prior_weight": round(prior, 6),
            "match_weight": round(float(weight[0]), 6),
            "probability": float(chance),
        }

    def explain_pair(self, left: str, right: str) -> dict[str, Any]:
        """:meth:`explain` for the pair of two record ids, in either order."""
        key = (left, right) if str(left) < str(right) else (right, left)
        row = _sorted_row(self.left, self.right, key)
        if row is None:  # not found by halving (pairs not in order?): look in every pair
            rows = self._rows
            if rows is None:  # built once: pairs in id order are found without it
                rows = {pair: i for i, pair in enumerate(zip(self.left, self.right, strict=True))}
                object.__setattr__(self, "_rows", rows)
            row = rows.get(key)
        if row is None:
            raise ModelError(
                f"no scored pair of {printable(str(left), 100)!r} and "
                f"{printable(str(right), 100)!r}"
            )
        return self.explain(row)


def _probability(weights: Floats) -> Floats:
    """``2**w / (1 + 2**w)`` of each weight, computed as :func:`score` always has."""
    result: Floats = 1.0 / (1.0 + np.exp2(-np.clip(weights, -1000, 1000)))
    return result


def _sorted_row(left: Sequence[str], right: Sequence[str], key: tuple[str, str]) -> int | None:
    """The row of pair ``key`` found by halving, pairs being in id order; else ``None``."""
    if not (isinstance(key[0], str) and isinstance(key[1], str)):
        return None
    found = row_of_pair(left, right, key)  # by positions, when the sides are kept as such
    if found is not None:
        return found
    start = bisect.bisect_left(left, key[0])
    end = bisect.bisect_right(left, key[0], start)
    row = bisect.bisect_left(right, key[1], start, end)
    if row < end and left[row] == key[0] and right[row] == key[1]:
        return row
    return None


def score(model: MatchModel, vectors: ComparisonVectors) -> ScoredPairs:
    """Score the pairs of ``vectors`` with ``model``.

    The model must have been fitted for the vectors' record type and comparisons (else
    :class:`ModelError`). The result keeps the vectors' level matrix and the adjustments of
    the adjusted pairs; weights and probabilities are computed from them when read.
    """
    if not isinstance(model, MatchModel):
        raise ModelError("expected a MatchModel")
    if not isinstance(vectors, ComparisonVectors):
        raise ModelError("expected comparison vectors")
    model.check(vectors.record_type, vectors.names, vectors.levels)
    return scored_with(model, vectors, _adjusted_rows(model, vectors))


def scored_with(
    model: MatchModel, vectors: ComparisonVectors, adjusted: _Adjusted | None
) -> ScoredPairs:
    """:func:`score` of a checked model, with the adjustments :func:`_adjusted_rows` gives
    for it (computed by the fit that made the model, of the same u and term frequencies)."""
    return ScoredPairs(model, vectors.left, vectors.right, None, None, vectors.matrix, adjusted)


def term_adjustments(model: MatchModel, vectors: ComparisonVectors) -> Floats | None:
    """The term-frequency adjustment of each pair and comparison (``None``: the model has none).

    A pair at one of a table's levels, both records having a term, gets ``log2(u / f)``: ``u``
    the model's u of its level, ``f`` the larger frequency of the two terms.
    """
    adjusted = _adjusted_rows(model, vectors)
    return None if adjusted is None else adjusted.dense(len(vectors))


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
        u = np.array([*comparison.u, 1.0], dtype=np.float64)
        levels = vectors.matrix[:, column]
        flags = np.zeros(len(comparison.levels), dtype=np.bool_)  # a flag per level: a
        flags[[comparison.levels.index(level) for level in table.levels]] = True  # pass
        rows = np.flatnonzero(flags[levels])
        if not len(rows):
            continue
        # each distinct term's frequency once, NaN (the last) where a record has no term
        shares = np.array([*map(table.frequency, codes.digests), np.nan], dtype=np.float64)
        a = shares[codes.codes[vectors.left_positions[rows]]]
        b = shares[codes.codes[vectors.right_positions[rows]]]
        both = ~(np.isnan(a) | np.isnan(b))
        if not both.all():  # most often every pair at an adjusted level has both terms
            rows, a, b = rows[both], a[both], b[both]
        kept = rows.astype(np.int64, copy=False)
        found.append((column, kept, np.log2(u[levels[kept]] / np.maximum(a, b))))
    found.sort(key=lambda item: item[0])
    marked = np.zeros(len(vectors), dtype=np.bool_)  # the rows of any table, by flags:
    for _, kept, _ in found:  # linear, where np.unique would hash (slowly) or sort them
        marked[kept] = True
    every = np.flatnonzero(marked).astype(np.int64, copy=False)
    values = np.zeros((len(every), len(found)), dtype=np.float64)
    # each marked row's place among them: a running count, where a search would sort
    place = np.cumsum(marked, dtype=np.int32 if len(every) < 1 << 31 else np.int64)
    for k, (_, kept, value) in enumerate(found):
        values[place[kept] - 1, k] = value
    columns = tuple(column for column, _, _ in found)
    return _Adjusted(every, values, columns, len(model.comparisons))
