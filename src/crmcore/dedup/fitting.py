"""Fitting a :class:`~crmcore.dedup.MatchModel` to records, without labels or with them.

* ``u`` comes from seeded random pairs of records (nearly all of them strangers), but for
  the rare levels a comparison counts over every pair of records
  (:class:`~crmcore.dedup.comparator.CountedLevels`: names exchanged, a birth date with
  day and month exchanged), which the sample hardly sees.
* ``m`` comes from expectation-maximisation on the counts of distinct level patterns, run
  once per blocking rule on the pairs that rule found, leaving out the comparisons the rule's
  key makes agree (they would teach EM that matches always agree on them); each comparison's
  m is the mean over the rules that estimated it. EM on every candidate pair at once tends to
  take the pairs agreeing on cheap fields for the matches.
* The prior is the chance that two records drawn at random match: the matches expected
  among the candidate pairs over every pair of records.

Records are sorted by id first, so the same records in any order give the same model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from operator import attrgetter
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from crmcore._collector import frozen
from crmcore.dedup import _em, _exact_u
from crmcore.dedup._adjustments import _Adjusted, _adjusted_rows
from crmcore.dedup._block_arrays import distinct_sorted
from crmcore.dedup._forked import read_jobs
from crmcore.dedup._pair_index import pair_index, positions_of
from crmcore.dedup._vectors import (
    ComparisonVectors,
    comparison_vectors,
    read_pairs,
    read_records,
    vectors_at,
)
from crmcore.dedup.comparisons import Comparisons
from crmcore.dedup.context import CompareContext
from crmcore.dedup.frequencies import (
    TermAdjustment,
    TermFrequencies,
    _read_adjustments,
    term_table,
)
from crmcore.dedup.model import ComparisonModel, MatchModel, ModelError
from crmcore.dedup.scoring import ScoredPairs, score
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record

__all__ = [
    "DEFAULT_RULE_COMPARISONS",
    "UNFITTED_RULES",
    "adjustments_for",
    "compare_for_fit",
    "compare_pairs",
    "fit",
    "fit_labelled",
    "score_pairs",
]

_id_of = attrgetter("id")  # a record's id, read by map in C, not by a Python loop

DEFAULT_RULE_COMPARISONS: Mapping[str, tuple[str, ...]] = {
    "crmcore.email": ("crmcore.email",),
    "crmcore.phone": ("crmcore.phone", "crmcore.address", "crmcore.name"),
    "crmcore.external_id": ("crmcore.external_id",),
    "crmcore.family_postcode": ("crmcore.name", "crmcore.address"),
    "crmcore.birth_date": ("crmcore.birth_date", "crmcore.name"),
    "crmcore.name": ("crmcore.name",),
    "crmcore.name_window": ("crmcore.name", "crmcore.organisation_name"),
    "crmcore.domain": ("crmcore.domain",),
    "crmcore.registration_number": ("crmcore.registration_number",),
    "crmcore.name_sounds": ("crmcore.name",),
}
"""The comparisons each built-in blocking rule's key makes agree, left out of its EM run.

The phone rule's run leaves out the address and the name as well: a shared phone is often a
household's, whose members share the address with it and differ by their given names; read
there, the address takes relatives for one person, and the name teaches that one person's
records often differ on it (the run's ``m`` of a different name was ten times the true one
on generated contacts, and relatives sharing a phone were paired for it).

For a rule not listed, a comparison whose level is the top one in 95% of the rule's pairs
(where not null) is left out.
"""

UNFITTED_RULES: frozenset[str] = frozenset({"crmcore.name_organisation"})
"""The built-in blocking rules whose pairs get no EM run of their own: they are scored, and
the runs of the other rules give their ``m``.

``crmcore.name_organisation`` keys on the name at one employer: its pairs are the name
rule's (in blocks of a few records), except where a common name's block is too large to
pair in full. A run of its own counted them twice in the mean of the runs' ``m`` (at 10,000
generated contacts, ``hard``, seed 7: F1 0.904 without it, 0.900 with it, on the same
candidate pairs).

