"""The dedup stages on worker processes: the same result as in process, errors as in process.

Workers are forked only while no other thread runs; an earlier test of a full run may have
left one (a thread pool, a cluster's client), and then this process refuses to fork. The
checks that need forked workers then run in a fresh Python process (:func:`on_forked_workers`),
so that they run, and can fail, in every run of the suite where ``fork`` is offered.
"""

from __future__ import annotations

import copyreg
import gc
import multiprocessing
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.dedup._distributed_checks import cleaned

import crmcore
from crmcore import Contact
from crmcore._collector import frozen
from crmcore._parallel import WorkerError
from crmcore.dedup import (
    BlockingError,
    BlockingRules,
    ComparatorError,
    Comparisons,
    ContactMatcher,
    _forked,
    block,
    compare_pairs,
)
from crmcore.dedup._blocking_columns import extract
from crmcore.dedup._blocking_values import (
    addresses_of,
    births_of,
    emails_of,
    external_ids_of,
    names_of,
    phones_of,
)
from crmcore.dedup._forked import (
    _order,
    can_fork,
    forked_map,
    read_jobs,
    threads,
)
from crmcore.dedup._pair_index import positions_of
from crmcore.dedup._vectors import read_records, vectors_at
from crmcore.dedup.contact_points import emails
from crmcore.dedup.context import CompareContext
from crmcore.dedup.defaults import default_comparisons
from crmcore.dedup.frequencies import default_term_adjustments
from crmcore.errors import InvalidValueError

ROOT = Path(__file__).resolve().parents[2]
"""The project's root: where a fresh process imports ``tests.dedup`` from."""


