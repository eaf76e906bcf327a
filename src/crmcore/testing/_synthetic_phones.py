"""Phone numbers: drawn from each country's plan, written nationally or internationally."""

from __future__ import annotations

import random

import attrs

from crmcore.testing._synthetic_basics import chance, fill_digits
from crmcore.testing._synthetic_locales import FICTIONAL, City, Country

__all__ = ["Phone", "draw_phone", "draw_wide_phone"]


@attrs.frozen
class Phone:
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
        if trunk and chance(rng, 0.2):
            return f"+{cc} ({trunk}){' '.join(parts)}"
        if idd and cc != "1" and chance(rng, 0.15):
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
        if len(parts) > 1 and chance(rng, 0.15):
            return f"({parts[0]}) {' '.join(parts[1:])}"
        if self.country.code == "DE" and chance(rng, 0.3):
            return f"{parts[0]}/{''.join(parts[1:])}"
        return separator.join(parts)


def draw_phone(rng: random.Random, country: Country, city: City, mobile: bool) -> Phone:
    if mobile:
        prefix = rng.choice(country.mobile_prefixes)
        length, groups = country.mobile_shape
    else:
        prefix, length, groups = city.phone
    rest = length - len(prefix)
    if prefix in FICTIONAL:  # any digits after a block reserved for fiction
        digits = prefix + fill_digits(rng, "#" * rest)
    else:  # a subscriber number does not start with 0
        digits = prefix + str(rng.randrange(1, 10)) + fill_digits(rng, "#" * (rest - 1))
    return Phone(country, digits, groups)


_US_AREAS = (
    "201",
    "202",
    "206",
    "212",
    "213",
    "303",
    "305",
    "312",
    "404",
    "415",
    "503",
    "512",
    "602",
    "617",
    "646",
    "702",
    "713",
    "718",
    "801",
    "917",
)


def draw_wide_phone(rng: random.Random, country: Country, city: City) -> Phone:
    """A number from the widest space of ``country``, for when the small blocks are taken.

    A mobile, or for the United States (whose numbers for fiction are a few hundred) a
    well-formed number of a large city, outside the 555 exchange.
    """
    if country.code != "US":
        return draw_phone(rng, country, city, mobile=True)
    exchange = str(rng.randrange(200, 1000))
    if exchange == "555":
        exchange = "556"
    digits = rng.choice(_US_AREAS) + exchange + fill_digits(rng, "####")
    return Phone(country, digits, (3, 3, 4))
