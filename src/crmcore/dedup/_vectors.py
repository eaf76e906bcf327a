"""Comparison vectors: the level of every comparison for every pair, as a NumPy matrix."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crmcore._collector import frozen
from crmcore._safe import printable
from crmcore.dedup._batch import (
    Indices,
    Interned,
    Read,
    ReadEvery,
    ReadParts,
    involved,
    prepared_unkept,
    read_part,
)
from crmcore.dedup._exact_u import ValueCounts
from crmcore.dedup._forked import can_fork, forked_map, part_of, reading_jobs
from crmcore.dedup._pair_index import IdsAt
from crmcore.dedup._shared_read import comparator_read
from crmcore.dedup.comparator import NULL, CountedLevels, FieldComparator
from crmcore.dedup.comparisons import Comparison, Comparisons
from crmcore.dedup.context import CompareContext
from crmcore.dedup.frequencies import TermAdjustment, prepared_term, term_digest
from crmcore.errors import CRMError, InvalidValueError
from crmcore.records._base import Record

__all__ = [
    "ComparisonVectors",
    "TermCodes",
    "comparison_vectors",
    "read_pairs",
    "read_records",
    "term_codes",
]

Levels = npt.NDArray[np.int16]
Positions = npt.NDArray[np.int64]
Terms = Mapping[str, tuple[tuple[str | None, ...], tuple[str | None, ...]]]
_Parts = ReadParts | ReadEvery
"""What a split comparison read of the records apart from its task: by parts, or read
ahead of every record (:mod:`~crmcore.dedup._shared_read`)."""


@attrs.frozen(eq=False)
class TermCodes:
    """The term digests of one comparison's records as codes: a few bytes a record.

    ``codes[i]`` is the position in ``digests`` of record ``i``'s term, ``-1`` where the
    record has no term (or was in no pair); each distinct digest is listed once.
    """

    digests: tuple[str, ...]
    codes: npt.NDArray[np.int32]
    adjustment: TermAdjustment | None = None
    """The adjustment that read the terms, when every record's was read (``None`` else)."""

    def counts(self) -> dict[str, int]:
        """How many records have each digest."""
        found = np.bincount(self.codes[self.codes >= 0], minlength=len(self.digests))
        return dict(zip(self.digests, found.tolist(), strict=True))

    def of(self, positions: Positions) -> tuple[str | None, ...]:
        """The digest (``None`` for no term) of the records at ``positions``."""
        table = np.array([*self.digests, None], dtype=object)
        return tuple(table[self.codes[positions]].tolist())


def level_dtype(levels: Sequence[Sequence[str]]) -> type[np.integer[Any]]:
    """The smallest integer type that holds every level position: ``int8`` but for long lists."""
    return np.int8 if all(len(found) <= 127 for found in levels) else np.int16


