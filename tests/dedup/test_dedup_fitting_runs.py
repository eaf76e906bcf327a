"""Which EM runs of the fit teach m: the check on matches per matched record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact
from crmcore.dedup import block, fit, fitting, score_pairs
from crmcore.dedup._em import EPSILON, em, starting_m
from crmcore.dedup.fitting import (
    MAX_MATCHES_PER_RECORD,
    _among,
    _flags_size,
    _implausible,
    _one_sided,
)
from crmcore.records import ExternalId

_GIVEN = ("Anna", "Bruno", "Chloe", "Dario", "Elena", "Fabio", "Greta", "Hugo", "Irene", "Jonas")
_FAMILY = ("Rossi", "Weber", "Martin", "Silva", "Jansen", "Moreau", "Keller", "Costa")


def _groups(person: Callable[..., Contact], size: int, people: int) -> list[Contact]:
    """``people`` persons of ``size`` records each, sharing an id in another system; the
    given name of one record in each person's group replaced by another (as FEBRL does)."""
    records = []
    for p in range(people):
        given, family = _GIVEN[p % len(_GIVEN)], _FAMILY[p % len(_FAMILY)] + str(p)
        born = date(1950 + p % 50, 1 + p % 12, 1 + p % 28)
        for k in range(size):
            name = _GIVEN[(p + 3) % len(_GIVEN)] if k == size - 1 else given
            records.append(
                person(
                    name,
                    family,
                    birth_date=born,
                    record_id=f"p{p:03}-{k}",
                    external_ids=(ExternalId(system="ssn", value=f"{p:06}"),),
                )
            )
    return records


def test_people_with_several_records_each_teach_m(person: Callable[..., Contact]) -> None:
    # Five records per person: 10 matching pairs per 5 records, twice as many pairs as
    # records. The id rule's run finds them all; it must not be dropped for that.
    records = _groups(person, 5, 30)
    model = fit(records, block(records), seed=1)
    name = next(c for c in model.comparisons if c.name == "crmcore.name")
    start = starting_m(len(name.levels) - 1)
    assert not np.allclose(name.m, start)  # estimated, not left where EM starts
    # One record in five has another given name: about 4 of a person's 10 pairs.
    assert name.m[name.levels.index("different")] > 0.2


def test_a_run_matching_strangers_in_bulk_is_implausible() -> None:
    # 100 records in one block, every pair taken for a match: 4,950 pairs for 100 records.
    left, right = np.triu_indices(100, 1)
    chance = np.ones(len(left))
    assert _implausible(chance, left.astype(np.int64), right.astype(np.int64), 100)


@given(st.integers(2, 5), st.integers(1, 40))
def test_groups_of_up_to_five_records_are_plausible(size: int, people: int) -> None:
    pairs = [
        (p * size + a, p * size + b) for p in range(people) for a in range(size) for b in range(a)
    ]
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    chance = np.full(len(pairs), 0.99)
    assert not _implausible(chance, left, right, size * people)
    assert (size - 1) / 2 <= MAX_MATCHES_PER_RECORD


def test_no_match_is_plausible() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert not _implausible(np.zeros(0), empty, empty, 10)


def _m(*different: float) -> list[np.ndarray]:
    """m of two-level comparisons (``exact``, ``different``) with these shares at ``different``."""
    return [np.array([1 - d, d]) for d in different]


_ONE_EACH = np.array([1.0, 1.0])


def test_a_run_whose_matches_agree_on_one_comparison_only_is_one_sided() -> None:
    rows = np.array([[0, 0, 1], [1, 1, 0]], dtype=np.int16)  # no column null everywhere
    # Matches agree on the first comparison and differ on the others: one-sided.
    assert _one_sided(rows, _ONE_EACH, _m(0.1, 0.9, 0.95), [0, 1, 2])
    # Agreeing on two of them is what matches do.
    assert not _one_sided(rows, _ONE_EACH, _m(0.1, 0.3, 0.95), [0, 1, 2])


def test_comparisons_null_in_every_pair_do_not_count() -> None:
    # The second column is null (level 2) in every pair: one comparison read, not one-sided.
    rows = np.array([[0, 2], [1, 2]], dtype=np.int16)
    assert not _one_sided(rows, _ONE_EACH, _m(0.1, 0.9), [0, 1])
    # A run reading one comparison alone is never one-sided.
    assert not _one_sided(rows[:, :1], _ONE_EACH, _m(0.1), [0])


def test_a_comparison_most_pairs_lack_does_not_count() -> None:
    # The third comparison (a middle name, say) is there in 1 pair of 100 and agrees: the
    # matches still agree on the first comparison only.
    rows = np.array([[0, 1, 2], [1, 1, 2], [0, 1, 0]], dtype=np.int16)
    counts = np.array([60.0, 39.0, 1.0])
    assert _one_sided(rows, counts, _m(0.1, 0.9, 0.1), [0, 1, 2])
    # In 10 pairs of 100 it counts, and two comparisons agree.
    assert not _one_sided(rows, np.array([60.0, 30.0, 10.0]), _m(0.1, 0.9, 0.1), [0, 1, 2])


