"""The built-in blocking rules: what each one keys on, from field metadata."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from crmcore import Account, AccountIdentity, Contact, ContactIdentity, PersonName, PostalAddress
from crmcore.cleaning import clean_raw
from crmcore.dedup import (
    DEFAULT_RULE_COMPARISONS,
    CompareContext,
    EmailProvider,
    Nicknames,
    birth_date_keys,
    birth_day_keys,
    block,
    default_blocking_rules,
    domain_keys,
    email_keys,
    external_id_keys,
    family_postcode_keys,
    name_keys,
    name_organisation_keys,
    name_window,
    phone_keys,
    registration_number_keys,
)
from crmcore.dedup._blocking_split import organisation_keys
from crmcore.dedup.fitting import UNFITTED_RULES
from crmcore.errors import InvalidValueError
from crmcore.records import ExternalId, QuarantinedValue, RegistrationNumber


def _shared(rule: Callable[[Any], Any], a: Any, b: Any) -> set[str]:
    return set(rule(a)) & set(rule(b))


def test_email_keys_are_mailboxes(person: Any) -> None:
    a = person(emails=("Jane.Doe@gmail.com", "jane@work.example"))
    b = person(emails=("janedoe+crm@googlemail.com",))
    assert _shared(email_keys(), a, b) == {"janedoe@gmail.com"}
    assert email_keys()(person()) == ()


def test_email_keys_follow_the_context_providers(person: Any) -> None:
    ctx = CompareContext((EmailProvider(("work.example",), ignores_dots=True),))
    assert email_keys(ctx)(person(emails=("J.Doe@work.example",))) == ("jdoe@work.example",)
    with pytest.raises(InvalidValueError, match="CompareContext"):
        email_keys("gmail")  # type: ignore[arg-type]


def test_phone_keys_are_e164_whatever_the_writing(person: Any) -> None:
    a, b = person(phones=("06 12 34 56 78",)), person(phones=("+33 6 12 34 56 78",))
    assert _shared(phone_keys(), a, b) == {"+33612345678"}


def test_family_postcode_keys_hear_spelling_variants(person: Any) -> None:
    def at(family: str, code: str | None) -> Contact:
        address = PostalAddress(lines=("1 rue X",), postal_code=code, country="FR")
        return person("Ann", family, addresses=(address,))

    rule = family_postcode_keys()
    assert _shared(rule, at("Smith", "75001"), at("Smyth", "75 001"))
    assert _shared(rule, at("Dupont", "75001"), at("DUPOND", "75001"))
    assert not _shared(rule, at("Smith", "75001"), at("Smith", "69001"))
    assert rule(at("Smith", None)) == ()
    assert rule(person("Ann", None)) == ()


def test_family_postcode_keys_take_the_algorithms_named() -> None:
    assert family_postcode_keys(["soundex"]).algorithms == ("soundex",)
    for bad in ([], ["klingon"], 5):
        with pytest.raises(InvalidValueError, match="algorithm"):
            family_postcode_keys(bad)


def test_birth_date_keys_meet_across_swapped_days_and_nicknames(person: Any) -> None:
    rule = birth_date_keys()
    bob = person("Bob", "Smith", birth_date=date(1990, 5, 7))
    robert = person("Robert", "Smith", birth_date=date(1990, 7, 5))
    alice = person("Alice", "Smith", birth_date=date(1990, 5, 7))
    assert _shared(rule, bob, robert)
    assert not _shared(rule, bob, alice)
    assert rule(person("Bob", "Smith")) == ()
    assert rule(person(None, "Smith")) == ()


def test_birth_date_keys_read_an_unreadable_date_from_the_quarantine(person: Any) -> None:
    kept = QuarantinedValue("identity.birth_date", "05/13/1990", "date.unreadable", "not a date")
    quarantined = Contact("c-2", ContactIdentity(name=PersonName(given="Ann")), quarantine=(kept,))
    assert _shared(birth_date_keys(), quarantined, person("Ann", birth_date=date(1990, 5, 13)))
    raw = clean_raw(
        Contact, {"id": "c-3", "identity": {"name": {"given": "Ann"}, "birth_date": "1990-13-05"}}
    )
    assert _shared(birth_date_keys(), raw.record, person("Ann", birth_date=date(1990, 5, 13)))


def test_birth_date_keys_meet_a_two_digit_year_in_either_century(person: Any) -> None:
    # the comparator reads 23/05/58 as equal to 1958-05-23 (and to 2058-05-23): so do the keys
    def written(record_id: str, text: str) -> Contact:
        kept = QuarantinedValue("identity.birth_date", text, "date.unreadable", "two-digit year")
        return Contact(record_id, ContactIdentity(name=PersonName(given="Ann")), quarantine=(kept,))

    rules = (birth_date_keys(), birth_day_keys())
    for rule in rules:
        assert _shared(
            rule, written("c-1", "23/05/58"), person("Ann", birth_date=date(1958, 5, 23))
        )
        assert _shared(
            rule, written("c-2", "23/05/08"), person("Ann", birth_date=date(2008, 5, 23))
        )
        assert _shared(
            rule, written("c-3", "05/23/58"), person("Ann", birth_date=date(1958, 5, 23))
        )
        assert not _shared(
            rule, written("c-4", "23/05/58"), person("Ann", birth_date=date(1968, 5, 23))
        )
    assert birth_day_keys()(written("c-5", "23/05/58")) == ("1958-05-23", "2058-05-23")
    assert birth_day_keys()(person("Ann", birth_date=date(1958, 5, 23))) == ("1958-05-23",)


def test_birth_date_keys_take_a_nickname_table(person: Any) -> None:
    table = Nicknames.from_groups([("margaret", "peggy")])
    rule = birth_date_keys(table)
    day = date(1970, 1, 2)
    assert _shared(rule, person("Peggy", birth_date=day), person("Margaret", birth_date=day))
    assert not _shared(rule, person("Bob", birth_date=day), person("Robert", birth_date=day))
    with pytest.raises(InvalidValueError, match="Nicknames"):
        birth_date_keys({"bob": "robert"})  # type: ignore[arg-type]


def test_name_keys_meet_across_swaps_and_nicknames_and_need_both_parts(person: Any) -> None:
    rule = name_keys()
    assert _shared(rule, person("Wei", "Zhang"), person("ZHANG", "Wei"))
    assert _shared(rule, person("Bill", "Jackson"), person("William", "JACKSON"))
    assert _shared(rule, person("Élodie Marie", "Tour"), person("elodie", "tour"))
    assert not _shared(rule, person("Bill", "Jackson"), person("Bill", "Johnson"))
    assert rule(person("Bill", None)) == ()
    assert rule(person(None, "Jackson")) == ()
    with pytest.raises(InvalidValueError, match="Nicknames"):
        name_keys("bob")  # type: ignore[arg-type]


def test_a_misspelt_given_name_keys_on_the_groups_of_the_name_it_misspells(person: Any) -> None:
    day = date(1981, 3, 4)
    caterine = person("Caterine", "Dupont", birth_date=day)
    kate = person("Kate", "Dupont", birth_date=day)
    sophie = person("Sophie", "Dupont", birth_date=day)  # a relative: another name
    for rule in (name_keys(), birth_date_keys()):
        assert _shared(rule, caterine, kate)
        assert not _shared(rule, sophie, kate)
    assert not _shared(name_keys(), person("Caterine", "Dupont"), person("Kate", "Martin"))


def test_domain_keys_are_normalised(firm: Any) -> None:
    a, b = firm(domains=("https://www.ACME.com/about",)), firm(domains=("acme.com",))
    assert _shared(domain_keys(), a, b) == {"acme.com"}


def test_external_id_keys_fold_the_system_only(person: Any) -> None:
    def ids(system: str, value: str) -> Contact:
        return person(external_ids=(ExternalId(system=system, value=value),))

    rule = external_id_keys()
    assert _shared(rule, ids("Stripe", "cus_9"), ids("stripe", " cus_9 "))
    assert not _shared(rule, ids("Stripe", "cus_9"), ids("HubSpot", "cus_9"))
    assert not _shared(rule, ids("Stripe", "cus_9"), ids("Stripe", "CUS_9"))


def test_registration_number_keys_ignore_spacing_and_country_prefix(firm: Any) -> None:
    def numbered(value: str, country: str | None = None) -> Account:
        number = RegistrationNumber(scheme="VAT", value=value, country=country)
        return firm(registration_numbers=(number,))

    rule = registration_number_keys()
    assert _shared(rule, numbered("FR 12 345678901", "FR"), numbered("12345678901", "FR"))


def test_name_window_sorts_people_both_ways_and_organisations_without_legal_forms(
    person: Any, firm: Any
) -> None:
    rule = name_window()
    assert set(rule(person("Ada", "Byron"))) == {"byron ada", "ada byron"}
    assert rule(person("Ada", None)) == ("ada",)
    assert set(rule(firm("ACME Holdings GmbH", legal_name="Acme S.A."))) == {"acme"}
    assert rule(person()) == ()


@pytest.mark.parametrize("window", [1, 0, 1001, 2.0, True, "5"])
def test_name_window_refuses_a_bad_window(window: Any) -> None:
    with pytest.raises(InvalidValueError, match="window"):
        name_window(window)


def test_the_default_rules_of_each_type() -> None:
    rules = default_blocking_rules()
    assert [e.name for e in rules.for_type(Contact)] == [
        "crmcore.email",
        "crmcore.phone",
        "crmcore.external_id",
        "crmcore.family_postcode",
        "crmcore.birth_date",
        "crmcore.name",
        "crmcore.name_organisation",
        "crmcore.name_window",
        "crmcore.name_sounds",
    ]
    assert [e.name for e in rules.for_type(Account)] == [
        "crmcore.phone",
        "crmcore.external_id",
        "crmcore.domain",
        "crmcore.registration_number",
        "crmcore.name_window",
    ]
    assert rules["crmcore.name_window"].window == 10
    assert default_blocking_rules() is not rules


def test_rules_read_fields_from_metadata_on_an_account_too(firm: Any) -> None:
    """The person rules find no name field on an account and give no key, without error."""
    account = Account("a-1", AccountIdentity(name="Acme"))
    for rule in (email_keys(), family_postcode_keys(), birth_date_keys(), name_keys()):
        assert rule(account) == ()


def test_name_organisation_keys_join_the_name_keys_to_the_employer(person: Any) -> None:
    rule = name_organisation_keys()
    bill = person("Bill", "Jackson", organisation="Acme Ltd")
    assert _shared(rule, bill, person("William", "JACKSON", organisation="ACME"))
    assert _shared(rule, bill, person("Jackson", "Bill", organisation="Acme Inc."))
    assert _shared(rule, bill, person("Bill", "Jackson", organisation="Umbrella")) == set()
    assert _shared(rule, bill, person("Anna", "Jackson", organisation="Acme")) == set()
    assert rule(person("Bill", "Jackson")) == ()
    assert rule(person("Bill", None, organisation="Acme")) == ()
    assert all(key.endswith("#acme") for key in rule(bill))
    assert set(rule(bill)) == {f"{key}#acme" for key in name_keys()(bill)}
    assert rule(person("Bill", "Jackson", organisation="&")) == ()  # nothing left to key


def test_organisation_keys_key_no_name_left_empty_by_its_legal_suffixes(person: Any) -> None:
    """A name of punctuation alone (``&``, ``-``) is nothing once folded: the split rule keys
    nothing, where an empty key would have put every such record in one block."""
    rule = organisation_keys()
    assert rule(person("Bill", "Jackson", organisation="Acme Ltd")) == ("acme",)
    assert rule(person("Bill", "Jackson", organisation="&")) == ()
    assert rule(person("Ann", "Lee", organisation="-")) == ()


def test_name_organisation_keys_read_their_own_nicknames(person: Any) -> None:
    table = Nicknames.from_groups([("robert", "bobby")])
    bob = person("Bobby", "Martin", organisation="Acme")
    assert _shared(
        name_organisation_keys(table), bob, person("Robert", "Martin", organisation="Acme")
    )
    with pytest.raises(InvalidValueError, match="Nicknames"):
        name_organisation_keys("Bob")  # type: ignore[arg-type]


def test_the_name_at_one_employer_pairs_what_a_large_name_block_loses(person: Any) -> None:
    records = [
        person(
            "Jean",
            "Martin",
            record_id=f"c-{n:04d}",
            organisation="Acme SARL" if n % 50 == 0 else f"Firm {n}",
        )
        for n in range(200)
    ]
    found = block(records)
    assert {s.rule for s in found.skipped} >= {"crmcore.name", "crmcore.name_sounds"}
    at_acme = {"c-0000", "c-0050", "c-0100", "c-0150"}
    assert {p for p in found.ids if set(p) <= at_acme} == set(
        itertools.combinations(sorted(at_acme), 2)
    )
    assert found.pairs_per_rule["crmcore.name_organisation"] == 6
    assert "crmcore.name_organisation" in UNFITTED_RULES
    assert "crmcore.name_organisation" not in DEFAULT_RULE_COMPARISONS
