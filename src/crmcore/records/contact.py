"""The Contact record: a person, in four facets of CRM data."""

from __future__ import annotations

from datetime import date

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
from crmcore.records.enums import LifecycleStage, Satisfaction, SizeBand, Source
from crmcore.records.values import (
    CommunicationPreferences,
    EmailAddress,
    ExternalId,
    Money,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    SocialEngagement,
)

__all__ = [
    "Contact",
    "ContactDescriptive",
    "ContactIdentity",
    "ContactQualitative",
    "ContactQuantitative",
]


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class ContactIdentity(Compact):
    """What identifies one person."""

    name: PersonName = attrs.field(
        factory=empty(PersonName),
        validator=check.required(PersonName),
        metadata=meta("The person's name.", personal=True, privacy=P.NAME),
    )
    emails: tuple[EmailAddress, ...] = attrs.field(
        default=(),
        converter=tuples.emails,
        validator=check.items_of(EmailAddress),
        metadata=meta("Email addresses.", personal=True, privacy=P.CONTACT_EMAIL),
    )
    phones: tuple[PhoneNumber, ...] = attrs.field(
        default=(),
        converter=tuples.phones,
        validator=check.items_of(PhoneNumber),
        metadata=meta("Phone numbers.", personal=True, privacy=P.CONTACT_PHONE),
    )
    addresses: tuple[PostalAddress, ...] = attrs.field(
        default=(),
        converter=tuples.addresses,
        validator=check.items_of(PostalAddress),
        metadata=meta("Postal addresses.", personal=True, privacy=P.POSTAL_ADDRESS),
    )
    birth_date: date | None = attrs.field(
        default=None,
        validator=check.a_date,
        metadata=meta("Date of birth.", personal=True, privacy=P.BIRTH_DATE),
    )
    organisation: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("The organisation the person belongs to, by name.", privacy=P.ORGANISATION),
    )
    account_ref: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("The id of the person's Account record.", refers_to="Account"),
    )
    account_number: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Customer account number.", personal=True, privacy=P.IDENTIFIER),
    )
    external_ids: tuple[ExternalId, ...] = attrs.field(
        default=(),
        converter=tuples.external_ids,
        validator=check.items_of(ExternalId),
        metadata=meta("Ids in other systems.", personal=True, privacy=P.IDENTIFIER),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class ContactDescriptive(Compact):
    """What the person *is*, shared across many contacts and used to filter."""

    job_title: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Job title.", personal=True, privacy=P.PROFESSIONAL),
    )
    profession: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Profession.", personal=True, privacy=P.PROFESSIONAL),
    )
    industry: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("Industry the person works in.")
    )
    territory: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("Sales territory or region.")
    )
    organisation_size: SizeBand | None = attrs.field(
        default=None,
        converter=coerce.size_band,
        validator=check.member_of(SizeBand),
        metadata=meta("Head-count band of the person's organisation."),
    )
    lifecycle_stage: LifecycleStage | None = attrs.field(
        default=None,
        converter=coerce.lifecycle_stage,
        validator=check.member_of(LifecycleStage),
        metadata=meta("Stage in the customer lifecycle."),
    )
    lead_source: Source | None = attrs.field(
        default=None,
        converter=coerce.source,
        validator=check.member_of(Source),
        metadata=meta("How the person first reached us."),
    )
    language: str | None = attrs.field(
        default=None,
        validator=check.language,
        metadata=meta("Preferred language (BCP 47 tag).", personal=True, privacy=P.DEMOGRAPHIC),
    )
    gender: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Gender, only as the person gave it.", personal=True, privacy=P.DEMOGRAPHIC),
    )
    communication: CommunicationPreferences = attrs.field(
        factory=empty(CommunicationPreferences),
        validator=check.required(CommunicationPreferences),
        metadata=meta(
            "Preferred channel and opt-in per channel.", personal=True, privacy=P.PREFERENCE
        ),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class ContactQualitative(Compact):
    """What the person thinks, does or feels: subjective, not numeric."""

    satisfaction: Satisfaction | None = attrs.field(
        default=None,
        converter=coerce.satisfaction,
        validator=check.member_of(Satisfaction),
        metadata=meta("Satisfaction on a labelled scale.", personal=True, privacy=P.OPINION),
    )
    motivations: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("What drives the person.", personal=True, privacy=P.OPINION),
    )
    interest_reasons: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("Why the person is interested.", personal=True, privacy=P.OPINION),
    )
    wished_attributes: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta(
            "Product attributes the person wishes for.", personal=True, privacy=P.OPINION
        ),
    )
    pain_points: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("Problems the person wants solved.", personal=True, privacy=P.OPINION),
    )
    notes: tuple[Note, ...] = attrs.field(
        default=(),
        converter=tuples.notes,
        validator=check.items_of(Note),
        metadata=meta("Dated notes.", personal=True, privacy=P.FREE_TEXT),
    )
    custom: CustomFields = custom_field()


