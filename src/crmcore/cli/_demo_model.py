"""What every section of ``crmcore demo`` receives: the demo data set, converted.

Kept apart from :mod:`crmcore.cli.demo` so that the modules of sections
(:mod:`crmcore.cli._demo_quality`) name it without importing the command back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs

from crmcore.errors import Problem
from crmcore.records import Account, Activity, Contact, Deal, Record

__all__ = ["Converted", "DemoData"]

R = TypeVar("R", bound=Record)


@attrs.frozen
class Converted(Generic[R]):
    """One input row after conversion: its line, and its record or its problems.

    ``data`` is the row as read (what the cleaning section starts from); it is left out of
    ``repr`` and comparisons, as it may hold personal values.
    """

    line: int
    record: R | None
    problems: tuple[Problem, ...] = ()
    data: Mapping[str, Any] | None = attrs.field(default=None, repr=False, eq=False)


@attrs.frozen
class DemoData:
    """The demo data set, converted: what every section receives."""

    as_of: datetime
    contacts: tuple[Converted[Contact], ...]
    accounts: tuple[Converted[Account], ...]
    deals: tuple[Converted[Deal], ...]
    activities: tuple[Converted[Activity], ...]
    known_duplicates: tuple[tuple[str, ...], ...]

    def tables(self) -> tuple[tuple[type[Record], tuple[Converted[Any], ...]], ...]:
        """Each record type with its converted rows, in the fixed order of record types."""
        return (
            (Contact, self.contacts),
            (Account, self.accounts),
            (Deal, self.deals),
            (Activity, self.activities),
        )


Converted.__module__ = DemoData.__module__ = "crmcore.cli.demo"  # where users import them from
