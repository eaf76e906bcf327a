"""The consent ledger and may_contact: latest wins, refusals win ties, objections stand, GPC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Channel, CommunicationPreferences, Source
from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy.consent import (
    DECISION_CODES,
    DIRECT_MARKETING,
    SALE,
    SENSITIVE_PI,
    SHARING,
    ConsentEvent,
    ConsentKind,
    ConsentLedger,
    Decision,
    LawfulBasis,
    may_contact,
)

NEWS = "direct_marketing.newsletter"
EMAIL = Channel.EMAIL
BASE = datetime(2026, 3, 1, tzinfo=timezone.utc)
LATER = datetime(2027, 1, 1, tzinfo=timezone.utc)


def day(n: int) -> datetime:
    return BASE + timedelta(days=n)


def event(
    given: bool,
    n: int,
    purpose: str = NEWS,
    channel: Channel | None = EMAIL,
    **options: Any,
) -> ConsentEvent:
    return ConsentEvent(purpose, channel, given, day(n), **options)


def decide(*events: ConsentEvent, purpose: str = NEWS, **options: Any) -> Decision:
    decision = may_contact(ConsentLedger(events), EMAIL, purpose, LATER, **options)
    assert decision.code in DECISION_CODES
    return decision


# -- latest wins ---------------------------------------------------------------------------


def test_a_later_withdrawal_refuses_whatever_the_insertion_order() -> None:
    """GDPR Art. 7(3): withdrawing consent is as easy as giving it, and it takes effect."""
    given_, withdrawn = event(True, 1), event(False, 5)
    for events in ((given_, withdrawn), (withdrawn, given_)):
        found = decide(*events)
        assert (found.allowed, found.code) == (False, "consent.withdrawn")
        assert found.event == withdrawn


def test_an_older_opt_in_never_overrides_a_withdrawal() -> None:
    """GDPR Art. 7(3): a consent recorded late but given earlier does not revive it."""
    ledger = ConsentLedger((event(False, 5),)).add(event(True, 2))
    assert not may_contact(ledger, EMAIL, NEWS, LATER).allowed


def test_fresh_consent_after_a_withdrawal_allows() -> None:
    """GDPR Art. 6(1)(a): consent given again after a withdrawal is consent."""
    found = decide(event(True, 1), event(False, 3), event(True, 7))
    assert (found.allowed, found.code) == (True, "consent.given")


def test_a_refusal_wins_a_tie() -> None:
    """Same instant (in two offsets): the refusal decides, whichever was recorded first."""
    paris = timezone(timedelta(hours=1))
    opt_in = ConsentEvent(NEWS, EMAIL, True, day(3))
    opt_out = ConsentEvent(NEWS, EMAIL, False, day(3).astimezone(paris))
    assert decide(opt_in, opt_out).code == "consent.withdrawn"
    assert decide(opt_out, opt_in).code == "consent.withdrawn"


def test_a_channel_may_be_given_by_value() -> None:
    ledger = ConsentLedger((ConsentEvent(NEWS, "email", True, day(1)),))
    assert may_contact(ledger, "email", NEWS, LATER).code == "consent.given"  # type: ignore[arg-type]


def test_events_after_the_decision_instant_are_not_yet_known() -> None:
    ledger = ConsentLedger((event(True, 1), event(False, 10)))
    assert may_contact(ledger, EMAIL, NEWS, day(5)).allowed
    assert not may_contact(ledger, EMAIL, NEWS, day(10)).allowed


def test_an_event_reaches_sub_purposes_and_every_channel_when_channel_is_none() -> None:
    everything = event(False, 5, purpose=DIRECT_MARKETING, channel=None)
    assert decide(event(True, 1), everything).code == "consent.withdrawn"
    found = may_contact(ConsentLedger((event(True, 1),)), Channel.SMS, NEWS, LATER)
    assert found.code == "unknown"
    other_purpose = decide(event(False, 5, purpose="direct_marketing.offers"), event(True, 1))
    assert other_purpose.allowed


def test_another_lawful_basis_is_named_in_the_decision() -> None:
    """GDPR Art. 6(1)(b) and (f): contact may rest on a contract or legitimate interests."""
    found = decide(event(True, 1, purpose="service", basis=LawfulBasis.CONTRACT), purpose="service")
    assert (found.allowed, found.code) == (True, "basis.in_force")
    assert "Art. 6(1)(b)" in found.reason
    ended = decide(
        event(True, 1, purpose="service", basis=LawfulBasis.CONTRACT),
        event(False, 2, purpose="service", basis=LawfulBasis.CONTRACT),
        purpose="service",
    )
    assert ended.code == "basis.ended"


# -- objections ----------------------------------------------------------------------------


def test_an_objection_to_direct_marketing_is_absolute() -> None:
    """GDPR Art. 21(2)-(3): legitimate interests relied on later never override it."""
    found = decide(
        event(False, 2, purpose=DIRECT_MARKETING, channel=None, kind=ConsentKind.OBJECTION),
        event(True, 5, basis=LawfulBasis.LEGITIMATE_INTERESTS),
    )
    assert (found.allowed, found.code) == (False, "objection.direct_marketing")


def test_only_the_person_lifts_an_objection() -> None:
    """GDPR Art. 21(3) and Art. 7: fresh consent after the objection, or lifting it, counts."""
    objection = event(False, 2, purpose=DIRECT_MARKETING, channel=None, kind="objection")
    assert decide(objection, event(True, 5)).code == "consent.given"
    lifted = event(True, 5, purpose=DIRECT_MARKETING, channel=None, kind="objection")
    # Lifting the objection is not consent: what was known before it decides.
    assert decide(objection, lifted).code == "unknown"
    assert decide(event(True, 1), objection, lifted).code == "consent.given"
    assert decide(objection, event(True, 2)).code == "objection.direct_marketing"


def test_an_objection_to_another_purpose_stands() -> None:
    """GDPR Art. 21(1): the objection stands; compelling grounds are the controller's call."""
    objection = event(False, 2, purpose="profiling", kind=ConsentKind.OBJECTION)
    found = decide(
        objection,
        event(True, 3, purpose="profiling", basis="legitimate_interests"),
        purpose="profiling",
    )
    assert found.code == "objection.standing"


