"""Built-in date rules: birth dates, instants after as_of, order, staleness."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from crmcore import Category, Contact, EmailAddress, Note, PhoneNumber
from crmcore.validation import (
    BirthDatePolicy,
    Context,
    Severity,
    StalenessPolicy,
    default_ruleset,
    validate,
)

Codes = Callable[..., list[tuple[str, str]]]
AS_OF = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
PARIS_SUMMER = timezone(timedelta(hours=2))


def test_a_birth_date_after_as_of(contact: Any, codes: Codes) -> None:
    assert codes(contact(birth_date=date(2025, 6, 2))) == [
        ("identity.birth_date", "date.birth_in_future")
    ]
    assert codes(contact(birth_date=date(2025, 6, 1))) == []


def test_a_birth_date_more_than_120_years_before_as_of(contact: Any, ctx: Context) -> None:
    report = validate(contact(birth_date=date(1905, 5, 31)), default_ruleset(), ctx)
    assert [(issue.code, issue.severity) for issue in report.issues] == [
        ("date.birth_implausible", Severity.WARNING)
    ]
    assert validate(contact(birth_date=date(1905, 6, 1)), default_ruleset(), ctx).ok


def test_a_minimum_age_when_the_policy_sets_one(contact: Any, codes: Codes) -> None:
    ctx = Context(AS_OF, birth_dates=BirthDatePolicy(min_age=relativedelta(years=16)))
    assert codes(contact(birth_date=date(2010, 1, 1)), context=ctx) == [
        ("identity.birth_date", "date.birth_implausible")
    ]
    assert codes(contact(birth_date=date(2009, 6, 1)), context=ctx) == []


def test_absurd_birth_dates_give_issues_not_exceptions(contact: Any, codes: Codes) -> None:
    assert codes(contact(birth_date=date(1, 1, 1))) == [
        ("identity.birth_date", "date.birth_implausible")
    ]
    assert codes(contact(birth_date=date(9999, 12, 31))) == [
        ("identity.birth_date", "date.birth_in_future")
    ]


def test_record_instants_after_as_of(codes: Codes) -> None:
    later = AS_OF + timedelta(seconds=1)
    record = Contact("c-1", created_at=later, updated_at=later, last_verified_at=later)
    assert codes(record) == [
        ("created_at", "date.in_future"),
        ("last_verified_at", "date.in_future"),
        ("updated_at", "date.in_future"),
    ]


def test_instants_compare_across_timezones(codes: Codes) -> None:
    same_instant = AS_OF.astimezone(PARIS_SUMMER)
    assert codes(Contact("c-1", created_at=same_instant)) == []
    just_after = (AS_OF + timedelta(microseconds=1)).astimezone(PARIS_SUMMER)
    assert codes(Contact("c-1", created_at=just_after)) == [("created_at", "date.in_future")]


def test_contact_point_and_note_instants_after_as_of(contact: Any, codes: Codes) -> None:
    later = AS_OF + timedelta(days=1)
    record = attrs.evolve(
        contact(emails=(EmailAddress("ada@example.org", collected_at=later, verified_at=later),)),
        qualitative=attrs.evolve(Contact("x").qualitative, notes=(Note("n", created_at=later),)),
    )
    assert codes(record) == [
        ("identity.emails[0].collected_at", "date.in_future"),
        ("identity.emails[0].verified_at", "date.in_future"),
        ("qualitative.notes[0].created_at", "date.in_future"),
    ]


def test_updated_before_created(codes: Codes) -> None:
    created = datetime(2024, 1, 1, tzinfo=timezone.utc)
    record = Contact("c-1", created_at=created, updated_at=created - timedelta(minutes=1))
    assert codes(record) == [("updated_at", "date.updated_before_created")]


def test_deal_closing_before_it_was_created(deal: Any, codes: Codes) -> None:
    assert codes(deal(expected_close_on=date(2024, 2, 29))) == [
        ("descriptive.expected_close_on", "deal.close_before_creation")
    ]
    assert codes(deal(expected_close_on=date(2024, 3, 1))) == []


def _with_verified(contact: Any, verified: datetime | None, **extra: Any) -> Any:
    email = EmailAddress("ada@example.org", verified_at=verified, **extra)
    return attrs.evolve(contact(emails=(email,), phones=(), addresses=()), last_verified_at=None)


def test_a_contact_point_not_confirmed_within_two_years_is_stale(
    contact: Any, ctx: Context
) -> None:
    old = AS_OF - relativedelta(years=2) - timedelta(seconds=1)
    report = validate(_with_verified(contact, old), default_ruleset(), ctx)
    assert [(i.path, i.code, i.severity) for i in report.issues] == [
        ("identity.emails[0]", "freshness.stale", Severity.WARNING)
    ]
    recent = AS_OF - relativedelta(years=2)
    assert validate(_with_verified(contact, recent), default_ruleset(), ctx).issues == ()


def test_the_record_s_own_verification_counts_for_its_contact_points(
    contact: Any, codes: Codes
) -> None:
    record = attrs.evolve(
        _with_verified(contact, datetime(2015, 1, 1, tzinfo=timezone.utc)),
        last_verified_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
    )
    assert codes(record) == []


def test_collection_date_stands_in_when_never_verified(contact: Any, codes: Codes) -> None:
    old = datetime(2020, 1, 1, tzinfo=timezone.utc)
    assert codes(_with_verified(contact, None, collected_at=old)) == [
        ("identity.emails[0]", "freshness.stale")
    ]


def test_undated_values_are_stale_only_when_the_policy_says(contact: Any, codes: Codes) -> None:
    record = _with_verified(contact, None)
    assert codes(record) == []
    strict = Context(AS_OF, staleness=StalenessPolicy(unknown_is_stale=True))
    assert codes(record, context=strict) == [("identity.emails[0]", "freshness.stale")]


def test_staleness_periods_per_path_and_category(contact: Any, codes: Codes) -> None:
    record = _with_verified(contact, datetime(2025, 1, 1, tzinfo=timezone.utc))
    tight = Context(
        AS_OF, staleness=StalenessPolicy(by_category={Category.IDENTITY: relativedelta(months=3)})
    )
    assert codes(record, context=tight) == [("identity.emails[0]", "freshness.stale")]
    exempt = Context(
        AS_OF,
        staleness=StalenessPolicy(
            relativedelta(days=1), by_path={"identity.emails": relativedelta(years=1)}
        ),
    )
    assert codes(record, context=exempt) == []
    assert codes(record, context=Context(AS_OF, staleness=None)) == []


def test_phones_and_addresses_go_stale_too(contact: Any, codes: Codes) -> None:
    old = datetime(2019, 1, 1, tzinfo=timezone.utc)
    record = attrs.evolve(
        contact(phones=(PhoneNumber("+33 1 42 68 53 00", verified_at=old),)),
        last_verified_at=None,
    )
    assert codes(record) == [("identity.phones[0]", "freshness.stale")]


@pytest.mark.parametrize("year", [1, 2, 9998, 9999])
def test_absurd_as_of_instants_give_issues_not_exceptions(
    contact: Any, codes: Codes, year: int
) -> None:
    ctx = Context(datetime(year, 6, 1, tzinfo=timezone.utc))
    found = codes(contact(), context=ctx)
    assert all(code.startswith(("date.", "freshness.")) for _, code in found)
