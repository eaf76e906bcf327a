"""Merging: golden record, provenance, history, id map, references; nothing lost."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import (
    Account,
    AccountDescriptive,
    Activity,
    ActivityIdentity,
    Contact,
    ContactIdentity,
    ContactQuantitative,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Deal,
    DealIdentity,
    EmailAddress,
    PersonName,
)
from crmcore.dedup import (
    FieldProvenance,
    Merged,
    MergeError,
    SurvivorshipContext,
    SurvivorshipRules,
    merge,
    most_frequent,
    rewrite_references,
    trusted_source,
)
from crmcore.errors import CRMError
from crmcore.records import Category, Source
from crmcore.records.introspect import fields
from crmcore.testing import strategies as crm_st

SCHEMA = CustomSchema(
    Contact,
    (
        CustomFieldSpec("loyalty_code", CustomType.STRING, Category.IDENTITY),
        CustomFieldSpec("vip", CustomType.BOOLEAN, Category.DESCRIPTIVE),
        CustomFieldSpec("tags", CustomType.STRINGS, Category.QUALITATIVE),
        CustomFieldSpec("seats", CustomType.INTEGER, Category.QUANTITATIVE),
    ),
)

T1 = datetime(2024, 1, 1, tzinfo=UTC)
T2 = datetime(2025, 1, 1, tzinfo=UTC)


def _contact(record_id: str, **identity: Any) -> Contact:
    return Contact(record_id, ContactIdentity(**identity))


def test_golden_id_is_the_first_member_id_and_id_map_covers_every_member() -> None:
    merged = merge([_contact("c-3"), _contact("c-1"), _contact("c-2")])
    assert merged.golden.id == "c-1"
    assert dict(merged.id_map) == {"c-1": "c-1", "c-2": "c-1", "c-3": "c-1"}


def test_latest_verified_email_address_survives_and_contact_points_are_united() -> None:
    old = EmailAddress("ada@old.example", verified_at=T1)
    new = EmailAddress("ada@new.example", verified_at=T2)
    merged = merge([_contact("c-1", emails=(old,)), _contact("c-2", emails=(new, old))])
    assert merged.golden.identity.emails == (new, old)  # latest verified first
    assert merged.provenance["identity.emails"].rule == "crmcore.union"
    assert merged.provenance["identity.emails"].record_ids == ("c-1", "c-2")


def test_same_email_in_two_forms_folds_into_one_and_the_other_goes_to_history() -> None:
    a = EmailAddress("ada@Example.COM", verified_at=T1)
    b = EmailAddress("ada@example.com", collected_at=T2)
    merged = merge([_contact("c-1", emails=(a,)), _contact("c-2", emails=(b,))])
    assert len(merged.golden.identity.emails) == 1
    kept = merged.golden.identity.emails[0]
    lost = [h for h in merged.history if h.path == "identity.emails"]
    assert {h.value for h in lost} | {kept} >= {a, b} - {kept}
    assert all(h.value != kept for h in lost)


def test_scalar_takes_latest_verified_record_and_keeps_the_other_in_history() -> None:
    a = Contact("c-1", ContactIdentity(organisation="Acme"), last_verified_at=T2)
    b = Contact("c-2", ContactIdentity(organisation="Acme Ltd"), last_verified_at=T1)
    merged = merge([b, a])
    assert merged.golden.identity.organisation == "Acme"
    assert [
        (h.path, h.record_id, h.value) for h in merged.history if h.path.startswith("identity")
    ] == [("identity.organisation", "c-2", "Acme Ltd")]
    assert merged.provenance["identity.organisation"].rule == "crmcore.latest"


def test_counts_are_summed_and_last_purchase_is_the_latest() -> None:
    a = Contact(
        "c-1", quantitative=ContactQuantitative(purchase_count=2, last_purchase_on=date(2024, 3, 1))
    )
    b = Contact(
        "c-2", quantitative=ContactQuantitative(purchase_count=3, last_purchase_on=date(2025, 3, 1))
    )
    merged = merge([a, b])
    assert merged.golden.quantitative.purchase_count == 5
    assert merged.golden.quantitative.last_purchase_on == date(2025, 3, 1)
    assert merged.provenance["quantitative.purchase_count"].rule == "crmcore.total"
    assert merged.provenance["quantitative.last_purchase_on"].rule == "crmcore.maximum"


def test_trusted_source_and_registered_rules_win_over_the_default() -> None:
    rules = SurvivorshipRules()
    rules.add(Contact, "identity.organisation", trusted_source, name="crmcore.trusted_source")
    ctx = SurvivorshipContext(source_priorities=(Source.MANUAL, Source.IMPORT))
    a = Contact(
        "c-1", ContactIdentity(organisation="Typed"), source=Source.MANUAL, last_verified_at=T1
    )
    b = Contact(
        "c-2", ContactIdentity(organisation="Imported"), source=Source.IMPORT, last_verified_at=T2
    )
    merged = merge([a, b], rules, ctx)
    assert merged.golden.identity.organisation == "Typed"
    assert merged.provenance["identity.organisation"].rule == "crmcore.trusted_source"


def test_registry_decorator_remove_replace() -> None:
    rules = SurvivorshipRules()

    @rules.rule(Contact, "identity.organisation", name="acme.frequent")
    def frequent(candidates: Any, ctx: Any) -> Any:
        return most_frequent(candidates, ctx)

    assert rules.entry(Contact, "identity.organisation").name == "acme.frequent"  # type: ignore[union-attr]
    with pytest.raises(CRMError):
        rules.add(Contact, "identity.organisation", frequent, name="acme.other")
    rules.replace(Contact, "identity.organisation", trusted_source, name="acme.trusted")
    assert rules.entry(Contact, "identity.organisation").name == "acme.trusted"  # type: ignore[union-attr]
    rules.remove(Contact, "identity.organisation")
    assert rules.entry(Contact, "identity.organisation") is None
    with pytest.raises(KeyError):
        rules.remove(Contact, "identity.organisation")
    with pytest.raises(CRMError):
        rules.add(Contact, "identity.organisation", frequent, name="nodots")


def test_most_frequent_value_survives() -> None:
    rules = SurvivorshipRules()
    rules.add(Contact, "identity.organisation", most_frequent, name="crmcore.most_frequent")
    records = [
        Contact("c-1", ContactIdentity(organisation="A"), last_verified_at=T2),
        Contact("c-2", ContactIdentity(organisation="B")),
        Contact("c-3", ContactIdentity(organisation="B")),
    ]
    assert merge(records, rules).golden.identity.organisation == "B"


def test_a_failing_rule_is_named_without_values() -> None:
    rules = SurvivorshipRules()

    def broken(candidates: Any, ctx: Any) -> Any:
        raise ValueError("Acme secret")

    rules.add(Contact, "identity.organisation", broken, name="acme.broken")
    with pytest.raises(MergeError) as info:
        merge([_contact("c-1", organisation="Acme secret"), _contact("c-2")], rules)
    assert "identity.organisation" in str(info.value)
    assert "secret" not in str(info.value)


def test_references_are_rewritten_through_metadata() -> None:
    id_map = {"a-2": "a-1", "c-2": "c-1"}
    contact = _contact("c-9", account_ref="a-2")
    deal = Deal("d-1", DealIdentity(account_ref="a-2", contact_refs=("c-1", "c-2", "c-3")))
    account = Account("a-5", descriptive=AccountDescriptive(parent_ref="a-2"))
    activity = Activity("x-1", ActivityIdentity(contact_refs=("c-2",), account_refs=("a-3",)))
    out: Any = rewrite_references([contact, deal, account, activity], id_map)
    assert out[0].identity.account_ref == "a-1"
    assert out[1].identity.account_ref == "a-1"
    assert out[1].identity.contact_refs == ("c-1", "c-3")
    assert out[2].descriptive.parent_ref == "a-1"
    assert out[3].identity.contact_refs == ("c-1",)
    assert out[3].identity.account_refs == ("a-3",)
    assert rewrite_references([contact], {})[0] == contact


@pytest.mark.parametrize(
    ("records", "named"),
    [
        ([], "at least one"),
        ([_contact("c-1"), Account("a-1")], "Account, Contact"),
        ([_contact("c-1"), _contact("c-1")], "c-1"),
        ([_contact("c-1"), "ada@example.com"], "item 1"),
        ("text", "sequence"),
    ],
)
def test_bad_input_raises_merge_error_naming_the_problem(records: Any, named: str) -> None:
    with pytest.raises(MergeError) as info:
        merge(records)
    assert named in str(info.value)
    assert "ada@" not in str(info.value)


def test_repr_and_to_dict_hide_nothing_needed_and_show_no_values() -> None:
    a = _contact("c-1", name=PersonName(given="Ada"), organisation="Acme")
    b = _contact("c-2", name=PersonName(given="Ada", family="Lovelace"), organisation="Other")
    merged = merge([a, b])
    assert "Ada" not in repr(merged)
    assert "Acme" not in repr(merged)
    assert all("Acme" not in repr(h) and "Other" not in repr(h) for h in merged.history)
    data = json.loads(json.dumps(merged.to_dict()))
    assert data["id_map"] == {"c-1": "c-1", "c-2": "c-1"}
    assert data["provenance"]["identity.name"]["rule"] == "crmcore.most_complete"
    assert {h["path"] for h in data["history"]} >= {"identity.name"}


def _values(record: Any, path: str) -> list[Any]:
    parts = path.split(".")
    if len(parts) == 3:
        custom = getattr(record, parts[0]).custom
        return [custom[parts[2]]] if parts[2] in custom else []
    value = record
    for part in parts:
        value = getattr(value, part)
    return list(value) if isinstance(value, tuple) else [value]


def _default_of(record_type: type[Any], path: str) -> Any:
    owner: Any = record_type
    *head, last = path.split(".")
    for part in head:
        owner = attrs.fields_dict(owner)[part].type
        owner = attrs.resolve_types(owner)
    default = attrs.fields_dict(attrs.resolve_types(owner))[last].default
    return default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[arg-type]


def _paths(records: list[Any]) -> list[str]:
    found = [spec.path for spec in fields(type(records[0])) if spec.path != "id"]
    for record in records:
        for facet in ("identity", "descriptive", "qualitative", "quantitative"):
            if hasattr(record, facet):
                found.extend(f"{facet}.custom.{key}" for key in getattr(record, facet).custom)
    return sorted(set(found))


def _with_ids(records: list[Any]) -> list[Any]:
    return [attrs.evolve(record, id=f"r-{i}") for i, record in enumerate(records)]


groups = st.lists(crm_st.contacts(SCHEMA), min_size=1, max_size=4).map(_with_ids)
account_groups = st.lists(crm_st.accounts(), min_size=1, max_size=3).map(_with_ids)

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_nothing_lost(records: list[Any], merged: Merged) -> None:
    history = {(h.path, h.record_id): [] for h in merged.history}
    for h in merged.history:
        history[(h.path, h.record_id)].append(h.value)
    for path in _paths(records):
        default = None if ".custom." in path else _default_of(type(records[0]), path)
        golden = _values(merged.golden, path)
        for record in records:
            for value in _values(record, path):
                if value is None or value == default or value == ():
                    continue
                assert value in golden or value in history.get((path, record.id), []), path


@PROPERTY
@given(groups)
def test_nothing_is_lost_contacts(records: list[Contact]) -> None:
    _assert_nothing_lost(records, merge(records))


@PROPERTY
@given(account_groups)
def test_nothing_is_lost_accounts(records: list[Account]) -> None:
    _assert_nothing_lost(records, merge(records))


@PROPERTY
@given(groups, st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_result(records: list[Contact], rnd: Any) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    one, two = merge(records), merge(shuffled)
    assert one.golden == two.golden
    assert one.history == two.history
    assert dict(one.provenance) == dict(two.provenance)
    assert dict(one.id_map) == dict(two.id_map)


@PROPERTY
@given(st.lists(crm_st.records(), min_size=1, max_size=3), st.booleans())
def test_any_input_gives_a_merge_or_a_crm_error(records: list[Any], distinct: bool) -> None:
    if distinct:
        records = _with_ids(records)
    try:
        merged = merge(records)
    except CRMError:
        return
    assert set(merged.id_map) == {r.id for r in records}
    json.dumps(merged.to_dict())


def test_values_equal_by_eq_but_not_the_same_are_all_kept() -> None:
    """0 and False, 1.0 and 1.00, one instant at two offsets are three pairs of values."""
    paris = datetime(2025, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    a = Contact(
        "c-1",
        ContactIdentity(custom={"flag": 0, "rate": Decimal("1.0")}),
        created_at=T2,
        last_verified_at=T2,
    )
    b = Contact(
        "c-2", ContactIdentity(custom={"flag": False, "rate": Decimal("1.00")}), created_at=paris
    )
    merged = merge([a, b])
    assert merged.golden.identity.custom["flag"] == 0
    assert type(merged.golden.identity.custom["flag"]) is int
    lost = {(h.path, h.record_id): h.value for h in merged.history}
    assert lost[("identity.custom.flag", "c-2")] is False
    assert str(lost[("identity.custom.rate", "c-2")]) == "1.00"
    assert merged.golden.created_at == T2  # the same instant: the first record's form
    assert lost[("created_at", "c-2")].utcoffset() == timedelta(hours=1)


def test_merging_into_an_earlier_result_counts_each_member_once() -> None:
    a = Contact("c-1", quantitative=ContactQuantitative(purchase_count=2))
    b = Contact("c-2", quantitative=ContactQuantitative(purchase_count=3))
    c = Contact("c-3", quantitative=ContactQuantitative(purchase_count=4))
    first = merge([a, b])
    assert first.golden.quantitative.purchase_count == 5
    assert [m.id for m in first.members] == ["c-1", "c-2"]
    later = merge([c, b, first.golden], into=first)  # b and the golden again: not twice
    assert later.golden.quantitative.purchase_count == 9
    assert dict(later.id_map) == {"c-1": "c-1", "c-2": "c-1", "c-3": "c-1"}
    newer_b = attrs.evolve(b, quantitative=ContactQuantitative(purchase_count=6))
    assert merge([newer_b], into=first).golden.quantitative.purchase_count == 8
    assert merge([], into=first).golden == first.golden
    with pytest.raises(MergeError, match="into"):
        merge([c], into=first.golden)  # type: ignore[arg-type]
    with pytest.raises(MergeError, match="Account, Contact"):
        merge([Account("a-1")], into=first)


def test_a_record_alone_is_its_own_golden_record_even_with_repeated_items() -> None:
    email = EmailAddress("ada@example.com")
    record = _contact("c-1", emails=(email, EmailAddress("ADA@example.com")))
    merged = merge([record])
    assert merged.golden is record
    assert merged.history == ()
    assert merged.provenance["identity.emails"] == FieldProvenance(("c-1",), "crmcore.union")
