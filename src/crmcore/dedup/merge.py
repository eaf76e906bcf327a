"""Merging: one golden record from the records of one cluster, losing nothing.

:func:`merge` takes the records of one cluster (one record type) and answers a :class:`Merged`:
the golden record, where each of its values came from (``provenance``), every value it did not
keep (``history``) and the map of old ids to the golden id (``id_map``), which
:func:`rewrite_references` applies to the references of other records.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from crmcore._safe import printable
from crmcore.cleaning._types import set_all
from crmcore.cleaning.contact_points import merge_contact_points
from crmcore.cleaning.context import CleaningContext
from crmcore.convert import default_converter
from crmcore.dedup._merge_read import (
    ABSENT,
    PathSpec,
    candidates,
    get,
    held,
    paths,
    value_key,
)
from crmcore.dedup._references import rewrite_references
from crmcore.dedup._survivorship_types import computes_value
from crmcore.dedup.errors import MergeError
from crmcore.dedup.survivorship import (
    Candidate,
    SurvivorshipContext,
    SurvivorshipRule,
    SurvivorshipRules,
)
from crmcore.errors import CRMError
from crmcore.records._base import Record
from crmcore.records.custom import CustomFields

__all__ = ["FieldProvenance", "HistoryEntry", "Merged", "merge", "rewrite_references"]

# rewrite_references lives in its own module; it is part of merging's public names.


@attrs.frozen
class FieldProvenance:
    """Where the golden value of one path came from: the records it came from, and the rule.

    ``record_ids`` (sorted) are the records holding the value the rule chose (for a tuple,
    any of its items); for a value the rule computed, such as a sum, every record it was
    computed from. ``rule`` is the rule's dotted name (``crmcore.latest``).
    """

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
    the same golden id; ``id_map`` maps every member id (that one too) to it. ``members`` are
    the records merged, in id order: pass the result as ``into=`` to merge more records into
    it later without counting a member twice.
    """

    golden: Record
    provenance: Mapping[str, FieldProvenance]
    history: tuple[HistoryEntry, ...]
    id_map: Mapping[str, str]
    members: tuple[Record, ...] = ()

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


def _check(
    records: object, *, empty: bool = False, skip: Callable[[Record], bool] | None = None
) -> list[Record]:
    if isinstance(records, Record | str | bytes | Mapping) or not isinstance(records, Iterable):
        raise MergeError("merge takes a sequence of records of one type")
    items = list(records)
    if not items and not empty:
        raise MergeError("merge needs at least one record: a cluster is never empty")
    for index, record in enumerate(items):
        if not isinstance(record, Record):
            raise MergeError(f"item {index} is a {type(record).__name__}, not a crmcore record")
    kinds = sorted({type(r).__name__ for r in items})
    if len(kinds) > 1:
        raise MergeError(f"records of one type merge; got {', '.join(kinds)}")
    if skip is not None:
        items = [record for record in items if not skip(record)]
    seen: set[str] = set()
    for record in items:
        if record.id in seen:
            raise MergeError(f"record id {printable(record.id, 100)!r} is given twice")
        seen.add(record.id)
    return sorted(items, key=lambda r: r.id)


def _members(records: object, into: object) -> list[Record]:
    if into is None:
        return _check(records)
    if not isinstance(into, Merged):
        raise MergeError("into must be the Merged result of an earlier merge")
    golden, golden_key = into.golden, value_key(into.golden)

    def is_golden(record: Record) -> bool:
        return record.id == golden.id and value_key(record) == golden_key

    # The golden record itself, given again, is left out: its members are here already.
    given = _check(records, empty=True, skip=is_golden)
    by_id = {member.id: member for member in into.members or (golden,)}
    by_id.update((record.id, record) for record in given)  # new, or a newer version
    return _check(by_id.values())


def _rule(
    record_type: type[Any], where: PathSpec, rules: SurvivorshipRules
) -> tuple[str, SurvivorshipRule]:
    entry = rules.entry(record_type, where.path) if len(rules) else None
    return (entry.name, entry.rule) if entry is not None else where.rule


def _fail(path: str, name: str, reason: str) -> MergeError:
    return MergeError(f"survivorship rule {name} at {path}: {reason}")


def _choose(
    where: PathSpec,
    found: list[Candidate],
    name: str,
    rule: SurvivorshipRule,
    ctx: SurvivorshipContext,
) -> tuple[Any, tuple[str, ...]]:
    """The rule's choice at one path, checked, and the ids of the records it came from."""
    failure: str | None = None
    try:
        chosen = rule(found, ctx)
    except Exception as exc:  # a rule's own failure, named by path and rule, never by value
        failure = f"raised {type(exc).__name__}"
    if failure is not None:  # raised outside the handler: the chain keeps nothing of it
        raise _fail(where.path, name, failure)
    if computes_value(rule):
        return chosen, tuple(sorted({c.record_id for c in found}))
    keys: dict[Hashable, set[str]] = {}
    for candidate in found:
        keys.setdefault(value_key(candidate.value), set()).add(candidate.record_id)
    if isinstance(chosen, Candidate) or (
        where.many and isinstance(chosen, tuple) and any(isinstance(c, Candidate) for c in chosen)
    ):
        raise _fail(where.path, name, "returned a Candidate, not its value")
    if where.many:
        if not isinstance(chosen, tuple | list):
            raise _fail(where.path, name, f"returned a {type(chosen).__name__}, not a tuple")
        chosen = tuple(chosen)
        items = [keys.get(value_key(item)) for item in chosen]
        if any(ids is None for ids in items):
            raise _fail(where.path, name, "returned an item no record holds")
        return chosen, tuple(sorted(set().union(*(ids for ids in items if ids))))
    ids = keys.get(value_key(chosen))
    if ids is None:
        raise _fail(where.path, name, "returned a value no record holds")
    return chosen, tuple(sorted(ids))


