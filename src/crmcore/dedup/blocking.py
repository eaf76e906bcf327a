"""Blocking: the candidate pairs worth comparing, found without comparing every pair.

A :class:`BlockingRule` gives each record its keys (a mailbox, a phone number, a family
name's sound with a postal code, ...); :func:`block` pairs the records that share a key under
one rule, and for a sorted-neighbourhood rule the records within its window in key order. The
pairs of every rule are united without duplicates, each pair's ids in order and the pairs
sorted, so the same records in any order give the same pairs. A key shared by more records
than ``max_block_size`` (a common name, a switchboard's number) is not paired in full, and
is reported: its block alone would cost more pairs than it is worth. It is split instead by
the keys of the split rules (the address and the date of birth by default): its members sharing
one are paired within a window of ``split_window`` places, at most ``split_window - 1`` pairs
per member and split key, however large the block. Given labelled pairs (known duplicates),
the result says the recall of each rule and of all of them together.

>>> from crmcore import Contact, ContactIdentity, EmailAddress, PersonName
>>> def person(record_id, given, email):
...     return Contact(record_id, ContactIdentity(
...         name=PersonName(given=given, family="Smith"), emails=(EmailAddress(email),)))
>>> records = [person("c-2", "Bob", "bob@example.com"), person("c-1", "Robert", "BOB@example.com"),
...            person("c-3", "Alice", "alice@example.com")]
>>> result = block(records, labels=[("c-1", "c-2")])
>>> for pair in result.pairs:
...     print(pair.left, pair.right, *pair.rules)
c-1 c-2 crmcore.email crmcore.name crmcore.name_window crmcore.name_sounds
c-1 c-3 crmcore.name_window
c-2 c-3 crmcore.name_window
>>> result.pairs_per_rule["crmcore.email"], result.recall
(1, 1.0)
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from crmcore._collector import paused_collector
from crmcore._safe import printable
from crmcore.dedup._block_arrays import (
    can_tag,
    key_table,
    table_pair_codes,
    table_window_codes,
    tag_codes,
    union_codes,
)
from crmcore.dedup._blocking_builtin import (
    BirthDateKeys,
    DomainKeys,
    EmailKeys,
    ExternalIdKeys,
    FamilyPostcodeKeys,
    NameKeys,
    NameWindow,
    PhoneKeys,
    RegistrationNumberKeys,
    birth_date_keys,
    default_blocking_rules,
    domain_keys,
    email_keys,
    external_id_keys,
    family_postcode_keys,
    name_keys,
    name_window,
    phone_keys,
    registration_number_keys,
)
from crmcore.dedup._blocking_columns import ColumnOf, Extracted, extract, plan_of, planned_table
from crmcore.dedup._blocking_rules import (
    BLOCKING_ENTRY_POINT_GROUP,
    MAX_WINDOW,
    BlockingEntry,
    BlockingError,
    BlockingRule,
    BlockingRulePluginError,
    BlockingRules,
)
from crmcore.dedup._blocking_sounds import NameSoundKeys
from crmcore.dedup._blocking_split import (
    DEFAULT_SPLIT_WINDOW,
    AddressKeys,
    BirthDayKeys,
    OrganisationKeys,
    address_keys,
    birth_day_keys,
    default_split_rules,
    organisation_keys,
)
from crmcore.dedup._blocking_values import addresses_of, names_of
from crmcore.dedup._forked import forked_map, read_jobs, reading_jobs
from crmcore.dedup._pair_index import LazyTuple, PairIndex
from crmcore.dedup._shared_read import shared_columns
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record

__all__ = [
    "BLOCKING_ENTRY_POINT_GROUP",
    "DEFAULT_MAX_BLOCK_SIZE",
    "DEFAULT_SPLIT_WINDOW",
    "AddressKeys",
    "BirthDateKeys",
    "BirthDayKeys",
    "BlockingEntry",
    "BlockingError",
    "BlockingResult",
    "BlockingRule",
    "BlockingRulePluginError",
    "BlockingRules",
    "CandidatePair",
    "DomainKeys",
    "EmailKeys",
    "ExternalIdKeys",
    "FamilyPostcodeKeys",
    "NameKeys",
    "NameWindow",
    "OrganisationKeys",
    "PhoneKeys",
    "RegistrationNumberKeys",
    "RuleSummary",
    "SkippedBlock",
    "address_keys",
    "birth_date_keys",
    "birth_day_keys",
    "block",
    "default_blocking_rules",
    "default_split_rules",
    "domain_keys",
    "email_keys",
    "external_id_keys",
    "family_postcode_keys",
    "name_keys",
    "name_window",
    "organisation_keys",
    "phone_keys",
    "registration_number_keys",
]

Place = TypeVar("Place", int, str)
"""A record's place in blocking: its position among the records, or its id."""

