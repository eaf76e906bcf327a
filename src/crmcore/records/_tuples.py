"""Converters from a list of value objects to the tuple a record stores, one per item type.

Each is a named, typed function so that type checkers see what the constructors accept (a
tuple or a list of the items); anything else is left for the field's validator to refuse.
"""

from __future__ import annotations

from collections.abc import Sequence

from crmcore.records._checks import as_tuple
from crmcore.records.values import (
    EmailAddress,
    ExternalId,
    Note,
    PhoneNumber,
    PostalAddress,
    QuarantinedValue,
    RegistrationNumber,
)


def emails(value: Sequence[EmailAddress]) -> tuple[EmailAddress, ...]:
    """Accept a list of email addresses."""
    return as_tuple(value)  # type: ignore[no-any-return]


def phones(value: Sequence[PhoneNumber]) -> tuple[PhoneNumber, ...]:
    """Accept a list of phone numbers."""
    return as_tuple(value)  # type: ignore[no-any-return]


def addresses(value: Sequence[PostalAddress]) -> tuple[PostalAddress, ...]:
    """Accept a list of postal addresses."""
    return as_tuple(value)  # type: ignore[no-any-return]


def external_ids(value: Sequence[ExternalId]) -> tuple[ExternalId, ...]:
    """Accept a list of external ids."""
    return as_tuple(value)  # type: ignore[no-any-return]


def registration_numbers(value: Sequence[RegistrationNumber]) -> tuple[RegistrationNumber, ...]:
    """Accept a list of registration numbers."""
    return as_tuple(value)  # type: ignore[no-any-return]


def notes(value: Sequence[Note]) -> tuple[Note, ...]:
    """Accept a list of notes."""
    return as_tuple(value)  # type: ignore[no-any-return]


def quarantined(value: Sequence[QuarantinedValue]) -> tuple[QuarantinedValue, ...]:
    """Accept a list of quarantined values."""
    return as_tuple(value)  # type: ignore[no-any-return]
