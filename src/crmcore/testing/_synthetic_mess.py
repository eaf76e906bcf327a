"""How exports write values: stray case and spaces, enums as typed, numbers as text, money
in several forms, and missing values left out or written as empty strings.

A ``Row`` is one raw input row, the dict users feed ``from_dict``.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from crmcore.testing._synthetic_basics import chance

__all__ = ["Row", "as_money", "as_number", "vary_case", "vary_enum", "write_missing"]

Row = dict[str, Any]


def vary_case(rng: random.Random, text: str) -> str:
    """Mostly as is; sometimes in capitals, lower case or with stray spaces."""
    roll = rng.random()
    if roll < 0.08:
        return text.upper()
    if roll < 0.13:
        return text.lower()
    if roll < 0.19:
        return rng.choice((f" {text}", f"{text} ", f"{text}  ", text.replace(" ", "  ", 1)))
    return text


def vary_enum(rng: random.Random, value: str) -> str:
    """An enum value as people type it: ``customer``, ``LEAD``, ``Sales-Qualified``, ..."""
    words = value.split("_")
    return rng.choice(
        (
            value,
            value,
            value.upper(),
            " ".join(word.capitalize() for word in words),
            "-".join(word.capitalize() for word in words),
            value.replace("_", " "),
        )
    )


def as_number(rng: random.Random, value: int) -> int | str:
    """A count as a number or as text, as spreadsheets export it."""
    return str(value) if chance(rng, 0.4) else value


def as_money(rng: random.Random, amount: Decimal, currency: str) -> Any:
    text = f"{amount:.2f}"
    return rng.choice(
        (
            f"{text} {currency}",
            f"{text} {currency}",
            f"{currency} {text}",
            f"{text} {currency.lower()}",
            {"amount": text, "currency": currency},
            {"amount": float(text), "currency": currency.lower()},
        )
    )


def write_missing(value: Any, sparse: bool) -> Any:
    """Write missing values as exports do: left out (``sparse``) or as empty strings."""
    if isinstance(value, dict):
        out: Row = {}
        for key, item in value.items():
            if item is None:
                if not sparse:
                    out[key] = ""
                continue
            out[key] = write_missing(item, sparse)
        return out
    if isinstance(value, list):
        return [write_missing(item, sparse) for item in value]
    return value
