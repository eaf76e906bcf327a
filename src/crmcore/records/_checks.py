"""Attrs validators shared by the record and value classes; every message is safe to log."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from crmcore._iso import COUNTRY_CODES, CURRENCY_CODES
from crmcore.errors import InvalidValueError
from crmcore.records._language import language_tag

Check = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def aware(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    """Refuse a naive datetime: every instant in crmcore carries its timezone."""
    if value is None:
        return
    if not isinstance(value, datetime):
        raise InvalidValueError("expected a datetime", field=attribute.name)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError("naive datetime: a timezone is required", field=attribute.name)


def a_date(_: object, attribute: attrs.Attribute[Any], value: date | None) -> None:
    """Refuse a datetime where a calendar date is meant."""
    if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
        raise InvalidValueError("expected a date without a time", field=attribute.name)


def text(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Refuse a non-string or a blank string (a missing value is ``None``)."""
    if value is None:
        return
    if not isinstance(value, str):
        raise InvalidValueError("expected text", field=attribute.name)
    if not value.strip():
        raise InvalidValueError("blank text: use None for a missing value", field=attribute.name)


def required_text(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Refuse a missing, non-string or blank value."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("required text is missing", field=attribute.name)


def texts(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    """Refuse anything but a tuple of non-blank strings."""
    if not isinstance(value, tuple):
        raise InvalidValueError("expected a tuple", field=attribute.name)
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise InvalidValueError("expected non-blank text items", field=attribute.name)


def items_of(kind: type[Any]) -> Check:
    """Refuse anything but a tuple whose items are all instances of ``kind``."""

    def check(_: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        if not isinstance(value, tuple):
            raise InvalidValueError("expected a tuple", field=attribute.name)
        for item in value:
            if not isinstance(item, kind):
                raise InvalidValueError(f"expected {kind.__name__} items", field=attribute.name)

    return check


def count(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """Refuse a count that is not a non-negative integer."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError("expected a whole number", field=attribute.name)
    if value < 0:
        raise InvalidValueError("a count cannot be negative", field=attribute.name)


def fraction(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """Refuse a number outside 0 to 1 (a probability, a rate, a discount)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValueError("expected a number", field=attribute.name)
    if math.isnan(value) or not 0 <= value <= 1:
        raise InvalidValueError("expected a number from 0 to 1", field=attribute.name)


def between(low: int, high: int) -> Check:
    """Refuse an integer outside ``low`` to ``high`` inclusive."""

    def check(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError("expected a whole number", field=attribute.name)
        if not low <= value <= high:
            raise InvalidValueError(f"expected a number from {low} to {high}", field=attribute.name)

    return check


def decimal(_: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """Refuse anything but a finite Decimal (money is never a float)."""
    if not isinstance(value, Decimal):
        raise InvalidValueError("expected a Decimal, never a float", field=attribute.name)
    if not value.is_finite():
        raise InvalidValueError("expected a finite amount", field=attribute.name)


def country(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Refuse a country that is not an ISO 3166-1 alpha-2 code in upper case."""
    if value is not None and value not in COUNTRY_CODES:
        raise InvalidValueError("not an ISO 3166-1 alpha-2 country code", field=attribute.name)


def currency(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Refuse a currency that is not an active ISO 4217 code in upper case."""
    if value not in CURRENCY_CODES:
        raise InvalidValueError("not an ISO 4217 currency code", field=attribute.name)


def instance(kind: type[Any] | tuple[type[Any], ...], what: str) -> Check:
    """Refuse a value that is not ``None`` and not an instance of ``kind``."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, kind):
            raise InvalidValueError(f"expected {what}", field=attribute.name)

    return check


def language(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Refuse a language that is not a registered BCP 47 tag in its canonical form.

    :func:`~crmcore.records.language_tag` gives the canonical form of any registered tag.
    """
    if value is None:
        return
    text(_, attribute, value)
    try:
        canonical = language_tag(value)
    except InvalidValueError as exc:
        reason = exc.reason
    else:
        if canonical == value:
            return
        reason = "language tag not in canonical form: normalise it with language_tag"
    raise InvalidValueError(reason, field=attribute.name)
