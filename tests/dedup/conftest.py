"""Shared helpers of the dedup tests: small records built from the parts a test names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from crmcore import (
    Account,
    AccountIdentity,
    Contact,
    ContactIdentity,
    EmailAddress,
    PersonName,
    PhoneNumber,
    PostalAddress,
)
from crmcore.dedup import CompareContext


def make_person(
    given: str | None = None,
    family: str | None = None,
    *,
    emails: tuple[str, ...] = (),
    phones: tuple[str, ...] = (),
    addresses: tuple[PostalAddress, ...] = (),
    birth_date: date | None = None,
    record_id: str = "c-1",
    **identity: Any,
) -> Contact:
    """A contact with the given name parts and contact points (phones read in FR)."""
    return Contact(
        record_id,
        ContactIdentity(
            name=PersonName(given=given, family=family),
            emails=tuple(EmailAddress(address) for address in emails),
            phones=tuple(PhoneNumber(number, region="FR") for number in phones),
            addresses=addresses,
            birth_date=birth_date,
            **identity,
        ),
    )


def make_firm(name: str | None = None, *, record_id: str = "a-1", **identity: Any) -> Account:
    """An account with the given trading name and identity fields."""
    return Account(record_id, AccountIdentity(name=name, **identity))


@pytest.fixture
def ctx() -> CompareContext:
    return CompareContext()


@pytest.fixture
def person() -> Callable[..., Contact]:
    """:func:`make_person`, for tests to build contacts."""
    return make_person


@pytest.fixture
def firm() -> Callable[..., Account]:
    """:func:`make_firm`, for tests to build accounts."""
    return make_firm
