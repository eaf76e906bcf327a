"""The checks of the presets' arguments: records of one type, thresholds, registries.

Every refusal is an :class:`~crmcore.errors.InvalidValueError` naming the argument, a position
or a record id, never a value of a record.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from crmcore._safe import printable
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record

__all__ = ["check_probability", "check_thresholds", "read_typed"]

_CONVERT_FIRST = "convert rows first (crmcore.cleaning.clean_raw or Converter.from_dict)"


def read_typed(records: object, record_type: type[Record], argument: str) -> tuple[Record, ...]:
    """``records`` sorted by id: records of ``record_type`` only, each id once.

    A dict (a row not yet converted), another record type or a repeated id is refused, by
    position or id.
    """
    if isinstance(records, (str, bytes, Record, Mapping)) or not isinstance(records, Iterable):
        raise InvalidValueError(
            f"expected an iterable of {record_type.__name__} records", field=argument
        )
    found = tuple(records)
    seen: set[str] = set()
    for position, record in enumerate(found):
        if isinstance(record, Mapping):
            raise InvalidValueError(
                f"{argument}[{position}] is a mapping, not a {record_type.__name__} record: "
                + _CONVERT_FIRST,
                field=argument,
            )
        if not isinstance(record, Record):
            raise InvalidValueError(
                f"{argument}[{position}] is not a crmcore record ({type(record).__name__})",
                field=argument,
            )
        if type(record) is not record_type:
            raise InvalidValueError(
                f"{argument}[{position}] (id {printable(record.id, 100)!r}) is of type "
                f"{type(record).__name__}, not {record_type.__name__}",
                field=argument,
            )
        if record.id in seen:
            raise InvalidValueError(
                f"record id {printable(record.id, 100)!r} is repeated", field=argument
            )
        seen.add(record.id)
    return tuple(sorted(found, key=lambda record: record.id))


def check_probability(value: object, field: str) -> float:
    """``value`` as a float between 0 and 1 (inclusive); refused otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValueError("expected a probability between 0 and 1", field=field)
    number = float(value)
    if math.isnan(number) or not 0.0 <= number <= 1.0:
        raise InvalidValueError("expected a probability between 0 and 1", field=field)
    return number


def check_thresholds(match: object, review: object) -> tuple[float, float]:
    """The match and review thresholds, checked: probabilities, review at most match."""
    found = check_probability(match, "match_threshold")
    below = check_probability(review, "review_threshold")
    if below > found:
        raise InvalidValueError(
            "the review threshold is above the match threshold", field="review_threshold"
        )
    return found, below


def check_instance(value: Any, kind: type[Any], field: str, expected: str) -> None:
    """Refuse ``value`` unless it is a ``kind`` (``expected`` says what, in the message)."""
    if not isinstance(value, kind):
        raise InvalidValueError(f"expected {expected}", field=field)