# -- CCPA ----------------------------------------------------------------------------------


def test_an_opt_out_of_sale_reaches_sharing_too() -> None:
    """CCPA § 1798.120, regs § 7026: one request opts out of sale and sharing."""
    opt_out = ConsentEvent(SALE, None, False, day(1), kind=ConsentKind.OPT_OUT)
    consent = ConsentEvent(SHARING, None, True, day(0))
    assert decide(consent, opt_out, purpose="sharing.ads").code == "opt_out.sale_sharing"
    back_in = ConsentEvent(SHARING, None, True, day(4), kind=ConsentKind.OPT_OUT)
    assert decide(opt_out, back_in, purpose=SALE).code == "opt_in.sale_sharing"


def test_a_gpc_signal_refuses_sale_over_an_earlier_opt_in() -> None:
    """CCPA regs § 7025(c)(1), (c)(3): the signal is an opt-out, even against a setting."""
    opt_in = ConsentEvent(SALE, None, True, day(0))
    found = decide(opt_in, purpose=SALE, gpc=True)
    assert (found.allowed, found.code) == (False, "gpc.signal")
    assert decide(opt_in, purpose=SALE).allowed
    assert decide(opt_in, purpose=NEWS, gpc=True).code == "unknown"
    assert decide(purpose=SHARING, gpc=True).code == "gpc.signal"


def test_with_a_signal_a_recorded_opt_out_still_names_its_event() -> None:
    """CCPA regs § 7026: the recorded request, with its evidence, is the better answer."""
    opt_out = ConsentEvent(SALE, None, False, day(1), kind=ConsentKind.OPT_OUT, evidence="r-1")
    found = decide(opt_out, purpose=SALE, gpc=True)
    assert (found.code, found.event) == ("opt_out.sale_sharing", opt_out)


