"""The Comparisons registry: add, decorate, remove, replace, plugins, checked answers."""

from __future__ import annotations

import importlib.metadata
import sys
import types
from typing import Any

import pytest

from _plugin_fakes import FakeEntryPoint as _FakeEntryPoint
from _plugin_fakes import install as _install
from crmcore import Account, Contact, ContactIdentity, Deal, PersonName
from crmcore.dedup import (
    ENTRY_POINT_GROUP,
    NULL,
    ComparatorError,
    ComparatorPluginError,
    CompareContext,
    Comparisons,
    default_comparisons,
    exact,
    read_levels,
)
from crmcore.errors import CRMError, InvalidValueError
from crmcore.validation import PluginError


def _same_organisation(left: Any, right: Any, ctx: CompareContext) -> str:
    a, b = left.identity.organisation, right.identity.organisation
    if a is None or b is None:
        return NULL
    return "same" if a == b else "other"


def test_a_comparator_added_by_decorator_compares_its_record_type(
    ctx: CompareContext, person: Any
) -> None:
    comparisons = Comparisons()

    @comparisons.comparison(Contact, levels=("same", "other"), name="acme.organisation")
    def same_organisation(left: Any, right: Any, ctx: CompareContext) -> str:
        return _same_organisation(left, right, ctx)

    comparison = comparisons["acme.organisation"]
    assert comparison.levels == ("same", "other", "null")
    a, b = person(organisation="Acme"), person(organisation="Acme", record_id="c-2")
    assert comparison.compare(a, b, ctx) == "same"
    assert comparisons.compare(a, b, ctx) == {"acme.organisation": "same"}
    assert comparisons.for_type(Account) == ()


def test_levels_come_from_the_comparator_when_not_given() -> None:
    comparisons = Comparisons()
    comparison = comparisons.add(Contact, exact("identity.organisation"), name="acme.org")
    assert comparison.levels == ("exact", "different", "null")


def test_a_comparator_without_levels_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="levels"):
        Comparisons().add(Contact, _same_organisation, name="acme.organisation")


@pytest.mark.parametrize(
    "levels",
    [
        "exact",
        (),
        ("null",),
        ("exact", "exact"),
        ("null", "exact"),
        ("exact", ""),
        ("exact", "has space"),
        ("exact", 3),
        ("x" * 65,),
    ],
)
def test_malformed_levels_are_refused(levels: Any) -> None:
    with pytest.raises(InvalidValueError):
        read_levels(levels)


def test_null_is_added_last_when_not_declared() -> None:
    assert read_levels(["a", "b"]) == ("a", "b", "null")
    assert read_levels(("a", "null")) == ("a", "null")


@pytest.mark.parametrize("name", ["organisation", "acme.", ".x", "acme.loyalty id", "a" * 201])
def test_names_are_dotted(name: str) -> None:
    with pytest.raises(InvalidValueError, match="dotted"):
        Comparisons().add(Contact, _same_organisation, levels=("same",), name=name)


def test_the_default_name_is_the_module_and_qualified_name() -> None:
    comparison = Comparisons().add(Contact, _same_organisation, levels=("same", "other"))
    assert comparison.name == f"{__name__}._same_organisation"


def test_a_name_is_registered_once() -> None:
    comparisons = Comparisons()
    comparisons.add(Contact, _same_organisation, levels=("same",), name="acme.org")
    with pytest.raises(InvalidValueError, match="already registered"):
        comparisons.add(Account, _same_organisation, levels=("same",), name="acme.org")


@pytest.mark.parametrize("record_type", [dict, "Contact", (), [Contact, int]])
def test_comparisons_are_for_record_types(record_type: Any) -> None:
    with pytest.raises(InvalidValueError):
        Comparisons().add(record_type, _same_organisation, levels=("same",), name="acme.x")


