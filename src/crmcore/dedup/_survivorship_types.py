"""The values survivorship rules see and the signature they share.

:class:`Candidate` is one value of one path with its record id and provenance;
:class:`SurvivorshipContext` is what rules know besides the candidates; :func:`computes` marks
a rule that computes a value rather than choosing one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

import attrs

from crmcore.errors import InvalidValueError
from crmcore.records.enums import Source

__all__ = [
    "Candidate",
    "R",
    "SurvivorshipContext",
    "SurvivorshipRule",
    "computes",
    "computes_value",
]


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