_B = P.BEHAVIOURAL


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class ContactQuantitative(Compact):
    """Numbers about the person, for analysis and reports; ``None`` means unknown."""

    email_opens: int | None = attrs.field(
        default=None,
        validator=check.count,
        metadata=meta("Emails opened.", personal=True, privacy=_B),
    )
    email_clicks: int | None = attrs.field(
        default=None,
        validator=check.count,
        metadata=meta("Links clicked in emails.", personal=True, privacy=_B),
    )
    purchase_count: int | None = attrs.field(
        default=None,
        validator=check.count,
        metadata=meta("Purchases made.", personal=True, privacy=P.FINANCIAL),
    )
    total_spent: Money | None = attrs.field(
        default=None,
        validator=check.instance(Money, "Money"),
        metadata=meta("Total spent.", personal=True, privacy=P.FINANCIAL, combine="sum"),
    )
    last_purchase_on: date | None = attrs.field(
        default=None,
        validator=check.a_date,
        metadata=meta("Date of the last purchase.", personal=True, privacy=P.FINANCIAL),
    )
    lifetime_value: Money | None = attrs.field(
        default=None,
        validator=check.instance(Money, "Money"),
        metadata=meta("Estimated lifetime value.", personal=True, privacy=P.FINANCIAL),
    )
    tickets_filed: int | None = attrs.field(
        default=None,
        validator=check.count,
        metadata=meta("Support tickets filed.", personal=True, privacy=_B),
    )
    tickets_open: int | None = attrs.field(
        default=None,
        validator=check.count,
        metadata=meta("Support tickets still open.", personal=True, privacy=_B),
    )
    social: SocialEngagement | None = attrs.field(
        default=None,
        validator=check.instance(SocialEngagement, "SocialEngagement"),
        metadata=meta("Likes, shares, comments, follows.", personal=True, privacy=_B),
    )
    nps: int | None = attrs.field(
        default=None,
        validator=check.between(0, 10),
        metadata=meta(
            "Likelihood to recommend, 0 to 10.",
            personal=True,
            privacy=P.OPINION,
            combine="latest",
        ),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen
class Contact(Record):
    """A person we have a relationship with.

    >>> from crmcore import EmailAddress, PersonName
    >>> c = Contact("c-1", ContactIdentity(
    ...     name=PersonName(given="Ada", family="Lovelace"),
    ...     emails=(EmailAddress("ada@example.org", primary=True),),
    ... ))
    >>> c.identity.emails[0].normalised
    'ada@example.org'
    >>> "Lovelace" in repr(c) or "ada@" in repr(c)
    False
    """

    identity: ContactIdentity = attrs.field(
        factory=empty(ContactIdentity),
        validator=check.required(ContactIdentity),
        metadata=facet(Category.IDENTITY, "What identifies the person."),
    )
    descriptive: ContactDescriptive = attrs.field(
        factory=empty(ContactDescriptive),
        validator=check.required(ContactDescriptive),
        metadata=facet(Category.DESCRIPTIVE, "What the person is."),
    )
    qualitative: ContactQualitative = attrs.field(
        factory=empty(ContactQualitative),
        validator=check.required(ContactQualitative),
        metadata=facet(Category.QUALITATIVE, "What the person thinks, does or feels."),
    )
    quantitative: ContactQuantitative = attrs.field(
        factory=empty(ContactQuantitative),
        validator=check.required(ContactQuantitative),
        metadata=facet(Category.QUANTITATIVE, "Numbers about the person."),
    )
