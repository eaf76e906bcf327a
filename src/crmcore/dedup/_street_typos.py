"""Streets and places a typo apart: what the address comparator's ``near_street_number`` reads.

A street is compared written as one run of letters with its type in full (``Kelleway Ave``,
``Kelleway Avenue`` and ``Kellewayavenue`` are all ``kellewayavenue``), so that a space
lost or added and a type abbreviated cost nothing, and a typo one edit (Damerau-Levenshtein:
an adjacent transposition is one). Two edits are allowed on streets of 12 letters or more,
where two typos of one name (one on each record) are likelier than two streets that close
in one place with one house number; its words in another order are the same street.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from crmcore.dedup import _extras
from crmcore.dedup._batch import class_counts, classes_apart, codes_of, lengths, same
from crmcore.dedup._forked import threads

__all__ = [
    "Places",
    "Streets",
    "long_form",
    "near_place",
    "near_places",
    "near_places_at",
    "near_street",
    "near_streets",
    "near_streets_at",
    "place_table",
    "street_table",
]

Indices = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

LONG_STREET = 12
"""The fewest letters both streets need before two edits between them count as typos."""


def long_form(street: str, long_forms: Mapping[str, str]) -> str:
    """The words of a normalised street, each street type in its long form, space-separated.

    >>> long_form("kelleway av", {"av": "avenue"})
    'kelleway avenue'
    """
    return " ".join(long_forms.get(word, word) for word in street.split())


def near_street(a: str, b: str) -> bool:
    """Whether two streets (as :func:`long_form` writes them) are one street, a typo apart.

    >>> near_street("kelleway avenue", "kellewayavenue")
    True
    >>> near_street("boolee street", "boolee ystreet")
    True
    >>> near_street("main street", "mill street"), near_street("hill lance", "lance hill")
    (False, True)
    """
    if a == b:
        return True
    return _near_street(a, b) if a < b else _near_street(b, a)


@functools.lru_cache(maxsize=65536)
def _near_street(a: str, b: str) -> bool:
    if sorted(a.split()) == sorted(b.split()):
        return True  # the words in another order
    x, y = a.replace(" ", ""), b.replace(" ", "")
    allowed = 2 if min(len(x), len(y)) >= LONG_STREET else 1
    distance = _extras.rapidfuzz_distance().DamerauLevenshtein
    return bool(distance.distance(x, y, score_cutoff=allowed) <= allowed)


def near_place(
    postcode_a: str | None,
    postcode_b: str | None,
    locality_a: str | None,
    locality_b: str | None,
) -> bool:
    """The same place or one a typo away: postcodes equal or one edit apart (a digit wrong
    or two adjacent digits exchanged, the lengths equal), or the localities equal.

    >>> near_place("2208", "2280", None, None), near_place("2208", "3175", "moree", "moree")
    (True, True)
    >>> near_place("75001", "69001", None, None), near_place(None, "2208", "moree", None)
    (False, False)
    """
    if locality_a and locality_a == locality_b:
        return True
    if not (postcode_a and postcode_b) or len(postcode_a) != len(postcode_b):
        return False
    if postcode_a == postcode_b:
        return True
    distance = _extras.rapidfuzz_distance().DamerauLevenshtein
    return bool(distance.distance(postcode_a, postcode_b, score_cutoff=1) <= 1)


def _within(left: list[str], right: list[str], allowed: Indices) -> Flags:
    """Where ``left[i]`` and ``right[i]`` are at most ``allowed[i]`` edits apart
    (Damerau-Levenshtein), computed on every core."""
    if not left:
        return np.zeros(0, dtype=np.bool_)
    far = _extras.rapidfuzz_process().cpdist(
        left,
        right,
        scorer=_extras.rapidfuzz_distance().DamerauLevenshtein.distance,
        score_cutoff=int(allowed.max()),
        workers=threads(),
    )
    return np.asarray(np.asarray(far) <= allowed)


@attrs.frozen(eq=False)
class Streets:
    """What :func:`near_streets_at` reads of streets (:func:`street_table`): each squashed
    (one run of letters), its length, the codes of it and of its words sorted, and its
    characters counted by class (:func:`~crmcore.dedup._batch.class_counts`)."""

    squashed: list[str]
    lengths: Indices
    codes: Indices
    words: Indices
    counts: npt.NDArray[np.uint8]


def street_table(streets: Sequence[str]) -> Streets:
    """Each street squashed and its words sorted, once."""
    squashed = [street.replace(" ", "") for street in streets]
    codes = codes_of(squashed)
    return Streets(
        squashed,
        lengths(squashed),
        codes,
        codes_of([" ".join(sorted(street.split())) for street in streets]),
        class_counts(list(dict.fromkeys(squashed)))[codes],  # each distinct street once
    )


def near_streets_at(streets: Streets, left: Indices, right: Indices) -> Flags:
    """:func:`near_street` of the streets at ``left[i]`` and ``right[i]`` of a
    :func:`street_table`: the same words, the same squashed street, or within the edits
    allowed, counted on every core only where the lengths and the characters are close
    enough for it (the edits are at least the difference of the lengths, and half the
    difference of the characters counted by class: :func:`~crmcore.dedup._batch.class_counts`)."""
    lengths = streets.lengths
    allowed = np.where(np.minimum(lengths[left], lengths[right]) >= LONG_STREET, 2, 1)
    near = same(streets.words, left, right) | same(streets.codes, left, right)
    ask = np.flatnonzero(~near & (np.abs(lengths[left] - lengths[right]) <= allowed))
    apart = classes_apart(streets.counts, left[ask], right[ask])
    ask = ask[apart <= 2 * allowed[ask]]  # the others more edits apart than allowed
    squashed = streets.squashed
    near[ask] = _within(
        [squashed[i] for i in left[ask].tolist()],
        [squashed[i] for i in right[ask].tolist()],
        allowed[ask],
    )
    return near


def near_streets(streets: Sequence[str], left: Indices, right: Indices) -> Flags:
    """:func:`near_street` of ``streets[left[i]]`` and ``streets[right[i]]``, as an array:
    each street squashed and its words sorted once (:func:`near_streets_at`)."""
    return near_streets_at(street_table(streets), left, right)


@attrs.frozen(eq=False)
class Places:
    """What :func:`near_places_at` reads of places (:func:`place_table`): the postcodes,
    their codes and lengths, the localities' codes (``-1``: none)."""

    postcodes: Sequence[str | None]
    postcode: Indices
    lengths: Indices
    locality: Indices


