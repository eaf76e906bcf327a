"""Tests for the ISO 3166-1 and ISO 4217 reference data in :mod:`crmcore._iso`."""

from __future__ import annotations

import re

import attrs
import pytest

from crmcore import _iso
from crmcore._iso import (
    COUNTRIES,
    COUNTRY_CODES,
    CURRENCIES,
    CURRENCY_CODES,
    Country,
    Currency,
    country_by_alpha2,
    currency_by_code,
    lookup_country,
)


def test_there_are_249_countries_sorted_by_alpha2() -> None:
    assert len(COUNTRIES) == 249
    assert [c.alpha2 for c in COUNTRIES] == sorted(c.alpha2 for c in COUNTRIES)
    assert frozenset(c.alpha2 for c in COUNTRIES) == COUNTRY_CODES


@pytest.mark.parametrize("field", ["alpha2", "alpha3", "numeric", "name_en", "name_fr"])
def test_country_fields_are_unique(field: str) -> None:
    values = [getattr(c, field) for c in COUNTRIES]
    assert len(set(values)) == len(values)


def test_country_code_formats() -> None:
    for country in COUNTRIES:
        assert re.fullmatch(r"[A-Z]{2}", country.alpha2), country
        assert re.fullmatch(r"[A-Z]{3}", country.alpha3), country
        assert re.fullmatch(r"[0-9]{3}", country.numeric), country
        assert country.name_en.strip() == country.name_en, country
        assert country.name_fr.strip() == country.name_fr, country


def test_user_assigned_codes_are_excluded() -> None:
    assert "XK" not in COUNTRY_CODES
    assert country_by_alpha2("XK") is None


@pytest.mark.parametrize(
    ("alpha2", "alpha3", "numeric", "name_en", "name_fr"),
    [
        ("DE", "DEU", "276", "Germany", "Allemagne"),
        ("GB", "GBR", "826", "United Kingdom", "Royaume-Uni"),
        ("US", "USA", "840", "United States", "États-Unis"),
        ("CI", "CIV", "384", "Côte d'Ivoire", "Côte d'Ivoire"),
        ("AF", "AFG", "004", "Afghanistan", "Afghanistan"),
        ("SS", "SSD", "728", "South Sudan", "Soudan du Sud"),
    ],
)
def test_country_spot_checks(
    alpha2: str, alpha3: str, numeric: str, name_en: str, name_fr: str
) -> None:
    assert country_by_alpha2(alpha2) == Country(alpha2, alpha3, numeric, name_en, name_fr)


def test_country_by_alpha2_is_exact() -> None:
    assert country_by_alpha2("de") is None
    assert country_by_alpha2("DEU") is None
    assert country_by_alpha2("") is None


