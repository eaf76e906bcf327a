"""People as they are, before rendering: name, place, phones, email and their CRM history."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

import attrs

from crmcore.testing._synthetic_accounts import Org
from crmcore.testing._synthetic_basics import chance, draw_amount, draw_moment, slug, weighted
from crmcore.testing._synthetic_locales import (
    COUNTRIES,
    FREE_MAIL,
    JOBS,
    SOURCES,
    STAGES,
    City,
    Country,
)
from crmcore.testing._synthetic_phones import Phone, draw_phone, draw_wide_phone

__all__ = ["Person", "Unique", "make_person", "unique_email", "unique_phone"]


@attrs.frozen
class Person:
    """A person as they are; rendering turns them into one messy row."""

    country: Country
    given: str
    family: str
    prefix: str | None
    middle: str | None
    birth: date | None
    city: City
    street: str
    phones: tuple[Phone, ...]
    email_local: str
    email_domain: str
    account: int | None
    job: str | None
    stage: str
    lead_source: str
    created: datetime
    has_address: bool
    opens: int | None
    purchases: int | None
    spent: Decimal | None
    nps: int | None


@attrs.define
class Unique:
    """The phone numbers (national digits) and email addresses already given to someone.

    Strangers never share one by chance: a number or address taken is drawn again. Only the
    look-alikes share on purpose (a relative's home landline).
    """

    phones: set[str] = attrs.field(factory=set)
    emails: set[str] = attrs.field(factory=set)


_ATTEMPTS = 30
"""Draws of a phone number in a small block before falling back to a mobile number."""


def unique_phone(
    rng: random.Random, country: Country, city: City, used: Unique, *, mobile: bool
) -> Phone:
    """A number no one has yet: a small block that is full gives way to a wider one."""
    attempt = 0
    while True:
        if attempt < _ATTEMPTS:
            phone = draw_phone(rng, country, city, mobile=mobile)
        else:
            phone = draw_wide_phone(rng, country, city)
        if phone.national not in used.phones:
            used.phones.add(phone.national)
            return phone
        attempt += 1


def unique_email(rng: random.Random, person: Person, used: Unique) -> str:
    """``person``'s email local part, numbered if their address is someone else's."""
    local = person.email_local
    while f"{local}@{person.email_domain}".lower() in used.emails:
        local = f"{person.email_local}{rng.randrange(2, 1000)}"
    used.emails.add(f"{local}@{person.email_domain}".lower())
    return local


def by_country(accounts: Sequence[Org]) -> dict[str, list[Org]]:
    """``accounts`` grouped by country code, each group in their order."""
    groups: dict[str, list[Org]] = {}
    for account in accounts:
        groups.setdefault(account.country.code, []).append(account)
    return groups


def make_person(
    rng: random.Random,
    as_of: datetime,
    accounts: Sequence[Org],
    used: Unique | None = None,
    grouped: Mapping[str, Sequence[Org]] | None = None,
) -> Person:
    """A new person; ``grouped`` is :func:`by_country` of ``accounts``, given by a caller
    making many people so that each does not scan every account."""
    country = weighted(rng, COUNTRIES)
    org: Org | None = None
    if accounts and chance(rng, 0.75):
        if grouped is None:
            grouped = by_country(accounts)
        same = grouped.get(country.code, ())
        org = rng.choice(same) if same and chance(rng, 0.8) else rng.choice(accounts)
    given = rng.choice(country.female if chance(rng, 0.5) else country.male)
    family = rng.choice(country.family)
    if country.code == "ES" and chance(rng, 0.7):
        family = f"{family} {rng.choice([f for f in country.family if f != family])}"
    city = rng.choice(country.cities)
    pool = used if used is not None else Unique()
    phones = [unique_phone(rng, country, city, pool, mobile=chance(rng, 0.5))]
    if chance(rng, 0.2):
        phones.append(unique_phone(rng, country, city, pool, mobile=True))
    local_given, local_family = slug(given), slug(family)
    local = rng.choice(
        (
            f"{local_given}.{local_family}",
            f"{local_given[0]}.{local_family}",
            f"{local_given}_{local_family}",
            f"{local_given[0]}{local_family}",
            f"{local_given}.{local_family}{rng.randrange(60, 99)}",
        )
    )
    domain = org.domain if org is not None and chance(rng, 0.7) else rng.choice(FREE_MAIL)
    created = draw_moment(rng, as_of - timedelta(days=4 * 365), as_of - timedelta(days=20))
    purchases = rng.randrange(0, 25) if chance(rng, 0.5) else None
    person = Person(
        country=country,
        given=given,
        family=family,
        prefix=rng.choice(country.prefixes) if chance(rng, 0.25) else None,
        middle=rng.choice(country.male + country.female)
        if country.code in ("GB", "US") and chance(rng, 0.2)
        else None,
        birth=as_of.date() - timedelta(days=rng.randrange(22 * 365, 70 * 365))
        if chance(rng, 0.4)
        else None,
        city=city,
        street=rng.choice(country.streets).format(n=rng.randrange(1, 180), k=rng.randrange(1, 9)),
        phones=tuple(phones),
        email_local=local,
        email_domain=domain,
        account=org.index if org is not None else None,
        job=rng.choice(JOBS) if chance(rng, 0.6) else None,
        stage=rng.choice(STAGES),
        lead_source=rng.choice(SOURCES),
        created=created,
        has_address=chance(rng, 0.72),
        opens=rng.randrange(0, 80) if chance(rng, 0.6) else None,
        purchases=purchases,
        spent=draw_amount(rng, 20, 9000) if purchases else None,
        nps=rng.randrange(0, 11) if chance(rng, 0.3) else None,
    )
    return attrs.evolve(person, email_local=unique_email(rng, person, pool))
