"""Column mapping: flat rows become the nested dicts ``from_dict`` reads, checked up front."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact, Converter, InvalidValueError
from crmcore.convert.mapping import ColumnMapping, unflatten


def test_dotted_paths_build_nested_mappings() -> None:
    mapping = ColumnMapping(
        {"Given": "identity.name.given", "Family": "identity.name.family", "Ref": "id"}
    )
    assert mapping.apply({"Given": "Ada", "Family": "Lovelace", "Ref": "c1"}) == {
        "identity": {"name": {"given": "Ada", "family": "Lovelace"}},
        "id": "c1",
    }


def test_indexed_paths_build_lists_in_index_order_and_compact_blank_cells() -> None:
    mapping = ColumnMapping(
        {
            "Mobile": "identity.phones[1]",
            "Office": "identity.phones[0]",
            "Home": "identity.phones[2]",
        }
    )
    assert mapping.apply({"Mobile": "06 39 98 00 01", "Office": "01 99 00 00 02", "Home": ""}) == {
        "identity": {"phones": ["01 99 00 00 02", "06 39 98 00 01"]}
    }
    assert mapping.apply({"Mobile": "06 39 98 00 01", "Office": "  ", "Home": None}) == {
        "identity": {"phones": ["06 39 98 00 01"]}
    }


def test_indexed_items_can_hold_mappings() -> None:
    mapping = ColumnMapping(
        {
            "City": "identity.addresses[0].locality",
            "Country": "identity.addresses[0].country",
            "City 2": "identity.addresses[1].locality",
        }
    )
    assert mapping.apply({"City": "Lyon", "Country": "France", "City 2": "Paris"}) == {
        "identity": {
            "addresses": [{"locality": "Lyon", "country": "France"}, {"locality": "Paris"}]
        }
    }


def test_a_list_path_splits_one_cell_on_semicolons_dropping_blank_items() -> None:
    mapping = ColumnMapping({"Tags": "qualitative.motivations[]"})
    assert mapping.apply({"Tags": " price ;; speed; "}) == {
        "qualitative": {"motivations": ["price", "speed"]}
    }
    assert mapping.apply({"Tags": " ; "}) == {}


def test_a_list_path_keeps_a_list_that_is_already_one() -> None:
    mapping = ColumnMapping({"refs": "identity.contact_refs[]"})
    assert mapping.apply({"refs": ["c1", "c2"]}) == {"identity": {"contact_refs": ["c1", "c2"]}}


def test_non_text_cells_are_kept_as_they_are() -> None:
    mapping = ColumnMapping({"opens": "quantitative.email_opens", "ok": "descriptive.x"})
    assert mapping.apply({"opens": 0, "ok": False}) == {
        "quantitative": {"email_opens": 0},
        "descriptive": {"x": False},
    }


def test_columns_mapped_to_none_and_columns_not_mapped_are_left_out() -> None:
    mapping = ColumnMapping({"Ref": "id", "Notes": None})
    assert mapping.apply({"Ref": "c1", "Notes": "secret", "Other": "x"}) == {"id": "c1"}
    assert mapping.unmapped(["Other", "Ref", "Notes", "Another"]) == ("Another", "Other")


def test_identity_mapping_reads_headers_as_paths() -> None:
    mapping = ColumnMapping.identity(["id", "identity.emails[0]"])
    assert mapping.apply({"id": "c1", "identity.emails[0]": "a@example.org"}) == {
        "id": "c1",
        "identity": {"emails": ["a@example.org"]},
    }


@pytest.mark.parametrize(
    "path",
    [
        "",
        "identity..name",
        "identity.emails[x]",
        "identity.emails[]. address",
        "identity.emails[].address",
        "1identity",
        "identity.name.given ",
        "identity.emails[0][1]",
    ],
)
def test_malformed_paths_are_refused_when_the_mapping_is_built(path: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        ColumnMapping({"Column A": path})
    assert caught.value.field == "mapping"
    assert "Column A" in caught.value.reason


@pytest.mark.parametrize(
    "columns",
    [
        {"a": "id", "b": "id"},
        {"a": "identity.name", "b": "identity.name.given"},
        {"a": "identity.name.given", "b": "identity.name"},
        {"a": "identity.emails[0]", "b": "identity.emails[]"},
        {"a": "identity.emails[]", "b": "identity.emails[0]"},
        {"a": "identity.emails[0]", "b": "identity.emails.home"},
        {"a": "identity.emails[0].address", "b": "identity.emails[0]"},
    ],
)
def test_conflicting_paths_are_refused_naming_both_columns(columns: dict[str, str]) -> None:
    with pytest.raises(InvalidValueError) as caught:
        ColumnMapping(columns)
    assert "'a'" in caught.value.reason
    assert "'b'" in caught.value.reason


def test_a_mapping_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(InvalidValueError):
        ColumnMapping(["id"])  # type: ignore[arg-type]


def test_mapping_errors_never_quote_cell_values() -> None:
    mapping = ColumnMapping({"Mail": "identity.emails[0]"})
    planted = "planted.secret@example.org"
    # applying never raises; a bad value is for the converter to report, by path
    assert mapping.apply({"Mail": planted}) == {"identity": {"emails": [planted]}}


def test_unflatten_output_converts_to_a_contact() -> None:
    row = {
        "Ref": "c-7",
        "Given": "Élodie",
        "Family": "de la Tour",
        "Mail": "Elodie@Example.org",
        "Phone": "01 99 00 12 34",
        "Country": "France",
        "Tags": "price;speed",
    }
    mapping = {
        "Ref": "id",
        "Given": "identity.name.given",
        "Family": "identity.name.family",
        "Mail": "identity.emails[0]",
        "Phone": "identity.phones[0]",
        "Country": "identity.addresses[0].country",
        "Tags": "qualitative.motivations[]",
    }
    contact = Converter().from_dict(Contact, unflatten(row, mapping))
    assert contact.identity.phones[0].e164 == "+33199001234"
    assert contact.identity.addresses[0].country == "FR"
    assert contact.qualitative.motivations == ("price", "speed")


_names = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True)


@given(st.dictionaries(_names, st.text(alphabet="abc ;", max_size=8), min_size=1, max_size=6))
def test_every_non_blank_cell_lands_at_its_path(row: dict[str, str]) -> None:
    mapping = ColumnMapping({name: f"facet.{name}" for name in row})
    result = mapping.apply(row)
    expected = {name: value for name, value in row.items() if value.strip()}
    assert result.get("facet", {}) == expected