Rules are matched by name: a rule of your own registered under one of these names gets no
EM run either. A pair found by these rules alone counts nothing towards the prior (a
lower bound where large name blocks are split).
"""

_MIN_RULE_PAIRS = 20

Positions = npt.NDArray[np.int64]


def _setup(
    records: object, comparisons: Comparisons | None, ctx: CompareContext | None
) -> tuple[tuple[Record, ...], Comparisons, CompareContext, type[Any]]:
    found = read_records(records)
    comparisons, ctx = read_comparisons(comparisons, ctx)
    record_type = type(found[0]) if found else Record
    return found, comparisons, ctx, record_type


def read_comparisons(comparisons: object, ctx: object) -> tuple[Comparisons, CompareContext]:
    """``comparisons`` and ``ctx`` checked, the defaults in place of ``None``."""
    if comparisons is None:
        from crmcore.dedup.defaults import default_comparisons

        comparisons = default_comparisons()
    if not isinstance(comparisons, Comparisons):
        raise InvalidValueError("expected a Comparisons registry", field="comparisons")
    if ctx is None:
        ctx = CompareContext()
    if not isinstance(ctx, CompareContext):
        raise InvalidValueError("expected a CompareContext", field="ctx")
    return comparisons, ctx


def _rules_of(pairs: object) -> dict[tuple[str, str], tuple[str, ...]]:
    items = getattr(pairs, "pairs", pairs)
    rules: dict[tuple[str, str], tuple[str, ...]] = {}
    if isinstance(items, Iterable) and not isinstance(items, (str, bytes)):
        for item in items:
            left, right, found = (
                getattr(item, "left", None),
                getattr(item, "right", None),
                getattr(item, "rules", None),
            )
            if isinstance(left, str) and isinstance(right, str) and isinstance(found, tuple):
                key = (left, right) if left < right else (right, left)
                rules[key] = tuple(rule for rule in found if isinstance(rule, str))
    return rules


def compare_pairs(
    records: Iterable[Record],
    pairs: object,
    comparisons: Comparisons | None = None,
    ctx: CompareContext | None = None,
    *,
    adjustments: Iterable[TermAdjustment] | None = None,
    jobs: int = 1,
) -> ComparisonVectors:
    """The level matrix of candidate ``pairs`` of ``records`` (a blocking result or id pairs).

    Pairs are sorted by ids; each comparison runs once over every pair, in its batch form.
    The term digests of the pairs' records are read too, for each of ``adjustments``
    (:func:`~crmcore.dedup.default_term_adjustments` by default; ``()`` for none), for a
    model with term frequencies. ``jobs`` processes compare (a comparison each at a time;
    ``0`` for one per core): the same matrix as with 1, the default, which uses no process.
    """
    workers = read_jobs(jobs)
    found, comparisons, ctx, record_type = _setup(records, comparisons, ctx)
    chosen = _read_adjustments(adjustments, record_type)
    return _compare(found, pairs, comparisons, ctx, record_type, chosen, workers)


def _compare(
    found: tuple[Record, ...],
    pairs: object,
    comparisons: Comparisons,
    ctx: CompareContext,
    record_type: type[Any],
    chosen: tuple[TermAdjustment, ...],
    jobs: int = 1,
) -> ComparisonVectors:
    """The level matrix of ``pairs``: read as positions when they are a blocking of ``found``."""
    index = positions_of(pairs, found)
    if index is not None:
        return vectors_at(
            found, index.left, index.right, comparisons, ctx, record_type, chosen, jobs
        )
    ids = {record.id: record for record in found}
    return comparison_vectors(
        found, read_pairs(pairs, ids), comparisons, ctx, record_type, chosen, jobs
    )


def _term_choice(
    record_type: type[Any],
    wanted: bool | TermFrequencies,
    adjustments: Iterable[TermAdjustment] | None,
) -> tuple[TermAdjustment, ...]:
    """The adjustments whose terms a fit reads (none without term frequencies)."""
    if isinstance(wanted, bool):
        return _read_adjustments(adjustments, record_type) if wanted else ()
    if not isinstance(wanted, TermFrequencies):
        raise InvalidValueError("expected True, False or TermFrequencies", field="term_frequencies")
    return adjustments_for(wanted.names, record_type, adjustments)


def _term_counts(
    found: tuple[Record, ...],
    record_type: type[Any],
    wanted: bool | TermFrequencies,
    chosen: tuple[TermAdjustment, ...],
    vectors: ComparisonVectors | None = None,
    ids: tuple[str, ...] | None = None,
) -> TermFrequencies | None:
    """The term frequencies a fit keeps: ``wanted`` as given, or counted among ``found``.

    Counted from the term codes of ``vectors`` where they hold every record's term by the
    same adjustment (each term read once for the pairs and the counts), else from the records.
    ``ids`` are those of ``found``, when known.
    """
    if not isinstance(wanted, bool):
        return wanted
    if not wanted:
        return None
    known: Mapping[str, Any] = {}  # the vectors' term codes, when read on the same records
    if vectors is not None and vectors.record_ids == (
        tuple(map(_id_of, found)) if ids is None else ids
    ):
        known = vectors.term_codes
    tables = []
    for adjustment in chosen:
        codes = known.get(adjustment.comparison)
        if codes is not None and codes.adjustment == adjustment:
            tables.append(term_table(adjustment, codes.counts()))
        else:
            tables.append(term_table(adjustment, Counter(adjustment.digests(found).values())))
    return TermFrequencies(record_type.__name__, tuple(tables))


def adjustments_for(
    names: Iterable[str],
    record_type: type[Any],
    adjustments: Iterable[TermAdjustment] | None = None,
) -> tuple[TermAdjustment, ...]:
    """The adjustments (``adjustments`` or the defaults) of the comparisons ``names``, in order.

    :class:`ModelError` when one of them has no adjustment to read its terms with.
    """
    by_name = {a.comparison: a for a in _read_adjustments(adjustments, record_type)}
    found = []
    for name in names:
        if name not in by_name:
            raise ModelError(
                f"no term adjustment reads the terms of comparison {name}: pass adjustments="
            )
        found.append(by_name[name])
    return tuple(found)


def _random_pairs(count: int, wanted: int, seed: int) -> list[tuple[int, int]]:
    total = count * (count - 1) // 2
    if total == 0:
        return []
    rng = np.random.default_rng(seed)
    if total <= wanted:
        return [(i, j) for i in range(count) for j in range(i + 1, count)]
    left = rng.integers(0, count, size=wanted * 2)
    right = rng.integers(0, count, size=wanted * 2)
    keep = left != right
    found = sorted(
        {(int(min(a, b)), int(max(a, b))) for a, b in zip(left[keep], right[keep], strict=True)}
    )
    return found[:wanted] if len(found) > wanted else found


def _sample_positions(count: int, sample: int, seed: int) -> tuple[Positions, Positions]:
    """The random pairs u is estimated from, as positions of the records: drawn with ``seed``."""
    chosen = _random_pairs(count, sample, seed)
    left = np.array([i for i, _ in chosen], dtype=np.int64)
    right = np.array([j for _, j in chosen], dtype=np.int64)
    return left, right


def _estimate_u(
    records: tuple[Record, ...],
    comparisons: Comparisons,
    ctx: CompareContext,
    record_type: type[Any],
    sample: int,
    seed: int,
    jobs: int = 1,
) -> ComparisonVectors:
    left, right = _sample_positions(len(records), sample, seed)
    return vectors_at(records, left, right, comparisons, ctx, record_type, (), jobs)


def _u_of(
    vectors: ComparisonVectors,
    records: tuple[Record, ...],
    comparisons: Comparisons,
    ctx: CompareContext,
    counted: Mapping[str, _exact_u.ValueCounts] | None = None,
) -> list[_em.Floats]:
    """Each comparison's level frequencies among the random pairs of ``vectors``: its u; the
    levels a comparison counts among every pair of ``records`` taken from that count (of the
    values of every record ``counted`` holds, by comparison: :func:`_counted_values`)."""
    sampled = [
        _em.level_frequencies(vectors.matrix[:, column], len(levels) - 1, None)
        for column, levels in enumerate(vectors.levels)
    ]
    named = {
        comparison.name: comparison for comparison in comparisons.for_type(vectors.record_type)
    }
    chosen = [named[name] for name in vectors.names]
    return _exact_u.counted_u(records, chosen, ctx, sampled, counted)


def _counted_values(
    ids: tuple[str, ...], *compared: ComparisonVectors
) -> dict[str, _exact_u.ValueCounts]:
    """The values of every record of ``ids`` the comparison pass counted (of ``compared``
    compared on those records), by comparison: the records need not be read again."""
    found: dict[str, _exact_u.ValueCounts] = {}
    for vectors in compared:
        if vectors.value_counts and vectors.record_ids == ids:
            found.update(vectors.value_counts)
    return found


def compare_for_fit(
    records: Iterable[Record],
    pairs: object,
    comparisons: Comparisons | None = None,
    ctx: CompareContext | None = None,
    seed: int = 0,
    *,
    u_sample: int = 20_000,
    adjustments: Iterable[TermAdjustment] | None = None,
    jobs: int = 1,
) -> tuple[ComparisonVectors, ComparisonVectors]:
    """The level matrices of the candidate ``pairs`` and of the random pairs u is estimated
    from, compared in one pass: ``(vectors, u_vectors)`` for :func:`fit`.

    The random pairs are those :func:`fit` draws with the same ``seed`` and ``u_sample``, so
    ``fit(..., vectors=vectors, u_vectors=u_vectors)`` gives the model ``fit`` gives alone.
    Comparing both in one pass prepares a record's values once for the two. ``pairs`` must
    be a blocking of ``records`` (:func:`~crmcore.dedup.block`) or id pairs, as for
    :func:`compare_pairs`, whose matrix ``vectors`` is.
    """
    seed = _check_int(seed, "seed", 0)
    u_sample = _check_int(u_sample, "u_sample", 1)
    workers = read_jobs(jobs)
    found, comparisons, ctx, record_type = _setup(records, comparisons, ctx)
    chosen = _read_adjustments(adjustments, record_type)
    index = positions_of(pairs, found)
    if index is None:  # id pairs: each set compared as it is
        vectors = _compare(found, pairs, comparisons, ctx, record_type, chosen, workers)
        sample = _estimate_u(found, comparisons, ctx, record_type, u_sample, seed, workers)
        return vectors, sample
    left, right = _sample_positions(len(found), u_sample, seed)
    both = vectors_at(
        found,
        np.concatenate([index.left, left]),
        np.concatenate([index.right, right]),
        comparisons,
        ctx,
        record_type,
        chosen,
        workers,
    )
    return both.split(len(index.left))


def _left_out(
    rule: str, rows: ComparisonVectors, mask: np.ndarray[Any, Any], known: Mapping[str, Any]
) -> set[int]:
    if rule in known:
        names = set(known[rule])
        return {i for i, name in enumerate(rows.names) if name in names}
    out = set()
    for column, levels in enumerate(rows.levels):
        values = rows.matrix[mask, column]
        values = values[values < len(levels) - 1]
        if values.size and float(np.mean(values == 0)) >= 0.95:
            out.add(column)
    return out


def _check_int(value: object, field: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidValueError(f"expected an integer of at least {minimum}", field=field)
    return value


class _Run(NamedTuple):
    """An EM run, kept for the prior's pass (:func:`_matched`)."""

    mask: Any
    """Its pairs (``None`` when :func:`_matched` reads them by row: :class:`_ByRow`)."""
    combos: list[int]
    """The numbers of the sets of rules of its pairs."""
    columns: list[int]
    """The comparisons it reads."""
    rows: _em.Matrix
    """Its level patterns."""
    counts: _em.Floats
    """How many of its pairs have each pattern."""
    patterns: npt.NDArray[np.integer[Any]]
    """Each of its pairs' pattern, or (by row) each distinct row's."""
    shift: _em.Floats | None
    """Each pattern's adjustment (see :func:`_patterns`)."""


