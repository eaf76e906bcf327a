"""The Deal record: a sales opportunity, in four facets of CRM data."""

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
from crmcore.records.enums import DealType, Source
from crmcore.records.values import ExternalId, Money

__all__ = ["Deal", "DealDescriptive", "DealIdentity", "DealQualitative", "DealQuantitative"]


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class DealIdentity(Compact):
    """What identifies one deal and what it concerns."""

    name: str | None = attrs.field(default=None, validator=check.text, metadata=meta("Deal name."))
    account_ref: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("The id of the Account.", refers_to="Account"),
    )
    contact_refs: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("The ids of the Contacts involved.", refers_to="Contact"),
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
class DealDescriptive(Compact):
    """Where the deal stands and what it is about."""

    pipeline: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("The sales pipeline.")
    )
    stage: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("The stage within the pipeline.")
    )
    deal_type: DealType | None = attrs.field(
        default=None,
        converter=coerce.deal_type,
        validator=check.member_of(DealType),
        metadata=meta("Kind of business."),
    )
    source: Source | None = attrs.field(
        default=None,
        converter=coerce.source,
        validator=check.member_of(Source),
        metadata=meta("Where the deal came from."),
    )
    owner: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Who owns the deal (a user id or name).", personal=True, privacy=P.NAME),
    )
    expected_close_on: date | None = attrs.field(
        default=None, validator=check.a_date, metadata=meta("Expected close date.")
    )
    products: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("Products or SKUs in the deal."),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class DealQualitative(Compact):
    """Why the deal exists, why it was lost, and what comes next, in words."""

    interest_reason: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("Why the buyer is interested.")
    )
    loss_reason: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("Why the deal was lost.")
    )
    next_step: str | None = attrs.field(
        default=None, validator=check.text, metadata=meta("The agreed next step.")
    )
    competitor_notes: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("What is known of competitors.", personal=True, privacy=P.FREE_TEXT),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class DealQuantitative(Compact):
    """The numbers of the deal; ``None`` means unknown."""

    amount: Money | None = attrs.field(
        default=None, validator=check.instance(Money, "Money"), metadata=meta("Deal amount.")
    )
    probability: float | None = attrs.field(
        default=None, validator=check.fraction, metadata=meta("Chance to win, 0 to 1.")
    )
    expected_revenue: Money | None = attrs.field(
        default=None,
        validator=check.instance(Money, "Money"),
        metadata=meta("Amount weighted by probability, as the source computed it."),
    )
    days_in_stage: int | None = attrs.field(
        default=None,
        validator=check.count,
        metadata=meta("Days in the current stage.", combine="latest"),
    )
    discount: float | None = attrs.field(
        default=None, validator=check.fraction, metadata=meta("Discount as a fraction, 0 to 1.")
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen
class Deal(Record):
    """A sales opportunity."""

    identity: DealIdentity = attrs.field(
        factory=empty(DealIdentity),
        validator=check.required(DealIdentity),
        metadata=facet(Category.IDENTITY, "What identifies the deal."),
    )
    descriptive: DealDescriptive = attrs.field(
        factory=empty(DealDescriptive),
        validator=check.required(DealDescriptive),
        metadata=facet(Category.DESCRIPTIVE, "Where the deal stands."),
    )
    qualitative: DealQualitative = attrs.field(
        factory=empty(DealQualitative),
        validator=check.required(DealQualitative),
        metadata=facet(Category.QUALITATIVE, "Why, and what next."),
    )
    quantitative: DealQuantitative = attrs.field(
        factory=empty(DealQuantitative),
        validator=check.required(DealQuantitative),
        metadata=facet(Category.QUANTITATIVE, "The deal's numbers."),
    )
