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


@pytest.mark.parametrize("value", [True, 1.5, "1,234", "12abc", None, "", Decimal("1.5")])
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


# -- year-first dates --------------------------------------------------------------------------


@pytest.mark.parametrize("dayfirst", [False, True])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19560409", date(1956, 4, 9)),
        ("1956 04 09", date(1956, 4, 9)),
        ("1956  4  9", date(1956, 4, 9)),
        ("2024-5-1", date(2024, 5, 1)),
        ("2024-05-1", date(2024, 5, 1)),
        ("2024/05/01", date(2024, 5, 1)),
        ("2024.5.01", date(2024, 5, 1)),
        ("2024/05/01 00:00", date(2024, 5, 1)),
    ],
)
def test_year_first_text_is_read_year_first_whatever_dayfirst(
    text: str, expected: date, dayfirst: bool
) -> None:
    assert read.read_date(text, dayfirst=dayfirst) == expected


@pytest.mark.parametrize("dayfirst", [False, True])
@pytest.mark.parametrize(
    "text", ["19561304", "1956 13 04", "2024-13-1", "2024/02/30", "20240230", "2024.0.10"]
)
def test_impossible_year_first_text_is_refused_never_reinterpreted(
    text: str, dayfirst: bool
) -> None:
    with pytest.raises(InvalidValueError):
        read.read_date(text, dayfirst=dayfirst)


def test_year_first_text_with_a_time_of_day_is_refused_as_a_date() -> None:
    with pytest.raises(InvalidValueError, match="time of day"):
        read.read_date("2024/05/01 10:30", dayfirst=True)


@pytest.mark.parametrize("dayfirst", [False, True])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024/05/01 10:30Z", datetime(2024, 5, 1, 10, 30, tzinfo=UTC)),
        (
            "2024-5-1 10:30 +02:00",
            datetime(2024, 5, 1, 10, 30, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("19560409T103000Z", datetime(1956, 4, 9, 10, 30, tzinfo=UTC)),
        ("195604091030Z", datetime(1956, 4, 9, 10, 30, tzinfo=UTC)),
        ("1956 04 09 10:30 PM UTC", datetime(1956, 4, 9, 22, 30, tzinfo=UTC)),
        ("2024-05-01 10:30 PM Z", datetime(2024, 5, 1, 22, 30, tzinfo=UTC)),
    ],
)
def test_year_first_instants_are_read_year_first_whatever_dayfirst(
    text: str, expected: datetime, dayfirst: bool
) -> None:
    assert read.read_datetime(text, dayfirst=dayfirst) == expected


@pytest.mark.parametrize("text", ["2024/13/01 10:30Z", "19561304T1030Z", "2024/05/01 3 June"])
def test_impossible_or_doubled_year_first_instants_are_refused(text: str) -> None:
    for dayfirst in (False, True):
        with pytest.raises(InvalidValueError):
            read.read_datetime(text, dayfirst=dayfirst, assume_tz=UTC)


def _year_first_renderings(value: date) -> list[str]:
    year = f"{value.year:04d}"
    months = {f"{value.month:02d}", str(value.month)}
    days = {f"{value.day:02d}", str(value.day)}
    out = [f"{year}{value.month:02d}{value.day:02d}"]
    for sep in ("-", "/", ".", " "):
        out.extend(f"{year}{sep}{m}{sep}{d}" for m in sorted(months) for d in sorted(days))
    return out


@given(st.dates(min_value=date(1, 1, 1)), st.booleans())
def test_every_year_first_rendering_of_a_date_reads_back_as_that_date(
    value: date, dayfirst: bool
) -> None:
    for text in _year_first_renderings(value):
        assert read.read_date(text, dayfirst=dayfirst, as_of=AS_OF) == value, text


@given(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.booleans(),
    st.sampled_from(["T", " "]),
    st.sampled_from(["Z", "+02:00", " UTC", "-0530"]),
)
def test_every_year_first_rendering_of_an_instant_reads_back_as_that_instant(
    value: datetime, dayfirst: bool, joint: str, zone: str
) -> None:
    value = value.replace(microsecond=0)
    clock = value.strftime("%H:%M:%S")
    for text in _year_first_renderings(value.date()):
        parsed = read.read_datetime(f"{text}{joint}{clock}{zone}", dayfirst=dayfirst)
        assert parsed.replace(tzinfo=None) == value, text


@given(
    st.integers(1, 9999),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["", "-", "/", ".", " "]),
    st.booleans(),
)
def test_impossible_year_first_dates_are_refused(
    year: int, month: int, day: int, sep: str, dayfirst: bool
) -> None:
    try:
        date(year, month, day)
    except ValueError:
        pass
    else:
        return
    text = f"{year:04d}{sep}{month:02d}{sep}{day:02d}"
    with pytest.raises(InvalidValueError):
        read.read_date(text, dayfirst=dayfirst, as_of=AS_OF)


@pytest.mark.parametrize(
    "text", ["05/02/2024 10:30 EST", "2024/05/02 10:30 CST", "05/02/2024 10:30 UTC+3"]
)
def test_zone_names_other_than_utc_are_refused_not_guessed(text: str) -> None:
    with pytest.raises(InvalidValueError, match="offset"):
        read.read_datetime(text, assume_tz=UTC)


def test_a_zone_name_is_never_read_as_the_machines_own_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time as clock_module

    monkeypatch.setattr(clock_module, "tzname", ("CET", "CEST"))
    with pytest.raises(InvalidValueError):
        read.read_datetime("05/02/2024 10:30 CET", assume_tz=UTC)
    utc = read.read_datetime("05/02/2024 10:30 UTC")
    assert utc.tzinfo is UTC
    assert read.read_datetime("2024/05/02 10:30 GMT").tzinfo is UTC