def fit(
    records: Iterable[Record],
    pairs: object,
    comparisons: Comparisons | None = None,
    ctx: CompareContext | None = None,
    seed: int = 0,
    *,
    u_sample: int = 20_000,
    rule_comparisons: Mapping[str, Iterable[str]] | None = None,
    iterations: int = 100,
    term_frequencies: bool | TermFrequencies = True,
    adjustments: Iterable[TermAdjustment] | None = None,
    vectors: ComparisonVectors | None = None,
    u_vectors: ComparisonVectors | None = None,
    across: tuple[Iterable[str], Iterable[str]] | None = None,
    jobs: int = 1,
) -> MatchModel:
    """Fit a :class:`MatchModel` to ``records`` and their candidate ``pairs``, with no labels.

    ``pairs`` is a :class:`~crmcore.dedup.BlockingResult` (its rules train m one by one) or
    id pairs (trained as one rule). ``u_sample`` random pairs (drawn with ``seed``) estimate
    u. ``rule_comparisons`` extends :data:`DEFAULT_RULE_COMPARISONS`. The same records, pairs
    and seed give the same model, in any input order.

    ``term_frequencies`` (on by default) counts the terms of ``adjustments``
    (:func:`~crmcore.dedup.default_term_adjustments`) among ``records`` and keeps them in the
    model, which then weighs an agreement on a rare term more than on a common one; EM reads
    the adjustments too. ``False`` fits without; a :class:`~crmcore.dedup.TermFrequencies`
    is kept as given (counted on other records, say).

    ``vectors``, the level matrix of the same ``pairs`` (from :func:`compare_pairs` with
    the same comparisons and adjustments), saves comparing every pair again: score them
    with :func:`~crmcore.dedup.score` after the fit, and each pair is compared once.
    ``u_vectors``, the level matrix of the random pairs (from :func:`compare_for_fit`, with
    the same ``seed`` and ``u_sample``), saves comparing them here.

    ``across`` (the ids of two sets of ``records``, to link one to the other) takes the prior
    among the pairs across the sets: the chance that a record of one set and one of the other
    drawn at random match, from the expected matches among the candidate pairs across them.
    Without it, the prior is taken among every pair of records.

    ``jobs`` processes compare the pairs and the random pairs of u, as in
    :func:`compare_pairs`: the same model as with 1, the default.
    """
    seed = _check_int(seed, "seed", 0)
    u_sample = _check_int(u_sample, "u_sample", 1)
    iterations = _check_int(iterations, "iterations", 1)
    workers = read_jobs(jobs)
    known: dict[str, tuple[str, ...]] = dict(DEFAULT_RULE_COMPARISONS)
    if rule_comparisons is not None:
        if not isinstance(rule_comparisons, Mapping):
            raise InvalidValueError("expected a mapping of rule names", field="rule_comparisons")
        for rule, names in rule_comparisons.items():
            if isinstance(names, str) or not isinstance(names, Iterable):
                raise InvalidValueError("expected comparison names", field="rule_comparisons")
            known[str(rule)] = tuple(str(name) for name in names)
    found, comparisons, ctx, _ = _setup(records, comparisons, ctx)
    setting = FitSetting(
        comparisons, ctx, seed, u_sample, workers, known, iterations, term_frequencies, adjustments
    )
    return fitted(found, pairs, setting, (vectors, u_vectors), across)[0]


