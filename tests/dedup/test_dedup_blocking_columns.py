"""Blocking's columns: the built-in rules' keys derived per distinct value give the same pairs
as the rules read record by record, and the workers read no record."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.dedup._blocking_checks import assert_same_blocking

from crmcore import Account, AccountIdentity, Contact, ContactIdentity, PostalAddress
from crmcore.cleaning import clean_raw
from crmcore.dedup import (
    BlockingError,
    BlockingRules,
    block,
    default_blocking_rules,
    default_split_rules,
)
from crmcore.dedup._block_arrays import key_table
from crmcore.dedup._blocking_columns import (
    Plan,
    _product_table,
    extract,
    plan_of,
    planned_table,
)
from crmcore.dedup._blocking_rules import BlockingEntry
from crmcore.dedup._blocking_values import (
    addresses_of,
    birth_days,
    births_of,
    emails_of,
    external_ids_of,
    names_of,
    phones_of,
)
from crmcore.dedup._forked import READ_APART_FROM, reading_jobs
from crmcore.records import EmailAddress, ExternalId, PersonName, PhoneNumber
from crmcore.records.values import QuarantinedValue
from crmcore.testing.synthetic import messy_dataset


def _read_one_by_one(rules: BlockingRules) -> BlockingRules:
    """The same rules as plugins: each a function of a record, read record by record."""
    plain = BlockingRules()
    for entry in rules:

        def keys(record: Any, rule: Any = entry.rule) -> Any:
            return rule(record)

        plain.add(entry.record_types, keys, name=entry.name, window=entry.window)
    return plain


def _records() -> list[Contact]:
    data = messy_dataset(
        7, datetime(2026, 11, 1, tzinfo=timezone.utc), contacts=600, deals=0, activities=0
    )
    found = [clean_raw(Contact, row).record for row in data.contacts]
    kept = QuarantinedValue("identity.birth_date", "05/13/1990", "date.unreadable", "not a date")
    found.append(Contact("q-1", ContactIdentity(name=PersonName(given="Ann")), quarantine=(kept,)))
    found.append(
        Contact("q-2", ContactIdentity(name=PersonName(given="Ann"), birth_date=date(1990, 5, 13)))
    )
    return found


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("size", [3, 100])
def test_the_columns_give_the_pairs_the_records_give(jobs: int, size: int) -> None:
    records = _records()
    rules, splits = default_blocking_rules(), default_split_rules()
    planned = block(records, rules, max_block_size=size, jobs=jobs, split_rules=splits)
    plain = block(
        records,
        _read_one_by_one(rules),
        max_block_size=size,
        jobs=jobs,
        split_rules=_read_one_by_one(splits),
    )
    assert_same_blocking(planned, plain)
    assert len(planned.pairs) > len(records)
    if size == 3:
        assert planned.skipped
        assert any(summary.split_pairs for summary in planned.rules)


def test_accounts_read_by_columns_and_records_alike() -> None:
    def account(record_id: str, name: str, phone: str, external: str) -> Account:
        return Account(
            record_id,
            AccountIdentity(
                name=name,
                phones=(PhoneNumber(phone, region="GB"),),
                external_ids=(ExternalId(system="Stripe", value=external),),
            ),
        )

    records = [
        account("a-1", "Acme Ltd", "020 7946 0958", "cus_1"),
        account("a-2", "ACME", "020 7946 0958", "cus_2"),
        account("a-3", "Bolt GmbH", "020 7946 0000", "cus_1"),
    ]
    rules = default_blocking_rules()
    assert_same_blocking(block(records, rules), block(records, _read_one_by_one(rules)))
    assert block(records, rules).ids == (("a-1", "a-2"), ("a-1", "a-3"), ("a-2", "a-3"))


def test_a_column_of_one_record_is_its_value_in_bulk() -> None:
    contact = Contact(
        "c-1",
        ContactIdentity(
            name=PersonName(given="Ada", family=None),
            emails=(EmailAddress("Ada@Example.com"),),
            phones=(PhoneNumber("020 7946 0958", region="GB"),),
            addresses=(PostalAddress(lines=("1 Main St",), postal_code="NW1 6XE", country="GB"),),
            birth_date=date(1990, 7, 5),
        ),
    )
    empty = Contact("c-2")
    for column in (names_of, addresses_of, births_of, emails_of, phones_of, external_ids_of):
        assert column.many([contact, empty]) == [column(contact), column(empty)]
    assert names_of(contact) == (("Ada", None),)
    assert emails_of(contact) == ("Ada@example.com",)
    assert addresses_of(contact) == (("NW1 6XE", ("1 Main St",)),)
    assert births_of(contact) == (((1990, 7, 5),), ())  # read; parsed per distinct value
    assert birth_days(births_of(contact)) == frozenset({"1990-05-07"})
    assert external_ids_of(empty) == ()
    assert births_of(empty) == ((), ())
    assert birth_days(births_of(empty)) == frozenset()


def _blocks(per_record: list[list[Any]]) -> list[frozenset[int]]:
    """The records of each key (or number), in the keys' order."""
    members: dict[Any, set[int]] = {}
    for position, keys in enumerate(per_record):
        for key in keys:
            members.setdefault(key, set()).add(position)
    return [frozenset(members[key]) for key in sorted(members)]


