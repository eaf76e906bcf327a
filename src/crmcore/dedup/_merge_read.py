"""What merging reads from records: the paths, the default of each, the candidates of a path.

A value at a path is *held* unless it is ``None``, an empty tuple or the field's default; a
tuple path gives one candidate per item. Values are told apart by :func:`value_key`, stricter
than ``==``: ``0`` and ``False``, ``Decimal("1.0")`` and ``Decimal("1.00")``, the same instant
at two UTC offsets are distinct values, so that none of them is taken for another and lost.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Hashable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from crmcore.dedup._survivorship_rules import builtin_rule, default_rule
from crmcore.dedup._survivorship_types import Candidate, SurvivorshipRule
from crmcore.dedup.errors import MergeError
from crmcore.records._base import Record
from crmcore.records._meta import field_info
from crmcore.records.custom import CustomFields
from crmcore.records.introspect import FieldSpec, fields

__all__ = [
    "ABSENT",
    "PathSpec",
    "candidates",
    "chain",
    "get",
    "paths",
    "value_key",
]

ABSENT: Any = object()
"""What :func:`get` answers for a custom field a record does not hold."""


_PLAIN = frozenset({str, int, bool, type(None), date})


def value_key(value: Any) -> Hashable:
    """A hashable key equal for two values only when they are the same value, type included."""
    kind: Any = type(value)
    if kind in _PLAIN or isinstance(value, enum.Enum):
        return (kind, value)
    names = _attribute_names(kind)
    if names is not None:
        return (kind, tuple([value_key(getattr(value, name)) for name in names]))
    if isinstance(value, tuple | list):
        return (kind, tuple([value_key(item) for item in value]))
    if isinstance(value, CustomFields):
        return (kind, tuple([(name, value_key(item)) for name, item in value.items()]))
    if isinstance(value, datetime):
        return (kind, value.isoformat(), repr(value.tzinfo))
    if isinstance(value, Decimal | float):
        return (kind, str(value))
    if isinstance(value, Hashable):
        return (kind, value)
    return (kind, id(value))  # an unhashable stranger: equal to itself only


@functools.cache
def _attribute_names(kind: type[Any]) -> tuple[str, ...] | None:
    return tuple(a.name for a in attrs.fields(kind)) if attrs.has(kind) else None


@attrs.frozen
class PathSpec:
    """One path merging visits: its spec (``None`` for a custom field), tuple or not, default.

    ``names`` is the path split at its dots; ``rule`` the name and rule it takes when none is
    registered for it.
    """

    path: str
    spec: FieldSpec | None
    many: bool
    default: Any
    names: tuple[str, ...] = attrs.field(init=False)
    rule: tuple[str, SurvivorshipRule] = attrs.field(init=False)

    @names.default
    def _names(self) -> tuple[str, ...]:
        return chain(self.path)

    @rule.default
    def _rule(self) -> tuple[str, SurvivorshipRule]:
        if self.spec is not None:
            return default_rule(self.spec)
        name = "crmcore.union" if self.many else "crmcore.latest"  # a custom field
        return name, builtin_rule(name)


def chain(path: str) -> tuple[str, ...]:
    """The attribute names of a dotted path."""
    return tuple(path.split("."))


def get(record: Record, names: tuple[str, ...]) -> Any:
    """The value at ``names`` (a custom field's at ``facet.custom.name``, or :data:`ABSENT`)."""
    if len(names) == 3:
        custom: CustomFields = getattr(record, names[0]).custom
        return custom.get(names[2], ABSENT)
    value: Any = record
    for name in names:
        value = getattr(value, name)
    return value


def _default(attribute: attrs.Attribute[Any]) -> Any:
    default: Any = attribute.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()
    return default


def _defaults(record_type: type[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for attribute in attrs.fields(attrs.resolve_types(record_type)):
        info = field_info(attribute)
        if info is not None and info.is_facet:
            for inner in attrs.fields(attrs.resolve_types(attribute.type)):
                found[f"{attribute.name}.{inner.name}"] = _default(inner)
        else:
            found[attribute.name] = _default(attribute)
    return found


def _custom_paths(records: Sequence[Record]) -> list[PathSpec]:
    """The custom fields any record holds; one holding lists of text in every record is many."""
    lists: dict[str, bool] = {}
    for record in records:
        kind: Any = type(record)
        for facet in _facets(kind):
            for name, value in getattr(record, facet).custom.items():
                path = f"{facet}.custom.{name}"
                lists[path] = lists.get(path, True) and isinstance(value, tuple)
    return [PathSpec(path, None, lists[path], ABSENT) for path in sorted(lists)]


@functools.cache
def _facets(record_type: type[Any]) -> tuple[str, ...]:
    return tuple(
        attribute.name
        for attribute in attrs.fields(record_type)
        if (info := field_info(attribute)) is not None and info.is_facet
    )


@functools.cache
def _field_paths(record_type: type[Any]) -> tuple[PathSpec, ...] | None:
    try:
        specs = fields(record_type)
    except TypeError:
        return None
    defaults = _defaults(record_type)
    return tuple(
        PathSpec(
            spec.path, spec, getattr(spec.type, "__origin__", None) is tuple, defaults[spec.path]
        )
        for spec in specs
        if spec.path != "id"
    )


def paths(record_type: type[Any], records: Sequence[Record]) -> list[PathSpec]:
    """Every path of ``record_type`` but ``id``, then the custom fields any record holds.

    A custom field whose every value is a tuple (a list of text: tags) is a tuple path,
    merged item by item; any other custom field is one value.
    """
    kind: Any = record_type
    found = _field_paths(kind)
    if found is None:
        raise MergeError(f"{record_type.__name__} is not a record type merging knows")
    return [*found, *_custom_paths(records)]


def held(value: Any, default: Any) -> bool:
    """Whether ``value`` is a value at all: not absent, ``None``, empty or the default."""
    if value is ABSENT or value is None or value is default or value == ():
        return False
    # Two values that differ by == differ by key too: the keys are compared only when needed.
    return default is ABSENT or value != default or value_key(value) != value_key(default)


def candidates(records: Sequence[Record], where: PathSpec) -> list[Candidate]:
    """The candidates of one path: each record's value (each item, for a tuple), in order."""
    names = where.names
    found: list[Candidate] = []
    for record in records:
        value = get(record, names)
        if not held(value, where.default):
            continue
        for item in value if where.many else (value,):
            found.append(
                Candidate(
                    item,
                    record.id,
                    getattr(item, "source", None) or record.source,
                    getattr(item, "collected_at", None),
                    getattr(item, "verified_at", None) or record.last_verified_at,
                    record.updated_at,
                )
            )
    return found
