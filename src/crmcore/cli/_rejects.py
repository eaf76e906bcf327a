"""What ``convert`` and ``clean`` write besides their records: rejected rows, the summary.

- :func:`without_empty` leaves out the empty fields of a record's dict form (missing values,
  empty lists and objects), as the commands write records unless ``--keep-empty``.
- :class:`RunLog` counts the rows read, written and rejected and the rejections by code,
  writes each rejected row to the ``--errors`` file (JSON Lines: line, and for each problem its
  code, record path, source column and reason; never a value), says when ``--max-errors`` is
  reached, and gives the ``--summary-json`` document.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import IO, Any

import attrs

from crmcore.cli._io import JsonLinesWriter, Row, open_output
from crmcore.cli._shown import shown_columns, shown_path, shown_text
from crmcore.cli._stream import Plan
from crmcore.errors import Problem

__all__ = [
    "ROW_UNREADABLE",
    "STOPPED",
    "RunLog",
    "add_output_options",
    "optional_output",
    "source_columns",
    "without_empty",
    "write_summary",
]

ROW_UNREADABLE = "row.unreadable"
"""The code of a line that cannot be read at all (malformed JSON or CSV)."""

STOPPED = 3
"""The exit code of a run stopped by ``--max-errors``."""

_INDEX = re.compile(r"\[[0-9]*\]")


_AS_GIVEN = frozenset({"quarantine", "custom"})
"""Keys whose values are kept whole: a quarantined value or a custom field may be empty."""


def without_empty(value: Any) -> Any:
    """``value`` with every ``None``, empty list and empty object left out of its objects.

    Objects left empty that way are left out too; items of lists are kept (compacted
    themselves); ``False``, ``0`` and ``""`` are values, kept. The record's quarantine and
    custom fields are kept as they are. What is left out reads back as missing, so the record
    read back is the same (a property test holds it).

    >>> without_empty({"id": "c-1", "tags": [], "name": {"given": None}, "vip": False})
    {'id': 'c-1', 'vip': False}
    >>> without_empty({"emails": [{"address": "a@b.org", "label": None}]})
    {'emails': [{'address': 'a@b.org'}]}
    """
    if isinstance(value, dict):
        kept: dict[Any, Any] = {}
        for key, item in value.items():
            if key not in _AS_GIVEN:
                item = without_empty(item)
            if item is None or (isinstance(item, (dict, list)) and not item):
                continue
            kept[key] = item
        return kept
    if isinstance(value, list):
        return [without_empty(item) for item in value]
    return value


def _bare(path: str) -> str:
    return _INDEX.sub("", path)


def _covers(target: str, path: str) -> bool:
    return path == target or path.startswith((target + ".", target + "["))


def source_columns(columns: Mapping[str, str | None] | None, path: str) -> list[str]:
    """The columns of a mapping (column to record path) a problem at ``path`` comes from.

    A column whose path holds ``path`` (or lies under it) is named; when list positions differ
    (a mapping compacts empty items away), every column on the same field is.

    >>> mapping = {"Mail": "identity.emails[0]", "Mail 2": "identity.emails[1]", "Id": "id"}
    >>> source_columns(mapping, "identity.emails[1].address")
    ['Mail 2']
    >>> source_columns(mapping, "identity.emails")
    ['Mail', 'Mail 2']
    """
    if not columns or not path:
        return []
    exact = [
        column
        for column, target in columns.items()
        if target is not None
        and (_covers(target.removesuffix("[]"), path) or _covers(path, target))
    ]
    if exact:
        return exact
    bare = _bare(path)
    return [
        column
        for column, target in columns.items()
        if target is not None and (_covers(_bare(target), bare) or _covers(bare, _bare(target)))
    ]


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--errors``, ``--max-errors``, ``--quiet``, ``--summary-json`` and ``--keep-empty``."""
    parser.add_argument(
        "--errors",
        metavar="FILE.jsonl",
        help=(
            "write each rejected row to FILE.jsonl: its line and, for each problem, its code, "
            "record path, source columns and reason (never a value)"
        ),
    )
    parser.add_argument(
        "--max-errors",
        type=_positive,
        metavar="N",
        help="stop after N rejected rows (exit code 3); the records before are written",
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print nothing on stderr but what stops the run (no row problems, no summary)",
    )
    parser.add_argument(
        "--summary-json",
        metavar="FILE",
        help="write the counts (rows read, written, rejected; problems by code) as JSON to FILE",
    )
    parser.add_argument(
        "--keep-empty",
        action="store_true",
        help="write empty fields (null, [], {}) too; by default they are left out",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("expected 1 or more")
    return value


def optional_output(path: str | None) -> AbstractContextManager[IO[str] | None]:
    """:func:`~crmcore.cli._io.open_output` of ``path``, or nothing when it is ``None``."""
    return open_output(path) if path else nullcontext()


def write_summary(path: str | None, document: dict[str, object]) -> None:
    """Write ``document`` as JSON to ``path`` (when given)."""
    with optional_output(path) as out:
        if out is not None:
            out.write(json.dumps(document, indent=2) + "\n")


@attrs.define
class RunLog:
    """Counts of one run, and the writer of its ``--errors`` file (``None`` for none).

    ``columns`` is the mapping of source columns to record paths (for CSV input), ``header``
    the columns of the file in order: a column is named as
    :func:`~crmcore.cli._shown.shown_column` shows it (without quotes).

    Only counts are kept: memory does not grow with the number of rows.
    """

    record_type: type[Any]
    errors: JsonLinesWriter | None = None
    max_errors: int | None = None
    columns: Mapping[str, str | None] | None = None
    header: Sequence[str] = ()
    read: int = 0
    written: int = 0
    rejected: int = 0
    by_code: collections.Counter[str] = attrs.field(factory=collections.Counter)

    @classmethod
    def of(
        cls, plan: Plan, rows: Iterable[Row], errors: IO[str] | None, max_errors: int | None
    ) -> RunLog:
        """The log of a run with ``plan`` over ``rows`` (whose CSV header it reads, if any)."""
        return cls(
            plan.record_type,
            JsonLinesWriter(errors) if errors is not None else None,
            max_errors,
            plan.mapping.columns if plan.mapping is not None else None,
            getattr(rows, "columns", ()),
        )

    @property
    def stopped(self) -> bool:
        """Whether ``--max-errors`` rejected rows have been reached."""
        return self.max_errors is not None and self.rejected >= self.max_errors

    def reject(self, row: Row, problems: Iterable[Problem]) -> list[dict[str, Any]]:
        """Count ``row`` as rejected for ``problems``; write it to the errors file; return the
        problems as written (code, path, columns, reason)."""
        shown = []
        row = row.parsed()
        for problem in problems:
            code = ROW_UNREADABLE if row.data is None else problem.code
            path = shown_path(self.record_type, problem.path) if problem.path else ""
            self.by_code[code] += 1
            shown.append(
                {
                    "code": code,
                    "path": path,
                    "columns": self._sources(problem) if path else [],
                    "reason": shown_text(problem.reason),
                }
            )
        self.rejected += 1
        if self.errors is not None:
            self.errors.write({"line": row.line, "problems": shown})
        return shown

    def _sources(self, problem: Problem) -> list[str]:
        """The source column of ``problem`` when it names one, else the columns of its path."""
        if problem.column is None:
            return self._columns(problem.path)
        shown = shown_columns([problem.column], self.header)
        return [name[1:-1] if name.startswith("'") else name for name in shown]

    def _columns(self, path: str) -> list[str]:
        shown = shown_columns(source_columns(self.columns, path), self.header)
        return [name[1:-1] if name.startswith("'") else name for name in shown]

    def summary(self, command: str, *, stopped: bool) -> dict[str, Any]:
        """The ``--summary-json`` document: rows read, written, rejected; rejections by code."""
        return {
            "command": command,
            "record_type": self.record_type.__name__.lower(),
            "rows_read": self.read,
            "rows_written": self.written,
            "rows_rejected": self.rejected,
            "stopped_at_max_errors": stopped,
            "problems_by_code": dict(sorted(self.by_code.items())),
        }
