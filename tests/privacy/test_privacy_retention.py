"""Retention policies, the registry and :func:`due_for_deletion` (crmcore.privacy.retention)."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _plugin_fakes import FakeEntryPoint as _FakeEntryPoint
from _plugin_fakes import install as _install
from crmcore import (
    Account,
    Activity,
    ActivityDescriptive,
    ActivityIdentity,
    Category,
    Contact,
    ContactDescriptive,
    ContactIdentity,
    ContactQualitative,
    EmailAddress,
    LifecycleStage,
    Note,
    PersonName,
    Record,
)
from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy.retention import (
    INACTIVE,
    Due,
    RetentionContext,
    RetentionPolicies,
    RetentionPolicyError,
    default_retention_policies,
    due_for_deletion,
    inactive_for,
)
from crmcore.testing import strategies as crm_st
from crmcore.validation import PluginError

UTC = timezone.utc


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


JAN_2024 = at(2024, 1, 31)


def lead(
    record_id: str = "c-1",
    created: datetime | None = JAN_2024,
    stage: LifecycleStage | None = LifecycleStage.LEAD,
    **kwargs: object,
) -> Contact:
    return Contact(
        record_id,
        ContactIdentity(
            name=PersonName(given="Ada", family="Lovelace"),
            emails=(EmailAddress("ada@example.org"),),
        ),
        ContactDescriptive(lifecycle_stage=stage),
        created_at=created,
        **kwargs,  # type: ignore[arg-type]
    )


def call(record_id: str, when: datetime | None, *refs: str) -> Activity:
    return Activity(
        record_id, ActivityIdentity(contact_refs=refs), ActivityDescriptive(occurred_at=when)
    )


# -- the built-in policy --------------------------------------------------------------------


def test_an_inactive_lead_is_due_once_24_calendar_months_have_passed() -> None:
    """GDPR Art. 5(1)(e) (storage limitation): kept no longer than necessary.

    The default policy deletes leads after 24 months without activity, counted in calendar
    months from the record's creation when no activity is known.
    """
    policies = default_retention_policies()
    contact = lead(created=at(2024, 1, 31))
    assert due_for_deletion([contact], policies, at(2026, 1, 30)) == ()
    (due,) = due_for_deletion([contact], policies, at(2026, 1, 31))
    assert due == Due(
        INACTIVE,
        "no activity for 24 months",
        since=at(2024, 1, 31),
        record_type="Contact",
        record_id="c-1",
        policy="crmcore.inactive_leads",
    )
    assert due.whole_record


def test_a_month_end_counts_to_the_last_day_of_a_shorter_month() -> None:
    """GDPR Art. 5(1)(e): months are calendar months (31 Mar + 1 month is 30 Apr)."""
    policy = inactive_for(Contact, months=1)
    ctx = RetentionContext(at(2026, 4, 30))
    assert list(policy(lead(created=at(2026, 3, 31)), ctx))
    assert not list(policy(lead(created=at(2026, 3, 31)), RetentionContext(at(2026, 4, 29))))


def test_only_the_stages_asked_are_concerned() -> None:
    """GDPR Art. 5(1)(e): a customer relationship keeps its own, longer retention."""
    as_of = at(2030, 1, 1)
    policies = default_retention_policies()
    customer = lead("c-2", stage=LifecycleStage.CUSTOMER)
    no_stage = lead("c-3", stage=None)
    assert [due.record_id for due in due_for_deletion([customer, no_stage], policies, as_of)] == []
    every_stage = inactive_for(Contact, stages=None)
    assert list(every_stage(customer, RetentionContext(as_of)))
    assert list(every_stage(no_stage, RetentionContext(as_of)))


def test_recent_activity_given_by_id_keeps_the_record() -> None:
    """GDPR Art. 5(1)(e): inactivity counts from the last activity."""
    contact = lead(created=at(2020, 1, 1))
    policies = default_retention_policies()
    recent = {"c-1": at(2025, 6, 1)}
    assert due_for_deletion([contact], policies, at(2027, 5, 31), last_activity=recent) == ()
    (due,) = due_for_deletion([contact], policies, at(2027, 6, 1), last_activity=recent)
    assert due.since == at(2025, 6, 1)


def test_activity_records_passed_in_count_for_the_contacts_they_refer_to() -> None:
    """GDPR Art. 5(1)(e): an interaction recorded as an Activity is activity."""
    contact = lead(created=at(2020, 1, 1))
    records = [call("a-1", at(2025, 6, 1), "c-1"), contact, call("a-2", at(2019, 1, 1), "c-1")]
    assert due_for_deletion(records, default_retention_policies(), at(2027, 5, 1)) == ()


def test_activities_still_to_come_or_undated_count_for_nothing() -> None:
    """GDPR Art. 5(1)(e): a meeting booked in the future is not activity yet."""
    contact = lead(created=at(2020, 1, 1))
    records = [contact, call("a-1", at(2031, 1, 1), "c-1"), call("a-2", None, "c-1")]
    (due,) = due_for_deletion(records, default_retention_policies(), at(2027, 1, 1))
    assert due.record_id == "c-1"
    assert due.since == at(2020, 1, 1)


def test_a_record_with_no_date_at_all_is_never_guessed_due() -> None:
    """GDPR Art. 5(1)(e): without a date, how long data has been kept is unknown."""
    assert (
        due_for_deletion([lead(created=None)], default_retention_policies(), at(2090, 1, 1)) == ()
    )


def test_updated_at_is_not_activity() -> None:
    """GDPR Art. 5(1)(e): cleaning a record does not renew its retention."""
    contact = lead(created=at(2020, 1, 1), updated_at=at(2026, 1, 1))
    assert due_for_deletion([contact], default_retention_policies(), at(2026, 2, 1))


# -- fields by category ---------------------------------------------------------------------


def test_fields_by_privacy_category_are_named_when_they_hold_a_value() -> None:
    """GDPR Art. 5(1)(e): free text may be kept shorter than the record."""
    contact = lead(
        created=at(2020, 1, 1),
        qualitative=ContactQualitative(notes=(Note("called"),), custom={"remark": "x"}),
    )
    policy = inactive_for(Contact, months=36, stages=None, privacy=["free_text"])
    paths = [due.path for due in policy(contact, RetentionContext(at(2026, 1, 1)))]
    assert paths == ["qualitative.notes", "qualitative.custom.remark"]
    empty = lead(created=at(2020, 1, 1))
    assert list(policy(empty, RetentionContext(at(2026, 1, 1)))) == []


def test_fields_by_category_are_the_personal_ones_only() -> None:
    """GDPR Art. 5(1)(e): only personal data falls under storage limitation."""
    contact = lead(created=at(2020, 1, 1))
    policy = inactive_for(Contact, stages=None, category=Category.IDENTITY)
    paths = {due.path for due in policy(contact, RetentionContext(at(2026, 1, 1)))}
    assert paths == {"identity.name", "identity.emails"}


# -- determinism ----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(min_value=1, max_value=12))
def test_the_answer_does_not_depend_on_the_order_of_the_records(
    rng: random.Random, count: int
) -> None:
    contacts = [lead(f"c-{n}", created=at(2020, 1 + n % 12, 1)) for n in range(count)]
    policies = default_retention_policies()
    policies.add(
        Contact, inactive_for(Contact, stages=None, privacy=["contact_email"]), name="acme.emails"
    )
    first = due_for_deletion(contacts, policies, at(2026, 1, 1))
    rng.shuffle(contacts)
    assert due_for_deletion(contacts, policies, at(2026, 1, 1)) == first
    assert [due.sort_key() for due in first] == sorted(due.sort_key() for due in first)
    assert len(first) == 2 * count


@settings(max_examples=60, deadline=None)
@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1)),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1)),
    st.integers(min_value=1, max_value=240),
)
def test_due_exactly_when_the_period_has_run(
    created: datetime, as_of: datetime, months: int
) -> None:
    """GDPR Art. 5(1)(e): due once, and ever after, the period has run; never before."""
    policy = inactive_for(Contact, months=months, stages=None)
    contact = lead(created=created.replace(tzinfo=UTC))
    due = bool(list(policy(contact, RetentionContext(as_of.replace(tzinfo=UTC)))))
    later = bool(list(policy(contact, RetentionContext(as_of.replace(tzinfo=UTC) + timedelta(1)))))
    assert not due or later
    if due:
        assert as_of - created >= timedelta(days=28 * months)


# -- the registry ---------------------------------------------------------------------------


def _none(record: object, ctx: RetentionContext) -> Iterable[Due]:
    return ()


def test_add_remove_and_replace_by_name() -> None:
    policies = default_retention_policies()
    added = policies.add(Contact, _none, name="acme.nothing")
    assert policies.names == ("crmcore.inactive_leads", "acme.nothing")
    with pytest.raises(InvalidValueError, match="already registered"):
        policies.add(Contact, _none, name="acme.nothing")
    old = policies.replace(Contact, inactive_for(Contact, months=12), name="crmcore.inactive_leads")
    assert old.name == "crmcore.inactive_leads"
    assert policies.names == ("crmcore.inactive_leads", "acme.nothing")
    assert policies.remove(_none) == added
    assert policies.remove("crmcore.inactive_leads").name == "crmcore.inactive_leads"
    assert len(policies) == 0
    assert "crmcore.inactive_leads" in default_retention_policies()
    with pytest.raises(InvalidValueError):
        policies.remove("acme.absent")


def test_the_decorator_registers_and_the_types_select() -> None:
    policies = RetentionPolicies()

    @policies.policy([Contact, Account], name="acme.all")
    def everything(record: object, ctx: RetentionContext) -> Iterable[Due]:
        yield Due("acme.everything", "house rule")

    assert [entry.name for entry in policies.policies_for(Account)] == ["acme.all"]
    assert policies.policies_for(Activity) == ()
    copy = policies.copy()
    copy.remove("acme.all")
    assert policies.names == ("acme.all",)


@pytest.mark.parametrize("name", ["nodot", "Acme.Upper", "acme..x", "", 3])
def test_a_name_is_dotted_lower_case(name: object) -> None:
    with pytest.raises(InvalidValueError, match="name"):
        RetentionPolicies().add(Contact, _none, name=name)  # type: ignore[arg-type]


def test_bad_registrations_are_refused() -> None:
    policies = RetentionPolicies()
    with pytest.raises(InvalidValueError, match="record_type"):
        policies.add(dict, _none, name="acme.x")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="policy"):
        policies.add(Contact, "not callable", name="acme.x")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="record_type"):
        policies.policy(_none)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"months": 0}, "months"),
        ({"months": True}, "months"),
        ({"months": "24"}, "months"),
        ({"stages": "lead"}, "stages"),
        ({"stages": ["nope"]}, "stages"),
        ({"stages": []}, "stages"),
        ({"privacy": ["nope"]}, "privacy"),
        ({"category": "nope"}, "category"),
    ],
)
def test_inactive_for_refuses_bad_arguments(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValueError, match=field):
        inactive_for(Contact, **kwargs)  # type: ignore[arg-type]


def test_stages_need_a_type_that_has_them() -> None:
    with pytest.raises(InvalidValueError, match="stages=None"):
        inactive_for(Account)
    assert inactive_for(Account, stages=None)


# -- plugins --------------------------------------------------------------------------------


def test_load_entry_points_registers_each_plugin_once(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _install(
        monkeypatch,
        _FakeEntryPoint("acme", lambda policies: policies.add(Contact, _none, name="acme.none")),
    )
    policies = default_retention_policies()
    assert policies.load_entry_points() == ("acme",)
    assert asked == ["crmcore.retention_policies"]
    assert "acme.none" in policies
    assert policies.load_entry_points() == ()


def test_a_plugin_that_fails_raises_plugin_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(monkeypatch, _FakeEntryPoint("broken", None, fails=True))
    with pytest.raises(PluginError, match="retention policy plugin broken"):
        RetentionPolicies().load_entry_points()


# -- bad input and failing policies -------------------------------------------------------


def test_a_failing_policy_is_named_and_its_message_is_not_repeated() -> None:
    policies = RetentionPolicies()

    @policies.policy(Contact, name="acme.crash")
    def crash(record: Contact, ctx: RetentionContext) -> Iterable[Due]:
        raise ValueError(str(record.identity.emails[0].address))

    with pytest.raises(RetentionPolicyError) as caught:
        due_for_deletion([lead()], policies, at(2026, 1, 1))
    assert "acme.crash" in str(caught.value)
    assert "ada@" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_a_policy_yielding_something_else_is_refused() -> None:
    policies = RetentionPolicies()
    policies.add(Contact, lambda record, ctx: ["due"], name="acme.text")
    with pytest.raises(RetentionPolicyError, match="yielded a str"):
        due_for_deletion([lead()], policies, at(2026, 1, 1))


@pytest.mark.parametrize(
    ("records", "as_of", "field"),
    [
        ([lead()], datetime(2026, 1, 1), "as_of"),
        ([lead()], "2026-01-01", "as_of"),
        ([{"id": "c-1"}], at(2026, 1, 1), "records"),
        (lead(), at(2026, 1, 1), "records"),
        ("c-1", at(2026, 1, 1), "records"),
    ],
)
def test_bad_input_raises_naming_the_argument(records: object, as_of: object, field: str) -> None:
    with pytest.raises(InvalidValueError, match=field):
        due_for_deletion(records, default_retention_policies(), as_of)  # type: ignore[arg-type]


def test_bad_last_activity_is_refused_without_quoting_the_key() -> None:
    with pytest.raises(InvalidValueError, match="last_activity") as caught:
        due_for_deletion(
            [lead()],
            default_retention_policies(),
            at(2026, 1, 1),
            last_activity={"ada@example.org": datetime(2025, 1, 1)},
        )
    assert "ada@" not in str(caught.value)


@pytest.mark.parametrize(
    "kwargs",
    [{"code": "Bad Code"}, {"path": "Identity Emails"}, {"since": datetime(2025, 1, 1)}],
)
def test_a_due_checks_its_values(kwargs: dict[str, object]) -> None:
    fields: dict[str, object] = {"code": "acme.x", "reason": "why"} | kwargs
    with pytest.raises(CRMError):
        Due(**fields)  # type: ignore[arg-type]


def test_inputs_are_not_changed() -> None:
    contact = lead(created=at(2020, 1, 1))
    records = [contact]
    due_for_deletion(records, default_retention_policies(), at(2026, 1, 1))
    assert records == [contact]
    assert records[0] is contact


# -- fuzzing --------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    st.lists(crm_st.records(), max_size=6),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
)
def test_any_records_give_sorted_dues_of_known_records(
    records: list[Record], as_of: datetime
) -> None:
    """GDPR Art. 5(1)(e): every due names a record passed in and a registered policy."""
    policies = default_retention_policies()
    policies.add(
        [Contact, Account, Activity],
        inactive_for(Contact, months=1, stages=None, privacy=["free_text"]),
        name="acme.free_text",
    )
    dues = due_for_deletion(records, policies, as_of.replace(tzinfo=UTC))
    ids = {(type(record).__name__, record.id) for record in records}
    assert all((due.record_type, due.record_id) in ids for due in dues)
    assert all(due.policy in policies for due in dues)
    assert list(dues) == sorted(set(dues), key=Due.sort_key)


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers()), st.binary()))
def test_any_bad_argument_raises_a_crm_error(junk: object) -> None:
    policies = default_retention_policies()
    for call in (
        lambda: due_for_deletion(junk, policies, at(2026, 1, 1)),  # type: ignore[arg-type]
        lambda: due_for_deletion([lead()], junk, at(2026, 1, 1)),  # type: ignore[arg-type]
        lambda: due_for_deletion([lead()], policies, junk),  # type: ignore[arg-type]
        lambda: due_for_deletion([lead()], policies, at(2026, 1, 1), last_activity=junk),  # type: ignore[arg-type]
        lambda: inactive_for(junk),  # type: ignore[arg-type]
        lambda: inactive_for(Contact, months=junk),  # type: ignore[arg-type]
        lambda: inactive_for(Contact, stages=junk),  # type: ignore[arg-type]
        lambda: policies.add(junk, _none, name="acme.junk"),  # type: ignore[arg-type]
    ):
        with contextlib.suppress(CRMError):
            call()
