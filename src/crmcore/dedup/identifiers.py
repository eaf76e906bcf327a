"""External-id comparator: the same id in a system both records know, another one, or none."""

from __future__ import annotations

from typing import Any

import attrs

from crmcore.dedup._keyed import keyed_level
from crmcore.dedup._paths import Selector, values
from crmcore.dedup._text import fold
from crmcore.dedup.comparator import NULL, FieldComparator
from crmcore.dedup.context import CompareContext
from crmcore.records.values import ExternalId

__all__ = ["ExternalIds", "external_ids"]

_IDS = Selector(ExternalId)


@attrs.frozen
class ExternalIds(FieldComparator[dict[str, frozenset[str]]]):
    """Ids in other systems. See :func:`external_ids`."""

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``different``, ``null``."""
        return ("exact", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> dict[str, frozenset[str]] | None:
        """The record's ids by folded system name; ``None`` when it has none."""
        found: dict[str, set[str]] = {}
        for external in values(record, _IDS):
            value = external.value.strip()
            if value:
                found.setdefault(fold(external.system), set()).add(value)
        return {system: frozenset(ids) for system, ids in found.items()} or None

    def compare_prepared(
        self, left: dict[str, frozenset[str]], right: dict[str, frozenset[str]], ctx: CompareContext
    ) -> str:
        """``exact`` on a shared id, ``different`` when a shared system has other ids."""
        return keyed_level(left, right)


def external_ids() -> ExternalIds:
    """Compare ids in other systems, system by system (the system's name folded).

    ``exact``: an id in common in one system; ``different``: a system in common, no id in
    common (strong evidence of two records); ``null``: no system in common. Ids are compared
    as written (spaces around aside): an id's case may matter to its system.

    >>> from crmcore import Contact, ContactIdentity
    >>> from crmcore.records import ExternalId
    >>> def person(system, value):
    ...     ids = (ExternalId(system=system, value=value),)
    ...     return Contact("c", ContactIdentity(external_ids=ids))
    >>> cmp, ctx = external_ids(), CompareContext()
    >>> cmp(person("Stripe", "cus_9"), person("stripe", "cus_9"), ctx)
    'exact'
    >>> cmp(person("Stripe", "cus_9"), person("HubSpot", "cus_9"), ctx)
    'null'
    """
    return ExternalIds()
