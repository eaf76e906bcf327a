"""Deadline tables (month ends, leap years, weekends, holidays) and the waits that move them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore.errors import InvalidValueError
from crmcore.privacy import (
    CCPA_CPRA,
    GDPR,
    HIPAA,
    UK_GDPR,
    Calendar,
    Period,
    RequestKind,
    Timing,
    Wait,
    deadline,
)
from crmcore.privacy.laws import BUILTIN_REGIMES

UTC = timezone.utc


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


#: (received, due) under GDPR on a calendar of weekends only.
GDPR_TABLE = [
    # month ends: the same date next month, else that month's last day
    (date(2026, 1, 31), date(2026, 3, 2)),  # Sat 28 Feb runs to Mon 2 Mar
    (date(2026, 3, 31), date(2026, 4, 30)),
    (date(2026, 5, 31), date(2026, 6, 30)),
    (date(2026, 8, 30), date(2026, 9, 30)),
    (date(2026, 12, 31), date(2027, 2, 1)),  # Sun 31 Jan 2027 runs to Mon 1 Feb
    # leap years
    (date(2024, 1, 31), date(2024, 2, 29)),
    (date(2028, 1, 30), date(2028, 2, 29)),
    (date(2000, 1, 31), date(2000, 2, 29)),  # 2000 is a leap year (divisible by 400)
    (date(2100, 1, 31), date(2100, 3, 1)),  # 2100 is not: Sun 28 Feb runs to Mon 1 Mar
    (date(2024, 2, 29), date(2024, 3, 29)),
    (date(2025, 2, 28), date(2025, 3, 28)),  # not the month's end: the 28th, not the 31st
    # weekends
    (date(2026, 1, 15), date(2026, 2, 16)),  # Sun 15 Feb runs to Mon 16 Feb
    (date(2026, 1, 16), date(2026, 2, 16)),  # the Monday itself
]


@pytest.mark.parametrize(("received", "due"), GDPR_TABLE)
def test_gdpr_month_table(received: date, due: date) -> None:
    """GDPR Art. 12(3) counted as Regulation 1182/71 Art. 3(1), 3(2)(c) and 3(4) say."""
    found = deadline(
        GDPR, "access", datetime.combine(received, datetime.min.time(), UTC), Calendar()
    )
    assert found.due == due


@pytest.mark.parametrize(
    ("received", "holidays", "due"),
    [
        # Christmas Friday, Boxing Day observed on Monday 28 Dec: Tuesday 29 Dec.
        (date(2026, 11, 25), (date(2026, 12, 25), date(2026, 12, 28)), date(2026, 12, 29)),
        # Good Friday 29 Mar 2024 and Easter Monday 1 Apr 2024: Tuesday 2 Apr.
        (date(2024, 2, 29), (date(2024, 3, 29), date(2024, 4, 1)), date(2024, 4, 2)),
        # A holiday that is not the end changes nothing.
        (date(2026, 3, 2), (date(2026, 3, 17),), date(2026, 4, 2)),
    ],
)
def test_gdpr_holiday_table(received: date, holidays: tuple[date, ...], due: date) -> None:
    """Regulation 1182/71 Art. 3(4): an end on a public holiday runs to the next working
    day; Art. 2(1): the public holidays are those of the member state (the caller's)."""
    found = deadline(
        GDPR, "access", at(received.year, received.month, received.day), Calendar(holidays)
    )
    assert found.due == due


def test_no_holiday_is_guessed() -> None:
    """``Calendar()`` is weekends only: 25 Dec 2026 (a Friday) is a working day."""
    assert deadline(GDPR, "access", at(2026, 11, 25), Calendar()).due == date(2026, 12, 25)


def test_the_day_of_receipt_is_read_in_the_timezone_given() -> None:
    """The receipt day is the date of ``received`` in its own timezone: 23:30 in Paris on
    31 Jan is 22:30 UTC the same day, but 00:30 in Paris on 1 Feb is still 31 Jan in UTC."""
    paris = timezone(timedelta(hours=1))
    late = datetime(2026, 2, 1, 0, 30, tzinfo=paris)
    assert deadline(GDPR, "access", late, Calendar()).starts == date(2026, 2, 1)
    assert deadline(GDPR, "access", late.astimezone(UTC), Calendar()).starts == date(2026, 1, 31)


def test_another_weekend_moves_the_end() -> None:
    """A regime that leaves rest days to the calendar follows its weekend (Friday-Saturday
    here): an end on a Friday runs to Sunday."""
    custom = attrs.evolve(GDPR, name="acme.gulf", rest_days=None)
    friday = deadline(custom, "access", at(2026, 4, 22), Calendar(weekend=(4, 5)))
    assert friday.moved_from == date(2026, 5, 22)
    assert friday.due == date(2026, 5, 24)


def test_included_receipt_day_counts_days_from_the_day_of_receipt() -> None:
    """A regime counting the day of receipt as day one ends a 30-day period a day earlier."""
    house = Timing("access", "respond", Period(30, "days"), "house rule")
    excluded = attrs.evolve(GDPR, name="acme.x", timings=(house,))
    included = attrs.evolve(excluded, receipt_day="included")
    assert deadline(excluded, "access", at(2026, 3, 2), Calendar()).due == date(2026, 4, 1)
    assert deadline(included, "access", at(2026, 3, 2), Calendar()).due == date(2026, 3, 31)


# -- waits --------------------------------------------------------------------------------------


def test_identity_restarts_the_uk_clock_from_the_answer() -> None:
    """ICO: one month from receipt of the information requested to confirm identity."""
    wait = Wait("identity", at(2026, 3, 3), at(2026, 3, 10))
    found = deadline(UK_GDPR, "access", at(2026, 3, 2), Calendar(), waits=[wait])
    assert found.starts == date(2026, 3, 10)
    assert found.due == date(2026, 4, 10)


def test_identity_does_not_move_the_gdpr_or_ccpa_clock() -> None:
    """GDPR Art. 12(3) counts from receipt (the earlier date kept); 11 CCR § 7021(b): the
    45 days begin on receipt regardless of the time required to verify."""
    wait = Wait("identity", at(2026, 3, 3), at(2026, 3, 20))
    assert deadline(GDPR, "access", at(2026, 3, 2), Calendar(), waits=[wait]).due == date(
        2026, 4, 2
    )
    ccpa = deadline(CCPA_CPRA, "access", at(2026, 3, 2), Calendar(), waits=[wait])
    assert ccpa.due == date(2026, 4, 16)


def test_clarification_pauses_the_uk_clock_for_whole_days() -> None:
    """ICO "stop the clock": the days spent waiting for a clarification are added back."""
    wait = Wait("clarification", at(2026, 3, 5), at(2026, 3, 12))
    found = deadline(UK_GDPR, "access", at(2026, 3, 2), Calendar(), waits=[wait])
    assert found.paused_days == 7
    assert found.due == date(2026, 4, 9)


def test_overlapping_pauses_count_once() -> None:
    pausing = attrs.evolve(UK_GDPR, identity="pauses")
    waits = [
        Wait("identity", at(2026, 3, 5), at(2026, 3, 12)),
        Wait("clarification", at(2026, 3, 10), at(2026, 3, 14)),
        Wait("clarification", at(2026, 3, 20), at(2026, 3, 21)),
    ]
    found = deadline(pausing, "access", at(2026, 3, 2), Calendar(), waits=waits)
    assert found.paused_days == 10


def test_a_wait_before_receipt_is_refused() -> None:
    wait = Wait("identity", at(2026, 3, 1), at(2026, 3, 3))
    with pytest.raises(InvalidValueError) as caught:
        deadline(UK_GDPR, "access", at(2026, 3, 2), Calendar(), waits=[wait])
    assert caught.value.field == "waits"


def test_a_wait_answered_before_it_was_asked_is_refused() -> None:
    with pytest.raises(InvalidValueError) as caught:
        Wait("identity", at(2026, 3, 5), at(2026, 3, 3))
    assert caught.value.field == "answered"


# -- the Deadline value ---------------------------------------------------------------------------


def test_days_left_and_overdue_read_the_day_in_the_receipt_timezone() -> None:
    found = deadline(HIPAA, "hipaa_access", at(2026, 3, 2), Calendar())
    assert found.due == date(2026, 4, 1)
    assert found.days_left(at(2026, 3, 30)) == 2
    assert not found.overdue(datetime(2026, 4, 1, 23, 59, tzinfo=UTC))
    assert found.overdue(datetime(2026, 4, 2, 0, 0, tzinfo=UTC))
    with pytest.raises(InvalidValueError) as caught:
        found.overdue(datetime(2026, 4, 2))
    assert caught.value.field == "at"


def test_citations_list_the_period_the_extension_and_the_counting_rules() -> None:
    found = deadline(GDPR, "erasure", at(2026, 3, 2), Calendar(), extended=True)
    assert found.citations[0].startswith("GDPR Art. 12(3)")
    assert any("two further months" in citation for citation in found.citations)
    assert any("1182/71" in citation for citation in found.citations)
    assert found.citation.count("Art. 12(3)") == 2


def test_a_regime_can_be_named_by_a_builtin_name() -> None:
    assert deadline("hipaa", "hipaa_access", at(2026, 3, 2), Calendar()).regime == "hipaa"


# -- properties ------------------------------------------------------------------------------------

received_days = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))
calendars = st.builds(
    Calendar,
    holidays=st.lists(
        st.dates(min_value=date(1990, 1, 1), max_value=date(2201, 12, 31)), max_size=30
    ),
)


