"""The shortcut for plain ASCII emails gives exactly email-validator's answer, or defers to it."""

from __future__ import annotations

import email_validator
import pytest
from email_validator import rfc_constants
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crmcore.records._contact_text import _plain_ascii_email, normalise_email

_LOCAL = st.text(alphabet="abcXYZ019._%+-!#'~", min_size=0, max_size=70)
_LABEL = st.text(alphabet="abcXY09-", min_size=0, max_size=66)
_DOMAINS = st.lists(_LABEL, min_size=1, max_size=4).map(".".join)
_TLDS = st.sampled_from(["com", "ORG", "io", "test", "local", "x", "c0m", "museum", "xn--p1ai"])

# The mailbox names email-validator lower-cases (RFC 2142), and near misses, in any case.
_ROLES = tuple(getattr(rfc_constants, "CASE_INSENSITIVE_MAILBOX_NAMES", ()))
_ROLE_LIKE = st.sampled_from(
    (*_ROLES, "admin", "contact", "hello", "supports", "info1", "sale", "no-reply", "ftp.x")
)


@st.composite
def _any_case(draw: st.DrawFn, words: st.SearchStrategy[str]) -> str:
    word = draw(words)
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(char.upper() if flip else char for char, flip in zip(word, flips, strict=True))


_CASED_LOCAL = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0._%+-", max_size=70
)
_LOCALS = _LOCAL | _CASED_LOCAL | _any_case(_ROLE_LIKE) | _any_case(_LOCAL)
_CASED_DOMAINS = _any_case(_DOMAINS)


def _reference(text: str) -> str | None:
    try:
        return str(email_validator.validate_email(text, check_deliverability=False).normalized)
    except email_validator.EmailNotValidError:
        return None


@settings(max_examples=1000)
@given(_LOCALS, _DOMAINS | _CASED_DOMAINS, _TLDS | _any_case(_TLDS))
@example("Ada.Lovelace+crm", "Example", "COM")
@example("a..b", "example", "com")
@example(".a", "example", "com")
@example("a", "-bad", "com")
@example("a", "exam--ple", "com")
@example("a", "sub", "test")
@example("SUPPORT", "EXAMPLE", "COM")
@example("Info", "example", "org")
@example("postMaster", "example", "org")
@example("abuse", "Example", "ORG")
@example("Sales", "example", "io")
def test_shortcut_agrees_with_email_validator_or_defers(local: str, domain: str, tld: str) -> None:
    text = f"{local}@{domain}.{tld}"
    fast = _plain_ascii_email(text)
    if fast is not None:
        assert _reference(text) == fast


@settings(max_examples=200)
@given(_any_case(_ROLE_LIKE), _CASED_DOMAINS)
def test_role_addresses_take_the_shortcut_with_email_validators_answer(
    local: str, domain: str
) -> None:
    text = f"{local}@{domain}.com"
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


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("SUPPORT@EXAMPLE.COM", "support@example.com"),
        ("Info@Example.org", "info@example.org"),
        ("PostMaster@example.org", "postmaster@example.org"),
        ("Support.Team@example.org", "Support.Team@example.org"),
    ],
)
def test_role_mailbox_names_are_lower_cased_as_email_validator_does(
    text: str, normalised: str
) -> None:
    """RFC 2142 mailbox names are case-insensitive; email-validator lower-cases them."""
    assert normalise_email(text) == normalised == _reference(text)
