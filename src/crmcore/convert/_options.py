"""Checks of the options of a :class:`~crmcore.convert.Converter`, run when it is built.

Each check returns the option's value, read where a careful user would expect it to be read
(an ISO 8601 instant with its offset, a time-zone name), or raises
:class:`~crmcore.errors.InvalidValueError` naming the option, never quoting the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from crmcore._iso import COUNTRY_CODES
from crmcore._regions import region_reason
from crmcore.convert import _limits as limits
from crmcore.convert._locale import DecimalSeparator
from crmcore.errors import InvalidValueError
from crmcore.records import RECORD_TYPES
from crmcore.records.custom import CustomSchema

__all__ = [
    "as_of",
    "code",
    "dayfirst",
    "decimal_separator",
    "flag",
    "record_type",
    "schemas",
    "time_zone",
]

_OFFSET = re.compile(r"([+-])([0-9]{2}):?([0-9]{2})\Z")
_RECORDS_BY_NAME = {kind.__name__: kind for kind in RECORD_TYPES}


def flag(value: object, name: str) -> bool:
    """A boolean option: ``True`` or ``False``, nothing that merely looks like one."""
    if not isinstance(value, bool):
        raise InvalidValueError("expected True or False", field=name)
    return value


def dayfirst(value: object) -> bool | None:
    """The ``dayfirst`` option: ``True`` or ``False`` for every record, or ``None`` to leave
    the order of an ambiguous date to the country of each record."""
    if value is None or isinstance(value, bool):
        return value
    raise InvalidValueError("expected True, False or None", field="dayfirst")


def decimal_separator(value: object) -> DecimalSeparator | None:
    """The decimal separator a source writes: ``","`` or ``"."``, or ``None`` to leave it to
    the country of each record."""
    if value is None:
        return None
    if value == ",":
        return ","
    if value == ".":
        return "."
    raise InvalidValueError("expected ',' or '.'", field="decimal_separator")


def as_of(value: object) -> datetime | None:
    """A timezone-aware datetime, or ISO 8601 text with its offset (``2026-01-01T00:00Z``)."""
    if value is None:
        return None
    instant: datetime | None = None
    if isinstance(value, datetime):
        instant = value
    elif isinstance(value, str) and len(value) <= limits.DATETIME_TEXT_MAX_LENGTH:
        try:
            instant = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            instant = None
    if instant is None:
        raise InvalidValueError(
            "expected a timezone-aware datetime or ISO 8601 text with an offset", field="as_of"
        )
    if instant.utcoffset() is None:
        raise InvalidValueError("as_of must be timezone-aware", field="as_of")
    return instant


def time_zone(value: object) -> tzinfo | None:
    """A ``tzinfo``, or ``UTC``, a fixed offset (``+01:00``) or an IANA name (``Europe/Paris``)."""
    if value is None or isinstance(value, tzinfo):
        return value
    found: tzinfo | None = None
    if isinstance(value, str) and len(value) <= limits.TIME_ZONE_NAME_MAX_LENGTH:
        text = value.strip()
        offset = _OFFSET.match(text)
        if text.upper() in ("UTC", "Z", "GMT"):
            found = timezone.utc
        elif offset is not None:
            sign, hours, minutes = offset.groups()
            delta = timedelta(hours=int(hours), minutes=int(minutes))
            if delta < timedelta(hours=24):
                found = timezone(-delta if sign == "-" else delta)
        elif text:
            try:
                found = ZoneInfo(text)
            except (ZoneInfoNotFoundError, ValueError, OSError):  # unknown, malformed, a folder
                found = None
    if found is None:
        raise InvalidValueError(
            "expected a tzinfo, UTC, an offset like +01:00 or a time-zone name like Europe/Paris",
            field="assume_tz",
        )
    return found


def code(value: object, codes: frozenset[str], what: str, name: str) -> str | None:
    """An ISO code among ``codes``, in upper case as the standard writes it."""
    if value is not None and (not isinstance(value, str) or value not in codes):
        raise InvalidValueError(f"not an {what} code", field=name)
    return value


def region(value: object) -> str | None:
    """An ISO 3166-1 alpha-2 code; a refusal names the code meant (``UK`` means ``GB``)."""
    if value is not None and (not isinstance(value, str) or value not in COUNTRY_CODES):
        reason = region_reason(value) if isinstance(value, str) else "expected a region code"
        raise InvalidValueError(reason, field="default_region")
    return value


def schemas(value: object) -> dict[type[Any], CustomSchema]:
    """One :class:`CustomSchema`, or any iterable of them, at most one per record type."""
    if isinstance(value, CustomSchema):
        items: list[object] = [value]
    elif isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected a CustomSchema or an iterable of them", field="schemas")
    else:
        items = list(value)
    by_type: dict[type[Any], CustomSchema] = {}
    for item in items:
        if not isinstance(item, CustomSchema):
            raise InvalidValueError("expected CustomSchema items", field="schemas")
        if item.record_type in by_type:
            raise InvalidValueError("one custom-field schema per record type", field="schemas")
        by_type[item.record_type] = item
    return by_type


def record_type(value: object) -> type[Any]:
    """An attrs class (a record type, or a class of one's own), or a record type's name."""
    if isinstance(value, str):
        found = _RECORDS_BY_NAME.get(value)
        if found is not None:
            return found
    elif isinstance(value, type) and attrs.has(value):
        return value
    names = ", ".join(sorted(_RECORDS_BY_NAME))
    raise InvalidValueError(f"expected a record type or its name ({names})", field="record_type")
