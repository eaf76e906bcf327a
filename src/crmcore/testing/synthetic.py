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
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from crmcore.testing._synthetic_locales import (
    BAND_NAMES,
    CHANNELS,
    CLOSED,
    COUNTRIES,
    FICTIONAL,
    FR,
    FREE_MAIL,
    INDUSTRIES,
    JOBS,
    KINDS,
    MONTHS,
    MOTIVATIONS,
    NOTES,
    OWNERS,
    PAINS,
    PIPELINES,
    PRODUCTS,
    SOURCES,
    STAGES,
    STEMS,
    SUBJECTS,
    TRADES,
    City,
    Country,
)

__all__ = ["Dataset", "messy_dataset"]

T = TypeVar("T")
Row = dict[str, Any]


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


# -- small helpers ---------------------------------------------------------------------------


def _weighted(rng: random.Random, items: Sequence[tuple[T, int]]) -> T:
    total = sum(weight for _, weight in items)
    pick = rng.randrange(total)
    for item, weight in items:
        pick -= weight
        if pick < 0:
            return item
    raise AssertionError("unreachable")


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _slug(text: str) -> str:
    return "".join(char for char in _ascii(text).lower() if char.isalnum())


def _digits(rng: random.Random, pattern: str) -> str:
    return "".join(str(rng.randrange(10)) if char == "#" else char for char in pattern)


def _vary_case(rng: random.Random, text: str) -> str:
    """Mostly as is; sometimes in capitals, lower case or with stray spaces."""
    roll = rng.random()
    if roll < 0.08:
        return text.upper()
    if roll < 0.13:
        return text.lower()
    if roll < 0.19:
        return rng.choice((f" {text}", f"{text} ", f"{text}  ", text.replace(" ", "  ", 1)))
    return text


def _vary_enum(rng: random.Random, value: str) -> str:
    """An enum value as people type it: ``customer``, ``LEAD``, ``Sales-Qualified``, ..."""
    words = value.split("_")
    return rng.choice(
        (
            value,
            value,
            value.upper(),
            " ".join(word.capitalize() for word in words),
            "-".join(word.capitalize() for word in words),
            value.replace("_", " "),
        )
    )


def _number(rng: random.Random, value: int) -> int | str:
    """A count as a number or as text, as spreadsheets export it."""
    return str(value) if _chance(rng, 0.4) else value


def _money(rng: random.Random, amount: Decimal, currency: str) -> Any:
    text = f"{amount:.2f}"
    return rng.choice(
        (
            f"{text} {currency}",
            f"{text} {currency}",
            f"{currency} {text}",
            f"{text} {currency.lower()}",
            {"amount": text, "currency": currency},
            {"amount": float(text), "currency": currency.lower()},
        )
    )


def _amount(rng: random.Random, low: int, high: int, cents: bool = True) -> Decimal:
    whole = rng.randrange(low, high)
    return Decimal(f"{whole}.{rng.randrange(100):02d}") if cents else Decimal(whole)


# -- dates -----------------------------------------------------------------------------------


def _format_date(rng: random.Random, day: date, style: str, two_digit: bool = False) -> str:
    month = MONTHS[day.month - 1]
    if style == "us":
        forms = [
            day.isoformat(),
            f"{month} {day.day}, {day.year}",
            f"{month[:3]} {day.day}, {day.year}",
        ]
        if day.day > 12:
            forms.append(f"{day.month:02d}/{day.day:02d}/{day.year}")
        return rng.choice(forms)
    year = f"{day.year % 100:02d}" if two_digit else str(day.year)
    dmy = f"{day.day:02d}{style}{day.month:02d}{style}{year}"
    if two_digit:
        return dmy
    return rng.choice(
        (
            dmy,
            dmy,
            day.isoformat(),
            f"{day.day}{style}{day.month}{style}{day.year}",
            f"{day.day} {month} {day.year}",
            f"{month} {day.day}, {day.year}",
        )
    )


def _offset(country: Country, moment: datetime) -> timezone:
    summer = 4 <= moment.month <= 10
    return timezone(timedelta(hours=country.utc_offset + (1 if summer else 0)))


