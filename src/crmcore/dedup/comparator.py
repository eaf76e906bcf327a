"""The comparator protocol, and the base of the built-in comparators.

A comparator is a plain callable ``(left, right, ctx) -> level`` that compares one field (or
one idea, such as "the name") of two records and answers with one of its declared levels,
ordered from the strongest agreement to the strongest disagreement, ``"null"`` last: the
level for "either side is missing", which carries no evidence either way.

Built-in comparators derive from :class:`FieldComparator`: they read what they compare from a
record once (:meth:`~FieldComparator.prepare`), compare prepared values
(:meth:`~FieldComparator.compare_prepared`) and offer a batch form over a sequence of pairs
that prepares each record once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

import numpy as np
import numpy.typing as npt

from crmcore.dedup.context import CompareContext

__all__ = [
    "NULL",
    "BatchComparator",
    "Comparator",
    "CountedLevels",
    "FieldComparator",
    "RankedComparator",
]

NULL = "null"
"""The level for "either side is missing": every comparison has it, last."""

R_contra = TypeVar("R_contra", contravariant=True)
V = TypeVar("V")


class Comparator(Protocol[R_contra]):
    """The signature of a comparator: two records and a context in, a level name out.

    The level is one of those the comparator declares (through a ``levels`` attribute or
    the ``levels=`` of :meth:`Comparisons.add <crmcore.dedup.Comparisons.add>`). A comparator
    is symmetric (``cmp(a, b) == cmp(b, a)``), pure, and never quotes a value in an error.
    """

    def __call__(self, left: R_contra, right: R_contra, ctx: CompareContext, /) -> str: ...


@runtime_checkable
class BatchComparator(Protocol[R_contra]):
    """A comparator that also compares many pairs at once, faster than one by one.

    ``batch(pairs, ctx)`` returns one level per pair, in order, equal to what calling the
    comparator on each pair returns.
    """

    def __call__(self, left: R_contra, right: R_contra, ctx: CompareContext, /) -> str: ...

    def batch(
        self, pairs: Sequence[tuple[R_contra, R_contra]], ctx: CompareContext, /
    ) -> Sequence[str]: ...


@runtime_checkable
class CountedLevels(Protocol):
    """A comparator that counts how many pairs of records are at some of its rare levels.

    ``count_levels(counts, ctx)`` reads ``counts``, each distinct prepared value (as the
    comparator's ``prepare`` gives it, never missing) with the number of records that have
    it, and returns, for each level it counts, the number of pairs of those records at that
    level, found through keys of the values (no loop over every pair): a level so rare that
    random pairs hardly ever show it, whose ``u`` a fit then takes from the count
    (:func:`~crmcore.dedup.fit`) rather than from its sample. A level some of whose pairs
    share no key is counted short: its count is then a lower bound, and its ``u`` too low
    (say so where a comparator does it). Optional: a comparator without it has every level
    estimated from random pairs.
    """

    def count_levels(self, counts: Mapping[Any, int], ctx: CompareContext, /) -> Mapping[str, int]:
        """The number of pairs of the records counted in ``counts`` at each level counted."""
        ...


class FieldComparator(ABC, Generic[V]):
    """The base of the built-in comparators: prepare each record once, compare prepared values.

    A subclass says what it reads (:meth:`prepare`, ``None`` when missing), how two prepared
    values compare (:meth:`compare_prepared`, never called with a missing one) and its
    :attr:`levels`. Calling it and :meth:`batch` follow from those.
    """

    __slots__ = ()

    @property
    @abstractmethod
    def levels(self) -> tuple[str, ...]:
        """The levels, strongest agreement first, ``"null"`` last."""

    @abstractmethod
    def prepare(self, record: Any, ctx: CompareContext) -> V | None:
        """What this comparator compares, read from ``record``; ``None`` when it is missing."""

    @abstractmethod
    def compare_prepared(self, left: V, right: V, ctx: CompareContext) -> str:
        """The level of two prepared values, neither missing."""

    def read(self, record: Any, ctx: CompareContext) -> Hashable:
        """What :meth:`prepare` reads of ``record``, as a hashable value of plain ones (strings,
        numbers, tuples of them), cheap to make: the first half of a split preparation.

        A comparator that offers it also offers :meth:`prepare_read`, and its :meth:`prepare`
        is ``prepare_read(read(record, ctx), ctx)`` (:meth:`split`). The batch stage then reads
        every record in one cheap pass and prepares each distinct value read once, on any
        process: no record is needed there. Not offered by default.
        """
        raise NotImplementedError

    def prepare_read(self, read: Any, ctx: CompareContext) -> V | None:
        """:meth:`prepare` of a record from what :meth:`read` read of it (``None``: missing)."""
        raise NotImplementedError

    def split(self) -> bool:
        """Whether :meth:`prepare` is :meth:`prepare_read` of :meth:`read`: the class that
        wrote the ``prepare`` this comparator has wrote ``prepare_read`` too (a subclass that
        prepares in its own way is prepared as it says, record by record)."""
        kind = type(self)
        owner = next(found for found in kind.__mro__ if "prepare" in vars(found))
        return "prepare_read" in vars(owner)

    def compare_indexed(
        self,
        values: Sequence[V],
        left: Sequence[int],
        right: Sequence[int],
        ctx: CompareContext,
    ) -> Sequence[str]:
        """The level of ``values[left[i]]`` and ``values[right[i]]`` for each ``i``.

        ``values`` are distinct prepared values (none missing), ``left`` and ``right``
        integer arrays of positions in them. Equal to :meth:`compare_prepared` pair by pair,
        which is what this default does; a subclass may override it with a vectorised form
        that reads each value once (a test must show that both forms agree).
        """
        compare = self.compare_prepared
        return [compare(values[a], values[b], ctx) for a, b in zip(left, right, strict=True)]

    def __call__(self, left: Any, right: Any, ctx: CompareContext, /) -> str:
        """Compare two records: ``"null"`` when either side is missing."""
        a = self.prepare(left, ctx)
        if a is None:
            return NULL
        b = self.prepare(right, ctx)
        if b is None:
            return NULL
        return self.compare_prepared(a, b, ctx)

    def batch(self, pairs: Sequence[tuple[Any, Any]], ctx: CompareContext, /) -> list[str]:
        """Compare many pairs; each record is prepared once, however many pairs it is in."""
        prepared: dict[int, V | None] = {}
        keep: list[Any] = []  # holds the records so that their ids stay theirs
        found: list[str] = []
        for left, right in pairs:
            sides = []
            for record in (left, right):
                key = id(record)
                if key not in prepared:
                    prepared[key] = self.prepare(record, ctx)
                    keep.append(record)
                sides.append(prepared[key])
            a, b = sides
            found.append(NULL if a is None or b is None else self.compare_prepared(a, b, ctx))
        return found


class RankedComparator(FieldComparator[V]):
    """A :class:`FieldComparator` that compares many pairs in arrays, answering with ranks.

    :meth:`indexed_ranks` gives each pair's level as its position in :attr:`levels`; the
    batch stage reads those positions, and :meth:`compare_indexed` names them. A subclass
    that overrides :meth:`compare_prepared` is compared pair by pair with its own.
    """

    __slots__ = ()

    @abstractmethod
    def indexed_ranks(
        self,
        values: Sequence[V],
        left: npt.NDArray[np.int64],
        right: npt.NDArray[np.int64],
        ctx: CompareContext,
    ) -> npt.NDArray[np.int64]:
        """The position in :attr:`levels` of :meth:`compare_prepared` of each pair."""

    def ranked(self) -> bool:
        """Whether :meth:`indexed_ranks` is this comparator's :meth:`compare_prepared`: no
        subclass below the one that wrote it overrides ``compare_prepared`` or ``levels``
        (the ranks are positions in the levels of the class that wrote them)."""
        kind = type(self)
        owner = next(found for found in kind.__mro__ if "indexed_ranks" in vars(found))
        return (
            kind.compare_prepared is owner.compare_prepared  # type: ignore[attr-defined]
            and kind.levels is owner.levels  # type: ignore[attr-defined]
        )

    def compare_indexed(
        self,
        values: Sequence[V],
        left: Sequence[int],
        right: Sequence[int],
        ctx: CompareContext,
    ) -> Sequence[str]:
        """:meth:`compare_prepared` of many pairs, in arrays when :meth:`ranked`."""
        if not self.ranked():
            return super().compare_indexed(values, left, right, ctx)
        ranks = self.indexed_ranks(values, np.asarray(left), np.asarray(right), ctx)
        names: list[str] = np.array(self.levels, dtype=object)[ranks].tolist()
        return names
