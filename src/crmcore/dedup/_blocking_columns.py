"""Blocking's compact inputs: the raw values the built-in rules read, taken once per record.

A built-in rule tells, for a record type, which *columns* it reads (functions of a record
answering a hashable value made of texts and numbers: its names as written, its postal
addresses, its dates of birth) and how its keys follow from them: a :class:`Plan`. Its keys
of a record are ``plan.derive(*(column(record) for column in plan.columns))`` whichever way
they are computed, one definition for :func:`~crmcore.dedup.block`, the index and the
distributed engine.

:func:`~crmcore.dedup.block` reads each column once per record (:func:`extract`), keeping its
distinct keys (pickled in one byte string, fresh objects) and each record's key's number (an
array); a column may key a record by less than its value (an only email by its text, not a
tuple holding it: cheaper to read and to number), its workers making the values of the
distinct keys. They derive the keys once per distinct value (names, postal codes and
dates repeat a lot) and spread them over the records as arrays (:func:`planned_table`),
reading no record: a forked worker copies each inherited page it touches, and the records'
pages are most of them. A rule without a plan (a plugin's) reads the records as before.
"""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, cast

import attrs
import numpy as np
import numpy.typing as npt

from crmcore.dedup._forked import forked_map, numbered

__all__ = ["Extracted", "Plan", "extract", "plan_of", "planned", "planned_table"]

Ints = npt.NDArray[np.int64]
ColumnOf = Callable[[Any], Hashable]
"""A column: a record's raw value that a rule reads (hashable, of texts and numbers)."""


@attrs.frozen
class Plan:
    """How a rule's keys follow from the columns it reads: ``derive(*values)``, the values
    being ``column(record)`` for each of ``columns``."""

    columns: tuple[ColumnOf, ...]
    derive: Callable[..., Iterable[str]]
    parts: tuple[Callable[[Any], Iterable[str]], ...] = ()
    """Optional, one per column: then ``derive``'s keys are the combinations of one key of
    each part (of its column's value), joined by ``joiner`` (in any order), a product.
    :func:`planned_table` derives each part's keys once per distinct value of
    its column, not once per distinct combination of the columns, and combines their
    numbers, not texts, where no part's key holds ``joiner`` (the joined keys then equal
    only where their parts do)."""
    joiner: str = "|"


class _Planned(Protocol):
    def plan(self, record_type: type[Any], /) -> Plan | None: ...


P = TypeVar("P")

_PLANNED: set[type[Any]] = set()


def planned(cls: type[P]) -> type[P]:
    """Mark a rule class whose ``plan(record_type)`` tells what its ``__call__`` computes.

    Only the class itself: a subclass may compute its keys otherwise, and reads records.
    """
    _PLANNED.add(cls)
    return cls


def plan_of(rule: object, record_type: type[Any]) -> Plan | None:
    """The plan of ``rule`` for records of ``record_type``, ``None`` when it has none."""
    if type(rule) not in _PLANNED:
        return None
    return cast(_Planned, rule).plan(record_type)


@attrs.frozen
class Extracted:
    """One column of the records: its distinct keys (a pickled list), for each record the
    number of its key in that list, and the value of a key (``None``: the key is the value).

    Equal keys, equal values; a value may have several keys, and its records then several
    numbers (the keys they derive are the same).
    """

    values: bytes
    codes: Ints
    value_of: Callable[[Any], Hashable] | None = None

    def distinct(self) -> list[Any]:
        """The value of each distinct key, in the keys' order (fresh objects)."""
        keys = pickle.loads(self.values)
        return keys if self.value_of is None else list(map(self.value_of, keys))


