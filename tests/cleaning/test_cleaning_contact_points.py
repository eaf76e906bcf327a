"""Emails to their normalised form, phones to E.164, duplicate contact points merged."""

from __future__ import annotations

from datetime import datetime, timezone

from crmcore import (
    Account,
    AccountIdentity,
    Contact,
    ContactIdentity,
    EmailAddress,
    PhoneNumber,
    PostalAddress,
    Source,
)
from crmcore.cleaning import (
    CleaningContext,
    address_key,
    merge_contact_points,
    normalise_emails,
    phones_to_e164,
)

CTX = CleaningContext()


def at(day: int) -> datetime:
    return datetime(2024, 1, day, tzinfo=timezone.utc)


def test_email_address_is_replaced_by_its_normalised_form() -> None:
    record = Contact("c", ContactIdentity(emails=(EmailAddress("Jean.Dupont@EXAMPLE.com"),)))
    cleaned, changes = normalise_emails(record, CTX)
    email = cleaned.identity.emails[0]
    assert (email.address, email.normalised) == ("Jean.Dupont@example.com",) * 2
    assert [(c.path, c.rule, c.before, c.after) for c in changes] == [
        (
            "identity.emails[0].address",
            "email.normalise",
            "Jean.Dupont@EXAMPLE.com",
            "Jean.Dupont@example.com",
        )
    ]


def test_phone_number_is_replaced_by_e164_and_keeps_its_extension() -> None:
    phone = PhoneNumber("020 7946 0958 ext. 12", region="GB")
    record = Account("a", AccountIdentity(phones=(phone,)))
    cleaned, changes = phones_to_e164(record, CTX)
    fixed = cleaned.identity.phones[0]
    assert (fixed.number, fixed.e164, fixed.extension) == ("+442079460958", "+442079460958", "12")
    assert [(c.path, c.rule) for c in changes] == [("identity.phones[0].number", "phone.e164")]


def test_canonical_contact_points_leave_the_record_untouched() -> None:
    record = Contact(
        "c",
        ContactIdentity(
            emails=(EmailAddress("a@example.org"),), phones=(PhoneNumber("+442079460958"),)
        ),
    )
    for step in (normalise_emails, phones_to_e164, merge_contact_points):
        cleaned, changes = step(record, CTX)
        assert cleaned is record
        assert changes == []


def test_merged_email_keeps_earliest_collected_latest_verified_primary_first_label() -> None:
    first = EmailAddress("a@example.org", label=None, collected_at=at(5), verified_at=at(6))
    second = EmailAddress(
        "a@example.org", label="work", primary=True, source=Source.FORM, collected_at=at(2)
    )
    third = EmailAddress("a@example.org", label="home", source=Source.IMPORT, verified_at=at(9))
    other = EmailAddress("b@example.org")
    record = Contact("c", ContactIdentity(emails=(first, other, second, third)))
    cleaned, changes = merge_contact_points(record, CTX)
    merged, kept = cleaned.identity.emails
    assert kept is other
    assert merged.collected_at == at(2)
    assert merged.verified_at == at(9)
    assert merged.primary is True
    assert merged.label == "work"
    assert merged.source is Source.FORM
    assert [(c.path, c.after) for c in changes] == [
        ("identity.emails[0]", merged),
        ("identity.emails[2]", None),
        ("identity.emails[3]", None),
    ]
    assert [c.before for c in changes] == [first, second, third]


def test_source_of_undated_duplicates_is_the_first_known() -> None:
    first = EmailAddress("a@example.org")
    second = EmailAddress("a@example.org", source=Source.API)
    record = Contact("c", ContactIdentity(emails=(first, second)))
    cleaned, _ = merge_contact_points(record, CTX)
    assert cleaned.identity.emails == (EmailAddress("a@example.org", source=Source.API),)


def test_emails_differing_in_local_part_case_are_not_merged() -> None:
    record = Contact(
        "c", ContactIdentity(emails=(EmailAddress("Ada@x.org"), EmailAddress("ada@x.org")))
    )
    cleaned, changes = merge_contact_points(record, CTX)
    assert cleaned is record
    assert changes == []


def test_phones_merge_by_e164_and_extension() -> None:
    phones = (
        PhoneNumber("020 7946 0958", region="GB"),
        PhoneNumber("+44 20 7946 0958"),
        PhoneNumber("+44 20 7946 0958", extension="7"),
    )
    record = Contact("c", ContactIdentity(phones=phones))
    cleaned, changes = merge_contact_points(record, CTX)
    assert [p.extension for p in cleaned.identity.phones] == [None, "7"]
    assert cleaned.identity.phones[0] is phones[0]
    assert [c.path for c in changes] == ["identity.phones[1]"]


def test_addresses_merge_ignoring_case_spacing_and_postcode_spaces() -> None:
    one = PostalAddress(lines=("10 Downing Street",), postal_code="SW1A 2AA", country="GB")
    two = PostalAddress(lines=("10  downing STREET",), postal_code="sw1a2aa", country="GB")
    three = PostalAddress(lines=("11 Downing Street",), postal_code="SW1A 2AA", country="GB")
    assert address_key(one) == address_key(two) != address_key(three)
    record = Contact("c", ContactIdentity(addresses=(one, two, three)))
    cleaned, _ = merge_contact_points(record, CTX)
    assert cleaned.identity.addresses == (one, three)
