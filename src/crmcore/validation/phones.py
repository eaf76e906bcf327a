"""Built-in phone rules: possible and valid numbers, E.164 consistency, region and line type.

Each number as given is read once through phonenumbers (cached by text and region) in the
region it was read in, else its record's own country (the primary address's, else the first
address's), else the context's default region. A national number with no region to read it in
is judged by its stored E.164 form.

*Possible* means the length fits the numbering plan; *valid* means it also falls in a range
the plan assigns, which phonenumbers tells from the number's line type.
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType

from crmcore.records import _phones
from crmcore.records.limits import PHONE_TEXT_MAX_LENGTH
from crmcore.validation._registry import Registry
from crmcore.validation._walk import holders, item_path, layout, record_country
from crmcore.validation.context import Context
from crmcore.validation.issues import Code, Issue, Severity

__all__ = [
    "CODES",
    "E164_MISMATCH",
    "IMPOSSIBLE",
    "INVALID",
    "LINE_TYPE",
    "REGION_MISMATCH",
    "PhoneFacts",
    "check_phones",
    "phone_facts",
    "plain_facts",
    "register",
]

IMPOSSIBLE = Code("phone.impossible", Severity.ERROR, "cannot be read as a possible phone number")
INVALID = Code(
    "phone.invalid",
    Severity.ERROR,
    "a possible number, but in no range its numbering plan assigns",
)
E164_MISMATCH = Code(
    "phone.e164_mismatch",
    Severity.ERROR,
    "the stored E.164 form is not that of the number as given",
)
REGION_MISMATCH = Code(
    "phone.region_mismatch",
    Severity.WARNING,
    "the number's country calling code is not that of the record's country",
)
LINE_TYPE = Code(
    "phone.line_type",
    Severity.INFO,
    "a line type unusual for reaching someone, or at odds with the number's label",
)
CODES = (IMPOSSIBLE, INVALID, E164_MISMATCH, REGION_MISMATCH, LINE_TYPE)

_LONGEST = PHONE_TEXT_MAX_LENGTH
"""The longest text a phone number's constructor reads; longer is not parsed nor cached."""
_TOO_LONG = f"too long to be a phone number (over {_LONGEST} characters)"

_UNUSUAL = {
    PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    PhoneNumberType.SHARED_COST: "a shared-cost number",
    PhoneNumberType.PAGER: "a pager number",
    PhoneNumberType.UAN: "a universal access number",
    PhoneNumberType.VOICEMAIL: "a voicemail access number",
}
_MOBILE_LABELS = ("mobile", "cell", "portable", "handy", "movil", "móvil", "celular", "gsm")


class PhoneFacts(NamedTuple):
    """What one number text, read in one region, is."""

    readable: bool
    possible: bool
    valid: bool
    e164: str | None
    country_code: int
    geographic: bool
    line_type: int


Facts = tuple[bool, bool, bool, "str | None", int, bool, int]
""":class:`PhoneFacts` as a plain tuple, in its order: what the cache keeps. The garbage
collector stops tracking a tuple of flags, numbers and text, never a named tuple, which it
would scan again for as long as the cache keeps it."""

_UNREADABLE: Facts = (False, False, False, None, 0, False, PhoneNumberType.UNKNOWN)


def _read(number: str, region: str | None) -> Facts:
    # A number cleaning has just read is handed over rather than parsed again from its
    # E.164 form; it is used only when valid and free of anything that reads as a national
    # prefix, where both readings are the same number (see crmcore.records._phones).
    # Its line type comes with it when the reader looked it up (to tell a valid number).
    remembered = _phones.recall_read(number) if number[:1] == "+" else None
    if remembered is not None and _reads_back(parsed := remembered[0]):
        line_type = remembered[1]
        if line_type is None:
            line_type = _phones.line_type(parsed)
        if line_type != PhoneNumberType.UNKNOWN:
            return _facts(parsed, line_type, number)
    # An invalid number cleaning has just read from this very text in this very region:
    # phonenumbers' answer to the same call, with the line type it looked up.
    read = _phones.recall_read((number, region))
    if read is not None and read[1] is not None:
        parsed, line_type = read[0], read[1]
    else:
        try:
            parsed = phonenumbers.parse(number, region)
        except (phonenumbers.NumberParseException, UnicodeError, ValueError):
            return _UNREADABLE
        # number_type is UNKNOWN exactly when is_valid_number is False: one lookup serves both.
        line_type = _phones.line_type(parsed)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return _facts(parsed, line_type, e164)


