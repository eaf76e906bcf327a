"""Every figure of the built-in regimes, each test citing the rule it checks."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from crmcore.errors import InvalidValueError
from crmcore.privacy import (
    CCPA_CPRA,
    CONFIRM_RECEIPT,
    GDPR,
    HIPAA,
    LGPD,
    PIPEDA,
    QUEBEC_PRIVATE_SECTOR,
    UK_GDPR,
    Calendar,
    Period,
    Regime,
    RequestKind,
    deadline,
)
from crmcore.privacy.laws import BUILTIN_REGIMES

K = RequestKind
WEEKDAYS = Calendar()


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=timezone.utc)


def test_the_issue_worked_example_gdpr_31_january_2026_is_due_monday_2_march() -> None:
    """GDPR Art. 12(3) with Regulation 1182/71 Art. 3(2)(c) and 3(4): 31 Jan 2026 has no
    31 Feb, so the month ends Sat 28 Feb, which runs on to Mon 2 Mar."""
    found = deadline(GDPR, K.ACCESS, at(2026, 1, 31), WEEKDAYS)
    assert found.due == date(2026, 3, 2)
    assert found.moved_from == date(2026, 2, 28)
    assert "Art. 12(3)" in found.citation


def test_the_issue_worked_example_ccpa_31_january_2026_is_due_17_march() -> None:
    """Cal. Civ. Code § 1798.130(a)(2)(A), 11 CCR § 7021(b): 45 calendar days after receipt,
    the first day excluded (Civ. Code § 10)."""
    found = deadline(CCPA_CPRA, K.ACCESS, at(2026, 1, 31), WEEKDAYS)
    assert found.due == date(2026, 3, 17)
    assert "7021(b)" in found.citation


@pytest.mark.parametrize(
    "kind",
    [K.ACCESS, K.RECTIFICATION, K.ERASURE, K.RESTRICTION, K.PORTABILITY, K.OBJECTION],
)
@pytest.mark.parametrize("regime", [GDPR, UK_GDPR], ids=["gdpr", "uk_gdpr"])
def test_gdpr_one_month_plus_two_for_every_right_of_articles_15_to_22(
    regime: Regime, kind: RequestKind
) -> None:
    """GDPR / UK GDPR Art. 12(3): one month of receipt for requests under Arts. 15-22,
    extendable by two further months."""
    timing = regime.timing(kind)
    assert timing.period == Period(1, "months")
    assert timing.extension == Period(2, "months")
    assert "12(3)" in timing.citation
    assert "12(3)" in timing.extension_citation


def test_gdpr_sets_no_period_for_consent_withdrawal() -> None:
    """GDPR Art. 7(3) sets no period (withdrawal takes effect as easily as consent was
    given); Art. 12(3) covers Arts. 15-22 only, so no deadline is invented."""
    with pytest.raises(InvalidValueError) as caught:
        deadline(GDPR, K.CONSENT_WITHDRAWAL, at(2026, 1, 5), WEEKDAYS)
    assert caught.value.field == "kind"


def test_gdpr_extension_counts_three_months_from_receipt() -> None:
    """GDPR Art. 12(3) "two further months", counted from receipt (ICO: three months from
    the start date): 31 Jan 2026 + 3 months is 30 Apr 2026, a Thursday."""
    found = deadline(GDPR, K.ACCESS, at(2026, 1, 31), WEEKDAYS, extended=True)
    assert found.due == date(2026, 4, 30)
    assert found.notice_by == date(2026, 3, 2)
    assert found.extended


def test_uk_gdpr_counts_the_day_of_receipt_as_day_one_to_the_corresponding_date() -> None:
    """ICO, "How long do we have to comply?": a request received on 3 September is due on
    3 October (the day of receipt is day one, the end the corresponding calendar date)."""
    found = deadline(UK_GDPR, K.ACCESS, at(2025, 9, 3), WEEKDAYS)
    assert found.due == date(2025, 10, 3)
    assert UK_GDPR.receipt_day == "included"


def test_uk_gdpr_clock_restarts_on_proof_of_identity_and_stops_for_clarification() -> None:
    """ICO: the time limit runs from receipt of the information requested to confirm
    identity; the clock stops while a clarification is awaited."""
    assert UK_GDPR.identity == "restarts"
    assert UK_GDPR.clarification == "pauses"
    assert GDPR.identity == "runs"


def test_ccpa_extension_reaches_90_calendar_days() -> None:
    """11 CCR § 7021(b): up to an additional 45 days, a maximum total of 90 calendar days
    from the day the request is received."""
    found = deadline(CCPA_CPRA, K.ERASURE, at(2026, 1, 31), WEEKDAYS, extended=True)
    assert found.due == date(2026, 5, 1)
    assert (found.due - date(2026, 1, 31)).days == 90
    assert found.notice_by == date(2026, 3, 17)


@pytest.mark.parametrize("kind", [K.ACCESS, K.RECTIFICATION, K.ERASURE])
def test_ccpa_confirms_receipt_in_10_business_days(kind: RequestKind) -> None:
    """11 CCR § 7021(a): receipt of a request to know, delete or correct is confirmed no later
    than 10 business days after receiving it; § 7001: Monday to Friday."""
    found = deadline(CCPA_CPRA, kind, at(2026, 1, 31), WEEKDAYS, clock=CONFIRM_RECEIPT)
    assert found.due == date(2026, 2, 13)
    assert "7021(a)" in found.citation


def test_ccpa_business_days_skip_the_callers_state_holidays() -> None:
    """11 CCR § 7001: business days exclude observed state holidays (here Presidents' Day,
    16 Feb 2026, and Lincoln Day, 12 Feb 2026, as the caller's calendar says)."""
    california = Calendar(holidays=[date(2026, 2, 12), date(2026, 2, 16)])
    found = deadline(CCPA_CPRA, K.ACCESS, at(2026, 1, 31), california, clock=CONFIRM_RECEIPT)
    assert found.due == date(2026, 2, 17)


@pytest.mark.parametrize(
    ("kind", "rule"),
    [(K.OPT_OUT_SALE_SHARING, "7026(f)(1)"), (K.LIMIT_SENSITIVE_PI, "7027(g)(1)")],
)
def test_ccpa_opt_out_and_limit_in_15_business_days(kind: RequestKind, rule: str) -> None:
    """11 CCR § 7026(f)(1) and § 7027(g)(1): no later than 15 business days from receipt;
    no extension."""
    found = deadline(CCPA_CPRA, kind, at(2026, 1, 31), WEEKDAYS)
    assert found.due == date(2026, 2, 20)
    assert rule in found.citation
    with pytest.raises(InvalidValueError) as caught:
        deadline(CCPA_CPRA, kind, at(2026, 1, 31), WEEKDAYS, extended=True)
    assert caught.value.field == "extended"


def test_ccpa_keeps_a_calendar_day_end_on_a_weekend() -> None:
    """11 CCR § 7021(b) counts 45 calendar days; when day 45 is a Sunday the earlier date is
    kept (received 1 Jan 2026, due Sun 15 Feb 2026)."""
    sunday = deadline(CCPA_CPRA, K.ACCESS, at(2026, 1, 1), WEEKDAYS)
    assert sunday.due == date(2026, 2, 15)
    assert sunday.due.weekday() == 6
    assert sunday.moved_from is None


def test_ccpa_clock_runs_while_identity_is_verified() -> None:
    """11 CCR § 7021(b): the 45-day period begins on receipt, regardless of the time
    required to verify the request."""
    assert CCPA_CPRA.identity == "runs"


def test_hipaa_access_30_days_plus_30() -> None:
    """45 CFR 164.524(b)(2): act on a request for access no later than 30 days after
    receipt; one extension of no more than 30 days."""
    found = deadline(HIPAA, K.HIPAA_ACCESS, at(2026, 1, 31), WEEKDAYS)
    assert found.due == date(2026, 3, 2)
    extended = deadline(HIPAA, K.HIPAA_ACCESS, at(2026, 1, 31), WEEKDAYS, extended=True)
    assert extended.due == date(2026, 4, 1)
    assert "164.524(b)(2)" in extended.citation


def test_hipaa_amendment_60_days_plus_30() -> None:
    """45 CFR 164.526(b)(2): act on a request for amendment no later than 60 days after
    receipt; one extension of no more than 30 days."""
    assert HIPAA.timing(K.RECTIFICATION).period == Period(60, "days")
    assert HIPAA.timing(K.RECTIFICATION).extension == Period(30, "days")
    found = deadline(HIPAA, K.RECTIFICATION, at(2026, 1, 31), WEEKDAYS)
    assert found.due == date(2026, 4, 1)


def test_lgpd_access_in_15_days_without_extension() -> None:
    """LGPD Art. 19, II: a clear and complete statement within 15 days of the request; the
    law offers no extension."""
    found = deadline(LGPD, K.ACCESS, at(2026, 3, 2), WEEKDAYS)
    assert found.due == date(2026, 3, 17)
    with pytest.raises(InvalidValueError) as caught:
        deadline(LGPD, K.ACCESS, at(2026, 3, 2), WEEKDAYS, extended=True)
    assert caught.value.field == "extended"
    assert "lgpd" in str(caught.value)


def test_lgpd_a_holiday_end_runs_on_but_a_weekend_end_stays() -> None:
    """Código Civil Art. 132 § 1: an end on a holiday runs on to the next day; weekends are
    not holidays there, so a Sunday end is kept (the earlier date)."""
    sunday = deadline(LGPD, K.ACCESS, at(2026, 1, 31), WEEKDAYS)
    assert sunday.due == date(2026, 2, 15)
    carnival = Calendar(holidays=[date(2026, 2, 16), date(2026, 2, 17)])
    found = deadline(LGPD, K.ACCESS, at(2026, 2, 1), carnival)
    assert found.due == date(2026, 2, 18)


def test_pipeda_access_30_days_plus_30() -> None:
    """PIPEDA s. 8(3): not later than thirty days after receipt; s. 8(4)(a): extended by a
    maximum of thirty days."""
    found = deadline(PIPEDA, K.ACCESS, at(2026, 3, 2), WEEKDAYS)
    assert found.due == date(2026, 4, 1)
    extended = deadline(PIPEDA, K.ACCESS, at(2026, 3, 2), WEEKDAYS, extended=True)
    assert extended.due == date(2026, 5, 1)
    assert "8(4)" in extended.citation


def test_pipeda_a_saturday_end_stays_and_a_sunday_end_runs_to_monday() -> None:
    """Interpretation Act s. 26 and s. 35(1): a time limit falling on a holiday (Sunday is
    one, Saturday is not) runs to the next day that is not a holiday."""
    sunday = deadline(PIPEDA, K.ACCESS, at(2026, 2, 13), WEEKDAYS)
    assert sunday.moved_from == date(2026, 3, 15)
    assert sunday.due == date(2026, 3, 16)
    end_saturday = deadline(PIPEDA, K.ACCESS, at(2026, 2, 12), WEEKDAYS)
    assert end_saturday.due == date(2026, 3, 14)
    assert end_saturday.due.weekday() == 5


@pytest.mark.parametrize("kind", [K.ACCESS, K.PORTABILITY, K.RECTIFICATION, K.ERASURE])
def test_quebec_30_days_without_extension(kind: RequestKind) -> None:
    """CQLR c P-39.1 s. 32: respond not later than 30 days after the date the request is
    received; the act offers no extension."""
    found = deadline(QUEBEC_PRIVATE_SECTOR, kind, at(2026, 3, 2), WEEKDAYS)
    assert found.due == date(2026, 4, 1)
    assert "s. 32" in found.citation
    with pytest.raises(InvalidValueError):
        deadline(QUEBEC_PRIVATE_SECTOR, kind, at(2026, 3, 2), WEEKDAYS, extended=True)


def test_quebec_a_sunday_end_runs_to_the_next_working_day() -> None:
    """Quebec Interpretation Act s. 52 and s. 61(23): Sundays are holidays, a time limit
    expiring on one runs to the next working day; the Fête nationale (24 June) too."""
    found = deadline(QUEBEC_PRIVATE_SECTOR, K.ACCESS, at(2026, 5, 25), Calendar())
    assert found.due == date(2026, 6, 24)  # a Wednesday, no holiday given
    fete = Calendar(holidays=[date(2026, 6, 24)])
    assert deadline(QUEBEC_PRIVATE_SECTOR, K.ACCESS, at(2026, 5, 25), fete).due == date(2026, 6, 25)
    sunday = deadline(QUEBEC_PRIVATE_SECTOR, K.ACCESS, at(2026, 5, 29), Calendar())
    assert sunday.moved_from == date(2026, 6, 28)
    assert sunday.due == date(2026, 6, 29)


def test_every_builtin_timing_is_cited() -> None:
    """Each figure carries its source: every timing a citation, every extension its own."""
    for regime in BUILTIN_REGIMES:
        assert regime.citations, regime.name
        for timing in regime.timings:
            assert timing.citation.strip(), (regime.name, timing.kind)
            if timing.extension is not None:
                assert timing.extension_citation.strip(), (regime.name, timing.kind)


def test_builtin_regime_names_are_plain_and_unique() -> None:
    names = [regime.name for regime in BUILTIN_REGIMES]
    assert names == [
        "gdpr",
        "uk_gdpr",
        "ccpa_cpra",
        "hipaa",
        "lgpd",
        "pipeda",
        "quebec_private_sector",
    ]
