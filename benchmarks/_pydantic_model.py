"""The pydantic v2 equivalent of crmcore's Contact, for the conversion benchmarks.

The models have crmcore's facets, nested structure, field names and checks, written as a
pydantic user would write them: frozen models that forbid unknown keys, tuples for lists,
``EmailStr`` for emails, pydantic-extra-types' ``PhoneNumber`` for phones, ``AwareDatetime``
for instants, ``PastDate`` for the birth date, ``NonNegativeInt`` for counts, ``Decimal``
for money, ISO country and currency codes as ``Literal`` sets (the same sets crmcore uses),
and crmcore's own enums.

Where pydantic's types hold one value, crmcore keeps two: an email is stored once, normalised
(crmcore keeps the text as given beside its normalised form); a phone is stored once, in E.164
form (crmcore keeps the text as given, the region it was read in, the E.164 form and the
extension). :class:`PlainContact` is the same model with plain ``str`` emails and phones: the
like-for-like baseline for reading back data whose values are already normalised, which the
validated model re-checks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    NonNegativeInt,
    StringConstraints,
)
from pydantic_extra_types.phone_numbers import PhoneNumber

from crmcore._iso import COUNTRY_CODES, CURRENCY_CODES
from crmcore.records.enums import (
    Channel,
    LifecycleStage,
    Satisfaction,
    SizeBand,
    Source,
)

__all__ = ["Contact", "E164PhoneNumber", "PlainContact"]

Text = Annotated[str, StringConstraints(min_length=1)]
"""Non-empty text, as crmcore's text fields (which also refuse blank text)."""

if TYPE_CHECKING:
    CountryCode = str
    CurrencyCode = str
else:  # the same code sets as crmcore's checks, validated by pydantic-core as literals
    CountryCode = Literal[tuple(sorted(COUNTRY_CODES))]
    CurrencyCode = Literal[tuple(sorted(CURRENCY_CODES))]
CustomValue = str | int | bool | Decimal | date | AwareDatetime | tuple[str, ...]


class E164PhoneNumber(PhoneNumber):
    """pydantic-extra-types' phone number, formatted in E.164 as crmcore stores it.

    Validation is ``phonenumbers.parse`` (no default region: the input is international),
    ``is_valid_number`` and ``format_number`` in E.164.
    """

    phone_format = "E164"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PersonName(_Model):
    prefix: Text | None = None
    given: Text | None = None
    middle: Text | None = None
    family: Text | None = None
    suffix: Text | None = None


class EmailAddress(_Model):
    address: EmailStr
    label: Text | None = None
    primary: bool = False
    source: Source | None = None
    collected_at: AwareDatetime | None = None
    verified_at: AwareDatetime | None = None


class Phone(_Model):
    number: E164PhoneNumber
    label: Text | None = None
    primary: bool = False
    source: Source | None = None
    collected_at: AwareDatetime | None = None
    verified_at: AwareDatetime | None = None


class PostalAddress(_Model):
    lines: tuple[Text, ...] = ()
    locality: Text | None = None
    region: Text | None = None
    postal_code: Text | None = None
    country: CountryCode | None = None
    label: Text | None = None
    primary: bool = False
    source: Source | None = None
    collected_at: AwareDatetime | None = None
    verified_at: AwareDatetime | None = None


class Money(_Model):
    amount: Decimal = Field(allow_inf_nan=False)
    currency: CurrencyCode


class ExternalId(_Model):
    system: Text
    value: Text


class Note(_Model):
    text: Text
    author: Text | None = None
    created_at: AwareDatetime | None = None


class CommunicationPreferences(_Model):
    preferred_channel: Channel | None = None
    email_opt_in: bool | None = None
    sms_opt_in: bool | None = None
    phone_opt_in: bool | None = None
    post_opt_in: bool | None = None


class SocialEngagement(_Model):
    likes: NonNegativeInt = 0
    shares: NonNegativeInt = 0
    comments: NonNegativeInt = 0
    follows: NonNegativeInt = 0


class QuarantinedValue(_Model):
    path: Text
    value: str
    code: Text
    reason: Text
    at: AwareDatetime | None = None


class ContactIdentity(_Model):
    name: PersonName = Field(default_factory=PersonName)
    emails: tuple[EmailAddress, ...] = ()
    phones: tuple[Phone, ...] = ()
    addresses: tuple[PostalAddress, ...] = ()
    birth_date: date | None = None
    organisation: Text | None = None
    account_ref: Text | None = None
    account_number: Text | None = None
    external_ids: tuple[ExternalId, ...] = ()
    custom: dict[str, CustomValue] = Field(default_factory=dict)


class ContactDescriptive(_Model):
    job_title: Text | None = None
    profession: Text | None = None
    industry: Text | None = None
    territory: Text | None = None
    organisation_size: SizeBand | None = None
    lifecycle_stage: LifecycleStage | None = None
    lead_source: Source | None = None
    language: Text | None = None
    gender: Text | None = None
    communication: CommunicationPreferences = Field(default_factory=CommunicationPreferences)
    custom: dict[str, CustomValue] = Field(default_factory=dict)


class ContactQualitative(_Model):
    satisfaction: Satisfaction | None = None
    motivations: tuple[Text, ...] = ()
    interest_reasons: tuple[Text, ...] = ()
    wished_attributes: tuple[Text, ...] = ()
    pain_points: tuple[Text, ...] = ()
    notes: tuple[Note, ...] = ()
    custom: dict[str, CustomValue] = Field(default_factory=dict)


class ContactQuantitative(_Model):
    email_opens: NonNegativeInt | None = None
    email_clicks: NonNegativeInt | None = None
    purchase_count: NonNegativeInt | None = None
    total_spent: Money | None = None
    last_purchase_on: date | None = None
    lifetime_value: Money | None = None
    tickets_filed: NonNegativeInt | None = None
    tickets_open: NonNegativeInt | None = None
    social: SocialEngagement | None = None
    nps: Annotated[int, Field(ge=0, le=10)] | None = None
    custom: dict[str, CustomValue] = Field(default_factory=dict)


class Contact(_Model):
    id: Text
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    source: Source | None = None
    last_verified_at: AwareDatetime | None = None
    quarantine: tuple[QuarantinedValue, ...] = ()
    identity: ContactIdentity = Field(default_factory=ContactIdentity)
    descriptive: ContactDescriptive = Field(default_factory=ContactDescriptive)
    qualitative: ContactQualitative = Field(default_factory=ContactQualitative)
    quantitative: ContactQuantitative = Field(default_factory=ContactQuantitative)


# -- the same shape with plain text emails and phones: no re-validation of normalised values --


class PlainEmailAddress(EmailAddress):
    address: str


class PlainPhone(Phone):
    number: str  # type: ignore[assignment]


class PlainContactIdentity(ContactIdentity):
    emails: tuple[PlainEmailAddress, ...] = ()
    phones: tuple[PlainPhone, ...] = ()


class PlainContact(Contact):
    identity: PlainContactIdentity = Field(default_factory=PlainContactIdentity)
