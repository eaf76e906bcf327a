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
    "distinct_rows",
    "em",
    "level_frequencies",
    "log_likelihoods",
    "patterns",
    "patterns_of",
    "patterns_with",
    "posterior",
    "prior_floor",
    "row_patterns",
    "starting_m",
]

EPSILON = 1e-5
"""The smallest probability a level keeps (and one minus it the largest), but for the u of a
level counted among every pair (see ``_exact_u.COUNTED_FLOOR``)."""

Floats = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.int16]


def prior_floor(pairs: float) -> float:
    """The least prior among ``pairs`` pairs: one match among them, or :data:`EPSILON` if that is
    less (fewer than some 450 records).

    The share of matches among every pair of records falls as the records grow (about 2e-7
    among a million generated contacts); a fixed floor above it makes the prior too large, and
    weak evidence enough for a match. One match among the pairs is the least the data tell.
    """
    return min(EPSILON, 1.0 / pairs) if pairs > 0 else EPSILON


def clamp(probabilities: Floats, floor: float | Floats = EPSILON) -> Floats:
    """Keep probabilities within ``[floor, 1 - EPSILON]`` and summing to one (``NaN`` taken
    for ``floor``); ``floor`` is :data:`EPSILON`, or one per probability (a level counted
    among every pair may be rarer than any sample tells).

    ``fmax`` and ``fmin`` take the number where the other is ``NaN``: the values of
    ``np.clip(p, floor, 1 - EPSILON)`` with each ``NaN`` taken for its own floor, with two
    calls of C (EM clamps each comparison's m at every iteration).
    """
    clipped = np.fmin(np.fmax(probabilities, floor), 1 - EPSILON)
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


_BINS = 1 << 22
"""The most counters (32 MiB) a count of distinct rows uses; wider rows are sorted instead."""


def _compact(codes: npt.NDArray[np.integer[Any]], span: int) -> tuple[npt.NDArray[np.int64], Any]:
    """``codes`` (each below ``span``) as their ranks among the distinct codes, and how many
    times each distinct code occurs: counted, in one pass, the order kept."""
    found = np.bincount(codes, minlength=span)
    present = found > 0
    rank = np.cumsum(present, dtype=np.int64) - 1
    return rank[codes], found[present]


def _ranks(
    columns: Sequence[npt.NDArray[np.integer[Any]]], rows: int, room: int | None = None
) -> tuple[npt.NDArray[np.int64], Any] | None:
    """Each row's rank among the distinct rows of ``columns`` (in their lexicographic order)
    and how many times each distinct row occurs; ``None`` when a column is too wide to count.

    The columns are read one at a time into one integer per row, made dense again (ranks
    among the distinct values so far) whenever the next column would take it past the
    counters allowed: linear in the rows, where sorting them is not. The counters allowed
    are four per row, or four per ``room`` rows (rows standing for that many).
    """
    bins = min(_BINS, max(4 * (rows if room is None else room), 1 << 12))
    # 4 bytes a row: a code stays below the counters allowed (at most 2**22)
    codes: npt.NDArray[np.integer[Any]] | None = None
    span = 1
    counts: Any = np.full(1, rows, dtype=np.int64)
    for column in columns:
        low = int(column.min())
        width = int(column.max()) - low + 1
        if span * width > bins and codes is None:
            return None
        if low and column.dtype.itemsize > 2:  # a wide column made to start at 0 first
            column, low = column - low, 0
        if codes is None:  # the first column (of more than one value): the codes themselves
            if width > 1:
                codes = column.astype(np.int32)
                if low:
                    codes -= low
            span = width
            continue
        if span * width > bins:
            codes, counts = _compact(codes, span)
            span = len(counts)
            if span * width > bins:
                return None
        if width > 1:  # a column of one value tells no row apart
            codes *= width
            codes += column
            if low:
                codes -= low
        span *= width
    if codes is None or span == 1:
        return np.zeros(rows, dtype=np.int64), counts
    codes, counts = _compact(codes, span)
    return codes, counts


def patterns(matrix: Matrix) -> tuple[Matrix, Floats, npt.NDArray[np.intp]]:
    """The distinct rows of ``matrix``, how many times each occurs, and each row's pattern."""
    rows, counts, inverse, _ = patterns_with(matrix, None)
    return rows, counts, inverse


