"""frames._cells.plain: every missing marker is None, every numpy or pandas scalar plain Python."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore.frames._cells import plain


@pytest.mark.parametrize(
    "missing", [None, float("nan"), np.nan, np.float64("nan"), pd.NA, pd.NaT, np.datetime64("NaT")]
)
def test_every_missing_marker_is_none(missing: Any) -> None:
    assert plain(missing) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.int64(12), 12),
        (np.float64(1.5), 1.5),
        (np.bool_(True), True),
        (pd.Timestamp("2020-03-05 10:30"), datetime(2020, 3, 5, 10, 30)),
        (np.datetime64("2020-03-05T10:30"), datetime(2020, 3, 5, 10, 30)),
        (np.array(["a", "b"]), ["a", "b"]),
        ("text", "text"),
    ],
)
def test_numpy_and_pandas_scalars_become_python_values(value: Any, expected: Any) -> None:
    result = plain(value)
    assert result == expected
    assert type(result) is type(expected)


@given(st.integers(-(2**63), 2**63 - 1))
def test_an_int64_reads_as_the_same_int(number: int) -> None:
    result = plain(np.int64(number))
    assert result == number
    assert type(result) is int


@given(
    st.recursive(st.none() | st.text() | st.integers(), lambda inner: st.lists(inner, max_size=3))
)
def test_plain_values_are_left_as_they_are(value: Any) -> None:
    assert plain(value) == value
