"""Readers and writers for the command line: CSV and JSON Lines in, JSON Lines out.

Readers stream row by row and number each row by the line it starts on in its file (the
header of a CSV file is line 1, so its first row is line 2, as in a spreadsheet). A row that
cannot be read (malformed JSON, too many CSV fields, an unbalanced quote, a cell too long) is
yielded with a reason instead of data,
so one bad line never stops a batch; what makes the whole file unreadable raises
:class:`InputError`. No reason or message quotes the content of a row.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from importlib import resources
from typing import IO, TYPE_CHECKING, Any, cast

import attrs

from crmcore.cli._csv import csv_records
from crmcore.cli._decode import DecodedText, DecodingError

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = [
    "CsvRows",
    "InputError",
    "JsonLinesRows",
    "JsonLinesWriter",
    "Row",
    "json_line",
    "open_input",
    "open_output",
    "package_json",
    "package_rows",
]

_DELIMITERS = (",", ";", "\t", "|")
_DATA_PACKAGE = "crmcore.data"


class InputError(Exception):
    """A file cannot be read at all (missing, not in its encoding, no header); the message is
    safe."""


@attrs.frozen
class Row:
    """One input row: its line number, and either its data or why it could not be read.

    Its repr shows the line number and the problem only: the data and the text are the
    source's values (names, emails, phones).
    """

    line: int
    data: Mapping[str, Any] | None = attrs.field(default=None, repr=False)
    problem: str | None = None
    text: str | None = attrs.field(default=None, repr=False)
    """A JSON Lines row's text, not parsed yet (see :meth:`JsonLinesRows.unparsed`): the row
    is then neither data nor problem until :meth:`parsed` reads it."""

    def parsed(self) -> Row:
        """This row with its JSON text read; itself when it holds none."""
        if self.text is None:
            return self
        return _json_row(self.line, self.text)


def open_input(path: str, encoding: str = "utf-8") -> AbstractContextManager[IO[str]]:
    """Open ``path`` for reading as text in ``encoding``; ``-`` is stdin.

    The text is decoded by :class:`~crmcore.cli._decode.DecodedText`: a byte-order mark is
    skipped (on stdin too), CR, LF and CR LF all end a line, and a byte that is not valid in
    ``encoding`` is reported with its line and byte offset.
    """
    if path == "-":
        raw = getattr(sys.stdin, "buffer", None)
        if raw is None:  # stdin replaced by a text stream (an embedding program, a test)
            return nullcontext(sys.stdin)
        return nullcontext(cast(IO[str], DecodedText(raw, encoding)))
    try:
        binary = open(path, "rb")  # noqa: SIM115 (closed by the DecodedText)
    except OSError as exc:
        raise InputError(f"cannot open the input file ({exc.strerror or 'error'})") from None
    return cast(AbstractContextManager[IO[str]], DecodedText(binary, encoding, owns=True))


def open_output(path: str) -> AbstractContextManager[IO[str]]:
    """Open ``path`` for writing UTF-8 text; ``-`` is stdout."""
    if path == "-":
        return nullcontext(sys.stdout)
    try:
        return open(path, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise InputError(f"cannot open the output file ({exc.strerror or 'error'})") from None


def _lines(stream: IO[str]) -> Iterator[str]:
    """Lines of ``stream``, turning a decoding failure into an :class:`InputError`."""
    if isinstance(stream, DecodedText):
        try:
            yield from stream.lines()
        except DecodingError as exc:
            raise InputError(str(exc)) from None
        return
    number = 0
    while True:
        try:
            line = stream.readline()
        except UnicodeDecodeError:
            raise InputError(f"line {number + 1}: the file is not UTF-8 text") from None
        if not line:
            return
        number += 1
        yield line


def _delimiter(header: str) -> str:
    best = max(_DELIMITERS, key=lambda candidate: header.count(candidate))
    return best if header.count(best) else ","


class CsvRows:
    """The rows of a CSV file with a header line, as mappings of column name to text.

    The delimiter (``,``, ``;``, tab or ``|``) is the one the header uses most. A row shorter
    than the header has its missing cells blank; a longer one is reported, not read. Blank lines
    are skipped. A quoted cell may run over several lines (an address); a stray quote never
    takes in the rows after it, and a cell too long for the csv module is reported, not lost
    (see :mod:`crmcore.cli._csv`).
    """

    def __init__(self, stream: IO[str]) -> None:
        self._lines = _lines(stream)
        first = next(self._lines, None)
        if first is None or not first.strip():
            raise InputError("line 1: the CSV file has no header")
        self.delimiter = _delimiter(first)
        header = next(csv.reader([first], delimiter=self.delimiter))
        self.columns: tuple[str, ...] = tuple(column.strip() for column in header)
        if any(not column for column in self.columns):
            raise InputError("line 1: a column of the CSV header has no name")
        if len(set(self.columns)) != len(self.columns):
            raise InputError("line 1: two columns of the CSV header have the same name")

    def __iter__(self) -> Iterator[Row]:
        width = len(self.columns)
        for line, cells, problem in csv_records(self._lines, self.delimiter, width):
            if cells is None:
                yield Row(line, problem=problem)
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > width:
                yield Row(line, problem=f"{len(cells)} fields for {width} columns")
                continue
            cells += [""] * (width - len(cells))
            yield Row(line, data=dict(zip(self.columns, cells, strict=True)))


class JsonLinesRows:
    """The rows of a JSON Lines file: one JSON object per line; blank lines are skipped."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[Row]:
        for row in self.unparsed():
            yield row.parsed()

    def unparsed(self) -> Iterator[Row]:
        """The rows with their text only, read by :meth:`Row.parsed` where they are worked on.

        Worker processes read their own rows so: a line of text crosses to them for much less
        than the objects JSON makes of it, and the parsing is theirs, not the reading
        process's.
        """
        for number, line in enumerate(_lines(self._stream), start=1):
            if line.strip():
                yield Row(number, text=line)