@settings(max_examples=200, deadline=None)
@given(received=received_days, calendar=calendars, data=st.data())
def test_every_builtin_deadline_is_after_receipt_and_ends_on_an_allowed_day(
    received: date, calendar: Calendar, data: st.DataObject
) -> None:
    """For every built-in regime, kind and clock: the due day follows the day of receipt, the
    extended one is never earlier, and a rolled end lands on a day the regime allows."""
    regime = data.draw(st.sampled_from(BUILTIN_REGIMES))
    kind = data.draw(st.sampled_from(regime.kinds))
    clock = data.draw(st.sampled_from(regime.clocks(kind)))
    moment = datetime.combine(received, datetime.min.time(), UTC)
    found = deadline(regime, kind, moment, calendar, clock=clock)
    assert found.due > received
    if found.moved_from is not None:
        assert found.moved_from < found.due
        assert calendar.is_working_day(found.due, regime.rest_days)
    if regime.timing(kind, clock).extension is not None:
        longer = deadline(regime, kind, moment, calendar, clock=clock, extended=True)
        assert longer.due >= found.due
        assert longer.notice_by == found.due


@settings(max_examples=100, deadline=None)
@given(received=received_days, calendar=calendars)
def test_gdpr_due_is_at_most_a_month_and_the_holidays_after_it(
    received: date, calendar: Calendar
) -> None:
    """Regulation 1182/71 Art. 3(2)(c): the unmoved end is the same date next month or that
    month's last day; Art. 3(4): moved only past Saturdays, Sundays and holidays."""
    found = deadline(
        GDPR, RequestKind.ACCESS, datetime.combine(received, datetime.min.time(), UTC), calendar
    )
    end = found.moved_from or found.due
    assert end.day == received.day or (
        end.day < received.day and (end + timedelta(days=1)).day == 1
    )
    assert (end.year * 12 + end.month) - (received.year * 12 + received.month) == 1
    day = end
    while day < found.due:
        assert not calendar.is_working_day(day, (5, 6))
        day += timedelta(days=1)


@settings(max_examples=150, deadline=None)
@given(
    received=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    asked=st.integers(0, 60 * 24 * 40),
    waited=st.integers(0, 60 * 24 * 40),
    reason=st.sampled_from(["identity", "clarification"]),
    effect=st.sampled_from(["runs", "pauses", "restarts"]),
)
def test_waiting_never_brings_a_deadline_forward(
    received: datetime, asked: int, waited: int, reason: str, effect: str
) -> None:
    """Whatever a regime does with a wait, the deadline is never earlier than without it;
    a clock that runs ignores the wait."""
    regime = attrs.evolve(UK_GDPR, **{reason: effect})
    start = received + timedelta(minutes=asked)
    wait = Wait(reason, start, start + timedelta(minutes=waited))  # type: ignore[arg-type]
    plain = deadline(regime, "access", received, Calendar())
    found = deadline(regime, "access", received, Calendar(), waits=[wait])
    assert found.due >= plain.due
    if effect == "runs":
        assert found == plain
