"""Properties of validation over arbitrary valid records (from ``crmcore.testing``)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import Record
from crmcore.testing import strategies as crm_st
from crmcore.validation import (
    BUILTIN_CODES,
    Context,
    Pipelines,
    StalenessPolicy,
    default_ruleset,
    validate,
    validate_many,
)

RULES = default_ruleset()
DEFAULT_SEVERITY = {code.name: code.severity for code in BUILTIN_CODES}
CONTEXTS = st.builds(
    Context,
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.just(timezone.utc),
    ),
    default_region=st.sampled_from([None, "FR", "US", "GB", "JP"]),
    staleness=st.sampled_from([None, StalenessPolicy(), StalenessPolicy(unknown_is_stale=True)]),
    pipelines=st.sampled_from([None, Pipelines({"sales": ["lead", "won"]}, default="sales")]),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(crm_st.records(), CONTEXTS)
def test_validate_never_raises_and_reports_only_documented_codes(
    record: Record, ctx: Context
) -> None:
    report = validate(record, RULES, ctx)
    assert report.record_id == record.id
    assert report.record_type == type(record).__name__
    for issue in report.issues:
        assert issue.code in DEFAULT_SEVERITY, issue.code
        assert issue.code != "validator.crashed", issue.message
        assert issue.severity is DEFAULT_SEVERITY[issue.code]
        assert issue.record_id == record.id
        assert issue.path
        assert issue.category is not None


@SETTINGS
@given(crm_st.records(), CONTEXTS)
def test_validation_is_deterministic_and_json_safe(record: Record, ctx: Context) -> None:
    first = validate(record, RULES, ctx)
    assert validate(record, default_ruleset(), ctx) == first
    data = first.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data


@SETTINGS
@given(st.lists(crm_st.records(), max_size=5), CONTEXTS)
def test_a_batch_counts_what_its_reports_hold(records: list[Record], ctx: Context) -> None:
    batch = validate_many(records, RULES, ctx)
    summary = batch.summary
    issues = [issue for report in batch.reports for issue in report.issues]
    assert summary.records == len(records)
    assert summary.issues == len(issues) == sum(summary.by_code.values())
    assert sum(summary.by_severity.values()) == sum(summary.by_category.values()) == len(issues)
    assert summary.records_with_errors == sum(not report.ok for report in batch.reports)
    json.dumps(batch.to_dict(), allow_nan=False)


@SETTINGS
@given(crm_st.records(), CONTEXTS)
def test_regrading_changes_severities_and_nothing_else(record: Record, ctx: Context) -> None:
    rules = default_ruleset()
    for code in BUILTIN_CODES:
        rules.regrade(code.name, "info")
    plain, regraded = validate(record, RULES, ctx), validate(record, rules, ctx)
    assert [(i.path, i.code) for i in plain.issues] == [(i.path, i.code) for i in regraded.issues]
    assert regraded.ok
    assert all(issue.severity.value == "info" for issue in regraded.issues)
