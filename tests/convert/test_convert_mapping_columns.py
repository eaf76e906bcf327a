"""What a mapping does to cells: value maps, inverted yes/no, separators, nested keys,
combined columns, constants, verbatim custom fields, and checking paths against a type."""

from __future__ import annotations

import math
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import (
    Account,
    Column,
    ColumnMapping,
    Contact,
    Converter,
    Deal,
    InvalidValueError,
    MappingError,
    Money,
)

STAGES = {
    "MQL": "marketing_qualified",
    "marketingqualifiedlead": "marketing_qualified",
    "Customer": "customer",
}


@pytest.mark.parametrize(
    "cell",
    [
        "MQL",
        "mql",
        " M Q L ",
        "marketingqualifiedlead",
        "Marketing Qualified Lead",
        "marketing-qualified_lead",
    ],
)
def test_a_value_map_ignores_case_spaces_hyphens_and_underscores(cell: str) -> None:
    mapping = ColumnMapping({"Stage": Column("descriptive.lifecycle_stage", values=STAGES)})
    assert mapping.apply({"Stage": cell}) == {
        "descriptive": {"lifecycle_stage": "marketing_qualified"}
    }


def test_a_cell_the_value_map_does_not_name_is_kept_for_the_converter_to_judge() -> None:
    mapping = ColumnMapping(
        {"Id": "id", "Stage": Column("descriptive.lifecycle_stage", values=STAGES)},
        record_type=Contact,
    )
    assert mapping.apply({"Stage": "lead"}) == {"descriptive": {"lifecycle_stage": "lead"}}
    contact = Converter().from_dict(Contact, mapping.apply({"Id": "c1", "Stage": "Lead"}))
    assert contact.descriptive.lifecycle_stage is not None
    assert contact.descriptive.lifecycle_stage.value == "lead"


def test_a_value_map_reads_whole_numbers_as_their_text() -> None:
    mapping = ColumnMapping({"Code": Column("descriptive.industry", values={"7": "Retail"})})
    assert mapping.apply({"Code": 7}) == {"descriptive": {"industry": "Retail"}}


def test_a_value_map_that_gives_two_values_for_one_cell_is_refused() -> None:
    with pytest.raises(MappingError) as caught:
        ColumnMapping({"Stage": Column("id", values={"MQL": "a", "m q l": "b"})})
    assert "'Stage'" in str(caught.value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("true", False),
        ("Yes", False),
        ("1", False),
        (True, False),
        ("false", True),
        ("no", True),
        (0, True),
    ],
)
def test_an_inverted_column_writes_the_opposite_yes_or_no(cell: object, expected: bool) -> None:
    mapping = ColumnMapping(
        {"Email Opt Out": Column("descriptive.communication.email_opt_in", invert=True)}
    )
    assert mapping.apply({"Email Opt Out": cell}) == {
        "descriptive": {"communication": {"email_opt_in": expected}}
    }


def test_an_inverted_cell_that_is_no_yes_or_no_is_reported_by_the_converter() -> None:
    mapping = ColumnMapping(
        {"Id": "id", "Out": Column("descriptive.communication.email_opt_in", invert=True)}
    )
    data = mapping.apply({"Id": "c1", "Out": "perhaps"})
    assert data["descriptive"]["communication"]["email_opt_in"] == "perhaps"
    results = list(_convert([{"Id": "c1", "Out": "perhaps"}], mapping))
    assert [problem.code for problem in results[0].problems] == ["boolean.invalid"]
    assert results[0].problems[0].column == "Out"


def test_a_separator_splits_a_cell_on_new_lines() -> None:
    mapping = ColumnMapping({"Street": Column("identity.addresses[0].lines[]", separator="\n")})
    assert mapping.apply({"Street": "Flat 2\r\n10 Downing Street\n\n"}) == {
        "identity": {"addresses": [{"lines": ["Flat 2", "10 Downing Street"]}]}
    }


def test_split_items_go_through_the_value_map() -> None:
    mapping = ColumnMapping(
        {"Tags": Column("qualitative.motivations[]", values={"$": "price"}, separator="|")}
    )
    assert mapping.apply({"Tags": "$ | speed | "}) == {
        "qualitative": {"motivations": ["price", "speed"]}
    }


