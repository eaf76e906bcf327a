"""Turn the nested exceptions of a failed structuring into a flat list of safe problems.

cattrs groups the failures of one class in a ``ClassValidationError`` and those of one list in
an ``IterableValidationError``, and notes on each sub-exception which attribute or index it
came from. This walker rebuilds paths such as ``identity.emails[1].address`` from those notes
and keeps only reasons that never quote a value: messages of Python's own exceptions are
replaced by a generic reason, since they often repeat the offending input.

A key of the input becomes a path segment only through :func:`crmcore._safe.key_segment`: it
is named when it looks like a field name, else by its position in its mapping (``<key 2>``),
so that an email used as a key, a newline or ten megabytes never reach a message.

Each problem carries the stable code of its reason (the code of the
:class:`~crmcore.errors.InvalidValueError` that gave it, or one chosen by the kind of a
Python exception) and its ``loc``, built segment by segment beside the path: a key named as it
is stays one segment even when it holds a dot.
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
from crmcore.errors import GENERIC_CODE, InvalidValueError, Loc, Problem

__all__ = ["UNKNOWN_FIELD", "NestedProblems", "join_path", "key_problems", "problems_of", "within"]

UNKNOWN_FIELD = "field.unknown"
"""The code of a key that is no field of the record."""


class NestedProblems(InvalidValueError):
    """Problems found below one value, with paths relative to it; safe to log."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problems below this value")


def key_problems(
    keys: Collection[Any],
    source: Mapping[Any, Any] | None,
    reason: str = "unknown field",
    code: str = UNKNOWN_FIELD,
) -> NestedProblems:
    """A problem for each of ``keys``, named by :func:`key_segment`, in the order of ``source``.

    A key's position is its place among the keys of ``source``, the mapping the input gave;
    without it (or for a key it lacks), its place among ``keys`` in sorted order.
    """
    fallback = {key: position for position, key in enumerate(sorted(keys, key=_sort_key))}
    given = {key: position for position, key in enumerate(source)} if source is not None else {}

    def position(key: Any) -> int:
        return given[key] if key in given else fallback[key]

    segments = (key_segment(key, position(key)) for key in sorted(keys, key=position))
    return NestedProblems(Problem(segment, reason, code, (segment,)) for segment in segments)


def _sort_key(key: Any) -> tuple[str, str]:
    return (type(key).__name__, key if isinstance(key, str) else repr(key)[:100])


def join_path(path: str, segment: str) -> str:
    """Join a dotted path and a segment (``name`` or ``[index]``)."""
    if not segment:
        return path
    if segment.startswith("["):
        return f"{path}{segment}"
    return f"{path}.{segment}" if path else segment


def within(path: str, loc: Loc, problem: Problem) -> Problem:
    """``problem``, found below the value at ``path`` and ``loc``, placed from the top."""
    return Problem(join_path(path, problem.path), problem.reason, problem.code, loc + problem.loc)


def _segment(exc: BaseException) -> str | int | None:
    for note in reversed(getattr(exc, "__notes__", ())):
        if isinstance(note, AttributeValidationNote):
            return note.name
        if isinstance(note, IterableValidationNote):
            return int(note.index)
    return None


def _generic(exc: BaseException) -> tuple[str, str]:
    """The reason and code of a Python exception, by its kind (its message may quote input)."""
    if isinstance(exc, KeyError):
        return "required field is missing", "value.missing"
    if isinstance(exc, TypeError):
        return "wrong type of value", "value.wrong_type"
    if isinstance(exc, RecursionError):
        return "nested too deeply", "value.too_deep"
    return "invalid value", GENERIC_CODE


def _step(path: str, loc: Loc, segment: str | int | None) -> tuple[str, Loc]:
    if segment is None:
        return path, loc
    if isinstance(segment, int):
        return join_path(path, f"[{segment}]"), (*loc, segment)
    return join_path(path, segment), (*loc, segment)


def _field(path: str, loc: Loc, field: str | None) -> tuple[str, Loc]:
    """Step down to a constructor's ``field``, which may end in an index (``tags[2]``)."""
    if not field:
        return path, loc
    name, bracket, index = field.partition("[")
    if bracket and index.endswith("]") and index[:-1].isdigit():
        return join_path(path, field), (*loc, name, int(index[:-1]))
    return join_path(path, field), (*loc, field)


def _walk(exc: BaseException, path: str, loc: Loc, out: list[Problem]) -> None:
    if isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            _walk(sub, *_step(path, loc, _segment(sub)), out)
    elif isinstance(exc, ForbiddenExtraKeysError):  # no input at hand: sorted order
        _walk(key_problems(exc.extra_fields, None), path, loc, out)
    elif isinstance(exc, InvalidValueError):
        nested: list[Problem] | None = getattr(exc, "problems", None)
        if nested is not None:
            out.extend(within(path, loc, problem) for problem in nested)
        else:
            at, at_loc = _field(path, loc, exc.field)
            out.append(Problem(at, exc.reason, exc.code, at_loc))
    else:
        reason, code = _generic(exc)
        out.append(Problem(path, reason, code, loc))


def problems_of(exc: BaseException) -> list[Problem]:
    """Flatten ``exc`` into problems with paths relative to the structured value."""
    out: list[Problem] = []
    _walk(exc, "", (), out)
    return out