class FitSetting(NamedTuple):
    """What a fit reads besides the records and pairs, checked (:func:`fit`'s arguments)."""

    comparisons: Comparisons
    ctx: CompareContext
    seed: int
    u_sample: int
    workers: int = 1
    known: Mapping[str, tuple[str, ...]] = DEFAULT_RULE_COMPARISONS
    iterations: int = 100
    term_frequencies: bool | TermFrequencies = True
    adjustments: Iterable[TermAdjustment] | None = None


def fitted(
    found: tuple[Record, ...],
    pairs: object,
    setting: FitSetting,
    compared: tuple[ComparisonVectors | None, ComparisonVectors | None] = (None, None),
    across: tuple[Iterable[str], Iterable[str]] | None = None,
) -> tuple[MatchModel, _Adjusted | None]:
    """:func:`fit` of records already read (sorted by id, of one type: ``read_records``'
    result), ``compared`` being its ``vectors`` and ``u_vectors``, with the term-frequency
    adjustments of the pairs of ``vectors``: those :func:`~crmcore.dedup.score` computes
    with the model (the same u and term frequencies), given to it so that they are computed
    once (``None`` without).

    The objects made before stay out of the collector's collections meanwhile
    (:func:`~crmcore._collector.frozen`): the fit makes few, but each full collection its
    objects trigger would visit every record.
    """
    with frozen():
        return _fitted(found, pairs, setting, compared, across)


def _fitted(
    found: tuple[Record, ...],
    pairs: object,
    setting: FitSetting,
    compared: tuple[ComparisonVectors | None, ComparisonVectors | None],
    across: tuple[Iterable[str], Iterable[str]] | None,
) -> tuple[MatchModel, _Adjusted | None]:
    """:func:`fitted`, the objects made before frozen."""
    comparisons, ctx, seed, u_sample, workers, known, iterations, term_frequencies, adjustments = (
        setting
    )
    vectors, u_vectors = compared
    record_type = type(found[0]) if found else Record
    chosen = _term_choice(record_type, term_frequencies, adjustments)
    if vectors is None:
        vectors = _compare(found, pairs, comparisons, ctx, record_type, chosen, workers)
    else:
        _check_vectors(vectors, comparisons, record_type, chosen)
    ids = tuple(map(_id_of, found))
    tf = _term_counts(found, record_type, term_frequencies, chosen, vectors, ids)
    if u_vectors is None:
        u_vectors = _estimate_u(found, comparisons, ctx, record_type, u_sample, seed, workers)
    else:
        _check_vectors(u_vectors, comparisons, record_type, (), "u_vectors")
    u = _u_of(u_vectors, found, comparisons, ctx, _counted_values(ids, vectors, u_vectors))
    starts = [_em.starting_m(len(levels) - 1) for levels in vectors.levels]
    offsets = _offsets(record_type, vectors, starts, u, tf)
    ends = _ends(ids, vectors)
    pair_combo, combos = _pair_rules(pairs, ids, vectors, ends)
    shifts: dict[tuple[int, ...], np.ndarray[Any, np.dtype[np.int16]]] = {}
    sums = [np.zeros_like(start) for start in starts]
    runs = [0] * len(starts)
    runs_of: list[tuple[Any, list[int], list[int]]] = []
    size = _flags_size(pair_combo)
    for rule in sorted({rule for rules in combos for rule in rules}):
        chosen_combos = [code for rules, code in combos.items() if rule in rules]
        mask = _among(pair_combo, chosen_combos, size)
        if int(mask.sum()) < _MIN_RULE_PAIRS or rule in UNFITTED_RULES:
            continue
        out = _left_out(rule, vectors, mask, known)
        columns = [c for c in range(len(starts)) if c not in out]
        if columns:
            runs_of.append((mask, chosen_combos, columns))
    if not runs_of and len(vectors):
        # Too few pairs for any rule on its own (a small data set): one run over every
        # candidate pair, reading every comparison, rather than no run and no matches.
        every = np.ones(len(vectors), dtype=np.bool_)
        runs_of.append((every, list(combos.values()), list(range(len(starts)))))
    runs_read: list[_Run] = []
    table = _pattern_table(vectors.matrix, offsets, [run[2] for run in runs_of], shifts)
    by_row = _by_row(table, pair_combo, combos)
    for mask, chosen_combos, columns in runs_of:
        rows, counts, of_row, inverse, shift = _patterns(
            vectors.matrix, offsets, mask, columns, shifts, table
        )
        if by_row is not None and of_row is not None:
            runs_read.append(_Run(None, chosen_combos, columns, rows, counts, of_row, shift))
        else:
            # kept for the prior's pass: 4 bytes a pair while the patterns are fewer than 2**31
            small = np.int32 if len(rows) < 1 << 31 else np.int64
            kept = inverse.astype(small, copy=False)
            runs_read.append(_Run(mask, chosen_combos, columns, rows, counts, kept, shift))
        # One match at least is expected among the pairs a rule found: they share a key.
        m, prior = _em.em(
            rows,
            counts,
            starts,
            u,
            0.1,
            columns,
            iterations=iterations,
            offsets=shift,
            min_prior=1.0 / float(counts.sum()),
        )
        chance = _em.posterior(rows, m, u, prior, columns, shift)[inverse]
        if (
            float(chance.sum()) < MIN_RUN_MATCHES
            or _one_sided(rows, counts, m, columns)
            or _implausible(chance, ends[0][mask], ends[1][mask], len(found))
        ):
            continue
        for column in columns:
            sums[column] += m[column]
            runs[column] += 1
    m = [_em.clamp(total / runs[c]) if runs[c] else starts[c] for c, total in enumerate(sums)]
    matched = _matched(len(vectors), runs_read, (m, u), iterations, by_row)
    # The prior: the chance that two records drawn at random match, the expected number of
    # matches among the candidate pairs (each pair's chance the most its rules gave it, each
    # rule blind to what its key agrees on) over every pair of records. u comes from
    # random pairs, so the weights are evidence against a random pair: a prior taken among
    # candidate pairs would count what their keys agree on twice, the more so the more
    # records there are.
    if across is None:
        prior = _prior(float(matched.sum()), len(found))
    else:
        prior = _prior_across(matched, ends, across, found)
    return _model(record_type, vectors, m, u, prior, tf), offsets


