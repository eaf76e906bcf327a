"""The shipped nickname table and its reader."""

from __future__ import annotations

import importlib.resources

import pytest

from crmcore.dedup import Nicknames, default_nicknames, load_nicknames
from crmcore.errors import InvalidValueError


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Bob", "Robert"),
        ("Bill", "William"),
        ("Peggy", "Margaret"),
        ("Jean-Pierre", "J.-P."),
        ("Jean-Pierre", "JP"),
        ("Fanfan", "François"),
        ("Hans", "Johannes"),
        ("Pepe", "José"),
        ("Gigi", "Luigi"),
        ("Chico", "Francisco"),
        ("Wim", "Willem"),
    ],
)
def test_the_shipped_table_knows_the_usual_nicknames(left: str, right: str) -> None:
    table = default_nicknames()
    assert table.same(left, right)
    assert table.same(right, left)


def test_the_shipped_table_covers_at_least_six_languages() -> None:
    assert {"en", "fr", "de", "es", "it", "pt", "nl"} <= default_nicknames().languages


def test_the_shipped_table_names_its_sources_and_licence() -> None:
    data = importlib.resources.files("crmcore.dedup").joinpath("data")
    header = data.joinpath("nicknames.csv").read_text(encoding="utf-8").splitlines()[:6]
    assert any("Licence: MIT" in line for line in header)
    sources = data.joinpath("SOURCES.md").read_text(encoding="utf-8")
    assert "nicknames.csv" in sources
    assert "Licence" in sources


def test_a_nickname_in_several_groups_joins_each_but_not_them_together() -> None:
    table = default_nicknames()
    assert table.same("Bert", "Robert")
    assert table.same("Bert", "Albert")
    assert not table.same("Robert", "Albert")


def test_unknown_and_empty_names_are_not_the_same() -> None:
    table = default_nicknames()
    assert not table.same("Xyzzy", "Robert")
    assert not table.same("", "")
    assert table.same("Xyzzy", "XYZZY")
    assert table.groups_of("Nobody") == frozenset()


def test_merge_keeps_the_groups_of_both() -> None:
    mine = Nicknames.from_groups([("ebenezer", "eben")], ["en"])
    merged = default_nicknames().merge(mine)
    assert merged.same("Eben", "Ebenezer")
    assert merged.same("Bob", "Robert")
    assert not merged.same("Eben", "Robert")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "name,variants\nrobert,bob\n",
        "language,name,variants\nen,robert\n",
        "language,name,variants\n,robert,bob\n",
        "language,name,variants\nen,,bob\n",
    ],
)
def test_a_malformed_table_is_refused_by_line_never_by_content(text: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        load_nicknames(text)
    assert "robert" not in str(caught.value)
    assert "bob" not in str(caught.value)


def test_comments_and_blank_lines_are_skipped() -> None:
    table = load_nicknames("# mine\n\nlanguage,name,variants\n# more\nen,robert,bob\n")
    assert table.same("Bob", "Robert")
    assert len(table) == 2


@pytest.mark.parametrize(
    ("left", "right", "misspelt"),
    [
        ("Caterine", "Kate", True),  # Catherine misspelt, against its nickname
        ("Chrristopher", "Chris", True),
        ("Wiliam", "Bill", True),
        ("Margeret", "Peggy", True),
        ("Wiliam", "William", False),  # a plain typo of the other name: not a nickname
        ("Robret", "Robert", False),
        ("Jade", "Jane", False),  # short names one letter apart are other names
        ("Kate", "Christopher", False),
        ("Xyzzyx", "Robert", False),
        ("Caterine", "Catherine", False),
    ],
)
def test_a_misspelt_name_is_in_the_groups_of_the_name_it_misspells(
    left: str, right: str, misspelt: bool
) -> None:
    table = default_nicknames()
    assert not table.same(left, right)
    assert table.same_misspelt(left, right) is misspelt
    assert table.same_misspelt(right, left) is misspelt
    if misspelt:
        assert not table.groups_near(left).isdisjoint(table.groups_of(right))


def test_a_name_the_table_knows_is_taken_as_written() -> None:
    table = Nicknames.from_groups([("daniel", "dan"), ("daniela", "dani")])
    # Daniela is one letter from Daniel, but the table knows her: not Dan misspelt.
    assert table.misspelt("Daniela") == frozenset()
    assert not table.same_misspelt("Daniela", "Dan")
    assert table.groups_near("Daniela") == table.groups_of("Daniela")
    assert table.misspelt("Danniel") == {"daniel"}


def test_a_short_name_is_never_read_as_misspelt() -> None:
    table = Nicknames.from_groups([("anna", "annie")])
    assert table.misspelt("Anne") == frozenset()
    assert table.groups_near("Anne") == frozenset()
    assert table.misspelt("Annnie") == {"annie"}


def test_a_merged_table_reads_misspellings_of_both() -> None:
    left = Nicknames.from_groups([("catherine", "kate")])
    right = Nicknames.from_groups([("christopher", "chris")])
    merged = left.merge(right)
    assert merged.same_misspelt("Caterine", "Kate")
    assert merged.same_misspelt("Chrristopher", "Chris")
