"""export_subject: a subject's data by record and category, JSON-safe and as CSV rows."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import (
    Activity,
    ActivityIdentity,
    ActivityQualitative,
    Category,
    CommunicationPreferences,
    Contact,
    ContactDescriptive,
    ContactIdentity,
    ContactQuantitative,
    Converter,
    CustomFieldSpec,
    CustomSchema,
    EmailAddress,
    Money,
    PersonName,
    PhoneNumber,
    PrivacyCategory,
    from_dict,
)
from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy import (
    EXPORT_COLUMNS,
    EXPORT_FORMAT,
    AccessInfo,
    DataSubject,
    export_subject,
    find_subject,
)
from crmcore.privacy._access_paths import slots
from crmcore.testing import strategies as crm_st

EMAIL = "ada.lovelace@example.org"
PHONE = "+442079460958"
BORN = date(1815, 12, 10)
T0 = datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)
SUBJECT = DataSubject(emails=(EMAIL,), birth_date=BORN)
INFO = AccessInfo(
    purposes=("customer support", "billing"),
    recipients=("payment processor",),
    retention="24 months after the last order",
    automated_decisions="none",
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ada(**facets: Any) -> Contact:
    identity = ContactIdentity(
        name=PersonName(given="Ada", family="Lovelace"),
        emails=(EmailAddress(EMAIL, source="form", collected_at=T0),),
        phones=(PhoneNumber(PHONE),),
        birth_date=BORN,
    )
    return Contact("c-1", identity, source="import", created_at=T0, **facets)


# AccessInfo, Art. 15(1)


def test_access_info_holds_the_art_15_1_answers_as_given() -> None:
    """GDPR Art. 15(1)(a), (c), (d), (g), (h) and 15(2): the caller's texts, kept in order."""
    info = AccessInfo(
        purposes=["support"],
        recipients=[],
        retention="2 years",
        automated_decisions="none",
        source="a partner's referral list",
        rights="You may ask us to correct or erase your data, or complain to the ICO.",
        transfers=["Standard contractual clauses (US)"],
    )
    assert info.purposes == ("support",)
    assert info.to_dict() == {
        "purposes": ["support"],
        "recipients": [],
        "retention": "2 years",
        "automated_decisions": "none",
        "source": "a partner's referral list",
        "rights": "You may ask us to correct or erase your data, or complain to the ICO.",
        "transfers": ["Standard contractual clauses (US)"],
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"purposes": ()}, "purposes"),
        ({"purposes": "support"}, "purposes"),
        ({"purposes": ["ok", " "]}, "purposes[1]"),
        ({"recipients": [3]}, "recipients[0]"),
        ({"retention": ""}, "retention"),
        ({"retention": None}, "retention"),
        ({"automated_decisions": "x" * 10_001}, "automated_decisions"),
        ({"source": ""}, "source"),
        ({"rights": 5}, "rights"),
        ({"transfers": None}, "transfers"),
    ],
)
def test_access_info_refuses_missing_or_bad_texts_naming_them(
    changes: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {
        "purposes": ("support",),
        "recipients": (),
        "retention": "2 years",
        "automated_decisions": "none",
        **changes,
    }
    with pytest.raises(InvalidValueError) as caught:
        AccessInfo(**values)
    assert caught.value.field == field


# The export


def test_fields_are_grouped_by_category_with_their_privacy_category() -> None:
    """GDPR Art. 15(1)(b) and 15(3): the data, and the categories of personal data concerned."""
    record = ada(quantitative=ContactQuantitative(total_spent=Money("19.90", "EUR")))
    export = export_subject([record], SUBJECT, info=INFO)
    data = export.to_dict()["records"][0]["data"]
    assert list(data) == ["identity", "descriptive", "quantitative"]  # source: descriptive
    assert data["identity"]["identity.birth_date"] == {
        "privacy": "birth_date",
        "personal": True,
        "value": "1815-12-10",
    }
    assert data["quantitative"]["quantitative.total_spent"]["value"] == {
        "amount": "19.90",
        "currency": "EUR",
    }
    assert export.categories == (
        PrivacyCategory.BIRTH_DATE,
        PrivacyCategory.CONTACT_EMAIL,
        PrivacyCategory.CONTACT_PHONE,
        PrivacyCategory.FINANCIAL,
        PrivacyCategory.NAME,
    )
    info = export.to_dict()["information"]
    assert info["categories"] == [
        "birth_date",
        "contact_email",
        "contact_phone",
        "financial",
        "name",
    ]
    assert info["purposes"] == ["customer support", "billing"]


def test_empty_fields_are_left_out() -> None:
    record = ada(descriptive=ContactDescriptive(communication=CommunicationPreferences()))
    paths = [f.path for f in export_subject([record], SUBJECT, info=INFO).records[0].fields]
    assert "descriptive.communication" not in paths
    assert "identity.addresses" not in paths
    assert "quarantine" not in paths
    with_opt_out = ada(
        descriptive=ContactDescriptive(communication=CommunicationPreferences(email_opt_in=False))
    )
    paths = [f.path for f in export_subject([with_opt_out], SUBJECT, info=INFO).records[0].fields]
    assert "descriptive.communication" in paths


def test_custom_fields_take_their_metadata_from_the_converters_schema() -> None:
    schema = CustomSchema(
        Contact,
        (
            CustomFieldSpec("tier", "string", Category.DESCRIPTIVE),
            CustomFieldSpec(
                "allergy", "string", Category.QUALITATIVE, personal=True, privacy="health"
            ),
        ),
    )
    record = ada(
        descriptive=ContactDescriptive(custom={"tier": "gold", "nickname": "Countess"}),
    )
    record = attrs.evolve(
        record, qualitative=attrs.evolve(record.qualitative, custom={"allergy": "nuts"})
    )
    export = export_subject([record], SUBJECT, info=INFO, converter=Converter(schemas=schema))
    fields = {f.path: f for f in export.records[0].fields}
    assert fields["descriptive.custom.tier"].personal is False
    assert fields["qualitative.custom.allergy"].privacy is PrivacyCategory.HEALTH
    undeclared = fields["descriptive.custom.nickname"]
    assert (undeclared.personal, undeclared.privacy) == (True, PrivacyCategory.FREE_TEXT)


def test_provenance_answers_the_source_of_the_data() -> None:
    """GDPR Art. 15(1)(g): where the data came from, for the record and each contact point."""
    export = export_subject([ada()], SUBJECT, info=INFO)
    provenance = export.to_dict()["records"][0]["provenance"]
    assert provenance == [
        {"path": None, "source": "import", "collected_at": T0.isoformat(), "verified_at": None},
        {
            "path": "identity.emails[0]",
            "source": "form",
            "collected_at": T0.isoformat(),
            "verified_at": None,
        },
    ]
    assert export.sources == ("form", "import")
    assert export.to_dict()["information"]["sources"] == ["form", "import"]


def test_linked_records_are_exported_and_doubtful_ones_left_out() -> None:
    call = Activity(
        "x-1",
        ActivityIdentity(contact_refs=("c-1",)),
        qualitative=ActivityQualitative(content="Asked about her invoice."),
    )
    namesake = Contact(
        "c-2", ContactIdentity(name=PersonName(given="Ada", family="Lovelace"), birth_date=BORN)
    )
    subject = DataSubject(names=("Ada Lovelace",), emails=(EMAIL,), birth_date=BORN)
    export = export_subject([namesake, call, ada()], subject, info=INFO)
    assert [(r.record_type, r.id, r.confidence.value) for r in export.records] == [
        ("Activity", "x-1", "linked"),
        ("Contact", "c-1", "strong"),
    ]
    assert export.left_for_review == 1
    assert "c-2" not in json.dumps(export.to_dict())


def test_a_person_may_confirm_a_doubtful_match_into_the_export() -> None:
    namesake = Contact(
        "c-2", ContactIdentity(name=PersonName(given="Ada", family="Lovelace"), birth_date=BORN)
    )
    subject = DataSubject(names=("Ada Lovelace",), emails=(EMAIL,), birth_date=BORN)
    records = [namesake, ada()]
    review = find_subject(records, subject).review
    export = export_subject(records, subject, info=INFO, confirmed=review + review)
    assert [r.id for r in export.records] == ["c-1", "c-2"]
    assert export.left_for_review == 0


@pytest.mark.parametrize("confirmed", [None, "c-2", [object()], [None]])
def test_confirming_anything_but_a_match_in_review_is_refused(confirmed: Any) -> None:
    with pytest.raises(InvalidValueError) as caught:
        export_subject([ada()], SUBJECT, info=INFO, confirmed=confirmed)
    assert caught.value.field in ("confirmed", "confirmed[0]")


def test_a_found_match_is_not_a_confirmation() -> None:
    found = find_subject([ada()], SUBJECT).found
    with pytest.raises(InvalidValueError, match="review"):
        export_subject([ada()], SUBJECT, info=INFO, confirmed=found)


def test_rows_are_flat_path_value_pairs_under_the_header() -> None:
    rows = export_subject([ada()], SUBJECT, info=INFO).rows()
    assert rows[0] == EXPORT_COLUMNS
    assert all(len(row) == len(EXPORT_COLUMNS) for row in rows)
    assert all(isinstance(cell, str) for row in rows for cell in row)
    by_path = {row[4]: row for row in rows[1:]}
    assert by_path["identity.emails[0].address"][3:] == (
        "contact_email",
        "identity.emails[0].address",
        EMAIL,
    )
    assert by_path["identity.name.family"][5] == "Lovelace"
    assert by_path["identity.emails[0].primary"][5] == "false"
    assert "identity.emails[0].label" not in by_path  # empty values have no row


def test_the_export_is_the_same_whatever_the_input_order() -> None:
    records: list[Any] = [
        ada(),
        Activity("x-2", ActivityIdentity(contact_refs=("c-1",))),
        Activity("x-1", ActivityIdentity(contact_refs=("c-1",))),
        Contact("c-9"),
    ]
    expected = export_subject(records, SUBJECT, info=INFO)
    for seed in range(4):
        random.Random(seed).shuffle(records)
        again = export_subject(records, SUBJECT, info=INFO)
        assert again.to_dict() == expected.to_dict()
        assert again.rows() == expected.rows()


def test_reprs_hide_every_exported_value() -> None:
    shown = repr(export_subject([ada()], SUBJECT, info=INFO))
    for secret in (EMAIL, PHONE, "Lovelace", "1815"):
        assert secret not in shown


def test_a_converter_that_writes_what_json_cannot_hold_is_refused_naming_the_path() -> None:
    converter = Converter()
    converter.register_unstructure_hook(Money, lambda money: {"amount": money.amount})
    record = ada(quantitative=ContactQuantitative(total_spent=Money("19.90", "EUR")))
    with pytest.raises(InvalidValueError) as caught:
        export_subject([record], SUBJECT, info=INFO, converter=converter)
    assert caught.value.field == "quantitative.total_spent"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"info": None}, "info"),
        ({"info": INFO.to_dict()}, "info"),
        ({"info": INFO, "converter": "default"}, "converter"),
    ],
)
def test_bad_arguments_are_refused_naming_them(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        export_subject([ada()], SUBJECT, **kwargs)
    assert caught.value.field == field


def test_export_format_is_named() -> None:
    assert export_subject([ada()], SUBJECT, info=INFO).to_dict()["format"] == EXPORT_FORMAT


# Properties


def _nest(fields: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for path, entry in fields.items():
        node = nested
        *heads, last = path.split(".")
        for head in heads:
            node = node.setdefault(head, {})
        node[last] = entry["value"]
    return nested


def _plant(record: Contact, email: EmailAddress) -> Contact:
    identity = attrs.evolve(record.identity, emails=(*record.identity.emails, email))
    return attrs.evolve(record, identity=identity)


@SETTINGS
@given(
    holders=st.lists(crm_st.contacts(), min_size=1, max_size=3),
    others=st.lists(crm_st.records(), max_size=3),
    email=crm_st.emails(),
)
def test_export_is_json_safe_and_has_no_field_the_records_lack(
    holders: list[Contact], others: list[Any], email: EmailAddress
) -> None:
    """GDPR Art. 15(3) and 20(1): a machine-readable copy of the data, and nothing else."""
    records = [*others, *(_plant(record, email) for record in holders)]
    export = export_subject(records, DataSubject(emails=(email,)), info=INFO)
    data = export.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    by_key = {(type(r).__name__, r.id): r for r in records}
    for exported in export.records:
        record = by_key[(exported.record_type, exported.id)]
        known = {slot.path for slot in slots(record, None)}
        for item in exported.fields:
            assert item.path in known
            assert item.value not in (None, [], {})


@SETTINGS
@given(record=crm_st.contacts(), email=crm_st.emails())
def test_the_json_form_gives_the_record_back(record: Contact, email: EmailAddress) -> None:
    """GDPR Art. 20(1): the portable copy loses nothing; crmcore reads it back as it was."""
    record = _plant(record, email)
    subject = DataSubject(emails=(email,))
    exported = export_subject([record], subject, info=INFO).to_dict()["records"]
    assert len(exported) in (0, 1)  # a contradicting birth date cannot arise: none given
    fields = {p: e for group in exported[0]["data"].values() for p, e in group.items()}
    assert from_dict(Contact, _nest(fields)) == record


@SETTINGS
@given(st.one_of(st.none(), st.integers(), st.text(max_size=5), st.just(EMAIL)))
def test_arbitrary_arguments_give_a_crm_error_without_the_value(value: Any) -> None:
    for call in (
        lambda: export_subject(value, SUBJECT, info=INFO),
        lambda: export_subject([ada()], value, info=INFO),
        lambda: export_subject([ada()], SUBJECT, info=value),
        lambda: export_subject([ada()], SUBJECT, info=INFO, confirmed=value),
    ):
        with pytest.raises(CRMError) as caught:
            call()
        assert EMAIL not in str(caught.value)
