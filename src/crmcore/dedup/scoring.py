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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crmcore._safe import printable
from crmcore.dedup._adjustments import Floats, Rows, _Adjusted, _adjusted, _adjusted_rows
from crmcore.dedup._pair_index import IdsAt, ids_at, row_of_pair
from crmcore.dedup._vectors import ComparisonVectors
from crmcore.dedup.model import MatchModel, ModelError

__all__ = ["ScoredPairs", "score", "term_adjustments"]

_Places = tuple[Rows, npt.NDArray[np.bool_]]

BLOCK = 1 << 20
"""Pairs whose probabilities are computed at a time when every pair is read."""


def _weight_tables(model: MatchModel) -> list[Floats]:
    return [np.array(c.weights, dtype=np.float64) for c in model.comparisons]


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
    _named: list[list[tuple[str, float]]] | None = attrs.field(init=False, repr=False, default=None)

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
        found = self._adjustments
        sums = None
        if found is not None:  # a whole array of sums added, as to every weight before
            sums = np.zeros(len(levels), dtype=np.float64)
            first, last = np.searchsorted(found.rows, (start, stop)).tolist()
            sums[found.rows[first:last] - start] = found.sums(first, last)
        return self._weighted(levels, sums)

    def _weights_at(self, rows: Rows, places: _Places | None = None) -> Floats:
        """:meth:`_weights_of` of the rows ``rows``: the same numbers, row by row
        (``places``: their :meth:`_places`, when found already)."""
        if self._weights is not None:
            return self._weights[rows]
        found = self._adjustments
        sums = None
        if found is not None:
            at, has = self._places(rows) if places is None else places
            sums = np.zeros(len(rows), dtype=np.float64)
            sums[has] = found.taken(at[has]).sums()
        return self._weighted(self.levels[rows], sums)

    def _places(self, rows: Rows) -> _Places:
        """Where each of ``rows`` is among the adjusted rows, and whether it is one."""
        found = self._adjustments
        assert found is not None
        at = np.searchsorted(found.rows, rows)
        has = at < len(found.rows)
        has[has] = found.rows[at[has]] == rows[has]
        return at, has

    def _weighted(self, levels: npt.NDArray[np.integer[Any]], sums: Floats | None) -> Floats:
        """The prior's log-odds, plus each comparison's weight at ``levels``, plus ``sums``."""
        prior = float(np.log2(self.model.prior / (1 - self.model.prior)))
        weights = np.full(len(levels), prior, dtype=np.float64)
        if self._tables is None:  # made once: a pair explained reads them again
            object.__setattr__(self, "_tables", _weight_tables(self.model))
        assert self._tables is not None
        for column, table in enumerate(self._tables):
            weights += table[levels[:, column]]
        if sums is not None:
            weights += sums
        return weights

    def _probabilities_of(self, start: int, stop: int) -> Floats:
        if self._probabilities is not None:
            return self._probabilities[start:stop]
        return _probability(self._weights_of(start, stop))

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
        ids, _, lefts, rights, chances = self.rows_at_positions(threshold)
        return ids, lefts, rights, chances

    def rows_at_positions(
        self, threshold: float
    ) -> tuple[
        tuple[str, ...],
        npt.NDArray[np.intp],
        npt.NDArray[np.integer[Any]],
        npt.NDArray[np.integer[Any]],
        Floats,
    ]:
        """:meth:`positions_at` with the row of each pair: ``(ids, rows, left, right,
        probabilities)``, for :meth:`explain_rows` to explain some of them without finding
        their rows again."""
        left, right = self.left, self.right
        empty = np.zeros(0, dtype=np.int64)
        if not (isinstance(left, IdsAt) and isinstance(right, IdsAt) and left.ids is right.ids):
            return (), np.zeros(0, dtype=np.intp), empty, empty, np.zeros(0)
        found = list(self._at(threshold))
        rows = np.concatenate([kept for kept, _ in found]) if found else np.zeros(0, np.intp)
        chances = np.concatenate([chance for _, chance in found]) if found else np.zeros(0)
        return left.ids, rows, left.at[rows], right.at[rows], chances

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
        return self._explained(np.array([int(i)], dtype=np.int64))[0]

    def _explained(self, rows: Rows) -> list[dict[str, Any]]:
        """:meth:`explain` of each of ``rows`` (rows of these pairs), computed at once."""
        model = self.model
        adjusted = self._adjustments
        places = None if adjusted is None or self._weights is not None else self._places(rows)
        weights = self._weights_at(rows, places)
        chances = self._probabilities[rows] if self._probabilities is not None else None
        chances = _probability(weights) if chances is None else chances
        levels = self.levels[rows].T.tolist()  # a list per comparison, one level a row
        named = self._named
        if named is None:  # each comparison's levels' names and weights, made once
            named = [
                [(c.levels[level], round(c.weight(level), 6)) for level in range(len(c.levels))]
                for c in model.comparisons
            ]
            object.__setattr__(self, "_named", named)
        added: dict[int, list[float]] = {}  # an adjusted comparison's adjustment of each row
        if adjusted is not None:
            at, has = self._places(rows) if places is None else places
            names = set(model.adjusted)
            for column, comparison in enumerate(model.comparisons):
                if comparison.name not in names:
                    continue
                values = np.zeros(len(rows), dtype=np.float64)
                if column in adjusted.columns:
                    values[has] = adjusted.values[at[has], adjusted.columns.index(column)]
                added[column] = [round(value, 6) for value in values.tolist()]
        prior = round(float(np.log2(model.prior / (1 - model.prior))), 6)
        found: list[dict[str, Any]] = []
        lefts, rights = ids_at(self.left, rows), ids_at(self.right, rows)
        for k, (weight, chance) in enumerate(zip(weights.tolist(), chances.tolist(), strict=True)):
            comparisons: dict[str, dict[str, Any]] = {}
            for column, comparison in enumerate(model.comparisons):
                level, level_weight = named[column][levels[column][k]]
                comparisons[comparison.name] = {"level": level, "weight": level_weight}
                if column in added:
                    comparisons[comparison.name]["tf_adjustment"] = added[column][k]
            found.append(
                {
                    "left": lefts[k],
                    "right": rights[k],
                    "comparisons": comparisons,
                    "prior_weight": prior,
                    "match_weight": round(weight, 6),
                    "probability": chance,
                }
            )
        return found

    def explain_pair(self, left: str, right: str) -> dict[str, Any]:
        """:meth:`explain` for the pair of two record ids, in either order."""
        return self.explain(self._row_of(left, right))

    def explain_pairs(self, pairs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
        """:meth:`explain_pair` of each pair of ids, computed at once (the same dicts).

        :class:`ModelError` for an item that is not a pair of two ids (a text of two
        characters is not a pair), as for a pair that was not scored.
        """
        rows = [self._row_of(*_two_ids(pair, place)) for place, pair in enumerate(pairs)]
        return self._explained(np.array(rows, dtype=np.int64)) if rows else []

    def explain_rows(
        self, rows: Sequence[int] | npt.NDArray[np.integer[Any]]
    ) -> list[dict[str, Any]]:
        """:meth:`explain` of each of ``rows``, computed at once (the same dicts):
        :class:`ModelError` for a row that is not one of these pairs."""
        found = _rows_checked(rows, len(self.left))
        return self._explained(found) if len(found) else []

    def _row_of(self, left: str, right: str) -> int:
        """The row of the pair of two record ids, in either order (:class:`ModelError`: none)."""
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
        return row


def _rows_checked(rows: object, count: int) -> npt.NDArray[np.int64]:
    """``rows`` as an array of rows among ``count`` pairs: a one-dimensional array of
    integers or a sequence of integers (not flags); :class:`ModelError` naming the first
    that is not, never its value."""
    if isinstance(rows, np.ndarray):
        if rows.ndim != 1 or rows.dtype.kind not in "iu":
            raise ModelError("rows is not a one-dimensional array of integers")
        if len(rows) and not (int(rows.min()) >= 0 and int(rows.max()) < count):
            raise ModelError(f"a row is not among the {count} scored pairs")
        return rows.astype(np.int64, copy=False)
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Sequence):
        raise ModelError("rows is not a sequence of integers")
    for place, row in enumerate(rows):
        if isinstance(row, bool) or not isinstance(row, (int, np.integer)):
            raise ModelError(f"rows[{place}] is not an integer")
        if not 0 <= int(row) < count:
            raise ModelError(f"rows[{place}] is not among the {count} scored pairs")
    return np.fromiter(map(int, rows), dtype=np.int64, count=len(rows))


def _two_ids(pair: object, place: int) -> tuple[str, str]:
    """``pair`` as two record ids; :class:`ModelError` naming its ``place`` when it is not."""
    if (
        isinstance(pair, (tuple, list))
        and len(pair) == 2
        and isinstance(pair[0], str)
        and isinstance(pair[1], str)
    ):
        return pair[0], pair[1]
    raise ModelError(f"pairs[{place}] is not a pair of two record ids")


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
