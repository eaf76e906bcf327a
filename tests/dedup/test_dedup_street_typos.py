"""Streets and places a typo apart: the per-pair forms, and the array forms equal to them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore.dedup import _street_typos
from crmcore.dedup._street_typos import (
    LONG_STREET,
    near_place,
    near_places,
    near_street,
    near_streets,
)

_STREETS = st.text(alphabet="abcs ", min_size=1, max_size=16).map(lambda t: " ".join(t.split()))
_POSTCODES = st.none() | st.text(alphabet="0123", min_size=3, max_size=5)
_LOCALITIES = st.none() | st.sampled_from(["moree", "young", "moree east"])


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("kambalda crescent", "kambalda ctescent", True),
        ("kambalda crescent", "kambalad crescnet", True),  # two edits on a long street
        ("main street", "mill street", False),  # three edits
        ("hill street", "hull streat", False),  # two edits on a short one
        ("main st", "mian st", True),
        ("lance hill avenue", "hill lance avenue", True),
        ("goodwin street", "goodwinstreet", True),
        ("heard street", "curnow place", False),
    ],
)
def test_near_street(a: str, b: str, near: bool) -> None:
    assert near_street(a, b) is near
    assert near_street(b, a) is near


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("kambalda road", "kanbalda raod", True),  # 12 letters, type included: two edits
        ("kambald road", "kanbald raod", False),  # 11 letters: one edit only
        ("kambald road", "kanbald road", True),
    ],
)
def test_two_edits_start_at_twelve_letters(a: str, b: str, near: bool) -> None:
    assert len(a.replace(" ", "")) in (LONG_STREET, LONG_STREET - 1)
    assert near_street(a, b) is near
    pairs = np.array([0], dtype=np.int64), np.array([1], dtype=np.int64)
    assert near_streets([a, b], *pairs).tolist() == [near]


@pytest.mark.parametrize(
    ("places", "near"),
    [
        (("2208", "2280", None, None), True),  # two adjacent digits exchanged
        (("2208", "2209", None, None), True),
        (("2208", "2290", None, None), False),
        (("2208", "22080", None, None), False),  # another length is another code
        (("2208", "9999", "moree", "moree"), True),
        ((None, "2208", "moree", None), False),
        ((None, None, None, None), False),
    ],
)
def test_near_place(
    places: tuple[str | None, str | None, str | None, str | None], near: bool
) -> None:
    assert near_place(*places) is near


@given(st.lists(_STREETS, min_size=1, max_size=8), st.data())
def test_near_streets_are_near_street_of_each_pair(streets: list[str], data: st.DataObject) -> None:
    index = st.integers(0, len(streets) - 1)
    pairs = data.draw(st.lists(st.tuples(index, index), max_size=20))
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    found = near_streets(streets, left, right).tolist()
    assert found == [near_street(streets[a], streets[b]) for a, b in pairs]


@given(st.lists(st.tuples(_POSTCODES, _LOCALITIES), min_size=1, max_size=8), st.data())
def test_near_places_are_near_place_of_each_pair(
    places: list[tuple[str | None, str | None]], data: st.DataObject
) -> None:
    index = st.integers(0, len(places) - 1)
    pairs = data.draw(st.lists(st.tuples(index, index), max_size=20))
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    postcodes, localities = [p for p, _ in places], [loc for _, loc in places]
    found = near_places(postcodes, localities, left, right).tolist()
    expected = [
        near_place(postcodes[a], postcodes[b], localities[a], localities[b]) for a, b in pairs
    ]
    assert found == expected


def test_streets_whose_characters_differ_too_much_get_no_distance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[list[str]] = []
    within = _street_typos._within

    def counted(left: list[str], right: list[str], allowed: object) -> object:
        asked.append([*left, *right])
        return within(left, right, allowed)  # type: ignore[arg-type]

    monkeypatch.setattr(_street_typos, "_within", counted)
    streets = ["main street", "mill street", "mian street", "mane street"]
    left, right = np.array([0, 0, 0]), np.array([1, 2, 3])
    assert near_streets(streets, left, right).tolist() == [False, True, False]
    # main/mill: four apart, counted by class (two edits at least): no distance asked;
    # main/mian: none apart (two swapped); main/mane: two apart, as one edit can be: asked
    assert asked == [["mainstreet", "mainstreet", "mianstreet", "manestreet"]]
