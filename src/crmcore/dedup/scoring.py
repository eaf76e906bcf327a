"""Scoring candidate pairs with a :class:`~crmcore.dedup.MatchModel`: :func:`score`.

A pair's match weight is the prior's log-odds plus the weight (``log2(m / u)``) of each of its
comparisons' levels, plus, for a comparison the model adjusts by term frequency, the
adjustment ``log2(u / f)`` of a pair at an adjusted level (``f`` the frequency of its term);
its probability is ``2**w / (1 + 2**w)``. :class:`ScoredPairs` holds the
result as arrays and explains each pair without quoting any value.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crmcore._safe import printable
from crmcore.dedup._vectors import ComparisonVectors
from crmcore.dedup.model import MatchModel, ModelError

__all__ = ["ScoredPairs", "score", "term_adjustments"]

Floats = npt.NDArray[np.float64]


def _weight_tables(model: MatchModel) -> list[Floats]:
    return [np.array(c.weights, dtype=np.float64) for c in model.comparisons]


@attrs.frozen(eq=False)
class ScoredPairs:
    """Scored candidate pairs: ids, match weights, probabilities and the level matrix.

    Row ``i`` is the pair ``(left[i], right[i])``, ``left[i] < right[i]``, rows sorted by ids.
    ``adjustments`` (one column per comparison) holds the term-frequency adjustments of a
    model that has them, else ``None``.
    """

    model: MatchModel
    left: tuple[str, ...]
    right: tuple[str, ...]
    weights: Floats
    probabilities: Floats
    levels: npt.NDArray[np.int16]
    adjustments: Floats | None = None
    _rows: dict[tuple[str, str], int] | None = attrs.field(init=False, repr=False, default=None)

    def __len__(self) -> int:
        return len(self.left)

    def edges(self, threshold: float = 0.0) -> Iterator[tuple[str, str, float]]:
        """``(left, right, probability)`` of each pair at ``threshold`` or above, by ids."""
        chances = self.probabilities
        kept = np.flatnonzero(chances >= threshold).tolist()
        left, right = self.left, self.right
        for i, probability in zip(kept, chances[kept].tolist(), strict=True):
            yield left[i], right[i], probability

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
            if comparison.name in adjusted and self.adjustments is not None:
                adjustment = round(float(self.adjustments[row, column]), 6)
                comparisons[comparison.name]["tf_adjustment"] = adjustment
        prior = float(np.log2(self.model.prior / (1 - self.model.prior)))
        return {
            "left": self.left[row],
            "right": self.right[row],
            "comparisons": comparisons,
            "prior_weight": round(prior, 6),
            "match_weight": round(float(self.weights[row]), 6),
            "probability": float(self.probabilities[row]),
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


def _sorted_row(left: Sequence[str], right: Sequence[str], key: tuple[str, str]) -> int | None:
    """The row of pair ``key`` found by halving, pairs being in id order; else ``None``."""
    if not (isinstance(key[0], str) and isinstance(key[1], str)):
        return None
    start = bisect.bisect_left(left, key[0])
    end = bisect.bisect_right(left, key[0], start)
    row = bisect.bisect_left(right, key[1], start, end)
    if row < end and left[row] == key[0] and right[row] == key[1]:
        return row
    return None


def score(model: MatchModel, vectors: ComparisonVectors) -> ScoredPairs:
    """Score the pairs of ``vectors`` with ``model``.

    The model must have been fitted for the vectors' record type and comparisons (else
    :class:`ModelError`).
    """
    if not isinstance(model, MatchModel):
        raise ModelError("expected a MatchModel")
    if not isinstance(vectors, ComparisonVectors):
        raise ModelError("expected comparison vectors")
    model.check(vectors.record_type, vectors.names, vectors.levels)
    prior = float(np.log2(model.prior / (1 - model.prior)))
    weights = np.full(len(vectors), prior, dtype=np.float64)
    for column, table in enumerate(_weight_tables(model)):
        weights += table[vectors.matrix[:, column]]
    adjustments = term_adjustments(model, vectors)
    if adjustments is not None:
        weights += adjustments.sum(axis=1)
    probabilities = 1.0 / (1.0 + np.exp2(-np.clip(weights, -1000, 1000)))
    return ScoredPairs(
        model, vectors.left, vectors.right, weights, probabilities, vectors.matrix, adjustments
    )


def term_adjustments(model: MatchModel, vectors: ComparisonVectors) -> Floats | None:
    """The term-frequency adjustment of each pair and comparison (``None``: the model has none).

    A pair at one of a table's levels, both records having a term, gets ``log2(u / f)``: ``u``
    the model's u of its level, ``f`` the larger frequency of the two terms.
    """
    frequencies = model.term_frequencies
    if frequencies is None or not frequencies.tables:
        return None
    found = np.zeros((len(vectors), len(model.comparisons)), dtype=np.float64)
    if len(vectors) == 0:
        return found
    names = model.names
    for table in frequencies.tables:
        terms = vectors.terms.get(table.comparison)
        if terms is None:
            raise ModelError(
                f"the pairs were compared without the terms of comparison {table.comparison}, "
                "which the model adjusts"
            )
        column = names.index(table.comparison)
        comparison = model.comparisons[column]
        u = np.array([*comparison.u, 1.0], dtype=np.float64)
        levels = vectors.matrix[:, column]
        chosen = np.isin(levels, [comparison.levels.index(level) for level in table.levels])
        rows = np.flatnonzero(chosen)
        if not len(rows):
            continue
        lefts, rights = terms
        # each distinct term's frequency once; NaN where a record has no term
        shares: dict[str | None, float] = {None: np.nan}
        a = np.fromiter(
            (_share(shares, table, lefts[row]) for row in rows.tolist()), np.float64, len(rows)
        )
        b = np.fromiter(
            (_share(shares, table, rights[row]) for row in rows.tolist()), np.float64, len(rows)
        )
        both = ~(np.isnan(a) | np.isnan(b))
        kept = rows[both]
        found[kept, column] = np.log2(u[levels[kept]] / np.maximum(a[both], b[both]))
    return found


def _share(shares: dict[str | None, float], table: Any, digest: str | None) -> float:
    found = shares.get(digest)
    if found is None:
        found = shares[digest] = table.frequency(digest)
    return found
