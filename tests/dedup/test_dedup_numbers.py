"""Number comparator: exact, within a tolerance, different; money in one currency."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from crmcore import Account, AccountQuantitative, Money
from crmcore.dedup import CompareContext, numbers
from crmcore.errors import InvalidValueError


def _firm(employees: int | None = None, revenue: Money | None = None) -> Account:
    return Account(
        "a", quantitative=AccountQuantitative(employees=employees, annual_revenue=revenue)
    )


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [(100, 100, "exact"), (100, 104, "within"), (100, 106, "different"), (100, None, "null")],
)
def test_numbers_absolute(left: int, right: int | None, level: str, ctx: CompareContext) -> None:
    cmp = numbers("quantitative.employees", 5)
    assert cmp(_firm(left), _firm(right), ctx) == level
    assert cmp(_firm(right), _firm(left), ctx) == level


def test_numbers_relative(ctx: CompareContext) -> None:
    cmp = numbers("quantitative.employees", Decimal("0.1"), relative=True)
    assert cmp(_firm(1000), _firm(910), ctx) == "within"
    assert cmp(_firm(1000), _firm(890), ctx) == "different"
    assert cmp(_firm(0), _firm(0), ctx) == "exact"


def test_money_compares_in_one_currency_only(ctx: CompareContext) -> None:
    cmp = numbers("quantitative.annual_revenue", 1000)
    eur = _firm(revenue=Money(Decimal("1000000"), "EUR"))
    assert cmp(eur, _firm(revenue=Money(Decimal("1000500"), "EUR")), ctx) == "within"
    assert cmp(eur, _firm(revenue=Money(Decimal("1000000"), "USD")), ctx) == "null"


@pytest.mark.parametrize("tolerance", [-1, "many", True, float("nan"), None])
def test_the_tolerance_is_a_number(tolerance: Any) -> None:
    with pytest.raises(InvalidValueError, match="tolerance"):
        numbers("quantitative.employees", tolerance)
