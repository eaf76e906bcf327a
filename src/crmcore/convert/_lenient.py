"""Lenient readers of scalar values from ETL sources: text, numbers, booleans, enums, dates.

Each reader takes a raw value and returns the typed value or raises
:class:`~crmcore.errors.InvalidValueError` with a reason that never quotes the value.
Lenient never means inventing data: an ISO date is read as ISO whatever the day-first option,
a partial date is refused rather than completed, and a two-digit year is resolved only against
an explicit ``as_of`` instant (never the clock), with birth dates kept out of the future.
"""

from __future__ import annotations

import enum
import functools
import math
import re
from datetime import date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from dateutil import parser as dateparser

from crmcore.convert._quick_dates import quick_date
from crmcore.errors import InvalidValueError

E = TypeVar("E", bound=enum.Enum)

_SURROGATE = re.compile("[\ud800-\udfff]")
_INT = re.compile(r"[+-]?[0-9]+\Z")
_YEAR_FIRST = re.compile(r"([0-9]{4})[/.]([0-9]{1,2})[/.]([0-9]{1,2})\Z")
_ISO_LIKE = re.compile(r"[0-9]{4}-[0-9]{2}")
_TRUE = frozenset({"true", "t", "yes", "y", "1", "on", "oui", "o", "x"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "off", "non"})
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)


def is_blank(value: object) -> bool:
    """Whether ``value`` stands for a missing value: ``None`` or blank text."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value: object) -> str:
    """Read text; numbers are accepted (a postal code read as a number), nothing else.

    Text holding a lone surrogate is not valid Unicode and is refused.
    """
    if isinstance(value, str):
        if not value.isascii() and _SURROGATE.search(value):
            raise InvalidValueError("invalid Unicode: lone surrogate")
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    raise InvalidValueError("expected text")


def read_int(value: object) -> int:
    """Read a whole number from an int, an integral float or a string of digits."""
    if isinstance(value, bool):
        raise InvalidValueError("expected a whole number, not a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT.match(value.strip()):
        return int(value.strip())
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    raise InvalidValueError("expected a whole number")


def read_float(value: object) -> float:
    """Read a finite number; a string may end in '%' (``"35%"`` reads as 0.35)."""
    if isinstance(value, bool):
        raise InvalidValueError("expected a number, not a boolean")
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        scale = 1.0
        if text.endswith("%"):
            text, scale = text[:-1].strip(), 100.0
        try:
            number = float(text) / scale
        except ValueError:
            raise InvalidValueError("expected a number") from None
    else:
        raise InvalidValueError("expected a number")
    if not math.isfinite(number):
        raise InvalidValueError("expected a finite number")
    return number


def read_decimal(value: object) -> Decimal:
    """Read an exact decimal; a float is read through its shortest repr, never its binary value."""
    if isinstance(value, bool):
        raise InvalidValueError("expected an amount, not a boolean")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidValueError("expected an amount") from None
    else:
        raise InvalidValueError("expected an amount")
    if not number.is_finite():
        raise InvalidValueError("expected a finite amount")
    return number


def read_bool(value: object) -> bool:
    """Read a boolean from a bool, 0 or 1, or words such as yes/no, true/false, oui/non."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise InvalidValueError("expected yes or no")


def _enum_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


@functools.cache
def _enum_index(kind: type[enum.Enum]) -> dict[str, enum.Enum]:
    index: dict[str, enum.Enum] = {}
    for member in kind:
        index[_enum_key(member.name)] = member
        if isinstance(member.value, str):
            index[_enum_key(member.value)] = member
    return index


def read_enum(value: object, kind: type[E]) -> E:
    """Read an enum member by value, or leniently by name or value in any case and spacing."""
    try:
        return kind(value)
    except ValueError:
        pass
    if isinstance(value, str):
        found = _enum_index(kind).get(_enum_key(value))
        if found is not None:
            return found  # type: ignore[return-value]
    allowed = ", ".join(str(member.value) for member in kind)
    raise InvalidValueError(f"expected one of: {allowed}")


