"""find_subject: every record concerning a data subject, with confidence and reasons, no value."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crmcore import (
    Account,
    AccountIdentity,
    Activity,
    ActivityIdentity,
    Contact,
    ContactIdentity,
    ContactQualitative,
    Deal,
    DealIdentity,
    DealQualitative,
    EmailAddress,
    ExternalId,
    Note,
    PersonName,
    PhoneNumber,
    QuarantinedValue,
)
from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy import (
    REASON_CODES,
    Confidence,
    DataSubject,
    Discovery,
    Reason,
    find_subject,
)
from crmcore.testing import strategies as crm_st

EMAIL = "ada.lovelace@example.org"
PHONE = "+442079460958"
BORN = date(1815, 12, 10)
ADA = PersonName(given="Ada", family="Lovelace")
SUBJECT = DataSubject(
    names=(ADA,),
    emails=(EMAIL,),
    phones=(PHONE,),
    birth_date=BORN,
    external_ids=(ExternalId(system="billing", value="B-17"),),
    known_names=("Augusta Byron",),
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def contact(id_: str = "c-1", **identity: Any) -> Contact:
    return Contact(id_, ContactIdentity(**identity))


def codes(discovery: Discovery, part: str = "found") -> list[tuple[str, str, list[str]]]:
    return [
        (m.record.id, m.confidence.value, [r.code for r in m.reasons])
        for m in getattr(discovery, part)
    ]


# Strong reasons on a contact


def test_contact_with_the_subjects_email_is_found_strong_with_its_path() -> None:
    other = contact("c-0", emails=(EmailAddress("someone@example.org"),))
    ada = contact("c-1", emails=(EmailAddress("x@example.org"), EmailAddress(EMAIL)))
    found = find_subject([other, ada], SUBJECT)
    assert codes(found) == [("c-1", "strong", ["email"])]
    assert found.found[0].reasons == (Reason("email", "identity.emails[1]"),)
    assert found.found[0].index == 1
    assert found.review == ()
    assert found.records == (ada,)


def test_email_in_another_case_and_domain_case_is_found() -> None:
    ada = contact(emails=(EmailAddress("ADA.Lovelace@EXAMPLE.org"),))
    assert codes(find_subject([ada], SUBJECT)) == [("c-1", "strong", ["email.case"])]
    same = contact(emails=(EmailAddress("ada.lovelace@EXAMPLE.ORG"),))
    assert codes(find_subject([same], SUBJECT)) == [("c-1", "strong", ["email"])]


def test_phone_in_a_national_format_is_found_by_its_e164_form() -> None:
    ada = contact(phones=(PhoneNumber("020 7946 0958", region="GB"),))
    found = find_subject([ada], SUBJECT)
    assert found.found[0].reasons == (Reason("phone", "identity.phones[0]"),)


def test_external_id_needs_the_same_system_and_value() -> None:
    ada = contact("c-1", external_ids=(ExternalId(system="billing", value="B-17"),))
    other = contact("c-2", external_ids=(ExternalId(system="shop", value="B-17"),))
    assert codes(find_subject([ada, other], SUBJECT)) == [("c-1", "strong", ["external_id"])]


def test_every_strong_reason_is_listed_sorted_by_path() -> None:
    ada = contact(
        name=ADA,
        birth_date=BORN,
        emails=(EmailAddress(EMAIL),),
        phones=(PhoneNumber(PHONE),),
    )
    match = find_subject([ada], SUBJECT).found[0]
    assert [r.path for r in match.reasons] == [
        "identity.emails[0]",
        "identity.name",
        "identity.phones[0]",
    ]
    assert [r.code for r in match.reasons] == ["email", "name_birth_date", "phone"]


# Doubtful matches go to review


def test_a_birth_date_that_contradicts_the_subjects_sends_a_strong_match_to_review() -> None:
    """A shared family address is not the subject: the contradiction is for a person to judge."""
    mother = contact(emails=(EmailAddress(EMAIL),), birth_date=date(1792, 11, 17))
    found = find_subject([mother], SUBJECT)
    assert found.found == ()
    assert codes(found, "review") == [("c-1", "weak", ["birth_date.differs", "email"])]


def test_name_and_birth_date_alone_go_to_review() -> None:
    namesake = contact(name=PersonName(given="ADA", family="lovelace"), birth_date=BORN)
    found = find_subject([namesake], SUBJECT)
    assert found.found == ()
    assert codes(found, "review") == [("c-1", "weak", ["name_birth_date"])]


def test_a_name_where_a_birth_date_is_unknown_goes_to_review() -> None:
    """Where the subject or the contact has no birth date, a person must judge the name."""
    no_birth = contact("c-1", name=ADA)
    found = find_subject([no_birth], SUBJECT)
    assert found.found == ()
    assert codes(found, "review") == [("c-1", "weak", ["name"])]
    born = contact("c-2", name=ADA, birth_date=BORN)
    unknown = DataSubject(names=(ADA,), emails=(EMAIL,))
    assert codes(find_subject([born], unknown), "review") == [("c-2", "weak", ["name"])]


def test_a_namesake_born_another_day_or_a_family_name_alone_finds_nothing() -> None:
    namesakes = [
        contact("c-2", name=ADA, birth_date=date(1990, 1, 1)),
        contact("c-3", name=PersonName(family="Lovelace"), birth_date=BORN),
        contact("c-4", birth_date=date(1990, 1, 1)),
    ]
    found = find_subject(namesakes, SUBJECT)
    assert found.found == ()
    assert found.review == ()


def test_known_names_and_swapped_names_count_as_the_subjects_names() -> None:
    byron = contact("c-1", name=PersonName(given="Augusta", family="Byron"), birth_date=BORN)
    swapped = contact("c-2", name=PersonName(given="Lovelace", family="Ada"), birth_date=BORN)
    found = find_subject([byron, swapped], SUBJECT)
    assert [m.record.id for m in found.review] == ["c-1", "c-2"]


def test_a_shared_phone_is_sure_only_with_the_subjects_name() -> None:
    """A switchboard number on many contacts does not tell who the subject is."""
    ada = contact("c-1", name=ADA, phones=(PhoneNumber(PHONE),))
    colleague = contact("c-2", name=PersonName(given="Charles", family="Babbage"),
                        phones=(PhoneNumber(PHONE),))  # fmt: skip
    found = find_subject([colleague, ada], SUBJECT)
    assert codes(found) == [("c-1", "strong", ["name", "phone.shared"])]
    assert codes(found, "review") == [("c-2", "weak", ["phone.shared"])]


def test_an_organisations_phone_or_id_goes_to_review() -> None:
    shop = Account(
        "a-1",
        AccountIdentity(
            phones=(PhoneNumber(PHONE),),
            external_ids=(ExternalId(system="billing", value="B-17"),),
        ),
    )
    found = find_subject([shop], SUBJECT)
    assert found.found == ()
    assert codes(found, "review") == [("a-1", "weak", ["account.external_id", "account.phone"])]


# References


def test_deals_and_activities_of_a_found_contact_are_linked() -> None:
    ada = contact("c-1", emails=(EmailAddress(EMAIL),))
    deal = Deal("d-1", DealIdentity(contact_refs=("c-9", "c-1")))
    call = Activity("x-1", ActivityIdentity(contact_refs=("c-1",)))
    unrelated = Activity("x-2", ActivityIdentity(contact_refs=("c-9",)))
    found = find_subject([call, deal, unrelated, ada], SUBJECT)
    assert codes(found) == [
        ("x-1", "linked", ["reference.contact"]),
        ("c-1", "strong", ["email"]),
        ("d-1", "linked", ["reference.contact"]),
    ]
    deal_match = found.found[2]
    assert deal_match.reasons == (Reason("reference.contact", "identity.contact_refs[1]", "c-1"),)


def test_references_to_records_in_review_go_to_review() -> None:
    namesake = contact("c-1", name=ADA, birth_date=BORN)
    shop = Account("a-1", AccountIdentity(phones=(PhoneNumber(PHONE),)))
    deal = Deal("d-1", DealIdentity(account_ref="a-1"))
    call = Activity("x-1", ActivityIdentity(contact_refs=("c-1",), account_refs=("a-2",)))
    found = find_subject([namesake, shop, deal, call], SUBJECT)
    assert found.found == ()
    assert codes(found, "review") == [
        ("a-1", "weak", ["account.phone"]),
        ("x-1", "weak", ["reference.contact"]),
        ("c-1", "weak", ["name_birth_date"]),
        ("d-1", "weak", ["reference.account"]),
    ]


def test_an_activity_on_a_found_deal_but_not_the_contact_goes_to_review() -> None:
    ada = contact("c-1", emails=(EmailAddress(EMAIL),))
    deal = Deal("d-1", DealIdentity(contact_refs=("c-1", "c-2")))
    meeting = Activity("x-1", ActivityIdentity(contact_refs=("c-2",), deal_refs=("d-1",)))
    found = find_subject([meeting, deal, ada], SUBJECT)
    assert [m.record.id for m in found.found] == ["c-1", "d-1"]
    assert found.review[0].reasons == (Reason("reference.deal", "identity.deal_refs[0]", "d-1"),)


def test_a_reference_to_an_id_two_contacts_share_is_doubtful() -> None:
    ada = contact("c-1", emails=(EmailAddress(EMAIL),))
    clash = contact("c-1", emails=(EmailAddress("other@example.org"),))
    call = Activity("x-1", ActivityIdentity(contact_refs=("c-1",)))
    found = find_subject([ada, clash, call], SUBJECT)
    assert [m.record.id for m in found.found] == ["c-1"]
    assert codes(found, "review") == [("x-1", "weak", ["reference.contact"])]


# Mentions in free text


def test_a_mention_in_anothers_free_text_goes_to_review_with_its_path() -> None:
    note = Note(f"Spoke to her colleague; write to {EMAIL.upper()}.")
    colleague = Contact("c-2", qualitative=ContactQualitative(notes=(Note("hi"), note)))
    deal = Deal("d-1", qualitative=DealQualitative(competitor_notes=f"cc {EMAIL}"))
    kept = Account("a-1", quarantine=(QuarantinedValue("identity.phones[0]", EMAIL, "x", "y"),))
    found = find_subject([colleague, deal, kept], SUBJECT)
    assert found.found == ()
    assert [(m.record.id, m.reasons) for m in found.review] == [
        ("a-1", (Reason("mention.email", "quarantine[0].value"),)),
        ("c-2", (Reason("mention.email", "qualitative.notes[1].text"),)),
        ("d-1", (Reason("mention.email", "qualitative.competitor_notes"),)),
    ]


@pytest.mark.parametrize(
    "text", [f"x{EMAIL}", f"{EMAIL}.uk", f"{EMAIL}-old", f"mr.{EMAIL}", "ada.lovelace@example"]
)
def test_a_longer_address_is_no_mention(text: str) -> None:
    other = Contact("c-2", qualitative=ContactQualitative(notes=(Note(text),)))
    assert find_subject([other], SUBJECT).review == ()


@pytest.mark.parametrize(
    "text",
    ["Call her on 020 7946 0958 after 5.", "mobile: +44 (0)20-7946-0958", "tel.+442079460958"],
)
def test_the_subjects_phone_written_in_anothers_note_goes_to_review(text: str) -> None:
    other = Contact("c-2", qualitative=ContactQualitative(notes=(Note(text),)))
    found = find_subject([other], SUBJECT)
    assert found.found == ()
    assert [m.reasons for m in found.review] == [
        (Reason("mention.phone", "qualitative.notes[0].text"),)
    ]


@pytest.mark.parametrize("text", ["Call 020 7946 0959.", "order 4420794609581234", "no digits"])
def test_another_number_or_a_longer_run_of_digits_is_no_phone_mention(text: str) -> None:
    other = Contact("c-2", qualitative=ContactQualitative(notes=(Note(text),)))
    assert find_subject([other], SUBJECT).review == ()


# Determinism, reprs, codes


def test_output_is_the_same_whatever_the_input_order() -> None:
    records = [
        contact("c-1", emails=(EmailAddress(EMAIL),)),
        contact("c-2", name=ADA, birth_date=BORN),
        Deal("d-1", DealIdentity(contact_refs=("c-1",))),
        Activity("x-1", ActivityIdentity(contact_refs=("c-2",))),
        Activity("x-2", ActivityIdentity(deal_refs=("d-1",))),
    ]
    expected = find_subject(records, SUBJECT)
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        again = find_subject(shuffled, SUBJECT)
        assert codes(again) == codes(expected)
        assert codes(again, "review") == codes(expected, "review")
        assert all(shuffled[m.index] is m.record for m in (*again.found, *again.review))


def test_every_code_given_is_documented() -> None:
    records = [
        contact("c-1", emails=(EmailAddress(EMAIL),), birth_date=BORN, name=ADA),
        contact("c-2", phones=(PhoneNumber(PHONE),)),
        contact("c-3", phones=(PhoneNumber(PHONE),), birth_date=date(2000, 1, 1)),
    ]
    discovery = find_subject(records, SUBJECT)
    for match in (*discovery.found, *discovery.review):
        assert all(reason.code in REASON_CODES for reason in match.reasons)
    assert {c.value for c in Confidence} == {"strong", "linked", "weak"}


def test_reprs_hold_no_value_of_the_subject() -> None:
    ada = contact(name=ADA, emails=(EmailAddress(EMAIL),), phones=(PhoneNumber(PHONE),))
    shown = repr(find_subject([ada], SUBJECT))
    for secret in (EMAIL, PHONE, "Lovelace", "Ada", "B-17"):
        assert secret not in shown


# Bad input


@pytest.mark.parametrize(
    ("records", "field"),
    [
        (None, "records"),
        (EMAIL, "records"),
        ({"c-1": 1}, "records"),
        ([contact(), EMAIL], "records[1]"),
        ([{"id": EMAIL}], "records[0]"),
    ],
)
def test_bad_records_are_refused_naming_the_position(records: Any, field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        find_subject(records, SUBJECT)
    assert caught.value.field == field
    assert EMAIL not in str(caught.value)
    assert EMAIL not in repr(caught.value.args)


def test_known_names_alone_are_enough_to_search_by() -> None:
    byron = contact("c-1", name=PersonName(given="Augusta", family="Byron"))
    found = find_subject([byron], DataSubject(known_names=("Augusta Byron",)))
    assert codes(found, "review") == [("c-1", "weak", ["name"])]


@pytest.mark.parametrize(
    "subject", [None, EMAIL, {"emails": [EMAIL]}, DataSubject(), DataSubject(birth_date=BORN)]
)
def test_a_subject_that_is_none_or_identifies_nobody_is_refused(subject: Any) -> None:
    with pytest.raises(InvalidValueError) as caught:
        find_subject([contact()], subject)
    assert caught.value.field == "subject"
    assert EMAIL not in str(caught.value)


@SETTINGS
@given(
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=5), crm_st.records()), max_size=4)
)
def test_arbitrary_input_gives_a_discovery_or_a_crm_error(records: list[Any]) -> None:
    error: CRMError | None = None
    try:
        result = find_subject(records, SUBJECT)
    except CRMError as caught:
        error = caught
    if error is not None:
        assert EMAIL not in str(error)
    else:
        assert isinstance(result, Discovery)


# Properties


def _plant(record: Contact, email: EmailAddress) -> Contact:
    identity = attrs.evolve(record.identity, emails=(*record.identity.emails, email))
    return attrs.evolve(record, identity=identity)


@SETTINGS
@given(
    others=st.lists(crm_st.contacts(), max_size=4),
    holders=st.lists(crm_st.contacts(), min_size=1, max_size=3),
    email=crm_st.emails(),
    birth_date=st.none() | st.dates(),
)
def test_every_record_holding_a_subjects_email_is_found(
    others: list[Contact], holders: list[Contact], email: EmailAddress, birth_date: date | None
) -> None:
    """Completeness for GDPR Art. 15(1) and 17(1): no record with the subject's email is missed."""
    planted = [_plant(record, email) for record in holders]
    subject = DataSubject(emails=(email,), birth_date=birth_date)
    discovery = find_subject([*others, *planted], subject)
    found = {id(m.record) for m in discovery.found}
    seen = found | {id(m.record) for m in discovery.review}
    for record in planted:
        assert id(record) in seen
        contradicts = record.identity.birth_date not in (None, birth_date) and birth_date
        if not contradicts:
            assert id(record) in found


