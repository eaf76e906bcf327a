"""Periods of time a law gives to answer a request, and how they are counted from a day.

A :class:`Period` is an amount of ``days`` (calendar days), ``business_days`` (working days of
the caller's :class:`~crmcore.privacy.Calendar`) or ``months``.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as _dt
from typing import Literal, get_args

import attrs

from crmcore.errors import InvalidValueError
from crmcore.privacy.calendar import Calendar

__all__ = [
    "Period",
    "Unit",
]

Unit = Literal["days", "business_days", "months"]
"""The units a :class:`Period` counts in."""

_UNITS: tuple[str, ...] = get_args(Unit)

#: Longer than any law's period (a century of days): a typo, not a deadline.
_MAX_AMOUNT = 36_500


def _amount(value: int) -> int:
    if type(value) is not int or not 0 <= value <= _MAX_AMOUNT:
        raise InvalidValueError(f"expected a whole number from 0 to {_MAX_AMOUNT}", field="amount")
    return value


def _unit(value: str) -> str:
    if value not in _UNITS:
        raise InvalidValueError("expected days, business_days or months", field="unit")
    return value


@attrs.frozen
class Period:
    """A length of time: ``amount`` of ``unit`` (``"days"``, ``"business_days"``, ``"months"``).

    >>> Period(45, "days"), Period(1, "months").plus(Period(2, "months"))
    (Period(amount=45, unit='days'), Period(amount=3, unit='months'))
    """

    amount: int = attrs.field(converter=_amount)
    unit: Unit = attrs.field(converter=_unit)

    def plus(self, other: Period) -> Period:
        """This period lengthened by ``other``, counted in the same unit.

        An extension is counted from the same start as the period it extends (three months
        from receipt, not two months from the end of the first): the ICO's reading of GDPR
        Art. 12(3), and CCPA regs § 7021(b)'s "maximum total of 90 calendar days".
        """
        if not isinstance(other, Period):
            raise InvalidValueError("expected a Period", field="other")
        if other.unit != self.unit:
            raise InvalidValueError("an extension is counted in its period's unit", field="unit")
        return Period(self.amount + other.amount, self.unit)

    def end(self, anchor: _dt.date, calendar: Calendar) -> _dt.date:
        """The last day of the period counted from ``anchor``, a day that is not counted.

        Days and business days are counted after ``anchor``; months end on the day of the
        same date as ``anchor``, or on the last day of the month when it has no such date
        (Regulation 1182/71 Art. 3(2)(c)). No roll to a working day here: that is the
        regime's rule.
        """
        if self.unit == "days":
            return anchor + _dt.timedelta(days=self.amount)
        if self.unit == "business_days":
            return calendar.add_working_days(anchor, self.amount)
        return add_months(anchor, self.amount)


def add_months(day: _dt.date, months: int) -> _dt.date:
    """The day of the same date ``months`` later, or the last day of that month if it is shorter.

    >>> add_months(_dt.date(2026, 1, 31), 1), add_months(_dt.date(2024, 1, 31), 1)
    (datetime.date(2026, 2, 28), datetime.date(2024, 2, 29))
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not _dt.MINYEAR <= year <= _dt.MAXYEAR:
        raise OverflowError("date value out of range")
    last = _calendar.monthrange(year, month + 1)[1]
    return _dt.date(year, month + 1, min(day.day, last))
