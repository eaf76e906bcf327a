"""The indexed batch form of a :class:`~crmcore.dedup.comparator.FieldComparator`.

Pairs are positions in a sequence of records. Each record is prepared once; its prepared
value is interned (equal values share a code), and each distinct ordered pair of codes is
compared once with the comparator's own ``compare_prepared``: the levels are those of the
per-pair form by construction, computed once per distinct pair of values instead of once
per pair of records. The answer is an array of level positions, gathered with NumPy.
Inside :func:`prepared_once` (a preset's run) a record is prepared once per comparator for
every stage: the candidate pairs and the random pairs of the u estimate share the work.
"""

from __future__ import annotations

import pickle
from abc import abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import chain, count, filterfalse
from typing import Any, Generic, Protocol, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from crmcore.dedup._forked import numbered
from crmcore.dedup.comparator import NULL, FieldComparator, RankedComparator
from crmcore.dedup.context import CompareContext
from crmcore.dedup.errors import ComparatorError

__all__ = [
    "CLASSES",
    "Flat",
    "Indices",
    "Interned",
    "Read",
    "ReadEvery",
    "ReadParts",
    "Table",
    "Tabled",
    "TextRows",
    "best",
    "class_counts",
    "classes_apart",
    "codes_of",
    "first_come",
    "flat",
    "flat_pairs",
    "halves",
    "indexed_levels",
    "intern_prepared",
    "interned",
    "interned_levels",
    "involved",
    "item_pairs",
    "lengths",
    "level_names",
    "one_edit",
    "prepared_once",
    "prepared_reads",
    "prepared_unkept",
    "read_interned",
    "read_part",
    "same",
    "table_ranks",
]

Indices = npt.NDArray[np.int64]

V = TypeVar("V")
T = TypeVar("T")


class Tabled(Generic[V, T]):
    """A :class:`~crmcore.dedup.comparator.RankedComparator` whose ranks come from a table
    of its distinct prepared values: what each value's pairs read of it (its items laid
    flat, :attr:`Table.items`, and codes of their parts) made once, by
    :meth:`indexed_table`, then the ranks of the pairs of items by :meth:`item_ranks`, in
    arrays, a pair of values at the best of its pairs of items (:func:`table_ranks`).

    Its ``indexed_ranks`` is :func:`table_ranks` of ``indexed_table(values)``; the batch
    stage (:func:`interned_levels`) makes the table once for every value and every piece
    of pairs, where ``indexed_ranks`` would make it again for the values of each piece.
    """

    __slots__ = ()

    @abstractmethod
    def indexed_table(self, values: Sequence[V], ctx: CompareContext) -> T:
        """What :meth:`item_ranks` reads of ``values``, made once."""

    @abstractmethod
    def item_ranks(self, table: T, xs: Indices, ys: Indices, ctx: CompareContext) -> Indices:
        """The rank of each pair of items ``xs[i]``, ``ys[i]`` (positions in the items of
        :meth:`indexed_table`)."""


class Table(Protocol):
    """What every table of a :class:`Tabled` comparator holds: its values' items laid flat."""

    @property
    def items(self) -> Flat: ...


def table_ranks(
    comparator: Tabled[Any, Any], table: Table, left: Indices, right: Indices, ctx: CompareContext
) -> Indices:
    """The rank of each pair of values ``left[i]``, ``right[i]`` (their positions in the
    values of the table): the best of its pairs of items."""
    xs, ys, starts = flat_pairs(table.items, left, right)
    return best(comparator.item_ranks(table, xs, ys, ctx), starts)


_Store = dict[int, tuple[Any, Any]]  # id(record) -> (record, its prepared value)
_PREPARED: ContextVar[dict[tuple[int, int], tuple[Any, Any, _Store]] | None] = ContextVar(
    "crmcore_dedup_prepared", default=None
)


@contextmanager
def prepared_once() -> Iterator[None]:
    """Within it, :func:`intern_prepared` prepares each record once per comparator and context.

    Prepared values are pure functions of an immutable record, so reusing one changes no
    level. The values are kept only until the block ends (a context variable: one store per
    thread or task).
    """
    token = _PREPARED.set({})
    try:
        yield
    finally:
        _PREPARED.reset(token)


@contextmanager
def prepared_unkept() -> Iterator[None]:
    """Within it, no prepared value is kept for later, even inside :func:`prepared_once`.

    For a pass that prepares every record it compares once by itself (a column of the level
    matrix, the candidate pairs and the random pairs of u together): keeping the values of
    a million records for a later stage that reads few of them again holds gigabytes.
    """
    token = _PREPARED.set(None)
    try:
        yield
    finally:
        _PREPARED.reset(token)


