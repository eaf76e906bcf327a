"""Shared fixtures of the validation tests: a fixed instant, rule sets and clean records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from crmcore import (
    Account,
    AccountIdentity,
    AccountQuantitative,
    Activity,
    ActivityDescriptive,
    Contact,
    ContactIdentity,
    ContactQuantitative,
    Deal,
    DealDescriptive,
    DealQuantitative,
    EmailAddress,
    Money,
    PersonName,
    PhoneNumber,
    PostalAddress,
    Record,
)
from crmcore.validation import Context, RuleSet, default_ruleset, validate

AS_OF = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
CREATED = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)
VERIFIED = datetime(2025, 1, 15, 8, 0, tzinfo=timezone.utc)


def make_contact(**identity: Any) -> Contact:
    """A contact that every built-in rule accepts; ``identity`` replaces identity fields."""
    fields: dict[str, Any] = {
        "name": PersonName(given="Ada", family="Lovelace"),
        "emails": (EmailAddress("ada.lovelace@example.org", primary=True),),
        "phones": (PhoneNumber("01 42 68 53 00", region="FR", primary=True, label="work"),),
        "addresses": (
            PostalAddress(
                lines=("10 rue de Rivoli",), locality="Paris", postal_code="75004", country="FR"
            ),
        ),
        "birth_date": date(1985, 12, 10),
    }
    fields.update(identity)
    return Contact(
        "c-1",
        ContactIdentity(**fields),
        quantitative=ContactQuantitative(total_spent=Money(Decimal("120.50"), "EUR")),
        created_at=CREATED,
        updated_at=CREATED,
        last_verified_at=VERIFIED,
    )


def make_account(**identity: Any) -> Account:
    """An account that every built-in rule accepts."""
    fields: dict[str, Any] = {
        "name": "Northwind",
        "phones": (PhoneNumber("+44 20 7946 0958"),),
        "addresses": (
            PostalAddress(lines=("1 High Street",), postal_code="EC1A 1BB", country="GB"),
        ),
    }
    fields.update(identity)
    return Account(
        "a-1",
        AccountIdentity(**fields),
        quantitative=AccountQuantitative(annual_revenue=Money(Decimal("1000000"), "GBP")),
        created_at=CREATED,
        last_verified_at=VERIFIED,
    )


def make_deal(**descriptive: Any) -> Deal:
    """A deal that every built-in rule accepts."""
    fields: dict[str, Any] = {
        "pipeline": "sales",
        "stage": "proposal",
        "expected_close_on": date(2025, 9, 30),
    }
    fields.update(descriptive)
    return Deal(
        "d-1",
        descriptive=DealDescriptive(**fields),
        quantitative=DealQuantitative(
            amount=Money(Decimal("5000"), "EUR"),
            expected_revenue=Money(Decimal("2500"), "EUR"),
            probability=0.5,
            discount=0.1,
        ),
        created_at=CREATED,
    )


def make_activity() -> Activity:
    """An activity that every built-in rule accepts."""
    return Activity("x-1", descriptive=ActivityDescriptive(occurred_at=AS_OF), created_at=CREATED)


@pytest.fixture
def ctx() -> Context:
    """A context at a fixed instant, with France as the default region."""
    return Context(AS_OF, default_region="FR")


@pytest.fixture
def rules() -> RuleSet:
    """A fresh default rule set."""
    return default_ruleset()


@pytest.fixture
def codes(rules: RuleSet, ctx: Context) -> Callable[..., list[tuple[str, str]]]:
    """Validate a record and return its ``(path, code)`` pairs."""

    def run(
        record: Record, ruleset: RuleSet | None = None, context: Context | None = None
    ) -> list[tuple[str, str]]:
        report = validate(record, ruleset or rules, context or ctx)
        return [(issue.path, issue.code) for issue in report.issues]

    return run


@pytest.fixture
def contact() -> Callable[..., Contact]:
    """Build a clean contact, optionally with other identity fields."""
    return make_contact


@pytest.fixture
def account() -> Callable[..., Account]:
    """Build a clean account, optionally with other identity fields."""
    return make_account


@pytest.fixture
def deal() -> Callable[..., Deal]:
    """Build a clean deal, optionally with other descriptive fields."""
    return make_deal


@pytest.fixture
def activity() -> Callable[[], Activity]:
    """Build a clean activity."""
    return make_activity
