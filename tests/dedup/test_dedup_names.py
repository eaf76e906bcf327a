"""Person-name comparators: given names through nicknames, family names, swaps, whole names."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pytest

from crmcore import Contact, ContactIdentity, PersonName
from crmcore.cleaning import clean_raw
from crmcore.dedup import (
    CompareContext,
    family_names,
    given_names,
    load_nicknames,
    middle_names,
    person_names,
    swapped_names,
)
from crmcore.testing.synthetic import messy_dataset


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("Robert", "Robert", "exact"),
        ("Élodie", "ELODIE", "exact"),
        ("Bob", "Robert", "nickname"),
        ("Bill", "William", "nickname"),
        ("Peggy", "Margaret", "nickname"),
        ("Jean-Pierre", "J.-P.", "nickname"),
        ("Jean-Pierre", "JP", "nickname"),
        ("Paco", "Francisco", "nickname"),
        ("Sepp", "Josef", "nickname"),
        ("Kees", "Cornelis", "nickname"),
        ("Gianni", "Giovanni", "nickname"),
        ("Zé", "José", "nickname"),
        ("Steph", "Stéphanie", "nickname"),
        ("Javi", "Javier", "nickname"),
        ("Piet", "Pieter", "nickname"),
        ("Caterine", "Kate", "nickname"),  # Catherine misspelt, and Kate
        ("Chrristopher", "Chris", "nickname"),
        ("Wiliam", "William", "close"),  # a typo of the name itself stays close
        ("J.", "John", "initials"),
        ("J.-M.", "Jean-Marc", "nickname"),
        ("J. M.", "Jean Mathieu", "initials"),
        ("Mary", "Mary Ann", "close"),
        ("Jonathon", "Jonathan", "close"),
        ("Bob", "Margaret", "different"),
        ("Anna", "Peter", "different"),
    ],
)
def test_given_names_levels(
    left: str, right: str, level: str, ctx: CompareContext, person: Any
) -> None:
    cmp = given_names()
    assert cmp(person(left), person(right), ctx) == level
    assert cmp(person(right), person(left), ctx) == level


def test_a_missing_given_name_is_null(ctx: CompareContext, person: Any) -> None:
    assert given_names()(person(None, "Smith"), person("Bob", "Smith"), ctx) == "null"


def _middle(middle: str | None, given: str = "Ann", family: str = "Lee") -> Contact:
    return Contact("c", ContactIdentity(name=PersonName(given=given, family=family, middle=middle)))


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("Marie", "MARIE", "exact"),
        ("Élodie", "elodie", "exact"),
        ("Bill", "William", "nickname"),
        ("M.", "Marie", "initials"),
        ("Mary", "Mary Ann", "close"),
        ("Marie", "Claire", "different"),
        (None, "Marie", "null"),
        (None, None, "null"),
    ],
)
def test_middle_names_levels(left: str | None, right: str | None, level: str) -> None:
    cmp = middle_names()
    assert cmp(_middle(left), _middle(right), CompareContext()) == level
    assert cmp(_middle(right), _middle(left), CompareContext()) == level


def test_middle_names_read_the_middle_name_only(ctx: CompareContext) -> None:
    # Other given and family names do not count: the middle names decide.
    one, other = _middle("Marie", "Ann", "Lee"), _middle("Marie", "Bob", "Smith")
    assert middle_names()(one, other, ctx) == "exact"
    assert middle_names()(one, _middle("Claire", "Ann", "Lee"), ctx) == "different"
    assert middle_names().levels == given_names().levels


def test_middle_names_batch_equals_pair_by_pair(ctx: CompareContext) -> None:
    people = [_middle(m) for m in ("Marie", "marie", "M.", None, "Claire", "Bill", "William")]
    pairs = list(itertools.combinations(people, 2))
    cmp = middle_names()
    assert cmp.batch(pairs, ctx) == [cmp(a, b, ctx) for a, b in pairs]


def test_given_names_take_a_table_of_ones_own(ctx: CompareContext, person: Any) -> None:
    table = load_nicknames("language,name,variants\nen,ebenezer,eben|ebby\n")
    cmp = given_names(table)
    assert cmp(person("Ebby"), person("Ebenezer"), ctx) == "nickname"
    assert cmp(person("Bob"), person("Robert"), ctx) == "different"


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("Müller", "MULLER", "exact"),
        ("Dupont", "Dupond", "typo"),
        ("Martin", "Matrin", "typo"),
        ("Philips", "Phillips", "typo"),
        ("Catherine", "Kathryn", "phonetic"),
        ("García", "García López", "close"),
        ("Schwarzenegger", "Schwartzeneger", "close"),
        ("Li", "Le", "different"),
        ("Smith", "Jones", "different"),
    ],
)
def test_family_names_levels(
    left: str, right: str, level: str, ctx: CompareContext, person: Any
) -> None:
    cmp = family_names()
    assert cmp(person(None, left), person(None, right), ctx) == level
    assert cmp(person(None, right), person(None, left), ctx) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (("Wei", "Zhang"), ("Wei", "Zhang"), "exact"),
        (("Wei", "Zhang"), ("ZHANG", "wei"), "swapped"),
        (("Wei", "Zhang"), ("Wei", "Wang"), "different"),
        (("Wei", None), ("Wei", "Zhang"), "null"),
    ],
)
def test_swapped_names_levels(
    left: tuple[str, str | None],
    right: tuple[str, str | None],
    level: str,
    ctx: CompareContext,
    person: Any,
) -> None:
    assert swapped_names()(person(*left), person(*right), ctx) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (("Robert", "Smith"), ("robert", "SMITH"), "exact"),
        (("Robert", "Smith"), ("Smith", "Robert"), "swapped"),
        (("Bob", "Smith"), ("Robert", "Smith"), "nickname"),
        (("Bob", "Smith"), ("Robert", "Smiht"), "nickname"),
        (("J.", "Smith"), ("John", "Smith"), "nickname"),
        (("Jonathon", "Smyth"), ("Jonathan", "Smith"), "close"),
        # One part equal, the other one typo apart: its own level, stronger than close.
        (("Joe", "Walker"), ("Joe", "Wlaker"), "typo"),
        (("Sandra", "Bianchi"), ("Sanrda", "Bianchi"), "typo"),
        (("Ana", "Lee"), ("Aan", "Lee"), "different"),
        (("Mary", "Smith"), ("Mary Ann", "Smith"), "close"),
        (("Anna", "Smith"), ("Peter", "Smith"), "different"),
        (("Caterine", "Dupont"), ("Kate", "Dupond"), "nickname"),
        (("Dupont", "Caterine"), ("Kate", "Dupont"), "swapped"),
        (("Moreau", "Chritophe"), ("Christophe", "Moreau"), "swapped"),
        (("Groß", "Joohannes"), ("Johannes", "Gross"), "swapped"),
        (("Hannes", "Groß"), ("Groß", "Johannes"), "swapped"),
        # Swapped with a typo on both parts.
        (("Elizabeth", "Evanns"), ("Evans", "Eliizabeth"), "swapped"),
        (("Groß", "Lukas"), ("Lukaas", "Grooss"), "swapped"),
        # Swapped, one part equal, the other a typo or two away (short names too).
        (("Ana", "Ruiz"), ("Ruiz", "Aan"), "swapped"),
        (("Sander", "Visser"), ("Visser", "Sndre"), "swapped"),
        (("Ana", "Ruiz"), ("Ruiz", "Eva"), "different"),
        (("Jo", "Ruiz"), ("Ruiz", "Ja"), "different"),
        # A letter dropped from a name of 3 letters, swapped: no 2 letters from more.
        (("Léa", "Le Goff"), ("Le Goff", "La"), "swapped"),
        (("Ana", "Ruiz"), ("Ruiz", "An"), "swapped"),
        (("Lena", "Ruiz"), ("Ruiz", "Le"), "different"),
        (("Ana", "Ruiz"), ("Ruiz", "Al"), "different"),
        (("Sander", "Visser"), ("Visser", "Anneke"), "different"),
        (("Anna", "Smith"), ("Smith", "Peter"), "different"),
        (("Anna", "Smith"), ("Smyth", "Peter"), "different"),
        ((None, "Smith"), ("Peter", "Smith"), "family_only"),
        (("Anna", None), ("Anna", "Smith"), "given_only"),
        (("Anna", None), ("ANNA", None), "exact"),
        ((None, "Smith"), (None, "Smith"), "exact"),
        (("Anna", "Smith"), ("Peter", "Jones"), "different"),
        (("Anna", None), (None, "Smith"), "null"),
        ((None, None), ("Anna", "Smith"), "null"),
    ],
)
def test_person_names_levels(
    left: tuple[str | None, str | None],
    right: tuple[str | None, str | None],
    level: str,
    ctx: CompareContext,
    person: Any,
) -> None:
    cmp = person_names()
    assert cmp(person(*left), person(*right), ctx) == level
    assert cmp(person(*right), person(*left), ctx) == level


def test_person_names_levels_are_ordered_strongest_first() -> None:
    levels = person_names().levels
    assert levels[0] == "exact"
    assert levels[-2:] == ("different", "null")
    assert levels.index("swapped") < levels.index("nickname") < levels.index("family_only")
    assert levels.index("nickname") < levels.index("typo") < levels.index("close")


def _messy_contacts(
    seed: int, contacts: int, difficulty: str | None = None
) -> tuple[Any, list[Contact]]:
    """A messy data set of ``contacts`` contacts, and its contacts cleaned."""
    data = messy_dataset(
        seed,
        datetime(2026, 11, 1, tzinfo=timezone.utc),
        contacts=contacts,
        accounts=5,
        deals=0,
        activities=0,
        difficulty=difficulty,
    )
    return data, [clean_raw(Contact, row).record for row in data.contacts]


def test_known_duplicates_of_the_messy_dataset_have_alike_names(ctx: CompareContext) -> None:
    """Its duplicates have a nickname, a family-name typo, capitals or no accents.

    Two copies of one person may each carry a typo of the family name (``Brwon``, ``Bown``):
    two edits apart, they are rightly ``different``; such pairs are rare.
    """
    data, cleaned = _messy_contacts(2, 1200)
    records = {record.id: record for record in cleaned}
    cmp = person_names()
    levels = []
    for group in data.known_duplicates:
        found = [records[i] for i in group if i in records]
        levels.extend(cmp(a, b, ctx) for a, b in itertools.combinations(found, 2))
    assert len(levels) > 50
    assert set(levels) <= {"exact", "nickname", "typo", "close", "different"}
    assert levels.count("different") <= len(levels) // 50
    assert "nickname" in levels


def _name_values(ctx: CompareContext) -> list[tuple[str | None, str | None]]:
    """Prepared names of a messy data set, with hand-made parts (nicknames, initials, names
    of several words, typos, short names) mixed in and swapped."""
    cmp = person_names()
    found: list[tuple[str | None, str | None]] = []
    for record in _messy_contacts(5, 800, "medium")[1]:
        value = cmp.prepare(record, ctx)
        if value is not None:
            found.append(value)
    rng = random.Random(7)
    parts = [
        *("ann", "anna", "bob", "robert", "rboert", "j", "j p", "jean pierre", "jean"),
        *("smith", "smyth", "smiht", "lee", "li", "garcia", "garcia lopez", "caterine", "kate"),
        *("lea", "la", "le goff"),
    ]
    for _ in range(400):
        found.append((rng.choice([*parts, None]), rng.choice([*parts, None])))
        given, family = rng.choice(found)
        found.append((family, given))
    return list(dict.fromkeys(value for value in found if value != (None, None)))


def test_person_names_ranks_in_arrays_are_the_levels_pair_by_pair(ctx: CompareContext) -> None:
    values = _name_values(ctx)
    sharing: dict[str | None, list[int]] = {}
    for i, (given, family) in enumerate(values):
        sharing.setdefault(given, []).append(i)
        sharing.setdefault(family, []).append(i)
    rng = random.Random(11)
    left, right = [], []
    for _ in range(30_000):
        a = rng.randrange(len(values))
        shared = sharing[rng.choice(values[a])]
        left.append(a)
        right.append(rng.choice(shared) if rng.random() < 0.7 else rng.randrange(len(values)))
    cmp = person_names()
    ranks = cmp.indexed_ranks(values, np.array(left), np.array(right), ctx)
    expected = [
        cmp.levels.index(cmp.compare_prepared(values[a], values[b], ctx))
        for a, b in zip(left, right, strict=True)
    ]
    assert ranks.tolist() == expected
    assert {cmp.levels[rank] for rank in expected} == set(cmp.levels)


def test_a_subclass_with_its_own_levels_is_compared_by_them() -> None:
    import attrs

    from crmcore.dedup.names import PersonNames

    @attrs.frozen
    class Reordered(PersonNames):
        @property
        def levels(self) -> tuple[str, ...]:
            found = list(super().levels)
            found.remove("nickname")
            found.insert(1, "nickname")
            return tuple(found)

    cmp, ctx = Reordered(person_names().nicknames), CompareContext()
    assert not cmp.ranked()
    assert person_names().ranked()
    values = [("john", "smith"), ("smith", "john"), ("jon", "smith"), ("bob", "smith")]
    values = [cmp.prepare_read(((given, family),), ctx) for given, family in values]
    left, right = [0, 0, 0, 2], [1, 2, 3, 3]
    expected = [
        cmp.compare_prepared(values[a], values[b], ctx) for a, b in zip(left, right, strict=True)
    ]
    assert list(cmp.compare_indexed(values, left, right, ctx)) == expected
    assert "swapped" in expected
