"""Incremental matching: :class:`MatchIndex` answers "is this lead already a contact?".

The index keeps the blocking keys of its records, so a query compares a new record with the
records sharing one of its keys (or near it in a sorted-neighbourhood rule's order), never
with every record, and scores those pairs with a fitted :class:`~crmcore.dedup.MatchModel`
exactly as :func:`~crmcore.dedup.score_pairs` scores them in a batch. It is a mutable object:
:meth:`MatchIndex.add` and :meth:`MatchIndex.remove` change it in place; the model (and its
term frequencies) stays as fitted.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from crmcore._safe import printable
from crmcore.dedup._vectors import comparison_vectors, read_records
from crmcore.dedup.blocking import (
    DEFAULT_MAX_BLOCK_SIZE,
    DEFAULT_SPLIT_WINDOW,
    BlockingRules,
    default_blocking_rules,
    read_split_rules,
    read_split_window,
)
from crmcore.dedup.comparisons import Comparisons
from crmcore.dedup.context import CompareContext
from crmcore.dedup.errors import DedupError
from crmcore.dedup.fitting import adjustments_for, read_comparisons
from crmcore.dedup.frequencies import TermAdjustment
from crmcore.dedup.model import MatchModel, ModelError
from crmcore.dedup.scoring import score
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record

__all__ = ["MatchCandidate", "MatchIndex"]


@attrs.frozen
class MatchCandidate:
    """A record of the index that may be the record asked about, with why.

    ``explanation`` is the pair's explanation (see :meth:`ScoredPairs.explain
    <crmcore.dedup.ScoredPairs.explain>`): levels and weights, never a value.
    """

    record_id: str
    probability: float
    match_weight: float
    explanation: Mapping[str, Any] = attrs.field(repr=False, eq=False)


def _name(record_id: object) -> str:
    return repr(printable(str(record_id), 100))


def _read_threshold(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise InvalidValueError("threshold is a probability from 0 to 1", field="threshold")
    return float(value)


def _read_limit(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError("limit is a whole number, 1 or more", field="limit")
    return value


class MatchIndex:
    """The records already known, indexed by their blocking keys, and a model to score them.

    ``records`` are crmcore records of the model's type with distinct ids; ``rules``,
    ``comparisons``, ``ctx`` and ``adjustments`` are those of the batch run
    (:func:`~crmcore.dedup.default_blocking_rules`,
    :func:`~crmcore.dedup.default_comparisons`, ...). A key shared by more than
    ``max_block_size`` records is split as :func:`~crmcore.dedup.block` splits its block:
    the record is compared with the members sharing one of its keys under ``split_rules``
    (:func:`~crmcore.dedup.default_split_rules`) within ``split_window`` places in id order
    (``None``: with none of them), so that its candidates are the batch run's pairs
    involving it. Bad input raises a :class:`~crmcore.CRMError` naming ids, never values.
    """

    def __init__(
        self,
        records: Iterable[Record],
        model: MatchModel,
        rules: BlockingRules | None = None,
        comparisons: Comparisons | None = None,
        ctx: CompareContext | None = None,
        *,
        max_block_size: int = DEFAULT_MAX_BLOCK_SIZE,
        adjustments: Iterable[TermAdjustment] | None = None,
        split_rules: BlockingRules | None = None,
        split_window: int | None = DEFAULT_SPLIT_WINDOW,
    ) -> None:
        if not isinstance(model, MatchModel):
            raise ModelError("expected a MatchModel")
        found = read_records(records)
        if rules is None:
            rules = default_blocking_rules()
        if not isinstance(rules, BlockingRules):
            raise InvalidValueError("expected BlockingRules", field="rules")
        comparisons, ctx = read_comparisons(comparisons, ctx)
        if (
            isinstance(max_block_size, bool)
            or not isinstance(max_block_size, int)
            or max_block_size < 2
        ):
            raise InvalidValueError(
                "max_block_size is a whole number, 2 or more", field="max_block_size"
            )
        self._split_window = read_split_window(split_window)
        self._split_rules = read_split_rules(split_rules)
        self._model = model
        self._rules = rules
        self._comparisons = comparisons
        self._ctx = ctx
        self._max = max_block_size
        self._adjustments = None if adjustments is None else tuple(adjustments)
        self._type: type[Any] | None = None
        self._entries: tuple[Any, ...] = ()
        self._splits: tuple[Any, ...] = ()  # the split rules, when a large block is split
        self._chosen: tuple[TermAdjustment, ...] = ()
        self._records: dict[str, Record] = {}
        self._blocks: dict[str, dict[str, set[str]]] = {}
        self._orders: dict[str, list[tuple[str, str]]] = {}
        self._keys: dict[str, dict[str, tuple[str, ...]]] = {}
        # each split rule's keys (by its number) -> the ids of the records having it
        self._split_blocks: dict[int, dict[str, set[str]]] = {}
        self._split_keys: dict[str, tuple[tuple[str, ...], ...]] = {}
        for record in found:
            self.add(record)

    # -- changing --------------------------------------------------------------------------

    def _check(self, record: object) -> Record:
        if not isinstance(record, Record):
            raise InvalidValueError("expected a crmcore record", field="record")
        if type(record).__name__ != self._model.record_type:
            raise ModelError(
                f"record {_name(record.id)} is of type {type(record).__name__}, the model is for "
                f"{self._model.record_type} records"
            )
        if self._type is None:
            self._type = type(record)
            self._entries = self._rules.for_type(type(record))
            if self._split_window is not None and any(e.window is None for e in self._entries):
                self._splits = self._split_rules.for_type(type(record))
            self._chosen = adjustments_for(self._model.adjusted, type(record), self._adjustments)
        elif type(record) is not self._type:
            raise InvalidValueError(
                f"record {_name(record.id)} is not of the index's record type", field="record"
            )
        return record

    def _record_keys(self, record: Record) -> dict[str, tuple[str, ...]]:
        return {entry.name: tuple(sorted(set(entry.keys(record)))) for entry in self._entries}

    def _record_split_keys(self, record: Record) -> tuple[tuple[str, ...], ...]:
        return tuple(entry.keys(record) for entry in self._splits)

    def add(self, record: Record) -> None:
        """Add ``record``; a :class:`~crmcore.CRMError` if its id is already in the index."""
        record = self._check(record)
        if record.id in self._records:
            raise DedupError(f"record {_name(record.id)} is already in the index")
        # every key read before the index changes: a rule that raises leaves it as it was
        keys = self._record_keys(record)
        split = self._record_split_keys(record)
        for entry in self._entries:
            found = keys[entry.name]
            if entry.window is None:
                blocks = self._blocks.setdefault(entry.name, {})
                for key in found:
                    blocks.setdefault(key, set()).add(record.id)
            else:
                order = self._orders.setdefault(entry.name, [])
                for key in found:
                    bisect.insort(order, (key, record.id))
        for number, found in enumerate(split):
            shared = self._split_blocks.setdefault(number, {})
            for key in found:
                shared.setdefault(key, set()).add(record.id)
        self._records[record.id] = record
        self._keys[record.id] = keys
        self._split_keys[record.id] = split

    def remove(self, record_id: str) -> None:
        """Take the record with ``record_id`` out; a :class:`~crmcore.CRMError` if unknown."""
        if not isinstance(record_id, str) or record_id not in self._records:
            raise DedupError(f"record {_name(record_id)} is not in the index")
        keys = self._keys.pop(record_id)
        del self._records[record_id]
        for entry in self._entries:
            found = keys[entry.name]
            if entry.window is None:
                blocks = self._blocks[entry.name]
                for key in found:
                    blocks[key].discard(record_id)
                    if not blocks[key]:
                        del blocks[key]
            else:
                order = self._orders[entry.name]
                for key in found:
                    del order[bisect.bisect_left(order, (key, record_id))]
        for number, found in enumerate(self._split_keys.pop(record_id)):
            shared = self._split_blocks[number]
            for key in found:
                shared[key].discard(record_id)
                if not shared[key]:
                    del shared[key]

    # -- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._records

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the records in the index, sorted."""
        return tuple(sorted(self._records))

    @property
    def model(self) -> MatchModel:
        """The model the index scores with."""
        return self._model

    def _split_neighbours(
        self, record_id: str, split: tuple[tuple[str, ...], ...], members: set[str]
    ) -> set[str]:
        """The ``members`` of a block too large (``record_id`` aside) within ``split_window``
        places of the record in id order among those sharing one of its ``split`` keys, as
        :func:`~crmcore.dedup.block` pairs them (none where more than ``max_block_size``
        share it)."""
        found: set[str] = set()
        if self._split_window is None:
            return found
        reach = self._split_window - 1
        for number, keys in enumerate(split):
            shared = self._split_blocks.get(number, {})
            for key in keys:
                group = members & shared.get(key, set())
                if not group or len(group) + 1 > self._max:
                    continue
                ordered = sorted(group | {record_id})
                at = ordered.index(record_id)
                found.update(ordered[max(0, at - reach) : at])
                found.update(ordered[at + 1 : at + 1 + reach])
        return found

    def _neighbours(self, record: Record) -> set[str]:
        """The ids sharing a key with ``record`` or near it in a window rule's order."""
        found: set[str] = set()
        split: tuple[tuple[str, ...], ...] | None = None
        for name, keys in self._record_keys(record).items():
            entry = next(e for e in self._entries if e.name == name)
            if entry.window is None:
                blocks = self._blocks.get(name, {})
                for key in keys:
                    members = blocks.get(key, set()) - {record.id}
                    if not members:
                        continue
                    if len(members) + 1 <= self._max:
                        found |= members
                    elif self._splits:
                        if split is None:
                            split = self._record_split_keys(record)
                        found |= self._split_neighbours(record.id, split, members)
            else:
                order = self._orders.get(name, [])
                reach = entry.window - 1
                for key in keys:
                    place = bisect.bisect_left(order, (key, record.id))
                    for side in (range(place - 1, -1, -1), range(place, len(order))):
                        taken = 0
                        for i in side:
                            if taken == reach:
                                break
                            if order[i][1] != record.id:
                                found.add(order[i][1])
                                taken += 1
        found.discard(record.id)
        return found

    def candidates(
        self, record: Record, threshold: float = 0.0, limit: int | None = None
    ) -> tuple[MatchCandidate, ...]:
        """The records of the index that may be ``record``, most likely first.

        Only records sharing a blocking key with ``record`` are compared (a record with the
        same id is never its own candidate); those scoring ``threshold`` or more are returned,
        at most ``limit`` of them, by falling probability then id. Each score equals the one
        :func:`~crmcore.dedup.score_pairs` gives the same pair with the same model.
        """
        record = self._check(record)
        wanted = _read_threshold(threshold)
        most = _read_limit(limit)
        others = sorted(self._neighbours(record))
        if not others:
            return ()
        pool = [record, *(self._records[i] for i in others)]
        pairs = [(min(record.id, i), max(record.id, i)) for i in others]
        pairs.sort()
        vectors = comparison_vectors(
            pool, pairs, self._comparisons, self._ctx, type(record), self._chosen
        )
        scored = score(self._model, vectors)
        found = []
        for row, (left, right) in enumerate(zip(scored.left, scored.right, strict=True)):
            probability = float(scored.probabilities[row])
            if probability >= wanted:
                other = right if left == record.id else left
                found.append(
                    MatchCandidate(
                        other, probability, float(scored.weights[row]), scored.explain(row)
                    )
                )
        found.sort(key=lambda c: (-c.probability, c.record_id))
        return tuple(found[:most] if most is not None else found)

    def __repr__(self) -> str:
        return f"MatchIndex(<{len(self._records)} record(s)>)"