def test_a_planned_table_holds_the_keys_of_each_record() -> None:
    records = _records()[:200]
    for entry in (*default_blocking_rules().for_type(Contact), *default_split_rules()):
        ranked = entry.window is not None
        plan = plan_of(entry.rule, Contact)
        assert plan is not None
        table = planned_table(plan, extract(records, plan.columns), ranked=ranked)
        assert table is not None
        offsets, numbers = table
        found = [numbers[offsets[i] : offsets[i + 1]].tolist() for i in range(len(records))]
        keys = [list(entry.keys(record)) for record in records]
        assert [len(one) for one in found] == [len(one) for one in keys], entry.name
        if ranked:  # numbered in the keys' order
            assert _blocks(found) == _blocks(keys), entry.name
        else:
            assert sorted(_blocks(found), key=sorted) == sorted(_blocks(keys), key=sorted)
        assert key_table(keys, ranked=ranked)[0].tolist() == offsets.tolist()


def test_a_planned_table_leaves_out_empty_and_repeated_keys_and_ranks_from_zero() -> None:
    records = [*_records()[:60], Contact("z-1")]  # the last with no key

    def derive(names: Any, emails: Any) -> Any:
        parts = [family or "" for _, family in names] + [email[:1] for email in emails]
        return parts[0] if len(parts) == 1 else [*parts, "", *parts]  # a text, or repeats

    plan = Plan((names_of, emails_of), derive)
    per_record = [derive(names_of(record), emails_of(record)) for record in records]
    keys = [
        tuple(sorted({found} - {""} if isinstance(found, str) else set(found) - {""}))
        for found in per_record
    ]
    assert any(not one for one in keys)
    assert any(len(one) > 1 for one in keys)
    for ranked in (False, True):
        table = planned_table(plan, extract(records, plan.columns), ranked=ranked)
        assert table is not None
        offsets, numbers = table
        expected = key_table(keys, ranked=True)
        assert offsets.tolist() == expected[0].tolist()
        found = [sorted(numbers[offsets[i] : offsets[i + 1]].tolist()) for i in range(len(keys))]
        if ranked:  # the keys' ranks in their sorted order, from 0, "" not among them
            assert found == [
                sorted(expected[1][offsets[i] : offsets[i + 1]].tolist()) for i in range(len(keys))
            ]
        else:
            assert sorted(_blocks(found), key=sorted) == sorted(_blocks(keys), key=sorted)


def _families(names: Any) -> set[str]:
    """A test part: the family names as written ("" for none)."""
    return {family or "" for _, family in names} or {""}


def _mailboxes(emails: Any) -> set[str]:
    """A test part: the emails' mailboxes (before the ``@``)."""
    return {email.partition("@")[0] for email in emails}


def _per_record(table: Any, count: int) -> list[list[int]]:
    offsets, numbers = table
    return [numbers[offsets[i] : offsets[i + 1]].tolist() for i in range(count)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "a|", "|b", "", "a|b"]),
            st.lists(st.sampled_from(["b@x.org", "|b@x.org", "a|b@x.org"]), max_size=2),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_plan_s_parts_give_the_keys_its_derive_gives(people: list[tuple[str, list[str]]]) -> None:
    records = [
        Contact(
            f"c-{number}",
            ContactIdentity(
                name=PersonName(given="x", family=family or None),
                emails=tuple(EmailAddress(email) for email in emails),
            ),
        )
        for number, (family, emails) in enumerate(people)
    ]

    def derive(names: Any, emails: Any) -> list[str]:
        return [f"{one}|{other}" for one in _families(names) for other in _mailboxes(emails)]

    columns = (names_of, emails_of)
    extracted = extract(records, columns)
    whole = planned_table(Plan(columns, derive), extracted, ranked=False)
    parted = planned_table(Plan(columns, derive, (_families, _mailboxes)), extracted, ranked=False)
    assert whole is not None
    assert parted is not None
    assert parted[0].tolist() == whole[0].tolist()
    if not any("|" in family or any("|" in email for email in emails) for family, emails in people):
        # no key holds the joiner: the parts' numbers were combined, not the texts joined
        assert (
            _product_table(
                Plan(columns, derive, (_families, _mailboxes)), [extracted[c] for c in columns]
            )
            is not None
        )
    blocks = [_blocks(_per_record(table, len(records))) for table in (whole, parted)]
    assert sorted(blocks[0], key=sorted) == sorted(blocks[1], key=sorted)


