"""Equal small values read once: one object for each distinct facet value many records hold.

Thousands of contacts hold the same communication preferences (a few dozen distinct values),
the same qualitative facet (a satisfaction and nothing else) or the same quantitative one.
Values are frozen, so a record cannot tell a value it shares from one of its own; sharing
them keeps one object per distinct value instead of one per record.

Two values are shared only when they are the same in every way a program can see, not merely
equal: Python holds ``True == 1``, ``Decimal("1.0") == Decimal("1.00")`` and equal instants in
different zones, which ``to_dict`` writes differently. So a value is shared only when it is
made of values whose equality is identity of content: ``None``, flags, integers and enum
members of their exact classes, dates, empty tuples, and values made of these. The
values of one signature (a class and the classes of its fields) are kept in a dict of their
own, each its own key: nothing but the values is held. Anything else (an amount, an instant,
a float, custom fields, a subclass) makes the value its own.

Text is never shared: a shared value is held by the converter after its records are gone
(the default converter lives as long as the process), and free text (a motivation, a pain
point) may say who a person is. Flags, counts, enum members and dates do not, alone.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import attrs

from crmcore.records import enums
from crmcore.records.contact import ContactQualitative, ContactQuantitative
from crmcore.records.custom import EMPTY_CUSTOM
from crmcore.records.values import CommunicationPreferences, SocialEngagement

__all__ = ["SHARED_CLASSES", "VALUE_SHARED", "SharedValues", "signature"]

T = TypeVar("T")

SHARED_CLASSES: frozenset[type[Any]] = frozenset(
    {CommunicationPreferences, ContactQualitative, ContactQuantitative}
)
"""The classes whose values conversion shares between records."""

VALUE_SHARED: tuple[type[Any], ...] = (CommunicationPreferences,)
"""The shared classes that cattrs reads on its own (no reader of crmcore's)."""

_NESTED: frozenset[type[Any]] = SHARED_CLASSES | {SocialEngagement}
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
    {type(None), bool, int, date}
    | {kind for kind in vars(enums).values() if isinstance(kind, type) and issubclass(kind, Enum)}
)
"""The classes whose equal values are the same in every way (exact classes only): an enum
member is the only member equal to it."""

_READ: dict[type[Any], Callable[[Any], tuple[Any, ...]]] = {
    cls: operator.attrgetter(*names) for cls, names in _FIELDS.items()
}
"""The values of the fields of each class, in order, as a tuple."""


def signature(value: Any) -> Any:
    """The class of ``value`` and the exact classes of its fields (a nested value's signature
    in its place), or ``_OWN`` when ``value`` cannot be shared.

    Two values of one signature are equal only when they are the same in every visible way:
    each field's class is one whose equal values are the same (tuples are empty).
    """
    kind = value.__class__
    if kind in _CUSTOM and value.custom is not EMPTY_CUSTOM:
        return _OWN
    fields = _READ[kind](value)
    classes = tuple(map(type, fields))
    if _SIMPLE.issuperset(classes):
        return (kind, classes)
    parts = list(classes)
    for index, cls in enumerate(classes):
        if cls in _SIMPLE:
            continue
        field = fields[index]
        if cls is tuple:
            if field:  # text (or notes): never held beyond its record
                return _OWN
        elif cls in _NESTED:
            parts[index] = signature(field)
            if parts[index] is _OWN:
                return _OWN
        else:  # a decimal (1.0 and 1.00 are equal), an instant, custom fields...
            return _OWN
    return (kind, tuple(parts))


class SharedValues:
    """The values of :data:`SHARED_CLASSES` met so far, one object for each distinct value.

    Bounded: after :data:`_LIMIT` distinct values, further new values are kept by their records
    alone. Safe to use from several threads (at worst a value is not shared).
    """

    def __init__(self, limit: int = _LIMIT) -> None:
        self._held: dict[Any, dict[Any, Any]] = {}
        self._limit = limit
        self._count = 0

    def share(self, value: T) -> T:
        """The object held for ``value``'s value, ``value`` itself the first time."""
        kind = signature(value)
        if kind is _OWN:
            return value
        group = self._held.get(kind)
        if group is None:
            if self._count >= self._limit:
                return value
            group = self._held.setdefault(kind, {})
        held: T | None = group.get(value)  # equal within a signature: the same
        if held is not None:
            return held
        if self._count < self._limit:
            group[value] = value  # the value is its own key: nothing more is held
            self._count += 1
        return value

    def clear(self) -> None:
        """Forget every value held."""
        self._held.clear()
        self._count = 0

    def sharer(self, cls: type[Any]) -> Callable[[T], T] | None:
        """:meth:`share` for a class of :data:`SHARED_CLASSES`, ``None`` for any other."""
        return self.share if cls in SHARED_CLASSES else None

    def __len__(self) -> int:
        return self._count
