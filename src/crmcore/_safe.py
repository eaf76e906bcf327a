"""Make pieces of input safe to put in a path, a message or a terminal line.

Paths such as ``custom.loyalty_id`` are printed in exception messages, reports, change logs and
command-line summaries, which are meant to be logged. A key of the input becomes a path segment,
so a key must never carry a personal value (an email used as a key), control characters (a
newline that forges a log line, a terminal escape) or megabytes of text. :func:`key_segment`
names a key only when it looks like a field name; otherwise it names the key by its position.

>>> key_segment("loyalty_id", 0)
'loyalty_id'
>>> key_segment("ada.lovelace@example.org", 2)
'<key 2>'
>>> printable("line one\\nline two\\x1b[31m")
'line one\\\\nline two\\\\x1b[31m'
"""

from __future__ import annotations

import re

__all__ = ["KEY_LIMIT", "is_field_like", "key_segment", "printable"]

#: The longest key that is named as it is; a field name is never longer.
KEY_LIMIT = 64

_FIELD_LIKE = re.compile(r"[A-Za-z0-9_\-. ]+")
_DIGIT = re.compile(r"\d")
_MAX_DIGITS = 4
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def is_field_like(key: object) -> bool:
    """Whether ``key`` looks like a field name, so that naming it reveals nothing personal.

    A field-like key is text of at most :data:`KEY_LIMIT` characters made of ASCII letters,
    digits, ``_``, ``-``, ``.`` and spaces, not blank, with at most four digits in all, however
    they are separated (a phone number ``06 12 34 56 78``, a card number, a date
    ``1990-04-09``, an account number). An email (``@``), a control character or a long text
    is never field-like.

    >>> is_field_like("Mobile Phone"), is_field_like("ext 12"), is_field_like("0612345678")
    (True, True, False)
    >>> is_field_like("06 12 34 56 78"), is_field_like("1990-04-09"), is_field_like("q4 2024")
    (False, False, False)
    """
    return (
        isinstance(key, str)
        and 0 < len(key) <= KEY_LIMIT
        and key.strip() != ""
        and _FIELD_LIKE.fullmatch(key) is not None
        and len(_DIGIT.findall(key)) <= _MAX_DIGITS
    )


def key_segment(key: object, position: int) -> str:
    """The path segment for ``key``: the key itself when field-like, else ``<key N>``.

    ``position`` is the key's place (from 0) among the keys of its mapping, in the mapping's
    order, so that a person can find the key in the source without the path quoting it.
    """
    return key if is_field_like(key) else f"<key {position}>"  # type: ignore[return-value]


def printable(text: str, limit: int = 200) -> str:
    """``text`` with control and invisible formatting characters escaped, cut to ``limit``.

    For text that came from outside crmcore (a file name, a column header) and must be printed
    on one line of a terminal or a log. Escapes use Python's ``\\xNN`` / ``\\uNNNN`` notation,
    so nothing is lost from sight; a longer text ends with ``…`` after ``limit`` characters.
    """
    escaped = _CONTROL.sub(_escape, text[: limit + 1])
    return escaped if len(escaped) <= limit else escaped[:limit] + "…"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if char == "\t":
        return "\\t"
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
