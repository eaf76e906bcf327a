"""One read of the records' values for blocking and the comparisons of a preset's run.

Blocking's built-in rules read columns of the records (:mod:`._blocking_columns`), and the
split comparisons read their values of the records again
(:meth:`~crmcore.dedup.comparator.FieldComparator.read`) to compare the pairs. With worker
processes, each pass over the records costs its processes a copy of every page of the
records they touch (reading an object writes its reference count), on top of the reading.
:func:`read_shared` reads both in one pass (:func:`~._blocking_columns.extract`: each
column read whole by one process, numbered, its distinct values pickled) and
:func:`shared_read` hands them over: :func:`~crmcore.dedup.block` takes the columns it
finds (:func:`shared_columns`), the comparisons' batch stage what each comparator read
(:func:`comparator_read`); each reads the records as before whatever it does not find.
Nothing changes the result: a column read here is the one either stage would read.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import attrs

from crmcore._collector import paused_collector
from crmcore.dedup._blocking_columns import ColumnOf, Extracted, extract
from crmcore.dedup.comparator import FieldComparator
from crmcore.dedup.context import CompareContext

__all__ = [
    "ComparatorRead",
    "SharedRead",
    "comparator_read",
    "read_shared",
    "shared_columns",
    "shared_read",
]


@attrs.frozen(eq=False)
class ComparatorRead:
    """A column of the records: what a split comparator reads of each record, with ``ctx``
    (:meth:`~crmcore.dedup.comparator.FieldComparator.read`). Equal to itself only."""

    comparator: FieldComparator[Any]
    ctx: CompareContext

    def __call__(self, record: Any) -> Any:
        return self.comparator.read(record, self.ctx)


@attrs.frozen(eq=False)
class SharedRead:
    """The columns read of ``records`` (in that order) in one pass, by column."""

    records: Sequence[Any]
    columns: Mapping[ColumnOf, Extracted]

    def of(self, records: Sequence[Any]) -> Mapping[ColumnOf, Extracted]:
        """The columns when ``records`` are these records in this order (else none)."""
        if records is self.records or (
            len(records) == len(self.records) and all(map(operator.is_, records, self.records))
        ):
            return self.columns
        return {}


_SHARED: ContextVar[SharedRead | None] = ContextVar("crmcore_dedup_shared_read", default=None)


@contextmanager
def shared_read(read: SharedRead | None) -> Iterator[None]:
    """Within it, the stages find the columns of ``read`` (``None``: none); let go after."""
    token = _SHARED.set(read)
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared_columns(records: Sequence[Any]) -> Mapping[ColumnOf, Extracted]:
    """The columns of ``records`` read by :func:`read_shared` (within :func:`shared_read`)."""
    found = _SHARED.get()
    return {} if found is None else found.of(records)


def comparator_read(
    records: Sequence[Any], comparator: FieldComparator[Any], ctx: CompareContext
) -> Extracted | None:
    """What ``comparator`` read of every record of ``records`` with ``ctx``, read by
    :func:`read_shared`: each record's code and the distinct values, pickled; ``None``
    when it was not read there."""
    for column, found in shared_columns(records).items():
        if not isinstance(column, ComparatorRead):
            continue
        if column.comparator is comparator and column.ctx is ctx:
            return found
    return None


def read_shared(
    records: Sequence[Any],
    columns: Sequence[ColumnOf],
    comparators: Sequence[FieldComparator[Any]],
    ctx: CompareContext,
    jobs: int,
) -> SharedRead:
    """``columns`` and what each of ``comparators`` (split ones) reads of every record, each
    read whole by one of ``jobs`` processes (:func:`~._blocking_columns.extract`), the
    comparators' first: they read the most. A column or comparator that raised is left out
    (the stage reading it reads the records, and reports the error as it does)."""
    reads = [ComparatorRead(comparator, ctx) for comparator in comparators]
    chosen: list[ColumnOf] = [*reads, *columns]
    with paused_collector():  # the reads make no cycle: no collection scans their values
        found = extract(records, chosen, jobs=jobs, first=chosen)
    return SharedRead(records, found)
