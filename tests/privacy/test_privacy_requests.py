"""The lifecycle of a privacy request: legal steps recorded, illegal ones refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy import (
    CCPA_CPRA,
    GDPR,
    LGPD,
    TRANSITIONS,
    UK_GDPR,
    Calendar,
    PrivacyRequest,
    Regime,
    RequestEvent,
    RequestStatus,
    TransitionError,
)

UTC = timezone.utc
S = RequestStatus
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def later(days: float) -> datetime:
    return T0 + timedelta(days=days)


def fresh(regime: Regime = GDPR, kind: str = "access") -> PrivacyRequest:
    return PrivacyRequest("dsr-1", kind, regime, T0)


def test_a_new_request_is_received_with_one_event() -> None:
    request = fresh()
    assert request.status is S.RECEIVED
    assert request.history == (RequestEvent(S.RECEIVED, T0),)
    assert not request.extended
    assert not request.closed


def test_each_step_returns_a_new_request_and_records_when_and_why() -> None:
    received = fresh()
    verified = received.verify_identity(later(1), "passport checked")
    assert received.status is S.RECEIVED  # the original is unchanged
    assert verified.status is S.IDENTITY_VERIFIED
    assert verified.history[-1] == RequestEvent(S.IDENTITY_VERIFIED, later(1), "passport checked")
    done = verified.start(later(2)).extend(later(10), "many systems").complete(later(40))
    assert [event.status for event in done.history] == [
        S.RECEIVED,
        S.IDENTITY_VERIFIED,
        S.IN_PROGRESS,
        S.EXTENDED,
        S.COMPLETED,
    ]
    assert done.extended
    assert done.closed
    assert done.allowed() == frozenset()


def test_a_closed_request_takes_no_step() -> None:
    done = fresh().complete(later(1))
    refused = fresh().refuse(later(1), "manifestly unfounded")
    for request in (done, refused):
        with pytest.raises(TransitionError) as caught:
            request.start(later(2))
        assert isinstance(caught.value, CRMError)
        assert caught.value.current == request.status.value
        assert caught.value.target == "in_progress"


def test_a_request_is_extended_once() -> None:
    """GDPR Art. 12(3), 11 CCR § 7021(b), 45 CFR 164.524(b)(2): one extension."""
    extended = fresh().start(later(1)).extend(later(2), "complex")
    resumed = extended.ask_clarification(later(3)).start(later(4))
    with pytest.raises(TransitionError, match="extended once"):
        resumed.extend(later(5), "again")


def test_an_extension_the_regime_lacks_is_refused() -> None:
    """LGPD Art. 19 and 11 CCR § 7026(f)(1) offer no extension."""
    for request in (fresh(LGPD), fresh(CCPA_CPRA, "opt_out_sale_sharing")):
        with pytest.raises(TransitionError, match="allows no extension"):
            request.extend(later(1), "busy")
        assert S.EXTENDED not in request.allowed()


def test_an_extension_and_a_refusal_need_a_reason() -> None:
    with pytest.raises(InvalidValueError) as caught:
        fresh().extend(later(1), "  ")
    assert caught.value.field == "why"
    with pytest.raises(InvalidValueError) as caught:
        fresh().refuse(later(1), "")
    assert caught.value.field == "reason"


def test_a_step_cannot_go_back_in_time_or_be_naive() -> None:
    request = fresh().start(later(2))
    with pytest.raises(InvalidValueError) as caught:
        request.complete(later(1))
    assert caught.value.field == "at"
    with pytest.raises(InvalidValueError) as caught:
        request.complete(datetime(2026, 3, 9))
    assert caught.value.field == "at"


def test_the_deadline_follows_the_extension() -> None:
    request = fresh().start(later(1))
    assert request.deadline(Calendar()).due == date(2026, 4, 2)
    assert request.extend(later(2), "complex").deadline(Calendar()).due == date(2026, 6, 2)


def test_the_uk_deadline_restarts_when_proof_of_identity_comes() -> None:
    """ICO: one month from receipt of the information requested to confirm identity."""
    asked = fresh(UK_GDPR).ask_identity(later(1))
    with pytest.raises(InvalidValueError) as caught:
        asked.deadline(Calendar())
    assert caught.value.field == "as_of"
    assert asked.deadline(Calendar(), as_of=later(5)).starts == date(2026, 3, 7)
    verified = asked.verify_identity(later(9))
    assert verified.deadline(Calendar()).due == date(2026, 4, 13)  # Sat 11 Apr runs on


def test_the_gdpr_deadline_does_not_wait_for_identity() -> None:
    asked = fresh(GDPR).ask_identity(later(1))
    assert asked.deadline(Calendar()).due == date(2026, 4, 2)


def test_the_uk_clock_stops_for_a_clarification() -> None:
    """ICO "Can we clarify the request?": the clock stops until the clarification comes."""
    request = fresh(UK_GDPR).start(later(1)).ask_clarification(later(3)).start(later(13))
    assert request.deadline(Calendar()).paused_days == 10
    assert request.deadline(Calendar()).due == date(2026, 4, 13)  # 2 Apr + 10 days, a Sunday


def test_the_ccpa_confirm_receipt_clock_is_readable_from_the_request() -> None:
    """11 CCR § 7021(a): 10 business days."""
    request = fresh(CCPA_CPRA, "erasure")
    assert request.deadline(Calendar(), clock="confirm_receipt").due == date(2026, 3, 16)


def test_a_stored_history_is_checked_step_by_step() -> None:
    good = fresh().start(later(1)).complete(later(2))
    assert PrivacyRequest("dsr-1", "access", GDPR, T0, good.history) == good
    bad = (
        *good.history[:1],
        RequestEvent(S.COMPLETED, later(1)),
        RequestEvent(S.IN_PROGRESS, later(2)),
    )
    with pytest.raises(InvalidValueError) as caught:
        PrivacyRequest("dsr-1", "access", GDPR, T0, bad)
    assert caught.value.field == "history"
    assert "step 2" in str(caught.value)
    wrong_start = (RequestEvent(S.RECEIVED, later(1)),)
    with pytest.raises(InvalidValueError, match="starts with the received event"):
        PrivacyRequest("dsr-1", "access", GDPR, T0, wrong_start)


def test_a_request_of_a_kind_the_regime_does_not_cover_is_refused() -> None:
    with pytest.raises(InvalidValueError) as caught:
        PrivacyRequest("dsr-1", "hipaa_access", GDPR, T0)
    assert caught.value.field == "kind"


def test_the_repr_hides_reasons_and_personal_ids() -> None:
    request = fresh().refuse(later(1), "Ada Lovelace asked twice")
    assert "Ada" not in repr(request)
    assert "Ada" not in repr(request.history)
    assert repr(request).startswith("PrivacyRequest(id='dsr-1', kind='access', regime='gdpr'")
    email_id = PrivacyRequest("ada@example.org", "access", GDPR, T0)
    assert "ada@" not in repr(email_id)


def test_transitions_are_closed_for_completed_and_refused_only() -> None:
    assert {status for status, targets in TRANSITIONS.items() if not targets} == {
        S.COMPLETED,
        S.REFUSED,
    }
    assert set(TRANSITIONS) == set(RequestStatus)


# -- the lifecycle property -------------------------------------------------------------------

regimes = st.sampled_from([GDPR, UK_GDPR, LGPD, attrs.evolve(CCPA_CPRA)])


@settings(max_examples=300, deadline=None)
@given(
    regime=regimes,
    steps=st.lists(
        st.tuples(st.sampled_from(list(RequestStatus)), st.integers(-2, 5), st.booleans()),
        max_size=12,
    ),
)
def test_any_sequence_of_steps_legal_ones_recorded_illegal_ones_change_nothing(
    regime,
    steps,  # type: ignore[no-untyped-def]
) -> None:
    """Legal steps succeed and append exactly one event; illegal ones raise a CRMError and
    leave the request as it was (it is immutable: the same object comes back unchanged)."""
    request = PrivacyRequest("r-1", "access", regime, T0)
    clock = T0
    for status, hours, with_reason in steps:
        at = clock + timedelta(hours=hours)
        why = "reason given" if with_reason else ""
        before = request
        snapshot = request.history
        legal = (
            status in request.allowed()
            and at >= request.history[-1].at
            and (with_reason or status not in (S.EXTENDED, S.REFUSED))
        )
        try:
            request = request.advance(status, at, why)
        except CRMError:
            assert not legal
            assert before.history == snapshot
            continue
        assert legal
        assert request.history[:-1] == snapshot
        assert request.history[-1] == RequestEvent(status, at, why)
        assert request.status is status
        clock = at
    # what was built reads back the same from its history
    assert PrivacyRequest("r-1", "access", regime, T0, request.history) == request
    assert sum(event.status is S.EXTENDED for event in request.history) <= 1


def test_a_builtin_regime_can_be_named() -> None:
    assert PrivacyRequest("r-1", "erasure", "ccpa_cpra", T0).regime is CCPA_CPRA
    with pytest.raises(InvalidValueError) as caught:
        PrivacyRequest("r-1", "erasure", "acme.unknown", T0)
    assert caught.value.field == "regime"


def test_an_extension_after_the_first_period_is_refused_when_a_calendar_is_given() -> None:
    """GDPR Art. 12(3): the data subject is informed of an extension within one month of
    receipt; 2 Mar 2026 + 1 month is Thu 2 Apr 2026."""
    request = fresh().start(later(1))
    on_time = request.extend(
        datetime(2026, 4, 2, 23, 0, tzinfo=UTC), "complex", calendar=Calendar()
    )
    assert on_time.extended
    with pytest.raises(TransitionError, match="first period is over"):
        request.extend(datetime(2026, 4, 3, 8, 0, tzinfo=UTC), "complex", calendar=Calendar())
    # without a calendar the step is recorded as told
    assert request.extend(datetime(2026, 4, 3, 8, 0, tzinfo=UTC), "complex").extended
