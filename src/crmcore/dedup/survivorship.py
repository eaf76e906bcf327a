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
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import attrs

from crmcore.dedup.errors import SurvivorshipRulePluginError
from crmcore.errors import InvalidValueError
from crmcore.records._meta import Category
from crmcore.records.enums import Source
from crmcore.records.introspect import FieldSpec
from crmcore.records.limits import COUNT_MAX
from crmcore.records.values import ContactPoint, Money
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


@attrs.frozen(repr=False)
class Candidate:
    """One value a merged record holds at one path, with where and when it came from.

    ``source``, ``collected_at`` and ``verified_at`` are the contact point's own provenance
    when the value is a contact point, else the record's ``source`` and ``last_verified_at``;
    ``updated_at`` is the record's.
    """

    value: Any
    record_id: str
    source: Source | None = None
    collected_at: datetime | None = None
    verified_at: datetime | None = None
    updated_at: datetime | None = None

    def __repr__(self) -> str:  # never the value: it may be personal
        return f"Candidate(record_id={self.record_id!r}, value=<hidden>)"


def _read_sources(value: object) -> tuple[Source, ...]:
    if isinstance(value, str | Source) or not isinstance(value, Iterable):
        raise InvalidValueError("expected sources, most trusted first", field="source_priorities")
    try:
        return tuple(Source(item) for item in value)
    except ValueError:
        raise InvalidValueError("expected Source values", field="source_priorities") from None


@attrs.frozen
class SurvivorshipContext:
    """What the rules know besides the candidates.

    ``source_priorities`` ranks sources for :func:`trusted_source`, most trusted first; a
    source not listed ranks after every listed one.
    """

    source_priorities: tuple[Source, ...] = attrs.field(default=(), converter=_read_sources)


