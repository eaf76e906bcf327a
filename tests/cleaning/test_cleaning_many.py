"""Cleaning many records: the same results, in the same order, with one process or two."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import Contact, InvalidValueError, WorkerError
from crmcore.cleaning import (
    CleaningContext,
    CleaningError,
    clean,
    clean_many,
    clean_raw,
    clean_raw_many,
)
from crmcore.testing import strategies as crm_st
from crmcore.testing.synthetic import messy_dataset

AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)
CTX = CleaningContext(as_of=AS_OF, default_region="GB", dayfirst=True, assume_tz=timezone.utc)
ROWS = messy_dataset(7, AS_OF, contacts=60, accounts=1, deals=1, activities=1).contacts


def _cleanable(row: object) -> bool:
    try:
        clean_raw(Contact, row, CTX)  # type: ignore[arg-type]
    except CleaningError:
        return False
    return True


GOOD_ROWS = [row for row in ROWS if _cleanable(row)]


@pytest.mark.parametrize("chunk_size", [1, 4, 500])
def test_clean_raw_many_matches_one_row_at_a_time(chunk_size: int) -> None:
    expected = [clean_raw(Contact, row, CTX) for row in GOOD_ROWS]
    one = list(clean_raw_many(Contact, GOOD_ROWS, CTX, chunk_size=chunk_size))
    two = list(clean_raw_many(Contact, GOOD_ROWS, CTX, workers=2, chunk_size=chunk_size))
    assert one == expected
    assert two == expected
    assert any(result.quarantine for result in two)  # the rows are messy enough to matter


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(crm_st.contacts(), max_size=8))
def test_clean_many_matches_clean_with_two_workers(contacts: list[Contact]) -> None:
    expected = [clean(contact, CTX) for contact in contacts]
    assert list(clean_many(contacts, CTX, workers=2, chunk_size=3)) == expected


def test_a_row_without_id_names_its_place_with_two_workers() -> None:
    rows = [*GOOD_ROWS[:5], {"identity": {}}, *GOOD_ROWS[5:8]]
    with pytest.raises(WorkerError) as caught:
        list(clean_raw_many(Contact, rows, CTX, workers=2, chunk_size=2))
    assert caught.value.row == 5
    assert isinstance(caught.value.__cause__, CleaningError)
    with pytest.raises(CleaningError):
        list(clean_raw_many(Contact, rows, CTX, workers=1))


def test_progress_across_workers() -> None:
    seen: list[int] = []
    list(
        clean_raw_many(Contact, GOOD_ROWS[:10], CTX, workers=2, chunk_size=4, progress=seen.append)
    )
    assert seen == [4, 8, 10]


def test_bad_arguments_are_refused_before_any_work() -> None:
    with pytest.raises(InvalidValueError):
        clean_raw_many(dict, GOOD_ROWS)  # type: ignore[type-var]
    with pytest.raises(InvalidValueError):
        clean_many([], ctx="GB")  # type: ignore[arg-type]
