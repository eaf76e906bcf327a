"""Rule sets: registration, removal, regrading, plugins, and the runner's guarantees."""

from __future__ import annotations

import importlib.metadata
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from _plugin_fakes import FakeEntryPoint as _FakeEntryPoint
from _plugin_fakes import install as _install
from crmcore import Account, Category, Contact, CRMError, Deal, InvalidValueError, Record
from crmcore.validation import (
    BUILTIN_CODES,
    ENTRY_POINT_GROUP,
    Context,
    Issue,
    PluginError,
    RuleSet,
    Severity,
    default_ruleset,
    validate,
    validate_many,
)

Codes = Callable[..., list[tuple[str, str]]]


def _no_email(record: Contact, ctx: Context) -> Iterator[Issue]:
    if not record.identity.emails:
        yield Issue("identity.emails", "acme.no_email", Severity.ERROR, "no email")


def test_a_rule_added_by_decorator_runs_on_its_record_type(contact: Any, ctx: Context) -> None:
    rules = RuleSet()

    @rules.rule(Contact, codes="acme.no_email")
    def no_email(record: Contact, ctx: Context) -> Iterator[Issue]:
        yield from _no_email(record, ctx)

    report = validate(contact(emails=()), rules, ctx)
    assert report.codes() == ("acme.no_email",)
    assert report.issues[0].record_id == "c-1"
    assert report.issues[0].category is Category.IDENTITY
    assert no_email.__name__ == "no_email"


def test_a_rule_does_not_run_on_other_record_types(account: Any, ctx: Context) -> None:
    calls: list[object] = []
    rules = RuleSet()
    rules.add(Contact, lambda record, ctx: calls.append(record) or ())
    validate(account(), rules, ctx)
    assert calls == []


def test_a_rule_for_record_runs_on_every_type(contact: Any, deal: Any, ctx: Context) -> None:
    rules = RuleSet()
    seen: list[str] = []
    rules.add(Record, lambda record, ctx: seen.append(type(record).__name__) or (), name="all")
    validate(contact(), rules, ctx)
    validate(deal(), rules, ctx)
    assert seen == ["Contact", "Deal"]


def test_rules_run_in_the_order_they_were_added(contact: Any, ctx: Context) -> None:
    rules = RuleSet()
    order: list[int] = []
    rules.add(Contact, lambda r, c: order.append(1) or (), name="one")
    rules.add(Contact, lambda r, c: order.append(2) or (), name="two")
    validate(contact(), rules, ctx)
    assert order == [1, 2]
    assert [rule.name for rule in rules.rules] == ["one", "two"]


def test_a_name_is_registered_once(contact: Any) -> None:
    rules = RuleSet()
    rules.add(Contact, _no_email)
    with pytest.raises(CRMError):
        rules.add(Account, _no_email)
    rules.add(Account, _no_email, name="no_email_on_accounts")
    assert len(rules.rules) == 2


@pytest.mark.parametrize("record_type", [dict, "Contact", (), [int]])
def test_rules_are_for_record_types(record_type: object) -> None:
    with pytest.raises(CRMError):
        RuleSet().add(record_type, _no_email)  # type: ignore[arg-type]


def test_a_validator_must_be_callable() -> None:
    with pytest.raises(CRMError):
        RuleSet().add(Contact, "not callable")  # type: ignore[arg-type]


def test_remove_rule_by_name_or_by_validator(rules: RuleSet) -> None:
    rules.remove_rule("crmcore.emails")
    assert "crmcore.emails" not in [rule.name for rule in rules.rules]
    rules.add(Contact, _no_email)
    rules.remove_rule(_no_email)
    assert all(rule.validator is not _no_email for rule in rules.rules)
    with pytest.raises(KeyError):
        rules.remove_rule("crmcore.emails")
    with pytest.raises(KeyError):
        rules.remove_rule(_no_email)


