"""crmcore.frames: records from pandas, polars and Arrow, back to frames, problems as frames."""

from __future__ import annotations

import builtins
from datetime import date, datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import Account, Activity, Contact, Deal, InvalidValueError, from_dict, to_dict
from crmcore.frames import (
    PROBLEM_COLUMNS,
    MissingExtraError,
    RowProblem,
    clean_and_validate,
    partition_meta,
    problems_frame,
    read_frame,
    to_frame,
)
from crmcore.testing.strategies import accounts, activities, contacts, deals
from crmcore.validation import Context

CTX = Context(datetime(2025, 6, 1, tzinfo=timezone.utc))
MAPPING = {
    "ID": "id",
    "First": "identity.name.given",
    "Mail": "identity.emails[0]",
    "Born": "identity.birth_date",
    "Opens": "quantitative.email_opens",
}
SECRET = "secret-value@@nowhere"


def _export() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ID": [101, 102, np.nan, 104],
            "First": ["Ada", np.nan, "Bob", "Cy"],
            "Mail": ["ada@example.org", None, "bob@example.org", SECRET],
            "Born": [pd.Timestamp("1990-03-05"), pd.NaT, pd.NaT, pd.NaT],
            "Opens": [np.int64(3), np.int64(0), np.int64(1), np.int64(2)],
        }
    )


def test_pandas_blank_cells_are_missing_and_numpy_scalars_plain() -> None:
    read = read_frame(_export(), Contact, MAPPING)
    assert read.rows == (0, 1)
    first, second = read.records
    assert first.id == "101"  # a float column of whole numbers is read as whole numbers
    assert first.identity.name.given == "Ada"
    assert first.identity.birth_date == date(1990, 3, 5)
    assert first.quantitative.email_opens == 3
    assert second.id == "102"
    assert second.identity.name.given is None  # NaN is no name, not "Nan"
    assert second.identity.emails == ()


def test_rows_that_fail_give_problems_with_their_row_and_never_the_value() -> None:
    read = read_frame(_export(), Contact, MAPPING)
    assert {(p.row, p.column, p.path, p.code) for p in read.problems} == {
        (2, "ID", "id", "value.missing"),
        (3, "Mail", "identity.emails[0].address", "email.invalid"),
    }
    frame = problems_frame(read.problems)
    assert tuple(frame.columns) == PROBLEM_COLUMNS
    assert list(frame["column"]) == ["ID", "Mail"]
    assert SECRET not in frame.to_csv()


def test_a_problem_names_the_column_that_wrote_its_list_item_after_compaction() -> None:
    frame = pd.DataFrame(
        {"ID": ["c-1"], "Work": [None], "Home": ["not a phone"], "Mobile": ["+44 20 7946 0958"]}
    )
    mapping = {
        "ID": "id",
        "Work": "identity.phones[0]",
        "Home": "identity.phones[1]",
        "Mobile": "identity.phones[2]",
    }
    (problem,) = read_frame(frame, Contact, mapping).problems
    assert (problem.path, problem.column) == ("identity.phones[0].number", "Home")


def test_a_column_whose_name_may_be_personal_is_named_by_its_position() -> None:
    frame = pd.DataFrame({"ID": ["c-1"], SECRET: ["not an email"]})
    read = read_frame(frame, Contact, {"ID": "id", SECRET: "identity.emails[0]"})
    (problem,) = read.problems
    assert problem.column == "<column 1>"
    assert SECRET not in problems_frame(read.problems).to_csv()
    assert SECRET not in repr(read.problems)


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow"])
def test_records_written_to_a_frame_read_back_equal(kind: Any) -> None:
    records = read_frame(_export(), Contact, MAPPING).records
    frame = to_frame(records, kind)
    again = read_frame(frame, Contact)
    assert again.records == records
    assert again.problems == ()


def test_to_frame_writes_one_column_per_path_and_lists_by_position() -> None:
    contact = from_dict(
        Contact,
        {
            "id": "c-1",
            "identity": {"name": {"given": "Ada"}, "emails": ["a@example.org", "b@example.org"]},
        },
    )
    frame = to_frame([contact])
    assert "identity.name.given" in frame.columns
    assert frame.loc[0, "identity.emails[1].address"] == "b@example.org"
    assert "identity.phones" not in frame.columns


def _no_blank_text(value: Any) -> bool:
    """Whether ``value`` holds no blank text: a blank cell is missing, by design."""
    if isinstance(value, dict):
        return all(_no_blank_text(item) for item in value.values())
    if isinstance(value, list):
        return all(_no_blank_text(item) for item in value)
    return not (isinstance(value, str) and not value.strip())


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    deadline=None,
)
@given(
    st.lists(contacts().filter(lambda c: _no_blank_text(to_dict(c))), min_size=1, max_size=3),
    st.sampled_from(["pandas", "polars"]),
)
def test_generated_records_survive_a_frame(records: list[Contact], kind: Any) -> None:
    frame = to_frame(records, kind)
    again = read_frame(frame, Contact)
    assert again.problems == ()
    assert [to_dict(r) for r in again.records] == [to_dict(r) for r in records]


