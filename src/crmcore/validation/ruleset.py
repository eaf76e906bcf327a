"""Rule sets and the functions that run them: :func:`validate` and :func:`validate_many`.

A validator is a plain callable ``(record, ctx) -> Iterable[Issue]`` (the :class:`Validator`
protocol). A :class:`RuleSet` names the validators of each record type; rules are added with
:meth:`RuleSet.rule` (a decorator) or :meth:`RuleSet.add`, codes are turned off with
:meth:`RuleSet.remove` and given another severity with :meth:`RuleSet.regrade`, and plugins
register their rules through the ``crmcore.validators`` entry-point group
(:meth:`RuleSet.load_entry_points`). :func:`default_ruleset` builds a fresh rule set with every
built-in rule.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Collection, Iterable
from typing import Any, Protocol, TypeVar

import attrs

from crmcore.errors import CRMError, InvalidValueError
from crmcore.records._base import Record
from crmcore.records._meta import Category
from crmcore.validation import addresses, dates, emails, money, phones, structure
from crmcore.validation._walk import category_of
from crmcore.validation.context import Context
from crmcore.validation.issues import (
    BatchBuilder,
    BatchReport,
    Code,
    Issue,
    Keep,
    Report,
    Severity,
)

__all__ = [
    "BUILTIN_CODES",
    "ENTRY_POINT_GROUP",
    "VALIDATOR_CRASHED",
    "PluginError",
    "Rule",
    "RuleSet",
    "Validator",
    "default_ruleset",
    "validate",
    "validate_many",
]

ENTRY_POINT_GROUP = "crmcore.validators"
"""The entry-point group plugins list their ``register(ruleset)`` functions in."""

VALIDATOR_CRASHED = Code(
    "validator.crashed",
    Severity.ERROR,
    "a validator raised an unexpected exception; its other checks of the record were skipped",
)

BUILTIN_CODES: tuple[Code, ...] = (
    *emails.CODES,
    *phones.CODES,
    *addresses.CODES,
    *dates.CODES,
    *money.CODES,
    *structure.CODES,
    VALIDATOR_CRASHED,
)
"""Every code the built-in rules and the runner may emit, with its default severity."""

R_contra = TypeVar("R_contra", contravariant=True)
V = TypeVar("V", bound=Callable[..., Iterable[Issue]])


class Validator(Protocol[R_contra]):
    """The signature of a validator: a record and a context in, issues out.

    A validator reports every problem it finds (it never stops at the first) and never
    quotes a value in a message. It may return any iterable, a generator included.
    """

    def __call__(self, record: R_contra, ctx: Context, /) -> Iterable[Issue]: ...


class PluginError(CRMError):
    """An entry point of the ``crmcore.validators`` group could not be loaded or registered."""


@attrs.frozen
class Rule:
    """One validator registered in a :class:`RuleSet`.

    ``codes`` are the codes it may emit; when every one of them is removed, the validator is
    not run at all. An empty ``codes`` means "not declared": the validator always runs.
    """

    name: str
    record_types: tuple[type[Any], ...]
    validator: Validator[Any]
    codes: frozenset[str] = frozenset()

    def applies_to(self, record_type: type[Any]) -> bool:
        """Whether the rule checks records of ``record_type`` (subclasses included)."""
        return issubclass(record_type, self.record_types)


def _name_of(validator: Callable[..., Any]) -> str:
    module = getattr(validator, "__module__", None) or "?"
    qualname = getattr(validator, "__qualname__", None) or type(validator).__qualname__
    return f"{module}.{qualname}"


def _codes(codes: str | Iterable[str]) -> frozenset[str]:
    found = frozenset([codes] if isinstance(codes, str) else codes)
    if not all(isinstance(code, str) and code for code in found):
        raise InvalidValueError("codes are non-empty text", field="codes")
    return found


def _record_types(record_types: type[Any] | Iterable[type[Any]]) -> tuple[type[Any], ...]:
    found = (record_types,) if isinstance(record_types, type) else tuple(record_types)
    if not found or not all(isinstance(kind, type) and issubclass(kind, Record) for kind in found):
        raise InvalidValueError("expected record types", field="record_types")
    return found


def _severity(severity: Severity | str) -> Severity:
    try:
        return Severity(severity)
    except ValueError:
        raise InvalidValueError("expected error, warning or info", field="severity") from None


@attrs.frozen
class _Plan:
    """The rules of one record type and what to do with their issues, compiled once."""

    rules: tuple[Rule, ...]
    grades: dict[str, Severity]
    removed: frozenset[str]


class RuleSet:
    """The validators of each record type, and how their issues are graded.

    Make one with :func:`default_ruleset` (every built-in rule) or empty, then extend it:

    >>> from crmcore import Contact
    >>> rules = RuleSet()
    >>> @rules.rule(Contact, codes="acme.no_email")
    ... def needs_email(record, ctx):
    ...     if not record.identity.emails:
    ...         yield Issue("identity.emails", "acme.no_email", Severity.ERROR, "no email")
    >>> [rule.name for rule in rules.rules_for(Contact)]
    ['crmcore.validation.ruleset.needs_email']
    """

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self._rules: dict[str, Rule] = {}
        self._grades: dict[str, Severity] = {}
        self._removed: set[str] = set()
        self._loaded: set[str] = set()
        self._plans: dict[type[Any], _Plan] = {}
        for rule in rules:
            self._insert(rule)

    # -- registering ---------------------------------------------------------------------------

    def rule(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        *,
        codes: str | Iterable[str] = (),
        name: str | None = None,
    ) -> Callable[[V], V]:
        """Register the decorated function as a validator of ``record_type`` (or types).

        ``codes`` declares the codes it may emit; ``name`` defaults to its qualified name.
        """

        def decorate(validator: V) -> V:
            self.add(record_type, validator, codes=codes, name=name)
            return validator

        return decorate

    def add(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        validator: Validator[Any],
        *,
        codes: str | Iterable[str] = (),
        name: str | None = None,
    ) -> Rule:
        """Register ``validator`` for ``record_type`` (or types) and return its :class:`Rule`.

        A name can be registered once; :meth:`remove_rule` it first to replace it.
        """
        if not callable(validator):
            raise InvalidValueError("a validator is a callable", field="validator")
        rule = Rule(
            name if name is not None else _name_of(validator),
            _record_types(record_type),
            validator,
            _codes(codes),
        )
        self._insert(rule)
        return rule

    def _insert(self, rule: Rule) -> None:
        if rule.name in self._rules:
            raise InvalidValueError(f"a rule named {rule.name} is already registered")
        self._rules[rule.name] = rule
        self._plans.clear()

    def remove_rule(self, rule: str | Callable[..., Any]) -> None:
        """Unregister a rule by name or by its validator; raise ``KeyError`` if it is absent."""
        if isinstance(rule, str):
            names = [rule] if rule in self._rules else []
        else:
            names = [name for name, found in self._rules.items() if found.validator is rule]
        if not names:
            raise KeyError(rule if isinstance(rule, str) else _name_of(rule))
        for name in names:
            del self._rules[name]
        self._plans.clear()

    def remove(self, *codes: str) -> None:
        """Turn codes off: their issues are dropped, and rules left with none are not run."""
        self._removed.update(_codes(codes))
        self._plans.clear()

    def restore(self, *codes: str) -> None:
        """Turn removed codes back on."""
        self._removed.difference_update(codes)
        self._plans.clear()

    def regrade(self, code: str, severity: Severity | str) -> None:
        """Give every issue of ``code`` the ``severity`` (``"error"``, ``"warning"``, ...)."""
        (found,) = _codes(code)
        self._grades[found] = _severity(severity)
        self._plans.clear()

    def require(self, record_type: type[Any], *paths: str) -> Rule:
        """Report ``field.required`` when a field at one of ``paths`` is empty.

        Paths are dotted, without indexes: ``identity.emails``, ``identity.name.family``,
        ``descriptive.custom.tier``. Calling it again for a type adds to its paths.
        """
        (kind,) = _record_types(record_type)
        name = f"crmcore.required.{kind.__name__}"
        previous = self._rules.get(name)
        known: tuple[str, ...] = ()
        if previous is not None:
            known = getattr(previous.validator, "paths", ())
            self.remove_rule(name)
        validator = structure.required_fields(kind, *known, *paths)
        return self.add(kind, validator, codes=structure.REQUIRED.name, name=name)

    def load_entry_points(
        self, group: str = ENTRY_POINT_GROUP, *, names: Collection[str] | None = None
    ) -> tuple[str, ...]:
        """Load the plugins of ``group`` and return the names of those loaded now.

        Each entry point must resolve to a callable ``register(ruleset)`` that adds its rules
        (and may regrade or remove codes). Entry points load in name order, each once per rule
        set; ``names`` limits loading to those entry-point names. A plugin that fails to load
        or to register raises :class:`PluginError` naming it.
        """
        found = importlib.metadata.entry_points(group=group)
        loaded: list[str] = []
        for entry_point in sorted(found, key=lambda ep: (ep.name, ep.value)):
            if names is not None and entry_point.name not in names:
                continue
            key = f"{entry_point.name}={entry_point.value}"
            if key in self._loaded:
                continue
            try:
                register = entry_point.load()
            except Exception as exc:
                raise PluginError(f"cannot load validator plugin {entry_point.name}") from exc
            if not callable(register):
                raise PluginError(f"validator plugin {entry_point.name} is not callable")
            try:
                register(self)
            except CRMError:
                raise
            except Exception as exc:
                raise PluginError(
                    f"validator plugin {entry_point.name} failed to register"
                ) from exc
            self._loaded.add(key)
            loaded.append(entry_point.name)
        return tuple(loaded)

    # -- reading -------------------------------------------------------------------------------

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in the order they were added."""
        return tuple(self._rules.values())

    def rules_for(self, record_type: type[Any]) -> tuple[Rule, ...]:
        """The rules that run on ``record_type``, in order (rules of removed codes excluded)."""
        return self._plan(record_type).rules

    @property
    def removed(self) -> frozenset[str]:
        """The codes turned off."""
        return frozenset(self._removed)

    @property
    def grades(self) -> dict[str, Severity]:
        """The severities given by :meth:`regrade`, by code."""
        return dict(self._grades)

    def copy(self) -> RuleSet:
        """An independent copy: changing one does not change the other."""
        other = RuleSet(self._rules.values())
        other._grades = dict(self._grades)
        other._removed = set(self._removed)
        other._loaded = set(self._loaded)
        return other

    def __repr__(self) -> str:
        return f"RuleSet(<{len(self._rules)} rule(s)>)"

    def _plan(self, record_type: type[Any]) -> _Plan:
        plan = self._plans.get(record_type)
        if plan is None:
            removed = frozenset(self._removed)
            rules = tuple(
                rule
                for rule in self._rules.values()
                if rule.applies_to(record_type) and not (rule.codes and rule.codes <= removed)
            )
            plan = _Plan(rules, dict(self._grades), removed)
            self._plans[record_type] = plan
        return plan