def extract(
    records: Sequence[Any],
    columns: Iterable[ColumnOf],
    *,
    jobs: int = 1,
    first: Sequence[ColumnOf] = (),
) -> dict[ColumnOf, Extracted]:
    """Each of ``columns`` read from every record, in one pass per column; the columns
    shared among this process and up to ``jobs - 1`` forked workers
    (:func:`~crmcore.dedup._forked.forked_map`), ``first`` (the costliest) started first.
    Each column is read whole by one process: the same keys, numbered the same, as with one.

    A column that raises on a record is left out: the rules reading it read the records,
    and report the error as they do.
    """
    chosen = tuple(dict.fromkeys(columns))
    starts = [chosen.index(column) for column in first if column in chosen]
    read = forked_map(_column_task, (records, chosen), len(chosen), jobs, first=starts)
    found: dict[ColumnOf, Extracted] = {}
    for column, keys in zip(chosen, read, strict=True):
        if keys is not None:
            value_of: Callable[[Any], Hashable] | None = getattr(column, "value_of", None)
            found[column] = Extracted(keys[1], keys[0], value_of)
    return found


def _column_task(
    shared: tuple[Sequence[Any], tuple[ColumnOf, ...]], number: int
) -> tuple[Ints, bytes] | None:
    """Column ``number``'s key of each record, :func:`~crmcore.dedup._forked.numbered` (its
    distinct keys pickled); ``None`` when it raised (read again by the rules, which name the
    rule and the record): a task of :func:`extract`."""
    records, columns = shared
    column = columns[number]
    each = getattr(column, "each", None)
    try:
        raw = each(records) if each is not None else map(column, records)
        return numbered(raw, len(records))
    except Exception:
        return None


def _distinct_rows(
    columns: Sequence[Extracted],
) -> tuple[list[tuple[Any, ...]], Ints]:
    """The distinct combinations of the columns' keys' values among the records, and each
    record's combination's number."""
    distinct = [column.distinct() for column in columns]
    inverse = columns[0].codes
    at: list[Ints] = [np.arange(len(distinct[0]), dtype=np.int64)]
    for column, values in zip(columns[1:], distinct[1:], strict=True):
        unique, inverse = np.unique(inverse * len(values) + column.codes, return_inverse=True)
        before, this = np.divmod(unique, len(values))
        at = [*(positions[before] for positions in at), this]
        inverse = inverse.reshape(-1).astype(np.int64, copy=False)
    # each column's values in the rows' order, joined into rows at once
    picked = [
        values
        if len(positions) == len(values) and np.array_equal(positions, np.arange(len(values)))
        else list(map(values.__getitem__, positions.tolist()))
        for values, positions in zip(distinct, at, strict=True)
    ]
    return list(zip(*picked, strict=True)), inverse


def _numbered_keys(derived: Iterable[Any]) -> tuple[Ints, Ints, dict[str, int]] | None:
    """Each item's distinct keys (a text, or texts) numbered: their count per item, their
    numbers flat, and the number of each key (equal keys, equal numbers); ``None`` when a key
    could not be made or is not a text (the records are then read one by one, which names
    the rule and the record)."""
    try:
        keysets = [{keys} if type(keys) is str else set(keys) for keys in derived]
    except Exception:  # the rule raised, an unhashable key, keys made lazily that raise
        return None
    flat = list(itertools.chain.from_iterable(keysets))
    counts = np.fromiter(map(len, keysets), dtype=np.int64, count=len(keysets))
    del keysets
    number = {key: place for place, key in enumerate(dict.fromkeys(flat))}
    if not all(type(key) is str for key in number):
        return None
    numbers = np.fromiter(map(number.__getitem__, flat), dtype=np.int64, count=len(flat))
    return counts, numbers, number


def _spread(counts: Ints, numbers: Ints, inverse: Ints) -> tuple[Ints, Ints]:
    """The keys of each record, ``(offsets, numbers)``, record ``i`` having those of item
    ``inverse[i]`` (item ``k``'s numbers being the ``counts[k]`` after those before it)."""
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    many = counts[inverse]
    offsets = np.concatenate(([0], np.cumsum(many))).astype(np.int64)
    ramp = np.arange(int(offsets[-1]), dtype=np.int64) - np.repeat(offsets[:-1], many)
    return offsets, numbers[np.repeat(starts[inverse], many) + ramp]