def test_a_comparator_must_be_callable() -> None:
    with pytest.raises(InvalidValueError, match="callable"):
        Comparisons().add(Contact, "exact", levels=("same",), name="acme.x")  # type: ignore[arg-type]


def test_remove_by_name_or_by_comparator() -> None:
    comparisons = default_comparisons()
    comparisons.add(Contact, _same_organisation, levels=("same",), name="acme.org")
    comparisons.remove("crmcore.email")
    comparisons.remove(_same_organisation)
    assert "crmcore.email" not in comparisons
    assert "acme.org" not in comparisons
    with pytest.raises(KeyError):
        comparisons.remove("crmcore.email")
    with pytest.raises(KeyError):
        comparisons.remove(_same_organisation)


def test_replace_keeps_the_position_and_record_types(ctx: CompareContext, person: Any) -> None:
    comparisons = default_comparisons()
    before = comparisons.names
    new = comparisons.replace("crmcore.phone", exact("identity.phones.e164"))
    assert comparisons.names == before
    assert new.record_types == (Contact, Account)
    assert new.levels == ("exact", "different", "null")
    a = person(phones=("06 12 34 56 78",))
    assert comparisons["crmcore.phone"].compare(a, a, ctx) == "exact"
    with pytest.raises(KeyError):
        comparisons.replace("acme.absent", _same_organisation, levels=("same",))


def test_copy_is_independent() -> None:
    comparisons = default_comparisons()
    other = comparisons.copy()
    other.remove("crmcore.email")
    assert "crmcore.email" in comparisons
    assert len(other) == len(comparisons) - 1


def test_default_comparisons_are_fresh_each_time() -> None:
    first = default_comparisons()
    first.remove("crmcore.name")
    assert "crmcore.name" in default_comparisons()


def test_default_comparisons_cover_contacts_and_accounts_only() -> None:
    comparisons = default_comparisons()
    assert {c.name for c in comparisons.for_type(Contact)} == {
        "crmcore.name",
        "crmcore.email",
        "crmcore.phone",
        "crmcore.birth_date",
        "crmcore.address",
        "crmcore.external_id",
        "crmcore.organisation",
        "crmcore.middle_name",
    }
    assert {c.name for c in comparisons.for_type(Account)} == {
        "crmcore.organisation_name",
        "crmcore.domain",
        "crmcore.registration_number",
        "crmcore.phone",
        "crmcore.address",
        "crmcore.external_id",
    }
    assert comparisons.for_type(Deal) == ()
    assert repr(comparisons) == f"Comparisons(<{len(comparisons)} comparison(s)>)"


def test_an_undeclared_level_raises_naming_the_comparison(ctx: CompareContext, person: Any) -> None:
    comparisons = Comparisons()
    comparisons.add(Contact, lambda a, b, c: "maybe", levels=("same",), name="acme.loose")
    with pytest.raises(ComparatorError, match=r"acme\.loose .*does not declare"):
        comparisons["acme.loose"].compare(person("A"), person("B"), ctx)


def test_a_crashing_comparator_raises_naming_it_and_no_value(
    ctx: CompareContext, person: Any
) -> None:
    def crash(left: Any, right: Any, ctx: CompareContext) -> str:
        raise ValueError(left.identity.name.given)

    comparisons = Comparisons()
    comparisons.add(Contact, crash, levels=("same",), name="acme.crash")
    with pytest.raises(ComparatorError) as caught:
        comparisons["acme.crash"].compare(person("Zebulon"), person("B"), ctx)
    assert "acme.crash" in str(caught.value)
    assert "ValueError" in str(caught.value)
    assert "Zebulon" not in str(caught.value)
    assert caught.value.__context__ is None  # not even a suppressed one


