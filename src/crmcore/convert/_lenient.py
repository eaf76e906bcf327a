"""Lenient readers of scalar values from ETL sources: text, numbers, booleans, enums, dates.

Each reader takes a raw value and returns the typed value or raises
:class:`~crmcore.errors.InvalidValueError` with a reason that never quotes the value, and no
exception chained to it that does. Text longer than its kind can be is refused before it is
parsed (see :mod:`crmcore.convert._limits`). The date readers live in
:mod:`crmcore.convert._dates` and are re-exported here, where the other readers are.
"""

from __future__ import annotations

import enum
import functools
import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from crmcore.convert import _limits as limits
from crmcore.convert._dates import free_form_date, read_date, read_datetime
from crmcore.convert._limits import text_within
from crmcore.convert._locale import DecimalSeparator
from crmcore.convert._missing import is_missing, plain
from crmcore.convert._numbers import written_number
from crmcore.errors import InvalidValueError
from crmcore.records._checks import LONE_SURROGATE, has_lone_surrogate

__all__ = [
    "free_form_date",
    "is_blank",
    "is_missing",
    "plain",
    "read_amount",
    "read_any",
    "read_bool",
    "read_date",
    "read_datetime",
    "read_decimal",
    "read_enum",
    "read_float",
    "read_int",
    "read_text",
]

E = TypeVar("E", bound=enum.Enum)

_INT = re.compile(r"[+-]?[0-9]+\Z")
_WRITTEN = re.compile(r"[(+\-\u2212]?[0-9]")
"""The start of a number people write with separators, a sign or parentheses."""
_HUMAN = re.compile(r"[,()\s'\u2019\u2212]")
"""A character of a number people write and Python does not read: a comma, a space, ..."""
_MISSING = "a missing value"
Country = Callable[[], DecimalSeparator | None]
_TRUE = frozenset({"true", "t", "yes", "y", "1", "on", "oui", "o", "x"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "off", "non"})


def is_blank(value: object) -> bool:
    """Whether ``value`` stands for a missing value: ``None``, blank text, a NaN, ``pandas.NA``.

    The same as :func:`~crmcore.convert._missing.is_missing`, every dialect of missing.
    """
    return is_missing(value)


def _refuse_missing(value: object) -> None:
    if is_missing(value):
        raise InvalidValueError(_MISSING, code="value.missing")


def read_text(value: object) -> str:
    """Read text; numbers are accepted (a postal code read as a number), nothing else.

    Text holding a lone surrogate is not valid Unicode and is refused. A whole number given
    as a float (``75001.0``, as a data frame holds a column of numbers with blanks) is read
    as its digits, ``"75001"``; numpy and pandas scalars are read as their Python values
    (an id given as ``int64`` is its digits), and a missing value is refused.
    """
    value = plain(value)
    if isinstance(value, str):
        if has_lone_surrogate(value):
            raise InvalidValueError(LONE_SURROGATE, code="text.invalid_unicode")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if not limits.INTEGER_MIN <= value <= limits.INTEGER_MAX:
            raise InvalidValueError("too large a number to read as text", code="integer.too_large")
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, (float, Decimal)):
        _refuse_missing(value)
        return str(value)
    _refuse_missing(value)
    raise InvalidValueError("expected text", code="value.wrong_type")


def read_int(value: object, decimal: DecimalSeparator | None = None) -> int:
    """Read a whole number from an int, an integral float or a string of digits.

    Text may group thousands (``1,204``, ``1.204``, ``1 204``) and end in zero decimals
    (``5.0``); ``decimal`` is the decimal separator the source is known to write, if any
    (see :mod:`crmcore.convert._numbers`). A fraction (``5.5``) is refused. Numbers beyond a
    signed 64-bit integer are refused: no count is that large, and every number kept must
    survive ``json.dumps`` and a database column.
    """
    value = plain(value)
    if isinstance(value, bool):
        raise InvalidValueError("expected a whole number, not a boolean", code="value.wrong_type")
    number: int | None = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        if abs(value) > limits.INTEGER_MAX + 1:
            raise InvalidValueError("too large for a whole number", code="integer.too_large")
        number = int(value)
    elif isinstance(value, str):
        text = text_within(
            value, limits.NUMBER_TEXT_MAX_LENGTH, "a whole number", "integer.too_long"
        )
        if _INT.match(text):
            number = int(text)
        elif _WRITTEN.match(text):
            written = written_number(text, "integer", whole=True, option=decimal)
            if abs(written) > limits.INTEGER_MAX + 1:
                raise InvalidValueError("too large for a whole number", code="integer.too_large")
            number = int(written)
    elif isinstance(value, float) and not value.is_integer() and math.isfinite(value):
        raise InvalidValueError(
            "a whole number is expected, not a fraction", code="integer.fractional"
        )
    elif isinstance(value, Decimal) and value.is_finite():
        if abs(value) > limits.INTEGER_MAX + 1:
            raise InvalidValueError("too large for a whole number", code="integer.too_large")
        if value == value.to_integral_value():
            number = int(value)
    if number is None:
        _refuse_missing(value)
        raise InvalidValueError("expected a whole number", code="integer.invalid")
    if not limits.INTEGER_MIN <= number <= limits.INTEGER_MAX:
        raise InvalidValueError("too large for a whole number", code="integer.too_large")
    return number


