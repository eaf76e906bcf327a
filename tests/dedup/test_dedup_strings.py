"""Text comparators over any path: exact, Jaro-Winkler, Damerau-Levenshtein, phonetic."""

from __future__ import annotations

from typing import Any

import pytest

from crmcore import Contact, ContactDescriptive, CustomFields
from crmcore.dedup import (
    CompareContext,
    damerau_levenshtein,
    exact,
    jaro_winkler,
    phonetic,
    phonetic_code,
)
from crmcore.errors import InvalidValueError

FAMILY = "identity.name.family"


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("Martha", "MARTHA", "exact"),
        ("Martha", "Marhta", "jaro_winkler>=0.92"),
        ("Dixon", "Dicksonx", "jaro_winkler>=0.8"),
        ("Martha", "Jones", "different"),
    ],
)
def test_jaro_winkler_levels(
    left: str, right: str, level: str, ctx: CompareContext, person: Any
) -> None:
    cmp = jaro_winkler(FAMILY, (0.92, 0.8))
    assert cmp.levels == ("exact", "jaro_winkler>=0.92", "jaro_winkler>=0.8", "different", "null")
    assert cmp(person(None, left), person(None, right), ctx) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("Dupont", "dupont", "exact"),
        ("Dupont", "Dupotn", "damerau_levenshtein<=1"),
        ("Dupont", "Dpuotn", "damerau_levenshtein<=2"),
        ("Dupont", "Martin", "different"),
    ],
)
def test_damerau_levenshtein_levels(
    left: str, right: str, level: str, ctx: CompareContext, person: Any
) -> None:
    cmp = damerau_levenshtein(FAMILY)
    assert cmp(person(None, left), person(None, right), ctx) == level


@pytest.mark.parametrize(
    ("algorithm", "left", "right", "level"),
    [
        ("nysiis", "Philips", "Phillips", "phonetic"),
        ("metaphone", "Smith", "Smyth", "phonetic"),
        ("soundex", "Robert", "Rupert", "phonetic"),
        ("match_rating", "Jones", "Joanes", "phonetic"),
        ("nysiis", "Smith", "Jones", "different"),
    ],
)
def test_phonetic_levels(
    algorithm: Any, left: str, right: str, level: str, ctx: CompareContext, person: Any
) -> None:
    cmp = phonetic(FAMILY, algorithm)
    assert cmp(person(None, left), person(None, right), ctx) == level


def test_phonetic_codes_keep_what_is_not_latin() -> None:
    assert phonetic_code("Иванов Smith", "metaphone") == "иванов SM0"


def test_exact_reads_tuples_and_custom_fields(ctx: CompareContext, person: Any) -> None:
    def tiered(tier: str | None) -> Contact:
        custom = CustomFields({"tier": tier} if tier else {})
        return Contact("c", descriptive=ContactDescriptive(custom=custom))

    cmp = exact("descriptive.custom.tier")
    assert cmp(tiered("Gold"), tiered("gold"), ctx) == "exact"
    assert cmp(tiered("Gold"), tiered("Silver"), ctx) == "different"
    assert cmp(tiered("Gold"), tiered(None), ctx) == "null"
    a = person(emails=("a@example.com", "b@example.com"))
    b = person(emails=("b@example.com",))
    assert exact("identity.emails.normalised")(a, b, ctx) == "exact"


def test_a_path_that_is_not_there_raises_naming_it(ctx: CompareContext, person: Any) -> None:
    with pytest.raises(InvalidValueError, match=r"Contact has no field at identity\.shoe_size"):
        exact("identity.shoe_size")(person("A"), person("B"), ctx)


@pytest.mark.parametrize("path", ["", "identity..name", "identity.name[0]", 3, "a" * 201])
def test_paths_are_dotted(path: Any) -> None:
    with pytest.raises(InvalidValueError, match="dotted path"):
        exact(path)


@pytest.mark.parametrize("thresholds", [(), (0.8, 0.9), (1.0,), (0.9, 0.9), ("0.9",)])
def test_thresholds_are_decreasing_fractions(thresholds: Any) -> None:
    with pytest.raises(InvalidValueError, match="thresholds"):
        jaro_winkler(FAMILY, thresholds)


@pytest.mark.parametrize("distances", [(), (2, 1), (0,), (1, 1), (True,)])
def test_distances_are_increasing_whole_numbers(distances: Any) -> None:
    with pytest.raises(InvalidValueError, match="distances"):
        damerau_levenshtein(FAMILY, distances)


def test_an_unknown_phonetic_algorithm_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="algorithm"):
        phonetic(FAMILY, "caverphone")  # type: ignore[arg-type]
