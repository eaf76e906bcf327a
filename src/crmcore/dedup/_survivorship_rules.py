"""The built-in survivorship rules, and the default each field takes by its metadata."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from crmcore.dedup._survivorship_types import (
    Candidate,
    SurvivorshipContext,
    SurvivorshipRule,
    computes,
)
from crmcore.errors import InvalidValueError
from crmcore.records._meta import Category
from crmcore.records.introspect import FieldSpec
from crmcore.records.limits import COUNT_MAX
from crmcore.records.values import ContactPoint, Money

__all__ = [
    "builtin_rule",
    "default_rule",
    "earliest",
    "latest",
    "maximum",
    "most_complete",
    "most_frequent",
    "total",
    "trusted_source",
    "union",
]


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