def patterns_with(
    matrix: npt.NDArray[np.integer[Any]],
    extra: npt.NDArray[np.integer[Any]] | None,
    columns: Sequence[int] | None = None,
) -> tuple[Matrix, Floats, npt.NDArray[np.intp], npt.NDArray[np.int16] | None]:
    """:func:`patterns` of ``matrix`` with ``extra`` as a last column, given apart.

    The distinct rows (without it), how many times each occurs, each row's pattern, and each
    distinct row's ``extra`` (``None`` without it): in the order of the rows with ``extra``
    last, as :func:`patterns` of the two stacked gives them.

    ``columns`` (every column by default) are those that tell patterns apart: rows that
    differ elsewhere only are one pattern, and the other columns of the distinct rows hold
    ``-1`` (no level: for a reader of ``columns`` alone, EM's).
    """
    chosen = list(range(matrix.shape[1])) if columns is None else sorted(set(columns))
    if matrix.shape[0] == 0:
        empty = None if extra is None else np.zeros(0, dtype=np.int16)
        return np.asarray(matrix, dtype=np.int16), np.zeros(0), np.zeros(0, dtype=np.intp), empty
    read = [matrix[:, c] for c in chosen] + ([] if extra is None else [extra])
    ranked = _ranks(read, matrix.shape[0])
    if ranked is None:  # too wide to count: NumPy's distinct rows, sorted
        stacked = np.column_stack(read).astype(np.int16)
        _, inverse, counts = np.unique(stacked, axis=0, return_inverse=True, return_counts=True)
        codes = np.asarray(inverse, dtype=np.int64).reshape(-1)
    else:
        codes, counts = ranked
    # a row of each pattern: whichever is written last, each holds the pattern's values
    pick = np.empty(len(counts), dtype=np.int64)
    pick[codes] = np.arange(len(codes), dtype=np.int64)
    rows = np.full((len(counts), matrix.shape[1]), -1, dtype=np.int16)
    rows[:, chosen] = matrix[pick][:, chosen]
    extras = None if extra is None else np.asarray(extra[pick], dtype=np.int16)
    return rows, np.asarray(counts, dtype=np.float64), codes.astype(np.intp, copy=False), extras


Table = tuple[npt.NDArray[np.integer[Any]], Matrix, int]
"""The distinct rows of a matrix with further columns (:func:`distinct_rows`): each row's
number, the distinct rows themselves and the matrix's own columns among theirs."""


def distinct_rows(
    matrix: npt.NDArray[np.integer[Any]], extras: Sequence[npt.NDArray[np.integer[Any]]]
) -> Table | None:
    """Each row's number among the distinct rows of ``matrix`` with ``extras`` as further
    columns, and those distinct rows (``extras`` last), counted in one pass over the rows
    for :func:`patterns_of` to read any subset of the rows and columns from; ``None`` when
    the rows are too wide to count (:func:`patterns_with` then sorts them).

    >>> matrix = np.array([[0, 1], [0, 1], [1, 0]])
    >>> codes, table, width = distinct_rows(matrix, [np.array([3, 4, 3])])
    >>> codes.tolist(), table.tolist(), width
    ([0, 1, 2], [[0, 1, 3], [0, 1, 4], [1, 0, 3]], 2)
    """
    width = matrix.shape[1]
    read = [matrix[:, c] for c in range(width)] + list(extras)
    if matrix.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, len(read)), dtype=np.int16), width
    ranked = _ranks(read, matrix.shape[0])
    if ranked is None:
        return None
    codes, counts = ranked
    pick = np.empty(len(counts), dtype=np.int64)
    pick[codes] = np.arange(len(codes), dtype=np.int64)
    table = np.empty((len(counts), len(read)), dtype=np.int16)
    for place, column in enumerate(read):
        table[:, place] = column[pick]
    # 4 bytes a row while the distinct rows are fewer than 2**31: each run reads them
    small = np.int32 if len(counts) < 1 << 31 else np.int64
    return codes.astype(small), table, width


