"""Converters from a list of value objects to the tuple a record stores, one per item type.

Each is a named, typed function so that type checkers see what the constructors accept (a
tuple or a list of the items); anything else is left for the field's validator to refuse. Each
does its one test inline: they run on every record built.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    return tuple(value) if value.__class__ is list else value  # type: ignore[return-value]


def phones(value: Sequence[PhoneNumber]) -> tuple[PhoneNumber, ...]:
    """Accept a list of phone numbers."""
    return tuple(value) if value.__class__ is list else value  # type: ignore[return-value]


def addresses(value: Sequence[PostalAddress]) -> tuple[PostalAddress, ...]:
    """Accept a list of postal addresses."""
    return tuple(value) if value.__class__ is list else value  # type: ignore[return-value]


def external_ids(value: Sequence[ExternalId]) -> tuple[ExternalId, ...]:
    """Accept a list of external ids."""
    return tuple(value) if value.__class__ is list else value  # type: ignore[return-value]


def registration_numbers(value: Sequence[RegistrationNumber]) -> tuple[RegistrationNumber, ...]:
    """Accept a list of registration numbers."""
    return tuple(value) if value.__class__ is list else value  # type: ignore[return-value]


def notes(value: Sequence[Note]) -> tuple[Note, ...]:
    """Accept a list of notes."""
    return tuple(value) if value.__class__ is list else value  # type: ignore[return-value]


def quarantined(value: Sequence[QuarantinedValue]) -> tuple[QuarantinedValue, ...]:
    """Accept a list of quarantined values."""
    return tuple(value) if value.__class__ is list else value  # type: ignore[return-value]
