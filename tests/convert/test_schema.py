"""convert.json_schema: generated JSON Schema that every to_dict output meets, and no less."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import Account, Activity, Contact, Deal, InvalidValueError, to_dict
from crmcore.cli._rejects import without_empty  # what the command line writes
from crmcore.convert import json_schema
from crmcore.convert.schema import DRAFT, OPENAPI_REF, openapi_schemas
from crmcore.testing.strategies import accounts, activities, contacts, deals

RECORDS = (Contact, Account, Deal, Activity)
STRATEGIES = {Contact: contacts, Account: accounts, Deal: deals, Activity: activities}


def _validator(record_type: type[Any]) -> jsonschema.protocols.Validator:
    schema = json_schema(record_type)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


VALIDATORS = {record_type: _validator(record_type) for record_type in RECORDS}


@pytest.mark.parametrize("record_type", RECORDS)
def test_the_schema_is_a_valid_draft_2020_12_schema(record_type: type[Any]) -> None:
    schema = json_schema(record_type)
    assert schema["$schema"] == DRAFT
    assert schema["$ref"] == f"#/$defs/{record_type.__name__}"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("record_type", RECORDS)
def test_every_field_of_the_record_is_a_required_property(record_type: type[Any]) -> None:
    entry = json_schema(record_type)["$defs"][record_type.__name__]
    names = [attribute.name for attribute in attrs.fields(record_type)]
    assert list(entry["properties"]) == names
    assert entry["required"] == names
    assert entry["additionalProperties"] is False


def test_field_documentation_becomes_the_description() -> None:
    email = json_schema(Contact)["$defs"]["EmailAddress"]["properties"]["address"]
    assert email["type"] == "string"
    assert email["description"]


def test_the_schema_is_the_same_on_every_call() -> None:
    assert json_schema(Contact) == json_schema(Contact)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_to_dict_output_of_generated_records_meets_the_schema(data: st.DataObject) -> None:
    record_type = data.draw(st.sampled_from(RECORDS))
    record = data.draw(STRATEGIES[record_type]())
    errors = list(VALIDATORS[record_type].iter_errors(to_dict(record)))
    assert errors == []


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(contacts())
def test_a_document_with_a_wrong_value_is_rejected(contact: Contact) -> None:
    document = to_dict(contact)
    validator = VALIDATORS[Contact]
    for broken in _broken(document):
        assert not validator.is_valid(broken)


def _broken(document: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    extra = copy.deepcopy(document)
    extra["unknown_field"] = "x"
    out.append(extra)
    missing = copy.deepcopy(document)
    del missing["identity"]
    out.append(missing)
    wrong_type = copy.deepcopy(document)
    wrong_type["id"] = 12
    out.append(wrong_type)
    wrong_list = copy.deepcopy(document)
    wrong_list["identity"]["emails"] = "ada@example.org"
    out.append(wrong_list)
    wrong_enum = copy.deepcopy(document)
    wrong_enum["source"] = "not-a-source"
    out.append(wrong_enum)
    wrong_count = copy.deepcopy(document)
    wrong_count["quantitative"]["email_opens"] = "many"
    out.append(wrong_count)
    return out


def test_a_non_record_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="record_type"):
        json_schema(dict)


COMPACT = {
    record_type: jsonschema.Draft202012Validator(json_schema(record_type, every_field=False))
    for record_type in RECORDS
}


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_output_without_empty_fields_meets_the_schema_that_requires_no_empty_field(
    data: st.DataObject,
) -> None:
    record_type = data.draw(st.sampled_from(RECORDS))
    document = without_empty(to_dict(data.draw(STRATEGIES[record_type]())))
    assert list(COMPACT[record_type].iter_errors(document)) == []
    assert not VALIDATORS[record_type].is_valid({"id": document["id"]})
    assert not COMPACT[record_type].is_valid({k: v for k, v in document.items() if k != "id"})


OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "CRM", "version": "1"},
    "paths": {},
    "components": {"schemas": openapi_schemas(*RECORDS)},
}


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_openapi_components_describe_to_dict_output(data: st.DataObject) -> None:
    record_type = data.draw(st.sampled_from(RECORDS))
    body = {"$ref": f"{OPENAPI_REF}{record_type.__name__}", **OPENAPI}
    validator = jsonschema.Draft202012Validator(body)
    document = to_dict(data.draw(STRATEGIES[record_type]()))
    assert list(validator.iter_errors(document)) == []
    assert not validator.is_valid({**document, "unknown_field": 1})


def test_openapi_schemas_refer_only_to_components() -> None:
    schemas = openapi_schemas(Contact, Account)
    text = json.dumps(schemas)
    assert "#/$defs/" not in text
    refs = set(re.findall(r'"\$ref": "#/components/schemas/(\w+)"', text))
    assert refs <= set(schemas)
    assert list(schemas) == sorted(schemas)
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    with pytest.raises(InvalidValueError, match="record_types"):
        openapi_schemas()