@functools.lru_cache(maxsize=512)
def _national_prefix(country_code: int) -> re.Pattern[str] | None:
    """The national prefix phonenumbers strips from numbers of ``country_code``, if any."""
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    prefix = metadata.national_prefix_for_parsing if metadata is not None else None
    return re.compile(prefix) if prefix else None


def _reads_back(parsed: phonenumbers.PhoneNumber) -> bool:
    """Whether re-reading the E.164 form cannot strip a national prefix from this number.

    Reading ``+<code><number>``, phonenumbers strips what looks like a national prefix from the
    front of the number when what is left still fits; that is how an E.164 form can read back
    as another number. A number that starts with no such prefix reads back as itself. This
    guard keeps the hand-over exact whatever the phonenumbers metadata says.
    """
    pattern = _national_prefix(parsed.country_code or 0)
    if pattern is None:
        return True
    found = pattern.match(phonenumbers.national_significant_number(parsed))
    return found is None or found.end() == 0


def _facts(parsed: phonenumbers.PhoneNumber, line_type: int, e164: str) -> Facts:
    valid = line_type != PhoneNumberType.UNKNOWN
    possible = valid or phonenumbers.is_possible_number(parsed)
    country_code = parsed.country_code or 0
    geographic = phonenumbers.region_code_for_country_code(country_code) not in ("001", "ZZ")
    return (True, possible, valid, e164, country_code, geographic, line_type)


_read_cached = functools.lru_cache(maxsize=65536)(_read)


def phone_facts(number: str, region: str | None) -> PhoneFacts:
    """Read ``number`` in ``region`` once through phonenumbers (cached for short texts)."""
    return PhoneFacts._make(plain_facts(number, region))


def plain_facts(number: str, region: str | None) -> Facts:
    """:func:`phone_facts` as a plain tuple, in the order of :class:`PhoneFacts`."""
    if len(number) > _LONGEST:
        return _UNREADABLE
    return _read_cached(number, region)


@functools.lru_cache(maxsize=256)
def _says_mobile(label: str) -> bool:
    folded = label.casefold()
    return any(word in folded for word in _MOBILE_LABELS)


@functools.lru_cache(maxsize=512)
def _calling_code(country: str) -> int:
    return phonenumbers.country_code_for_region(country)


def _line_type_message(line_type: int, label: str | None) -> str | None:
    unusual = _UNUSUAL.get(line_type)
    if unusual is not None:
        return unusual
    if label and line_type == PhoneNumberType.FIXED_LINE and _says_mobile(label):
        return "labelled as a mobile, but a fixed line"
    return None


def check_phones(record: Any, ctx: Context) -> list[Issue]:
    """Check every phone number of ``record``.

    Codes: ``phone.impossible``, ``phone.invalid``, ``phone.e164_mismatch``,
    ``phone.region_mismatch``, ``phone.line_type``.
    """
    found: list[Issue] = []
    places = layout(type(record))
    country: str | None = None
    calling_code = 0
    known = False
    for slot in places.phones:
        phones = slot.get(record) if slot.many else (slot.get(record),)
        for index, phone in enumerate(phones):
            if phone is None:
                continue
            if not known:
                known = True
                country = record_country(record, places.addresses)
                calling_code = _calling_code(country) if country is not None else 0
            number = phone.number
            if len(number) > _LONGEST:  # never handed to phonenumbers, whatever the region
                found.append(IMPOSSIBLE.issue(item_path(slot, index), slot.category, _TOO_LONG))
                continue
            region = phone.region or country or ctx.default_region
            facts = _read_cached(number, region)
            compare = True
            if not facts[0] and region is None:  # not readable
                facts, compare = plain_facts(phone.e164, None), False
            _, possible, valid, e164, country_code, geographic, line_type = facts
            if not possible:
                found.append(IMPOSSIBLE.issue(item_path(slot, index), slot.category))
                continue
            if compare and e164 != phone.e164:
                found.append(E164_MISMATCH.issue(item_path(slot, index), slot.category))
            if not valid:
                found.append(INVALID.issue(item_path(slot, index), slot.category))
                continue
            if calling_code and geographic and country_code != calling_code:
                found.append(REGION_MISMATCH.issue(item_path(slot, index), slot.category))
            if line_type in _UNUSUAL or phone.label is not None:
                message = _line_type_message(line_type, phone.label)
                if message is not None:
                    path = item_path(slot, index)
                    found.append(LINE_TYPE.issue(path, slot.category, message))
    return found


def register(ruleset: Registry) -> None:
    """Add the phone rules to ``ruleset``."""
    ruleset.add(
        holders("phones"), check_phones, codes=[c.name for c in CODES], name="crmcore.phones"
    )
