"""Turn flat rows (a CSV line, a spreadsheet row) into the nested dicts that ``from_dict`` reads.

A :class:`ColumnMapping` maps each column name to a dotted path into a record:

- ``id``, ``identity.organisation``: a field;
- ``identity.name.given``: a field of a nested value;
- ``identity.emails[0]``, ``identity.addresses[1].locality``: an item of a list, by position;
- ``qualitative.motivations[]``: a whole list, written in one cell and split on ``;``.

Blank cells (``None`` or only whitespace) are left out, so a missing value never becomes an
empty item; list positions are compacted in order, so ``phones[0]`` empty and ``phones[1]``
filled gives a list of one phone. A column mapped to ``None`` is deliberately ignored.

The paths are checked once, when the mapping is built: a malformed path, two columns on the
same path, or a path that is both a value and a container is refused with
:class:`~crmcore.errors.InvalidValueError`, whose reason names the column, never a cell value.

>>> mapping = ColumnMapping({
...     "Given name": "identity.name.given",
...     "Mail": "identity.emails[0]",
...     "Mails": "identity.emails[]",
... })
Traceback (most recent call last):
...
crmcore.errors.InvalidValueError: mapping: columns 'Mail' and 'Mails' both write identity.emails
>>> mapping = ColumnMapping({
...     "Given name": "identity.name.given",
...     "E-mail": "identity.emails[0]",
...     "Work e-mail": "identity.emails[1]",
...     "City": "identity.addresses[0].locality",
...     "Tags": "qualitative.motivations[]",
...     "Notes": None,
... })
>>> mapping.apply({"Given name": "Ada", "E-mail": "", "Work e-mail": "ada@example.org",
...                "City": "London", "Tags": "price; speed;", "Notes": "ignored"})
... # doctest: +NORMALIZE_WHITESPACE
{'identity': {'name': {'given': 'Ada'}, 'emails': ['ada@example.org'],
              'addresses': [{'locality': 'London'}]},
 'qualitative': {'motivations': ['price', 'speed']}}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from crmcore.errors import InvalidValueError

__all__ = ["LIST_SEPARATOR", "ColumnMapping", "unflatten"]

LIST_SEPARATOR = ";"
"""The separator of the items of a list written in one cell (a path ending in ``[]``)."""

_SEGMENT = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<index>[0-9]*)\])?\Z")

Step = str | int
"""One step of a path: a key of a mapping or a position in a list."""


@attrs.frozen
class _Target:
    """Where one column's value goes: the steps from the root, and whether it is split."""

    column: str
    steps: tuple[Step, ...]
    split: bool


def _parse(column: str, path: str) -> _Target:
    if not isinstance(path, str) or not path:
        raise InvalidValueError(f"column {column!r} has no path", field="mapping")
    steps: list[Step] = []
    split = False
    parts = path.split(".")
    for position, part in enumerate(parts):
        match = _SEGMENT.match(part)
        if match is None:
            raise InvalidValueError(f"column {column!r}: malformed path {path!r}", field="mapping")
        steps.append(match["name"])
        index = match["index"]
        if index is None:
            continue
        if index:
            steps.append(int(index))
        elif position == len(parts) - 1:
            split = True
        else:
            raise InvalidValueError(
                f"column {column!r}: '[]' may only end a path, in {path!r}", field="mapping"
            )
    return _Target(column, tuple(steps), split)


def _shown(steps: tuple[Step, ...]) -> str:
    out = ""
    for step in steps:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else step
    return out


