"""The small helpers the synthetic generator is built from: random draws and text folding.

Every draw takes the :class:`random.Random` it advances, so the data sets of
:mod:`crmcore.testing.synthetic` follow from their seed alone.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypeVar

__all__ = [
    "chance",
    "draw_amount",
    "draw_moment",
    "fill_digits",
    "slug",
    "strip_accents",
    "weighted",
]

T = TypeVar("T")


def weighted(rng: random.Random, items: Sequence[tuple[T, int]]) -> T:
    total = sum(weight for _, weight in items)
    pick = rng.randrange(total)
    for item, weight in items:
        pick -= weight
        if pick < 0:
            return item
    raise AssertionError("unreachable")


def chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slug(text: str) -> str:
    return "".join(char for char in strip_accents(text).lower() if char.isalnum())


def fill_digits(rng: random.Random, pattern: str) -> str:
    return "".join(str(rng.randrange(10)) if char == "#" else char for char in pattern)


def draw_amount(rng: random.Random, low: int, high: int, cents: bool = True) -> Decimal:
    whole = rng.randrange(low, high)
    return Decimal(f"{whole}.{rng.randrange(100):02d}") if cents else Decimal(whole)


def draw_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A whole minute in ``[start, end)``."""
    minutes = int((end - start).total_seconds()) // 60
    return start.replace(second=0, microsecond=0) + timedelta(
        minutes=rng.randrange(max(minutes, 1))
    )