def _checked(record: Record, where: PathSpec, name: str, value: Any, custom: bool) -> None:
    """Check a computed value fits its field (a sum too large does not), naming the rule."""
    try:
        if custom:
            CustomFields({where.names[2]: value})
        else:
            set_all(record, {where.names: value})
    except (CRMError, TypeError, ValueError):
        fits = False
    else:
        fits = True
    if not fits:  # raised outside the handler: the chain keeps nothing of the value
        raise _fail(where.path, name, "computed a value the field does not accept")


def merge(
    records: Iterable[Record],
    rules: SurvivorshipRules | None = None,
    ctx: SurvivorshipContext | None = None,
    *,
    into: Merged | None = None,
) -> Merged:
    """Merge the records of one cluster into a golden record, keeping every value.

    Records are taken in id order, so their input order never changes the result. A record
    alone is its own golden record, unchanged. With ``into``, an earlier result, its members
    merge again with ``records`` (a record with a member's id is a newer version of it; the
    earlier golden record given again is recognised), so nothing is counted twice.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> a = Contact("c-2", ContactIdentity(name=PersonName(given="Ada", family="Lovelace")))
    >>> b = Contact("c-1", ContactIdentity(name=PersonName(given="Ada")))
    >>> merged = merge([a, b])
    >>> merged.golden.id, merged.golden.identity.name.family, dict(merged.id_map)
    ('c-1', 'Lovelace', {'c-1': 'c-1', 'c-2': 'c-1'})
    >>> merged.provenance["identity.name"]
    FieldProvenance(record_ids=('c-2',), rule='crmcore.most_complete')
    """
    members = _members(records, into)
    if rules is not None and not isinstance(rules, SurvivorshipRules):
        raise MergeError("rules must be a SurvivorshipRules")
    if ctx is not None and not isinstance(ctx, SurvivorshipContext):
        raise MergeError("ctx must be a SurvivorshipContext")
    rules = rules if rules is not None else SurvivorshipRules()
    ctx = ctx if ctx is not None else SurvivorshipContext()
    record_type = type(members[0])
    golden_id = members[0].id
    id_map = {member.id: golden_id for member in members}
    if len(members) == 1:
        return _alone(members[0], record_type, rules)
    provenance: dict[str, FieldProvenance] = {}
    candidates_of: dict[str, tuple[PathSpec, list[Candidate]]] = {}
    updates: dict[tuple[str, ...], Any] = {}
    customs: dict[str, dict[str, Any]] = {}
    for where in paths(record_type, members):
        found = candidates(members, where)
        names = where.names
        custom = where.spec is None
        if not found:
            if custom:  # only empty values (an empty list of tags): keep the key, empty
                customs.setdefault(names[0], {})[names[2]] = next(
                    v for m in members if (v := get(m, names)) is not ABSENT
                )
            continue
        name, rule = _rule(record_type, where, rules)
        value, ids = _choose(where, found, name, rule, ctx)
        if computes_value(rule):
            _checked(members[0], where, name, value, custom)
        candidates_of[where.path] = (where, found)
        provenance[where.path] = FieldProvenance(ids, name)
        if custom:
            customs.setdefault(names[0], {})[names[2]] = value
        else:
            updates[names] = value
    for facet, values in customs.items():
        updates[(facet, "custom")] = CustomFields(values)
    updates[("id",)] = golden_id
    refused: str | None = None
    try:
        golden = set_all(members[0], updates)
        golden, _ = merge_contact_points(golden, CleaningContext())
    except CRMError as exc:  # names the field and the reason, never the value
        refused = str(exc)
    if refused is not None:  # raised outside the handler: the chain keeps nothing
        raise MergeError(f"the merged values do not make a record: {refused}")
    return Merged(golden, provenance, _history(golden, candidates_of), id_map, tuple(members))


def _alone(record: Record, record_type: type[Any], rules: SurvivorshipRules) -> Merged:
    provenance = {
        where.path: FieldProvenance((record.id,), _rule(record_type, where, rules)[0])
        for where in paths(record_type, [record])
        if held(get(record, where.names), where.default)
    }
    return Merged(record, provenance, (), {record.id: record.id}, (record,))


def _history(
    golden: Record, candidates_of: Mapping[str, tuple[PathSpec, Sequence[Candidate]]]
) -> tuple[HistoryEntry, ...]:
    history: list[HistoryEntry] = []
    for path in sorted(candidates_of):
        where, found = candidates_of[path]
        final = get(golden, where.names)
        kept = {value_key(item) for item in final} if where.many else {value_key(final)}
        seen: set[tuple[str, Hashable]] = set()
        for candidate in found:
            key = value_key(candidate.value)
            if key not in kept and (candidate.record_id, key) not in seen:
                seen.add((candidate.record_id, key))
                history.append(HistoryEntry(path, candidate.record_id, candidate.value))
    return tuple(history)
