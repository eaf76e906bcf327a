"""Records survive ``to_dict``/``from_dict`` and JSON exactly, are immutable and hashable, and
their repr never shows a personal value."""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from attrs.exceptions import FrozenInstanceError
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import (
    RECORD_TYPES,
    Account,
    Activity,
    Category,
    Contact,
    ContactDescriptive,
    Converter,
    CustomFields,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Deal,
    EmailAddress,
    Note,
    PersonName,
    PhoneNumber,
    PrivacyCategory,
    from_dict,
    to_dict,
)
from crmcore.testing import strategies as crm_st

AnyRecord = Contact | Account | Deal | Activity

STRATEGIES: dict[type[Any], Callable[..., st.SearchStrategy[Any]]] = {
    Contact: crm_st.contacts,
    Account: crm_st.accounts,
    Deal: crm_st.deals,
    Activity: crm_st.activities,
}


def one_field_of_each_type() -> tuple[CustomFieldSpec, ...]:
    """A custom field of every :class:`CustomType`, spread over the four categories."""
    return (
        CustomFieldSpec(
            "loyalty_code",
            CustomType.STRING,
            Category.IDENTITY,
            personal=True,
            privacy=PrivacyCategory.IDENTIFIER,
        ),
        CustomFieldSpec("vip", CustomType.BOOLEAN, Category.DESCRIPTIVE),
        CustomFieldSpec("renewal_on", CustomType.DATE, Category.DESCRIPTIVE),
        CustomFieldSpec("surveyed_at", CustomType.DATETIME, Category.QUALITATIVE),
        CustomFieldSpec(
            "tags",
            CustomType.STRINGS,
            Category.QUALITATIVE,
            personal=True,
            privacy=PrivacyCategory.OPINION,
        ),
        CustomFieldSpec("seats", CustomType.INTEGER, Category.QUANTITATIVE),
        CustomFieldSpec("discount_rate", CustomType.DECIMAL, Category.QUANTITATIVE),
    )


SCHEMAS = tuple(CustomSchema(kind, one_field_of_each_type()) for kind in RECORD_TYPES)
SCHEMA_OF = {schema.record_type: schema for schema in SCHEMAS}
WITH_SCHEMAS = Converter(schemas=SCHEMAS)
VERIFYING = Converter(schemas=SCHEMAS, verify=True)

by_type = pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda kind: kind.__name__)
# Records are large nested values: a first example may pay for phonenumbers' metadata and
# email-validator's IDNA tables, so a per-example deadline would only measure the machine.
RECORD_SETTINGS = settings(max_examples=60, deadline=None)


def assert_identical(got: object, expected: object, path: str = "") -> None:
    """Assert ``got == expected`` with the same type at every level and the same UTC offsets.

    Plain ``==`` is too lenient for an *exact* round trip: ``0.5 == Decimal("0.5")``,
    ``1 == True``, and two instants are equal across offsets.
    """
    assert type(got) is type(expected), f"{path}: {type(got).__name__}"
    if attrs.has(type(expected)):
        for attribute in attrs.fields(type(expected)):
            name = attribute.name
            assert_identical(getattr(got, name), getattr(expected, name), f"{path}.{name}")
    elif isinstance(expected, (tuple, CustomFields)):
        assert isinstance(got, (tuple, CustomFields))
        assert len(got) == len(expected), path
        if isinstance(expected, CustomFields):
            assert isinstance(got, CustomFields)
            assert list(got) == list(expected), path
            for name in expected:
                assert_identical(got[name], expected[name], f"{path}.{name}")
        else:
            assert isinstance(got, tuple)
            for index, (left, right) in enumerate(zip(got, expected, strict=True)):
                assert_identical(left, right, f"{path}[{index}]")
    else:
        assert got == expected, path
        if isinstance(expected, datetime):
            assert isinstance(got, datetime)
            assert got.utcoffset() == expected.utcoffset(), path
        if isinstance(expected, Decimal):
            assert str(got) == str(expected), path
    assert got == expected, path


# -- round trips ------------------------------------------------------------------------------


