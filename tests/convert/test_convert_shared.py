"""Conversion shares equal facet values and zones, and the records it makes are unchanged."""

from __future__ import annotations

from datetime import timezone
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import Contact, Converter, Money, to_dict
from crmcore.convert._shared import SharedValues, signature
from crmcore.records.values import CommunicationPreferences
from crmcore.testing.strategies import contacts


@settings(max_examples=40, deadline=None)
@given(st.lists(contacts(), min_size=1, max_size=6))
def test_records_read_by_one_converter_are_those_each_fresh_converter_reads(
    made: list[Contact],
) -> None:
    rows = [to_dict(record) for record in made]
    shared = Converter()
    together = [shared.from_dict(Contact, row) for row in rows * 2]
    alone = [Converter().from_dict(Contact, row) for row in rows * 2]
    assert together == alone
    assert [to_dict(record) for record in together] == [to_dict(record) for record in alone]
    assert [to_dict(record) for record in together] == rows * 2


def _row(index: int, **facets: Any) -> dict[str, Any]:
    return {"id": f"c-{index}", **facets}


def test_equal_preferences_and_facets_are_one_object() -> None:
    converter = Converter()
    facets = {
        "descriptive": {"communication": {"email_opt_in": True, "preferred_channel": "email"}},
        "qualitative": {"satisfaction": "satisfied"},
        "quantitative": {"purchase_count": 3, "last_purchase_on": "2026-01-02"},
    }
    first, second = (converter.from_dict(Contact, _row(i, **facets)) for i in (1, 2))
    assert first.descriptive.communication is second.descriptive.communication
    assert first.qualitative is second.qualitative
    assert first.quantitative is second.quantitative
    assert first.descriptive is not second.descriptive


def test_equal_values_written_differently_are_not_shared() -> None:
    converter = Converter()
    first = converter.from_dict(Contact, _row(1, quantitative={"total_spent": "1.0 EUR"}))
    second = converter.from_dict(Contact, _row(2, quantitative={"total_spent": "1.00 EUR"}))
    assert first.quantitative.total_spent == Money(Decimal("1.00"), "EUR")
    assert first.quantitative == second.quantitative  # Decimal("1.0") == Decimal("1.00")
    assert first.quantitative is not second.quantitative
    assert to_dict(first)["quantitative"]["total_spent"]["amount"] == "1.0"
    assert to_dict(second)["quantitative"]["total_spent"]["amount"] == "1.00"


def test_a_value_holding_text_is_its_own() -> None:
    """Text is never kept by the converter beyond its record: it may say who a person is."""
    converter = Converter()
    said = {"satisfaction": "satisfied", "motivations": ["price"]}
    first, second = (converter.from_dict(Contact, _row(i, qualitative=said)) for i in (1, 2))
    assert first.qualitative == second.qualitative
    assert first.qualitative is not second.qualitative


def test_a_value_with_custom_fields_or_notes_is_its_own() -> None:
    converter = Converter()
    note = {"notes": [{"text": "called", "created_at": "2026-01-02T10:00:00+01:00"}]}
    first, second = (converter.from_dict(Contact, _row(i, qualitative=note)) for i in (1, 2))
    assert first.qualitative == second.qualitative
    assert first.qualitative is not second.qualitative


def test_instants_with_one_offset_hold_one_zone_and_utc_is_utc() -> None:
    converter = Converter()
    rows = [
        _row(1, created_at="2026-01-02T10:00:00+02:00"),
        _row(2, created_at="2026-03-04 08:30:00+02:00", updated_at="2026-03-04T08:30:00Z"),
    ]
    first, second = (converter.from_dict(Contact, row) for row in rows)
    assert first.created_at.tzinfo is second.created_at.tzinfo
    assert second.updated_at.tzinfo is timezone.utc
    assert to_dict(first)["created_at"] == "2026-01-02T10:00:00+02:00"


def test_sharing_stops_at_its_limit_and_values_stay_their_own() -> None:
    values = SharedValues(limit=1)
    one, other = CommunicationPreferences(sms_opt_in=True), CommunicationPreferences()
    assert values.share(one) is one
    assert values.share(other) is other
    assert values.share(CommunicationPreferences()) is not other
    assert values.share(CommunicationPreferences(sms_opt_in=True)) is one
    assert len(values) == 1
    values.clear()
    assert len(values) == 0


def test_a_flag_and_a_number_never_share_a_key() -> None:
    flag = CommunicationPreferences(sms_opt_in=True)
    number = CommunicationPreferences.__new__(CommunicationPreferences)
    for name in ("preferred_channel", "email_opt_in", "phone_opt_in", "post_opt_in"):
        object.__setattr__(number, name, None)
    object.__setattr__(number, "sms_opt_in", 1)
    assert signature(flag) != signature(number)
