"""``u`` of rare levels counted over every pair of records, not sampled.

A level that two strangers rarely reach (names given and family exchanged, a date of birth
with day and month exchanged) is seen a handful of times, or never, among the random pairs
``u`` is estimated from: its ``u`` is then the sample's smoothing, several times the true
one, and the level weighs a bit or two less than it should. A comparator that offers
:class:`~crmcore.dedup.comparator.CountedLevels` counts the pairs at such levels among every
pair of records through keys of its prepared values (:func:`keyed_pair_counts`: the values
that share a key, never every pair); :func:`counted_u` puts those counts in place of the
sampled frequencies and scales the other levels to fill the rest.

The values are counted from what the comparison pass read or prepared of every record
(:class:`ValueCounts`, kept with the level matrix) when it read every record, else read
from the records again.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from crmcore.dedup import _em
from crmcore.dedup._batch import Interned, Read
from crmcore.dedup.comparator import CountedLevels, FieldComparator
from crmcore.dedup.comparisons import Comparison
from crmcore.dedup.context import CompareContext
from crmcore.records._base import Record

__all__ = ["COUNTED_FLOOR", "ValueCounts", "counted_u", "keyed_pair_counts", "value_counts"]

V = TypeVar("V", bound=Hashable)

COUNTED_FLOOR = _em.EPSILON / 16
"""The least u of a level counted among every pair (a sampled level's is ``EPSILON``): a
counted level may weigh up to four bits more than a sampled one, never more."""


def keyed_pair_counts(
    counts: Mapping[V, int],
    keys: Callable[[V], Iterable[Hashable]],
    sought: Callable[[V], Iterable[Hashable]],
    level_of: Callable[[V, V], str],
    wanted: Iterable[str],
) -> dict[str, int]:
    """The number of pairs of records at each of the ``wanted`` levels, over every pair whose
    values one of them reaches through a key.

    ``counts`` holds each distinct value and how many records have it; ``keys(value)`` are
    the keys a value is found by, ``sought(value)`` those of the values it is compared with
    (the keys of a partner: the other order of the names for a swap). Each pair of distinct
    values found is compared once (``level_of``) and weighs the product of their counts; a
    value found by its own key is paired with itself, ``c * (c - 1) / 2`` pairs. A pair at a
    wanted level that no key reaches is not counted: the keys decide what is exact.
    """
    chosen = tuple(wanted)
    found = dict.fromkeys(chosen, 0)
    values = list(counts)
    index: dict[Hashable, list[int]] = {}
    for i, value in enumerate(values):
        for key in keys(value):
            index.setdefault(key, []).append(i)
    seen: set[tuple[int, int]] = set()
    for i, value in enumerate(values):
        for key in sought(value):
            for j in index.get(key, ()):
                pair = (i, j) if i <= j else (j, i)
                if pair in seen:
                    continue
                seen.add(pair)
                level = level_of(value, values[j])
                if level in found:
                    a, b = counts[value], counts[values[j]]
                    found[level] += a * (a - 1) // 2 if i == j else a * b
    return found


@attrs.frozen(eq=False, repr=False)
class ValueCounts:
    """What a comparison read (``read``) or prepared of every record, counted: each distinct
    value and how many records have it (a record with none counts in none), with the
    comparator and context that read them (``made_with``: counts are used by a fit with those
    only).

    Made by the comparison pass from the values it compares the pairs from
    (:meth:`of`), so that a fit counts the rare levels without reading the records again.
    The values are personal: the repr shows how many there are, never one.
    """

    values: Sequence[Any]
    counts: npt.NDArray[np.int64]
    read: bool
    made_by: tuple[object, object]

    @classmethod
    def of(cls, found: Interned | Read, comparator: object, ctx: object) -> ValueCounts:
        """The counts of interned values, of every record (``found`` read them all), read by
        ``comparator`` with ``ctx``."""
        codes = found.codes
        counts = np.bincount(codes[codes >= 0], minlength=len(found.distinct))
        return cls(
            found.distinct,
            counts.astype(np.int64, copy=False),
            isinstance(found, Read),
            (comparator, ctx),
        )

    def made_with(self, comparator: object, ctx: object) -> bool:
        """Whether these values were read by ``comparator`` (the same or an equal one) with
        ``ctx``: counts of another comparator's reads would give another u."""
        try:
            return all(
                mine is theirs or (type(mine) is type(theirs) and bool(mine == theirs))
                for mine, theirs in zip(self.made_by, (comparator, ctx), strict=True)
            )
        except Exception:  # an equality that cannot answer: read the records again
            return False

    def __repr__(self) -> str:
        return f"ValueCounts({len(self.values)} values, read={self.read})"

    def prepared(self, comparator: FieldComparator[Any], ctx: CompareContext) -> dict[Any, int]:
        """Each distinct prepared value and how many records have it: a value read is
        prepared once (:meth:`~crmcore.dedup.comparator.FieldComparator.prepare_read`)."""
        if not self.read:
            return {
                value: number
                for value, number in zip(self.values, self.counts.tolist(), strict=True)
                if number
            }
        found: Counter[Any] = Counter()
        prepare = comparator.prepare_read
        for value, number in zip(self.values, self.counts.tolist(), strict=True):
            if number:
                prepared = prepare(value, ctx)
                if prepared is not None:
                    found[prepared] += number
        return dict(found)


def value_counts(
    comparison: Comparison,
    records: Sequence[Record],
    ctx: CompareContext,
    known: ValueCounts | None = None,
) -> dict[Any, int] | None:
    """Each distinct prepared value of ``comparison`` among ``records`` and how many records
    have it (``None`` for a comparator with no prepared form). A split comparator
    (:meth:`~crmcore.dedup.comparator.FieldComparator.split`) reads every record and
    prepares each distinct value read once. ``known``, the comparison's values of every
    record counted by the comparison pass, is read instead of the records."""
    comparator = comparison.comparator
    if not isinstance(comparator, FieldComparator):
        return None
    if known is not None:
        return known.prepared(comparator, ctx)
    found: Counter[Any] = Counter()
    if comparator.split():
        read = comparator.read
        prepare = comparator.prepare_read
        for value, number in Counter(read(record, ctx) for record in records).items():
            prepared = prepare(value, ctx)
            if prepared is not None:
                found[prepared] += number
    else:
        prepared_values = (comparator.prepare(record, ctx) for record in records)
        found.update(value for value in prepared_values if value is not None)
    return dict(found)


def counted_u(
    records: Sequence[Record],
    comparisons: Sequence[Comparison],
    ctx: CompareContext,
    u: Sequence[_em.Floats],
    known: Mapping[str, ValueCounts] | None = None,
) -> list[_em.Floats]:
    """``u`` (one array per comparison, its non-null levels) with each level that a comparison
    counts (:class:`~crmcore.dedup.comparator.CountedLevels`) taken from its count among every
    pair of ``records`` whose values are not missing; the other levels keep their sampled
    shares of what is left. Each count takes half a pair more, as the sample's frequencies
    do (:func:`~crmcore.dedup._em.level_frequencies`). ``known`` holds, by comparison name,
    values of every record of ``records`` counted already (:class:`ValueCounts`)."""
    found = [np.asarray(column, dtype=np.float64) for column in u]
    for c, comparison in enumerate(comparisons):
        comparator = comparison.comparator
        if not isinstance(comparator, CountedLevels):
            continue
        values = None if known is None else known.get(comparison.name)
        if values is not None and not values.made_with(comparator, ctx):
            values = None  # counted from another comparator's reads: the records read here
        count = functools.partial(_counted, comparison, comparator, records, ctx, values)
        counted = comparison._batch_form(count, "counting levels")
        if counted is not None:
            found[c] = _with_counts(found[c], comparison.levels, *counted)
    return found


def _counted(
    comparison: Comparison,
    comparator: CountedLevels,
    records: Sequence[Record],
    ctx: CompareContext,
    known: ValueCounts | None = None,
) -> tuple[Mapping[str, int], int] | None:
    """The levels ``comparator`` counts among ``records`` (their values counted in ``known``,
    when given), with the number of pairs of records whose values are not missing (``None``
    when there is no such pair)."""
    counts = value_counts(comparison, records, ctx, known)
    if counts is None:
        return None
    total = sum(counts.values())
    pairs = total * (total - 1) // 2
    if pairs == 0:
        return None
    return comparator.count_levels(counts, ctx), pairs


def _with_counts(
    sampled: _em.Floats, levels: Sequence[str], counted: Mapping[str, int], pairs: int
) -> _em.Floats:
    """``sampled`` with the levels ``counted`` set to their share of ``pairs``, the others
    scaled to the rest; a counted level keeps its share below
    :data:`~crmcore.dedup._em.EPSILON`, down to :data:`COUNTED_FLOOR`."""
    where = {level: i for i, level in enumerate(levels[: len(sampled)])}
    # smoothed as the sample is (half a pair more to each level), so that a few records
    # give what their sample gives, and a level counted at none is not certain never to occur
    total = pairs + 0.5 * len(sampled)
    exact = {
        where[level]: (max(int(number), 0) + 0.5) / total
        for level, number in counted.items()
        if level in where
    }
    if not exact:
        return sampled
    rest = [i for i in range(len(sampled)) if i not in exact]
    left = 1.0 - sum(exact.values())
    share = float(sampled[rest].sum()) if rest else 0.0
    column = sampled.copy()
    for i, value in exact.items():
        column[i] = value
    if rest and share > 0:
        column[rest] = sampled[rest] * (left / share)
    # A counted level keeps its share below EPSILON, down to COUNTED_FLOOR: held at EPSILON,
    # the exact swaps of names (some 3.5e-6 of the pairs of generated contacts) weighed 1.5
    # bits less than counted. The floor is the same whatever the count (a level counted once
    # is never rarer than one counted at none: the share rises with the count), and it bounds
    # what a level can gain over a sampled one at log2(EPSILON / COUNTED_FLOOR) = 4 bits, so
    # that a level seen once among a billion pairs does not weigh 20 bits more than unseen.
    floors = np.full(len(column), _em.EPSILON)
    for i in exact:
        floors[i] = COUNTED_FLOOR
    return _em.clamp(column, floors)


_Parts = tuple[str | None, str | None]


def name_level_counts(
    counts: Mapping[_Parts, int], level_of: Callable[[_Parts, _Parts], str]
) -> dict[str, int]:
    """:func:`keyed_pair_counts` of folded (given, family) names at ``swapped``: a name is
    found by its parts in order and seeks them exchanged, so each pair of names exchanged
    exactly is compared once."""

    def keys(value: _Parts, swap: bool) -> list[Hashable]:
        given, family = value
        if not (given and family):
            return []
        return [("swap", family, given) if swap else ("swap", given, family)]

    return keyed_pair_counts(
        counts,
        lambda value: keys(value, False),
        lambda value: keys(value, True),
        level_of,
        ("swapped",),
    )


_Ymd = tuple[int, int, int]


def _date_keys(value: frozenset[_Ymd], swap: bool) -> list[Hashable]:
    """The keys a set of dates is found by, or (``swap``) those it seeks: its dates with day
    and month exchanged. A full year is found by itself and by its last two digits (as
    ``tail``), a year of two digits by itself (as ``short``): a full year seeks its swap in
    full and among years of two digits, a year of two digits among the tails and the short
    years, as the date comparison compares a year of two digits with the last two of a full
    one."""
    found: list[Hashable] = []
    for year, month, day in sorted(value):
        first, second = (day, month) if swap else (month, day)
        if year >= 100 and not swap:
            found += [("full", year, first, second), ("tail", year % 100, first, second)]
        elif year >= 100:
            found += [("full", year, first, second), ("short", year % 100, first, second)]
        elif not swap:
            found.append(("short", year, first, second))
        else:
            found += [("tail", year, first, second), ("short", year, first, second)]
    return found


def date_level_counts(
    counts: Mapping[frozenset[_Ymd], int],
    level_of: Callable[[frozenset[_Ymd], frozenset[_Ymd]], str],
) -> dict[str, int]:
    """:func:`keyed_pair_counts` of sets of dates at the level ``swapped``: every pair with a
    date of one the other's with day and month exchanged is reached by a key."""
    return keyed_pair_counts(
        counts,
        lambda value: _date_keys(value, False),
        lambda value: _date_keys(value, True),
        level_of,
        ("swapped",),
    )
