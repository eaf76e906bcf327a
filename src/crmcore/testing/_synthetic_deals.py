"""Deal rows: an account's opportunity in a pipeline, with its amount and expected close."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from crmcore.testing._synthetic_accounts import Org
from crmcore.testing._synthetic_basics import chance, draw_amount, draw_moment
from crmcore.testing._synthetic_dates import format_date, format_instant
from crmcore.testing._synthetic_locales import (
    CLOSED,
    MOTIVATIONS,
    OWNERS,
    PIPELINES,
    PRODUCTS,
    SOURCES,
)
from crmcore.testing._synthetic_mess import Row, as_money, as_number, vary_enum

__all__ = ["render_deal"]


def render_deal(
    rng: random.Random,
    index: int,
    org: Org,
    contact_ids: Sequence[str],
    as_of: datetime,
    missing_account: int,
) -> Row:
    pipeline, stages = rng.choice(PIPELINES)
    stage = rng.choice(stages)
    if chance(rng, 0.05):
        stage = rng.choice((stage.upper(), stage.lower()))
    country = org.country
    currency = country.currency if chance(rng, 0.9) else "USD"
    amount = draw_amount(rng, 800, 90000, cents=chance(rng, 0.3))
    probability = rng.choice((0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9))
    created = draw_moment(rng, as_of - timedelta(days=700), as_of - timedelta(days=5))
    close = (created + timedelta(days=rng.randrange(20, 240))).date()
    closed = stage in CLOSED
    return {
        "id": f"DEAL-{index + 1:04d}",
        "created_at": format_instant(rng, created, country),
        "identity": {
            "name": f"{org.name} — {rng.choice(PRODUCTS)}",
            "account_ref": org.id if chance(rng, 0.99) else f"ACC-{missing_account + index:04d}",
            "contact_refs": list(contact_ids) or None,
        },
        "descriptive": {
            "pipeline": pipeline,
            "stage": stage,
            "deal_type": vary_enum(
                rng,
                "renewal"
                if pipeline == "Renewals"
                else rng.choice(("new_business", "upsell", "cross_sell")),
            ),
            "source": vary_enum(rng, rng.choice(SOURCES)) if chance(rng, 0.5) else None,
            "owner": rng.choice(OWNERS),
            "expected_close_on": format_date(rng, close, country.date_style),
            "products": rng.sample(PRODUCTS, rng.randrange(1, 3)),
        },
        "qualitative": {
            "interest_reason": rng.choice(MOTIVATIONS) if chance(rng, 0.4) else None,
            "loss_reason": rng.choice(("price", "timing", "went with a competitor", "no budget"))
            if stage.lower() in ("closed lost", "churned")
            else None,
            "next_step": None if closed else rng.choice(("send proposal", "book demo", "call")),
        },
        "quantitative": {
            "amount": as_money(rng, amount, currency),
            "probability": rng.choice(
                (probability, str(probability), f"{int(probability * 100)}%")
            ),
            "days_in_stage": as_number(rng, rng.randrange(0, 90)) if chance(rng, 0.6) else None,
            "discount": rng.choice(("5%", "0.1", 0.15, "")) if chance(rng, 0.3) else None,
        },
    }
