"""Turn the nested exceptions of a failed structuring into a flat list of safe problems.

cattrs groups the failures of one class in a ``ClassValidationError`` and those of one list in
an ``IterableValidationError``, and notes on each sub-exception which attribute or index it
came from. This walker rebuilds paths such as ``identity.emails[1].address`` from those notes
and keeps only reasons that never quote a value: messages of Python's own exceptions are
replaced by a generic reason, since they often repeat the offending input.
"""

from __future__ import annotations

from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from crmcore.errors import InvalidValueError, Problem

__all__ = ["join_path", "problems_of"]


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
    elif isinstance(exc, ForbiddenExtraKeysError):
        out.extend(
            Problem(join_path(path, str(key)), "unknown field")
            for key in sorted(exc.extra_fields, key=str)
        )
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
