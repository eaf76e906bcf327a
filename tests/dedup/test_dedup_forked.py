"""The dedup stages on worker processes: the same result as in process, errors as in process."""

from __future__ import annotations

import os
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.dedup._distributed_checks import cleaned

from crmcore import Contact
from crmcore._parallel import WorkerError
from crmcore.dedup import ComparatorError, Comparisons, ContactMatcher, block, compare_pairs
from crmcore.dedup._forked import can_fork, forked_map, read_jobs
from crmcore.dedup.context import CompareContext
from crmcore.errors import InvalidValueError


@pytest.fixture
def forking() -> None:
    """Skip where workers are not forked now: no ``fork``, or threads left by another test."""
    if not can_fork():
        pytest.skip("workers are forked only where fork is offered and no other thread runs")


needs_fork = pytest.mark.usefixtures("forking")


def _square_plus(shared: tuple[int, ...], index: int) -> int:
    return shared[index] ** 2 + 1


def _fails(shared: object, index: int) -> int:
    if index == 2:
        raise ComparatorError("comparison acme.tier raised ValueError")
    return index


def _fails_plainly(shared: object, index: int) -> int:
    if index == 1:
        raise ValueError("secret@example.com")
    return index


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_forked_map_gives_each_task_in_order(jobs: int) -> None:
    assert forked_map(_square_plus, (3, 1, 4, 1, 5), 5, jobs) == [10, 2, 17, 2, 26]


@needs_fork
def test_a_crmcore_error_in_a_worker_is_raised_as_in_process() -> None:
    with pytest.raises(ComparatorError) as in_process:
        forked_map(_fails, None, 4, 1)
    with pytest.raises(ComparatorError) as forked:
        forked_map(_fails, None, 4, 2)
    assert str(forked.value) == str(in_process.value)


@needs_fork
def test_another_error_in_a_worker_names_its_type_never_its_value() -> None:
    with pytest.raises(WorkerError) as caught:
        forked_map(_fails_plainly, None, 3, 2)
    assert "ValueError" in str(caught.value)
    assert "secret@example.com" not in str(caught.value)


@pytest.mark.parametrize("jobs", [-1, 1.5, True, "2"])
def test_read_jobs_refuses_what_is_not_a_process_count(jobs: object) -> None:
    with pytest.raises(InvalidValueError):
        read_jobs(jobs)


def test_read_jobs_reads_zero_as_one_per_core() -> None:
    assert read_jobs(0) >= 1
    assert read_jobs(3) == 3


@pytest.mark.parametrize("jobs", [-1, True])
def test_matcher_refuses_a_bad_jobs(jobs: object) -> None:
    with pytest.raises(InvalidValueError):
        ContactMatcher(jobs=jobs)  # type: ignore[arg-type]


def _same_blocking(left: Any, right: Any) -> None:
    assert tuple(left.pairs) == tuple(right.pairs)
    assert left.rules == right.rules
    assert left.skipped == right.skipped
    assert left.unkeyed == right.unkeyed


@needs_fork
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 50), shuffle=st.randoms(use_true_random=False))
def test_dedupe_with_two_jobs_is_dedupe_in_process(seed: int, shuffle: Any) -> None:
    records = list(cleaned(seed, 150))
    shuffle.shuffle(records)
    alone = ContactMatcher(jobs=1).dedupe(records)
    pooled = ContactMatcher(jobs=2).dedupe(records)
    _same_blocking(pooled.blocking, alone.blocking)
    assert pooled.model == alone.model
    assert pooled.clusters == alone.clusters
    assert [c.id for c in pooled.clusters] == [c.id for c in alone.clusters]
    assert pooled.review == alone.review
    assert list(pooled.pairs.edges(0.0)) == list(alone.pairs.edges(0.0))


@needs_fork
def test_block_and_compare_with_two_jobs_are_as_in_process() -> None:
    records = cleaned(3, 200)
    alone = block(records, max_block_size=2)
    pooled = block(records, max_block_size=2, jobs=2)
    _same_blocking(pooled, alone)
    assert alone.skipped  # small blocks: skipped ones come back from the workers too
    one = compare_pairs(records, alone, jobs=1)
    two = compare_pairs(records, alone, jobs=2)
    assert np.array_equal(one.matrix, two.matrix)
    assert (one.left, one.right, one.terms) == (two.left, two.right, two.terms)


def _tier(left: Contact, right: Contact, ctx: CompareContext) -> str:
    raise KeyError(left.id)


@needs_fork
def test_a_failing_comparator_fails_alike_on_workers() -> None:
    comparisons = Comparisons()
    comparisons.add(Contact, _tier, levels=("same", "different"), name="acme.tier")
    comparisons.add(Contact, _tier, levels=("same", "different"), name="acme.other")
    records = cleaned(3, 60)
    pairs = block(records)
    errors = []
    for jobs in (1, 2):
        with pytest.raises(ComparatorError) as caught:
            compare_pairs(records, pairs, comparisons, jobs=jobs)
        errors.append(caught.value)
    assert type(errors[0]) is type(errors[1])
    assert str(errors[0]) == str(errors[1])
    assert pickle.loads(pickle.dumps(errors[1])).args == errors[0].args


def _process(shared: int, index: int) -> bool:
    return os.getpid() != shared


@needs_fork
def test_tasks_run_on_other_processes_with_jobs_and_here_without() -> None:
    assert forked_map(_process, os.getpid(), 2, 2) == [True, True]
    assert forked_map(_process, os.getpid(), 2, 1) == [False, False]