class SurvivorshipRule(Protocol):
    """The signature of a survivorship rule: the candidates of one path in, the choice out."""

    def __call__(self, candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any: ...


R = TypeVar("R", bound=Callable[..., Any])


def computes(rule: R) -> R:
    """Mark ``rule`` as one that computes a value (a sum) rather than choosing a candidate's.

    :func:`~crmcore.dedup.merge` refuses, naming the path and the rule, a choice that no
    candidate holds, unless the rule is marked; a computed value must still fit its field.
    Every candidate goes to the provenance, and each one that differs from the result to
    the history.
    """
    rule.computes_value = True  # type: ignore[attr-defined]
    return rule


def computes_value(rule: object) -> bool:
    """Whether ``rule`` is marked by :func:`computes`."""
    return getattr(rule, "computes_value", False) is True


def _stamp(value: datetime | None) -> float:
    return float("-inf") if value is None else value.timestamp()


def _recency(candidate: Candidate) -> tuple[float, float, float]:
    return (
        _stamp(candidate.verified_at),
        _stamp(candidate.collected_at),
        _stamp(candidate.updated_at),
    )


def _first(candidates: Sequence[Candidate], key: Callable[[Candidate], Any]) -> Any:
    # Candidates come in record-id order; the first of the best wins ties, so input order
    # never changes the choice.
    best = candidates[0]
    best_key = key(best)
    for candidate in candidates[1:]:
        found = key(candidate)
        if found > best_key:
            best, best_key = candidate, found
    return best.value


def latest(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
    """The value verified last, then collected last, then in the record changed last."""
    return _first(candidates, _recency)


def earliest(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
    """The smallest value (the earliest date): for ``created_at``.

    Values that do not compare (amounts in two currencies, text and numbers): the latest.
    """
    return _extreme(candidates, ctx, min)


def trusted_source(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
    """The value from the most trusted source (``ctx.source_priorities``), then the latest."""
    ranks = {
        source: len(ctx.source_priorities) - i for i, source in enumerate(ctx.source_priorities)
    }
    return _first(candidates, lambda c: (ranks.get(c.source, 0) if c.source else 0, *_recency(c)))


def _completeness(value: Any) -> int:
    if attrs.has(type(value)):
        return sum(_completeness(getattr(value, a.name)) for a in attrs.fields(type(value)))
    if isinstance(value, tuple | frozenset | Mapping):
        return len(value)
    if isinstance(value, str):
        return 1 if value.strip() else 0
    return 0 if value is None else 1


def most_complete(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
    """The value with the most parts filled in (a name with given and family), then the latest."""
    return _first(candidates, lambda c: (_completeness(c.value), *_recency(c)))


def most_frequent(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
    """The value most records hold, then the latest."""
    counts = Counter(c.value for c in candidates)
    return _first(candidates, lambda c: (counts[c.value], *_recency(c)))


def _points_first(candidate: Candidate) -> tuple[float, float]:
    return (_stamp(candidate.verified_at), _stamp(candidate.collected_at))


def union(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> tuple[Any, ...]:
    """Every distinct item: for emails, phones, addresses, tags, references, quarantined values.

    Items come in record-id order; contact points come latest verified first, then latest
    collected, so that when :func:`~crmcore.dedup.merge` folds the same point written two
    ways into one (by :func:`crmcore.cleaning.merge_contact_points`' rule: normalised email,
    E.164 phone, address key), the form verified last is the one that stays.
    """
    ordered: Iterable[Candidate] = candidates
    if any(isinstance(c.value, ContactPoint) for c in candidates):
        ordered = sorted(candidates, key=_points_first, reverse=True)  # stable: ties keep order
    unique: dict[Any, Any] = {}
    for candidate in ordered:
        unique.setdefault(_strict(candidate.value), candidate.value)
    return tuple(unique.values())


def _strict(value: Any) -> Any:
    # 0 and False, 1 and 1.0 are two values here, not one as a dict takes them.
    return (type(value), value)


def _order_key(value: Any) -> Any:
    amount = getattr(value, "amount", None)
    if amount is not None:
        return amount
    if isinstance(value, datetime):
        return value.timestamp()
    return value


def _one_currency(candidates: Sequence[Candidate]) -> bool:
    money = [c.value for c in candidates if isinstance(c.value, Money)]
    return not money or (len(money) == len(candidates) and len({m.currency for m in money}) == 1)


def maximum(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
    """The largest value (the last purchase date, the highest lifetime value).

    Values that do not compare (amounts in two currencies, text and numbers): the latest.
    """
    return _extreme(candidates, ctx, max)


def _extreme(
    candidates: Sequence[Candidate], ctx: SurvivorshipContext, pick: Callable[..., Any]
) -> Any:
    # min and max keep the first of equal values: the first in record-id order.
    if not _one_currency(candidates):
        return latest(candidates, ctx)
    try:
        return pick((c.value for c in candidates), key=_order_key)
    except TypeError:  # values that do not order: the latest
        return latest(candidates, ctx)


@computes
def total(candidates: Sequence[Candidate], ctx: SurvivorshipContext) -> Any:
    """The sum of every merged record's count (purchases, tickets filed) or amount (spent).

    A sum over :data:`~crmcore.records.limits.COUNT_MAX` stays at that limit; amounts in more
    than one currency are not added: the latest is taken (each value is still in the history).
    """
    values = [c.value for c in candidates]
    if all(isinstance(v, Money) for v in values):
        if not _one_currency(candidates):
            return latest(candidates, ctx)
        try:
            return Money(sum((v.amount for v in values), Decimal(0)), values[0].currency)
        except InvalidValueError:  # a sum too large for an amount: the largest
            return maximum(candidates, ctx)
    if all(type(v) is int for v in values):
        return min(sum(values), COUNT_MAX)
    return latest(candidates, ctx)


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


_BUILTIN: dict[str, SurvivorshipRule] = {
    "crmcore.latest": latest,
    "crmcore.earliest": earliest,
    "crmcore.trusted_source": trusted_source,
    "crmcore.most_complete": most_complete,
    "crmcore.most_frequent": most_frequent,
    "crmcore.union": union,
    "crmcore.maximum": maximum,
    "crmcore.total": total,
}


_COMBINE = {"sum": "crmcore.total", "max": "crmcore.maximum", "latest": "crmcore.latest"}


def _is_tuple(annotation: Any) -> bool:
    return getattr(annotation, "__origin__", None) is tuple or annotation is tuple


def _holds(annotation: Any, kind: type[Any]) -> bool:
    args = getattr(annotation, "__args__", None) or (annotation,)
    return any(isinstance(a, type) and issubclass(a, kind) for a in args)


def default_rule(spec: FieldSpec) -> tuple[str, SurvivorshipRule]:
    """The name and rule a field takes by its metadata when no rule is registered for it.

    Tuples (contact points, tags, references, quarantined values) take the union; quantitative
    counts are summed (unless the field's metadata says ``combine="latest"``, as a score out
    of ten does) and quantitative dates take the latest (the last purchase); record
    metadata keeps the earliest ``created_at`` and the latest ``updated_at`` and
    ``last_verified_at``; names take the most complete; anything else the latest verified.
    """
    if spec.combine is not None:
        name = _COMBINE[spec.combine]
    elif _is_tuple(spec.type):
        name = "crmcore.union"
    elif spec.path == "created_at":
        name = "crmcore.earliest"
    elif spec.path in {"updated_at", "last_verified_at"} or (
        spec.category is Category.QUANTITATIVE and _holds(spec.type, date)
    ):
        name = "crmcore.maximum"
    elif spec.category is Category.QUANTITATIVE and _holds(spec.type, int):
        name = "crmcore.total"
    elif attrs.has(spec.type) if isinstance(spec.type, type) else False:
        name = "crmcore.most_complete"
    else:
        name = "crmcore.latest"
    return name, _BUILTIN[name]


def builtin_rule(name: str) -> SurvivorshipRule:
    """The built-in rule named ``name`` (``"crmcore.latest"``)."""
    return _BUILTIN[name]


def default_survivorship_rules() -> SurvivorshipRules:
    """A fresh, empty registry: every path takes the default its metadata gives.

    Add or replace rules for the paths you want otherwise.
    """
    return SurvivorshipRules()
