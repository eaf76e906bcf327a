"""The shortcut for plain ASCII emails gives exactly email-validator's answer, or defers to it."""

from __future__ import annotations

import email_validator
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crmcore.records.values import _plain_ascii_email

_LOCAL = st.text(alphabet="abcXYZ019._%+-!#'~", min_size=0, max_size=70)
_LABEL = st.text(alphabet="abcXY09-", min_size=0, max_size=66)
_DOMAINS = st.lists(_LABEL, min_size=1, max_size=4).map(".".join)
_TLDS = st.sampled_from(["com", "ORG", "io", "test", "local", "x", "c0m", "museum", "xn--p1ai"])


def _reference(text: str) -> str | None:
    try:
        return str(email_validator.validate_email(text, check_deliverability=False).normalized)
    except email_validator.EmailNotValidError:
        return None


@settings(max_examples=600)
@given(_LOCAL, _DOMAINS, _TLDS)
@example("Ada.Lovelace+crm", "Example", "COM")
@example("a..b", "example", "com")
@example(".a", "example", "com")
@example("a", "-bad", "com")
@example("a", "exam--ple", "com")
@example("a", "sub", "test")
def test_shortcut_agrees_with_email_validator_or_defers(local: str, domain: str, tld: str) -> None:
    text = f"{local}@{domain}.{tld}"
    fast = _plain_ascii_email(text)
    if fast is not None:
        assert _reference(text) == fast


@given(st.text(max_size=80))
def test_shortcut_never_accepts_what_email_validator_refuses(text: str) -> None:
    fast = _plain_ascii_email(text)
    if fast is not None:
        assert _reference(text) == fast


def test_shortcut_takes_common_addresses() -> None:
    assert (
        _plain_ascii_email("Jean.Dupont+news@Mail.Example.FR") == "Jean.Dupont+news@mail.example.fr"
    )
    assert _plain_ascii_email("zoë@example.org") is None
    assert _plain_ascii_email("a@b.xn--p1ai") is None
