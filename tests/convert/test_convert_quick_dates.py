"""The date shortcut gives exactly the dates dateutil's path of the lenient reader gives."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from dateutil import parser as dateparser
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.convert._lenient import free_form_date, read_date
from crmcore.convert._quick_dates import quick_date
from crmcore.errors import InvalidValueError

AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)
MONTH_NAMES = [name for names in dateparser.parserinfo.MONTHS for name in names]


def lenient(text: str, dayfirst: bool, past: bool) -> date | str:
    """What dateutil's path of read_date gives: the reference the shortcut is held to."""
    try:
        return free_form_date(text, dayfirst=dayfirst, as_of=AS_OF, past=past)
    except InvalidValueError as exc:
        return f"refused: {exc.reason}"


def assert_same_as_read_date(text: str) -> int:
    """Compare wherever the shortcut gives a date; return how many comparisons were made."""
    compared = 0
    for dayfirst in (True, False):
        quick = quick_date(text, dayfirst)
        if quick is None:
            continue
        for past in (True, False):
            assert lenient(text, dayfirst, past) == quick, (text, dayfirst, past)
            compared += 1
    return compared


@pytest.mark.parametrize("separator", ["/", ".", "-"])
@pytest.mark.parametrize("year", ["1000", "1985", "2024", "9999"])
def test_numeric_dates_read_as_read_date_reads_them(separator: str, year: str) -> None:
    compared = 0
    for first in range(34):
        for second in range(34):
            compared += assert_same_as_read_date(f"{first}{separator}{second}{separator}{year}")
            compared += assert_same_as_read_date(
                f"{first:02d}{separator}{second:02d}{separator}{year}"
            )
    assert compared > 2 * 2 * 2 * 12 * 28  # every day of every month, both ways round


@pytest.mark.parametrize("name", MONTH_NAMES)
def test_dates_with_a_month_name_read_as_read_date_reads_them(name: str) -> None:
    compared = 0
    for spelled in (name, name.lower(), name.upper()):
        for day in range(33):
            for year in ("1985", "2030"):
                compared += assert_same_as_read_date(f"{spelled} {day}, {year}")
                compared += assert_same_as_read_date(f"{day} {spelled} {year}")
                compared += assert_same_as_read_date(f"{day:02d} {spelled} {year}")
    assert compared >= 3 * 2 * 3 * 4 * 28  # every day the month has, in each form


_TOKENS = st.one_of(
    st.integers(0, 99).map(str),
    st.integers(0, 9999).map(lambda n: f"{n:04d}"),
    st.sampled_from(["/", ".", "-", " ", ", ", ",", "  "]),
    st.sampled_from([*MONTH_NAMES, "Mayo", "Sept.", "Juni", "mars", "of", "T"]),
)


@given(st.lists(_TOKENS, min_size=1, max_size=7).map("".join))
def test_any_text_the_shortcut_reads_is_read_alike(text: str) -> None:
    assert_same_as_read_date(text)


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("03/04/1985", True, date(1985, 4, 3)),
        ("03/04/1985", False, date(1985, 3, 4)),
        ("13.04.1985", False, date(1985, 4, 13)),  # 13 cannot be a month: day first anyway
        ("04-13-1985", True, date(1985, 4, 13)),  # 13 cannot be a month: month first anyway
        ("April 3, 1985", True, date(1985, 4, 3)),
        ("3 april 1985", False, date(1985, 4, 3)),
        ("3 Sept 1985", True, date(1985, 9, 3)),
    ],
)
def test_common_forms_are_read_directly(text: str, dayfirst: bool, expected: date) -> None:
    assert quick_date(text, dayfirst) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1985-04-03",  # ISO: read_date's own fast path
        "03/04/85",  # two-digit year: resolved against as_of by read_date
        "31/02/1985",  # no such day: read_date gives the reason
        "13/13/1985",
        "April 1985",  # incomplete: read_date refuses it
        "Mayo 3, 1985",  # not one of dateutil's month names
        "3rd April 1985",
        "03/04/1985 10:30",
        " 03/04/1985",
    ],
)
def test_other_text_is_left_to_read_date(text: str) -> None:
    assert quick_date(text, True) is None
    assert quick_date(text, False) is None


def test_raw_stage_reads_dates_the_same_with_the_shortcut() -> None:
    ctx = CleaningContext(as_of=AS_OF, default_region="GB", dayfirst=True)
    raw = {
        "id": "c-1",
        "identity": {"birth_date": "05.03.1990"},
        "quantitative": {"last_purchase_on": "February 29, 2024"},
    }
    result = clean_raw(Contact, raw, ctx)
    assert result.record.identity.birth_date == date(1990, 3, 5)
    assert result.record.quantitative.last_purchase_on == date(2024, 2, 29)
    rules = {(change.path, change.rule) for change in result.changes}
    assert ("identity.birth_date", "date.iso") in rules
    assert ("quantitative.last_purchase_on", "date.iso") in rules
    refused = clean_raw(Contact, {"id": "c-2", "identity": {"birth_date": "31/02/1990"}}, ctx)
    assert [(q.path, q.code) for q in refused.record.quarantine] == [
        ("identity.birth_date", "date.unreadable")
    ]


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("03/04/1985", True, date(1985, 4, 3)),
        ("03/04/1985", False, date(1985, 3, 4)),
        ("3 April 1985", False, date(1985, 4, 3)),
        ("03/04/85", True, date(1985, 4, 3)),  # two-digit year: dateutil's path
        ("1985-04-03", False, date(1985, 4, 3)),  # ISO: read_date's own path
    ],
)
def test_read_date_reads_the_common_forms_as_dateutil_does(
    text: str, dayfirst: bool, expected: date
) -> None:
    assert read_date(text, dayfirst=dayfirst, as_of=AS_OF) == expected
    if quick_date(text, dayfirst) is not None:
        assert free_form_date(text, dayfirst=dayfirst, as_of=AS_OF) == expected


def test_read_date_still_refuses_what_the_shortcut_leaves() -> None:
    for text in ("31/02/1985", "April 1985", "03/04/1985 10:30"):
        with pytest.raises(InvalidValueError):
            read_date(text, dayfirst=True, as_of=AS_OF)
