"""Attrs validators and converters shared by the record and value classes.

Validators refuse a value with :class:`InvalidValueError` naming the field (and the item's index
in a tuple); every message is safe to log. Converters accept what a Python user naturally
passes where nothing is lost (a list for a tuple, an enum's value for its member, a decimal
text for an amount) and leave anything else as it is, for the validators to refuse: a converter
never raises, as it runs even where attrs validators are disabled.

A validator looks at the value alone, never at the instance, whose parameter is named ``_``
to say so: the record classes' constructors (:func:`~crmcore.records._init.lean_init`) then
skip it for a field left at a default it accepts.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs

from crmcore._iso import COUNTRY_CODES, CURRENCY_CODES
from crmcore.errors import InvalidValueError
from crmcore.records._language import canonical_tag, language_tag
from crmcore.records.limits import (
    AMOUNT_MAX_INTEGER_DIGITS,
    AMOUNT_MAX_PLACES,
    AMOUNT_TEXT_MAX_LENGTH,
    COUNT_MAX,
    LANGUAGE_TAG_MAX_LENGTH,
)

Check = Callable[[Any, "attrs.Attribute[Any]", Any], None]
E = TypeVar("E", bound=enum.Enum)

LONE_SURROGATE = "invalid Unicode: lone surrogate"
"""The reason given for text holding a lone surrogate, by the constructors and by conversion."""

_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(value: str) -> bool:
    """Whether ``value`` holds a lone surrogate: not valid Unicode, no UTF-8 output can hold it."""
    return not value.isascii() and _SURROGATE.search(value) is not None


def unicode(value: str, field: str) -> None:
    """Refuse text holding a lone surrogate (see :func:`has_lone_surrogate`)."""
    if not value.isascii() and _SURROGATE.search(value) is not None:
        raise InvalidValueError(LONE_SURROGATE, field=field, code="text.invalid_unicode")


# -- text ----------------------------------------------------------------------------------------


def text(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Refuse a non-string, a blank string (a missing value is ``None``) or invalid Unicode."""
    if value is None:
        return
    if not isinstance(value, str):
        raise InvalidValueError("expected text", field=attribute.name, code="value.wrong_type")
    if not value.strip():
        raise InvalidValueError(
            "blank text: use None for a missing value", field=attribute.name, code="text.blank"
        )
    if not value.isascii() and _SURROGATE.search(value) is not None:  # inline: runs on every text
        raise InvalidValueError(LONE_SURROGATE, field=attribute.name, code="text.invalid_unicode")


def required_text(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Refuse a missing, non-string or blank value, or invalid Unicode."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            "required text is missing", field=attribute.name, code="value.missing"
        )
    if not value.isascii() and _SURROGATE.search(value) is not None:
        raise InvalidValueError(LONE_SURROGATE, field=attribute.name, code="text.invalid_unicode")


