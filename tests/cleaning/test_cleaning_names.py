"""Name casing: only names all in upper or all in lower case, particles and prefixes right."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact, ContactIdentity, PersonName
from crmcore.cleaning import CleaningContext, case_names, name_case
from crmcore.cleaning import names as names_module
from crmcore.errors import InvalidValueError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DUPONT", "Dupont"),
        ("dupont", "Dupont"),
        ("DE LA TOUR", "de la Tour"),
        ("de villiers", "de Villiers"),
        ("VAN DER BERG", "van der Berg"),
        ("VON TRAPP", "von Trapp"),
        ("DA SILVA", "da Silva"),
        ("DI MARIA", "di Maria"),
        ("DEL POTRO", "del Potro"),
        ("DELLA ROBBIA", "della Robbia"),
        ("TER STEGEN", "ter Stegen"),
        ("DU PONT", "du Pont"),
        ("LE PEN", "Le Pen"),
        ("LA FONTAINE", "La Fontaine"),
        ("VAN", "Van"),
        ("O'BRIEN", "O'Brien"),
        ("D'ANGELO", "D'Angelo"),
        ("o’neill", "O’Neill"),
        ("MCDONALD", "McDonald"),
        ("MACDONALD", "MacDonald"),
        ("MACKENZIE", "MacKenzie"),
        ("MACK", "Mack"),
        ("MACEY", "Macey"),
        ("MACHADO", "Machado"),
        ("SMITH-JONES", "Smith-Jones"),
        ("VON TRAPP-MCGREGOR", "von Trapp-McGregor"),
        ("NGUYỄN", "Nguyễn"),
        ("ŻÓŁKIEWSKI", "Żółkiewski"),
    ],
)
def test_family_names_in_one_case_are_put_in_name_case(text: str, expected: str) -> None:
    assert name_case(text, "family") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JEAN-PIERRE", "Jean-Pierre"),
        ("mary ann", "Mary Ann"),
        ("MACKENZIE", "Mackenzie"),
        ("DE", "De"),
    ],
)
def test_given_names_get_capitals_but_no_particles_or_mac(text: str, expected: str) -> None:
    assert name_case(text, "given") == expected


@pytest.mark.parametrize("text", ["MacKenzie", "de Villiers", "McDonald", "DeVito", "van Dijk"])
def test_names_already_in_mixed_case_are_left_alone(text: str) -> None:
    assert name_case(text, "family") is text


@pytest.mark.parametrize("text", ["北京", "123", "ß", "-"])
def test_names_whose_letters_would_change_or_have_no_case_are_left_alone(text: str) -> None:
    assert name_case(text, "family") == text


def test_case_names_step_cases_given_middle_family_not_prefix_or_suffix() -> None:
    name = PersonName(prefix="DR", given="JEAN", middle="MARIE", family="DE LA TOUR", suffix="III")
    record = Contact("c", ContactIdentity(name=name))
    cleaned, changes = case_names(record, CleaningContext())
    assert cleaned.identity.name == PersonName(
        prefix="DR", given="Jean", middle="Marie", family="de la Tour", suffix="III"
    )
    assert [c.path for c in changes] == [
        "identity.name.given",
        "identity.name.middle",
        "identity.name.family",
    ]
    assert all(c.rule == "name_case" and c.personal for c in changes)


def test_case_names_step_returns_the_same_record_when_nothing_changes() -> None:
    record = Contact("c", ContactIdentity(name=PersonName(given="Ada", family="Lovelace")))
    cleaned, changes = case_names(record, CleaningContext())
    assert cleaned is record
    assert changes == []


names = st.text(st.characters(codec="utf-8"), max_size=30)
parts = st.sampled_from(["given", "middle", "family"])


@given(names, parts)
def test_name_casing_only_changes_letter_case_and_is_idempotent(text: str, part: str) -> None:
    cased = name_case(text, part)  # type: ignore[arg-type]
    assert cased.lower() == text.lower()
    assert name_case(cased, part) == cased  # type: ignore[arg-type]
    if not (text.isupper() or text.islower()):
        assert cased == text


# -- initials ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "part", "expected"),
    [
        ("JP", "given", "JP"),
        ("jp", "given", "JP"),
        ("J.P.", "given", "J.P."),
        ("j.p.", "given", "J.P."),
        ("J.", "given", "J."),
        ("J.-P.", "given", "J.-P."),
        ("VB", "middle", "VB"),
        ("JRR", "middle", "JRR"),
        ("MARY JP", "given", "Mary JP"),
        ("J.P. MORGAN", "family", "J.P. Morgan"),
        ("AL", "given", "Al"),
        ("IAN", "given", "Ian"),
        ("EVA", "given", "Eva"),
        ("TY", "given", "Ty"),
        ("NG", "family", "Ng"),
        ("LOVELACE", "family", "Lovelace"),
        ("O'NEILL", "family", "O'Neill"),
        ("ST. JOHN", "family", "St. John"),
    ],
)
def test_initials_keep_their_capitals_and_names_do_not(text: str, part: str, expected: str) -> None:
    assert name_case(text, part) == expected  # type: ignore[arg-type]


_CONSONANTS = "BCDFGHJKLMNPQRSTVWXZ"
initials = st.one_of(
    st.text(st.sampled_from(_CONSONANTS), min_size=2, max_size=3),
    st.lists(st.sampled_from(_CONSONANTS + "AEIOU"), min_size=1, max_size=3).map(
        lambda letters: "".join(f"{letter}." for letter in letters)
    ),
)
words = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ'-"), min_size=1, max_size=10)


@given(
    st.lists(words, max_size=2),
    initials,
    st.lists(words, max_size=2),
    st.sampled_from(["given", "middle"]),
)
def test_initials_among_other_words_are_kept_and_casing_is_idempotent(
    before: list[str], token: str, after: list[str], part: str
) -> None:
    text = " ".join([*before, token, *after])
    cased = name_case(text, part)  # type: ignore[arg-type]
    assert token in cased.split(" ")
    assert name_case(cased, part) == cased  # type: ignore[arg-type]


@pytest.mark.parametrize("part", ["Family", "surname", "", None, 1])
def test_an_unknown_name_part_is_refused(part: object) -> None:
    with pytest.raises(InvalidValueError, match="part"):
        name_case("DUPONT", part)  # type: ignore[arg-type]


def test_a_long_name_is_cased_the_same_and_never_cached() -> None:
    # Names repeat, so short ones are cased through a bounded cache; a long one bypasses it.
    before = names_module._cased_cached.cache_info().currsize
    long = "JEAN-" * 30 + "PIERRE"
    assert name_case(long, "given") == "Jean-" * 30 + "Pierre"
    assert name_case(long.lower(), "given") == "Jean-" * 30 + "Pierre"
    assert names_module._cased_cached.cache_info().currsize == before
    assert name_case("JEAN-PIERRE", "given") == "Jean-Pierre"
    assert name_case("JEAN-PIERRE", "family") == "Jean-Pierre"  # the part is in the key
    assert name_case("DE LA TOUR", "family") == "de la Tour"
    assert name_case("DE LA TOUR", "given") == "De La Tour"
