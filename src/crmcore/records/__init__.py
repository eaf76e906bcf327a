"""Typed CRM records, their value objects, and what crmcore knows of each field."""

from crmcore.records._base import Record
from crmcore.records._meta import Category, FieldInfo, PrivacyCategory
from crmcore.records.account import (
    Account,
    AccountDescriptive,
    AccountIdentity,
    AccountQualitative,
    AccountQuantitative,
)
from crmcore.records.activity import (
    Activity,
    ActivityDescriptive,
    ActivityIdentity,
    ActivityQualitative,
    ActivityQuantitative,
)
from crmcore.records.contact import (
    Contact,
    ContactDescriptive,
    ContactIdentity,
    ContactQualitative,
    ContactQuantitative,
)
from crmcore.records.custom import (
    CustomFields,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    CustomValue,
)
from crmcore.records.deal import (
    Deal,
    DealDescriptive,
    DealIdentity,
    DealQualitative,
    DealQuantitative,
)
from crmcore.records.enums import (
    AccountType,
    ActivityKind,
    ActivityStatus,
    Channel,
    DealType,
    Direction,
    Health,
    LifecycleStage,
    Satisfaction,
    Sentiment,
    SizeBand,
    Source,
)
from crmcore.records.introspect import FieldSpec, fields, personal_fields
from crmcore.records.values import (
    CommunicationPreferences,
    EmailAddress,
    ExternalId,
    Money,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    QuarantinedValue,
    RegistrationNumber,
    SocialEngagement,
)

RECORD_TYPES: tuple[type[Record], ...] = (Contact, Account, Deal, Activity)
"""The four record types, in a fixed order."""

__all__ = [
    "RECORD_TYPES",
    "Account",
    "AccountDescriptive",
    "AccountIdentity",
    "AccountQualitative",
    "AccountQuantitative",
    "AccountType",
    "Activity",
    "ActivityDescriptive",
    "ActivityIdentity",
    "ActivityKind",
    "ActivityQualitative",
    "ActivityQuantitative",
    "ActivityStatus",
    "Category",
    "Channel",
    "CommunicationPreferences",
    "Contact",
    "ContactDescriptive",
    "ContactIdentity",
    "ContactQualitative",
    "ContactQuantitative",
    "CustomFieldSpec",
    "CustomFields",
    "CustomSchema",
    "CustomType",
    "CustomValue",
    "Deal",
    "DealDescriptive",
    "DealIdentity",
    "DealQualitative",
    "DealQuantitative",
    "DealType",
    "Direction",
    "EmailAddress",
    "ExternalId",
    "FieldInfo",
    "FieldSpec",
    "Health",
    "LifecycleStage",
    "Money",
    "Note",
    "PersonName",
    "PhoneNumber",
    "PostalAddress",
    "PrivacyCategory",
    "QuarantinedValue",
    "Record",
    "RegistrationNumber",
    "Satisfaction",
    "Sentiment",
    "SizeBand",
    "SocialEngagement",
    "Source",
    "fields",
    "personal_fields",
]