DEFAULT_MAX_BLOCK_SIZE = 100
"""The largest block :func:`block` pairs in full by default: 4,950 pairs at most from one
key; a larger one is split (:data:`DEFAULT_SPLIT_WINDOW`)."""


@attrs.frozen
class CandidatePair:
    """Two records worth comparing: their ids (``left < right``) and the rules that paired them."""

    left: str
    right: str
    rules: tuple[str, ...]


@attrs.frozen
class SkippedBlock:
    """A key shared by too many records to pair in full: its rule and how many records
    shared it. Its members were paired by the split rules, if any, or not at all.

    The key itself is a value of the records and is not kept.
    """

    rule: str
    size: int


@attrs.frozen
class RuleSummary:
    """What one rule did.

    ``keyed``: the records it gave a key; ``pairs``: the pairs it found; ``only``: those no
    other rule found; ``skipped_blocks`` and ``skipped_pairs``: the blocks too large to pair
    in full and the pairs they would have made; ``recall``: the share of the labelled pairs
    it found (``None`` without labels); ``split_blocks`` and ``split_pairs``: the blocks too
    large that were split (all of them, unless splitting is off) and the distinct pairs
    their split gave (among ``pairs``).
    """

    name: str
    window: int | None
    keyed: int
    pairs: int
    only: int
    skipped_blocks: int
    skipped_pairs: int
    recall: float | None = None
    split_blocks: int = 0
    split_pairs: int = 0


@attrs.frozen
class BlockingResult:
    """The candidate pairs and what each rule contributed.

    ``pairs`` are sorted by ids (a sequence that compares as a tuple, its pair objects made
    when first read); ``rules`` follow the registry's order; ``skipped`` lists
    the blocks left out, largest first; ``unkeyed`` the ids of the records no rule gave a key
    (they can only stay alone); ``labelled`` the number of labelled pairs, ``recall`` the
    share of them among ``pairs`` and ``missed`` those not found (``None``, ``()`` without
    labels).
    """

    pairs: Sequence[CandidatePair]
    rules: tuple[RuleSummary, ...]
    skipped: tuple[SkippedBlock, ...]
    records: int
    unkeyed: tuple[str, ...]
    labelled: int = 0
    recall: float | None = None
    missed: tuple[tuple[str, str], ...] = ()
    positions: PairIndex | None = attrs.field(default=None, repr=False, eq=False)
    """The pairs as positions of the records sorted by id, with their rules' bits, for the
    stages after blocking; ``None`` in a result built by hand."""

    @property
    def pairs_per_rule(self) -> Mapping[str, int]:
        """The number of pairs each rule found, by rule name."""
        return {summary.name: summary.pairs for summary in self.rules}

    @property
    def ids(self) -> tuple[tuple[str, str], ...]:
        """The pairs as ``(left, right)`` ids."""
        index = self.positions
        if index is not None:
            ids = index.ids
            return tuple(
                (ids[i], ids[j])
                for i, j in zip(index.left.tolist(), index.right.tolist(), strict=True)
            )
        return tuple((pair.left, pair.right) for pair in self.pairs)


def _read_records(records: object) -> tuple[Record, ...]:
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise InvalidValueError("expected an iterable of crmcore records", field="records")
    found = tuple(records)
    if not all(isinstance(record, Record) for record in found):
        raise InvalidValueError("expected crmcore records only", field="records")
    kinds = {type(record) for record in found}
    if len(kinds) > 1:
        raise InvalidValueError("expected records of one type", field="records")
    ids = [record.id for record in found]
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        for record_id in ids:
            if record_id in seen:
                raise InvalidValueError(
                    f"record id {printable(record_id, 100)!r} appears more than once",
                    field="records",
                )
            seen.add(record_id)
    return found


_READ: ContextVar[tuple[Record, ...] | None] = ContextVar("crmcore_dedup_read", default=None)