def test_a_removed_code_is_not_reported(contact: Any, rules: RuleSet, codes: Codes) -> None:
    record = contact(emails=(_email("info@example.org"),))
    assert ("identity.emails[0]", "email.role_account") in codes(record, rules)
    rules.remove("email.role_account")
    assert codes(record, rules) == []
    rules.restore("email.role_account")
    assert codes(record, rules) == [("identity.emails[0]", "email.role_account")]


def test_a_rule_whose_codes_are_all_removed_is_not_run(contact: Any, ctx: Context) -> None:
    calls: list[object] = []
    rules = RuleSet()
    rules.add(Contact, lambda r, c: calls.append(r) or (), codes=["a.one", "a.two"], name="a")
    rules.remove("a.one")
    validate(contact(), rules, ctx)
    assert len(calls) == 1
    rules.remove("a.two")
    validate(contact(), rules, ctx)
    assert len(calls) == 1
    assert rules.rules_for(Contact) == ()
    assert rules.removed == frozenset({"a.one", "a.two"})


def test_regrade_changes_the_severity_of_emitted_issues(
    contact: Any, rules: RuleSet, ctx: Context
) -> None:
    record = contact(emails=(_email("info@example.org"),))
    assert validate(record, rules, ctx).ok
    rules.regrade("email.role_account", "error")
    report = validate(record, rules, ctx)
    assert [issue.severity for issue in report.issues] == [Severity.ERROR]
    assert not report.ok
    rules.regrade("email.role_account", Severity.INFO)
    assert validate(record, rules, ctx).issues[0].severity is Severity.INFO
    assert rules.grades == {"email.role_account": Severity.INFO}


def test_regrade_refuses_an_unknown_severity(rules: RuleSet) -> None:
    with pytest.raises(CRMError):
        rules.regrade("email.role_account", "fatal")


def test_copy_is_independent(rules: RuleSet) -> None:
    other = rules.copy()
    other.remove("email.role_account")
    other.regrade("phone.invalid", "warning")
    other.add(Contact, _no_email)
    assert rules.removed == frozenset()
    assert rules.grades == {}
    assert len(other.rules) == len(rules.rules) + 1


def test_require_reports_empty_fields_and_adds_paths(
    contact: Any, rules: RuleSet, codes: Codes
) -> None:
    rules.require(Contact, "identity.organisation")
    rules.require(Contact, "identity.name.family", "descriptive.custom.tier")
    record = contact()
    assert codes(record, rules) == [
        ("descriptive.custom.tier", "field.required"),
        ("identity.organisation", "field.required"),
    ]
    assert [rule.name for rule in rules.rules_for(Contact)].count("crmcore.required.Contact") == 1


def test_require_refuses_unknown_paths(rules: RuleSet) -> None:
    for path in (
        "identity.nickname",
        "identity.emails.address",
        "id.x",
        "",
        "quantitative.custom.A",
    ):
        with pytest.raises(CRMError):
            rules.require(Contact, path)


def test_a_crashing_validator_is_reported_and_the_others_still_run(
    contact: Any, rules: RuleSet, ctx: Context
) -> None:
    def explode(record: Contact, ctx: Context) -> Iterator[Issue]:
        yield Issue("identity.emails", "acme.first", Severity.INFO, "found before the crash")
        raise ValueError(record.identity.name.family)

    rules.add(Contact, explode)
    record = contact(emails=(_email("info@example.org"),))
    report = validate(record, rules, ctx)
    assert report.codes() == ("acme.first", "email.role_account", "validator.crashed")
    crashed = next(issue for issue in report.issues if issue.code == "validator.crashed")
    assert crashed.severity is Severity.ERROR
    assert crashed.path == ""
    assert crashed.category is None
    assert "explode" in crashed.message
    assert "ValueError" in crashed.message
    assert "Lovelace" not in repr(report)


