"""The JSON form of a column mapping, and the mappings shipped with crmcore.

:func:`read_form` reads the dict ``ColumnMapping.from_dict`` takes (the short form, column to
path, or the full form with ``columns``, ``constants``, ``combine``, ...) into the arguments of
``ColumnMapping``; :func:`column_form` writes one column back. :func:`builtin_form` reads a
shipped mapping from ``crmcore/data/mappings/``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from crmcore._safe import is_field_like
from crmcore.convert._mapping_paths import refuse
from crmcore.convert._mapping_plan import Column, named
from crmcore.records import RECORD_TYPES

__all__ = [
    "BUILTIN",
    "builtin_form",
    "column_form",
    "read_column",
    "read_form",
    "record_type_name",
    "record_type_of",
]

BUILTIN = ("hubspot_companies", "hubspot_contacts", "salesforce_accounts", "salesforce_contacts")
"""The names of the mappings shipped with crmcore, as ``ColumnMapping.builtin`` takes them."""

_KEYS = frozenset(
    {"record_type", "columns", "constants", "combine", "require_columns", "description"}
)
_OPTIONS = frozenset({"path", "values", "invert", "separator", "verbatim"})


def record_type_name(kind: type[Any]) -> str:
    """The name of a record type in a mapping's JSON form: ``contact``."""
    return kind.__name__.lower()


def record_type_of(name: object) -> type[Any]:
    """The record type named ``name`` (``contact``, ``account``, ``deal``, ``activity``)."""
    for kind in RECORD_TYPES:
        if name == record_type_name(kind):
            return kind
    names = ", ".join(record_type_name(kind) for kind in RECORD_TYPES)
    raise refuse("record_type", f"expected one of: {names}")


def read_column(name: str, value: object) -> str | Column | None:
    """One column of the JSON form: a path, ``None``, or an object with a path and options.

    ``name`` is how messages name the column.
    """
    if value is None or isinstance(value, str):
        return value
    if not isinstance(value, Mapping):
        raise refuse(f"column {name}", "expected a path, an object with a path, or null")
    unknown = sorted(key for key in value if key not in _OPTIONS)
    if unknown:
        option = repr(unknown[0]) if is_field_like(unknown[0]) else "an option"
        raise refuse(f"column {name}", f"unknown option {option}")
    path = value.get("path")
    if not isinstance(path, str):
        raise refuse(f"column {name}", "has no path")
    values = value.get("values")
    if values is not None and not isinstance(values, Mapping):
        raise refuse(f"column {name}", "values: expected an object of cell to value")
    return Column(
        path,
        values=values,
        invert=value.get("invert", False),
        separator=value.get("separator"),
        verbatim=value.get("verbatim", False),
    )


def column_form(spec: str | Column | None) -> str | dict[str, Any] | None:
    """One column as the JSON form writes it: its path alone when it has no options."""
    if not isinstance(spec, Column):
        return spec
    if spec.plain:
        return spec.path
    form: dict[str, Any] = {"path": spec.path}
    if spec.values is not None:
        form["values"] = dict(spec.values)
    if spec.invert:
        form["invert"] = True
    if spec.separator is not None:
        form["separator"] = spec.separator
    if spec.verbatim:
        form["verbatim"] = True
    return form


def _mapping(where: str, value: object) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise refuse(where, "expected an object")
    return value


def read_form(data: object) -> dict[str, Any]:
    """The arguments of ``ColumnMapping`` that the JSON form ``data`` gives.

    The short form is an object of column to path (or ``null``); the full form has
    ``columns`` (column to path, to an object with a path and options, or to ``null``) and
    optionally ``record_type``, ``constants`` (path to value), ``combine`` (path to an
    object of part to column), ``require_columns`` and ``description``.
    """
    if not isinstance(data, Mapping):
        raise refuse("", "expected an object of column names to paths")
    if not isinstance(data.get("columns"), Mapping):
        return {"columns": _columns(data)}
    unknown = sorted(key for key in data if key not in _KEYS)
    if unknown:
        key = repr(unknown[0]) if is_field_like(unknown[0]) else "a key"
        raise refuse("", f"unknown key {key}")
    found: dict[str, Any] = {"columns": _columns(data["columns"])}
    if data.get("record_type") is not None:
        found["record_type"] = record_type_of(data["record_type"])
    found["constants"] = dict(_mapping("constants", data.get("constants")))
    found["combine"] = {
        path: dict(_mapping(f"combine {path!r}" if is_field_like(path) else "combine", parts))
        for path, parts in _mapping("combine", data.get("combine")).items()
    }
    require = data.get("require_columns", True)
    if not isinstance(require, bool):
        raise refuse("require_columns", "expected true or false")
    found["require_columns"] = require
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        raise refuse("description", "expected text")
    found["description"] = description
    return found


def _columns(value: Mapping[str, Any]) -> dict[str, str | Column | None]:
    columns: dict[str, str | Column | None] = {}
    for position, (column, spec) in enumerate(value.items()):
        if not isinstance(column, str):
            raise refuse("", "column names are text")
        columns[column] = read_column(named(column, position), spec)
    return columns


def builtin_form(name: str) -> Any:
    """The JSON form of the shipped mapping ``name`` (one of :data:`BUILTIN`)."""
    if name not in BUILTIN:
        raise refuse("", f"no shipped mapping of that name; there are: {', '.join(BUILTIN)}")
    text = (
        resources.files("crmcore.data")
        .joinpath("mappings")
        .joinpath(f"{name}.json")
        .read_text("utf-8")
    )
    return json.loads(text)
