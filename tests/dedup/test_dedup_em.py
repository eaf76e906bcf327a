"""EM recovers known m and u from synthetic level data; the numerics stay in bounds."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore.dedup import _em


def _simulate(
    seed: int, pairs: int, prior: float, m: list[list[float]], u: list[list[float]]
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    matches = rng.random(pairs) < prior
    columns = []
    for m_c, u_c in zip(m, u, strict=True):
        drawn_m = rng.choice(len(m_c), size=pairs, p=m_c)
        drawn_u = rng.choice(len(u_c), size=pairs, p=u_c)
        columns.append(np.where(matches, drawn_m, drawn_u))
    return np.stack(columns, axis=1).astype(np.int16)


def test_em_recovers_known_m_and_prior_on_synthetic_levels() -> None:
    m = [[0.85, 0.1, 0.05], [0.9, 0.1], [0.7, 0.2, 0.1]]
    u = [[0.01, 0.09, 0.9], [0.05, 0.95], [0.02, 0.08, 0.9]]
    matrix = _simulate(7, 60_000, 0.1, m, u)
    rows, counts, inverse = _em.patterns(matrix)
    assert counts.sum() == 60_000
    assert (rows[inverse] == matrix).all()
    starts = [_em.starting_m(3), _em.starting_m(2), _em.starting_m(3)]
    found, prior = _em.em(rows, counts, starts, [np.array(p) for p in u], 0.3, [0, 1, 2])
    assert abs(prior - 0.1) < 0.01
    for got, want in zip(found, m, strict=True):
        assert np.allclose(got, want, atol=0.03)


def test_null_levels_carry_no_evidence() -> None:
    rows = np.array([[0, 2], [2, 2]], dtype=np.int16)  # level 2 is null for both
    tables = [np.array([0.5, 0.5]), np.array([0.2, 0.8])]
    assert _em.log_likelihoods(rows, tables, [0, 1]).tolist() == [-1.0, 0.0]


def test_u_from_frequencies_leaves_nulls_out() -> None:
    column = np.array([0, 1, 1, 1, 2, 2, 2, 2], dtype=np.int16)
    found = _em.level_frequencies(column, 2, None)
    assert found[0] < found[1]
    assert np.isclose(found.sum(), 1.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=8))
def test_clamp_keeps_probabilities_inside_zero_and_one(values: list[float]) -> None:
    found = _em.clamp(np.abs(np.array(values)))
    assert np.isclose(found.sum(), 1.0)
    assert (found > 0).all()
    assert (found < 1).all() or len(values) == 1


def test_em_on_nothing_returns_its_start() -> None:
    rows = np.zeros((0, 1), dtype=np.int16)
    m, prior = _em.em(rows, np.zeros(0), [_em.starting_m(2)], [np.array([0.1, 0.9])], 0.2, [0])
    assert prior == 0.2
    assert np.allclose(m[0], _em.starting_m(2))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(st.integers(-40, 40), min_size=3, max_size=3), min_size=1, max_size=40),
    st.booleans(),
)
def test_patterns_are_numpys_distinct_rows_in_their_order(
    rows: list[list[int]], wide: bool
) -> None:
    matrix = np.array(rows, dtype=np.int16)
    if wide:  # columns too wide for one integer key: the plain distinct rows
        matrix = np.column_stack([matrix] * 8).astype(np.int16) * 800
    found, counts, inverse = _em.patterns(matrix)
    unique, expected_inverse, expected_counts = np.unique(
        matrix, axis=0, return_inverse=True, return_counts=True
    )
    assert found.tolist() == unique.tolist()
    assert counts.tolist() == expected_counts.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([np.int8, np.int16, np.int32, np.int64]),
            st.integers(-(10**12), 10**12),
            st.sampled_from([1, 2, 3, 7, 300, 70_000]),
        ),
        min_size=1,
        max_size=5,
    ),
    st.integers(1, 60),
    st.randoms(use_true_random=False),
    st.sampled_from([None, 1 << 18, 1 << 20]),
)
def test_ranks_are_those_of_numpys_distinct_rows_for_columns_of_any_width_and_start(
    shapes: list[tuple[type[np.integer], int, int]], rows: int, random: Any, room: int | None
) -> None:
    columns = []
    for kind, low, width in shapes:
        info = np.iinfo(kind)
        width = min(width, int(info.max) - int(info.min))  # the column's values fit its type
        start = min(max(low, int(info.min)), int(info.max) - width)
        values = [start + random.randrange(width) for _ in range(rows)]
        columns.append(np.array(values, dtype=kind))
    found = _em._ranks(columns, rows, room)
    if found is None:  # too wide to count: the product of the widths passes the counters
        bins = min(1 << 22, max(4 * (rows if room is None else room), 1 << 12))
        assert math.prod(int(c.max()) - int(c.min()) + 1 for c in columns) > bins
        return
    codes, counts = found
    stacked = np.column_stack([c.astype(np.int64) for c in columns])
    _, inverse, expected = np.unique(stacked, axis=0, return_inverse=True, return_counts=True)
    assert codes.dtype == np.int64
    assert codes.tolist() == inverse.reshape(-1).tolist()
    assert counts.tolist() == expected.tolist()


def test_patterns_of_rows_too_wide_to_count_are_still_numpys_distinct_rows() -> None:
    matrix = np.array([[-30000] * 6, [30000] * 6, [-30000] * 6, [0] * 6], dtype=np.int16)
    assert _em._ranks([matrix[:, c] for c in range(6)], 4) is None
    found, counts, inverse = _em.patterns(matrix)
    assert found.tolist() == [[-30000] * 6, [0] * 6, [30000] * 6]
    assert counts.tolist() == [2, 1, 1]
    assert inverse.tolist() == [0, 2, 0, 1]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 6), min_size=4, max_size=4), min_size=0, max_size=60),
    st.lists(st.integers(-300, 300), min_size=60, max_size=60),
    st.booleans(),
)
def test_patterns_with_a_last_column_apart_are_those_of_the_stacked_rows(
    rows: list[list[int]], extra: list[int], wide: bool
) -> None:
    matrix = np.array(rows, dtype=np.int8).reshape(len(rows), 4)
    shift = np.array(extra[: len(rows)], dtype=np.int16)
    if wide:  # too wide for one integer key: read by NumPy's distinct rows
        matrix = np.column_stack([matrix] * 6)
        shift = shift * 100
    found, counts, inverse, extras = _em.patterns_with(matrix, shift)
    expected, expected_counts, expected_inverse = _em.patterns(
        np.column_stack((matrix, shift)).astype(np.int16)
    )
    assert extras is not None
    assert found.dtype == np.int16
    assert found.tolist() == expected[:, :-1].tolist()
    assert extras.tolist() == expected[:, -1].tolist()
    assert counts.tolist() == expected_counts.tolist()
    assert inverse.tolist() == expected_inverse.tolist()
    alone = _em.patterns_with(matrix, None)
    assert alone[3] is None
    assert [part.tolist() for part in alone[:3]] == [part.tolist() for part in _em.patterns(matrix)]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 6), min_size=5, max_size=5), min_size=0, max_size=60),
    st.lists(st.integers(-300, 300), min_size=60, max_size=60),
    st.sets(st.integers(0, 4)),
    st.booleans(),
)
def test_patterns_of_some_columns_are_those_of_the_columns_alone(
    rows: list[list[int]], extra: list[int], chosen: set[int], shifted: bool
) -> None:
    matrix = np.array(rows, dtype=np.int16).reshape(len(rows), 5)
    shift = np.array(extra[: len(rows)], dtype=np.int16) if shifted else None
    columns = sorted(chosen)
    found, counts, inverse, extras = _em.patterns_with(matrix, shift, columns)
    alone = matrix[:, columns] if shift is None else np.column_stack((matrix[:, columns], shift))
    expected, expected_counts, expected_inverse = _em.patterns(alone.astype(np.int16))
    if len(rows):
        width = len(columns)
        assert found[:, columns].tolist() == expected[:, :width].tolist()
        others = [c for c in range(5) if c not in chosen]
        assert (found[:, others] == -1).all()
        assert (extras is None) == (shift is None)
        if extras is not None:
            assert extras.tolist() == expected[:, -1].tolist()
    assert counts.tolist() == expected_counts.tolist()
    assert inverse.tolist() == expected_inverse.tolist()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 6), min_size=5, max_size=5), min_size=0, max_size=60),
    st.lists(st.lists(st.integers(-30, 30), min_size=60, max_size=60), min_size=0, max_size=3),
    st.lists(st.booleans(), min_size=60, max_size=60),
    st.sets(st.integers(0, 4)),
    st.integers(-1, 2),
    st.booleans(),
)
def test_patterns_of_the_distinct_rows_are_those_of_the_chosen_rows(
    rows: list[list[int]],
    extras: list[list[int]],
    picked: list[bool],
    chosen: set[int],
    extra: int,
    wide: bool,
) -> None:
    matrix = np.array(rows, dtype=np.int16).reshape(len(rows), 5)
    shifts = [np.array(values[: len(rows)], dtype=np.int16) for values in extras]
    if wide:  # too wide to count: no table (the fit then reads each run's rows alone)
        shifts = [shift * 100 for shift in shifts]
    place = extra if 0 <= extra < len(shifts) else None
    mask = np.array(picked[: len(rows)], dtype=np.bool_)
    table = _em.distinct_rows(matrix, shifts)
    if table is None:  # the levels alone are never too wide: their adjustments were
        assert shifts
        return
    codes, distinct, width = table
    assert width == 5
    if len(rows):  # each row's number names its values
        assert distinct[codes].tolist() == np.column_stack([matrix, *shifts]).tolist()
    found = _em.patterns_of(table, mask, sorted(chosen), place)
    expected = _em.patterns_with(
        matrix[mask], None if place is None else shifts[place][mask], sorted(chosen)
    )
    assert found[0].dtype == np.int16
    assert [None if part is None else part.tolist() for part in found] == [
        None if part is None else part.tolist() for part in expected
    ]


def test_em_keeps_a_prior_below_epsilon_when_its_floor_allows() -> None:
    # one pattern of 1,000,000 pairs looks like a match: a share of 1e-6
    rows = np.array([[0], [1]], dtype=np.int16)
    counts = np.array([1.0, 999_999.0])
    u = [np.array([1e-9, 1 - 1e-9])]
    m = [np.array([0.99, 0.01])]
    _, held = _em.em(rows, counts, m, u, 0.1, [0], fit_m=False)
    _, free = _em.em(rows, counts, m, u, 0.1, [0], fit_m=False, min_prior=1e-9)
    assert held == pytest.approx(_em.EPSILON)
    assert 5e-7 < free < 2e-6


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([0.0, -0.0, 1.0, _em.EPSILON, 1 - _em.EPSILON]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_clamp_gives_the_values_of_clip_with_nan_taken_for_epsilon(values: list[float]) -> None:
    given_values = np.array(values, dtype=np.float64)
    clipped = np.clip(np.nan_to_num(given_values, nan=_em.EPSILON), _em.EPSILON, 1 - _em.EPSILON)
    with np.errstate(all="ignore"):
        expected = clipped / clipped.sum()
    assert np.array_equal(_em.clamp(given_values), expected, equal_nan=True)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0) | st.just(float("nan")), min_size=2, max_size=8),
    st.floats(1e-12, _em.EPSILON),
)
def test_clamp_keeps_each_probability_above_its_own_floor(values: list[float], low: float) -> None:
    # NaN is taken for its own floor, as nan_to_num would with that probability's floor
    given_values = np.array(values, dtype=np.float64)
    floors = np.full(len(values), _em.EPSILON)
    floors[0] = low
    filled = np.where(np.isnan(given_values), floors, given_values)
    clipped = np.clip(filled, floors, 1 - _em.EPSILON)
    with np.errstate(all="ignore"):
        expected = clipped / clipped.sum()
    assert np.array_equal(_em.clamp(given_values, floors), expected, equal_nan=True)
