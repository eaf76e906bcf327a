"""Tests for crmcore.privacy.erasure: plan_erasure, apply_erasure and the erasure audit."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import unicodedata
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import (
    Activity,
    ActivityIdentity,
    ActivityQualitative,
    Category,
    Contact,
    ContactDescriptive,
    ContactIdentity,
    ContactQualitative,
    ContactQuantitative,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Deal,
    DealIdentity,
    DealQualitative,
    EmailAddress,
    ExternalId,
    Money,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    QuarantinedValue,
)
from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy import PrivacyRequest
from crmcore.privacy.erasure import (
    Action,
    ErasureAudit,
    ErasurePlan,
    Hold,
    apply_erasure,
    plan_erasure,
)
from crmcore.privacy.subject import DataSubject

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
RECEIVED = dt.datetime(2026, 1, 31, 12, 0, tzinfo=dt.UTC)

SUBJECT = DataSubject(
    names=(PersonName(given="Ada", family="Lovelace"),),
    emails=("ada.lovelace@example.org",),
    phones=(PhoneNumber("020 7946 0958", region="GB"),),
)

ADA = Contact(
    "c-ada",
    ContactIdentity(
        name=PersonName(given="Ada", family="Lovelace"),
        emails=(EmailAddress("ADA.LOVELACE@example.org"),),
        phones=(PhoneNumber("020 7946 0958", region="GB"),),
        addresses=(
            PostalAddress(lines=("12 St James's Square",), locality="London", country="GB"),
        ),
        birth_date=dt.date(1815, 12, 10),
        organisation="Analytical Engines Ltd",
        account_number="ACC-77",
        external_ids=(ExternalId(system="billing", value="B-1815"),),
    ),
    descriptive=ContactDescriptive(job_title="Mathematician", language="en"),
    qualitative=ContactQualitative(notes=(Note("Prefers letters."),)),
    quantitative=ContactQuantitative(purchase_count=3, total_spent=Money(Decimal("120.00"), "GBP")),
)
BOB = Contact(
    "c-bob",
    ContactIdentity(
        name=PersonName(given="Bob", family="Lovelace"),
        phones=(PhoneNumber("020 7946 0000", region="GB"),),
    ),
    qualitative=ContactQualitative(
        notes=(
            Note("Sister-in-law Ada Lovelace (ada.lovelace@EXAMPLE.org) called."),
            Note("Bob Lovelace renewed.", author="Lovelace, Ada"),
        )
    ),
)
CAROL = Contact(
    "c-carol",
    ContactIdentity(name=PersonName(given="Carol", family="Byron")),
    qualitative=ContactQualitative(notes=(Note("Nothing about anyone else."),)),
)
CALL = Activity(
    "a-1",
    ActivityIdentity(contact_refs=("c-bob",)),
    qualitative=ActivityQualitative(content="Left a message on 020 7946 0958\nfor Lovelace."),
)
DEAL = Deal(
    "d-1",
    DealIdentity(contact_refs=("c-carol",)),
    qualitative=DealQualitative(competitor_notes="Competitor hired Ada Lovelace."),
)
RECORDS = (ADA, BOB, CAROL, CALL, DEAL)


def erase(records=RECORDS, subject=SUBJECT, **kwargs):  # type: ignore[no-untyped-def]
    plan = plan_erasure(records, subject, **kwargs)
    return plan, apply_erasure(plan, records, key=KEY, at=AT)


def actions(plan: ErasurePlan) -> dict[tuple[str, str], Action]:
    return {(r.record_id, p.path): p.action for r in plan.records for p in r.paths}


def test_the_subjects_personal_data_goes_and_figures_stay() -> None:
    """GDPR Art. 17(1); Recital 26: identity emptied, quantitative figures kept."""
    plan, result = erase()
    ada = result.records[0]
    assert ada.id == "c-ada"
    assert ada.identity.name == PersonName()
    assert ada.identity.emails == ada.identity.phones == ada.identity.addresses == ()
    assert ada.identity.birth_date is None
    assert ada.identity.account_number is None
    assert ada.identity.external_ids == ()
    assert ada.descriptive.job_title is None
    assert ada.descriptive.language is None
    assert ada.qualitative.notes == ()
    assert ada.identity.organisation == "Analytical Engines Ltd"  # not personal
    assert ada.quantitative == ADA.quantitative
    found = actions(plan)
    assert found[("c-ada", "identity.emails")] is Action.DELETE
    assert found[("c-ada", "quantitative.total_spent")] is Action.KEEP
    assert ("c-ada", "identity.organisation") not in found


def test_others_free_text_is_scrubbed_and_the_rest_kept_byte_for_byte() -> None:
    """GDPR Art. 17(1): mentions in notes, activity content and deal notes go."""
    plan, result = erase()
    bob, carol, call, deal = result.records[1:]
    assert bob.identity == BOB.identity
    assert bob.qualitative.notes[0].text == ("Sister-in-law [erased name] ([erased email]) called.")
    assert bob.qualitative.notes[1].text == "Bob Lovelace renewed."
    assert bob.qualitative.notes[1].author == "[erased name]"
    assert call.qualitative.content == "Left a message on [erased phone]\nfor [erased name]."
    assert deal.qualitative.competitor_notes == "Competitor hired [erased name]."
    assert carol is CAROL  # untouched records are the same objects
    assert [r.role for r in plan.records] == ["subject", "mention", "mention", "mention"]


def test_national_numbers_are_read_in_the_referenced_records_region() -> None:
    """Phones in any national format, in the record's or its references' region."""
    subject = DataSubject(phones=(PhoneNumber("+33 1 42 68 53 00"),))
    paris = Contact(
        "c-fr",
        ContactIdentity(addresses=(PostalAddress(locality="Paris", country="FR"),)),
    )
    call = Activity(
        "a-fr",
        ActivityIdentity(contact_refs=("c-fr",)),
        qualitative=ActivityQualitative(content="rappeler le 01 42 68 53 00"),
    )
    _, result = erase((paris, call), subject)
    assert result.records[1].qualitative.content == "rappeler le [erased phone]"


def test_inputs_never_change_and_order_is_kept() -> None:
    before = [attrs.asdict(record) for record in RECORDS]
    _, result = erase()
    assert [attrs.asdict(record) for record in RECORDS] == before
    assert [record.id for record in result.records] == [record.id for record in RECORDS]


@pytest.mark.parametrize(
    "subject",
    [
        DataSubject(emails=("Ada.Lovelace@Example.ORG",)),
        DataSubject(phones=("+44 20 7946 0958",)),
        DataSubject(external_ids=(ExternalId(system="billing", value="B-1815"),)),
    ],
)
def test_the_subjects_records_are_found_by_email_phone_or_external_id(
    subject: DataSubject,
) -> None:
    plan = plan_erasure(RECORDS, subject)
    assert [r.record_id for r in plan.records if r.role == "subject"] == ["c-ada"]


def test_records_named_by_id_are_the_subjects() -> None:
    subject = DataSubject(names=("Carol Byron",))
    plan = plan_erasure(RECORDS, subject, record_ids=("c-carol",))
    assert [r.record_id for r in plan.records if r.role == "subject"] == ["c-carol"]
    with pytest.raises(InvalidValueError) as info:
        plan_erasure(RECORDS, subject, record_ids=("c-nobody",))
    assert info.value.field == "record_ids[0]"


def test_a_legal_hold_keeps_a_record_and_says_why() -> None:
    """GDPR Art. 17(3)(e): data needed for legal claims is kept, and the plan says why."""
    hold = Hold(record_id="c-bob", reason="litigation hold", citation="GDPR Art. 17(3)(e)")
    plan, result = erase(holds=(hold,))
    bob = next(r for r in plan.records if r.record_id == "c-bob")
    assert [(p.action, p.reason, p.citation) for p in bob.paths] == [
        (Action.KEEP, "litigation hold", "GDPR Art. 17(3)(e)")
    ]
    assert result.records[1] is BOB


def test_a_tax_law_exception_keeps_a_path_of_the_subjects_record() -> None:
    """GDPR Art. 17(3)(b): a legal obligation (tax records) keeps the account number."""
    hold = Hold(
        path="identity.account_number",
        reason="invoices kept 10 years under tax law",
        citation="GDPR Art. 17(3)(b)",
    )
    plan, result = erase(holds=(hold,))
    assert actions(plan)[("c-ada", "identity.account_number")] is Action.KEEP
    assert result.records[0].identity.account_number == "ACC-77"
    assert result.records[0].identity.emails == ()
    entry = next(e for e in result.audit.entries if e.path == "identity.account_number")
    assert entry.reason == "invoices kept 10 years under tax law"
    assert entry.digests == ()


def test_identifiers_may_be_kept_as_pseudonyms() -> None:
    """GDPR Art. 4(5): a pseudonym keyed by a secret, so joins still work."""
    from crmcore.privacy.pseudonym import pseudonymise

    plan, result = erase(pseudonymise=("identity.external_ids", "identity.account_number"))
    ada = result.records[0]
    assert ada.identity.account_number == pseudonymise("ACC-77", KEY)
    assert ada.identity.external_ids == (
        ExternalId(system="billing", value=pseudonymise("B-1815", KEY)),
    )
    assert actions(plan)[("c-ada", "identity.external_ids")] is Action.PSEUDONYMISE
    with pytest.raises(InvalidValueError) as info:
        plan_erasure(RECORDS, SUBJECT, pseudonymise=("identity.emails",))
    assert info.value.field == "pseudonymise[0]"


def test_custom_fields_follow_their_schema() -> None:
    schema = CustomSchema(
        Contact,
        (
            CustomFieldSpec("tier", CustomType.STRING, Category.DESCRIPTIVE),
            CustomFieldSpec(
                "nickname",
                CustomType.STRING,
                Category.DESCRIPTIVE,
                personal=True,
                privacy="name",
            ),
        ),
    )
    ada = attrs.evolve(
        ADA,
        descriptive=attrs.evolve(
            ADA.descriptive, custom={"tier": "gold", "nickname": "Enchantress", "memo": "x"}
        ),
    )
    bob = attrs.evolve(
        BOB,
        descriptive=attrs.evolve(BOB.descriptive, custom={"memo": "Ask Ada Lovelace"}),
    )
    plan, result = erase((ada, bob), schemas=(schema,))
    assert dict(result.records[0].descriptive.custom) == {"tier": "gold"}
    assert dict(result.records[1].descriptive.custom) == {"memo": "Ask [erased name]"}
    assert actions(plan)[("c-bob", "descriptive.custom.memo")] is Action.SCRUB


def test_quarantined_values_are_free_text() -> None:
    bob = attrs.evolve(
        BOB,
        quarantine=(
            QuarantinedValue("identity.emails[0]", "ada.lovelace@example", "email", "no domain"),
            QuarantinedValue("identity.phones[0]", "+44 20 7946 0958", "phone", "bad"),
        ),
    )
    _, result = erase((ADA, bob))
    assert [q.value for q in result.records[1].quarantine] == [
        "ada.lovelace@example",
        "[erased phone]",
    ]


def test_the_audit_holds_no_erased_value_and_proves_each_one() -> None:
    """GDPR Art. 5(2) accountability: provable without keeping what was erased."""
    request = PrivacyRequest(id="REQ-7", kind="erasure", regime="gdpr", received=RECEIVED)
    _, result = erase(request=request)
    audit = result.audit
    data = audit.to_dict()
    text = json.dumps(data)
    for secret in ("Lovelace", "ada.lovelace", "7946", "Mathematician", "1815", "B-1815", "ACC-77"):
        assert secret.lower() not in text.lower()
    assert data["request"] == "REQ-7"
    assert data["at"] == "2026-03-02T09:30:00+00:00"
    assert audit.was_erased("ada.lovelace@example.org", KEY, kind="email")
    assert audit.was_erased("Ada.LoveLace@Example.org", KEY, kind="email")  # any case
    assert audit.was_erased("+44 20 7946 0958", KEY, kind="phone")
    assert audit.was_erased("020 7946 0958", KEY, kind="phone", region="GB")
    assert audit.was_erased("ada  LOVELACE", KEY)
    assert audit.was_erased("1815-12-10", KEY)
    assert not audit.was_erased("bob@example.org", KEY, kind="email")
    with pytest.raises(InvalidValueError) as info:
        audit.was_erased("ada.lovelace@example.org", OTHER_KEY, kind="email")
    assert info.value.field == "key"
    paths = {(e.record_id, e.path) for e in audit.entries}
    assert ("c-bob", "qualitative.notes") in paths
    assert ("a-1", "qualitative.content") in paths


def test_digests_are_not_pseudonyms() -> None:
    """An audit never links the erased person to pseudonyms kept under the same key."""
    from crmcore.privacy.pseudonym import pseudonymise

    _, result = erase()
    pseudonym = pseudonymise("ada.lovelace@example.org", KEY, kind="email")
    assert all(pseudonym not in entry.digests for entry in result.audit.entries)


def test_the_same_erasure_gives_the_same_audit() -> None:
    assert erase()[1].audit == erase()[1].audit
    other = apply_erasure(plan_erasure(RECORDS, SUBJECT), RECORDS, key=OTHER_KEY, at=AT).audit
    assert other.key_id != erase()[1].audit.key_id


def test_the_plan_is_json_safe() -> None:
    plan = plan_erasure(RECORDS, SUBJECT)
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["records"][0]["paths"][0] == {
        "path": "identity.name",
        "action": "delete",
        "reason": "the subject's personal data",
        "citation": "GDPR Art. 17(1); CCPA Cal. Civ. Code 1798.105",
    }


def test_reprs_show_no_value() -> None:
    plan, result = erase()
    for text in (repr(plan), repr(result), repr(SUBJECT), str(plan.to_dict())):
        assert "Lovelace" not in text
        assert "7946" not in text
        assert "example" not in text


def test_a_plan_is_refused_for_other_records() -> None:
    plan = plan_erasure(RECORDS, SUBJECT)
    changed = (ADA, attrs.evolve(BOB, id="c-bob2"), CAROL, CALL, DEAL)
    with pytest.raises(InvalidValueError) as info:
        apply_erasure(plan, changed, key=KEY, at=AT)
    assert info.value.field == "records[1]"
    with pytest.raises(InvalidValueError) as info:
        apply_erasure(plan, RECORDS[:2], key=KEY, at=AT)
    assert info.value.field == "records"
    with pytest.raises(InvalidValueError) as info:
        apply_erasure("plan", RECORDS, key=KEY, at=AT)  # type: ignore[arg-type]
    assert info.value.field == "plan"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"key": "a text key that is long enough, thirty-two+"}, "key"),
        ({"key": b"short"}, "key"),
        ({"key": b"\x00" * 32}, "key"),
        ({"at": dt.datetime(2026, 3, 2)}, "at"),
        ({"at": "2026-03-02"}, "at"),
    ],
)
def test_apply_refuses_bad_arguments_naming_them(kwargs: dict[str, object], field: str) -> None:
    plan = plan_erasure(RECORDS, SUBJECT)
    arguments: dict[str, object] = {"key": KEY, "at": AT, **kwargs}
    with pytest.raises(InvalidValueError) as info:
        apply_erasure(plan, RECORDS, **arguments)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        ((RECORDS, "ada@example.org"), {}, "subject"),
        ((RECORDS, DataSubject()), {}, "subject"),
        (((ADA, {"id": "x"}), SUBJECT), {}, "records[1]"),
        (("records", SUBJECT), {}, "records"),
        ((RECORDS, SUBJECT), {"holds": ("litigation",)}, "holds[0]"),
        ((RECORDS, SUBJECT), {"record_ids": "c-ada"}, "record_ids"),
        ((RECORDS, SUBJECT), {"schemas": ("schema",)}, "schemas[0]"),
        (
            (RECORDS, SUBJECT),
            {"request": PrivacyRequest(id="R", kind="access", regime="gdpr", received=RECEIVED)},
            "request",
        ),
    ],
)
def test_plan_refuses_bad_arguments_naming_them(
    args: tuple[object, ...], kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValueError) as info:
        plan_erasure(*args, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert "ada" not in str(info.value).lower()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "x"}, "record_id"),
        ({"reason": " ", "path": "identity.name"}, "reason"),
        ({"reason": "x", "path": "identity.Name!"}, "path"),
        ({"reason": "x", "record_id": 3}, "record_id"),
    ],
)
def test_holds_refuse_bad_parts(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Hold(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_a_hold_on_a_facet_covers_its_fields() -> None:
    hold = Hold(path="qualitative", reason="kept")
    assert hold.covers("c-1", "qualitative.notes")
    assert not hold.covers("c-1", "quantitative.nps")
    assert not Hold(record_id="c-2", reason="kept").covers("c-1", "identity.name")


OTHER_TEXT = st.builds(
    lambda first, middle, last: first + middle + last,
    st.sampled_from("bfghjkmnpqrstuwxyz"),
    st.text(alphabet="bfghjkmnpqrstuwxyzBFGHJKMNPQRSTUWXYZßøñ—“”…!?;:- \n", max_size=20),
    st.sampled_from("bfghjkmnpqrstuwxyz"),
)
PLANTED = st.sampled_from(
    [
        "ada.lovelace@example.org",
        "ADA.Lovelace@EXAMPLE.org",
        "020 7946 0958",
        "+44 (0)20 7946 0958",
        "Ada Lovelace",
        "Lovelace,\nAda",
        "LOVELACE",
        "Ａｄａ Ｌｏｖｅｌａｃｅ",
    ]
)
NOTE = st.lists(st.tuples(OTHER_TEXT, st.none() | PLANTED), min_size=1, max_size=6).map(
    lambda parts: " ".join(f"{other} {planted}" if planted else other for other, planted in parts)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(NOTE, min_size=1, max_size=4), st.lists(OTHER_TEXT, min_size=1, max_size=3))
def test_nothing_planted_is_left_and_others_notes_stay(
    planted: list[str], others: list[str]
) -> None:
    """GDPR Art. 17(1): no email, phone or name of the subject is left after erasure."""
    carrier = Contact(
        "c-x",
        ContactIdentity(phones=(PhoneNumber("020 7946 0001", region="GB"),)),
        qualitative=ContactQualitative(notes=tuple(Note(text) for text in planted)),
    )
    bystander = Contact(
        "c-y", qualitative=ContactQualitative(notes=tuple(Note(text) for text in others))
    )
    _, result = erase((ADA, carrier, bystander))
    assert result.records[2] is bystander
    texts = " ".join(note.text for note in result.records[1].qualitative.notes)
    left = unicodedata.normalize("NFKC", texts).casefold()
    assert "lovelace" not in left
    assert "7946 0958" not in left
    assert "79460958" not in left


def test_errors_are_crm_errors() -> None:
    assert issubclass(InvalidValueError, CRMError)
    assert ErasureAudit.__name__ == "ErasureAudit"


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.binary(max_size=40),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    st.just(ADA),
    st.just(SUBJECT),
    st.datetimes(),
)


@settings(max_examples=150, deadline=None)
@given(ANYTHING, ANYTHING, ANYTHING, ANYTHING, ANYTHING)
def test_plan_fuzzed_raises_only_crm_errors(
    records: object, subject: object, holds: object, ids: object, schemas: object
) -> None:
    """Bad input gets a CRMError naming the argument, never a crash deep inside."""
    with contextlib.suppress(CRMError):
        plan_erasure(records, subject, holds=holds, record_ids=ids, schemas=schemas)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(ANYTHING, ANYTHING, ANYTHING, ANYTHING)
def test_apply_fuzzed_raises_only_crm_errors(
    plan: object, records: object, key: object, at: object
) -> None:
    real = plan_erasure(RECORDS, SUBJECT)
    for chosen in (plan, real):
        with contextlib.suppress(CRMError):
            apply_erasure(chosen, records, key=key, at=at)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(ANYTHING, ANYTHING, ANYTHING, ANYTHING, ANYTHING)
def test_subject_fuzzed_raises_only_crm_errors(
    names: object, emails: object, phones: object, birth: object, known: object
) -> None:
    with contextlib.suppress(CRMError):
        DataSubject(
            names=names,  # type: ignore[arg-type]
            emails=emails,  # type: ignore[arg-type]
            phones=phones,  # type: ignore[arg-type]
            birth_date=birth,  # type: ignore[arg-type]
            known_names=known,  # type: ignore[arg-type]
        )
