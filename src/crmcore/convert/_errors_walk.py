"""Turn the nested exceptions of a failed structuring into a flat list of safe problems.

cattrs groups the failures of one class in a ``ClassValidationError`` and those of one list in
an ``IterableValidationError``, and notes on each sub-exception which attribute or index it
came from. This walker rebuilds paths such as ``identity.emails[1].address`` from those notes
and keeps only reasons that never quote a value: messages of Python's own exceptions are
replaced by a generic reason, since they often repeat the offending input.

A key of the input becomes a path segment only through :func:`crmcore._safe.key_segment`: it
is named when it looks like a field name, else by its position in its mapping (``<key 2>``),
so that an email used as a key, a newline or ten megabytes never reach a message.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from crmcore._safe import key_segment
from crmcore.errors import InvalidValueError, Problem

__all__ = ["NestedProblems", "join_path", "key_problems", "problems_of"]


class NestedProblems(InvalidValueError):
    """Problems found below one value, with paths relative to it; safe to log."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problems below this value")


def key_problems(
    keys: Collection[Any], source: Mapping[Any, Any] | None, reason: str = "unknown field"
) -> NestedProblems:
    """A problem for each of ``keys``, named by :func:`key_segment`, in the order of ``source``.

    A key's position is its place among the keys of ``source``, the mapping the input gave;
    without it (or for a key it lacks), its place among ``keys`` in sorted order.
    """
    fallback = {key: position for position, key in enumerate(sorted(keys, key=_sort_key))}
    given = {key: position for position, key in enumerate(source)} if source is not None else {}

    def position(key: Any) -> int:
        return given[key] if key in given else fallback[key]

    return NestedProblems(
        Problem(key_segment(key, position(key)), reason) for key in sorted(keys, key=position)
    )


def _sort_key(key: Any) -> tuple[str, str]:
    return (type(key).__name__, key if isinstance(key, str) else repr(key)[:100])


def join_path(path: str, segment: str) -> str:
    """Join a dotted path and a segment (``name`` or ``[index]``)."""
    if not segment:
        return path
    if segment.startswith("["):
        return f"{path}{segment}"
    return f"{path}.{segment}" if path else segment


def _segment(exc: BaseException) -> str:
    for note in reversed(getattr(exc, "__notes__", ())):
        if isinstance(note, AttributeValidationNote):
            return note.name
        if isinstance(note, IterableValidationNote):
            return f"[{note.index}]"
    return ""


def _generic(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return "required field is missing"
    if isinstance(exc, TypeError):
        return "wrong type of value"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "invalid value"


def _walk(exc: BaseException, path: str, out: list[Problem]) -> None:
    if isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            _walk(sub, join_path(path, _segment(sub)), out)
    elif isinstance(exc, ForbiddenExtraKeysError):  # no input at hand: sorted order
        _walk(key_problems(exc.extra_fields, None), path, out)
    elif isinstance(exc, InvalidValueError):
        nested: list[Problem] | None = getattr(exc, "problems", None)
        if nested is not None:
            out.extend(Problem(join_path(path, problem.path), problem.reason) for problem in nested)
        else:
            out.append(Problem(join_path(path, exc.field or ""), exc.reason))
    else:
        out.append(Problem(path, _generic(exc)))


def problems_of(exc: BaseException) -> list[Problem]:
    """Flatten ``exc`` into problems with paths relative to the structured value."""
    out: list[Problem] = []
    _walk(exc, "", out)
    return out
