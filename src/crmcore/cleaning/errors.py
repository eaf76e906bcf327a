"""The one exception cleaning raises on purpose."""

from __future__ import annotations

from collections.abc import Iterable

from crmcore.errors import CRMError, Problem

__all__ = ["CleaningError"]


class CleaningError(CRMError):
    """Cleaning cannot go on: the input is not a record, or lacks what a record cannot lack.

    Data problems are repaired or quarantined, never raised. This is raised only when there is
    no record to put a quarantine on: a raw value that is not a mapping, a record whose ``id``
    is missing or unreadable, or something that is not a crmcore record at all. ``problems``
    names each path and reason; the message never quotes a value.
    """

    def __init__(self, what: str, problems: Iterable[Problem]) -> None:
        self.what = what
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        lines = [f"cannot clean {what}: {count} problem{'s' if count != 1 else ''}"]
        lines.extend(f"  {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))
