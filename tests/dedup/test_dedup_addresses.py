"""Postal-address comparator: street number and street read from the lines."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from crmcore import PostalAddress
from crmcore.dedup import CompareContext, addresses, street_parts
from crmcore.dedup._batch import indexed_levels


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


def _au(line: str, code: str = "2208", locality: str | None = "Moree") -> PostalAddress:
    return PostalAddress(lines=(line,), postal_code=code, locality=locality, country="AU")


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
        # The same number, the street or the place a typo away: near_street_number.
        (_au("38 Kambalda Crescent"), _au("38 kambalda ctescent"), "near_street_number"),
        (_au("37 Kelleway Avenue"), _au("37 Kellewayavenue"), "near_street_number"),
        (_au("37 Kelleway Ave"), _au("37 kellewayavenue"), "near_street_number"),
        (_au("4 Cobar Place"), _au("4 cobar lpace"), "near_street_number"),
        (_au("19 Lance Hill Avenue"), _au("19 Hill Lance Avenue"), "near_street_number"),
        (_au("19 Spofforth Street"), _au("19 Spofforth Street", code="2280"), "near_street_number"),
        (
            _au("19 Spofforth Street"),
            _au("19 Spoforth Street", code="3175", locality="Moree"),
            "near_street_number",
        ),
        (_au("150 Kambalad Crescent"), _au("150 Kambalda Crescnet"), "near_street_number"),
        # Another number or none, on the street a typo away: same_street.
        (_au("38 Kambalda Crescent"), _au("36 kambalda ctescent"), "same_street"),
        (_au("38 Kambalda Crescent"), _au("kambalda ctescent"), "same_street"),
        (_au("62 Lance Hill Avenue", "0370"), _au("26 Lance Hill Avenue", "3070"), "same_street"),
        # Not near: two typos on a short street, a place far off.
        (_au("5 Main Street"), _au("5 Mill Street"), "same_postcode"),
        (_au("5 Main St"), _au("5 Mian St"), "near_street_number"),
        (_au("5 Main St"), _au("5 Main St", code="3175", locality=None), "different"),
        (_au("5 Main St"), _au("5 Mian St", code="2802", locality=None), "different"),
        (_au("5 Main St"), _au("5 Main St", code="20800", locality=None), "different"),
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


_NEAR_POOL = (
    _au("38 Kambalda Crescent"),
    _au("38 kambalda ctescent", code="2280"),
    _au("38 Kambalda Cres", code="2208", locality="Bonville"),
    _au("38 kambaldacrescent", code="9999", locality="Bonville"),
    _au("36 Kambalda Crescent"),
    _au("Kambalda Crescent"),
    _au("5 Main St"),
    _au("5 Mill St"),
    _au("5 Mian St", code="2802"),
    _au("Flat 2", "5 Main Street"),
    PostalAddress(lines=("5 Main St",), postal_code="2208", country="NZ"),
    PostalAddress(lines=("38 kambalda crescent",), postal_code="2208"),
)


def test_indexed_levels_equal_the_per_pair_levels_over_every_pair_of_near_streets(
    person: Any,
) -> None:
    records = [person(addresses=(address,)) for address in _NEAR_POOL]
    records += [person(addresses=(_NEAR_POOL[0], _NEAR_POOL[8]))]
    count = len(records)
    left = np.array([a for a in range(count) for _ in range(count)], dtype=np.int64)
    right = np.array([b for _ in range(count) for b in range(count)], dtype=np.int64)
    cmp, ctx = addresses(), CompareContext()
    found = indexed_levels(cmp, records, left, right, ctx, cmp.levels.index)
    expected = [
        cmp.levels.index(cmp(records[a], records[b], ctx)) for a, b in zip(left, right, strict=True)
    ]
    assert found.tolist() == expected
    assert "near_street_number" in {cmp.levels[i] for i in expected}


def test_near_street_number_ranks_below_same_street_number_and_above_same_street() -> None:
    levels = addresses().levels
    assert levels.index("same_street_number") < levels.index("near_street_number")
    assert levels.index("near_street_number") < levels.index("same_street")
    assert levels[-1] == "null"


def test_an_address_is_prepared_as_a_tuple_equal_for_equal_addresses(ctx: CompareContext) -> None:
    cmp = addresses()
    lines = ("Bât. B", "10, r. de Rivoli")
    a = cmp.prepare_read((_read(PostalAddress(lines=lines, locality="Paris")),), ctx)
    b = cmp.prepare_read((_read(PostalAddress(lines=lines, locality="PARIS")),), ctx)
    assert a is not None
    assert b is not None
    assert isinstance(a[0], tuple)
    assert a[0][1:] == ("10", "rue de rivoli", None, "paris", None, "rue de rivoli")
    assert a == b
    assert hash(a) == hash(b)
    c = cmp.prepare_read((_read(PostalAddress(lines=("12 rue de Rivoli",))),), ctx)
    assert c is not None
    assert a != c


def _read(address: PostalAddress) -> tuple[object, ...]:
    return (address.lines, address.locality, address.region, address.postal_code, address.country)