@contextmanager
def records_read(records: tuple[Record, ...]) -> Iterator[None]:
    """Within it, :func:`block` of these very ``records`` (read already: crmcore records of
    one type with distinct ids, sorted by id, as a matcher reads them) takes them as they
    are: neither checked nor sorted again (at a million records, most of a second)."""
    token = _READ.set(records)
    try:
        yield
    finally:
        _READ.reset(token)


def _sorted(records: tuple[Record, ...]) -> tuple[Record, ...]:
    return tuple(sorted(records, key=operator.attrgetter("id")))


def _read_size(max_block_size: object) -> int:
    if (
        isinstance(max_block_size, bool)
        or not isinstance(max_block_size, int)
        or max_block_size < 2
    ):
        raise InvalidValueError(
            "max_block_size is a whole number, 2 or more", field="max_block_size"
        )
    return max_block_size


def _read_labels(labels: object, index: Mapping[str, int]) -> set[tuple[int, int]]:
    refused = InvalidValueError(
        "labels are groups of two record ids or more, such as (id, id) pairs", field="labels"
    )
    if isinstance(labels, (str, bytes, Mapping)) or not isinstance(labels, Iterable):
        raise refused
    found: set[tuple[int, int]] = set()
    for group in labels:
        if isinstance(group, (str, bytes, Mapping)) or not isinstance(group, Iterable):
            raise refused
        ids = set(group)
        if len(ids) < 2 or not all(isinstance(record_id, str) for record_id in ids):
            raise refused
        positions = []
        for record_id in sorted(ids):
            if record_id not in index:
                raise InvalidValueError(
                    f"labelled id {printable(record_id, 100)!r} is not among the records",
                    field="labels",
                )
            positions.append(index[record_id])
        found.update(itertools.combinations(sorted(positions), 2))
    return found


def block_pairs(
    members: Sequence[Place],
    max_size: int,
    name: str,
    skipped: list[SkippedBlock],
    splits: Sequence[Sequence[tuple[str, ...]]] = (),
    window: int | None = None,
) -> Iterable[tuple[Place, Place]]:
    """The pairs of one block of rule ``name``, its ``members`` in ascending order.

    A block of more than ``max_size`` members is appended to ``skipped`` and split:
    ``splits[k]`` holds member ``k``'s keys under each split rule, and the members sharing a
    split key are paired within ``window`` places (none without a window or splits), unless
    more than ``max_size`` share it. The
    distributed engine pairs its blocks with it, one at a time, as :func:`block` pairs all
    of them at once.
    """
    if len(members) <= max_size:
        return itertools.combinations(members, 2)
    skipped.append(SkippedBlock(name, len(members)))
    if window is None or not splits:
        return ()
    pairs: set[tuple[Place, Place]] = set()
    for number in range(len(splits[0])):
        groups: dict[str, list[Place]] = {}
        for member, keys in zip(members, splits, strict=True):
            for key in keys[number]:
                groups.setdefault(key, []).append(member)
        for group in groups.values():
            if len(group) <= max_size:
                pairs.update(window_pairs(group, window))
    return sorted(pairs)


def window_pairs(
    places: Sequence[Place], window: int, following: Sequence[Place] = ()
) -> set[tuple[Place, Place]]:
    """The pairs of the records at ``places`` (in key order) within ``window - 1`` places.

    ``following`` are the places just after the last one (the start of the next range of
    keys, when the keys are split in ranges): they pair with the last places, not with each
    other. Each pair is ``(smaller, larger)``; a record is never paired with itself.
    """
    extended: Sequence[Place] = places
    if following:
        extended = list(places) + list(following[: window - 1])
    pairs: set[tuple[Place, Place]] = set()
    for place, position in enumerate(places):
        pairs.update(
            (position, other) if position < other else (other, position)
            for other in extended[place + 1 : place + window]
            if other != position
        )
    return pairs


_Table = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
_Found = tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64], list[int], int]


@attrs.frozen
class _Inputs:
    """What the tasks of one stage of :func:`block` share (inherited by its workers).

    ``jobs`` are the entries whose keys the tasks read, each with its rule's number (``None``
    for a split rule, whose task answers its table of keys); ``columns`` the records' values
    the planned rules read (:mod:`~crmcore.dedup._blocking_columns`); ``records`` are read
    only by the rules without a plan.
    """

    records: Sequence[Record]
    columns: Mapping[ColumnOf, Extracted]
    jobs: tuple[tuple[BlockingEntry, int | None], ...]
    size: int
    tagged: bool
    splits: Sequence[_Table]
    window: int


