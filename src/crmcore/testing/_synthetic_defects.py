"""Defects: what conversion must refuse, given to a share of the rows of each type."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from crmcore.testing._synthetic_mess import Row

__all__ = [
    "ACCOUNT_DEFECTS",
    "ACTIVITY_DEFECTS",
    "CONTACT_DEFECTS",
    "DEAL_DEFECTS",
    "add_defects",
]


def _set(row: Row, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = row
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


CONTACT_DEFECTS: tuple[Callable[[random.Random, Row], None], ...] = (
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
ACCOUNT_DEFECTS: tuple[Callable[[random.Random, Row], None], ...] = (
    lambda rng, row: _set(row, "quantitative.annual_revenue", "2,5 M€"),
    lambda rng, row: _set(row, "quantitative.employees", "about 200"),
    lambda rng, row: _set(row, "descriptive.size_band", "huge"),
)
DEAL_DEFECTS: tuple[Callable[[random.Random, Row], None], ...] = (
    lambda rng, row: _set(row, "quantitative.amount", "12 500,00 €"),
    lambda rng, row: _set(row, "quantitative.probability", "high"),
    lambda rng, row: _set(row, "descriptive.expected_close_on", "Q3 2026"),
    lambda rng, row: _set(row, "descriptive.deal_type", "New Biz"),
)
ACTIVITY_DEFECTS: tuple[Callable[[random.Random, Row], None], ...] = (
    lambda rng, row: _set(row, "descriptive.occurred_at", "2025-03-04 10:00"),
    lambda rng, row: _set(row, "descriptive.kind", "visit"),
    lambda rng, row: _set(row, "quantitative.duration_seconds", "45 min"),
    lambda rng, row: _set(row, "quantitative.clicks", "-1"),
)


def add_defects(
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
