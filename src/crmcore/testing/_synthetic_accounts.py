"""Organisations: drawn with distinct names, then rendered as messy account rows."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

import attrs

from crmcore.testing._synthetic_basics import chance, draw_moment, fill_digits, slug, weighted
from crmcore.testing._synthetic_dates import format_instant
from crmcore.testing._synthetic_locales import (
    BAND_NAMES,
    COUNTRIES,
    INDUSTRIES,
    MOTIVATIONS,
    STEMS,
    TRADES,
    Country,
)
from crmcore.testing._synthetic_mess import Row, as_money, as_number, vary_case, vary_enum
from crmcore.testing._synthetic_phones import draw_phone

__all__ = ["Org", "make_org", "render_account"]


@attrs.frozen
class Org:
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


def make_org(rng: random.Random, index: int, taken: set[str]) -> Org:
    country = weighted(rng, COUNTRIES)
    name = _org_name(rng, taken)
    return Org(
        index=index,
        id=f"ACC-{index + 1:04d}",
        name=name,
        domain=f"{slug(name)}.example",
        country=country,
        industry=rng.choice(INDUSTRIES),
        employees=rng.choice((3, 8, 25, 40, 120, 300, 800, 2500)) + rng.randrange(0, 3),
    )


def _size_band(employees: int) -> str:
    for limit, band in ((1, "1"), (9, "2-9"), (49, "10-49"), (249, "50-249"), (999, "250-999")):
        if employees <= limit:
            return band
    return "1000+"


def render_account(rng: random.Random, org: Org, orgs: Sequence[Org], as_of: datetime) -> Row:
    country = org.country
    city = rng.choice(country.cities)
    suffix = rng.choice(country.company_suffixes)
    created = draw_moment(rng, as_of - timedelta(days=6 * 365), as_of - timedelta(days=60))
    scheme, pattern = country.registration
    band = _size_band(org.employees)
    revenue = Decimal(org.employees * rng.randrange(60, 220) * 1000)
    return {
        "id": org.id,
        "created_at": format_instant(rng, created, country),
        "source": vary_enum(rng, rng.choice(("import", "manual", "api"))),
        "identity": {
            "name": vary_case(rng, org.name),
            "legal_name": f"{org.name} {suffix}" if chance(rng, 0.6) else None,
            "domains": [org.domain] if chance(rng, 0.8) else None,
            "registration_numbers": [
                {
                    "scheme": scheme,
                    "value": fill_digits(rng, pattern),
                    "country": rng.choice(country.spellings),
                }
            ]
            if chance(rng, 0.5)
            else None,
            "account_number": f"C{rng.randrange(10**5, 10**6)}" if chance(rng, 0.5) else None,
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
            "phones": [draw_phone(rng, country, city, mobile=False).national_form(rng)]
            if chance(rng, 0.7)
            else None,
        },
        "descriptive": {
            "industry": org.industry,
            "size_band": band if chance(rng, 0.7) else vary_enum(rng, BAND_NAMES[band]),
            "territory": f"{country.code}-{rng.choice(('North', 'South', 'Central'))}"
            if chance(rng, 0.5)
            else None,
            "account_type": vary_enum(
                rng, rng.choice(("customer", "customer", "prospect", "partner", "reseller"))
            ),
            "parent_ref": rng.choice(orgs).id if org.index > 5 and chance(rng, 0.08) else None,
        },
        "qualitative": {
            "health": vary_enum(
                rng, rng.choice(("healthy", "thriving", "needs_attention", "at_risk"))
            )
            if chance(rng, 0.6)
            else None,
            "reasons": rng.sample(MOTIVATIONS, 2) if chance(rng, 0.4) else None,
        },
        "quantitative": {
            "employees": as_number(rng, org.employees),
            "annual_revenue": as_money(rng, revenue, country.currency)
            if chance(rng, 0.6)
            else None,
            "tickets_open": as_number(rng, rng.randrange(0, 4)) if chance(rng, 0.4) else None,
        },
    }
