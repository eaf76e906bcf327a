"""Spreadsheet serial numbers: the days since 1899-12-30 that spreadsheets store dates as.

A spreadsheet exported without formatting writes ``32937`` for 1990-03-05 and ``32937.5``
for noon that day. Serial numbers are read only when the converter is asked to
(``spreadsheet_dates``): otherwise a number where a date is expected is refused. Serial 60 is
the 29th of February 1900 that never was (a bug kept for compatibility since Lotus 1-2-3):
it is refused, and serials before it are read one day later, as the spreadsheet shows them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from crmcore.errors import InvalidValueError

__all__ = ["SERIAL_TEXT", "serial_date", "serial_instant"]

SERIAL_TEXT = re.compile(r"[1-9][0-9]{4}(?:\.[0-9]+)?\Z")
"""A serial number written as text: five digits (from 1927-05-18 to 2173-10-14), perhaps a
fraction of a day. Other digits are a year (``1990``), a compact date (``050390``, read as
before) or ISO basic (``19900305``), never read as a serial."""
_EPOCH = datetime(1899, 12, 30)
_LAST = 2958465
"""The serial of 9999-12-31."""
_LEAP_BUG = 60


def _days(value: int | float | Decimal | str) -> Decimal:
    number = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    if not number.is_finite() or number < 1 or number >= _LAST + 1:
        raise InvalidValueError("not a spreadsheet serial date", code="date.invalid")
    if number.to_integral_value(rounding="ROUND_FLOOR") == _LEAP_BUG:
        raise InvalidValueError("not a valid date", code="date.invalid")
    return number + 1 if number < _LEAP_BUG else number


def serial_instant(value: int | float | Decimal | str) -> datetime:
    """The moment a serial number stands for, at the microsecond, with no time zone."""
    days = _days(value)
    whole = int(days)
    micros = int(((days - whole) * 86_400_000_000).to_integral_value())
    return _EPOCH + timedelta(days=whole, microseconds=micros)


def serial_date(value: int | float | Decimal | str) -> date:
    """The date a serial number stands for; a fraction of a day is a time, refused."""
    instant = serial_instant(value)
    if instant.time() != datetime.min.time():
        raise InvalidValueError("expected a date, got a time of day", code="date.has_time")
    return instant.date()