def _prepare_with(comparator: FieldComparator[Any], ctx: CompareContext) -> Callable[[Any], Any]:
    """``comparator.prepare(record, ctx)``, remembered inside :func:`prepared_once`."""
    memo = _PREPARED.get()
    if memo is None:
        return lambda record: comparator.prepare(record, ctx)
    key = (id(comparator), id(ctx))
    entry = memo.get(key)
    if entry is None or entry[0] is not comparator or entry[1] is not ctx:
        entry = memo[key] = (comparator, ctx, {})
    store: _Store = entry[2]

    def prepare(record: Any) -> Any:
        found = store.get(id(record))
        if found is not None and found[0] is record:
            return found[1]
        value = comparator.prepare(record, ctx)
        store[id(record)] = (record, value)
        return value

    return prepare


def intern_prepared(
    comparator: FieldComparator[Any],
    records: Sequence[Any],
    used: Indices,
    ctx: CompareContext,
) -> tuple[Indices, list[Any]]:
    """Each record's code (``-1`` when missing or not among ``used``) and the distinct values.

    A value that cannot be hashed gets a code of its own.
    """
    codes = np.full(len(records), -1, dtype=np.int64)
    distinct, code_of = _interner()
    prepare = _prepare_with(comparator, ctx)
    for position in used.tolist():
        value = prepare(records[position])
        if value is not None:
            codes[position] = code_of(value)
    return codes, distinct


def _interner() -> tuple[list[Any], Callable[[Any], int]]:
    """A list of distinct values, empty, and the function that gives a value its code in it
    (appending it when new; a value that cannot be hashed gets a code of its own)."""
    distinct: list[Any] = []
    seen: dict[Any, int] = {}

    def code_of(value: Any) -> int:
        try:
            code = seen.get(value)
        except TypeError:  # unhashable: compared as its own value
            code = None
            key = None
        else:
            key = value
        if code is None:
            code = len(distinct)
            distinct.append(value)
            if key is not None:
                seen[key] = code
        return code

    return distinct, code_of


def involved(count: int, left: Indices, right: Indices) -> Indices:
    """The positions (of ``count`` records) in ``left`` or ``right``, ascending, each once.

    Marked in an array of ``count`` flags: linear, where ``np.unique`` would sort or hash
    every position of every pair.
    """
    marked = np.zeros(count, dtype=np.bool_)
    marked[left] = True
    marked[right] = True
    return np.flatnonzero(marked).astype(np.int64, copy=False)


@attrs.frozen(eq=False)
class Interned:
    """What a comparator's batch form reads of the records: each record's prepared value as a
    code into the distinct values (:func:`intern_prepared`), and how many records were read."""

    codes: Indices
    distinct: list[Any]
    used: int


@attrs.frozen(eq=False)
class Read:
    """What a split comparator (:meth:`~crmcore.dedup.comparator.FieldComparator.split`) reads
    of the records: each record's read value as a code into the distinct read values (``-1``
    for a record not read), and how many records are in a pair. Nothing of the records is in
    it: the values are plain ones, fresh copies, prepared with :func:`prepared_reads` on any
    process."""

    codes: Indices
    distinct: list[Any]
    used: int


def read_interned(
    comparator: FieldComparator[Any],
    records: Sequence[Any],
    left: Indices,
    right: Indices,
    ctx: CompareContext,
    *,
    every: bool = False,
) -> Read:
    """What ``comparator`` reads (:meth:`~crmcore.dedup.comparator.FieldComparator.read`) of
    the records in ``left`` or ``right`` (of every record with ``every``; :attr:`Read.used`
    still counts those in a pair), interned: one cheap pass over the records, each distinct
    value read kept once."""
    used = involved(len(records), left, right)
    at = np.arange(len(records), dtype=np.int64) if every else used
    codes = np.full(len(records), -1, dtype=np.int64)
    codes[at], kept = read_part(comparator, records, at, ctx)
    return Read(codes, pickle.loads(kept), len(used))


def read_part(
    comparator: FieldComparator[Any], records: Sequence[Any], at: Indices, ctx: CompareContext
) -> tuple[Indices, bytes]:
    """What ``comparator`` reads of the records at positions ``at``, :func:`numbered`: each
    one's code and the distinct values read, pickled (a process that read a part for
    another sends the bytes as they are)."""
    read = comparator.read
    return numbered((read(records[i], ctx) for i in at.tolist()), len(at))


