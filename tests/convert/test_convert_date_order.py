"""The order of an ambiguous day/month date: the ``dayfirst`` option, else the record's country."""

from __future__ import annotations

import os
import pickle
from datetime import date, datetime, timezone
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import Account, Contact, Converter, CRMError, InvalidValueError
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.convert._date_order import _DAY_FIRST, _MONTH_FIRST, country_dayfirst

AS_OF = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _contact(birth: str, *countries: str, primary: int | None = None) -> dict[str, Any]:
    addresses = [
        {"country": country, **({"primary": True} if index == primary else {})}
        for index, country in enumerate(countries)
    ]
    identity: dict[str, Any] = {"birth_date": birth}
    if addresses:
        identity["addresses"] = addresses
    return {"id": "c-1", "identity": identity}


def _born(data: dict[str, Any], **options: Any) -> tuple[date | None, date | None]:
    """The birth date as the converter reads it, and as cleaning reads it."""
    converted = Converter(as_of=AS_OF, **options).from_dict(Contact, data)
    cleaned = clean_raw(Contact, data, CleaningContext(as_of=AS_OF, **options)).record
    return converted.identity.birth_date, cleaned.identity.birth_date


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("10.11.1973", "DE", date(1973, 11, 10)),
        ("05/03/1990", "FR", date(1990, 3, 5)),
        ("05/03/1990", "US", date(1990, 5, 3)),
        ("05/03/1990", "GB", date(1990, 3, 5)),
        ("05-03-1990", "ES", date(1990, 3, 5)),
        ("05/03/1990", "Allemagne", date(1990, 3, 5)),  # a country's name counts as its code
        ("05/03/1990", "CA", date(1990, 5, 3)),  # no one order: as with no country
        ("05/03/1990", "JP", date(1990, 5, 3)),  # year first, then the month: M/d
        ("05/03/1990", "SE", date(1990, 3, 5)),  # year first, then the day: d/M
        ("05/03/1990", "PY", date(1990, 3, 5)),  # Guarani has no pattern of its own
        ("05/03/1990", "Scotland", date(1990, 3, 5)),  # a nation of the United Kingdom
        ("5 mars 1990", "US", date(1990, 3, 5)),  # a month name is never reordered
        ("1990-05-03", "FR", date(1990, 5, 3)),  # ISO is never reordered
        ("1990/05/03", "DE", date(1990, 5, 3)),  # nor year-first text
        ("19900503", "DE", date(1990, 5, 3)),
        ("13/05/1990", "US", date(1990, 5, 13)),  # an impossible reading is never chosen
        ("05/13/1990", "DE", date(1990, 5, 13)),
    ],
)
def test_an_ambiguous_date_is_read_in_the_order_of_the_records_country(
    text: str, country: str, expected: date
) -> None:
    assert _born(_contact(text, country)) == (expected, expected)


def test_a_record_with_no_address_is_read_month_first_as_before() -> None:
    assert _born(_contact("05/03/1990")) == (date(1990, 5, 3), date(1990, 5, 3))


def test_the_default_region_does_not_decide_the_order() -> None:
    # default_region is for phones: a record without an address has no country for dates
    born = _born(_contact("05/03/1990"), default_region="DE")
    assert born == (date(1990, 5, 3), date(1990, 5, 3))


@pytest.mark.parametrize(
    ("dayfirst", "country", "expected"),
    [
        (True, "US", date(1990, 3, 5)),
        (False, "DE", date(1990, 5, 3)),
        (True, None, date(1990, 3, 5)),
        (False, None, date(1990, 5, 3)),
    ],
)
def test_the_option_decides_for_every_record_either_way(
    dayfirst: bool, country: str | None, expected: date
) -> None:
    data = _contact("05/03/1990", *([country] if country else []))
    assert _born(data, dayfirst=dayfirst) == (expected, expected)


@pytest.mark.parametrize(
    ("countries", "primary", "expected"),
    [
        (("US", "DE"), None, date(1990, 5, 3)),  # the first address with a country
        (("DE", "US"), None, date(1990, 3, 5)),
        (("US", "DE"), 1, date(1990, 3, 5)),  # the primary one first, as for numbers
        (("DE", "US"), 1, date(1990, 5, 3)),
    ],
)
def test_two_addresses_in_two_countries_decide_as_for_numbers(
    countries: tuple[str, str], primary: int | None, expected: date
) -> None:
    assert _born(_contact("05/03/1990", *countries, primary=primary)) == (expected, expected)


def test_an_instant_with_a_time_is_read_in_the_records_country() -> None:
    data = {
        "id": "a-1",
        "identity": {"name": "Acme", "addresses": [{"country": "FR"}]},
        "created_at": "05/03/2020 10:30",
    }
    read = Converter(assume_tz="UTC").from_dict(Account, data)
    cleaned = clean_raw(Account, data, CleaningContext(assume_tz="UTC")).record
    expected = datetime(2020, 3, 5, 10, 30, tzinfo=timezone.utc)
    assert read.created_at == expected
    assert cleaned.created_at == expected


