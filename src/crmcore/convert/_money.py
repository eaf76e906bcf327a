"""Money written in one text as people write it: ``$1,234.50``, ``1.234,50 €``, ``(12.00) USD``.

:func:`written_money` splits the text into a currency (an ISO 4217 code or a symbol, before
or after the amount) and an amount (read by :mod:`crmcore.convert._numbers`, parentheses
for a negative one). A symbol stands for one currency, or for one of a few (``$``, ``¥``,
``kr``): the record's country, then the default currency decide among them; ``$`` is the US
dollar when neither does, any other shared symbol is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from crmcore.convert._locale import DecimalSeparator
from crmcore.convert._numbers import written_number
from crmcore.errors import InvalidValueError

__all__ = ["written_money"]

_SYMBOLS: dict[str, str] = {
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₫": "VND",
    "₴": "UAH",
    "₱": "PHP",
    "฿": "THB",
    "zł": "PLN",
    "us$": "USD",
    "c$": "CAD",
    "ca$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "r$": "BRL",
    "mx$": "MXN",
    "fr.": "CHF",
}
"""Symbols of one currency only."""
_SHARED: dict[str, dict[str, str]] = {
    "$": {
        "US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "SG": "SGD", "HK": "HKD",
        "MX": "MXN", "AR": "ARS", "CL": "CLP", "CO": "COP", "UY": "UYU", "TW": "TWD",
    },
    "¥": {"JP": "JPY", "CN": "CNY"},
    "kr": {"SE": "SEK", "NO": "NOK", "DK": "DKK", "IS": "ISK"},
    "kr.": {"SE": "SEK", "NO": "NOK", "DK": "DKK", "IS": "ISK"},
}  # fmt: skip
"""Symbols several currencies write, with the currency of each country that writes them."""
_FALLBACK = {"$": "USD"}
"""The currency a shared symbol stands for when nothing else says: ``$`` is the US dollar."""

_UNIT = r"[A-Za-z]{3}(?![A-Za-z$])|[A-Za-z]{1,2}\$|[A-Za-z]{2}\.?|Fr\.|[^\s\w().,+\-\u2212'\u2019]+"
_TEXT = re.compile(
    rf"(?P<open>\()?\s*(?P<sign>[+\-\u2212])?\s*(?P<pre>{_UNIT})?\s*"
    rf"(?P<amount>[+\-\u2212]?[0-9][0-9.,\s'\u2019]*?)\s*(?P<shut>\))?\s*(?P<post>{_UNIT})?\s*"
    r"(?P<close>\))?\Z"
)


def _currency(unit: str, region: Callable[[], str | None], default: str | None) -> str:
    if len(unit) == 3 and unit.isalpha():
        return unit.upper()
    key = unit.lower()
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    shared = _SHARED.get(key)
    if shared is None:
        raise InvalidValueError("not a currency code or symbol", code="money.invalid")
    found = shared.get(region() or "")
    if found is None and default in shared.values():
        found = default
    if found is None:
        found = _FALLBACK.get(key)
    if found is None:
        raise InvalidValueError(
            "a currency symbol several currencies write: give the code or a default currency",
            code="currency.ambiguous_symbol",
        )
    return found


def written_money(
    text: str,
    *,
    default: str | None,
    option: DecimalSeparator | None,
    country: Callable[[], DecimalSeparator | None],
    region: Callable[[], str | None],
) -> tuple[Decimal, str] | None:
    """The amount and currency code of ``text`` (stripped), ``None`` when it is not money.

    ``default`` is the currency of a bare amount, ``option`` and ``country`` decide the
    decimal separator (:func:`~crmcore.convert._numbers.written_number`) and ``region`` gives
    the record's country, asked only for a shared symbol.
    """
    match = _TEXT.match(text)
    if match is None or bool(match["open"]) != bool(match["close"] or match["shut"]):
        return None
    if match["close"] and match["shut"]:
        return None
    pre, post = match["pre"], match["post"]
    if pre and post:
        raise InvalidValueError("expected one currency code", code="money.invalid")
    unit = pre or post
    currency = _currency(unit, region, default) if unit else default
    if currency is None:
        raise InvalidValueError(
            "no currency: give a code or a default currency", code="currency.missing"
        )
    amount_text = match["amount"].strip()
    if match["sign"]:
        if amount_text[:1] in "+-\u2212":
            return None
        amount_text = match["sign"] + amount_text
    if match["open"]:
        amount_text = f"({amount_text})"
    amount = written_number(amount_text, "amount", option=option, country=country)
    return amount, currency
