"""Shared checks of the merge tests: generated clusters and what "nothing is lost" means.

A cluster is drawn as one record and variations of it: each other member takes each facet (and
each record-level field) from the first record or from a record of its own, so members share
some values, differ in others, and carry custom fields (of any type, under shared names) and
quarantined values. Values are compared by :func:`value_key`, which tells apart what ``==``
does not, independently of the key merging itself uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from crmcore import Account, Activity, Contact, CustomFields, CustomType, Deal
from crmcore.dedup import Merged
from crmcore.records.introspect import fields
from crmcore.testing import strategies as crm_st

__all__ = [
    "BUILTIN",
    "PROPERTY",
    "RECORD_TYPES",
    "any_cluster",
    "assert_history_is_true",
    "assert_nothing_lost",
    "assert_provenance_is_true",
    "clusters",
    "held",
    "value_key",
]

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FACETS = ("identity", "descriptive", "qualitative", "quantitative")
RECORD_LEVEL = ("created_at", "updated_at", "source", "last_verified_at", "quarantine")
STRATEGIES: dict[type[Any], Callable[[], st.SearchStrategy[Any]]] = {
    Contact: crm_st.contacts,
    Account: crm_st.accounts,
    Deal: crm_st.deals,
    Activity: crm_st.activities,
}

# Custom values of every type under a few shared names, so that members disagree on the type
# too: 0 and False, 1 and Decimal("1"), "1.0" and "1.00" must stay distinct values.
_custom_value = st.one_of(
    st.sampled_from([0, 1, False, True, Decimal("1"), Decimal("1.0"), "gold", ("a", "b")]),
    *(crm_st.custom_values(kind) for kind in CustomType),
)
_tags = st.sampled_from([(), ("a",), ("a", "b"), ("b", "a"), ("c",)])
# "tier" holds anything, "tags" lists of text (merged item by item), "flag" single values.
_custom = st.fixed_dictionaries(
    {},
    optional={
        "tier": _custom_value,
        "tags": _tags | crm_st.custom_values(CustomType.STRINGS),
        "flag": _custom_value.filter(lambda value: not isinstance(value, tuple)),
    },
)


@st.composite
def _member(draw: st.DrawFn, base: Any, record_type: type[Any]) -> Any:
    own = draw(STRATEGIES[record_type]())
    changes: dict[str, Any] = {}
    for name in FACETS:
        facet = getattr(own if draw(st.booleans()) else base, name)
        if draw(st.booleans()):
            facet = attrs.evolve(facet, custom=CustomFields(draw(_custom)))
        changes[name] = facet
    for name in RECORD_LEVEL:
        changes[name] = getattr(own if draw(st.booleans()) else base, name)
    return attrs.evolve(base, **changes)


@st.composite
def clusters(draw: st.DrawFn, record_type: type[Any], max_size: int = 4) -> list[Any]:
    """Records of one type, distinct ids, that share some values and differ in others."""
    base = draw(STRATEGIES[record_type]())
    count = draw(st.integers(1, max_size))
    members = [base] + [draw(_member(base, record_type)) for _ in range(count - 1)]
    ids = draw(
        st.lists(
            st.text("abcxyz0189-", min_size=1, max_size=4),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    return [attrs.evolve(member, id=i) for member, i in zip(members, ids, strict=True)]


RECORD_TYPES = sorted(STRATEGIES, key=lambda t: t.__name__)
any_cluster = st.sampled_from(RECORD_TYPES).flatmap(clusters)


# -- what a record holds, path by path --------------------------------------------------------


def value_key(value: Any) -> Any:
    """A key that tells apart what ``==`` does not: 0 and False, 1.0 and 1.00, UTC offsets."""
    kind = type(value)
    if attrs.has(kind):
        return (kind, tuple(value_key(getattr(value, a.name)) for a in attrs.fields(kind)))
    if isinstance(value, tuple):
        return (tuple, tuple(value_key(item) for item in value))
    if isinstance(value, CustomFields):
        return (CustomFields, tuple((k, value_key(v)) for k, v in value.items()))
    if isinstance(value, datetime):
        return (datetime, value.isoformat())
    if isinstance(value, Decimal | float):
        return (kind, str(value))
    return (kind, value)


def _paths(records: list[Any]) -> list[tuple[str, bool]]:
    found = {
        (spec.path, getattr(spec.type, "__origin__", None) is tuple)
        for spec in fields(type(records[0]))
        if spec.path != "id"
    }
    lists: dict[str, bool] = {}
    for record in records:
        for facet in FACETS:
            for key, value in getattr(record, facet).custom.items():
                path = f"{facet}.custom.{key}"
                lists[path] = lists.get(path, True) and isinstance(value, tuple)
    return sorted(found | set(lists.items()))


def _default(record_type: type[Any], path: str) -> Any:
    if ".custom." in path:
        return None
    owner: Any = record_type
    *head, last = path.split(".")
    for part in head:
        owner = attrs.resolve_types(attrs.fields_dict(owner)[part].type)
    default = attrs.fields_dict(attrs.resolve_types(owner))[last].default
    return default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[arg-type]


def _at(record: Any, path: str) -> Any:
    parts = path.split(".")
    if len(parts) == 3:
        return getattr(record, parts[0]).custom.get(parts[2])
    value = record
    for part in parts:
        value = getattr(value, part)
    return value


def held(record: Any, path: str, many: bool) -> list[Any]:
    """The values ``record`` holds at ``path``: none for an empty or default value."""
    value = _at(record, path)
    if value is None or value == () or value_key(value) == value_key(_default(type(record), path)):
        return []
    return list(value) if many else [value]


# -- the properties ---------------------------------------------------------------------------


def assert_nothing_lost(records: list[Any], merged: Merged) -> None:
    kept_in_history = {(h.path, h.record_id, value_key(h.value)) for h in merged.history}
    for path, many in _paths(records):
        golden = {value_key(v) for v in held(merged.golden, path, many)}
        for record in records:
            for value in held(record, path, many):
                key = value_key(value)
                assert key in golden or (path, record.id, key) in kept_in_history, (path, record.id)


def assert_history_is_true(records: list[Any], merged: Merged) -> None:
    """History holds only values the named record really held at that path, each once."""
    by_id = {record.id: record for record in records}
    paths = dict(_paths(records))
    seen = set()
    for entry in merged.history:
        assert entry.record_id in by_id
        key = (entry.path, entry.record_id, value_key(entry.value))
        assert key not in seen
        seen.add(key)
        values = held(by_id[entry.record_id], entry.path, paths[entry.path])
        assert value_key(entry.value) in {value_key(v) for v in values}


def assert_provenance_is_true(records: list[Any], merged: Merged, rules: set[str]) -> None:
    ids = {record.id for record in records}
    for path, provenance in merged.provenance.items():
        assert provenance.record_ids, path
        assert set(provenance.record_ids) <= ids, path
        assert list(provenance.record_ids) == sorted(set(provenance.record_ids)), path
        assert provenance.rule in rules, (path, provenance.rule)
    for path, many in _paths(records):
        if held(merged.golden, path, many):
            assert path in merged.provenance, path


BUILTIN = {
    "crmcore.latest",
    "crmcore.earliest",
    "crmcore.trusted_source",
    "crmcore.most_complete",
    "crmcore.most_frequent",
    "crmcore.union",
    "crmcore.maximum",
    "crmcore.total",
}