class _ByRow(NamedTuple):
    """What :func:`_matched` reads each pair's chance by: its sets of rules and its row.

    A run's chance of a pair depends on the pair's distinct row alone (the level patterns
    of its pairs are read from the distinct rows: :func:`_em.row_patterns`), and which runs
    have a pair on its set of rules: each pair's chance, the most of its runs', is read from
    a table of every set of rules by every distinct row, in one pass over the pairs instead
    of one per run.
    """

    codes: npt.NDArray[np.integer[Any]]
    """Each pair's distinct row (:func:`_em.distinct_rows`)."""
    width: int
    """How many distinct rows there are."""
    combos: npt.NDArray[np.int64]
    """Each pair's number of its set of rules."""
    rank: npt.NDArray[np.int64]
    """Each number's place among the numbers of the sets of rules."""


def _by_row(
    table: tuple[_em.Table, list[tuple[int, ...]]] | None,
    pair_combo: npt.NDArray[np.int64],
    combos: Mapping[tuple[str, ...], int],
) -> _ByRow | None:
    """:class:`_ByRow` of the pairs, or ``None`` without a table of distinct rows, or when
    the table of sets of rules by distinct rows would hold more values than there are pairs."""
    if table is None or not combos:
        return None
    codes, distinct, _ = table[0]
    numbers = sorted(set(combos.values()))
    if numbers[0] < 0 or numbers[-1] >= 1 << 20 or len(numbers) * len(distinct) > len(codes):
        return None
    rank = np.full(numbers[-1] + 1, -1, dtype=np.int64)
    rank[numbers] = np.arange(len(numbers), dtype=np.int64)
    return _ByRow(codes, len(distinct), pair_combo, rank)


_CHUNK = 1 << 20
"""Pairs whose chance is read at a time from the table of :class:`_ByRow`."""


def _matched(
    size: int,
    runs: list[_Run],
    fitted: tuple[list[_em.Floats], list[_em.Floats]],
    iterations: int,
    by_row: _ByRow | None = None,
) -> _em.Floats:
    """Each candidate pair's chance of a match: the most that any of its rules gives it.

    A rule's chances come from the fitted ``m`` (the mean of the runs kept), EM fitting only
    the share of matches among the rule's pairs, reading the comparisons its key does not
    make agree. Every rule counts, the runs left out of m too: their own m was wrong (a
    common pattern taken for the matches), not their pairs, which hold matches that share
    nothing but a name. Read with their own m, the matches found by those rules alone went
    uncounted and the prior fell below the true one.
    """
    m, u = fitted
    matched = np.zeros(size, dtype=np.float64)
    # the most chance of each set of rules (by its place) and distinct row, by row
    found = np.zeros((0, 0) if by_row is None else (int(by_row.rank.max()) + 1, by_row.width))
    for mask, chosen_combos, columns, rows, counts, inverse, shift in runs:
        # a pattern with nothing to compare but the key is no evidence either way
        read = np.zeros(len(rows), dtype=np.bool_)
        for column in columns:
            read |= rows[:, column] < len(m[column])
        counts = np.where(read, counts, 0.0)
        if not counts.sum():
            continue
        _, prior = _em.em(
            rows,
            counts,
            m,
            u,
            0.1,
            columns,
            fit_m=False,
            iterations=iterations,
            offsets=shift,
            min_prior=1.0 / float(counts.sum()),
        )
        chance = np.where(read, _em.posterior(rows, m, u, prior, columns, shift), 0.0)
        if mask is not None or by_row is None:
            matched[mask] = np.maximum(matched[mask], chance[inverse])
            continue
        of_row = chance[inverse]  # the run's chance of each distinct row
        for code in chosen_combos:
            place = found[by_row.rank[code]]
            np.maximum(place, of_row, out=place)
    if by_row is not None:
        flat = found.reshape(-1)
        for start in range(0, size, _CHUNK):
            stop = start + _CHUNK
            keys = by_row.rank[by_row.combos[start:stop]] * by_row.width
            keys += by_row.codes[start:stop]
            matched[start:stop] = flat[keys]
    return matched


