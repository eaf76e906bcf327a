"""The built-in comparisons of contacts and accounts: :func:`default_comparisons`."""

from __future__ import annotations

from crmcore.dedup.addresses import addresses
from crmcore.dedup.comparisons import Comparisons
from crmcore.dedup.contact_points import emails, phones
from crmcore.dedup.dates import birth_dates
from crmcore.dedup.identifiers import external_ids
from crmcore.dedup.names import middle_names, person_names
from crmcore.dedup.organisations import company_names, domains, registration_numbers
from crmcore.records.account import Account
from crmcore.records.contact import Contact

__all__ = ["default_comparisons"]


def default_comparisons() -> Comparisons:
    """A fresh :class:`~crmcore.dedup.Comparisons` with the built-in comparisons; change it freely.

    Contacts: ``crmcore.name`` (:func:`~crmcore.dedup.person_names`), ``crmcore.email``,
    ``crmcore.phone``, ``crmcore.birth_date``, ``crmcore.address``, ``crmcore.external_id``,
    ``crmcore.organisation`` (the organisation the person belongs to, by name, compared as
    :func:`~crmcore.dedup.company_names` compares accounts), ``crmcore.middle_name``
    (:func:`~crmcore.dedup.middle_names`). Accounts:
    ``crmcore.organisation_name`` (:func:`~crmcore.dedup.company_names`), ``crmcore.domain``,
    ``crmcore.registration_number``, ``crmcore.phone``, ``crmcore.address``,
    ``crmcore.external_id``. Building it needs the ``dedup`` extra.

    >>> from crmcore import Account
    >>> [c.name for c in default_comparisons().for_type(Account)][:3]
    ['crmcore.phone', 'crmcore.address', 'crmcore.external_id']
    """
    comparisons = Comparisons()
    both = (Contact, Account)
    comparisons.add(both, phones(), name="crmcore.phone")
    comparisons.add(both, addresses(), name="crmcore.address")
    comparisons.add(both, external_ids(), name="crmcore.external_id")
    comparisons.add(Contact, person_names(), name="crmcore.name")
    comparisons.add(Contact, emails(), name="crmcore.email")
    comparisons.add(Contact, birth_dates(), name="crmcore.birth_date")
    comparisons.add(Contact, company_names(), name="crmcore.organisation")
    comparisons.add(Contact, middle_names(), name="crmcore.middle_name")
    comparisons.add(Account, company_names(), name="crmcore.organisation_name")
    comparisons.add(Account, domains(), name="crmcore.domain")
    comparisons.add(Account, registration_numbers(), name="crmcore.registration_number")
    return comparisons
