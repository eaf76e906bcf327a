"""Lenient scalar readers: accept what ETL data holds, refuse what would need guessing."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import InvalidValueError, LifecycleStage
from crmcore.convert import _lenient as read

UTC = timezone.utc
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize(("value", "expected"), [(3, 3), ("  42 ", 42), (7.0, 7), ("-1", -1)])
def test_read_int_accepts_whole_numbers_in_any_form(value: object, expected: int) -> None:
    assert read.read_int(value) == expected


@pytest.mark.parametrize("value", [True, 1.5, "1,23", "12abc", None, "", Decimal("1.5")])
def test_read_int_refuses_what_is_not_a_whole_number(value: object) -> None:
    with pytest.raises(InvalidValueError):
        read.read_int(value)


def test_read_float_reads_percentages_and_refuses_non_finite() -> None:
    assert read.read_float("12.5%") == pytest.approx(0.125)
    assert read.read_float(Decimal("0.5")) == 0.5
    for bad in ("nan", "inf", float("inf"), "abc", False):
        with pytest.raises(InvalidValueError):
            read.read_float(bad)


def test_read_decimal_is_exact() -> None:
    assert read.read_decimal(0.1) == Decimal("0.1")
    assert read.read_decimal(" 10.50 ") == Decimal("10.50")
    for bad in ("NaN", "Infinity", "ten", True, None):
        with pytest.raises(InvalidValueError):
            read.read_decimal(bad)


@pytest.mark.parametrize("word", ["yes", "Y", "true", "1", "oui", "on", 1, True])
def test_read_bool_true_words(word: object) -> None:
    assert read.read_bool(word) is True


@pytest.mark.parametrize("word", ["no", "N", "false", "0", "non", "off", 0, False])
def test_read_bool_false_words(word: object) -> None:
    assert read.read_bool(word) is False


def test_read_bool_refuses_anything_else() -> None:
    for bad in ("maybe", 2, None, ""):
        with pytest.raises(InvalidValueError):
            read.read_bool(bad)


def test_read_enum_by_value_name_case_and_spacing() -> None:
    assert read.read_enum("customer", LifecycleStage) is LifecycleStage.CUSTOMER
    assert read.read_enum("FORMER CUSTOMER", LifecycleStage) is LifecycleStage.FORMER_CUSTOMER
    assert (
        read.read_enum("marketing-qualified", LifecycleStage) is LifecycleStage.MARKETING_QUALIFIED
    )
    with pytest.raises(InvalidValueError):
        read.read_enum(3, LifecycleStage)


def test_read_text_accepts_numbers_but_not_structures() -> None:
    assert read.read_text(75001) == "75001"
    for bad in (None, True, ["a"], {"a": 1}):
        with pytest.raises(InvalidValueError):
            read.read_text(bad)


def test_read_text_refuses_lone_surrogates() -> None:
    assert read.read_text("Zoë") == "Zoë"
    with pytest.raises(InvalidValueError, match="surrogate"):
        read.read_text("Zo\ud800")


def test_read_date_refuses_a_time_of_day_rather_than_dropping_it() -> None:
    assert read.read_date("1985-03-02 00:00:00") == date(1985, 3, 2)
    with pytest.raises(InvalidValueError, match="time of day"):
        read.read_date("1985-03-02T10:30:00")
    with pytest.raises(InvalidValueError, match="time of day"):
        read.read_date(datetime(1985, 3, 2, 10, 30))


def test_read_date_invalid_iso_is_not_retried_as_free_form() -> None:
    with pytest.raises(InvalidValueError, match="ISO"):
        read.read_date("2020-13-01", dayfirst=True)


def test_read_date_of_free_form_text_in_english() -> None:
    assert read.read_date("April 3, 1985") == date(1985, 4, 3)
    assert read.read_date("3 Apr 1985") == date(1985, 4, 3)


def test_two_digit_years_follow_as_of_not_the_clock() -> None:
    early = datetime(1950, 6, 1, tzinfo=UTC)
    assert read.read_date("01/02/60", as_of=early) == date(1960, 1, 2)
    assert read.read_date("01/02/60", as_of=AS_OF) == date(2060, 1, 2)
    assert read.read_date("01/02/60", as_of=AS_OF, past=True) == date(1960, 1, 2)


def test_read_datetime_keeps_the_offset_and_refuses_naive_values() -> None:
    value = read.read_datetime("2024-01-02T03:04:05+05:30")
    assert value.utcoffset() == timedelta(hours=5, minutes=30)
    with pytest.raises(InvalidValueError, match="timezone"):
        read.read_datetime("2024-01-02T03:04:05")
    assert read.read_datetime("2024-01-02 03:04", assume_tz=UTC).tzinfo is UTC
    with pytest.raises(InvalidValueError):
        read.read_datetime(12345)


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans()))
def test_readers_raise_only_invalid_value_errors_on_arbitrary_input(value: object) -> None:
    reasons: list[str] = []
    for reader in (
        read.read_int,
        read.read_float,
        read.read_decimal,
        read.read_bool,
        read.read_text,
        lambda v: read.read_date(v, dayfirst=True, as_of=AS_OF, past=True),
        lambda v: read.read_datetime(v, as_of=AS_OF, assume_tz=UTC),
        lambda v: read.read_enum(v, LifecycleStage),
    ):
        try:
            reader(value)
        except InvalidValueError as exc:
            reasons.append(exc.reason)
    assert all(reasons)


@given(st.dates(min_value=date(1, 1, 1)))
def test_iso_dates_read_back_exactly_whatever_the_options(value: date) -> None:
    text = value.isoformat()
    assert read.read_date(text, dayfirst=True, as_of=AS_OF, past=True) == value
    assert read.read_date(text) == value


def test_year_first_dates_with_slashes_or_dots_are_never_read_day_first() -> None:
    assert read.read_date("1985/04/03", dayfirst=True) == date(1985, 4, 3)
    assert read.read_date("1985.4.3", dayfirst=True) == date(1985, 4, 3)
    with pytest.raises(InvalidValueError):
        read.read_date("1985/13/03", dayfirst=True)
