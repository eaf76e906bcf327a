"""Survivorship: which value of a field survives when duplicate records merge.

A :class:`SurvivorshipRule` is a plain callable ``(candidates, ctx) -> choice``: the candidates
are the values one field holds in the merged records, each a :class:`Candidate` with its record
id and provenance; the choice is the surviving value. For a field that holds a tuple (emails,
phones, tags) each candidate is one item and the choice is the tuple of surviving items.
:class:`SurvivorshipRules` holds the rules of each record type by field path, shaped like
:class:`crmcore.validation.RuleSet`, with plugins in the ``crmcore.survivorship_rules``
entry-point group. A path with no rule takes the default its field metadata gives
(:func:`default_rule`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

import attrs

from crmcore.dedup._survivorship_rules import (
    default_rule,
    earliest,
    latest,
    maximum,
    most_complete,
    most_frequent,
    total,
    trusted_source,
    union,
)
from crmcore.dedup._survivorship_types import (
    Candidate,
    R,
    SurvivorshipContext,
    SurvivorshipRule,
    computes,
)
from crmcore.dedup.errors import SurvivorshipRulePluginError
from crmcore.errors import InvalidValueError
from crmcore.validation._args import name_of, read_record_types
from crmcore.validation._plugins import load_plugins

__all__ = [
    "SURVIVORSHIP_ENTRY_POINT_GROUP",
    "Candidate",
    "SurvivorshipContext",
    "SurvivorshipEntry",
    "SurvivorshipRule",
    "SurvivorshipRules",
    "computes",
    "default_rule",
    "default_survivorship_rules",
    "earliest",
    "latest",
    "maximum",
    "most_complete",
    "most_frequent",
    "total",
    "trusted_source",
    "union",
]

SURVIVORSHIP_ENTRY_POINT_GROUP = "crmcore.survivorship_rules"
"""The entry-point group plugins list their ``register(rules)`` functions in."""

_NAME = re.compile(r"[A-Za-z0-9_<>-]+(?:\.[A-Za-z0-9_<>-]+)+\Z")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+){0,2}\Z")


@attrs.frozen
class SurvivorshipEntry:
    """The rule of one path of the given record types, by name."""

    record_types: tuple[type[Any], ...]
    path: str
    rule: SurvivorshipRule
    name: str


def _read_name(name: object) -> str:
    if not isinstance(name, str) or len(name) > 200 or not _NAME.match(name):
        raise InvalidValueError("a rule name is dotted, like acme.loyalty_tier", field="name")
    return name


def _read_path(path: object) -> str:
    if not isinstance(path, str) or len(path) > 200 or not _PATH.match(path):
        raise InvalidValueError("a path is dotted, like identity.emails", field="path")
    return path


class SurvivorshipRules:
    """The survivorship rule of each record type and field path.

    >>> from crmcore import Contact
    >>> rules = SurvivorshipRules()
    >>> @rules.rule(Contact, "descriptive.job_title", name="acme.frequent_title")
    ... def frequent_title(candidates, ctx):
    ...     return most_frequent(candidates, ctx)
    >>> rules.entry(Contact, "descriptive.job_title").name
    'acme.frequent_title'
    """

    def __init__(self, entries: Iterable[SurvivorshipEntry] = ()) -> None:
        self._entries: dict[str, SurvivorshipEntry] = {}
        self._loaded: set[str] = set()
        for entry in entries:
            self._insert(entry)

    @staticmethod
    def _key(record_type: type[Any], path: str) -> str:
        return f"{record_type.__module__}.{record_type.__qualname__}:{path}"

    def rule(
        self, record_type: type[Any] | Iterable[type[Any]], path: str, *, name: str | None = None
    ) -> Callable[[R], R]:
        """Register the decorated function as the rule of ``path`` of ``record_type``."""

        def decorate(fn: R) -> R:
            self.add(record_type, path, fn, name=name)
            return fn

        return decorate

    def add(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        path: str,
        rule: SurvivorshipRule,
        *,
        name: str | None = None,
    ) -> SurvivorshipEntry:
        """Register ``rule`` for ``path`` of ``record_type`` (or types); a path takes one rule."""
        entry = self._build(record_type, path, rule, name)
        self._insert(entry)
        return entry

    def _build(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        path: str,
        rule: SurvivorshipRule,
        name: str | None,
    ) -> SurvivorshipEntry:
        if not callable(rule):
            raise InvalidValueError("a survivorship rule is a callable", field="rule")
        return SurvivorshipEntry(
            read_record_types(record_type),
            _read_path(path),
            rule,
            _read_name(name if name is not None else name_of(rule)),
        )

    def _insert(self, entry: SurvivorshipEntry) -> None:
        if not isinstance(entry, SurvivorshipEntry):
            raise InvalidValueError("expected SurvivorshipEntry values", field="entries")
        keys = [self._key(t, entry.path) for t in entry.record_types]
        for key in keys:
            if key in self._entries:
                raise InvalidValueError(f"a rule for {entry.path} is already registered")
        for key in keys:
            self._entries[key] = entry

    def remove(self, record_type: type[Any], path: str) -> None:
        """Unregister the rule of ``path`` of ``record_type``; ``KeyError`` if absent."""
        del self._entries[self._key(record_type, path)]

    def replace(
        self, record_type: type[Any], path: str, rule: SurvivorshipRule, *, name: str | None = None
    ) -> SurvivorshipEntry:
        """Put ``rule`` in place of the rule of ``path``; ``KeyError`` if absent."""
        key = self._key(record_type, path)
        if key not in self._entries:
            raise KeyError(path)
        entry = self._build(record_type, path, rule, name)
        self._entries[key] = entry
        return entry

    def load_entry_points(
        self, group: str = SURVIVORSHIP_ENTRY_POINT_GROUP, *, names: Collection[str] | None = None
    ) -> tuple[str, ...]:
        """Load the plugins of ``group``; each names a ``register(rules)`` function.

        Entry points load in name order, each once per registry; a plugin that fails raises
        :class:`~crmcore.dedup.SurvivorshipRulePluginError` naming it.
        """
        return load_plugins(
            self,
            group,
            names,
            self._loaded,
            noun="survivorship rule",
            error=SurvivorshipRulePluginError,
        )

    def entry(self, record_type: type[Any], path: str) -> SurvivorshipEntry | None:
        """The entry of ``path`` of ``record_type``, or ``None`` (the default applies)."""
        return self._entries.get(self._key(record_type, path))

    def __iter__(self) -> Iterator[SurvivorshipEntry]:
        return iter(tuple(dict.fromkeys(self._entries.values())))

    def __len__(self) -> int:
        return len(self._entries)

    def copy(self) -> SurvivorshipRules:
        """An independent copy."""
        other = SurvivorshipRules()
        other._entries = dict(self._entries)
        other._loaded = set(self._loaded)
        return other

    def __repr__(self) -> str:
        return f"SurvivorshipRules(<{len(self._entries)} rule(s)>)"


def default_survivorship_rules() -> SurvivorshipRules:
    """A fresh, empty registry: every path takes the default its metadata gives.

    Add or replace rules for the paths you want otherwise.
    """
    return SurvivorshipRules()
