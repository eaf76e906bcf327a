"""Built-in money and number rules: ISO 4217 currencies, amounts, a deal's probability.

Every money field of a record (found from the record classes, not from a list of names) is an
amount that cannot be negative: revenue, spend, lifetime value, deal amounts, purchases.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from crmcore._iso import CURRENCIES, CURRENCY_CODES
from crmcore.records._meta import Category
from crmcore.records.deal import Deal
from crmcore.validation._registry import Registry
from crmcore.validation._walk import holders, item_path, layout, values
from crmcore.validation.context import Context
from crmcore.validation.issues import Code, Issue, Severity

__all__ = [
    "CODES",
    "CURRENCY_MISMATCH",
    "CURRENCY_UNKNOWN",
    "DISCOUNT_RANGE",
    "NEGATIVE",
    "NOT_FINITE",
    "PRECISION",
    "PROBABILITY_RANGE",
    "check_deal_numbers",
    "check_money",
    "decimal_places",
    "register",
]

CURRENCY_UNKNOWN = Code(
    "money.currency_unknown", Severity.ERROR, "the currency is not an active ISO 4217 code"
)
NOT_FINITE = Code("money.not_finite", Severity.ERROR, "the amount is not a finite number")
NEGATIVE = Code("money.negative", Severity.ERROR, "the amount is negative")
PRECISION = Code(
    "money.precision",
    Severity.WARNING,
    "the amount has more decimal places than its currency's minor unit",
)
PROBABILITY_RANGE = Code(
    "deal.probability_range", Severity.ERROR, "the probability is not a number from 0 to 1"
)
DISCOUNT_RANGE = Code(
    "deal.discount_range", Severity.ERROR, "the discount is not a fraction from 0 to 1"
)
CURRENCY_MISMATCH = Code(
    "deal.currency_mismatch",
    Severity.WARNING,
    "the deal's amounts are in different currencies",
)
CODES = (
    CURRENCY_UNKNOWN,
    NOT_FINITE,
    NEGATIVE,
    PRECISION,
    PROBABILITY_RANGE,
    DISCOUNT_RANGE,
    CURRENCY_MISMATCH,
)


def decimal_places(amount: Decimal) -> int:
    """The decimal places ``amount`` needs, trailing zeros ignored: ``Decimal("1.50")`` → 1.

    >>> decimal_places(Decimal("19.900")), decimal_places(Decimal("1E+3"))
    (1, 0)
    """
    _, digits, exponent = amount.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places = -exponent
    index = len(digits) - 1
    while places > 0 and index >= 0 and digits[index] == 0:
        places -= 1
        index -= 1
    return places


def _fits_minor(amount: Decimal, minor: int) -> bool:
    exponent = amount.as_tuple().exponent
    return (isinstance(exponent, int) and exponent >= -minor) or decimal_places(amount) <= minor


_MINOR_UNITS = {currency.code: currency.minor_units for currency in CURRENCIES}


def check_money(record: Any, ctx: Context) -> list[Issue]:
    """Check every money field of ``record``.

    Codes: ``money.currency_unknown``, ``money.not_finite``, ``money.negative``,
    ``money.precision``.
    """
    found: list[Issue] = []
    for slot in layout(type(record)).money:
        for index, money in enumerate(slot.get(record) if slot.many else (slot.get(record),)):
            if money is None:
                continue
            currency, amount = money.currency, money.amount
            known = currency in CURRENCY_CODES
            finite = isinstance(amount, Decimal) and amount.is_finite()
            if known and finite and not amount.is_signed():
                minor = _MINOR_UNITS[currency]
                if minor is None or _fits_minor(amount, minor):
                    continue
            path = item_path(slot, index)
            if not known:
                found.append(CURRENCY_UNKNOWN.issue(f"{path}.currency", slot.category))
            if not finite:
                found.append(NOT_FINITE.issue(f"{path}.amount", slot.category))
                continue
            if amount < 0:
                found.append(NEGATIVE.issue(f"{path}.amount", slot.category))
            if known:
                minor = _MINOR_UNITS[currency]
                if minor is not None and not _fits_minor(amount, minor):
                    found.append(PRECISION.issue(f"{path}.amount", slot.category))
    return found


def _fraction(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and not math.isnan(value)
        and 0 <= value <= 1
    )


def check_deal_numbers(record: Any, ctx: Context) -> list[Issue]:
    """Check a deal's probability, discount and the currencies of its amounts.

    Codes: ``deal.probability_range``, ``deal.discount_range``, ``deal.currency_mismatch``.
    """
    found: list[Issue] = []
    numbers = record.quantitative
    if numbers.probability is not None and not _fraction(numbers.probability):
        found.append(PROBABILITY_RANGE.issue("quantitative.probability", Category.QUANTITATIVE))
    if numbers.discount is not None and not _fraction(numbers.discount):
        found.append(DISCOUNT_RANGE.issue("quantitative.discount", Category.QUANTITATIVE))
    currencies = {
        money.currency for slot in layout(type(record)).money for money in values(record, slot)
    }
    if len(currencies) > 1:
        found.append(CURRENCY_MISMATCH.issue("quantitative", Category.QUANTITATIVE))
    return found


def register(ruleset: Registry) -> None:
    """Add the money rules to ``ruleset``."""
    ruleset.add(
        holders("money"),
        check_money,
        codes=[c.name for c in (CURRENCY_UNKNOWN, NOT_FINITE, NEGATIVE, PRECISION)],
        name="crmcore.money",
    )
    ruleset.add(
        Deal,
        check_deal_numbers,
        codes=[c.name for c in (PROBABILITY_RANGE, DISCOUNT_RANGE, CURRENCY_MISMATCH)],
        name="crmcore.deal_numbers",
    )
