"""frames: a column whose path is no field of the record is one error, before any row.

The check is the one every column mapping gets (``ColumnMapping.for_type``), so a frame and a
mapping refuse the same paths with the same error.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import Account, Activity, ColumnMapping, Contact, Deal, InvalidValueError, MappingError
from crmcore.frames import read_frame, to_frame
from crmcore.testing.strategies import accounts, activities, contacts, deals


@pytest.mark.parametrize(
    "path",
    [
        "id",
        "identity.emails[0]",
        "identity.emails[0].address",
        "identity.addresses[0].lines[1]",
        "qualitative.motivations[]",
        "quantitative.total_spent.amount",
        "quarantine[0].code",
        "identity.custom.loyalty_id",
        "descriptive.custom.tags[]",
        "descriptive.custom.tags[0]",
    ],
)
def test_a_path_of_the_record_passes(path: str) -> None:
    read = read_frame(pd.DataFrame({path: [None]}), Contact)  # no error before the rows
    assert [problem.path for problem in read.problems] == ["id"]  # the row lacks its id
    assert ColumnMapping.identity([path], record_type=Contact).columns[path] == path


@pytest.mark.parametrize(
    "path",
    ["identity.email[0]", "identity.name.given.first", "emails", "id[0]", "identity..name", "x y"],
)
def test_a_path_that_is_no_field_is_refused_naming_the_column(path: str) -> None:
    frame = pd.DataFrame({"id": ["c-1"], path: ["x"]})
    with pytest.raises(MappingError) as raised:
        read_frame(frame, Contact)
    assert isinstance(raised.value, InvalidValueError)
    assert raised.value.field == "mapping"
    with pytest.raises(MappingError) as from_mapping:
        ColumnMapping.identity(["id", path], record_type=Contact)
    assert str(raised.value) == str(from_mapping.value)  # one check, one error


def test_every_unknown_column_is_named_in_one_error() -> None:
    frame = pd.DataFrame(
        {"id": ["c-1"], "loaded_at": ["x"], "identity.email[0]": ["y"], "First Name": ["z"]}
    )
    with pytest.raises(MappingError) as raised:
        read_frame(frame, Contact)
    message = str(raised.value)
    assert "'loaded_at'" in message
    assert "identity.email[0]" in message
    assert "column 'First Name': malformed path" in message
    assert "'id'" not in message
    assert len(raised.value.problems) == 3


def test_a_mapping_to_a_path_that_is_no_field_is_refused_before_any_row() -> None:
    frame = pd.DataFrame({"ID": ["c-1"], "Mail": ["a@example.org"]})
    with pytest.raises(MappingError, match=r"column 'Mail' -> identity\.email") as raised:
        read_frame(frame, Contact, {"ID": "id", "Mail": "identity.email[0]"})
    assert raised.value.field == "mapping"
    assert raised.value.column == "Mail"


def test_a_mapping_for_another_record_type_is_refused() -> None:
    frame = pd.DataFrame({"Company name": ["Acme"]})
    with pytest.raises(MappingError, match="for contact records, not account"):
        read_frame(frame, Account, ColumnMapping.builtin("hubspot_contacts"))


def test_a_column_with_a_personal_name_is_never_quoted() -> None:
    frame = pd.DataFrame({"id": ["c-1"], "ada@example.org": ["x"], "06 12 34 56 78": ["y"]})
    with pytest.raises(InvalidValueError) as raised:
        read_frame(frame, Contact)
    message = str(raised.value)
    assert "ada@example.org" not in message
    assert "06 12 34 56 78" not in message
    assert "<column 1>" in message
    assert "<column 2>" in message


STRATEGIES = {Contact: contacts, Account: accounts, Deal: deals, Activity: activities}


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_every_column_a_frame_is_written_with_passes(data: st.DataObject) -> None:
    record_type = data.draw(st.sampled_from(list(STRATEGIES)))
    record = data.draw(STRATEGIES[record_type]())
    columns = list(to_frame([record]).columns)
    assert ColumnMapping.identity(columns, record_type=record_type).sources == tuple(columns)
    assert "id" in columns
