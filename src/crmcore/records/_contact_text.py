"""Read email addresses and phone numbers: length and Unicode first, then syntax and normal forms.

:func:`normalise_email` and :func:`parse_phone` are pure and cached; both refuse text longer
than an address or a number can be before any parsing, and keep no trace of the text in the
exceptions they raise.
"""

from __future__ import annotations

import functools
import re
from typing import final

import email_validator
import phonenumbers
from email_validator import rfc_constants

from crmcore.errors import InvalidValueError
from crmcore.records import _checks as check
from crmcore.records import _phones
from crmcore.records.limits import EMAIL_MAX_LENGTH, PHONE_TEXT_MAX_LENGTH

__all__ = ["email_text", "normalise_email", "parse_phone", "phone_text", "read_phone"]

_PLAIN_EMAIL = re.compile(
    r"([A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*)"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})\Z"
)
_SPECIAL_USE = frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES)
# The RFC 2142 mailbox names email-validator lower-cases (``SUPPORT@`` gives ``support@``); a
# version without the list does not lower-case them either.
_CASE_INSENSITIVE_MAILBOXES = frozenset(
    getattr(rfc_constants, "CASE_INSENSITIVE_MAILBOX_NAMES", ())
)


def _plain_ascii_email(text: str) -> str | None:
    """The normalised form of a plain ASCII address, or ``None`` to ask email-validator."""
    if len(text) > 200:
        return None
    match = _PLAIN_EMAIL.match(text)
    if match is None or len(match[1]) > 60:
        return None
    domain = match[2].lower()
    if "--" in domain or domain.rpartition(".")[2] in _SPECIAL_USE:
        return None
    local = match[1]
    if local.lower() in _CASE_INSENSITIVE_MAILBOXES:
        local = local.lower()
    return f"{local}@{domain}"


@functools.lru_cache(maxsize=8192)
def normalise_email(text: str) -> str:
    """Return the normalised form of an email address, or raise :class:`InvalidValueError`.

    Syntax only, through email-validator with deliverability (DNS) checks off; surrounding
    whitespace is not part of the address. A plain ASCII address (letters, digits and
    ``._%+-`` before the @, a host name with a letter-only top-level domain, no ``--``, no
    special-use domain, well inside the length limits) has a normalised form email-validator
    would give (the domain in lower case, and an RFC 2142 mailbox name such as ``SUPPORT`` or
    ``Info`` in lower case too) and takes a shortcut; everything else goes through
    email-validator. A property test holds the shortcut to email-validator's answers.
    """
    email_text(text, "address")
    text = text.strip()
    fast = _plain_ascii_email(text)
    if fast is not None:
        return fast
    try:
        result = email_validator.validate_email(text, check_deliverability=False)
    except email_validator.EmailNotValidError:
        result = None  # refused below, outside the handler: the chain keeps nothing of the text
    if result is None:
        reason = "missing @" if "@" not in text else "not a valid email address"
        raise InvalidValueError(reason, field="address", code="email.invalid")
    return str(result.normalized)


def email_text(text: object, field: str) -> None:
    """Refuse what cannot be an email address, before any parsing."""
    if not isinstance(text, str):
        raise InvalidValueError("expected text", field=field, code="value.wrong_type")
    if len(text) > EMAIL_MAX_LENGTH and len(text.strip()) > EMAIL_MAX_LENGTH:
        raise InvalidValueError("too long for an email address", field=field, code="email.too_long")
    check.unicode(text, field)


_SHARED_CODES = frozenset(
    code for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items() if len(regions) != 1
)
"""Calling codes of several regions (``1``, ``44``, ``7``, ...). phonenumbers tells whether a
number is possible by the metadata of a code's main region, and whether it is valid by that of
the region it belongs to: for these codes, a valid number may not be a possible one."""

_EXTENSION = re.compile(r"(?i)(?:ext\.?|extension|x|#)\s*[0-9]+\s*\Z")
_LETTER = re.compile(r"[^\W\d_]")


@final
class _PhoneReader:
    """Read a phone number in ``region``; return its E.164 form and extension.

    Raise :class:`InvalidValueError` when it cannot be read or is not a possible number.
    Text with words in it ("ask reception 12", "1-800-FLOWERS") is refused rather than read
    for its digits; an extension written ``ext. 12``, ``x12`` or ``#12`` is fine. Cached, by
    :func:`read_phone`: ``cache_clear`` empties that cache.
    """

    __slots__ = ()

    def __call__(self, number: str, region: str | None) -> tuple[str, str | None]:
        e164, extension, _ = read_phone(number, region)
        return e164, extension

    @staticmethod
    def cache_clear() -> None:
        """Forget every number read."""
        read_phone.cache_clear()


parse_phone = _PhoneReader()
"""Read a phone number in ``region``; return its E.164 form and extension (see
:class:`_PhoneReader`)."""


@functools.lru_cache(maxsize=8192)
def read_phone(number: str, region: str | None) -> tuple[str, str | None, bool]:
    """:func:`parse_phone`'s reading (cached): the E.164 form, the extension, and whether the
    number is valid (in a range its numbering plan assigns)."""
    phone_text(number, "number")
    # Text with no letter has none once its extension is cut (most numbers): cut only if any.
    if _LETTER.search(number) and _LETTER.search(_EXTENSION.sub("", number)):
        raise InvalidValueError(
            "not a phone number: it has words in it", field="number", code="phone.invalid"
        )
    reason, code = "", ""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            reason, code = "national number with no region to read it in", "phone.no_region"
        else:
            reason, code = "not a phone number", "phone.invalid"
    if reason:  # raised outside the handler: the chain keeps nothing of the text
        raise InvalidValueError(reason, field="number", code=code)
    # The line type is UNKNOWN exactly when the number is not valid: one lookup serves both,
    # and it is handed over with the parsed number so the phone rules do not look it up again.
    line_type = _phones.line_type(parsed)
    valid = line_type != phonenumbers.PhoneNumberType.UNKNOWN
    # A valid number of a calling code that only one region uses is possible: both questions
    # read the same region's metadata, and a valid number's length is one of its lengths.
    if (not valid or parsed.country_code in _SHARED_CODES) and not phonenumbers.is_possible_number(
        parsed
    ):
        raise InvalidValueError(
            "not a possible phone number", field="number", code="phone.impossible"
        )
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if not valid and not _reads_back(e164):
        # phonenumbers may strip what looks like a national prefix a second time
        # (000-000-0000 in Germany gives +49000000000, read back as +4900000000): an E.164
        # form that names another number is never stored.
        raise InvalidValueError(
            "its E.164 form reads back as another number", field="number", code="phone.ambiguous"
        )
    # The phone rules take it back, with its line type, instead of parsing again: a valid
    # number by its E.164 form (cleaning writes it so), an invalid one by the text and region
    # it was read from (cleaning keeps its text, and the region it was read in).
    _phones.remember(e164 if valid else (number, region), parsed, line_type)
    return e164, parsed.extension or None, valid


def _reads_back(e164: str) -> bool:
    """Whether ``e164`` read again gives ``e164``."""
    try:
        again = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.format_number(again, phonenumbers.PhoneNumberFormat.E164) == e164


def phone_text(number: object, field: str) -> None:
    """Refuse what cannot be a phone number, before any parsing."""
    if not isinstance(number, str):
        raise InvalidValueError("expected text", field=field, code="value.wrong_type")
    if len(number) > PHONE_TEXT_MAX_LENGTH and len(number.strip()) > PHONE_TEXT_MAX_LENGTH:
        raise InvalidValueError("too long for a phone number", field=field, code="phone.too_long")
    check.unicode(number, field)
