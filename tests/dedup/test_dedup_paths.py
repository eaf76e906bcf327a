"""Comparators find their fields from field metadata, so new record types are compared too."""

from __future__ import annotations

from typing import Any

import attrs

from crmcore import Account, AccountIdentity, Contact, ContactIdentity, EmailAddress, PersonName
from crmcore.dedup import CompareContext, emails, person_names
from crmcore.dedup._paths import Selector, paths, values
from crmcore.dedup._read import reader
from crmcore.records import Category, Record
from crmcore.records._meta import PrivacyCategory, facet


@attrs.frozen
class Lead(Record):
    """A record type crmcore does not ship, holding a contact's identity facet."""

    identity: ContactIdentity = attrs.field(
        factory=ContactIdentity, metadata=facet(Category.IDENTITY, "Who the lead is.")
    )


def test_paths_come_from_field_metadata() -> None:
    organisation = PrivacyCategory.ORGANISATION
    assert paths(Contact, Selector(PersonName)) == ("identity.name",)
    assert paths(Account, Selector(str, organisation, many=False)) == (
        "identity.name",
        "identity.legal_name",
    )
    assert paths(Account, Selector(str, organisation, many=True)) == ("identity.domains",)
    assert paths(Lead, Selector(EmailAddress)) == ("identity.emails",)


def test_a_new_record_type_is_compared_through_its_metadata() -> None:
    def lead(given: str, address: str) -> Lead:
        return Lead(
            "l-1",
            ContactIdentity(
                name=PersonName(given=given, family="Smith"),
                emails=(EmailAddress(address),),
            ),
        )

    ctx = CompareContext()
    a, b = lead("Bob", "bob.smith@gmail.com"), lead("Robert", "bobsmith@gmail.com")
    assert person_names()(a, b, ctx) == "nickname"
    assert emails()(a, b, ctx) == "canonical"


def test_values_flatten_tuples_and_skip_missing() -> None:
    contact = Contact(
        "c", ContactIdentity(emails=(EmailAddress("a@example.com"), EmailAddress("b@example.com")))
    )
    assert [e.normalised for e in values(contact, Selector(EmailAddress))] == [
        "a@example.com",
        "b@example.com",
    ]
    read: Any = reader("identity.emails.normalised")
    assert read(contact) == ("a@example.com", "b@example.com")
    assert reader("identity.birth_date")(contact) == ()


def test_values_read_each_selector_with_its_own_reader() -> None:
    """Selectors made and let go one after another (an id used again) each read their own
    fields, of one path or several."""
    name = PersonName(given="Ann", family="Lee")
    email = EmailAddress("a@example.com")
    contact = Contact("c", ContactIdentity(name=name, emails=(email,)))
    for _ in range(50):
        assert values(contact, Selector(PersonName)) == (name,)
        assert values(contact, Selector(EmailAddress)) == (email,)
        assert values(contact, Selector(str, PrivacyCategory.BIRTH_DATE)) == ()
    several = Selector(str, PrivacyCategory.ORGANISATION)
    assert len(paths(Account, several)) > 1
    account = Account("a", AccountIdentity(name="Acme", domains=("acme.example",)))
    assert values(account, several) == ("Acme", "acme.example")
