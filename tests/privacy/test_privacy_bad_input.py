"""Bad input to every entry point: only CRMError, naming the argument, never quoting a value."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy import (
    GDPR,
    LGPD,
    Calendar,
    Period,
    PrivacyRequest,
    Regime,
    Regimes,
    RequestStatus,
    Timing,
    Wait,
    deadline,
    default_regimes,
)

PLANTED = "ada.lovelace@example.org"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.just(PLANTED),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(timezone.utc)),
    st.lists(st.integers(-1, 8), max_size=8),
    st.lists(st.dates(), max_size=3),
    st.just(GDPR),
    st.just(Calendar()),
    st.just(Period(1, "days")),
    st.sampled_from(["gdpr", "access", "respond", "erasure", "confirm_receipt"]),
)

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _call(function: Any, *args: Any, **kwargs: Any) -> None:
    error: CRMError | None = None
    try:
        function(*args, **kwargs)
    except CRMError as caught:
        error = caught
    if error is not None:
        assert PLANTED not in str(error)
        assert PLANTED not in repr(error.args)


@SETTINGS
@given(regime=anything, kind=anything, received=anything, calendar=anything, data=st.data())
def test_deadline_raises_only_crm_errors(
    regime: object, kind: object, received: object, calendar: object, data: st.DataObject
) -> None:
    extended = data.draw(anything)
    clock = data.draw(anything)
    _call(deadline, regime, kind, received, calendar, extended=extended, clock=clock)
    _call(deadline, "gdpr", "access", T0, Calendar(), waits=data.draw(anything))


@SETTINGS
@given(holidays=anything, weekend=anything, amount=anything, unit=anything)
def test_values_raise_only_crm_errors(
    holidays: object, weekend: object, amount: object, unit: object
) -> None:
    _call(Calendar, holidays=holidays, weekend=weekend)
    _call(Period, amount, unit)
    _call(Wait, unit, holidays, weekend)


@SETTINGS
@given(fields=st.lists(anything, min_size=4, max_size=4), options=st.lists(anything, max_size=6))
def test_regimes_and_timings_raise_only_crm_errors(
    fields: list[object], options: list[object]
) -> None:
    _call(Timing, *fields)
    names = ("receipt_day", "end_on_non_working", "rest_days", "identity", "clarification")
    _call(Regime, fields[0], "title", (), **dict(zip(names, options, strict=False)))
    regimes = default_regimes()
    _call(regimes.add, fields[1])
    _call(regimes.get, fields[2])
    _call(regimes.remove, fields[3])


@SETTINGS
@given(
    args=st.lists(anything, min_size=4, max_size=4),
    status=st.one_of(st.sampled_from(list(RequestStatus)), anything),
    at=anything,
    why=anything,
)
def test_requests_raise_only_crm_errors(
    args: list[object], status: object, at: object, why: object
) -> None:
    _call(PrivacyRequest, *args)
    request = PrivacyRequest("r-1", "access", LGPD, T0)
    _call(request.advance, status, at, why)
    _call(request.deadline, args[0], clock=args[1], as_of=args[2])
    _call(request.waits, at)


@pytest.mark.parametrize(
    "call",
    [
        lambda: deadline(PLANTED, "access", T0, Calendar()),
        lambda: deadline(GDPR, PLANTED, T0, Calendar()),
        lambda: deadline(GDPR, "access", T0, Calendar(), clock=PLANTED),
        lambda: PrivacyRequest("r-1", "access", GDPR, T0).advance(PLANTED, T0),
        lambda: Regimes().get(PLANTED),
        lambda: Period(1, PLANTED),
    ],
)
def test_planted_values_never_reach_a_message(call: Any) -> None:
    with pytest.raises(InvalidValueError) as caught:
        call()
    assert PLANTED not in str(caught.value)
    assert caught.value.field


def test_naive_datetimes_are_refused_naming_the_argument() -> None:
    with pytest.raises(InvalidValueError) as caught:
        deadline(GDPR, "access", datetime(2026, 3, 2), Calendar())
    assert caught.value.field == "received"
    with pytest.raises(InvalidValueError) as caught:
        PrivacyRequest("r-1", "access", GDPR, datetime(2026, 3, 2))
    assert caught.value.field == "received"


def test_a_deadline_past_the_last_date_is_a_crm_error() -> None:
    late = datetime(9999, 12, 20, tzinfo=timezone.utc)
    with pytest.raises(InvalidValueError) as caught:
        deadline(GDPR, "access", late, Calendar())
    assert caught.value.field == "received"


def test_a_date_is_not_a_datetime() -> None:
    with pytest.raises(InvalidValueError) as caught:
        deadline(GDPR, "access", date(2026, 3, 2), Calendar())  # type: ignore[arg-type]
    assert caught.value.field == "received"


def test_a_planted_reason_never_reaches_a_message_or_a_repr() -> None:
    request = PrivacyRequest("r-1", "access", GDPR, T0).refuse(T0, f"asked by {PLANTED}")
    with pytest.raises(CRMError) as caught:
        request.start(T0)
    assert PLANTED not in str(caught.value)
    assert PLANTED not in repr(request)
    assert PLANTED not in repr(request.history)
    bad = (*request.history, request.history[-1])
    with pytest.raises(InvalidValueError) as refused:
        PrivacyRequest("r-1", "access", GDPR, T0, bad)
    assert PLANTED not in str(refused.value)
