"""Built-in postal address rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest

from crmcore import PostalAddress
from crmcore._iso import COUNTRY_CODES
from crmcore.validation.addresses import POSTAL_CODE_FORMATS, postal_code_fits

Codes = Callable[..., list[tuple[str, str]]]

REQUIRED_COUNTRIES = (
    "US",
    "CA",
    "GB",
    "FR",
    "DE",
    "ES",
    "IT",
    "NL",
    "BE",
    "CH",
    "AU",
    "BR",
    "IN",
    "JP",
)

GOOD = {
    "US": ["10001", "94105-1234"],
    "CA": ["M5V 3L9", "h2x1y4"],
    "GB": [
        "SW1A 1AA",
        "EC1A 1BB",
        "M1 1AE",
        "W1A 0AX",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "GIR 0AA",
    ],
    "FR": ["75004", "97100"],
    "DE": ["10115", "01067"],
    "ES": ["28013", "08001", "52001"],
    "IT": ["00118", "20121"],
    "NL": ["1012 AB", "3011CD"],
    "BE": ["1000", "9000"],
    "CH": ["8001", "1204"],
    "AU": ["2000", "0800"],
    "BR": ["01310-100", "20040020"],
    "IN": ["110001", "560 001"],
    "JP": ["100-0001", "5300001"],
}
BAD = {
    "US": ["1000", "10001-12", "ABCDE"],
    "CA": ["D5V 3L9", "M5V 3LO", "12345"],
    "GB": ["SW1A1A", "QA1 1AA", "EC1A 1CB", "12345"],
    "FR": ["7500", "750044", "75OO4"],
    "DE": ["1011", "D-10115"],
    "ES": ["53001", "00001"],
    "IT": ["0011", "I-00118"],
    "NL": ["0123 AB", "1012 SA", "1012"],
    "BE": ["0999", "10000"],
    "CH": ["0800", "80011"],
    "AU": ["200", "20000"],
    "BR": ["0131-100", "013101000"],
    "IN": ["010001", "11000"],
    "JP": ["100-001", "10-00001"],
}


def test_the_listed_countries_all_have_a_format() -> None:
    assert set(REQUIRED_COUNTRIES) <= set(POSTAL_CODE_FORMATS)
    assert set(POSTAL_CODE_FORMATS) <= COUNTRY_CODES


@pytest.mark.parametrize(("country", "code"), [(c, v) for c, vs in GOOD.items() for v in vs])
def test_real_postal_codes_fit(country: str, code: str) -> None:
    assert postal_code_fits(country, code) is True


@pytest.mark.parametrize(("country", "code"), [(c, v) for c, vs in BAD.items() for v in vs])
def test_malformed_postal_codes_do_not_fit(country: str, code: str) -> None:
    assert postal_code_fits(country, code) is False


def test_a_country_without_a_known_format_is_not_judged() -> None:
    assert postal_code_fits("AQ", "anything") is None


def test_case_and_surrounding_space_do_not_matter_but_length_does() -> None:
    assert postal_code_fits("GB", "  sw1a 1aa ")
    assert not postal_code_fits("US", "1" * 10_000)


def test_a_clean_address_gives_no_issue(contact: Any, codes: Codes) -> None:
    address = PostalAddress(lines=("1 Main Street",), postal_code="10001", country="US")
    assert codes(contact(addresses=(address,), phones=())) == []


def test_a_postal_code_of_the_wrong_format(contact: Any, codes: Codes) -> None:
    address = PostalAddress(postal_code="7500", country="FR")
    assert codes(contact(addresses=(address,))) == [
        ("identity.addresses[0].postal_code", "address.postal_code_format")
    ]


def test_an_address_without_a_country(contact: Any, codes: Codes) -> None:
    address = PostalAddress(locality="Paris", postal_code="7500")
    assert codes(contact(addresses=(address,), phones=())) == [
        ("identity.addresses[0].country", "address.country_missing")
    ]


def test_a_country_that_is_not_iso(contact: Any, codes: Codes) -> None:
    with attrs.validators.disabled():
        address = PostalAddress(locality="Paris", country="France")
    assert codes(contact(addresses=(address,), phones=())) == [
        ("identity.addresses[0].country", "address.country_unknown")
    ]


def test_an_account_s_addresses_are_checked_too(account: Any, codes: Codes) -> None:
    record = account(addresses=(PostalAddress(postal_code="ABC", country="GB"),))
    assert codes(record) == [("identity.addresses[0].postal_code", "address.postal_code_format")]