def _keys_table(inputs: _Inputs, entry: BlockingEntry) -> _Table:
    """The rule's keys of each record as numbers (:func:`key_table`; ranked for a window
    rule): from the columns when the rule has a plan, else from the records."""
    ranked = entry.window is not None
    records = inputs.records
    plan = plan_of(entry.rule, type(records[0])) if records else None
    if plan is not None:
        table = planned_table(plan, inputs.columns, ranked=ranked)
        if table is not None:
            return table
    return key_table(entry.keys_many(records), ranked=ranked)


def _task(inputs: _Inputs, index: int) -> _Table | _Found:
    """Job ``index``: a split rule's table of keys, or a rule's keyed records, pairs (codes
    ``i * count + j``, tagged with the rule's number when the run tags them), skipped
    blocks' sizes and the pairs their split gave: one task of :func:`block`."""
    entry, number = inputs.jobs[index]
    table = _keys_table(inputs, entry)
    if number is None:
        return table
    with_keys = np.diff(table[0]) > 0
    sizes: list[int] = []
    split = 0
    if entry.window is None:
        pairs, split = table_pair_codes(
            table, inputs.size, sizes.append, inputs.splits, inputs.window
        )
    else:
        pairs = table_window_codes(table, entry.window)
    del table
    return with_keys, tag_codes(pairs, number) if inputs.tagged else pairs, sizes, split


def read_split_window(window: object) -> int | None:
    """``split_window`` checked as :func:`block` checks it (``None`` or 2 to ``MAX_WINDOW``)."""
    if window is None:
        return None
    if isinstance(window, bool) or not isinstance(window, int) or not 2 <= window <= MAX_WINDOW:
        raise InvalidValueError(
            f"split_window is None or a whole number from 2 to {MAX_WINDOW}",
            field="split_window",
        )
    return window


def read_split_rules(split_rules: object) -> BlockingRules:
    """``split_rules`` checked as :func:`block` checks it: ``None`` gives
    :func:`default_split_rules`."""
    if split_rules is None:
        return default_split_rules()
    if not isinstance(split_rules, BlockingRules):
        raise InvalidValueError("expected BlockingRules", field="split_rules")
    return split_rules


def _columns_of(record_type: type[Any], entries: Iterable[BlockingEntry]) -> list[ColumnOf]:
    """The columns the planned rules of ``entries`` read of records of ``record_type``."""
    plans = [plan_of(entry.rule, record_type) for entry in entries]
    return [column for plan in plans if plan for column in plan.columns]


def block_columns(
    record_type: type[Any],
    rules: BlockingRules,
    split_rules: BlockingRules | None = None,
    split_window: int | None = DEFAULT_SPLIT_WINDOW,
) -> list[ColumnOf]:
    """The columns :func:`block` reads of records of ``record_type`` with these options
    (checked as :func:`block` checks them), to read them ahead
    (:mod:`~crmcore.dedup._shared_read`)."""
    entries = rules.for_type(record_type)
    window = read_split_window(split_window)
    splitters = _splitters(record_type, entries, read_split_rules(split_rules), window)
    return _columns_of(record_type, (*splitters, *entries))


def _splitters(
    record_type: type[Any],
    entries: Sequence[BlockingEntry],
    split_rules: BlockingRules,
    window: int | None,
) -> tuple[BlockingEntry, ...]:
    """The split rules that run beside ``entries``: those of ``record_type`` when a key rule
    may have blocks to split (``window`` not ``None``), else none."""
    if window is not None and any(entry.window is None for entry in entries):
        return split_rules.for_type(record_type)
    return ()


def _first(entries: Sequence[BlockingEntry]) -> list[int]:
    """The rules whose tasks start first, the costliest known first: the built-in rules on
    names give most pairs, the address split reads the most; the others follow in order."""
    costly = (NameSoundKeys, NameKeys, FamilyPostcodeKeys, NameWindow, BirthDateKeys, AddressKeys)
    ranked = [
        (rank, number)
        for number, entry in enumerate(entries)
        for rank, kind in enumerate(costly)
        if isinstance(entry.rule, kind)
    ]
    return [number for _, number in sorted(ranked)]


