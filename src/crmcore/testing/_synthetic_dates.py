"""Dates and instants written the way each country's exports write them."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from crmcore.testing._synthetic_locales import MONTHS, Country

__all__ = ["format_date", "format_instant"]


def format_date(rng: random.Random, day: date, style: str, two_digit: bool = False) -> str:
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


def format_instant(rng: random.Random, moment: datetime, country: Country) -> str:
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