def _product_table(plan: Plan, columns: Sequence[Extracted]) -> tuple[Ints, Ints] | None:
    """The keys of each record of a plan with parts, ``(offsets, numbers)``: each part's keys
    derived once per distinct value of its column, each record's keys the combinations of
    its parts' keys, numbered ``k_1 * n_2 * ... + k_2 * n_3 * ... + k_last`` (``k_p`` the
    number of the key of part ``p``, ``n_p`` how many keys that part has). ``None`` when a
    part raised or answered other than texts, when a key holds the joiner, or when the
    numbers would not fit in 63 bits: the combinations are then derived as texts."""
    if len(plan.parts) != len(columns) or len(columns) < 2:  # one part: "" would be a key
        return None
    count = len(columns[0].codes)
    sizes = np.ones(count, dtype=np.int64)
    found: list[tuple[Ints, Ints, Ints, int]] = []
    span = 1
    for part, column in zip(plan.parts, columns, strict=True):
        numbered_keys = _numbered_keys(map(part, column.distinct()))
        if numbered_keys is None:
            return None
        counts, numbers, number = numbered_keys
        if any(plan.joiner in key for key in number):
            return None
        starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
        inverse = column.codes
        found.append((counts[inverse], starts[inverse], numbers, len(number)))
        sizes *= counts[inverse]
        span *= max(len(number), 1)
        if span >= 1 << 62:
            return None
    offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    # each key's place among its record's combinations, read as digits of the parts' counts
    rest = np.arange(int(offsets[-1]), dtype=np.int64) - np.repeat(offsets[:-1], sizes)
    keys = np.zeros(len(rest), dtype=np.int64)
    scale = 1
    for many, starts, numbers, kinds in reversed(found):
        rest, at = np.divmod(rest, np.repeat(many, sizes))
        keys += numbers[np.repeat(starts, sizes) + at] * scale
        scale *= max(kinds, 1)
    return offsets, keys


def planned_table(
    plan: Plan, columns: Mapping[ColumnOf, Extracted], *, ranked: bool
) -> tuple[Ints, Ints] | None:
    """The rule's keys of each record as numbers, ``(offsets, numbers)`` as
    :func:`~crmcore.dedup._block_arrays.key_table` gives them, derived once per distinct
    combination of the columns' values (once per distinct value of each column, for a plan
    with parts); ``None`` when a column is missing or the rule raised or answered something
    other than texts (its records are then read one by one).

    ``ranked`` numbers the keys in their sorted order (a window rule's order), else in any
    order (equal keys, equal numbers).
    """
    if not all(column in columns for column in plan.columns):
        return None
    if plan.parts and not ranked:
        product = _product_table(plan, [columns[column] for column in plan.columns])
        if product is not None:
            return product
    rows, inverse = _distinct_rows([columns[column] for column in plan.columns])
    derive = plan.derive
    numbered_keys = _numbered_keys(derive(*row) for row in rows)
    del rows
    if numbered_keys is None:
        return None
    counts, numbers, number = numbered_keys
    empty = number.get("")
    if empty is not None:  # "" is no key
        keep = numbers != empty
        row_of = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        counts = np.bincount(row_of[keep], minlength=len(counts)).astype(np.int64)
        numbers = numbers[keep]
    if ranked:  # the keys numbered in their sorted order, from 0 ("" has none)
        ordered = sorted(number.keys() - {""})
        rank = np.empty(len(number), dtype=np.int64)
        rank[np.fromiter(map(number.__getitem__, ordered), np.int64, len(ordered))] = np.arange(
            len(ordered), dtype=np.int64
        )
        numbers = rank[numbers]
    del number
    return _spread(counts, numbers, inverse)