def _stage(inputs: _Inputs, workers: int) -> list[Any]:
    """Every job of ``inputs``, on ``workers`` processes (:func:`forked_map`)."""
    first = _first([entry for entry, _ in inputs.jobs])
    return forked_map(_task, inputs, len(inputs.jobs), workers, first=first)


def _bits_of(
    codes: npt.NDArray[np.int64], union: npt.NDArray[np.int64], bits: npt.NDArray[Any]
) -> npt.NDArray[Any]:
    """The bits of each of ``codes`` (sorted) among the ``union``'s (sorted), 0 where absent."""
    if not len(union):
        return np.zeros(len(codes), dtype=bits.dtype)
    at = np.minimum(np.searchsorted(union, codes), len(union) - 1)
    return np.where(union[at] == codes, bits[at], 0)


_FEW_MASKS = 1 << 16
"""Rules' bits below it are counted in an array of that many counts (a pass over the pairs),
not by sorting the pairs' bits."""


def _mask_counts(bits: npt.NDArray[Any]) -> dict[int, int]:
    """How many pairs have each combination of rules' bits (those found, ascending)."""
    if bits.dtype == np.int64 and len(bits) and int(bits.max()) < _FEW_MASKS:
        tally = np.bincount(bits)
        distinct = np.flatnonzero(tally)
        return dict(zip(distinct.tolist(), tally[distinct].tolist(), strict=True))
    found, counts = np.unique(bits, return_counts=True)
    return dict(zip(found.tolist(), counts.tolist(), strict=True))


