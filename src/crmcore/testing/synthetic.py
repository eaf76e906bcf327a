"""Deterministic, realistic and *messy* CRM input: the raw dicts users feed ``from_dict``.

:func:`messy_dataset` builds contacts, accounts, deals and activities the way exports from
real CRMs look: names in capitals or lower case with stray spaces, particles and accents from
six European countries and the United States; emails in mixed case; phones written in each
country's national style or internationally; countries by name in several languages or by
code; dates in ISO, day-first, dotted and spelled-out forms, some with two-digit years;
numbers as strings; empty strings for missing values; enum values in any case; money as
``"1200.50 EUR"`` or as a mapping. About 8% of the contact rows are the same person entered
again with variations (case, a nickname, a typo, another phone format, no email); the groups
are listed in :attr:`Dataset.known_duplicates`. A few rows carry a defect that conversion
refuses (an invalid email, an unreadable phone, an impossible date, an unknown enum value, a
time with no timezone, an amount with no currency ...), and about 1% of references point to
records that do not exist.

All data is fictional. Landline numbers come from blocks reserved for fiction where a country
has them and phonenumbers still reads them as valid (UK 020 7946 0xxx and 0113 496 0xxx, US
555-01xx, France 01 99 00 xx xx and its regional twins); the reserved mobile blocks (UK
07700 900xxx, France 06 39 98 xx xx) are not valid numbers, so mobiles and the numbers of
other countries are random but well-formed. Email domains end in the reserved ``.example`` or
are ``example.com``, ``.org`` and ``.net``.

Everything follows from the seed (or the :class:`random.Random` given) and ``as_of``: the same
arguments give the same data set, and nothing reads the clock.

>>> from datetime import datetime, timezone
>>> data = messy_dataset(7, datetime(2026, 11, 1, tzinfo=timezone.utc), contacts=40,
...                      accounts=8, deals=10, activities=20)
>>> len(data.contacts), len(data.accounts), len(data.deals), len(data.activities)
(40, 8, 10, 20)
>>> data == messy_dataset(7, datetime(2026, 11, 1, tzinfo=timezone.utc), contacts=40,
...                       accounts=8, deals=10, activities=20)
True
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from datetime import datetime

import attrs

from crmcore.testing._synthetic_accounts import Org, make_org, render_account
from crmcore.testing._synthetic_activities import render_activity
from crmcore.testing._synthetic_basics import chance
from crmcore.testing._synthetic_contacts import render_contact
from crmcore.testing._synthetic_corruption import (
    CORRUPTION_KINDS,
    DIFFICULTIES,
    EASY,
    HARD,
    HARD_NEGATIVE_KINDS,
    MEDIUM,
    Corruption,
    corrupt,
    entered_again,
    look_alike,
)
from crmcore.testing._synthetic_deals import render_deal
from crmcore.testing._synthetic_defects import (
    ACCOUNT_DEFECTS,
    ACTIVITY_DEFECTS,
    CONTACT_DEFECTS,
    DEAL_DEFECTS,
    add_defects,
)
from crmcore.testing._synthetic_duplicates import Variation, add_typo, choose_variation
from crmcore.testing._synthetic_mess import Row, write_missing
from crmcore.testing._synthetic_people import Person, Unique, by_country, make_person

__all__ = [
    "CORRUPTION_KINDS",
    "DIFFICULTIES",
    "EASY",
    "HARD",
    "HARD_NEGATIVE_KINDS",
    "MEDIUM",
    "Corruption",
    "Dataset",
    "LabelledPair",
    "messy_dataset",
]


@attrs.frozen
class LabelledPair:
    """Two contact ids (``left < right``) and what relates them.

    For a known duplicate, ``kinds`` are the changes of :data:`CORRUPTION_KINDS` that separate
    the two rows; for a hard negative, one of :data:`HARD_NEGATIVE_KINDS`.
    """

    left: str
    right: str
    kinds: tuple[str, ...]


@attrs.frozen
class Dataset:
    """A messy CRM data set: raw input rows per record type and the known duplicate contacts.

    ``known_duplicates`` holds groups of contact ids (sorted, each of two or more) that are the
    same person; groups are sorted by their first id. ``as_of`` is the instant the data was
    made for: no event lies after it except planned activities and expected closing dates.
    """

    as_of: datetime
    contacts: tuple[Row, ...]
    accounts: tuple[Row, ...]
    deals: tuple[Row, ...]
    activities: tuple[Row, ...]
    known_duplicates: tuple[tuple[str, ...], ...]
    duplicate_pairs: tuple[LabelledPair, ...] = ()
    hard_negatives: tuple[LabelledPair, ...] = ()
    known_account_duplicates: tuple[tuple[str, ...], ...] = ()

    def pairs_of_kind(self, kind: str) -> tuple[tuple[str, str], ...]:
        """The known duplicate pairs that ``kind`` (such as ``"swapped_names"``) separates."""
        return tuple((p.left, p.right) for p in self.duplicate_pairs if kind in p.kinds)


def _missing(floor: int, count: int) -> int:
    """The first number of the ids that dangling references use: past every real id."""
    return max(floor, count + 1)


def messy_dataset(
    seed: int | random.Random,
    as_of: datetime,
    *,
    contacts: int = 300,
    accounts: int = 60,
    deals: int = 120,
    activities: int = 400,
    defect_rate: float = 0.03,
    difficulty: str | Corruption | None = None,
) -> Dataset:
    """Build a messy CRM data set; see the module docstring for what it holds.

    ``seed`` is an integer or a :class:`random.Random` (which is advanced). ``contacts`` counts
    every contact row, duplicates included. ``defect_rate`` is the share of the rows of each
    type (outside the duplicate groups; at least one row when above zero) given a defect that
    conversion refuses; a few more contacts fail on their own, as exports do (a national
    phone with no country to read it in, an email with a trailing space).

    ``difficulty`` picks how duplicates differ: ``None``, the classic mix (one to three of a
    nickname, a family-name typo, no email, another phone format, capitals, no accents); a
    preset of :data:`DIFFICULTIES` (``"easy"``, ``"medium"``, ``"hard"``) or a
    :class:`Corruption` of your own, which adds swapped names, date swaps and typos, missing
    fields, reformatted addresses, moves, new emails and phones, duplicate accounts and hard
    negatives (relatives, twins, namesakes). Every pair is labelled in
    :attr:`Dataset.duplicate_pairs` and :attr:`Dataset.hard_negatives`. Whatever the
    difficulty, a duplicate was entered on its own day with its own figures, and strangers
    never share a phone number or an email address by chance.
    """
    if as_of.utcoffset() is None:
        raise ValueError("as_of must be timezone-aware")
    if min(contacts, accounts, deals, activities) < 0:
        raise ValueError("counts cannot be negative")
    if not 0 <= defect_rate <= 1:
        raise ValueError("defect_rate is a share, from 0 to 1")
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    model = _model(difficulty)

    taken: set[str] = set()
    account_copies = round(accounts * model.account_duplicates) if model and accounts >= 10 else 0
    orgs = [make_org(rng, index, taken) for index in range(accounts - account_copies)]
    account_rows = [render_account(rng, org, orgs, as_of) for org in orgs]
    account_groups = _copy_accounts(rng, orgs, account_copies, account_rows, as_of)

    used = Unique()
    rate = model.duplicates if model is not None else 0.08
    extra = round(contacts * rate) if contacts >= 10 else 0
    alike = round(contacts * model.hard_negatives) if model is not None and contacts >= 10 else 0
    grouped = by_country(orgs)
    people = [make_person(rng, as_of, orgs, used, grouped) for _ in range(contacts - extra - alike)]
    negatives: list[tuple[int, int, str]] = []
    for _ in range(alike if people else 0):
        base = rng.randrange(len(people))
        kind = rng.choice(HARD_NEGATIVE_KINDS)
        people.append(look_alike(rng, people[base], kind, as_of, orgs, used))
        negatives.append((base, len(people) - 1, kind))
    doubled = rng.sample(range(len(people)), min(round(extra * 0.85), len(people)))
    chosen = set(doubled)
    rendered: list[tuple[int, Row, tuple[str, ...]]] = [
        (index, render_contact(rng, person, orgs, as_of, clean=index in chosen), ())
        for index, person in enumerate(people)
    ]
    for position in range(extra if doubled else 0):
        index = doubled[position] if position < len(doubled) else rng.choice(doubled)
        person, variation, kinds = _duplicate(rng, people[index], model, used)
        person = entered_again(rng, person, as_of)
        row = render_contact(rng, person, orgs, as_of, variation, clean=True)
        rendered.append((index, row, kinds))
    rng.shuffle(rendered)
    groups: dict[int, list[tuple[str, tuple[str, ...]]]] = {}
    rows_of: dict[int, list[str]] = {}
    by_account: dict[int, list[str]] = {}
    contact_rows: list[Row] = []
    for position, (index, row, kinds) in enumerate(rendered):
        row["id"] = f"CON-{position + 1:05d}"
        contact_rows.append(row)
        rows_of.setdefault(index, []).append(row["id"])
        if index in chosen:
            groups.setdefault(index, []).append((row["id"], kinds))
        account = people[index].account
        if account is not None:
            by_account.setdefault(account, []).append(row["id"])

    deal_rows: list[Row] = []
    deal_accounts: list[Org] = []
    for index in range(deals if orgs else 0):
        org = rng.choice(orgs)
        pool = by_account.get(org.index, [])
        refs = rng.sample(pool, min(len(pool), rng.randrange(1, 3))) if pool else []
        if chance(rng, 0.01):
            refs.append(f"CON-{_missing(90000, contacts) + index:05d}")
        deal_rows.append(render_deal(rng, index, org, refs, as_of, _missing(9000, accounts)))
        deal_accounts.append(org)

    activity_rows: list[Row] = []
    contact_countries = [(row["id"], people[index].country) for index, row, _ in rendered]
    for index in range(activities):
        contact = rng.choice(contact_countries) if contact_countries else None
        if contact is not None and chance(rng, 0.01):
            contact = (f"CON-{_missing(80000, contacts) + index:05d}", contact[1])
        deal = rng.randrange(len(deal_rows)) if deal_rows and chance(rng, 0.3) else None
        deal_id = deal_rows[deal]["id"] if deal is not None else None
        account_id = deal_accounts[deal].id if deal is not None else None
        activity_rows.append(render_activity(rng, index, contact, deal_id, account_id, as_of))

    ungrouped = [i for i, (index, _, _) in enumerate(rendered) if index not in chosen]
    add_defects(rng, contact_rows, ungrouped, defect_rate, CONTACT_DEFECTS)
    add_defects(rng, account_rows, range(len(account_rows)), defect_rate, ACCOUNT_DEFECTS)
    add_defects(rng, deal_rows, range(len(deal_rows)), defect_rate, DEAL_DEFECTS)
    add_defects(rng, activity_rows, range(len(activity_rows)), defect_rate, ACTIVITY_DEFECTS)

    def finish(rows: list[Row]) -> tuple[Row, ...]:
        return tuple(write_missing(row, sparse=chance(rng, 0.5)) for row in rows)

    known = tuple(sorted(tuple(sorted(i for i, _ in members)) for members in groups.values()))
    return Dataset(
        as_of=as_of,
        contacts=finish(contact_rows),
        accounts=finish(account_rows),
        deals=finish(deal_rows),
        activities=finish(activity_rows),
        known_duplicates=known,
        duplicate_pairs=_labelled(groups.values()),
        hard_negatives=_negatives(negatives, rows_of),
        known_account_duplicates=account_groups,
    )


def _model(difficulty: object) -> Corruption | None:
    if difficulty is None or isinstance(difficulty, Corruption):
        return difficulty
    if isinstance(difficulty, str) and difficulty in DIFFICULTIES:
        return DIFFICULTIES[difficulty]
    raise ValueError("difficulty is None, a Corruption or one of: easy, medium, hard")


_CLASSIC = {
    "nickname": "nickname",
    "typo": "typo_family",
    "no_email": "no_email",
    "other_phone_format": "phone_format",
    "upper": "upper",
    "no_accents": "no_accents",
}


def _duplicate(
    rng: random.Random, person: Person, model: Corruption | None, used: Unique
) -> tuple[Person, Variation, tuple[str, ...]]:
    if model is not None:
        return corrupt(rng, person, model, used)
    variation = choose_variation(rng, person)
    kinds = tuple(sorted(kind for name, kind in _CLASSIC.items() if getattr(variation, name)))
    return person, variation, kinds


def _labelled(
    groups: Iterable[list[tuple[str, tuple[str, ...]]]],
) -> tuple[LabelledPair, ...]:
    pairs = []
    for members in groups:
        for (a, kinds_a), (b, kinds_b) in itertools.combinations(members, 2):
            left, right = sorted((a, b))
            pairs.append(LabelledPair(left, right, tuple(sorted({*kinds_a, *kinds_b}))))
    return tuple(sorted(pairs, key=lambda pair: (pair.left, pair.right)))


def _negatives(
    negatives: list[tuple[int, int, str]], rows_of: dict[int, list[str]]
) -> tuple[LabelledPair, ...]:
    pairs = {
        (*sorted((a, b)), kind)
        for base, other, kind in negatives
        for a in rows_of.get(base, ())
        for b in rows_of.get(other, ())
    }
    return tuple(LabelledPair(left, right, (kind,)) for left, right, kind in sorted(pairs))


def _copy_accounts(
    rng: random.Random, orgs: list[Org], copies: int, rows: list[Row], as_of: datetime
) -> tuple[tuple[str, ...], ...]:
    """Add ``copies`` account rows that are organisations of ``orgs`` entered again."""
    groups: dict[str, list[str]] = {}
    for number in range(copies if orgs else 0):
        org = rng.choice(orgs)
        suffix = rng.choice(org.country.company_suffixes)
        name = rng.choice(
            (org.name.upper(), f"{org.name} {suffix}", add_typo(rng, org.name), org.name.lower())
        )
        copy = attrs.evolve(org, id=f"ACC-{len(orgs) + number + 1:04d}", name=name)
        rows.append(render_account(rng, copy, orgs, as_of))
        groups.setdefault(org.id, [org.id]).append(copy.id)
    return tuple(sorted(tuple(sorted(ids)) for ids in groups.values()))