@pytest.mark.parametrize("kind", ["polars", "arrow"])
def test_polars_and_arrow_frames_read_like_pandas(kind: str) -> None:
    data = {
        "ID": ["a-1", "a-2"],
        "First": ["Ada", None],
        "Opens": [3, None],
        "Score": [float("nan"), 2.5],
    }
    frame = pl.DataFrame(data, strict=False) if kind == "polars" else pa.table(data)
    mapping = {"ID": "id", "First": "identity.name.given", "Opens": "quantitative.email_opens"}
    read = read_frame(frame, Contact, {**mapping, "Score": None})
    assert [r.id for r in read.records] == ["a-1", "a-2"]
    assert read.records[1].quantitative.email_opens is None


def test_clean_and_validate_returns_a_records_frame_and_a_problems_frame() -> None:
    export = _export()
    records, problems = clean_and_validate(export, Contact, MAPPING, ctx=CTX)
    assert list(records["id"]) == ["101", "102", "104"]
    found = {
        (row, column, path, code)
        for row, column, path, code in zip(
            problems["row"], problems["column"], problems["path"], problems["code"], strict=True
        )
    }
    assert (2, "ID", "id", "value.missing") in found
    assert (3, "Mail", "identity.emails[0]", "email.unreadable") in found
    assert (3, None, "quarantine[0]", "record.quarantined") in found  # no column wrote it
    assert tuple(problems.columns) == PROBLEM_COLUMNS
    assert SECRET not in problems.to_csv()
    # the records keep their quarantine, as to_dict writes it, for the source to be fixed
    assert list(records["quarantine[0].code"])[2] == "email.unreadable"


def test_clean_and_validate_keeps_the_library_of_its_input() -> None:
    frame = pl.from_pandas(_export().astype({"Born": "object"}).drop(columns=["Born"]))
    records, problems = clean_and_validate(frame, Contact, MAPPING, ctx=CTX, first_row=10)
    assert isinstance(records, pl.DataFrame)
    assert isinstance(problems, pl.DataFrame)
    assert 12 in problems["row"].to_list()


def test_something_else_than_a_frame_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="frame"):
        read_frame([{"id": "c-1"}], Contact)
    with pytest.raises(InvalidValueError, match="record_type"):
        read_frame(_export(), dict, MAPPING)  # type: ignore[type-var]
    with pytest.raises(InvalidValueError, match="kind"):
        to_frame([], "excel")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"collect\(\) it first"):
        read_frame(pl.DataFrame({"id": ["c-1"]}).lazy(), Contact)


def test_a_missing_library_names_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_polars(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "polars":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "polars")
    monkeypatch.setattr(builtins, "__import__", no_polars)
    with pytest.raises(MissingExtraError, match=r"crmcore\[polars\]") as raised:
        partition_meta("polars")
    assert raised.value.extra == "polars"


def test_partition_meta_is_an_empty_problems_frame() -> None:
    meta = partition_meta()
    assert len(meta) == 0
    assert tuple(meta.columns) == PROBLEM_COLUMNS
    assert RowProblem(0, "id", "value.missing", "m").row == 0


def test_columns_the_mapping_leaves_out_and_lacks_are_listed() -> None:
    frame = _export().assign(Notes=["n"] * 4)
    read = read_frame(frame, Contact, {**MAPPING, "Phone": "identity.phones[0]", "Fax": None})
    assert read.unmapped == ("Notes",)
    assert read.absent == ("Phone",)
    assert read.rows == (0, 1)


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow"])
def test_an_empty_frame_reads_to_nothing_and_cleans_to_empty_frames(kind: Any) -> None:
    empty = problems_frame([], kind)  # a frame with columns and no row, of every library
    mapping = dict.fromkeys(PROBLEM_COLUMNS) | {"row": "id"}
    read = read_frame(empty, Contact, mapping)
    assert (read.records, read.problems) == ((), ())
    records, problems = clean_and_validate(empty, Contact, mapping, ctx=CTX)
    assert len(records) == len(problems) == 0
    names = problems.column_names if kind == "arrow" else problems.columns
    assert tuple(names) == PROBLEM_COLUMNS


