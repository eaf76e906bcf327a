"""Merging: one golden record from the records of one cluster, losing nothing.

:func:`merge` takes the records of one cluster (one record type) and answers a :class:`Merged`:
the golden record, where each of its values came from (``provenance``), every value it did not
keep (``history``) and the map of old ids to the golden id (``id_map``), which
:func:`rewrite_references` applies to the references of other records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from crmcore.cleaning._types import set_all
from crmcore.cleaning.contact_points import merge_contact_points
from crmcore.cleaning.context import CleaningContext
from crmcore.convert import default_converter
from crmcore.dedup.errors import MergeError
from crmcore.dedup.survivorship import (
    Candidate,
    SurvivorshipContext,
    SurvivorshipRules,
    default_rule,
)
from crmcore.errors import CRMError
from crmcore.records._base import Record
from crmcore.records._meta import field_info
from crmcore.records.custom import CustomFields
from crmcore.records.introspect import FieldSpec, fields

__all__ = ["FieldProvenance", "HistoryEntry", "Merged", "merge", "rewrite_references"]


@attrs.frozen
class FieldProvenance:
    """Where the golden value of one path came from: the record ids that held a value, the rule."""

    record_ids: tuple[str, ...]
    rule: str


@attrs.frozen(repr=False)
class HistoryEntry:
    """One value the golden record did not keep: its path, its record and the value."""

    path: str
    record_id: str
    value: Any

    def __repr__(self) -> str:  # never the value
        return f"HistoryEntry(path={self.path!r}, record_id={self.record_id!r})"


@attrs.frozen(repr=False)
class Merged:
    """The result of :func:`merge`.

    ``golden`` keeps the id of the member whose id sorts first, so the same members always give
    the same golden id; ``id_map`` maps every member id (that one too) to it.
    """

    golden: Record
    provenance: Mapping[str, FieldProvenance]
    history: tuple[HistoryEntry, ...]
    id_map: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict: the golden record and history values as crmcore writes them."""
        converter = default_converter()
        return {
            "golden": converter.to_dict(self.golden),
            "provenance": {
                path: {"record_ids": list(p.record_ids), "rule": p.rule}
                for path, p in self.provenance.items()
            },
            "history": [
                {
                    "path": h.path,
                    "record_id": h.record_id,
                    "value": converter.cattrs.unstructure(h.value),
                }
                for h in self.history
            ],
            "id_map": dict(self.id_map),
        }

    def __repr__(self) -> str:
        return (
            f"Merged(golden_id={self.golden.id!r}, members={len(self.id_map)}, "
            f"history=<{len(self.history)} value(s)>)"
        )


_EMPTY: Any = object()


def _default(spec_attr: attrs.Attribute[Any]) -> Any:
    default: Any = spec_attr.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()
    return default


def _check(records: object) -> list[Record]:
    if isinstance(records, Record | str | bytes) or not isinstance(records, Iterable):
        raise MergeError("merge takes a sequence of records")
    items = list(records)
    if not items:
        raise MergeError("merge needs at least one record")
    for index, record in enumerate(items):
        if not isinstance(record, Record):
            raise MergeError(f"item {index} is not a crmcore record")
    kinds = sorted({type(r).__name__ for r in items})
    if len(kinds) > 1:
        raise MergeError(f"records of one type merge; got {', '.join(kinds)}")
    seen: set[str] = set()
    for record in items:
        if record.id in seen:
            raise MergeError(f"record id {record.id!r} is given twice")
        seen.add(record.id)
    return sorted(items, key=lambda r: r.id)


