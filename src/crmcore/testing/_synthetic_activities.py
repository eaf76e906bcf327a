"""Activity rows: calls, emails, meetings, purchases ... past or planned."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from crmcore.testing._synthetic_basics import chance, draw_amount, draw_moment
from crmcore.testing._synthetic_dates import format_instant
from crmcore.testing._synthetic_locales import CHANNELS, FR, KINDS, SUBJECTS, Country
from crmcore.testing._synthetic_mess import Row, as_money, as_number, vary_enum

__all__ = ["render_activity"]


def render_activity(
    rng: random.Random,
    index: int,
    contact: tuple[str, Country] | None,
    deal: str | None,
    account: str | None,
    as_of: datetime,
) -> Row:
    kind = rng.choice(KINDS)
    country = contact[1] if contact else FR
    planned = kind in ("task", "meeting", "call") and chance(rng, 0.12)
    if planned:
        when = draw_moment(rng, as_of, as_of + timedelta(days=30))
    else:
        when = draw_moment(rng, as_of - timedelta(days=540), as_of - timedelta(days=1))
    status = "planned" if planned else rng.choice(("completed",) * 8 + ("cancelled",))
    quantitative: Row = {}
    if kind in ("call", "meeting"):
        quantitative["duration_seconds"] = as_number(rng, rng.randrange(2, 90) * 60)
    if kind == "email" and chance(rng, 0.7):
        quantitative["opens"] = as_number(rng, rng.randrange(0, 6))
        quantitative["clicks"] = as_number(rng, rng.randrange(0, 3))
    if kind == "purchase":
        quantitative["amount"] = as_money(rng, draw_amount(rng, 15, 4000), country.currency)
    sentiment = None
    if kind in ("support_request", "survey", "call") and chance(rng, 0.6):
        sentiment = vary_enum(rng, rng.choice(("positive", "neutral", "negative", "mixed")))
    return {
        "id": f"ACT-{index + 1:05d}",
        "identity": {
            "contact_refs": [contact[0]] if contact else None,
            "deal_refs": [deal] if deal else None,
            "account_refs": [account] if account else None,
        },
        "descriptive": {
            "kind": vary_enum(rng, kind),
            "channel": vary_enum(rng, rng.choice(CHANNELS[kind])),
            "direction": rng.choice(("inbound", "outbound", "Inbound", "OUTBOUND"))
            if kind not in ("note", "task")
            else "internal",
            "occurred_at": format_instant(rng, when, country),
            "status": vary_enum(rng, status),
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
