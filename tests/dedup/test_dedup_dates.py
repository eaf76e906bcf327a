"""Date comparators: equal, swapped, one digit wrong, near; unreadable dates by raw text."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import numpy as np
import pytest

from crmcore import Contact
from crmcore.cleaning import clean_raw
from crmcore.dedup import CompareContext, birth_dates, dates, read_raw_date
from crmcore.errors import InvalidValueError
from crmcore.records import QuarantinedValue


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (date(1990, 5, 13), date(1990, 5, 13), "exact"),
        (date(1990, 5, 7), date(1990, 7, 5), "swapped"),
        (date(1990, 5, 13), date(1980, 5, 13), "one_digit"),
        (date(1990, 5, 13), date(1990, 5, 18), "one_digit"),
        (date(1990, 5, 13), date(1990, 6, 2), "different"),
        (date(1990, 5, 13), date(1991, 5, 13), "one_digit"),
        (date(1990, 5, 13), date(1992, 5, 13), "one_digit"),
        (date(1990, 5, 13), date(1993, 6, 13), "different"),
        (date(1956, 1, 11), date(1965, 1, 11), "one_digit"),  # two adjacent digits exchanged
        (date(1990, 5, 12), date(1990, 5, 21), "one_digit"),
        (date(1990, 5, 12), date(1990, 2, 15), "different"),  # exchanged, not adjacent
        (date(1956, 1, 11), date(1965, 1, 12), "different"),  # exchanged and one wrong
    ],
)
def test_birth_dates_levels(
    left: date, right: date, level: str, ctx: CompareContext, person: Any
) -> None:
    cmp = birth_dates()
    assert cmp(person(birth_date=left), person(birth_date=right), ctx) == level
    assert cmp(person(birth_date=right), person(birth_date=left), ctx) == level


def test_near_is_within_the_days_given(ctx: CompareContext, person: Any) -> None:
    a, b = person(birth_date=date(1990, 5, 31)), person(birth_date=date(1990, 6, 20))
    assert birth_dates()(a, b, ctx) == "different"
    assert birth_dates(near_days=30)(a, b, ctx) == "near"
    assert birth_dates(near_days=10)(a, b, ctx) == "different"


def _unreadable(text: str) -> Contact:
    kept = QuarantinedValue("identity.birth_date", text, "date.unreadable", "not a date")
    return Contact("c-9", quarantine=(kept,))


@pytest.mark.parametrize(
    ("raw", "level"),
    [
        ("13/05/1990", "exact"),
        ("05/13/1990", "swapped"),
        ("1990-13-05", "swapped"),
        ("13.05.1980", "one_digit"),
        ("19900513", "exact"),
        ("13/05/90", "exact"),
        ("05/13/90", "swapped"),
        ("13/05/91", "one_digit"),
        ("13/5/1", "null"),
        ("sometime in May", "null"),
    ],
)
def test_an_unreadable_birth_date_compares_by_its_raw_text(
    raw: str, level: str, ctx: CompareContext, person: Any
) -> None:
    """The issue: a birth date quarantined as date.unreadable is compared by its raw text."""
    cmp = birth_dates()
    known = person(birth_date=date(1990, 5, 13))
    assert cmp(known, _unreadable(raw), ctx) == level
    assert cmp(_unreadable(raw), known, ctx) == level


def test_a_date_quarantined_by_clean_raw_compares(ctx: CompareContext, person: Any) -> None:
    result = clean_raw(Contact, {"id": "c-1", "identity": {"birth_date": "1990-13-05"}})
    assert result.record.identity.birth_date is None
    assert [q.code for q in result.record.quarantine] == ["date.unreadable"]
    known = person(birth_date=date(1990, 5, 13))
    assert birth_dates()(known, result.record, ctx) == "swapped"


def test_a_quarantined_value_elsewhere_does_not_count(ctx: CompareContext, person: Any) -> None:
    kept = QuarantinedValue("identity.phones[0]", "13/05/1990", "phone.invalid", "no")
    other = Contact("c-9", quarantine=(kept,))
    assert birth_dates()(person(birth_date=date(1990, 5, 13)), other, ctx) == "null"


def test_read_raw_date_keeps_numbers_that_make_no_date() -> None:
    assert read_raw_date("31/02/2001") == (2001, 2, 31)
    assert read_raw_date("1/2/3") is None
    assert read_raw_date("12/2001/05") is None
    assert read_raw_date("13.05.90") == (90, 5, 13)


def test_a_year_of_two_digits_compares_by_its_last_two_digits(ctx: CompareContext) -> None:
    cmp = birth_dates()
    assert cmp(_unreadable("13/05/90"), _unreadable("13/05/1990"), ctx) == "exact"
    assert cmp(_unreadable("13/05/90"), _unreadable("13/05/2090"), ctx) == "exact"
    assert cmp(_unreadable("13/05/90"), _unreadable("13/05/91"), ctx) == "one_digit"


def test_dates_at_any_path(ctx: CompareContext, person: Any) -> None:
    cmp = dates("identity.birth_date", near_days=3)
    a, b = person(birth_date=date(2000, 1, 30)), person(birth_date=date(2000, 2, 1))
    assert cmp(a, b, ctx) == "near"


@pytest.mark.parametrize("days", [-1, 1.5, True])
def test_near_days_is_a_whole_number(days: object) -> None:
    with pytest.raises(InvalidValueError, match="near_days"):
        birth_dates(near_days=days)  # type: ignore[arg-type]


def _random_dates(rng: random.Random) -> frozenset[tuple[int, int, int]]:
    """One to three dates: mostly of the 1950s, some of two-digit or full years with months
    and days that make no date, a few with numbers too long for ``YYYYMMDD``."""
    found = set()
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.random()
        if kind < 0.1:
            year = rng.choice((rng.randint(0, 99), rng.randint(1900, 2030)))
            found.add((year, rng.randint(0, 14), rng.randint(0, 40)))
        elif kind < 0.13:
            found.add((rng.randint(0, 9999), rng.randint(0, 1300), rng.randint(0, 120)))
        else:
            found.add((rng.randint(1950, 1960), rng.randint(1, 12), rng.randint(1, 28)))
    return frozenset(found)


@pytest.mark.parametrize("near_days", [0, 30, 400])
def test_ranks_in_arrays_are_the_levels_pair_by_pair(near_days: int, ctx: CompareContext) -> None:
    rng = random.Random(near_days)
    values = list(dict.fromkeys(_random_dates(rng) for _ in range(300)))
    left = np.array([rng.randrange(len(values)) for _ in range(20_000)], dtype=np.int64)
    right = np.array([rng.randrange(len(values)) for _ in range(20_000)], dtype=np.int64)
    cmp = dates("identity.birth_date", near_days=near_days)
    ranks = cmp.indexed_ranks(values, left, right, ctx)
    expected = [
        cmp.levels.index(cmp.compare_prepared(values[a], values[b], ctx))
        for a, b in zip(left.tolist(), right.tolist(), strict=True)
    ]
    assert ranks.tolist() == expected
    assert set(expected) >= {0, 1, 2, 4}  # the levels the arrays compute, all met