def test_records_are_frozen() -> None:
    country = COUNTRIES[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        country.alpha2 = "ZZ"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Allemagne", "DE"),
        ("deu", "DE"),
        ("DE", "DE"),
        ("de", "DE"),
        ("The Netherlands", "NL"),
        ("côte d’ivoire", "CI"),
        ("COTE D'IVOIRE", "CI"),
        ("Ivory Coast", "CI"),
        ("États-Unis", "US"),
        ("etats unis", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("UK", "GB"),
        ("gb", "GB"),
        ("  united   KINGDOM ", "GB"),
        ("Great Britain", "GB"),
        ("L'Allemagne", "DE"),
        ("la France", "FR"),
        ("les Pays-Bas", "NL"),
        ("Holland", "NL"),
        ("Nederland", "NL"),
        ("Gambia, The", "GM"),
        ("South Korea", "KR"),
        ("Corée du Sud", "KR"),
        ("Korea, Republic of", "KR"),
        ("North Korea", "KP"),
        ("Russia", "RU"),
        ("Russie", "RU"),
        ("Czech Republic", "CZ"),
        ("République tchèque", "CZ"),
        ("Tchéquie", "CZ"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Macedonia", "MK"),
        ("Swaziland", "SZ"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Turquie", "TR"),
        ("Deutschland", "DE"),
        ("España", "ES"),
        ("Schweiz", "CH"),
        ("België", "BE"),
        ("Italia", "IT"),
        ("Brasil", "BR"),
        ("St. Lucia", "LC"),
        ("Trinidad & Tobago", "TT"),
        ("Bosnia and Herzegovina", "BA"),
        ("DR Congo", "CD"),
        ("Congo-Brazzaville", "CG"),
        ("Guinea", "GN"),
        ("Guinée", "GN"),
        ("Equatorial Guinea", "GQ"),
        ("Guinée-Bissau", "GW"),
        ("Papua New Guinea", "PG"),
        ("Saint-Martin", "MF"),
        ("Sint Maarten", "SX"),
        ("ET", "ET"),
        ("and", "AD"),
        ("England", "GB"),  # a nation of the United Kingdom: its addresses are the UK's
        ("Scotland", "GB"),
        ("Écosse", "GB"),
        ("Northern Ireland", "GB"),
    ],
)
def test_lookup_country(text: str, expected: str) -> None:
    assert lookup_country(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Narnia",
        "the",
        "l'",
        "America",
        "Congo",
        "Korea",
        "Corée",
        "Virgin Islands",
        "Îles Vierges",
        "XK",
        "N/A",
    ],
)
def test_lookup_country_unknown_or_ambiguous(text: str) -> None:
    assert lookup_country(text) is None


def test_every_code_and_name_maps_back_to_its_country() -> None:
    for country in COUNTRIES:
        for text in (
            country.alpha2,
            country.alpha2.lower(),
            country.alpha3,
            country.alpha3.lower(),
            country.name_en,
            country.name_en.upper(),
            country.name_fr,
            country.name_fr.lower(),
        ):
            assert lookup_country(text) == country.alpha2, (text, country)


def test_every_alias_maps_to_its_country() -> None:
    assert set(_iso._COUNTRY_ALIASES) <= COUNTRY_CODES
    for alpha2, aliases in _iso._COUNTRY_ALIASES.items():
        for alias in aliases:
            assert lookup_country(alias) == alpha2, alias


def test_ambiguous_names_are_not_resolved() -> None:
    for name in _iso._AMBIGUOUS_NAMES:
        assert lookup_country(name) is None, name


def test_there_are_active_currencies_sorted_by_code() -> None:
    codes = [c.code for c in CURRENCIES]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert frozenset(codes) == CURRENCY_CODES
    numerics = [c.numeric for c in CURRENCIES]
    assert len(set(numerics)) == len(numerics)
    for currency in CURRENCIES:
        assert re.fullmatch(r"[A-Z]{3}", currency.code), currency
        assert re.fullmatch(r"[0-9]{3}", currency.numeric), currency
        assert currency.minor_units is None or 0 <= currency.minor_units <= 4, currency
        assert currency.name, currency
        assert currency.name.strip() == currency.name, currency


@pytest.mark.parametrize(
    ("code", "numeric", "minor_units"),
    [
        ("EUR", "978", 2),
        ("USD", "840", 2),
        ("JPY", "392", 0),
        ("KWD", "414", 3),
        ("CLF", "990", 4),
        ("XAU", "959", None),
        ("XTS", "963", None),
        ("XXX", "999", None),
        ("VES", "928", 2),
        ("ZWG", "924", 2),
        ("SLE", "925", 2),
    ],
)
def test_currency_spot_checks(code: str, numeric: str, minor_units: int | None) -> None:
    currency = currency_by_code(code)
    assert isinstance(currency, Currency)
    assert currency.numeric == numeric
    assert currency.minor_units == minor_units


@pytest.mark.parametrize("code", ["HRK", "SLL", "ZWL", "VEF", "ANG", "CUC"])
def test_withdrawn_currencies_are_absent(code: str) -> None:
    assert code not in CURRENCY_CODES
    assert currency_by_code(code) is None


def test_currency_by_code_is_exact() -> None:
    assert currency_by_code("eur") is None
    assert currency_by_code("") is None