def test_consent_given_after_a_recorded_signal_confirms_the_setting() -> None:
    """CCPA regs § 7025(c)(3): the person may consent to sale after being told of the conflict."""
    signal = ConsentEvent(SALE, None, False, day(1), kind=ConsentKind.GPC)
    confirmed = ConsentEvent(SALE, None, True, day(2))
    assert decide(signal, confirmed, purpose=SALE, gpc=True).code == "consent.given"
    assert decide(signal, purpose=SHARING).code == "gpc.signal"


def test_a_limit_refuses_use_of_sensitive_information() -> None:
    """CCPA § 1798.121, regs § 7027: the right to limit use of sensitive personal information."""
    limit = ConsentEvent(SENSITIVE_PI, None, False, day(1), kind=ConsentKind.LIMIT)
    use = ConsentEvent("sensitive_pi.health_offers", None, True, day(0))
    found = decide(use, limit, purpose="sensitive_pi.health_offers")
    assert (found.allowed, found.code) == (False, "limit.sensitive_pi")


# -- preferences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preferences", "code"),
    [
        (None, "unknown"),
        (CommunicationPreferences(), "unknown"),
        (CommunicationPreferences(email_opt_in=True), "preference.opt_in"),
        (CommunicationPreferences(email_opt_in=False), "preference.opt_out"),
        (CommunicationPreferences(sms_opt_in=True), "unknown"),
    ],
)
def test_preferences_decide_where_the_ledger_is_silent(
    preferences: CommunicationPreferences | None, code: str
) -> None:
    """Issue 11: ``None`` is unknown, never consent."""
    found = decide(preferences=preferences)
    assert found.code == code
    assert found.allowed is (code == "preference.opt_in")


def test_the_ledger_wins_over_preferences_and_preferences_never_allow_a_sale() -> None:
    prefs = CommunicationPreferences(email_opt_in=True)
    assert decide(event(False, 1), preferences=prefs).code == "consent.withdrawn"
    assert decide(purpose=SALE, preferences=prefs).code == "unknown"


# -- properties ----------------------------------------------------------------------------

_events = st.builds(
    ConsentEvent,
    st.sampled_from([NEWS, DIRECT_MARKETING, "direct_marketing.offers"]),
    st.sampled_from([EMAIL, Channel.SMS, None]),
    st.booleans(),
    st.integers(0, 6).map(day),
    basis=st.sampled_from(LawfulBasis),
    kind=st.sampled_from([ConsentKind.CONSENT, ConsentKind.OBJECTION]),
    source=st.none() | st.sampled_from(Source),
)
_sale_events = st.builds(
    ConsentEvent,
    st.sampled_from([SALE, SHARING]),
    st.none(),
    st.booleans(),
    st.integers(0, 6).map(day),
    kind=st.sampled_from([ConsentKind.CONSENT, ConsentKind.OPT_OUT]),
) | st.builds(
    ConsentEvent,
    st.just(SALE),
    st.none(),
    st.just(False),
    st.integers(0, 6).map(day),
    kind=st.just(ConsentKind.GPC),
)


@given(
    st.lists(_events | _sale_events, max_size=8),
    st.randoms(),
    st.booleans(),
    st.sampled_from([NEWS, SALE, "sharing.ads"]),
    st.integers(0, 7),
)
def test_any_permutation_of_the_events_gives_the_same_decision(
    events: list[ConsentEvent], random: Any, gpc: bool, purpose: str, when: int
) -> None:
    """Issue 11: latest ``at`` wins in any insertion order."""
    shuffled = list(events)
    random.shuffle(shuffled)
    first = may_contact(ConsentLedger(events), EMAIL, purpose, day(when), gpc=gpc)
    second = may_contact(ConsentLedger(shuffled), EMAIL, purpose, day(when), gpc=gpc)
    assert first == second
    assert first.code in DECISION_CODES


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 30)), min_size=1, max_size=10))
def test_out_of_order_consent_follows_the_latest_instant(history: list[tuple[bool, int]]) -> None:
    """GDPR Art. 7(1), 7(3): the controller must show the consent in force, at its latest."""
    found = decide(*(event(given_, n) for given_, n in history))
    last = max(n for _, n in history)
    expected = all(given_ for given_, n in history if n == last)
    assert found.allowed is expected