def read_float(
    value: object, decimal: DecimalSeparator | None = None, country: Country | None = None
) -> float:
    """Read a finite number; a string may end in '%' (``"35%"`` reads as 0.35).

    Text may be written with separators (``1,234.5``, ``12,5 %``), read as
    :mod:`crmcore.convert._numbers` says with ``decimal`` (the option) and ``country`` (the
    decimal separator of the record's country, asked only when needed).
    """
    value = plain(value)
    if isinstance(value, bool):
        raise InvalidValueError("expected a number, not a boolean", code="value.wrong_type")
    number: float | None = None
    if isinstance(value, (int, float, Decimal)):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            number = math.inf
    elif isinstance(value, str):
        text = text_within(value, limits.NUMBER_TEXT_MAX_LENGTH, "a number", "number.too_long")
        scale = 1.0
        if text.endswith("%"):
            text, scale = text[:-1].strip(), 100.0
        written = decimal == "," and "." in text  # a point that groups thousands
        if not written:
            try:
                number = float(text) / scale
            except ValueError:
                written = True
        if written and _WRITTEN.match(text) and (_HUMAN.search(text) or decimal == ","):
            number = float(written_number(text, "number", option=decimal, country=country))
            number /= scale
    if number is None:
        _refuse_missing(value)
        raise InvalidValueError("expected a number", code="number.invalid")
    if not math.isfinite(number):
        _refuse_missing(value)
        raise InvalidValueError("expected a finite number", code="number.not_finite")
    return number


def read_decimal(
    value: object, decimal: DecimalSeparator | None = None, country: Country | None = None
) -> Decimal:
    """Read an exact decimal; a float is read through its shortest repr, never its binary value.

    Text may be written with separators (``1,234.50``, ``1.234,50``, ``(12.00)``), read as
    :mod:`crmcore.convert._numbers` says with ``decimal`` and ``country`` (see
    :func:`read_float`). Text longer than an amount can be is refused before it is parsed, and
    so is a whole number beyond a signed 64-bit integer.
    """
    value = plain(value)
    if isinstance(value, bool):
        raise InvalidValueError("expected an amount, not a boolean", code="value.wrong_type")
    number: Decimal | None = None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        if not limits.INTEGER_MIN <= value <= limits.INTEGER_MAX:
            raise InvalidValueError("too large for an amount", code="amount.too_large")
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = text_within(value, limits.AMOUNT_TEXT_MAX_LENGTH, "an amount", "amount.too_long")
        written = decimal == "," and "." in text  # a point that groups thousands
        if not written:
            try:
                number = Decimal(text)
            except InvalidOperation:
                written = True
        if written and _WRITTEN.match(text) and (_HUMAN.search(text) or decimal == ","):
            number = written_number(text, "amount", option=decimal, country=country)
    if number is None:
        _refuse_missing(value)
        raise InvalidValueError("expected an amount", code="amount.invalid")
    if not number.is_finite():
        _refuse_missing(value)
        raise InvalidValueError("expected a finite amount", code="amount.not_finite")
    return number


def read_amount(
    value: object, decimal: DecimalSeparator | None = None, country: Country | None = None
) -> Decimal:
    """Read an amount of money: :func:`read_decimal`, within what an amount can be.

    An amount has at most 20 digits before the decimal point and 18 after it, trailing zeros
    included (``DECIMAL(38, 18)``, the widest most databases offer).
    """
    number = read_decimal(value, decimal, country)
    if not number.is_zero() and number.adjusted() >= limits.AMOUNT_MAX_INTEGER_DIGITS:
        raise InvalidValueError("too large for an amount", code="amount.too_large")
    if int(number.as_tuple().exponent) < -limits.AMOUNT_MAX_PLACES:
        raise InvalidValueError("too many decimal places for an amount", code="amount.too_precise")
    return number


def read_bool(value: object) -> bool:
    """Read a boolean from a bool, 0 or 1, or words such as yes/no, true/false, oui/non."""
    value = plain(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = text_within(
            value, limits.BOOL_TEXT_MAX_LENGTH, "yes or no", "boolean.too_long"
        ).lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    _refuse_missing(value)
    raise InvalidValueError("expected yes or no", code="boolean.invalid")


def _enum_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


@functools.cache
def _enum_index(kind: type[enum.Enum]) -> dict[str, enum.Enum]:
    index: dict[str, enum.Enum] = {}
    for member in kind:
        index[_enum_key(member.name)] = member
        if isinstance(member.value, str):
            index[_enum_key(member.value)] = member
    return index


def read_enum(value: object, kind: type[E]) -> E:
    """Read an enum member by value, or leniently by name or value in any case and spacing."""
    value = plain(value)
    if isinstance(value, str):
        text_within(value, limits.ENUM_TEXT_MAX_LENGTH, "a code", "enum.too_long")
    found: enum.Enum | None = None
    try:
        found = kind(value)
    except ValueError:
        if isinstance(value, str):
            found = _enum_index(kind).get(_enum_key(value))
    if found is not None:
        return found  # type: ignore[return-value]
    _refuse_missing(value)
    allowed = ", ".join(str(member.value) for member in kind)
    raise InvalidValueError(f"expected one of: {allowed}", code="enum.invalid")


def read_any(value: Any) -> Any:
    """Return ``value`` unchanged (the identity reader)."""
    return value
