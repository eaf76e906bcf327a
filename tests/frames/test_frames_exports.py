"""A real-sized CRM export read through pandas, polars and Arrow converts all its sound rows.

8,480 contact rows laid out like a HubSpot export (23 columns, mixed countries, blank cells)
are written as CSV text. The rows that convert when each cell is read as text (as the CLI
reads them) must convert, to the same records, when the file goes through ``pandas.read_csv``
(blank cells NaN, ids int64 with a blank id making them float64, dates as text, booleans with
blanks as objects) and its Arrow-backed dtypes, polars and Arrow (strings
dictionary-encoded).
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pandas as pd
import polars as pl
import pyarrow.csv as pacsv
import pytest

from crmcore import Contact, ConversionError, from_dict
from crmcore.convert import ColumnMapping
from crmcore.frames import clean_and_validate, read_frame
from crmcore.testing.synthetic import messy_dataset
from crmcore.validation import Context

ROWS = 8480
AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)
COLUMNS = {
    "Record ID": "id",
    "First Name": "identity.name.given",
    "Last Name": "identity.name.family",
    "Email": "identity.emails[0]",
    "Phone Number": "identity.phones[0]",
    "Mobile Phone Number": "identity.phones[1]",
    "Street Address": "identity.addresses[0].lines[0]",
    "City": "identity.addresses[0].locality",
    "Postal Code": "identity.addresses[0].postal_code",
    "Country/Region": "identity.addresses[0].country",
    "Date of Birth": "identity.birth_date",
    "Company Name": "identity.organisation",
    "Job Title": "descriptive.job_title",
    "Lifecycle Stage": "descriptive.lifecycle_stage",
    "Original Source": "descriptive.lead_source",
    "Email Opt In": "descriptive.communication.email_opt_in",
    "SMS Opt In": "descriptive.communication.sms_opt_in",
    "Create Date": "created_at",
    "Last Modified Date": "updated_at",
    "Number of Purchases": "quantitative.purchase_count",
    "Total Spent": "quantitative.total_spent",
    "Net Promoter Score": "quantitative.nps",
}
MAPPING = ColumnMapping({**COLUMNS, "Phone Opt In": "descriptive.communication.phone_opt_in"})
_STEPS = re.compile(r"[A-Za-z_]+|\[\d+\]")


def _cell(row: dict[str, Any], path: str) -> Any:
    node: Any = row
    for step in _STEPS.findall(path):
        if step.startswith("["):
            index = int(step[1:-1])
            node = node[index] if isinstance(node, list) and len(node) > index else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
    return "" if node is None or isinstance(node, (dict, list)) else node


def _export_text() -> str:
    data = messy_dataset(9, AS_OF, contacts=ROWS, accounts=200, deals=0, activities=0)
    rng = random.Random(3)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MAPPING.columns)
    for number, row in enumerate(data.contacts):
        cells = [_cell(row, path) for path in COLUMNS.values()]
        cells[0] = 1000 + number if number % 50 else ""  # a blank id: the column reads as floats
        cells.append(rng.choice([True, False, ""]))  # booleans with blanks: an object column
        writer.writerow(cells)
    return out.getvalue()


@pytest.fixture(scope="module")
def export() -> tuple[str, dict[int, Contact]]:
    """The CSV text and the records of the rows that convert with every cell read as text."""
    text = _export_text()
    sound: dict[int, Contact] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text))):
        try:
            sound[number] = from_dict(Contact, MAPPING.apply(row))
        except ConversionError:
            continue
    return text, sound


READERS: dict[str, Callable[[str], Any]] = {
    "pandas": lambda text: pd.read_csv(io.StringIO(text)),
    "pandas-arrow": lambda text: pd.read_csv(io.StringIO(text), dtype_backend="pyarrow"),
    "polars": lambda text: pl.read_csv(text.encode()),
    "arrow-dictionary": lambda text: pacsv.read_csv(
        io.BytesIO(text.encode()),
        convert_options=pacsv.ConvertOptions(auto_dict_encode=True, auto_dict_max_cardinality=ROWS),
    ),
}


@pytest.mark.parametrize("reader", list(READERS))
def test_every_sound_row_of_the_export_converts_to_the_same_record(
    export: tuple[str, dict[int, Contact]], reader: str
) -> None:
    text, sound = export
    frame = READERS[reader](text)
    read = read_frame(frame, Contact, MAPPING)
    converted = dict(zip(read.rows, read.records, strict=True))
    assert len(sound) > ROWS * 0.85  # the export is messy, not broken
    assert set(sound) <= set(converted)
    assert all(converted[number] == record for number, record in sound.items())
    # a row that did not convert is one that had problems, and only such a row
    assert {p.row for p in read.problems} == set(range(ROWS)) - set(converted)
    assert read.unmapped == read.absent == ()


def test_the_pandas_export_holds_the_dtypes_of_a_real_one(export: tuple[str, Any]) -> None:
    frame = READERS["pandas"](export[0])
    assert frame["Record ID"].dtype.kind == "f"
    assert frame["Phone Opt In"].dtype == object
    assert frame["Number of Purchases"].dtype.kind == "f"
    records = read_frame(frame, Contact, MAPPING).records
    assert records[0].id == "1001"  # a float id of a whole number reads as that number


def test_cleaning_the_export_keeps_every_row_that_has_an_id(export: tuple[str, Any]) -> None:
    frame = READERS["pandas"](export[0]).head(500)
    ctx = Context(AS_OF)
    records, problems = clean_and_validate(frame, Contact, MAPPING, ctx=ctx)
    with_id = frame["Record ID"].notna()
    assert len(records) == int(with_id.sum()) < 500
    missing = problems[problems["code"] == "value.missing"]
    assert set(missing["row"]) == {n for n in range(500) if not with_id[n]}
    assert "quarantine[0].code" in records.columns  # what could not be read is kept aside