@by_type
@RECORD_SETTINGS
@given(data=st.data())
def test_every_record_round_trips_exactly_through_to_dict_and_through_json(
    record_type: type[AnyRecord], data: st.DataObject
) -> None:
    record = data.draw(STRATEGIES[record_type]())
    output = to_dict(record)
    assert_identical(from_dict(record_type, output), record)
    text = json.dumps(output, allow_nan=False, ensure_ascii=False)
    assert json.loads(text) == output  # nothing but JSON types: no tuple, Decimal or date
    assert_identical(from_dict(record_type, json.loads(text)), record)


@by_type
@RECORD_SETTINGS
@given(data=st.data())
def test_records_with_every_custom_type_round_trip_through_a_converter_with_schemas(
    record_type: type[AnyRecord], data: st.DataObject
) -> None:
    schema = SCHEMA_OF[record_type]
    record = data.draw(STRATEGIES[record_type](schema))
    output = WITH_SCHEMAS.to_dict(record)
    back = WITH_SCHEMAS.from_dict(record_type, json.loads(json.dumps(output, allow_nan=False)))
    assert_identical(back, record)
    assert schema.check(back) == []


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_records_round_trip_under_any_custom_schema(data: st.DataObject) -> None:
    record_type = data.draw(st.sampled_from(RECORD_TYPES))
    schema = data.draw(crm_st.custom_schemas(record_type))
    converter = Converter(schemas=(schema,))
    record = data.draw(STRATEGIES[record_type](schema))
    output = converter.to_dict(record)
    assert_identical(converter.from_dict(record_type, json.loads(json.dumps(output))), record)


@settings(max_examples=50, deadline=None)
@given(crm_st.records(schemas=SCHEMAS))
def test_reading_every_email_and_phone_again_from_its_text_gives_the_same_record(
    record: AnyRecord,
) -> None:
    assert_identical(VERIFYING.from_dict(type(record), WITH_SCHEMAS.to_dict(record)), record)


@settings(max_examples=30, deadline=None)
@given(crm_st.contact_dicts(SCHEMA_OF[Contact]))
def test_the_dict_form_is_a_fixed_point_of_from_dict_then_to_dict(output: dict[str, Any]) -> None:
    assert WITH_SCHEMAS.to_dict(WITH_SCHEMAS.from_dict(Contact, output)) == output


# -- immutability and hashing -------------------------------------------------------------------


