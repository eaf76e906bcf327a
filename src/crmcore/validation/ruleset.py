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

import functools
from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeVar

from crmcore._parallel import DEFAULT_CHUNK_SIZE, run_many
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record
from crmcore.validation import addresses, dates, emails, money, phones, structure
from crmcore.validation._args import (
    RuleUsageError,
    check_known,
    name_of,
    read_codes,
    read_name,
    read_record_types,
    read_severity,
)
from crmcore.validation._output import VALIDATOR_CRASHED
from crmcore.validation._plugins import ENTRY_POINT_GROUP, PluginError, load_plugins
from crmcore.validation._registry import Rule, Validator
from crmcore.validation._run import Plan, run
from crmcore.validation.context import Context
from crmcore.validation.issues import BatchBuilder, BatchReport, Code, Issue, Keep, Report, Severity

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

_BUILTIN_NAMES = frozenset(code.name for code in BUILTIN_CODES)

V = TypeVar("V", bound=Callable[..., Iterable[Issue]])


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
        self._plans: dict[type[Any], Plan] = {}
        for rule in rules:
            if not isinstance(rule, Rule):
                raise InvalidValueError("expected Rule values", field="rules")
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
        The arguments are checked at once. Written without its parentheses, ``@rules.rule``
        would register nothing and replace the function, so it raises
        :class:`~crmcore.InvalidValueError` (also a ``TypeError``) saying so:

        >>> rules = RuleSet()
        >>> @rules.rule  # doctest: +ELLIPSIS
        ... def no_types(record, ctx):
        ...     return []
        Traceback (most recent call last):
        ...
        crmcore...RuleUsageError: record_type: write @rules.rule(Contact) with the record types ...
        """
        if callable(record_type) and not isinstance(record_type, type):
            raise RuleUsageError(
                "write @rules.rule(Contact) with the record types in parentheses; "
                "@rules.rule alone registers nothing",
                field="record_type",
            )
        record_types = read_record_types(record_type)
        declared = read_codes(codes)
        rule_name = read_name(name)

        def decorate(validator: V) -> V:
            self.add(record_types, validator, codes=declared, name=rule_name)
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
            read_name(name) or name_of(validator),
            read_record_types(record_type),
            validator,
            read_codes(codes),
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
            raise KeyError(rule if isinstance(rule, str) else name_of(rule))
        for name in names:
            del self._rules[name]
        self._plans.clear()

    def remove(self, *codes: str) -> None:
        """Turn codes off: their issues are dropped, and rules left with none are not run.

        A code no rule of the set declares raises :class:`~crmcore.InvalidValueError` (with
        the closest known code as a hint), rather than removing nothing; see
        :attr:`known_codes`.
        """
        found = read_codes(codes)
        check_known(found, self.known_codes)
        self._removed.update(found)
        self._plans.clear()

    def restore(self, *codes: str) -> None:
        """Turn removed codes back on; an unknown code raises as in :meth:`remove`."""
        found = read_codes(codes)
        check_known(found, self.known_codes)
        self._removed.difference_update(found)
        self._plans.clear()

    def regrade(self, code: str, severity: Severity | str) -> None:
        """Give every issue of ``code`` the ``severity`` (``"error"``, ``"warning"``, ...).

        The severity may be given as text, in any case; an unknown code raises as in
        :meth:`remove`.

        >>> rules = default_ruleset()
        >>> rules.regrade("email.role_acount", "info")
        Traceback (most recent call last):
        ...
        crmcore.errors.InvalidValueError: codes: no rule reports the code email.role_acount (did you mean email.role_account?)
        """  # noqa: E501
        if not isinstance(code, str):
            raise InvalidValueError("a code is text", field="code")
        found = read_codes(code)
        grade = read_severity(severity)
        check_known(found, self.known_codes)
        self._grades[code] = grade
        self._plans.clear()

    @property
    def known_codes(self) -> frozenset[str] | None:
        """Every code the rules of the set declare, plus the built-in codes (:data:`BUILTIN_CODES`).

        ``None`` when a rule declares no codes: the set cannot tell what it may report, and
        :meth:`remove`, :meth:`restore` and :meth:`regrade` then accept any code. Remove and
        regrade codes after loading the plugins that declare them.
        """
        known = set(_BUILTIN_NAMES)
        for rule in self._rules.values():
            if not rule.codes:
                return None
            known.update(rule.codes)
        return frozenset(known)

    def require(self, record_type: type[Any], *paths: str) -> Rule:
        """Report ``field.required`` when a field at one of ``paths`` is empty.

        Paths are dotted, without indexes: ``identity.emails``, ``identity.name.family``,
        ``descriptive.custom.tier``. Calling it again for a type adds to its paths.
        """
        (kind,) = read_record_types(record_type)
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
        set; ``names`` limits loading to those entry-point names (one name may be given as
        text). A plugin that fails to load or to register raises :class:`PluginError` naming it
        and the cause.
        """
        return load_plugins(self, group, names, self._loaded)

    # -- reading -------------------------------------------------------------------------------

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in the order they were added."""
        return tuple(self._rules.values())

    def rules_for(self, record_type: type[Any]) -> tuple[Rule, ...]:
        """The rules that run on ``record_type``, in order (rules of removed codes excluded)."""
        if not isinstance(record_type, type):
            (record_type,) = read_record_types(record_type)
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

    def _plan(self, record_type: type[Any]) -> Plan:
        plan = self._plans.get(record_type)
        if plan is None:
            removed = frozenset(self._removed)
            rules = tuple(
                rule
                for rule in self._rules.values()
                if rule.applies_to(record_type) and not (rule.codes and rule.codes <= removed)
            )
            plan = Plan(rules, dict(self._grades), removed)
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
    return run(record, ruleset._plan(type(record)), ctx)


def validate_many(
    records: Iterable[Record],
    ruleset: RuleSet,
    ctx: Context,
    *,
    keep: Keep = "all",
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int], object] | None = None,
) -> BatchReport:
    """Validate each of ``records`` and return the reports with a summary of counts.

    ``keep`` chooses which reports the batch holds: ``"all"``, ``"issues"`` (those with at
    least one issue) or ``"none"``; the summary always counts every record.

    ``workers`` greater than 1 validates in that many processes (0: one per core), in chunks
    of ``chunk_size`` records, with the same reports in the same order; the rule set (its
    validators) and the context must then pickle. A record that fails in a worker raises
    :class:`~crmcore.WorkerError` naming its place in ``records``. ``progress`` is called
    with the number of records done so far, after each chunk.
    """
    if not isinstance(ruleset, RuleSet):
        raise InvalidValueError("expected a RuleSet", field="ruleset")
    if not isinstance(ctx, Context):
        raise InvalidValueError("expected a Context", field="ctx")
    builder = BatchBuilder(keep=keep)
    one = functools.partial(validate, ruleset=ruleset, ctx=ctx)
    for report in run_many(one, records, workers=workers, chunk_size=chunk_size, progress=progress):
        builder.add(report)
    return builder.build()
