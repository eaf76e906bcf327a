"""``convert_rows``: one result per row, problems naming the source row and column."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import (
    Column,
    ColumnMapping,
    Contact,
    ConversionError,
    Converter,
    InvalidValueError,
    MappingError,
    Problem,
    RowResult,
    convert_rows,
)

MAPPING = ColumnMapping(
    {
        "Id": "id",
        "Email": "identity.emails[0]",
        "Work Email": "identity.emails[1]",
        "Phone Number": "identity.phones[0]",
        "Mobile Phone Number": "identity.phones[1]",
        "Born": "identity.birth_date",
        "Out": Column("descriptive.communication.email_opt_in", invert=True),
    },
    combine={"quantitative.total_spent": {"amount": "Spent", "currency": "Currency"}},
    record_type=Contact,
)

PLANTED = {
    "Id": "c-31",
    "Email": "",
    "Work Email": "planted.secret@@example.org",
    "Phone Number": "",
    "Mobile Phone Number": "PLANTED-PHONE-0000",
    "Born": "1990-02-31",
    "Out": "planted-maybe",
    "Spent": "planted-amount",
    "Currency": "EUR",
}


def _rows(count: int) -> Iterator[dict[str, Any]]:
    for number in range(1, count + 1):
        yield {"Id": f"c-{number}", "Email": f"p{number}@example.org"}


def test_each_row_gives_a_record_or_its_problems_in_order() -> None:
    rows = [*_rows(2), {"Id": "c-3", "Email": "not an email"}, *_rows(1)]
    results = list(convert_rows(rows, MAPPING))
    assert [result.row for result in results] == [1, 2, 3, 4]
    assert [result.ok for result in results] == [True, True, False, True]
    assert isinstance(results[0].record, Contact)
    assert results[2].record is None


def test_problems_name_the_source_column_after_list_positions_are_compacted() -> None:
    [result] = convert_rows([PLANTED], MAPPING, start=31)
    found = {(problem.path, problem.column, problem.row) for problem in result.problems}
    assert found == {
        ("identity.emails[0].address", "Work Email", 31),
        ("identity.phones[0].number", "Mobile Phone Number", 31),
        ("identity.birth_date", "Born", 31),
        ("descriptive.communication.email_opt_in", "Out", 31),
        ("quantitative.total_spent.amount", "Spent", 31),
    }


def test_a_required_field_left_blank_names_the_column_that_should_give_it() -> None:
    [result] = convert_rows([{"Id": " ", "Email": "a@example.org"}], MAPPING)
    assert [(p.path, p.column) for p in result.problems] == [("id", "Id")]


def test_errors_carry_the_source_and_never_a_value() -> None:
    [result] = convert_rows([PLANTED], MAPPING, start=31)
    errors = result.errors()
    phone = next(error for error in errors if error["loc"][1] == "phones")
    assert phone["source"] == {"row": 31, "column": "Mobile Phone Number"}
    assert phone["type"] == "phone.invalid"
    text = json.dumps(errors) + "".join(str(p) + repr(p) for p in result.problems)
    for value in PLANTED.values():
        if value and value not in {"c-31", "EUR"}:
            assert value not in text
    assert "row 31, column 'Mobile Phone Number': identity.phones[0].number:" in text


def test_a_row_that_is_no_mapping_is_a_problem_and_the_rows_after_go_on() -> None:
    results = list(convert_rows([["c-1"], {"Id": "c-2"}], MAPPING))  # type: ignore[list-item]
    assert [problem.code for problem in results[0].problems] == ["row.invalid"]
    assert results[0].problems[0].row == 1
    assert results[1].ok


def test_the_mapping_is_checked_before_the_first_row_is_read() -> None:
    def rows() -> Iterator[dict[str, Any]]:
        raise AssertionError("no row should be read")
        yield {}

    loose = ColumnMapping({"Id": "id", "Mail": "identity.email[0]"})
    with pytest.raises(MappingError, match="identity has no field email"):
        convert_rows(rows(), loose, record_type=Contact)
    with pytest.raises(InvalidValueError, match="record type"):
        convert_rows(rows(), loose)


def test_the_converter_given_is_used() -> None:
    mapping = ColumnMapping({"Id": "id", "Phone": "identity.phones[0]"}, record_type=Contact)
    row = {"Id": "c-1", "Phone": "01 99 00 12 34"}
    [without] = convert_rows([row], mapping)
    [with_region] = convert_rows([row], mapping, Converter(default_region="FR"))
    assert [p.code for p in without.problems] == ["phone.no_region"]
    assert with_region.ok


def test_rows_are_read_one_at_a_time() -> None:
    taken = []

    def rows() -> Iterator[dict[str, Any]]:
        for row in _rows(1000):
            taken.append(row)
            yield row

    results = convert_rows(rows(), MAPPING)
    next(results)
    assert len(taken) == 1


def test_a_result_and_its_sourced_problems_pickle() -> None:
    [result] = convert_rows([PLANTED], MAPPING)
    copy = pickle.loads(pickle.dumps(result))
    assert copy == result
    error = ConversionError("Contact", result.problems)
    again = pickle.loads(pickle.dumps(error))
    assert again.errors() == error.errors()
    assert all("source" in entry for entry in again.errors())


def test_a_problem_without_a_source_keeps_its_errors_entry_and_text() -> None:
    problem = Problem("identity.birth_date", "not a date", "date.invalid")
    assert problem.as_error() == {
        "type": "date.invalid",
        "loc": ("identity", "birth_date"),
        "msg": "not a date",
    }
    assert str(problem) == "identity.birth_date: not a date"
    assert problem.source_text() == ""


def test_a_column_that_may_hold_a_value_is_not_quoted_in_the_text() -> None:
    problem = Problem("id", "required", row=4, column="ada@example.org")
    assert "ada@example.org" not in str(problem)
    assert "ada@example.org" not in repr(problem)
    assert str(problem) == "row 4, column <column>: id: required"
    assert problem.as_error()["source"] == {"row": 4, "column": "ada@example.org"}


@given(
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "Id": st.text(max_size=6),
                "Email": st.text(max_size=8),
                "Mobile Phone Number": st.text(max_size=8),
                "Out": st.text(max_size=4),
                "Spent": st.text(max_size=5),
            },
        ),
        max_size=4,
    )
)
def test_every_problem_names_a_mapped_column(rows: list[dict[str, Any]]) -> None:
    for result in convert_rows(rows, MAPPING):
        assert isinstance(result, RowResult)
        assert result.ok != bool(result.problems)
        for problem in result.problems:
            assert problem.row == result.row
            assert problem.column in MAPPING.sources