def test_the_order_follows_the_record_being_read_not_the_one_before() -> None:
    conv = Converter(as_of=AS_OF)
    american = conv.from_dict(Contact, _contact("05/03/1990", "US"))
    french = conv.from_dict(Contact, _contact("05/03/1990", "FR"))
    again = conv.from_dict(Contact, _contact("05/03/1990", "US"))
    assert french.identity.birth_date == date(1990, 3, 5)
    assert american.identity.birth_date == again.identity.birth_date == date(1990, 5, 3)
    assert conv.read_date("05/03/1990") == date(1990, 5, 3)  # outside a record: no country
    with pytest.raises(CRMError):
        conv.from_dict(Contact, {**_contact("05/03/1990", "FR"), "id": ""})
    assert conv.read_date("05/03/1990") == date(1990, 5, 3)  # let go after an error too


@pytest.mark.parametrize("flag", [True, "true", "yes", 1, np.True_])
def test_a_primary_address_flagged_as_an_export_writes_it_decides(flag: Any) -> None:
    data = _contact("05/03/1990", "US", "DE")
    data["identity"]["addresses"][1]["primary"] = flag
    assert _born(data) == (date(1990, 3, 5), date(1990, 3, 5))
    data["identity"]["addresses"][1]["primary"] = False
    assert _born(data) == (date(1990, 5, 3), date(1990, 5, 3))  # the first address decides


@pytest.mark.parametrize(
    ("country", "order"),
    [
        ("US", False),
        *((code, True) for code in ("DE", "FR", "GB", "ES", "IT", "NL", "BR")),
        ("SE", True),  # y-MM-dd, and d/M
        *((code, False) for code in ("CN", "JP", "KR", "HU")),  # y/M/d, and M/d
        ("CA", None),  # y-MM-dd in English and French, d/M in one, MM-dd in the other
        (None, None),
        ("ZZ", None),
    ],
)
def test_the_table_of_orders(country: str | None, order: bool | None) -> None:
    assert country_dayfirst(country) is order


def test_no_country_is_in_both_tables() -> None:
    assert not _DAY_FIRST & _MONTH_FIRST


def test_the_tables_are_cldrs_short_date_patterns() -> None:
    """The tables as derived from CLDR (through Babel, when installed): each official
    language of a country with a pattern of its own, its day and month in its short date
    pattern or, year first, in its pattern of a day and month."""
    babel = pytest.importorskip("babel")
    from babel import localedata
    from babel.languages import get_official_languages

    from crmcore._iso import COUNTRY_CODES

    if babel.__version__ != "2.19.0":
        pytest.skip("the tables were derived from Babel 2.19's CLDR")

    def order(pattern: str) -> str:
        day, month, year = (pattern.find(c) for c in "dMy")
        month = max(month, pattern.find("L"))
        return "y" if year != -1 and year < min(day, month) else ("d" if day < month else "M")

    def own(name: str) -> bool:
        """Whether the locale or a parent (not root) has short date patterns of its own
        (read from Babel's files: its loader would cache the unmerged data)."""
        parts = name.split("_")
        for one in ("_".join(parts[:k]) for k in range(len(parts), 0, -1)):
            if localedata.exists(one):
                path = os.path.join(localedata._dirname, f"{one}.dat")
                with open(path, "rb") as file:
                    if pickle.load(file).get("date_formats", {}).get("short"):
                        return True
        return False

    found: dict[str, set[str]] = {}
    for country in sorted(COUNTRY_CODES):
        orders: set[str] = set()
        for language in get_official_languages(country, de_facto=True):
            try:
                locale = babel.Locale.parse(f"{language}_{country}")
            except Exception:
                try:
                    locale = babel.Locale.parse(language)
                except Exception:
                    continue
            try:
                short = locale.date_formats["short"].pattern
                skeleton = locale.datetime_skeletons.get("Md")
            except Exception:
                continue
            if not own(str(locale)):
                continue
            first = order(short)
            if first == "y":
                if skeleton is None:
                    continue
                first = order(str(skeleton.pattern))
            orders.add(first)
        found[country] = orders
    assert {c for c, o in found.items() if o == {"d"}} == _DAY_FIRST
    assert {c for c, o in found.items() if o == {"M"}} == _MONTH_FIRST


def test_the_option_defaults_to_the_country_and_is_checked() -> None:
    assert Converter().dayfirst is None
    assert CleaningContext().dayfirst is None
    assert CleaningContext(dayfirst=False).dayfirst is False
    with pytest.raises(InvalidValueError, match="dayfirst"):
        Converter(dayfirst="yes")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="dayfirst"):
        CleaningContext(dayfirst=1)  # type: ignore[arg-type]


@pytest.mark.parametrize("dayfirst", [None, True, False])
def test_a_cleaning_context_pickles_equal_and_its_converter_keeps_the_option(
    dayfirst: bool | None,
) -> None:
    ctx = CleaningContext(as_of=AS_OF, dayfirst=dayfirst)
    back = pickle.loads(pickle.dumps(ctx))
    assert back == ctx
    assert back.dayfirst is dayfirst
    assert back.converter().dayfirst is dayfirst


_DAY_FIRST_COUNTRIES = sorted(_DAY_FIRST)


@settings(deadline=None)
@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    country=st.sampled_from(_DAY_FIRST_COUNTRIES),
    separator=st.sampled_from(["/", ".", "-"]),
)
def test_a_date_written_day_first_reads_back_in_any_day_first_country(
    born: date, country: str, separator: str
) -> None:
    text = f"{born.day:02d}{separator}{born.month:02d}{separator}{born.year}"
    assert _born(_contact(text, country)) == (born, born)