def _pair_rules(
    pairs: object,
    ids: tuple[str, ...],
    vectors: ComparisonVectors,
    ends: tuple[Positions, Positions],
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], dict[tuple[str, ...], int]]:
    """A number per pair of ``vectors`` for the set of rules that found it, and the sets.

    A pair no rule names (id pairs, not a blocking result) has the rule ``"*"``.
    """
    index = _index_of(pairs, ids, ends)
    if index is not None:
        masks = _distinct(index.masks)
        return index.masks, {index.rules_of(mask): mask for mask in masks}
    rules_of = _rules_of(pairs)
    combos: dict[tuple[str, ...], int] = {}  # each distinct set of rules, numbered
    pair_combo = np.fromiter(
        (
            combos.setdefault(rules_of.get(pair, ("*",)), len(combos))
            for pair in zip(vectors.left, vectors.right, strict=True)
        ),
        dtype=np.int64,
        count=len(vectors),
    )
    return pair_combo, combos


def _flags_size(values: np.ndarray[Any, np.dtype[np.int64]]) -> int | None:
    """One more than the largest of ``values`` when they are small (0 to under 2**20): the
    size of the table of flags :func:`_among` reads them by; ``None`` otherwise. Found once
    for every rule's call (each bound is a pass over the pairs)."""
    if len(values) and int(values.min()) >= 0:
        top = int(values.max())
        if top < 1 << 20:
            return top + 1
    return None


def _among(values: np.ndarray[Any, np.dtype[np.int64]], chosen: list[int], size: int | None) -> Any:
    """Whether each of ``values`` is one of ``chosen``: ``np.isin``, read from a table of
    ``size`` flags when the values are small (:func:`_flags_size`: a pass over them, where
    ``np.isin`` sorts)."""
    if size is not None:
        flags = np.zeros(size, dtype=np.bool_)
        flags[[code for code in chosen if code < size]] = True
        return flags[values]
    return np.isin(values, chosen)


def _distinct(values: np.ndarray[Any, np.dtype[np.int64]]) -> list[int]:
    """The distinct values, ascending: counted when they are small, else sorted (recent
    NumPy's ``np.unique`` hashes integers, slowly)."""
    if not len(values):
        return []
    if int(values.min()) >= 0 and int(values.max()) < 1 << 20:
        found: list[int] = np.flatnonzero(np.bincount(values)).tolist()
        return found
    distinct: list[int] = distinct_sorted(values.copy()).tolist()
    return distinct


def _index_of(pairs: object, ids: tuple[str, ...], ends: tuple[Positions, Positions]) -> Any:
    """The pair index of ``pairs`` when it is of the records of ``ids`` and its pairs are
    those at ``ends``, in order; else None. (Its ids compared as tuples: no loop over the
    records.)"""
    index = pair_index(pairs)
    if (
        index is not None
        and index.ids == ids
        and np.array_equal(index.left, ends[0])
        and np.array_equal(index.right, ends[1])
    ):
        return index
    return None


MIN_RUN_MATCHES = 1.0
"""The fewest expected matches an EM run must find to teach m.

A run that finds none (the pairs sharing an id in another system, all strangers, say) ends
with m at the even shares of its smoothing, which teach nothing: averaged with the other
runs' m, they pulled each comparison's m towards even shares.
"""

MAX_MATCHES_PER_RECORD = 2.0
"""The most expected matches per matched record a plausible EM run finds.

A person with ``g`` records gives ``(g - 1) / 2`` matching pairs per record; 2 is a
person with five records, every one of them matched. More than that, and EM took a
pattern common among strangers (the same postal code, say) for the matches.
"""


def _ends(ids: tuple[str, ...], vectors: ComparisonVectors) -> tuple[Positions, Positions]:
    """The positions among the records of ``ids`` of each pair's two records (the vectors'
    own, when they were compared on those records)."""
    if vectors.record_ids == ids:
        return vectors.left_positions, vectors.right_positions
    where = {record_id: i for i, record_id in enumerate(ids)}
    if not all(record_id in where for record_id in vectors.record_ids):
        raise InvalidValueError("the vectors name records not among those given", field="vectors")
    moved = np.fromiter(
        (where[i] for i in vectors.record_ids), dtype=np.int64, count=len(vectors.record_ids)
    )
    return moved[vectors.left_positions], moved[vectors.right_positions]


def _implausible(
    chance: _em.Floats,
    left: np.ndarray[Any, np.dtype[np.int64]],
    right: np.ndarray[Any, np.dtype[np.int64]],
    records: int,
) -> bool:
    """Whether an EM run's matches are too many for the records they touch.

    Each record counts as matched as far as its pairs' chances add up, at most once; a run
    whose expected matches exceed :data:`MAX_MATCHES_PER_RECORD` per matched record took a
    common pattern for the matches, and teaches nothing. (The number of matches alone
    says too little: a data set whose people have several records each, like FEBRL 3,
    rightly has more matching pairs than records.)
    """
    total = float(chance.sum())
    if total == 0.0:
        return False
    degree = np.bincount(left, weights=chance, minlength=records) + np.bincount(
        right, weights=chance, minlength=records
    )
    return total > MAX_MATCHES_PER_RECORD * float(np.minimum(degree, 1.0).sum())


MIN_PRESENT = 0.05
"""The least share of a run's pairs in which a comparison is not null for it to count in
the check of :func:`_one_sided`."""


def _one_sided(
    rows: _em.Matrix, counts: _em.Floats, m: list[_em.Floats], columns: list[int]
) -> bool:
    """Whether an EM run's matches agree on one comparison only, of several it reads.

    A comparison the run's pairs have (not null in :data:`MIN_PRESENT` of them at least,
    ``counts`` being how many pairs have each pattern of ``rows``) agrees when its m puts
    less than half of the matches at its weakest level (``different``). Matches that differ
    on every comparison but one are not matches: EM took something common among the
    strangers of the rule's blocks for them (namesakes living in one postal area, found by a
    rule on the name, look alike by their postal code and nothing else). A comparison
    most records lack (a middle name) says too little of the run's pairs to count either way.
    """
    total = float(counts.sum())
    present = [
        c
        for c in columns
        if total and float(counts[rows[:, c] < len(m[c])].sum()) >= MIN_PRESENT * total
    ]
    agreeing = [c for c in present if float(m[c][-1]) < 0.5]
    return len(present) >= 2 and len(agreeing) <= 1


