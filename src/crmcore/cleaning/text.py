"""Text repairs: mojibake, lone surrogates, control characters, Unicode NFC, whitespace, blank.

:func:`repair_text` repairs one string and says which rules changed it; :func:`clean_text` is
the record-stage step that applies it to every text field of a record, value objects included.
Free text (notes, message bodies: fields whose privacy category is free text) keeps its inner
line breaks and spacing; every other text has its inner whitespace runs collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from crmcore.cleaning._mojibake import MAY_BE_MOJIBAKE, repair_mojibake
from crmcore.cleaning._text_walk import walker_for
from crmcore.cleaning._types import rebuild, value_parts
from crmcore.cleaning.changes import Change, change
from crmcore.cleaning.context import CleaningContext
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record
from crmcore.records.custom import CustomFields
from crmcore.records.values import EmailAddress, PhoneNumber, normalise_email, parse_phone

__all__ = ["clean_text", "repair_text"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]")

Repairs = tuple[tuple[str, str, str], ...]
"""The rules that changed one string, in order, each with the text before and after it."""


def repair_text(text: str, *, multiline: bool = False) -> tuple[str, Repairs]:
    """Repair one string; return it with the ``(rule, before, after)`` of each rule applied.

    The result is empty when nothing but whitespace and invisible characters was left: the
    caller decides what missing means there (rule ``blank``).

    >>> repair_text("  Jean \\t Dupont\\u200b ")[0]
    'Jean Dupont'
    >>> [rule for rule, _, _ in repair_text("Cafe\\u0301  ")[1]]
    ['nfc', 'whitespace']
    >>> repair_text("JOSÃ©")
    ('JOSé', (('mojibake', 'JOSÃ©', 'JOSé'),))
    >>> repair_text("clean")
    ('clean', ())
    """
    if not isinstance(text, str):
        raise InvalidValueError("expected text", field="text")
    if not isinstance(multiline, bool):
        raise InvalidValueError("expected True or False", field="multiline")
    if (
        text.isprintable()
        and (multiline or "  " not in text)
        and text[:1] != " "
        and text[-1:] != " "
        and (
            text.isascii()
            or (unicodedata.is_normalized("NFC", text) and MAY_BE_MOJIBAKE.search(text) is None)
        )
    ):
        return text, ()
    repairs: list[tuple[str, str, str]] = []
    current = text
    for _ in range(_ROUNDS):
        before = current
        current = _repair_round(current, multiline, repairs)
        # Another round only if this one brought pieces of mojibake together (``Â\x00¡``).
        if current == before or current.isascii() or MAY_BE_MOJIBAKE.search(current) is None:
            break
    return current, tuple(repairs)


_ROUNDS = 3


def _repair_round(current: str, multiline: bool, repairs: list[tuple[str, str, str]]) -> str:
    """Apply each rule once, in order, to ``current``; append to ``repairs`` what changed."""
    # A rule that cannot change the text is skipped: ASCII text has no mojibake nor surrogate
    # and is in NFC, and printable text has no control or invisible character.
    is_ascii = current.isascii()
    if not is_ascii:  # first: the control rule would take away characters mojibake is made of
        fixed = repair_mojibake(current)
        if fixed != current:
            repairs.append(("mojibake", current, fixed))
            current = fixed
        fixed = _SURROGATE.sub("\ufffd", current)
        if fixed != current:
            repairs.append(("surrogate", current, fixed))
            current = fixed
    if not current.isprintable():
        fixed = _CONTROL.sub("", current)
        if fixed != current:
            repairs.append(("control", current, fixed))
            current = fixed
    if not is_ascii and not unicodedata.is_normalized("NFC", current):
        fixed = unicodedata.normalize("NFC", current)
        if fixed != current:
            repairs.append(("nfc", current, fixed))
            current = fixed
    fixed = current.strip() if multiline else " ".join(current.split())
    if fixed != current:
        repairs.append(("whitespace", current, fixed))
        current = fixed
    return current


class _Walk:
    """One record-stage text walk: the record type (for personal marks) and the changes.

    The generated walkers (:mod:`crmcore.cleaning._text_walk`) call back into it for any text
    that fails their quick test, and to rebuild an object whose text changed.
    """

    def __init__(self, record_type: type[Any]) -> None:
        self.record_type = record_type
        self.changes: list[Change] = []

    def text(self, value: str, path: str, multiline: bool, required: bool) -> str | None:
        """The repaired text, ``None`` for blank; a required text is never made blank."""
        fixed, repairs = repair_text(value, multiline=multiline)
        if not repairs:
            return value
        if not fixed:
            if required:
                return value
            self.changes.append(change(self.record_type, path, "blank", value, None))
            return None
        for rule, before, after in repairs:
            self.changes.append(change(self.record_type, path, rule, before, after))
        return fixed

    def texts(self, values: tuple[str, ...], path: str, multiline: bool) -> tuple[str, ...]:
        kept: list[str] = []
        changed = False
        for index, value in enumerate(values):
            fixed = self.text(value, f"{path}[{index}]", multiline, False)
            changed = changed or fixed is not value
            if fixed is not None:
                kept.append(fixed)
        return tuple(kept) if changed else values

    def custom(self, values: CustomFields, path: str) -> CustomFields:
        updated: dict[str, Any] = {}
        changed = False
        for name, value in values.items():
            fixed: Any = value
            if isinstance(value, str):
                fixed = self.text(value, f"{path}.{name}", True, False)
            elif isinstance(value, tuple) and value:
                fixed = self.texts(value, f"{path}.{name}", True)
            changed = changed or fixed is not value
            if fixed is not None:
                updated[name] = fixed
        return CustomFields(updated) if changed else values

    def emptied(self, obj: Any, path: str, before: Any) -> bool:
        """Whether repairs left the value object ``obj`` blank; if so, log it as dropped."""
        parts = value_parts(type(obj))
        if parts is None or any(getattr(obj, name) not in (None, ()) for name in parts):
            return False
        self.changes.append(change(self.record_type, path, "blank", before, None))
        return True

    def finish(self, obj: Any, path: str, updates: dict[str, Any]) -> Any:
        """Rebuild ``obj`` with ``updates``, recomputing derived forms of emails and phones."""
        if isinstance(obj, EmailAddress) and "address" in updates:
            return self._email(obj, path, updates)
        if isinstance(obj, PhoneNumber) and "number" in updates:
            return self._phone(obj, path, updates)
        return rebuild(obj, updates)

    def _email(self, email: EmailAddress, path: str, updates: dict[str, Any]) -> EmailAddress:
        try:
            normalised = normalise_email(updates["address"])
        except InvalidValueError:
            del updates["address"]
            self._forget(f"{path}.address")
            return rebuild(email, updates) if updates else email
        if normalised != email.normalised:
            where = f"{path}.normalised"
            self.changes.append(
                change(self.record_type, where, "email.normalise", email.normalised, normalised)
            )
        return rebuild(email, {**updates, "normalised": normalised})

    def _phone(self, phone: PhoneNumber, path: str, updates: dict[str, Any]) -> PhoneNumber:
        try:
            e164 = parse_phone(updates["number"], phone.region)[0]
        except InvalidValueError:
            del updates["number"]
            self._forget(f"{path}.number")
            return rebuild(phone, updates) if updates else phone
        if e164 != phone.e164:
            where = f"{path}.e164"
            self.changes.append(change(self.record_type, where, "phone.e164", phone.e164, e164))
        return rebuild(phone, {**updates, "e164": e164})

    def _forget(self, path: str) -> None:
        self.changes = [c for c in self.changes if c.path != path]


def clean_text(record: Record, ctx: CleaningContext) -> tuple[Record, list[Change]]:
    """Step ``text``: repair every text field (rules mojibake, surrogate, control, nfc, whitespace,
    blank).

    Emails and phones whose text changed get their normalised or E.164 form recomputed; if the
    repaired text could no longer be read, the text is left as it was. A required text is never
    made blank. A value object the repairs left blank (an address whose only line was spaces)
    is dropped, logged with rule ``blank``. The quarantine is left exactly as it came.
    """
    walk = _Walk(type(record))
    cleaned = walker_for(type(record))(record, "", walk)
    return cleaned, walk.changes
