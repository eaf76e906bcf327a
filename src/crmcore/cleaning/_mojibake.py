"""Rule ``mojibake``: text written as UTF-8 and read back as Windows-1252 or Latin-1, repaired.

A CSV file saved in UTF-8 and opened as Windows-1252 turns ``José`` into ``JosÃ©``; the damage
is easy to see and, for the two encodings it nearly always comes from, exactly reversible.
:func:`repair_mojibake` asks ftfy, which knows what mojibake looks like, for a repair and keeps
it only when the text given is *exactly* the repaired text encoded as UTF-8 and decoded as
Windows-1252 or Latin-1, once or several times over. Any other text, that is text which is not
mojibake, comes back unchanged; a property test holds it.
"""

from __future__ import annotations

import functools
import re

import ftfy

__all__ = ["MAY_BE_MOJIBAKE", "repair_mojibake"]

# A UTF-8 lead byte (C2 to F4) read as Windows-1252 or Latin-1, then a continuation byte (80 to
# BF) read the same way. Text without such a pair cannot be mojibake of UTF-8.
MAY_BE_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]"
)
"""A quick test every mojibake passes: only text it finds is handed to ftfy."""


def _cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # 81, 8D, 8F, 90, 9D: undefined, shown as the Latin-1 character
        return chr(byte)


_WINDOWS = {byte: _cp1252(byte) for byte in range(0x80, 0xA0)}
"""Latin-1 to Windows-1252 for bytes 80 to 9F, as Windows programs read them."""

_LAYERS = 3


def _garbled(text: str, windows: bool) -> str | None:
    """``text`` written as UTF-8 and read as Windows-1252 (or Latin-1); ``None`` if it cannot be."""
    try:
        read = text.encode("utf-8").decode("latin-1")
    except UnicodeError:  # a lone surrogate
        return None
    return read.translate(_WINDOWS) if windows else read


def _explains(original: str, fixed: str) -> bool:
    """Whether ``original`` is ``fixed`` garbled one to three times over, by one encoding."""
    for windows in (True, False):
        current: str | None = fixed
        for _ in range(_LAYERS):
            current = _garbled(current, windows) if current is not None else None
            if current is None:
                break
            if current == original:
                return True
    return False


@functools.lru_cache(maxsize=4096)
def repair_mojibake(text: str) -> str:
    """The text ``text`` was before it became mojibake; ``text`` itself if it is not mojibake.

    >>> repair_mojibake("JOSÃ©")
    'JOSé'
    >>> repair_mojibake("FranÃ§oise MÃ¼ller")
    'Françoise Müller'
    >>> repair_mojibake("Ã€ bientÃ´t")
    'À bientôt'
    >>> repair_mojibake("â€œQuotedâ€\x9d")
    '“Quoted”'
    >>> repair_mojibake("José Müller")
    'José Müller'
    """
    if MAY_BE_MOJIBAKE.search(text) is None:
        return text
    fixed = ftfy.fix_encoding(text)
    if fixed == text or not _explains(text, fixed):
        return text
    return fixed