def test_a_separator_on_a_path_that_is_no_list_is_refused() -> None:
    with pytest.raises(MappingError) as caught:
        ColumnMapping({"Tags": Column("descriptive.industry", separator="|")})
    assert "ending in '[]'" in caught.value.reason


def test_a_nested_key_reads_an_api_payload() -> None:
    mapping = ColumnMapping(
        {
            "id": "id",
            "properties.firstname": "identity.name.given",
            "properties.x.y": "descriptive.industry",
        }
    )
    payload = {"id": "501", "properties": {"firstname": "Ada", "x": {"y": "Retail"}}}
    assert mapping.apply(payload) == {
        "id": "501",
        "identity": {"name": {"given": "Ada"}},
        "descriptive": {"industry": "Retail"},
    }
    # a flat row whose column has that very name is read first; a missing level is blank
    assert mapping.apply({"properties.firstname": "Grace", "properties": "text"}) == {
        "identity": {"name": {"given": "Grace"}}
    }
    assert mapping.unmapped(["id", "properties", "archived"]) == ("archived",)


def test_a_combined_value_is_built_from_several_columns_and_missing_when_its_first_part_is() -> (
    None
):
    mapping = ColumnMapping(
        {"Id": "id"},
        combine={"quantitative.annual_revenue": {"amount": "Revenue", "currency": "Currency"}},
        record_type=Account,
    )
    assert mapping.apply({"Id": "a1", "Revenue": "1,250,000", "Currency": "USD"}) == {
        "id": "a1",
        "quantitative": {"annual_revenue": {"amount": "1,250,000", "currency": "USD"}},
    }
    assert mapping.apply({"Id": "a1", "Revenue": " ", "Currency": "USD"}) == {"id": "a1"}
    account = Converter().from_dict(
        Account, mapping.apply({"Id": "a1", "Revenue": "1,250,000.50", "Currency": "EUR"})
    )
    assert account.quantitative.annual_revenue == Money("1250000.50", "EUR")
    assert mapping.columns["Currency"] == "quantitative.annual_revenue.currency"


def test_constants_are_written_on_every_row() -> None:
    mapping = ColumnMapping(
        {"Id": "id"}, constants={"source": "import", "descriptive.custom.origin": "hubspot"}
    )
    assert mapping.apply({"Id": "c1"}) == {
        "id": "c1",
        "source": "import",
        "descriptive": {"custom": {"origin": "hubspot"}},
    }


def test_a_verbatim_column_keeps_the_cell_as_text() -> None:
    mapping = ColumnMapping({"Status": Column("descriptive.custom.lead_status", verbatim=True)})
    assert mapping.apply({"Status": "  In Progress "}) == {
        "descriptive": {"custom": {"lead_status": "  In Progress "}}
    }
    assert mapping.apply({"Status": 12.0}) == {"descriptive": {"custom": {"lead_status": "12"}}}
    assert mapping.apply({"Status": False}) == {"descriptive": {"custom": {"lead_status": "false"}}}
    assert mapping.apply({"Status": math.nan}) == {}


@pytest.mark.parametrize("blank", [None, "", "  ", math.nan])
def test_every_dialect_of_missing_is_left_out(blank: object) -> None:
    mapping = ColumnMapping({"Mail": "identity.emails[0]", "Out": Column("id", invert=True)})
    assert mapping.apply({"Mail": blank, "Out": blank}) == {}


@pytest.mark.parametrize(
    ("columns", "path", "reason"),
    [
        ({"Mail": "identity.email[0]"}, "identity.email[0]", "identity has no field email"),
        (
            {"Mail": "identity.emails.address"},
            "identity.emails.address",
            "identity.emails has no fields",
        ),
        ({"Name": "identity.name[0]"}, "identity.name[0]", "identity.name is not a list"),
        ({"City": "identity.organisation[]"}, "identity.organisation[]", "is not a list"),
        ({"X": "descriptive.custom"}, "descriptive.custom", "needs a custom field name"),
        ({"X": "descriptive.custom.Tier"}, "descriptive.custom.Tier", "custom field name"),
        (
            {"X": "descriptive.custom.tier.level"},
            "descriptive.custom.tier.level",
            "nothing goes inside",
        ),
        ({"X": "identity.birth_date.year"}, "identity.birth_date.year", "has no fields"),
    ],
)
def test_a_path_the_record_type_lacks_is_one_error_naming_column_and_path(
    columns: dict[str, str], path: str, reason: str
) -> None:
    with pytest.raises(MappingError) as caught:
        ColumnMapping(columns, record_type=Contact)
    error = caught.value
    assert isinstance(error, InvalidValueError)
    assert error.path == path
    assert error.column == next(iter(columns))
    assert reason in str(error)
    assert [entry["type"] for entry in error.errors()] == ["mapping.unknown_path"]