def _with_text_severity(issue: Issue) -> Issue:
    object.__setattr__(issue, "severity", "error")  # past the constructor, as a careless copy
    return issue


@pytest.mark.parametrize(
    "output",
    [
        ["not an issue"],
        [Issue(1, "a.b", Severity.ERROR, "m")],  # type: ignore[arg-type]
        [_with_text_severity(Issue("a", "a.b", Severity.ERROR, "m"))],
        42,
    ],
)
def test_a_validator_returning_something_else_is_reported(
    contact: Any, ctx: Context, output: object
) -> None:
    rules = RuleSet()
    rules.add(Contact, lambda record, ctx: output, name="odd")  # type: ignore[arg-type,return-value]
    report = validate(contact(), rules, ctx)
    assert report.codes() == ("validator.crashed",)
    assert "odd" in report.issues[0].message


def test_validate_refuses_what_is_not_a_record(rules: RuleSet, ctx: Context) -> None:
    for thing in ({"id": "c-1"}, None, "c-1"):
        with pytest.raises(CRMError):
            validate(thing, rules, ctx)  # type: ignore[arg-type]
    with pytest.raises(CRMError):
        validate(Contact("c-1"), "rules", ctx)  # type: ignore[arg-type]
    with pytest.raises(CRMError):
        validate(Contact("c-1"), rules, None)  # type: ignore[arg-type]


def test_validate_many_summarises_every_record(
    contact: Any, deal: Any, rules: RuleSet, ctx: Context
) -> None:
    records = [
        contact(),
        contact(emails=(_email("info@example.org"), _email("no-reply@example.org"))),
        deal(),
    ]
    batch = validate_many(records, rules, ctx)
    assert [report.record_type for report in batch.reports] == ["Contact", "Contact", "Deal"]
    assert dict(batch.summary.by_code) == {
        "contact_point.no_primary": 1,
        "email.no_reply": 1,
        "email.role_account": 1,
    }
    assert batch.ok
    counted = validate_many(records, rules, ctx, keep="none")
    assert counted.reports == ()
    assert counted.summary == batch.summary


def test_default_ruleset_is_fresh_each_time() -> None:
    first, second = default_ruleset(), default_ruleset()
    first.remove("phone.invalid")
    assert second.removed == frozenset()
    assert {rule.name for rule in first.rules} == {rule.name for rule in second.rules}


def test_builtin_codes_are_unique_and_declared_by_the_default_rules() -> None:
    names = [code.name for code in BUILTIN_CODES]
    assert len(names) == len(set(names))
    declared = {code for rule in default_ruleset().rules for code in rule.codes}
    assert declared | {"validator.crashed", "field.required"} == set(names)


def test_every_record_type_has_default_rules() -> None:
    rules = default_ruleset()
    for record_type in (Contact, Account, Deal):
        assert rules.rules_for(record_type)


# -- plugins ------------------------------------------------------------------------------------


def _email(address: str) -> Any:
    from crmcore import EmailAddress

    return EmailAddress(address)


def _register_no_email(ruleset: RuleSet) -> None:
    ruleset.add(Contact, _no_email, codes="acme.no_email", name="acme.no_email")
    ruleset.regrade("email.role_account", "error")


def test_load_entry_points_calls_each_register_once(
    monkeypatch: pytest.MonkeyPatch, contact: Any, rules: RuleSet, ctx: Context
) -> None:
    asked = _install(monkeypatch, _FakeEntryPoint("acme", _register_no_email))
    assert rules.load_entry_points() == ("acme",)
    assert asked == [ENTRY_POINT_GROUP]
    assert rules.load_entry_points() == ()
    report = validate(contact(emails=()), rules, ctx)
    assert report.codes() == ("acme.no_email",)
    assert rules.grades["email.role_account"] is Severity.ERROR