def block(
    records: Iterable[Record],
    rules: BlockingRules | None = None,
    *,
    max_block_size: int = DEFAULT_MAX_BLOCK_SIZE,
    labels: Iterable[Iterable[str]] | None = None,
    jobs: int = 1,
    split_rules: BlockingRules | None = None,
    split_window: int | None = DEFAULT_SPLIT_WINDOW,
) -> BlockingResult:
    """The candidate pairs of ``records`` under ``rules`` (:func:`default_blocking_rules`).

    ``records`` are crmcore records of one type with distinct ids (else
    :class:`~crmcore.InvalidValueError`, naming the id, never a value). Only the rules of
    their type run. A key shared by more than ``max_block_size`` records is not paired in
    full and is reported in :attr:`BlockingResult.skipped`: its members sharing a key of
    one of ``split_rules`` (:func:`default_split_rules`: the address, the date of birth) are
    paired within ``split_window`` places (``None``: not at all, the block is dropped).
    ``labels`` are groups of ids known to be one
    person or organisation (pairs, or :attr:`Dataset.known_duplicates
    <crmcore.testing.synthetic.Dataset.known_duplicates>`); with them the result tells the
    recall of each rule and overall, and lists the labelled pairs missed.

    The cost grows with the records and the pairs found, never with every pair: a key rule
    pairs the records of each block (a block too large, each member with ``split_window - 1``
    others per split key at most), a window rule each record with its ``window - 1``
    neighbours. ``jobs`` processes run the rules (a rule each at a time; ``0`` for one per
    core): the same result as with 1, the default, which uses no process.
    """
    ordered = records if records is _READ.get() else _sorted(_read_records(records))
    size = _read_size(max_block_size)
    workers = read_jobs(jobs)
    if rules is None:
        rules = default_blocking_rules()
    elif not isinstance(rules, BlockingRules):
        raise InvalidValueError("expected BlockingRules", field="rules")
    window = read_split_window(split_window)
    split_rules = read_split_rules(split_rules)
    wanted = None
    if labels is not None:
        index = {record.id: position for position, record in enumerate(ordered)}
        wanted = _read_labels(labels, index)
    entries = rules.for_type(type(ordered[0])) if ordered else ()

    count = len(ordered)
    skipped: list[SkippedBlock] = []
    keyed = np.zeros(count, dtype=np.bool_)
    # keyed records, skipped blocks, skipped pairs, split blocks, split pairs
    counts: list[tuple[int, int, int, int, int]] = []
    tagged = can_tag(count, len(entries))
    splitters = _splitters(type(ordered[0]), entries, split_rules, window) if ordered else ()
    # Two stages on every core: the split rules' tables, then every rule (a key rule splits
    # its large blocks by those tables; a window rule splits nothing): the rules in one
    # stage share the cores better than a stage of the window rules beside the tables.
    # The collector paused: the rules make keys per record, none of them in a cycle; with it
    # running, a collection that scanned every record took a quarter of blocking's time.
    with paused_collector():
        record_type = type(ordered[0]) if ordered else Record
        read = _columns_of(record_type, (*splitters, *entries)) if ordered else []
        given = shared_columns(ordered)  # read already, with the comparisons' values
        unread = [column for column in read if column not in given]
        reading = reading_jobs(count * len(set(unread)), workers)
        columns = {column: given[column] for column in read if column in given}
        columns.update(extract(ordered, unread, jobs=reading, first=(names_of, addresses_of)))
        early = tuple((entry, None) for entry in splitters)
        inputs = _Inputs(ordered, columns, early, size, tagged, (), window or 0)
        tables: list[_Table] = _stage(inputs, workers)
        every = tuple((entry, number) for number, entry in enumerate(entries))
        inputs = attrs.evolve(inputs, jobs=every, splits=tables)
        outcomes: list[_Found] = _stage(inputs, workers)
    splitting = window is not None and bool(tables)  # a block too large is split, not dropped
    del tables, inputs, columns
    # Each rule's pairs (codes i * count + j), this list their only owner: union_codes empties it.
    per_rule = [pairs for _, pairs, _, _ in outcomes]
    found_keys = [(with_keys, sizes, split) for with_keys, _, sizes, split in outcomes]
    outcomes.clear()
    for entry, (with_keys, sizes, split) in zip(entries, found_keys, strict=True):
        keyed |= with_keys
        skipped.extend(SkippedBlock(entry.name, skipped_size) for skipped_size in sizes)
        counts.append(
            (
                int(with_keys.sum()),
                len(sizes),
                sum(n * (n - 1) // 2 for n in sizes),
                len(sizes) if splitting else 0,
                split,
            )
        )

    found_pairs = [len(pairs) for pairs in per_rule]
    left, right, bits = union_codes(per_rule, count, tagged=tagged)  # empties per_rule
    labelled = np.array(sorted(i * count + j for i, j in wanted or ()), dtype=np.int64)
    # each labelled pair's rules' bits (0: not found), read from the union
    labelled_bits = _bits_of(labelled, left * count + right, bits) if len(labelled) else bits[:0]

    def recall(number: int | None) -> float | None:
        if wanted is None or not len(labelled):
            return None
        hits = labelled_bits != 0 if number is None else labelled_bits >> number & 1 != 0
        return int(np.count_nonzero(hits)) / len(labelled)

    recalls = [recall(number) for number in range(len(entries))]
    masks = _mask_counts(bits)
    only = [masks.get(1 << number, 0) for number in range(len(entries))]
    names = [entry.name for entry in entries]
    rule_names = {
        mask: tuple(name for number, name in enumerate(names) if mask >> number & 1)
        for mask in masks
    }
    summaries = tuple(
        RuleSummary(
            entry.name,
            entry.window,
            counts[number][0],
            found_pairs[number],
            only[number],
            counts[number][1],
            counts[number][2],
            recalls[number],
            counts[number][3],
            counts[number][4],
        )
        for number, entry in enumerate(entries)
    )
    missed = labelled[labelled_bits == 0] if len(labelled) else labelled
    ids = [record.id for record in ordered]

    def candidate_pairs() -> tuple[CandidatePair, ...]:
        return tuple(
            CandidatePair(ids[i], ids[j], rule_names[mask])
            for i, j, mask in zip(left.tolist(), right.tolist(), bits.tolist(), strict=True)
        )

    pairs_out: Sequence[CandidatePair] = LazyTuple(len(left), candidate_pairs)
    positions: PairIndex | None = None
    if bits.dtype == np.int64:  # the rules' bits fit in one integer
        positions = PairIndex(tuple(ids), left, right, bits, tuple(names))
    else:  # more rules than bits in one integer: no positions, the pairs made now
        pairs_out = candidate_pairs()
    return BlockingResult(
        pairs=pairs_out,
        rules=summaries,
        skipped=tuple(sorted(skipped, key=lambda s: (-s.size, s.rule))),
        records=len(ordered),
        unkeyed=tuple(ids[position] for position in np.flatnonzero(~keyed).tolist()),
        labelled=len(wanted) if wanted is not None else 0,
        recall=recall(None),
        missed=tuple((ids[code // count], ids[code % count]) for code in missed.tolist()),
        positions=positions,
    )
