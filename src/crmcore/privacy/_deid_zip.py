"""ZIP codes under HIPAA Safe Harbor: the restricted three-digit prefixes and the rule itself.

The prefixes ship as package data (``crmcore/privacy/data/restricted_zip3.txt``), with their
source in the file's header.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources

from crmcore.errors import InvalidValueError

__all__ = ["ZIP", "ZIP_COUNTRIES", "load_restricted_zip3", "read_restricted", "zip3"]

ZIP = re.compile(r"(\d{3})\d{2}(?:[- ]?\d{4})?")
"""A US ZIP code: five digits, or ZIP+4."""

ZIP_COUNTRIES = frozenset({"US", "PR", "VI", "GU", "AS", "MP", "UM"})
"""Country codes (ISO 3166-1 alpha-2) whose addresses use US ZIP codes."""

_PREFIX = re.compile(r"\d{3}")


@functools.lru_cache(maxsize=1)
def load_restricted_zip3() -> frozenset[str]:
    """The restricted prefixes shipped with crmcore (see the data file for the source)."""
    text = (
        resources.files("crmcore.privacy")
        .joinpath("data")
        .joinpath("restricted_zip3.txt")
        .read_text(encoding="utf-8")
    )
    lines = (line.partition("#")[0].strip() for line in text.splitlines())
    return frozenset(line for line in lines if line)


def read_restricted(value: object) -> frozenset[str]:
    """The caller's list of restricted prefixes (``None`` for the shipped one), checked."""
    if value is None:
        return load_restricted_zip3()
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected three-digit prefixes as text", field="restricted_zip3")
    found = frozenset(value)
    if not all(isinstance(entry, str) and _PREFIX.fullmatch(entry) for entry in found):
        raise InvalidValueError("expected three-digit prefixes as text", field="restricted_zip3")
    return found


def zip3(code: str, restricted: frozenset[str]) -> str | None:
    """The first three digits of a US ZIP code, ``"000"`` if restricted, ``None`` if no ZIP.

    >>> zip3("10027-1234", frozenset({"036"})), zip3("03601", frozenset({"036"})), zip3("SW1A", frozenset())
    ('100', '000', None)
    """  # noqa: E501
    found = ZIP.fullmatch(code.strip())
    if found is None:
        return None
    prefix = found.group(1)
    return "000" if prefix in restricted else prefix
