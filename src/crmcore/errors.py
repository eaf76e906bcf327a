"""The crmcore exception hierarchy, rooted in :class:`CRMError`.

Messages never carry a personal value: they name the path of the problem and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs

__all__ = [
    "CRMError",
    "ConversionError",
    "InvalidValueError",
    "Problem",
    "ReportedIssue",
    "SchemaError",
    "ValidationError",
]


class CRMError(Exception):
    """The root of every exception raised on purpose by crmcore."""


@attrs.frozen
class Problem:
    """One failing path and the reason it failed, safe to log.

    ``path`` reads like ``identity.emails[1].address``; ``reason`` never holds the value.
    """

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path or '<root>'}: {self.reason}"


def _summary(what: str, problems: Sequence[Problem]) -> str:
    lines = [f"{what}: {len(problems)} problem{'s' if len(problems) != 1 else ''}"]
    lines.extend(f"  {problem}" for problem in problems)
    return "\n".join(lines)


class InvalidValueError(CRMError, ValueError):
    """A value object or record refused a value; the reason is safe to log.

    Raised by constructors. ``field`` names the attribute at fault, when one is.
    """

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        self.reason = reason
        self.field = field
        super().__init__(f"{field}: {reason}" if field else reason)


class ConversionError(CRMError):
    """Input could not be turned into a record; ``problems`` lists every failing path."""

    def __init__(self, type_name: str, problems: Iterable[Problem]) -> None:
        self.type_name = type_name
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(_summary(f"cannot convert to {type_name}", self.problems))


class SchemaError(CRMError):
    """A custom-field schema is malformed or a value does not fit it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(_summary("custom fields do not fit their schema", self.problems))


class ReportedIssue(Protocol):
    """What :class:`ValidationError` needs of an issue: :class:`crmcore.validation.Issue` is one.

    Named by a protocol so that this module, which every other one imports, imports none.
    """

    @property
    def path(self) -> str:
        """Where the issue is, like ``identity.emails[1].address``."""
        ...

    @property
    def code(self) -> str:
        """The stable dotted code of the issue, like ``email.invalid_syntax``."""
        ...

    @property
    def message(self) -> str:
        """What is wrong, in words safe to log."""
        ...


class ValidationError(CRMError):
    """A validation report held errors; ``issues`` carries them."""

    def __init__(self, issues: Sequence[ReportedIssue]) -> None:
        self.issues: tuple[ReportedIssue, ...] = tuple(issues)
        lines = [f"validation failed: {len(self.issues)} error(s)"]
        lines.extend(f"  {issue}" for issue in self.issues)
        super().__init__("\n".join(lines))
