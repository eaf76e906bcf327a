"""External-id comparator: the same id in a shared system, a typo of one, another one, or none."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from crmcore.dedup import _extras
from crmcore.dedup._batch import Flat, Indices, Tabled, codes_of, flat, lengths, table_ranks
from crmcore.dedup._forked import threads
from crmcore.dedup._keyed import keyed_level
from crmcore.dedup._paths import Selector, values
from crmcore.dedup._text import fold
from crmcore.dedup.comparator import NULL, RankedComparator
from crmcore.dedup.context import CompareContext
from crmcore.records.values import ExternalId

__all__ = ["ExternalIds", "external_ids"]

_IDS = Selector(ExternalId)
_SYSTEM_VALUE = operator.attrgetter("system", "value")  # what is read of an id, in C

#: The fewest characters both ids need before two edits between them count as a typo: two
#: edits then change at most a third of the id. Below it two edits are half of a four-character
#: id or more, and short sequential ids (``1042``, ``1024``) would pass for typos of each other.
_MIN_LENGTH = 6

#: The most Damerau-Levenshtein edits (insert, delete, substitute, swap two neighbours) between
#: two ids of one system that still count as a typo.
_MAX_EDITS = 2


@attrs.frozen
class ExternalIds(
    RankedComparator[dict[str, frozenset[str]]], Tabled[dict[str, frozenset[str]], "_Table"]
):
    """Ids in other systems. See :func:`external_ids`."""

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``typo``, ``different``, ``null``."""
        return ("exact", "typo", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> dict[str, frozenset[str]] | None:
        """The record's ids by folded system name; ``None`` when it has none."""
        return self.prepare_read(self.read(record, ctx), ctx)

    def read(self, record: Any, ctx: CompareContext) -> tuple[tuple[str, str], ...]:
        """Each id's system and value, as written."""
        return tuple(map(_SYSTEM_VALUE, values(record, _IDS)))

    def prepare_read(
        self, read: tuple[tuple[str, str], ...], ctx: CompareContext
    ) -> dict[str, frozenset[str]] | None:
        """:meth:`prepare` from :meth:`read`."""
        _extras.rapidfuzz_distance()
        found: dict[str, set[str]] = {}
        for system, written in read:
            value = written.strip()
            if value:
                found.setdefault(fold(system), set()).add(value)
        return {system: frozenset(ids) for system, ids in found.items()} or None

    def compare_prepared(
        self, left: dict[str, frozenset[str]], right: dict[str, frozenset[str]], ctx: CompareContext
    ) -> str:
        """``exact`` on a shared id, ``typo`` when a shared system holds two ids within two
        edits, ``different`` when a shared system has other ids only."""
        level = keyed_level(left, right)
        if level == "different" and _any_typo(left, right):
            return "typo"
        return level

    def indexed_ranks(
        self,
        values: Sequence[dict[str, frozenset[str]]],
        left: Indices,
        right: Indices,
        ctx: CompareContext,
    ) -> Indices:
        """:meth:`compare_indexed` as positions in :attr:`levels`: the best rank of each
        pair's pairs of (system, id), each system and id a code once, ``typo`` one call of
        rapidfuzz over the pairs of long ids of one system that remain."""
        return table_ranks(self, self.indexed_table(values, ctx), left, right, ctx)

    def indexed_table(
        self, values: Sequence[dict[str, frozenset[str]]], ctx: CompareContext
    ) -> _Table:
        """Every (system, id) of ``values`` laid flat, each system and id a code."""
        items = flat([[(system, i) for system, ids in v.items() for i in ids] for v in values])
        ids = [i for _, i in items.items]
        return _Table(
            items,
            codes_of([system for system, _ in items.items]),
            codes_of(ids),
            lengths(ids),
            ids,
        )

    def item_ranks(self, table: _Table, xs: Indices, ys: Indices, ctx: CompareContext) -> Indices:
        """The rank of each pair of (system, id) ``xs[i]``, ``ys[i]`` of
        :meth:`indexed_table`."""
        system, code, length, ids = table.system, table.code, table.length, table.ids
        shared = system[xs] == system[ys]
        rank = np.full(len(xs), 3, dtype=np.int64)
        rank[shared] = 2
        rank[shared & (code[xs] == code[ys])] = 0
        near = np.flatnonzero(
            (rank == 2)
            & (np.minimum(length[xs], length[ys]) >= _MIN_LENGTH)
            & (np.abs(length[xs] - length[ys]) <= _MAX_EDITS)
        )
        if len(near):
            far = _extras.rapidfuzz_process().cpdist(
                [ids[i] for i in xs[near].tolist()],
                [ids[i] for i in ys[near].tolist()],
                scorer=_extras.rapidfuzz_distance().DamerauLevenshtein.distance,
                score_cutoff=_MAX_EDITS,
                workers=threads(),
            )
            rank[near[np.asarray(far) <= _MAX_EDITS]] = 1
        return rank


@attrs.frozen(eq=False)
class _Table:
    """What :meth:`ExternalIds.item_ranks` reads of the distinct values: every (system,
    id) laid flat, the codes of its system and id, the id's length and text."""

    items: Flat
    system: Indices
    code: Indices
    length: Indices
    ids: list[str]


def _any_typo(left: dict[str, frozenset[str]], right: dict[str, frozenset[str]]) -> bool:
    """Whether a system both sides use holds, one on each side, two long ids within two edits."""
    distance = _extras.rapidfuzz_distance().DamerauLevenshtein.distance
    for system in left.keys() & right.keys():
        for a in left[system]:
            if len(a) < _MIN_LENGTH:
                continue
            for b in right[system]:
                if (
                    len(b) >= _MIN_LENGTH
                    and abs(len(a) - len(b)) <= _MAX_EDITS
                    and distance(a, b, score_cutoff=_MAX_EDITS) <= _MAX_EDITS
                ):
                    return True
    return False


def external_ids() -> ExternalIds:
    """Compare ids in other systems, system by system (the system's name folded).

    ``exact``: an id in common in one system; ``typo``: a system in common, no id in common,
    but an id on each side within two edits (Damerau-Levenshtein: a character inserted,
    deleted, changed, or two neighbours swapped), both of at least six characters;
    ``different``: a system in common, no id in common and no typo (strong evidence of two
    records); ``null``: no system in common. Ids are compared as written (spaces around
    aside): an id's case may matter to its system.

    Six characters, because two edits then change at most a third of the id; in shorter ids
    two edits are half of it or more, and unrelated short ids (``1042`` and ``1024``) would
    count as typos. Some systems hand out ids in sequence, so two strangers' long ids can also
    be within two edits: the ``typo`` level's weights are learnt from the data, like every
    level's, and weigh as much as it shows such ids to be worth. Needs the ``dedup`` extra.

    >>> from crmcore import Contact, ContactIdentity
    >>> from crmcore.records import ExternalId
    >>> def person(system, value):
    ...     ids = (ExternalId(system=system, value=value),)
    ...     return Contact("c", ContactIdentity(external_ids=ids))
    >>> cmp, ctx = external_ids(), CompareContext()
    >>> cmp(person("Stripe", "cus_9"), person("stripe", "cus_9"), ctx)
    'exact'
    >>> cmp(person("SSN", "4418209"), person("ssn", "4418290"), ctx)
    'typo'
    >>> cmp(person("SSN", "4418209"), person("SSN", "7730512"), ctx)
    'different'
    >>> cmp(person("Stripe", "cus_9"), person("stripe", "cus_8"), ctx)
    'different'
    >>> cmp(person("Stripe", "cus_9"), person("HubSpot", "cus_9"), ctx)
    'null'
    """
    return ExternalIds()