@given(st.lists(_events, max_size=6), st.integers(0, 6), st.integers(0, 6))
def test_an_older_opt_in_never_changes_a_refusal(
    events: list[ConsentEvent], refused_on: int, opt_in_on: int
) -> None:
    """GDPR Art. 7(3): a withdrawal is never overridden by an older opt-in."""
    if opt_in_on > refused_on:
        opt_in_on, refused_on = refused_on, opt_in_on
    ledger = ConsentLedger((*events, event(False, refused_on)))
    before = may_contact(ledger, EMAIL, NEWS, LATER)
    after = may_contact(ledger.add(event(True, opt_in_on)), EMAIL, NEWS, LATER)
    if not before.allowed:
        assert not after.allowed


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "options", "field"),
    [
        (("Newsletter", EMAIL, True, BASE), {}, "purpose"),
        (("ada@example.org", EMAIL, True, BASE), {}, "purpose"),
        ((NEWS, "fax", True, BASE), {}, "channel"),
        ((NEWS, EMAIL, "yes", BASE), {}, "given"),
        ((NEWS, EMAIL, True, datetime(2026, 1, 1)), {}, "at"),
        ((NEWS, EMAIL, True, BASE), {"kind": "unsubscribe"}, "kind"),
        ((NEWS, EMAIL, True, BASE), {"basis": "whim"}, "basis"),
        ((NEWS, EMAIL, True, BASE), {"source": "ada@example.org"}, "source"),
        ((NEWS, EMAIL, True, BASE), {"evidence": "   "}, "evidence"),
        ((NEWS, None, False, BASE), {"kind": ConsentKind.OPT_OUT}, "purpose"),
        ((SALE, EMAIL, False, BASE), {"kind": ConsentKind.OPT_OUT}, "channel"),
        ((SALE, None, True, BASE), {"kind": ConsentKind.GPC}, "given"),
        ((NEWS, None, False, BASE), {"kind": ConsentKind.LIMIT}, "purpose"),
    ],
)
def test_bad_events_are_refused_naming_the_field(
    args: tuple[Any, ...], options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidValueError) as caught:
        ConsentEvent(*args, **options)
    assert caught.value.field == field
    assert "ada" not in str(caught.value)


@pytest.mark.parametrize(
    ("args", "options", "field"),
    [
        (({}, EMAIL, NEWS, LATER), {}, "ledger"),
        ((ConsentLedger(), "fax", NEWS, LATER), {}, "channel"),
        ((ConsentLedger(), None, NEWS, LATER), {}, "channel"),
        ((ConsentLedger(), EMAIL, "ada@example.org", LATER), {}, "purpose"),
        ((ConsentLedger(), EMAIL, NEWS, datetime(2027, 1, 1)), {}, "at"),
        (
            (ConsentLedger(), EMAIL, NEWS, LATER),
            {"preferences": {"email_opt_in": True}},
            "preferences",
        ),
        ((ConsentLedger(), EMAIL, NEWS, LATER), {"gpc": "1"}, "gpc"),
    ],
)
def test_bad_arguments_to_may_contact_are_refused_naming_them(
    args: tuple[Any, ...], options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidValueError) as caught:
        may_contact(*args, **options)
    assert caught.value.field == field
    assert "ada" not in str(caught.value)


@pytest.mark.parametrize("events", ["not events", [event(True, 1), "ada@example.org"], 5])
def test_a_ledger_takes_only_events(events: Any) -> None:
    with pytest.raises(InvalidValueError) as caught:
        ConsentLedger(events)
    assert "ada" not in str(caught.value)


