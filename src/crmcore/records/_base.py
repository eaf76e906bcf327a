"""What every record shares: an id and record metadata (when, where from, last verified)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import attrs

from crmcore.errors import InvalidValueError
from crmcore.records import _checks as check
from crmcore.records import _coerce as coerce
from crmcore.records import _tuples as tuples
from crmcore.records._init import lean_init
from crmcore.records._meta import Category, PrivacyCategory, custom_meta, meta
from crmcore.records._pickle import Compact
from crmcore.records.custom import EMPTY_CUSTOM, CustomFields, CustomValue
from crmcore.records.enums import Source
from crmcore.records.values import QuarantinedValue

__all__ = ["Record", "custom_field", "empty"]

T = TypeVar("T")

_D = Category.DESCRIPTIVE


def custom_fields(value: Mapping[str, CustomValue]) -> CustomFields:
    """Accept a plain mapping (a dict) of custom fields where :class:`CustomFields` is stored.

    A mapping that cannot be custom fields is left as it is, for :func:`_custom_check`.
    """
    if value.__class__ is CustomFields or not isinstance(value, Mapping):
        return value  # a CustomFields, or anything but a mapping: refused by the validator
    try:
        return CustomFields(value)
    except InvalidValueError:
        return value  # type: ignore[return-value]  # refused by the validator, with the reason


def _custom_check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, CustomFields):
        return
    reason, code = "expected a CustomFields or a mapping", "value.wrong_type"
    if isinstance(value, Mapping):
        try:
            CustomFields(value)
        except InvalidValueError as exc:
            reason, code = exc.reason, exc.code
    raise InvalidValueError(reason, field=attribute.name, code=code)


def empty(cls: type[T]) -> Callable[[], T]:
    """The factory of the default of a facet or value field: ``cls()``, made once and shared.

    The value is frozen and holds nothing, so no record can tell it from one of its own, as
    with :data:`~crmcore.records.custom.EMPTY_CUSTOM`; a record read from data that leaves a
    facet out does not build and check an empty one each time.
    """
    return functools.cache(cls)


def custom_field() -> CustomFields:
    """The ``custom`` attribute every facet has (attrs field, empty by default)."""
    return attrs.field(
        default=EMPTY_CUSTOM,
        converter=custom_fields,
        validator=_custom_check,
        metadata=custom_meta("Custom fields of this category, declared in a CustomSchema."),
    )


@lean_init
@attrs.frozen
class Record(Compact):
    """The base of :class:`Contact`, :class:`Account`, :class:`Deal` and :class:`Activity`.

    ``id`` is positional; record metadata is keyword-only.
    """

    id: str = attrs.field(
        validator=check.required_text,
        metadata=meta("The record's id in this system.", category=Category.IDENTITY),
    )
    created_at: datetime | None = attrs.field(
        default=None,
        kw_only=True,
        validator=check.aware,
        metadata=meta("When the record was created.", category=_D),
    )
    updated_at: datetime | None = attrs.field(
        default=None,
        kw_only=True,
        validator=check.aware,
        metadata=meta("When the record was last changed.", category=_D),
    )
    source: Source | None = attrs.field(
        default=None,
        converter=coerce.source,
        validator=check.member_of(Source),
        kw_only=True,
        metadata=meta("Where the record came from.", category=_D),
    )
    last_verified_at: datetime | None = attrs.field(
        default=None,
        kw_only=True,
        validator=check.aware,
        metadata=meta("When the record as a whole was last confirmed correct.", category=_D),
    )
    quarantine: tuple[QuarantinedValue, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=tuples.quarantined,
        validator=check.items_of(QuarantinedValue),
        metadata=meta(
            "Values that could not be read or repaired, kept aside so nothing is lost.",
            category=_D,
            personal=True,
            privacy=PrivacyCategory.FREE_TEXT,
        ),
    )