@attrs.frozen(eq=False, init=False)
class ComparisonVectors:
    """The levels of candidate pairs: one row per pair, one column per comparison.

    A level is its position in the comparison's declared levels (0 the strongest agreement,
    the last ``"null"``). ``left`` and ``right`` are the ids of each pair's records and
    ``terms`` holds, for each comparison compared with a
    :class:`~crmcore.dedup.TermAdjustment`, the term digests of each pair's left and right
    records (``None`` where a record has no term).

    Stored per pair: the level matrix (``int8``) and the positions of the pair's two records
    in ``record_ids`` (``left_positions``, ``right_positions``, shared with the blocking
    result they come from); terms are kept once per record as codes (``term_codes``).
    ``left``, ``right`` and ``terms`` are read from those, as sequences equal to the tuples
    they stand for. ``ComparisonVectors(record_type, names, levels, left, right, matrix,
    terms)`` builds them from ids and digests per pair.

    ``value_counts`` holds, for a comparison whose rare levels a fit counts over every pair
    of records (:class:`~crmcore.dedup.comparator.CountedLevels`), the values it read or
    prepared of every record in ``record_ids``, counted (where the comparison pass read them
    all: most records paired, their terms wanted).
    """

    record_type: type[Any]
    names: tuple[str, ...]
    levels: tuple[tuple[str, ...], ...]
    record_ids: tuple[str, ...]
    left_positions: Positions = attrs.field(repr=False)
    right_positions: Positions = attrs.field(repr=False)
    matrix: npt.NDArray[np.integer[Any]] = attrs.field(repr=False)
    term_codes: Mapping[str, TermCodes] = attrs.field(repr=False)
    value_counts: Mapping[str, ValueCounts] = attrs.field(repr=False)

    def __init__(
        self,
        record_type: type[Any],
        names: tuple[str, ...],
        levels: tuple[tuple[str, ...], ...],
        left: Sequence[str],
        right: Sequence[str],
        matrix: npt.NDArray[np.integer[Any]],
        terms: Terms | None = None,
    ) -> None:
        lefts, rights = tuple(left), tuple(right)
        ids = tuple(sorted({*lefts, *rights}))
        where = {record_id: i for i, record_id in enumerate(ids)}
        at_left = np.fromiter((where[i] for i in lefts), dtype=np.int64, count=len(lefts))
        at_right = np.fromiter((where[i] for i in rights), dtype=np.int64, count=len(rights))
        codes = {
            name: _codes_of(name, len(ids), (at_left, at_right), sides)
            for name, sides in (terms or {}).items()
        }
        self.__attrs_init__(record_type, names, levels, ids, at_left, at_right, matrix, codes, {})

    @classmethod
    def at_positions(
        cls,
        record_type: type[Any],
        names: tuple[str, ...],
        levels: tuple[tuple[str, ...], ...],
        record_ids: tuple[str, ...],
        left: Positions,
        right: Positions,
        matrix: npt.NDArray[np.integer[Any]],
        term_codes: Mapping[str, TermCodes] | None = None,
        value_counts: Mapping[str, ValueCounts] | None = None,
    ) -> ComparisonVectors:
        """Vectors of the pairs ``(record_ids[left[i]], record_ids[right[i]])``, kept as given."""
        found = cls.__new__(cls)
        found.__attrs_init__(
            record_type,
            names,
            levels,
            record_ids,
            left,
            right,
            matrix,
            dict(term_codes or {}),
            dict(value_counts or {}),
        )
        return found

    def __len__(self) -> int:
        return len(self.left_positions)

    @property
    def left(self) -> IdsAt:
        """The id of each pair's left record (the smaller id), a sequence equal to its tuple."""
        return IdsAt(self.record_ids, self.left_positions)

    @property
    def right(self) -> IdsAt:
        """The id of each pair's right record, a sequence equal to its tuple."""
        return IdsAt(self.record_ids, self.right_positions)

    @property
    def terms(self) -> Terms:
        """Each adjusted comparison's term digests of each pair's left and right records.

        Made when read (a tuple per side): :func:`~crmcore.dedup.score` reads the codes.
        """
        return {
            name: (codes.of(self.left_positions), codes.of(self.right_positions))
            for name, codes in self.term_codes.items()
        }

    def take(self, rows: npt.NDArray[np.bool_]) -> ComparisonVectors:
        """The vectors of the pairs where ``rows`` (one flag per pair) is true, in order."""
        return self._pairs(rows)

    def split(self, at: int) -> tuple[ComparisonVectors, ComparisonVectors]:
        """The vectors of the first ``at`` pairs and of the rest: views, nothing copied."""
        return self._pairs(slice(None, at)), self._pairs(slice(at, None))

    def _pairs(self, rows: npt.NDArray[np.bool_] | slice) -> ComparisonVectors:
        """The vectors of the pairs ``rows`` selects, sharing the records' ids, terms and
        value counts."""
        return ComparisonVectors.at_positions(
            self.record_type,
            self.names,
            self.levels,
            self.record_ids,
            self.left_positions[rows],
            self.right_positions[rows],
            self.matrix[rows],
            self.term_codes,
            self.value_counts,
        )

    def null_mask(self) -> npt.NDArray[np.bool_]:
        """True where a pair's level is ``"null"`` (no evidence)."""
        nulls = np.array([len(levels) - 1 for levels in self.levels], dtype=np.int16)
        return np.asarray(self.matrix == nulls[np.newaxis, :])


def _codes_of(
    name: str,
    count: int,
    positions: tuple[Positions, Positions],
    sides: tuple[Sequence[str | None], Sequence[str | None]],
) -> TermCodes:
    """The term codes of ``count`` records from the digests of each pair's two records."""
    if not isinstance(sides, tuple) or len(sides) != 2:
        raise InvalidValueError(f"the terms of comparison {name} are two sides", field="terms")
    codes = np.full(count, -1, dtype=np.int32)
    number: dict[str, int] = {}
    for at, digests in zip(positions, sides, strict=True):
        if len(digests) != len(at):
            raise InvalidValueError(
                f"the terms of comparison {name} are not one per pair", field="terms"
            )
        for position, digest in zip(at.tolist(), digests, strict=True):
            code = -1 if digest is None else number.setdefault(digest, len(number))
            current = int(codes[position])
            if current == -1 and code != -1:
                codes[position] = code
            elif current != code:
                raise InvalidValueError(
                    f"the terms of comparison {name} give one record two terms", field="terms"
                )
    return TermCodes(tuple(number), codes)


