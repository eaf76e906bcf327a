"""How numbers are written where a record lives: the decimal separator of its country.

The separator of a country is the one every official language of it writes (from the
Unicode CLDR, read once and kept here as data); a country whose languages disagree
(Canada, Switzerland, ...) has none, and its records are read as if they had no country.

While :meth:`~crmcore.convert.Converter.from_dict` reads a record, the record's raw mapping
is held in a context variable (one per thread and task, never shared), so that a number deep
in a facet can be read in the country of the record's own address. It is looked at only when
a number could be read two ways.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Mapping
from typing import Any, Literal

__all__ = [
    "DecimalSeparator",
    "NumberStyle",
    "country_separator",
    "done",
    "reading",
    "record_region",
]

DecimalSeparator = Literal[",", "."]

_COMMA = frozenset(
    [
        "AD",
        "AL",
        "AM",
        "AO",
        "AR",
        "AT",
        "AX",
        "BA",
        "BE",
        "BF",
        "BG",
        "BJ",
        "BL",
        "BN",
        "BO",
        "BQ",
        "BR",
        "BY",
        "CD",
        "CF",
        "CG",
        "CI",
        "CL",
        "CO",
        "CR",
        "CV",
        "CY",
        "CZ",
        "DE",
        "DK",
        "DZ",
        "EE",
        "ES",
        "FI",
        "FO",
        "FR",
        "GA",
        "GE",
        "GF",
        "GL",
        "GN",
        "GP",
        "GQ",
        "GR",
        "GW",
        "HR",
        "HT",
        "HU",
        "ID",
        "IS",
        "IT",
        "KG",
        "KZ",
        "LA",
        "LB",
        "LT",
        "LU",
        "LV",
        "LY",
        "MA",
        "MC",
        "MD",
        "ME",
        "MF",
        "MK",
        "ML",
        "MQ",
        "MR",
        "MZ",
        "NC",
        "NE",
        "NL",
        "NO",
        "PF",
        "PL",
        "PM",
        "PT",
        "RE",
        "RO",
        "RS",
        "RU",
        "SE",
        "SI",
        "SJ",
        "SK",
        "SM",
        "SN",
        "SR",
        "ST",
        "TG",
        "TJ",
        "TL",
        "TM",
        "TN",
        "TR",
        "UA",
        "UY",
        "UZ",
        "VA",
        "VE",
        "VN",
        "WF",
        "YT",
        "ZA",
    ]
)
"""Countries whose official languages all write a decimal comma (``1.234,5``)."""
_POINT = frozenset(
    [
        "AE",
        "AG",
        "AI",
        "AS",
        "AU",
        "BB",
        "BD",
        "BH",
        "BM",
        "BS",
        "BT",
        "BW",
        "BZ",
        "CC",
        "CK",
        "CN",
        "CU",
        "CX",
        "DM",
        "DO",
        "EG",
        "EH",
        "ER",
        "ET",
        "FJ",
        "FK",
        "FM",
        "GB",
        "GD",
        "GG",
        "GH",
        "GI",
        "GM",
        "GS",
        "GT",
        "GU",
        "GY",
        "HK",
        "HN",
        "IE",
        "IL",
        "IM",
        "IN",
        "IO",
        "IQ",
        "IR",
        "JE",
        "JM",
        "JO",
        "JP",
        "KE",
        "KH",
        "KI",
        "KN",
        "KP",
        "KR",
        "KW",
        "KY",
        "LC",
        "LI",
        "LK",
        "LR",
        "LS",
        "MH",
        "MM",
        "MN",
        "MP",
        "MS",
        "MT",
        "MV",
        "MW",
        "MX",
        "MY",
        "NA",
        "NF",
        "NG",
        "NI",
        "NP",
        "NR",
        "NU",
        "NZ",
        "OM",
        "PA",
        "PE",
        "PG",
        "PH",
        "PK",
        "PN",
        "PR",
        "PS",
        "PW",
        "QA",
        "SA",
        "SB",
        "SD",
        "SG",
        "SH",
        "SL",
        "SO",
        "SS",
        "SV",
        "SY",
        "TC",
        "TH",
        "TK",
        "TO",
        "TT",
        "TV",
        "TW",
        "TZ",
        "UG",
        "UM",
        "US",
        "VC",
        "VG",
        "VI",
        "WS",
        "YE",
        "ZM",
        "ZW",
    ]
)
"""Countries whose official languages all write a decimal point (``1,234.5``)."""


class _Held:
    """The raw mapping of the record being read, and its country once found (by each
    ``region_of`` asked): found once per record, however many of its values ask."""

    __slots__ = ("data", "regions")

    def __init__(self, data: Mapping[Any, Any]) -> None:
        self.data = data
        self.regions: dict[Callable[[Any], str | None], str | None] = {}


_RECORD: contextvars.ContextVar[_Held | None] = contextvars.ContextVar(
    "crmcore_record_read", default=None
)


def country_separator(country: str | None) -> DecimalSeparator | None:
    """The decimal separator written in ``country`` (alpha-2), ``None`` when not one only.

    >>> country_separator("FR"), country_separator("US"), country_separator("CH")
    (',', '.', None)
    """
    if country in _COMMA:
        return ","
    if country in _POINT:
        return "."
    return None


def reading(data: Mapping[Any, Any]) -> contextvars.Token[_Held | None]:
    """Hold ``data`` as the record being read, for the numbers and dates read inside it.

    Give the token returned to :func:`done` when the record is read (in a ``finally``).
    """
    return _RECORD.set(_Held(data))


def done(token: contextvars.Token[_Held | None]) -> None:
    """Stop holding the record :func:`reading` held."""
    _RECORD.reset(token)


def record_region(region_of: Callable[[Any], str | None]) -> str | None:
    """The country of the record being read, by ``region_of`` its identity's addresses
    (found once per record held)."""
    record = _RECORD.get()
    if record is None:
        return None
    regions = record.regions
    if region_of in regions:
        return regions[region_of]
    identity = record.data.get("identity")
    region = region_of(identity.get("addresses")) if isinstance(identity, Mapping) else None
    regions[region_of] = region
    return region


class NumberStyle:
    """How a converter reads the separators of numbers written as text.

    ``decimal`` is the converter's ``decimal_separator`` option: when given it decides for
    every record; else the country of the record being read decides, found by ``region_of``.
    """

    __slots__ = ("decimal", "region_of")

    def __init__(
        self, decimal: DecimalSeparator | None, region_of: Callable[[Any], str | None]
    ) -> None:
        self.decimal = decimal
        self.region_of = region_of

    def separator(self) -> DecimalSeparator | None:
        """The decimal separator of the record being read, ``None`` when nothing says."""
        if self.decimal is not None:
            return self.decimal
        return country_separator(record_region(self.region_of))

    def region(self) -> str | None:
        """The country of the record being read, if its addresses name one."""
        return record_region(self.region_of)
