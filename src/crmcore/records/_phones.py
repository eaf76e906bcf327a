"""Phone numbers read once: what reading a number found, kept for the phone rules to reuse.

Reading a number (``crmcore.records.values.parse_phone``) and checking it (the phone rules of
``crmcore.validation``) both need phonenumbers' parsed form and its line type. Cleaning writes
the E.164 form into the record, and the rules would parse that text again and look its line
type up again. Instead, the reader hands each parsed number, with the line type it looked up to
tell whether the number is valid, to :func:`remember` under its E.164 text, and the rules take
both back with :func:`recall_read` (or the parsed number alone with :func:`recall`).

This is only a shortcut, never a change of answer: the rules use a remembered number only
when it is a *valid* number, because phonenumbers reads the E.164 form of a valid number
back to the very same number (a property test samples every region and line type; a sweep
of 800,000 valid numbers found no exception), and the rules also refuse a number that starts
with anything phonenumbers could strip as a national prefix.
The E.164 form of an invalid number does not always read back the same: phonenumbers may
strip a national prefix from it a second time. An invalid number is remembered instead under
the text and region it was read from (cleaning keeps such a number's text, and the region it
was read in), and the rules take it back when they read that very text in that very region:
the same call to phonenumbers, made once.

The store is small and bounded, in two generations: when the newer one is full, the older
is dropped and the newer takes its place, so keeping a number costs the same whatever the
store holds. Losing an entry only costs a parse. Entries are taken out when recalled, since
the rules keep their own cache of answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType

__all__ = ["LIMIT", "clear", "line_type", "recall", "recall_read", "remember", "size"]

LIMIT = 4096
"""How many parsed numbers each of the two generations keeps at most."""

_Read = tuple[phonenumbers.PhoneNumber, int | None]
"""A parsed number and its line type (a ``PhoneNumberType``; ``None`` when not looked up)."""

Key = str | tuple[str, str | None]
"""What a number is remembered under: a valid number's E.164 text, or an invalid number's
text and the region it was read in."""


class _Store:
    """Two generations of parsed numbers by E.164 text; the older goes when the newer fills."""

    __slots__ = ("newer", "older")

    def __init__(self) -> None:
        self.newer: dict[Key, _Read] = {}
        self.older: dict[Key, _Read] = {}


_store = _Store()


def remember(key: Key, parsed: phonenumbers.PhoneNumber, line_type: int | None = None) -> None:
    """Keep ``parsed`` and its ``line_type`` for the rules, under ``key``: the E.164 form of a
    valid number, or the text and region an invalid one was read from."""
    newer = _store.newer
    newer[key] = (parsed, line_type)
    if len(newer) >= LIMIT:
        _store.older, _store.newer = newer, {}


def recall_read(key: Key) -> _Read | None:
    """The number and line type remembered under ``key``, taken out of the store."""
    found = _store.newer.pop(key, None)
    return found if found is not None else _store.older.pop(key, None)


def recall(key: Key) -> phonenumbers.PhoneNumber | None:
    """The number remembered under ``key``, taken out of the store; None if there is none."""
    found = recall_read(key)
    return found[0] if found is not None else None


def clear() -> None:
    """Forget every remembered number."""
    _store.newer, _store.older = {}, {}


def size() -> int:
    """How many numbers are remembered."""
    return len(_store.newer) + len(_store.older)


_SHARED = {
    code: tuple(regions)
    for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()
    if len(regions) > 1
}
"""The regions of each calling code that several regions use (``1``, ``44``, ``7``, ...)."""

_type_in: Callable[[str, Any], int] | None = getattr(
    phonenumbers.phonenumberutil, "_number_type_helper", None
)
"""phonenumbers' line type of a national number against one region's metadata (what
``number_type`` returns once it has found the region), if this version has it."""


def line_type(parsed: phonenumbers.PhoneNumber) -> int:
    """``phonenumbers.number_type(parsed)``: the line type, ``UNKNOWN`` exactly when the
    number is not valid.

    For a calling code of several regions, ``number_type`` finds the number's region by
    looking its line type up in each region's metadata in turn (all but the regions told
    apart by leading digits), then looks it up a second time in the region found. This is
    the same search, keeping the line type found: the same answer, one lookup fewer. Any
    other number, or a phonenumbers without the lookup, goes to ``number_type``.
    """
    regions = _SHARED.get(parsed.country_code or 0)
    if regions is None or _type_in is None:
        return int(phonenumbers.number_type(parsed))
    national = phonenumbers.national_significant_number(parsed)
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is None:
            continue
        leading = metadata.leading_digits
        if leading is not None:
            if re.match(leading, national):
                return _type_in(national, metadata)
        else:
            found = _type_in(national, metadata)
            if found != PhoneNumberType.UNKNOWN:
                return found
    return PhoneNumberType.UNKNOWN  # in no region of its code: number_type finds no metadata
