"""Built-in phone rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import PhoneNumber, PostalAddress
from crmcore.errors import InvalidValueError
from crmcore.testing import strategies as crm_st
from crmcore.validation import Context, Severity, default_ruleset, validate
from crmcore.validation.phones import phone_facts

Codes = Callable[..., list[tuple[str, str]]]
AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)


def test_a_valid_number_gives_no_issue(contact: Any, codes: Codes) -> None:
    assert codes(contact(phones=(PhoneNumber("+33 6 12 34 56 78", label="mobile"),))) == []


def test_an_impossible_number_is_an_error(contact: Any, codes: Codes) -> None:
    phone = PhoneNumber("12", region="FR", e164="+3312", extension=None)
    assert codes(contact(phones=(phone,))) == [("identity.phones[0]", "phone.impossible")]


def test_unreadable_text_is_impossible(contact: Any, codes: Codes) -> None:
    phone = PhoneNumber("call me", region="FR", e164="+33142685300", extension=None)
    assert codes(contact(phones=(phone,))) == [("identity.phones[0]", "phone.impossible")]


def test_a_possible_but_unassigned_number_is_invalid(contact: Any, ctx: Context) -> None:
    report = validate(contact(phones=(PhoneNumber("+33 7 00 00 00 00"),)), default_ruleset(), ctx)
    assert [(issue.code, issue.severity) for issue in report.issues] == [
        ("phone.invalid", Severity.ERROR)
    ]


def test_a_stored_e164_that_is_not_the_number_s_is_an_error(contact: Any, codes: Codes) -> None:
    phone = PhoneNumber("01 42 68 53 00", region="FR", e164="+33142685301")
    assert codes(contact(phones=(phone,))) == [("identity.phones[0]", "phone.e164_mismatch")]


def test_a_number_of_another_country_than_the_record_s(contact: Any, codes: Codes) -> None:
    phone = PhoneNumber("+44 20 7946 0958")
    assert codes(contact(phones=(phone,))) == [("identity.phones[0]", "phone.region_mismatch")]


def test_no_region_mismatch_without_a_country_or_for_non_geographic_numbers(
    contact: Any, codes: Codes
) -> None:
    assert codes(contact(phones=(PhoneNumber("+44 20 7946 0958"),), addresses=())) == []
    assert codes(contact(phones=(PhoneNumber("+800 1234 5678"),))) == []


def test_national_numbers_are_read_in_the_record_s_country_before_the_default(
    contact: Any, codes: Codes
) -> None:
    phone = PhoneNumber("01 42 68 53 00", e164="+33142685300", extension=None)
    uk = Context(AS_OF, default_region="GB")
    assert codes(contact(phones=(phone,)), context=uk) == []
    found = codes(contact(phones=(phone,), addresses=()), context=uk)
    assert ("identity.phones[0]", "phone.e164_mismatch") in found


def test_the_region_a_number_was_read_in_comes_first(contact: Any, codes: Codes) -> None:
    phone = PhoneNumber("020 7946 0958", region="GB")
    found = codes(contact(phones=(phone,)))
    assert found == [("identity.phones[0]", "phone.region_mismatch")]


def test_a_national_number_with_no_region_anywhere_is_judged_by_its_e164(
    contact: Any, codes: Codes
) -> None:
    phone = PhoneNumber("01 42 68 53 00", e164="+33142685300", extension=None)
    assert codes(contact(phones=(phone,), addresses=()), context=Context(AS_OF)) == []


@pytest.mark.parametrize(
    ("number", "label", "message"),
    [
        ("+33 8 99 23 45 67", None, "a premium-rate number"),
        ("+33 1 42 68 53 00", "Mobile", "labelled as a mobile, but a fixed line"),
        ("+33 1 42 68 53 00", "portable perso", "labelled as a mobile, but a fixed line"),
    ],
)
def test_unusual_line_types_are_noted(
    contact: Any, ctx: Context, number: str, label: str | None, message: str
) -> None:
    report = validate(contact(phones=(PhoneNumber(number, label=label),)), default_ruleset(), ctx)
    assert [(issue.code, issue.severity, issue.message) for issue in report.issues] == [
        ("phone.line_type", Severity.INFO, message)
    ]


def test_an_account_s_phones_are_checked_too(account: Any, codes: Codes) -> None:
    record = account(phones=(PhoneNumber("+33 7 00 00 00 00"),))
    assert ("identity.phones[0]", "phone.invalid") in codes(record)


def test_the_record_country_is_the_primary_address_s(contact: Any, codes: Codes) -> None:
    addresses = (
        PostalAddress(locality="Paris", country="FR"),
        PostalAddress(locality="London", country="GB", primary=True),
    )
    assert codes(contact(phones=(PhoneNumber("+44 20 7946 0958"),), addresses=addresses)) == []


@given(
    st.text(alphabet="+0123456789 ", min_size=1, max_size=18), st.sampled_from(["FR", "US", None])
)
def test_validity_is_read_from_the_line_type(number: str, region: str | None) -> None:
    """A number is valid exactly when phonenumbers gives it a line type: one lookup serves both."""
    facts = phone_facts(number, region)
    if not facts.readable:
        return
    parsed = phonenumbers.parse(number, region)
    assert facts.valid == phonenumbers.is_valid_number(parsed)
    assert facts.possible == (facts.valid or phonenumbers.is_possible_number(parsed))


_NUMBERS = [
    "+33 6 12 34 56 78",
    "020 7946 0958",
    "+1 900 555 0100",
    "+33 7 00 00 00 00",
    "0800 123",
]


@pytest.mark.parametrize("text", _NUMBERS)
def test_the_line_type_read_once_is_the_line_type_read_again(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crmcore.records import _phones
    from crmcore.records.values import parse_phone
    from crmcore.validation import phones as rules

    parse_phone.cache_clear()
    rules._read_cached.cache_clear()
    _phones.clear()
    try:
        e164 = parse_phone(text, "GB")[0]
    except InvalidValueError:  # an unreadable number is not handed over at all
        assert _phones.size() == 0
        return
    # A valid number is handed over under its E.164 form (cleaning writes it so), an invalid
    # one under the text and region it was read from (cleaning keeps its text).
    valid = phonenumbers.is_valid_number(phonenumbers.parse(text, "GB"))
    key: str | tuple[str, str | None] = e164 if valid else (text, "GB")
    read_as = e164 if valid else text
    remembered = _phones.recall_read(key)
    assert remembered is not None
    assert _phones.size() == 0  # one entry, under one key
    parsed, line_type = remembered
    assert line_type == phonenumbers.number_type(parsed)
    # The facts from the handed-over reading equal those of a fresh one, and the hand-over
    # asks phonenumbers for no line type again, nor parses again.
    _phones.remember(key, parsed, line_type)
    calls: list[object] = []
    real_type, real_parse = phonenumbers.number_type, phonenumbers.parse

    def counted(number: phonenumbers.PhoneNumber) -> int:
        calls.append(number)
        return int(real_type(number))

    def parsed_again(*args: object, **kwargs: object) -> phonenumbers.PhoneNumber:
        calls.append(args)
        return real_parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rules.phonenumbers, "number_type", counted)
    monkeypatch.setattr(rules.phonenumbers, "parse", parsed_again)
    handed = rules._read(read_as, "GB")
    monkeypatch.undo()
    assert calls == []
    assert _phones.size() == 0
    assert handed == rules._read(read_as, "GB")


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=300)
@given(
    st.one_of(
        crm_st.phones().map(lambda phone: phone.number),
        st.sampled_from(["212 000 0000", "+33 7 00 00 00 00", "0800 123", "000-000-0000"]),
        st.text(alphabet="+0123456789 -()x", max_size=20),
    ),
    st.sampled_from([None, "GB", "DE", "US", "FR", "001"]),
)
def test_a_number_handed_over_by_its_reader_gives_the_facts_of_a_fresh_reading(
    text: str, region: str | None
) -> None:
    """A number read for a record (valid or not) is handed to the rules; what they make of
    it, under its E.164 form or under the text and region it was read from, is what they
    make of a fresh reading of either."""
    from crmcore.records import _phones
    from crmcore.records.values import parse_phone, read_phone
    from crmcore.validation import phones as rules

    parse_phone.cache_clear()
    _phones.clear()
    try:
        e164, _, _ = read_phone(text, region)
    except InvalidValueError:
        return
    handed = rules._read(text, region), rules._read(e164, region)
    _phones.clear()
    assert handed == (rules._read(text, region), rules._read(e164, region))


def test_cached_facts_are_left_untracked_by_the_collector() -> None:
    """The cache keeps plain tuples, which the collector stops scanning; the named form of
    :func:`phone_facts` has the same values in the same order."""
    import gc

    from crmcore.validation import phones as rules

    rules._read_cached.cache_clear()
    kept = [rules._read_cached(text, "GB") for text in ("020 7946 0958", "12", "x")]
    gc.collect()
    assert [type(facts) for facts in kept] == [tuple, tuple, tuple]
    assert not any(gc.is_tracked(facts) for facts in kept)
    facts = phone_facts("020 7946 0958", "GB")
    assert facts == rules.plain_facts("020 7946 0958", "GB")
    assert (facts.valid, facts.e164, facts.country_code) == (True, "+442079460958", 44)
