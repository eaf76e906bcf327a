"""Date and instant readers: year-first text is read year first, zones the same everywhere."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import InvalidValueError
from crmcore.convert import _dates as read

UTC = timezone.utc
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


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