def _format_instant(rng: random.Random, moment: datetime, country: Country) -> str:
    """An instant with its offset, as an ISO string or as a day-first or US local form."""
    local = moment.astimezone(_offset(country, moment))
    roll = rng.random()
    if roll < 0.45:
        return local.isoformat(timespec="seconds")
    if roll < 0.65:
        return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    if roll < 0.85:
        return local.isoformat(sep=" ", timespec="seconds")
    offset = local.strftime("%z")
    if country.date_style == "us":
        month = MONTHS[local.month - 1]
        return f"{month} {local.day}, {local.year} {local:%H:%M} {offset}"
    sep = country.date_style
    return f"{local.day:02d}{sep}{local.month:02d}{sep}{local.year} {local:%H:%M} {offset}"


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A whole minute in ``[start, end)``."""
    minutes = int((end - start).total_seconds()) // 60
    return start.replace(second=0, microsecond=0) + timedelta(
        minutes=rng.randrange(max(minutes, 1))
    )


# -- phones ----------------------------------------------------------------------------------


@attrs.frozen
class _Phone:
    country: Country
    national: str  # national digits, trunk prefix included
    groups: tuple[int, ...]

    def grouped(self) -> list[str]:
        out, start = [], 0
        for size in self.groups:
            out.append(self.national[start : start + size])
            start += size
        return out

    def international(self, rng: random.Random, *, idd: bool) -> str:
        """The number with its country code; ``idd`` allows the ``00`` form, read in a region."""
        parts = self.grouped()
        trunk = self.country.trunk
        if trunk and parts[0].startswith(trunk):
            parts[0] = parts[0][len(trunk) :]
        cc = self.country.calling_code
        if trunk and _chance(rng, 0.2):
            return f"+{cc} ({trunk}){' '.join(parts)}"
        if idd and cc != "1" and _chance(rng, 0.15):
            return f"00{cc} {' '.join(parts)}"
        return f"+{cc} {' '.join(parts)}"

    def national_form(self, rng: random.Random) -> str:
        parts = self.grouped()
        if self.country.code == "US":
            area, exchange, line = parts
            return rng.choice(
                (
                    f"({area}) {exchange}-{line}",
                    f"{area}-{exchange}-{line}",
                    f"{area}.{exchange}.{line}",
                    f"1-{area}-{exchange}-{line}",
                )
            )
        separator = rng.choice((" ", " ", ".", "-", ""))
        if len(parts) > 1 and _chance(rng, 0.15):
            return f"({parts[0]}) {' '.join(parts[1:])}"
        if self.country.code == "DE" and _chance(rng, 0.3):
            return f"{parts[0]}/{''.join(parts[1:])}"
        return separator.join(parts)


def _phone(rng: random.Random, country: Country, city: City, mobile: bool) -> _Phone:
    if mobile:
        prefix = rng.choice(country.mobile_prefixes)
        length, groups = country.mobile_shape
    else:
        prefix, length, groups = city.phone
    rest = length - len(prefix)
    if prefix in FICTIONAL:  # any digits after a block reserved for fiction
        digits = prefix + _digits(rng, "#" * rest)
    else:  # a subscriber number does not start with 0
        digits = prefix + str(rng.randrange(1, 10)) + _digits(rng, "#" * (rest - 1))
    return _Phone(country, digits, groups)


# -- people ----------------------------------------------------------------------------------


@attrs.frozen
class _Person:
    """A person as they are; rendering turns them into one messy row."""

    country: Country
    given: str
    family: str
    prefix: str | None
    middle: str | None
    birth: date | None
    city: City
    street: str
    phones: tuple[_Phone, ...]
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


def _make_person(rng: random.Random, as_of: datetime, accounts: Sequence[_Org]) -> _Person:
    country = _weighted(rng, COUNTRIES)
    org: _Org | None = None
    if accounts and _chance(rng, 0.75):
        same = [a for a in accounts if a.country is country]
        org = rng.choice(same) if same and _chance(rng, 0.8) else rng.choice(accounts)
    given = rng.choice(country.female if _chance(rng, 0.5) else country.male)
    family = rng.choice(country.family)
    if country.code == "ES" and _chance(rng, 0.7):
        family = f"{family} {rng.choice([f for f in country.family if f != family])}"
    city = rng.choice(country.cities)
    phones = [_phone(rng, country, city, mobile=_chance(rng, 0.5))]
    if _chance(rng, 0.2):
        phones.append(_phone(rng, country, city, mobile=True))
    local_given, local_family = _slug(given), _slug(family)
    local = rng.choice(
        (
            f"{local_given}.{local_family}",
            f"{local_given[0]}.{local_family}",
            f"{local_given}_{local_family}",
            f"{local_given[0]}{local_family}",
            f"{local_given}.{local_family}{rng.randrange(60, 99)}",
        )
    )
    domain = org.domain if org is not None and _chance(rng, 0.7) else rng.choice(FREE_MAIL)
    created = _moment(rng, as_of - timedelta(days=4 * 365), as_of - timedelta(days=20))
    purchases = rng.randrange(0, 25) if _chance(rng, 0.5) else None
    return _Person(
        country=country,
        given=given,
        family=family,
        prefix=rng.choice(country.prefixes) if _chance(rng, 0.25) else None,
        middle=rng.choice(country.male + country.female)
        if country.code in ("GB", "US") and _chance(rng, 0.2)
        else None,
        birth=as_of.date() - timedelta(days=rng.randrange(22 * 365, 70 * 365))
        if _chance(rng, 0.4)
        else None,
        city=city,
        street=rng.choice(country.streets).format(n=rng.randrange(1, 180), k=rng.randrange(1, 9)),
        phones=tuple(phones),
        email_local=local,
        email_domain=domain,
        account=org.index if org is not None else None,
        job=rng.choice(JOBS) if _chance(rng, 0.6) else None,
        stage=rng.choice(STAGES),
        lead_source=rng.choice(SOURCES),
        created=created,
        has_address=_chance(rng, 0.72),
        opens=rng.randrange(0, 80) if _chance(rng, 0.6) else None,
        purchases=purchases,
        spent=_amount(rng, 20, 9000) if purchases else None,
        nps=rng.randrange(0, 11) if _chance(rng, 0.3) else None,
    )


@attrs.frozen
class _Variation:
    """How a duplicate row differs from the person's first row."""

    nickname: bool = False
    typo: bool = False
    no_email: bool = False
    other_phone_format: bool = False
    upper: bool = False
    no_accents: bool = False


