"""The independent tasks of one dedup stage on worker processes that inherit its inputs.

:func:`forked_map` returns ``[task(shared, 0), ..., task(shared, count - 1)]``: the columns
of a level matrix, the pairs of each blocking rule. With ``jobs`` above 1, the tasks run on
this process and on ``jobs - 1`` processes started with the ``fork`` method after ``shared``
(the records and the blocking rules; the comparisons, the pair positions and the records'
prepared values) is put where the workers find it: they inherit it as it is in this
process, nothing of it is pickled, and each worker's results (its tasks' arrays) come back
pickled, together, when no task is left. A worker copies each inherited page it touches
(reading a Python object writes its reference count), so the less of the records a stage's
workers read, the less memory it takes: the comparisons' workers and the built-in blocking
rules' read none. The results are those of ``jobs=1`` by
construction: each task is the same pure function of the same inputs, and the results are
put in task order whichever process finished first.

The tasks run here, in order and with no pool, when ``jobs`` is 1, when there is one task,
where ``fork`` is not offered (Windows, macOS's default) and when this process runs other
threads (a forked child holds copies of their locks, perhaps taken). A task's
:class:`~crmcore.CRMError` raised in a worker is raised here as it was; anything else
arrives as a :class:`~crmcore.WorkerError` naming the task and the exception's type.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from crmcore._collector import frozen
from crmcore._parallel import _Failed, _outcome, _pickled, _work
from crmcore.errors import CRMError, InvalidValueError

__all__ = [
    "READ_APART_FROM",
    "can_fork",
    "forked_map",
    "numbered",
    "part_of",
    "read_jobs",
    "reading_jobs",
    "threads",
]

S = TypeVar("S")
R = TypeVar("R")
Ints = npt.NDArray[np.int64]

_INHERITED: list[Any] = []
"""What the tasks of the running :func:`forked_map` share, for the workers it forks: set
just before they start, emptied when they are done. It is the hand-over to the children,
read by them only, never a value kept between calls."""

_RUNNING = threading.Lock()

_WORKER: list[bool] = []
"""Holds ``True`` in a worker :func:`forked_map` started (set by its first task)."""


def threads() -> int:
    """The threads a library call may use here (rapidfuzz's ``workers=``): one in a worker of
    :func:`forked_map`, whose siblings hold the other cores; every core (``-1``) elsewhere."""
    return 1 if _WORKER else -1


def read_jobs(jobs: object) -> int:
    """``jobs`` checked (a whole number, ``0`` for one per core) and made a process count.

    >>> read_jobs(2)
    2
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise InvalidValueError("expected a whole number, 0 for one per core", field="jobs")
    return jobs or os.cpu_count() or 1


READ_APART_FROM = 50_000
"""The fewest reads of records (values read, all told) shared with forked workers by
:func:`reading_jobs`: fewer are read here, sooner than a worker starts."""


def reading_jobs(reads: int, jobs: int) -> int:
    """The processes that read ``reads`` values of the records: the ``jobs`` asked for from
    :data:`READ_APART_FROM` reads, else this one alone.

    >>> reading_jobs(100, 2), reading_jobs(READ_APART_FROM, 2)
    (1, 2)
    """
    return jobs if reads >= READ_APART_FROM else 1


def part_of(count: int, part: int, parts: int) -> slice:
    """The ``part``-th of ``parts`` contiguous slices of ``count`` items, as even as can be:
    a task of :func:`forked_map` that reads a part of the records reads those.

    >>> [part_of(5, part, 2) for part in range(2)]
    [slice(0, 2, None), slice(2, 5, None)]
    """
    return slice(count * part // parts, count * (part + 1) // parts)


def numbered(values: Iterable[Any], count: int) -> tuple[Ints, bytes]:
    """Each of ``count`` values' number (the values numbered from 0 in the order first met:
    equal values, equal numbers) and the distinct values, pickled: what a task of
    :func:`forked_map` read of the records. A value that cannot be hashed raises
    :class:`TypeError`.

    Pickled, they are fresh copies once loaded (a round trip through pickle, in C): those
    read hold the records' own strings, and a worker that touched them would copy the pages
    of the records they lie in (reading an object writes its reference count). A worker
    sends the bytes as they are.

    >>> codes, kept = numbered(["b", "a", "b"], 3)
    >>> codes.tolist(), pickle.loads(kept)
    ([0, 1, 0], ['b', 'a'])
    """
    seen: dict[Any, int] = {}
    number = seen.setdefault
    codes = np.fromiter((number(value, len(seen)) for value in values), np.int64, count)
    return codes, pickle.dumps(list(seen), protocol=pickle.HIGHEST_PROTOCOL)


def can_fork() -> bool:
    """Whether workers can be forked safely now: ``fork`` is offered and no other thread runs."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class _Counter:
    """A whole number every forked process shares: a page mapped shared, and a lock.

    Not a ``multiprocessing.Value``: its shared heap frees a value's block when the next one
    is made, which would let go of objects made before an application's ``gc.freeze()``.
    """

    def __init__(self, start: Any, value: int) -> None:
        self._page = mmap.mmap(-1, 8)
        self._page[:] = value.to_bytes(8, "little")
        self._lock = start.Lock()

    def take(self) -> int:
        """The value, then one more for the next taker."""
        with self._lock:
            value = int.from_bytes(self._page[:], "little")
            self._page[:] = (value + 1).to_bytes(8, "little")
        return value

    def stop(self, end: int) -> None:
        """Set the value to ``end``: no process takes a task after the one it runs."""
        with self._lock:
            self._page[:] = end.to_bytes(8, "little")

    def close(self) -> None:
        self._page.close()


def _drain(
    task: Callable[[Any, int], Any],
    shared: Any,
    order: Sequence[int],
    counter: _Counter,
    place: int,
) -> list[tuple[int, list[Any] | _Failed]]:
    """The task at ``place`` in ``order``, then each next one no process has taken yet: each
    task's index and its result (in a one-item list) or its failure."""
    done: list[tuple[int, list[Any] | _Failed]] = []
    while place < len(order):
        index = order[place]
        try:
            done.append((index, [task(shared, index)]))
        except Exception as exc:
            done.append((index, _Failed(0, exc)))
        place = counter.take()
    return done


def _worker(task: Callable[[Any, int], Any], place: int) -> list[tuple[int, list[Any] | _Failed]]:
    """In a worker: :func:`_drain` over the inherited inputs, from ``place``."""
    if not _WORKER:
        _WORKER.append(True)
    shared, order, counter = _INHERITED[0]
    return _drain(task, shared, order, counter, place)


def _order(count: int, first: Sequence[int]) -> list[int]:
    """The tasks in the order they start: ``first`` (the largest), then the others in order."""
    chosen = list(dict.fromkeys(index for index in first if 0 <= index < count))
    taken = set(chosen)
    return chosen + [index for index in range(count) if index not in taken]


def forked_map(
    task: Callable[[S, int], R], shared: S, count: int, jobs: int, *, first: Sequence[int] = ()
) -> list[R]:
    """``[task(shared, i) for i in range(count)]``, on this process and up to ``jobs - 1``
    forked ones.

    ``task`` is a module-level function (the workers find it by name); ``shared`` is never
    pickled. ``jobs`` is a process count (:func:`read_jobs`). The tasks are ordered
    ``first`` (the tasks known to be the largest) ahead of the others; the first ``jobs - 1``
    go to the workers, and each worker, and this process, takes the next one no process has
    taken as soon as it is free (:func:`_pooled`): the small tasks fill the end of the run on
    whichever core finishes first. When tasks fail, the one that fails first in task order
    is raised, as in process.
    """
    workers = min(jobs, count)
    if workers < 2 or not can_fork() or not _RUNNING.acquire(blocking=False):
        return [task(shared, index) for index in range(count)]
    try:
        payload = _pickled(partial(_worker, task))
        start = multiprocessing.get_context("fork")
        # the place in the order of the next task no process has: the workers' first tasks
        # are theirs from the start
        counter = _Counter(start, workers - 1)
        order = _order(count, first)
        _INHERITED.append((shared, order, counter))
        # Objects made so far stay out of the workers' collections: a collection would write
        # to every page it scans, copying the inherited records into each worker.
        try:
            with frozen():
                return _pooled(payload, (task, shared, order, counter), count, workers, start)
        finally:
            _INHERITED.clear()
            counter.close()
    finally:
        _RUNNING.release()


def _pooled(
    payload: bytes,
    local: tuple[Callable[[Any, int], Any], Any, Sequence[int], _Counter],
    count: int,
    workers: int,
    start: Any,
) -> list[Any]:
    """Each task's result, in task order, from this process and ``workers - 1`` forked ones.

    Worker ``k`` starts with the task at place ``k`` of the order; then every process,
    this one included (from the first place no worker has), takes the next task no process
    has taken (a counter they share) until none is left: whichever is free takes it, so
    that both finish together. This process works too, rather than wait: one process fewer
    is forked, so one copy fewer of the inherited pages is made (a worker copies every page
    it touches: reading a record writes its reference count).
    """
    task, shared, order, counter = local
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=start) as pool:
        futures = [pool.submit(_work, payload, [place]) for place in range(workers - 1)]
        try:
            _WORKER.append(True)  # one thread for a library here too: the workers hold the rest
            try:
                done = dict(_drain(task, shared, order, counter, counter.take()))
            finally:
                _WORKER.pop()
            for place, future in enumerate(futures):
                # a worker's list of its tasks' outcomes (or the failure of its loop itself)
                for found in _outcome(future.result(), order[place], 1):
                    done.update(found)
            results: list[Any] = []
            for index in range(count):
                outcome = done[index]
                if isinstance(outcome, _Failed) and isinstance(outcome.error, CRMError):
                    # The task's own error, raised as in process: by itself, not re-raised
                    # from a WorkerError whose cause it is (that makes a cycle of the two,
                    # which a pickler sending the chain, tblib's, follows for ever).
                    raise outcome.error
                if isinstance(outcome, list):
                    results.extend(outcome)
                else:
                    results.extend(_outcome(outcome, index, index))
            return results
        finally:
            # Whatever stopped this process (a task's failure is kept, but an interrupt or
            # an exit is not), the workers take no further task: the pool's exit waits for
            # the tasks they run only.
            counter.stop(len(order))
            for future in futures:
                future.cancel()
