"""Built-in money rules and a deal's numbers."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from crmcore import Activity, ActivityQuantitative, Deal, DealQuantitative, Money
from crmcore.validation import Severity, default_ruleset, validate
from crmcore.validation.money import decimal_places

Codes = Callable[..., list[tuple[str, str]]]


def _deal(deal: Any, **numbers: Any) -> Deal:
    record: Deal = deal()
    return attrs.evolve(record, quantitative=attrs.evolve(record.quantitative, **numbers))


def test_clean_amounts_give_no_issue(deal: Any, codes: Codes) -> None:
    assert codes(deal()) == []
    assert codes(_deal(deal, amount=Money(Decimal("0"), "EUR"))) == []


def test_a_negative_amount(deal: Any, codes: Codes) -> None:
    record = _deal(deal, amount=Money(Decimal("-1"), "EUR"))
    assert codes(record) == [("quantitative.amount.amount", "money.negative")]


def test_negative_zero_is_not_negative(deal: Any, codes: Codes) -> None:
    assert codes(_deal(deal, amount=Money(Decimal("-0.00"), "EUR"))) == []


@pytest.mark.parametrize(
    ("amount", "currency", "fits"),
    [
        ("19.90", "EUR", True),
        ("19.900", "EUR", True),
        ("19.901", "EUR", False),
        ("1500", "JPY", True),
        ("1500.5", "JPY", False),
        ("1.234", "BHD", True),
        ("1.2345", "BHD", False),
        ("1E+3", "EUR", True),
        ("0.123456", "XAU", True),
    ],
)
def test_decimal_places_beyond_the_currency_s_minor_unit(
    deal: Any, codes: Codes, amount: str, currency: str, fits: bool
) -> None:
    record = _deal(deal, amount=Money(Decimal(amount), currency), expected_revenue=None)
    expected = [] if fits else [("quantitative.amount.amount", "money.precision")]
    assert codes(record) == expected


def test_decimal_places_ignore_trailing_zeros() -> None:
    assert [decimal_places(Decimal(text)) for text in ("1", "1.0", "1.50", "1.05", "1E+2")] == [
        0,
        0,
        1,
        2,
        0,
    ]


def test_an_unknown_currency_and_a_non_finite_amount(deal: Any, codes: Codes) -> None:
    with attrs.validators.disabled():
        bad = Money(Decimal("NaN"), "EURO")
    record = _deal(deal, amount=bad, expected_revenue=None)
    assert codes(record) == [
        ("quantitative.amount.amount", "money.not_finite"),
        ("quantitative.amount.currency", "money.currency_unknown"),
    ]


def test_probability_and_discount_out_of_range(deal: Any, ctx: Any) -> None:
    with attrs.validators.disabled():
        numbers = DealQuantitative(probability=1.5, discount=float("nan"))
    record = attrs.evolve(deal(), quantitative=numbers)
    report = validate(record, default_ruleset(), ctx)
    assert [(i.path, i.code, i.severity) for i in report.issues] == [
        ("quantitative.discount", "deal.discount_range", Severity.ERROR),
        ("quantitative.probability", "deal.probability_range", Severity.ERROR),
    ]


def test_probability_bounds_are_inclusive(deal: Any, codes: Codes) -> None:
    assert codes(_deal(deal, probability=0.0, discount=1.0)) == []
    assert codes(_deal(deal, probability=1)) == []


def test_deal_amounts_in_different_currencies(deal: Any, codes: Codes) -> None:
    record = _deal(deal, expected_revenue=Money(Decimal("10"), "USD"))
    assert codes(record) == [("quantitative", "deal.currency_mismatch")]


def test_every_record_type_s_money_is_checked(codes: Codes) -> None:
    record = Activity("x-1", quantitative=ActivityQuantitative(amount=Money(Decimal("-5"), "EUR")))
    assert codes(record) == [("quantitative.amount.amount", "money.negative")]