def test_a_plan_with_one_part_or_parts_not_matching_its_columns_is_joined_as_text() -> None:
    # one part would key a record with no family name by "", which the text path leaves out
    records = [Contact(f"c-{n}", ContactIdentity(name=PersonName(given="x"))) for n in (1, 2)]
    extracted = extract(records, (names_of, emails_of))
    one = Plan((names_of,), _families, (_families,))
    assert _product_table(one, [extracted[names_of]]) is None
    assert planned_table(one, extracted, ranked=False) is not None
    assert planned_table(one, extracted, ranked=False)[1].tolist() == []
    two_columns_one_part = Plan((names_of, emails_of), _families, (_families,))
    assert _product_table(two_columns_one_part, [extracted[names_of], extracted[emails_of]]) is None


def test_a_key_holding_the_joiner_is_joined_as_text() -> None:
    def person(record_id: str, given: str, organisation: str) -> Contact:
        name = PersonName(given=given, family="a")
        return Contact(record_id, ContactIdentity(name=name, organisation=organisation))

    # "a|x" and "b#c" joined as "a|x#b#c", as "a|x#b" and "c" are: one key, as derive makes
    records = [person("c-1", "x", "b#c"), person("c-2", "x#b", "c")]
    rule = default_blocking_rules()["crmcore.name_organisation"].rule
    rules = BlockingRules()
    rules.add(Contact, rule, name="test.name_organisation")
    found = block(records, rules)
    assert found.ids == (("c-1", "c-2"),)
    assert_same_blocking(found, block(records, _read_one_by_one(rules)))


def test_an_unhashable_key_leaves_the_records_to_read() -> None:
    plan = Plan((names_of,), lambda names: [["a"]])
    assert planned_table(plan, extract(_records()[:5], plan.columns), ranked=False) is None


def test_a_plan_that_raises_or_answers_no_texts_leaves_the_records_to_read() -> None:
    records = _records()[:5]
    plan = Plan((names_of,), lambda names: [1])
    assert planned_table(plan, extract(records, plan.columns), ranked=False) is None
    failing = Plan((names_of,), lambda names: 1 / 0)
    assert planned_table(failing, extract(records, failing.columns), ranked=True) is None
    assert planned_table(plan, {}, ranked=False) is None  # its column is missing


def test_a_column_that_raises_is_left_out() -> None:
    def broken(record: Any) -> Any:
        raise ValueError("unreadable")

    assert set(extract(_records()[:3], [broken, names_of])) == {names_of}


def test_a_subclass_of_a_built_in_rule_is_read_record_by_record() -> None:
    class Upper(type(default_blocking_rules()["crmcore.email"].rule)):  # type: ignore[misc]
        def __call__(self, record: Any, /) -> tuple[str, ...]:
            return tuple(key.upper() for key in super().__call__(record))

    rule = Upper()
    assert plan_of(rule, Contact) is None
    rules = BlockingRules()
    rules.add(Contact, rule, name="acme.upper")
    records = [
        Contact("c-1", ContactIdentity(emails=(EmailAddress("a@example.com"),))),
        Contact("c-2", ContactIdentity(emails=(EmailAddress("A@example.com"),))),
    ]
    assert block(records, rules).ids == (("c-1", "c-2"),)


def test_the_built_in_rules_read_no_record_in_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """Their keys come from the columns: reading a record through a rule fails here."""

    def refused(self: BlockingEntry, records: Any) -> Any:
        raise BlockingError(f"{self.name} read the records")

    records = _records()[:300]
    expected = block(records, max_block_size=5)
    monkeypatch.setattr(BlockingEntry, "keys_many", refused)
    assert_same_blocking(block(records, max_block_size=5), expected)
    rules = default_blocking_rules()
    rules.add(Contact, lambda record: (), name="acme.plain")
    with pytest.raises(BlockingError, match=r"acme\.plain read the records"):
        block(records, rules)


def test_each_record_s_extracted_key_gives_its_value() -> None:
    two = Contact(
        "t-1",
        ContactIdentity(
            name=PersonName(given="Bo", family="Lind"),
            phones=(
                PhoneNumber("020 7946 0958", region="GB"),
                PhoneNumber("020 7946 0000", region="GB"),
            ),
            birth_date=date(1990, 7, 5),
        ),
    )
    records = [*_records(), two, Contact("z-1")]
    columns = (names_of, addresses_of, births_of, emails_of, phones_of, external_ids_of)
    found = extract(records, columns)
    assert set(found) == set(columns)
    for column in columns:
        values = found[column].distinct()
        read = [values[code] for code in found[column].codes.tolist()]
        assert read == [column(record) for record in records]
    assert births_of(records[-2]) == (((1990, 7, 5),), ())
    assert births_of(records[-3]) == (((1990, 5, 13),), ())
    assert births_of(records[-4]) == ((), ("05/13/1990",))


def test_the_columns_of_few_records_are_read_here_and_of_many_on_the_workers() -> None:
    assert reading_jobs(100 * 6, 2) == 1  # sooner here than a worker starts
    assert reading_jobs(READ_APART_FROM - 1, 2) == 1
    assert reading_jobs(READ_APART_FROM, 2) == 2
    assert reading_jobs(READ_APART_FROM, 1) == 1  # no worker asked for
    assert reading_jobs(READ_APART_FROM, 3) == 3
