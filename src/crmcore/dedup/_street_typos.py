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

import numpy as np
import numpy.typing as npt

from crmcore.dedup import _extras
from crmcore.dedup._batch import codes_of, same
from crmcore.dedup._forked import threads

__all__ = ["long_form", "near_place", "near_places", "near_street", "near_streets"]

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


def near_streets(streets: Sequence[str], left: Indices, right: Indices) -> Flags:
    """:func:`near_street` of ``streets[left[i]]`` and ``streets[right[i]]``, as an array:
    each street squashed and its words sorted once, the edits counted on every core."""
    squashed = [street.replace(" ", "") for street in streets]
    words = codes_of([" ".join(sorted(street.split())) for street in streets])
    lengths = np.fromiter(map(len, squashed), dtype=np.int64, count=len(squashed))
    allowed = np.where(np.minimum(lengths[left], lengths[right]) >= LONG_STREET, 2, 1)
    typo = _within(
        [squashed[i] for i in left.tolist()], [squashed[i] for i in right.tolist()], allowed
    )
    return np.asarray(typo | same(words, left, right))


def near_places(
    postcodes: Sequence[str | None],
    localities: Sequence[str | None],
    left: Indices,
    right: Indices,
) -> Flags:
    """:func:`near_place` of the places at ``left[i]`` and ``right[i]``, as an array."""
    codes = codes_of(postcodes, missing=lambda value: not value)
    near = same(codes_of(localities, missing=lambda value: not value), left, right)
    near |= same(codes, left, right)
    lengths = np.fromiter((len(code or "") for code in postcodes), np.int64, len(postcodes))
    typo = np.flatnonzero(
        ~near & (codes[left] >= 0) & (codes[right] >= 0) & (lengths[left] == lengths[right])
    )
    near[typo] = _within(
        [postcodes[i] or "" for i in left[typo].tolist()],
        [postcodes[i] or "" for i in right[typo].tolist()],
        np.ones(len(typo), dtype=np.int64),
    )
    return near