@attrs.frozen(eq=False)
class ReadParts:
    """What a split comparator read of the records at positions ``at``, cut in contiguous
    parts read apart (:func:`read_part` of each, perhaps on other processes): each part's
    codes, numbered within the part, and its distinct values, pickled. :meth:`joined` is the
    :class:`Read` of :func:`read_interned` of the same positions, value for value: the values
    are unpickled there only (by the process that prepares them)."""

    size: int
    at: Indices
    codes: tuple[Indices, ...]
    kept: tuple[bytes, ...]
    used: int

    def joined(self) -> Read:
        """The parts as one :class:`Read`: a value read in two parts kept once, where its
        first part put it (the values are numbered in the order of the records that first
        have them, as :func:`read_interned` numbers them)."""
        seen: dict[Any, int] = {}
        number = seen.setdefault
        found = []
        for codes, kept in zip(self.codes, self.kept, strict=True):
            values = pickle.loads(kept)
            if seen:
                table = np.fromiter(
                    (number(value, len(seen)) for value in values),
                    dtype=np.int64,
                    count=len(values),
                )
                found.append(table[codes])
            else:  # the first part's values are distinct: numbered as they come
                seen = dict(zip(values, range(len(values)), strict=True))
                number = seen.setdefault
                found.append(codes)
        codes = np.full(self.size, -1, dtype=np.int64)
        if found:
            codes[self.at] = np.concatenate(found)
        return Read(codes, list(seen), self.used)


@attrs.frozen(eq=False)
class ReadEvery:
    """What a split comparator read of every record, :func:`numbered` (each record's code,
    the distinct values pickled), for the records at positions ``at`` (ascending):
    :meth:`joined` is the :class:`Read` of :func:`read_interned` of those positions, value
    for value. The values are unpickled there only (by the process that prepares them)."""

    at: Indices
    codes: Indices
    kept: bytes
    used: int

    def joined(self) -> Read:
        """The values of the records at ``at`` as one :class:`Read`: numbered in the order of
        the records that first have them, those of no record at ``at`` left out."""
        values = pickle.loads(self.kept)
        if len(self.at) == len(self.codes):  # every record: numbered as it was read
            return Read(self.codes, values, self.used)
        mine = self.codes[self.at]
        order = first_come(mine)
        renumber = np.zeros(len(values), dtype=np.int64)
        renumber[order] = np.arange(len(order), dtype=np.int64)
        codes = np.full(len(self.codes), -1, dtype=np.int64)
        codes[self.at] = renumber[mine]
        return Read(codes, [values[code] for code in order.tolist()], self.used)


def prepared_reads(comparator: FieldComparator[Any], found: Read, ctx: CompareContext) -> Interned:
    """The records' prepared values, interned, from what was read of them (:func:`read_interned`):
    each distinct value read is prepared once
    (:meth:`~crmcore.dedup.comparator.FieldComparator.prepare_read`). Equal to
    :func:`interned` of the same records: the prepared values are numbered in the order of
    the records that first have them, either way."""
    distinct, code_of = _interner()
    table = np.full(len(found.distinct) + 1, -1, dtype=np.int64)  # the last: -1 stays -1
    prepare = comparator.prepare_read
    for code, value in enumerate(found.distinct):
        prepared = prepare(value, ctx)
        if prepared is not None:
            table[code] = code_of(prepared)
    return Interned(table[found.codes], distinct, found.used)


def interned(
    comparator: FieldComparator[Any],
    records: Sequence[Any],
    left: Indices,
    right: Indices,
    ctx: CompareContext,
    *,
    every: bool = False,
) -> Interned:
    """The prepared values of the records in ``left`` or ``right``, interned: all that
    :func:`interned_levels` reads of ``records``. With ``every``, those of every record
    (:attr:`Interned.used` still counts the records in a pair)."""
    used = involved(len(records), left, right)
    read = np.arange(len(records), dtype=np.int64) if every else used
    codes, distinct = intern_prepared(comparator, records, read, ctx)
    return Interned(codes, distinct, len(used))


def indexed_levels(
    comparator: FieldComparator[Any],
    records: Sequence[Any],
    left: Indices,
    right: Indices,
    ctx: CompareContext,
    level_index: Callable[[str], int],
) -> npt.NDArray[np.int16]:
    """The level position (by ``level_index``) of each pair of ``left`` and ``right`` positions.

    Equal to ``level_index(comparator(records[left[i]], records[right[i]], ctx))`` for every
    ``i``: ``null`` where a side is missing, else ``compare_prepared`` of the two values.
    """
    if not len(left):
        return np.full(0, level_index(NULL), dtype=np.int16)
    values = interned(comparator, records, left, right, ctx)
    return interned_levels(comparator, values, left, right, ctx, level_index)


