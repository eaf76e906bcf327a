"""Presets: :class:`ContactMatcher` and :class:`AccountMatcher`, deduplication with no set-up.

A matcher runs every stage with its defaults: blocking (:func:`default_blocking_rules`),
comparisons (:func:`default_comparisons`), a model fitted to the records without labels
(:func:`fit`), scoring, clustering at the match threshold with a review queue, and merging.
Every default is a keyword to override. A matcher is an immutable value: :meth:`fit` and
:meth:`with_model` give a new matcher that scores with a given model instead of fitting one.

>>> from datetime import datetime, timezone
>>> from crmcore import Contact
>>> from crmcore.cleaning import clean_raw
>>> from crmcore.testing.synthetic import messy_dataset
>>> data = messy_dataset(7, datetime(2026, 11, 1, tzinfo=timezone.utc), contacts=300)
>>> contacts = [clean_raw(Contact, row).record for row in data.contacts]
>>> result = ContactMatcher().dedupe(contacts)
>>> result
DedupeResult(records=300, pairs=5140, clusters=276, duplicates=20, review=0)
>>> result.duplicates[0].members in data.known_duplicates
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any, ClassVar, TypeVar

import attrs
import numpy as np

from crmcore._collector import frozen
from crmcore.dedup._adjustments import _Adjusted
from crmcore.dedup._batch import prepared_once
from crmcore.dedup._forked import can_fork, read_jobs, reading_jobs
from crmcore.dedup._presets_input import (
    check_instance,
    check_thresholds,
    read_typed,
)
from crmcore.dedup._presets_results import (
    LEFT_PREFIX,
    RIGHT_PREFIX,
    DedupeResult,
    LinkageResult,
    LinkedPair,
)
from crmcore.dedup._shared_read import read_ahead, read_shared, shared_read
from crmcore.dedup._vectors import ComparisonVectors
from crmcore.dedup.blocking import (
    DEFAULT_MAX_BLOCK_SIZE,
    DEFAULT_SPLIT_WINDOW,
    BlockingResult,
    BlockingRules,
    block,
    block_columns,
    default_blocking_rules,
    read_split_rules,
    read_split_window,
    records_read,
)
from crmcore.dedup.clustering import Clusters, cluster, cluster_positions
from crmcore.dedup.comparator import FieldComparator
from crmcore.dedup.comparisons import Comparisons
from crmcore.dedup.context import CompareContext
from crmcore.dedup.defaults import default_comparisons
from crmcore.dedup.fitting import FitSetting, compare_for_fit, compare_pairs, fitted
from crmcore.dedup.model import MatchModel, ModelError
from crmcore.dedup.scoring import ScoredPairs, score, scored_with
from crmcore.dedup.survivorship import SurvivorshipContext, SurvivorshipRules
from crmcore.errors import InvalidValueError
from crmcore.records import Account, Contact
from crmcore.records._base import Record

__all__ = [
    "AccountMatcher",
    "ContactMatcher",
    "DedupeResult",
    "LinkageResult",
    "LinkedPair",
    "Matcher",
]

_id_of = attrgetter("id")  # a record's id, read by map in C, not by a Python loop

M = TypeVar("M", bound="Matcher")


def _int_at_least(minimum: int) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise InvalidValueError(
                f"expected an integer of at least {minimum}", field=attribute.name
            )

    return check


def _instance(kind: type[Any], expected: str, optional: bool = False) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        check_instance(value, kind, attribute.name, expected)

    return check


@attrs.frozen(kw_only=True)
class Matcher:
    """Every stage of deduplication with its defaults, for one record type.

    Use :class:`ContactMatcher` or :class:`AccountMatcher`, which name their record type;
    :meth:`dedupe`, :meth:`link`, :meth:`fit` and :meth:`with_model` are theirs. Keywords
    override each default: ``blocking_rules`` (:func:`default_blocking_rules`),
    ``comparisons`` (:func:`default_comparisons`), ``context`` (:class:`CompareContext`),
    ``match_threshold`` (0.9: pairs at or above it join a cluster), ``review_threshold``
    (0.5: pairs from it up to the match threshold go to the review queue),
    ``max_block_size`` (100), ``split_rules`` and ``split_window`` (how a block too large
    is split: :func:`default_split_rules`, 10; see :func:`block`), ``seed`` and
    ``u_sample`` (0 and 20,000, of the fit),
    ``model`` (score with this model instead of fitting one), ``survivorship_rules`` and
    ``survivorship_context`` (of the golden records), ``jobs`` (1: the processes that run
    the blocking rules and the comparisons, ``0`` for one per core).

    With ``jobs`` above 1, blocking and comparing run on that many worker processes, forked
    from this one so that they inherit the records (where ``fork`` is offered and no other
    thread runs; else everything runs here). The result is the same as with ``jobs=1``,
    which starts no process: the default, since a library should not start processes
    unasked.
    """

    record_type: ClassVar[type[Record]] = Record

    blocking_rules: BlockingRules = attrs.field(
        factory=default_blocking_rules,
        eq=False,
        repr=False,
        validator=_instance(BlockingRules, "a BlockingRules registry"),
    )
    comparisons: Comparisons = attrs.field(
        factory=default_comparisons,
        eq=False,
        repr=False,
        validator=_instance(Comparisons, "a Comparisons registry"),
    )
    context: CompareContext = attrs.field(
        factory=CompareContext, repr=False, validator=_instance(CompareContext, "a CompareContext")
    )
    match_threshold: float = 0.9
    review_threshold: float = 0.5
    max_block_size: int = attrs.field(default=DEFAULT_MAX_BLOCK_SIZE, validator=_int_at_least(2))
    split_rules: BlockingRules | None = attrs.field(
        default=None, eq=False, repr=False, validator=lambda _, __, value: read_split_rules(value)
    )
    split_window: int | None = attrs.field(
        default=DEFAULT_SPLIT_WINDOW, validator=lambda _, __, value: read_split_window(value)
    )
    seed: int = attrs.field(default=0, validator=_int_at_least(0))
    u_sample: int = attrs.field(default=20_000, validator=_int_at_least(1))
    model: MatchModel | None = attrs.field(
        default=None, repr=False, validator=_instance(MatchModel, "a MatchModel", optional=True)
    )
    survivorship_rules: SurvivorshipRules | None = attrs.field(
        default=None,
        eq=False,
        repr=False,
        validator=_instance(SurvivorshipRules, "a SurvivorshipRules registry", optional=True),
    )
    survivorship_context: SurvivorshipContext | None = attrs.field(
        default=None,
        repr=False,
        validator=_instance(SurvivorshipContext, "a SurvivorshipContext", optional=True),
    )
    jobs: int = attrs.field(default=1, validator=_int_at_least(0))

    def __attrs_post_init__(self) -> None:
        if self.record_type is Record:
            raise TypeError("use ContactMatcher or AccountMatcher, which name a record type")
        match, review = check_thresholds(self.match_threshold, self.review_threshold)
        object.__setattr__(self, "match_threshold", match)
        object.__setattr__(self, "review_threshold", review)
        if self.model is not None:
            self._check_model(self.model)

    def _check_model(self, model: MatchModel) -> None:
        if model.record_type != self.record_type.__name__:
            raise ModelError(
                f"the model is for {model.record_type} records, not "
                f"{self.record_type.__name__} records"
            )

    # -- the stages ----------------------------------------------------------------------------

    def _cluster(
        self,
        ids: Sequence[str],
        scored: ScoredPairs,
        must_link: Iterable[tuple[str, str]],
        cannot_link: Iterable[tuple[str, str]],
    ) -> Clusters:
        """Cluster scored pairs at this matcher's thresholds, the review queue explained (its
        pairs at once)."""
        names, rows, left, right, chances = scored.rows_at_positions(self.review_threshold)
        if names and (names is ids or names == tuple(ids)):  # the pairs as positions, at once
            found = cluster_positions(
                ids,
                left,
                right,
                chances,
                match_threshold=self.match_threshold,
                review_threshold=self.review_threshold,
                must_link=must_link,
                cannot_link=cannot_link,
                # the review queue's pairs explained by their rows, found with the edges
                explain_edges=lambda edges: scored.explain_rows(rows[edges]),
            )
            if found is not None:
                return found
        return cluster(
            ids,
            # only the pairs clustering reads: those at the review threshold or above
            list(scored.edges(self.review_threshold)),
            match_threshold=self.match_threshold,
            review_threshold=self.review_threshold,
            must_link=must_link,
            cannot_link=cannot_link,
            explain=scored.explain_pair,
        )

    def _read(self, records: object, argument: str = "records") -> tuple[Record, ...]:
        return read_typed(records, self.record_type, argument)

    @contextmanager
    def _reading(self, records: tuple[Record, ...]) -> Iterator[None]:
        """Within it, :meth:`_block` and :meth:`_compare` of ``records`` find what they read
        of them read once, ahead, in one pass shared by this process and forked workers
        (:mod:`~crmcore.dedup._shared_read`): blocking's columns and what each split
        comparison reads. Only where workers are forked, and enough is read
        (:func:`~crmcore.dedup._forked.reading_jobs`): else each stage reads as it does."""
        read = None
        workers = read_jobs(self.jobs)
        if records and workers >= 2 and can_fork():
            record_type = type(records[0])
            columns = block_columns(
                record_type, self.blocking_rules, self.split_rules, self.split_window
            )
            comparators = [
                comparison.comparator
                for comparison in self.comparisons.for_type(record_type)
                if isinstance(comparison.comparator, FieldComparator)
                and comparison.comparator.split()
                and read_ahead(comparison.comparator)
            ]
            reads = len(records) * (len(set(columns)) + len(comparators))
            if comparators and reading_jobs(reads, workers) >= 2:
                read = read_shared(records, columns, comparators, self.context, workers)
        with shared_read(read):
            yield

    def _block(self, records: tuple[Record, ...]) -> BlockingResult:
        """:func:`~crmcore.dedup.block` of ``records`` as :meth:`_read` gives them (checked,
        sorted by id): not checked nor sorted again (:func:`records_read`)."""
        with records_read(records):
            return block(
                records,
                self.blocking_rules,
                max_block_size=self.max_block_size,
                jobs=self.jobs,
                split_rules=self.split_rules,
                split_window=self.split_window,
            )

    def _fit(
        self, records: tuple[Record, ...], pairs: BlockingResult, *compared: Any
    ) -> MatchModel:
        """The model alone (:meth:`_fitted`'s), ``compared`` its further arguments."""
        return self._fitted(records, pairs, *compared)[0]

    def _fitted(
        self,
        records: tuple[Record, ...],
        pairs: BlockingResult,
        vectors: ComparisonVectors | None = None,
        u_vectors: ComparisonVectors | None = None,
        across: tuple[Iterable[str], Iterable[str]] | None = None,
    ) -> tuple[MatchModel, _Adjusted | None]:
        """The model (this matcher's, or fitted to ``records``, read and sorted already) and,
        when fitted, the term-frequency adjustments of the pairs of ``vectors`` for scoring."""
        if self.model is not None:
            return self.model, None
        if not records:
            return MatchModel(self.record_type.__name__, 0.1, ()), None
        setting = FitSetting(
            self.comparisons, self.context, self.seed, self.u_sample, read_jobs(self.jobs)
        )
        return fitted(records, pairs, setting, (vectors, u_vectors), across)

    def _compare(
        self, records: tuple[Record, ...], pairs: object
    ) -> tuple[ComparisonVectors | None, ComparisonVectors | None]:
        """The level matrix of ``pairs``, compared once for the fit and the scores, and, when a
        model is to be fitted, that of the random pairs of u, compared in the same pass."""
        if not records:
            return None, None
        if self.model is None:
            return compare_for_fit(
                records,
                pairs,
                self.comparisons,
                self.context,
                self.seed,
                u_sample=self.u_sample,
                jobs=self.jobs,
            )
        found = compare_pairs(records, pairs, self.comparisons, self.context, jobs=self.jobs)
        return found, None

    def _score(
        self,
        model: MatchModel,
        records: tuple[Record, ...],
        pairs: object,
        vectors: ComparisonVectors | None = None,
        adjusted: _Adjusted | None = None,
    ) -> ScoredPairs:
        if vectors is not None and adjusted is not None:  # the fit's, of the same vectors
            return scored_with(model, vectors, adjusted)
        if vectors is not None:
            return score(model, vectors)
        if not records:  # nothing compared: no pair, scored with the model's own columns
            empty = ComparisonVectors(
                self.record_type,
                model.names,
                tuple(c.levels for c in model.comparisons),
                (),
                (),
                np.zeros((0, len(model.comparisons)), dtype=np.int16),
            )
            return score(model, empty)
        vectors = compare_pairs(records, pairs, self.comparisons, self.context, jobs=self.jobs)
        return score(model, vectors)

    # -- public --------------------------------------------------------------------------------

    def fit(self: M, records: Iterable[Record]) -> M:
        """A copy of this matcher with a model fitted to ``records`` (no labels needed).

        Save it with ``matcher.model.to_json()``; :meth:`with_model` takes it back.
        """
        found = self._read(records)
        return attrs.evolve(self, model=self._fitted(found, self._block(found))[0])

    def with_model(self: M, model: MatchModel) -> M:
        """A copy of this matcher that scores with ``model`` instead of fitting one.

        A model for another record type is refused (:class:`ModelError`).
        """
        if not isinstance(model, MatchModel):
            raise ModelError("expected a MatchModel")
        return attrs.evolve(self, model=model)

    def dedupe(
        self,
        records: Iterable[Record],
        *,
        must_link: Iterable[tuple[str, str]] = (),
        cannot_link: Iterable[tuple[str, str]] = (),
    ) -> DedupeResult:
        """Find the records that are one: block, fit (unless a model is set), score, cluster.

        ``must_link`` and ``cannot_link`` are pairs of ids a reviewer decided on (from
        :attr:`DedupeResult.review`). The same records in any order give the same result.
        """
        found = self._read(records)
        # The records stay out of the collector's collections for the run (none of them is
        # garbage before it ends): each stage makes many objects, which trigger collections.
        with frozen():
            with prepared_once():  # each record prepared once for the pairs and the u sample
                with self._reading(found):  # what blocking and the comparisons read, read once
                    blocking = self._block(found)
                    vectors, sample = self._compare(found, blocking)
                model, adjusted = self._fitted(found, blocking, vectors, sample)  # read let go
            scored = self._score(model, found, blocking, vectors, adjusted)
            ids = tuple(map(_id_of, found))
            clusters = self._cluster(ids, scored, must_link, cannot_link)
        return DedupeResult(
            found,
            blocking,
            scored,
            clusters,
            model,
            self.match_threshold,
            self.review_threshold,
            self.survivorship_rules,
            self.survivorship_context,
        )

    def link(self, left: Iterable[Record], right: Iterable[Record]) -> LinkageResult:
        """Link two sets of records: the pairs across them, and each left record's best matches.

        The ids of each set must be distinct within it; the same id may appear in both. The
        model (unless one is set) is fitted on both sets together; pairs within one set are
        not scored.
        """
        lefts = self._read(left, "left")
        rights = self._read(right, "right")
        both = tuple(
            [attrs.evolve(r, id=LEFT_PREFIX + r.id) for r in lefts]
            + [attrs.evolve(r, id=RIGHT_PREFIX + r.id) for r in rights]
        )
        sides = ([r.id for r in both[: len(lefts)]], [r.id for r in both[len(lefts) :]])
        # records kept out of collections, read once for blocking and the comparisons,
        # prepared once
        with frozen(), prepared_once():
            with self._reading(both):
                blocking = self._block(both)
                vectors, sample = self._compare(both, blocking)
            model = self._fitted(both, blocking, vectors, sample, sides)[0]  # read let go
        if vectors is None:
            scored = self._score(model, both, ())
        else:  # the pairs across the two sets, compared once with the others
            across = np.fromiter(
                (
                    left.startswith(LEFT_PREFIX) and right.startswith(RIGHT_PREFIX)
                    for left, right in zip(vectors.left, vectors.right, strict=True)
                ),
                dtype=np.bool_,
                count=len(vectors),
            )
            scored = self._score(model, both, (), vectors.take(across))
        links = [
            LinkedPair(a[len(LEFT_PREFIX) :], b[len(RIGHT_PREFIX) :], p)
            for a, b, p in scored.edges(self.review_threshold)
        ]
        links.sort(key=lambda link: (link.left, -link.probability, link.right))
        return LinkageResult(
            tuple(links), model, self.match_threshold, self.review_threshold, len(scored), scored
        )


@attrs.frozen(kw_only=True)
class ContactMatcher(Matcher):
    """A :class:`Matcher` of :class:`~crmcore.Contact` records: dedupe and link them with no
    configuration (every default a keyword, as :class:`Matcher` lists them)."""

    record_type: ClassVar[type[Record]] = Contact


@attrs.frozen(kw_only=True)
class AccountMatcher(Matcher):
    """A :class:`Matcher` of :class:`~crmcore.Account` records: the built-in rules and
    comparisons of organisations (web domain, registration number, organisation name,
    phone, address) apply."""

    record_type: ClassVar[type[Record]] = Account


for _cls in (Matcher, ContactMatcher, AccountMatcher, DedupeResult, LinkedPair, LinkageResult):
    _cls.__module__ = "crmcore.dedup"
