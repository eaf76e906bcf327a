"""How :func:`~crmcore.dedup.block` pairs a block too large to pair in full: split by other keys.

A key shared by more than ``max_block_size`` records (a common name, a big town's postal code)
would cost more pairs than it is worth, but dropping it loses the duplicates that share nothing
else the rules key on. Its members are split instead by the keys of the *split rules* (a
:class:`~crmcore.dedup.BlockingRules` like any other: address and date of birth by default,
:func:`default_split_rules`): the members that share a split key are paired within
a window of ``split_window`` places (in id order), so that a block of ``n`` members gives at
most ``n * (split_window - 1)`` pairs per split rule and split key of a member, never ``n²``.

The split keys were chosen on what the duplicates missed in large blocks shared: most of them
a postal code and street, some a date of birth, most of the others their organisation (their
e-mail or phone, when shared, is keyed already). The organisation is not a default split rule:
at 100,000 contacts its pairs lowered the precision of the scored pairs more than they raised
their recall. A postal code alone splits a block of a common name in a big town in groups
still too large to pair in full, whose windows in id order find little.
"""

from __future__ import annotations

from typing import Any

import attrs

from crmcore.dedup._blocking_builtin import _ORG_NAMES, organisation_name_keys
from crmcore.dedup._blocking_columns import Plan, planned
from crmcore.dedup._blocking_rules import BlockingRules
from crmcore.dedup._blocking_values import (
    Addresses,
    Births,
    addresses_of,
    birth_days,
    births_of,
    postcode,
)
from crmcore.dedup._paths import values
from crmcore.dedup.addresses import street_parts
from crmcore.records.account import Account
from crmcore.records.contact import Contact

__all__ = [
    "DEFAULT_SPLIT_WINDOW",
    "AddressKeys",
    "BirthDayKeys",
    "OrganisationKeys",
    "address_keys",
    "birth_day_keys",
    "default_split_rules",
    "organisation_keys",
]

DEFAULT_SPLIT_WINDOW = 10
"""The members of a large block sharing a split key are paired within this many places."""


@planned
@attrs.frozen
class AddressKeys:
    """Each postal address's street with its number and postal code. See :func:`address_keys`."""

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """``postcode|number|street`` for each address with a street."""
        return self.from_addresses(addresses_of(record))

    def plan(self, record_type: type[Any], /) -> Plan:
        """Its keys from the addresses (:mod:`~crmcore.dedup._blocking_columns`)."""
        return Plan((addresses_of,), self.from_addresses)

    def from_addresses(self, addresses: Addresses) -> tuple[str, ...]:
        """The keys of a record's addresses (:func:`addresses_of`)."""
        keys = set()
        for code, lines in addresses:
            number, street = street_parts(lines)
            if street:
                keys.add(f"{postcode(code)}|{number or ''}|{street}")
        return tuple(sorted(keys))


def address_keys() -> AddressKeys:
    """Key on the address: the postal code (folded, no spaces), the street number and the
    street, read as the address comparator reads them (:func:`~crmcore.dedup.street_parts`:
    street types written one way). A split rule.

    >>> from crmcore import Contact, ContactIdentity, PostalAddress
    >>> address = PostalAddress(lines=("221B Baker Street",), postal_code="NW1 6XE", country="GB")
    >>> address_keys()(Contact("c-1", ContactIdentity(addresses=(address,))))
    ('nw16xe|221b|baker st',)
    """
    return AddressKeys()


@planned
@attrs.frozen
class BirthDayKeys:
    """Each date of birth, day and month in order. See :func:`birth_day_keys`."""

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """The record's dates of birth as ``yyyy-aa-bb`` (``aa <= bb``)."""
        return self.from_births(births_of(record))

    def plan(self, record_type: type[Any], /) -> Plan:
        """Its keys from the dates of birth (:mod:`~crmcore.dedup._blocking_columns`)."""
        return Plan((births_of,), self.from_births)

    def from_births(self, births: Births) -> tuple[str, ...]:
        """The keys of a record's dates of birth (:func:`births_of`)."""
        return tuple(sorted(birth_days(births)))


def birth_day_keys() -> BirthDayKeys:
    """Key on the date of birth, read as :func:`~crmcore.dedup.birth_date_keys` reads it (a
    date unreadable in the quarantine counts), its day and month in order (a split rule).

    >>> from datetime import date
    >>> from crmcore import Contact, ContactIdentity
    >>> birth_day_keys()(Contact("c-1", ContactIdentity(birth_date=date(1990, 7, 5))))
    ('1990-05-07',)
    """
    return BirthDayKeys()


@attrs.frozen
class OrganisationKeys:
    """The organisation's name. See :func:`organisation_keys`."""

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """The names of the record's organisation, folded, without legal suffixes (a name
        left with nothing keys nothing)."""
        return organisation_name_keys(values(record, _ORG_NAMES))


def organisation_keys() -> OrganisationKeys:
    """Key on the name of the organisation a contact works for (the text field of privacy
    category ``organisation``), folded and without legal suffixes, as the company-name
    comparator reads it. A split rule, not a default one: a person entered twice at one
    employer shares it, and so do namesakes who work together.

    >>> from crmcore import Contact, ContactIdentity
    >>> organisation_keys()(Contact("c-1", ContactIdentity(organisation="Acme GmbH")))
    ('acme',)
    """
    return OrganisationKeys()


def default_split_rules() -> BlockingRules:
    """A fresh registry of the split rules :func:`~crmcore.dedup.block` uses by default.

    Contacts and accounts: ``crmcore.address``; contacts: ``crmcore.birth_day``. Add
    :func:`organisation_keys` to split by employer too (more recall, less precision).

    >>> from crmcore import Contact
    >>> [entry.name for entry in default_split_rules().for_type(Contact)]
    ['crmcore.address', 'crmcore.birth_day']
    """
    rules = BlockingRules()
    rules.add((Contact, Account), address_keys(), name="crmcore.address")
    rules.add(Contact, birth_day_keys(), name="crmcore.birth_day")
    return rules
