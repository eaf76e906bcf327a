"""The caller's calendar: weekends and holidays, nothing guessed."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore.errors import InvalidValueError
from crmcore.privacy import Calendar


def test_the_default_calendar_is_saturday_and_sunday_without_holidays() -> None:
    calendar = Calendar()
    assert calendar.weekend == (5, 6)
    assert calendar.holidays == ()
    assert calendar.is_working_day(date(2026, 12, 25))  # Christmas is not guessed
    assert not calendar.is_working_day(date(2026, 12, 26))


def test_holidays_are_sorted_unique_dates() -> None:
    calendar = Calendar(holidays=[date(2026, 5, 1), date(2026, 1, 1), date(2026, 5, 1)])
    assert calendar.holidays == (date(2026, 1, 1), date(2026, 5, 1))
    assert not calendar.is_working_day(date(2026, 5, 1))


def test_rest_days_replace_the_weekend_for_one_question() -> None:
    saturday = date(2026, 3, 14)
    assert not Calendar().is_working_day(saturday)
    assert Calendar().is_working_day(saturday, rest_days=(6,))
    assert Calendar().next_working_day(date(2026, 3, 15), rest_days=(6,)) == date(2026, 3, 16)


def test_add_working_days_skips_weekends_and_holidays() -> None:
    calendar = Calendar(holidays=[date(2026, 2, 16)])
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 17)
    assert calendar.add_working_days(date(2026, 2, 13), 0) == date(2026, 2, 13)


@pytest.mark.parametrize(
    ("holidays", "weekend"),
    [
        ([datetime(2026, 1, 1, tzinfo=timezone.utc)], (5, 6)),
        ("2026-01-01", (5, 6)),
        (None, (5, 6)),
        ((), (0, 1, 2, 3, 4, 5, 6)),
        ((), (7,)),
        ((), "56"),
        ((), (True,)),
    ],
)
def test_bad_calendars_are_refused_naming_the_argument(holidays: object, weekend: object) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Calendar(holidays=holidays, weekend=weekend)  # type: ignore[arg-type]
    assert caught.value.field in ("holidays", "weekend")


@given(
    holidays=st.lists(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))),
    weekend=st.sets(st.integers(0, 6), max_size=6),
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
)
def test_next_working_day_is_the_first_working_day_on_or_after(
    holidays: list[date], weekend: set[int], day: date
) -> None:
    calendar = Calendar(holidays=holidays, weekend=weekend)
    found = calendar.next_working_day(day)
    assert found >= day
    assert calendar.is_working_day(found)
    assert all(
        not calendar.is_working_day(date.fromordinal(ordinal))
        for ordinal in range(day.toordinal(), found.toordinal())
    )
