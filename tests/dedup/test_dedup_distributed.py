"""The distributed engine gives what one process gives: clusters, ids, order, review, scores.

Dask's local schedulers (synchronous, threads, processes) stand in for a cluster: the tasks
and the shuffles between them are the same.
"""

from __future__ import annotations

import functools
import random
import subprocess
import sys
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.dedup._distributed_checks import AS_OF, assert_same, cleaned

from crmcore import (
    Account,
    Contact,
    ContactIdentity,
    CRMError,
    InvalidValueError,
    PersonName,
    PostalAddress,
)
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.dedup import (
    AccountMatcher,
    BlockingRules,
    ContactMatcher,
    DedupeResult,
    DedupError,
    MissingExtraError,
    birth_day_keys,
    block,
    candidate_pairs_bag,
    dedupe_bag,
)
from crmcore.dedup._extras import dask_module
from crmcore.testing import strategies as crm_st
from crmcore.testing.synthetic import messy_dataset

dask = pytest.importorskip("dask")
db = pytest.importorskip("dask.bag")


@functools.cache
def _accounts(seed: int) -> tuple[Account, ...]:
    rows = messy_dataset(seed, AS_OF, contacts=20, accounts=120).accounts
    ctx = CleaningContext(as_of=AS_OF)
    return tuple(clean_raw(Account, row, ctx).record for row in rows)


@functools.cache
def _in_process(seed: int, contacts: int) -> DedupeResult:
    return ContactMatcher().dedupe(cleaned(seed, contacts))


@pytest.mark.parametrize("scheduler", ["synchronous", "threads"])
@pytest.mark.parametrize("partitions", [1, 3, 8])
def test_partitions_give_the_clusters_and_scores_of_one_process(
    scheduler: str, partitions: int
) -> None:
    # A low review threshold: the model leaves no pair of these contacts between 0.5 and 0.9.
    expected = ContactMatcher(review_threshold=0.01).dedupe(cleaned(7, 300))
    matcher = ContactMatcher(model=expected.model, review_threshold=0.01)
    with dask.config.set(scheduler=scheduler):
        found = dedupe_bag(cleaned(7, 300), matcher, partitions=partitions, keep_all=True)
    assert len(expected.duplicates) > 10  # the data set has duplicates to find
    assert expected.review  # and pairs to review
    assert_same(found, expected, every_pair=True)


def test_the_processes_scheduler_fits_the_model_of_one_process() -> None:
    records = cleaned(5, 120)
    expected = ContactMatcher().dedupe(records)
    with dask.config.set(scheduler="processes", num_workers=2):
        found = dedupe_bag(records, partitions=3)
    assert_same(found, expected, every_pair=False)


def test_a_bag_in_any_order_gives_the_same_result() -> None:
    expected = _in_process(7, 300)
    records = list(cleaned(7, 300))
    random.Random(4).shuffle(records)
    with dask.config.set(scheduler="synchronous"):
        found = dedupe_bag(db.from_sequence(records, npartitions=5))
    assert_same(found, expected, every_pair=False)
    assert len(found.pairs) < found.candidates  # only the pairs worth keeping come back


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(cleaned(5, 80)), st.integers(1, 6))
def test_records_in_any_order_and_partitions_give_the_in_process_result(
    records: list[Contact], partitions: int
) -> None:
    expected = ContactMatcher().dedupe(cleaned(5, 80))
    with dask.config.set(scheduler="synchronous"):
        found = dedupe_bag(records, partitions=partitions)
    assert_same(found, expected, every_pair=False)


def test_a_list_of_partitions_is_one_partition_each() -> None:
    expected = _in_process(7, 300)
    records = cleaned(7, 300)
    parts = [list(records[:50]), list(records[50:60]), [], list(records[60:])]
    with dask.config.set(scheduler="synchronous"):
        found = dedupe_bag(parts, ContactMatcher(model=expected.model))
    assert_same(found, expected, every_pair=False)


def test_blocks_too_large_are_skipped_as_in_process() -> None:
    matcher = ContactMatcher(max_block_size=2)
    expected = matcher.dedupe(cleaned(3, 200))
    assert expected.blocking.skipped
    with dask.config.set(scheduler="synchronous"):
        found = dedupe_bag(cleaned(3, 200), matcher, partitions=4, keep_all=True)
    assert_same(found, expected, every_pair=True)


