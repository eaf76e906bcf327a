"""The distributed engine: deduplication over the partitions of a Dask bag of records.

Every stage is a pure function of one partition (:mod:`crmcore.dedup._distributed_stages`):

1. **Blocking.** Each record gives its keys under each rule; the keys are shuffled by a
   stable hash of the rule and key, so that a block is whole in one partition, and each block
   is paired there (a block over ``max_block_size`` is split by its members' split keys,
   which travel with each key, as in process). The keys of a
   sorted-neighbourhood rule are split in ranges of sorted keys, each range sorted in its
   partition and paired with the first keys of the ranges after it.
2. **Uniting.** The pairs are shuffled by ids, so that a pair found by two rules is one pair
   with both rule names.
3. **Fitting**, once, on the driver: the matcher's model, or a model fitted to every record
   (to a sample of ``fit_sample`` records, drawn by a stable hash of their ids, beyond that).
4. **Scoring.** Each pair is joined to its two records (two shuffles by id) and scored in its
   partition with :func:`~crmcore.dedup.score_pairs`.
5. **Clustering**, on the driver, of the pairs at the review threshold or above, with
   :func:`~crmcore.dedup.cluster`.

With the same model, the clusters, their ids and order, the review queue and the scores are
those of :meth:`ContactMatcher.dedupe <crmcore.dedup.ContactMatcher.dedupe>`, for any number
of partitions and any scheduler. Dask comes with the ``dask`` extra and is imported only
here, when used (:class:`~crmcore.dedup.MissingExtraError` without it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np

from crmcore._safe import printable
from crmcore.dedup import _distributed_stages as stages
from crmcore.dedup._extras import dask_module
from crmcore.dedup.blocking import BlockingEntry, CandidatePair, SkippedBlock
from crmcore.dedup.clustering import Cluster, Clusters, ReviewItem
from crmcore.dedup.errors import DedupError
from crmcore.dedup.model import MatchModel
from crmcore.dedup.presets import ContactMatcher, Matcher
from crmcore.dedup.scoring import ScoredPairs
from crmcore.errors import InvalidValueError, restore_private_pickling
from crmcore.records._base import Record

__all__ = ["DEFAULT_FIT_SAMPLE", "DistributedResult", "candidate_pairs_bag", "dedupe_bag"]

DEFAULT_FIT_SAMPLE = 100_000
"""The most records :func:`dedupe_bag` fits a model to on the driver; beyond, a sample of them."""


@attrs.frozen(eq=False, repr=False)
class DistributedResult:
    """What :func:`dedupe_bag` answers: the clusters, the scored pairs kept, the model, counts.

    ``pairs`` holds the pairs at the review threshold or above (every candidate pair with
    ``keep_all=True``), sorted by ids, as :class:`~crmcore.dedup.ScoredPairs`; ``candidates``
    counts every candidate pair scored. ``pairs_per_rule``, ``skipped`` and ``unkeyed`` are
    those of :class:`~crmcore.dedup.BlockingResult`.
    """

    clusters: Clusters
    pairs: ScoredPairs
    model: MatchModel
    records: int
    candidates: int
    pairs_per_rule: Mapping[str, int]
    skipped: tuple[SkippedBlock, ...]
    unkeyed: tuple[str, ...]

    def __repr__(self) -> str:  # counts only: never a record
        return (
            f"DistributedResult(records={self.records}, candidates={self.candidates}, "
            f"clusters={len(self.clusters)}, duplicates={len(self.duplicates)}, "
            f"review={len(self.review)})"
        )

    @property
    def duplicates(self) -> tuple[Cluster, ...]:
        """The clusters of two records or more, in the clusters' order."""
        return self.clusters.duplicates

    @property
    def review(self) -> tuple[ReviewItem, ...]:
        """The pairs to review: between the review and the match threshold, explained."""
        return self.clusters.review

    def explain(self, left: str, right: str) -> dict[str, Any]:
        """Why the pair of ``left`` and ``right`` scored as it did (a pair kept in ``pairs``)."""
        return self.pairs.explain_pair(left, right)


def _bag_of(records: object, partitions: int | None) -> Any:
    bag = dask_module("dask.bag")
    if partitions is not None and (
        isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1
    ):
        raise InvalidValueError(
            "expected a whole number of partitions, 1 or more", field="partitions"
        )
    if isinstance(records, bag.Bag):
        return records
    if isinstance(records, (str, bytes, Record, Mapping)) or not isinstance(records, Iterable):
        raise InvalidValueError(
            "expected a Dask bag or an iterable of crmcore records", field="records"
        )
    found = list(records)
    if found and all(isinstance(part, (list, tuple)) for part in found):  # the caller's parts
        delayed = dask_module().delayed
        return bag.from_delayed([delayed(list)(part) for part in found])
    return bag.from_sequence(found, npartitions=max(1, min(partitions or 1, len(found) or 1)))