def interned_levels(
    comparator: FieldComparator[Any],
    values: Interned,
    left: Indices,
    right: Indices,
    ctx: CompareContext,
    level_index: Callable[[str], int],
) -> npt.NDArray[np.int16]:
    """:func:`indexed_levels` from the records' interned values (:func:`interned` of the same
    pairs): no record is read."""
    found = np.full(len(left), level_index(NULL), dtype=np.int16)
    if not len(left):
        return found
    codes, distinct = values.codes, values.distinct
    ranked = _ranker(comparator)
    # nearly every value distinct: each pair compared in arrays, no sort of the pairs
    each = ranked is not None and 2 * len(distinct) >= values.used
    tabled = _tabled(comparator) if ranked is not None else None
    if tabled is not None:
        return _table_levels(comparator, tabled, values, left, right, ctx, level_index, found)
    for start in range(0, len(left), PAIRS_AT_ONCE):
        stop = start + PAIRS_AT_ONCE
        found[start:stop] = _chunk_levels(
            comparator,
            distinct,
            codes[left[start:stop]],
            codes[right[start:stop]],
            ctx,
            level_index,
            ranked,
            each,
            found[start:stop],
        )
    return found


def _table_levels(
    comparator: FieldComparator[Any],
    tabled: Tabled[Any, Any],
    values: Interned,
    left: Indices,
    right: Indices,
    ctx: CompareContext,
    level_index: Callable[[str], int],
    found: npt.NDArray[np.int16],
) -> npt.NDArray[np.int16]:
    """:func:`interned_levels` of a :class:`Tabled` comparator: its table made once for
    every piece of pairs. With few distinct values, each pair of values is ranked once for
    every piece (:class:`_Known`), where the pieces would rank a pair again."""
    codes, width = values.codes, len(values.distinct)
    each = 2 * width >= values.used  # nearly every value distinct: no sort of the pairs
    table = tabled.indexed_table(values.distinct, ctx)
    known = _Known(width, values.used)

    def ranked(keys: Indices) -> Indices:
        x, y = np.divmod(keys, width)
        return table_ranks(tabled, table, x, y, ctx)

    for start in range(0, len(left), PAIRS_AT_ONCE):
        stop = start + PAIRS_AT_ONCE
        a, b = codes[left[start:stop]], codes[right[start:stop]]
        both = (a >= 0) & (b >= 0)
        if not both.any():
            continue
        if each:
            ranks = table_ranks(tabled, table, a[both], b[both], ctx)
        elif known.square is not None:  # no sort of the pairs whose values are known
            ranks = known.each(a[both] * width + b[both], ranked)
        else:
            keys, inverse = np.unique(a[both] * width + b[both], return_inverse=True)
            ranks = known.ranks(keys, ranked)[inverse.reshape(-1)]
        found[start:stop][both] = _positions(comparator, ranks, level_index)
    return found


class _Known:
    """The ranks of the pairs of values (keys ``a * width + b``) found by earlier pieces of
    pairs, where values are few (many records to a value: pairs of values come again in
    every piece): a square of a byte a pair of values when it holds :data:`KNOWN_AT_MOST`,
    else the keys found, sorted, and their ranks. With many values, none are kept."""

    def __init__(self, width: int, used: int) -> None:
        self.square = (
            np.full(width * width, -1, dtype=np.int8) if width * width <= KNOWN_AT_MOST else None
        )
        self.kept = self.square is None and width * FEW_VALUES <= used
        self.keys = np.zeros(0, dtype=np.int64)
        self.found = np.zeros(0, dtype=np.int8)

    def each(self, keys: Indices, ranked: Callable[[Indices], Indices]) -> Indices:
        """The ranks of ``keys`` (in any order, repeated), read in the square: the pairs of
        values it does not hold yet ranked once each (sorted) and kept."""
        assert self.square is not None
        ranks = self.square[keys].astype(np.int64)
        new = np.flatnonzero(ranks < 0)
        if len(new):
            unknown, inverse = np.unique(keys[new], return_inverse=True)
            found = ranked(unknown)
            self.square[unknown] = found
            ranks[new] = found[inverse.reshape(-1)]
        return ranks

    def ranks(self, keys: Indices, ranked: Callable[[Indices], Indices]) -> Indices:
        """The ranks of ``keys`` (ascending, distinct): those known read, the others
        ``ranked`` and kept."""
        if self.square is not None:
            ranks = self.square[keys].astype(np.int64)
            new = np.flatnonzero(ranks < 0)
            ranks[new] = ranked(keys[new])
            self.square[keys[new]] = ranks[new]
            return ranks
        if not self.kept:
            return ranked(keys)
        at = np.searchsorted(self.keys, keys)
        hit = at < len(self.keys)
        hit[hit] = self.keys[at[hit]] == keys[hit]
        ranks = np.zeros(len(keys), dtype=np.int64)
        ranks[hit] = self.found[at[hit]]
        new = np.flatnonzero(~hit)
        ranks[new] = ranked(keys[new])
        self.keys = np.insert(self.keys, at[new], keys[new])  # still ascending
        self.found = np.insert(self.found, at[new], ranks[new].astype(np.int8))
        return ranks