def attrs_instances(value: object) -> Iterator[object]:
    """Every attrs instance in ``value``, itself included, depth first."""
    if attrs.has(type(value)):
        yield value
        for attribute in attrs.fields(type(value)):
            yield from attrs_instances(getattr(value, attribute.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from attrs_instances(item)


@settings(max_examples=50, deadline=None)
@given(crm_st.records(schemas=SCHEMAS))
def test_no_attribute_of_a_record_or_of_anything_in_it_can_be_set_or_deleted(
    record: AnyRecord,
) -> None:
    before = to_dict(record)
    instances = list(attrs_instances(record))
    assert len(instances) >= 5  # the record and its four facets at least
    for instance in instances:
        for attribute in attrs.fields(type(instance)):
            with pytest.raises(FrozenInstanceError):
                setattr(instance, attribute.name, getattr(instance, attribute.name))
            with pytest.raises(FrozenInstanceError):
                delattr(instance, attribute.name)
        with pytest.raises(FrozenInstanceError):
            setattr(instance, "added_later", 1)  # noqa: B010
    for category in Category:
        custom: Any = getattr(record, category.value).custom
        with pytest.raises(TypeError):
            custom["added_later"] = 1
    assert to_dict(record) == before


@settings(max_examples=50, deadline=None)
@given(crm_st.records(schemas=SCHEMAS))
def test_records_are_hashable_and_equal_records_hash_equal(record: AnyRecord) -> None:
    copies = (
        WITH_SCHEMAS.from_dict(type(record), WITH_SCHEMAS.to_dict(record)),
        attrs.evolve(record),
    )
    for copy in copies:
        assert copy is not record
        assert copy == record
        assert hash(copy) == hash(record)
    assert len({record, *copies}) == 1


@settings(max_examples=50, deadline=None)
@given(crm_st.records(), st.sampled_from(("created_at", "id")))
def test_records_that_differ_in_one_field_are_not_equal(record: AnyRecord, name: str) -> None:
    other = (
        attrs.evolve(record, id=record.id + "-2")
        if name == "id"
        else attrs.evolve(record, created_at=datetime.fromisoformat("1969-07-20T20:17:40+00:00"))
    )
    assert other != record
    assert len({record, other}) == 2


# -- repr -------------------------------------------------------------------------------------


def _personal(attribute: attrs.Attribute[Any]) -> bool:
    info = attribute.metadata.get("crmcore")
    return bool(getattr(info, "personal", False))


def strings(
    value: object, schema: CustomSchema | None, hidden: bool = False
) -> Iterator[tuple[str, bool]]:
    """Every string in ``value`` with whether crmcore's metadata calls it personal.

    A string is personal when any field on its way down is marked personal (the whole field is
    redacted then), or when it is the value of a custom field the schema calls personal.
    Enum values and decimals are yielded too: their repr quotes them as text.
    """
    if isinstance(value, str):
        yield value, hidden
    elif isinstance(value, enum.Enum):
        yield str(value.value), hidden
    elif isinstance(value, Decimal):
        yield str(value), hidden
    elif isinstance(value, tuple):
        for item in value:
            yield from strings(item, schema, hidden)
    elif isinstance(value, CustomFields):
        for name, item in value.items():
            spec = schema.get(name) if schema is not None else None
            yield from strings(item, schema, hidden or spec is None or spec.personal)
    elif attrs.has(type(value)):
        for attribute in attrs.fields(type(value)):
            yield from strings(
                getattr(value, attribute.name), schema, hidden or _personal(attribute)
            )
    else:
        assert value is None or isinstance(value, (bool, int, float, date)), type(value)


def contact_points(value: object) -> Iterator[str]:
    """The emails, phone numbers, names and note authors in ``value``, whatever the metadata."""
    for instance in attrs_instances(value):
        if isinstance(instance, EmailAddress):
            yield from (instance.address, instance.normalised)
        elif isinstance(instance, PhoneNumber):
            yield from (instance.number, instance.e164)
        elif isinstance(instance, PersonName):
            parts = (instance.prefix, instance.given, instance.middle, instance.family)
            yield from (part for part in (*parts, instance.suffix) if part)
        elif isinstance(instance, Note) and instance.author:
            yield instance.author


@by_type
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_repr_of_a_record_never_shows_its_personal_values(
    record_type: type[AnyRecord], data: st.DataObject
) -> None:
    schema = SCHEMA_OF[record_type]
    record = data.draw(STRATEGIES[record_type](schema))
    shown = repr(record)
    found = list(strings(record, schema))
    public = [text for text, hidden in found if not hidden]
    # A personal value may legitimately appear when the same text also sits in a field that is
    # not personal (an enum value, an organisation's name, ...): that is not a leak.
    public_reprs = "\n".join(repr(text) for text in public)
    public_texts = "\n".join(public)
    for text, hidden in found:
        # A text of no letter or digit (``', '``) names no one, and its repr can be made of
        # the quotes and separators the repr of the shown values writes around them.
        if hidden and repr(text) not in public_reprs and any(c.isalnum() for c in text):
            assert repr(text) not in shown
    for text in contact_points(record):
        assert repr(text) not in shown or repr(text) in public_reprs
        if "@" in text or text.startswith("+"):
            assert text not in shown or text in public_texts


def test_the_repr_check_tells_personal_text_from_the_rest_and_sees_the_rest() -> None:
    """Guard the guard: the walk classifies fields as the repr does, and finds what is shown."""
    record = Contact(
        "c-1", descriptive=ContactDescriptive(job_title="Llama keeper", industry="Llama farming")
    )
    found = dict(strings(record, None))
    assert found["Llama keeper"] is True
    assert found["Llama farming"] is False
    assert repr("Llama farming") in repr(record)
    assert repr("Llama keeper") not in repr(record)
