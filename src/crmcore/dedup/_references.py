"""Rewriting references: ``account_ref``, ``contact_refs``, ``parent_ref``... to golden ids."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from crmcore._safe import printable
from crmcore.cleaning._types import set_all
from crmcore.dedup._merge_read import get
from crmcore.dedup.errors import MergeError
from crmcore.records._base import Record
from crmcore.records._meta import field_info

__all__ = ["rewrite_references"]


@functools.cache
def _reference_chains(record_type: type[Any]) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """The paths of the fields of ``record_type`` whose metadata says ``refers_to``."""
    found: list[tuple[tuple[str, ...], bool]] = []
    hints = attrs.resolve_types(record_type)
    for attribute in attrs.fields(hints):
        info = field_info(attribute)
        if info is None:
            continue
        if info.is_facet:
            facet_type = attrs.resolve_types(attribute.type)
            for inner in attrs.fields(facet_type):
                inner_info = field_info(inner)
                if inner_info is not None and inner_info.refers_to is not None:
                    many = getattr(inner.type, "__origin__", None) is tuple
                    found.append(((attribute.name, inner.name), many))
        elif info.refers_to is not None:
            found.append(((attribute.name,), False))
    return tuple(found)


def rewrite_references(records: Iterable[Record], id_map: Mapping[str, str]) -> tuple[Record, ...]:
    """Point the references of ``records`` (``account_ref``, ``contact_refs``, ``parent_ref``...)
    at golden ids: every field whose metadata says ``refers_to``.

    A tuple of references keeps one of each id, in order. Maps of successive merges may be
    joined into one: an id mapped to an id that is mapped again is followed to the end.

    >>> from crmcore import Contact, ContactIdentity
    >>> bob = Contact("c-9", ContactIdentity(account_ref="a-2"))
    >>> rewrite_references([bob], {"a-2": "a-1"})[0].identity.account_ref
    'a-1'
    >>> rewrite_references([bob], {"a-2": "a-5", "a-5": "a-1"})[0].identity.account_ref
    'a-1'
    """
    if not isinstance(id_map, Mapping):
        raise MergeError("id_map must map old ids to golden ids")
    if isinstance(records, Record | str | bytes | Mapping) or not isinstance(records, Iterable):
        raise MergeError("rewrite_references takes a sequence of records")
    out: list[Record] = []
    for index, record in enumerate(records):
        if not isinstance(record, Record):
            raise MergeError(f"item {index} is a {type(record).__name__}, not a crmcore record")
        updates: dict[tuple[str, ...], Any] = {}
        kind: Any = type(record)
        for names, many in _reference_chains(kind):
            value: Any = get(record, names)
            new: Any
            if many:
                new = tuple(dict.fromkeys(_target(id_map, ref, record.id) for ref in value))
            else:
                new = value if value is None else _target(id_map, value, record.id)
            if new != value:
                updates[names] = new
        out.append(set_all(record, updates))
    return tuple(out)


def _target(id_map: Mapping[str, str], ref: str, record_id: str) -> str:
    target, seen = ref, {ref}
    while True:
        found = id_map.get(target, target)
        if not isinstance(found, str) or not found.strip():
            raise MergeError(
                f"id_map gives no usable golden id for a reference of {printable(record_id, 100)!r}"
            )
        if found == target:
            return target
        if found in seen:
            raise MergeError(
                f"id_map goes round in a circle from a reference of {printable(record_id, 100)!r}"
            )
        seen.add(found)
        target = found
