"""Bad input to merging: only CRMError, naming ids, paths and rules, never a value.

Fuzzed with Hypothesis: anything as the records, the rules, the context or ``into``; rules
that raise or choose what no record holds; plugins of ``crmcore.survivorship_rules``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _merge_checks import PROPERTY
from _plugin_fakes import FakeEntryPoint, install
from crmcore import (
    Account,
    Contact,
    ContactIdentity,
    ContactQuantitative,
    EmailAddress,
    Money,
    PersonName,
)
from crmcore.dedup import (
    SURVIVORSHIP_ENTRY_POINT_GROUP,
    Candidate,
    DedupError,
    MergeError,
    SurvivorshipContext,
    SurvivorshipRulePluginError,
    SurvivorshipRules,
    computes,
    latest,
    merge,
    rewrite_references,
    union,
)
from crmcore.errors import CRMError
from crmcore.testing import strategies as crm_st
from crmcore.validation import PluginError

PLANTED = "ada.lovelace@example.org"


def _planted(record_id: str, **quantitative: Any) -> Contact:
    return Contact(
        record_id,
        ContactIdentity(
            name=PersonName(given=PLANTED), emails=(EmailAddress(PLANTED),), organisation=PLANTED
        ),
        quantitative=ContactQuantitative(**quantitative),
    )


def assert_no_value(exc: BaseException) -> None:
    """No value in the message, and no exception chained to it that could hold one."""
    assert PLANTED not in str(exc)
    assert PLANTED not in repr(exc.args)
    assert exc.__cause__ is None
    assert exc.__context__ is None


# -- what merge takes -----------------------------------------------------------------------

junk = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=5),
    st.binary(max_size=5),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(object),
    st.just(PLANTED),
)
items = st.one_of(crm_st.records(), junk)


@PROPERTY
@given(
    st.one_of(st.lists(items, max_size=4), st.tuples(items, items), items, crm_st.records()),
    st.booleans(),
)
def test_anything_as_records_gives_a_merge_or_a_merge_error(given_: Any, distinct: bool) -> None:
    if distinct and isinstance(given_, list):
        given_ = [
            attrs.evolve(item, id=f"r-{i}") if attrs.has(type(item)) else item
            for i, item in enumerate(given_)
        ]
    try:
        merged = merge(given_)
    except MergeError as exc:
        assert_no_value(exc)
        return
    assert set(merged.id_map) == {item.id for item in given_}
    json.dumps(merged.to_dict())


not_none = junk.filter(lambda value: value is not None)


@PROPERTY
@given(not_none, not_none, not_none)
def test_anything_as_rules_ctx_or_into_is_refused(rules: Any, ctx: Any, into: Any) -> None:
    with pytest.raises(MergeError):
        merge([_planted("c-1"), _planted("c-2")], rules, SurvivorshipContext())
    with pytest.raises(MergeError):
        merge([_planted("c-1"), _planted("c-2")], None, ctx)
    with pytest.raises(MergeError):
        merge([_planted("c-1")], into=into)


@pytest.mark.parametrize(
    ("records", "named"),
    [
        ([], "at least one record"),
        ((r for r in ()), "at least one record"),
        ([_planted("c-1"), Account("a-1")], "Account, Contact"),
        ([_planted("c-1"), _planted("c-1")], "'c-1' is given twice"),
        ([_planted("c-1"), PLANTED], "item 1 is a str"),
        ([_planted("c-1"), {"id": "c-2"}], "item 1 is a dict"),
        (_planted("c-1"), "sequence"),
        ({"id": "c-1"}, "sequence"),
        (PLANTED, "sequence"),
        (None, "sequence"),
    ],
)
def test_bad_records_raise_a_merge_error_naming_the_problem(records: Any, named: str) -> None:
    with pytest.raises(MergeError, match=named) as caught:
        merge(records)
    assert_no_value(caught.value)
    assert isinstance(caught.value, DedupError)
    assert isinstance(caught.value, CRMError)


def test_a_record_type_merging_does_not_know_is_refused() -> None:
    @attrs.frozen
    class Stranger(Contact):
        extra: str = ""

    with pytest.raises(MergeError, match="Stranger"):
        merge([Stranger("s-1"), Stranger("s-2")])


# -- rules that misbehave -------------------------------------------------------------------


def _raising(kind: type[BaseException]) -> Any:
    def rule(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
        raise kind(PLANTED)

    return rule


@pytest.mark.parametrize("kind", [ValueError, KeyError, TypeError, CRMError, RuntimeError])
def test_a_rule_that_raises_is_named_with_its_path_never_the_value(
    kind: type[BaseException],
) -> None:
    rules = SurvivorshipRules()
    rules.add(Contact, "identity.organisation", _raising(kind), name="acme.broken")
    with pytest.raises(MergeError) as caught:
        merge([_planted("c-1"), _planted("c-2")], rules)
    message = str(caught.value)
    assert "acme.broken" in message
    assert "identity.organisation" in message
    assert kind.__name__ in message
    assert_no_value(caught.value)


@pytest.mark.parametrize(
    ("path", "rule", "reason"),
    [
        ("identity.organisation", lambda c, ctx: None, "no record holds"),
        ("identity.organisation", lambda c, ctx: "Acme", "no record holds"),
        ("identity.organisation", lambda c, ctx: c[0], "a Candidate, not its value"),
        ("identity.organisation", lambda c, ctx: [x.value for x in c], "no record holds"),
        ("identity.emails", lambda c, ctx: c[0].value, "not a tuple"),
        ("identity.emails", lambda c, ctx: (EmailAddress("x@example.org"),), "item no record"),
        ("identity.emails", lambda c, ctx: tuple(c), "a Candidate, not its value"),
        ("quantitative.purchase_count", lambda c, ctx: 99, "no record holds"),
    ],
)
def test_a_rule_that_chooses_what_no_record_holds_is_refused(
    path: str, rule: Any, reason: str
) -> None:
    rules = SurvivorshipRules()
    rules.add(Contact, path, rule, name="acme.wrong")
    with pytest.raises(MergeError, match=reason) as caught:
        merge([_planted("c-1", purchase_count=1), _planted("c-2", purchase_count=2)], rules)
    assert f"acme.wrong at {path}" in str(caught.value)
    assert_no_value(caught.value)


def test_a_rule_may_answer_a_list_of_items_for_a_tuple_path() -> None:
    rules = SurvivorshipRules()
    rules.add(Contact, "identity.emails", lambda c, ctx: list(union(c, ctx)), name="acme.listed")
    merged = merge([_planted("c-1"), _planted("c-2")], rules)
    assert merged.golden.identity.emails == (EmailAddress(PLANTED),)


def test_a_computing_rule_may_answer_a_new_value_that_fits_the_field() -> None:
    @computes
    def doubled(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
        return 2 * sum(c.value for c in candidates)

    @computes
    def negative(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
        return -1

    rules = SurvivorshipRules()
    rules.add(Contact, "quantitative.purchase_count", doubled, name="acme.doubled")
    records = [_planted("c-1", purchase_count=1), _planted("c-2", purchase_count=2)]
    merged = merge(records, rules)
    assert merged.golden.quantitative.purchase_count == 6
    assert merged.provenance["quantitative.purchase_count"].record_ids == ("c-1", "c-2")
    assert {h.value for h in merged.history if h.path == "quantitative.purchase_count"} == {1, 2}
    rules.replace(Contact, "quantitative.purchase_count", negative, name="acme.negative")
    with pytest.raises(MergeError, match=r"acme\.negative at quantitative\.purchase_count"):
        merge(records, rules)


def test_money_in_two_currencies_is_not_added_and_nothing_is_lost() -> None:
    euros = _planted("c-1", total_spent=Money("10.00", "EUR"))
    dollars = attrs.evolve(
        _planted("c-2", total_spent=Money("20.00", "USD")), last_verified_at=None
    )
    merged = merge([euros, dollars])
    assert merged.golden.quantitative.total_spent in (Money("10.00", "EUR"), Money("20.00", "USD"))
    kept = {merged.golden.quantitative.total_spent}
    lost = {h.value for h in merged.history if h.path == "quantitative.total_spent"}
    assert kept | lost == {Money("10.00", "EUR"), Money("20.00", "USD")}


def test_a_sum_too_large_for_its_field_stays_at_the_limit() -> None:
    big = 2**63 - 1
    merged = merge([_planted("c-1", purchase_count=big), _planted("c-2", purchase_count=big)])
    assert merged.golden.quantitative.purchase_count == big
    amounts = [Money("9" * 20, "EUR"), Money("9" * 20, "EUR")]
    records = [_planted(f"c-{i}", total_spent=m) for i, m in enumerate(amounts)]
    assert merge(records).golden.quantitative.total_spent == amounts[0]


# -- references -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("records", "id_map", "named"),
    [
        ([_planted("c-1")], ["a-1"], "id_map"),
        ([PLANTED], {}, "item 0 is a str"),
        (PLANTED, {}, "sequence"),
        (
            [Contact("c-1", ContactIdentity(account_ref="a-2"))],
            {"a-2": None},
            "no usable golden id for a reference of 'c-1'",
        ),
    ],
)
def test_rewrite_references_refuses_bad_input(records: Any, id_map: Any, named: str) -> None:
    with pytest.raises(MergeError, match=named) as caught:
        rewrite_references(records, id_map)
    assert_no_value(caught.value)


# -- plugins --------------------------------------------------------------------------------


def _failing_register(rules: SurvivorshipRules) -> None:
    raise RuntimeError(PLANTED)


def _register(rules: SurvivorshipRules) -> None:
    rules.add(Contact, "identity.organisation", latest, name="acme.latest_organisation")


def test_load_entry_points_registers_each_plugin_once(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = install(monkeypatch, FakeEntryPoint("acme", _register))
    rules = SurvivorshipRules()
    assert rules.load_entry_points() == ("acme",)
    entry = rules.entry(Contact, "identity.organisation")
    assert entry is not None
    assert entry.name == "acme.latest_organisation"
    assert rules.load_entry_points() == ()
    assert asked == [SURVIVORSHIP_ENTRY_POINT_GROUP, SURVIVORSHIP_ENTRY_POINT_GROUP]
    merged = merge([_planted("c-1"), _planted("c-2")], rules)
    assert merged.provenance["identity.organisation"].rule == "acme.latest_organisation"


def test_load_entry_points_in_name_order_and_only_those_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []
    install(
        monkeypatch,
        FakeEntryPoint("zeta", lambda rules: order.append("zeta")),
        FakeEntryPoint("alpha", lambda rules: order.append("alpha")),
        FakeEntryPoint("mid", lambda rules: order.append("mid")),
    )
    assert SurvivorshipRules().load_entry_points(names={"zeta", "alpha"}) == ("alpha", "zeta")
    assert order == ["alpha", "zeta"]
    assert SurvivorshipRules().load_entry_points(names="mid") == ("mid",)


@pytest.mark.parametrize(
    ("entry_point", "named"),
    [
        (FakeEntryPoint("acme", None, fails=True), "cannot load survivorship rule plugin acme"),
        (FakeEntryPoint("acme", PLANTED), "plugin acme is a str, not a register function"),
        (
            FakeEntryPoint("acme", _failing_register),
            "plugin acme failed to register: RuntimeError",
        ),
    ],
)
def test_a_plugin_that_fails_raises_a_plugin_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, entry_point: FakeEntryPoint, named: str
) -> None:
    install(monkeypatch, entry_point)
    with pytest.raises(SurvivorshipRulePluginError, match=named) as caught:
        SurvivorshipRules().load_entry_points()
    assert isinstance(caught.value, PluginError)
    assert isinstance(caught.value, DedupError)
    assert PLANTED not in str(caught.value)


def test_a_plugin_that_registers_a_path_twice_raises_a_crm_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    install(monkeypatch, FakeEntryPoint("acme", _register), FakeEntryPoint("beta", _register))
    with pytest.raises(CRMError, match=r"identity\.organisation"):
        SurvivorshipRules().load_entry_points()


# -- the registry ---------------------------------------------------------------------------


@PROPERTY
@given(junk, junk, junk)
def test_the_registry_refuses_anything_but_a_record_type_path_callable_and_name(
    record_type: Any, path: Any, name: Any
) -> None:
    rules = SurvivorshipRules()
    for args in (
        (record_type, "identity.organisation", latest, "acme.ok"),
        (Contact, path, latest, "acme.ok"),
        (Contact, "identity.organisation", record_type, "acme.ok"),
        (Contact, "identity.organisation", latest, name),
    ):
        message = ""
        try:
            rules.add(args[0], args[1], args[2], name=args[3])
        except CRMError as exc:
            message = str(exc)
        else:
            rules.remove(args[0], args[1])
        assert PLANTED not in message
    with pytest.raises(CRMError):
        SurvivorshipContext(source_priorities=[PLANTED])


def test_an_id_map_of_successive_merges_is_followed_to_the_end_but_not_round_a_circle() -> None:
    contact = Contact("c-9", ContactIdentity(account_ref="a-3"))
    assert rewrite_references([contact], {"a-3": "a-2", "a-2": "a-1"})[0].identity.account_ref == (
        "a-1"
    )
    with pytest.raises(MergeError, match="circle from a reference of 'c-9'"):
        rewrite_references([contact], {"a-3": "a-2", "a-2": "a-3"})


def test_no_repr_of_merging_shows_a_value() -> None:
    rules = SurvivorshipRules()
    seen: list[str] = []

    def spy(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
        seen.extend(repr(c) for c in candidates)
        return latest(candidates, ctx)

    rules.add(Contact, "identity.organisation", spy, name="acme.spy")
    other = attrs.evolve(_planted("c-2"), identity=ContactIdentity(organisation="Other"))
    merged = merge([_planted("c-1"), other], rules)
    assert seen
    shown = [
        repr(merged),
        *seen,
        *(repr(h) for h in merged.history),
        *(repr(p) for p in merged.provenance.values()),
        repr(rules),
        *(repr(entry) for entry in rules),
    ]
    assert merged.history
    assert all(PLANTED not in text and "Other" not in text for text in shown)
