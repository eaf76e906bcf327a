"""Email and phone comparators: canonical mailboxes, E.164 numbers."""

from __future__ import annotations

from typing import Any

import pytest

from crmcore.dedup import CompareContext, EmailProvider, canonical_email, emails, phones


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("jane.doe@example.com", "jane.doe@EXAMPLE.COM", "exact"),
        ("Jane.Doe@example.com", "jane.doe@example.com", "canonical"),
        ("jane.doe@gmail.com", "janedoe@gmail.com", "canonical"),
        ("jane.doe@gmail.com", "J.A.N.E.DOE@googlemail.com", "canonical"),
        ("jane+crm@gmail.com", "jane@gmail.com", "canonical"),
        ("jane+news@outlook.com", "jane@outlook.com", "canonical"),
        ("jane@me.com", "jane@icloud.com", "canonical"),
        ("jane+news@example.com", "jane@example.com", "different"),
        ("jane.doe@outlook.com", "janedoe@outlook.com", "typo"),  # Outlook keeps dots
        ("jane.doe@hotmail.com", "jane.doe@outlook.com", "different"),
        ("jane.doe@example.com", "jnae.doe@example.com", "typo"),
        ("jane.doe@example.com", "jane.doe@example.org", "different"),
        ("bob@example.com", "rob@example.com", "different"),
    ],
)
def test_emails_levels(left: str, right: str, level: str, ctx: CompareContext, person: Any) -> None:
    cmp = emails()
    assert cmp(person(emails=(left,)), person(emails=(right,)), ctx) == level
    assert cmp(person(emails=(right,)), person(emails=(left,)), ctx) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("robert.hughes@example.net", "robert_hughes@example.net", "different"),
        ("rhughes@example.com", "rhughes2@example.com", "different"),
        ("Hughes.R@example.net", "hughes.r1@example.net", "different"),
        ("robert.hughes.sales@example.net", "robert.hughes.sale@example.net", "typo"),
        ("rhughes@example.net", "rhughse@example.net", "typo"),  # not the name any more
        ("robert.hughes@example.net", "robert.hughes@exmaple.net", "typo"),
    ],
)
def test_an_email_typo_is_not_only_the_shared_name(
    left: str, right: str, level: str, ctx: CompareContext, person: Any
) -> None:
    """Namesakes at one domain get addresses a typo apart: that agrees on the name only."""
    cmp = emails()
    a = person("Robert", "Hughes", emails=(left,))
    b = person("Robert", "Hughes", emails=(right,), record_id="c-2")
    assert cmp(a, b, ctx) == level
    assert cmp(b, a, ctx) == level
    assert cmp.batch([(a, b), (b, a)], ctx) == [level, level]


def test_an_email_of_someone_else_s_name_can_be_a_typo(ctx: CompareContext, person: Any) -> None:
    a = person("Robert", "Hughes", emails=("mtaylor@example.com",))
    b = person("Margaret", "Taylor", emails=("mtaylor2@example.com",), record_id="c-2")
    assert emails()(a, b, ctx) == "typo"


def test_emails_compare_every_address_at_best(ctx: CompareContext, person: Any) -> None:
    a = person(emails=("work@example.com", "jane.doe@gmail.com"))
    b = person(emails=("janedoe@gmail.com",))
    assert emails()(a, b, ctx) == "canonical"
    assert emails()(a, person(), ctx) == "null"


def test_a_record_s_addresses_are_prepared_once_each_in_order(
    ctx: CompareContext, person: Any
) -> None:
    cmp = emails()
    a = cmp.prepare(person("Jane", "Doe", emails=("b@example.com", "a@example.com")), ctx)
    b = cmp.prepare(person("Jane", "Doe", emails=("a@example.com", "b@example.com")), ctx)
    assert (
        a
        == b
        == (
            ("a@example.com", "a@example.com", ("jane", "doe")),
            ("b@example.com", "b@example.com", ("jane", "doe")),
        )
    )
    assert isinstance(a, tuple)
    one = cmp.prepare(person("Jane", "Doe", emails=("a@example.com",)), ctx)
    other = cmp.prepare(person("Jane", "Doe", emails=("c@example.com",)), ctx)
    assert one is not None
    assert other is not None
    assert one[0][2] is other[0][2]  # one name's words: one tuple for every record of it


def test_providers_come_from_the_context() -> None:
    ctx = CompareContext(providers=(EmailProvider(("example.com",), plus_tags=True),))
    assert canonical_email("jane+crm@example.com", ctx) == "jane@example.com"
    assert canonical_email("j.doe+x@gmail.com", ctx) == "j.doe+x@gmail.com"


def test_a_leading_plus_is_not_a_tag(ctx: CompareContext) -> None:
    assert canonical_email("+jane@gmail.com", ctx) == "+jane@gmail.com"


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("06 12 34 56 78", "+33 6 12 34 56 78", "exact"),
        ("06 12 34 56 78 ext. 12", "0612345678 x12", "exact"),
        ("06 12 34 56 78 ext. 12", "06 12 34 56 78", "same_line"),
        ("06 12 34 56 78", "06 12 34 56 79", "one_digit"),
        ("06 12 34 56 78", "06 12 34 65 78", "one_digit"),
        ("06 12 34 56 78", "07 98 76 54 32", "different"),
    ],
)
def test_phones_levels(left: str, right: str, level: str, ctx: CompareContext, person: Any) -> None:
    cmp = phones()
    assert cmp(person(phones=(left,)), person(phones=(right,)), ctx) == level
    assert cmp(person(phones=(right,)), person(phones=(left,)), ctx) == level


def test_a_missing_phone_is_null(ctx: CompareContext, person: Any) -> None:
    assert phones()(person(phones=("06 12 34 56 78",)), person(), ctx) == "null"


def test_the_first_provider_of_a_domain_gives_its_canonical_form() -> None:
    ctx = CompareContext(
        providers=(
            EmailProvider(("mail.example", "alias.example"), plus_tags=True),
            EmailProvider(("alias.example",), ignores_dots=True),
        )
    )
    assert canonical_email("J.Doe+x@Alias.example", ctx) == "j.doe@mail.example"
    assert canonical_email("j.doe+x@other.example", ctx) == "j.doe+x@other.example"
