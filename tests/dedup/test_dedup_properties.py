"""Properties every comparator keeps, on arbitrary records and on near-duplicates.

- symmetry: ``cmp(a, b) == cmp(b, a)``;
- a record compared with itself gets the top level, or ``null`` when the field is missing;
- the answer is one of the declared levels;
- the batch form gives what calling pair by pair gives.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import Account, Contact, ContactIdentity, PersonName, PostalAddress
from crmcore.dedup import (
    NULL,
    CompareContext,
    FieldComparator,
    birth_dates,
    canonical_email,
    company_names,
    damerau_levenshtein,
    default_comparisons,
    domains,
    emails,
    exact,
    external_ids,
    family_names,
    given_names,
    jaro_winkler,
    load_nicknames,
    normalise_domain,
    numbers,
    person_names,
    phones,
    phonetic,
    phonetic_code,
    read_raw_date,
    registration_numbers,
    street_parts,
    strip_legal_suffixes,
    swapped_names,
)
from crmcore.dedup.addresses import addresses
from crmcore.errors import CRMError, InvalidValueError
from crmcore.records import QuarantinedValue
from crmcore.testing import strategies as crm_st

CTX = CompareContext()

CONTACT_COMPARATORS: dict[str, FieldComparator[Any]] = {
    "person_names": person_names(),
    "given_names": given_names(),
    "family_names": family_names(),
    "swapped_names": swapped_names(),
    "emails": emails(),
    "phones": phones(),
    "addresses": addresses(),
    "birth_dates": birth_dates(near_days=30),
    "external_ids": external_ids(),
    "organisation": company_names(),
    "exact": exact("identity.name.family"),
    "jaro_winkler": jaro_winkler("identity.name.given"),
    "damerau_levenshtein": damerau_levenshtein("identity.name.family"),
    "phonetic": phonetic("identity.name.family", "metaphone"),
    "numbers": numbers("quantitative.total_spent", 10),
}
ACCOUNT_COMPARATORS: dict[str, FieldComparator[Any]] = {
    "company_names": company_names(),
    "domains": domains(),
    "registration_numbers": registration_numbers(),
    "phones": phones(),
    "addresses": addresses(),
    "external_ids": external_ids(),
    "numbers": numbers("quantitative.employees", "0.05", relative=True),
}

# Names and places that sit near one another, so that every level is reached.
_GIVEN = st.sampled_from(
    [
        "Robert",
        "Bob",
        "Rob",
        "Bert",
        "Albert",
        "J.",
        "John",
        "Jon",
        "Jean-Pierre",
        "J.-P.",
        "JP",
        "Mary",
        "Mary Ann",
        "Élodie",
        "ELODIE",
        "Wei",
        "Zhang",
        "Smith",
    ]
)
_FAMILY = st.sampled_from(
    [
        "Smith",
        "Smyth",
        "Smiht",
        "Zhang",
        "Wei",
        "Dupont",
        "Dupond",
        "García",
        "García López",
        "Li",
        "Le",
        "Müller",
        "MULLER",
        "Robert",
    ]
)
_LINES = st.sampled_from(
    [
        ("10 rue de Rivoli",),
        ("10, R. de Rivoli",),
        ("12 rue de Rivoli",),
        ("Apt 4", "10 rue de Rivoli"),
        ("221B Baker Street",),
        ("Hauptstraße 5",),
        (),
    ]
)
_RAW_DATES = st.sampled_from(["13/05/1990", "05/13/1990", "1990-13-05", "19900513", "junk"])


@st.composite
def near_contacts(draw: st.DrawFn) -> Contact:
    """A contact drawn from a small pool of close names, addresses and dates."""
    name = PersonName(given=draw(st.none() | _GIVEN), family=draw(st.none() | _FAMILY))
    lines = draw(_LINES)
    address = PostalAddress(
        lines=lines,
        postal_code=draw(st.sampled_from([None, "75001", "75 001", "69001"])),
        locality=draw(st.sampled_from([None, "Paris", "PARIS"])),
        country=draw(st.sampled_from([None, "FR", "BE"])),
    )
    birth = draw(
        st.none()
        | st.sampled_from(
            [
                date(1990, 5, 13),
                date(1990, 7, 5),
                date(1990, 5, 7),
                date(1990, 5, 3),
                date(1980, 5, 13),
            ]
        )
    )
    quarantine = ()
    if birth is None and draw(st.booleans()):
        raw = draw(_RAW_DATES)
        quarantine = (QuarantinedValue("identity.birth_date", raw, "date.unreadable", "x"),)
    return Contact(
        draw(st.sampled_from(["c-1", "c-2"])),
        ContactIdentity(
            name=name,
            addresses=(address,) if lines or draw(st.booleans()) else (),
            birth_date=birth,
            organisation=draw(st.none() | st.sampled_from(["Acme SARL", "ACME", "Acme Europe"])),
        ),
        quarantine=quarantine,
    )


_contacts = crm_st.contacts() | near_contacts()
_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_pair(comparators: dict[str, FieldComparator[Any]], a: Any, b: Any) -> None:
    for name, cmp in comparators.items():
        forward, backward = cmp(a, b, CTX), cmp(b, a, CTX)
        assert forward in cmp.levels, name
        assert forward == backward, name
        itself = cmp(a, a, CTX)
        assert itself in (cmp.levels[0], NULL), name
        # A copy of the record (other objects, same values) is equal to it too.
        assert cmp(a, attrs.evolve(a), CTX) == itself, name
        assert cmp.batch([(a, b), (b, a), (a, a), (a, b)], CTX) == [
            forward,
            backward,
            itself,
            forward,
        ], name


@_SETTINGS
@given(_contacts, _contacts)
def test_contact_comparators_are_symmetric_reflexive_and_batchable(a: Contact, b: Contact) -> None:
    _check_pair(CONTACT_COMPARATORS, a, b)


@_SETTINGS
@given(crm_st.accounts(), crm_st.accounts())
def test_account_comparators_are_symmetric_reflexive_and_batchable(a: Account, b: Account) -> None:
    _check_pair(ACCOUNT_COMPARATORS, a, b)


@_SETTINGS
@given(st.lists(st.tuples(_contacts, _contacts), max_size=6))
def test_compare_many_equals_compare_for_every_default_comparison(
    pairs: list[tuple[Contact, Contact]],
) -> None:
    for comparison in default_comparisons().for_type(Contact):
        one_by_one = tuple(comparison.compare(a, b, CTX) for a, b in pairs)
        assert comparison.compare_many(pairs, CTX) == one_by_one


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_text_helpers_take_any_text(text: str) -> None:
    assert read_raw_date(text) is None or len(read_raw_date(text) or ()) == 3
    number, _street = street_parts((text,))
    assert number is None or number[0].isdigit()
    assert isinstance(strip_legal_suffixes(text), str)
    assert isinstance(normalise_domain(text), str)
    assert isinstance(phonetic_code(text, "nysiis"), str)
    assert isinstance(canonical_email(text, CTX), str)
    with contextlib.suppress(InvalidValueError):
        load_nicknames(text)


_JUNK = (
    st.none()
    | st.integers()
    | st.text(max_size=5)
    | st.dictionaries(st.text(max_size=3), st.integers())
)


@settings(max_examples=100, deadline=None)
@given(_JUNK | crm_st.accounts(), _JUNK | _contacts)
def test_comparisons_refuse_bad_input_with_crm_errors_only(left: Any, right: Any) -> None:
    for comparison in default_comparisons().for_type(Contact):
        with contextlib.suppress(CRMError):
            comparison.compare(left, right, CTX)


@settings(max_examples=50, deadline=None)
@given(_JUNK, _JUNK)
def test_comparators_called_directly_on_non_records_raise_crm_errors(left: Any, right: Any) -> None:
    for cmp in CONTACT_COMPARATORS.values():
        with contextlib.suppress(CRMError):
            cmp(left, right, CTX)
