"""Equal small values read once: one object for each distinct facet value many records hold.

Thousands of contacts hold the same communication preferences (a few dozen distinct values),
the same qualitative facet (a satisfaction and nothing else) or the same quantitative one.
Values are frozen, so a record cannot tell a value it shares from one of its own; sharing
them keeps one object per distinct value instead of one per record.

Two values are shared only when they are the same in every way a program can see, not merely
equal: Python holds ``True == 1``, ``Decimal("1.0") == Decimal("1.00")`` and equal instants in
different zones, which ``to_dict`` writes differently. So a value is shared only when it is
made of values whose equality is identity of content: ``None``, flags, integers, text and
enum members of their exact classes, dates, decimals by their exact text, tuples of these,
no custom fields, and values of the shared classes. Anything else (an instant,
a float, custom fields, a subclass) makes the value its own.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

import attrs

from crmcore.records import enums
from crmcore.records.contact import ContactQualitative, ContactQuantitative
from crmcore.records.custom import EMPTY_CUSTOM
from crmcore.records.values import CommunicationPreferences, Money, SocialEngagement

__all__ = ["SHARED_CLASSES", "VALUE_SHARED", "SharedValues", "sharing_key"]

T = TypeVar("T")

SHARED_CLASSES: frozenset[type[Any]] = frozenset(
    {CommunicationPreferences, ContactQualitative, ContactQuantitative}
)
"""The classes whose values conversion shares between records."""

VALUE_SHARED: tuple[type[Any], ...] = (CommunicationPreferences,)
"""The shared classes that cattrs reads on its own (no reader of crmcore's)."""

_NESTED: frozenset[type[Any]] = SHARED_CLASSES | {Money, SocialEngagement}
"""The classes a shared value may hold values of."""

_FIELDS: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(field.name for field in attrs.fields(cls) if field.name != "custom")
    for cls in _NESTED
}
"""The fields of each class but its custom fields (which must be the empty ones)."""

_CUSTOM: frozenset[type[Any]] = frozenset(
    cls for cls in _NESTED if "custom" in attrs.fields_dict(cls)
)
"""The classes with custom fields."""

_LIMIT = 4096
"""How many distinct values one :class:`SharedValues` keeps (the rest are not shared)."""


_OWN = object()
"""The key of a value that is not shared."""

_SIMPLE: frozenset[type[Any]] = frozenset(
    {type(None), bool, int, str, date}
    | {kind for kind in vars(enums).values() if isinstance(kind, type) and issubclass(kind, Enum)}
)
"""The classes whose equal values are the same in every way (exact classes only): an enum
member is the only member equal to it."""

_TEXT = frozenset({str})

_READ: dict[type[Any], Callable[[Any], tuple[Any, ...]]] = {
    cls: operator.attrgetter(*names) for cls, names in _FIELDS.items()
}
"""The values of the fields of each class, in order, as a tuple."""


def sharing_key(value: Any) -> Any:
    """A key that two values have alike only when they are the same in every visible way
    (class, and class and value of every field), or ``_OWN`` when ``value`` cannot be shared.
    """
    kind = value.__class__
    if kind in _CUSTOM and value.custom is not EMPTY_CUSTOM:
        return _OWN
    fields = _READ[kind](value)
    classes = tuple(map(type, fields))
    if _SIMPLE.issuperset(classes):
        return (kind, classes, fields)
    return _slow_key(kind, list(fields), classes)


def _slow_key(kind: type[Any], fields: list[Any], classes: tuple[type[Any], ...]) -> Any:
    """:func:`sharing_key` of a value with a field of another class than the simple ones."""
    for index, cls in enumerate(classes):
        if cls in _SIMPLE:
            continue
        field = fields[index]
        if cls is tuple:
            if _TEXT.issuperset(map(type, field)):
                continue
            return _OWN
        if cls is Decimal:
            fields[index] = str(field)  # its exact text: 1.0 and 1.00 are equal, not the same
        elif cls in _NESTED:
            key = sharing_key(field)
            if key is _OWN:
                return _OWN
            fields[index] = key
        else:
            return _OWN
    return (kind, classes, tuple(fields))


class SharedValues:
    """The values of :data:`SHARED_CLASSES` met so far, one object for each distinct value.

    Bounded: after :data:`_LIMIT` distinct values, further new values are kept by their records
    alone. Safe to use from several threads (at worst a value is not shared).
    """

    def __init__(self, limit: int = _LIMIT) -> None:
        self._held: dict[Any, Any] = {}
        self._limit = limit

    def share(self, value: T) -> T:
        """The object held for ``value``'s value, ``value`` itself the first time."""
        key = sharing_key(value)
        if key is _OWN:
            return value
        held: T | None = self._held.get(key)
        if held is not None:
            return held
        if len(self._held) < self._limit:
            self._held[key] = value
        return value

    def clear(self) -> None:
        """Forget every value held."""
        self._held.clear()

    def sharer(self, cls: type[Any]) -> Callable[[T], T] | None:
        """:meth:`share` for a class of :data:`SHARED_CLASSES`, ``None`` for any other."""
        return self.share if cls in SHARED_CLASSES else None

    def __len__(self) -> int:
        return len(self._held)