@pytest.mark.parametrize(
    ("kinds", "reason"),
    [
        (("dict", "dict"), "two crmcore records"),
        (("contact", "account"), "one type"),
        (("account", "account"), "does not compare Account"),
    ],
)
def test_compare_refuses_what_it_cannot_compare(
    kinds: tuple[str, str], reason: str, ctx: CompareContext, person: Any, firm: Any
) -> None:
    build = {"dict": lambda: {"id": "c-1"}, "contact": person, "account": firm}
    left, right = (build[kind]() for kind in kinds)
    comparisons = Comparisons()
    comparisons.add(Contact, _same_organisation, levels=("same", "other"), name="acme.org")
    with pytest.raises(InvalidValueError, match=reason):
        comparisons["acme.org"].compare(left, right, ctx)
    with pytest.raises(InvalidValueError, match=reason):
        comparisons["acme.org"].compare_many([(left, right)], ctx)


def test_compare_refuses_what_is_not_a_context(person: Any) -> None:
    comparisons = default_comparisons()
    with pytest.raises(InvalidValueError, match="CompareContext"):
        comparisons["crmcore.name"].compare(person("A"), person("B"), None)  # type: ignore[arg-type]


def test_compare_many_uses_the_batch_form_and_checks_it(ctx: CompareContext, person: Any) -> None:
    class Batched:
        levels = ("same", "other")
        calls = 0

        def __call__(self, left: Any, right: Any, ctx: CompareContext) -> str:
            return _same_organisation(left, right, ctx)

        def batch(self, pairs: Any, ctx: CompareContext) -> list[str]:
            Batched.calls += 1
            return [self(a, b, ctx) for a, b in pairs]

    comparisons = Comparisons()
    comparison = comparisons.add(Contact, Batched(), name="acme.batched")
    a, b = person(organisation="Acme"), person(organisation="Globex")
    assert comparison.compare_many([(a, a), (a, b), (a, person())], ctx) == (
        "same",
        "other",
        "null",
    )
    assert Batched.calls == 1

    class Short(Batched):
        def batch(self, pairs: Any, ctx: CompareContext) -> list[str]:
            return []

    short = comparisons.add(Contact, Short(), name="acme.short")
    with pytest.raises(ComparatorError, match="gave 0 levels for 1 pairs"):
        short.compare_many([(a, b)], ctx)


def test_a_comparator_without_batch_form_is_called_pair_by_pair(
    ctx: CompareContext, person: Any
) -> None:
    comparisons = Comparisons()
    comparison = comparisons.add(
        Contact, _same_organisation, levels=("same", "other"), name="acme.org"
    )
    a, b = person(organisation="Acme"), person(organisation="Globex")
    assert comparison.compare_many([(a, b), (b, b)], ctx) == ("other", "same")


# -- plugins ---------------------------------------------------------------------------------


def _register_org(comparisons: Comparisons) -> None:
    comparisons.add(Contact, _same_organisation, levels=("same", "other"), name="acme.org")
    comparisons.remove("crmcore.birth_date")


