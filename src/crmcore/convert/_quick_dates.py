"""A shortcut for the common written forms of a complete date, held to dateutil's reading.

:func:`crmcore.convert._lenient.read_date` reads ISO 8601 itself and hands other text to dateutil,
twice (with two different defaults, to refuse a date missing its day, month or year), about
40 µs a date. Three forms come far more often than any other: numbers with a four-digit year
(``03/04/1985``, ``03.04.1985``, ``03-04-1985``) and a month name with a four-digit year
(``April 3, 1985``, ``3 April 1985``). :func:`quick_date` reads those forms directly, the way
dateutil resolves them, and returns ``None`` for anything else or anything doubtful, which
``read_date`` then hands to dateutil as before. Tests hold it to the dateutil path's answers.
"""

from __future__ import annotations

import re
from datetime import date

from dateutil import parser as dateparser

__all__ = ["quick_date"]

_NUMBERS = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([1-9][0-9]{3})\Z")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9}) ([0-9]{1,2}), ([1-9][0-9]{3})\Z")
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2}) ([A-Za-z]{3,9}) ([1-9][0-9]{3})\Z")
_NAMES = dateparser.parserinfo()
"""dateutil's own table of month names and abbreviations, compared without case."""


def quick_date(text: str, dayfirst: bool) -> date | None:
    """The date dateutil's path of ``read_date(text, dayfirst=dayfirst)`` gives, or ``None``.

    Only complete dates with a four-digit year are read here, so the two-digit-year rules
    (``as_of``, ``past``) never apply. Two numbers are read as dateutil reads them: day first
    when the first cannot be a month or, with ``dayfirst``, when the second can be one; month
    first otherwise.
    """
    numbers = _NUMBERS.match(text)
    if numbers is not None:
        first, second, year = int(numbers[1]), int(numbers[3]), int(numbers[4])
        if first > 12 or (dayfirst and second <= 12):
            day, month = first, second
        else:
            month, day = first, second
    else:
        named = _MONTH_DAY_YEAR.match(text)
        if named is not None:
            name, day, year = named[1], int(named[2]), int(named[3])
        else:
            named = _DAY_MONTH_YEAR.match(text)
            if named is None:
                return None
            day, name, year = int(named[1]), named[2], int(named[3])
        found = _NAMES.month(name)
        if found is None:
            return None
        month = found
    try:
        return date(year, month, day)
    except ValueError:  # no such day: read_date gives the reason
        return None