FEW_VALUES = 8
"""The fewest records to a distinct value (on average) for :class:`_Known` to keep the
ranks of pairs of values past the square: the values of an organisation's name, not those
of an email."""

KNOWN_AT_MOST = 1 << 24
"""The most pairs of distinct values whose ranks :class:`_Known` keeps in a square (16 MiB:
4,096 distinct values)."""

PAIRS_AT_ONCE = 1 << 20
"""Pairs compared at a time by :func:`indexed_levels`, about a million: the temporary
arrays of a comparison (value codes, keys and their sort, a comparator's item pairs; about
100 bytes a pair at the peak of the addresses) grow with the pairs of one piece, not with
every pair, in this process and in each worker. A pair's level depends on its two values
only: the pieces give the levels the whole would."""


def _chunk_levels(
    comparator: FieldComparator[Any],
    distinct: list[Any],
    a: Indices,
    b: Indices,
    ctx: CompareContext,
    level_index: Callable[[str], int],
    ranked: Callable[..., Indices] | None,
    each: bool,
    found: npt.NDArray[np.int16],
) -> npt.NDArray[np.int16]:
    """The levels of the pairs of value codes ``a``, ``b`` (``-1``: missing) into ``found``
    (``null`` already), each distinct pair of values compared once."""
    both = (a >= 0) & (b >= 0)
    if not both.any():
        return found
    distinct, a, b = _in_chunk(distinct, a, b, both)
    if ranked is not None and each:
        found[both] = _positions(comparator, ranked(distinct, a[both], b[both], ctx), level_index)
        return found
    width = len(distinct)
    keys, inverse = np.unique(a[both] * width + b[both], return_inverse=True)
    x, y = np.divmod(keys, width)
    if ranked is not None:
        levels = _positions(comparator, ranked(distinct, x, y, ctx), level_index)
    else:
        names = comparator.compare_indexed(distinct, x, y, ctx)
        if len(names) != len(keys):
            raise ComparatorError(f"a comparator gave {len(names)} levels for {len(keys)} pairs")
        positions = {name: level_index(name) for name in set(names)}
        levels = np.fromiter(map(positions.__getitem__, names), dtype=np.int16, count=len(keys))
    found[both] = levels[inverse.reshape(-1)]
    return found


def _in_chunk(
    distinct: list[Any], a: Indices, b: Indices, both: npt.NDArray[np.bool_]
) -> tuple[list[Any], Indices, Indices]:
    """The values that the pairs ``a``, ``b`` where ``both`` read, and those pairs' codes
    renumbered into them (``-1`` kept).

    A comparator's batch form works on every value it is given (the parts of each address
    coded, each email a row of code points): given only the values of one piece of pairs,
    its work grows with those, not with every record's value once per piece (a piece of a
    million pairs reads a few percent of a million contacts' values).
    """
    wanted = np.zeros(len(distinct), dtype=np.bool_)
    wanted[a[both]] = True
    wanted[b[both]] = True
    kept = np.flatnonzero(wanted)
    if len(kept) == len(distinct):
        return distinct, a, b
    renumber = np.full(len(distinct) + 1, -1, dtype=np.int64)  # the last: -1 stays -1
    renumber[kept] = np.arange(len(kept), dtype=np.int64)
    return [distinct[code] for code in kept.tolist()], renumber[a], renumber[b]


def _ranker(comparator: FieldComparator[Any]) -> Callable[..., Indices] | None:
    """The comparator's :meth:`~RankedComparator.indexed_ranks`, unless a subclass compares
    in its own way (its own ``compare_prepared`` or ``compare_indexed``): ``None`` then, or
    when it has none."""
    if not isinstance(comparator, RankedComparator) or not comparator.ranked():
        return None
    if type(comparator).compare_indexed is not RankedComparator.compare_indexed:
        return None
    return comparator.indexed_ranks


def _tabled(comparator: FieldComparator[Any]) -> Tabled[Any, Any] | None:
    """The comparator when it is :class:`Tabled` and its ``indexed_ranks`` is the one of
    the class that wrote its table (``None`` when a subclass compares in its own way)."""
    if not isinstance(comparator, Tabled):
        return None
    owner = next(found for found in type(comparator).__mro__ if "indexed_ranks" in vars(found))
    return comparator if "indexed_table" in vars(owner) else None


def _positions(
    comparator: FieldComparator[Any], ranks: Indices, level_index: Callable[[str], int]
) -> npt.NDArray[np.int16]:
    """Ranks (positions in the comparator's levels) made positions by ``level_index``."""
    names = comparator.levels
    table = np.zeros(len(names), dtype=np.int16)
    for rank in np.flatnonzero(np.bincount(ranks, minlength=len(names))).tolist():
        table[rank] = level_index(names[rank])
    return table[ranks]