def _check_vectors(
    vectors: object,
    comparisons: Comparisons,
    record_type: type[Any],
    adjustments: tuple[TermAdjustment, ...],
    field: str = "vectors",
) -> None:
    """Refuse ``vectors`` compared for another record type, comparisons or adjustments."""
    if not isinstance(vectors, ComparisonVectors):
        raise InvalidValueError("expected comparison vectors", field=field)
    names = tuple(c.name for c in comparisons.for_type(record_type))
    if len(vectors) and (vectors.record_type is not record_type or vectors.names != names):
        raise InvalidValueError(
            "the vectors were compared for other records or comparisons", field=field
        )
    for adjustment in adjustments:
        if len(vectors) and adjustment.comparison not in vectors.term_codes:
            raise InvalidValueError(
                f"the vectors lack the terms of comparison {adjustment.comparison}",
                field=field,
            )


def _prior_across(
    matched: _em.Floats,
    ends: tuple[Positions, Positions],
    across: object,
    found: tuple[Record, ...],
) -> float:
    """Expected matches among the candidate pairs across two sets over every such pair."""
    if not isinstance(across, tuple) or len(across) != 2:
        raise InvalidValueError("expected the ids of two sets", field="across")
    where = {record.id: i for i, record in enumerate(found)}
    sides: list[set[str]] = []
    for ids in across:
        if isinstance(ids, str) or not isinstance(ids, Iterable):
            raise InvalidValueError("expected the ids of two sets", field="across")
        side = {str(i) for i in ids}
        if not side <= where.keys():
            raise InvalidValueError("an id of a set is not among the records", field="across")
        sides.append(side)
    one, other = sides
    if one & other:
        raise InvalidValueError("an id is in both sets", field="across")
    side_of = np.zeros(len(found), dtype=np.int8)  # 1 in one set, 2 in the other, else 0
    side_of[[where[i] for i in sorted(one)]] = 1
    side_of[[where[i] for i in sorted(other)]] = 2
    left, right = side_of[ends[0]], side_of[ends[1]]
    mask = (left != 0) & (right != 0) & (left != right)
    return _share(float(matched[mask].sum()), len(one) * len(other))