def _json_row(number: int, line: str) -> Row:
    """The row of line ``number`` of a JSON Lines file, ``line`` its text."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return Row(number, problem="not valid JSON")
    if not isinstance(data, dict):
        return Row(number, problem="expected a JSON object")
    return Row(number, data=data)


class JsonLinesWriter:
    """Writes one JSON object per line, UTF-8 as is (not escaped), keys in the given order.

    A line the stream cannot encode (text holding a lone surrogate, or a terminal that is not
    UTF-8) is written with every non-ASCII character escaped, which any JSON reader reads back
    the same. ``default`` turns values JSON does not know into ones it does.
    """

    def __init__(self, stream: IO[str], *, default: Callable[[Any], Any] | None = None) -> None:
        self._stream = stream
        self._default = default
        self.count = 0

    def write(self, data: Mapping[str, Any]) -> None:
        """Write ``data`` as one line."""
        self.write_line(json_line(data, self._default), data)

    def write_line(self, line: str, data: Any = None) -> None:
        """Write a line :func:`json_line` made (of ``data``, when at hand: else read back)."""
        try:
            self._stream.write(line + "\n")
        except UnicodeEncodeError:
            value = json.loads(line) if data is None else data
            escaped = json.dumps(value, separators=(",", ":"), default=self._default)
            self._stream.write(escaped + "\n")
        self.count += 1


def json_line(data: Any, default: Callable[[Any], Any] | None = None) -> str:
    """``data`` as one line of JSON, as :class:`JsonLinesWriter` writes it (UTF-8 as is).

    >>> json_line({"id": "c-1", "name": "Zoë"})
    '{"id":"c-1","name":"Zoë"}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=default)


def _resource(parts: tuple[str, ...]) -> Traversable:
    resource = resources.files(_DATA_PACKAGE)
    for part in parts:
        resource = resource.joinpath(part)
    return resource


def package_rows(*parts: str) -> Iterator[Row]:
    """Stream the rows of a JSON Lines file shipped in :mod:`crmcore.data`."""
    resource = _resource(parts)
    with resource.open("r", encoding="utf-8") as stream:
        yield from JsonLinesRows(stream)


def package_json(*parts: str) -> Any:
    """Read a JSON file shipped in :mod:`crmcore.data`."""
    return json.loads(_resource(parts).read_text(encoding="utf-8"))
