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
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import attrs
import numpy as np

from crmcore._collector import paused_collector
from crmcore.dedup import _blocking_values as blocking_values
from crmcore.dedup._batch import first_come
from crmcore.dedup._blocking_builtin import organisations_of
from crmcore.dedup._blocking_columns import ColumnOf, Extracted, _distinct_rows, extract
from crmcore.dedup._blocking_values import emails_of, external_ids_of, names_of
from crmcore.dedup._forked import numbered
from crmcore.dedup.comparator import FieldComparator
from crmcore.dedup.contact_points import Emails, Phones
from crmcore.dedup.context import CompareContext
from crmcore.dedup.dates import Dates
from crmcore.dedup.identifiers import ExternalIds
from crmcore.dedup.names import _Names
from crmcore.dedup.organisations import CompanyNames

__all__ = [
    "ComparatorRead",
    "SharedRead",
    "comparator_read",
    "read_ahead",
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


def read_ahead(comparator: FieldComparator[Any]) -> bool:
    """Whether ``comparator``'s values may be read ahead: those of crmcore's own classes.

    A read ahead numbers every record's value and keeps, of equal values, the first record's,
    where the comparisons' own read keeps the first paired record's. crmcore's reads are
    texts, whole numbers, ``None`` and tuples of them, alike whenever equal; a plugin's may
    be equal and not alike (``Decimal("1.0")`` and ``Decimal("1.00")``) and prepare apart,
    so it reads its values itself, as without a read ahead.
    """
    return type(comparator).__module__.startswith("crmcore.")


def _same(value: Any) -> Any:
    return value


def _emails_read(emails: tuple[str, ...], names: Any) -> Any:
    """What the email comparison reads of a record from its emails' and names' values."""
    return (emails, names) if emails else ((), ())


_READ_AS: tuple[tuple[Callable[..., Any], tuple[ColumnOf, ...], Callable[..., Any]], ...] = (
    (_Names.read, (names_of,), _same),
    (ExternalIds.read, (external_ids_of,), _same),
    (CompanyNames.read, (organisations_of,), _same),
    (Emails.read, (emails_of, names_of), _emails_read),
)
"""The comparators' reads made of blocking columns' values, whatever the context: the given
and family name of each name, the system and value of each id, the organisation's names,
the normalised emails with the names (none without an email), each as written. A
comparator whose class reads otherwise is read as it says."""


def _e164s(read: tuple[tuple[Any, Any], ...]) -> tuple[Any, ...]:
    """The phones column's value from the phone comparison's read: each number's E.164 form."""
    return tuple([e164 for e164, _ in read])


def _births_read(comparator: FieldComparator[Any]) -> bool:
    """Whether ``comparator`` reads the dates of birth as the births column does (a date
    comparison of the fields of category ``birth_date``, not of one path)."""
    return getattr(comparator, "path", None) is None


def _all_read(comparator: FieldComparator[Any]) -> bool:
    """Any comparator of its class reads as the column does."""
    return True


_MADE_OF: tuple[
    tuple[Callable[..., Any], ColumnOf, Callable[[Any], Any] | None, Callable[..., bool]], ...
] = (
    (Phones.read, blocking_values.phones_of, _e164s, _all_read),
    (Dates.read, blocking_values.births_of, None, _births_read),
)
"""The blocking columns made of a comparison's read, whatever the context: the phones' E.164
forms of the phone comparison's numbers and extensions, the dates of birth as the date
comparison reads them (with the unreadable ones kept in the quarantine). Each record's value
is the column's value of that record, so the column is not read again: its values are made
of the comparison's distinct values by the rules that read them (an :class:`Extracted`'s
``value_of``), in their own processes. (The addresses' postal codes and lines are read
apart: made of the address comparison's five fields, they cost the rules more than a read.)"""


def _columns_made(
    reads: Sequence[ComparatorRead], columns: Sequence[ColumnOf]
) -> dict[ColumnOf, tuple[ComparatorRead, Callable[[Any], Any] | None]]:
    """The ``columns`` made of one of ``reads`` (:data:`_MADE_OF`), with the read and how."""
    made: dict[ColumnOf, tuple[ComparatorRead, Callable[[Any], Any] | None]] = {}
    for owner, column, value_of, fits in _MADE_OF:
        if column not in columns:
            continue
        for read in reads:
            comparator = read.comparator
            if type(comparator).read is owner and read_ahead(comparator) and fits(comparator):
                made[column] = (read, value_of)
                break
    return made


def _column_read(
    comparator: FieldComparator[Any],
) -> tuple[tuple[ColumnOf, ...], Callable[..., Any]] | None:
    """The columns whose values make what ``comparator`` reads of a record, and how."""
    read = type(comparator).read
    return next(((columns, make) for owner, columns, make in _READ_AS if read is owner), None)


def _as_read(columns: Sequence[Extracted], make: Callable[..., Any]) -> Extracted:
    """Columns' values made a comparator's read of them (``make`` of each record's values):
    the distinct values read, numbered in the order of the records that first have them,
    as a read of the records numbers them, and each record's."""
    rows, inverse = _distinct_rows(columns)
    order = first_come(inverse)  # the rows as their first records come
    values = [make(*rows[row]) for row in order.tolist()]
    codes, kept = numbered(values, len(values))
    table = np.zeros(len(rows), dtype=np.int64)
    table[order] = codes
    return Extracted(kept, table[inverse])


def read_shared(
    records: Sequence[Any],
    columns: Sequence[ColumnOf],
    comparators: Sequence[FieldComparator[Any]],
    ctx: CompareContext,
    jobs: int,
) -> SharedRead:
    """``columns`` and what each of ``comparators`` (split ones) reads of every record, each
    read whole by one of ``jobs`` processes (:func:`~._blocking_columns.extract`), the
    comparators' first: they read the most. A comparator whose read is made of columns'
    values (the names, ids, organisation, emails) is made it from them, not read again, and a
    column made of a comparator's read (the phones, the dates of birth) is not read
    either: one pass over the records for each value, however many read it. A
    column or comparator that raised is left out (the stage reading it reads the records,
    and reports the error as it does)."""
    reads = [ComparatorRead(comparator, ctx) for comparator in comparators]
    derived = {read: _column_read(read.comparator) for read in reads}
    direct = [read for read in reads if derived[read] is None]
    made = _columns_made(direct, columns)  # not read: made of a comparison's read
    chosen: list[ColumnOf] = [*direct, *(column for column in columns if column not in made)]
    chosen += [c for columns_of in derived.values() if columns_of for c in columns_of[0]]
    with paused_collector():  # the reads make no cycle: no collection scans their values
        found = dict(extract(records, chosen, jobs=jobs, first=chosen))
        for column, (read, value_of) in made.items():
            if read in found:
                found[column] = Extracted(found[read].values, found[read].codes, value_of)
        for read, columns_of in derived.items():  # read once, as columns: numbered again
            if columns_of is not None and all(column in found for column in columns_of[0]):
                found[read] = _as_read([found[column] for column in columns_of[0]], columns_of[1])
    return SharedRead(records, found)