@SETTINGS
@given(
    records=st.lists(crm_st.records(), max_size=6),
    email=crm_st.emails(),
    phone=crm_st.phones(),
    external=crm_st.external_ids(),
)
def test_records_of_others_are_never_found_on_the_strong_reasons(
    records: list[Any], email: EmailAddress, phone: PhoneNumber, external: ExternalId
) -> None:
    for record in records:
        if isinstance(record, (Contact, Account)):
            identity = record.identity
            if isinstance(record, Contact):
                folded = {e.normalised.casefold() for e in identity.emails}
                assume(email.normalised.casefold() not in folded)
            assume(phone.e164 not in {p.e164 for p in identity.phones})
            assume((external.system, external.value) not in
                   {(e.system, e.value) for e in identity.external_ids})  # fmt: skip
    subject = DataSubject(emails=(email,), phones=(phone,), external_ids=(external,))
    assert find_subject(records, subject).found == ()


@SETTINGS
@given(
    records=st.lists(crm_st.records(), min_size=1, max_size=4),
    email=crm_st.emails(),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
    pick=st.integers(min_value=0),
)
def test_an_email_planted_in_any_note_is_never_missed(
    records: list[Any], email: EmailAddress, before: str, after: str, pick: int
) -> None:
    """GDPR Art. 15(1): data about the subject in another's free text is found, for review."""
    position = pick % len(records)
    host = Contact(f"planted-{position}")
    note = Note(f"{before} {email.normalised} {after}".strip() or email.normalised)
    host = attrs.evolve(host, qualitative=ContactQualitative(notes=(note,)))
    records = [*records[:position], host, *records[position:]]
    discovery = find_subject(records, DataSubject(emails=(email,)))
    matches = [m for m in (*discovery.found, *discovery.review) if m.record is host]
    assert [r.code for r in matches[0].reasons] == ["mention.email"]
    assert matches[0].index == position


def test_the_guide_lists_every_reason_code() -> None:
    guide = Path(__file__).parents[2] / "docs" / "privacy-access-export.md"
    text = guide.read_text(encoding="utf-8")
    for code in REASON_CODES:
        assert f"`{code}`" in text, code
