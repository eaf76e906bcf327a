"""Custom-field declarations take enum values as text and check what they are given."""

from __future__ import annotations

from typing import Any

import pytest

from crmcore import (
    Category,
    Contact,
    CustomFields,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    InvalidValueError,
    PrivacyCategory,
)


def test_a_custom_field_spec_takes_its_enums_as_their_values() -> None:
    spec = CustomFieldSpec(
        "shoe_size", "decimal", "descriptive", personal=True, privacy="demographic"
    )
    assert spec == CustomFieldSpec(
        "shoe_size",
        CustomType.DECIMAL,
        Category.DESCRIPTIVE,
        personal=True,
        privacy=PrivacyCategory.DEMOGRAPHIC,
    )


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"type": "int"}, "type"),
        ({"category": "Identity"}, "category"),
        ({"privacy": "secret"}, "privacy"),
        ({"personal": "yes"}, "personal"),
        ({"type": Category.IDENTITY}, "type"),
    ],
)
def test_a_custom_field_spec_refuses_unknown_values_naming_the_argument(
    arguments: dict[str, Any], field: str
) -> None:
    given = {"name": "tier", "type": "string", "category": "descriptive", **arguments}
    with pytest.raises(InvalidValueError) as caught:
        CustomFieldSpec(**given)
    assert caught.value.field == field


def test_a_custom_schema_takes_a_list_or_one_spec_and_refuses_a_type_name() -> None:
    spec = CustomFieldSpec("tier", "string", "descriptive")
    assert CustomSchema(Contact, [spec]).fields == (spec,)
    assert CustomSchema(Contact, spec).fields == (spec,)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="record type"):
        CustomSchema("Contact", (spec,))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="CustomFieldSpec"):
        CustomSchema(Contact, ("tier",))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="CustomFieldSpec"):
        CustomSchema(Contact, "tier")  # type: ignore[arg-type]


def test_custom_values_given_as_lists_are_stored_as_tuples() -> None:
    values = CustomFields({"tags": ["a", "b"]})
    assert values["tags"] == ("a", "b")
    hash(values)


@pytest.mark.parametrize("items", [5, "tier", [("tier",)], None])
def test_custom_fields_refuse_what_is_not_a_mapping_with_an_invalid_value_error(
    items: Any,
) -> None:
    with pytest.raises(InvalidValueError, match="mapping"):
        CustomFields(items)