def _typo(rng: random.Random, text: str) -> str:
    positions = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not positions:
        return text + text[-1]
    i = rng.choice(positions)
    swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    dropped = text[:i] + text[i + 1 :]
    doubled = text[:i] + text[i] + text[i:]
    return rng.choice((swapped if swapped != text else dropped, dropped, doubled))


def _render_contact(
    rng: random.Random,
    person: _Person,
    accounts: Sequence[_Org],
    as_of: datetime,
    variation: _Variation | None = None,
    *,
    clean: bool = False,
) -> Row:
    """One messy row for ``person``; ``clean`` rows never fail conversion by chance."""
    v = variation or _Variation()
    country = person.country
    given, family = person.given, person.family
    if v.nickname:
        given = country.nicknames.get(given, given)
    if v.typo:
        family = _typo(rng, family)
    if v.no_accents:
        given, family = _ascii(given), _ascii(family)
    if v.upper:
        given, family = given.upper(), family.upper()
    else:
        given, family = _vary_case(rng, given), _vary_case(rng, family)
    emails: list[Any] = []
    if not v.no_email and _chance(rng, 0.9):
        local = person.email_local
        domain = person.email_domain
        if _chance(rng, 0.25):
            local = ".".join(part.capitalize() for part in local.split("."))
        if _chance(rng, 0.1):
            domain = domain.capitalize()
        address = f"{local}@{domain}"
        if _chance(rng, 0.05):
            address = address.upper()
        if not clean and _chance(rng, 0.02):
            address += " "
        emails.append(
            address
            if _chance(rng, 0.7)
            else {"address": address, "label": "work", "primary": "yes"}
        )
    phones: list[Any] = []
    for phone in person.phones:
        if not _chance(rng, 0.8):
            continue
        international = not person.has_address and (clean or _chance(rng, 0.95))
        if v.other_phone_format or _chance(rng, 0.2):
            international = True
        phones.append(
            phone.international(rng, idd=person.has_address)
            if international
            else phone.national_form(rng)
        )
    if phones and _chance(rng, 0.03):
        phones[0] = f"{phones[0]} ext. {rng.randrange(10, 99)}"
    addresses: Any = None
    if person.has_address:
        postal: Any = person.city.postal_code
        if postal.isdigit() and not postal.startswith("0") and _chance(rng, 0.2):
            postal = int(postal)
        addresses = [
            {
                "lines": [person.street],
                "locality": _vary_case(rng, person.city.name),
                "postal_code": postal,
                "region": person.city.region if _chance(rng, 0.3) else None,
                "country": rng.choice(country.spellings) if clean or _chance(rng, 0.97) else None,
            }
        ]
    org = accounts[person.account] if person.account is not None else None
    name = {
        "prefix": person.prefix,
        "given": given,
        "middle": person.middle,
        "family": family,
    }
    birth = None
    if person.birth is not None and _chance(rng, 0.9):
        birth = _format_date(
            rng,
            person.birth,
            country.date_style,
            two_digit=_chance(rng, 0.12) and country.date_style != "us",
        )
    updated = _moment(rng, person.created, as_of)
    quantitative = {
        "email_opens": _number(rng, person.opens) if person.opens is not None else None,
        "email_clicks": _number(rng, person.opens // 4) if person.opens else None,
        "purchase_count": _number(rng, person.purchases) if person.purchases is not None else None,
        "total_spent": _money(rng, person.spent, country.currency) if person.spent else None,
        "last_purchase_on": _format_date(
            rng, (updated - timedelta(days=rng.randrange(1, 300))).date(), country.date_style
        )
        if person.purchases
        else None,
        "nps": _number(rng, person.nps) if person.nps is not None else None,
        "tickets_filed": _number(rng, rng.randrange(0, 6)) if _chance(rng, 0.3) else None,
    }
    return {
        "id": None,
        "created_at": _format_instant(rng, person.created, country),
        "updated_at": _format_instant(rng, updated, country) if _chance(rng, 0.7) else None,
        "source": _vary_enum(rng, rng.choice(SOURCES)) if _chance(rng, 0.6) else None,
        "identity": {
            "name": name,
            "emails": emails or None,
            "phones": phones or None,
            "addresses": addresses,
            "birth_date": birth,
            "organisation": _vary_case(rng, org.name) if org is not None else None,
            "account_ref": org.id if org is not None and _chance(rng, 0.9) else None,
            "external_ids": {"legacy_crm": f"L-{rng.randrange(10**5, 10**6)}"}
            if _chance(rng, 0.3)
            else None,
        },
        "descriptive": {
            "job_title": _vary_case(rng, person.job) if person.job else None,
            "industry": org.industry if org is not None and _chance(rng, 0.5) else None,
            "lifecycle_stage": _vary_enum(rng, person.stage),
            "lead_source": _vary_enum(rng, person.lead_source) if _chance(rng, 0.6) else None,
            "language": rng.choice((country.language, country.language[:2]))
            if _chance(rng, 0.5)
            else None,
            "communication": {
                "preferred_channel": _vary_enum(rng, rng.choice(("email", "phone", "sms", "post")))
                if _chance(rng, 0.4)
                else None,
                "email_opt_in": rng.choice(("yes", "no", "Y", "N", True, False, "oui", "1", ""))
                if _chance(rng, 0.7)
                else None,
                "sms_opt_in": rng.choice(("yes", "no", False)) if _chance(rng, 0.3) else None,
            },
        },
        "qualitative": {
            "satisfaction": _vary_enum(
                rng, rng.choice(("very_satisfied", "satisfied", "neutral", "dissatisfied"))
            )
            if _chance(rng, 0.3)
            else None,
            "motivations": rng.sample(MOTIVATIONS, rng.randrange(1, 3))
            if _chance(rng, 0.3)
            else None,
            "pain_points": rng.sample(PAINS, 1) if _chance(rng, 0.2) else None,
            "notes": [
                {
                    "text": rng.choice(NOTES),
                    "author": rng.choice(OWNERS),
                    "created_at": _format_instant(
                        rng, _moment(rng, person.created, as_of), country
                    ),
                }
            ]
            if _chance(rng, 0.25)
            else rng.choice(NOTES)
            if _chance(rng, 0.05)
            else None,
        },
        "quantitative": quantitative,
    }


# -- organisations ---------------------------------------------------------------------------


@attrs.frozen
class _Org:
    index: int
    id: str
    name: str
    domain: str
    country: Country
    industry: str
    employees: int


_PAIRS = len(STEMS) * len(TRADES)
"""How many distinct company names a stem and a trade make."""


def _org_name(rng: random.Random, taken: set[str]) -> str:
    """A company name not in ``taken`` (which it joins): a stem and a trade.

    Once every pair is taken, the pairs come again numbered (``Atlas Conseil 2``, then ``3``
    ...), so any number of accounts gets distinct names. ``taken`` holds only names made here,
    so the names of the current round (``len(taken) // _PAIRS``) are never all taken.
    """
    round_ = len(taken) // _PAIRS
    suffix = f" {round_ + 1}" if round_ else ""
    while True:
        name = f"{rng.choice(STEMS)} {rng.choice(TRADES)}{suffix}"
        if name not in taken:
            taken.add(name)
            return name


def _make_org(rng: random.Random, index: int, taken: set[str]) -> _Org:
    country = _weighted(rng, COUNTRIES)
    name = _org_name(rng, taken)
    return _Org(
        index=index,
        id=f"ACC-{index + 1:04d}",
        name=name,
        domain=f"{_slug(name)}.example",
        country=country,
        industry=rng.choice(INDUSTRIES),
        employees=rng.choice((3, 8, 25, 40, 120, 300, 800, 2500)) + rng.randrange(0, 3),
    )


def _size_band(employees: int) -> str:
    for limit, band in ((1, "1"), (9, "2-9"), (49, "10-49"), (249, "50-249"), (999, "250-999")):
        if employees <= limit:
            return band
    return "1000+"


def _render_account(rng: random.Random, org: _Org, orgs: Sequence[_Org], as_of: datetime) -> Row:
    country = org.country
    city = rng.choice(country.cities)
    suffix = rng.choice(country.company_suffixes)
    created = _moment(rng, as_of - timedelta(days=6 * 365), as_of - timedelta(days=60))
    scheme, pattern = country.registration
    band = _size_band(org.employees)
    revenue = Decimal(org.employees * rng.randrange(60, 220) * 1000)
    return {
        "id": org.id,
        "created_at": _format_instant(rng, created, country),
        "source": _vary_enum(rng, rng.choice(("import", "manual", "api"))),
        "identity": {
            "name": _vary_case(rng, org.name),
            "legal_name": f"{org.name} {suffix}" if _chance(rng, 0.6) else None,
            "domains": [org.domain] if _chance(rng, 0.8) else None,
            "registration_numbers": [
                {
                    "scheme": scheme,
                    "value": _digits(rng, pattern),
                    "country": rng.choice(country.spellings),
                }
            ]
            if _chance(rng, 0.5)
            else None,
            "account_number": f"C{rng.randrange(10**5, 10**6)}" if _chance(rng, 0.5) else None,
            "addresses": [
                {
                    "lines": [
                        rng.choice(country.streets).format(
                            n=rng.randrange(1, 200), k=rng.randrange(1, 9)
                        )
                    ],
                    "locality": city.name,
                    "postal_code": city.postal_code,
                    "country": rng.choice(country.spellings),
                }
            ],
            "phones": [_phone(rng, country, city, mobile=False).national_form(rng)]
            if _chance(rng, 0.7)
            else None,
        },
        "descriptive": {
            "industry": org.industry,
            "size_band": band if _chance(rng, 0.7) else _vary_enum(rng, BAND_NAMES[band]),
            "territory": f"{country.code}-{rng.choice(('North', 'South', 'Central'))}"
            if _chance(rng, 0.5)
            else None,
            "account_type": _vary_enum(
                rng, rng.choice(("customer", "customer", "prospect", "partner", "reseller"))
            ),
            "parent_ref": rng.choice(orgs).id if org.index > 5 and _chance(rng, 0.08) else None,
        },
        "qualitative": {
            "health": _vary_enum(
                rng, rng.choice(("healthy", "thriving", "needs_attention", "at_risk"))
            )
            if _chance(rng, 0.6)
            else None,
            "reasons": rng.sample(MOTIVATIONS, 2) if _chance(rng, 0.4) else None,
        },
        "quantitative": {
            "employees": _number(rng, org.employees),
            "annual_revenue": _money(rng, revenue, country.currency) if _chance(rng, 0.6) else None,
            "tickets_open": _number(rng, rng.randrange(0, 4)) if _chance(rng, 0.4) else None,
        },
    }


# -- deals and activities --------------------------------------------------------------------


def _render_deal(
    rng: random.Random,
    index: int,
    org: _Org,
    contact_ids: Sequence[str],
    as_of: datetime,
    missing_account: int,
) -> Row:
    pipeline, stages = rng.choice(PIPELINES)
    stage = rng.choice(stages)
    if _chance(rng, 0.05):
        stage = rng.choice((stage.upper(), stage.lower()))
    country = org.country
    currency = country.currency if _chance(rng, 0.9) else "USD"
    amount = _amount(rng, 800, 90000, cents=_chance(rng, 0.3))
    probability = rng.choice((0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9))
    created = _moment(rng, as_of - timedelta(days=700), as_of - timedelta(days=5))
    close = (created + timedelta(days=rng.randrange(20, 240))).date()
    closed = stage in CLOSED
    return {
        "id": f"DEAL-{index + 1:04d}",
        "created_at": _format_instant(rng, created, country),
        "identity": {
            "name": f"{org.name} — {rng.choice(PRODUCTS)}",
            "account_ref": org.id if _chance(rng, 0.99) else f"ACC-{missing_account + index:04d}",
            "contact_refs": list(contact_ids) or None,
        },
        "descriptive": {
            "pipeline": pipeline,
            "stage": stage,
            "deal_type": _vary_enum(
                rng,
                "renewal"
                if pipeline == "Renewals"
                else rng.choice(("new_business", "upsell", "cross_sell")),
            ),
            "source": _vary_enum(rng, rng.choice(SOURCES)) if _chance(rng, 0.5) else None,
            "owner": rng.choice(OWNERS),
            "expected_close_on": _format_date(rng, close, country.date_style),
            "products": rng.sample(PRODUCTS, rng.randrange(1, 3)),
        },
        "qualitative": {
            "interest_reason": rng.choice(MOTIVATIONS) if _chance(rng, 0.4) else None,
            "loss_reason": rng.choice(("price", "timing", "went with a competitor", "no budget"))
            if stage.lower() in ("closed lost", "churned")
            else None,
            "next_step": None if closed else rng.choice(("send proposal", "book demo", "call")),
        },
        "quantitative": {
            "amount": _money(rng, amount, currency),
            "probability": rng.choice(
                (probability, str(probability), f"{int(probability * 100)}%")
            ),
            "days_in_stage": _number(rng, rng.randrange(0, 90)) if _chance(rng, 0.6) else None,
            "discount": rng.choice(("5%", "0.1", 0.15, "")) if _chance(rng, 0.3) else None,
        },
    }


def _render_activity(
    rng: random.Random,
    index: int,
    contact: tuple[str, Country] | None,
    deal: str | None,
    account: str | None,
    as_of: datetime,
) -> Row:
    kind = rng.choice(KINDS)
    country = contact[1] if contact else FR
    planned = kind in ("task", "meeting", "call") and _chance(rng, 0.12)
    if planned:
        when = _moment(rng, as_of, as_of + timedelta(days=30))
    else:
        when = _moment(rng, as_of - timedelta(days=540), as_of - timedelta(days=1))
    status = "planned" if planned else rng.choice(("completed",) * 8 + ("cancelled",))
    quantitative: Row = {}
    if kind in ("call", "meeting"):
        quantitative["duration_seconds"] = _number(rng, rng.randrange(2, 90) * 60)
    if kind == "email" and _chance(rng, 0.7):
        quantitative["opens"] = _number(rng, rng.randrange(0, 6))
        quantitative["clicks"] = _number(rng, rng.randrange(0, 3))
    if kind == "purchase":
        quantitative["amount"] = _money(rng, _amount(rng, 15, 4000), country.currency)
    sentiment = None
    if kind in ("support_request", "survey", "call") and _chance(rng, 0.6):
        sentiment = _vary_enum(rng, rng.choice(("positive", "neutral", "negative", "mixed")))
    return {
        "id": f"ACT-{index + 1:05d}",
        "identity": {
            "contact_refs": [contact[0]] if contact else None,
            "deal_refs": [deal] if deal else None,
            "account_refs": [account] if account else None,
        },
        "descriptive": {
            "kind": _vary_enum(rng, kind),
            "channel": _vary_enum(rng, rng.choice(CHANNELS[kind])),
            "direction": rng.choice(("inbound", "outbound", "Inbound", "OUTBOUND"))
            if kind not in ("note", "task")
            else "internal",
            "occurred_at": _format_instant(rng, when, country),
            "status": _vary_enum(rng, status),
            "subject": rng.choice(SUBJECTS[kind]),
        },
        "qualitative": {
            "sentiment": sentiment,
            "outcome": rng.choice(
                ("left a voicemail", "agreed on next steps", "resolved", "no answer")
            )
            if kind in ("call", "support_request") and not planned
            else None,
        },
        "quantitative": quantitative,
    }


# -- defects: what conversion must refuse ----------------------------------------------------


def _set(row: Row, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = row
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


_CONTACT_DEFECTS: tuple[Callable[[random.Random, Row], None], ...] = (
    lambda rng, row: _set(row, "identity.emails", [rng.choice(("jean.dupont.example.com",
                                                               "anna..weber@example.com"))]),
    lambda rng, row: _set(row, "identity.phones", [rng.choice(("n/a", "ask reception", "0"))]),
    lambda rng, row: _set(row, "identity.birth_date", rng.choice(("31/02/1985", "3 avril 1985"))),
    lambda rng, row: _set(row, "descriptive.lifecycle_stage", rng.choice(("VIP", "Hot lead"))),
    lambda rng, row: _set(row, "quantitative.total_spent", "1200.50"),
    lambda rng, row: _set(row, "created_at", "2024-03-01 10:00"),
    lambda rng, row: _set(row, "quantitative.nps", "11"),
    lambda rng, row: _set(row, "identity.addresses", [{"locality": "Madrid",
                                                        "country": "Alemania"}]),
    lambda rng, row: _set(row, "identity.name", "Jean-Pierre de la Fontaine"),
)  # fmt: skip
_ACCOUNT_DEFECTS: tuple[Callable[[random.Random, Row], None], ...] = (
    lambda rng, row: _set(row, "quantitative.annual_revenue", "2,5 M€"),
    lambda rng, row: _set(row, "quantitative.employees", "about 200"),
    lambda rng, row: _set(row, "descriptive.size_band", "huge"),
)
_DEAL_DEFECTS: tuple[Callable[[random.Random, Row], None], ...] = (
    lambda rng, row: _set(row, "quantitative.amount", "12 500,00 €"),
    lambda rng, row: _set(row, "quantitative.probability", "high"),
    lambda rng, row: _set(row, "descriptive.expected_close_on", "Q3 2026"),
    lambda rng, row: _set(row, "descriptive.deal_type", "New Biz"),
)
_ACTIVITY_DEFECTS: tuple[Callable[[random.Random, Row], None], ...] = (
    lambda rng, row: _set(row, "descriptive.occurred_at", "2025-03-04 10:00"),
    lambda rng, row: _set(row, "descriptive.kind", "visit"),
    lambda rng, row: _set(row, "quantitative.duration_seconds", "45 min"),
    lambda rng, row: _set(row, "quantitative.clicks", "-1"),
)


def _break(
    rng: random.Random,
    rows: list[Row],
    candidates: Sequence[int],
    rate: float,
    defects: Sequence[Callable[[random.Random, Row], None]],
) -> None:
    """Give a defect to ``rate`` of the ``candidates`` rows (at least one when rate > 0)."""
    count = max(1, round(len(candidates) * rate)) if rate > 0 and candidates else 0
    for position in sorted(rng.sample(list(candidates), count)):
        rng.choice(defects)(rng, rows[position])


def _finish(value: Any, sparse: bool) -> Any:
    """Write missing values as exports do: left out (``sparse``) or as empty strings."""
    if isinstance(value, dict):
        out: Row = {}
        for key, item in value.items():
            if item is None:
                if not sparse:
                    out[key] = ""
                continue
            out[key] = _finish(item, sparse)
        return out
    if isinstance(value, list):
        return [_finish(item, sparse) for item in value]
    return value


# -- the data set ----------------------------------------------------------------------------


def _missing(floor: int, count: int) -> int:
    """The first number of the ids that dangling references use: past every real id."""
    return max(floor, count + 1)


def _variation(rng: random.Random, person: _Person) -> _Variation:
    """One to three variations that visibly apply to ``person``."""
    names = ["typo", "no_email", "other_phone_format", "upper"]
    if person.given in person.country.nicknames:
        names.append("nickname")
    if _ascii(person.given + person.family) != person.given + person.family:
        names.append("no_accents")
    chosen = rng.sample(names, rng.randrange(1, 4))
    return _Variation(**{name: name in chosen for name in names})


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
    orgs = [_make_org(rng, index, taken) for index in range(accounts)]
    account_rows = [_render_account(rng, org, orgs, as_of) for org in orgs]

    extra = round(contacts * 0.08) if contacts >= 10 else 0
    people = [_make_person(rng, as_of, orgs) for _ in range(contacts - extra)]
    doubled = rng.sample(range(len(people)), min(round(extra * 0.85), len(people)))
    chosen = set(doubled)
    rendered: list[tuple[int, Row]] = [
        (index, _render_contact(rng, person, orgs, as_of, clean=index in chosen))
        for index, person in enumerate(people)
    ]
    for position in range(extra if doubled else 0):
        index = doubled[position] if position < len(doubled) else rng.choice(doubled)
        variation = _variation(rng, people[index])
        row = _render_contact(rng, people[index], orgs, as_of, variation, clean=True)
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
    deal_accounts: list[_Org] = []
    for index in range(deals if orgs else 0):
        org = rng.choice(orgs)
        pool = by_account.get(org.index, [])
        refs = rng.sample(pool, min(len(pool), rng.randrange(1, 3))) if pool else []
        if _chance(rng, 0.01):
            refs.append(f"CON-{_missing(90000, contacts) + index:05d}")
        deal_rows.append(_render_deal(rng, index, org, refs, as_of, _missing(9000, accounts)))
        deal_accounts.append(org)

    activity_rows: list[Row] = []
    contact_countries = [(row["id"], people[index].country) for index, row in rendered]
    for index in range(activities):
        contact = rng.choice(contact_countries) if contact_countries else None
        if contact is not None and _chance(rng, 0.01):
            contact = (f"CON-{_missing(80000, contacts) + index:05d}", contact[1])
        deal = rng.randrange(len(deal_rows)) if deal_rows and _chance(rng, 0.3) else None
        deal_id = deal_rows[deal]["id"] if deal is not None else None
        account_id = deal_accounts[deal].id if deal is not None else None
        activity_rows.append(_render_activity(rng, index, contact, deal_id, account_id, as_of))

    ungrouped = [i for i, (index, _) in enumerate(rendered) if index not in chosen]
    _break(rng, contact_rows, ungrouped, defect_rate, _CONTACT_DEFECTS)
    _break(rng, account_rows, range(len(account_rows)), defect_rate, _ACCOUNT_DEFECTS)
    _break(rng, deal_rows, range(len(deal_rows)), defect_rate, _DEAL_DEFECTS)
    _break(rng, activity_rows, range(len(activity_rows)), defect_rate, _ACTIVITY_DEFECTS)

    def finish(rows: list[Row]) -> tuple[Row, ...]:
        return tuple(_finish(row, sparse=_chance(rng, 0.5)) for row in rows)

    known = tuple(sorted(tuple(sorted(ids)) for ids in groups.values()))
    return Dataset(
        as_of=as_of,
        contacts=finish(contact_rows),
        accounts=finish(account_rows),
        deals=finish(deal_rows),
        activities=finish(activity_rows),
        known_duplicates=known,
    )


if __name__ == "__main__":  # a maintainer's entry point: writes the bundled demo data set
    from crmcore.cli._demo_data import main

    raise SystemExit(main())
