"""Proposing the account of each contact by email domain and organisation name."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Account, AccountIdentity, Contact, ContactIdentity, CRMError, EmailAddress
from crmcore.dedup import (
    LINK_REASONS,
    LinkingError,
    LinkProposal,
    LinkResult,
    apply_links,
    default_free_mail,
    link_contacts,
)


def contact(
    record_id: str,
    *emails: str,
    organisation: str | None = None,
    account_ref: str | None = None,
) -> Contact:
    return Contact(
        record_id,
        ContactIdentity(
            emails=tuple(EmailAddress(e) for e in emails),
            organisation=organisation,
            account_ref=account_ref,
        ),
    )


def account(record_id: str, name: str | None = None, *domains: str, **more: Any) -> Account:
    return Account(record_id, AccountIdentity(name=name, domains=domains, **more))


ACCOUNTS = [
    account("a-1", "Globex Corporation", "https://www.globex.example/"),
    account("a-2", "Initech GmbH", "initech.example"),
    account("a-3", "Orange SA", "orange.fr"),
]


def test_an_email_at_an_account_domain_proposes_that_account() -> None:
    result = link_contacts([contact("c-1", "ann@globex.example")], ACCOUNTS)
    assert result.proposals == (LinkProposal("c-1", "a-1", "email_domain", 0.9),)


def test_a_subdomain_of_an_account_domain_counts() -> None:
    result = link_contacts([contact("c-1", "ann@eu.Globex.example")], ACCOUNTS)
    assert [p.account_id for p in result.proposals] == ["a-1"]


def test_organisation_name_without_legal_suffix_proposes_the_account() -> None:
    result = link_contacts([contact("c-1", organisation="INITECH")], ACCOUNTS)
    assert result.proposals == (LinkProposal("c-1", "a-2", "organisation_name", 0.75),)


def test_domain_and_name_together_are_most_confident() -> None:
    result = link_contacts([contact("c-1", "bo@initech.example", organisation="Initech")], ACCOUNTS)
    (proposal,) = result.proposals
    assert proposal.reason == "email_domain_and_name"
    assert proposal.confidence == LINK_REASONS["email_domain_and_name"]


def test_free_mail_domains_never_link_even_to_the_providers_own_account() -> None:
    result = link_contacts(
        [contact("c-1", "ann@orange.fr"), contact("c-2", "x@gmail.com")], ACCOUNTS
    )
    assert result == LinkResult()
    assert "orange.fr" in default_free_mail()


def test_a_custom_free_mail_list_replaces_the_shipped_one() -> None:
    result = link_contacts([contact("c-1", "ann@orange.fr")], ACCOUNTS, free_mail=[])
    assert [p.account_id for p in result.proposals] == ["a-3"]
    blocked = link_contacts(
        [contact("c-1", "a@globex.example")], ACCOUNTS, free_mail=["globex.example"]
    )
    assert blocked == LinkResult()


def test_an_existing_account_ref_is_never_replaced_and_a_differing_one_is_a_conflict() -> None:
    people = [
        contact("c-1", "ann@globex.example", account_ref="a-2"),
        contact("c-2", "bob@globex.example", account_ref="a-1"),
    ]
    result = link_contacts(people, ACCOUNTS)
    assert result.proposals == ()
    assert result.conflicts == (LinkProposal("c-1", "a-1", "email_domain", 0.9, current="a-2"),)
    assert [p.contact_id for p in result.confirmed] == ["c-2"]
    assert apply_links(people, result) == tuple(people)


def test_evidence_pointing_to_two_accounts_equally_is_ambiguous() -> None:
    twins = [*ACCOUNTS, account("a-4", "Globex Europe", "globex.example")]
    result = link_contacts([contact("c-1", "ann@globex.example")], twins)
    assert result.ambiguous == ("c-1",)
    assert result.proposals == ()
    named = link_contacts(
        [contact("c-1", "ann@globex.example", organisation="Globex Europe Ltd")], twins
    )
    assert [(p.account_id, p.reason) for p in named.proposals] == [("a-4", "email_domain_and_name")]


def test_apply_links_sets_refs_only_where_none_was_and_keeps_order() -> None:
    people = [
        contact("c-2", "x@initech.example"),
        contact("c-1", "ann@globex.example"),
        contact("c-3", "y@nowhere.example"),
    ]
    result = link_contacts(people, ACCOUNTS)
    linked = apply_links(people, result)
    assert [c.id for c in linked] == ["c-2", "c-1", "c-3"]
    assert [c.identity.account_ref for c in linked] == ["a-2", "a-1", None]
    changed = [contact("c-1", "ann@globex.example", account_ref="a-9")]
    assert apply_links(changed, result) == tuple(changed)


def test_result_is_json_safe() -> None:
    result = link_contacts([contact("c-1", "ann@globex.example", account_ref="a-2")], ACCOUNTS)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["conflicts"][0] == {
        "contact_id": "c-1",
        "account_id": "a-1",
        "reason": "email_domain",
        "confidence": 0.9,
        "current": "a-2",
    }


@pytest.mark.parametrize(
    ("contacts", "accounts", "message"),
    [
        ([ACCOUNTS[0]], ACCOUNTS, r"contacts\[0\] is not a Contact"),
        (
            [contact("c-1"), contact("c-1")],
            ACCOUNTS,
            r"contacts\[1\] repeats the id of contacts\[0\]",
        ),
        ([], [ACCOUNTS[0], ACCOUNTS[0]], r"accounts\[1\] repeats"),
        ([], "accounts", "accounts must be an iterable"),
    ],
)
def test_bad_input_is_a_linking_error_naming_the_position(
    contacts: Any, accounts: Any, message: str
) -> None:
    with pytest.raises(LinkingError, match=message):
        link_contacts(contacts, accounts)


def test_messages_never_quote_a_value() -> None:
    secret = contact("ann.secret@globex.example", "ann.secret@globex.example")
    with pytest.raises(LinkingError) as caught:
        link_contacts([secret, secret], ACCOUNTS)
    assert "secret" not in str(caught.value)


anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=8,
)


@given(
    st.lists(st.sampled_from([contact("c-1", "a@globex.example"), 3, None]), max_size=3) | anything,
    st.lists(st.sampled_from([*ACCOUNTS, "x"]), max_size=3) | anything,
    st.none() | anything,
)
def test_arbitrary_input_raises_only_crm_errors(contacts: Any, accounts: Any, free: Any) -> None:
    try:
        result = link_contacts(contacts, accounts, free_mail=free)
    except CRMError:
        return
    apply_links(contacts, result)
    with pytest.raises(CRMError):
        apply_links(contacts, "result")  # type: ignore[arg-type]


def test_on_generated_data_every_removed_reference_is_proposed_again() -> None:
    from datetime import datetime, timezone

    import attrs

    from crmcore.cleaning import CleaningContext, clean_raw
    from crmcore.testing.synthetic import messy_dataset

    as_of = datetime(2026, 11, 1, tzinfo=timezone.utc)
    data = messy_dataset(7, as_of, contacts=600, accounts=40, deals=0, activities=0)
    ctx = CleaningContext(as_of=as_of, default_region="FR", dayfirst=True)
    people = [r.record for row in data.contacts if (r := clean_raw(Contact, row, ctx)).record]
    firms = [r.record for row in data.accounts if (r := clean_raw(Account, row, ctx)).record]
    known = {c.id: c.identity.account_ref for c in people if c.identity.account_ref}
    firm_ids = {a.id for a in firms}
    bare = [attrs.evolve(c, identity=attrs.evolve(c.identity, account_ref=None)) for c in people]
    proposed = {p.contact_id: p.account_id for p in link_contacts(bare, firms).proposals}
    expected = {c: a for c, a in known.items() if a in firm_ids}
    assert len(expected) > 300
    assert all(proposed.get(c) == a for c, a in expected.items())
    kept = link_contacts(people, firms)
    assert not any(p.current in firm_ids for p in kept.conflicts)
