"""The BlockingRules registry: shaped like RuleSet and Comparisons, plugins included."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _plugin_fakes import FakeEntryPoint as _FakeEntryPoint
from _plugin_fakes import install as _install
from crmcore import Account, Contact, ContactIdentity, PersonName
from crmcore.dedup import (
    BLOCKING_ENTRY_POINT_GROUP,
    BlockingEntry,
    BlockingError,
    BlockingRule,
    BlockingRulePluginError,
    BlockingRules,
    DedupError,
    MissingExtraError,
    default_blocking_rules,
    name_window,
    phone_keys,
)
from crmcore.errors import CRMError, InvalidValueError
from crmcore.validation import PluginError


def _tier(record: Any) -> list[str]:
    tier = record.descriptive.custom.get("tier")
    return [tier] if isinstance(tier, str) else []


def _contact(record_id: str = "c-1", family: str = "Secret-Family") -> Contact:
    return Contact(record_id, ContactIdentity(name=PersonName(given="Ada", family=family)))


def test_add_registers_a_named_rule_for_its_types() -> None:
    rules = BlockingRules()
    entry = rules.add(Contact, _tier, name="acme.tier")
    assert entry == BlockingEntry("acme.tier", (Contact,), _tier, None)
    assert rules.names == ("acme.tier",)
    assert rules["acme.tier"] is entry
    assert "acme.tier" in rules
    assert len(rules) == 1
    assert rules.for_type(Contact) == (entry,)
    assert rules.for_type(Account) == ()
    assert list(rules) == [entry]
    assert rules.entries == (entry,)


def test_the_decorator_registers_and_returns_the_function() -> None:
    rules = BlockingRules()

    @rules.rule((Contact, Account), name="acme.window", window=3)
    def by_id(record: Any) -> list[str]:
        return [record.id]

    assert by_id(_contact()) == ["c-1"]
    assert rules["acme.window"].window == 3
    assert rules["acme.window"].record_types == (Contact, Account)


def test_a_rule_is_named_after_its_function_by_default() -> None:
    rules = BlockingRules()
    rules.add(Contact, _tier)
    assert rules.names == (f"{__name__}._tier",)


def test_a_window_attribute_makes_a_sorted_neighbourhood_rule() -> None:
    rules = BlockingRules()
    assert rules.add(Contact, name_window(6), name="acme.names").window == 6
    assert rules.add(Contact, name_window(6), name="acme.wide", window=9).window == 9
    assert rules.add(Contact, phone_keys(), name="acme.phone").window is None


@pytest.mark.parametrize("window", [1, 0, -3, 1001, 2.5, "4", True])
def test_a_window_outside_2_to_1000_is_refused(window: Any) -> None:
    with pytest.raises(InvalidValueError, match="window"):
        BlockingRules().add(Contact, _tier, name="acme.tier", window=window)


@pytest.mark.parametrize("name", ["tier", "", "acme..tier", "acme tier", 7, "a." * 150 + "b"])
def test_a_name_must_be_dotted(name: Any) -> None:
    with pytest.raises(InvalidValueError, match="dotted"):
        BlockingRules().add(Contact, _tier, name=name)


def test_a_name_is_registered_once() -> None:
    rules = BlockingRules()
    rules.add(Contact, _tier, name="acme.tier")
    with pytest.raises(InvalidValueError, match=r"acme\.tier is already registered"):
        rules.add(Account, _tier, name="acme.tier")


@pytest.mark.parametrize("record_type", [dict, (), [Contact, int], "Contact"])
def test_record_types_must_be_records(record_type: Any) -> None:
    with pytest.raises(InvalidValueError, match="record types"):
        BlockingRules().add(record_type, _tier, name="acme.tier")


def test_a_rule_must_be_callable() -> None:
    with pytest.raises(InvalidValueError, match="callable"):
        BlockingRules().add(Contact, "not callable", name="acme.tier")  # type: ignore[arg-type]


def test_remove_by_name_or_by_function() -> None:
    rules = default_blocking_rules()
    rules.remove("crmcore.phone")
    assert "crmcore.phone" not in rules
    rules.add(Contact, _tier, name="acme.tier")
    rules.remove(_tier)
    assert "acme.tier" not in rules
    with pytest.raises(KeyError):
        rules.remove("crmcore.phone")
    with pytest.raises(KeyError):
        rules.remove(_tier)


def test_replace_keeps_the_position_and_the_types() -> None:
    rules = default_blocking_rules()
    before = rules.names
    entry = rules.replace("crmcore.name_window", name_window(7))
    assert rules.names == before
    assert entry.window == 7
    assert entry.record_types == (Contact, Account)
    assert rules.replace("crmcore.phone", _tier, record_type=Contact).record_types == (Contact,)
    with pytest.raises(KeyError):
        rules.replace("acme.absent", _tier)


def test_copies_are_independent() -> None:
    rules = default_blocking_rules()
    other = rules.copy()
    other.remove("crmcore.email")
    assert "crmcore.email" in rules
    assert "crmcore.email" not in other
    assert repr(rules) == f"BlockingRules(<{len(rules)} rule(s)>)"


def test_a_plain_function_is_a_blocking_rule() -> None:
    assert isinstance(_tier, BlockingRule)
    assert isinstance(phone_keys(), BlockingRule)


# -- keys ------------------------------------------------------------------------------------


def test_keys_are_distinct_sorted_and_without_empty_text() -> None:
    entry = BlockingEntry("acme.k", (Contact,), lambda record: ["b", "a", "", "b"])
    assert entry.keys(_contact()) == ("a", "b")
    single = BlockingEntry("acme.k", (Contact,), lambda record: "only")
    assert single.keys(_contact()) == ("only",)


def test_a_rule_that_raises_is_named_with_the_record_id_never_a_value() -> None:
    def broken(record: Any) -> list[str]:
        raise ValueError(record.identity.name.family)

    entry = BlockingEntry("acme.broken", (Contact,), broken)
    with pytest.raises(BlockingError) as caught:
        entry.keys(_contact())
    message = str(caught.value)
    assert "acme.broken" in message
    assert "c-1" in message
    assert "ValueError" in message
    assert "Secret" not in message
    assert "Secret" not in repr(caught.value.args)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None  # not even a suppressed one
    assert isinstance(caught.value, DedupError)
    assert isinstance(caught.value, CRMError)


@pytest.mark.parametrize("answer", [[1], [None], 5, [b"bytes"], [("a",)]])
def test_a_rule_answering_other_than_texts_is_refused(answer: Any) -> None:
    entry = BlockingEntry("acme.odd", (Contact,), lambda record: answer)
    with pytest.raises(BlockingError, match=r"acme\.odd on record c-1"):
        entry.keys(_contact())


def test_a_missing_extra_passes_through_as_it_is() -> None:
    def needs(record: Any) -> list[str]:
        raise MissingExtraError("jellyfish is needed")

    with pytest.raises(MissingExtraError):
        BlockingEntry("acme.x", (Contact,), needs).keys(_contact())


# -- plugins ---------------------------------------------------------------------------------


def _register(rules: BlockingRules) -> None:
    rules.add(Contact, _tier, name="acme.tier")
    rules.remove("crmcore.birth_date")


def test_load_entry_points_registers_each_plugin_once(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _install(monkeypatch, _FakeEntryPoint("acme", _register))
    rules = default_blocking_rules()
    assert rules.load_entry_points() == ("acme",)
    assert "acme.tier" in rules
    assert "crmcore.birth_date" not in rules
    assert rules.load_entry_points() == ()
    assert asked == [BLOCKING_ENTRY_POINT_GROUP, BLOCKING_ENTRY_POINT_GROUP]


def test_load_entry_points_in_name_order_and_only_those_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []
    _install(
        monkeypatch,
        _FakeEntryPoint("zeta", lambda rules: order.append("zeta")),
        _FakeEntryPoint("alpha", lambda rules: order.append("alpha")),
        _FakeEntryPoint("mid", lambda rules: order.append("mid")),
    )
    assert BlockingRules().load_entry_points(names={"zeta", "alpha"}) == ("alpha", "zeta")
    assert order == ["alpha", "zeta"]


def test_a_plugin_that_fails_raises_a_plugin_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(monkeypatch, _FakeEntryPoint("acme", None, fails=True))
    with pytest.raises(BlockingRulePluginError, match="acme") as caught:
        BlockingRules().load_entry_points()
    assert isinstance(caught.value, PluginError)
    assert isinstance(caught.value, DedupError)


def test_a_plugin_whose_register_raises_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def register(rules: BlockingRules) -> None:
        raise RuntimeError("secret value")

    _install(monkeypatch, _FakeEntryPoint("acme", register))
    with pytest.raises(BlockingRulePluginError) as caught:
        BlockingRules().load_entry_points()
    assert "acme" in str(caught.value)
    assert "secret" not in str(caught.value)


def test_the_errors_are_importable_from_crmcore_dedup() -> None:
    assert BlockingError.__module__ == "crmcore.dedup"
    assert BlockingRulePluginError.__module__ == "crmcore.dedup"


_ANSWERS = st.one_of(
    st.text(alphabet="ab", max_size=2),
    st.tuples(st.text(alphabet="ab", max_size=2), st.text(alphabet="ab", max_size=2)),
    st.lists(st.text(alphabet="ab", max_size=2), max_size=3),
    st.lists(st.one_of(st.text(alphabet="ab", max_size=1), st.integers()), max_size=2),
    st.just(ValueError("secret")),
    st.just(None),
)


@given(st.lists(_ANSWERS, max_size=8))
def test_keys_many_gives_the_keys_of_each_record_or_the_same_error(answers: list[Any]) -> None:
    def rule(record: Contact) -> Any:
        answer = answers[int(record.id)]
        if isinstance(answer, Exception):
            raise answer
        return answer

    entry = BlockingRules().add(Contact, rule, name="acme.answer")
    records = [_contact(str(position)) for position in range(len(answers))]
    try:
        expected: Any = [entry.keys(record) for record in records]
    except BlockingError as error:
        expected = str(error)
    try:
        found: Any = entry.keys_many(records)
    except BlockingError as error:
        found = str(error)
    assert found == expected
