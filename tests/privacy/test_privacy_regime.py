"""Regime and Timing values: frozen, checked, adjustable."""

from __future__ import annotations

import attrs
import pytest

from crmcore.errors import InvalidValueError
from crmcore.privacy import CCPA_CPRA, GDPR, Period, Regime, RequestKind, Timing


def test_a_regime_is_frozen_and_adjusted_by_copies() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        GDPR.name = "other"  # type: ignore[misc]
    changed = GDPR.with_timing(Timing("access", "respond", Period(28, "days"), "house rule"))
    assert changed.timing("access").period == Period(28, "days")
    assert GDPR.timing("access").period == Period(1, "months")
    assert changed.kinds == GDPR.kinds


def test_without_removes_a_kind_or_one_clock() -> None:
    no_confirm = CCPA_CPRA.without("access", "confirm_receipt")
    assert no_confirm.clocks("access") == ("respond",)
    assert RequestKind.ACCESS not in CCPA_CPRA.without("access").kinds


def test_lookup_errors_name_the_argument() -> None:
    with pytest.raises(InvalidValueError) as caught:
        GDPR.timing("hipaa_access")
    assert caught.value.field == "kind"
    with pytest.raises(InvalidValueError) as caught:
        GDPR.timing("access", "confirm_receipt")
    assert caught.value.field == "clock"
    with pytest.raises(InvalidValueError) as caught:
        GDPR.timing("nonsense")
    assert caught.value.field == "kind"


def test_one_timing_per_kind_and_clock() -> None:
    timing = Timing("access", "respond", Period(1, "months"), "x")
    with pytest.raises(InvalidValueError) as caught:
        Regime("acme.x", "X", (timing, timing))
    assert caught.value.field == "timings"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("receipt_day", "maybe"),
        ("end_on_non_working", "previous_working_day"),
        ("identity", "stops"),
        ("clarification", None),
        ("rest_days", (0, 1, 2, 3, 4, 5, 6)),
        ("rest_days", (7,)),
        ("rest_days", "56"),
        ("name", "Acme.X"),
        ("name", "ada@example.org"),
        ("citations", "one string"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(InvalidValueError) as caught:
        attrs.evolve(GDPR, **{field: value})
    assert caught.value.field == field
    if isinstance(value, str):
        assert value not in str(caught.value)


def test_an_extension_is_counted_in_its_period_unit() -> None:
    with pytest.raises(InvalidValueError) as caught:
        Timing("access", "respond", Period(1, "months"), "x", extension=Period(30, "days"))
    assert caught.value.field == "extension"


def test_a_clock_is_a_dotted_lower_case_name() -> None:
    assert Timing("access", "acme.acknowledge", Period(2, "days"), "x").clock == "acme.acknowledge"
    with pytest.raises(InvalidValueError) as caught:
        Timing("access", "Respond Now", Period(2, "days"), "x")
    assert caught.value.field == "clock"
