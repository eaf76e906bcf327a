"""Month names in the languages of the supported countries, read as dateutil's English ones.

dateutil knows English month names only. :func:`english_months` rewrites a date written in
French, German, Spanish, Italian, Dutch or Portuguese (``5 mars 1990``, ``3. März 1985``,
``12 de abril de 1990``, ``1er mai 1990``) with the English name of its month, the words
that join day, month and year dropped, so that the usual reading follows: complete dates only,
dayfirst and two-digit years as for English text. A name is known with or without its
accents, in any case, whole or by its usual abbreviation; no name stands for two months.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["MONTH_NAMES", "english_months"]

_ENGLISH = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

MONTH_NAMES: dict[str, list[str]] = {
    "fr": [
        "janvier janv",
        "février févr fév",
        "mars",
        "avril avr",
        "mai",
        "juin",
        "juillet juil",
        "août",
        "septembre sept",
        "octobre oct",
        "novembre nov",
        "décembre déc",
    ],
    "de": [
        "januar jan jänner",
        "februar feb",
        "märz maerz mär mrz",
        "april apr",
        "mai",
        "juni jun",
        "juli jul",
        "august aug",
        "september sep sept",
        "oktober okt",
        "november nov",
        "dezember dez",
    ],
    "es": [
        "enero ene",
        "febrero feb",
        "marzo mar",
        "abril abr",
        "mayo may",
        "junio jun",
        "julio jul",
        "agosto ago",
        "septiembre setiembre sep sept",
        "octubre oct",
        "noviembre nov",
        "diciembre dic",
    ],
    "it": [
        "gennaio gen",
        "febbraio feb",
        "marzo mar",
        "aprile apr",
        "maggio mag",
        "giugno giu",
        "luglio lug",
        "agosto ago",
        "settembre set",
        "ottobre ott",
        "novembre nov",
        "dicembre dic",
    ],
    "nl": [
        "januari jan",
        "februari feb",
        "maart mrt mar",
        "april apr",
        "mei",
        "juni jun",
        "juli jul",
        "augustus aug",
        "september sep sept",
        "oktober okt",
        "november nov",
        "december dec",
    ],
    "pt": [
        "janeiro jan",
        "fevereiro fev",
        "março mar",
        "abril abr",
        "maio mai",
        "junho jun",
        "julho jul",
        "agosto ago",
        "setembro set",
        "outubro out",
        "novembro nov",
        "dezembro dez",
    ],
}
"""For each language, its twelve months, each as its names separated by spaces."""

_JOINING = frozenset({"de", "del", "do", "da", "le", "el", "il", "am", "op"})
"""Words that join day, month and year (``12 de abril de 1990``) or come before a date
(``le 5 mars 1990``, ``am 3. März 1985``)."""
_WORD = re.compile(r"[^\W\d_]+\.?")
_ORDINAL = re.compile(r"\b([0-9]{1,2})(?:er|ère|º|°|\.)(?=\s|$)")


def _plain(word: str) -> str:
    """``word`` in lower case without accents: ``März`` is ``marz``."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.cache
def _index() -> dict[str, str]:
    """Every known name, without accents, to the English name of its month."""
    index: dict[str, str] = {}
    for months in MONTH_NAMES.values():
        for number, names in enumerate(months):
            for name in names.split():
                known = index.setdefault(_plain(name), _ENGLISH[number])
                if known != _ENGLISH[number]:
                    raise AssertionError("a month name stands for two months")
    return index


def english_months(text: str) -> str | None:
    """``text`` with its month name in English, or ``None`` when it names none to rewrite."""
    index = _index()
    found = False
    parts: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        word = match.group()
        key = _plain(word.rstrip("."))
        if key in index:
            replacement = index[key]
            found = True
        elif key in _JOINING:
            replacement = ""
        else:
            continue
        parts.append(text[last : match.start()])
        parts.append(replacement)
        last = match.end()
    if not found:
        return None
    parts.append(text[last:])
    rewritten = _ORDINAL.sub(r"\1", "".join(parts))
    return " ".join(rewritten.split())
