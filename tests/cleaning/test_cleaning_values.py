"""Cleaning raw exports: every dialect of missing dropped with a change, numbers and dates read
with the context's decimal separator and spreadsheet dates."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact, Deal, InvalidValueError, Money
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.validation import Context

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

AS_OF = datetime(2026, 1, 1, tzinfo=timezone.utc)
DIALECTS: list[Any] = [float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT")]


def rules(result: Any) -> set[tuple[str, str]]:
    return {(change.path, change.rule) for change in result.changes}


@given(st.sampled_from(DIALECTS))
def test_a_missing_field_is_dropped_and_logged_as_blank(value: Any) -> None:
    result = clean_raw(
        Contact,
        {
            "id": "c1",
            "descriptive": {"job_title": value, "lifecycle_stage": value},
            "identity": {"birth_date": value, "addresses": [{"country": value}]},
            "quantitative": {"email_opens": value},
        },
    )
    assert result.quarantine == ()
    assert result.record.descriptive.job_title is None
    assert result.record.quantitative.email_opens is None
    assert {
        ("descriptive.job_title", "blank"),
        ("descriptive.lifecycle_stage", "blank"),
        ("identity.birth_date", "blank"),
        ("quantitative.email_opens", "blank"),
    } <= rules(result)


@given(st.sampled_from(["", "  ", *DIALECTS]), st.sampled_from(["", *DIALECTS]))
def test_composites_whose_parts_are_all_blank_are_dropped_with_a_change(
    first: Any, second: Any
) -> None:
    result = clean_raw(
        Contact,
        {
            "id": "c1",
            "identity": {"phones": [{"number": first, "label": "WORK"}]},
            "quantitative": {"total_spent": {"amount": first, "currency": second}},
        },
    )
    assert result.quarantine == ()
    assert result.record.identity.phones == ()
    assert result.record.quantitative.total_spent is None
    assert {("identity.phones[0]", "blank"), ("quantitative.total_spent", "blank")} <= rules(result)


def test_a_missing_list_item_is_dropped_and_the_rest_kept() -> None:
    ctx = CleaningContext(default_region="FR")
    result = clean_raw(
        Contact,
        {"id": "c1", "identity": {"phones": [pd.NA, "01 42 68 53 00"], "emails": [np.nan]}},
        ctx,
    )
    assert [phone.e164 for phone in result.record.identity.phones] == ["+33142685300"]
    assert result.record.identity.emails == ()
    assert ("identity.phones[0]", "blank") in rules(result)


def test_the_context_passes_its_number_style_to_the_converter() -> None:
    data = {"id": "d1", "quantitative": {"amount": "1.234,50 EUR", "days_in_stage": "1.204"}}
    result = clean_raw(Deal, data, CleaningContext(decimal_separator=","))
    assert result.record.quantitative.amount == Money(Decimal("1234.50"), "EUR")
    assert result.record.quantitative.days_in_stage == 1204
    ambiguous = clean_raw(Deal, {"id": "d1", "quantitative": {"amount": "1,234 EUR"}})
    assert ambiguous.record.quantitative.amount is None
    assert [item.path for item in ambiguous.quarantine] == ["quantitative.amount"]


def test_the_context_reads_spreadsheet_dates_when_asked() -> None:
    data = {"id": "c1", "identity": {"birth_date": 32937}}
    asked = clean_raw(Contact, data, CleaningContext(spreadsheet_dates=True))
    assert asked.record.identity.birth_date == date(1990, 3, 5)
    assert ("identity.birth_date", "date.iso") in rules(asked)
    unasked = clean_raw(Contact, data)
    assert unasked.record.identity.birth_date is None
    assert [(item.path, item.code) for item in unasked.quarantine] == [
        ("identity.birth_date", "date.unreadable")
    ]


def test_month_names_are_read_in_cleaning_too() -> None:
    result = clean_raw(Contact, {"id": "c1", "identity": {"birth_date": "12 de abril de 1990"}})
    assert result.record.identity.birth_date == date(1990, 4, 12)


def test_the_new_options_are_checked_and_shared_with_validation() -> None:
    for wrong in ({"decimal_separator": ";"}, {"spreadsheet_dates": 1}):
        with pytest.raises(InvalidValueError) as raised:
            CleaningContext(**wrong)
        assert raised.value.field == next(iter(wrong))
    ctx = CleaningContext.from_validation(
        Context(as_of=AS_OF, default_region="DE"), decimal_separator=",", spreadsheet_dates=True
    )
    assert ctx.converter().decimal_separator == ","
    assert ctx.converter().spreadsheet_dates is True
