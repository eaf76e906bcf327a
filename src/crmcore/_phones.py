"""Phone numbers read once: what reading a number found, kept for the phone rules to reuse.

Reading a number (``crmcore.records.values.parse_phone``) and checking it (the phone rules of
``crmcore.validation``) both need phonenumbers' parsed form. Cleaning writes the E.164 form
into the record, and the rules would parse that text again. Instead, the reader hands each
parsed number to :func:`remember` under its E.164 text, and the rules take it back with
:func:`recall`.

This is only a shortcut, never a change of answer: the rules use a remembered number only
when it is a *valid* number, because phonenumbers reads the E.164 form of a valid number
back to the very same number (a property test holds this over every region and line type).
The E.164 form of an invalid number does not always read back the same: phonenumbers may
strip a national prefix from it a second time. For those the rules parse the text as usual.

The store is small, bounded and forgets the oldest entry first; losing an entry only costs a
parse. Entries are taken out when recalled, since the rules keep their own cache of answers.
"""

from __future__ import annotations

import contextlib

import phonenumbers

__all__ = ["LIMIT", "clear", "recall", "remember"]

LIMIT = 4096
"""How many parsed numbers are kept at most."""

_kept: dict[str, phonenumbers.PhoneNumber] = {}


def remember(e164: str, parsed: phonenumbers.PhoneNumber) -> None:
    """Keep ``parsed``, whose E.164 form is ``e164``, for :func:`recall`."""
    if len(_kept) >= LIMIT:
        # Another thread may get there first: then there is nothing to forget here.
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):
            del _kept[next(iter(_kept))]
    _kept[e164] = parsed


def recall(e164: str) -> phonenumbers.PhoneNumber | None:
    """The number remembered under ``e164``, taken out of the store; None if there is none."""
    return _kept.pop(e164, None)


def clear() -> None:
    """Forget every remembered number."""
    _kept.clear()