def _ids(records: Any, record_type: type[Record]) -> list[str]:
    """Every record id, each checked once; the records checked partition by partition."""
    dask = dask_module()
    parts = records.to_delayed()
    checked = [
        dask.delayed(stages.check_partition)(part, number, record_type)
        for number, part in enumerate(parts)
    ]
    seen: set[str] = set()
    ids: list[str] = []
    for found in dask.compute(*checked):
        for record_id in found:
            if record_id in seen:
                raise InvalidValueError(
                    f"record id {printable(record_id, 100)!r} is repeated", field="records"
                )
            seen.add(record_id)
            ids.append(record_id)
    return ids


def _keep(records: Iterable[Record], chosen: frozenset[str]) -> list[Record]:
    return [record for record in records if record.id in chosen]


def _model(records: Any, ids: list[str], matcher: Matcher, fit_sample: int) -> MatchModel:
    if matcher.model is not None:
        return matcher.model
    if len(ids) > fit_sample:
        ranked = sorted(ids, key=lambda i: (stages.bucket(f"{matcher.seed}\x00{i}", 2**61), i))
        records = records.map_partitions(_keep, frozenset(ranked[:fit_sample]))
    model = matcher.fit(records.compute()).model
    assert model is not None
    return model


def _grouped(items: Any, buckets: int) -> Any:
    """``items`` (tagged tuples, their bucket second) shuffled by bucket: ``(bucket, items)``."""
    return items.groupby(_second, npartitions=buckets, shuffle="tasks")


def _second(item: tuple[Any, ...]) -> int:
    return int(item[1])


def _tagged(items: Iterable[tuple[Any, ...]], tag: str) -> list[tuple[Any, ...]]:
    return [item for item in items if item[0] == tag]


def _pair_item(item: tuple[Any, ...], buckets: int) -> tuple[Any, ...]:
    return (stages.PAIR, stages.bucket(f"{item[1]}\x00{item[2]}", buckets), *item[1:])


def _ranged(item: tuple[int, Any]) -> int:
    return int(item[0])


