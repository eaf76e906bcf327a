"""Built-in email rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from crmcore import EmailAddress
from crmcore.validation import Context, Severity, default_ruleset, validate
from crmcore.validation.emails import EmailFacts, email_facts, local_key

Codes = Callable[..., list[tuple[str, str]]]


def test_a_clean_address_gives_no_issue(contact: Any, codes: Codes) -> None:
    assert codes(contact(emails=(EmailAddress("jean.dupont@example.fr"),))) == []


@pytest.mark.parametrize(
    "address", ["not an email", "jean@", "a@b", "a b@example.com", "x@" + "y" * 64 + ".com"]
)
def test_invalid_syntax(contact: Any, codes: Codes, address: str) -> None:
    email = EmailAddress(address, normalised="someone@example.com")
    assert codes(contact(emails=(email,))) == [("identity.emails[0]", "email.invalid_syntax")]


def test_invalid_syntax_says_why_without_the_value(contact: Any, ctx: Context) -> None:
    email = EmailAddress("jean.example.com", normalised="someone@example.com")
    report = validate(contact(emails=(email,)), default_ruleset(), ctx)
    assert report.issues[0].message == "not a valid email address: no @"
    assert report.issues[0].severity is Severity.ERROR


def test_a_stored_normal_form_that_is_not_the_address_s_is_an_error(
    contact: Any, codes: Codes
) -> None:
    email = EmailAddress("jean.dupont@example.fr", normalised="jean@example.fr")
    assert codes(contact(emails=(email,))) == [("identity.emails[0]", "email.normalised_mismatch")]


def test_an_address_not_written_in_normal_form_is_noted(contact: Any, ctx: Context) -> None:
    report = validate(
        contact(emails=(EmailAddress("Jean.Dupont@Example.FR"),)), default_ruleset(), ctx
    )
    assert [(issue.code, issue.severity) for issue in report.issues] == [
        ("email.not_normalised", Severity.INFO)
    ]


@pytest.mark.parametrize(
    "address",
    [
        "info@example.com",
        "Sales@example.com",
        "support+eu@example.com",
        "customer-service@example.com",
        "customer.service@example.com",
        "hello@example.com",
    ],
)
def test_role_accounts(contact: Any, codes: Codes, address: str) -> None:
    found = codes(contact(emails=(EmailAddress(address),)))
    assert ("identity.emails[0]", "email.role_account") in found


@pytest.mark.parametrize(
    "address",
    [
        "noreply@example.com",
        "no-reply@example.com",
        "No_Reply+x@example.com",
        "donotreply@example.com",
        "do-not-reply@example.com",
        "ne-pas-repondre@example.fr",
        "mailer-daemon@example.com",
        "bounces@example.com",
        "alerts-noreply@example.com",
    ],
)
def test_no_reply_addresses_are_flagged_as_such_not_as_roles(
    contact: Any, codes: Codes, address: str
) -> None:
    found = [code for _, code in codes(contact(emails=(EmailAddress(address),)))]
    assert "email.no_reply" in found
    assert "email.role_account" not in found


@pytest.mark.parametrize("address", ["ada@example.org", "informatique.dupont@example.fr"])
def test_personal_addresses_are_not_roles(contact: Any, codes: Codes, address: str) -> None:
    assert codes(contact(emails=(EmailAddress(address),))) == []


def test_the_context_decides_what_a_role_is(contact: Any, codes: Codes) -> None:
    ctx = Context(datetime(2025, 6, 1, tzinfo=timezone.utc), role_accounts={"key-accounts"})
    record = contact(emails=(EmailAddress("Key.Accounts@example.com"),))
    assert ("identity.emails[0]", "email.role_account") in codes(record, context=ctx)
    record = contact(emails=(EmailAddress("info@example.com"),))
    assert codes(record, context=ctx) == []


def test_every_email_is_checked_and_paths_name_each(contact: Any, codes: Codes) -> None:
    emails = (
        EmailAddress("ada@example.org", primary=True),
        EmailAddress("bad", normalised="x@example.org"),
        EmailAddress("info@example.org"),
    )
    assert codes(contact(emails=emails)) == [
        ("identity.emails[1]", "email.invalid_syntax"),
        ("identity.emails[2]", "email.role_account"),
    ]


def test_facts_are_read_once_per_address() -> None:
    from crmcore.validation import emails as rules

    rules._read_cached.cache_clear()
    assert email_facts("Ada@Example.ORG") == email_facts("Ada@Example.ORG")
    assert rules._read_cached.cache_info().hits == 1
    facts = email_facts("Ada@Example.ORG")
    assert facts.normalised == "Ada@example.org"
    assert facts.local_key == "ada"
    assert email_facts("\ud800@example.org").normalised is None
    assert email_facts("a\x00b@example.org").normalised is None


def test_local_key_drops_case_tags_and_separators() -> None:
    assert local_key("Customer.Service+EU") == "customerservice"
    assert local_key("no_reply") == "noreply"


def test_cached_facts_are_left_untracked_by_the_collector() -> None:
    """The cache keeps plain tuples of text and flags, which the collector stops scanning."""
    import gc

    from crmcore.validation import emails as rules

    rules._read_cached.cache_clear()
    kept = [rules._read_cached(text) for text in ("Ada@Example.ORG", "not an address")]
    gc.collect()
    assert [type(facts) for facts in kept] == [tuple, tuple]
    assert not any(gc.is_tracked(facts) for facts in kept)
    assert email_facts("Ada@Example.ORG") == EmailFacts("Ada@example.org", "", "ada", False)
