"""The stages of the distributed engine as pure functions of one partition (no Dask here).

Each function takes the items of one partition (and small arguments every task shares) and
gives the items of the next stage. Blocking pairs each block with
:func:`~crmcore.dedup.blocking.block_pairs` (a block too large split by the keys of the split
rules, which travel with each key) and each range of window keys with
:func:`~crmcore.dedup.blocking.window_pairs`, scoring calls
:func:`~crmcore.dedup.score_pairs`: the same functions as the in-process run, so that the
pairs and scores are the same. Items are plain tuples, cheap to ship between workers.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from crmcore._safe import printable
from crmcore.dedup._blocking_rules import BlockingEntry
from crmcore.dedup._blocking_split import DEFAULT_SPLIT_WINDOW, default_split_rules
from crmcore.dedup.blocking import SkippedBlock, block_pairs, window_pairs
from crmcore.dedup.comparisons import Comparisons
from crmcore.dedup.context import CompareContext
from crmcore.dedup.fitting import score_pairs
from crmcore.dedup.model import MatchModel
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record

__all__ = [
    "KEY",
    "PAIR",
    "SKIPPED",
    "UNKEYED",
    "WINDOW",
    "Chunk",
    "boundaries",
    "bucket",
    "check_partition",
    "heads",
    "join_left",
    "join_right",
    "key_group_pairs",
    "keys_of",
    "mask_counts",
    "range_of",
    "record_item",
    "sample_keys",
    "score_partition",
    "unite_pairs",
    "window_group_pairs",
]

KEY, WINDOW, UNKEYED, PAIR, SKIPPED = "k", "w", "u", "p", "s"
"""The tags of the items of the blocking stages."""

Chunk = tuple[
    tuple[str, ...], tuple[str, ...], Any, Any, Any, Any
]  # left, right, weights, probabilities, levels, adjustments (or None)

_CONVERT_FIRST = "convert rows first (crmcore.cleaning.clean_raw or Converter.from_dict)"


def bucket(text: str, buckets: int) -> int:
    """The bucket of ``text`` among ``buckets``: the same in every process, run after run.

    Python's own ``hash`` of a text changes from one process to the next.
    """
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % buckets


def check_partition(records: Iterable[object], number: int, record_type: type[Record]) -> list[str]:
    """The ids of partition ``number``'s records; a non-record or another type is refused."""
    ids: list[str] = []
    for position, record in enumerate(records):
        where = f"records partition {number}, item {position}"
        if isinstance(record, Mapping):
            raise InvalidValueError(
                f"{where} is a mapping, not a {record_type.__name__} record: " + _CONVERT_FIRST,
                field="records",
            )
        if not isinstance(record, Record):
            raise InvalidValueError(
                f"{where} is not a crmcore record ({type(record).__name__})", field="records"
            )
        if type(record) is not record_type:
            raise InvalidValueError(
                f"{where} (id {printable(record.id, 100)!r}) is of type "
                f"{type(record).__name__}, not {record_type.__name__}",
                field="records",
            )
        ids.append(record.id)
    return ids


def keys_of(
    records: Iterable[Record],
    entries: Sequence[BlockingEntry],
    buckets: int,
    splits: Sequence[BlockingEntry] | None = None,
) -> list[tuple[Any, ...]]:
    """Each record's keys under each rule: ``(KEY, bucket, rule, key, id, split keys)`` for a
    key rule, ``(WINDOW, rule, key, id)`` for a window rule, ``(UNKEYED, id)`` for a record
    no rule keys. The split keys are the record's keys under each of ``splits`` (the
    :func:`~crmcore.dedup.default_split_rules` of its type by default), for a block too large.
    """
    found: list[tuple[Any, ...]] = []
    split_rules = default_split_rules() if splits is None else None
    for record in records:
        keyed = False
        split: tuple[tuple[str, ...], ...] | None = None
        for number, entry in enumerate(entries):
            keys = entry.keys(record)
            keyed = keyed or bool(keys)
            for key in keys:
                if entry.window is None:
                    if split is None:
                        kinds = splits
                        if split_rules is not None:
                            kinds = split_rules.for_type(type(record))
                        split = tuple(kind.keys(record) for kind in kinds or ())
                    found.append(
                        (KEY, bucket(f"{number}\x00{key}", buckets), number, key, record.id, split)
                    )
                else:
                    found.append((WINDOW, number, key, record.id))
        if not keyed:
            found.append((UNKEYED, record.id))
    return found


def key_group_pairs(
    groups: Iterable[tuple[int, list[tuple[Any, ...]]]],
    names: Sequence[str],
    max_block_size: int,
    split_window: int | None = DEFAULT_SPLIT_WINDOW,
) -> list[tuple[Any, ...]]:
    """The pairs of the blocks in a partition of key items grouped by bucket.

    ``(PAIR, left, right, rule bit)`` for each pair, ``(SKIPPED, rule, size)`` for each block
    too large (split by its members' split keys within ``split_window``, as in process).
    """
    blocks: dict[tuple[int, str], list[tuple[str, tuple[tuple[str, ...], ...]]]] = {}
    for _, items in groups:
        for _, _, number, key, record_id, split in items:
            blocks.setdefault((number, key), []).append((record_id, split))
    found: list[tuple[Any, ...]] = []
    for (number, _), members in sorted(blocks.items()):
        skipped: list[SkippedBlock] = []
        members.sort()
        ids = [record_id for record_id, _ in members]
        splits = [split for _, split in members]
        name = names[number]
        for left, right in block_pairs(ids, max_block_size, name, skipped, splits, split_window):
            found.append((PAIR, left, right, 1 << number))
        found.extend((SKIPPED, number, block.size) for block in skipped)
    return found


