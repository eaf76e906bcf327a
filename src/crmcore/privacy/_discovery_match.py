"""Read one record for a data subject's identifiers: where they are, never what they are.

Each function yields ``(code, path)`` pairs; :mod:`crmcore.privacy.discovery` weighs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import phonenumbers

from crmcore.privacy._access_paths import slots
from crmcore.privacy._discovery_keys import SubjectKeys, name_keys
from crmcore.records import (
    Account,
    Contact,
    Note,
    PrivacyCategory,
    QuarantinedValue,
    Record,
)

__all__ = ["account_reasons", "contact_reasons", "free_texts", "mentions"]

Found = tuple[str, str]
"""A reason code and the path it was found at."""


def contact_reasons(
    contact: Contact, keys: SubjectKeys, shared_phones: frozenset[str]
) -> list[Found]:
    """The subject's identifiers on ``contact``'s own fields."""
    identity = contact.identity
    found: list[Found] = []
    for i, email in enumerate(identity.emails):
        if email.normalised in keys.emails:
            found.append(("email", f"identity.emails[{i}]"))
        elif email.normalised.casefold() in keys.folded_emails:
            found.append(("email.case", f"identity.emails[{i}]"))
    for i, phone in enumerate(identity.phones):
        if phone.e164 in keys.phones:
            code = "phone.shared" if phone.e164 in shared_phones else "phone"
            found.append((code, f"identity.phones[{i}]"))
    for i, external in enumerate(identity.external_ids):
        if (external.system, external.value) in keys.external_ids:
            found.append(("external_id", f"identity.external_ids[{i}]"))
    if name_keys(identity.name) & keys.names:
        birth = identity.birth_date
        same_birth = birth is not None and birth == keys.birth_date
        found.append(("name_birth_date" if same_birth else "name", "identity.name"))
    if (
        keys.birth_date is not None
        and identity.birth_date is not None
        and identity.birth_date != keys.birth_date
    ):
        found.append(("birth_date.differs", "identity.birth_date"))
    return found


def account_reasons(account: Account, keys: SubjectKeys) -> list[Found]:
    """The subject's phone numbers and ids on an organisation's record (a sole trader's?)."""
    identity = account.identity
    found: list[Found] = []
    for i, phone in enumerate(identity.phones):
        if phone.e164 in keys.phones:
            found.append(("account.phone", f"identity.phones[{i}]"))
    for i, external in enumerate(identity.external_ids):
        if (external.system, external.value) in keys.external_ids:
            found.append(("account.external_id", f"identity.external_ids[{i}]"))
    return found


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Note):
        yield f"{path}.text", value.text
    elif isinstance(value, QuarantinedValue):
        yield f"{path}.value", value.value
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")


def free_texts(record: Record) -> Iterator[tuple[str, str]]:
    """Every piece of free text on ``record`` (notes, quarantine, bodies, undeclared custom)."""
    for slot in slots(record, None):
        if slot.privacy is not PrivacyCategory.FREE_TEXT:
            continue
        owner: Any = record if slot.facet is None else getattr(record, slot.facet)
        value = owner.custom.get(slot.name) if slot.custom else getattr(owner, slot.name)
        yield from _texts(value, slot.path)


def _email_pattern(folded: frozenset[str]) -> re.Pattern[str] | None:
    if not folded:
        return None
    choices = "|".join(re.escape(email) for email in sorted(folded, key=len, reverse=True))
    # Not inside a longer address: no address character before, no more domain after (a full
    # stop that ends a sentence is fine).
    return re.compile(rf"(?<![\w.%+\-])(?:{choices})(?![\w\-]|\.\w)")


_NOT_DIGITS = re.compile(r"[^0-9]+")


def _phone_in(text: str, keys: SubjectKeys) -> bool:
    digits = _NOT_DIGITS.sub("", text)
    if not any(number in digits for number in keys.national_numbers):
        return False  # the common case, without reading the text for numbers
    regions: tuple[str | None, ...] = keys.phone_regions or (None,)
    for region in regions:
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
        for found in matcher:
            e164 = phonenumbers.format_number(found.number, phonenumbers.PhoneNumberFormat.E164)
            if e164 in keys.phones:
                return True
    return False


def mentions(record: Record, keys: SubjectKeys) -> list[Found]:
    """Where free text on ``record`` writes one of the subject's emails (in any case) or phone
    numbers (in international form, or national form in the number's own region)."""
    pattern = _email_pattern(keys.folded_emails)
    found: list[Found] = []
    for path, text in free_texts(record):
        if pattern is not None and "@" in text and pattern.search(text.casefold()):
            found.append(("mention.email", path))
        if keys.national_numbers and _phone_in(text, keys):
            found.append(("mention.phone", path))
    return found