def _fresh_python(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` run by a fresh Python process importing the crmcore this process imports."""
    env = dict(os.environ)
    source = str(Path(crmcore.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (source, env.get("PYTHONPATH"))))
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _offers_fork() -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("workers are forked only where fork is offered")


def on_forked_workers(check: Callable[[], None]) -> None:
    """Run ``check`` (a module-level function of this module) where workers are forked.

    Here when this process may fork now; else in a fresh Python process, which must be able
    to fork (the check would otherwise pass with no worker at all). Skipped only where
    ``fork`` is not offered.
    """
    _offers_fork()
    if can_fork():
        check()
        return
    done = _fresh_python(
        "from crmcore.dedup._forked import can_fork\n"
        "assert can_fork(), 'a fresh process cannot fork'\n"
        f"from tests.dedup.test_dedup_forked import {check.__name__}\n"
        f"{check.__name__}()\n"
    )
    assert done.returncode == 0, done.stderr[-4000:]


def _check_always_fails() -> None:
    raise AssertionError("planted failure")


def test_a_process_with_a_thread_runs_the_checks_in_a_fresh_process() -> None:
    _offers_fork()
    done = _fresh_python(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
        "import pytest\n"
        "from crmcore.dedup._forked import can_fork\n"
        "from tests.dedup import test_dedup_forked as checks\n"
        "assert not can_fork()\n"
        "checks.on_forked_workers(checks._check_tasks_run_on_other_processes_with_jobs_and_here_without)\n"
        "print('passed')\n"
        "with pytest.raises(AssertionError, match='planted failure'):\n"
        "    checks.on_forked_workers(checks._check_always_fails)\n"
        "print('failed')\n"
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.split() == ["passed", "failed"]


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
@pytest.mark.parametrize("first", [(), (4, 2), (9, 0, 0)])
def test_forked_map_gives_each_task_in_order(jobs: int, first: tuple[int, ...]) -> None:
    assert forked_map(_square_plus, (3, 1, 4, 1, 5), 5, jobs, first=first) == [10, 2, 17, 2, 26]


def test_the_tasks_named_first_start_first_then_the_others_in_order() -> None:
    assert _order(5, (3, 3, 9, 1)) == [3, 1, 0, 2, 4]
    assert _order(3, ()) == [0, 1, 2]


def _fails_twice(shared: object, index: int) -> int:
    if index in (1, 3):
        raise ComparatorError(f"comparison acme.tier{index} raised ValueError")
    return index


def _check_the_first_failing_task_in_order_is_raised_whichever_ran_first() -> None:
    for jobs in (1, 2):
        with pytest.raises(ComparatorError, match="tier1"):
            forked_map(_fails_twice, None, 5, jobs, first=(3, 4))


def _check_a_crmcore_error_in_a_worker_is_raised_as_in_process() -> None:
    with pytest.raises(ComparatorError) as in_process:
        forked_map(_fails, None, 4, 1)
    with pytest.raises(ComparatorError) as forked:
        forked_map(_fails, None, 4, 2)
    assert str(forked.value) == str(in_process.value)


def _check_a_crmcore_error_from_a_worker_pickles_with_its_chain_sent_too() -> None:
    # tblib (installed by importing ``distributed``) pickles an exception with its cause and
    # context: an error raised from the WorkerError whose cause it was made a cycle of the
    # two, and pickling it ran into a RecursionError.
    from tblib import pickling_support

    saved = dict(copyreg.dispatch_table)
    try:
        pickling_support.install()
        with pytest.raises(ComparatorError) as forked:
            forked_map(_fails, None, 4, 2)
        error = forked.value
        assert error.__cause__ is None
        assert error.__context__ is None
        back = pickle.loads(pickle.dumps(error))
        assert (type(back), str(back)) == (ComparatorError, str(error))
    finally:
        copyreg.dispatch_table.clear()
        copyreg.dispatch_table.update(saved)


def test_a_crmcore_error_from_a_worker_pickles_after_tblib() -> None:
    pytest.importorskip("tblib.pickling_support")
    on_forked_workers(_check_a_crmcore_error_from_a_worker_pickles_with_its_chain_sent_too)


def _check_another_error_in_a_worker_names_its_type_never_its_value() -> None:
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


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 50), shuffle=st.randoms(use_true_random=False))
def _check_dedupe_with_two_jobs_is_dedupe_in_process(seed: int, shuffle: Any) -> None:
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


def _check_block_and_compare_with_two_jobs_are_as_in_process() -> None:
    records = cleaned(3, 200)
    alone = block(records, max_block_size=2)
    pooled = block(records, max_block_size=2, jobs=2)
    _same_blocking(pooled, alone)
    assert alone.skipped  # small blocks: skipped ones come back from the workers too
    one = compare_pairs(records, alone, jobs=1)
    two = compare_pairs(records, alone, jobs=2)
    assert np.array_equal(one.matrix, two.matrix)
    assert (one.left, one.right, one.terms) == (two.left, two.right, two.terms)
    assert one.term_codes.keys() == two.term_codes.keys()
    for name, codes in one.term_codes.items():  # read by the workers, beside the columns
        assert codes.digests == two.term_codes[name].digests
        assert np.array_equal(codes.codes, two.term_codes[name].codes)
        assert codes.adjustment is not None
        assert codes.adjustment == two.term_codes[name].adjustment


def _tier(left: Contact, right: Contact, ctx: CompareContext) -> str:
    raise KeyError(left.id)


def _errors_with_one_and_two_jobs(comparisons: Comparisons) -> list[ComparatorError]:
    """The errors of comparing the blocked pairs of a few contacts in process, then on workers."""
    records = cleaned(3, 60)
    pairs = block(records)
    errors = []
    for jobs in (1, 2):
        with pytest.raises(ComparatorError) as caught:
            compare_pairs(records, pairs, comparisons, jobs=jobs)
        errors.append(caught.value)
    return errors


def _check_a_failing_comparator_fails_alike_on_workers() -> None:
    comparisons = Comparisons()
    comparisons.add(Contact, _tier, levels=("same", "different"), name="acme.tier")
    comparisons.add(Contact, _tier, levels=("same", "different"), name="acme.other")
    errors = _errors_with_one_and_two_jobs(comparisons)
    assert type(errors[0]) is type(errors[1])
    assert str(errors[0]) == str(errors[1])
    assert pickle.loads(pickle.dumps(errors[1])).args == errors[0].args


class _ReadHereOnly(Sequence[Contact]):
    """Records that only the process that made them may read: a worker reading one fails."""

    def __init__(self, records: tuple[Contact, ...]) -> None:
        self.records = records
        self.reader = os.getpid()
        self.reads = 0

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index: Any) -> Any:
        if os.getpid() != self.reader:
            raise InvalidValueError("a worker read a record", field="records")
        self.reads += 1
        return self.records[index]


def _tier_of(left: Contact, right: Contact, ctx: CompareContext) -> str:
    return "same" if left.id[-1] == right.id[-1] else "different"


def _check_the_comparison_workers_read_no_record() -> None:
    records = read_records(cleaned(3, 200))
    index = positions_of(block(records), records)
    assert index is not None
    comparisons = default_comparisons()  # and one with no prepared form, read per pair
    comparisons.add(Contact, _tier_of, levels=("same", "different"), name="acme.tier")
    adjustments = tuple(default_term_adjustments())
    assert adjustments
    # every pair (each record's terms made: most are in one), then a few (those paired only)
    for count in (len(index.left), 5):
        left, right = index.left[:count], index.right[:count]
        args = (left, right, comparisons, CompareContext(), Contact, adjustments)
        one = vectors_at(records, *args, jobs=1)
        guarded = _ReadHereOnly(records)
        two = vectors_at(guarded, *args, jobs=2)  # the first column is a worker's
        assert guarded.reads > 0
        assert np.array_equal(one.matrix, two.matrix)
        assert one.matrix.dtype == two.matrix.dtype
        assert one.term_codes.keys() == {a.comparison for a in adjustments}
        assert one.term_codes.keys() == two.term_codes.keys()
        paired = set(left.tolist()) | set(right.tolist())
        for name, codes in one.term_codes.items():  # made by the workers, beside the columns
            assert codes.digests == two.term_codes[name].digests
            assert np.array_equal(codes.codes, two.term_codes[name].codes)
            every = 2 * len(paired) >= len(records)
            assert (codes.adjustment is None) is (two.term_codes[name].adjustment is None)
            assert (codes.adjustment is None) is not every
            termed = set(np.flatnonzero(codes.codes >= 0).tolist())
            assert termed
            assert every or termed <= paired


_EMAILS: Any = type(emails())


@contextmanager
def _read_apart_always() -> Iterator[None]:
    """Within it, the split comparisons read even a few records in parts, on the workers,
    and blocking reads even a few records' columns on the workers."""
    before = _forked.READ_APART_FROM
    _forked.READ_APART_FROM = 0
    try:
        yield
    finally:
        _forked.READ_APART_FROM = before


def _check_the_records_read_in_parts_on_workers_give_the_levels_read_here() -> None:
    records = read_records(cleaned(3, 200))
    index = positions_of(block(records), records)
    assert index is not None
    adjustments = tuple(default_term_adjustments())
    # every pair (each record's terms read: most are in one), then a few (those paired only)
    for count in (len(index.left), 5):
        args = (index.left[:count], index.right[:count], default_comparisons(), CompareContext())
        one = vectors_at(records, *args, Contact, adjustments, jobs=1)
        with _read_apart_always():
            two = vectors_at(records, *args, Contact, adjustments, jobs=2)
        assert np.array_equal(one.matrix, two.matrix)
        assert one.term_codes.keys() == two.term_codes.keys() == {a.comparison for a in adjustments}
        for name, codes in one.term_codes.items():
            assert codes.digests == two.term_codes[name].digests
            assert np.array_equal(codes.codes, two.term_codes[name].codes)


_HERE: list[int] = []
"""The process that forks the workers of a check (a worker's pid is another)."""


class _FailsReading(_EMAILS):  # type: ignore[misc]
    def read(self, record: Any, ctx: CompareContext) -> Any:
        if not _HERE or os.getpid() != _HERE[0]:  # every process, or the workers only
            raise KeyError(record.id)
        return super().read(record, ctx)


def _check_a_failure_reading_a_part_on_a_worker_names_the_comparison_never_a_value() -> None:
    comparisons = default_comparisons()
    comparisons.add(Contact, _FailsReading(), name="acme.read")
    with _read_apart_always():
        messages = [str(error) for error in _errors_with_one_and_two_jobs(comparisons)]
        assert messages[0] == "comparison acme.read raised KeyError in its batch form"
        assert messages[1] == messages[0]
        records = cleaned(3, 60)
        _HERE.append(os.getpid())  # read here, failing on the worker only
        try:
            assert compare_pairs(records, block(records), comparisons, jobs=1).matrix.size
            with pytest.raises(ComparatorError) as caught:
                compare_pairs(records, block(records), comparisons, jobs=2)
        finally:
            _HERE.clear()
    assert str(caught.value) == messages[0]
    assert caught.value.__cause__ is None
    assert not any(record.id in str(caught.value) for record in records)


class _FailsComparing(_EMAILS):  # type: ignore[misc]
    def compare_prepared(self, left: Any, right: Any, ctx: CompareContext) -> str:
        raise KeyError("compared")


class _FailsPreparing(_EMAILS):  # type: ignore[misc]
    def prepare(self, record: Any, ctx: CompareContext) -> Any:
        raise KeyError(record.id)


def _check_the_first_failing_comparison_in_order_is_raised_wherever_it_fails() -> None:
    # the first comparison fails comparing pairs (on a worker), the second preparing its
    # records (here, before the workers start): the first is raised, as in process
    comparisons = Comparisons()
    comparisons.add(Contact, _FailsComparing(), name="acme.compared")
    comparisons.add(Contact, _FailsPreparing(), name="acme.prepared")
    messages = [str(error) for error in _errors_with_one_and_two_jobs(comparisons)]
    assert "acme.compared" in messages[0]
    assert messages[1] == messages[0]


_COLUMNS = (names_of, addresses_of, births_of, emails_of, phones_of, external_ids_of)


def _reader(record: Any) -> int:
    """A column: the process that reads it."""
    return os.getpid()


def _read_here_only(record: Any) -> str:
    """A column that fails on a worker (on every process without :data:`_HERE`)."""
    if not _HERE or os.getpid() != _HERE[0]:
        raise KeyError(record.id)
    return str(record.id)


def _check_blocking_s_columns_read_on_workers_are_those_read_here() -> None:
    records = sorted(cleaned(3, 200), key=lambda record: record.id)
    one = extract(records, _COLUMNS)
    two = extract(records, (_reader, *_COLUMNS), jobs=2, first=(_reader,))
    assert two[_reader].distinct() != [os.getpid()]  # the first column is a worker's
    assert set(one) == set(_COLUMNS) == set(two) - {_reader}
    for column in _COLUMNS:  # the same keys, numbered the same
        assert np.array_equal(one[column].codes, two[column].codes)
        assert one[column].distinct() == two[column].distinct()
        assert len(one[column].distinct()) > 1
    _HERE.append(os.getpid())
    try:  # a column failing on a worker is left out, as one failing here
        assert set(extract(records, (_read_here_only,))) == {_read_here_only}
        failing = extract(records, (_read_here_only, names_of), jobs=2, first=(_read_here_only,))
    finally:
        _HERE.clear()
    assert set(failing) == {names_of}
    with _read_apart_always():  # the pairs of columns read on workers
        alone = block(records, max_block_size=2)
        _same_blocking(block(records, max_block_size=2, jobs=2), alone)
    assert alone.skipped
    assert alone.pairs


def _broken_on_workers(record: Any) -> tuple[str, ...]:
    """A plugin's rule failing on a worker (on every process without :data:`_HERE`), its
    exception holding a value."""
    if not _HERE or os.getpid() != _HERE[0]:
        raise ValueError(record.identity.name.family)
    return ()


def _check_a_plugin_rule_failing_on_a_worker_is_named_never_a_value() -> None:
    records = cleaned(3, 60)
    rules = BlockingRules()
    for name in ("acme.first", "acme.second"):  # the first task of the two is the worker's
        rules.add(Contact, _broken_on_workers, name=name)
    messages = []
    for jobs in (1, 2):
        with pytest.raises(BlockingError) as caught:
            block(records, rules, jobs=jobs)
        messages.append(str(caught.value))
    _HERE.append(os.getpid())  # read here, failing on the worker only
    try:
        with pytest.raises(BlockingError) as caught:
            block(records, rules, jobs=2)
    finally:
        _HERE.clear()
    assert messages[0].startswith("blocking rule acme.first on record ")
    assert messages[0].endswith(" raised ValueError")
    assert messages[1] == messages[0]
    assert str(caught.value) == messages[0]
    assert caught.value.__cause__ is None
    assert not any(
        record.identity.name and record.identity.name.family in str(caught.value)
        for record in records
    )
    only = BlockingRules()
    only.add(Contact, _broken_on_workers, name="acme.only")
    _HERE.append(os.getpid())
    try:  # one rule: run here, no worker
        assert not block(records, only, jobs=2).pairs
    finally:
        _HERE.clear()


def _process(shared: int, index: int) -> bool:
    return os.getpid() != shared


def _check_tasks_run_on_other_processes_with_jobs_and_here_without() -> None:
    # the first task in order goes to the worker; this process takes what no worker started
    assert forked_map(_process, os.getpid(), 2, 2)[0] is True
    assert forked_map(_process, os.getpid(), 4, 3)[:2] == [True, True]
    assert forked_map(_process, os.getpid(), 3, 2, first=(2,))[2] is True
    assert forked_map(_process, os.getpid(), 2, 1) == [False, False]


def _slow_then_here(shared: int, index: int) -> bool:
    if index == 0:  # the worker's: long enough that this process takes every other task
        time.sleep(2)
    return os.getpid() == shared


def _check_this_process_runs_the_tasks_no_worker_started() -> None:
    found = forked_map(_slow_then_here, os.getpid(), 6, 2)
    # the worker holds no task it has not started: every other is this process's
    assert found == [False, True, True, True, True, True]


def _busy_here(shared: tuple[int, str], index: int) -> bool:
    pid, folder = shared
    if os.getpid() == pid:  # this process's first task: busy until the worker did the others
        deadline = time.monotonic() + 20
        while len(os.listdir(folder)) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
    else:
        Path(folder, str(index)).touch()
    return os.getpid() == pid


def _check_a_worker_takes_the_tasks_while_this_process_is_busy() -> None:
    with tempfile.TemporaryDirectory() as folder:
        found = forked_map(_busy_here, (os.getpid(), folder), 6, 2, first=(5,))
    # task 5 is the worker's, then this process takes one (unless the worker took every
    # task first) and is busy: the others are the worker's
    assert found[5] is False
    assert sum(found) <= 1


def _interrupted_here(shared: tuple[int, str], index: int) -> None:
    pid, folder = shared
    if os.getpid() == pid:  # an interrupt (a signal's handler, say) in this process alone
        raise KeyboardInterrupt
    Path(folder, str(index)).touch()
    time.sleep(0.05)


def _check_an_interrupt_here_stops_the_workers_after_the_task_they_run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        with pytest.raises(KeyboardInterrupt):
            forked_map(_interrupted_here, (os.getpid(), folder), 40, 2)
        ran = len(os.listdir(folder))
    # the worker's first task and the one it ran when this process stopped, at most: not
    # every task left (it took tasks until none was left before)
    assert ran <= 2


def _threads(shared: object, index: int) -> int:
    return threads()


def _check_a_worker_calls_rapidfuzz_on_one_thread_and_this_process_on_every_core() -> None:
    assert forked_map(_threads, None, 2, 2) == [1, 1]
    assert forked_map(_threads, None, 2, 1) == [-1, -1]
    assert threads() == -1


def _check_the_objects_an_application_froze_stay_frozen() -> None:
    gc.freeze()  # the application's own objects, frozen before it runs a stage on workers
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert forked_map(_process, os.getpid(), 2, 2)[0] is True
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert forked_map(_process, os.getpid(), 2, 2)[0] is True
    assert gc.get_freeze_count() == 0  # and what the stage froze itself is let go


_ON_WORKERS = [
    _check_the_objects_an_application_froze_stay_frozen,
    _check_a_crmcore_error_in_a_worker_is_raised_as_in_process,
    _check_another_error_in_a_worker_names_its_type_never_its_value,
    _check_dedupe_with_two_jobs_is_dedupe_in_process,
    _check_block_and_compare_with_two_jobs_are_as_in_process,
    _check_a_failing_comparator_fails_alike_on_workers,
    _check_the_comparison_workers_read_no_record,
    _check_the_records_read_in_parts_on_workers_give_the_levels_read_here,
    _check_blocking_s_columns_read_on_workers_are_those_read_here,
    _check_a_plugin_rule_failing_on_a_worker_is_named_never_a_value,
    _check_a_failure_reading_a_part_on_a_worker_names_the_comparison_never_a_value,
    _check_the_first_failing_comparison_in_order_is_raised_wherever_it_fails,
    _check_tasks_run_on_other_processes_with_jobs_and_here_without,
    _check_this_process_runs_the_tasks_no_worker_started,
    _check_a_worker_takes_the_tasks_while_this_process_is_busy,
    _check_an_interrupt_here_stops_the_workers_after_the_task_they_run,
    _check_a_worker_calls_rapidfuzz_on_one_thread_and_this_process_on_every_core,
    _check_the_first_failing_task_in_order_is_raised_whichever_ran_first,
]


@pytest.mark.parametrize("check", _ON_WORKERS, ids=lambda check: check.__name__[len("_check_") :])
def test_on_forked_workers(check: Callable[[], None]) -> None:
    on_forked_workers(check)


def test_frozen_keeps_older_objects_out_until_its_outermost_block_ends() -> None:
    assert gc.get_freeze_count() == 0
    with frozen():
        outer = gc.get_freeze_count()
        assert outer > 0
        made = [[index] for index in range(1000)]  # tracked objects made inside: collected
        assert gc.get_freeze_count() == outer
        with frozen():  # those made since the outer block began are frozen too
            assert gc.get_freeze_count() >= outer + len(made)
        assert gc.get_freeze_count() >= outer + len(made)
    assert gc.get_freeze_count() == 0  # every object let go by the outermost block


def test_frozen_leaves_what_an_application_froze_as_it_is() -> None:
    gc.freeze()
    try:
        frozen_before = gc.get_freeze_count()
        with frozen():
            made = [[index] for index in range(1000)]
            with frozen():
                assert gc.get_freeze_count() == frozen_before
        assert len(made) == 1000
        assert gc.get_freeze_count() == frozen_before
    finally:
        gc.unfreeze()


class _FreezeSeen(_EMAILS):  # type: ignore[misc]
    """Emails that note whether older objects were frozen while a record was prepared."""

    seen: ClassVar[list[int]] = []

    def prepare(self, record: Any, ctx: CompareContext) -> Any:
        self.seen.append(gc.get_freeze_count())
        return super().prepare(record, ctx)


def test_the_records_are_frozen_while_their_pairs_are_compared() -> None:
    records = read_records(cleaned(3, 60))
    index = positions_of(block(records), records)
    assert index is not None
    comparisons = Comparisons()
    comparisons.add(Contact, _FreezeSeen(), name="acme.email")
    _FreezeSeen.seen.clear()
    found = vectors_at(records, index.left, index.right, comparisons, CompareContext(), Contact)
    alone = vectors_at(
        records, index.left, index.right, default_comparisons(), CompareContext(), Contact
    )
    assert np.array_equal(found.matrix[:, 0], alone.matrix[:, alone.names.index("crmcore.email")])
    assert _FreezeSeen.seen
    assert min(_FreezeSeen.seen) > 0
    assert gc.get_freeze_count() == 0
