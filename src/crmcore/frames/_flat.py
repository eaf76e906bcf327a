"""The dict form ``to_dict`` writes, flattened to one column per path, and read back.

A nested mapping gives dotted names (``identity.name.given``); a list gives one column per
position (``identity.emails[0].address``), so a frame of many records has as many
``emails[i]`` columns as the record with the most emails. A list of plain values is a list
too (``qualitative.motivations[0]``). An empty list or mapping writes no column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crmcore._safe import is_field_like

__all__ = ["flatten", "paths_in_order"]


def _walk(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key) if is_field_like(key) else repr(str(key))
            _walk(item, f"{path}.{name}" if path else name, out)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", out)
    elif value is not None:
        out[path] = value


def flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    """One entry per path that holds a value, in the order of ``data``.

    >>> flatten({"id": "c-1", "identity": {"emails": [{"address": "a@example.org"}]}})
    {'id': 'c-1', 'identity.emails[0].address': 'a@example.org'}
    """
    out: dict[str, Any] = {}
    _walk(data, "", out)
    return out


def paths_in_order(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every path of ``rows``, first seen first, so a frame's columns follow the record."""
    seen: dict[str, None] = {}
    for row in rows:
        for path in row:
            seen.setdefault(path, None)
    return list(seen)
