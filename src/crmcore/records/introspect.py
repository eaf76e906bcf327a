"""Ask a record type about its fields: category, personal status, privacy category."""

from __future__ import annotations

from typing import Any

import attrs

from crmcore.errors import InvalidValueError
from crmcore.records._meta import (
    Category,
    FieldInfo,
    PrivacyCategory,
    field_info,
    read_category,
)
from crmcore.records.custom import CustomSchema

__all__ = ["FieldSpec", "fields", "personal_fields"]


@attrs.frozen
class FieldSpec:
    """One field of a record type, as crmcore categorises it.

    ``path`` is dotted from the record (``identity.emails``); ``type`` is the annotation.
    """

    path: str
    category: Category
    personal: bool
    privacy: PrivacyCategory
    doc: str
    type: Any
    custom: bool = False
    combine: str | None = None


def _info(cls: type[Any], attribute: attrs.Attribute[Any]) -> FieldInfo:
    info = field_info(attribute)
    if info is None:
        raise TypeError(f"{cls.__name__}.{attribute.name} has no crmcore metadata")
    return info


def _walk(record_type: type[Any], schema: CustomSchema | None) -> list[FieldSpec]:
    if not (isinstance(record_type, type) and attrs.has(record_type)):
        raise TypeError("fields() takes a record type")
    specs: list[FieldSpec] = []
    hints = attrs.resolve_types(record_type)
    for attribute in attrs.fields(hints):
        info = _info(record_type, attribute)
        if info.category is None:
            raise TypeError(f"{record_type.__name__} is not a record type")
        if not info.is_facet:
            specs.append(
                FieldSpec(
                    attribute.name,
                    info.category,
                    info.personal,
                    info.privacy,
                    info.doc,
                    attribute.type,
                )
            )
            continue
        facet_type = attrs.resolve_types(attribute.type)
        for inner in attrs.fields(facet_type):
            inner_info = _info(facet_type, inner)
            if inner_info.custom:
                continue
            specs.append(
                FieldSpec(
                    f"{attribute.name}.{inner.name}",
                    info.category,
                    inner_info.personal,
                    inner_info.privacy,
                    inner_info.doc,
                    inner.type,
                    combine=inner_info.combine,
                )
            )
        if schema is not None:
            specs.extend(
                FieldSpec(
                    f"{attribute.name}.custom.{spec.name}",
                    spec.category,
                    spec.personal,
                    spec.privacy,
                    spec.doc,
                    spec.type.python_type,
                    custom=True,
                )
                for spec in schema.fields
                if spec.category is info.category
            )
    return specs


def _category(category: Category | str | None) -> Category | None:
    return None if category is None else read_category(category)


def fields(
    record_type: type[Any],
    category: Category | str | None = None,
    *,
    schema: CustomSchema | None = None,
) -> tuple[FieldSpec, ...]:
    """List the fields of ``record_type``, optionally only those of one category.

    ``category`` is a :class:`Category` or its value (``"identity"``); anything else is
    refused. With ``schema``, the custom fields it declares are listed too.

    >>> from crmcore import Contact, Category
    >>> [f.path for f in fields(Contact, Category.QUANTITATIVE)][:3]
    ['quantitative.email_opens', 'quantitative.email_clicks', 'quantitative.purchase_count']
    >>> fields(Contact, "quantitative") == fields(Contact, Category.QUANTITATIVE)
    True
    """
    wanted = _category(category)
    if schema is not None and not isinstance(schema, CustomSchema):
        raise InvalidValueError("expected a CustomSchema", field="schema")
    if schema is not None and schema.record_type is not record_type:
        raise TypeError("the schema is for another record type")
    found = _walk(record_type, schema)
    return tuple(spec for spec in found if wanted is None or spec.category is wanted)


def personal_fields(
    record_type: type[Any], *, schema: CustomSchema | None = None
) -> tuple[FieldSpec, ...]:
    """List the fields of ``record_type`` that hold personal data.

    >>> from crmcore import Contact
    >>> "identity.emails" in [f.path for f in personal_fields(Contact)]
    True
    """
    return tuple(spec for spec in fields(record_type, schema=schema) if spec.personal)
