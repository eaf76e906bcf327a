"""The streaming machinery shared by ``convert``, ``validate`` and ``clean``.

A :class:`Plan` says what to do with each row, decided once before reading; :func:`open_rows`
reads the header of a CSV file (or nothing, for JSON Lines) and returns the rows to stream;
:func:`row_data` applies the column mapping to one row. Rows are read, handled and written one
at a time, so memory does not grow with the file.

:class:`Progress` draws a progress bar on stderr while the rows go by, when stderr is a terminal
and the input a regular file larger than :data:`PROGRESS_MIN_BYTES`; :func:`render_progress`,
the pure function that draws one frame, is what tests check.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import IO, Any, TextIO

import attrs

from crmcore.cli._io import CsvRows, JsonLinesRows, Row
from crmcore.cli._options import Reading, UsageError
from crmcore.cli._shown import shown_columns, shown_text
from crmcore.convert import ColumnMapping, Converter
from crmcore.errors import ConversionError, InvalidValueError, Problem

__all__ = [
    "PROGRESS_MIN_BYTES",
    "Plan",
    "Progress",
    "convert_row",
    "open_rows",
    "progress_for",
    "rejected_line",
    "render_progress",
    "row_data",
    "with_sources",
]

PROGRESS_MIN_BYTES = 1 << 20
"""Inputs smaller than this (1 MiB) never get a progress bar: they are done in a blink."""

_INTERVAL = 0.1
"""Seconds between two frames of the progress bar, at least."""


@attrs.frozen
class Plan:
    """What to do with each row, decided once before reading."""

    record_type: type[Any]
    converter: Converter
    mapping: ColumnMapping | None
    forbid_unmapped: bool

    @classmethod
    def of(cls, reading: Reading) -> Plan:
        """The plan the shared options describe (before the CSV header is read)."""
        return cls(
            reading.record_type, reading.converter, reading.mapping, not reading.ignore_extra
        )


def open_rows(
    plan: Plan, stream: IO[str], fmt: str, notice: Callable[[str], None]
) -> tuple[Plan, Iterable[Row]]:
    """The rows of ``stream`` and the plan adjusted to its header.

    A CSV file without ``--mapping`` must have record paths as its header; with one, every
    mapped column must exist and every other column be mapped (``null`` ignores one) unless
    unknown columns are allowed, which ``notice`` is then told about (names of columns only,
    as :func:`~crmcore.cli._shown.shown_column` prints them).
    """
    if fmt == "jsonl":
        return plan, JsonLinesRows(stream)
    rows = CsvRows(stream)
    if plan.mapping is None:
        try:
            mapping = ColumnMapping.identity(rows.columns)
        except InvalidValueError:
            raise UsageError(
                "the CSV header is not made of record paths (like identity.emails[0]): "
                "give --mapping"
            ) from None
        return attrs.evolve(plan, mapping=mapping, forbid_unmapped=False), rows
    missing = sorted(set(plan.mapping.columns) - set(rows.columns))
    if missing:
        names = [f"'{shown_text(name, 64)}'" for name in missing[:_LISTED]]
        if plan.mapping.require_columns:
            raise UsageError(
                "--mapping names columns the CSV file does not have: "
                f"{_listed(names, len(missing))}"
            )
        notice(f"the file has none of the mapped columns {_listed(names, len(missing))}")
    unmapped = plan.mapping.unmapped(rows.columns)
    shown = shown_columns(unmapped[:_LISTED], rows.columns)
    if unmapped and plan.forbid_unmapped:
        raise UsageError(
            f"columns not in the mapping: {_listed(shown, len(unmapped))}; map them (null "
            "ignores a column) or give --ignore-extra"
        )
    if unmapped:
        notice(f"ignoring unmapped columns {_listed(shown, len(unmapped))}")
    return attrs.evolve(plan, forbid_unmapped=False), rows


_LISTED = 20
"""Column names listed in one message at most; the others are counted."""


def _listed(names: list[str], total: int) -> str:
    more = f", and {total - len(names):,} more" if total > len(names) else ""
    return "[" + ", ".join(names) + more + "]"


def row_data(plan: Plan, row: Row) -> tuple[Mapping[str, Any] | None, tuple[Problem, ...]]:
    """The data of ``row`` with the mapping applied, or the problems that stop it."""
    if row.data is None:
        return None, (Problem("", row.problem or "cannot be read"),)
    data: Mapping[str, Any] = row.data
    if plan.mapping is not None:
        unmapped = plan.mapping.unmapped(data) if plan.forbid_unmapped else ()
        if unmapped:
            return None, tuple(Problem(column, "column not in the mapping") for column in unmapped)
        data = plan.mapping.apply(data)
    return data, ()


def rejected_line(line: int, shown: Mapping[str, Any]) -> str:
    """One problem of a rejected row as printed on stderr: where in the source, then what.

    ``shown`` is a problem as :meth:`~crmcore.cli._rejects.RunLog.reject` gives it (code,
    path, source columns, reason, all safe to print). The source columns are named when they
    say more than the path (a header that is the path itself is not repeated).

    >>> rejected_line(31, {"path": "identity.phones[0].number", "reason": "not a phone number",
    ...                    "columns": ["Mobile Phone Number"]})
    "line 31, column 'Mobile Phone Number': identity.phones[0].number: not a phone number"
    >>> rejected_line(4, {"path": "", "reason": "not valid JSON", "columns": []})
    'line 4: <root>: not valid JSON'
    """
    columns = [str(column) for column in shown.get("columns") or ()]
    path = str(shown.get("path") or "")
    where = f"line {line}"
    if columns and not (len(columns) == 1 and columns[0] == path):
        names = ", ".join(f"'{column}'" for column in columns)
        where += f", column {names}" if len(columns) == 1 else f", columns {names}"
    return f"{where}: {path or '<root>'}: {shown.get('reason', '')}"


def with_sources(plan: Plan, row: Row, problems: Sequence[Problem]) -> Sequence[Problem]:
    """``problems`` of ``row`` naming the source column each comes from, when a mapping read it.

    The mapping says which column wrote each path, list positions compacted as it compacts
    them; only rows that failed pay for it.
    """
    if plan.mapping is None or row.data is None or not problems:
        return problems
    return plan.mapping.with_sources(row.data, problems, row_number=row.line)


def convert_row(plan: Plan, row: Row) -> tuple[Any | None, tuple[Problem, ...]]:
    """The record ``row`` converts to, or the problems that stop it."""
    data, problems = row_data(plan, row)
    if data is None:
        return None, problems
    try:
        return plan.converter.from_dict(plan.record_type, data), ()
    except ConversionError as exc:
        return None, exc.problems


# -- progress ----------------------------------------------------------------------------------


def _size(count: int) -> str:
    return f"{count / 1_000_000:,.1f}"


def _duration(seconds: float) -> str:
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def render_progress(
    done: int, total: int, rows: int, elapsed: float, *, width: int = 16, columns: int = 80
) -> str:
    """One frame of the progress bar: share of bytes read, rows, rows a second, time left.

    ``done`` and ``total`` are bytes; ``elapsed`` is seconds. The line is cut to ``columns - 1``
    characters so it never wraps on a terminal that wide.

    >>> render_progress(25_000_000, 100_000_000, 120_000, 10.0)
    ' 25% [####............] 25.0/100.0 MB  120,000 rows  12,000/s  0:00:30 left'
    >>> render_progress(0, 0, 0, 0.0)
    '  0% [................] 0.0/0.0 MB  0 rows'
    """
    fraction = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
    filled = int(fraction * width)
    parts = [f"{_size(done)}/{_size(total)} MB", f"{rows:,} rows"]
    if elapsed > 0 and rows:
        parts.append(f"{rows / elapsed:,.0f}/s")
    if elapsed > 0 and 0 < fraction < 1:
        parts.append(f"{_duration(elapsed * (1 - fraction) / fraction)} left")
    bar = f"{int(fraction * 100):3d}% [{'#' * filled}{'.' * (width - filled)}]"
    return f"{bar} {'  '.join(parts)}"[: max(columns - 1, 0)]


class Progress:
    """Counts rows as they go by and, when drawing, redraws the bar at most 10 times a second.

    Made by :func:`progress_for`; use it as a context manager around the loop: on exit it
    clears its line. :meth:`print` writes a message to stderr without garbling the bar.
    """

    def __init__(
        self,
        err: TextIO,
        total: int = 0,
        position: Callable[[], int] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        columns: int = 80,
    ) -> None:
        self.err = err
        self.rows = 0
        self.drawing = position is not None and total > 0
        self._total = total
        self._position = position
        self._clock = clock
        self._columns = columns
        self._start = clock()
        self._next = self._start + _INTERVAL
        self._shown = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.clear()

    def track(self, rows: Iterable[Row]) -> Iterator[Row]:
        """Yield ``rows``, counting them and redrawing the bar when it is time."""
        if not self.drawing:
            for row in rows:
                self.rows += 1
                yield row
            return
        clock = self._clock
        for row in rows:
            self.rows += 1
            if clock() >= self._next:
                self._draw()
            yield row

    def print(self, message: str) -> None:
        """Write ``message`` on its own line of stderr (the bar comes back at the next frame)."""
        self.clear()
        self.err.write(message + "\n")

    def clear(self) -> None:
        """Erase the bar, if it is shown."""
        if self._shown:
            self.err.write("\r" + " " * self._shown + "\r")
            self.err.flush()
            self._shown = 0

    def _draw(self) -> None:
        now = self._clock()
        self._next = now + _INTERVAL
        try:
            done = self._position() if self._position is not None else 0
        except (OSError, ValueError):
            done = 0
        frame = render_progress(
            done, self._total, self.rows, now - self._start, columns=self._columns
        )
        self.err.write("\r" + frame + " " * max(self._shown - len(frame), 0))
        self.err.flush()
        self._shown = max(self._shown, len(frame))


def _position(stream: IO[str]) -> Callable[[], int] | None:
    buffer = getattr(stream, "buffer", None)
    tell = getattr(buffer, "tell", None)
    return tell if callable(tell) else None


def progress_for(
    path: str, stream: IO[str], *, enabled: bool, err: TextIO, output: str = "-"
) -> Progress:
    """A :class:`Progress` that draws only when it helps and cannot harm.

    It draws when ``enabled`` (no ``--no-progress``), ``err`` is a terminal, the ``output`` does
    not go to that terminal too (the bar would garble it), and ``path`` is a regular file
    larger than :data:`PROGRESS_MIN_BYTES`; the bytes read so far come from the binary buffer
    under ``stream``. Otherwise it only counts.
    """
    if not enabled or path == "-" or not _is_terminal(err):
        return Progress(err)
    if output == "-" and _isatty(sys.stdout):
        return Progress(err)
    try:
        info = os.stat(path)
    except OSError:
        return Progress(err)
    position = _position(stream)
    if not stat.S_ISREG(info.st_mode) or info.st_size < PROGRESS_MIN_BYTES or position is None:
        return Progress(err)
    try:
        columns = os.get_terminal_size(err.fileno()).columns
    except (OSError, ValueError, AttributeError):
        columns = 0
    columns = columns if columns >= 20 else 80  # 0 when the terminal does not say
    return Progress(err, info.st_size, position, columns=columns)


def _is_terminal(err: TextIO) -> bool:
    return err is sys.stderr and _isatty(err)


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (ValueError, AttributeError):  # closed, or not a real stream
        return False