def default_ruleset() -> RuleSet:
    """A fresh :class:`RuleSet` with every built-in rule; change it freely.

    >>> from crmcore import Contact
    >>> len(default_ruleset().rules_for(Contact)) > 5
    True
    """
    ruleset = RuleSet()
    for theme in (emails, phones, addresses, dates, money, structure):
        theme.register(ruleset)
    return ruleset


# -- running -----------------------------------------------------------------------------------


class _BadOutput(Exception):
    """A validator yielded something that is not a well-formed :class:`Issue`."""


def _well_formed(issue: object) -> Issue:
    if (
        isinstance(issue, Issue)
        and isinstance(issue.path, str)
        and isinstance(issue.code, str)
        and isinstance(issue.severity, Severity)
        and isinstance(issue.message, str)
        and (issue.category is None or isinstance(issue.category, Category))
    ):
        return issue
    raise _BadOutput


def _crashed(rule: Rule, exc: Exception) -> Issue:
    if isinstance(exc, _BadOutput):
        message = f"validator {rule.name} returned something other than issues"
    else:
        message = f"validator {rule.name} raised {type(exc).__name__}"
    return VALIDATOR_CRASHED.issue("", None, message)


def _finish(
    found: list[Issue], plan: _Plan, record_id: str | None, record_type: type[Any]
) -> list[Issue]:
    finished: list[Issue] = []
    for issue in found:
        if issue.code in plan.removed:
            continue
        severity = plan.grades.get(issue.code, issue.severity)
        category = issue.category
        if category is None and issue.path:
            category = category_of(record_type, issue.path)
        finished.append(Issue(issue.path, issue.code, severity, issue.message, category, record_id))
    return finished


