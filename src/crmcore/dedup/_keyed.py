"""The level of two records' identifiers grouped by system or scheme."""

from __future__ import annotations

from collections.abc import Mapping

from crmcore.dedup.comparator import NULL

__all__ = ["keyed_level"]


def keyed_level(left: Mapping[str, frozenset[str]], right: Mapping[str, frozenset[str]]) -> str:
    """``exact`` when a system both sides use shares an identifier; ``different`` when the
    systems they share hold other identifiers only; ``null`` when they share no system.

    >>> keyed_level({"vat": frozenset({"1"})}, {"vat": frozenset({"1", "2"})})
    'exact'
    >>> keyed_level({"vat": frozenset({"1"})}, {"vat": frozenset({"2"})})
    'different'
    >>> keyed_level({"vat": frozenset({"1"})}, {"siren": frozenset({"1"})})
    'null'
    """
    shared = left.keys() & right.keys()
    if not shared:
        return NULL
    if any(not left[system].isdisjoint(right[system]) for system in shared):
        return "exact"
    return "different"
