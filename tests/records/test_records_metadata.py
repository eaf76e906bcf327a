"""Every field of every type is categorised, and introspection reads that metadata."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

import crmcore
from crmcore import (
    Account,
    Activity,
    Category,
    Contact,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Deal,
    PrivacyCategory,
    fields,
    personal_fields,
)
from crmcore.records import RECORD_TYPES
from crmcore.records._meta import field_info


def _attrs_classes_reachable(cls: type[Any], seen: set[type[Any]]) -> None:
    if cls in seen or not attrs.has(cls):
        return
    seen.add(cls)
    for attribute in attrs.fields(attrs.resolve_types(cls)):
        for kind in (attribute.type, *getattr(attribute.type, "__args__", ())):
            for inner in (kind, *getattr(kind, "__args__", ())):
                if isinstance(inner, type):
                    _attrs_classes_reachable(inner, seen)


def _all_classes() -> list[type[Any]]:
    seen: set[type[Any]] = set()
    for record_type in RECORD_TYPES:
        _attrs_classes_reachable(record_type, seen)
    return sorted(seen, key=lambda cls: cls.__name__)


@pytest.mark.parametrize("cls", _all_classes(), ids=lambda cls: cls.__name__)
def test_every_attribute_of_every_reachable_class_has_metadata(cls: type[Any]) -> None:
    missing = [a.name for a in attrs.fields(cls) if field_info(a) is None]
    assert missing == []


def test_reachable_classes_include_facets_and_value_objects() -> None:
    names = {cls.__name__ for cls in _all_classes()}
    assert {"ContactIdentity", "EmailAddress", "PhoneNumber", "Money", "Note"} <= names


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda cls: cls.__name__)
def test_every_field_of_every_record_type_has_one_of_the_four_categories(
    record_type: type[Any],
) -> None:
    specs = fields(record_type)
    assert specs, "no fields found"
    assert all(isinstance(spec.category, Category) for spec in specs)
    by_category = {spec.category for spec in specs}
    assert by_category == set(Category), "each record type uses all four categories"


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda cls: cls.__name__)
def test_facet_fields_take_the_category_of_their_facet(record_type: type[Any]) -> None:
    for spec in fields(record_type):
        head = spec.path.split(".")[0]
        if head in {category.value for category in Category}:
            assert spec.category.value == head, spec.path


def test_fields_filters_by_category() -> None:
    quantitative = fields(Contact, Category.QUANTITATIVE)
    assert {spec.path for spec in quantitative} >= {
        "quantitative.email_clicks",
        "quantitative.total_spent",
        "quantitative.social",
        "quantitative.nps",
    }
    assert all(spec.category is Category.QUANTITATIVE for spec in quantitative)


def test_identity_of_a_contact_holds_what_identifies_a_person() -> None:
    paths = {spec.path for spec in fields(Contact, Category.IDENTITY)}
    assert {
        "id",
        "identity.name",
        "identity.emails",
        "identity.phones",
        "identity.addresses",
        "identity.birth_date",
        "identity.organisation",
        "identity.account_number",
        "identity.external_ids",
    } <= paths


def test_personal_fields_of_a_contact_include_contact_points_and_exclude_counts_of_nothing() -> (
    None
):
    personal = {spec.path: spec.privacy for spec in personal_fields(Contact)}
    assert personal["identity.emails"] is PrivacyCategory.CONTACT_EMAIL
    assert personal["identity.birth_date"] is PrivacyCategory.BIRTH_DATE
    assert "descriptive.lifecycle_stage" not in personal
    assert "id" not in personal


def test_personal_fields_always_have_a_privacy_category() -> None:
    for record_type in RECORD_TYPES:
        for spec in personal_fields(record_type):
            assert spec.privacy is not PrivacyCategory.NONE, spec.path


def test_account_identity_is_not_personal_but_its_notes_are() -> None:
    personal = {spec.path for spec in personal_fields(Account)}
    assert "identity.name" not in personal
    assert "qualitative.notes" in personal


def test_custom_fields_from_a_schema_are_listed_with_their_category() -> None:
    schema = CustomSchema(
        Deal,
        (
            CustomFieldSpec("region_code", CustomType.STRING, Category.DESCRIPTIVE),
            CustomFieldSpec(
                "champion_email",
                CustomType.STRING,
                Category.IDENTITY,
                personal=True,
                privacy=PrivacyCategory.CONTACT_EMAIL,
            ),
        ),
    )
    specs = {spec.path: spec for spec in fields(Deal, schema=schema)}
    assert specs["descriptive.custom.region_code"].category is Category.DESCRIPTIVE
    assert specs["identity.custom.champion_email"].custom
    assert "identity.custom.champion_email" in {
        s.path for s in personal_fields(Deal, schema=schema)
    }


def test_fields_refuses_a_schema_of_another_record_type() -> None:
    schema = CustomSchema(Activity, ())
    with pytest.raises(TypeError):
        fields(Contact, schema=schema)


def test_public_api_exports_what_it_lists() -> None:
    for name in crmcore.__all__:
        assert hasattr(crmcore, name), name


def test_fields_of_something_that_is_not_a_record_type_is_a_type_error() -> None:
    from crmcore import PostalAddress

    with pytest.raises(TypeError, match="record type"):
        fields(PostalAddress)
    with pytest.raises(TypeError, match="record type"):
        fields(int)
