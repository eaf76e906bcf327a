"""Built-in email rules: syntax and normal form through email-validator, role and no-reply boxes.

Syntax is checked by email-validator with deliverability (DNS) checks off, once per distinct
address, through the same cached reader :class:`~crmcore.EmailAddress` uses. The normal form is
email-validator's: domain in lower case, Unicode NFC; the local part keeps its case.
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

from crmcore.records.limits import EMAIL_MAX_LENGTH
from crmcore.records.values import normalise_email
from crmcore.validation._registry import Registry
from crmcore.validation._walk import holders, item_path, layout, values
from crmcore.validation.context import Context
from crmcore.validation.issues import Code, Issue, Severity

__all__ = [
    "CODES",
    "INVALID_SYNTAX",
    "NORMALISED_MISMATCH",
    "NOT_NORMALISED",
    "NO_REPLY",
    "ROLE_ACCOUNT",
    "check_emails",
    "register",
]

INVALID_SYNTAX = Code("email.invalid_syntax", Severity.ERROR, "not a valid email address")
NORMALISED_MISMATCH = Code(
    "email.normalised_mismatch",
    Severity.ERROR,
    "the stored normalised form is not the normal form of the address",
)
NOT_NORMALISED = Code(
    "email.not_normalised", Severity.INFO, "the address is not written in its normal form"
)
ROLE_ACCOUNT = Code(
    "email.role_account", Severity.WARNING, "a shared mailbox (role address), not a person's"
)
NO_REPLY = Code("email.no_reply", Severity.WARNING, "a no-reply address, which reads no mail")
CODES = (INVALID_SYNTAX, NORMALISED_MISMATCH, NOT_NORMALISED, ROLE_ACCOUNT, NO_REPLY)

_LONGEST = 320
"""Longer text can never be an address (RFC 5321 allows 254); it is not parsed nor cached."""
_NO_REPLY = re.compile(
    r"noreply|donotreply|dontreply|nepasrepondre|noresponder|naoresponda|nonrispondere"
    r"|keineantwort|mailerdaemon|^bounces?$|^noresponse"
)


class EmailFacts(NamedTuple):
    """What one address text is: its normal form (``None`` if invalid) and the local key."""

    normalised: str | None
    reason: str
    local_key: str
    no_reply: bool


_Facts = tuple[str | None, str, str, bool]
""":class:`EmailFacts` as a plain tuple, in its order: what the cache keeps. The garbage
collector stops tracking a tuple of text and flags, never a named tuple, which it would scan
again for as long as the cache keeps it."""


def local_key(local_part: str) -> str:
    """The local part as role lists compare it: lower case, no ``+tag``, no ``.``/``_``/``-``."""
    key = local_part.partition("+")[0].lower()
    return key.replace(".", "").replace("_", "").replace("-", "")


def _invalid(address: str) -> _Facts:
    if len(address.strip()) > EMAIL_MAX_LENGTH:
        reason = f"not a valid email address: too long (over {EMAIL_MAX_LENGTH} characters)"
    elif "@" not in address:
        reason = "not a valid email address: no @"
    else:
        reason = INVALID_SYNTAX.meaning
    return (None, reason, "", False)


def _read(address: str) -> _Facts:
    # The constructor's own reader: the same normal form, and its cache is shared, so an
    # address read by from_dict just before is not parsed again.
    try:
        normalised = normalise_email(address)
    except ValueError:  # InvalidValueError, and UnicodeError from exotic text
        return _invalid(address)
    key = local_key(normalised.rpartition("@")[0])
    return (normalised, "", key, _NO_REPLY.search(key) is not None)


_read_cached = functools.lru_cache(maxsize=65536)(_read)


def email_facts(address: str) -> EmailFacts:
    """Read ``address`` once through email-validator (cached for short texts)."""
    if len(address) > _LONGEST:
        return EmailFacts._make(_invalid(address))
    return EmailFacts._make(_read_cached(address))


def check_emails(record: Any, ctx: Context) -> list[Issue]:
    """Check every email address of ``record``.

    Codes: ``email.invalid_syntax``, ``email.normalised_mismatch``, ``email.not_normalised``,
    ``email.role_account``, ``email.no_reply``.
    """
    found: list[Issue] = []
    for slot in layout(type(record)).emails:
        for index, email in enumerate(values(record, slot)):
            address = email.address
            facts = _read_cached(address) if len(address) <= _LONGEST else _invalid(address)
            normalised, reason, key, no_reply = facts
            if normalised is None:
                path = item_path(slot, index)
                found.append(INVALID_SYNTAX.issue(path, slot.category, reason))
                continue
            if email.normalised != normalised:
                found.append(NORMALISED_MISMATCH.issue(item_path(slot, index), slot.category))
            elif address != normalised:
                found.append(NOT_NORMALISED.issue(item_path(slot, index), slot.category))
            if no_reply:
                found.append(NO_REPLY.issue(item_path(slot, index), slot.category))
            elif key in ctx.role_accounts:
                found.append(ROLE_ACCOUNT.issue(item_path(slot, index), slot.category))
    return found


def register(ruleset: Registry) -> None:
    """Add the email rules to ``ruleset``."""
    ruleset.add(
        holders("emails"), check_emails, codes=[c.name for c in CODES], name="crmcore.emails"
    )
