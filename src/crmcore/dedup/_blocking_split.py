"""How :func:`~crmcore.dedup.block` pairs a block too large to pair in full: split by other keys.

A key shared by more than ``max_block_size`` records (a common name, a big town's postal code)
would cost more pairs than it is worth, but dropping it loses the duplicates that share nothing
else the rules key on. Its members are split instead by the keys of the *split rules* (a
:class:`~crmcore.dedup.BlockingRules` like any other: postal code and date of birth by default,
:func:`default_split_rules`): the members that share a split key are paired within a window of
``split_window`` places (in id order), so that a block of ``n`` members gives at most
``n * (split_window - 1)`` pairs per split rule and split key of a member, never ``n²``.

The split keys were chosen on what the duplicates missed in large blocks shared: most of them
a postal code, some a date of birth (their e-mail or phone, when shared, is keyed already).
"""

from __future__ import annotations

from typing import Any

import attrs

from crmcore.dedup._blocking_builtin import _birth_days, _postal_codes
from crmcore.dedup._blocking_rules import BlockingRules
from crmcore.records.account import Account
from crmcore.records.contact import Contact

__all__ = [
    "DEFAULT_SPLIT_WINDOW",
    "BirthDayKeys",
    "PostalCodeKeys",
    "birth_day_keys",
    "default_split_rules",
    "postal_code_keys",
]

DEFAULT_SPLIT_WINDOW = 10
"""The members of a large block sharing a split key are paired within this many places."""


@attrs.frozen
class PostalCodeKeys:
    """Each postal code. See :func:`postal_code_keys`."""

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """The record's postal codes, folded and without spaces."""
        return tuple(sorted(_postal_codes(record)))


def postal_code_keys() -> PostalCodeKeys:
    """Key on the postal code, folded and written without spaces (a split rule).

    >>> from crmcore import Contact, ContactIdentity, PostalAddress
    >>> address = PostalAddress(postal_code="SW1A 1AA", country="GB")
    >>> postal_code_keys()(Contact("c-1", ContactIdentity(addresses=(address,))))
    ('sw1a1aa',)
    """
    return PostalCodeKeys()


@attrs.frozen
class BirthDayKeys:
    """Each date of birth, day and month in order. See :func:`birth_day_keys`."""

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """The record's dates of birth as ``yyyy-aa-bb`` (``aa <= bb``)."""
        return tuple(sorted(_birth_days(record)))


def birth_day_keys() -> BirthDayKeys:
    """Key on the date of birth, read as :func:`~crmcore.dedup.birth_date_keys` reads it (a
    date unreadable in the quarantine counts), its day and month in order (a split rule).

    >>> from datetime import date
    >>> from crmcore import Contact, ContactIdentity
    >>> birth_day_keys()(Contact("c-1", ContactIdentity(birth_date=date(1990, 7, 5))))
    ('1990-05-07',)
    """
    return BirthDayKeys()


def default_split_rules() -> BlockingRules:
    """A fresh registry of the split rules :func:`~crmcore.dedup.block` uses by default.

    Contacts and accounts: ``crmcore.postal_code``; contacts: ``crmcore.birth_day``.

    >>> from crmcore import Contact
    >>> [entry.name for entry in default_split_rules().for_type(Contact)]
    ['crmcore.postal_code', 'crmcore.birth_day']
    """
    rules = BlockingRules()
    rules.add((Contact, Account), postal_code_keys(), name="crmcore.postal_code")
    rules.add(Contact, birth_day_keys(), name="crmcore.birth_day")
    return rules
