"""Merging loses nothing, for every record type: Hypothesis properties over generated clusters.

The clusters and the checks are in ``tests/_merge_checks.py``, shared with the other merge tests.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from _merge_checks import (
    BUILTIN,
    PROPERTY,
    RECORD_TYPES,
    any_cluster,
    assert_history_is_true,
    assert_nothing_lost,
    assert_provenance_is_true,
    clusters,
    value_key,
)
from crmcore.dedup import (
    SurvivorshipContext,
    SurvivorshipRules,
    earliest,
    latest,
    maximum,
    merge,
    most_complete,
    most_frequent,
    trusted_source,
)
from crmcore.records import Record, Source
from crmcore.records.introspect import fields


@PROPERTY
@given(any_cluster)
def test_every_distinct_input_value_is_in_the_golden_record_or_its_history(
    records: list[Record],
) -> None:
    merged = merge(records)
    assert_nothing_lost(records, merged)
    assert_history_is_true(records, merged)
    assert_provenance_is_true(records, merged, BUILTIN)
    assert type(merged.golden) is type(records[0])
    assert merged.golden.id == min(record.id for record in records)
    assert dict(merged.id_map) == {record.id: merged.golden.id for record in records}
    json.dumps(merged.to_dict())


@PROPERTY
@given(any_cluster, st.randoms(use_true_random=False))
def test_any_order_gives_the_same_golden_record_provenance_and_history(
    records: list[Record], rnd: Any
) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    one, two = merge(records), merge(shuffled)
    assert value_key(one.golden) == value_key(two.golden)
    assert [(h.path, h.record_id, value_key(h.value)) for h in one.history] == [
        (h.path, h.record_id, value_key(h.value)) for h in two.history
    ]
    assert dict(one.provenance) == dict(two.provenance)
    assert list(one.provenance) == list(two.provenance)
    assert one.to_dict() == two.to_dict()


@PROPERTY
@given(st.sampled_from(RECORD_TYPES).flatmap(lambda t: clusters(t, max_size=1)))
def test_merging_one_record_returns_it_unchanged(records: list[Record]) -> None:
    (record,) = records
    merged = merge(records)
    assert value_key(merged.golden) == value_key(record)
    assert merged.history == ()
    assert dict(merged.id_map) == {record.id: record.id}
    assert all(p.record_ids == (record.id,) for p in merged.provenance.values())


@PROPERTY
@given(any_cluster)
def test_merging_again_with_the_inputs_changes_nothing(records: list[Record]) -> None:
    merged = merge(records)
    again = merge(records, into=merged)
    assert value_key(again.golden) == value_key(merged.golden)
    assert again.history == merged.history
    assert dict(again.provenance) == dict(merged.provenance)
    golden_too = merge([*records, merged.golden], into=merged)
    assert value_key(golden_too.golden) == value_key(merged.golden)


SCALAR_RULES = {
    "crmcore.latest": latest,
    "crmcore.earliest": earliest,
    "crmcore.trusted_source": trusted_source,
    "crmcore.most_complete": most_complete,
    "crmcore.most_frequent": most_frequent,
    "crmcore.maximum": maximum,
}


@st.composite
def _rules(draw: st.DrawFn, record_type: type[Any]) -> SurvivorshipRules:
    rules = SurvivorshipRules()
    for spec in fields(record_type):
        many = getattr(spec.type, "__origin__", None) is tuple
        if spec.path == "id" or many or not draw(st.booleans()):
            continue
        name = draw(st.sampled_from(sorted(SCALAR_RULES)))
        rules.add(record_type, spec.path, SCALAR_RULES[name], name=name)
    for facet in ("identity", "descriptive", "qualitative", "quantitative"):
        for key in ("flag",):  # one value in every record: a scalar path
            if draw(st.booleans()):
                name = draw(st.sampled_from(sorted(SCALAR_RULES)))
                rules.add(record_type, f"{facet}.custom.{key}", SCALAR_RULES[name], name=name)
    return rules


@st.composite
def _cluster_rules_ctx(draw: st.DrawFn) -> tuple[list[Any], SurvivorshipRules, Any]:
    records = draw(any_cluster)
    rules = draw(_rules(type(records[0])))
    priorities = draw(st.lists(st.sampled_from(Source), unique=True))
    return records, rules, SurvivorshipContext(source_priorities=priorities)


@PROPERTY
@given(_cluster_rules_ctx(), st.randoms(use_true_random=False))
def test_nothing_is_lost_and_order_does_not_count_whatever_the_rules(
    drawn: tuple[list[Any], SurvivorshipRules, SurvivorshipContext], rnd: Any
) -> None:
    records, rules, ctx = drawn
    merged = merge(records, rules, ctx)
    assert_nothing_lost(records, merged)
    assert_history_is_true(records, merged)
    assert_provenance_is_true(records, merged, BUILTIN)
    for entry in rules:
        if entry.path in merged.provenance and len(records) > 1:
            assert merged.provenance[entry.path].rule == entry.name
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert merge(shuffled, rules, ctx).to_dict() == merged.to_dict()
