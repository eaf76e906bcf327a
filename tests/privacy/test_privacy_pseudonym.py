"""Pseudonyms: keyed, stable per key, different across keys, never a plain hash."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import EmailAddress, PersonName, PhoneNumber
from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy.pseudonym import KEY_BYTES, normalise_for_pseudonym, pseudonymise
from crmcore.testing import strategies as crm_st

KEY = bytes(range(32))
OTHER_KEY = bytes(range(100, 132))
keys = st.binary(min_size=KEY_BYTES, max_size=64).filter(lambda k: len(set(k)) > 1)


def test_pseudonym_is_hmac_sha256_of_the_normalised_value() -> None:
    """GDPR Art. 4(5): pseudonymised data needs additional information (the key) kept apart."""
    expected = hmac.new(KEY, b"crmcore.pseudonym.v1\x00text\x00ada", hashlib.sha256).hexdigest()
    assert pseudonymise("  ADA ", KEY) == expected


def test_pseudonym_is_never_a_plain_hash() -> None:
    """GDPR Art. 4(5) and Recital 26: a plain hash of an email can be tested by guessing."""
    value = "ada@example.org"
    found = pseudonymise(value, KEY, kind="email")
    for digest in (hashlib.sha256, hashlib.sha1, hashlib.md5):
        assert found != digest(value.encode()).hexdigest()
        assert found != digest(b"email\x00" + value.encode()).hexdigest()


def test_emails_written_differently_share_a_pseudonym() -> None:
    a = pseudonymise(EmailAddress("Jean.Dupont@Example.COM"), KEY)
    b = pseudonymise(" Jean.Dupont@example.com ", KEY, kind="email")
    assert a == b


def test_phones_in_national_and_international_form_share_a_pseudonym() -> None:
    a = pseudonymise(PhoneNumber("020 7946 0958", region="GB"), KEY)
    b = pseudonymise("+44 20 7946 0958", KEY, kind="phone")
    c = pseudonymise("020 7946 0958", KEY, kind="phone", region="GB")
    d = pseudonymise(PhoneNumber("020 7946 0958 ext. 12", region="GB"), KEY)
    assert a == b == c == d


def test_text_is_nfkc_casefolded_and_trimmed() -> None:
    assert normalise_for_pseudonym("  Ｓtraße\u00a0 Müller\n") == ("text", "strasse müller")
    assert pseudonymise("STRASSE MÜLLER", KEY) == pseudonymise("straße  müller", KEY)


def test_person_name_is_keyed_by_its_display_form() -> None:
    name = PersonName(given="Ada", family="Lovelace")
    assert pseudonymise(name, KEY) == pseudonymise("ada lovelace", KEY)


def test_kinds_never_share_a_pseudonym() -> None:
    as_phone = pseudonymise("+442079460958", KEY, kind="phone")
    as_text = pseudonymise("+442079460958", KEY, kind="text")
    assert as_phone != as_text


@given(crm_st.emails(), keys, keys)
def test_pseudonyms_are_stable_per_key_and_differ_across_keys(
    email: EmailAddress, key: bytes, other: bytes
) -> None:
    """Issue 11: stable per key (joins work), different across keys."""
    assert pseudonymise(email, key) == pseudonymise(email, bytearray(key))
    assert pseudonymise(email, key) == pseudonymise(email.normalised, key, kind="email")
    if key != other:
        assert pseudonymise(email, key) != pseudonymise(email, other)


@given(crm_st.phones())
def test_a_phone_pseudonym_joins_with_its_e164_text(phone: PhoneNumber) -> None:
    assert pseudonymise(phone, KEY) == pseudonymise(phone.e164, KEY, kind="phone")


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("a long passphrase of well over thirty-two characters", "not text"),
        (b"short", "too short"),
        (bytes(30) + b"\x01", "too short"),
        (b"\x00" * 32, "not a secret"),
        (12345, "expected bytes"),
        (None, "expected bytes"),
    ],
)
def test_a_text_short_or_trivial_key_is_refused_naming_the_argument(key: Any, reason: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        pseudonymise("ada", key)
    assert caught.value.field == "key"
    assert reason.split()[-1] in str(caught.value)


@pytest.mark.parametrize(
    ("value", "options", "field"),
    [
        ("ada.lovelace@", {"kind": "email"}, "value"),
        ("call ada on her mobile", {"kind": "phone"}, "value"),
        ("020 7946 0958", {"kind": "phone"}, "region"),
        ("020 7946 0958", {"kind": "phone", "region": "gb"}, "region"),
        ("020 7946 0958", {"region": "GB"}, "region"),
        ("   ", {}, "value"),
        (12, {}, "value"),
        ("ada", {"kind": "name"}, "kind"),
        (EmailAddress("ada@example.org"), {"kind": "phone"}, "kind"),
    ],
)
def test_bad_values_are_refused_naming_the_argument_never_the_value(
    value: Any, options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidValueError) as caught:
        pseudonymise(value, KEY, **options)
    assert caught.value.field == field
    text = str(caught.value) + repr(caught.value.args)
    assert "ada" not in text
    assert "7946" not in text
    error = caught.value
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


@given(
    st.one_of(st.text(), st.integers(), st.none(), st.binary(), crm_st.emails()),
    st.one_of(st.binary(), st.text(), st.none()),
    st.sampled_from([None, "email", "phone", "text", "other"]),
    st.sampled_from([None, "GB", "FR", "xx"]),
)
def test_arbitrary_input_gives_a_pseudonym_or_a_crm_error(
    value: Any, key: Any, kind: Any, region: Any
) -> None:
    try:
        found = pseudonymise(value, key, kind=kind, region=region)
    except CRMError:
        return
    assert len(found) == 64
    assert int(found, 16) >= 0


@given(st.from_regex(r"[a-z]{2,6}@[0-9]{5,8}\.[a-z]{2,4}", fullmatch=True))
def test_a_planted_value_never_reaches_an_error(token: str) -> None:
    """Issue 11, bad input: errors name the argument, never the value (nor the key)."""
    calls = [
        lambda: pseudonymise(token, token.encode()),
        lambda: pseudonymise(token, token),  # type: ignore[arg-type]
        lambda: pseudonymise(token, KEY, kind="phone"),
        lambda: pseudonymise(token + "@", KEY, kind="email"),
        lambda: pseudonymise(token, KEY, kind=token),  # type: ignore[arg-type]
        lambda: pseudonymise(token, KEY, kind="phone", region=token),
    ]
    for call in calls:
        with pytest.raises(CRMError) as caught:
            call()
        error = caught.value
        assert token not in str(error)
        assert token not in repr(error.args)
        assert error.__cause__ is None
        assert error.__context__ is None or error.__suppress_context__
