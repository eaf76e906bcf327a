"""The name-sounds blocking rule: swapped or nicknamed names with a typo on top meet."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact, ContactIdentity, CRMError, PersonName
from crmcore.dedup import (
    Nicknames,
    block,
    default_blocking_rules,
    name_keys,
    name_sound_keys,
)
from crmcore.dedup.fitting import DEFAULT_RULE_COMPARISONS


def _meet(rule: Callable[[Contact], tuple[str, ...]], a: Contact, b: Contact) -> bool:
    return bool(set(rule(a)) & set(rule(b)))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Christophe", "Dubois"), ("Dubois", "Christtophe")),  # swapped, a letter doubled
        (("Giulia", "Colombo"), ("Colombo", "Guilia")),  # swapped, two letters exchanged
        (("Hendrik", "Mulder"), ("Henk", "Muldder")),  # nickname, family misspelt
        (("Liz", "O'Connor"), ("O'Connor", "Elizabeth")),  # nickname and swapped
    ],
)
def test_swaps_and_nicknames_with_a_typo_meet_where_the_name_key_does_not(
    person: Callable[..., Contact], one: tuple[str, str], other: tuple[str, str]
) -> None:
    a, b = person(*one, record_id="c-1"), person(*other, record_id="c-2")
    assert _meet(name_sound_keys(), a, b)
    assert not _meet(name_keys(), a, b)


def test_relatives_with_other_given_names_do_not_meet(person: Callable[..., Contact]) -> None:
    rule = name_sound_keys()
    assert not _meet(rule, person("Anna", "Weber"), person("Peter", "Weber"))
    assert not _meet(rule, person("Anna", "Weber"), person("Anna", "Keller"))


def test_a_record_without_both_parts_has_no_key(person: Callable[..., Contact]) -> None:
    rule = name_sound_keys()
    assert rule(person("Anna", None)) == ()
    assert rule(person(None, "Weber")) == ()
    assert rule(person(None, None)) == ()


def test_it_is_a_default_rule_left_out_of_the_name_em_run() -> None:
    names = [entry.name for entry in default_blocking_rules().for_type(Contact)]
    assert names[-1] == "crmcore.name_sounds"
    assert DEFAULT_RULE_COMPARISONS["crmcore.name_sounds"] == ("crmcore.name",)


def test_block_pairs_a_swap_with_a_typo(person: Callable[..., Contact]) -> None:
    a = person("Béatrice", "Chevalier", record_id="c-1")
    b = person("Chevalier", "Bétarice", record_id="c-2")
    found = block([a, b])
    assert [(p.left, p.right) for p in found.pairs] == [("c-1", "c-2")]
    assert "crmcore.name_sounds" in found.pairs[0].rules


def test_a_custom_table_is_read_and_a_bad_one_refused(person: Callable[..., Contact]) -> None:
    table = Nicknames.from_groups([("wilhelmina", "mina")])
    rule = name_sound_keys(table)
    assert _meet(rule, person("Mina", "Visser"), person("Wilhelmina", "Vissser"))
    with pytest.raises(CRMError):
        name_sound_keys("not a table")  # type: ignore[arg-type]


_PART = st.text(alphabet="abcdeéijklmnoprstuyzABCZ'- ", min_size=1, max_size=12).filter(
    lambda text: bool(text.strip())
)


@given(_PART, _PART)
def test_swapping_the_parts_keeps_the_keys(given_name: str, family: str) -> None:
    def person(g: str, f: str) -> Contact:
        return Contact("c", ContactIdentity(name=PersonName(given=g, family=f)))

    rule = name_sound_keys()
    one = rule(person(given_name, family))
    assert all(isinstance(key, str) for key in one)
    assert one == rule(person(family, given_name))
