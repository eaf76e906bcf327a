"""Text from the input, made safe to print: paths of problems, column names, reasons.

Everything the command line prints on stderr, and every path it writes into a report or a
change log, passes through here:

- :func:`shown_path` keeps the part of a problem's path that names fields of the record type
  (``identity.emails[0]``) and a key after it only when the key looks like a field name
  (:func:`crmcore._safe.is_field_like`); any other key becomes ``<unknown key>``. A key of the
  input may be an email address, hold a newline and terminal escapes, or be megabytes long:
  none of it is printed.
- :func:`shown_column` names a CSV column as written when it holds no ``@`` and no long run of
  digits, with control characters escaped and cut to 64 characters; else by its position.
- :func:`shown_text` escapes control characters and cuts any other text (a reason, a message).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any, cast, get_args, get_origin

import attrs

from crmcore._safe import is_field_like, printable
from crmcore.errors import Problem
from crmcore.records._meta import field_info

__all__ = [
    "UNKNOWN_KEY",
    "shown_column",
    "shown_columns",
    "shown_path",
    "shown_problem",
    "shown_text",
]

UNKNOWN_KEY = "<unknown key>"
"""What a path shows in place of a key that may not be printed."""

_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[[0-9]+\])*)(?=\.|\Z)")
_PLACEHOLDER = re.compile(r"<[a-z ]+(?: [0-9]+)?>(?=\.|\Z)")
_CUSTOM_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")
_PERSONAL = re.compile(r"@|[0-9]{5,}")
_CUSTOM = object()
"""The kind of a custom-field mapping: one custom field name may follow."""


def shown_text(text: object, limit: int = 200) -> str:
    """``text`` on one line: control characters escaped, cut to ``limit`` characters."""
    return printable(text if isinstance(text, str) else str(text), limit)


def shown_column(name: str, position: int) -> str:
    """A CSV column's name as printed, quoted; ``column N`` (from 1) when it may hold a value.

    >>> print(shown_column("E-mail (work)", 3), shown_column("ada@example.org", 4))
    'E-mail (work)' column 5
    >>> print(shown_column("Notes\\x1b[2J", 0))
    'Notes\\x1b[2J'
    """
    if not isinstance(name, str) or _PERSONAL.search(name) or len(name) > 64:
        return f"column {position + 1}"
    return f"'{printable(name, 64)}'"


def shown_columns(names: Iterable[str], columns: Iterable[str]) -> list[str]:
    """:func:`shown_column` of each of ``names``, placed by where it is in ``columns``."""
    order = {column: index for index, column in enumerate(columns)}
    return [shown_column(name, order.get(name, index)) for index, name in enumerate(names)]


@functools.lru_cache(maxsize=256)
def _fields(kind: type[Any]) -> dict[str, tuple[object, bool]]:
    """The fields of an attrs class: the kind of value each holds, and whether it is custom."""
    found: dict[str, tuple[object, bool]] = {}
    for attribute in attrs.fields(attrs.resolve_types(kind)):
        info = field_info(attribute)
        custom = info is not None and info.custom
        found[attribute.name] = (_CUSTOM if custom else _inner(attribute.type), custom)
    return found


def _inner(annotation: Any) -> object:
    """The attrs class a field's values are (through ``Optional`` and ``tuple[X, ...]``)."""
    for _ in range(3):
        if attrs.has(annotation):
            return annotation
        args = [arg for arg in get_args(annotation) if arg is not type(None) and arg is not ...]
        if get_origin(annotation) is None or len(args) != 1:
            return None
        annotation = args[0]
    return None


def shown_path(record_type: type[Any], path: str) -> str:
    """The part of ``path`` that names fields of ``record_type``, then a key only if field-like.

    >>> from crmcore import Contact
    >>> shown_path(Contact, "identity.emails[0].address")
    'identity.emails[0].address'
    >>> shown_path(Contact, "identity.emails[0].ada.lovelace@example.org")
    'identity.emails[0].<unknown key>'
    >>> shown_path(Contact, "identity.emial"), shown_path(Contact, "descriptive.custom.tier")
    ('identity.emial', 'descriptive.custom.tier')
    """
    if not isinstance(path, str):
        return UNKNOWN_KEY
    if len(path) > _CACHED:  # never kept: a path may hold a key megabytes long
        return _shown_path(record_type, path)
    return _shown_path_cached(cast(Any, record_type), path)


_CACHED = 300
"""Paths up to this length are remembered: the same few paths come back row after row."""


def _shown_path(record_type: type[Any], path: str) -> str:
    kind: object = record_type
    index = 0
    size = len(path)
    while index < size:
        placeholder = _PLACEHOLDER.match(path, index)
        if placeholder is not None:  # <key 3>, as crmcore names a key it does not quote
            kind, end = None, placeholder.end()
        elif kind is _CUSTOM:
            custom = _CUSTOM_NAME.match(path, index)
            if custom is None:
                break
            kind, end = None, custom.end()
        else:
            segment = _SEGMENT.match(path, index)
            if segment is None or not isinstance(kind, type) or not attrs.has(kind):
                break
            found = _fields(kind).get(segment.group(1))
            if found is None:
                break
            kind, end = found[0], segment.end()
        index = end + 1 if end < size else end
    if index >= size:
        return printable(path, 300)
    head, tail = path[:index], path[index:]
    return head + (tail if is_field_like(tail) else UNKNOWN_KEY)


_shown_path_cached = functools.lru_cache(maxsize=4096)(_shown_path)


def shown_problem(record_type: type[Any], problem: Problem) -> str:
    """A problem as printed on stderr: its shown path and its reason on one line."""
    path = shown_path(record_type, problem.path) if problem.path else "<root>"
    return f"{path}: {shown_text(problem.reason)}"