def test_every_bad_path_is_listed_in_the_one_error() -> None:
    with pytest.raises(MappingError) as caught:
        ColumnMapping(
            {"A": "identity.email[0]", "B": "id", "C": "descriptive.stage"}, record_type=Contact
        )
    assert [problem.column for problem in caught.value.problems] == ["A", "C"]
    assert "'A'" in str(caught.value)
    assert "'C'" in str(caught.value)


def test_paths_are_checked_against_constants_and_combined_parts_too() -> None:
    with pytest.raises(MappingError, match="no field sorce"):
        ColumnMapping({}, constants={"sorce": "import"}, record_type=Contact)
    with pytest.raises(MappingError, match="no field amout"):
        ColumnMapping({}, combine={"quantitative.total_spent": {"amout": "A"}}, record_type=Contact)


def test_every_record_type_takes_its_own_paths() -> None:
    ColumnMapping({"Id": "id", "Refs": "identity.contact_refs[]"}, record_type=Deal)
    ColumnMapping({"Id": "id", "Domains": "identity.domains[]"}, record_type=Account)
    with pytest.raises(MappingError):
        ColumnMapping({"Domains": "identity.domains[]"}, record_type=Contact)


@pytest.mark.parametrize(
    "build",
    [
        lambda: ColumnMapping({}, constants={"id": ["a"]}),  # type: ignore[dict-item]
        lambda: ColumnMapping({}, constants={"tags[]": "a"}),
        lambda: ColumnMapping({}, combine={"x": {}}),
        lambda: ColumnMapping({}, combine={"x": {"a.b": "A"}}),
        lambda: ColumnMapping({"A": Column("id", verbatim=True, invert=True)}),
        lambda: ColumnMapping({"A": Column("id", separator="")}),
        lambda: ColumnMapping({"A": Column("id", values={"x": None})}),  # type: ignore[dict-item]
        lambda: ColumnMapping({"A": "id"}, record_type="contact"),  # type: ignore[arg-type]
        lambda: ColumnMapping({"A": "id"}, constants={"id": "c"}),
    ],
)
def test_malformed_options_are_refused_when_the_mapping_is_built(build: object) -> None:
    with pytest.raises(MappingError):
        build()  # type: ignore[operator]


def test_a_mapping_pickles_and_still_applies() -> None:
    mapping = ColumnMapping(
        {"Stage": Column("descriptive.lifecycle_stage", values=STAGES), "p.x": "id"},
        constants={"source": "import"},
        record_type=Contact,
    )
    copy = pickle.loads(pickle.dumps(mapping))
    assert copy == mapping
    row = {"Stage": "mql", "p": {"x": "c1"}}
    assert copy.apply(row) == mapping.apply(row)


_CELLS = st.one_of(st.none(), st.text(max_size=8), st.integers(), st.booleans(), st.floats())


@given(st.dictionaries(st.sampled_from(["Stage", "Out", "Tags", "Raw", "n.k"]), _CELLS))
def test_applying_never_raises_whatever_the_cells(row: dict[str, object]) -> None:
    mapping = ColumnMapping(
        {
            "Stage": Column("descriptive.lifecycle_stage", values=STAGES),
            "Out": Column("descriptive.communication.email_opt_in", invert=True),
            "Tags": Column("qualitative.motivations[]", separator=","),
            "Raw": Column("descriptive.custom.raw", verbatim=True),
            "n.k": "id",
        },
        record_type=Contact,
    )
    data = mapping.apply(row)
    assert set(data) <= {"descriptive", "qualitative", "id"}


def _convert(rows: list[dict[str, object]], mapping: ColumnMapping):  # type: ignore[no-untyped-def]
    from crmcore import convert_rows

    return convert_rows(rows, mapping, record_type=Contact)