def test_load_entry_points_in_name_order_and_only_those_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []
    _install(
        monkeypatch,
        _FakeEntryPoint("zeta", lambda ruleset: order.append("zeta")),
        _FakeEntryPoint("alpha", lambda ruleset: order.append("alpha")),
        _FakeEntryPoint("mid", lambda ruleset: order.append("mid")),
    )
    rules = RuleSet()
    assert rules.load_entry_points(names={"zeta", "alpha"}) == ("alpha", "zeta")
    assert order == ["alpha", "zeta"]


def test_load_entry_points_of_another_group(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _install(monkeypatch)
    assert RuleSet().load_entry_points("acme.extra_validators") == ()
    assert asked == ["acme.extra_validators"]


def test_a_real_module_can_be_a_plugin(monkeypatch: pytest.MonkeyPatch, contact: Any) -> None:
    module = types.ModuleType("acme_plugin_module")
    module.register = _register_no_email  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "acme_plugin_module", module)
    entry_point = importlib.metadata.EntryPoint(
        "acme", "acme_plugin_module:register", ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(
        importlib.metadata, "entry_points", lambda *, group: [entry_point] if group else []
    )
    rules = RuleSet()
    assert rules.load_entry_points() == ("acme",)
    assert [rule.name for rule in rules.rules] == ["acme.no_email"]


@pytest.mark.parametrize(
    "entry_point",
    [
        _FakeEntryPoint("broken", None, fails=True),
        _FakeEntryPoint("inert", "not callable"),
        _FakeEntryPoint("raises", lambda ruleset: 1 / 0),
    ],
    ids=["import fails", "not callable", "register raises"],
)
def test_a_broken_plugin_raises_plugin_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, entry_point: _FakeEntryPoint
) -> None:
    _install(monkeypatch, entry_point)
    with pytest.raises(PluginError, match=entry_point.name):
        RuleSet().load_entry_points()


def test_a_plugin_registering_a_taken_name_raises_crm_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def register(ruleset: RuleSet) -> None:
        ruleset.add(Contact, _no_email, name="crmcore.emails")

    _install(monkeypatch, _FakeEntryPoint("clash", register))
    with pytest.raises(CRMError):
        default_ruleset().load_entry_points()


# -- calls that would do nothing -------------------------------------------------------------


def test_rule_without_parentheses_raises_instead_of_registering_nothing() -> None:
    rules = RuleSet()
    with pytest.raises(InvalidValueError, match=r"@rules.rule\(Contact\)") as caught:

        @rules.rule  # type: ignore[arg-type]
        def check(record: Contact, ctx: Context) -> list[Issue]:
            return []

    assert isinstance(caught.value, TypeError)
    assert rules.rules == ()


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"record_type": "Contact"}, "record_types"),
        ({"record_type": Contact, "codes": 3}, "codes"),
        ({"record_type": Contact, "codes": [""]}, "codes"),
        ({"record_type": Contact, "name": ""}, "name"),
        ({"record_type": 3}, "record_types"),
    ],
)
def test_rule_checks_its_arguments_before_decorating(arguments: dict[str, Any], field: str) -> None:
    rules = RuleSet()
    with pytest.raises(InvalidValueError, match=field):
        rules.rule(**arguments)
    assert rules.rules == ()


@pytest.mark.parametrize(
    "call",
    [
        lambda rules: rules.remove("email.role_acount"),
        lambda rules: rules.restore("email.role_acount"),
        lambda rules: rules.regrade("email.role_acount", "info"),
    ],
    ids=["remove", "restore", "regrade"],
)
def test_an_unknown_code_is_refused_with_the_closest_known_one(
    call: Callable[[RuleSet], None],
) -> None:
    rules = default_ruleset()
    with pytest.raises(InvalidValueError, match=r"did you mean email\.role_account\?"):
        call(rules)
    assert rules.removed == frozenset()
    assert rules.grades == {}


def test_an_unknown_code_far_from_any_known_is_refused_without_a_hint() -> None:
    with pytest.raises(InvalidValueError) as caught:
        default_ruleset().remove("acme.loyalty_tier")
    assert "did you mean" not in str(caught.value)