def read_records(records: object) -> tuple[Record, ...]:
    """The records sorted by id; a CRMError for non-records, mixed types or repeated ids."""
    if isinstance(records, (str, bytes, Record, Mapping)) or not isinstance(records, Iterable):
        raise InvalidValueError("expected an iterable of crmcore records", field="records")
    found = tuple(records)
    seen: set[str] = set()
    for position, record in enumerate(found):
        if not isinstance(record, Record):
            raise InvalidValueError(f"records[{position}] is not a crmcore record", field="records")
        if type(record) is not type(found[0]):
            raise InvalidValueError(
                f"record {printable(record.id, 100)!r} is not of the first record's type",
                field="records",
            )
        if record.id in seen:
            raise InvalidValueError(
                f"record id {printable(record.id, 100)!r} is repeated", field="records"
            )
        seen.add(record.id)
    return tuple(sorted(found, key=lambda record: record.id))


def read_pairs(pairs: object, ids: set[str] | dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Candidate pairs as sorted, distinct ``(left, right)`` id pairs of known records.

    ``pairs`` is a blocking result (anything with a ``pairs`` attribute of candidate pairs),
    candidate pairs or ``(left, right)`` id pairs.
    """
    items = getattr(pairs, "pairs", pairs)
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise InvalidValueError("expected candidate pairs or a blocking result", field="pairs")
    found: set[tuple[str, str]] = set()
    for position, item in enumerate(items):
        left = getattr(item, "left", None)
        right = getattr(item, "right", None)
        if left is None and isinstance(item, Sequence) and len(item) == 2:
            left, right = item[0], item[1]
        if not isinstance(left, str) or not isinstance(right, str):
            raise InvalidValueError(f"pairs[{position}] is not a pair of record ids", field="pairs")
        for side in (left, right):
            if side not in ids:
                raise InvalidValueError(
                    f"pairs[{position}] names unknown id {printable(side, 100)!r}", field="pairs"
                )
        if left == right:
            raise InvalidValueError(f"pairs[{position}] pairs a record with itself", field="pairs")
        found.add((left, right) if left < right else (right, left))
    return tuple(sorted(found))


def _check_comparisons(comparisons: object, record_type: type[Any]) -> tuple[Comparison, ...]:
    if not isinstance(comparisons, Comparisons):
        raise InvalidValueError("expected a Comparisons registry", field="comparisons")
    return comparisons.for_type(record_type)


def comparison_vectors(
    records: Sequence[Record],
    pairs: Sequence[tuple[str, str]],
    comparisons: Comparisons,
    ctx: CompareContext,
    record_type: type[Any],
    adjustments: Sequence[TermAdjustment] = (),
    jobs: int = 1,
) -> ComparisonVectors:
    """The level matrix of ``pairs`` (ids of ``records``), each comparison in its batch form.

    For each of ``adjustments`` (of the record type), the term digests of the pairs' records.
    ``jobs`` as :func:`vectors_at`.
    """
    position = {record.id: i for i, record in enumerate(records)}
    left = np.fromiter((position[a] for a, _ in pairs), dtype=np.int64, count=len(pairs))
    right = np.fromiter((position[b] for _, b in pairs), dtype=np.int64, count=len(pairs))
    return vectors_at(records, left, right, comparisons, ctx, record_type, adjustments, jobs)


def vectors_at(
    records: Sequence[Record],
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    comparisons: Comparisons,
    ctx: CompareContext,
    record_type: type[Any],
    adjustments: Sequence[TermAdjustment] = (),
    jobs: int = 1,
) -> ComparisonVectors:
    """:func:`comparison_vectors` of the pairs ``(records[left[i]], records[right[i]])``.

    With ``jobs`` above 1, this process prepares what each comparison reads of the records,
    then the pairs are compared on that many processes, a column each
    (:func:`~crmcore.dedup._forked.forked_map`, :func:`_results`): the same matrix, sooner.
    """
    chosen = _check_comparisons(comparisons, record_type)
    levels = tuple(c.levels for c in chosen)
    matrix = np.empty((len(left), len(chosen)), dtype=level_dtype(levels))
    codes: dict[str, TermCodes] = {}
    counted: dict[str, ValueCounts] = {}
    if len(left):
        terms = tuple(adjustments)
        wanted: Sequence[int] = ()
        if terms:
            paired = involved(len(records), left, right)
            # every record's terms when most are paired: the fit counts them there, once
            wanted = range(len(records)) if 2 * len(paired) >= len(records) else paired.tolist()
        shared = _Shared(records, left, right, chosen, ctx, terms, wanted)
        found, counted = _results(shared, len(chosen) + len(terms), jobs, matrix.dtype)
        for column in range(len(chosen)):
            matrix[:, column] = found[column]
        every = len(wanted) == len(records)
        for adjustment, numbers in zip(terms, found[len(chosen) :], strict=True):
            codes[adjustment.comparison] = _term_codes_of(adjustment, numbers, every)
    return ComparisonVectors.at_positions(
        record_type,
        tuple(c.name for c in chosen),
        levels,
        tuple(record.id for record in records),
        left,
        right,
        matrix,
        codes,
        counted,
    )


def term_codes(
    adjustment: TermAdjustment, records: Sequence[Record], positions: Sequence[int]
) -> TermCodes:
    """The term codes of ``records`` by ``adjustment``, read for those at ``positions`` only.

    Digests are numbered in the order of the records that first have them. Codes read for
    every record keep their adjustment, so that term frequencies can be counted from them.
    """
    numbers = _term_numbers(adjustment, records, positions)
    return _term_codes_of(adjustment, numbers, len(positions) == len(records))


def _term_codes_of(
    adjustment: TermAdjustment,
    numbers: tuple[tuple[str, ...], npt.NDArray[np.int32]],
    every: bool,
) -> TermCodes:
    """The term codes of :func:`_term_numbers`' answer; read for ``every`` record, they keep
    their adjustment."""
    digests, codes = numbers
    return TermCodes(digests, codes, adjustment if every else None)


def _term_numbers(
    adjustment: TermAdjustment, records: Sequence[Record], positions: Sequence[int]
) -> tuple[tuple[str, ...], npt.NDArray[np.int32]]:
    """:func:`term_codes`' digests and codes (what a worker sends back)."""
    digests = adjustment.digests([records[i] for i in positions])
    codes = np.full(len(records), -1, dtype=np.int32)
    number: dict[str, int] = {}
    for i in positions:
        digest = digests.get(records[i].id)
        if digest is not None:
            codes[i] = number.setdefault(digest, len(number))
    return tuple(number), codes


@attrs.frozen
class _Shared:
    """What the tasks of :func:`vectors_at` read: a column each, then a term code each."""

    records: Sequence[Record]
    left: Indices
    right: Indices
    chosen: tuple[Comparison, ...]
    ctx: CompareContext
    terms: tuple[TermAdjustment, ...]
    wanted: Sequence[int]


def _results(
    shared: _Shared, count: int, jobs: int, dtype: np.dtype[Any]
) -> tuple[list[Any], dict[str, ValueCounts]]:
    """Every task's result: a column's levels (as ``dtype``), then each adjustment's terms;
    and the values of every record counted for each comparison with counted levels whose
    values were read of every record (for its terms: :class:`ValueCounts`).

    Everything that reads the records is done in this process: what each split comparison
    reads of them (interned: :meth:`Comparison.read_values`; each distinct value read is
    prepared in the task that compares its pairs), each other comparison's prepared values
    (interned: :meth:`Comparison.prepared_values`), the term digests, and the columns of
    comparisons with no prepared form. A built-in term that reads what its
    comparison prepares (:func:`~crmcore.dedup.frequencies.prepared_term`) is made from
    that comparison's distinct prepared values, once per distinct value, not per record, by
    the task that prepares them (on a worker when the comparison is split: its read values
    are then those of every record whose term is wanted) and sent back with its levels.
    With workers to fork, they then compare from the prepared values only: reading a record
    writes its reference count, so a worker that read the records would copy every page of
    them it touched (about the records' size at a million contacts); the prepared values are
    a fraction of that. Without, each comparison's pairs are compared as soon as its values
    are prepared, and the values let go. The objects made before are :func:`frozen`
    throughout: the collector's full collections would visit every record again and again.
    """
    with frozen():
        return _frozen_results(shared, count, jobs, dtype)


def _frozen_results(
    shared: _Shared, count: int, jobs: int, dtype: np.dtype[Any]
) -> tuple[list[Any], dict[str, ValueCounts]]:
    """:func:`_results`, the objects made before frozen."""
    forked = min(jobs, count) >= 2 and can_fork()
    linked = _linked_terms(shared)
    every = len(shared.wanted) == len(shared.records)
    done: dict[int, Any] = {}
    counted: dict[str, ValueCounts] = {}
    apart = _read_apart(shared, linked, every, jobs) if forked else {}
    pending: list[tuple[Comparison, Interned | Read | _Parts, _Terms]] = []
    at: list[tuple[int, tuple[int, ...]]] = []
    sent: set[int] = set()  # the terms made by a worker, beside their comparison's levels
    failed: Exception | None = None
    with prepared_unkept():
        for index in range(count):
            if index in done or index in sent:  # a term made from its comparison's values
                continue
            comparison = shared.chosen[index] if index < len(shared.chosen) else None
            try:
                terms = linked.get(index, [])
                read = apart.get(index)
                if isinstance(read, CRMError):  # raised reading its part, as it is here
                    raise read
                values: Interned | Read | _Parts | None = read
                whole = every and bool(terms)
                if comparison is not None and values is None:
                    values = _values_of(comparison, shared, not forked, whole)
                if comparison is not None and whole and _counts_levels(comparison):
                    if isinstance(values, (ReadParts, ReadEvery)):  # joined once, for its task too
                        values = values.joined()
                    if values is not None:
                        counted[comparison.name] = ValueCounts.of(
                            values, comparison.comparator, shared.ctx
                        )
                if comparison is None or values is None:
                    done[index] = _task(shared, index)
                    continue
                if isinstance(values, Interned):  # prepared here: its terms made here too
                    for task, term in terms:
                        done[task] = _prepared_term_numbers(values, term, shared.wanted, every)
                    terms = []
                if not forked:
                    done[index] = _levels(comparison, values, shared, dtype)
                    continue
            except Exception as exc:  # raised unless a task before it fails too, as in order
                failed = exc
                break
            pending.append((comparison, values, tuple(term for _, term in terms)))
            at.append((index, tuple(task for task, _ in terms)))
            sent.update(task for task, _ in terms)
    if pending:
        wanted = None if every else np.asarray(shared.wanted, dtype=np.int64)
        prepared = _Prepared(tuple(pending), shared.left, shared.right, shared.ctx, dtype, wanted)
        order = sorted(range(len(pending)), key=lambda task: -_COSTS.get(pending[task][0].name, 3))
        compared = forked_map(_compare_task, prepared, len(pending), jobs, first=order)
        for (index, tasks), (levels, numbers) in zip(at, compared, strict=True):
            done[index] = levels
            done.update(zip(tasks, numbers, strict=True))
    if failed is not None:
        raise failed
    return [done[index] for index in range(count)], counted


def _counts_levels(comparison: Comparison) -> bool:
    """Whether a fit counts some of ``comparison``'s levels over every pair of records."""
    return isinstance(comparison.comparator, CountedLevels)


@attrs.frozen
class _Reading:
    """What the tasks of :func:`_read_apart` read: the records, and for each split
    comparison, the positions of the records it reads; a part of them each."""

    records: Sequence[Record]
    ctx: CompareContext
    readers: tuple[tuple[Comparison, FieldComparator[Any]], ...]
    at: tuple[Indices, ...]
    parts: int


def _read_apart(
    shared: _Shared,
    linked: Mapping[int, Sequence[object]],
    every: bool,
    jobs: int,
) -> dict[int, _Parts | CRMError]:
    """What each split comparison reads of the records (:meth:`Comparison.read_values`),
    read in ``jobs`` contiguous parts of its records by this process and forked workers
    (:func:`_read_task`), by the index of the comparison; the error a comparison raised
    reading a part (the first part's), in place of its values.

    A comparison whose values were read ahead with blocking's columns
    (:func:`~crmcore.dedup._shared_read.comparator_read`) is not read again: its
    :class:`~crmcore.dedup._batch.ReadEvery` holds them. The workers read the records, so
    copy the pages of them they touch; they exit once read, before the workers that compare
    fork. Without those read ahead, empty when few records are read
    (:func:`~crmcore.dedup._forked.reading_jobs` of every split comparison's reads): the
    comparisons then read them here, one by one.
    """
    chosen: list[tuple[int, Comparison, FieldComparator[Any], bool]] = []
    for index, comparison in enumerate(shared.chosen):
        comparator = comparison.comparator
        if isinstance(comparator, FieldComparator) and comparator.split():
            chosen.append((index, comparison, comparator, every and bool(linked.get(index))))
    if not chosen or not isinstance(shared.ctx, CompareContext):
        return {}
    records = shared.records
    used = involved(len(records), shared.left, shared.right)
    whole = np.arange(len(records), dtype=np.int64)
    found: dict[int, _Parts | CRMError] = {}
    unread = []
    for index, comparison, comparator, all_read in chosen:
        ahead = comparator_read(records, comparator, shared.ctx)  # read with blocking's
        if ahead is None:
            unread.append((index, comparison, comparator, all_read))
        else:
            mine = whole if all_read else used
            found[index] = ReadEvery(mine, ahead.codes, ahead.values, len(used))
    chosen = unread
    at = tuple(whole if all_read else used for *_, all_read in chosen)
    if not chosen or reading_jobs(sum(map(len, at)), jobs) == 1:
        return found
    readers = tuple((comparison, comparator) for _, comparison, comparator, _ in chosen)
    reading = _Reading(records, shared.ctx, readers, at, jobs)
    parts = forked_map(_read_task, reading, jobs, jobs)
    for number, (index, *_) in enumerate(chosen):
        outcomes = [part[number] for part in parts]
        read = [outcome for outcome in outcomes if not isinstance(outcome, CRMError)]
        if len(read) < len(outcomes):  # the first part's error, as one pass raises it
            found[index] = next(o for o in outcomes if isinstance(o, CRMError))
            continue
        codes, kept = zip(*read, strict=True)
        found[index] = ReadParts(len(records), at[number], codes, kept, len(used))
    return found


def _read_task(reading: _Reading, part: int) -> list[tuple[Indices, bytes] | CRMError]:
    """Part ``part`` of what each split comparison of ``reading`` reads of its records
    (:func:`~crmcore.dedup._batch.read_part`), or the error it raised (naming the
    comparison, never a value), in the comparisons' order."""
    found: list[tuple[Indices, bytes] | CRMError] = []
    for (comparison, comparator), at in zip(reading.readers, reading.at, strict=True):
        mine = at[part_of(len(at), part, reading.parts)]
        work = partial(read_part, comparator, reading.records, mine, reading.ctx)
        try:
            found.append(comparison._batch_form(work))
        except CRMError as exc:
            found.append(exc)
    return found


def _values_of(
    comparison: Comparison, shared: _Shared, here: bool, every: bool
) -> Interned | Read | None:
    """What ``comparison``'s pairs are compared from: what it reads of the records in a pair
    (of ``every`` record, for its terms) when its preparation is split and there are workers
    (prepared by the task that compares its pairs), else, or ``here`` (no worker), their
    prepared values (of ``every`` record); ``None`` with no prepared form."""
    reading = (shared.records, shared.left, shared.right, shared.ctx)
    found = None if here else comparison.read_values(*reading, every=every)
    return comparison.prepared_values(*reading, every=every) if found is None else found


def _linked_terms(shared: _Shared) -> dict[int, list[tuple[int, Callable[[Any], str | None]]]]:
    """The adjustments whose terms are made from a comparison's prepared values
    (:func:`~crmcore.dedup.frequencies.prepared_term`): by the comparison's task, each
    adjustment's task and its term of a prepared value."""
    found: dict[int, list[tuple[int, Callable[[Any], str | None]]]] = {}
    where = {comparison.name: index for index, comparison in enumerate(shared.chosen)}
    for number, adjustment in enumerate(shared.terms):
        index = where.get(adjustment.comparison)
        if index is None:
            continue
        term = prepared_term(adjustment, shared.chosen[index].comparator)
        if term is not None:
            found.setdefault(index, []).append((len(shared.chosen) + number, term))
    return found


def _prepared_term_numbers(
    values: Interned,
    term: Callable[[Any], str | None],
    wanted: Sequence[int] | Indices | None,
    every: bool,
) -> tuple[tuple[str, ...], npt.NDArray[np.int32]]:
    """:func:`_term_numbers` from the interned prepared values of the records at ``wanted``
    (of ``every`` record, or of those in a pair): each distinct value's term made and
    digested once, the digests numbered in the order of the records that first have them."""
    codes = np.full(len(values.codes), -1, dtype=np.int32)
    positions = np.arange(len(values.codes)) if every else np.asarray(wanted, dtype=np.int64)
    found = values.codes[positions]
    has = found >= 0
    seen, first = np.unique(found[has], return_index=True)
    table = np.full(len(values.distinct), -1, dtype=np.int32)
    number: dict[str, int] = {}
    for code in seen[np.argsort(first, kind="stable")].tolist():
        text = term(values.distinct[code])
        if text is not None and text != "":
            table[code] = number.setdefault(term_digest(text), len(number))
    codes[positions[has]] = table[found[has]]
    return tuple(number), codes


_Terms = tuple[Callable[[Any], str | None], ...]
"""The terms made from a comparison's prepared values (:func:`_linked_terms`)."""


@attrs.frozen
class _Prepared:
    """What the workers of :func:`_results` read: no record, each comparison's prepared
    values, or what it read of the records (prepared there, with the terms made from them),
    and the positions of the records whose terms are wanted (``None``: every record's)."""

    comparisons: tuple[tuple[Comparison, Interned | Read | _Parts, _Terms], ...]
    left: Indices
    right: Indices
    ctx: CompareContext
    dtype: np.dtype[Any]
    wanted: Indices | None


# The relative cost of the built-in comparisons' tasks (measured at 100,000 contacts: the
# pairs compared from the prepared values, and the preparation of a split comparison's values
# read), to start the largest first: the small ones fill the end on whichever core is free.
_COSTS = {
    "crmcore.email": 7,
    "crmcore.address": 6,
    "crmcore.phone": 5,
    "crmcore.organisation": 4,
    "crmcore.name": 2,
    "crmcore.birth_date": 2,
    "crmcore.external_id": 2,
    "crmcore.middle_name": 1,
}


def _compare_task(
    prepared: _Prepared, task: int
) -> tuple[npt.NDArray[np.integer[Any]], list[tuple[tuple[str, ...], npt.NDArray[np.int32]]]]:
    """The levels of the pairs for the comparison ``task`` of ``prepared``, as the matrix's
    type (half the bytes to send back than ``int16`` where it is ``int8``), and the term
    numbers (:func:`_term_numbers`) of each term made from its prepared values."""
    comparison, values, terms = prepared.comparisons[task]
    values = _prepared_values(comparison, values, prepared.ctx)
    every = prepared.wanted is None
    numbers = [_prepared_term_numbers(values, term, prepared.wanted, every) for term in terms]
    return _levels(comparison, values, prepared, prepared.dtype), numbers


def _prepared_values(
    comparison: Comparison, values: Interned | Read | _Parts, ctx: CompareContext
) -> Interned:
    """The records' prepared values: as they are, or prepared from what was read of them
    (each distinct value once; read in parts, the parts unpickled and joined here, by the
    process that prepares them)."""
    if isinstance(values, (ReadParts, ReadEvery)):
        values = values.joined()
    if isinstance(values, Read):
        values = comparison.prepared_reads(values, ctx)
    return values


def _levels(
    comparison: Comparison,
    values: Interned | Read | _Parts,
    pairs: _Shared | _Prepared,
    dtype: np.dtype[Any],
) -> npt.NDArray[np.integer[Any]]:
    """The levels of ``pairs``' pairs as ``dtype``, from the records' prepared values or from
    what was read of them (:func:`_prepared_values`)."""
    prepared = _prepared_values(comparison, values, pairs.ctx)
    found = comparison.prepared_levels(prepared, pairs.left, pairs.right, pairs.ctx)
    return found.astype(dtype, copy=False)


def _task(shared: _Shared, task: int) -> Any:
    """One task of :func:`vectors_at`: the levels of comparison ``task`` for every pair,
    or, past the comparisons, one adjustment's term codes."""
    count = len(shared.chosen)
    if task < count:
        comparison = shared.chosen[task]
        with prepared_unkept():  # each record prepared once here; nothing left held after
            return comparison.level_positions(shared.records, shared.left, shared.right, shared.ctx)
    return _term_numbers(shared.terms[task - count], shared.records, shared.wanted)


def null_level(levels: tuple[str, ...]) -> int:
    """The position of ``"null"`` in declared levels (always last)."""
    assert levels[-1] == NULL
    return len(levels) - 1
