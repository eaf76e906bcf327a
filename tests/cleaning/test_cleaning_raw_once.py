"""The raw stage converts each row once: what conversion would refuse is set aside before."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from crmcore import Contact, Converter
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.records.enums import LifecycleStage

AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)
CTX = CleaningContext(as_of=AS_OF, default_region="GB", dayfirst=True)


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The record types converted, one entry per call of ``Converter.from_dict``."""
    calls: list[str] = []
    convert = Converter.from_dict

    def counted(self: Converter, record_type: Any, data: Any) -> Any:
        calls.append(getattr(record_type, "__name__", str(record_type)))
        return convert(self, record_type, data)

    monkeypatch.setattr(Converter, "from_dict", counted)
    return calls


def test_a_row_with_unreadable_scalars_and_unknown_keys_is_converted_once(
    conversions: list[str],
) -> None:
    row = {
        "id": "c-1",
        "identity": {"emails": ["ada@example.org"], "nickname": "Ada", "": "x"},
        "descriptive": {"lifecycle_stage": "hot lead", "organisation_size": "huge"},
        "quantitative": {"email_opens": "1,204", "email_clicks": "many"},
        "ada@example.org": "a key no path may name",
    }
    result = clean_raw(Contact, row, CTX)
    assert conversions == ["Contact"]
    found = {(item.path, item.code) for item in result.quarantine}
    assert found == {
        ("identity.nickname", "field.unknown"),
        ("identity.<key 2>", "field.unknown"),
        ("descriptive.lifecycle_stage", "value.unreadable"),
        ("descriptive.organisation_size", "value.unreadable"),
        ("quantitative.email_clicks", "value.unreadable"),
        ("<key 4>", "field.unknown"),
    }
    assert result.record.quantitative.email_opens == 1204


def test_scalars_are_read_once_as_the_converter_reads_them(conversions: list[str]) -> None:
    row = {
        "id": "c-2",
        "descriptive": {"lifecycle_stage": " Customer "},
        "quantitative": {"email_opens": "5.0", "nps": 9},
    }
    result = clean_raw(Contact, row, CTX)
    assert conversions == ["Contact"]
    assert result.record.descriptive.lifecycle_stage is LifecycleStage.CUSTOMER
    assert (result.record.quantitative.email_opens, result.record.quantitative.nps) == (5, 9)
    assert result.quarantine == ()


def test_a_value_refused_only_by_its_constructor_still_goes_to_the_quarantine(
    conversions: list[str],
) -> None:
    # An NPS is read as a number by the walk, and only its constructor knows 0..10.
    result = clean_raw(Contact, {"id": "c-3", "quantitative": {"nps": 42}}, CTX)
    assert [(item.path, item.code) for item in result.quarantine] == [
        ("quantitative.nps", "value.unreadable")
    ]
    assert result.record.quantitative.nps is None
    assert conversions == ["Contact", "Contact"]


@pytest.mark.parametrize(
    ("country", "amount"), [("Allemagne", Decimal("1.234")), ("US", Decimal("1234"))]
)
def test_a_scalar_is_read_with_the_separator_of_the_records_country(
    conversions: list[str], country: str, amount: Decimal
) -> None:
    row = {
        "id": "c-4",
        "identity": {"addresses": [{"country": country}]},
        "quantitative": {"total_spent": {"amount": "1,234", "currency": "EUR"}},
    }
    result = clean_raw(Contact, row, CTX)
    assert result.record.quantitative.total_spent.amount == amount
    assert conversions == ["Contact"]


def test_an_unreadable_required_scalar_sets_aside_its_object_as_before(
    conversions: list[str],
) -> None:
    # An amount is required in money: conversion refuses it and the money is set aside.
    row = {"id": "c-5", "quantitative": {"total_spent": {"amount": "1,234", "currency": "EUR"}}}
    result = clean_raw(Contact, row, CTX)
    assert [(item.path, item.code) for item in result.quarantine] == [
        ("quantitative.total_spent", "value.unreadable")
    ]
    assert conversions == ["Contact", "Contact"]
