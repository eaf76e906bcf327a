"""The target paths of a column mapping: parsed, checked against each other and a record type.

A path is dotted names with list positions (``identity.addresses[1].locality``), or a whole
list written in one cell (``qualitative.motivations[]``). :func:`parse_path` reads one;
:func:`check_shape` refuses two writers of one path; :func:`misfit` says why a path does not
exist on a record type (``identity.email[0]`` on a contact), or ``None``.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Iterable
from typing import Any, Union, get_args, get_origin

import attrs

from crmcore.errors import MappingError, Problem
from crmcore.records._meta import field_info

__all__ = [
    "PATH_MAX_LENGTH",
    "Step",
    "Steps",
    "check_shape",
    "misfit",
    "parse_path",
    "shown",
]

PATH_MAX_LENGTH = 256
"""The longest path a column may be mapped to; a record's deepest path is far shorter."""

_SEGMENT = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<index>[0-9]*)\])?\Z")
_CUSTOM_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")

Step = str | int
"""One step of a path: a key of a mapping or a position in a list."""

Steps = tuple[Step, ...]


def refuse(name: str, reason: str, path: str = "", code: str = "mapping.invalid") -> MappingError:
    """The error for one column at fault; ``name`` is the column as messages show it."""
    return MappingError([Problem(path, f"{name}: {reason}" if name else reason, code, ())])


def parse_path(name: str, path: object) -> tuple[Steps, bool]:
    """The steps of ``path`` and whether it ends in ``[]`` (one cell split into a list).

    ``name`` is how messages name the column; a malformed path raises :class:`MappingError`.
    """
    if not isinstance(path, str) or not path:
        raise refuse(f"column {name}", "has no path")
    if len(path) > PATH_MAX_LENGTH:
        raise refuse(f"column {name}", "path too long")
    steps: list[Step] = []
    split = False
    parts = path.split(".")
    for place, part in enumerate(parts):
        match = _SEGMENT.match(part)
        if match is None:
            raise refuse(f"column {name}", "malformed path")
        steps.append(match["name"])
        index = match["index"]
        if index is None:
            continue
        if index:
            steps.append(int(index))
        elif place == len(parts) - 1:
            split = True
        else:
            raise refuse(f"column {name}", "'[]' may only end a path")
    return tuple(steps), split


def shown(steps: Iterable[Step], split: bool = False) -> str:
    """The dotted text of ``steps``: ``identity.emails[0]``."""
    out = ""
    for step in steps:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else step
    return out + ("[]" if split else "")


def check_shape(targets: Iterable[tuple[Steps, str]]) -> None:
    """Refuse two writers of one path, or a path used both as a value and as a container.

    ``targets`` are each path's steps and the name of its writer as messages show it.
    """
    owners: dict[Steps, str] = {}
    containers: dict[Steps, tuple[type, str]] = {}
    for steps, name in targets:
        for depth in range(1, len(steps)):
            prefix, following = steps[:depth], steps[depth]
            kind: type = int if isinstance(following, int) else str
            if prefix in owners:
                raise refuse("", f"{owners[prefix]} and {name} both write {shown(prefix)}")
            seen = containers.setdefault(prefix, (kind, name))
            if seen[0] is not kind:
                raise refuse(
                    "", f"{seen[1]} and {name} disagree on whether {shown(prefix)} is a list"
                )
        if steps in owners or steps in containers:
            other = owners.get(steps) or containers[steps][1]
            raise refuse("", f"{other} and {name} both write {shown(steps)}")
        owners[steps] = name


def _unwrap(annotation: Any) -> Any:
    """``X`` of ``X | None``; anything else as it is."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _item(annotation: Any) -> Any:
    """``X`` of ``tuple[X, ...]``, or ``None`` when ``annotation`` is no list."""
    if get_origin(annotation) is tuple:
        args = get_args(annotation)
        if len(args) == 2 and args[1] is ...:
            return args[0]
    return None


_CUSTOM = object()
"""The kind of a custom-field mapping: one custom field name follows."""


@functools.lru_cache(maxsize=64)
def _fields(kind: type[Any]) -> dict[str, Any]:
    """The fields of attrs class ``kind`` a dict may give, and the kind of value of each."""
    found: dict[str, Any] = {}
    for attribute in attrs.fields(attrs.resolve_types(kind)):
        if not attribute.init:
            continue
        info = field_info(attribute)
        found[attribute.name] = _CUSTOM if info is not None and info.custom else attribute.type
    return found


def misfit(record_type: type[Any], steps: Steps, split: bool) -> str | None:
    """Why ``steps`` name no field of ``record_type`` (in words naming fields only), or None.

    A custom field (``descriptive.custom.tier``) takes one name after ``custom``, and a
    position after it when it holds a list of texts (``descriptive.custom.tags[0]``); a position
    needs a list; ``[]`` needs a list; a value object may be given whole (an email address as
    text) or field by field.
    """
    kind: Any = record_type
    for place, step in enumerate(steps):
        here = shown(steps[:place]) or record_type.__name__
        if kind is _CUSTOM:
            if not isinstance(step, str) or not _CUSTOM_NAME.match(step):
                return f"{here} takes a custom field name (lower case, digits, _)"
            inside = steps[place + 1 :]
            if len(inside) == 1 and isinstance(inside[0], int):
                return None  # an item of a custom field that is a list of texts
            if inside:
                return f"{shown(steps[: place + 1])} is a custom field: nothing goes inside it"
            kind = None
            continue
        if isinstance(step, int):
            item = _item(kind)
            if item is None:
                return f"{here} is not a list"
            kind = _unwrap(item)
            continue
        if not (isinstance(kind, type) and attrs.has(kind)):
            return f"{here} has no fields"
        fields = _fields(kind)
        if step not in fields:
            return f"{here} has no field {step}"
        found = fields[step]
        kind = found if found is _CUSTOM else _unwrap(found)
    if kind is _CUSTOM:
        return f"{shown(steps)} needs a custom field name after it"
    if split and kind is not None and _item(kind) is None:
        return f"{shown(steps)} is not a list: '[]' splits a cell into a list"
    return None
