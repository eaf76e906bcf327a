"""Huge input is refused before it is parsed: no field of any record takes seconds to read.

python-dateutil is quadratic (a million digits took 40 s as an instant) and a whole number
of thousands of digits broke ``json.dumps`` of the output. These tests send a megabyte into
every field of every record type, directly and through a :class:`ColumnMapping`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, get_args

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import ColumnMapping, Contact, ConversionError, Converter, Deal
from crmcore.records import RECORD_TYPES
from crmcore.records.custom import CustomFields

MEGABYTE = 1_000_000
BOUND = 2.0
"""Seconds a record may take to be read or refused: generous, the bad cases took 40."""

CONVERTERS = (
    Converter(),
    Converter(
        dayfirst=True,
        as_of=datetime(2026, 1, 1, tzinfo=timezone.utc),
        assume_tz=timezone.utc,
        default_region="FR",
        default_currency="EUR",
        verify=True,
    ),
)

Step = str | int


def _inner(kind: Any) -> Any:
    args = [arg for arg in get_args(kind) if arg is not type(None)]
    if len(args) == 1 and type(None) in get_args(kind):
        return args[0]
    return kind


def _leaves(cls: type[Any], depth: int = 0) -> Iterator[tuple[Step, ...]]:
    """Every path to a leaf of ``cls``: attributes, with ``0`` for the first item of a list."""
    for attribute in attrs.fields(attrs.resolve_types(cls)):
        kind = _inner(attribute.type)
        if getattr(kind, "__origin__", None) is tuple:
            kind = get_args(kind)[0]
            prefix: tuple[Step, ...] = (attribute.name, 0)
        else:
            prefix = (attribute.name,)
        if kind is CustomFields:
            yield (*prefix, "note")
        elif attrs.has(kind) and depth < 3:
            for leaf in _leaves(kind, depth + 1):
                yield (*prefix, *leaf)
        else:
            yield prefix


def _place(steps: tuple[Step, ...], value: Any) -> Any:
    if not steps:
        return value
    head, rest = steps[0], steps[1:]
    inner = _place(rest, value)
    return [inner] if isinstance(head, int) else {head: inner}


def _column(steps: tuple[Step, ...]) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _read_in_time(converter: Converter, record_type: type[Any], data: Any) -> None:
    start = time.perf_counter()
    try:
        record = converter.from_dict(record_type, data)
    except ConversionError:
        pass
    else:
        json.dumps(converter.to_dict(record))
    assert time.perf_counter() - start < BOUND


SHAPES = (
    "7" * MEGABYTE,
    "1/" * (MEGABYTE // 2),
    "a" * MEGABYTE + "@example.org",
    "+33 1 " + "2" * MEGABYTE,
    " x" * (MEGABYTE // 2),
)


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda kind: kind.__name__)
def test_a_megabyte_in_any_field_is_read_or_refused_quickly(record_type: type[Any]) -> None:
    for steps in _leaves(record_type):
        for shape in SHAPES:
            data = {"id": "r-1", **_place(steps, shape)} if steps != ("id",) else {"id": shape}
            for converter in CONVERTERS:
                _read_in_time(converter, record_type, data)


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda kind: kind.__name__)
@settings(max_examples=10, deadline=None)
@given(unit=st.text(min_size=1, max_size=6), data=st.data())
def test_generated_megabyte_values_are_read_or_refused_quickly(
    record_type: type[Any], unit: str, data: st.DataObject
) -> None:
    leaves = list(_leaves(record_type))
    steps = data.draw(st.sampled_from(leaves))
    shape = unit * (MEGABYTE // len(unit))
    _read_in_time(CONVERTERS[1], record_type, {"id": "r-1", **_place(steps, shape)})


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda kind: kind.__name__)
def test_a_megabyte_in_any_column_is_read_or_refused_quickly(record_type: type[Any]) -> None:
    columns = [_column(steps) for steps in _leaves(record_type)]
    mapping = ColumnMapping.identity(columns)
    for column in columns:
        for shape in SHAPES[:3]:
            row = {"id": "r-1", column: shape}
            _read_in_time(CONVERTERS[1], record_type, mapping.apply(row))


def test_a_megabyte_key_is_refused_quickly() -> None:
    for data in (
        {"id": "c", "x" * MEGABYTE: 1},
        {"id": "c", "descriptive": {"custom": {"x" * MEGABYTE: "1"}}},
        {"id": "c", "identity": {"emails": {"a" * MEGABYTE + "@example.org": "work"}}},
    ):
        start = time.perf_counter()
        with pytest.raises(ConversionError) as caught:
            Converter().from_dict(Contact, data)
        assert time.perf_counter() - start < BOUND
        assert len(str(caught.value)) < 1000


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"created_at": "7" * MEGABYTE}, "too long for a date and time"),
        ({"identity": {"birth_date": "7" * 100}}, "too long for a date"),
        ({"identity": {"emails": "a" * 300 + "@example.org"}}, "too long for an email"),
        ({"identity": {"phones": "+33 1 " + "2" * 100}}, "too long for a phone number"),
        ({"quantitative": {"email_clicks": "7" * 100}}, "too long for a whole number"),
        ({"quantitative": {"email_clicks": 10**4400}}, "too large for a whole number"),
        ({"quantitative": {"email_clicks": 2**63}}, "too large for a whole number"),
        ({"descriptive": {"lifecycle_stage": "lead" * 100}}, "too long for a code"),
        ({"descriptive": {"communication": {"email_opt_in": "yes" * 10}}}, "too long"),
        ({"quantitative": {"total_spent": "1" * 100 + " EUR"}}, "too long for an amount"),
        ({"quantitative": {"total_spent": {"amount": 10**25, "currency": "EUR"}}}, "too large"),
        ({"quantitative": {"total_spent": {"amount": "1", "currency": "E" * 100}}}, "too long"),
        ({"identity": {"addresses": {"country": "France" * 100}}}, "too long for a country"),
        ({"descriptive": {"custom": {"seats": 10**4400}}}, "too large"),
    ],
)
def test_too_long_or_too_large_values_are_refused_with_a_reason(
    data: dict[str, Any], reason: str
) -> None:
    with pytest.raises(ConversionError) as caught:
        Converter().from_dict(Contact, {"id": "c-1", **data})
    assert len(caught.value.problems) == 1
    assert reason in caught.value.problems[0].reason


def test_amounts_beyond_decimal_38_18_are_refused() -> None:
    converter = Converter()
    for amount in ("1e20", "0.0000000000000000001", Decimal("1E+30"), 1e300):
        with pytest.raises(ConversionError):
            converter.from_dict(
                Deal, {"id": "d", "quantitative": {"amount": {"amount": amount, "currency": "EUR"}}}
            )
    deal = converter.from_dict(
        Deal,
        {
            "id": "d",
            "quantitative": {"amount": {"amount": "99999999999999999999.5", "currency": "EUR"}},
        },
    )
    json.dumps(converter.to_dict(deal))