def _prior(matches: float, records: int) -> float:
    """Expected matches over every pair of ``records`` (0.1 when there is no pair)."""
    return _share(matches, records * (records - 1) // 2)


def _share(matches: float, total: int) -> float:
    """``matches`` over ``total`` pairs, kept within :func:`~crmcore.dedup._em.prior_floor`
    of them and one minus ``EPSILON`` (0.1 when there is no pair)."""
    if not total:
        return 0.1
    return float(np.clip(matches / total, _em.prior_floor(total), 1 - _em.EPSILON))


_BUCKETS = 8
"""Adjustments are read by EM to an eighth of a bit, so that level patterns stay few."""


def _offsets(
    record_type: type[Any],
    vectors: ComparisonVectors,
    m: list[_em.Floats],
    u: list[_em.Floats],
    tf: TermFrequencies | None,
) -> _Adjusted | None:
    """The term-frequency adjustments of the pairs that have one, or ``None`` without them.

    They read u and the term frequencies only, not m: those :func:`score` adds with the
    fitted model.
    """
    if tf is None or not tf.tables:
        return None
    model = _model(record_type, vectors, m, u, 0.5, tf)
    return _adjusted_rows(model, vectors)


def _shift(
    matrix: np.ndarray[Any, Any],
    offsets: _Adjusted,
    columns: list[int],
    shifts: dict[tuple[int, ...], np.ndarray[Any, np.dtype[np.int16]]],
) -> tuple[tuple[int, ...], np.ndarray[Any, np.dtype[np.int16]]]:
    """Every pair's adjustment read by a run of ``columns``, summed over them and rounded to
    an eighth of a bit, and the adjusted comparisons among them (its key in ``shifts``, where
    it is kept: made once per set of adjusted comparisons)."""
    key = tuple(column for column in offsets.columns if column in columns)
    shift = shifts.get(key)
    if shift is None:
        shift = np.zeros(len(matrix), dtype=np.int16)
        if key:  # no adjusted comparison among the run's: no adjustment
            sums = offsets.sums(within=columns)
            sums *= _BUCKETS
            shift[offsets.rows] = np.rint(sums, out=sums)
        shifts[key] = shift
    return key, shift


def _pattern_table(
    matrix: np.ndarray[Any, Any],
    offsets: _Adjusted | None,
    runs: list[list[int]],
    shifts: dict[tuple[int, ...], np.ndarray[Any, np.dtype[np.int16]]],
) -> tuple[_em.Table, list[tuple[int, ...]]] | None:
    """The distinct rows of ``matrix`` with the adjustments of every run (of ``runs``, the
    columns each reads) as further columns, and the keys of those adjustments in their order:
    each pair is read once for every run (:func:`_patterns`). ``None`` for fewer than two runs
    (nothing to share) or rows too wide to count."""
    if len(runs) < 2:
        return None
    keys: list[tuple[int, ...]] = []
    if offsets is not None:
        for columns in runs:
            key, _ = _shift(matrix, offsets, columns, shifts)
            if key not in keys:
                keys.append(key)
    table = _em.distinct_rows(matrix, [shifts[key] for key in keys])
    return None if table is None else (table, keys)


def _patterns(
    matrix: np.ndarray[Any, Any],
    offsets: _Adjusted | None,
    mask: np.ndarray[Any, Any],
    columns: list[int],
    shifts: dict[tuple[int, ...], np.ndarray[Any, np.dtype[np.int16]]],
    table: tuple[_em.Table, list[tuple[int, ...]]] | None = None,
) -> tuple[
    _em.Matrix, _em.Floats, np.ndarray[Any, Any] | None, np.ndarray[Any, Any], _em.Floats | None
]:
    """Level patterns of a rule's pairs (``mask``), each with its adjustment (of ``columns``):
    ``rows, counts, of_row, inverse, adjustments``, ``inverse`` each pair's pattern.

    Only ``columns`` tell patterns apart (the others are ``-1`` in them): EM reads no other.
    The adjustment, summed over ``columns`` and rounded to an eighth of a bit, is made once
    per set of adjusted comparisons among ``columns`` (kept in ``shifts``), for every pair.
    With ``table`` (:func:`_pattern_table`), the patterns are read from the distinct rows
    of the pairs: the same patterns, without reading the rule's pairs column by column, and
    ``of_row`` is each distinct row's pattern (``None`` without a table).
    """
    key: tuple[int, ...] | None = None
    shift = None
    if offsets is not None:
        key, shift = _shift(matrix, offsets, columns, shifts)
    of_row = None
    if table is not None:
        place = None if key is None else table[1].index(key)
        rows, counts, of_row, inverse, extra = _em.row_patterns(table[0], mask, columns, place)
    else:
        rows, counts, inverse, extra = _em.patterns_with(
            matrix[mask], None if shift is None else shift[mask], columns
        )
    if extra is None:
        return rows, counts, of_row, inverse, None
    return rows, counts, of_row, inverse, extra.astype(np.float64) / _BUCKETS


def _model(
    record_type: type[Any],
    vectors: ComparisonVectors,
    m: list[_em.Floats],
    u: list[_em.Floats],
    prior: float,
    tf: TermFrequencies | None = None,
) -> MatchModel:
    found: list[ComparisonModel] = []
    for c, (name, levels) in enumerate(zip(vectors.names, vectors.levels, strict=True)):
        m_c = tuple(float(p) for p in m[c])
        u_c = tuple(float(p) for p in u[c])
        found.append(ComparisonModel(name, levels, m_c, u_c))
    return MatchModel(record_type.__name__, prior, tuple(found), tf)


def fit_labelled(
    records: Iterable[Record],
    pairs: object,
    labels: Iterable[Iterable[str]],
    comparisons: Comparisons | None = None,
    ctx: CompareContext | None = None,
    seed: int = 0,
    *,
    u_sample: int = 20_000,
    term_frequencies: bool | TermFrequencies = True,
    adjustments: Iterable[TermAdjustment] | None = None,
) -> MatchModel:
    """Fit a :class:`MatchModel` from labelled matches: m from the labelled candidate pairs.

    ``labels`` are groups of ids of one person (pairs or larger); the prior is the number
    of labelled candidate pairs over every pair of records. u still comes from random pairs. Term
    frequencies are counted and kept as :func:`fit` does.
    """
    seed = _check_int(seed, "seed", 0)
    u_sample = _check_int(u_sample, "u_sample", 1)
    found, comparisons, ctx, record_type = _setup(records, comparisons, ctx)
    chosen = _term_choice(record_type, term_frequencies, adjustments)
    tf = _term_counts(found, record_type, term_frequencies, chosen)
    vectors = _compare(found, pairs, comparisons, ctx, record_type, ())
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Iterable):
        raise InvalidValueError("expected groups of record ids", field="labels")
    matched: set[tuple[str, str]] = set()
    for position, group in enumerate(labels):
        if isinstance(group, (str, bytes)) or not isinstance(group, Iterable):
            raise InvalidValueError(f"labels[{position}] is not a group of ids", field="labels")
        members = sorted({str(member) for member in group})
        matched.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    mask = _labelled(vectors, matched)
    if not mask.any():
        raise ModelError("no labelled match is among the candidate pairs")
    sample = _estimate_u(found, comparisons, ctx, record_type, u_sample, seed)
    u = _u_of(sample, found, comparisons, ctx)
    m = [
        _em.level_frequencies(vectors.matrix[mask, c], len(levels) - 1, None)
        for c, levels in enumerate(vectors.levels)
    ]
    return _model(record_type, vectors, m, u, _prior(float(mask.sum()), len(found)), tf)


def _labelled(vectors: ComparisonVectors, matched: set[tuple[str, str]]) -> npt.NDArray[np.bool_]:
    """True for each pair of ``vectors`` among the ``matched`` id pairs."""
    where = {record_id: i for i, record_id in enumerate(vectors.record_ids)}
    count = len(vectors.record_ids)
    wanted = np.array(
        [where[a] * count + where[b] for a, b in matched if a in where and b in where],
        dtype=np.int64,
    )
    codes = vectors.left_positions.astype(np.int64) * count + vectors.right_positions
    return np.isin(codes, wanted)


def score_pairs(
    model: MatchModel,
    records: Iterable[Record],
    pairs: object,
    comparisons: Comparisons | None = None,
    ctx: CompareContext | None = None,
    *,
    adjustments: Iterable[TermAdjustment] | None = None,
) -> ScoredPairs:
    """Compare ``pairs`` of ``records`` and score them with ``model`` in one call.

    A model with term frequencies reads each record's terms with ``adjustments`` (by
    default :func:`~crmcore.dedup.default_term_adjustments`), matched by comparison name.
    """
    if not isinstance(model, MatchModel):
        raise ModelError("expected a MatchModel")
    found, comparisons, ctx, record_type = _setup(records, comparisons, ctx)
    chosen: tuple[TermAdjustment, ...] = ()
    if found and record_type.__name__ == model.record_type:  # else score() refuses the model
        chosen = adjustments_for(model.adjusted, record_type, adjustments)
    vectors = _compare(found, pairs, comparisons, ctx, record_type, chosen)
    if len(vectors.left) == 0 and vectors.record_type is Record:
        return ScoredPairs(
            model, (), (), np.zeros(0), np.zeros(0), np.zeros((0, len(model.names)), np.int16)
        )
    return score(model, vectors)
