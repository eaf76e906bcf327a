"""One runner for batch work on many cores: a function mapped over an iterable, in order.

:func:`run_many` applies a picklable function to each item of an iterable, in chunks, in a
pool of processes (``concurrent.futures``), and yields the results in the order of the items.
No more than a few chunks are in flight at once, so memory stays constant however long the
input. ``workers=1`` runs in this process with no pool, and raises what the function raises.
With a pool, an exception in a worker comes back as :class:`~crmcore.WorkerError` naming the
row (its place in the input) and the chunk, never a value; a crmcore error from the worker is
its ``__cause__`` when it could cross the process boundary, any other exception is named by
its type only (its message and arguments may hold a value, and stay in the worker).
"""

from __future__ import annotations

import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

from crmcore._collector import paused_collector
from crmcore.errors import CRMError, InvalidValueError, restore_private_pickling

__all__ = ["DEFAULT_CHUNK_SIZE", "WorkerError", "check_workers", "run_many"]

T = TypeVar("T")
U = TypeVar("U")

DEFAULT_CHUNK_SIZE = 500
"""Items per chunk when none is given: large enough that pickling costs little per item."""

_IN_FLIGHT = 2
"""Chunks in flight per worker: one being worked on, one waiting, so no worker idles."""


class WorkerError(CRMError):
    """An item failed in a worker process; ``row`` is its place in the input (from 0).

    The message names the row, the chunk and the type of the exception, never a value. A
    crmcore error is ``__cause__`` when it pickled; any other exception stays in the worker.
    """

    def __init__(self, row: int, chunk: int, kind: str, reason: str = "") -> None:
        detail = f": {reason}" if reason else ""
        super().__init__(f"row {row} (chunk {chunk}) failed in a worker with {kind}{detail}")
        self.row = row
        self.chunk = chunk
        self.kind = kind
        self.reason = reason


class _Failed:
    """What a worker returns for a chunk that raised: where, and the exception if it pickles."""

    __slots__ = ("error", "kind", "offset", "reason")

    def __init__(self, offset: int, exc: BaseException) -> None:
        self.offset = offset
        self.kind = type(exc).__name__
        self.reason = ""
        self.error: BaseException | None = None
        # Only a crmcore error is known to hold no value, in its message or its arguments: the
        # others are named by type and go no further, so that no traceback or logger shows
        # what they say (a ``ValueError`` of the user's own function may quote the input).
        if not isinstance(exc, CRMError):
            return
        self.reason = str(exc)
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            return
        self.error = exc


_LOADED: dict[bytes, Callable[[Any], Any]] = {}
"""In a worker process, the function of the current run, by its pickled form: it is loaded
once per process, not once per chunk, so what it builds lazily (a converter's hooks, a rule
set's plans) is built once."""


def _work(payload: bytes, chunk: list[Any]) -> bytes | _Failed:
    """Apply the pickled function ``payload`` to each item of ``chunk`` (in a worker).

    The results come back pickled, as bytes: the parent reads them with :func:`_results`.
    """
    func = _LOADED.get(payload)
    if func is None:
        # A library imported in this process (``distributed``, by way of tblib) may have made
        # every exception pickle with its chain, where a refused value lies: undo it for ours.
        restore_private_pickling()
        _LOADED.clear()
        func = _LOADED[payload] = pickle.loads(payload)
    results = []
    for offset, item in enumerate(chunk):
        try:
            results.append(func(item))
        except Exception as exc:
            return _Failed(offset, exc)
    return pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)


def _outcome(outcome: bytes | _Failed, first_row: int, chunk: int) -> list[Any]:
    """A chunk's results, or the :class:`WorkerError` of the item that failed in it.

    ``first_row`` is the place of the chunk's first item in the input.
    """
    if isinstance(outcome, _Failed):
        error = WorkerError(first_row + outcome.offset, chunk, outcome.kind, outcome.reason)
        raise error from outcome.error
    return _results(outcome)


def _results(data: bytes) -> list[Any]:
    """A chunk's results, unpickled with the garbage collector paused.

    Unpickling a chunk builds thousands of objects, records and their values, none of them
    garbage: with the collector running, each few hundred trigger a collection that scans the
    results kept so far, which doubled the parent's time for each cleaned row (31 µs to 60 µs),
    on the core the workers need. The collector is back as it was right after.
    """
    with paused_collector():
        results: list[Any] = pickle.loads(data)
    return results


def check_workers(workers: object, chunk_size: object) -> tuple[int, int]:
    """``workers`` and ``chunk_size`` checked: whole numbers of at least 1 (``workers=0``
    means one per core)."""
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
        raise InvalidValueError("expected a whole number, 0 for one per core", field="workers")
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise InvalidValueError("expected a whole number of at least 1", field="chunk_size")
    return (workers or os.cpu_count() or 1), chunk_size


def _pickled(func: Callable[[Any], Any]) -> bytes:
    try:
        return pickle.dumps(func)
    except Exception:
        raise InvalidValueError(
            "workers > 1 needs what the function uses (rules, steps, context) to pickle: "
            "define custom validators and steps at module level",
            field="workers",
        ) from None


def run_many(
    func: Callable[[T], U],
    items: Iterable[T],
    *,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int], object] | None = None,
    start: BaseContext | None = None,
) -> Iterator[U]:
    """Yield ``func(item)`` for each of ``items``, in order, using ``workers`` processes.

    ``progress``, when given, is called in this process with the number of items done so far,
    after each chunk. ``func`` must pickle when ``workers`` is more than 1 (a module-level
    function, or a :func:`functools.partial` of one). ``start`` is the multiprocessing context
    that starts the workers (the platform's default when ``None``): a ``fork`` context lets
    them inherit what this process prepared.

    >>> list(run_many(abs, [-2, 3, -5], workers=1, chunk_size=2))
    [2, 3, 5]
    """
    count, size = check_workers(workers, chunk_size)
    if count == 1:
        return _in_process(func, items, size, progress)
    return _pooled(_pickled(func), items, count, size, progress, start)


def _in_process(
    func: Callable[[T], U],
    items: Iterable[T],
    size: int,
    progress: Callable[[int], object] | None,
) -> Iterator[U]:
    done = 0
    for item in items:
        yield func(item)
        done += 1
        if progress is not None and done % size == 0:
            progress(done)
    if progress is not None and done % size:
        progress(done)


def _pooled(
    payload: bytes,
    items: Iterable[T],
    workers: int,
    size: int,
    progress: Callable[[int], object] | None,
    start: BaseContext | None = None,
) -> Iterator[U]:
    source = iter(items)
    pending: deque[tuple[int, Future[bytes | _Failed]]] = deque()
    done = 0
    number = 0
    with ProcessPoolExecutor(max_workers=workers, mp_context=start) as pool:
        try:
            while True:
                while len(pending) < workers * _IN_FLIGHT:
                    chunk = list(islice(source, size))
                    if not chunk:
                        break
                    pending.append((number, pool.submit(_work, payload, chunk)))
                    number += 1
                if not pending:
                    return
                chunk_number, future = pending.popleft()
                results = _outcome(future.result(), chunk_number * size, chunk_number)
                yield from results
                done += len(results)
                if progress is not None:
                    progress(done)
        finally:
            for _, future in pending:
                future.cancel()
