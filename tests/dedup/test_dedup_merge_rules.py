"""Survivorship rules on realistic clusters: the known duplicates of ``messy_dataset``.

Each group of :attr:`Dataset.known_duplicates` (and of ``known_account_duplicates``) is one
person or organisation entered several times, cleaned as crmcore cleans input; each rule of
the issue is checked on every group where it has something to choose.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest

from _merge_checks import (
    BUILTIN,
    assert_history_is_true,
    assert_nothing_lost,
    assert_provenance_is_true,
)
from crmcore import Account, Contact, from_dict
from crmcore.cleaning import address_key, clean_raw
from crmcore.dedup import (
    SurvivorshipContext,
    SurvivorshipRules,
    merge,
    most_frequent,
    rewrite_references,
    trusted_source,
)
from crmcore.records import Source
from crmcore.testing.synthetic import messy_dataset

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module", params=["medium", "hard"])
def data(request: pytest.FixtureRequest) -> Any:
    return messy_dataset(
        11, AS_OF, contacts=600, accounts=120, deals=80, activities=300, difficulty=request.param
    )


@pytest.fixture(scope="module")
def contact_groups(data: Any) -> list[list[Contact]]:
    rows = {row["id"]: row for row in data.contacts}
    return [[clean_raw(Contact, rows[i]).record for i in group] for group in data.known_duplicates]


@pytest.fixture(scope="module")
def account_groups(data: Any) -> list[list[Account]]:
    rows = {row["id"]: row for row in data.accounts}
    return [
        [clean_raw(Account, rows[i]).record for i in group]
        for group in data.known_account_duplicates
    ]


def _stamp(day: int) -> datetime:
    return datetime(2025, 1, day, tzinfo=timezone.utc)


def test_every_known_duplicate_group_merges_losing_nothing(
    contact_groups: list[list[Contact]], account_groups: list[list[Account]]
) -> None:
    assert len(contact_groups) > 20
    assert account_groups
    for group in [*contact_groups, *account_groups]:
        merged = merge(group)
        assert_nothing_lost(group, merged)
        assert_history_is_true(group, merged)
        assert_provenance_is_true(group, merged, BUILTIN)
        assert merged.golden.id == min(record.id for record in group)


def test_contact_points_are_united_and_the_same_point_is_kept_once(
    contact_groups: list[list[Contact]],
) -> None:
    folded = 0
    for group in contact_groups:
        golden = merge(group).golden.identity
        emails = [e.normalised for r in group for e in r.identity.emails]
        phones = [(p.e164, p.extension) for r in group for p in r.identity.phones]
        addresses = [address_key(a) for r in group for a in r.identity.addresses]
        assert len({e.normalised for e in golden.emails}) == len(golden.emails)
        assert {e.normalised for e in golden.emails} == set(emails)
        assert len({(p.e164, p.extension) for p in golden.phones}) == len(golden.phones)
        assert {(p.e164, p.extension) for p in golden.phones} == set(phones)
        assert len(golden.addresses) == len({address_key(a) for a in golden.addresses})
        assert {address_key(a) for a in golden.addresses} == set(addresses)
        folded += len(emails) - len(set(emails))
    assert folded > 0  # some groups share an email: it was folded into one


def test_the_email_verified_last_then_collected_last_is_the_form_that_stays(
    data: Any,
) -> None:
    """Raw rows read without cleaning keep each email as written, in several cases."""
    rows = {row["id"]: row for row in data.contacts}
    checked = 0
    for group in data.known_duplicates:
        try:
            records = [from_dict(Contact, rows[i]) for i in group]
        except Exception:  # a row that conversion alone refuses: cleaning would quarantine
            continue
        forms = {e.address for r in records for e in r.identity.emails}
        norms = {e.normalised for r in records for e in r.identity.emails}
        if len(records[0].identity.emails) != 1 or len(forms) == len(norms):
            continue
        # Every member's email verified on its own day: the last-verified one wins, then,
        # with the same verification day, the one collected last.
        for order in (list(range(len(records))), list(reversed(range(len(records))))):
            stamped = [
                _with_email_dates(r, verified=_stamp(1 + order[k]), collected=_stamp(20))
                for k, r in enumerate(records)
            ]
            last = max(range(len(stamped)), key=lambda k: order[k])
            merged = merge(stamped)
            winner = stamped[last].identity.emails[0]
            golden = [e for e in merged.golden.identity.emails if e.normalised == winner.normalised]
            assert [e.address for e in golden] == [winner.address]
            assert golden[0].verified_at == _stamp(1 + max(order))
            same_day = [
                _with_email_dates(r, verified=_stamp(1), collected=_stamp(1 + order[k]))
                for k, r in enumerate(records)
            ]
            winner = same_day[last].identity.emails[0]
            golden = [
                e
                for e in merge(same_day).golden.identity.emails
                if e.normalised == winner.normalised
            ]
            assert [e.address for e in golden] == [winner.address]
        checked += 1
    assert checked > 0


def _with_email_dates(record: Contact, *, verified: datetime, collected: datetime) -> Contact:
    emails = tuple(
        attrs.evolve(e, verified_at=verified, collected_at=collected)
        for e in record.identity.emails
    )
    return attrs.evolve(record, identity=attrs.evolve(record.identity, emails=emails))


def test_scalars_take_the_value_verified_last_then_of_the_record_changed_last(
    contact_groups: list[list[Contact]],
) -> None:
    checked = 0
    for group in contact_groups:
        titles = {r.descriptive.job_title for r in group} - {None}
        if len(titles) < 2:
            continue
        # The record verified last wins, whatever its update time.
        verified = [
            attrs.evolve(r, last_verified_at=_stamp(1 + k), updated_at=_stamp(28 - k))
            for k, r in enumerate(group)
        ]
        holders = [r for r in verified if r.descriptive.job_title is not None]
        merged = merge(verified)
        assert merged.golden.descriptive.job_title == holders[-1].descriptive.job_title
        assert holders[-1].id in merged.provenance["descriptive.job_title"].record_ids
        # With no verification, the record changed last wins.
        updated = [attrs.evolve(r, last_verified_at=None) for r in verified]
        holders = [r for r in updated if r.descriptive.job_title is not None]
        assert merge(updated).golden.descriptive.job_title == holders[0].descriptive.job_title
        checked += 1
    assert checked > 0


def test_trusted_source_by_priority_then_latest(contact_groups: list[list[Contact]]) -> None:
    rules = SurvivorshipRules()
    rules.add(Contact, "descriptive.job_title", trusted_source, name="crmcore.trusted_source")
    priorities = (Source.MANUAL, Source.IMPORT, Source.FORM)
    ctx = SurvivorshipContext(source_priorities=priorities)
    sources = [Source.IMPORT, Source.FORM, Source.API, Source.MANUAL]
    checked = 0
    for group in contact_groups:
        if len({r.descriptive.job_title for r in group} - {None}) < 2:
            continue
        sourced = [
            attrs.evolve(r, source=sources[k % len(sources)], last_verified_at=_stamp(28 - k))
            for k, r in enumerate(group)
        ]
        holders = [r for r in sourced if r.descriptive.job_title is not None]
        rank = {source: i for i, source in enumerate(priorities)}
        best = min(holders, key=lambda r: (rank.get(r.source, len(rank)), -_key_of(r)))
        merged = merge(sourced, rules, ctx)
        assert merged.golden.descriptive.job_title == best.descriptive.job_title
        assert merged.provenance["descriptive.job_title"].rule == "crmcore.trusted_source"
        checked += 1
    assert checked > 0


def _key_of(record: Contact) -> float:
    assert record.last_verified_at is not None
    return record.last_verified_at.timestamp()


def test_the_most_complete_name_survives(contact_groups: list[list[Contact]]) -> None:
    def parts(record: Contact) -> int:
        name = record.identity.name
        return sum(bool(getattr(name, a.name)) for a in attrs.fields(type(name)))

    for group in contact_groups:
        merged = merge(group)
        assert parts(merged.golden) == max(parts(r) for r in group)
        assert merged.provenance["identity.name"].rule == "crmcore.most_complete"


def test_the_most_frequent_value_survives_when_registered(
    contact_groups: list[list[Contact]],
) -> None:
    rules = SurvivorshipRules()
    rules.add(Contact, "descriptive.industry", most_frequent, name="crmcore.most_frequent")
    checked = 0
    for group in contact_groups:
        industries = Counter(
            r.descriptive.industry for r in group if r.descriptive.industry is not None
        )
        if not industries:
            continue
        golden = merge(group, rules).golden.descriptive.industry
        assert industries[golden] == max(industries.values())
        checked += 1
    # A planted majority wins over the record verified last.
    group = next(g for g in contact_groups if len(g) >= 2)
    planted = [
        attrs.evolve(
            r,
            descriptive=attrs.evolve(r.descriptive, industry="Retail" if k else "Mining"),
            last_verified_at=_stamp(28) if k == 0 else None,
        )
        for k, r in enumerate([*group, attrs.evolve(group[-1], id="ZZZ-1")])
    ]
    assert merge(planted, rules).golden.descriptive.industry == "Retail"
    assert merge(planted).golden.descriptive.industry == "Mining"
    assert checked > 0


def test_purchases_are_summed_and_the_last_purchase_is_the_latest(
    contact_groups: list[list[Contact]],
) -> None:
    checked = 0
    for group in contact_groups:
        counts = [
            r.quantitative.purchase_count
            for r in group
            if r.quantitative.purchase_count is not None
        ]
        dates = [r.quantitative.last_purchase_on for r in group]
        spent = [r.quantitative.total_spent for r in group if r.quantitative.total_spent]
        merged = merge(group)
        quantitative = merged.golden.quantitative
        assert quantitative.purchase_count == (sum(counts) if counts else None)
        known = [d for d in dates if d is not None]
        assert quantitative.last_purchase_on == (max(known) if known else None)
        if len({m.currency for m in spent}) == 1:
            assert quantitative.total_spent is not None
            assert quantitative.total_spent.amount == sum((m.amount for m in spent), Decimal(0))
            ids = merged.provenance["quantitative.total_spent"].record_ids
            assert ids == tuple(sorted(r.id for r in group if r.quantitative.total_spent))
        checked += len(counts) > 1
    assert checked > 0


def test_account_figures_that_are_facts_are_not_summed(
    account_groups: list[list[Account]],
) -> None:
    for group in account_groups:
        stamped = [
            attrs.evolve(r, updated_at=AS_OF - timedelta(days=k)) for k, r in enumerate(group)
        ]
        merged = merge(stamped)
        employees = [r.quantitative.employees for r in stamped if r.quantitative.employees]
        if employees:
            assert merged.golden.quantitative.employees == employees[0]
            assert merged.provenance["quantitative.employees"].rule == "crmcore.latest"


def test_references_to_merged_records_point_at_the_golden_record(
    data: Any, contact_groups: list[list[Contact]], account_groups: list[list[Account]]
) -> None:
    id_map: dict[str, str] = {}
    for group in [*contact_groups, *account_groups]:
        id_map.update(merge(group).id_map)
    others: list[Any] = [clean_raw(Contact, row).record for row in data.contacts]
    for kind, rows in (("Deal", data.deals), ("Activity", data.activities)):
        for row in rows:
            try:
                others.append(from_dict(kind, row))
            except Exception:  # a planted defect: conversion refuses the row
                continue
    rewritten = rewrite_references(others, id_map)
    moved = 0
    for before, after in zip(others, rewritten, strict=True):
        assert after.id == before.id
        refs = getattr(before.identity, "contact_refs", ())
        if refs:
            expected = tuple(dict.fromkeys(id_map.get(ref, ref) for ref in refs))
            assert after.identity.contact_refs == expected
            moved += expected != refs
        account = getattr(before.identity, "account_ref", None)
        if account is not None:
            assert after.identity.account_ref == id_map.get(account, account)
    assert moved > 0