def codes_of(values: Sequence[Any], *, missing: Callable[[Any], bool] | None = None) -> Indices:
    """Each value's code (equal values share one, numbered in the order they first come);
    ``-1`` where ``missing(value)``.

    Each distinct value is numbered (and asked ``missing``) once, in dicts built in C, no
    loop of Python's over the values; the values are looked up in it in C too.
    """
    distinct: Iterable[Any] = dict.fromkeys(values)
    seen: dict[Any, int] = {}
    if missing is not None:
        seen = dict.fromkeys(distinct, -1)
        distinct = list(filterfalse(missing, distinct))
    seen.update(zip(distinct, count()))
    return np.fromiter(map(seen.__getitem__, values), dtype=np.int64, count=len(values))


CLASSES = 32
"""The classes of characters :func:`class_counts` counts: a code point modulo 32 (``a`` to
``z`` one each, a digit sharing a class with a letter)."""


def class_counts(texts: Sequence[str]) -> npt.NDArray[np.uint8]:
    """How many characters of each text fall in each class of :data:`CLASSES` (255 at most).

    An edit changes these counts by two at most (a character changed: one class less, one
    more; inserted or deleted: one; two swapped: none), so the counts of two texts bound the
    edits between them from below. Any string is counted, a lone surrogate too.
    """
    counts = np.zeros((len(texts), CLASSES), dtype=np.uint8)
    for row, text in enumerate(texts):
        if text:
            points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            found = np.bincount(points % CLASSES)
            counts[row, : len(found)] = np.minimum(found, 255)
    return counts


def classes_apart(counts: npt.NDArray[np.uint8], xs: Indices, ys: Indices) -> Indices:
    """How far apart the texts ``xs[i]`` and ``ys[i]`` are, counted by class: the sum over the
    classes of the difference of their :func:`class_counts` rows ``counts``."""
    apart: Indices = np.abs(counts[xs].astype(np.int16) - counts[ys]).sum(axis=1, dtype=np.int64)
    return apart


def first_come(codes: Indices) -> Indices:
    """The distinct values of ``codes`` in the order they first come."""
    seen, first = np.unique(codes, return_index=True)
    return seen[np.argsort(first, kind="stable")]


def lengths(texts: Sequence[Collection[Any]]) -> Indices:
    """The length of each text (or collection), counted in C."""
    return np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))


def same(codes: Indices, left: Indices, right: Indices) -> npt.NDArray[np.bool_]:
    """Where both sides have a code (not ``-1``) and it is the same."""
    a, b = codes[left], codes[right]
    return np.asarray((a == b) & (a >= 0))


@attrs.frozen(eq=False)
class Flat:
    """Collections of items laid flat: every item in one list, each collection's items from
    ``offsets[i]``, ``counts[i]`` of them (:func:`flat`)."""

    items: list[Any]
    offsets: Indices
    counts: Indices


def flat(values: Sequence[Collection[Any]]) -> Flat:
    """The items of ``values`` in one list, and where each value's start and how many."""
    counts = lengths(values)
    offsets = np.zeros(len(values), dtype=np.int64)
    np.cumsum(counts[:-1], out=offsets[1:])
    return Flat(list(chain.from_iterable(values)), offsets, counts)


def flat_pairs(items: Flat, left: Indices, right: Indices) -> tuple[Indices, Indices, Indices]:
    """Every pair of items of the pairs of collections ``left[i]``, ``right[i]`` of
    ``items``: the positions in ``items.items`` of each item pair's two sides, and where each
    pair's item pairs start (for :func:`best`). Every collection has an item.

    Where every collection of a pair has one item (most records have one phone, one email),
    the item pairs are the pairs: no pair is spread.
    """
    counts, offsets = items.counts, items.offsets
    wide = counts[right]
    many = counts[left] * wide
    if not len(many) or int(many.max()) == 1:
        return offsets[left], offsets[right], np.arange(len(left), dtype=np.int64)
    starts = np.zeros(len(left), dtype=np.int64)
    np.cumsum(many[:-1], out=starts[1:])
    total = int(starts[-1] + many[-1])
    xs, ys = np.empty(total, dtype=np.int64), np.empty(total, dtype=np.int64)
    one = many == 1  # most pairs: their one item pair where it starts
    xs[starts[one]], ys[starts[one]] = offsets[left[one]], offsets[right[one]]
    spread = np.flatnonzero(~one)  # the others spread, item by item
    size = many[spread]
    first = np.zeros(len(spread), dtype=np.int64)
    np.cumsum(size[:-1], out=first[1:])
    owner = np.repeat(spread, size)
    within = np.arange(int(size.sum()), dtype=np.int64) - np.repeat(first, size)
    at = starts[owner] + within
    xs[at] = offsets[left[owner]] + within // wide[owner]
    ys[at] = offsets[right[owner]] + within % wide[owner]
    return xs, ys, starts


