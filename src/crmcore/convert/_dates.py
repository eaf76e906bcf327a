"""Lenient readers of dates and instants: ISO and year-first text first, never reinterpreted.

Lenient never means inventing data: ISO 8601 and other year-first text (``19560409``,
``1956-4-9``, ``1956 04 09``) is read year, month, day whatever the day-first option, and an
impossible one is refused; a partial date is refused rather than completed; a two-digit year
is resolved only against an explicit ``as_of`` instant (never the clock), with birth dates
kept out of the future; a zone is read the same on every machine. Text longer than a date
can be is refused before it is parsed, and no exception raised here has dateutil's own
(which quote the text) in its chain.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal

from dateutil import parser as dateparser

from crmcore.convert import _limits as limits
from crmcore.convert._limits import text_within
from crmcore.convert._missing import plain
from crmcore.convert._months import english_months
from crmcore.convert._quick_dates import quick_date
from crmcore.convert._serials import SERIAL_TEXT, serial_date, serial_instant
from crmcore.errors import InvalidValueError

__all__ = ["free_form_date", "read_date", "read_datetime"]

_YEAR_FIRST = re.compile(
    r"(?P<year>[0-9]{4})"
    r"(?:(?P<sep>[-/. ])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
    r"|(?P<cmonth>[0-9]{2})(?P<cday>[0-9]{2}))"
    r"(?:(?:[T ]|(?<=[0-9]{8})(?=[0-9]))(?P<rest>.+))?\Z",
    re.DOTALL,
)
"""Year-first text: a four-digit year, then month and day with one separator or none, then
perhaps a time of day (after ``T``, a space, or directly after the compact form)."""
_BASIC_TIME = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})?(?![0-9:])")
_SPACES = re.compile(r"\s+")
_ISO_LIKE = re.compile(r"[0-9]{4}-[0-9]{2}")
_LETTER = re.compile(r"[^\W\d_]")
_ISO_BASIC_MIN, _ISO_BASIC_MAX = 10000101, 99991231
_NO_SERIALS = "expected a date (set spreadsheet_dates to read spreadsheet serial numbers)"
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)


class _DateContext(dateparser.parserinfo):
    """Parser settings that resolve two-digit years against ``as_of``, never the clock."""

    def __init__(self, dayfirst: bool, pivot_year: int | None) -> None:
        super().__init__(dayfirst=dayfirst)
        self._pivot = pivot_year

    def convertyear(self, year: int, century_specified: bool = False) -> int:
        if year >= 100 or century_specified:
            return year
        if self._pivot is None:
            raise InvalidValueError(
                "two-digit year: give a four-digit year or an as_of instant",
                code="date.two_digit_year",
            )
        year += self._pivot // 100 * 100
        if year >= self._pivot + 50:
            year -= 100
        elif year < self._pivot - 50:
            year += 100
        return year


@functools.lru_cache(maxsize=64)
def _context(dayfirst: bool, pivot_year: int | None) -> _DateContext:
    return _DateContext(dayfirst, pivot_year)


_ZONE = "datetime.zone_name"


class _ZoneError(InvalidValueError):
    """A zone written in a way that cannot be read the same on every machine."""


_UTC_NAMES = frozenset({"UTC", "UT", "Z", "GMT"})
_NAMED_OFFSET = re.compile(r"(?i)(?:UTC|GMT|UT|Z)\s*[+-]\s*[0-9]")


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    """The zone of a parsed text, the same on every machine (dateutil's ``tzinfos``).

    Left to itself, dateutil reads a zone name that matches the machine's own (``CET`` on a
    machine in Paris) as the machine's local zone, and any other name as no zone at all. Here
    an offset is read as written, UTC by its names, and any other name (``EST``, ``CST``:
    several zones share them) is refused.
    """
    if name is not None and name.upper() not in _UTC_NAMES:
        raise _ZoneError("time-zone name: give an offset such as +01:00 instead", code=_ZONE)
    if name is not None and offset:
        raise _ZoneError("a zone name and an offset: give only the offset", code=_ZONE)
    if offset:
        return timezone(timedelta(seconds=offset))
    return timezone.utc if name is not None or offset == 0 else None


def _parse(text: str, info: _DateContext, default: datetime) -> datetime | None:
    """dateutil's reading of ``text``, ``None`` when it has none.

    Its own exceptions quote the text; they are dropped here, never chained to ours.
    ``UTC+3`` is refused: dateutil reads it the POSIX way, three hours *behind* UTC, where
    most people who write it mean ``+03:00``.
    """
    if _NAMED_OFFSET.search(text):
        raise _ZoneError("a zone name and an offset: give only the offset", code=_ZONE)
    try:
        return dateparser.parse(text, info, default=default, tzinfos=_zone)
    except InvalidValueError:  # a two-digit year without as_of: its reason is the answer
        raise
    except (ValueError, OverflowError):
        return None


def _free_form(text: str, dayfirst: bool, as_of: datetime | None) -> datetime:
    text = english_months(text) or text if _LETTER.search(text) else text
    info = _context(dayfirst, as_of.year if as_of else None)
    first = _parse(text, info, _DEFAULT_A)
    second = _parse(text, info, _DEFAULT_B) if first is not None else None
    if first is None or second is None:
        raise InvalidValueError("not a date", code="date.invalid")
    if first.date() != second.date():
        raise InvalidValueError(
            "incomplete date: day, month and year are all needed", code="date.incomplete"
        )
    return first


def _two_digit_year(text: str, year: int) -> bool:
    return str(year) not in text


def _iso(text: str, *, instant: bool) -> date | None:
    """The ISO 8601 reading of ``text`` (a date, or a date and time), ``None`` when it has none.

    Python's reader takes any character between the date and the time (``195604091030``
    would be 03:00); only ``T`` or a space is taken here.
    """
    size = 10 if text[4:5] == "-" else 8
    if len(text) > size and text[size] not in "Tt ":
        return None
    try:
        if not instant and len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _year_first(text: str) -> tuple[date, str] | None:
    """The date of year-first text and the rest of it (a time of day), or ``None``.

    Year-first text (``19560409``, ``1956-4-9``, ``1956/04/09``, ``1956.04.09``,
    ``1956 04 09``) is read year, month, day, whatever ``dayfirst`` says; an impossible one
    is refused, never read another way.
    """
    match = _YEAR_FIRST.match(_SPACES.sub(" ", text))
    if match is None:
        return None
    month, day = match["month"] or match["cmonth"], match["day"] or match["cday"]
    found: date | None = None
    try:
        found = date(int(match["year"]), int(month), int(day))
    except ValueError:
        found = None
    if found is None:
        iso = _ISO_LIKE.match(text) is not None
        raise InvalidValueError(
            "not a valid ISO 8601 date" if iso else "not a valid date", code="date.invalid"
        )
    return found, match["rest"] or ""


def _at_time(day: date, rest: str, dayfirst: bool, as_of: datetime | None) -> datetime:
    """``day`` at the time of day, and in the zone, that ``rest`` gives (``10:30 PM +02:00``).

    ``rest`` must hold a time and nothing of a date: it is read twice, with two different
    default dates, and refused when either reading moved away from its default.
    """
    basic = _BASIC_TIME.match(rest)
    if basic is not None:  # 1030, 103000: the ISO basic form of a time of day
        hours, minutes, seconds = basic.groups()
        rest = f"{hours}:{minutes}:{seconds or '00'}{rest[basic.end() :]}"
    info = _context(dayfirst, as_of.year if as_of else None)
    first: datetime | None = None
    second: datetime | None = None
    try:
        first = _parse(rest, info, _DEFAULT_A)
        second = _parse(rest, info, _DEFAULT_B)
    except _ZoneError:
        raise
    except InvalidValueError:  # a two-digit year: a date where a time was expected
        first = None
    if (
        first is None
        or second is None
        or first.date() != _DEFAULT_A.date()
        or second.date() != _DEFAULT_B.date()
    ):
        raise InvalidValueError(
            "not a valid time of day after the date", code="datetime.invalid_time"
        )
    return datetime.combine(day, first.timetz())


def _number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _iso_basic(value: object) -> str | None:
    """An eight-digit whole number as the ISO basic date it is (``19900305``), else ``None``."""
    if isinstance(value, int) and _ISO_BASIC_MIN <= value <= _ISO_BASIC_MAX:
        return str(value)
    return None


DayFirst = bool | Callable[[], bool]
"""Whether an ambiguous day/month date is read day first, or a function answering it, asked
only when the text is not ISO (the record's country: :mod:`crmcore.convert._date_order`)."""


def _decided(dayfirst: DayFirst) -> bool:
    """``dayfirst``'s answer (asked now, when a function)."""
    return dayfirst if isinstance(dayfirst, bool) else dayfirst()


def read_date(
    value: object,
    *,
    dayfirst: DayFirst = False,
    as_of: datetime | None = None,
    past: bool = False,
    serials: bool = False,
) -> date:
    """Read a calendar date.

    ISO 8601 text is read as ISO, and so is year-first text such as ``1985/04/03``,
    ``1985-4-3``, ``1985 04 03`` or ``19850403``, whatever ``dayfirst`` says: an impossible
    year-first date is refused, never reinterpreted. The common complete forms (``03/04/1985``,
    ``3 April 1985``) are read directly as dateutil would read them. Other text goes through
    dateutil with ``dayfirst``; a two-digit year is resolved within 50 years of ``as_of`` and,
    with ``past``, never after it. A time of day other than midnight is refused rather than
    dropped. Text longer than a date can be is refused before it is parsed.

    Month names may be in French, German, Spanish, Italian, Dutch or Portuguese
    (``5 mars 1990``, ``3. März 1985``). A number is read as a spreadsheet serial (days since
    1899-12-30, see :mod:`crmcore.convert._serials`) with ``serials``, and so is five-digit
    text; an eight-digit whole number is ISO basic (``19900305``), whatever ``serials`` says.
    numpy and pandas dates and timestamps are read as Python's.
    """
    if value.__class__ is not str:
        value = plain(value)
    if value.__class__ is not str and _number(value):
        basic = _iso_basic(value)
        if basic is not None:
            value = basic
        elif serials:
            return serial_date(value)  # type: ignore[arg-type]
        else:
            raise InvalidValueError(_NO_SERIALS, code="value.wrong_type")
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise InvalidValueError("expected a date, got a time of day", code="date.has_time")
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidValueError("expected a date", code="value.wrong_type")
    text = text_within(value, limits.DATE_TEXT_MAX_LENGTH, "a date", "date.too_long")
    iso = _ISO_LIKE.match(text) is not None
    if iso:
        found = _iso(text, instant=False)
        if found is not None:
            return read_date(found)
    order = _decided(dayfirst)
    year_first = _year_first(text)
    if year_first is not None:
        day, rest = year_first
        return read_date(_at_time(day, rest, order, as_of)) if rest else day
    if iso:
        raise InvalidValueError("not a valid ISO 8601 date", code="date.invalid")
    if serials and SERIAL_TEXT.match(text):
        return serial_date(text)
    quick = quick_date(text, order)  # the common complete forms, without dateutil
    if quick is not None:
        return quick
    if _LETTER.search(text):
        english = english_months(text)
        if english is not None:
            text = english
            quick = quick_date(text, order)
            if quick is not None:
                return quick
    return free_form_date(text, dayfirst=order, as_of=as_of, past=past)


def free_form_date(
    text: str, *, dayfirst: bool = False, as_of: datetime | None = None, past: bool = False
) -> date:
    """Read a date that is neither ISO nor year first through dateutil (:func:`read_date`)."""
    text = text_within(text, limits.DATE_TEXT_MAX_LENGTH, "a date", "date.too_long")
    parsed = _free_form(text, dayfirst, as_of)
    if parsed.time() != time(0) or parsed.tzinfo is not None:
        raise InvalidValueError("expected a date, got a time of day", code="date.has_time")
    result = parsed.date()
    if past and as_of is not None and result > as_of.date() and _two_digit_year(text, result.year):
        earlier: date | None = None
        try:
            earlier = result.replace(year=result.year - 100)
        except ValueError:
            earlier = None
        if earlier is None:
            raise InvalidValueError(
                "two-digit year with no past date to match", code="date.two_digit_year"
            )
        result = earlier
    return result


def read_datetime(
    value: object,
    *,
    dayfirst: DayFirst = False,
    as_of: datetime | None = None,
    assume_tz: tzinfo | None = None,
    serials: bool = False,
) -> datetime:
    """Read a timezone-aware instant.

    ISO 8601 text is read as ISO, year-first text as year first whatever ``dayfirst`` says
    (see :func:`read_date`); other text goes through dateutil with ``dayfirst``. A value with
    no timezone is refused unless ``assume_tz`` says which one to read it in. Text longer than
    a date and time can be is refused before it is parsed. With ``serials``, a number or
    five-digit text is a spreadsheet serial, its fraction the time of day (in ``assume_tz``).
    """
    if value.__class__ is not str:
        value = plain(value)
    if value.__class__ is not str and _number(value):
        basic = _iso_basic(value)
        if basic is not None:
            value = basic
        elif serials:
            value = serial_instant(value)  # type: ignore[arg-type]
        else:
            raise InvalidValueError(_NO_SERIALS, code="value.wrong_type")
    elif serials and isinstance(value, str) and SERIAL_TEXT.match(value.strip()):
        value = serial_instant(value.strip())
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = text_within(
            value, limits.DATETIME_TEXT_MAX_LENGTH, "a date and time", "datetime.too_long"
        )
        iso = _ISO_LIKE.match(text) is not None
        found = _iso(text, instant=True) if iso or text[:8].isdigit() else None
        if isinstance(found, datetime):
            parsed = found
        else:
            order = _decided(dayfirst)
            year_first = _year_first(text)
            if year_first is not None:
                day, rest = year_first
                parsed = (
                    _at_time(day, rest, order, as_of) if rest else datetime(*day.timetuple()[:3])
                )
            elif iso:
                raise InvalidValueError(
                    "not a valid ISO 8601 date and time", code="datetime.invalid"
                )
            else:
                parsed = _free_form(text, order, as_of)
    else:
        raise InvalidValueError("expected a date and time", code="value.wrong_type")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        if assume_tz is None:
            raise InvalidValueError(
                "no timezone: give an offset or set assume_tz", code="datetime.no_timezone"
            )
        parsed = parsed.replace(tzinfo=assume_tz)
    return _shared_zone(parsed)


def _shared_zone(instant: datetime) -> datetime:
    """``instant`` with its fixed offset the one zone object of that offset (``timezone.utc``
    for zero), so that instants read from text do not each carry a zone of their own.

    Only a plain :class:`~datetime.timezone` is replaced, and only by one equal to it with
    the same name: the instant, its text and its zone's name are unchanged.
    """
    zone = instant.tzinfo
    if zone.__class__ is not timezone or zone is timezone.utc:
        return instant
    shared = _zone_of(zone.utcoffset(None))
    if shared is zone or shared.tzname(None) != zone.tzname(None):
        return instant
    return instant.replace(tzinfo=shared)


@functools.lru_cache(maxsize=256)
def _zone_of(offset: timedelta) -> timezone:
    """The one zone object of a fixed ``offset`` without a name of its own."""
    return timezone(offset)
