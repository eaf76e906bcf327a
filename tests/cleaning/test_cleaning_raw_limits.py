"""Huge values: clean_raw sets aside what is too long to be read, and stays fast doing so.

A 1 MB date once took 40 seconds to refuse; a parser given megabytes may be quadratic. The
bound below is generous on purpose (a loaded machine is slow): it catches the pathological
case, not a regression of speed, which the benchmarks measure.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from crmcore import RECORD_TYPES, Contact, Record
from crmcore.cleaning import QUARANTINE_CODES, CleaningContext, CleaningError, clean_raw
from crmcore.cleaning._types import Kind, slots

MB = 1_000_000
BOUND = 10.0  # seconds for one record holding about a hundred 1 MB values


def filled(cls: type[Any], big: str) -> dict[str, Any]:
    """A raw mapping of ``cls`` with ``big`` in every field, list and custom field."""
    raw: dict[str, Any] = {}
    for slot in slots(cls):
        if slot.kind is Kind.OBJECT and slot.cls is not None:
            raw[slot.name] = filled(slot.cls, big)
        elif slot.kind is Kind.OBJECTS and slot.cls is not None:
            raw[slot.name] = [filled(slot.cls, big), big]
        elif slot.kind is Kind.TEXTS:
            raw[slot.name] = [big]
        elif slot.kind is Kind.CUSTOM:
            raw[slot.name] = {"big": big}
        else:
            raw[slot.name] = big
    return raw


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.__name__)
@pytest.mark.parametrize(
    "big", ["7" * MB, "Ab. " * (MB // 4), "\u00e9" * MB], ids=["digits", "words", "accents"]
)
def test_a_megabyte_in_every_field_is_set_aside_quickly(
    record_type: type[Record], big: str
) -> None:
    raw = filled(record_type, big)
    raw["id"] = "x"
    start = time.perf_counter()
    try:
        result = clean_raw(record_type, raw, CleaningContext())
    except CleaningError:
        pytest.fail("a record with an id is always made")
    assert time.perf_counter() - start < BOUND
    assert result.quarantine
    assert {q.code for q in result.quarantine} <= set(QUARANTINE_CODES)


@pytest.mark.parametrize(
    ("identity", "path"),
    [
        ({"emails": ["a" * MB + "@example.org"]}, "identity.emails[0]"),
        ({"emails": [{"address": "a" * 600 + "@example.org"}]}, "identity.emails[0]"),
        ({"phones": ["1" * MB]}, "identity.phones[0]"),
        ({"phones": [{"number": "1" * 200}]}, "identity.phones[0]"),
        ({"birth_date": "7" * MB}, "identity.birth_date"),
        ({"birth_date": "1" * 200}, "identity.birth_date"),
        ({"addresses": [{"country": "F" * MB}]}, "identity.addresses[0].country"),
    ],
)
def test_a_value_too_long_for_its_kind_is_set_aside_with_a_code_saying_so(
    identity: dict[str, Any], path: str
) -> None:
    result = clean_raw(Contact, {"id": "c", "identity": identity}, CleaningContext())
    assert [(q.path, q.code) for q in result.quarantine] == [(path, "value.too_long")]


def test_a_number_far_too_long_is_set_aside_before_it_is_read() -> None:
    raw = {"id": "c", "quantitative": {"email_opens": "7" * MB, "purchase_count": "12"}}
    result = clean_raw(Contact, raw, CleaningContext())
    assert [(q.path, q.code) for q in result.quarantine] == [
        ("quantitative.email_opens", "value.too_long")
    ]
    assert result.record.quantitative.purchase_count == 12


def test_many_values_set_aside_inside_values_set_aside_stay_linear() -> None:
    # Each phone's date is set aside, then the phone itself: 10,000 values taken back.
    n = 5000
    raw = {"id": "c", "identity": {"phones": [{"number": "abc", "collected_at": "x"}] * n}}
    start = time.perf_counter()
    result = clean_raw(Contact, raw, CleaningContext())
    assert time.perf_counter() - start < BOUND
    assert [q.path for q in result.quarantine] == [f"identity.phones[{i}]" for i in range(n)]
    assert sum(c.rule == "quarantine" for c in result.changes) == n
