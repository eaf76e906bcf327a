"""Numbers as people write them: ``1,204``, ``1.234,50``, ``1 234,5``, ``(12.00)``.

:func:`written_number` reads the digits, the grouping separators (a comma, a point, a space
of any width or an apostrophe, by groups of three) and the decimal separator of a number
written as text. Which of a comma and a point is the decimal separator is decided by the
text itself when it can (``1,234.50``, ``12,5``, ``1,234,567``), else by the decimal
separator given as an option, else by the country of the record, and never guessed:

- a whole number has no decimals, so one separator followed by three digits (``1,204``,
  ``1.204``) groups thousands, unless the option names it the decimal separator;
- a point followed by three digits (``1.234``) is the decimal point crmcore writes itself,
  unless the option is a comma;
- a comma followed by three digits (``1,234``) is the country's decimal separator; with
  no option and no country it is refused as ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from crmcore.convert._locale import DecimalSeparator
from crmcore.errors import InvalidValueError

__all__ = ["written_number"]

_GROUPING_ONLY = " \u00a0\u202f\u2009'\u2019"
"""Separators that only ever group digits: spaces (plain, no-break, narrow) and apostrophes."""
_SHAPE = re.compile(r"[0-9]+(?:[.,\s'\u2019][0-9]+)*\Z")
_SPLIT = re.compile(r"([.,\s'\u2019])")
_MINUS = "-\u2212"


def _refuse(family: str, reason: str, code: str | None = None) -> InvalidValueError:
    return InvalidValueError(reason, code=code or f"{family}.invalid")


def written_number(
    text: str,
    family: str,
    *,
    whole: bool = False,
    option: DecimalSeparator | None = None,
    country: Callable[[], DecimalSeparator | None] | None = None,
) -> Decimal:
    """The number ``text`` (stripped) stands for, read with its separators.

    ``family`` names the kind of number in refusal codes (``integer``, ``number``,
    ``amount``); ``whole`` says the number has no decimals (a count); ``option`` is the
    decimal separator the source is known to write; ``country`` gives the one of the
    record's country, asked only when the text alone cannot say.
    """
    expected = "expected a whole number" if whole else f"expected {_WHAT[family]}"
    body, negative = text, False
    if body[:1] == "(" and body[-1:] == ")":
        body, negative = body[1:-1].strip(), True
    if body[:1] in _MINUS or body[:1] == "+":
        if negative and body[:1] != "+":
            raise _refuse(family, expected)
        negative = negative or body[:1] in _MINUS
        body = body[1:].lstrip()
    if not _SHAPE.match(body):
        raise _refuse(family, expected)
    runs = _SPLIT.split(body)
    digits, seps = runs[0::2], [" " if s.isspace() else s for s in runs[1::2]]
    point = _decimal_point(digits, seps, whole, option, country, family)
    grouped = seps[:point] if point is not None else seps
    if any(sep != grouped[0] for sep in grouped) or (
        grouped
        and (len(digits[0]) > 3 or any(len(run) != 3 for run in digits[1 : len(grouped) + 1]))
    ):
        raise _refuse(family, "digits grouped other than by three" if grouped else expected)
    whole_part = "".join(digits[: len(grouped) + 1])
    number = Decimal(whole_part + ("." + digits[-1] if point is not None else ""))
    if whole and number != number.to_integral_value():
        raise _refuse(family, "a whole number is expected, not a fraction", "integer.fractional")
    return -number if negative else number


_AMBIGUOUS = {
    "integer": "integer.invalid",  # never asked: a whole number is never ambiguous
    "number": "number.ambiguous_separator",
    "amount": "amount.ambiguous_separator",
}
_WHAT = {"integer": "a whole number", "number": "a number", "amount": "an amount"}


def _decimal_point(
    digits: list[str],
    seps: list[str],
    whole: bool,
    option: DecimalSeparator | None,
    country: Callable[[], DecimalSeparator | None] | None,
    family: str,
) -> int | None:
    """The index in ``seps`` of the decimal separator, ``None`` when there is none."""
    if not seps:
        return None
    last = seps[-1]
    if last in _GROUPING_ONLY or seps.count(last) > 1:
        if option is not None and last == option:
            raise _refuse(family, "more than one decimal separator")
        return None
    if len(seps) > 1:  # grouping before it: the last separator is the decimal one
        if option is not None and last != option:
            raise _refuse(family, "a decimal separator other than the one set")
        return len(seps) - 1
    if option is not None:
        return 0 if last == option else None
    head, tail = digits[0], digits[1]
    if len(tail) != 3 or len(head) > 3 or head.startswith("0"):
        return 0  # cannot be a thousands separator
    if whole:
        return None  # no decimals: it groups thousands
    if last == ".":
        return 0  # the point crmcore writes
    decided = country() if country is not None else None
    if decided is None:
        raise InvalidValueError(
            "a comma before three digits may group thousands or mark decimals: "
            "set decimal_separator or give the record an address country",
            code=_AMBIGUOUS[family],
        )
    return 0 if decided == "," else None
