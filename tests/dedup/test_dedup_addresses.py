"""Postal-address comparator: street number and street read from the lines."""

from __future__ import annotations

from typing import Any

import pytest

from crmcore import PostalAddress
from crmcore.dedup import CompareContext, addresses, street_parts


@pytest.mark.parametrize(
    ("lines", "parts"),
    [
        (("10 rue de Rivoli",), ("10", "rue de rivoli")),
        (("10, R. de Rivoli",), ("10", "rue de rivoli")),
        (("10 bis rue de Rivoli",), ("10bis", "rue de rivoli")),
        (("221B Baker Street",), ("221b", "baker st")),
        (("221b Baker St.",), ("221b", "baker st")),
        (("Flat 3", "12 High Road"), ("12", "high rd")),
        (("Apt. 4B", "350 Fifth Avenue"), ("350", "fifth av")),
        (("Hauptstraße 5",), ("5", "hauptstr")),
        (("Hauptstr. 5",), ("5", "hauptstr")),
        (("Calle Mayor, 12",), ("12", "c mayor")),
        (("C/ Mayor 12",), ("12", "c mayor")),
        (("Keizersgracht 123",), ("123", "keizersgracht")),
        (("Lieu-dit Les Granges",), (None, "lieu dit les granges")),
        (("12",), (None, None)),
        ((), (None, None)),
    ],
)
def test_street_parts(lines: tuple[str, ...], parts: tuple[str | None, str | None]) -> None:
    assert street_parts(lines) == parts


def _home(
    *lines: str, code: str | None = "75001", country: str | None = "FR", **kw: str
) -> PostalAddress:
    return PostalAddress(lines=lines, postal_code=code, country=country, **kw)


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (_home("10 rue de Rivoli"), _home("10  RUE DE RIVOLI", code="750 01"), "exact"),
        (_home("10 rue de Rivoli"), _home("Bât. B", "10, r. de Rivoli"), "same_street_number"),
        (_home("10 rue de Rivoli"), _home("12 rue de Rivoli"), "same_street"),
        (_home("10 rue de Rivoli"), _home("rue de Rivoli"), "same_street"),
        (_home("10 rue de Rivoli"), _home("3 place Vendôme"), "same_postcode"),
        (_home("10 rue de Rivoli"), _home("10 rue de Rivoli", code="69001"), "different"),
        (_home("10 rue de Rivoli"), _home("10 rue de Rivoli", country="BE"), "different"),
        (
            _home("10 rue de Rivoli", code=None, locality="Paris"),
            _home("10 Rue de Rivoli", code="75001", locality="PARIS"),
            "same_street_number",
        ),
        (
            _home("10 rue de Rivoli", code=None, locality="Paris"),
            _home("10 rue de Rivoli", code=None, locality="Lyon"),
            "different",
        ),
    ],
)
def test_addresses_levels(
    left: PostalAddress, right: PostalAddress, level: str, ctx: CompareContext, person: Any
) -> None:
    cmp = addresses()
    assert cmp(person(addresses=(left,)), person(addresses=(right,)), ctx) == level
    assert cmp(person(addresses=(right,)), person(addresses=(left,)), ctx) == level


def test_addresses_of_accounts_compare_too(ctx: CompareContext, firm: Any) -> None:
    a = firm("Acme", addresses=(_home("1 avenue des Champs-Élysées"),))
    b = firm("Acme", addresses=(_home("5 rue de la Paix"), _home("1 av. des Champs Elysees")))
    assert addresses()(a, b, ctx) == "same_street_number"
    assert addresses()(a, firm("Acme"), ctx) == "null"