def _chain(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def _get(record: Record, chain: tuple[str, ...]) -> Any:
    value: Any = record
    for name in chain:
        value = getattr(value, name)
    return value


def _defaults(record_type: type[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for attribute in attrs.fields(attrs.resolve_types(record_type)):
        info = field_info(attribute)
        if info is not None and info.is_facet:
            for inner in attrs.fields(attrs.resolve_types(attribute.type)):
                found[f"{attribute.name}.{inner.name}"] = _default(inner)
        else:
            found[attribute.name] = _default(attribute)
    return found


def _candidates(records: Sequence[Record], path: str, empty: Any, many: bool) -> list[Candidate]:
    chain = _chain(path)
    found: list[Candidate] = []
    for record in records:
        value = _get(record, chain) if len(chain) < 3 else record_custom(record, chain)
        if value is _EMPTY or value is None or value == empty or value == ():
            continue
        for item in value if many else (value,):
            found.append(
                Candidate(
                    item,
                    record.id,
                    getattr(item, "source", None) or record.source,
                    getattr(item, "collected_at", None),
                    getattr(item, "verified_at", None) or record.last_verified_at,
                    record.updated_at,
                )
            )
    return found


def record_custom(record: Record, chain: tuple[str, ...]) -> Any:
    custom: CustomFields = getattr(record, chain[0]).custom
    return custom.get(chain[2], _EMPTY)


def _custom_paths(records: Sequence[Record]) -> list[str]:
    paths: set[str] = set()
    for record in records:
        for attribute in attrs.fields(type(record)):
            info = field_info(attribute)
            if info is not None and info.is_facet:
                facet = getattr(record, attribute.name)
                paths.update(f"{attribute.name}.custom.{key}" for key in facet.custom)
    return sorted(paths)


def _choose(
    record_type: type[Any],
    path: str,
    candidates: list[Candidate],
    spec: FieldSpec | None,
    rules: SurvivorshipRules,
    ctx: SurvivorshipContext,
) -> tuple[Any, str]:
    entry = rules.entry(record_type, path)
    if entry is not None:
        name, rule = entry.name, entry.rule
    elif spec is not None:
        name, rule = default_rule(spec)
    else:
        from crmcore.dedup.survivorship import latest

        name, rule = "crmcore.latest", latest
    try:
        return rule(candidates, ctx), name
    except CRMError:
        raise
    except Exception as exc:  # a rule's own failure, named by path and rule, not by value
        raise MergeError(f"rule {name} failed at {path}: {type(exc).__name__}") from None


def merge(
    records: Iterable[Record],
    rules: SurvivorshipRules | None = None,
    ctx: SurvivorshipContext | None = None,
) -> Merged:
    """Merge the records of one cluster into a golden record, keeping every value.

    Records are taken in id order, so their input order never changes the result.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> a = Contact("c-2", ContactIdentity(name=PersonName(given="Ada", family="Lovelace")))
    >>> b = Contact("c-1", ContactIdentity(name=PersonName(given="Ada")))
    >>> merged = merge([a, b])
    >>> merged.golden.id, merged.golden.identity.name.family, dict(merged.id_map)
    ('c-1', 'Lovelace', {'c-1': 'c-1', 'c-2': 'c-1'})
    >>> merged.provenance["identity.name"].rule
    'crmcore.most_complete'
    """
    members = _check(records)
    if rules is not None and not isinstance(rules, SurvivorshipRules):
        raise MergeError("rules must be a SurvivorshipRules")
    if ctx is not None and not isinstance(ctx, SurvivorshipContext):
        raise MergeError("ctx must be a SurvivorshipContext")
    rules = rules if rules is not None else SurvivorshipRules()
    ctx = ctx if ctx is not None else SurvivorshipContext()
    record_type = type(members[0])
    defaults = _defaults(record_type)
    golden_id = members[0].id
    provenance: dict[str, FieldProvenance] = {}
    candidates_of: dict[str, list[Candidate]] = {}
    updates: dict[tuple[str, ...], Any] = {}
    many_paths: set[str] = set()
    for spec in fields(record_type):
        if spec.path == "id":
            continue
        many = getattr(spec.type, "__origin__", None) is tuple
        found = _candidates(members, spec.path, defaults.get(spec.path), many)
        if not found:
            continue
        value, rule = _choose(record_type, spec.path, found, spec, rules, ctx)
        candidates_of[spec.path] = found
        if many:
            many_paths.add(spec.path)
        updates[_chain(spec.path)] = value
        provenance[spec.path] = FieldProvenance(
            tuple(dict.fromkeys(c.record_id for c in found)), rule
        )
    customs: dict[str, dict[str, Any]] = {}
    for path in _custom_paths(members):
        found = _candidates(members, path, _EMPTY, False)
        facet, _, key = path.split(".")
        if not found:  # only empty values (an empty list of tags): keep the key, empty
            customs.setdefault(facet, {})[key] = next(
                v for m in members if (v := record_custom(m, _chain(path))) is not _EMPTY
            )
            continue
        value, rule = _choose(record_type, path, found, None, rules, ctx)
        candidates_of[path] = found
        customs.setdefault(facet, {})[key] = value
        provenance[path] = FieldProvenance(tuple(dict.fromkeys(c.record_id for c in found)), rule)
    for facet, values in customs.items():
        updates[(facet, "custom")] = CustomFields(values)
    updates[("id",)] = golden_id
    try:
        golden = set_all(members[0], updates)
        golden, _ = merge_contact_points(golden, CleaningContext())
    except CRMError as exc:  # the exception names the field and the reason, never the value
        raise MergeError(f"the merged values do not make a record: {exc}") from None
    history: list[HistoryEntry] = []
    for path in sorted(candidates_of):
        chain = _chain(path)
        final = _get(golden, chain) if len(chain) < 3 else record_custom(golden, chain)
        seen: set[tuple[str, Any]] = set()
        for candidate in candidates_of[path]:
            kept = candidate.value in final if path in many_paths else candidate.value == final
            seen_key = (candidate.record_id, candidate.value)
            if not kept and seen_key not in seen:
                seen.add(seen_key)
                history.append(HistoryEntry(path, candidate.record_id, candidate.value))
    return Merged(
        golden,
        provenance,
        tuple(history),
        {member.id: golden_id for member in members},
    )


def _reference_chains(record_type: type[Any]) -> list[tuple[tuple[str, ...], bool]]:
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
    return found


def rewrite_references(records: Iterable[Record], id_map: Mapping[str, str]) -> tuple[Record, ...]:
    """Point the references of ``records`` (``account_ref``, ``contact_refs``, ``parent_ref``...)
    at golden ids: every field whose metadata says ``refers_to``.

    A tuple of references keeps one of each id, in order.

    >>> from crmcore import Contact, ContactIdentity
    >>> bob = Contact("c-9", ContactIdentity(account_ref="a-2"))
    >>> rewrite_references([bob], {"a-2": "a-1"})[0].identity.account_ref
    'a-1'
    """
    if not isinstance(id_map, Mapping):
        raise MergeError("id_map must map old ids to golden ids")
    out: list[Record] = []
    for index, record in enumerate(records):
        if not isinstance(record, Record):
            raise MergeError(f"item {index} is not a crmcore record")
        updates: dict[tuple[str, ...], Any] = {}
        for chain, many in _reference_chains(type(record)):
            value: Any = _get(record, chain)
            new: Any
            if many:
                new = tuple(dict.fromkeys(id_map.get(ref, ref) for ref in value))
            else:
                new = value if value is None else id_map.get(value, value)
            if new != value:
                updates[chain] = new
        out.append(set_all(record, updates))
    return tuple(out)
