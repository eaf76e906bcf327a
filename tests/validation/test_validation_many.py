"""Validating many records: the same batch report with one process or two."""

from __future__ import annotations

import pickle
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import Contact, InvalidValueError, WorkerError
from crmcore.testing import strategies as crm_st
from crmcore.validation import Context, RuleSet, default_ruleset, validate_many

CTX = Context(datetime(2025, 6, 1, tzinfo=timezone.utc))
RULES = default_ruleset()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(crm_st.contacts(), max_size=8), st.integers(1, 4))
def test_two_workers_give_the_same_batch(contacts: list[Contact], chunk_size: int) -> None:
    one = validate_many(contacts, RULES, CTX)
    two = validate_many(contacts, RULES, CTX, workers=2, chunk_size=chunk_size)
    assert two == one
    assert [report.record_id for report in two.reports] == [c.id for c in contacts]


def test_a_record_that_is_not_one_names_its_place() -> None:
    contact = Contact("c-1")
    with pytest.raises(WorkerError) as caught:
        validate_many([contact, contact, {"id": "x"}], RULES, CTX, workers=2, chunk_size=1)  # type: ignore[list-item]
    assert caught.value.row == 2
    with pytest.raises(InvalidValueError):
        validate_many([contact, {"id": "x"}], RULES, CTX)  # type: ignore[list-item]


def _local_rules() -> RuleSet:
    rules = RuleSet()

    @rules.rule(Contact, codes=())
    def local(record: Contact, ctx: Context) -> list[object]:
        return []

    return rules


def test_a_rule_set_that_does_not_pickle_is_a_clear_error() -> None:
    with pytest.raises(InvalidValueError, match="pickle"):
        validate_many([Contact("c-1")], _local_rules(), CTX, workers=2)


def test_progress_is_reported() -> None:
    seen: list[int] = []
    validate_many(
        [Contact(f"c-{n}") for n in range(5)],
        RULES,
        CTX,
        workers=2,
        chunk_size=2,
        progress=seen.append,
    )
    assert seen == [2, 4, 5]


def test_a_context_with_policies_and_options_pickles_equal() -> None:
    from crmcore.validation.context import Pipelines, StalenessPolicy

    ctx = Context(
        datetime(2025, 6, 1, tzinfo=timezone.utc),
        staleness=StalenessPolicy(),
        pipelines=Pipelines({"sales": ["lead", "won"]}, default="sales"),
        options={"team": "north"},
    )
    back = pickle.loads(pickle.dumps(ctx))
    assert back == ctx
    assert back.options["team"] == "north"