def test_evidence_never_shows_in_reprs() -> None:
    planted = "signed by ada@example.org from 192.0.2.7"
    found = decide(event(True, 1, evidence=planted))
    assert found.allowed
    assert "ada" not in repr(found)
    assert "192.0.2.7" not in repr(ConsentLedger((found.event,)))  # type: ignore[arg-type]


def test_the_ledger_is_in_time_order_and_equal_whatever_the_insertion_order() -> None:
    events = (event(True, 4), event(False, 1), event(True, 2))
    ledger = ConsentLedger(events)
    assert [e.at for e in ledger] == [day(1), day(2), day(4)]
    assert ledger == ConsentLedger(reversed(events))
    assert ledger.history(NEWS, EMAIL) == ledger.events
    assert ledger.history("other", EMAIL) == ()


@given(
    st.one_of(st.none(), st.text(), st.integers(), st.sampled_from(Channel)),
    st.one_of(st.text(), st.none(), st.just(NEWS)),
    st.one_of(st.booleans(), st.none(), st.integers()),
    st.one_of(st.datetimes(), st.datetimes(timezones=st.just(timezone.utc)), st.text()),
    st.one_of(st.none(), st.text(), st.sampled_from(ConsentKind)),
)
def test_arbitrary_input_gives_an_event_or_a_crm_error(
    channel: Any, purpose: Any, given_: Any, at: Any, kind: Any
) -> None:
    try:
        built = ConsentEvent(purpose, channel, given_, at, kind=kind or ConsentKind.CONSENT)
    except CRMError:
        return
    try:
        found = may_contact(ConsentLedger((built,)), channel, purpose, at, gpc=bool(given_))
    except CRMError:
        return
    assert found.code in DECISION_CODES


def test_another_basis_never_replaces_withdrawn_consent() -> None:
    """EDPB Guidelines 05/2020 on consent, section 6: no swapping of basis after withdrawal."""
    found = decide(
        event(True, 1),
        event(False, 2),
        event(True, 3, basis=LawfulBasis.LEGITIMATE_INTERESTS),
    )
    assert (found.allowed, found.code) == (False, "consent.withdrawn")
    assert found.event == event(False, 2)
    assert decide(event(False, 2), event(True, 4)).allowed


_planted = st.from_regex(r"[a-z]{2,6}@[0-9]{5,8}\.[a-z]{2,4}", fullmatch=True)


def _leaks(error: BaseException, token: str) -> bool:
    shown = [str(error), repr(error.args), *getattr(error, "__notes__", ())]
    chained = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return any(token in text for text in shown) or chained is not None


@given(_planted, st.integers(0, 7))
def test_a_planted_value_never_reaches_an_error(token: str, position: int) -> None:
    """Issue 11, bad input: errors name the argument, never the value."""
    args: list[Any] = [NEWS, EMAIL, True, BASE]
    options: dict[str, Any] = {}
    if position < 4:
        args[position] = token
    else:
        options[("kind", "basis", "source", "evidence")[position - 4]] = token * 200
    with pytest.raises(CRMError) as caught:
        ConsentEvent(*args, **options)
    assert not _leaks(caught.value, token)
    calls = [
        lambda: may_contact(ConsentLedger(), EMAIL, token, LATER),
        lambda: may_contact(ConsentLedger(), token, NEWS, LATER),  # type: ignore[arg-type]
        lambda: may_contact(ConsentLedger(), EMAIL, NEWS, token),  # type: ignore[arg-type]
        lambda: may_contact(token, EMAIL, NEWS, LATER),  # type: ignore[arg-type]
        lambda: ConsentLedger([token]),  # type: ignore[list-item]
        lambda: ConsentLedger().history(token),
    ]
    for call in calls:
        with pytest.raises(CRMError) as caught:
            call()
        assert not _leaks(caught.value, token)


@given(st.one_of(st.text(), st.none(), st.integers()), st.one_of(st.text(), st.none()))
def test_history_takes_arbitrary_input_without_crashing(purpose: Any, channel: Any) -> None:
    try:
        found = ConsentLedger((event(True, 1),)).history(purpose, channel)
    except CRMError:
        return
    assert isinstance(found, tuple)