def patterns_of(
    table: Table,
    mask: npt.NDArray[np.bool_],
    columns: Sequence[int],
    extra: int | None = None,
) -> tuple[Matrix, Floats, npt.NDArray[np.integer[Any]], npt.NDArray[np.int16] | None]:
    """:func:`patterns_with` of the rows ``mask`` picks, reading ``columns`` and the extra
    column ``extra`` (a place among the extras; ``None`` for none) of the matrix whose
    :func:`distinct_rows` ``table`` holds: the same patterns, counts and order (each row's
    pattern in the table's integer type).

    Each row is read once, for its number: the patterns are those of the distinct rows
    among the chosen ones, each weighed by how many of the chosen rows it stands for.

    >>> matrix = np.array([[0, 1], [0, 0], [1, 1]])
    >>> table = distinct_rows(matrix, [np.array([2, 2, 5])])
    >>> mask = np.array([True, True, True])
    >>> rows, counts, inverse, extras = patterns_of(table, mask, [0], 0)
    >>> rows.tolist(), counts.tolist(), inverse.tolist(), extras.tolist()
    ([[0, -1], [1, -1]], [2.0, 1.0], [0, 0, 1], [2, 5])
    """
    rows, counts, _, inverse, extras = row_patterns(table, mask, columns, extra)
    return rows, counts, inverse, extras


def row_patterns(
    table: Table,
    mask: npt.NDArray[np.bool_],
    columns: Sequence[int],
    extra: int | None = None,
) -> tuple[
    Matrix,
    Floats,
    npt.NDArray[np.integer[Any]],
    npt.NDArray[np.integer[Any]],
    npt.NDArray[np.int16] | None,
]:
    """:func:`patterns_of`, with the pattern of each distinct row of the table (before each
    chosen row's): ``rows, counts, of_row, inverse, extras``, ``inverse`` being
    ``of_row[codes[mask]]``. A distinct row that no chosen row is has pattern 0 there.

    >>> matrix = np.array([[0, 1], [0, 0], [1, 1]])
    >>> table = distinct_rows(matrix, [])
    >>> rows, counts, of_row, inverse, _ = row_patterns(table, np.array([True, False, True]), [1])
    >>> rows.tolist(), of_row.tolist(), inverse.tolist()
    ([[-1, 1]], [0, 0, 0], [0, 0])
    """
    codes, distinct, width = table
    chosen = sorted(set(columns))
    own = codes[mask]
    if len(own) == 0:
        empty = None if extra is None else np.zeros(0, dtype=np.int16)
        nowhere = np.zeros(len(distinct), dtype=codes.dtype)
        return (
            np.zeros((0, width), dtype=np.int16),
            np.zeros(0),
            nowhere,
            np.zeros(0, dtype=np.intp),
            empty,
        )
    found = np.bincount(own, minlength=len(distinct))
    present = np.flatnonzero(found)
    at = distinct[present]
    extra_at = None if extra is None else width + extra
    read = [at[:, c] for c in chosen] + ([] if extra_at is None else [at[:, extra_at]])
    ranked = _ranks(read, len(present), room=len(own))
    if ranked is None:  # too wide to count: NumPy's distinct rows, sorted
        _, inverse = np.unique(np.column_stack(read), axis=0, return_inverse=True)
        local = np.asarray(inverse, dtype=np.int64).reshape(-1)
        size = int(local.max()) + 1
    else:
        local, size = ranked[0], len(ranked[1])
    counts = np.asarray(
        np.bincount(local, weights=found[present].astype(np.float64), minlength=size),
        dtype=np.float64,
    )
    where = np.zeros(len(distinct), dtype=codes.dtype)
    where[present] = local
    pick = np.empty(size, dtype=np.int64)
    pick[local] = np.arange(len(local), dtype=np.int64)
    rows = np.full((size, width), -1, dtype=np.int16)
    rows[:, chosen] = at[pick][:, chosen]
    extras = None if extra_at is None else np.asarray(at[pick, extra_at], dtype=np.int16)
    return rows, counts, where, where[own], extras


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
    ``min_prior`` (above 0; one match among the pairs, ``1 / counts.sum()``, say): when
    matches are few among the pairs, EM can otherwise empty the class of matches, m falling
    to even shares and teaching nothing.
    """
    m = [np.array(p, dtype=np.float64) for p in m]
    if rows.shape[0] == 0 or counts.sum() == 0:
        return m, prior
    for _ in range(iterations):
        weights = counts * posterior(rows, m, u, prior, columns, offsets)
        floor = min(max(min_prior, np.finfo(np.float64).tiny), 0.5)
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
