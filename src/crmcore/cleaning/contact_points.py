"""Contact points: emails to their normalised form, phones to E.164, duplicates merged.

Records already hold each email's normalised form and each phone's E.164 form (computed when
the value was built), so these steps parse nothing: they put the canonical form in place of the
text as given, and merge the contact points of one record that are the same point.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from crmcore.cleaning._phone_forms import writes_as_e164
from crmcore.cleaning._types import Kind, Slot, chains_to, get_in, rebuild, set_all
from crmcore.cleaning.changes import Change, change
from crmcore.cleaning.context import CleaningContext
from crmcore.cleaning.text import repair_text
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record
from crmcore.records.values import EmailAddress, PhoneNumber, PostalAddress, normalise_email

__all__ = [
    "AddressParts",
    "address_key",
    "merge_contact_points",
    "normalise_emails",
    "phones_to_e164",
]

P = TypeVar("P", EmailAddress, PhoneNumber, PostalAddress)


def _emails(slot: Slot) -> bool:
    return slot.kind is Kind.OBJECTS and slot.cls is EmailAddress


def _phones(slot: Slot) -> bool:
    return slot.kind is Kind.OBJECTS and slot.cls is PhoneNumber


def _addresses(slot: Slot) -> bool:
    return slot.kind is Kind.OBJECTS and slot.cls is PostalAddress


def _canonical_email(email: EmailAddress) -> EmailAddress:
    target = email.normalised
    if target == email.address and target.isascii() and target.isprintable():
        return email
    fixed, repairs = repair_text(target)
    if repairs:
        # A normalised form given from outside and never checked: read it again, once.
        try:
            target = normalise_email(fixed)
        except InvalidValueError:
            return email
    if target == email.address and target == email.normalised:
        return email
    return rebuild(email, {"address": target, "normalised": target})


def normalise_emails(record: Record, ctx: CleaningContext) -> tuple[Record, list[Change]]:
    """Step ``email.normalise``: replace each email address by its normalised form."""
    changes: list[Change] = []
    updates: dict[tuple[str, ...], Any] = {}
    for chain in chains_to(type(record), _emails):
        emails: tuple[EmailAddress, ...] = get_in(record, chain)
        if not emails:
            continue
        new = tuple(_canonical_email(email) for email in emails)
        if all(a is b for a, b in zip(new, emails, strict=True)):
            continue
        base = ".".join(chain)
        for index, (old, email) in enumerate(zip(emails, new, strict=True)):
            for name in ("address", "normalised"):
                before, after = getattr(old, name), getattr(email, name)
                if before != after:
                    path = f"{base}[{index}].{name}"
                    changes.append(change(type(record), path, "email.normalise", before, after))
        updates[chain] = new
    return set_all(record, updates), changes


def phones_to_e164(record: Record, ctx: CleaningContext) -> tuple[Record, list[Change]]:
    """Step ``phone.e164``: replace each phone number by its E.164 form.

    The extension, when there is one, stays in its own field. Only a valid number whose E.164
    form reads back as itself is rewritten: an invalid number keeps the text it was given as.
    """
    changes: list[Change] = []
    updates: dict[tuple[str, ...], Any] = {}
    for chain in chains_to(type(record), _phones):
        phones: tuple[PhoneNumber, ...] = get_in(record, chain)
        if not phones or all(
            phone.number == phone.e164 or not writes_as_e164(phone.e164) for phone in phones
        ):
            continue
        base = ".".join(chain)
        new = []
        for index, phone in enumerate(phones):
            if phone.number != phone.e164 and writes_as_e164(phone.e164):
                path = f"{base}[{index}].number"
                changes.append(change(type(record), path, "phone.e164", phone.number, phone.e164))
                phone = rebuild(phone, {"number": phone.e164})
            new.append(phone)
        updates[chain] = tuple(new)
    return set_all(record, updates), changes


class AddressParts(Protocol):
    """What :func:`address_key` reads of an address: a :class:`~crmcore.PostalAddress`, or
    any value with the same five fields."""

    @property
    def lines(self) -> tuple[str, ...]: ...
    @property
    def locality(self) -> str | None: ...
    @property
    def region(self) -> str | None: ...
    @property
    def postal_code(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...


def address_key(address: AddressParts) -> Hashable:
    """The key two postal addresses share when they are the same address.

    Case, spacing and spaces inside postal codes do not count; labels and provenance do not.
    """
    return (
        tuple(" ".join(line.casefold().split()) for line in address.lines),
        _fold(address.locality),
        _fold(address.region),
        "".join(address.postal_code.split()).upper() if address.postal_code else None,
        address.country,
    )


def _fold(text: str | None) -> str | None:
    return " ".join(text.casefold().split()) if text else None


def _email_key(email: EmailAddress) -> Hashable:
    return email.normalised


def _phone_key(phone: PhoneNumber) -> Hashable:
    return (phone.e164, phone.extension)


def _earliest(group: list[Any]) -> Any:
    dated = [item for item in group if item.collected_at is not None]
    return min(dated, key=lambda item: item.collected_at) if dated else group[0]


def _merged(group: list[P]) -> P:
    """One contact point standing for a group of the same point, the first one kept as base.

    Earliest ``collected_at``, latest ``verified_at``, primary if any was, the first label, and
    the source of the earliest collected (else the first source known).
    """
    first = group[0]
    collected = [item.collected_at for item in group if item.collected_at is not None]
    verified = [item.verified_at for item in group if item.verified_at is not None]
    earliest = _earliest(group)
    source = earliest.source
    if source is None:
        source = next((item.source for item in group if item.source is not None), None)
    merged = rebuild(
        first,
        {
            "label": next((item.label for item in group if item.label is not None), None),
            "primary": any(item.primary for item in group),
            "source": source,
            "collected_at": _min(collected),
            "verified_at": _max(verified),
        },
    )
    return first if merged == first else merged


def _min(values: list[datetime]) -> datetime | None:
    return min(values) if values else None


def _max(values: list[datetime]) -> datetime | None:
    return max(values) if values else None


def _merge_items(
    record_type: type[Any],
    base: str,
    items: tuple[P, ...],
    key: Callable[[P], Hashable],
    changes: list[Change],
) -> tuple[P, ...]:
    groups: dict[Hashable, list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(key(item), []).append(index)
    if len(groups) == len(items):
        return items
    kept: list[P] = []
    for indices in groups.values():
        group = [items[index] for index in indices]
        merged = _merged(group)
        if merged is not group[0]:
            path = f"{base}[{indices[0]}]"
            changes.append(change(record_type, path, "contact_point.merge", group[0], merged))
        for index in indices[1:]:
            path = f"{base}[{index}]"
            changes.append(change(record_type, path, "contact_point.merge", items[index], None))
        kept.append(merged)
    return tuple(kept)


_KINDS: tuple[tuple[Callable[[Slot], bool], Callable[[Any], Hashable]], ...] = (
    (_emails, _email_key),
    (_phones, _phone_key),
    (_addresses, address_key),
)


def merge_contact_points(record: Record, ctx: CleaningContext) -> tuple[Record, list[Change]]:
    """Step ``contact_point.merge``: merge the emails, phones and addresses that are the same.

    Emails are the same by normalised form, phones by E.164 form and extension, addresses by
    :func:`address_key`. The merged point takes the place of the first (reported with the
    merged point as ``after`` when it differs); each one folded into it is reported at its own
    path with ``after`` ``None``.
    """
    changes: list[Change] = []
    updates: dict[tuple[str, ...], Any] = {}
    for match, key in _KINDS:
        for chain in chains_to(type(record), match):
            items = get_in(record, chain)
            if not items or len(items) < 2:
                continue
            merged = _merge_items(type(record), ".".join(chain), items, key, changes)
            if merged is not items:
                updates[chain] = merged
    return set_all(record, updates), changes
