"""The caller's working calendar: which days are weekends and which are public holidays.

crmcore guesses no holiday: public holidays differ by country, state and year, and the law that
counts a deadline names whose holidays count (the controller's, the member state's). Pass them.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable

import attrs

from crmcore.errors import InvalidValueError

__all__ = ["Calendar"]


def _holidays(value: Iterable[_dt.date]) -> tuple[_dt.date, ...]:
    if isinstance(value, (str, bytes, _dt.date)):
        raise InvalidValueError("expected an iterable of dates", field="holidays")
    try:
        days = tuple(value)
    except TypeError:
        raise InvalidValueError("expected an iterable of dates", field="holidays") from None
    if not all(type(day) is _dt.date for day in days):
        raise InvalidValueError("every holiday is a date (not a datetime)", field="holidays")
    return tuple(sorted(set(days)))


def _weekend(value: Iterable[int]) -> tuple[int, ...]:
    if isinstance(value, (str, bytes)):
        raise InvalidValueError("expected weekday numbers, Monday 0 to Sunday 6", field="weekend")
    try:
        days = tuple(value)
    except TypeError:
        raise InvalidValueError(
            "expected weekday numbers, Monday 0 to Sunday 6", field="weekend"
        ) from None
    if not all(type(day) is int and 0 <= day <= 6 for day in days):
        raise InvalidValueError("expected weekday numbers, Monday 0 to Sunday 6", field="weekend")
    found = tuple(sorted(set(days)))
    if len(found) == 7:
        raise InvalidValueError("a week needs at least one working day", field="weekend")
    return found


@attrs.frozen
class Calendar:
    """Weekend days (Monday is 0, Sunday 6) and public holidays, for counting deadlines.

    ``Calendar()`` has Saturday and Sunday as weekend and no holiday; holidays are the caller's.

    >>> from datetime import date
    >>> easter = Calendar(holidays=[date(2026, 4, 3), date(2026, 4, 6)])
    >>> easter.next_working_day(date(2026, 4, 3))
    datetime.date(2026, 4, 7)
    >>> Calendar().add_working_days(date(2026, 1, 30), 1)
    datetime.date(2026, 2, 2)
    """

    holidays: tuple[_dt.date, ...] = attrs.field(default=(), converter=_holidays)
    weekend: tuple[int, ...] = attrs.field(default=(5, 6), converter=_weekend)

    def is_working_day(self, day: _dt.date, rest_days: tuple[int, ...] | None = None) -> bool:
        """Whether ``day`` is neither a weekend day nor a holiday.

        ``rest_days``, when given, replaces the weekend: a law may let a period end on a
        Saturday (then ``rest_days=(6,)``) whatever the calendar's weekend.
        """
        weekend = self.weekend if rest_days is None else rest_days
        return day.weekday() not in weekend and day not in self._holiday_set

    def next_working_day(self, day: _dt.date, rest_days: tuple[int, ...] | None = None) -> _dt.date:
        """``day`` if it is a working day, else the first working day after it."""
        # A week holds a working day unless a holiday falls on it: this many days always do.
        for _ in range(7 * (len(self.holidays) + 1)):
            if self.is_working_day(day, rest_days):
                return day
            day += _dt.timedelta(days=1)
        raise InvalidValueError("no working day left", field="rest_days")

    def add_working_days(self, day: _dt.date, count: int) -> _dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
        if type(count) is not int or count < 0:
            raise InvalidValueError("expected a whole number of days, 0 or more", field="count")
        found = day
        for _ in range(count):
            found = self.next_working_day(found + _dt.timedelta(days=1))
        return found

    @property
    def _holiday_set(self) -> frozenset[_dt.date]:
        return _holiday_set(self.holidays)


@functools.lru_cache(maxsize=64)
def _holiday_set(holidays: tuple[_dt.date, ...]) -> frozenset[_dt.date]:
    return frozenset(holidays)
