"""Whether a column's path names a field of a record type, read from its JSON Schema.

A frame read without a mapping names each column by its path, and a mapping names a path per
column; a path that is no field of the record (``identity.email[0]``, a column an ETL job
added) would otherwise fail every row with ``field.unknown``. It is found once, before any
row is read, and named in one error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crmcore._safe import is_field_like
from crmcore.convert.schema import json_schema
from crmcore.errors import InvalidValueError

__all__ = ["check_paths", "column_name"]

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[[0-9]*\])*)\Z")
_PATH_LIKE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\[\]]*")
_PATH_LIMIT = 256
_MAX_DIGITS = 4

JSON = dict[str, Any]


def column_name(column: str, position: int) -> str:
    """How a message names a column: quoted when it looks like a field or a path, else by place."""
    path_like = (
        len(column) <= _PATH_LIMIT
        and _PATH_LIKE.fullmatch(column) is not None
        and sum(char.isdigit() for char in column) <= _MAX_DIGITS
    )
    return repr(column) if is_field_like(column) or path_like else f"<column {position}>"


def _resolve(node: JSON, defs: JSON) -> list[JSON]:
    """What ``node`` may be: its ``$ref`` followed, each option of an ``anyOf`` but null."""
    if "$ref" in node:
        return _resolve(defs[str(node["$ref"]).rsplit("/", 1)[-1]], defs)
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o != {"type": "null"}]
        return [found for option in options for found in _resolve(option, defs)]
    return [node]


def _steps(path: str) -> list[str | None] | None:
    """The steps of ``path``: a field name, or ``None`` for a list position; None if malformed."""
    steps: list[str | None] = []
    for part in path.split("."):
        match = _STEP.match(part)
        if match is None:
            return None
        steps.append(match[1])
        steps.extend(None for _ in range(match[2].count("[")))
    return steps


def _within(node: JSON, steps: list[str | None], defs: JSON) -> bool:
    if not steps:
        return True
    step, rest = steps[0], steps[1:]
    for option in _resolve(node, defs):
        if step is None:
            if option.get("type") == "array" and _within(option["items"], rest, defs):
                return True
            continue
        properties = option.get("properties", {})
        extra = option.get("additionalProperties")
        if step in properties:
            inner = properties[step]
        elif isinstance(extra, dict):
            inner = extra  # a custom field: any key
        else:
            continue
        if _within(inner, rest, defs):
            return True
    return False


def _known(schema: JSON, path: str) -> bool:
    steps = _steps(path)
    return steps is not None and _within(schema, steps, schema["$defs"])


def check_paths(record_type: type[Any], paths: Iterable[tuple[int, str, str]], field: str) -> None:
    """Raise one error naming every column whose path is no field of ``record_type``.

    ``paths`` holds (position, column, path) triples, the position counting columns from 0.
    """
    schema = json_schema(record_type)
    unknown = [
        column_name(column, position)
        for position, column, path in paths
        if not _known(schema, path)
    ]
    if unknown:
        what = "column {} names" if len(unknown) == 1 else "columns {} name"
        raise InvalidValueError(
            f"{what.format(', '.join(unknown))} no field of {record_type.__name__}: "
            "map each to a field, or to None to leave it out",
            field=field,
        )
