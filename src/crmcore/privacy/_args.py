"""Check the arguments of the privacy request functions; each check names its argument."""

from __future__ import annotations

import datetime as _dt

from crmcore.errors import InvalidValueError

__all__ = ["read_aware", "read_text"]


def read_aware(value: object, field: str) -> _dt.datetime:
    """``value`` if it is a timezone-aware datetime, else :class:`InvalidValueError`."""
    if not isinstance(value, _dt.datetime):
        raise InvalidValueError("expected a timezone-aware datetime", field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError("a naive datetime: give its timezone", field=field)
    return value


def read_text(value: object, field: str, *, required: bool, limit: int = 10_000) -> str:
    """``value`` if it is text of at most ``limit`` characters (not blank when ``required``)."""
    if not isinstance(value, str):
        raise InvalidValueError("expected text", field=field)
    if len(value) > limit:
        raise InvalidValueError(f"longer than {limit} characters", field=field)
    if required and not value.strip():
        raise InvalidValueError("must not be blank", field=field)
    return value