def _jeans() -> list[Contact]:
    days = [date(1980, 1, 2), date(1980, 2, 1), date(1991, 3, 4)]
    return [
        Contact(
            f"c-{n:04d}",
            ContactIdentity(
                name=PersonName(given="Jean", family="Martin" if n % 5 else "Martine"),
                addresses=(
                    PostalAddress(
                        lines=("5 Rue de Rivoli",), postal_code=f"{75001 + n % 3}", country="FR"
                    ),
                ),
                birth_date=days[n // 3 % 3] if n % 3 == 0 else None,
            ),
        )
        for n in range(90)
    ]


def test_large_blocks_are_split_as_in_process() -> None:
    records = _jeans()
    matcher = ContactMatcher(max_block_size=40)
    expected = block(records, matcher.blocking_rules, max_block_size=40)
    assert sum(rule.split_pairs for rule in expected.rules) > 200
    with dask.config.set(scheduler="synchronous"):
        found = candidate_pairs_bag(records, matcher, partitions=3).compute()
    assert sorted(found, key=lambda p: (p.left, p.right)) == list(expected.pairs)


@pytest.mark.parametrize("split", ["window", "rules", "none"])
def test_the_matchers_split_settings_split_as_in_process(split: str) -> None:
    records = _jeans()
    only_dates = BlockingRules()
    only_dates.add(Contact, birth_day_keys(), name="acme.born")
    keywords: dict[str, Any] = {
        "window": {"split_window": 3},
        "rules": {"split_rules": only_dates},
        "none": {"split_window": None},
    }[split]
    matcher = ContactMatcher(max_block_size=40, **keywords)
    expected = block(records, matcher.blocking_rules, max_block_size=40, **keywords)
    default = block(records, matcher.blocking_rules, max_block_size=40)
    assert expected.pairs != default.pairs
    with dask.config.set(scheduler="synchronous"):
        found = candidate_pairs_bag(records, matcher, partitions=3).compute()
    assert sorted(found, key=lambda p: (p.left, p.right)) == list(expected.pairs)


def test_accounts_are_deduplicated_as_in_process() -> None:
    records = _accounts(2)
    expected = AccountMatcher().dedupe(records)
    assert len(expected.pairs) > 100
    with dask.config.set(scheduler="synchronous"):
        found = dedupe_bag(records, AccountMatcher(), partitions=3, keep_all=True)
    assert_same(found, expected, every_pair=True)


def test_must_and_cannot_links_are_honoured_as_in_process() -> None:
    expected_all = _in_process(7, 300)
    first = expected_all.duplicates[0].members
    must = [(expected_all.clusters[-1].id, expected_all.clusters[-2].id)]
    cannot = [(first[0], first[1])]
    matcher = ContactMatcher(model=expected_all.model)
    expected = matcher.dedupe(cleaned(7, 300), must_link=must, cannot_link=cannot)
    with dask.config.set(scheduler="synchronous"):
        found = dedupe_bag(
            cleaned(7, 300), matcher, partitions=3, must_link=must, cannot_link=cannot
        )
    assert found.clusters == expected.clusters
    assert found.clusters != expected_all.clusters


def test_candidate_pairs_are_those_of_block() -> None:
    records = cleaned(7, 300)
    expected = block(records)
    with dask.config.set(scheduler="synchronous"):
        found = candidate_pairs_bag(records, partitions=4).compute()
    assert sorted(found, key=lambda p: (p.left, p.right)) == list(expected.pairs)


def test_a_model_is_fitted_on_a_sample_beyond_fit_sample_records() -> None:
    records = cleaned(7, 300)
    with dask.config.set(scheduler="synchronous"):
        one = dedupe_bag(records, partitions=1, fit_sample=150)
        four = dedupe_bag(records[::-1], partitions=4, fit_sample=150)
    assert one.model == four.model  # the sample is drawn by ids, not by partition
    assert one.model != _in_process(7, 300).model
    assert one.clusters == four.clusters
    assert len(one.duplicates) >= 0.8 * len(_in_process(7, 300).duplicates)


def test_empty_input_gives_an_empty_result() -> None:
    with dask.config.set(scheduler="synchronous"):
        found = dedupe_bag([], partitions=3)
    assert found.clusters.clusters == ()
    assert found.review == ()
    assert len(found.pairs) == 0
    assert found.candidates == 0
    assert found.model.record_type == "Contact"
    assert repr(found) == (
        "DistributedResult(records=0, candidates=0, clusters=0, duplicates=0, review=0)"
    )


def test_records_with_nothing_to_compare_stay_singletons_and_are_counted() -> None:
    records = [Contact(f"c-{n}") for n in range(5)]
    expected = ContactMatcher().dedupe(records)
    with dask.config.set(scheduler="synchronous"):
        found = dedupe_bag(records, partitions=2)
    assert found.clusters == expected.clusters
    assert found.unkeyed == tuple(f"c-{n}" for n in range(5))


def test_explain_tells_levels_and_weights_of_a_kept_pair() -> None:
    expected = _in_process(7, 300)
    left, right = expected.duplicates[0].members[:2]
    with dask.config.set(scheduler="synchronous"):
        found = dedupe_bag(cleaned(7, 300), ContactMatcher(model=expected.model), partitions=2)
    assert found.explain(right, left) == expected.explain(left, right)


# -- bad input -----------------------------------------------------------------------------------

_PLANTED = "Zqxplanted"


def _planted(record_id: str) -> Contact:
    return Contact(record_id, ContactIdentity(name=PersonName(given=_PLANTED, family=_PLANTED)))


@pytest.mark.parametrize(
    ("records", "pattern"),
    [
        ([_planted("c-1"), {"id": "c-2", "given": _PLANTED}], r"partition 0, item 1 is a mapping"),
        ([_planted("c-1"), _PLANTED], r"partition 0, item 1 is not a crmcore record \(str\)"),
        ([_planted("c-1"), Account("a-1")], r"item 1 \(id 'a-1'\) is of type Account"),
        ([_planted("c-1"), _planted("c-2"), _planted("c-1")], r"record id 'c-1' is repeated"),
        (_planted("c-1"), "expected a Dask bag or an iterable"),
        (_PLANTED, "expected a Dask bag or an iterable"),
    ],
)
def test_bad_records_are_refused_by_position_or_id_never_by_value(
    records: Any, pattern: str
) -> None:
    with dask.config.set(scheduler="synchronous"), pytest.raises(InvalidValueError) as raised:
        dedupe_bag(records, partitions=1)
    assert raised.match(pattern)
    assert _PLANTED.lower() not in str(raised.value).lower()


def test_a_model_for_another_record_type_is_refused() -> None:
    model = _in_process(7, 300).model
    with pytest.raises(DedupError, match="the model is for Contact records"):
        AccountMatcher(model=model)
    with dask.config.set(scheduler="synchronous"), pytest.raises(InvalidValueError):
        dedupe_bag(cleaned(7, 300)[:5], AccountMatcher())


@pytest.mark.parametrize(
    ("keywords", "field"),
    [
        ({"partitions": 0}, "partitions"),
        ({"partitions": True}, "partitions"),
        ({"fit_sample": 0}, "fit_sample"),
        ({"fit_sample": "all"}, "fit_sample"),
    ],
)
def test_bad_settings_are_refused_by_name(keywords: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as raised:
        dedupe_bag([], **keywords)
    assert raised.value.field == field


def test_a_matcher_is_needed() -> None:
    with pytest.raises(DedupError, match="expected a ContactMatcher or an AccountMatcher"):
        dedupe_bag([], "ContactMatcher")  # type: ignore[arg-type]


def test_without_dask_the_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    dask_module.cache_clear()
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.bag", None)
    try:
        with pytest.raises(MissingExtraError, match=r"crmcore\[dask\]"):
            dedupe_bag([])
    finally:
        dask_module.cache_clear()


def test_importing_the_engine_loads_no_dask() -> None:
    code = (
        "import sys; import crmcore.dedup.distributed; from crmcore.dedup import dedupe_bag; "
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'dask'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"


_ITEMS = st.one_of(
    crm_st.contacts(),
    crm_st.accounts(),
    st.builds(lambda: {"id": "c-1", "identity": {"name": {"given": _PLANTED}}}),
    st.sampled_from([None, 0, _PLANTED, b"bytes", 1.5]),
    st.sampled_from(["c-1", "c-2", "c-3"]).map(_planted),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ITEMS, max_size=5), st.integers(1, 3))
def test_any_input_gives_the_in_process_result_or_a_crm_error_without_values(
    items: list[Any], partitions: int
) -> None:
    message = ""
    try:
        expected = ContactMatcher().dedupe(items)
    except CRMError:
        expected = None
    try:
        with dask.config.set(scheduler="synchronous"):
            found = dedupe_bag(items, partitions=partitions)
    except CRMError as error:
        message = str(error)
        assert expected is None  # refused in process too
    else:
        assert expected is not None
        assert found.clusters == expected.clusters
        assert list(found.pairs.edges()) == list(expected.pairs.edges(expected.review_threshold))
    assert _PLANTED.lower() not in message.lower()
