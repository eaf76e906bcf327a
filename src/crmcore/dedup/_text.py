"""Fold text for comparison: case, accents, punctuation and spacing do not count."""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["fold", "tokens"]

_SEPARATORS = re.compile(r"[\s\-‐-―'’`.,;:/\\_&+()\[\]{}\"]+")
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th"})


@functools.lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """The words of ``text``, case-folded, without accents, split at spaces and punctuation.

    >>> tokens("  Jean-Pierre  O'Brien ")
    ('jean', 'pierre', 'o', 'brien')
    >>> tokens("Müller-Lüdenscheidt, Straße")
    ('muller', 'ludenscheidt', 'strasse')
    """
    # Decomposed before case-folding too: compatibility forms such as a mathematical italic
    # capital only take a case once decomposed, and folding must be idempotent.
    decomposed = unicodedata.normalize("NFKD", text)
    folded = unicodedata.normalize("NFKD", decomposed.casefold().translate(_SPECIAL))
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return tuple(word for word in _SEPARATORS.split(plain) if word)


def fold(text: str) -> str:
    """``text`` as its :func:`tokens` joined by single spaces.

    >>> fold("  ÉLODIE   de la  Tour ")
    'elodie de la tour'
    """
    return " ".join(tokens(text))
