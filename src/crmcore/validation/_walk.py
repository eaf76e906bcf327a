"""Where the values of one kind sit in a record type, found once from the attrs classes.

Built-in validators ask, for instance, for every field of a :class:`~crmcore.Contact` that holds
phone numbers; the answer is computed from the classes and their field metadata on first use
and kept per record type (a :class:`Layout`), so no table of field names can drift from the
records and the hot path pays one dictionary lookup.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any, NamedTuple, get_args, get_origin

import attrs

from crmcore._iso import COUNTRY_CODES
from crmcore.records._meta import Category, PrivacyCategory, field_info
from crmcore.records.values import EmailAddress, Money, Note, PhoneNumber, PostalAddress

__all__ = ["Layout", "Slot", "category_of", "holders", "layout", "record_country", "values"]


class Slot(NamedTuple):
    """One field that holds values of a kind: ``facet.name`` (or ``name`` on the record)."""

    path: str
    category: Category | None
    many: bool
    get: Callable[[Any], Any]


class Layout(NamedTuple):
    """The slots of each kind of value in one record type."""

    emails: tuple[Slot, ...]
    phones: tuple[Slot, ...]
    addresses: tuple[Slot, ...]
    notes: tuple[Slot, ...]
    money: tuple[Slot, ...]
    birth_dates: tuple[Slot, ...]

    @property
    def contact_points(self) -> tuple[tuple[Slot, ...], ...]:
        """The email, phone and postal address slots, in that order."""
        return (self.emails, self.phones, self.addresses)


def _holds(annotation: Any, kind: type[Any]) -> bool | None:
    """``True`` for a tuple of ``kind``, ``False`` for one (optional) ``kind``, else ``None``."""
    if annotation is kind:
        return False
    args = get_args(annotation)
    if get_origin(annotation) is tuple and len(args) == 2 and args[0] is kind:
        return True
    if kind in args and all(arg is kind or arg is type(None) for arg in args):
        return False
    return None


def _slots(record_type: Any, kind: type[Any]) -> tuple[Slot, ...]:
    found: list[Slot] = []
    for attribute in attrs.fields(attrs.resolve_types(record_type)):
        info = field_info(attribute)
        many = _holds(attribute.type, kind)
        if many is not None:
            category = info.category if info is not None else None
            getter = operator.attrgetter(attribute.name)
            found.append(Slot(attribute.name, category, many, getter))
            continue
        if info is None or not info.is_facet or not attrs.has(attribute.type):
            continue
        for inner in attrs.fields(attrs.resolve_types(attribute.type)):
            many = _holds(inner.type, kind)
            if many is not None:
                path = f"{attribute.name}.{inner.name}"
                found.append(Slot(path, info.category, many, operator.attrgetter(path)))
    return tuple(found)


def _birth_dates(record_type: Any) -> tuple[Slot, ...]:
    found: list[Slot] = []
    for attribute in attrs.fields(attrs.resolve_types(record_type)):
        info = field_info(attribute)
        if info is None or not info.is_facet or not attrs.has(attribute.type):
            continue
        for inner in attrs.fields(attrs.resolve_types(attribute.type)):
            inner_info = field_info(inner)
            if inner_info is not None and inner_info.privacy is PrivacyCategory.BIRTH_DATE:
                path = f"{attribute.name}.{inner.name}"
                found.append(Slot(path, info.category, False, operator.attrgetter(path)))
    return tuple(found)


_LAYOUTS: dict[type[Any], Layout] = {}


def layout(record_type: type[Any]) -> Layout:
    """The :class:`Layout` of ``record_type``, computed on first use."""
    found = _LAYOUTS.get(record_type)
    if found is None:
        found = Layout(
            _slots(record_type, EmailAddress),
            _slots(record_type, PhoneNumber),
            _slots(record_type, PostalAddress),
            _slots(record_type, Note),
            _slots(record_type, Money),
            _birth_dates(record_type),
        )
        _LAYOUTS[record_type] = found
    return found


def values(record: Any, slot: Slot) -> tuple[Any, ...]:
    """The values of ``slot`` in ``record`` as a tuple (empty when a single value is ``None``)."""
    value = slot.get(record)
    if slot.many:
        return value  # type: ignore[no-any-return]
    return () if value is None else (value,)


def item_path(slot: Slot, index: int) -> str:
    """The path of item ``index`` of ``slot`` (the slot's own path when it holds one value)."""
    return f"{slot.path}[{index}]" if slot.many else slot.path


def holders(kind: str) -> tuple[type[Any], ...]:
    """The record types whose :class:`Layout` has slots of ``kind`` (a field of Layout)."""
    from crmcore.records import RECORD_TYPES

    return tuple(record_type for record_type in RECORD_TYPES if getattr(layout(record_type), kind))


def record_country(record: Any, addresses: tuple[Slot, ...]) -> str | None:
    """The record's own country: that of its primary address, else of its first with one."""
    first: str | None = None
    for slot in addresses:
        for address in values(record, slot):
            country = address.country
            if country in COUNTRY_CODES:
                if address.primary:
                    return str(country)
                if first is None:
                    first = country
    return first


def category_of(record_type: type[Any], path: str) -> Category | None:
    """The category of the field at ``path``: its facet's, or the record-level field's own."""
    head = _head(path)
    if not head or not attrs.has(record_type):
        return None
    attribute = attrs.fields_dict(record_type).get(head)
    info = field_info(attribute) if attribute is not None else None
    return info.category if info is not None else None


@functools.lru_cache(maxsize=1024)
def _head(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]
