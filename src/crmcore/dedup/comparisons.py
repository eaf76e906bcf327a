"""The :class:`Comparisons` registry: the comparators of each record type, by dotted name.

Shaped like :class:`crmcore.validation.RuleSet`: add comparators with :meth:`Comparisons.add`
or the :meth:`Comparisons.comparison` decorator, take them out with :meth:`Comparisons.remove`,
swap one in place with :meth:`Comparisons.replace`, and let plugins register theirs through
the ``crmcore.comparators`` entry-point group (:meth:`Comparisons.load_entry_points`).
:func:`default_comparisons` builds a fresh registry with the built-in comparisons of
contacts and accounts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from crmcore.dedup._batch import (
    Indices,
    Interned,
    Read,
    interned,
    interned_levels,
    prepared_reads,
    read_interned,
)
from crmcore.dedup._plugins import ENTRY_POINT_GROUP
from crmcore.dedup.comparator import NULL, BatchComparator, Comparator, FieldComparator
from crmcore.dedup.context import CompareContext
from crmcore.dedup.errors import ComparatorError, ComparatorPluginError
from crmcore.errors import CRMError, InvalidValueError
from crmcore.records._base import Record
from crmcore.validation._args import name_of, read_record_types
from crmcore.validation._plugins import load_plugins

__all__ = ["ENTRY_POINT_GROUP", "Comparison", "Comparisons", "read_levels"]

C = TypeVar("C", bound=Callable[..., str])
T = TypeVar("T")

_NAME = re.compile(r"[A-Za-z0-9_<>-]+(?:\.[A-Za-z0-9_<>-]+)+\Z")
_LEVEL = re.compile(r"[A-Za-z0-9_.<>=+-]{1,64}\Z")


def _read_name(name: object) -> str:
    if not isinstance(name, str) or len(name) > 200 or not _NAME.match(name):
        raise InvalidValueError("a comparison name is dotted, like acme.loyalty_id", field="name")
    return name


def read_levels(levels: object) -> tuple[str, ...]:
    """Check declared levels and return them with ``"null"`` last (added when absent).

    Levels are distinct short names (letters, digits and ``_.<>=+-``), at least one besides
    ``"null"``, ordered from the strongest agreement to the strongest disagreement.

    >>> read_levels(("exact", "close", "different"))
    ('exact', 'close', 'different', 'null')
    """
    if isinstance(levels, str) or not isinstance(levels, Iterable):
        raise InvalidValueError("levels are a sequence of level names", field="levels")
    found = tuple(levels)
    if not all(isinstance(level, str) and _LEVEL.match(level) for level in found):
        raise InvalidValueError(
            "a level name is 1 to 64 letters, digits or _.<>=+-", field="levels"
        )
    if len(set(found)) != len(found):
        raise InvalidValueError("levels are distinct", field="levels")
    if NULL in found[:-1]:
        raise InvalidValueError("the null level comes last", field="levels")
    if found[-1:] != (NULL,):
        found = (*found, NULL)
    if len(found) < 2:
        raise InvalidValueError("declare at least one level besides null", field="levels")
    return found


@attrs.frozen
class Comparison:
    """One comparator registered in a :class:`Comparisons`, with its name and levels."""

    name: str
    record_types: tuple[type[Any], ...]
    comparator: Comparator[Any]
    levels: tuple[str, ...]
    _index: dict[str, int] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(
            lambda self: {level: i for i, level in enumerate(self.levels)}, takes_self=True
        ),
    )

    def applies_to(self, record_type: type[Any]) -> bool:
        """Whether the comparison compares records of ``record_type`` (subclasses included)."""
        return issubclass(record_type, self.record_types)

    def level_index(self, level: str) -> int:
        """The position of ``level`` in :attr:`levels` (0 is the strongest agreement)."""
        # A comparator may return anything, a value of the records too: looked up without an
        # exception, so no chain keeps what it returned.
        found = self._index.get(level) if isinstance(level, str) else None
        if found is None:
            raise ComparatorError(f"comparison {self.name} returned a level it does not declare")
        return found

    def _check_pair(self, left: object, right: object, ctx: object) -> None:
        if not isinstance(ctx, CompareContext):
            raise InvalidValueError("expected a CompareContext", field="ctx")
        if not isinstance(left, Record) or not isinstance(right, Record):
            raise InvalidValueError("expected two crmcore records", field="records")
        if type(left) is not type(right):
            raise InvalidValueError("expected two records of one type", field="records")
        if not self.applies_to(type(left)):
            raise InvalidValueError(
                f"comparison {self.name} does not compare {type(left).__name__} records",
                field="records",
            )

    def compare(self, left: Record, right: Record, ctx: CompareContext) -> str:
        """The level of ``left`` and ``right``: the comparator's answer, checked.

        A comparator that raises, or answers a level it did not declare, raises
        :class:`~crmcore.dedup.ComparatorError` naming the comparison (never a value).
        """
        self._check_pair(left, right, ctx)
        failed: str | None = None
        try:
            level = self.comparator(left, right, ctx)
        except CRMError:
            raise
        except Exception as exc:  # its message may quote the records: raised outside, no chain
            failed = type(exc).__name__
        if failed is not None:
            raise ComparatorError(f"comparison {self.name} raised {failed}")
        self.level_index(level)
        return level

    def compare_many(
        self, pairs: Sequence[tuple[Record, Record]], ctx: CompareContext
    ) -> tuple[str, ...]:
        """The level of each pair, in order: the comparator's batch form when it has one."""
        pairs = tuple(pairs)
        for left, right in pairs:
            self._check_pair(left, right, ctx)
        if not isinstance(self.comparator, BatchComparator):
            return tuple(self.compare(left, right, ctx) for left, right in pairs)
        failed: str | None = None
        try:
            levels = tuple(self.comparator.batch(pairs, ctx))
        except CRMError:
            raise
        except Exception as exc:  # its message may quote the records: raised outside, no chain
            failed = type(exc).__name__
        if failed is not None:
            raise ComparatorError(f"comparison {self.name} raised {failed} in its batch form")
        if len(levels) != len(pairs):
            raise ComparatorError(
                f"comparison {self.name} gave {len(levels)} levels for {len(pairs)} pairs"
            )
        for level in levels:
            self.level_index(level)
        return levels

    def level_positions(
        self,
        records: Sequence[Record],
        left: Indices,
        right: Indices,
        ctx: CompareContext,
    ) -> npt.NDArray[np.int16]:
        """The position of the level of each pair ``(records[left[i]], records[right[i]])``.

        The same levels as :meth:`compare_many` of those pairs, as an array. ``records`` are
        of one type this comparison compares (the caller checked them). A built-in comparator
        prepares each record once and compares each distinct pair of prepared values once.
        """
        values = self.prepared_values(records, left, right, ctx)
        if values is None:
            pairs = [
                (records[a], records[b]) for a, b in zip(left.tolist(), right.tolist(), strict=True)
            ]
            found = self.compare_many(pairs, ctx)
            return np.fromiter(map(self.level_index, found), dtype=np.int16, count=len(found))
        return self.prepared_levels(values, left, right, ctx)

    def prepared_values(
        self,
        records: Sequence[Record],
        left: Indices,
        right: Indices,
        ctx: CompareContext,
        *,
        every: bool = False,
    ) -> Interned | None:
        """All that :meth:`prepared_levels` reads of ``records`` for the pairs ``left``,
        ``right``: the prepared values of the records in a pair (of every record with
        ``every``), interned. ``None`` for a comparator with no prepared form (not a
        :class:`~crmcore.dedup.comparator.FieldComparator`): it reads the records per pair.
        """
        comparator = self._field_form(ctx)
        if comparator is None:
            return None
        return self._batch_form(
            lambda: interned(comparator, records, left, right, ctx, every=every)
        )

    def read_values(
        self,
        records: Sequence[Record],
        left: Indices,
        right: Indices,
        ctx: CompareContext,
        *,
        every: bool = False,
    ) -> Read | None:
        """What a split comparator reads of the records in a pair (of every record with
        ``every``), interned: :meth:`prepared_reads` of it is :meth:`prepared_values`, and it
        holds no record. ``None`` for a comparator whose preparation is not split
        (:meth:`FieldComparator.split <crmcore.dedup.comparator.FieldComparator.split>`)."""
        comparator = self._field_form(ctx)
        if comparator is None or not comparator.split():
            return None
        return self._batch_form(
            lambda: read_interned(comparator, records, left, right, ctx, every=every)
        )

    def _field_form(self, ctx: CompareContext) -> FieldComparator[Any] | None:
        """The comparator when it is a
        :class:`~crmcore.dedup.comparator.FieldComparator` (``None`` else), ``ctx`` checked."""
        if not isinstance(ctx, CompareContext):
            raise InvalidValueError("expected a CompareContext", field="ctx")
        comparator = self.comparator
        return comparator if isinstance(comparator, FieldComparator) else None

    def prepared_reads(self, found: Read, ctx: CompareContext) -> Interned:
        """:meth:`prepared_values` from :meth:`read_values`: each distinct value read prepared
        once, no record read (what a worker process prepares)."""
        comparator = self._prepared_form()
        return self._batch_form(lambda: prepared_reads(comparator, found, ctx))

    def prepared_levels(
        self, values: Interned, left: Indices, right: Indices, ctx: CompareContext
    ) -> npt.NDArray[np.int16]:
        """:meth:`level_positions` from :meth:`prepared_values` of the same pairs: no record
        is read (what a worker process computes from values prepared before it started)."""
        comparator = self._prepared_form()
        return self._batch_form(
            lambda: interned_levels(comparator, values, left, right, ctx, self.level_index)
        )

    def _prepared_form(self) -> FieldComparator[Any]:
        """The comparator, a :class:`~crmcore.dedup.comparator.FieldComparator` (else a
        CRMError: it has no prepared form)."""
        comparator = self.comparator
        if not isinstance(comparator, FieldComparator):
            raise InvalidValueError(
                f"comparison {self.name} has no prepared form", field="comparator"
            )
        return comparator

    def _batch_form(self, work: Callable[[], T], doing: str = "in its batch form") -> T:
        """``work()``: an error of the comparator's that is no CRMError (its message may quote
        the records) is raised as a :class:`ComparatorError` naming the comparison only (and
        what it was ``doing``)."""
        failed: str | None = None
        try:
            return work()
        except CRMError:
            raise
        except Exception as exc:  # its message may quote the records: raised outside, no chain
            failed = type(exc).__name__
        raise ComparatorError(f"comparison {self.name} raised {failed} {doing}")


