"""Repeated items of a record's lists of text (motivations, domains, referenced ids) removed."""

from __future__ import annotations

from typing import Any

from crmcore.cleaning._types import Kind, Slot, chains_to, get_in, set_all
from crmcore.cleaning.changes import Change, change
from crmcore.cleaning.context import CleaningContext
from crmcore.records._base import Record

__all__ = ["drop_duplicate_texts"]


def _texts(slot: Slot) -> bool:
    return slot.kind is Kind.TEXTS


def drop_duplicate_texts(record: Record, ctx: CleaningContext) -> tuple[Record, list[Change]]:
    """Step ``duplicate``: keep the first occurrence of each item in every list of text.

    Only the lists of a record's facets are concerned; the lines of a postal address are an
    ordered whole and are left as they are. Items must be equal to count as repeated.
    """
    changes: list[Change] = []
    updates: dict[tuple[str, ...], Any] = {}
    for chain in chains_to(type(record), _texts):
        values: tuple[str, ...] = get_in(record, chain)
        if len(values) < 2 or len(set(values)) == len(values):
            continue
        seen: set[str] = set()
        kept: list[str] = []
        base = ".".join(chain)
        for index, value in enumerate(values):
            if value in seen:
                changes.append(change(type(record), f"{base}[{index}]", "duplicate", value, None))
            else:
                seen.add(value)
                kept.append(value)
        updates[chain] = tuple(kept)
    return set_all(record, updates), changes
