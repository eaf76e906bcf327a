"""Known duplicates by kind, difficulty presets, hard negatives and duplicate accounts."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

import pytest

from crmcore import Contact
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.testing.synthetic import (
    CORRUPTION_KINDS,
    DIFFICULTIES,
    HARD_NEGATIVE_KINDS,
    Corruption,
    Dataset,
    LabelledPair,
    messy_dataset,
)

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)
CTX = CleaningContext(as_of=AS_OF, dayfirst=True)


def _contacts(data: Dataset) -> dict[str, Contact]:
    return {row["id"]: clean_raw(Contact, row, CTX).record for row in data.contacts}


@pytest.fixture(scope="module")
def hard() -> Dataset:
    return messy_dataset(
        5, AS_OF, contacts=3000, accounts=200, deals=0, activities=0, difficulty="hard"
    )


@pytest.fixture(scope="module")
def hard_contacts(hard: Dataset) -> dict[str, Contact]:
    return _contacts(hard)


@pytest.fixture(scope="module")
def classic() -> Dataset:
    return messy_dataset(5, AS_OF, contacts=3000, accounts=200, deals=0, activities=0)


def _same(groups: tuple[tuple[str, ...], ...], pairs: tuple[LabelledPair, ...]) -> set[Any]:
    together = {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}
    together |= {frozenset((p.left, p.right)) for p in pairs if p.kinds[0] in ("relative", "twin")}
    return together


@pytest.mark.parametrize("name", ["classic", "hard"])
def test_strangers_never_share_a_phone_or_an_email_by_chance(
    name: str, request: pytest.FixtureRequest
) -> None:
    data: Dataset = request.getfixturevalue(name)
    contacts = _contacts(data)
    allowed = _same(data.known_duplicates, data.hard_negatives)
    owners: dict[str, set[str]] = defaultdict(set)
    for contact_id, contact in contacts.items():
        for phone in contact.identity.phones:
            if phone.e164:
                owners[phone.e164].add(contact_id)
        for email in contact.identity.emails:
            owners[email.normalised.lower()].add(contact_id)
    shared = [
        pair
        for ids in owners.values()
        for pair in itertools.combinations(sorted(ids), 2)
        if frozenset(pair) not in allowed
    ]
    assert shared == []


@pytest.mark.parametrize("name", ["classic", "hard"])
def test_a_duplicate_was_entered_on_its_own_day_with_its_own_figures(
    name: str, request: pytest.FixtureRequest
) -> None:
    data: Dataset = request.getfixturevalue(name)
    contacts = _contacts(data)
    for group in data.known_duplicates:
        created = [contacts[i].created_at for i in group]
        assert len(set(created)) == len(created), group
    figures = [
        len({contacts[i].quantitative for i in group}) == 1 for group in data.known_duplicates
    ]
    assert sum(figures) < len(figures) / 3  # most duplicates have figures of their own


def test_every_pair_of_a_group_is_labelled_by_the_kinds_that_separate_it(hard: Dataset) -> None:
    expected = {
        tuple(pair) for group in hard.known_duplicates for pair in itertools.combinations(group, 2)
    }
    assert {(p.left, p.right) for p in hard.duplicate_pairs} == expected
    assert all(p.kinds and set(p.kinds) <= set(CORRUPTION_KINDS) for p in hard.duplicate_pairs)
    found = {kind for p in hard.duplicate_pairs for kind in p.kinds}
    assert found == set(CORRUPTION_KINDS)


def test_swapped_names_and_date_swaps_are_what_their_labels_say(
    hard: Dataset, hard_contacts: dict[str, Contact]
) -> None:
    def fold(text: str | None) -> str:
        return (text or "").casefold()

    swapped = [p for p in hard.duplicate_pairs if p.kinds == ("swapped_names",)]
    assert hard.pairs_of_kind("swapped_names")
    for pair in swapped:
        left, right = hard_contacts[pair.left].identity, hard_contacts[pair.right].identity
        assert (fold(left.name.given), fold(left.name.family)) == (
            fold(right.name.family),
            fold(right.name.given),
        )
    date_swaps = [p for p in hard.duplicate_pairs if "date_swap" in p.kinds]
    assert date_swaps
    checked = 0
    for pair in date_swaps:
        left = hard_contacts[pair.left].identity.birth_date
        right = hard_contacts[pair.right].identity.birth_date
        if left and right and "date_typo" not in pair.kinds:
            assert (left.year, left.month, left.day) == (right.year, right.day, right.month)
            checked += 1
    assert checked


def test_hard_negatives_look_alike_but_are_not_duplicates(
    hard: Dataset, hard_contacts: dict[str, Contact]
) -> None:
    duplicates = {(p.left, p.right) for p in hard.duplicate_pairs}
    assert hard.hard_negatives
    kinds = {p.kinds[0] for p in hard.hard_negatives}
    assert kinds == set(HARD_NEGATIVE_KINDS)
    copies = {i for group in hard.known_duplicates for i in group}
    for pair in hard.hard_negatives:
        assert (pair.left, pair.right) not in duplicates
        if {pair.left, pair.right} & copies:
            continue  # a row of a duplicate group may carry a typo
        left, right = hard_contacts[pair.left].identity, hard_contacts[pair.right].identity
        if not (left.name.family and right.name.family):
            continue  # a row given a defect lost its name
        assert (left.name.family or "").casefold() == (right.name.family or "").casefold() or (
            pair.kinds == ("namesake",)
        )
        if pair.kinds == ("twin",) and left.birth_date and right.birth_date:
            assert left.birth_date == right.birth_date
            assert (left.name.given or "").casefold() != (right.name.given or "").casefold()


def test_duplicate_accounts_are_listed_and_share_the_domain(hard: Dataset) -> None:
    assert len(hard.accounts) == 200
    rows = {row["id"]: row for row in hard.accounts}
    copies = sum(len(group) - 1 for group in hard.known_account_duplicates)
    assert copies == round(200 * DIFFICULTIES["hard"].account_duplicates)
    for group in hard.known_account_duplicates:
        domains = {
            tuple(rows[i].get("identity", {}).get("domains") or ())
            for i in group
            if rows[i].get("identity", {}).get("domains")
        }
        assert len({d for ds in domains for d in ds}) <= 1


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_each_preset_keeps_the_counts_and_is_deterministic(difficulty: str) -> None:
    def build() -> Dataset:
        return messy_dataset(
            3, AS_OF, contacts=300, accounts=30, deals=20, activities=20, difficulty=difficulty
        )

    data = build()
    assert (len(data.contacts), len(data.accounts), len(data.deals)) == (300, 30, 20)
    assert data == build()


def test_harder_presets_separate_duplicates_more() -> None:
    def share(difficulty: str) -> float:
        data = messy_dataset(
            9, AS_OF, contacts=2000, accounts=100, deals=0, activities=0, difficulty=difficulty
        )
        kinds = [len(p.kinds) for p in data.duplicate_pairs]
        return sum(kinds) / len(kinds)

    assert share("easy") < share("medium") < share("hard")


def test_a_custom_corruption_is_honoured() -> None:
    only_swaps = Corruption(
        **dict.fromkeys((k for k in CORRUPTION_KINDS if k != "swapped_names"), 0.0),
        swapped_names=1.0,
        hard_negatives=0.0,
        account_duplicates=0.0,
    )
    data = messy_dataset(
        1, AS_OF, contacts=500, accounts=20, deals=0, activities=0, difficulty=only_swaps
    )
    assert data.duplicate_pairs
    assert all(p.kinds == ("swapped_names",) for p in data.duplicate_pairs)
    assert data.hard_negatives == ()
    assert data.known_account_duplicates == ()


@pytest.mark.parametrize("bad", ["extreme", 3, Corruption])
def test_an_unknown_difficulty_is_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="difficulty"):
        messy_dataset(1, AS_OF, contacts=20, difficulty=bad)


def test_shares_are_checked() -> None:
    with pytest.raises(ValueError, match="nickname is a share"):
        Corruption(nickname=1.5)
    with pytest.raises(ValueError, match="not a kind"):
        Corruption().chance_of("duplicates")
