"""frames._paths: a column whose path is no field of the record is one error, before any row."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import Account, Activity, Contact, Deal, InvalidValueError
from crmcore.frames import read_frame, to_frame
from crmcore.frames._paths import check_paths, column_name
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
    ],
)
def test_a_path_of_the_record_passes(path: str) -> None:
    check_paths(Contact, [(0, path, path)], "frame")


@pytest.mark.parametrize(
    "path",
    ["identity.email[0]", "identity.name.given.first", "emails", "id[0]", "identity..name", "x y"],
)
def test_a_path_that_is_no_field_is_refused_naming_the_column(path: str) -> None:
    with pytest.raises(InvalidValueError, match="no field of Contact") as raised:
        check_paths(Contact, [(0, path, path)], "frame")
    assert raised.value.field == "frame"


def test_every_unknown_column_is_named_in_one_error() -> None:
    frame = pd.DataFrame({"id": ["c-1"], "loaded_at": ["x"], "identity.email[0]": ["y"]})
    with pytest.raises(InvalidValueError) as raised:
        read_frame(frame, Contact)
    message = str(raised.value)
    assert "'loaded_at'" in message
    assert "'identity.email[0]'" in message
    assert "'id'" not in message


def test_a_mapping_to_a_path_that_is_no_field_is_refused_before_any_row() -> None:
    frame = pd.DataFrame({"ID": ["c-1"], "Mail": ["a@example.org"]})
    with pytest.raises(InvalidValueError, match="column 'Mail' names no field") as raised:
        read_frame(frame, Contact, {"ID": "id", "Mail": "identity.email[0]"})
    assert raised.value.field == "mapping"


def test_a_column_with_a_personal_name_is_named_by_its_position() -> None:
    assert column_name("ada@example.org", 3) == "<column 3>"
    assert column_name("06 12 34 56 78", 1) == "<column 1>"
    assert column_name("identity.emails[0].address", 2) == "'identity.emails[0].address'"
    frame = pd.DataFrame({"id": ["c-1"], "ada@example.org": ["x"]})
    with pytest.raises(InvalidValueError) as raised:
        read_frame(frame, Contact)
    assert "ada@example.org" not in str(raised.value)
    assert "<column 1>" in str(raised.value)


STRATEGIES = {Contact: contacts, Account: accounts, Deal: deals, Activity: activities}


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_every_column_a_frame_is_written_with_passes(data: st.DataObject) -> None:
    record_type = data.draw(st.sampled_from(list(STRATEGIES)))
    record = data.draw(STRATEGIES[record_type]())
    columns = list(to_frame([record]).columns)
    check_paths(record_type, [(n, c, c) for n, c in enumerate(columns)], "frame")
    assert "id" in columns