def test_load_entry_points_calls_each_register_once(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _install(monkeypatch, _FakeEntryPoint("acme", _register_org))
    comparisons = default_comparisons()
    assert comparisons.load_entry_points() == ("acme",)
    assert asked == [ENTRY_POINT_GROUP]
    assert comparisons.load_entry_points() == ()
    assert "acme.org" in comparisons
    assert "crmcore.birth_date" not in comparisons
    assert ENTRY_POINT_GROUP == "crmcore.comparators"


def test_load_entry_points_in_name_order_and_only_those_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []
    _install(
        monkeypatch,
        _FakeEntryPoint("zeta", lambda comparisons: order.append("zeta")),
        _FakeEntryPoint("alpha", lambda comparisons: order.append("alpha")),
        _FakeEntryPoint("mid", lambda comparisons: order.append("mid")),
    )
    assert Comparisons().load_entry_points(names={"zeta", "alpha"}) == ("alpha", "zeta")
    assert order == ["alpha", "zeta"]


def test_load_entry_points_of_another_group(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _install(monkeypatch)
    assert Comparisons().load_entry_points("acme.extra_comparators") == ()
    assert asked == ["acme.extra_comparators"]


def test_a_real_module_can_be_a_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("acme_comparator_plugin")
    module.register = _register_org  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "acme_comparator_plugin", module)
    entry_point = importlib.metadata.EntryPoint(
        "acme", "acme_comparator_plugin:register", ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(
        importlib.metadata, "entry_points", lambda *, group: [entry_point] if group else []
    )
    comparisons = default_comparisons()
    assert comparisons.load_entry_points() == ("acme",)
    assert comparisons.names[-1] == "acme.org"


@pytest.mark.parametrize(
    "entry_point",
    [
        _FakeEntryPoint("broken", None, fails=True),
        _FakeEntryPoint("inert", "not callable"),
        _FakeEntryPoint("raises", lambda comparisons: 1 / 0),
    ],
    ids=["import fails", "not callable", "register raises"],
)
def test_a_broken_plugin_raises_plugin_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, entry_point: _FakeEntryPoint
) -> None:
    _install(monkeypatch, entry_point)
    with pytest.raises(ComparatorPluginError, match=f"comparator plugin {entry_point.name}"):
        Comparisons().load_entry_points()
    with pytest.raises(PluginError):  # one handler for every kind of plugin
        Comparisons().load_entry_points()


def test_a_plugin_registering_a_taken_name_raises_crm_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def register(comparisons: Comparisons) -> None:
        comparisons.add(Contact, _same_organisation, levels=("same",), name="crmcore.email")

    _install(monkeypatch, _FakeEntryPoint("clash", register))
    with pytest.raises(CRMError, match="already registered"):
        default_comparisons().load_entry_points()


def test_an_undeclared_level_leaves_no_trace_of_what_was_returned() -> None:
    comparisons = Comparisons()
    comparisons.add(Contact, lambda a, b, ctx: "ada@example.org", levels=("x", "y"), name="acme.x")
    [comparison] = comparisons.comparisons
    with pytest.raises(ComparatorError) as caught:
        comparison.level_index("ada@example.org")
    assert caught.value.__context__ is None
    assert "ada@example.org" not in str(caught.value)


def test_contacts_compare_the_organisation_they_belong_to() -> None:
    def person(record_id: str, organisation: str | None) -> Contact:
        name = PersonName(given="Ted", family="Jones")
        return Contact(record_id, ContactIdentity(name=name, organisation=organisation))

    comparison = default_comparisons()["crmcore.organisation"]
    ctx = CompareContext()
    assert comparison.applies_to(Contact)
    assert not comparison.applies_to(Account)
    assert (
        comparison.compare(person("c-1", "Polder Textil B.V."), person("c-2", "POLDER TEXTIL"), ctx)
        == "exact"
    )
    assert (
        comparison.compare(person("c-1", "Polder Textil"), person("c-2", "Helix Partners"), ctx)
        == "different"
    )
    assert comparison.compare(person("c-1", "Polder Textil"), person("c-2", None), ctx) == "null"


def test_a_comparison_with_no_prepared_form_says_so_and_reads_records_per_pair(
    ctx: CompareContext, person: Any
) -> None:
    import numpy as np

    comparison = Comparisons().add(
        Contact, _same_organisation, levels=("same", "other"), name="acme.organisation"
    )
    records = [person(organisation="Acme"), person(organisation="Acme", record_id="c-2")]
    left, right = np.array([0], dtype=np.int64), np.array([1], dtype=np.int64)
    assert comparison.prepared_values(records, left, right, ctx) is None
    assert comparison.level_positions(records, left, right, ctx).tolist() == [0]
    exact_one = Comparisons().add(Contact, exact("identity.organisation"), name="acme.org")
    values = exact_one.prepared_values(records, left, right, ctx)
    assert values is not None
    with pytest.raises(InvalidValueError, match=r"acme\.organisation has no prepared form"):
        comparison.prepared_levels(values, left, right, ctx)