def item_pairs(
    values: Sequence[Collection[Any]], left: Indices, right: Indices
) -> tuple[list[Any], Indices, Indices, Indices]:
    """Every pair of items of the pairs of collections ``(values[left[i]], values[right[i]])``.

    Returns the items of every value (in one list), the positions in it of each item pair's
    two sides, and where each pair's item pairs start (for :func:`best`). Every value has an
    item.
    """
    items = flat(values)
    return (items.items, *flat_pairs(items, left, right))


def best(ranks: Indices, starts: Indices) -> Indices:
    """The smallest rank of each pair's item pairs (``starts`` from :func:`item_pairs`)."""
    if not len(starts):
        return np.zeros(0, dtype=np.int64)
    if len(starts) == len(ranks):  # one item pair a pair
        return np.asarray(ranks, dtype=np.int64)
    return np.asarray(np.minimum.reduceat(ranks, starts), dtype=np.int64)


class TextRows:
    """Texts, and their rows of code points (:func:`one_edit`'s) once a call reads most of
    them: kept for the next calls, the pieces of pairs of one table.

    A piece of a million pairs of a million contacts reads most of a table's texts (every
    phone number, every email's local part): making their rows again for every piece would
    cost more with each piece, the more so the more records. Rows too large to keep
    (:data:`ROWS_KEPT_AT_MOST`) are made for each piece, of its texts only.
    """

    __slots__ = ("_halves", "_large", "_rows", "length", "texts")

    def __init__(self, texts: Sequence[str], length: Indices | None = None) -> None:
        self.texts = texts
        self.length = lengths(texts) if length is None else length
        self._rows: tuple[npt.NDArray[Any], npt.NDArray[Any]] | None = None
        self._large: bool | None = None  # whether the rows are too large to keep, once known
        self._halves: tuple[Indices, Indices] | None = None

    def halves(self, kept: int) -> tuple[Indices, Indices] | None:
        """:func:`halves` of every text, made once, when a call reads ``kept`` of them, half
        or more; ``None`` else (made for every text, they would cost more than they save)."""
        if self._halves is None and 2 * kept >= len(self.texts):
            self._halves = halves(self.texts)
        return self._halves

    def rows(self, kept: int) -> tuple[npt.NDArray[Any], npt.NDArray[Any]] | None:
        """The rows (ahead, behind) of every text, made now when a call reads ``kept`` of
        them, half or more, and they are not too large; ``None`` else."""
        if self._rows is None and 2 * kept >= len(self.texts):
            if self._large is None:
                self._large = not self._fits()
            if not self._large:
                self._rows = _code_rows(self.texts, self.length)
        return self._rows

    def _fits(self) -> bool:
        """Whether the rows of every text take :data:`ROWS_KEPT_AT_MOST` bytes at most."""
        width = max(1, int(self.length.max())) if len(self.length) else 1
        size = 1 if all(map(str.isascii, self.texts)) else 4
        return 2 * len(self.texts) * width * size <= ROWS_KEPT_AT_MOST


ROWS_KEPT_AT_MOST = 1 << 27
"""The most bytes of rows of code points a :class:`TextRows` keeps (128 MiB: a million
texts of 64 ASCII characters, ahead and behind)."""


