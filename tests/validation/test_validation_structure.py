"""Built-in structure rules: primaries, duplicates, required and custom fields, pipelines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

import attrs
import pytest

from crmcore import (
    Category,
    Contact,
    ContactDescriptive,
    CRMError,
    CustomFields,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Deal,
    EmailAddress,
    PersonName,
    PhoneNumber,
    PostalAddress,
    QuarantinedValue,
)
from crmcore.validation import (
    Context,
    Pipelines,
    RuleSet,
    default_ruleset,
    required_fields,
    validate,
)

Codes = Callable[..., list[tuple[str, str]]]
AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)


def test_one_contact_point_of_a_kind_needs_no_primary_flag(contact: Any, codes: Codes) -> None:
    assert codes(contact(emails=(EmailAddress("ada@example.org"),))) == []


def test_several_without_a_primary(contact: Any, codes: Codes) -> None:
    emails = (EmailAddress("ada@example.org"), EmailAddress("ada@example.com"))
    assert codes(contact(emails=emails)) == [("identity.emails", "contact_point.no_primary")]


def test_several_primaries(contact: Any, codes: Codes) -> None:
    phones = (
        PhoneNumber("+33 1 42 68 53 00", primary=True),
        PhoneNumber("+33 6 12 34 56 78", primary=True),
    )
    assert codes(contact(phones=phones)) == [("identity.phones", "contact_point.many_primaries")]


def test_the_same_email_twice_whatever_the_case(contact: Any, codes: Codes) -> None:
    emails = (
        EmailAddress("ada@example.org", primary=True),
        EmailAddress("Other@example.org"),
        EmailAddress("ADA@Example.org"),
    )
    found = codes(contact(emails=emails))
    assert ("identity.emails[2]", "contact_point.duplicate") in found
    assert ("identity.emails[1]", "contact_point.duplicate") not in found


def test_the_same_phone_twice_in_different_writings(contact: Any, ctx: Context) -> None:
    phones = (
        PhoneNumber("01 42 68 53 00", region="FR", primary=True),
        PhoneNumber("+33 1 42 68 53 00"),
    )
    report = validate(contact(phones=phones), _only_structure(), ctx)
    assert [(i.path, i.code, i.message) for i in report.issues] == [
        (
            "identity.phones[1]",
            "contact_point.duplicate",
            "the same phone number as identity.phones[0]",
        )
    ]


def test_the_same_address_twice_whatever_the_spacing(contact: Any, codes: Codes) -> None:
    addresses = (
        PostalAddress(
            lines=("10 rue de Rivoli",),
            locality="Paris",
            postal_code="75004",
            country="FR",
            primary=True,
        ),
        PostalAddress(
            lines=("10  Rue de Rivoli ",), locality="PARIS", postal_code=" 75004", country="FR"
        ),
    )
    assert codes(contact(addresses=addresses)) == [
        ("identity.addresses[1]", "contact_point.duplicate")
    ]


def _only_structure() -> RuleSet:
    from crmcore.validation import default_ruleset

    rules = default_ruleset()
    for name in [rule.name for rule in rules.rules if rule.name != "crmcore.contact_points"]:
        rules.remove_rule(name)
    return rules


def test_required_fields_report_every_empty_one(contact: Any, ctx: Context) -> None:
    validator = required_fields(
        Contact,
        "identity.emails",
        "identity.name",
        "identity.name.family",
        "identity.birth_date",
        "descriptive.custom.tier",
        "descriptive.communication",
        "source",
    )
    record = contact(emails=(), name=PersonName(), birth_date=date(1990, 1, 1))
    assert [issue.path for issue in validator(record, ctx)] == [
        "identity.emails",
        "identity.name",
        "identity.name.family",
        "descriptive.custom.tier",
        "descriptive.communication",
        "source",
    ]
    issue = next(iter(validator(record, ctx)))
    assert (issue.code, issue.category) == ("field.required", Category.IDENTITY)


def test_false_and_zero_are_values(ctx: Context) -> None:
    record = Contact(
        "c-1",
        descriptive=ContactDescriptive(custom=CustomFields({"opted": False, "seats": 0})),
    )
    validator = required_fields(Contact, "descriptive.custom.opted", "descriptive.custom.seats")
    assert list(validator(record, ctx)) == []


@pytest.mark.parametrize(
    "path",
    [
        "identity.nickname",
        "identity.emails.address",
        "identity.birth_date.year",
        "x",
        "",
        "descriptive.custom.A",
        "descriptive.custom.a.b",
    ],
)
def test_required_paths_must_exist(path: str) -> None:
    with pytest.raises(CRMError):
        required_fields(Contact, path)


SCHEMA = CustomSchema(
    Contact,
    (
        CustomFieldSpec("tier", CustomType.STRING, Category.DESCRIPTIVE),
        CustomFieldSpec("seats", CustomType.INTEGER, Category.QUANTITATIVE),
    ),
)


def test_custom_fields_against_the_context_s_schema(codes: Codes) -> None:
    record = Contact(
        "c-1",
        descriptive=ContactDescriptive(
            custom=CustomFields({"tier": 3, "seats": 4, "colour": "blue"})
        ),
    )
    ctx = Context(AS_OF, schemas=[SCHEMA])
    assert codes(record, context=ctx) == [
        ("descriptive.custom.colour", "custom.undeclared"),
        ("descriptive.custom.seats", "custom.wrong_category"),
        ("descriptive.custom.tier", "custom.type_mismatch"),
    ]
    assert codes(record) == []


def test_a_custom_key_that_may_be_personal_is_named_by_its_position(codes: Codes) -> None:
    """A key with a long run of digits (a phone number kept as a key) never reaches a path."""
    record = Contact(
        "c-1",
        descriptive=ContactDescriptive(
            custom=CustomFields({"tel_0612345678": "x", "colour": "blue"})
        ),
    )
    found = codes(record, context=Context(AS_OF, schemas=[SCHEMA]))
    assert found == [
        ("descriptive.custom.<key 1>", "custom.undeclared"),
        ("descriptive.custom.colour", "custom.undeclared"),
    ]
    report = validate(record, default_ruleset(), Context(AS_OF, schemas=[SCHEMA]))
    assert "0612345678" not in repr(report)


def test_custom_values_of_their_declared_type_pass(codes: Codes) -> None:
    record = Contact("c-1", descriptive=ContactDescriptive(custom=CustomFields({"tier": "gold"})))
    assert codes(record, context=Context(AS_OF, schemas=[SCHEMA])) == []


PIPELINES = Pipelines({"sales": ["lead", "proposal", "won"], "renewals": ["due"]})


def test_a_stage_of_another_pipeline(deal: Any, codes: Codes) -> None:
    ctx = Context(AS_OF, pipelines=PIPELINES)
    assert codes(deal(stage="due"), context=ctx) == [
        ("descriptive.stage", "deal.stage_not_in_pipeline")
    ]
    assert codes(deal(), context=ctx) == []
    assert codes(deal(stage="due")) == []


def test_an_unknown_pipeline(deal: Any, codes: Codes) -> None:
    ctx = Context(AS_OF, pipelines=PIPELINES)
    assert codes(deal(pipeline="enterprise"), context=ctx) == [
        ("descriptive.pipeline", "deal.pipeline_unknown")
    ]


def test_a_deal_without_pipeline_uses_the_default(deal: Any, codes: Codes) -> None:
    ctx = Context(AS_OF, pipelines=attrs.evolve(PIPELINES, default="renewals"))
    assert codes(deal(pipeline=None, stage="due"), context=ctx) == []
    assert codes(deal(pipeline=None, stage="lead"), context=ctx) == [
        ("descriptive.stage", "deal.stage_not_in_pipeline")
    ]


def test_quarantined_values_are_reported_by_entry(codes: Codes) -> None:
    kept = QuarantinedValue("identity.phones[1]", "??", "phone.unreadable", "not a phone")
    record = Deal("d-1", quarantine=(kept, kept))
    assert codes(record) == [
        ("quarantine[0]", "record.quarantined"),
        ("quarantine[1]", "record.quarantined"),
    ]