def test_few_records_keep_a_class_of_matches(person: Callable[..., Contact]) -> None:
    # One duplicate among twelve records: EM used to empty the class of matches (the
    # prior at its floor, m at even shares); now the rule's runs expect one match at least.
    records = [
        person(
            "Robert",
            "Smith",
            emails=("bob.smith@example.com",),
            phones=("0145678900",),
            record_id="a",
        ),
        person(
            "Bob",
            "Smith",
            emails=("Bob.Smith@example.com",),
            phones=("01 45 67 89 00",),
            record_id="b",
        ),
    ] + [
        person(f"Given{i}", f"Family{i}", emails=(f"p{i}@example.org",), record_id=f"x{i:02}")
        for i in range(10)
    ]
    pairs = block(records)
    model = fit(records, pairs, seed=0)
    assert model.prior > 10 * EPSILON
    scored = score_pairs(model, records, pairs)
    best = max(scored.edges(), key=lambda edge: edge[2])
    assert best[:2] == ("a", "b")


def test_em_keeps_the_prior_at_its_floor() -> None:
    rows = np.array([[0], [1]], dtype=np.int16)
    counts = np.array([1.0, 299.0])
    u = [np.array([0.5, 0.5])]
    _, low = em(rows, counts, [starting_m(2)], u, 0.1, [0])
    _, floored = em(rows, counts, [starting_m(2)], u, 0.1, [0], min_prior=1 / 300)
    assert floored >= 1 / 300 - 1e-12
    assert floored >= low


def test_a_run_that_finds_no_match_does_not_teach_m(person: Callable[..., Contact]) -> None:
    # 60 people with two records each, one e-mail and birth date shared; and 30 pairs of
    # strangers sharing an id in another system and nothing else. The id rule's run finds
    # no match: its m would be the smoothing's even shares.
    records = []
    for p in range(60):
        for k in range(2):
            records.append(
                person(
                    _GIVEN[p % 10],
                    f"{_FAMILY[p % 8]}{p}",
                    emails=(f"p{p}@example.org",),
                    birth_date=date(1950 + p % 40, 1 + p % 12, 1 + p % 28),
                    record_id=f"p{p:02}-{k}",
                )
            )
    for s in range(30):
        for k in range(2):
            records.append(
                person(
                    _GIVEN[(s + 5 * k) % 10],
                    f"{_FAMILY[(s + 3 * k) % 8]}s{s}-{k}",
                    emails=(f"{('ann', 'bo')[k]}{s}@{('one', 'two')[k]}.example",),
                    birth_date=date(1940 + s + 20 * k, 1 + (s + k) % 12, 1 + (s + 7 * k) % 28),
                    record_id=f"s{s:02}-{k}",
                    external_ids=(ExternalId(system="crm", value=f"{s:04}"),),
                )
            )
    model = fit(records, block(records), seed=1)
    name = next(c for c in model.comparisons if c.name == "crmcore.name")
    assert name.m[name.levels.index("different")] < 0.05
    assert name.m[name.levels.index("exact")] > 0.9


@given(
    st.lists(st.integers(0, 2**21), max_size=50),
    st.lists(st.integers(0, 2**21), max_size=8),
)
def test_a_rules_pairs_are_flagged_as_np_isin_flags_them(
    values: list[int], chosen: list[int]
) -> None:
    found = np.array(values, dtype=np.int64)
    assert _among(found, chosen, _flags_size(found)).tolist() == np.isin(found, chosen).tolist()
    assert _among(found, chosen, None).tolist() == np.isin(found, chosen).tolist()


def test_the_runs_read_from_one_table_of_distinct_rows_fit_the_model_of_each_run_alone(
    person: Callable[..., Contact], monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _groups(person, 4, 40)
    blocking = block(records)
    tables: list[object] = []
    shared = fitting._pattern_table

    def spied(*args: Any) -> Any:
        table = shared(*args)
        tables.append(table)
        return table

    monkeypatch.setattr(fitting, "_pattern_table", spied)
    model = fit(records, blocking, seed=1)
    assert len(tables) == 1
    assert tables[0] is not None  # several runs, read from the table
    by_jobs = fit(records, blocking, seed=1, jobs=2)
    monkeypatch.setattr(fitting, "_pattern_table", lambda *args: None)
    alone = fit(records, blocking, seed=1)
    without_terms = fit(records, blocking, seed=1, term_frequencies=False)
    monkeypatch.setattr(fitting, "_pattern_table", shared)
    assert model.to_json() == alone.to_json() == by_jobs.to_json()
    assert (
        without_terms.to_json() == fit(records, blocking, seed=1, term_frequencies=False).to_json()
    )