def one_edit(texts: Sequence[str] | TextRows, xs: Indices, ys: Indices) -> npt.NDArray[np.bool_]:
    """Where ``texts[xs[i]]`` and ``texts[ys[i]]`` are one edit apart or equal
    (Damerau-Levenshtein: a character inserted, deleted, changed, or two neighbours swapped).

    In arrays: each pair's common prefix and suffix are measured on the texts as rows of
    code points, and one edit is what they leave: one character of each (a change), one of
    the longer (an insertion), or two swapped neighbours. ``texts`` as :class:`TextRows`
    keeps the rows it makes for the next calls (when a call reads most of them). The rows'
    width and type do not change an answer: a prefix and a suffix are counted within the
    shorter text, and an ASCII text's bytes are its code points.

    >>> one_edit(["0612", "0621", "0613", "612", "6012"], np.array([0, 0, 0, 1]),
    ...     np.array([1, 2, 3, 4]))
    array([ True,  True,  True, False])
    """
    found = np.zeros(len(xs), dtype=np.bool_)
    kept_rows: TextRows | None = None
    words: Sequence[str]
    if isinstance(texts, TextRows):
        kept_rows, words, length = texts, texts.texts, texts.length
    else:
        words, length = texts, lengths(texts)
    rows = np.flatnonzero(np.abs(length[xs] - length[ys]) <= 1)
    if not len(rows):
        return found
    # only the texts of those pairs made rows of code points: a table's texts are every
    # value's, the pairs of one piece read a part of them (unless kept for every piece)
    kept = involved(len(words), xs[rows], ys[rows])
    made = None if kept_rows is None else kept_rows.rows(len(kept))
    split = None if kept_rows is None else kept_rows.halves(len(kept))
    if split is not None:  # only the pairs that share a half, or of two lengths
        first, last = split
        x, y = xs[rows], ys[rows]
        rows = rows[(length[x] != length[y]) | (first[x] == first[y]) | (last[x] == last[y])]
        if not len(rows):
            return found
        kept = involved(len(words), xs[rows], ys[rows])
    if made is None and len(kept) < len(words):
        renumber = np.zeros(len(words), dtype=np.int64)
        renumber[kept] = np.arange(len(kept), dtype=np.int64)
        words, length = [words[i] for i in kept.tolist()], length[kept]
        xs, ys = renumber[xs], renumber[ys]
    ahead, behind = _code_rows(words, length) if made is None else made
    step = max(1, (1 << 22) // ahead.shape[1])
    for start in range(0, len(rows), step):
        chosen = rows[start : start + step]
        x, y = xs[chosen], ys[chosen]
        found[chosen] = _one_edit_rows(ahead, behind, length, x, y)
    return found


def halves(texts: Sequence[str]) -> tuple[Indices, Indices]:
    """Each text's code of its first half and of what follows the character after it
    (``text[:n // 2]``, ``text[n // 2 + 1:]``, ``n`` its length).

    Two texts of one length one edit apart (a character changed, or two neighbours swapped)
    share one or the other: an edit at ``n // 2`` or after leaves the first half, one before
    it changes no character past ``n // 2``. Most pairs of texts of one length share
    neither: :func:`one_edit` compares their rows of code points only where they do.
    """
    return (
        codes_of([text[: len(text) // 2] for text in texts]),
        codes_of([text[len(text) // 2 + 1 :] for text in texts]),
    )


def _code_rows(
    texts: Sequence[str], length: Indices
) -> tuple[
    npt.NDArray[np.uint8] | npt.NDArray[np.uint32], npt.NDArray[np.uint8] | npt.NDArray[np.uint32]
]:
    """The texts as rows of code points (a byte each when every text is ASCII), aligned at
    their start (ahead) and at their end (behind), zeros filling."""
    width = max(1, int(length.max()))
    ahead: npt.NDArray[np.uint8] | npt.NDArray[np.uint32]
    if all(map(str.isascii, texts)):  # a byte a character: a quarter of the rows to compare
        ahead = np.array(texts, dtype=f"S{width}").view(np.uint8).reshape(len(texts), width)
    else:
        ahead = np.array(texts, dtype=f"<U{width}").view(np.uint32).reshape(len(texts), width)
    shift = np.arange(width)[np.newaxis, :] - (width - length)[:, np.newaxis]
    behind = np.where(shift >= 0, np.take_along_axis(ahead, np.maximum(shift, 0), 1), 0)
    return ahead, behind


def _one_edit_rows(
    ahead: npt.NDArray[np.uint8] | npt.NDArray[np.uint32],
    behind: npt.NDArray[np.uint8] | npt.NDArray[np.uint32],
    length: Indices,
    x: Indices,
    y: Indices,
) -> npt.NDArray[np.bool_]:
    """:func:`one_edit` of pairs whose lengths differ by one at most."""
    shorter = np.minimum(length[x], length[y])
    prefix = np.minimum(_run(ahead[x] == ahead[y]), shorter)
    suffix = np.minimum(_run((behind[x] == behind[y])[:, ::-1]), shorter)
    kept = prefix + suffix
    grown = length[x] != length[y]
    if not grown.all():
        swap = (~grown) & (kept == shorter - 2)
        found = grown & (kept >= shorter)
        found |= ~grown & (kept >= shorter - 1)
        at = np.flatnonzero(swap)
        if len(at):
            first = prefix[at]
            a, b = ahead[x[at]], ahead[y[at]]
            rows = np.arange(len(at))
            found[at] = (a[rows, first] == b[rows, first + 1]) & (
                a[rows, first + 1] == b[rows, first]
            )
        return np.asarray(found, dtype=np.bool_)
    return np.asarray(kept >= shorter, dtype=np.bool_)


def _run(equal: npt.NDArray[np.bool_]) -> Indices:
    """How many leading ``True`` each row of ``equal`` has."""
    ended = ~equal
    found = np.where(ended.any(axis=1), ended.argmax(axis=1), equal.shape[1])
    return np.asarray(found, dtype=np.int64)


def level_names(levels: Sequence[str], ranks: Indices) -> list[str]:
    """The level names of ``ranks`` (positions in ``levels``)."""
    names: list[str] = np.array(levels, dtype=object)[ranks].tolist()
    return names
