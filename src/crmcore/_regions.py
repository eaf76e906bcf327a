"""Hints for a region that is no ISO 3166-1 alpha-2 code: ``UK`` means ``GB``.

A region option (the context's ``default_region``, the command line's ``--default-region``)
is refused when it is not an officially assigned alpha-2 code; :func:`region_hint` finds the
code that was most likely meant, so the refusal can say it.
"""

from __future__ import annotations

from crmcore._iso import COUNTRY_CODES, lookup_country

__all__ = ["ALIASES", "region_hint", "region_reason"]

ALIASES: dict[str, str] = {
    "UK": "GB",  # the United Kingdom's common abbreviation, and its ccTLD
    "EL": "GR",  # Greece in the European Union's own country codes
}
"""Codes that are not ISO 3166-1 alpha-2 but are used for a country, with the ISO code."""

_LONGEST = 80
"""Longer text is no country name; it is not looked up."""


def region_hint(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code ``text`` most likely means, or ``None``.

    ``text`` may be an alias (``UK``), an alpha-3 code (``DEU``) or a country name in English
    or French (``Germany``, ``Allemagne``).

    >>> region_hint("UK"), region_hint("el"), region_hint("deu"), region_hint("Allemagne")
    ('GB', 'GR', 'DE', 'DE')
    >>> region_hint("QQ") is None
    True
    """
    if not isinstance(text, str) or len(text) > _LONGEST:
        return None
    compact = text.strip().upper()
    if compact in ALIASES:
        return ALIASES[compact]
    found = lookup_country(text)
    return found if found in COUNTRY_CODES else None


def region_reason(text: str) -> str:
    """Why ``text`` is refused as a region, with the likely code as a hint (never ``text``).

    >>> region_reason("UK")
    'not an ISO 3166-1 alpha-2 code (did you mean GB?)'
    """
    hint = region_hint(text)
    suggestion = f" (did you mean {hint}?)" if hint is not None else ""
    return f"not an ISO 3166-1 alpha-2 code{suggestion}"
