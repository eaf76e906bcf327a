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

import random
from datetime import datetime

import attrs

from crmcore.testing._synthetic_accounts import Org, make_org, render_account
from crmcore.testing._synthetic_activities import render_activity
from crmcore.testing._synthetic_basics import chance
from crmcore.testing._synthetic_contacts import render_contact
from crmcore.testing._synthetic_deals import render_deal
from crmcore.testing._synthetic_defects import (
    ACCOUNT_DEFECTS,
    ACTIVITY_DEFECTS,
    CONTACT_DEFECTS,
    DEAL_DEFECTS,
    add_defects,
)
from crmcore.testing._synthetic_duplicates import choose_variation
from crmcore.testing._synthetic_mess import Row, write_missing
from crmcore.testing._synthetic_people import make_person

__all__ = ["Dataset", "messy_dataset"]


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
) -> Dataset:
    """Build a messy CRM data set; see the module docstring for what it holds.

    ``seed`` is an integer or a :class:`random.Random` (which is advanced). ``contacts`` counts
    every contact row, duplicates included. ``defect_rate`` is the share of the rows of each
    type (outside the duplicate groups; at least one row when above zero) given a defect that
    conversion refuses; a few more contacts fail on their own, as exports do (a national
    phone with no country to read it in, an email with a trailing space).
    """
    if as_of.utcoffset() is None:
        raise ValueError("as_of must be timezone-aware")
    if min(contacts, accounts, deals, activities) < 0:
        raise ValueError("counts cannot be negative")
    if not 0 <= defect_rate <= 1:
        raise ValueError("defect_rate is a share, from 0 to 1")
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)

    taken: set[str] = set()
    orgs = [make_org(rng, index, taken) for index in range(accounts)]
    account_rows = [render_account(rng, org, orgs, as_of) for org in orgs]

    extra = round(contacts * 0.08) if contacts >= 10 else 0
    people = [make_person(rng, as_of, orgs) for _ in range(contacts - extra)]
    doubled = rng.sample(range(len(people)), min(round(extra * 0.85), len(people)))
    chosen = set(doubled)
    rendered: list[tuple[int, Row]] = [
        (index, render_contact(rng, person, orgs, as_of, clean=index in chosen))
        for index, person in enumerate(people)
    ]
    for position in range(extra if doubled else 0):
        index = doubled[position] if position < len(doubled) else rng.choice(doubled)
        variation = choose_variation(rng, people[index])
        row = render_contact(rng, people[index], orgs, as_of, variation, clean=True)
        rendered.append((index, row))
    rng.shuffle(rendered)
    groups: dict[int, list[str]] = {}
    by_account: dict[int, list[str]] = {}
    contact_rows: list[Row] = []
    for position, (index, row) in enumerate(rendered):
        row["id"] = f"CON-{position + 1:05d}"
        contact_rows.append(row)
        if index in chosen:
            groups.setdefault(index, []).append(row["id"])
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
    contact_countries = [(row["id"], people[index].country) for index, row in rendered]
    for index in range(activities):
        contact = rng.choice(contact_countries) if contact_countries else None
        if contact is not None and chance(rng, 0.01):
            contact = (f"CON-{_missing(80000, contacts) + index:05d}", contact[1])
        deal = rng.randrange(len(deal_rows)) if deal_rows and chance(rng, 0.3) else None
        deal_id = deal_rows[deal]["id"] if deal is not None else None
        account_id = deal_accounts[deal].id if deal is not None else None
        activity_rows.append(render_activity(rng, index, contact, deal_id, account_id, as_of))

    ungrouped = [i for i, (index, _) in enumerate(rendered) if index not in chosen]
    add_defects(rng, contact_rows, ungrouped, defect_rate, CONTACT_DEFECTS)
    add_defects(rng, account_rows, range(len(account_rows)), defect_rate, ACCOUNT_DEFECTS)
    add_defects(rng, deal_rows, range(len(deal_rows)), defect_rate, DEAL_DEFECTS)
    add_defects(rng, activity_rows, range(len(activity_rows)), defect_rate, ACTIVITY_DEFECTS)

    def finish(rows: list[Row]) -> tuple[Row, ...]:
        return tuple(write_missing(row, sparse=chance(rng, 0.5)) for row in rows)

    known = tuple(sorted(tuple(sorted(ids)) for ids in groups.values()))
    return Dataset(
        as_of=as_of,
        contacts=finish(contact_rows),
        accounts=finish(account_rows),
        deals=finish(deal_rows),
        activities=finish(activity_rows),
        known_duplicates=known,
    )
