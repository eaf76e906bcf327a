"""What a column mapping does to one cell before it lands at its path.

:class:`FrozenMap` is the read-only, hashable mapping the mapping's parts are kept in;
:func:`value_key` is how a value map compares cells (case, spaces, ``-`` and ``_`` ignored);
:class:`CellReader` reads one cell: a value map, a boolean inverted, a cell split into a list,
or the cell kept verbatim. Nothing here raises on a cell: a cell that cannot be read is passed
on as it is, for the converter to report at its path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import attrs

from crmcore.convert._lenient import read_bool
from crmcore.convert._missing import is_missing, plain
from crmcore.errors import InvalidValueError

__all__ = ["CellReader", "FrozenMap", "Scalar", "lookup", "value_key"]

V = TypeVar("V")

Scalar = str | int | bool
"""A value a mapping may write by itself: a constant, or the value a value map gives."""

_IGNORED = re.compile(r"[\s_\-]+")


def value_key(text: str) -> str:
    """How a value map compares a cell: case, spaces, ``-`` and ``_`` do not count.

    >>> value_key(" Marketing Qualified-Lead "), value_key("marketingqualifiedlead")
    ('marketingqualifiedlead', 'marketingqualifiedlead')
    """
    return _IGNORED.sub("", text).casefold()


class FrozenMap(Mapping[str, V]):
    """A read-only, hashable mapping of text keys, in the order given."""

    __slots__ = ("_data",)

    def __init__(self, items: Mapping[str, V]) -> None:
        self._data: dict[str, V] = dict(items)

    def __getitem__(self, key: str) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"

    def __getstate__(self) -> dict[str, V]:
        return self._data

    def __setstate__(self, state: dict[str, V]) -> None:
        self._data = state


_ABSENT = object()


def lookup(row: Mapping[str, Any], column: str, key: tuple[str, ...] | None) -> Any:
    """The cell of ``column`` in ``row``: the key as it is, else (``key``) through nested keys.

    ``key`` is the column's name split on dots (``properties.firstname``), for an API payload
    whose values are nested objects; a flat row with a column named so is read first.
    """
    value = row.get(column, _ABSENT)
    if value is not _ABSENT or key is None:
        return None if value is _ABSENT else value
    node: Any = row
    for step in key:
        if not isinstance(node, Mapping):
            return None
        node = node.get(step)
    return node


@attrs.frozen
class CellReader:
    """How one column's cell is read: the steps a :class:`~crmcore.convert.Column` asks for.

    ``values`` is keyed by :func:`value_key`; ``separator`` splits text into items (each item
    stripped, blank items dropped, each looked up in ``values``); ``invert`` reads a yes/no and
    writes its opposite; ``verbatim`` keeps text exactly as it is (numbers become their text).
    """

    values: Mapping[str, Scalar] | None = None
    separator: str | None = None
    invert: bool = False
    verbatim: bool = False

    def __call__(self, value: Any) -> Any:
        """The value to write for the non-blank cell ``value``; ``None`` to write nothing."""
        if self.verbatim:
            return _text(value)
        if self.separator is not None:
            return self._split(value)
        return self._one(value)

    def _one(self, value: Any) -> Any:
        if self.values is not None:
            value = self._mapped(value)
        if self.invert:
            try:
                return not read_bool(value)
            except InvalidValueError:
                return value  # the converter reports it, at its path
        return value

    def _mapped(self, value: Any) -> Any:
        assert self.values is not None
        found = plain(value)
        if isinstance(found, int) and not isinstance(found, bool):
            found = str(found)
        if isinstance(found, str):
            return self.values.get(value_key(found), value)
        return value

    def _split(self, value: Any) -> Any:
        if not isinstance(value, str):
            if isinstance(value, (list, tuple)):
                return [self._one(item) for item in value if not is_missing(item)] or None
            return self._one(value)
        assert self.separator is not None
        items = [item.strip() for item in value.split(self.separator)]
        return [self._one(item) for item in items if item] or None


def _text(value: Any) -> Any:
    """A cell as text, exactly: text as it is, a number or a yes/no as its text."""
    found = plain(value)
    if isinstance(found, bool):
        return "true" if found else "false"
    if isinstance(found, float) and found.is_integer():
        return str(int(found))
    if isinstance(found, (int, float)):
        return str(found)
    return value
