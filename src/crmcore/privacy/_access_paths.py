"""The fields of a record, as an access policy sees them: path, category, personal, privacy.

Field metadata drives everything (:func:`crmcore.fields`); custom fields come from the
record's own values, declared by a :class:`~crmcore.CustomSchema` or, when undeclared, taken
as personal free text of their facet's category.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any, cast

import attrs

from crmcore.errors import InvalidValueError
from crmcore.records import Category, CustomSchema, PrivacyCategory, Record, fields
from crmcore.records._meta import field_info

__all__ = ["PATH", "Slot", "covers", "facets", "known_paths", "slots", "static_slots"]

PATH = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*")
"""The shape of a field path in a grant: dotted lower-case names."""


@attrs.frozen
class Slot:
    """One field of one record: where it is and what crmcore knows of it."""

    path: str
    category: Category
    personal: bool
    privacy: PrivacyCategory
    facet: str | None = None
    """The facet holding the field, or ``None`` for a record-level field."""
    name: str = ""
    """The attribute name (or the custom field's name) inside its facet or record."""
    custom: bool = False


def covers(entry: str, path: str) -> bool:
    """Whether a grant or deny ``entry`` names ``path`` or one of its parents.

    >>> covers("identity.custom", "identity.custom.tier"), covers("identity.name", "identity.names")
    (True, False)
    """
    return path == entry or path.startswith(entry + ".")


def facets(record_type: type[Any]) -> tuple[tuple[str, Category], ...]:
    """The facet attributes of ``record_type`` with their categories, in class order."""
    return _facets(cast(Any, record_type))


@functools.lru_cache(maxsize=64)
def _facets(record_type: Any) -> tuple[tuple[str, Category], ...]:
    found = []
    for attribute in attrs.fields(record_type):
        info = field_info(attribute)
        if info is not None and info.is_facet and info.category is not None:
            found.append((attribute.name, info.category))
    return tuple(found)


def check_record_type(record_type: object, field: str = "record_type") -> type[Record]:
    """Return ``record_type`` if it is a record class, else raise naming ``field``."""
    if not (isinstance(record_type, type) and issubclass(record_type, Record)):
        raise InvalidValueError("expected a record type such as Contact", field=field)
    return record_type


def check_schema(schema: object, record_type: type[Any]) -> CustomSchema | None:
    """Return ``schema`` if it is ``None`` or a schema of ``record_type``, else raise."""
    if schema is None:
        return None
    if not isinstance(schema, CustomSchema):
        raise InvalidValueError("expected a CustomSchema or None", field="schema")
    if schema.record_type is not record_type:
        raise InvalidValueError(
            f"the schema is for another record type than {record_type.__name__}", field="schema"
        )
    return schema


def static_slots(record_type: type[Any], schema: CustomSchema | None) -> tuple[Slot, ...]:
    """Every declared field of ``record_type``: its own, and the custom ones ``schema`` has."""
    return _static_slots(cast(Any, record_type), schema)


@functools.lru_cache(maxsize=256)
def _static_slots(record_type: Any, schema: CustomSchema | None) -> tuple[Slot, ...]:
    facet_names = {name for name, _ in facets(record_type)}
    found = []
    for spec in fields(record_type, schema=schema):
        head, _, tail = spec.path.partition(".")
        if head in facet_names:
            name = tail.rpartition(".")[2] if spec.custom else tail
            found.append(
                Slot(spec.path, spec.category, spec.personal, spec.privacy, head, name, spec.custom)
            )
        else:
            found.append(Slot(spec.path, spec.category, spec.personal, spec.privacy, None, head))
    return tuple(found)


def slots(record: Record, schema: CustomSchema | None) -> Iterator[Slot]:
    """Every field of ``record``: declared ones, then its undeclared custom values."""
    declared = static_slots(type(record), schema)
    yield from declared
    paths = {slot.path for slot in declared}
    for facet, category in facets(type(record)):
        for name in getattr(getattr(record, facet), "custom", {}):
            path = f"{facet}.custom.{name}"
            if path not in paths:
                yield Slot(path, category, True, PrivacyCategory.FREE_TEXT, facet, name, True)


def known_paths(record_type: type[Any], schema: CustomSchema | None) -> frozenset[str]:
    """Every path a grant may name for ``record_type``: fields, facets, custom containers."""
    return _known_paths(cast(Any, record_type), schema)


@functools.lru_cache(maxsize=256)
def _known_paths(record_type: Any, schema: CustomSchema | None) -> frozenset[str]:
    found = {slot.path for slot in static_slots(record_type, schema)}
    for facet, _ in facets(record_type):
        found.update((facet, f"{facet}.custom"))
    return frozenset(found)
