"""Date comparators: equal, day and month swapped, one digit wrong (or two exchanged), near.

A date is compared as its year, month and day, so that a date that could not be read still
compares: when the field is empty and the record's quarantine holds its value as
``date.unreadable`` (``13/25/1990``, often day and month swapped), the raw text is read for its
three numbers and compared as they are (see :func:`read_raw_date`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crmcore.dedup import _exact_u
from crmcore.dedup._batch import Indices, best, item_pairs
from crmcore.dedup._paths import Selector, paths, values
from crmcore.dedup._read import check_path, reader
from crmcore.dedup.comparator import NULL, RankedComparator
from crmcore.dedup.context import CompareContext
from crmcore.errors import InvalidValueError
from crmcore.records._meta import PrivacyCategory

__all__ = ["Dates", "birth_dates", "dates", "read_raw_date"]

UNREADABLE = "date.unreadable"
_BIRTH = Selector(date, PrivacyCategory.BIRTH_DATE)
_DIGITS = re.compile(r"\d+")
Ymd = tuple[int, int, int]
_DatesRead = tuple[tuple[Ymd, ...], tuple[str, ...]]


@functools.lru_cache(maxsize=16384)
def read_raw_date(text: str) -> Ymd | None:
    """Year, month and day read from the text of an unreadable date; ``None`` if it has none.

    The text must hold three numbers, one of them a four-digit year, first (year, month,
    day) or last (day, month, year: the order of most of the world); or one run of eight
    digits; or three numbers of one or two digits, the last one two (day, month and a year
    of two digits, kept below 100: its century is unknown, and it compares with a full
    year by its last two digits). Numbers are kept even when they make no date (a month of
    13), so that a date written month first compares as ``swapped``.

    >>> read_raw_date("13/05/1990"), read_raw_date("1990-13-05"), read_raw_date("19900513")
    ((1990, 5, 13), (1990, 13, 5), (1990, 5, 13))
    >>> read_raw_date("13/05/90"), read_raw_date("1/2/3") is None
    ((90, 5, 13), True)
    """
    groups = _DIGITS.findall(text[:100])
    if len(groups) == 1 and len(groups[0]) == 8:
        run = groups[0]
        groups = (
            [run[:4], run[4:6], run[6:]]
            if run[:2] in ("19", "20")
            else [run[:2], run[2:4], run[4:]]
        )
        if len(groups[0]) == 2:
            groups.reverse()
    if len(groups) != 3 or not all(len(g) <= 4 for g in groups):
        return None
    if len(groups[0]) == 4 and len(groups[2]) <= 2:
        year, month, day = groups
    elif len(groups[2]) == 4 and len(groups[0]) <= 2:
        day, month, year = groups
    elif len(groups[2]) == 2 and len(groups[0]) <= 2 and len(groups[1]) <= 2:
        day, month, year = groups  # a year of two digits: its century is unknown
    else:
        return None
    return int(year), int(month), int(day)


def _valid(ymd: Ymd) -> date | None:
    try:
        return date(*ymd)
    except ValueError:
        return None


def _digits(ymd: Ymd) -> str:
    return f"{ymd[0]:04d}{ymd[1]:02d}{ymd[2]:02d}"


def _century(a: Ymd, b: Ymd) -> tuple[Ymd, Ymd]:
    """A full year against one of two digits (below 100) counts by its last two digits."""
    if a[0] < 100 <= b[0]:
        return a, (b[0] % 100, b[1], b[2])
    if b[0] < 100 <= a[0]:
        return (a[0] % 100, a[1], a[2]), b
    return a, b


def _one_typo(x: str, y: str) -> bool:
    """One digit wrong, or two adjacent digits exchanged (``1956`` and ``1965``)."""
    if len(x) != len(y):
        return False
    wrong = [i for i, (c, d) in enumerate(zip(x, y, strict=True)) if c != d]
    if len(wrong) == 1:
        return True
    return (
        len(wrong) == 2
        and wrong[1] == wrong[0] + 1
        and x[wrong[0]] == y[wrong[1]]
        and x[wrong[1]] == y[wrong[0]]
    )


def _rank(a: Ymd, b: Ymd, near_days: int) -> int:
    a, b = _century(a, b)
    if a == b:
        return 0
    if a[0] == b[0] and a[1] == b[2] and a[2] == b[1]:
        return 1
    if _one_typo(_digits(a), _digits(b)):
        return 2
    if near_days:
        da, db = _valid(a), _valid(b)
        if da is not None and db is not None and abs((da - db).days) <= near_days:
            return 3
    return 4


def _ranks(items: list[Ymd], xs: Indices, ys: Indices, near_days: int) -> Indices:
    """:func:`_rank` of ``items[xs[i]]`` and ``items[ys[i]]`` for each ``i``, in arrays.

    A date of a year of four digits at most, a month and a day of two is compared by its
    eight digits (``YYYYMMDD``, a year of two digits against a full one by the full one's
    last two); any other (a month of three digits read from a raw text) one pair at a time.
    """
    ymd = np.array(items, dtype=np.int64).reshape(-1, 3)
    year, month, day = ymd[:, 0], ymd[:, 1], ymd[:, 2]
    regular = (year >= 0) & (year <= 9999) & (month >= 0) & (month <= 99)
    regular &= (day >= 0) & (day <= 99)
    found = np.full(len(xs), 4, dtype=np.int64)
    even = regular[xs] & regular[ys]
    odd = np.flatnonzero(~even)
    for i, x, y in zip(odd.tolist(), xs[odd].tolist(), ys[odd].tolist(), strict=True):
        found[i] = _rank(items[x], items[y], near_days)
    at = np.flatnonzero(even)
    xs, ys = xs[at], ys[at]
    # a side's year read by its last two digits: a full year against one of two digits
    cut_x = (year[xs] >= 100) & (year[ys] < 100)
    cut_y = (year[ys] >= 100) & (year[xs] < 100)
    short = year % 100
    full_digits, short_digits = _digit_rows(year, month, day), _digit_rows(short, month, day)
    digits_x = np.where(cut_x[:, np.newaxis], short_digits[xs], full_digits[xs])
    digits_y = np.where(cut_y[:, np.newaxis], short_digits[ys], full_digits[ys])
    ranks = np.full(len(at), 4, dtype=np.int64)
    if near_days:
        full_days, short_days = _ordinals(year, month, day), _ordinals(short, month, day)
        days_x = np.where(cut_x, short_days[xs], full_days[xs])
        days_y = np.where(cut_y, short_days[ys], full_days[ys])
        valid = (days_x >= 0) & (days_y >= 0)
        ranks[valid & (np.abs(days_x - days_y) <= near_days)] = 3
    wrong = digits_x != digits_y
    count = wrong.sum(axis=1)
    exchanged = (
        wrong[:, :-1]
        & wrong[:, 1:]
        & (digits_x[:, :-1] == digits_y[:, 1:])
        & (digits_x[:, 1:] == digits_y[:, :-1])
    ).any(axis=1)
    ranks[(count == 1) | ((count == 2) & exchanged)] = 2
    # the year, month and day from the digits: (year, month, day) equal when all eight are
    same_year = (digits_x[:, :4] == digits_y[:, :4]).all(axis=1)
    swapped = (digits_x[:, 4:6] == digits_y[:, 6:]).all(axis=1)
    swapped &= (digits_x[:, 6:] == digits_y[:, 4:6]).all(axis=1)
    ranks[same_year & swapped] = 1
    ranks[count == 0] = 0
    found[at] = ranks
    return found


def _digit_rows(
    year: npt.NDArray[np.int64], month: npt.NDArray[np.int64], day: npt.NDArray[np.int64]
) -> npt.NDArray[np.int8]:
    """The eight digits of each ``YYYYMMDD`` (a year of four digits at most, month and day
    of two), one row each."""
    rows = np.stack(
        (
            year // 1000,
            year // 100 % 10,
            year // 10 % 10,
            year % 10,
            month // 10,
            month % 10,
            day // 10,
            day % 10,
        ),
        axis=1,
    )
    return rows.astype(np.int8)


def _ordinals(
    year: npt.NDArray[np.int64], month: npt.NDArray[np.int64], day: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Each date's proleptic ordinal (:meth:`datetime.date.toordinal`), ``-1`` where it is
    no date."""
    found = np.full(len(year), -1, dtype=np.int64)
    for i, ymd in enumerate(zip(year.tolist(), month.tolist(), day.tolist(), strict=True)):
        valid = _valid(ymd)
        if valid is not None:
            found[i] = valid.toordinal()
    return found


