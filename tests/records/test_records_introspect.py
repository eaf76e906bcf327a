"""Introspection takes a category as the enum or its value, and refuses anything else."""

from __future__ import annotations

from typing import Any

import pytest

from crmcore import Category, Contact, CustomFieldSpec, CustomSchema, InvalidValueError, fields


@pytest.mark.parametrize("category", list(Category), ids=lambda c: c.value)
def test_a_category_given_by_its_value_lists_the_same_fields_as_the_enum(
    category: Category,
) -> None:
    listed = fields(Contact, category.value)
    assert listed == fields(Contact, category)
    assert listed
    assert {spec.category for spec in listed} == {category}


@pytest.mark.parametrize("category", ["Identity", "IDENTITY", " identity "])
def test_a_category_is_read_in_any_case_as_everywhere_in_crmcore(category: str) -> None:
    assert fields(Contact, category) == fields(Contact, Category.IDENTITY)


@pytest.mark.parametrize("category", ["personal", "identities", "", 1, None.__class__])
def test_an_unknown_category_is_refused_rather_than_matching_nothing(category: Any) -> None:
    with pytest.raises(InvalidValueError, match="identity, descriptive") as caught:
        fields(Contact, category)
    assert caught.value.field == "category"


def test_a_schema_that_is_not_a_custom_schema_is_refused() -> None:
    spec = CustomFieldSpec("tier", "string", "descriptive")
    with pytest.raises(InvalidValueError, match="CustomSchema"):
        fields(Contact, schema=spec)  # type: ignore[arg-type]
    schema = CustomSchema(Contact, [spec])
    assert "descriptive.custom.tier" in {
        s.path for s in fields(Contact, "descriptive", schema=schema)
    }
