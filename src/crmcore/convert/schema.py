"""JSON Schema (draft 2020-12) of the dict form :func:`~crmcore.convert.to_dict` writes.

The schema is generated from the attrs classes: each record and value class is one entry of
``$defs``, each field one property, described by the documentation in its crmcore metadata,
required (``to_dict`` writes every field) and nullable when the field is optional. Dates and
instants are ISO text (``format`` ``date`` and ``date-time``), money amounts decimal text,
enumerations their values, custom fields an object of plain values. Publish it where an API
describes its bodies (an OpenAPI ``components.schemas`` entry takes it as it is).

>>> from crmcore import Contact
>>> schema = json_schema(Contact)
>>> schema["$schema"], schema["$ref"]
('https://json-schema.org/draft/2020-12/schema', '#/$defs/Contact')
>>> schema["$defs"]["EmailAddress"]["properties"]["address"]["type"]
'string'
"""

from __future__ import annotations

import enum
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from crmcore.errors import InvalidValueError
from crmcore.records._meta import field_info
from crmcore.records.custom import CustomFields

__all__ = ["DRAFT", "OPENAPI_REF", "json_schema", "openapi_schemas"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of every schema :func:`json_schema` gives."""

OPENAPI_REF = "#/components/schemas/"
"""Where :func:`openapi_schemas` points its references: an OpenAPI document's schemas."""

JSON = dict[str, Any]

_SCALAR_TYPES = ("string", "boolean", "integer", "number")

_DECIMAL = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_SCALARS: dict[Any, JSON] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    Decimal: {"type": "string", "pattern": _DECIMAL},
    datetime: {"type": "string", "format": "date-time"},
    date: {"type": "string", "format": "date"},
}
_CUSTOM_VALUE: JSON = {
    "anyOf": [
        {"type": ["string", "integer", "boolean"]},
        {"type": "array", "items": {"type": "string"}},
    ]
}


class _Builder:
    def __init__(self, every_field: bool) -> None:
        self.defs: dict[str, JSON] = {}
        self.every_field = every_field

    def of(self, kind: Any) -> JSON:
        if kind in _SCALARS:
            return dict(_SCALARS[kind])
        if kind is CustomFields:
            return {"type": "object", "additionalProperties": _CUSTOM_VALUE}
        origin = typing.get_origin(kind)
        args = typing.get_args(kind)
        if origin in (typing.Union, types.UnionType):
            options = [self.of(arg) for arg in args if arg is not type(None)]
            if type(None) in args:
                options.append({"type": "null"})
            return options[0] if len(options) == 1 else {"anyOf": options}
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.of(args[0])}
        if origin is typing.Literal:
            return {"enum": list(args)}
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return {"enum": [member.value for member in kind]}
        if isinstance(kind, type) and attrs.has(kind):
            return self.record(kind)
        raise InvalidValueError(f"no JSON Schema for the type {kind!r}", field="record_type")

    def record(self, cls: type[Any]) -> JSON:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # a placeholder: a class that holds itself refers to it
            hints = typing.get_type_hints(cls)
            properties: dict[str, JSON] = {}
            for attribute in attrs.fields(cls):
                schema = self.of(hints.get(attribute.name, attribute.type))
                info = field_info(attribute)
                if info is not None and info.doc:
                    schema = {**schema, "description": info.doc}
                properties[attribute.name] = schema
            entry: JSON = {"type": "object", "properties": properties}
            entry["required"] = [
                name
                for name, schema in properties.items()
                if self.every_field or _never_empty(schema)
            ]
            entry["additionalProperties"] = False
            doc = (cls.__doc__ or "").strip().split("\n\n")[0]
            if doc:
                entry["description"] = " ".join(doc.split())
            self.defs[name] = {"title": name, **entry}
        return {"$ref": f"#/$defs/{name}"}


def _never_empty(schema: JSON) -> bool:
    """Whether a field of this schema always holds a value: a scalar that cannot be null."""
    return "enum" in schema or schema.get("type") in _SCALAR_TYPES


def _check(record_type: object) -> None:
    if not (isinstance(record_type, type) and attrs.has(record_type)):
        raise InvalidValueError("expected a record type (an attrs class)", field="record_type")


def json_schema(record_type: type[Any], *, every_field: bool = True) -> JSON:
    """The JSON Schema (draft 2020-12) of ``to_dict(record)`` for a ``record_type`` record.

    Every class it reaches is one entry of ``$defs``; the root refers to ``record_type``'s.
    With ``every_field=False`` a document may leave out every field that can be empty (only
    fields such as ``id``, which always hold a value, stay required): the schema of the
    command line's output, which leaves out empty fields unless asked to keep them.

    >>> from crmcore import Contact
    >>> json_schema(Contact)["$defs"]["Contact"]["required"][:3]
    ['id', 'created_at', 'updated_at']
    >>> json_schema(Contact, every_field=False)["$defs"]["Contact"]["required"]
    ['id']
    """
    _check(record_type)
    builder = _Builder(every_field)
    root = builder.record(record_type)
    return {
        "$schema": DRAFT,
        "$id": f"urn:crmcore:{record_type.__name__}",
        "title": record_type.__name__,
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }


def _pointed(value: Any) -> Any:
    """``value`` with every ``$ref`` into ``$defs`` pointed at :data:`OPENAPI_REF` instead."""
    if isinstance(value, dict):
        return {
            key: (
                OPENAPI_REF + item.removeprefix("#/$defs/")
                if key == "$ref" and isinstance(item, str)
                else _pointed(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_pointed(item) for item in value]
    return value


def openapi_schemas(*record_types: type[Any], every_field: bool = True) -> dict[str, JSON]:
    """The schemas of ``record_types`` for an OpenAPI 3.1 document's ``components.schemas``.

    One entry per class the record types reach, sorted by name, each referring to the others
    as ``#/components/schemas/Name``; a body is then ``{"$ref":
    "#/components/schemas/Contact"}``. OpenAPI 3.1 schemas are JSON Schema draft 2020-12.
    ``every_field`` is as for :func:`json_schema`.

    >>> from crmcore import Account, Contact
    >>> schemas = openapi_schemas(Contact, Account)
    >>> "Contact" in schemas and "Account" in schemas
    True
    >>> schemas["Contact"]["properties"]["identity"]["$ref"]
    '#/components/schemas/ContactIdentity'
    """
    if not record_types:
        raise InvalidValueError("expected at least one record type", field="record_types")
    found: dict[str, JSON] = {}
    for record_type in record_types:
        _check(record_type)
        found.update(json_schema(record_type, every_field=every_field)["$defs"])
    return {name: _pointed(found[name]) for name in sorted(found)}
