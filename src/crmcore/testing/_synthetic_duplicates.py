"""Known duplicates: how a person's second row differs from the first."""

from __future__ import annotations

import random

import attrs

from crmcore.testing._synthetic_basics import strip_accents
from crmcore.testing._synthetic_people import Person

__all__ = ["Variation", "add_typo", "choose_variation"]


@attrs.frozen
class Variation:
    """How a duplicate row differs from the person's first row."""

    nickname: bool = False
    typo: bool = False
    no_email: bool = False
    other_phone_format: bool = False
    upper: bool = False
    no_accents: bool = False


def add_typo(rng: random.Random, text: str) -> str:
    positions = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not positions:
        return text + text[-1]
    i = rng.choice(positions)
    swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    dropped = text[:i] + text[i + 1 :]
    doubled = text[:i] + text[i] + text[i:]
    return rng.choice((swapped if swapped != text else dropped, dropped, doubled))


def choose_variation(rng: random.Random, person: Person) -> Variation:
    """One to three variations that visibly apply to ``person``."""
    names = ["typo", "no_email", "other_phone_format", "upper"]
    if person.given in person.country.nicknames:
        names.append("nickname")
    if strip_accents(person.given + person.family) != person.given + person.family:
        names.append("no_accents")
    chosen = rng.sample(names, rng.randrange(1, 4))
    return Variation(**{name: name in chosen for name in names})