def _check_shape(targets: Iterable[_Target]) -> None:
    """Refuse two columns on one path, or a path used both as a value and as a container."""
    owners: dict[tuple[Step, ...], str] = {}
    containers: dict[tuple[Step, ...], tuple[type, str]] = {}
    for target in targets:
        steps = target.steps
        for depth in range(1, len(steps)):
            prefix, following = steps[:depth], steps[depth]
            kind: type = int if isinstance(following, int) else str
            if prefix in owners:
                raise InvalidValueError(
                    f"columns {owners[prefix]!r} and {target.column!r} both write {_shown(prefix)}",
                    field="mapping",
                )
            seen = containers.setdefault(prefix, (kind, target.column))
            if seen[0] is not kind:
                raise InvalidValueError(
                    f"columns {seen[1]!r} and {target.column!r} disagree on whether "
                    f"{_shown(prefix)} is a list",
                    field="mapping",
                )
        if steps in owners or steps in containers:
            other = owners.get(steps) or containers[steps][1]
            raise InvalidValueError(
                f"columns {other!r} and {target.column!r} both write {_shown(steps)}",
                field="mapping",
            )
        owners[steps] = target.column


def _columns(value: Mapping[str, str | None]) -> dict[str, str | None]:
    if not isinstance(value, Mapping):
        raise InvalidValueError("expected a mapping of column names to paths", field="mapping")
    return dict(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _split(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]
    return value


def _finish(node: dict[Step, Any]) -> Any:
    """Turn the working tree (lists kept as dicts keyed by position) into dicts and lists."""
    if node and all(isinstance(key, int) for key in node):
        return [_finish_value(node[key]) for key in sorted(node, key=int)]
    return {key: _finish_value(value) for key, value in node.items()}


def _finish_value(value: Any) -> Any:
    return _finish(value) if isinstance(value, dict) else value


@attrs.frozen
class ColumnMapping:
    """A checked mapping of column names to dotted record paths; see the module docstring.

    Build it once, then call :meth:`apply` on every row. Columns of a row that the mapping does
    not name are ignored; :meth:`unmapped` lists them, to warn about once per file.
    """

    columns: Mapping[str, str | None] = attrs.field(converter=_columns)
    _targets: tuple[_Target, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        targets: list[_Target] = []
        for column, path in self.columns.items():
            if not isinstance(column, str):
                raise InvalidValueError("column names are text", field="mapping")
            if path is not None:
                targets.append(_parse(column, path))
        _check_shape(targets)
        object.__setattr__(self, "_targets", tuple(targets))

    @classmethod
    def identity(cls, columns: Iterable[str]) -> ColumnMapping:
        """The mapping whose columns are named by their own paths (``identity.emails[0]``, ...).

        >>> ColumnMapping.identity(["id", "identity.name.family"]).apply(
        ...     {"id": "c1", "identity.name.family": "Curie"})
        {'id': 'c1', 'identity': {'name': {'family': 'Curie'}}}
        """
        return cls({column: column for column in columns})

    def unmapped(self, columns: Iterable[str]) -> tuple[str, ...]:
        """The columns among ``columns`` that this mapping does not mention, sorted.

        >>> ColumnMapping({"a": "id", "b": None}).unmapped(["a", "b", "c"])
        ('c',)
        """
        return tuple(sorted(column for column in columns if column not in self.columns))

    def apply(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """Return the nested dict for one flat ``row``; blank cells are left out.

        >>> ColumnMapping({"n": "identity.phones[1]"}).apply({"n": " "})
        {}
        """
        tree: dict[Step, Any] = {}
        for target in self._targets:
            value = row.get(target.column)
            if _blank(value):
                continue
            if target.split:
                value = _split(value)
                if value == []:
                    continue
            node = tree
            for step in target.steps[:-1]:
                node = node.setdefault(step, {})
            node[target.steps[-1]] = value
        result = _finish(tree)
        return result if isinstance(result, dict) else {}


def unflatten(row: Mapping[str, Any], mapping: Mapping[str, str | None]) -> dict[str, Any]:
    """Return the nested dict for one flat ``row`` through ``mapping`` (checked on every call).

    To convert many rows, build one :class:`ColumnMapping` and call its ``apply``.

    >>> unflatten({"Ref": "d-1", "Who": "c-1;c-2"},
    ...           {"Ref": "id", "Who": "identity.contact_refs[]"})
    {'id': 'd-1', 'identity': {'contact_refs': ['c-1', 'c-2']}}
    """
    return ColumnMapping(mapping).apply(row)
