"""SubjectSearch: the answers of every record, holding only what may concern the subject."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import (
    Account,
    AccountIdentity,
    Activity,
    ActivityIdentity,
    ActivityQualitative,
    Contact,
    ContactIdentity,
    ContactQualitative,
    Deal,
    DealIdentity,
    EmailAddress,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    Record,
)
from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy import (
    DataSubject,
    SubjectSearch,
    apply_erasure,
    find_subject,
    plan_erasure,
)

KEY = bytes(range(32))
AT = datetime(2026, 12, 4, 12, tzinfo=timezone.utc)
SUBJECT = DataSubject(
    names=(PersonName(given="Ada", family="Lovelace"),),
    emails=("ada@example.org",),
    phones=("+442079460958",),
    birth_date=date(1815, 12, 10),
)

NAMES = st.sampled_from(
    [
        PersonName(given="Ada", family="Lovelace"),
        PersonName(given="Bob", family="Lovelace"),
        PersonName(given="Carol", family="Byron"),
        PersonName(given="Dan", family="Smith"),
    ]
)
EMAILS = st.sampled_from(["ada@example.org", "ADA@example.org", "bob@example.org", "c@x.org"])
PHONES = st.sampled_from(["+442079460958", "+442079460000", "+33142685300"])
COUNTRIES = st.sampled_from(["GB", "FR", "US"])
TEXTS = st.sampled_from(
    [
        "nothing to see",
        "call 020 7946 0958 tomorrow",
        "wrote to ADA@example.org",
        "met Ada Lovelace at the fair",
        "Bob Lovelace asked for a quote",
        "Lovelace called back",
        "01 42 68 53 00 is the switchboard",
    ]
)
IDS = st.sampled_from([f"c-{i}" for i in range(6)])


@st.composite
def contact(draw: st.DrawFn) -> Contact:
    return Contact(
        draw(IDS),
        ContactIdentity(
            name=draw(NAMES),
            emails=tuple(EmailAddress(e) for e in draw(st.lists(EMAILS, max_size=2))),
            phones=tuple(PhoneNumber(p) for p in draw(st.lists(PHONES, max_size=1))),
            addresses=tuple(
                PostalAddress(country=c) for c in draw(st.lists(COUNTRIES, max_size=1))
            ),
            birth_date=draw(st.none() | st.just(date(1815, 12, 10)) | st.just(date(1990, 1, 1))),
            account_ref=draw(st.none() | st.sampled_from(["a-0", "a-1"])),
        ),
        qualitative=ContactQualitative(
            notes=tuple(Note(text) for text in draw(st.lists(TEXTS, max_size=2)))
        ),
    )


@st.composite
def account(draw: st.DrawFn) -> Account:
    return Account(
        draw(st.sampled_from(["a-0", "a-1"])),
        AccountIdentity(
            name="Acme",
            phones=tuple(PhoneNumber(p) for p in draw(st.lists(PHONES, max_size=1))),
            addresses=tuple(
                PostalAddress(country=c) for c in draw(st.lists(COUNTRIES, max_size=1))
            ),
        ),
    )


@st.composite
def deal(draw: st.DrawFn) -> Deal:
    return Deal(
        draw(st.sampled_from(["d-0", "d-1", "d-2"])),
        DealIdentity(
            name="Renewal",
            account_ref=draw(st.none() | st.sampled_from(["a-0", "a-1"])),
            contact_refs=tuple(draw(st.lists(IDS, max_size=2, unique=True))),
        ),
    )


@st.composite
def activity(draw: st.DrawFn) -> Activity:
    return Activity(
        draw(st.sampled_from(["t-0", "t-1", "t-2", "t-3"])),
        ActivityIdentity(
            contact_refs=tuple(draw(st.lists(IDS, max_size=2, unique=True))),
            deal_refs=tuple(draw(st.lists(st.sampled_from(["d-0", "d-1"]), max_size=1))),
        ),
        qualitative=ActivityQualitative(content=draw(st.none() | TEXTS)),
    )


@st.composite
def worlds(draw: st.DrawFn) -> list[Record]:
    firsts: list[Record] = draw(st.lists(contact() | account(), max_size=8))
    return [
        *firsts,
        *draw(st.lists(deal(), max_size=3)),
        *draw(st.lists(activity(), max_size=4)),
    ]


def searched(records: list[Record], subject: DataSubject = SUBJECT) -> SubjectSearch:
    search = SubjectSearch(subject)
    search.extend(records)
    return search


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_discovery_is_find_subjects_on_every_record(records: list[Record]) -> None:
    search = searched(records)
    assert search.read == len(records)
    assert search.discovery() == find_subject(records, SUBJECT)


def _plans(plan: Any) -> set[tuple[str, str, tuple[Any, ...]]]:
    return {(item.record_id, item.role, item.paths) for item in plan.records}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_erasure_from_the_records_kept_is_erasure_from_every_record(
    records: list[Record],
) -> None:
    search = searched(records)
    kept = search.records
    whole = plan_erasure(records, SUBJECT)
    part = plan_erasure(kept, SUBJECT, regions=search.regions)
    assert _plans(part) == _plans(whole)
    assert {p.record_id: p.regions for p in part.records} == {
        p.record_id: p.regions for p in whole.records
    }
    whole_out = apply_erasure(whole, records, key=KEY, at=AT)
    part_out = apply_erasure(part, kept, key=KEY, at=AT)
    changed_whole = {
        (i, new)
        for i, (old, new) in enumerate(zip(records, whole_out.records, strict=True))
        if old is not new
    }
    changed_part = {
        (search.positions[i], new)
        for i, (old, new) in enumerate(zip(kept, part_out.records, strict=True))
        if old is not new
    }
    assert changed_part == changed_whole
    assert part_out.audit.entries == whole_out.audit.entries


def test_only_what_may_concern_the_subject_is_kept() -> None:
    ada = Contact("c-1", ContactIdentity(emails=(EmailAddress("ada@example.org"),)))
    stranger = Contact("c-2", ContactIdentity(name=PersonName(given="Dan", family="Smith")))
    namesake = Contact("c-3", ContactIdentity(name=PersonName(given="Bob", family="Lovelace")))
    talk = Activity(
        "t-1", ActivityIdentity(), qualitative=ActivityQualitative(content="met Ada Lovelace")
    )
    quiet = Activity("t-2", ActivityIdentity(contact_refs=("c-2",)))
    search = searched([ada, stranger, namesake, talk, quiet])
    assert [record.id for record in search.records] == ["c-1", "c-3", "t-1"]
    assert search.positions == (0, 2, 3)
    assert repr(search) == "SubjectSearch(read=5, kept=3)"


def test_regions_come_from_the_records_referred_to_even_when_not_kept() -> None:
    other = Contact("c-2", ContactIdentity(addresses=(PostalAddress(country="GB"),)))
    talk = Activity(
        "t-1",
        ActivityIdentity(contact_refs=("c-2",)),
        qualitative=ActivityQualitative(content="020 7946 0958"),
    )
    search = searched([other, talk])
    assert [record.id for record in search.records] == ["t-1"]
    assert search.regions.own == {"c-2": ("GB",)}
    plan = plan_erasure(search.records, SUBJECT, regions=search.regions)
    assert plan.records[0].regions == ("GB",)
    assert [(p.path, p.action.value) for p in plan.records[0].paths] == [
        ("qualitative.content", "scrub")
    ]


def test_a_record_out_of_order_is_refused_naming_its_position() -> None:
    search = SubjectSearch(SUBJECT)
    search.add(Deal("d-1", DealIdentity(name="Renewal")))
    with pytest.raises(InvalidValueError) as info:
        search.add(Contact("c-1", ContactIdentity(emails=(EmailAddress("ada@example.org"),))))
    assert str(info.value) == "[1]: contacts and accounts must come before deals"
    assert search.read == 1


@pytest.mark.parametrize("bad", [None, "text", {"id": "c-1"}, 3])
def test_non_records_are_refused(bad: Any) -> None:
    search = SubjectSearch(SUBJECT)
    with pytest.raises(CRMError) as info:
        search.add(bad)
    assert info.value.field == "[0]"
    with pytest.raises(InvalidValueError):
        search.extend(bad)


def test_a_subject_with_nothing_to_find_is_refused() -> None:
    with pytest.raises(InvalidValueError) as info:
        SubjectSearch(DataSubject(birth_date=date(1815, 12, 10)))
    assert info.value.field == "subject"


def test_plan_erasure_checks_the_regions_it_is_given() -> None:
    ada = Contact("c-1", ContactIdentity(emails=(EmailAddress("ada@example.org"),)))
    with pytest.raises(InvalidValueError) as info:
        plan_erasure([ada], SUBJECT, regions={"c-1": ("GB",)})  # type: ignore[arg-type]
    assert info.value.field == "regions"


def test_records_kept_are_the_very_objects_read() -> None:
    ada = Contact("c-1", ContactIdentity(emails=(EmailAddress("ada@example.org"),)))
    search = searched([ada])
    assert search.records[0] is ada
    assert attrs.has(type(search.discovery().found[0]))
