"""``clean_raw`` builds its result from changes already flat, without the constructor's
converters: the result must be the one the constructor makes of the same parts."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import attrs
import pytest

from crmcore import Contact
from crmcore.cleaning import CleaningContext, RawCleanResult, clean_raw

CTX = CleaningContext(
    as_of=datetime(2025, 6, 1, tzinfo=timezone.utc), default_region="GB", dayfirst=True
)

ROWS: list[dict[str, Any]] = [
    {"id": "c-1"},
    {
        "id": "c-2",
        "identity": {
            "name": {"given": "  ADA ", "family": "lovelace"},
            "emails": ["Ada@Example.ORG ", "not an email"],
            "phones": ["020 7946 0018", "call me"],
            "birth_date": "31/02/1990",
        },
        "descriptive": {"lifecycle_stage": "hot lead", "organisation_size": "huge"},
        "quantitative": {"email_opens": "1,204", "email_clicks": "many"},
    },
    {
        "id": "c-3",
        "identity": {"name": {"given": "JOSÃ©", "family": "  García "}, "nickname": "x"},
        "qualitative": {"notes": ["  a note ", "  a note "]},
    },
]


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_the_result_is_the_one_the_constructor_makes(row: dict[str, Any]) -> None:
    result = clean_raw(Contact, row, CTX)
    made = RawCleanResult(result.record, result.changes, result.quarantine)
    assert result == made
    assert hash(result) == hash(made)
    assert result.changes == made.changes
    assert result.quarantine == made.quarantine
    for field in attrs.fields(RawCleanResult):  # every attribute set, none left out
        assert getattr(result, field.name) == getattr(made, field.name), field.name


def test_the_rows_exercise_changes_and_quarantine() -> None:
    results = [clean_raw(Contact, row, CTX) for row in ROWS]
    assert any(result.changes for result in results)
    assert any(result.quarantine for result in results)
