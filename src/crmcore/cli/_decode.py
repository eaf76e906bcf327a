"""Decode an input file (or stdin) into lines, naming the line and byte of any bad byte.

:class:`DecodedText` reads bytes in chunks, decodes them in the encoding ``--encoding`` names
and yields physical lines with their line ending as it was (``\\n``, ``\\r\\n`` or a lone
``\\r``: old Mac exports end lines with CR only). A byte-order mark is skipped, on stdin as in a
file. A byte that is not valid in the encoding stops the reading with an
:class:`~crmcore.cli._io.InputError` that names its line and its byte offset in the file
(counted from 0, the byte-order mark included), never the bytes around it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

__all__ = ["ENCODINGS", "DecodedText", "DecodingError"]

ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8 (the default); a byte-order mark is skipped",
    "utf-8-sig": "UTF-8 with a byte-order mark (the same as utf-8: the mark is skipped)",
    "cp1252": "Windows-1252, what Excel writes on Western European Windows",
    "latin-1": "ISO 8859-1: every byte is a character, so it never fails",
    "utf-16": "UTF-16 with a byte-order mark (little or big endian, as the mark says)",
}
"""The encodings ``--encoding`` accepts, with what each is for."""

_CHUNK = 1 << 16
_BREAK = re.compile(r"\r\n|\r|\n")
_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


def _complete(text: str, final: bool) -> Iterator[str]:
    """The complete lines of ``text``, each with its ending; a CR last is one only if ``final``
    (else it may be the first half of CR LF)."""
    if "\r" not in text:  # the common case, four times as fast
        parts = text.split("\n")
        for part in parts[:-1]:
            yield part + "\n"
        return
    start = 0
    for match in _BREAK.finditer(text):
        end = match.end()
        if end == len(text) and not final and match.group() == "\r":
            return
        yield text[start:end]
        start = end


class DecodingError(Exception):
    """The input is not text in its encoding; the message names the line and the byte offset."""


def _hint(encoding: str) -> str:
    if encoding in ("utf-8", "utf-8-sig"):
        return "; if it was saved by Excel or another Windows program, give --encoding cp1252"
    if encoding == "cp1252":
        return "; give --encoding latin-1 or utf-8"
    return ""


class DecodedText:
    """The text of a binary stream in ``encoding``, one of :data:`ENCODINGS`, read line by line.

    :meth:`lines` yields the lines; ``readline`` and iteration do the same, one at a time. It
    is a context manager, like a file.
    ``buffer`` is the binary stream, whose position says how far the reading has come; it is
    closed with this text when ``owns``.
    """

    def __init__(self, raw: BinaryIO, encoding: str = "utf-8", *, owns: bool = False) -> None:
        if encoding not in ENCODINGS:
            raise ValueError("unknown encoding")
        self.buffer = raw
        self._owns = owns
        self.encoding_name = encoding
        self._iterator: Iterator[str] | None = None

    def __enter__(self) -> DecodedText:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the binary stream when it was opened for this text (never stdin)."""
        if self._owns and not self.buffer.closed:
            self.buffer.close()

    def __iter__(self) -> Iterator[str]:
        return iter(self.readline, "")

    def readline(self, size: int | None = -1, /) -> str:
        """The next line with its ending, ``""`` at the end (``size`` is not supported)."""
        if self._iterator is None:
            self._iterator = self.lines()
        return next(self._iterator, "")

    def read(self, size: int | None = -1, /) -> str:
        """The rest of the text."""
        return "".join(iter(self.readline, ""))

    def lines(self) -> Iterator[str]:
        """Each line of the stream with its ending, decoding as it goes."""
        raw = self.buffer
        first = raw.read(max(_CHUNK, 4))  # the longest byte-order mark, at least
        if not first:
            return
        codec, skipped = self._codec(first)
        decode: Callable[[bytes, bool], str] = codecs.getincrementaldecoder(codec)("strict").decode
        decoder = decode.__self__  # type: ignore[attr-defined]
        chunk = first[skipped:]
        consumed = skipped  # bytes of the file handed to the decoder before ``chunk``
        number = 1  # the number of the line being read
        pending = ""
        while True:
            final = not chunk
            held: bytes = decoder.getstate()[0]
            try:
                pending += decode(chunk, final)
            except UnicodeDecodeError as exc:
                # The lines before the bad byte are read first, as a file read line by line.
                data = held + chunk
                pending += data[: exc.start].decode(codec, "replace")
                for line in _complete(pending, False):
                    yield line
                    number += 1
                offset = consumed - len(held) + exc.start
                raise DecodingError(
                    f"line {number}, byte offset {offset:,}: not valid {self.encoding_name} text"
                    f"{_hint(self.encoding_name)}"
                ) from None
            consumed += len(chunk)
            done = 0
            for line in _complete(pending, final):
                yield line
                number += 1
                done += len(line)
            pending = pending[done:]
            if final:
                if pending:
                    yield pending
                return
            chunk = raw.read(_CHUNK)

    def _codec(self, first: bytes) -> tuple[str, int]:
        """The codec to decode with and how many bytes of byte-order mark to skip."""
        name = self.encoding_name
        if name == "utf-16":
            for bom, codec in _UTF16_BOMS.items():
                if first.startswith(bom):
                    return codec, len(bom)
            raise DecodingError("line 1: no UTF-16 byte-order mark at the start of the file")
        if first.startswith(_UTF8_BOM):
            if name in ("utf-8", "utf-8-sig"):
                return "utf-8", len(_UTF8_BOM)
            return name, 0
        if name in ("utf-8", "utf-8-sig") and first[:2] in _UTF16_BOMS:
            raise DecodingError(
                "line 1: the file starts with a UTF-16 byte-order mark: give --encoding utf-16"
            )
        return ("utf-8" if name == "utf-8-sig" else name), 0