def test_problems_frames_have_typed_columns_even_when_empty() -> None:
    assert str(problems_frame([])["row"].dtype) == "int64"
    assert problems_frame([], "polars").schema == pl.Schema(
        {
            "row": pl.Int64,
            "column": pl.String,
            "path": pl.String,
            "code": pl.String,
            "message": pl.String,
        }
    )
    assert problems_frame([], "arrow").schema == pa.schema(
        [
            ("row", pa.int64()),
            ("column", pa.string()),
            ("path", pa.string()),
            ("code", pa.string()),
            ("message", pa.string()),
        ]
    )
    frame = problems_frame([RowProblem(3, "id", "value.missing", "required field is missing")])
    assert frame["row"].tolist() == [3]
    assert str(frame["row"].dtype) == "int64"
    assert frame["column"].tolist() == [None]


def test_a_polars_frame_with_nulls_and_whole_floats_reads_like_pandas() -> None:
    frame = pl.from_pandas(_export().drop(columns=["Born"]))
    assert frame.schema["ID"] == pl.Float64  # 101.0, 102.0, null, 104.0
    read = read_frame(frame, Contact, {k: v for k, v in MAPPING.items() if k != "Born"})
    assert [r.id for r in read.records] == ["101", "102"]
    assert read.records[1].identity.name.given is None
    assert {(p.row, p.code) for p in read.problems} == {(2, "value.missing"), (3, "email.invalid")}


def test_an_arrow_table_with_dictionary_encoded_strings_reads_like_plain_strings() -> None:
    data = {
        "id": ["a-1", "a-2", "a-3"],
        "identity.name.given": ["Ada", None, "Ada"],
        "descriptive.lifecycle_stage": ["lead", "customer", None],
    }
    plain_table = pa.table(data)
    encoded = pa.table(
        {name: pa.array(values).dictionary_encode() for name, values in data.items()}
    )
    assert pa.types.is_dictionary(encoded.schema.field("id").type)
    assert read_frame(encoded, Contact).records == read_frame(plain_table, Contact).records
    assert read_frame(encoded.to_batches()[0], Contact).records[1].identity.name.given is None


def test_a_float_that_is_not_a_whole_number_stays_a_float() -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "quantitative.nps": [7.0, 7.5]})
    read = read_frame(frame, Contact)
    assert read.records[0].quantitative.nps == 7
    assert read.problems[0].row == 1  # 7.5 is not a score, and is not rounded to one


STRATEGIES = {Contact: contacts, Account: accounts, Deal: deals, Activity: activities}


@settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    deadline=None,
)
@given(st.data(), st.sampled_from(["pandas", "polars", "arrow"]))
def test_generated_records_of_every_type_survive_two_trips(data: st.DataObject, kind: Any) -> None:
    record_type = data.draw(st.sampled_from(list(STRATEGIES)))
    strategy = STRATEGIES[record_type]().filter(lambda r: _no_blank_text(to_dict(r)))
    records = data.draw(st.lists(strategy, min_size=1, max_size=4))
    first = read_frame(to_frame(records, kind), record_type)
    assert first.problems == ()
    assert [to_dict(r) for r in first.records] == [to_dict(r) for r in records]
    second = read_frame(to_frame(first.records, kind), record_type)
    assert second.records == first.records


_HEADERS = ["Mail", "Phone", "Born", "ada@example.org", "06 12 34 56 78", "Opens"]
_TARGETS = [
    "identity.emails[0]",
    "identity.phones[0]",
    "identity.birth_date",
    "identity.emails[1]",
    "identity.phones[1]",
    "quantitative.email_opens",
]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.text(max_size=12)), min_size=6, max_size=6),
        min_size=1,
        max_size=4,
    )
)
def test_a_problem_names_the_column_of_its_field_and_never_a_header_that_may_be_personal(
    cells: list[list[str | None]],
) -> None:
    frame = pd.DataFrame(
        {"ID": [f"c-{n}" for n in range(len(cells))]}
        | {header: [row[n] for row in cells] for n, header in enumerate(_HEADERS)}
    )
    mapping = {"ID": "id"} | dict(zip(_HEADERS, _TARGETS, strict=True))
    shown = {"ID", "Mail", "Phone", "Born", "Opens", "<column 4>", "<column 5>"}
    problems = read_frame(frame, Contact, mapping).problems
    assert {problem.column for problem in problems} <= shown
    field_of = {"ID": "id"} | {
        name: target.split("[")[0]
        for name, target in zip(
            ["Mail", "Phone", "Born", "<column 4>", "<column 5>", "Opens"], _TARGETS, strict=True
        )
    }
    for problem in problems:
        assert problem.column is not None  # every path here comes from one column
        assert problem.path.startswith(field_of[problem.column])  # the column of that field
        assert 0 <= problem.row < len(cells)
    text = problems_frame(problems).to_csv()
    assert "ada@example.org" not in text
    assert "06 12 34 56 78" not in text