class Comparisons:
    """The comparisons of each record type, by dotted name, in the order they were added.

    Make one with :func:`default_comparisons` (every built-in comparison) or empty, then
    extend it:

    >>> from crmcore import Contact
    >>> comparisons = Comparisons()
    >>> @comparisons.comparison(Contact, levels=("same", "different"), name="acme.tier")
    ... def same_tier(left, right, ctx):
    ...     a, b = left.descriptive.custom.get("tier"), right.descriptive.custom.get("tier")
    ...     if a is None or b is None:
    ...         return "null"
    ...     return "same" if a == b else "different"
    >>> comparisons["acme.tier"].levels
    ('same', 'different', 'null')
    """

    def __init__(self, comparisons: Iterable[Comparison] = ()) -> None:
        self._comparisons: dict[str, Comparison] = {}
        self._loaded: set[str] = set()
        for comparison in comparisons:
            self._insert(comparison)

    # -- registering ---------------------------------------------------------------------------

    def comparison(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        *,
        levels: Iterable[str] | None = None,
        name: str | None = None,
    ) -> Callable[[C], C]:
        """Register the decorated function as a comparator of ``record_type`` (or types).

        ``levels`` declares its levels (else its ``levels`` attribute); ``name`` defaults to
        its module and qualified name.
        """

        def decorate(comparator: C) -> C:
            self.add(record_type, comparator, levels=levels, name=name)
            return comparator

        return decorate

    def add(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        comparator: Comparator[Any],
        *,
        levels: Iterable[str] | None = None,
        name: str | None = None,
    ) -> Comparison:
        """Register ``comparator`` for ``record_type`` (or types) and return its comparison.

        A name is registered once: :meth:`replace` swaps the comparator of a registered name.
        """
        comparison = self._build(record_type, comparator, levels, name)
        self._insert(comparison)
        return comparison

    def _build(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        comparator: Comparator[Any],
        levels: Iterable[str] | None,
        name: str | None,
    ) -> Comparison:
        if not callable(comparator):
            raise InvalidValueError("a comparator is a callable", field="comparator")
        if levels is None:
            levels = getattr(comparator, "levels", None)
            if levels is None:
                raise InvalidValueError(
                    "declare the comparator's levels (levels=...)", field="levels"
                )
        return Comparison(
            _read_name(name if name is not None else name_of(comparator)),
            read_record_types(record_type),
            comparator,
            read_levels(levels),
        )

    def _insert(self, comparison: Comparison) -> None:
        if not isinstance(comparison, Comparison):
            raise InvalidValueError("expected Comparison values", field="comparisons")
        if comparison.name in self._comparisons:
            raise InvalidValueError(f"a comparison named {comparison.name} is already registered")
        self._comparisons[comparison.name] = comparison

    def remove(self, comparison: str | Callable[..., Any]) -> None:
        """Unregister a comparison by name or by its comparator; ``KeyError`` if absent."""
        if isinstance(comparison, str):
            names = [comparison] if comparison in self._comparisons else []
        else:
            names = [
                name for name, found in self._comparisons.items() if found.comparator is comparison
            ]
        if not names:
            raise KeyError(comparison if isinstance(comparison, str) else name_of(comparison))
        for name in names:
            del self._comparisons[name]

    def replace(
        self,
        name: str,
        comparator: Comparator[Any],
        *,
        levels: Iterable[str] | None = None,
        record_type: type[Any] | Iterable[type[Any]] | None = None,
    ) -> Comparison:
        """Put ``comparator`` in place of the comparison named ``name``, at the same position.

        Its record types stay unless ``record_type`` is given; ``KeyError`` if ``name`` is absent.
        """
        old = self._comparisons[name]
        new = self._build(
            old.record_types if record_type is None else record_type, comparator, levels, name
        )
        self._comparisons[name] = new
        return new

    def load_entry_points(
        self, group: str = ENTRY_POINT_GROUP, *, names: Collection[str] | None = None
    ) -> tuple[str, ...]:
        """Load the plugins of ``group`` and return the names of those loaded now.

        Each entry point must resolve to a callable ``register(comparisons)`` that adds its
        comparisons (and may remove or replace others). Entry points load in name order,
        each once per registry; ``names`` limits loading to those entry-point names. A plugin
        that fails to load or to register raises :class:`~crmcore.dedup.ComparatorPluginError`
        naming it.
        """
        return load_plugins(
            self, group, names, self._loaded, noun="comparator", error=ComparatorPluginError
        )

    # -- reading -------------------------------------------------------------------------------

    @property
    def comparisons(self) -> tuple[Comparison, ...]:
        """Every comparison, in the order they were added."""
        return tuple(self._comparisons.values())

    @property
    def names(self) -> tuple[str, ...]:
        """The names of every comparison, in order."""
        return tuple(self._comparisons)

    def for_type(self, record_type: type[Any]) -> tuple[Comparison, ...]:
        """The comparisons that compare records of ``record_type``, in order."""
        return tuple(c for c in self._comparisons.values() if c.applies_to(record_type))

    def compare(self, left: Record, right: Record, ctx: CompareContext) -> dict[str, str]:
        """The level of every comparison of the pair's type, by comparison name.

        >>> from crmcore import Contact, ContactIdentity, PersonName
        >>> ada = Contact("c-1", ContactIdentity(name=PersonName(given="Ada")))
        >>> Comparisons().compare(ada, ada, CompareContext())
        {}
        """
        if not isinstance(left, Record):
            raise InvalidValueError("expected two crmcore records", field="records")
        return {c.name: c.compare(left, right, ctx) for c in self.for_type(type(left))}

    def __getitem__(self, name: str) -> Comparison:
        return self._comparisons[name]

    def __contains__(self, name: object) -> bool:
        return name in self._comparisons

    def __iter__(self) -> Iterator[Comparison]:
        return iter(tuple(self._comparisons.values()))

    def __len__(self) -> int:
        return len(self._comparisons)

    def copy(self) -> Comparisons:
        """An independent copy: changing one does not change the other."""
        other = Comparisons(self._comparisons.values())
        other._loaded = set(self._loaded)
        return other

    def __repr__(self) -> str:
        return f"Comparisons(<{len(self._comparisons)} comparison(s)>)"