def _blocking(records: Any, matcher: Matcher, buckets: int) -> tuple[Any, Any]:
    """The lazy candidate pairs ``(left, right, rule bits)`` and the side items (skipped
    blocks, unkeyed ids) of ``records``."""
    dask = dask_module()
    entries = matcher.blocking_rules.for_type(matcher.record_type)
    names = [entry.name for entry in entries]
    splits: tuple[BlockingEntry, ...] | None = None  # the default split rules of its type
    if matcher.split_window is None:
        splits = ()  # a block too large is dropped: no split key read
    elif matcher.split_rules is not None:
        splits = matcher.split_rules.for_type(matcher.record_type)
    keyed = records.map_partitions(stages.keys_of, entries, buckets, splits)
    blocks = _grouped(keyed.map_partitions(_tagged, stages.KEY), buckets).map_partitions(
        stages.key_group_pairs, names, matcher.max_block_size, matcher.split_window
    )
    found = [blocks.map_partitions(_tagged, stages.PAIR)]
    windows = [entry.window for entry in entries]
    if any(window is not None for window in windows):
        window_items = keyed.map_partitions(_tagged, stages.WINDOW)
        wanted = max(20, 20 * buckets // max(1, records.npartitions))  # 20 keys a range
        samples = window_items.map_partitions(stages.sample_keys, wanted)
        cuts = dask.delayed(stages.boundaries)(samples.to_delayed(), buckets)
        ranges = window_items.map_partitions(stages.range_of, cuts).groupby(
            _ranged, npartitions=buckets, shuffle="tasks"
        )
        size = max(window for window in windows if window is not None) - 1
        starts = ranges.map_partitions(stages.heads, size).to_delayed()
        found.append(ranges.map_partitions(stages.window_group_pairs, starts, windows))
    bag = dask_module("dask.bag")
    pairs = bag.concat(found).map(_pair_item, buckets)
    united = _grouped(pairs, buckets).map_partitions(stages.unite_pairs)
    side = bag.concat(
        [
            keyed.map_partitions(_tagged, stages.UNKEYED),
            blocks.map_partitions(_tagged, stages.SKIPPED),
        ]
    )
    return united, side


def _join_key(item: tuple[int, int, Any]) -> int:
    return item[0]


def _scored(
    records: Any, pairs: Any, matcher: Matcher, model: MatchModel, buckets: int, floor: float
) -> Any:
    bag = dask_module("dask.bag")
    as_items = records.map(stages.record_item, buckets)
    lefts = bag.concat([as_items, pairs.map(stages.join_left, buckets)])
    rights = lefts.groupby(_join_key, npartitions=buckets, shuffle="tasks").map_partitions(
        stages.join_right, buckets
    )
    both = bag.concat([as_items, rights]).groupby(_join_key, npartitions=buckets, shuffle="tasks")
    return both.map_partitions(
        stages.score_partition, model, matcher.comparisons, matcher.context, floor
    )


def candidate_pairs_bag(
    records: Any, matcher: Matcher | None = None, *, partitions: int | None = None
) -> Any:
    """The candidate pairs of a Dask bag of records, as a lazy bag of
    :class:`~crmcore.dedup.CandidatePair` (in no set order), under the ``matcher``'s blocking
    rules, ``max_block_size``, ``split_rules`` and ``split_window``
    (:class:`~crmcore.dedup.ContactMatcher` by default).

    The records are not checked here: :func:`dedupe_bag` checks them first.
    """
    matcher = ContactMatcher() if matcher is None else matcher
    restore_private_pickling()  # dask.distributed may have changed how our errors pickle
    found = _bag_of(records, partitions)
    united, _ = _blocking(found, matcher, partitions or found.npartitions)
    entries = matcher.blocking_rules.for_type(matcher.record_type)
    return united.map(_candidate, tuple(entry.name for entry in entries))


def _candidate(item: tuple[str, str, int], names: tuple[str, ...]) -> CandidatePair:
    return CandidatePair(item[0], item[1], _rules(item[2], names))


def _rules(mask: int, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for number, name in enumerate(names) if mask >> number & 1)


def dedupe_bag(
    records: Any,
    matcher: Matcher | None = None,
    *,
    partitions: int | None = None,
    fit_sample: int = DEFAULT_FIT_SAMPLE,
    keep_all: bool = False,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
) -> DistributedResult:
    """Deduplicate ``records`` over Dask partitions, as ``matcher.dedupe`` does in process.

    ``records`` is a :class:`dask.bag.Bag` of crmcore records of the ``matcher``'s type
    (:class:`~crmcore.dedup.ContactMatcher` by default), an iterable of them, then split in
    ``partitions`` (1 by default), or a list of lists of them, one a partition.
    ``partitions`` is also the number of partitions of the shuffles (by default the bag's).
    Dask's scheduler is the one configured (``dask.config.set(scheduler=...)``, or a
    ``distributed.Client``).

    The matcher's model scores the pairs; without one, a model is fitted on the driver to the
    records (to ``fit_sample`` of them, drawn by a stable hash of their ids, when there are
    more). The records are read twice (three times to fit a model): persist a bag that is
    costly to make. Non-records, records of another type and repeated ids are refused
    (:class:`~crmcore.InvalidValueError`, naming the partition, the position or the id).
    """
    if matcher is None:
        matcher = ContactMatcher()
    if not isinstance(matcher, Matcher):
        raise DedupError("expected a ContactMatcher or an AccountMatcher")
    if isinstance(fit_sample, bool) or not isinstance(fit_sample, int) or fit_sample < 1:
        raise InvalidValueError("expected a whole number of records, 1 or more", field="fit_sample")
    dask = dask_module()
    restore_private_pickling()  # dask.distributed may have changed how our errors pickle
    found = _bag_of(records, partitions)
    buckets = partitions or found.npartitions
    ids = _ids(found, matcher.record_type)
    model = _model(found, ids, matcher, fit_sample)
    names = tuple(entry.name for entry in matcher.blocking_rules.for_type(matcher.record_type))
    if ids:
        united, side = _blocking(found, matcher, buckets)
        floor = 0.0 if keep_all else matcher.review_threshold
        scored = _scored(found, united, matcher, model, buckets, floor)
        counts = united.map_partitions(stages.mask_counts)
        chunks, masks, extra = dask.compute(scored, counts, side)
    else:
        chunks, masks, extra = [], [], []
    pairs = _gathered(model, chunks)
    totals: dict[int, int] = {}
    for part in masks:
        for mask, count in part.items():
            totals[mask] = totals.get(mask, 0) + count
    clusters = matcher._cluster(ids, pairs, must_link, cannot_link)
    skipped = [SkippedBlock(names[item[1]], item[2]) for item in extra if item[0] == stages.SKIPPED]
    return DistributedResult(
        clusters,
        pairs,
        model,
        len(ids),
        sum(totals.values()),
        {
            name: sum(count for mask, count in totals.items() if mask >> number & 1)
            for number, name in enumerate(names)
        },
        tuple(sorted(skipped, key=lambda s: (-s.size, s.rule))),
        tuple(sorted(item[1] for item in extra if item[0] == stages.UNKEYED)),
    )


def _gathered(model: MatchModel, chunks: Iterable[stages.Chunk]) -> ScoredPairs:
    """The scored chunks of every partition as one :class:`ScoredPairs`, sorted by ids."""
    parts = list(chunks)
    lefts = [left for part in parts for left in part[0]]
    rights = [right for part in parts for right in part[1]]
    order = sorted(range(len(lefts)), key=lambda i: (lefts[i], rights[i]))
    columns = len(model.comparisons)

    def joined(at: int, shape: tuple[int, ...], dtype: Any) -> Any:
        found = [part[at] for part in parts]
        return (np.concatenate(found) if found else np.zeros(shape, dtype))[order]

    adjusted = any(part[5] is not None for part in parts) or (
        not parts and model.term_frequencies is not None and bool(model.term_frequencies.tables)
    )
    return ScoredPairs(
        model,
        tuple(lefts[i] for i in order),
        tuple(rights[i] for i in order),
        joined(2, (0,), np.float64),
        joined(3, (0,), np.float64),
        joined(4, (0, columns), np.int16),
        joined(5, (0, columns), np.float64) if adjusted else None,
    )


DistributedResult.__module__ = "crmcore.dedup"  # where users import it from
