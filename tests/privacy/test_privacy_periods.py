"""Periods and month arithmetic."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore.errors import InvalidValueError
from crmcore.privacy import Calendar, Period
from crmcore.privacy.periods import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
    ],
)
def test_add_months_keeps_the_date_or_takes_the_months_last_day(
    day: date, months: int, expected: date
) -> None:
    """Regulation 1182/71 Art. 3(2)(c)."""
    assert add_months(day, months) == expected


@given(day=st.dates(max_value=date(9000, 1, 1)), months=st.integers(0, 240))
def test_add_months_lands_in_the_right_month_on_the_closest_date(day: date, months: int) -> None:
    found = add_months(day, months)
    assert (found.year * 12 + found.month) - (day.year * 12 + day.month) == months
    assert found.day == day.day or found.day < day.day


def test_period_plus_adds_in_the_same_unit_only() -> None:
    assert Period(45, "days").plus(Period(45, "days")) == Period(90, "days")
    with pytest.raises(InvalidValueError):
        Period(1, "months").plus(Period(30, "days"))


def test_period_end_counts_after_the_anchor() -> None:
    calendar = Calendar()
    assert Period(10, "days").end(date(2026, 3, 2), calendar) == date(2026, 3, 12)
    assert Period(5, "business_days").end(date(2026, 3, 6), calendar) == date(2026, 3, 13)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(-1, "days"), (1.5, "days"), (True, "days"), (40_000, "days"), (1, "weeks"), ("1", "days")],
)
def test_bad_periods_are_refused(amount: object, unit: object) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Period(amount, unit)  # type: ignore[arg-type]
    assert caught.value.field in ("amount", "unit")