@attrs.frozen
class Dates(RankedComparator[frozenset[Ymd]]):
    """Dates at a path, or the birth date. See :func:`dates` and :func:`birth_dates`."""

    path: str | None = attrs.field(default=None)
    near_days: int = attrs.field(default=30)

    @path.validator
    def _check(self, _: Any, value: str | None) -> None:
        if value is not None:
            check_path(value)

    @near_days.validator
    def _check_days(self, _: Any, value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidValueError("near_days is a whole number, 0 or more", field="near_days")

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``swapped``, ``one_digit``, ``near``, ``different``, ``null``."""
        return ("exact", "swapped", "one_digit", "near", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> frozenset[Ymd] | None:
        """The dates as (year, month, day), unreadable ones from the quarantine too."""
        return self.prepare_read(self.read(record, ctx), ctx)

    def read(self, record: Any, ctx: CompareContext) -> _DatesRead:
        """The dates as (year, month, day), and the text of each unreadable one kept in the
        quarantine at the paths read."""
        read = values(record, _BIRTH) if self.path is None else reader(self.path)(record)
        found = tuple(
            [(value.year, value.month, value.day) for value in read if isinstance(value, date)]
        )
        quarantine = getattr(record, "quarantine", ())
        if not quarantine:
            return found, ()
        where = paths(type(record), _BIRTH) if self.path is None else (self.path,)
        raw = tuple(
            kept.value for kept in quarantine if kept.code == UNREADABLE and kept.path in where
        )
        return found, raw

    def prepare_read(self, read: _DatesRead, ctx: CompareContext) -> frozenset[Ymd] | None:
        """:meth:`prepare` from :meth:`read`."""
        found, raw = read
        unreadable = (read_raw_date(text) for text in raw)
        return frozenset((*found, *(ymd for ymd in unreadable if ymd is not None))) or None

    def compare_prepared(
        self, left: frozenset[Ymd], right: frozenset[Ymd], ctx: CompareContext
    ) -> str:
        """The best level over every pair of dates."""
        if not left.isdisjoint(right):
            return "exact"
        found = min(_rank(a, b, self.near_days) for a in left for b in right)
        return self.levels[found]

    def indexed_ranks(
        self,
        values: Sequence[frozenset[Ymd]],
        left: Indices,
        right: Indices,
        ctx: CompareContext,
    ) -> Indices:
        """:meth:`compare_indexed` as positions in :attr:`levels`: the best rank of each pair's
        pairs of dates, compared in arrays of their digits (:func:`_ranks`)."""
        items, xs, ys, starts = item_pairs(values, left, right)
        return best(_ranks(items, xs, ys, self.near_days), starts)

    def count_levels(
        self, counts: Mapping[frozenset[Ymd], int], ctx: CompareContext
    ) -> dict[str, int]:
        """The pairs of the dates counted at ``swapped`` (day and month exchanged), over
        every pair (see :class:`~crmcore.dedup.comparator.CountedLevels`)."""
        compare = functools.partial(self.compare_prepared, ctx=ctx)
        return _exact_u.date_level_counts(counts, compare)


def dates(path: str, *, near_days: int = 30) -> Dates:
    """Compare the dates at ``path``; levels, strongest first:

    ``exact``; ``swapped`` (day and month exchanged); ``one_digit`` (one digit of
    ``YYYYMMDD`` wrong, or two adjacent digits exchanged: ``1956`` and ``1965``); ``near``
    (within ``near_days`` days; 0 turns the level off); ``different``; ``null``. An
    unreadable date kept in the quarantine at ``path`` counts.

    >>> from datetime import date
    >>> from crmcore import Contact, ContactQuantitative
    >>> def buyer(day):
    ...     return Contact("c", quantitative=ContactQuantitative(last_purchase_on=day))
    >>> cmp = dates("quantitative.last_purchase_on", near_days=7)
    >>> cmp(buyer(date(2024, 3, 1)), buyer(date(2024, 2, 27)), CompareContext())
    'near'
    """
    return Dates(check_path(path), near_days)


def birth_dates(*, near_days: int = 0) -> Dates:
    """Compare dates of birth (the fields of privacy category ``birth_date``), as :func:`dates`.

    ``near`` is off by default: a birth date a few days off is a typo (``one_digit``) or
    another person.

    >>> from datetime import date
    >>> from crmcore import Contact, ContactIdentity
    >>> from crmcore.records import QuarantinedValue
    >>> a = Contact("c-1", ContactIdentity(birth_date=date(1990, 5, 13)))
    >>> b = Contact("c-2", quarantine=(QuarantinedValue(
    ...     "identity.birth_date", "05/13/1990", "date.unreadable", "not a date"),))
    >>> birth_dates()(a, b, CompareContext())
    'swapped'
    """
    return Dates(None, near_days)
