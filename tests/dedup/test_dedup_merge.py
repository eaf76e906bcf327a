"""Merging: golden record, provenance, history, id map, references; nothing lost."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest

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


def test_custom_lists_of_text_are_united_item_by_item_other_custom_values_take_the_latest() -> None:
    a = Contact("c-1", ContactIdentity(custom={"tags": ("vip", "b2b"), "tier": ("gold",)}))
    b = Contact(
        "c-2",
        ContactIdentity(custom={"tags": ("b2b", "beta"), "tier": "silver"}),
        last_verified_at=T2,
    )
    merged = merge([a, b])
    custom = merged.golden.identity.custom
    assert custom["tags"] == ("vip", "b2b", "beta")
    assert merged.provenance["identity.custom.tags"] == FieldProvenance(
        ("c-1", "c-2"), "crmcore.union"
    )
    assert custom["tier"] == "silver"  # a list in one record, text in the other: one value
    assert [(h.path, h.record_id, h.value) for h in merged.history] == [
        ("identity.custom.tier", "c-1", ("gold",))
    ]