def any_text(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Refuse a non-string or invalid Unicode; blank text is kept as it is."""
    if not isinstance(value, str):
        raise InvalidValueError("expected text", field=attribute.name, code="value.wrong_type")
    unicode(value, attribute.name)


def texts(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    """Refuse anything but a tuple of non-blank strings of valid Unicode."""
    if not isinstance(value, tuple):
        raise InvalidValueError(
            "expected a tuple or a list", field=attribute.name, code="value.wrong_type"
        )
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise InvalidValueError(
                "expected non-blank text", field=f"{attribute.name}[{index}]", code="text.blank"
            )
        unicode(item, f"{attribute.name}[{index}]")


def language(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Refuse a language that is not a registered BCP 47 tag in its canonical form.

    :func:`~crmcore.records.language_tag` gives the canonical form of any registered tag.
    """
    if value is None:
        return
    text(_, attribute, value)
    if len(value) <= LANGUAGE_TAG_MAX_LENGTH and canonical_tag(value) == value:
        return  # the common case, cached
    try:
        canonical = language_tag(value)
    except InvalidValueError as exc:
        reason, code = exc.reason, exc.code
    else:
        if canonical == value:
            return
        reason = "language tag not in canonical form: normalise it with language_tag"
        code = "language.not_canonical"
    raise InvalidValueError(reason, field=attribute.name, code=code)


def country(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Refuse a country that is not an ISO 3166-1 alpha-2 code in upper case."""
    if value is not None and (value.__class__ is not str or value not in COUNTRY_CODES):
        raise InvalidValueError(
            "not an ISO 3166-1 alpha-2 country code", field=attribute.name, code="country.unknown"
        )


def currency(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Refuse a currency that is not an active ISO 4217 code in upper case."""
    if value.__class__ is not str or value not in CURRENCY_CODES:
        raise InvalidValueError(
            "not an ISO 4217 currency code", field=attribute.name, code="currency.unknown"
        )


# -- instants and dates --------------------------------------------------------------------------


def aware(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    """Refuse a naive datetime: every instant in crmcore carries its timezone."""
    if value is None:
        return
    if not isinstance(value, datetime):
        raise InvalidValueError(
            "expected a datetime", field=attribute.name, code="value.wrong_type"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError(
            "naive datetime: a timezone is required",
            field=attribute.name,
            code="datetime.no_timezone",
        )


def a_date(_: object, attribute: attrs.Attribute[Any], value: date | None) -> None:
    """Refuse a datetime where a calendar date is meant."""
    if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
        raise InvalidValueError(
            "expected a date without a time", field=attribute.name, code="date.has_time"
        )


# -- numbers -------------------------------------------------------------------------------------


def count(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """Refuse a count that is not a whole number from 0 to :data:`~limits.COUNT_MAX`."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError(
            "expected a whole number", field=attribute.name, code="value.wrong_type"
        )
    if value < 0:
        raise InvalidValueError(
            "a count cannot be negative", field=attribute.name, code="count.negative"
        )
    if value > COUNT_MAX:
        raise InvalidValueError(
            "too large for a count", field=attribute.name, code="count.too_large"
        )


def fraction(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """Refuse a number outside 0 to 1 (a probability, a rate, a discount)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValueError("expected a number", field=attribute.name, code="value.wrong_type")
    if not 0 <= value <= 1:  # NaN compares false; a huge int never becomes a float
        raise InvalidValueError(
            "expected a number from 0 to 1", field=attribute.name, code="number.out_of_range"
        )


def between(low: int, high: int) -> Check:
    """Refuse an integer outside ``low`` to ``high`` inclusive."""

    def check(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError(
                "expected a whole number", field=attribute.name, code="value.wrong_type"
            )
        if not low <= value <= high:
            raise InvalidValueError(
                f"expected a number from {low} to {high}",
                field=attribute.name,
                code="number.out_of_range",
            )

    return check


def decimal_problem(value: Decimal) -> str | None:
    """Why a Decimal cannot be an amount (not finite, too many digits), or ``None``.

    An amount has at most :data:`~limits.AMOUNT_MAX_INTEGER_DIGITS` digits before the point
    and :data:`~limits.AMOUNT_MAX_PLACES` after it.
    """
    if not value.is_finite():
        return "expected a finite amount"
    if value and value.adjusted() >= AMOUNT_MAX_INTEGER_DIGITS:
        return f"too large: at most {AMOUNT_MAX_INTEGER_DIGITS} digits before the decimal point"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > AMOUNT_MAX_PLACES:
        return f"too precise: at most {AMOUNT_MAX_PLACES} digits after the decimal point"
    return None


def decimal_code(problem: str) -> str:
    """The code of a reason :func:`decimal_problem` gives."""
    if problem.startswith("too large"):
        return "amount.too_large"
    if problem.startswith("too precise"):
        return "amount.too_precise"
    return "amount.not_finite"


def decimal(_: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """Refuse anything but a finite Decimal within the amount limits (money is never a float)."""
    if value.__class__ is not Decimal:
        if isinstance(value, str):
            reason, code = "not a decimal number", "amount.invalid"
        elif isinstance(value, int) and not isinstance(value, bool):
            reason, code = (
                f"too large: at most {AMOUNT_MAX_INTEGER_DIGITS} digits before the decimal point",
                "amount.too_large",
            )
        else:
            reason, code = "expected a Decimal, never a float", "value.wrong_type"
        raise InvalidValueError(reason, field=attribute.name, code=code)
    problem = decimal_problem(value)
    if problem is not None:
        raise InvalidValueError(problem, field=attribute.name, code=decimal_code(problem))


_AMOUNT_INT_BOUND = 10**AMOUNT_MAX_INTEGER_DIGITS


def amount(value: Decimal | int | str) -> Decimal:
    """Convert a whole number or a decimal text (``"12.50"``) to a Decimal; floats stay refused.

    Text longer than :data:`~limits.AMOUNT_TEXT_MAX_LENGTH` is not parsed.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if -_AMOUNT_INT_BOUND < value < _AMOUNT_INT_BOUND:
            return Decimal(value)
    elif isinstance(value, str) and len(value) <= AMOUNT_TEXT_MAX_LENGTH:
        try:
            return Decimal(value)
        except InvalidOperation:
            pass
    return value  # type: ignore[return-value]  # refused by the validator


def _a(name: str) -> str:
    return f"an {name}" if name[0] in "AEIOU" else f"a {name}"


# -- objects -------------------------------------------------------------------------------------


def items_of(kind: type[Any]) -> Check:
    """Refuse anything but a tuple whose items are all instances of ``kind``."""

    def check(_: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        if not isinstance(value, tuple):
            raise InvalidValueError(
                "expected a tuple or a list", field=attribute.name, code="value.wrong_type"
            )
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise InvalidValueError(
                    f"expected {_a(kind.__name__)}",
                    field=f"{attribute.name}[{index}]",
                    code="value.wrong_type",
                )

    return check


def instance(kind: type[Any] | tuple[type[Any], ...], what: str) -> Check:
    """Refuse a value that is not ``None`` and not an instance of ``kind``."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, kind):
            raise InvalidValueError(
                f"expected {what}", field=attribute.name, code="value.wrong_type"
            )

    return check


def required(kind: type[Any]) -> Check:
    """Refuse a value that is not an instance of ``kind`` (a facet, a name, ...)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise InvalidValueError(
                f"expected {_a(kind.__name__)}", field=attribute.name, code="value.wrong_type"
            )

    return check


def flag(_: object, attribute: attrs.Attribute[Any], value: bool | None) -> None:
    """Refuse anything but ``True``, ``False`` or ``None`` (unknown)."""
    if value is not None and value.__class__ is not bool:
        raise InvalidValueError(
            "expected True, False or None", field=attribute.name, code="value.wrong_type"
        )


def required_flag(_: object, attribute: attrs.Attribute[Any], value: bool) -> None:
    """Refuse anything but ``True`` or ``False``."""
    if value.__class__ is not bool:
        raise InvalidValueError(
            "expected True or False", field=attribute.name, code="value.wrong_type"
        )


# -- enums ---------------------------------------------------------------------------------------


def member(kind: type[E], value: object) -> Any:
    """``value`` as a member of ``kind`` when it is a member's value; else ``value`` unchanged."""
    if value.__class__ is str:
        return kind._value2member_map_.get(value, value)
    return value


def member_of(kind: type[enum.Enum], *, optional: bool = True) -> Check:
    """Refuse anything but a member of ``kind`` (or ``None`` when ``optional``).

    The message lists the values the enum accepts.
    """
    values = ", ".join(str(item.value) for item in kind)
    reason = f"expected {_a(kind.__name__)}, one of: {values}"

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value.__class__ is not kind and not (optional and value is None):
            raise InvalidValueError(reason, field=attribute.name, code="enum.invalid")

    return check


# -- tuples --------------------------------------------------------------------------------------


def text_items(value: Sequence[str]) -> tuple[str, ...]:
    """Accept a list of texts where a tuple is stored."""
    return tuple(value) if value.__class__ is list else value  # type: ignore[return-value]
