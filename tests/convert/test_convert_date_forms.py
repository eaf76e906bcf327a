"""Dates as exports write them: ISO basic, spreadsheet serials, month names in six languages."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact, ConversionError, Converter, InvalidValueError
from crmcore.convert import _dates as read
from crmcore.convert._months import MONTH_NAMES, english_months
from crmcore.convert._serials import serial_date, serial_instant

UTC = timezone.utc
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
DATES = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))

# -- ISO basic ---------------------------------------------------------------------------


@given(DATES, st.booleans(), st.booleans())
def test_iso_basic_is_never_reinterpreted(day: date, dayfirst: bool, serials: bool) -> None:
    text = day.strftime("%Y%m%d").zfill(8)
    options: dict[str, Any] = {"dayfirst": dayfirst, "as_of": AS_OF, "serials": serials}
    assert read.read_date(text, **options) == day
    assert read.read_date(int(text), **options) == day
    instant = read.read_datetime(text, assume_tz=UTC, dayfirst=dayfirst, serials=serials)
    assert instant == datetime(day.year, day.month, day.day, tzinfo=UTC)


def test_iso_basic_given_as_a_number_is_read_in_a_record() -> None:
    contact = Converter(dayfirst=True).from_dict(
        Contact, {"id": "c1", "identity": {"birth_date": 19900305}}
    )
    assert contact.identity.birth_date == date(1990, 3, 5)


# -- spreadsheet serials ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(1, date(1900, 1, 1)), (59, date(1900, 2, 28)), (61, date(1900, 3, 1)),
     (32937, date(1990, 3, 5)), (45000, date(2023, 3, 15)), (2958465, date(9999, 12, 31))],
)  # fmt: skip
def test_serials_count_days_as_spreadsheets_do(serial: int, expected: date) -> None:
    assert serial_date(serial) == expected


@pytest.mark.parametrize("serial", [0, 60, -5, 2958466, float("inf")])
def test_serials_no_spreadsheet_shows_are_refused(serial: Any) -> None:
    with pytest.raises(InvalidValueError) as raised:
        serial_date(serial)
    assert raised.value.code == "date.invalid"


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
def test_serials_round_trip(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    assert serial_date(serial) == day
    assert read.read_date(float(serial), serials=True) == day


def test_a_fraction_of_a_day_is_a_time() -> None:
    assert serial_instant(32937.5) == datetime(1990, 3, 5, 12)
    with pytest.raises(InvalidValueError) as raised:
        read.read_date("32937.5", serials=True)
    assert raised.value.code == "date.has_time"


def test_serials_are_read_only_when_asked() -> None:
    asked = Converter(spreadsheet_dates=True, assume_tz="UTC")
    data = {"id": "c1", "created_at": 45000.25, "identity": {"birth_date": "32937"}}
    contact = asked.from_dict(Contact, data)
    assert contact.identity.birth_date == date(1990, 3, 5)
    assert contact.created_at == datetime(2023, 3, 15, 6, tzinfo=UTC)
    with pytest.raises(ConversionError) as raised:
        Converter(assume_tz="UTC").from_dict(Contact, data)
    codes = sorted((problem.code, problem.loc) for problem in raised.value.problems)
    assert codes == [
        ("date.invalid", ("identity", "birth_date")),
        ("value.wrong_type", ("created_at",)),
    ]


@pytest.mark.parametrize(
    ("text", "expected"), [("1990", "date.incomplete"), ("050390", date(1990, 5, 3))]
)
def test_digits_other_than_five_are_never_serials(text: str, expected: Any) -> None:
    """A year alone stays incomplete and a compact date keeps its reading."""
    assert _read_or_code(text, serials=True) == expected
    assert _read_or_code(text, serials=False) == expected


def _read_or_code(text: str, **options: Any) -> Any:
    try:
        return read.read_date(text, as_of=AS_OF, **options)
    except InvalidValueError as refused:
        return refused.code


def test_the_spreadsheet_dates_option_is_checked() -> None:
    with pytest.raises(InvalidValueError) as raised:
        Converter(spreadsheet_dates="yes")  # type: ignore[arg-type]
    assert raised.value.field == "spreadsheet_dates"
    assert Converter(spreadsheet_dates=True).spreadsheet_dates is True


# -- month names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 mars 1990", date(1990, 3, 5)),
        ("1er mai 1990", date(1990, 5, 1)),
        ("le 14 juillet 1989", date(1989, 7, 14)),
        ("3. März 1985", date(1985, 3, 3)),
        ("3 Maerz 1985", date(1985, 3, 3)),
        ("am 24. Dezember 2001", date(2001, 12, 24)),
        ("12 de abril de 1990", date(1990, 4, 12)),
        ("5 de março de 1990", date(1990, 3, 5)),
        ("15 ottobre 2020", date(2020, 10, 15)),
        ("3 mei 2021", date(2021, 5, 3)),
        ("FÉVR 2, 2020", date(2020, 2, 2)),
        ("7 dic 2019", date(2019, 12, 7)),
    ],
)
def test_month_names_in_the_languages_of_the_supported_countries(text: str, expected: date) -> None:
    assert read.read_date(text) == expected
    assert read.read_date(text, dayfirst=True) == expected


@given(st.sampled_from(sorted(MONTH_NAMES)), st.dates(min_value=date(1000, 1, 1)), st.data())
def test_every_name_of_every_month_reads_as_its_month(
    language: str, day: date, data: st.DataObject
) -> None:
    names = MONTH_NAMES[language][day.month - 1].split()
    name = data.draw(st.sampled_from(names))
    case = data.draw(st.sampled_from([str.lower, str.upper, str.title]))
    assert read.read_date(f"{day.day} {case(name)} {day.year}") == day


@pytest.mark.parametrize("text", ["mars 1990", "März 1985", "abril de 1990", "5 mars"])
def test_a_partial_date_in_any_language_is_never_completed(text: str) -> None:
    with pytest.raises(InvalidValueError) as raised:
        read.read_date(text, as_of=AS_OF)
    assert raised.value.code == "date.incomplete"


def test_a_two_digit_year_with_a_month_name_needs_as_of() -> None:
    with pytest.raises(InvalidValueError) as raised:
        read.read_date("5 mars 90")
    assert raised.value.code == "date.two_digit_year"
    assert read.read_date("5 mars 90", as_of=AS_OF, past=True) == date(1990, 3, 5)


def test_an_instant_with_a_month_name() -> None:
    found = read.read_datetime("5 mars 1990 10:30", assume_tz=UTC)
    assert found == datetime(1990, 3, 5, 10, 30, tzinfo=UTC)


def test_english_text_is_left_as_it_is() -> None:
    assert english_months("5 March 1990") is None
    assert english_months("2020-01-01") is None


PLANTED = "Brontë"


def test_refusals_never_quote_the_date() -> None:
    data = {
        "id": "c1",
        "created_at": f"5 mars 1990 {PLANTED}",
        "identity": {"birth_date": f"{PLANTED} 12 de abril"},
        "quantitative": {"last_purchase_on": 9999999.5},
    }
    with pytest.raises(ConversionError) as raised:
        Converter(spreadsheet_dates=True, assume_tz="UTC").from_dict(Contact, data)
    assert len(raised.value.problems) == 3
    assert PLANTED not in str(raised.value)
    assert PLANTED not in repr(raised.value.errors())
    assert "9999999" not in str(raised.value)
