"""Name casing: names typed all in upper or all in lower case put in name case.

A name already in mixed case ("MacKenzie", "de Villiers", "McDonald") is left alone: someone
chose that casing. Only letter case ever changes, never the letters, so casing is undone by
lower-casing and a second pass changes nothing.

- Words and hyphenated parts get a capital: ``JEAN-PIERRE`` becomes ``Jean-Pierre``.
- A single letter before an apostrophe is a capital, and so is the letter after it:
  ``O'BRIEN`` becomes ``O'Brien``, ``D'ANGELO`` becomes ``D'Angelo``.
- In family names, particles stay in lower case before the name they belong to: ``de``, ``du``,
  ``des``, ``van``, ``von``, ``der``, ``den``, ``ter``, ``da``, ``di``, ``del``, ``della``,
  and ``le``/``la`` after another particle (``DE LA TOUR`` becomes ``de la Tour``, while
  ``LE PEN`` becomes ``Le Pen``). A particle standing last is capitalised (``VAN`` gives ``Van``).
- In family names, ``Mc`` is followed by a capital (``McDonald``); ``Mac`` only when what
  follows is long and shaped like a name of its own (a consonant other than ``h``, then a vowel,
  four letters at least): ``MacDonald``, ``MacKenzie``, but ``Mack``, ``Macey``, ``Machado``.
- Initials keep their capitals. Dotted initials anywhere (``J.P.``, ``J.``, ``J.-P.``) are
  written in capitals. In given and middle names, a word of two or three Latin letters with no
  vowel (``a e i o u y``) is taken for initials: ``JP``, ``VB``, ``JRR`` stay in capitals (and
  ``jp`` becomes ``JP``). A short word with a vowel is a name: ``AL``, ``IAN``, ``EVA`` give
  ``Al``, ``Ian``, ``Eva``, and so do initials such as ``AJ`` that cannot be told from one.
  Family names have no such rule (``NG`` gives ``Ng``).
- Prefixes and suffixes (``DR``, ``PHD``, ``III``) are left alone: they are often acronyms.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Literal

from crmcore.cleaning._mojibake import repair_mojibake
from crmcore.cleaning._types import Slot, chains_to, get_in, rebuild, set_all
from crmcore.cleaning.changes import Change, change
from crmcore.cleaning.context import CleaningContext
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record
from crmcore.records.values import PersonName

__all__ = ["case_names", "name_case"]

Part = Literal["given", "middle", "family"]

_PARTICLES = frozenset(
    {"de", "du", "des", "van", "von", "der", "den", "ter", "da", "di", "del", "della"}
)
_ARTICLES = frozenset({"le", "la"})
_APOSTROPHE = re.compile(r"([^\W\d_])(['’])(.+)\Z")
_SPACES = re.compile(r"(\s+)")
_VOWELS = frozenset("aeiouy")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+\Z")
_INITIALS = re.compile(r"[b-df-hj-np-tv-xz]{2,3}\Z")
_NOT_MAC = _VOWELS | {"h"}


def _capital(text: str) -> str:
    return text[:1].title() + text[1:]


def _core(text: str, family: bool) -> str:
    if family and text.startswith("mc") and len(text) > 2:
        return "Mc" + _capital(text[2:])
    if family and text.startswith("mac"):
        rest = text[3:]
        if len(rest) >= 4 and rest[0].isalpha() and rest[0] not in _NOT_MAC and rest[1] in _VOWELS:
            return "Mac" + _capital(rest)
    return _capital(text)


def _part(text: str, family: bool) -> str:
    if _DOTTED.match(text) or (not family and _INITIALS.match(text)):
        capitals = text.upper()
        if capitals.lower() == text:
            return capitals
    match = _APOSTROPHE.match(text)
    if match:
        return match[1].title() + match[2] + _core(match[3], family)
    return _core(text, family)


def _word(text: str, family: bool) -> str:
    return "-".join(_part(piece, family) for piece in text.split("-"))


def name_case(text: str, part: Part = "family") -> str:
    """Put a name written all in upper or all in lower case in name case; else return it as is.

    >>> name_case("VAN DER BERG")
    'van der Berg'
    >>> name_case("o'brien"), name_case("MACDONALD"), name_case("MACK")
    ("O'Brien", 'MacDonald', 'Mack')
    >>> name_case("JEAN-PIERRE", "given"), name_case("MacKenzie")
    ('Jean-Pierre', 'MacKenzie')
    >>> name_case("JP", "given"), name_case("J.P.", "given"), name_case("VB", "middle")
    ('JP', 'J.P.', 'VB')
    >>> name_case("MARY JP", "given"), name_case("IAN", "given"), name_case("O'NEILL")
    ('Mary JP', 'Ian', "O'Neill")
    """
    if part not in NAME_PARTS:
        raise InvalidValueError("expected 'given', 'middle' or 'family'", field="part")
    if not isinstance(text, str):
        raise InvalidValueError("expected text", field="text")
    if not (text.isupper() or text.islower()):
        return text
    family = part == "family"
    return _cased_cached(text, family) if len(text) <= _CACHED_LENGTH else _cased(text, family)


_CACHED_LENGTH = 64
"""Names repeat, so the casing of one no longer than this is cached (a longer one is not, so
that the cache stays small whatever the input holds)."""


def _cased(text: str, family: bool) -> str:
    """:func:`name_case` of a name all in upper or all in lower case."""
    lowered = text.lower()
    tokens = _SPACES.split(lowered)
    words = [index for index, token in enumerate(tokens) if token and not token.isspace()]
    cased = list(tokens)
    for position, index in enumerate(words):
        token = tokens[index]
        last = position == len(words) - 1
        previous = tokens[words[position - 1]] if position else None
        if family and not last and _is_particle(token, previous):
            continue
        cased[index] = _word(token, family)
    result = "".join(cased)
    # Only letter case may change: anything else (a letter that cases to two, a result that
    # is not NFC) leaves the name as it was.
    if result.lower() != lowered or not unicodedata.is_normalized("NFC", result):
        return text
    # Nor may casing make what the mojibake rule would then read as mojibake (``â¡``, ``Â¡``).
    if not result.isascii() and repair_mojibake(result) != result:
        return text
    return result


_cased_cached = functools.lru_cache(maxsize=8192)(_cased)


def _is_particle(token: str, previous: str | None) -> bool:
    if token in _PARTICLES:
        return True
    return token in _ARTICLES and previous is not None and previous in _PARTICLES


def _is_name(slot: Slot) -> bool:
    return slot.cls is PersonName


NAME_PARTS: tuple[Part, ...] = ("given", "middle", "family")
"""The parts of a person name that are put in name case."""


def case_names(record: Record, ctx: CleaningContext) -> tuple[Record, list[Change]]:
    """Step ``name_case``: case the given, middle and family names of every person name."""
    changes: list[Change] = []
    found: dict[tuple[str, ...], Any] = {}
    for chain in chains_to(type(record), _is_name):
        name = get_in(record, chain)
        if name is None:
            continue
        updates: dict[str, Any] = {}
        for part in NAME_PARTS:
            value = getattr(name, part)
            if value is None:
                continue
            cased = name_case(value, part)
            if cased != value:
                updates[part] = cased
                path = ".".join((*chain, part))
                changes.append(change(type(record), path, "name_case", value, cased))
        if updates:
            found[chain] = rebuild(name, updates)
    return set_all(record, found), changes
