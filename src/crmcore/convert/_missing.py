"""Missing values in every dialect, and numpy and pandas scalars read as Python values.

Exports and data frames write a missing value in many ways: ``None``, ``""``, whitespace,
``float("nan")`` (what pandas puts in an empty cell of a number column), ``numpy.nan``,
``pandas.NA`` and ``pandas.NaT``. :func:`is_missing` knows them all. numpy and pandas are
optional: they are recognised by the module and name of their types, never imported.
:func:`plain` turns their scalars (``int64``, ``float64``, ``bool_``, ``str_``,
``Timestamp``, ``datetime64``) into the Python values they hold.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import attrs

from crmcore.errors import InvalidValueError
from crmcore.records.values import ContactPoint

__all__ = ["blank_composite", "composite_parts", "is_missing", "plain"]

_FOREIGN = ("numpy", "pandas")
"""The modules whose scalar types are read here, by name."""
_TOO_PRECISE = "an instant finer than a microsecond"
_PYTHON = frozenset({str, int, float, bool, Decimal, date, datetime, dict, list, type(None)})
"""Python's own classes of the values readers see, told apart from numpy's at once."""
_MISSING_TYPES = frozenset({"NAType", "NaTType"})
"""pandas' missing markers: ``pandas.NA`` and ``pandas.NaT``."""


def _foreign(value: object) -> bool:
    return value.__class__.__module__.startswith(_FOREIGN)


def is_missing(value: object) -> bool:
    """Whether ``value`` stands for a missing value, in any dialect.

    ``None``, blank text, a float NaN (``numpy.float64`` NaN included), ``pandas.NA``,
    ``pandas.NaT`` and numpy's not-a-time are missing; anything else, zero and ``False``
    included, is a value.
    """
    if value is None:
        return True
    cls = value.__class__
    if cls is str:
        return not value.strip()  # type: ignore[attr-defined]
    if cls is dict or cls is int or cls is bool or cls is list:
        return False
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return bool(value != value)
    if _foreign(value):
        name = value.__class__.__name__
        if name in _MISSING_TYPES:
            return True
        if name.startswith(("float", "datetime64", "timedelta64")):
            return bool(value != value)
    return False


def plain(value: Any) -> Any:
    """The Python value a numpy or pandas scalar holds; any other value as it is.

    ``int64`` gives an ``int``, ``float64`` a ``float``, ``bool_`` a ``bool``, a
    ``Timestamp`` a ``datetime`` (with its zone, if it has one) and a ``datetime64`` a
    ``datetime``, or a ``date`` for a whole day. A moment no ``datetime`` can hold is refused.
    A missing one (``pandas.NA``, not-a-time) is returned as it is.
    """
    if value.__class__ in _PYTHON or not _foreign(value) or is_missing(value):
        return value
    name = value.__class__.__name__
    if name == "Timestamp":
        if value.nanosecond:
            raise InvalidValueError(_TOO_PRECISE, code="datetime.too_precise")
        return value.to_pydatetime()
    if name == "datetime64":
        held = value.item()
        if isinstance(held, int):  # nanoseconds: read at the microsecond when none are lost
            if held % 1000:
                raise InvalidValueError(_TOO_PRECISE, code="datetime.too_precise")
            held = value.astype("datetime64[us]").item()
        if not isinstance(held, date):
            raise InvalidValueError("a moment no date can hold", code="date.invalid")
        return held
    item = getattr(value, "item", None)
    if item is not None and value.__class__.__name__ not in _MISSING_TYPES:
        try:
            return item()
        except (TypeError, ValueError):  # not a scalar: left for the reader to refuse
            return value
    return value


def composite_parts(cls: type[Any]) -> tuple[str, ...] | None:
    """The parts of a value class, in declaration order (the required ones first): a contact
    point's label and provenance are none.

    ``None`` for a class that is no value object (it has an ``id`` or custom fields).
    """
    return _parts(cast(Any, cls))


@functools.cache
def _parts(cls: Any) -> tuple[str, ...] | None:
    if not attrs.has(cls):
        return None
    names = [attribute.name for attribute in attrs.fields(cls)]
    if "id" in names or "custom" in names:
        return None
    if issubclass(cls, ContactPoint):
        provenance = {attribute.name for attribute in attrs.fields(ContactPoint)}
        names = [name for name in names if name not in provenance]
    return tuple(names)


def blank_composite(value: object, parts: Collection[str]) -> bool:
    """Whether ``value``, a mapping of a value object's fields, gives every part blank.

    A part given and missing in any dialect is blank; at least one part must be given blank
    (not ``None``): a mapping whose parts are all ``None`` is what
    :func:`~crmcore.to_dict` writes for an empty object, and is read as one.
    """
    if value.__class__ is not dict and not isinstance(value, Mapping):
        return False
    given = False
    for name in parts:
        if name in value:
            part = value[name]
            if not is_missing(part):
                return False
            given = given or part is not None
    return given