def place_table(postcodes: Sequence[str | None], localities: Sequence[str | None]) -> Places:
    """Each postcode and locality a code, once."""
    return Places(
        postcodes,
        codes_of(postcodes, missing=lambda value: not value),
        np.fromiter((len(code or "") for code in postcodes), np.int64, len(postcodes)),
        codes_of(localities, missing=lambda value: not value),
    )


def near_places_at(places: Places, left: Indices, right: Indices) -> Flags:
    """:func:`near_place` of the places at ``left[i]`` and ``right[i]`` of a
    :func:`place_table`."""
    codes, lengths, postcodes = places.postcode, places.lengths, places.postcodes
    near = same(places.locality, left, right)
    near |= same(codes, left, right)
    typo = np.flatnonzero(
        ~near & (codes[left] >= 0) & (codes[right] >= 0) & (lengths[left] == lengths[right])
    )
    near[typo] = _within(
        [postcodes[i] or "" for i in left[typo].tolist()],
        [postcodes[i] or "" for i in right[typo].tolist()],
        np.ones(len(typo), dtype=np.int64),
    )
    return near


def near_places(
    postcodes: Sequence[str | None],
    localities: Sequence[str | None],
    left: Indices,
    right: Indices,
) -> Flags:
    """:func:`near_place` of the places at ``left[i]`` and ``right[i]``, as an array."""
    return near_places_at(place_table(postcodes, localities), left, right)
