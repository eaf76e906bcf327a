"""The numerics of the Fellegi-Sunter model: u from random pairs, m by EM on level patterns.

Probabilities are kept per comparison for its levels besides ``"null"`` (which carries no
evidence), clamped away from 0 and 1 so that no weight is infinite.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "EPSILON",
    "clamp",
    "em",
    "level_frequencies",
    "log_likelihoods",
    "patterns",
    "patterns_with",
    "posterior",
    "starting_m",
]

EPSILON = 1e-5
"""The smallest probability a level keeps (and one minus it the largest)."""

Floats = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.int16]


def clamp(probabilities: Floats) -> Floats:
    """Keep probabilities within ``[EPSILON, 1 - EPSILON]`` and summing to one."""
    clipped = np.clip(np.nan_to_num(probabilities, nan=EPSILON), EPSILON, 1 - EPSILON)
    return np.asarray(clipped / clipped.sum(), dtype=np.float64)


def starting_m(count: int) -> Floats:
    """Where EM starts for a comparison with ``count`` non-null levels: the top level likely."""
    if count == 1:
        return np.ones(1)
    rest = np.array([0.5**i for i in range(1, count)], dtype=np.float64)
    return clamp(np.concatenate(([0.9], 0.1 * rest / rest.sum())))


def level_frequencies(
    column: npt.NDArray[np.integer[Any]], count: int, weights: Floats | None
) -> Floats:
    """How often each of ``count`` non-null levels occurs in ``column`` (nulls left out)."""
    keep = column < count
    found = np.bincount(
        column[keep].astype(np.int64),
        weights=None if weights is None else weights[keep],
        minlength=count,
    ).astype(np.float64)
    return clamp((found + 0.5) / (found.sum() + 0.5 * count))


def _row_keys(
    matrix: npt.NDArray[np.integer[Any]], extra: npt.NDArray[np.integer[Any]] | None = None
) -> npt.NDArray[np.int64] | None:
    """Each row (then ``extra``, a last column) as one integer that orders as the rows do.

    ``None`` if the rows are too wide for 63 bits. Built in place: a few integers a row.
    """
    columns = [matrix[:, c] for c in range(matrix.shape[1])]
    if extra is not None:
        columns.append(extra)
    low = [int(column.min()) for column in columns]
    spans = [int(column.max()) - start + 1 for column, start in zip(columns, low, strict=True)]
    if float(np.prod(np.array(spans, dtype=np.float64))) >= 2.0**62:
        return None
    keys = np.zeros(matrix.shape[0], dtype=np.int64)
    for column, start, span in zip(columns, low, spans, strict=True):
        keys *= span
        keys += column
        keys -= start
    return keys


def patterns(matrix: Matrix) -> tuple[Matrix, Floats, npt.NDArray[np.intp]]:
    """The distinct rows of ``matrix``, how many times each occurs, and each row's pattern."""
    rows, counts, inverse, _ = patterns_with(matrix, None)
    return rows, counts, inverse


def patterns_with(
    matrix: npt.NDArray[np.integer[Any]], extra: npt.NDArray[np.integer[Any]] | None
) -> tuple[Matrix, Floats, npt.NDArray[np.intp], npt.NDArray[np.int16] | None]:
    """:func:`patterns` of ``matrix`` with ``extra`` as a last column, given apart.

    The distinct rows (without it), how many times each occurs, each row's pattern, and each
    distinct row's ``extra`` (``None`` without it): in the order of the rows with ``extra``
    last, as :func:`patterns` of the two stacked gives them.
    """
    if matrix.shape[0] == 0:
        empty = None if extra is None else np.zeros(0, dtype=np.int16)
        return np.asarray(matrix, dtype=np.int16), np.zeros(0), np.zeros(0, dtype=np.intp), empty
    keys = _row_keys(matrix, extra)
    if keys is None:
        stacked = matrix if extra is None else np.column_stack((matrix, extra))
        unique, inverse, counts = np.unique(
            stacked.astype(np.int16), axis=0, return_inverse=True, return_counts=True
        )
        rows: npt.NDArray[np.integer[Any]] = unique if extra is None else unique[:, :-1]
        extras: npt.NDArray[np.integer[Any]] | None = None if extra is None else unique[:, -1]
    else:  # one integer per row, in the rows' lexicographic order: the same patterns, faster
        _, first, inverse, counts = np.unique(
            keys, return_index=True, return_inverse=True, return_counts=True
        )
        rows = matrix[first]
        extras = None if extra is None else extra[first]
    return (
        np.asarray(rows, dtype=np.int16),
        counts.astype(np.float64),
        np.asarray(inverse, dtype=np.intp).reshape(-1),
        None if extras is None else np.asarray(extras, dtype=np.int16),
    )


def posterior(
    rows: Matrix,
    m: Sequence[Floats],
    u: Sequence[Floats],
    prior: float,
    columns: Sequence[int],
    offsets: Floats | None = None,
) -> Floats:
    """The probability that each pattern of ``rows`` is a match, reading ``columns`` only.

    ``offsets`` (one per row, in bits) are added to each row's weight: term-frequency
    adjustments.
    """
    odds = (
        np.log2(prior / (1 - prior))
        + log_likelihoods(rows, m, columns)
        - log_likelihoods(rows, u, columns)
    )
    if offsets is not None:
        odds = odds + offsets
    return np.asarray(1.0 / (1.0 + np.exp2(-np.clip(odds, -200, 200))), dtype=np.float64)


def log_likelihoods(rows: Matrix, tables: Sequence[Floats], columns: Sequence[int]) -> Floats:
    """Sum of ``log2`` of each chosen column's probability of its level; null adds nothing."""
    total = np.zeros(rows.shape[0], dtype=np.float64)
    for column in columns:
        table = np.concatenate((np.log2(tables[column]), [0.0]))
        total += table[rows[:, column]]
    return total


def em(
    rows: Matrix,
    counts: Floats,
    m: Sequence[Floats],
    u: Sequence[Floats],
    prior: float,
    columns: Sequence[int],
    *,
    fit_m: bool = True,
    iterations: int = 100,
    tolerance: float = 1e-6,
    offsets: Floats | None = None,
    min_prior: float = EPSILON,
) -> tuple[list[Floats], float]:
    """Expectation-maximisation of m (of ``columns``) and the prior; u stays fixed.

    ``rows`` are distinct level patterns and ``counts`` how often each occurs; ``offsets``
    are added to each row's weight (see :func:`posterior`). The prior stays at or above
    ``min_prior``: when matches are few among the pairs, EM can otherwise empty the class of
    matches, m falling to even shares and teaching nothing.
    """
    m = [np.array(p, dtype=np.float64) for p in m]
    if rows.shape[0] == 0 or counts.sum() == 0:
        return m, prior
    for _ in range(iterations):
        weights = counts * posterior(rows, m, u, prior, columns, offsets)
        floor = min(max(min_prior, EPSILON), 0.5)
        new_prior = float(np.clip(weights.sum() / counts.sum(), floor, 1 - EPSILON))
        change = abs(new_prior - prior)
        if fit_m:
            for column in columns:
                found = level_frequencies(rows[:, column], len(m[column]), weights)
                change = max(change, float(np.abs(found - m[column]).max()))
                m[column] = found
        prior = new_prior
        if change < tolerance:
            break
    return m, prior