class _DateContext(dateparser.parserinfo):
    """Parser settings that resolve two-digit years against ``as_of``, never the clock."""

    def __init__(self, dayfirst: bool, pivot_year: int | None) -> None:
        super().__init__(dayfirst=dayfirst)
        self._pivot = pivot_year

    def convertyear(self, year: int, century_specified: bool = False) -> int:
        if year >= 100 or century_specified:
            return year
        if self._pivot is None:
            raise InvalidValueError("two-digit year: give a four-digit year or an as_of instant")
        year += self._pivot // 100 * 100
        if year >= self._pivot + 50:
            year -= 100
        elif year < self._pivot - 50:
            year += 100
        return year


@functools.lru_cache(maxsize=64)
def _context(dayfirst: bool, pivot_year: int | None) -> _DateContext:
    return _DateContext(dayfirst, pivot_year)


def _free_form(text: str, dayfirst: bool, as_of: datetime | None) -> datetime:
    info = _context(dayfirst, as_of.year if as_of else None)
    try:
        first = dateparser.parse(text, info, default=_DEFAULT_A)
        second = dateparser.parse(text, info, default=_DEFAULT_B)
    except InvalidValueError:
        raise
    except (ValueError, OverflowError):
        raise InvalidValueError("not a date") from None
    if first.date() != second.date():
        raise InvalidValueError("incomplete date: day, month and year are all needed")
    return first


def _two_digit_year(text: str, year: int) -> bool:
    return str(year) not in text


def read_date(
    value: object, *, dayfirst: bool = False, as_of: datetime | None = None, past: bool = False
) -> date:
    """Read a calendar date.

    ISO 8601 text is read as ISO, and so is year-first text such as ``1985/04/03`` whatever
    ``dayfirst`` says. The common complete forms (``03/04/1985``, ``3 April 1985``) are read
    directly as dateutil would read them. Other text goes through dateutil with ``dayfirst``; a
    two-digit year is resolved within 50 years of ``as_of`` and, with ``past``, never after it.
    A time of day other than midnight is refused rather than dropped.
    """
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise InvalidValueError("expected a date, got a time of day")
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidValueError("expected a date")
    text = value.strip()
    if _ISO_LIKE.match(text):
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            instant = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidValueError("not a valid ISO 8601 date") from None
        return read_date(instant)
    year_first = _YEAR_FIRST.match(text)
    if year_first:
        try:
            return date(*(int(part) for part in year_first.groups()))
        except ValueError:
            raise InvalidValueError("not a valid date") from None
    quick = quick_date(text, dayfirst)  # the common complete forms, without dateutil
    if quick is not None:
        return quick
    return free_form_date(text, dayfirst=dayfirst, as_of=as_of, past=past)


def free_form_date(
    text: str, *, dayfirst: bool = False, as_of: datetime | None = None, past: bool = False
) -> date:
    """Read a date that is neither ISO nor year first through dateutil (:func:`read_date`)."""
    parsed = _free_form(text, dayfirst, as_of)
    if parsed.time() != time(0) or parsed.tzinfo is not None:
        raise InvalidValueError("expected a date, got a time of day")
    result = parsed.date()
    if past and as_of is not None and result > as_of.date() and _two_digit_year(text, result.year):
        try:
            result = result.replace(year=result.year - 100)
        except ValueError:
            raise InvalidValueError("two-digit year with no past date to match") from None
    return result


def read_datetime(
    value: object,
    *,
    dayfirst: bool = False,
    as_of: datetime | None = None,
    assume_tz: tzinfo | None = None,
) -> datetime:
    """Read a timezone-aware instant.

    ISO 8601 text is read as ISO; other text goes through dateutil with ``dayfirst``. A value
    with no timezone is refused unless ``assume_tz`` says which one to read it in.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if _ISO_LIKE.match(text):
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise InvalidValueError("not a valid ISO 8601 date and time") from None
        else:
            parsed = _free_form(text, dayfirst, as_of)
    else:
        raise InvalidValueError("expected a date and time")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        if assume_tz is None:
            raise InvalidValueError("no timezone: give an offset or set assume_tz")
        parsed = parsed.replace(tzinfo=assume_tz)
    return parsed


def read_any(value: Any) -> Any:
    """Return ``value`` unchanged (the identity reader)."""
    return value
