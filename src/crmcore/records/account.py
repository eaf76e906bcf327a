"""The Account record: an organisation, in four facets of CRM data."""

from __future__ import annotations

import attrs

from crmcore.records import _checks as check
from crmcore.records import _coerce as coerce
from crmcore.records import _tuples as tuples
from crmcore.records._base import Record, custom_field, empty
from crmcore.records._init import lean_init
from crmcore.records._meta import Category, facet, meta, redacted
from crmcore.records._meta import PrivacyCategory as P
from crmcore.records._pickle import Compact
from crmcore.records.custom import CustomFields
from crmcore.records.enums import AccountType, Health, SizeBand
from crmcore.records.values import (
    ExternalId,
    Money,
    Note,
    PhoneNumber,
    PostalAddress,
    RegistrationNumber,
)

__all__ = [
    "Account",
    "AccountDescriptive",
    "AccountIdentity",
    "AccountQualitative",
    "AccountQuantitative",
]

_ORG = P.ORGANISATION


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class AccountIdentity(Compact):
    """What identifies one organisation.

    Organisation data is not personal in itself; its phones and addresses are marked with their
    privacy category but not as personal. A sole trader's account may still be personal data.
    """

    name: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("Trading name.", privacy=_ORG)
    )
    legal_name: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("Registered legal name.", privacy=_ORG)
    )
    domains: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("Web domains.", privacy=_ORG),
    )
    registration_numbers: tuple[RegistrationNumber, ...] = attrs.field(
        default=(),
        converter=tuples.registration_numbers,
        validator=check.items_of(RegistrationNumber),
        metadata=meta("VAT, company-register and similar numbers.", privacy=P.IDENTIFIER),
    )
    account_number: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Customer account number.", privacy=P.IDENTIFIER),
    )
    addresses: tuple[PostalAddress, ...] = attrs.field(
        default=(),
        converter=tuples.addresses,
        validator=check.items_of(PostalAddress),
        metadata=meta("Postal addresses.", privacy=P.POSTAL_ADDRESS),
    )
    phones: tuple[PhoneNumber, ...] = attrs.field(
        default=(),
        converter=tuples.phones,
        validator=check.items_of(PhoneNumber),
        metadata=meta("Phone numbers.", privacy=P.CONTACT_PHONE),
    )
    external_ids: tuple[ExternalId, ...] = attrs.field(
        default=(),
        converter=tuples.external_ids,
        validator=check.items_of(ExternalId),
        metadata=meta("Ids in other systems.", privacy=P.IDENTIFIER),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class AccountDescriptive(Compact):
    """What the organisation *is*, shared across many accounts and used to filter."""

    industry: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("Industry.")
    )
    size_band: SizeBand | None = attrs.field(
        default=None,
        converter=coerce.size_band,
        validator=check.member_of(SizeBand),
        metadata=meta("Head-count band."),
    )
    territory: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("Sales territory or region.")
    )
    account_type: AccountType | None = attrs.field(
        default=None,
        converter=coerce.account_type,
        validator=check.member_of(AccountType),
        metadata=meta("What the account is to us."),
    )
    parent_ref: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("The id of the parent Account.", refers_to="Account"),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class AccountQualitative(Compact):
    """How the relationship with the organisation stands, in words."""

    health: Health | None = attrs.field(
        default=None,
        converter=coerce.health,
        validator=check.member_of(Health),
        metadata=meta("Relationship health as judged by its manager."),
    )
    reasons: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("Why the organisation buys from us or is interested."),
    )
    notes: tuple[Note, ...] = attrs.field(
        default=(),
        converter=tuples.notes,
        validator=check.items_of(Note),
        metadata=meta("Dated notes (may mention people).", personal=True, privacy=P.FREE_TEXT),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class AccountQuantitative(Compact):
    """Numbers about the organisation; ``None`` means unknown."""

    employees: int | None = attrs.field(
        default=None, validator=check.count, metadata=meta("Number of employees.", combine="latest")
    )
    annual_revenue: Money | None = attrs.field(
        default=None, validator=check.instance(Money, "Money"), metadata=meta("Annual revenue.")
    )
    open_deals: int | None = attrs.field(
        default=None, validator=check.count, metadata=meta("Deals still open.")
    )
    recurring_revenue: Money | None = attrs.field(
        default=None,
        validator=check.instance(Money, "Money"),
        metadata=meta("Recurring revenue per year."),
    )
    tickets_filed: int | None = attrs.field(
        default=None, validator=check.count, metadata=meta("Support tickets filed.")
    )
    tickets_open: int | None = attrs.field(
        default=None, validator=check.count, metadata=meta("Support tickets still open.")
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen
class Account(Record):
    """An organisation we have a relationship with."""

    identity: AccountIdentity = attrs.field(
        factory=empty(AccountIdentity),
        validator=check.required(AccountIdentity),
        metadata=facet(Category.IDENTITY, "What identifies the organisation."),
    )
    descriptive: AccountDescriptive = attrs.field(
        factory=empty(AccountDescriptive),
        validator=check.required(AccountDescriptive),
        metadata=facet(Category.DESCRIPTIVE, "What the organisation is."),
    )
    qualitative: AccountQualitative = attrs.field(
        factory=empty(AccountQualitative),
        validator=check.required(AccountQualitative),
        metadata=facet(Category.QUALITATIVE, "How the relationship stands."),
    )
    quantitative: AccountQuantitative = attrs.field(
        factory=empty(AccountQuantitative),
        validator=check.required(AccountQuantitative),
        metadata=facet(Category.QUANTITATIVE, "Numbers about the organisation."),
    )