def validate(record: Record, ruleset: RuleSet, ctx: Context) -> Report:
    """Run every rule of ``ruleset`` that applies to ``record`` and report all issues.

    A validator that raises is reported as ``validator.crashed`` and the others still run.

    >>> from datetime import datetime, timezone
    >>> from crmcore import Contact, ContactIdentity, EmailAddress
    >>> ctx = Context(datetime(2025, 6, 1, tzinfo=timezone.utc))
    >>> contact = Contact("c-1", ContactIdentity(emails=(EmailAddress("info@example.com"),)))
    >>> validate(contact, default_ruleset(), ctx).codes()
    ('email.role_account',)
    """
    if not isinstance(record, Record):
        raise InvalidValueError("expected a crmcore record; read dicts with from_dict first")
    if not isinstance(ruleset, RuleSet):
        raise InvalidValueError("expected a RuleSet", field="ruleset")
    if not isinstance(ctx, Context):
        raise InvalidValueError("expected a Context", field="ctx")
    record_type = type(record)
    plan = ruleset._plan(record_type)
    found: list[Issue] = []
    for rule in plan.rules:
        try:
            for issue in rule.validator(record, ctx):
                found.append(_well_formed(issue))
        except Exception as exc:  # a broken validator must not stop the run
            found.append(_crashed(rule, exc))
    record_id = getattr(record, "id", None)
    if not isinstance(record_id, str):
        record_id = None
    if found:
        found = _finish(found, plan, record_id, record_type)
    return Report(record_id, record_type.__name__, found)


def validate_many(
    records: Iterable[Record], ruleset: RuleSet, ctx: Context, *, keep: Keep = "all"
) -> BatchReport:
    """Validate each of ``records`` and return the reports with a summary of counts.

    ``keep`` chooses which reports the batch holds: ``"all"``, ``"issues"`` (those with at
    least one issue) or ``"none"``; the summary always counts every record.
    """
    builder = BatchBuilder(keep=keep)
    for record in records:
        builder.add(validate(record, ruleset, ctx))
    return builder.build()
