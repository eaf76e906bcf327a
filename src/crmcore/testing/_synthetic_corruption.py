"""The corruption model of known duplicates, its difficulty presets, and hard negatives.

A duplicate is the same person entered again: the changes :class:`Corruption` draws turn the
person's first record into the second (a nickname, a typo, names swapped, a birth date with
day and month swapped, a new email, a move ...). Each applied change is named by a *kind*, and
every pair of rows of a group is labelled with the kinds that separate them. Hard negatives are
other people who look alike: relatives sharing an address and a family name, twins sharing a
birth date too, namesakes sharing the whole name.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from types import MappingProxyType

import attrs

from crmcore.testing._synthetic_accounts import Org
from crmcore.testing._synthetic_basics import chance, draw_amount, draw_moment, slug
from crmcore.testing._synthetic_duplicates import Variation, add_typo
from crmcore.testing._synthetic_locales import FREE_MAIL
from crmcore.testing._synthetic_people import Person, Unique, unique_email, unique_phone

__all__ = [
    "CORRUPTION_KINDS",
    "DIFFICULTIES",
    "EASY",
    "HARD",
    "HARD_NEGATIVE_KINDS",
    "MEDIUM",
    "Corruption",
    "corrupt",
    "entered_again",
    "look_alike",
]

CORRUPTION_KINDS: tuple[str, ...] = (
    "nickname",
    "typo_given",
    "typo_family",
    "swapped_names",
    "no_accents",
    "upper",
    "no_email",
    "new_email",
    "phone_format",
    "no_phone",
    "new_phone",
    "date_swap",
    "date_typo",
    "no_birth_date",
    "moved",
    "address_format",
    "no_address",
)
"""Every kind of change a duplicate can carry, in a fixed order."""

HARD_NEGATIVE_KINDS: tuple[str, ...] = ("relative", "twin", "namesake")
"""The kinds of look-alike strangers: same family and address; same birth date too; same name."""


def _share(value: float, field: str) -> float:
    if not 0 <= value <= 1:
        raise ValueError(f"{field} is a share, from 0 to 1")
    return float(value)


def _checked(instance: Corruption, attribute: attrs.Attribute[float], value: float) -> None:
    _share(value, attribute.name)


@attrs.frozen(kw_only=True)
class Corruption:
    """The chance of each kind of change on a duplicate, and how many rows are look-alikes.

    Each field named after a kind of :data:`CORRUPTION_KINDS` is the chance that a duplicate
    carries it; a duplicate that drew none carries one anyway (``upper`` or ``phone_format``),
    so that no duplicate is a verbatim copy. ``duplicates`` is the share of contact rows that
    are extra copies; ``hard_negatives`` the share that are look-alike strangers;
    ``account_duplicates`` the share of account rows that are the same organisation again.
    """

    nickname: float = attrs.field(default=0.3, validator=_checked)
    typo_given: float = attrs.field(default=0.1, validator=_checked)
    typo_family: float = attrs.field(default=0.2, validator=_checked)
    swapped_names: float = attrs.field(default=0.05, validator=_checked)
    no_accents: float = attrs.field(default=0.2, validator=_checked)
    upper: float = attrs.field(default=0.15, validator=_checked)
    no_email: float = attrs.field(default=0.2, validator=_checked)
    new_email: float = attrs.field(default=0.1, validator=_checked)
    phone_format: float = attrs.field(default=0.3, validator=_checked)
    no_phone: float = attrs.field(default=0.1, validator=_checked)
    new_phone: float = attrs.field(default=0.05, validator=_checked)
    date_swap: float = attrs.field(default=0.05, validator=_checked)
    date_typo: float = attrs.field(default=0.05, validator=_checked)
    no_birth_date: float = attrs.field(default=0.1, validator=_checked)
    moved: float = attrs.field(default=0.05, validator=_checked)
    address_format: float = attrs.field(default=0.2, validator=_checked)
    no_address: float = attrs.field(default=0.1, validator=_checked)
    duplicates: float = attrs.field(default=0.08, validator=_checked)
    hard_negatives: float = attrs.field(default=0.03, validator=_checked)
    account_duplicates: float = attrs.field(default=0.05, validator=_checked)

    def chance_of(self, kind: str) -> float:
        """The chance of ``kind``, one of :data:`CORRUPTION_KINDS`."""
        if kind not in CORRUPTION_KINDS:
            raise ValueError("not a kind of change of a duplicate")
        return float(getattr(self, kind))


EASY = Corruption(
    nickname=0.15,
    typo_given=0.0,
    typo_family=0.1,
    swapped_names=0.0,
    no_accents=0.15,
    upper=0.2,
    no_email=0.05,
    new_email=0.0,
    phone_format=0.4,
    no_phone=0.05,
    new_phone=0.0,
    date_swap=0.0,
    date_typo=0.0,
    no_birth_date=0.05,
    moved=0.0,
    address_format=0.2,
    no_address=0.05,
    hard_negatives=0.01,
)
"""Duplicates that keep most identifiers: an exact email or phone links most of them."""

MEDIUM = Corruption()
"""The default: a realistic mix, with some swapped names, date swaps and moves."""

HARD = Corruption(
    nickname=0.4,
    typo_given=0.2,
    typo_family=0.35,
    swapped_names=0.15,
    no_accents=0.3,
    upper=0.2,
    no_email=0.4,
    new_email=0.25,
    phone_format=0.3,
    no_phone=0.3,
    new_phone=0.2,
    date_swap=0.15,
    date_typo=0.15,
    no_birth_date=0.2,
    moved=0.2,
    address_format=0.3,
    no_address=0.2,
    hard_negatives=0.06,
    account_duplicates=0.08,
)
"""Duplicates that share few identifiers, among many look-alike strangers."""

DIFFICULTIES: Mapping[str, Corruption] = MappingProxyType(
    {"easy": EASY, "medium": MEDIUM, "hard": HARD}
)
"""The three presets, by name."""

_ABBREVIATIONS = (
    ("Street", "St"),
    ("Avenue", "Ave"),
    ("Road", "Rd"),
    ("Lane", "Ln"),
    ("Straße", "Str."),
    ("strasse", "str."),
    ("Rue", "R."),
    ("Boulevard", "Bd"),
    ("Calle", "C/"),
    ("Avenida", "Av."),
    ("Via", "V."),
)


def _reformatted(street: str) -> str:
    for long, short in _ABBREVIATIONS:
        if long in street:
            return street.replace(long, short, 1)
    return street.lower() if street != street.lower() else street.upper()


def _swapped(born: date) -> date | None:
    if born.day > 12 or born.day == born.month:
        return None
    try:
        return born.replace(month=born.day, day=born.month)
    except ValueError:
        return None


def _one_digit_wrong(rng: random.Random, born: date) -> date:
    for _ in range(20):
        text = born.strftime("%Y%m%d")
        position = rng.randrange(2, 8)  # never the millennium or the century
        digit = str((int(text[position]) + rng.randrange(1, 10)) % 10)
        changed = text[:position] + digit + text[position + 1 :]
        try:
            found = datetime.strptime(changed, "%Y%m%d").date()
        except ValueError:
            continue
        if found != born:
            return found
    return born + timedelta(days=1)


def entered_again(rng: random.Random, person: Person, as_of: datetime) -> Person:
    """``person`` entered a second time: a later ``created``, and figures of its own.

    A record entered again is a record of its own: it was created later, and its counters
    (emails opened, purchases, amount spent, NPS) count what happened on it.
    """
    start = person.created + timedelta(days=1)
    end = as_of - timedelta(days=1)
    created = draw_moment(rng, start, end) if end > start else person.created
    purchases = rng.randrange(0, 10) if chance(rng, 0.4) else None
    return attrs.evolve(
        person,
        created=created,
        opens=rng.randrange(0, 40) if chance(rng, 0.5) else None,
        purchases=purchases,
        spent=draw_amount(rng, 20, 4000) if purchases else None,
        nps=rng.randrange(0, 11) if chance(rng, 0.2) else None,
    )


def corrupt(
    rng: random.Random, person: Person, model: Corruption, used: Unique
) -> tuple[Person, Variation, tuple[str, ...]]:
    """The person of a duplicate row, the rendering changes, and the kinds applied (sorted)."""
    kinds: list[str] = []

    def draw(kind: str, applies: bool = True) -> bool:
        if applies and chance(rng, model.chance_of(kind)):
            kinds.append(kind)
            return True
        return False

    changed = person
    nickname = draw("nickname", person.given in person.country.nicknames)
    if draw("typo_given", len(person.given) > 3 and not nickname):
        changed = attrs.evolve(changed, given=add_typo(rng, changed.given))
    typo = draw("typo_family", len(person.family) > 3)
    if draw("swapped_names"):
        changed = attrs.evolve(changed, given=changed.family, family=changed.given)
    accents = person.given + person.family
    no_accents = draw("no_accents", slug(accents) != accents.lower().replace(" ", ""))
    upper = draw("upper")
    if draw("new_email"):
        changed = attrs.evolve(
            changed, email_domain=rng.choice(FREE_MAIL), email_local=changed.email_local + "2"
        )
        changed = attrs.evolve(changed, email_local=unique_email(rng, changed, used))
    no_email = "new_email" not in kinds and draw("no_email")
    if draw("no_phone", bool(person.phones)):
        changed = attrs.evolve(changed, phones=())
    elif draw("new_phone"):
        phone = unique_phone(rng, changed.country, changed.city, used, mobile=True)
        changed = attrs.evolve(changed, phones=(phone,))
    phone_format = draw("phone_format", bool(changed.phones))
    if person.birth is not None:
        if draw("no_birth_date"):
            changed = attrs.evolve(changed, birth=None)
        elif (swapped := _swapped(person.birth)) is not None and draw("date_swap"):
            changed = attrs.evolve(changed, birth=swapped)
        elif draw("date_typo"):
            changed = attrs.evolve(changed, birth=_one_digit_wrong(rng, person.birth))
    if person.has_address:
        if draw("no_address"):
            changed = attrs.evolve(changed, has_address=False)
        elif draw("moved"):
            city = rng.choice(person.country.cities)
            street = rng.choice(person.country.streets).format(
                n=rng.randrange(1, 180), k=rng.randrange(1, 9)
            )
            changed = attrs.evolve(changed, city=city, street=street)
        elif draw("address_format"):
            changed = attrs.evolve(changed, street=_reformatted(person.street))
    if not kinds:  # never a verbatim copy
        upper = not changed.phones
        phone_format = bool(changed.phones)
        kinds.append("upper" if upper else "phone_format")
    variation = Variation(
        nickname=nickname,
        typo=typo,
        no_email=no_email,
        other_phone_format=phone_format,
        upper=upper,
        no_accents=no_accents,
    )
    return changed, variation, tuple(sorted(kinds))


def look_alike(
    rng: random.Random,
    person: Person,
    kind: str,
    as_of: datetime,
    orgs: Sequence[Org],
    used: Unique,
) -> Person:
    """A stranger who looks like ``person``: a ``relative``, a ``twin`` or a ``namesake``."""
    country = person.country
    created = draw_moment(rng, as_of - timedelta(days=4 * 365), as_of - timedelta(days=20))
    if kind == "namesake":
        city = rng.choice(country.cities)
        other = attrs.evolve(
            person,
            city=city,
            street=rng.choice(country.streets).format(
                n=rng.randrange(1, 180), k=rng.randrange(1, 9)
            ),
            birth=_other_birth(rng, person.birth, as_of),
            account=rng.randrange(len(orgs)) if orgs and chance(rng, 0.6) else None,
            email_domain=rng.choice(FREE_MAIL),
            created=created,
        )
    elif kind in ("relative", "twin"):
        names = [name for name in (*country.female, *country.male) if name != person.given]
        birth = person.birth if kind == "twin" else _other_birth(rng, person.birth, as_of)
        if kind == "twin" and birth is None:
            birth = as_of.date() - timedelta(days=rng.randrange(22 * 365, 60 * 365))
        other = attrs.evolve(
            person,
            given=rng.choice(names),
            middle=None,
            birth=birth,
            has_address=True,
            account=None,
            email_domain=rng.choice(FREE_MAIL),
            created=created,
        )
    else:
        raise ValueError("not a kind of look-alike")
    landline = [phone for phone in person.phones if kind != "namesake" and chance(rng, 0.5)]
    own = unique_phone(rng, country, other.city, used, mobile=True)
    other = attrs.evolve(other, phones=(*landline[:1], own), email_local=slug(other.given))
    local = f"{slug(other.given)}.{slug(other.family)}"
    other = attrs.evolve(other, email_local=local)
    return attrs.evolve(other, email_local=unique_email(rng, other, used))


def _other_birth(rng: random.Random, born: date | None, as_of: datetime) -> date | None:
    if born is None:
        return (
            None if chance(rng, 0.5) else as_of.date() - timedelta(days=rng.randrange(8000, 25000))
        )
    shift = timedelta(days=rng.choice((-1, 1)) * rng.randrange(3 * 365, 30 * 365))
    found = born + shift
    latest = as_of.date() - timedelta(days=18 * 365)
    return min(found, latest)
