"""Contact rows: one person rendered as one messy row, or as a known duplicate of it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from crmcore.testing._synthetic_accounts import Org
from crmcore.testing._synthetic_basics import chance, draw_moment, strip_accents
from crmcore.testing._synthetic_dates import format_date, format_instant
from crmcore.testing._synthetic_duplicates import Variation, add_typo
from crmcore.testing._synthetic_locales import MOTIVATIONS, NOTES, OWNERS, PAINS, SOURCES
from crmcore.testing._synthetic_mess import Row, as_money, as_number, vary_case, vary_enum
from crmcore.testing._synthetic_people import Person

__all__ = ["render_contact"]


def render_contact(
    rng: random.Random,
    person: Person,
    accounts: Sequence[Org],
    as_of: datetime,
    variation: Variation | None = None,
    *,
    clean: bool = False,
) -> Row:
    """One messy row for ``person``; ``clean`` rows never fail conversion by chance."""
    v = variation or Variation()
    country = person.country
    given, family = person.given, person.family
    if v.nickname:
        given = country.nicknames.get(given, given)
    if v.typo:
        family = add_typo(rng, family)
    if v.no_accents:
        given, family = strip_accents(given), strip_accents(family)
    if v.upper:
        given, family = given.upper(), family.upper()
    else:
        given, family = vary_case(rng, given), vary_case(rng, family)
    emails: list[Any] = []
    if not v.no_email and chance(rng, 0.9):
        local = person.email_local
        domain = person.email_domain
        if chance(rng, 0.25):
            local = ".".join(part.capitalize() for part in local.split("."))
        if chance(rng, 0.1):
            domain = domain.capitalize()
        address = f"{local}@{domain}"
        if chance(rng, 0.05):
            address = address.upper()
        if not clean and chance(rng, 0.02):
            address += " "
        emails.append(
            address if chance(rng, 0.7) else {"address": address, "label": "work", "primary": "yes"}
        )
    phones: list[Any] = []
    for phone in person.phones:
        if not chance(rng, 0.8):
            continue
        international = not person.has_address and (clean or chance(rng, 0.95))
        if v.other_phone_format or chance(rng, 0.2):
            international = True
        phones.append(
            phone.international(rng, idd=person.has_address)
            if international
            else phone.national_form(rng)
        )
    if phones and chance(rng, 0.03):
        phones[0] = f"{phones[0]} ext. {rng.randrange(10, 99)}"
    addresses: Any = None
    if person.has_address:
        postal: Any = person.city.postal_code
        if postal.isdigit() and not postal.startswith("0") and chance(rng, 0.2):
            postal = int(postal)
        addresses = [
            {
                "lines": [person.street],
                "locality": vary_case(rng, person.city.name),
                "postal_code": postal,
                "region": person.city.region if chance(rng, 0.3) else None,
                "country": rng.choice(country.spellings) if clean or chance(rng, 0.97) else None,
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
    if person.birth is not None and chance(rng, 0.9):
        birth = format_date(
            rng,
            person.birth,
            country.date_style,
            two_digit=chance(rng, 0.12) and country.date_style != "us",
        )
    updated = draw_moment(rng, person.created, as_of)
    quantitative = {
        "email_opens": as_number(rng, person.opens) if person.opens is not None else None,
        "email_clicks": as_number(rng, person.opens // 4) if person.opens else None,
        "purchase_count": as_number(rng, person.purchases)
        if person.purchases is not None
        else None,
        "total_spent": as_money(rng, person.spent, country.currency) if person.spent else None,
        "last_purchase_on": format_date(
            rng, (updated - timedelta(days=rng.randrange(1, 300))).date(), country.date_style
        )
        if person.purchases
        else None,
        "nps": as_number(rng, person.nps) if person.nps is not None else None,
        "tickets_filed": as_number(rng, rng.randrange(0, 6)) if chance(rng, 0.3) else None,
    }
    return {
        "id": None,
        "created_at": format_instant(rng, person.created, country),
        "updated_at": format_instant(rng, updated, country) if chance(rng, 0.7) else None,
        "source": vary_enum(rng, rng.choice(SOURCES)) if chance(rng, 0.6) else None,
        "identity": {
            "name": name,
            "emails": emails or None,
            "phones": phones or None,
            "addresses": addresses,
            "birth_date": birth,
            "organisation": vary_case(rng, org.name) if org is not None else None,
            "account_ref": org.id if org is not None and chance(rng, 0.9) else None,
            "external_ids": {"legacy_crm": f"L-{rng.randrange(10**5, 10**6)}"}
            if chance(rng, 0.3)
            else None,
        },
        "descriptive": {
            "job_title": vary_case(rng, person.job) if person.job else None,
            "industry": org.industry if org is not None and chance(rng, 0.5) else None,
            "lifecycle_stage": vary_enum(rng, person.stage),
            "lead_source": vary_enum(rng, person.lead_source) if chance(rng, 0.6) else None,
            "language": rng.choice((country.language, country.language[:2]))
            if chance(rng, 0.5)
            else None,
            "communication": {
                "preferred_channel": vary_enum(rng, rng.choice(("email", "phone", "sms", "post")))
                if chance(rng, 0.4)
                else None,
                "email_opt_in": rng.choice(("yes", "no", "Y", "N", True, False, "oui", "1", ""))
                if chance(rng, 0.7)
                else None,
                "sms_opt_in": rng.choice(("yes", "no", False)) if chance(rng, 0.3) else None,
            },
        },
        "qualitative": {
            "satisfaction": vary_enum(
                rng, rng.choice(("very_satisfied", "satisfied", "neutral", "dissatisfied"))
            )
            if chance(rng, 0.3)
            else None,
            "motivations": rng.sample(MOTIVATIONS, rng.randrange(1, 3))
            if chance(rng, 0.3)
            else None,
            "pain_points": rng.sample(PAINS, 1) if chance(rng, 0.2) else None,
            "notes": [
                {
                    "text": rng.choice(NOTES),
                    "author": rng.choice(OWNERS),
                    "created_at": format_instant(
                        rng, draw_moment(rng, person.created, as_of), country
                    ),
                }
            ]
            if chance(rng, 0.25)
            else rng.choice(NOTES)
            if chance(rng, 0.05)
            else None,
        },
        "quantitative": quantitative,
    }
