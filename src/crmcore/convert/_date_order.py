"""How dates are written where a record lives: day first or month first, by its country.

A country writes day first (``10.11.1973``, ``05/03/1990``) or month first (``03/05/1990``)
when the short date pattern of every official language of it says so (from the Unicode CLDR,
read once and kept here as data, as the decimal separators of :mod:`crmcore.convert._locale`
are). A country whose languages disagree (Canada: ``y-MM-dd`` in both, but ``d/M`` in English and
``MM-dd`` in French) has no order, and its records are read as if they had no country.

:func:`record_dayfirst` is the one answer to "is an ambiguous date of this record day first?":
every reader of dates asks it (the converter's, the raw walk's); the record's country is found
once per record read, and the answer only matters to text that could be read two ways (ISO
and year-first text is never reordered).
"""

from __future__ import annotations

from collections.abc import Callable

from crmcore.convert._locale import record_region
from crmcore.convert._values import address_region

__all__ = ["country_dayfirst", "date_order", "record_dayfirst"]

# Derived from CLDR 49 (as Babel 2.19 ships it): for each country, each of its official
# languages (de facto included) as written there, with a short date pattern of its own (a
# language that only inherits the root pattern has no usage to tell, and is left out); its
# order is the day's and the month's in that pattern or, where the year comes first
# (``y-MM-dd``), in its pattern of a day and month (``d/M`` in Sweden, ``M/d`` in Japan), as
# an export writing the year last would write them. A country is listed when its languages
# agree.
_DAY_FIRST = frozenset(
    (  # noqa: SIM905 (a table of codes, kept compact)
        "AD AE AG AI AL AM AO AR AT AU AW AX AZ BA BB BD BE BF BG BH BJ BL BM BN "
        "BO BQ BR BS BW BY BZ CC CD CF CG CH CI CK CL CM CO CR CU CV CW CX CY CZ "
        "DE DJ DK DM DO DZ EC EE EG EH ES ET FI FJ FK FM FO FR GA GB GD GE GF GG "
        "GH GI GL GM GN GP GQ GR GS GT GW GY HK HN HR HT ID IE IL IM IN IO IQ IS "
        "IT JE JM JO KE KG KH KI KM KN KW KY KZ LA LB LC LI LR LS LU LV LY MA MC "
        "MD ME MF MG MK ML MM MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL "
        "NO NR NU NZ OM PE PF PG PK PL PM PN PS PT PW PY QA RE RO RS RU RW SA SB "
        "SC SD SE SG SH SI SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TG TH TJ TK "
        "TL TM TN TO TR TT TV TZ UA UG UY UZ VA VC VE VG VN VU WF WS YE YT ZM ZW "
    ).split()
)
"""Countries whose official languages all write the day first (``31/12/1990``)."""
_MONTH_FIRST = frozenset(
    (  # noqa: SIM905 (a table of codes, kept compact)
        "AF AS BT CN GU HU IR JP KP KR LT MH MN MP NP PA PH PR TW UM US VI ZA "
    ).split()
)
"""Countries whose official languages all write the month first (``12/31/1990``)."""


def country_dayfirst(country: str | None) -> bool | None:
    """Whether ``country`` (alpha-2) writes dates day first; ``None`` when not one order only.

    >>> country_dayfirst("DE"), country_dayfirst("US"), country_dayfirst("CA")
    (True, False, None)
    """
    if country in _DAY_FIRST:
        return True
    if country in _MONTH_FIRST:
        return False
    return None


def record_dayfirst(dayfirst: bool | None) -> bool:
    """Whether an ambiguous date of the record being read is read day first.

    ``dayfirst`` is the reader's option: ``True`` or ``False`` decides for every record;
    ``None`` lets the country of the record being read decide (its identity's addresses', as
    for numbers: see :func:`crmcore.convert._locale.record_region`); a record with no country,
    or one with no single order, is read month first.
    """
    if dayfirst is not None:
        return dayfirst
    return country_dayfirst(record_region(address_region)) is True


def _records_order() -> bool:
    return record_dayfirst(None)


def date_order(dayfirst: bool | None) -> bool | Callable[[], bool]:
    """What a reader of dates is given for the ``dayfirst`` option: the option itself when it
    decides, else a function asked only for text that is not ISO (the record's country)."""
    return _records_order if dayfirst is None else dayfirst
