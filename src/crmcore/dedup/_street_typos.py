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
from collections.abc import Mapping

from crmcore.dedup import _extras

__all__ = ["long_form", "near_place", "near_street"]

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
