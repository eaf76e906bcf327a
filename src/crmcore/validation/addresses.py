"""Built-in postal address rules: ISO 3166-1 countries and postal code formats.

Postal codes are compared with :data:`POSTAL_CODE_FORMATS`, one regular expression per
country, case-insensitively and after trimming: the format says whether a code *can* exist,
while writing it in its canonical case and spacing is the cleaners' job.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from crmcore._iso import COUNTRY_CODES
from crmcore.validation._registry import Registry
from crmcore.validation._walk import holders, item_path, layout, values
from crmcore.validation.context import Context
from crmcore.validation.issues import Code, Issue, Severity

__all__ = [
    "CODES",
    "COUNTRY_MISSING",
    "COUNTRY_UNKNOWN",
    "POSTAL_CODE_FORMAT",
    "POSTAL_CODE_FORMATS",
    "check_addresses",
    "postal_code_fits",
    "register",
]

COUNTRY_UNKNOWN = Code(
    "address.country_unknown", Severity.ERROR, "the country is not an ISO 3166-1 alpha-2 code"
)
COUNTRY_MISSING = Code("address.country_missing", Severity.INFO, "the address has no country")
POSTAL_CODE_FORMAT = Code(
    "address.postal_code_format",
    Severity.WARNING,
    "the postal code does not have the format of its country",
)
CODES = (COUNTRY_UNKNOWN, COUNTRY_MISSING, POSTAL_CODE_FORMAT)

_GB_OUTWARD = r"(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"

POSTAL_CODE_FORMATS: Mapping[str, str] = MappingProxyType(
    {
        # The countries most CRM data comes from.
        "US": r"[0-9]{5}(?:-[0-9]{4})?",
        "CA": r"[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]",
        "GB": rf"(?:GIR ?0AA|{_GB_OUTWARD} ?[0-9][ABD-HJLNP-UW-Z]{{2}})",
        "FR": r"[0-9]{5}",
        "DE": r"[0-9]{5}",
        "ES": r"(?:0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}",
        "IT": r"[0-9]{5}",
        "NL": r"[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}",
        "BE": r"[1-9][0-9]{3}",
        "CH": r"[1-9][0-9]{3}",
        "AU": r"[0-9]{4}",
        "BR": r"[0-9]{5}-?[0-9]{3}",
        "IN": r"[1-9][0-9]{2} ?[0-9]{3}",
        "JP": r"[0-9]{3}-?[0-9]{4}",
        # More of Europe.
        "AT": r"[1-9][0-9]{3}",
        "BG": r"[0-9]{4}",
        "CZ": r"[0-9]{3} ?[0-9]{2}",
        "DK": r"[0-9]{4}",
        "EE": r"[0-9]{5}",
        "FI": r"[0-9]{5}",
        "GR": r"[0-9]{3} ?[0-9]{2}",
        "HR": r"[0-9]{5}",
        "HU": r"[1-9][0-9]{3}",
        "IE": r"(?:[AC-FHKNPRTV-Y][0-9]{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}",
        "IS": r"[0-9]{3}",
        "LT": r"(?:LT-)?[0-9]{5}",
        "LU": r"(?:L-)?[0-9]{4}",
        "LV": r"LV-?[0-9]{4}",
        "MC": r"980[0-9]{2}",
        "NO": r"[0-9]{4}",
        "PL": r"[0-9]{2}-?[0-9]{3}",
        "PT": r"[1-9][0-9]{3}-?[0-9]{3}",
        "RO": r"[0-9]{6}",
        "RU": r"[0-9]{6}",
        "SE": r"[1-9][0-9]{2} ?[0-9]{2}",
        "SI": r"[0-9]{4}",
        "SK": r"[0-9]{3} ?[0-9]{2}",
        "TR": r"[0-9]{5}",
        "UA": r"[0-9]{5}",
        # More of the Americas, Asia, Oceania and Africa.
        "AR": r"(?:[A-HJ-NP-Z][0-9]{4}[A-Z]{3}|[0-9]{4})",
        "CL": r"[0-9]{7}",
        "CN": r"[0-9]{6}",
        "CO": r"[0-9]{6}",
        "ID": r"[0-9]{5}",
        "IL": r"[0-9]{7}",
        "KR": r"[0-9]{5}",
        "MX": r"[0-9]{5}",
        "MY": r"[0-9]{5}",
        "NZ": r"[0-9]{4}",
        "PH": r"[0-9]{4}",
        "SA": r"[0-9]{5}(?:-[0-9]{4})?",
        "SG": r"[0-9]{6}",
        "TH": r"[0-9]{5}",
        "TW": r"[0-9]{3}(?:[0-9]{2,3})?",
        "VN": r"[0-9]{6}",
        "ZA": r"[0-9]{4}",
    }
)
"""Postal code formats by ISO 3166-1 alpha-2 country, matched whole and case-insensitively."""

_COMPILED = {
    country: re.compile(pattern, re.IGNORECASE | re.ASCII)
    for country, pattern in POSTAL_CODE_FORMATS.items()
}


@functools.lru_cache(maxsize=4096)
def _fits(country: str, postal_code: str) -> bool:
    return _COMPILED[country].fullmatch(postal_code.strip()) is not None


def postal_code_fits(country: str, postal_code: str) -> bool | None:
    """Whether ``postal_code`` fits the format of ``country``; ``None`` when it is not known.

    >>> postal_code_fits("GB", "sw1a 1aa"), postal_code_fits("NL", "1234 SA")
    (True, False)
    """
    if country not in _COMPILED:
        return None
    if len(postal_code) > 16:
        return False
    return _fits(country, postal_code)


def check_addresses(record: Any, ctx: Context) -> list[Issue]:
    """Check every postal address of ``record``.

    Codes: ``address.country_unknown``, ``address.country_missing``,
    ``address.postal_code_format``.
    """
    found: list[Issue] = []
    for slot in layout(type(record)).addresses:
        for index, address in enumerate(values(record, slot)):
            country = address.country
            if country is None:
                path = f"{item_path(slot, index)}.country"
                found.append(COUNTRY_MISSING.issue(path, slot.category))
            elif country not in COUNTRY_CODES:
                path = f"{item_path(slot, index)}.country"
                found.append(COUNTRY_UNKNOWN.issue(path, slot.category))
            elif (
                address.postal_code is not None
                and postal_code_fits(country, address.postal_code) is False
            ):
                path = f"{item_path(slot, index)}.postal_code"
                found.append(POSTAL_CODE_FORMAT.issue(path, slot.category))
    return found


def register(ruleset: Registry) -> None:
    """Add the postal address rules to ``ruleset``."""
    ruleset.add(
        holders("addresses"),
        check_addresses,
        codes=[c.name for c in CODES],
        name="crmcore.addresses",
    )
