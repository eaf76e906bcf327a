"""Read the rows of a CSV file so that one stray quote never swallows the rows after it.

The :mod:`csv` module reads a quoted cell across line ends until its closing quote: right for an
address written on two lines, ruinous for ``c-1,"Ada`` with no closing quote, whose cell then
takes in every following row. Lines are therefore grouped into rows here, before the csv module
parses them, by this rule:

- A row that ends on its own line is read as the csv module reads it.
- A quoted cell that runs past a line end is accepted only when its closing quote is followed by
  a delimiter or the end of a line (as any CSV writer writes it) and the row it ends in has
  exactly as many cells as the header. Otherwise the line where it opened is reported as
  unreadable, and reading resumes on the next physical line.
- A quoted cell still open after :data:`SPAN_LIMIT` characters, or at the end of the file, is
  reported the same way.
- A cell longer than the csv module's limit (:data:`CELL_LIMIT`) is reported as too long.

Each line is scanned a bounded number of times, so a file full of stray quotes is read in time
linear in its size, and memory stays bounded by :data:`SPAN_LIMIT`.
"""

from __future__ import annotations

import collections
import csv
from collections.abc import Iterator
from typing import Any

__all__ = ["CELL_LIMIT", "SPAN_LIMIT", "CsvRecord", "csv_records", "ends_in_quote"]

CELL_LIMIT = csv.field_size_limit()
"""The longest cell the csv module reads (131,072 characters unless changed)."""

SPAN_LIMIT = CELL_LIMIT
"""How many characters a quoted cell may run over following lines before it is given up."""

TOO_LONG = f"a cell is longer than {CELL_LIMIT:,} characters; the row is not read"
UNCLOSED = (
    "a quoted cell opened on this line is not closed where a row can end "
    "(an unbalanced quote?); the line is not read"
)
MALFORMED = "malformed CSV; the row is not read"

CsvRecord = tuple[int, "list[str] | None", "str | None"]
"""A row: the line it starts on, and its cells or why it cannot be read."""


def ends_in_quote(line: str, delimiter: str, in_quote: bool) -> tuple[bool, bool]:
    """Scan one physical line as the csv module would; say how it ends.

    Return whether the line ends inside a quoted cell, and whether the quoted cell it started
    in (when ``in_quote``) closed properly: its closing quote followed by a delimiter or the
    line end. A quote inside an unquoted cell is a character like any other, as the csv module
    reads it.

    >>> ends_in_quote('c-1,"Ada\\n', ",", False)
    (True, True)
    >>> ends_in_quote('Paris",x\\n', ",", True)
    (False, True)
    >>> ends_in_quote('c-2,"Bob\\n', ",", True)
    (False, False)
    """
    size = len(line)
    index = 0
    proper = True
    first = in_quote
    while True:
        if in_quote:
            while True:
                found = line.find('"', index)
                if found < 0:
                    return True, proper
                if found + 1 < size and line[found + 1] == '"':
                    index = found + 2
                    continue
                index = found + 1
                break
            in_quote = False
            if first:
                first = False
                proper = index >= size or line[index] in (delimiter, "\r", "\n")
        # an unquoted cell, or what follows a closing quote: up to the next delimiter
        found = line.find(delimiter, index)
        if found < 0:
            return False, proper
        index = found + 1
        if index < size and line[index] == '"':
            in_quote = True
            index += 1


def _starts_quote(line: str, delimiter: str) -> bool:
    """Whether ``line`` (out of any quote at its start) ends inside a quoted cell."""
    if '"' not in line:
        return False
    if line[0] == '"':
        return ends_in_quote(line[1:], delimiter, True)[0]
    return ends_in_quote(line, delimiter, False)[0]


class _Feed:
    """The lines of one row, handed to a :func:`csv.reader` that lives as long as the file."""

    def __init__(self) -> None:
        self.lines: collections.deque[str] = collections.deque()

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if not self.lines:
            raise StopIteration
        return self.lines.popleft()


def csv_records(
    lines: Iterator[str], delimiter: str, width: int, first_line: int = 2
) -> Iterator[CsvRecord]:
    """The rows of ``lines`` (the file after its header), by the rule of the module docstring.

    ``width`` is the number of columns of the header; ``first_line`` the line number of the
    first of ``lines``. A row yields its cells as the csv module reads them; a row that cannot
    be read yields ``None`` and the reason.
    """
    feed = _Feed()
    reader = csv.reader(feed, delimiter=delimiter)
    pushed_back: collections.deque[tuple[int, str]] = collections.deque()
    number = first_line - 1

    def next_line() -> tuple[int, str] | None:
        nonlocal number
        if pushed_back:
            return pushed_back.popleft()
        line = next(lines, None)
        if line is None:
            return None
        number += 1
        return number, line

    while True:
        item = next_line()
        if item is None:
            return
        start, line = item
        group = [line]
        if _starts_quote(line, delimiter):
            problem = _extend(group, next_line, delimiter)
            if problem is None and _cells(group, delimiter) != width:
                problem = UNCLOSED
            if problem is not None:
                yield start, None, problem
                pushed_back.extendleft(
                    reversed([(start + offset, text) for offset, text in enumerate(group)][1:])
                )
                continue
        feed.lines.extend(group)
        try:
            cells = next(reader)
        except StopIteration:  # the csv module read nothing: cannot happen with a line fed
            continue
        except csv.Error as exc:
            feed.lines.clear()
            yield start, None, TOO_LONG if "field larger" in str(exc) else MALFORMED
            continue
        yield start, cells, None


def _extend(group: list[str], next_line: Any, delimiter: str) -> str | None:
    """Add to ``group`` the lines its open quoted cell runs over; say why not, if it cannot.

    On failure ``group`` holds every line taken, so they can be read again as rows of their own.
    """
    size = 0
    while True:
        item = next_line()
        if item is None:
            return UNCLOSED
        line = item[1]
        group.append(line)
        size += len(line)
        open_quote, proper = ends_in_quote(line, delimiter, True)
        if not proper:
            return UNCLOSED
        if not open_quote:
            return None
        if size > SPAN_LIMIT:
            return UNCLOSED


def _cells(group: list[str], delimiter: str) -> int:
    """How many cells the csv module reads in ``group``, a complete row (``-1`` if none)."""
    try:
        rows = list(csv.reader(group, delimiter=delimiter))
    except csv.Error:
        return -1
    return len(rows[0]) if len(rows) == 1 else -1
