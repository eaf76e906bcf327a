"""The text a quarantined value is kept as, whatever the value: text, JSON, or its repr."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = ["quarantine_text"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(repr(item) for item in value)
    return repr(value)


def quarantine_text(value: Any) -> str:
    """The text a quarantined value is kept as: text as is, anything else in its JSON form.

    Text holding lone surrogates (which no UTF-8 output could write) is kept JSON-escaped.
    """
    if isinstance(value, str):
        return json.dumps(value) if _has_surrogate(value) else value
    try:
        text = json.dumps(value, ensure_ascii=False, default=_json_default)
        return json.dumps(value, default=_json_default) if _has_surrogate(text) else text
    except (TypeError, ValueError, RecursionError):
        pass
    try:
        text = repr(value)
    except Exception:  # a value whose repr fails still leaves a trace of its type
        return f"<unprintable {type(value).__name__}>"
    return json.dumps(text) if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (checked at C speed: values may be megabytes)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.search(text) is not None
    return False