def test_codes_declared_by_added_rules_and_builtin_codes_are_known(contact: Any) -> None:
    rules = RuleSet()
    rules.add(Contact, _no_email, codes="acme.no_email")
    rules.remove("acme.no_email", "field.required")
    rules.regrade("validator.crashed", "warning")
    known = rules.known_codes
    assert known is not None
    assert {"acme.no_email", "field.required", "validator.crashed"} <= known


def test_a_rule_without_declared_codes_lets_any_code_through() -> None:
    rules = RuleSet()
    rules.add(Contact, _no_email)
    assert rules.known_codes is None
    rules.remove("acme.no_email")
    assert rules.removed == frozenset({"acme.no_email"})


@pytest.mark.parametrize("severity", ["ERROR", " Error ", Severity.ERROR])
def test_regrade_reads_a_severity_as_text_in_any_case(severity: Any) -> None:
    rules = default_ruleset()
    rules.regrade("email.role_account", severity)
    assert rules.grades == {"email.role_account": Severity.ERROR}


@pytest.mark.parametrize("severity", ["fatal", 2, None])
def test_regrade_refuses_what_is_no_severity(severity: Any) -> None:
    with pytest.raises(InvalidValueError, match="severity"):
        default_ruleset().regrade("email.role_account", severity)


# -- plugins that fail say why ---------------------------------------------------------------


def test_a_plugin_whose_module_is_missing_names_the_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry_point = importlib.metadata.EntryPoint(
        "acme", "acme_rules_not_installed:register", ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(
        importlib.metadata, "entry_points", lambda *, group: [entry_point] if group else []
    )
    with pytest.raises(PluginError) as caught:
        RuleSet().load_entry_points()
    assert str(caught.value) == (
        "cannot load validator plugin acme: "
        "ModuleNotFoundError: no module named 'acme_rules_not_installed'"
    )


def test_a_plugin_that_fails_to_register_names_the_exception_type_not_its_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def register(ruleset: RuleSet) -> None:
        raise KeyError("ada.lovelace@example.org")

    _install(monkeypatch, _FakeEntryPoint("acme", register))
    with pytest.raises(PluginError) as caught:
        RuleSet().load_entry_points()
    message = str(caught.value)
    assert "KeyError" in message
    assert "acme" in message
    assert "ada.lovelace" not in message


def test_a_plugin_that_is_not_callable_says_what_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(monkeypatch, _FakeEntryPoint("inert", "not callable"))
    with pytest.raises(PluginError, match="inert is a str, not a register function"):
        RuleSet().load_entry_points()


def test_load_entry_points_reads_one_name_as_text_not_as_its_letters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []
    _install(
        monkeypatch,
        _FakeEntryPoint("a", lambda ruleset: order.append("a")),
        _FakeEntryPoint("acme", lambda ruleset: order.append("acme")),
    )
    assert RuleSet().load_entry_points(names="acme") == ("acme",)
    assert order == ["acme"]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [({"group": 3}, "group"), ({"names": 3}, "names"), ({"names": [1]}, "names")],
)
def test_load_entry_points_refuses_arguments_of_the_wrong_kind(
    monkeypatch: pytest.MonkeyPatch, arguments: dict[str, Any], field: str
) -> None:
    _install(monkeypatch)
    with pytest.raises(InvalidValueError, match=field):
        RuleSet().load_entry_points(**arguments)


def test_rules_for_refuses_what_is_no_record_type() -> None:
    with pytest.raises(InvalidValueError, match="record_types"):
        default_ruleset().rules_for("Contact")  # type: ignore[arg-type]


def test_a_rule_set_is_made_of_rules() -> None:
    with pytest.raises(InvalidValueError, match="rules"):
        RuleSet([_no_email])  # type: ignore[list-item]
