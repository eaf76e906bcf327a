"""Hypothesis strategies for crmcore's value objects and records.

Every value is built through its class's constructor, so it passes the same checks as data read
by :func:`crmcore.from_dict`, and goes further where a constructor is lenient: phone numbers are
*valid* for their region (not only possible), amounts carry the minor units of their currency,
and every email address is one that email-validator accepts. Names, addresses and free text mix
real-world shapes (particles, accents, hyphens, non-Latin scripts) with arbitrary Unicode.

The strategies compose like any other::

    from hypothesis import given
    from crmcore import Contact, from_dict, to_dict
    from crmcore.testing import strategies as crm_st

    @given(crm_st.contacts())
    def test_contacts_survive_my_etl(contact):
        assert from_dict(Contact, to_dict(contact)) == contact

No strategy reads the clock or the network: instants and dates lie between fixed bounds.
Hypothesis is the ``testing`` extra: ``pip install "crmcore[testing]"``.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401  (fail early, with a useful message)
except ModuleNotFoundError as exc:  # pragma: no cover - tested with hypothesis hidden
    if exc.name is None or exc.name.partition(".")[0] != "hypothesis":
        raise
    raise ImportError(
        "crmcore.testing.strategies needs Hypothesis, which crmcore installs only with its "
        "'testing' extra: pip install 'crmcore[testing]'"
    ) from exc

from crmcore.testing.strategies._base import (
    DEFAULT_CURRENCIES,
    DEFAULT_PHONE_REGIONS,
    UTC_OFFSETS,
    aware_datetimes,
    person_names,
)
from crmcore.testing.strategies._records import (
    accounts,
    activities,
    contact_dicts,
    contacts,
    deals,
    records,
)
from crmcore.testing.strategies._values import (
    communication_preferences,
    custom_fields,
    custom_schemas,
    custom_values,
    emails,
    external_ids,
    money,
    notes,
    phones,
    postal_addresses,
    quarantined_values,
    registration_numbers,
    social_engagements,
)

__all__ = [
    "DEFAULT_CURRENCIES",
    "DEFAULT_PHONE_REGIONS",
    "UTC_OFFSETS",
    "accounts",
    "activities",
    "aware_datetimes",
    "communication_preferences",
    "contact_dicts",
    "contacts",
    "custom_fields",
    "custom_schemas",
    "custom_values",
    "deals",
    "emails",
    "external_ids",
    "money",
    "notes",
    "person_names",
    "phones",
    "postal_addresses",
    "quarantined_values",
    "records",
    "registration_numbers",
    "social_engagements",
]
