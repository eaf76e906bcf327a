"""The JSON form of a mapping: ``from_dict`` reads what ``to_dict`` writes, and refuses
what is malformed with one :class:`MappingError`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Account, Column, ColumnMapping, Contact, MappingError
from crmcore._safe import is_field_like
from crmcore.records import RECORD_TYPES

_LEAVES = {
    Contact: [
        "id",
        "source",
        "identity.name.given",
        "identity.name.family",
        "identity.emails[0]",
        "identity.emails[1].address",
        "identity.phones[0]",
        "identity.addresses[0].locality",
        "identity.addresses[0].lines[]",
        "descriptive.lifecycle_stage",
        "descriptive.communication.email_opt_in",
        "descriptive.custom.lead_status",
        "qualitative.motivations[]",
        "quantitative.email_opens",
    ],
    Account: [
        "id",
        "identity.name",
        "identity.domains[]",
        "identity.phones[0]",
        "descriptive.account_type",
        "descriptive.custom.owner",
        "quantitative.employees",
    ],
}
_COMBINABLE = {Contact: "quantitative.total_spent", Account: "quantitative.annual_revenue"}

_names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12
)
_scalars = st.one_of(st.text(max_size=6), st.integers(-5, 5), st.booleans())


@st.composite
def mappings(draw: st.DrawFn) -> ColumnMapping:
    record_type = draw(st.sampled_from([Contact, Account]))
    paths = draw(st.lists(st.sampled_from(_LEAVES[record_type]), unique=True, max_size=6))
    names = draw(st.lists(_names, unique=True, min_size=len(paths) + 3, max_size=len(paths) + 3))
    columns: dict[str, str | Column | None] = {}
    for name, path in zip(names, paths, strict=False):
        split = path.endswith("[]")
        verbatim = not split and draw(st.booleans()) and path.startswith("descriptive.custom")
        columns[name] = draw(
            st.one_of(
                st.just(path),
                st.builds(
                    Column,
                    st.just(path),
                    values=st.none() | st.dictionaries(st.just("k"), _scalars, max_size=1),
                    invert=st.just(False) if verbatim else st.booleans(),
                    separator=st.sampled_from([None, "\n", "|"]) if split else st.none(),
                ),
                st.just(Column(path, verbatim=True)) if verbatim else st.just(path),
            )
        )
    if draw(st.booleans()):
        columns[names[-1]] = None
    combine = {}
    if draw(st.booleans()):
        combine = {_COMBINABLE[record_type]: {"amount": names[-2], "currency": names[-3]}}
    free = [path for path in ("descriptive.custom.origin", "source") if path not in paths]
    constants = draw(st.dictionaries(st.sampled_from(free), _scalars)) if free else {}
    return ColumnMapping(
        columns,
        record_type=draw(st.sampled_from([None, record_type])),
        combine=combine,
        constants=constants,
        require_columns=draw(st.booleans()),
        description=draw(st.none() | st.text(max_size=10)),
    )


@given(mappings())
def test_to_dict_is_json_safe_and_from_dict_reads_it_back_equal(mapping: ColumnMapping) -> None:
    form = mapping.to_dict()
    again = ColumnMapping.from_dict(json.loads(json.dumps(form)))
    assert again == mapping
    assert hash(again) == hash(mapping)
    assert again.to_dict() == form
    assert again.columns == mapping.columns
    row = dict.fromkeys(mapping.columns, "x")
    assert again.apply(row) == mapping.apply(row)


def test_the_short_form_is_a_column_to_path_object() -> None:
    mapping = ColumnMapping.from_dict({"Mail": "identity.emails[0]", "Notes": None})
    assert mapping == ColumnMapping({"Mail": "identity.emails[0]", "Notes": None})
    assert mapping.to_dict() == {"columns": {"Mail": "identity.emails[0]", "Notes": None}}
    # a column named "columns" is still a column of the short form
    assert ColumnMapping.from_dict({"columns": "id"}).columns == {"columns": "id"}


def test_the_full_form_writes_each_option_it_has() -> None:
    form: dict[str, Any] = {
        "description": "an export",
        "record_type": "contact",
        "columns": {
            "Id": "id",
            "Stage": {
                "path": "descriptive.lifecycle_stage",
                "values": {"MQL": "marketing_qualified"},
            },
            "Out": {"path": "descriptive.communication.email_opt_in", "invert": True},
            "Tags": {"path": "qualitative.motivations[]", "separator": "\n"},
            "Status": {"path": "descriptive.custom.lead_status", "verbatim": True},
            "Notes": None,
        },
        "constants": {"source": "import"},
        "combine": {"quantitative.total_spent": {"amount": "Spent", "currency": "Currency"}},
        "require_columns": False,
    }
    mapping = ColumnMapping.from_dict(form)
    assert mapping.to_dict() == form
    assert mapping.record_type is Contact
    assert mapping.specs["Out"] == Column("descriptive.communication.email_opt_in", invert=True)
    assert mapping.sources == ("Id", "Stage", "Out", "Tags", "Status", "Notes", "Spent", "Currency")


def test_a_column_with_only_a_path_is_kept_in_the_short_form() -> None:
    mapping = ColumnMapping({"Id": Column("id")})
    assert mapping == ColumnMapping({"Id": "id"})
    assert mapping.to_dict() == {"columns": {"Id": "id"}}


@pytest.mark.parametrize("kind", RECORD_TYPES)
def test_the_record_type_is_named_in_lower_case(kind: type[Any]) -> None:
    mapping = ColumnMapping({"Id": "id"}, record_type=kind)
    assert mapping.to_dict()["record_type"] == kind.__name__.lower()
    assert ColumnMapping.from_dict(mapping.to_dict()).record_type is kind


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ([("a", "id")], "expected an object"),
        ({"columns": {"A": 3}}, "column 'A': expected a path"),
        ({"columns": {"A": {"invert": True}}}, "column 'A': has no path"),
        ({"columns": {"A": {"path": "id", "flip": True}}}, "unknown option 'flip'"),
        ({"columns": {"A": {"path": "id", "ada@example.org": 1}}}, "unknown option an option"),
        ({"columns": {"A": {"path": "id", "values": ["x"]}}}, "values: expected an object"),
        ({"columns": {"A": {"path": "id", "invert": "yes"}}}, "true or false"),
        ({"columns": {}, "record_type": "lead"}, "expected one of: contact, account"),
        ({"columns": {}, "extra": 1}, "unknown key 'extra'"),
        ({"columns": {}, "constants": ["x"]}, "constants: expected an object"),
        ({"columns": {}, "require_columns": "no"}, "require_columns: expected true or false"),
        ({"columns": {}, "description": 3}, "description: expected text"),
        ({"columns": {}, "combine": {"x": "A"}}, "combine 'x': expected an object"),
    ],
)
def test_a_malformed_form_is_one_mapping_error(form: Any, reason: str) -> None:
    with pytest.raises(MappingError) as caught:
        ColumnMapping.from_dict(form)
    assert reason in str(caught.value)


def test_the_record_type_given_must_agree_with_the_one_named() -> None:
    form = {"record_type": "account", "columns": {"Id": "id"}}
    with pytest.raises(MappingError, match="for account records, not contact"):
        ColumnMapping.from_dict(form, record_type=Contact)
    assert ColumnMapping.from_dict(form, record_type=Account).record_type is Account
    checked = ColumnMapping.from_dict({"Id": "id"}, record_type=Contact)
    assert checked.record_type is Contact
    assert ColumnMapping({"Id": "id"}).for_type(Contact) == checked
    with pytest.raises(MappingError):
        checked.for_type(Account)


def test_messages_never_quote_a_column_that_may_hold_a_value() -> None:
    planted = "ada.lovelace@example.org"
    with pytest.raises(MappingError) as caught:
        ColumnMapping.from_dict(
            {"columns": {"Id": "id", planted: "identity.email[0]"}}, record_type=Contact
        )
    assert planted not in str(caught.value)
    assert "<column>" in str(caught.value)
    assert caught.value.column == planted  # the program still gets it
    with pytest.raises(MappingError) as caught:
        ColumnMapping.from_dict({"columns": {"Id": "id", planted: 3}})
    assert planted not in str(caught.value)
    assert "<column 1>" in str(caught.value)


def test_a_column_may_be_given_in_its_json_form_to_the_constructor() -> None:
    form = {"path": "descriptive.communication.email_opt_in", "invert": True}
    mapping = ColumnMapping({"Out": form})
    assert mapping == ColumnMapping({"Out": Column(form["path"], invert=True)})  # type: ignore[arg-type]
    assert mapping.apply({"Out": "yes"}) == {
        "descriptive": {"communication": {"email_opt_in": False}}
    }
    with pytest.raises(MappingError, match="unknown option 'flip'"):
        ColumnMapping({"Out": {"path": "id", "flip": True}})


@given(_names, st.sampled_from(["identity.email[0]", "id..x", "descriptive.custom"]))
def test_a_column_name_is_in_a_message_only_when_it_looks_like_a_field(
    column: str, path: str
) -> None:
    with pytest.raises(MappingError) as caught:
        ColumnMapping({column: path}, record_type=Contact)
    if not is_field_like(column):
        assert repr(column) not in str(caught.value)
        assert all(repr(column) not in entry["msg"] for entry in caught.value.errors())