def sample_keys(items: Iterable[tuple[Any, ...]], wanted: int) -> list[tuple[Any, ...]]:
    """Up to ``wanted`` window items of a partition, evenly spread in sort order."""
    ordered = sorted(item[1:] for item in items)
    if len(ordered) <= wanted:
        return ordered
    step = len(ordered) / wanted
    return [ordered[int(i * step)] for i in range(wanted)]


def boundaries(samples: Iterable[Iterable[tuple[Any, ...]]], ranges: int) -> list[tuple[Any, ...]]:
    """``ranges - 1`` sorted window items that split the samples in ranges of like size."""
    ordered = sorted(item for sample in samples for item in sample)
    if not ordered or ranges < 2:
        return []
    return sorted({ordered[len(ordered) * i // ranges] for i in range(1, ranges)})


def range_of(items: Iterable[tuple[Any, ...]], cuts: Sequence[tuple[Any, ...]]) -> list[Any]:
    """Each window item ``(WINDOW, rule, key, id)`` with the number of its range of keys."""
    return [(bisect.bisect_right(cuts, item[1:]), item[1:]) for item in items]


def heads(
    groups: Iterable[tuple[int, list[tuple[Any, ...]]]], size: int
) -> list[tuple[int, list[tuple[Any, ...]]]]:
    """Each range's first ``size`` items ``(rule, key, id)`` in order: what the range before
    it pairs its last items with."""
    return [(number, sorted(item for _, item in items)[:size]) for number, items in groups]


def window_group_pairs(
    groups: Iterable[tuple[int, list[tuple[Any, ...]]]],
    starts: Iterable[Iterable[tuple[int, list[tuple[Any, ...]]]]],
    windows: Sequence[int | None],
) -> list[tuple[Any, ...]]:
    """The window pairs of each range of keys, ``(PAIR, left, right, rule bit)``.

    ``starts`` holds every range's first items (:func:`heads`): a range's last places pair
    with the places just after it, which begin the ranges that follow.
    """
    first = dict(item for part in starts for item in part)
    after = sorted(first)
    found: list[tuple[Any, ...]] = []
    for number, items in groups:
        ordered = sorted(item for _, item in items)
        by_rule: dict[int, list[str]] = {}
        for rule, _, record_id in ordered:
            by_rule.setdefault(rule, []).append(record_id)
        for rule, places in by_rule.items():
            window = windows[rule] or 2
            following: list[str] = []
            for later in after[bisect.bisect_right(after, number) :]:
                done = False
                for other_rule, _, record_id in first[later]:
                    if other_rule != rule or len(following) == window - 1:
                        done = True
                        break
                    following.append(record_id)
                if done:
                    break
            for left, right in sorted(window_pairs(places, window, following)):
                found.append((PAIR, left, right, 1 << rule))
    return found


def unite_pairs(
    groups: Iterable[tuple[int, list[tuple[Any, ...]]]],
) -> list[tuple[str, str, int]]:
    """The pairs of a partition grouped by bucket, each once: ``(left, right, rule bits)``."""
    masks: dict[tuple[str, str], int] = {}
    for _, items in groups:
        for _, _, left, right, bit in items:
            masks[left, right] = masks.get((left, right), 0) | bit
    return [(left, right, mask) for (left, right), mask in sorted(masks.items())]


def mask_counts(pairs: Iterable[tuple[str, str, int]]) -> list[dict[int, int]]:
    """How many pairs of a partition each combination of rules found."""
    counts: dict[int, int] = {}
    for _, _, mask in pairs:
        counts[mask] = counts.get(mask, 0) + 1
    return [counts]


def record_item(record: Record, buckets: int) -> tuple[int, int, Any]:
    """A record as a join item: its id's bucket, 0 (a record), the record."""
    return (bucket(record.id, buckets), 0, record)


def join_left(pair: tuple[str, str, int], buckets: int) -> tuple[int, int, Any]:
    """A pair as a join item, by its left id."""
    return (bucket(pair[0], buckets), 1, pair)


def join_right(
    groups: Iterable[tuple[int, list[tuple[int, int, Any]]]], buckets: int
) -> list[tuple[int, int, Any]]:
    """Pairs joined to their left record, as join items by their right id."""
    found: list[tuple[int, int, Any]] = []
    for _, items in groups:
        records = {item[2].id: item[2] for item in items if item[1] == 0}
        for _, kind, payload in items:
            if kind == 1:
                found.append((bucket(payload[1], buckets), 2, (payload, records[payload[0]])))
    return found


def score_partition(
    groups: Iterable[tuple[int, list[tuple[int, int, Any]]]],
    model: MatchModel,
    comparisons: Comparisons,
    ctx: CompareContext,
    floor: float,
) -> list[Chunk]:
    """Score the pairs of a partition joined to both records: one chunk of arrays, the pairs
    of probability ``floor`` or above, by ids."""
    records: dict[str, Record] = {}
    pairs: list[tuple[str, str]] = []
    for _, items in groups:
        mine = {item[2].id: item[2] for item in items if item[1] == 0}
        for _, kind, payload in items:
            if kind == 2:
                (left, right, _), left_record = payload
                records[left] = left_record
                records[right] = mine[right]
                pairs.append((left, right))
    if not pairs:
        return []
    scored = score_pairs(model, records.values(), pairs, comparisons, ctx)
    # A partition is one block of pairs: its whole arrays are made once and read here.
    chances = scored.probabilities
    keep = np.flatnonzero(chances >= floor)
    weights = scored.weights[keep]
    adjustments = scored.adjustments  # made on each reading: read once
    return [
        (
            tuple(scored.left[i] for i in keep.tolist()),
            tuple(scored.right[i] for i in keep.tolist()),
            weights,
            chances[keep],
            scored.levels[keep],
            None if adjustments is None else adjustments[keep],
        )
    ]
