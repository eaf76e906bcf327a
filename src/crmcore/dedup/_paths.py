"""Find the fields a comparator reads from field metadata, never from a list of field names.

A :class:`Selector` says what a comparator wants (the fields holding ``EmailAddress`` values,
the ``str`` fields of privacy category ``organisation``, ...); :func:`paths` asks
:func:`crmcore.fields` which fields of a record type those are, once per type, and
:func:`values` reads them from a record, flattening tuples and skipping what is missing.
"""

from __future__ import annotations

import functools
import operator
import types
import typing
from collections.abc import Callable
from typing import Any, cast

import attrs

from crmcore.errors import InvalidValueError
from crmcore.records._base import Record
from crmcore.records._meta import PrivacyCategory
from crmcore.records.introspect import fields

__all__ = ["Selector", "paths", "values"]


@attrs.frozen(cache_hash=True)  # a key of the caches below, hashed on every read
class Selector:
    """Which fields to read: by the type of their values and, optionally, privacy category.

    ``kind`` is the type of one value (``EmailAddress``; ``str`` for text); a field holding a
    tuple of them counts too. ``privacy`` narrows to one :class:`~crmcore.PrivacyCategory`;
    ``many`` to the fields holding a tuple (``True``) or one value (``False``).
    """

    kind: type[Any]
    privacy: PrivacyCategory | None = None
    many: bool | None = None


def _value_types(annotation: Any) -> tuple[Any, ...]:
    """The types one field holds: ``tuple[X, ...]`` gives X, ``X | None`` gives X."""
    origin = typing.get_origin(annotation)
    if origin is tuple:
        return tuple(arg for arg in typing.get_args(annotation) if arg is not Ellipsis)
    if origin in (typing.Union, types.UnionType):
        return tuple(arg for arg in typing.get_args(annotation) if arg is not type(None))
    return (annotation,)


def paths(record_type: type[Any], selector: Selector) -> tuple[str, ...]:
    """The dotted paths of the fields of ``record_type`` that ``selector`` picks, in order.

    >>> from crmcore import Contact
    >>> from crmcore.records import EmailAddress
    >>> paths(Contact, Selector(EmailAddress))
    ('identity.emails',)
    """
    return _paths(cast(Any, record_type), selector)  # a class is hashable


@functools.cache
def _paths(record_type: Any, selector: Selector) -> tuple[str, ...]:
    if not isinstance(record_type, type) or not issubclass(record_type, Record):
        raise InvalidValueError("expected a crmcore record", field="record")
    found = []
    for spec in fields(record_type):
        if spec.custom or (selector.privacy is not None and spec.privacy is not selector.privacy):
            continue
        many = typing.get_origin(spec.type) is tuple
        if selector.many is not None and many is not selector.many:
            continue
        if selector.kind in _value_types(spec.type):
            found.append(spec.path)
    return tuple(found)


@functools.cache
def _getter(path: str) -> Callable[[Any], Any]:
    return operator.attrgetter(path)  # a dotted path read in C, name by name


_PRESENT = functools.partial(operator.is_not, None)
"""Whether a value is not ``None``: the filter of :func:`values`, called from C."""


@functools.cache
def _getters(record_type: Any, selector: Selector) -> tuple[Callable[[Any], Any], ...]:
    return tuple(_getter(path) for path in _paths(record_type, selector))


def values(record: Any, selector: Selector) -> tuple[Any, ...]:
    """The values of the fields ``selector`` picks in ``record``: tuples flattened, no ``None``."""
    key = (type(record), id(selector))  # the selector's own hash is a call in Python: not read
    found = _READERS.get(key)
    if found is None or found[0] is not selector:
        if len(_READERS) >= 1024:  # selectors made on the fly: the table stays small
            _READERS.clear()
        found = _READERS[key] = (selector, _reader(_getters(cast(Any, type(record)), selector)))
    return found[1](record)


_READERS: dict[tuple[type[Any], int], tuple[Selector, Callable[[Any], tuple[Any, ...]]]] = {}
"""The reader of :func:`values` of each record type and selector (by its id, the selector
kept beside it: an id is only its selector's while that lives)."""


def _reader(getters: tuple[Callable[[Any], Any], ...]) -> Callable[[Any], tuple[Any, ...]]:
    """What :func:`values` reads with ``getters``: one field read with no loop."""
    if len(getters) == 1:
        get = getters[0]

        def one(record: Any) -> tuple[Any, ...]:
            value = get(record)
            if value is None:
                return ()
            if isinstance(value, tuple):
                return tuple(filter(_PRESENT, value))
            return (value,)

        return one

    def each(record: Any) -> tuple[Any, ...]:
        found: list[Any] = []
        for get in getters:
            value = get(record)
            if isinstance(value, tuple):
                found.extend(filter(_PRESENT, value))
            elif value is not None:
                found.append(value)
        return tuple(found)

    return each
