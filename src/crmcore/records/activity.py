"""The Activity record: one interaction (a call, an email, a purchase, a survey, ...)."""

from __future__ import annotations

from datetime import datetime

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
from crmcore.records.enums import ActivityKind, ActivityStatus, Channel, Direction, Sentiment
from crmcore.records.values import ExternalId, Money

__all__ = [
    "Activity",
    "ActivityDescriptive",
    "ActivityIdentity",
    "ActivityQualitative",
    "ActivityQuantitative",
]


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class ActivityIdentity(Compact):
    """Which records the activity concerns."""

    contact_refs: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("The ids of the Contacts concerned.", refers_to="Contact"),
    )
    account_refs: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("The ids of the Accounts concerned.", refers_to="Account"),
    )
    deal_refs: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("The ids of the Deals concerned.", refers_to="Deal"),
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
class ActivityDescriptive(Compact):
    """What kind of interaction it was, when, and where it stands."""

    kind: ActivityKind | None = attrs.field(
        default=None,
        converter=coerce.activity_kind,
        validator=check.member_of(ActivityKind),
        metadata=meta("What happened."),
    )
    channel: Channel | None = attrs.field(
        default=None,
        converter=coerce.channel,
        validator=check.member_of(Channel),
        metadata=meta("Through which channel."),
    )
    direction: Direction | None = attrs.field(
        default=None,
        converter=coerce.direction,
        validator=check.member_of(Direction),
        metadata=meta("Who started it."),
    )
    occurred_at: datetime | None = attrs.field(
        default=None, validator=check.aware, metadata=meta("When it happened or is due.")
    )
    status: ActivityStatus | None = attrs.field(
        default=None,
        converter=coerce.activity_status,
        validator=check.member_of(ActivityStatus),
        metadata=meta("Where it stands."),
    )
    subject: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("A subject line or title.", personal=True, privacy=P.FREE_TEXT),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class ActivityQualitative(Compact):
    """How it went, in words."""

    outcome: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("What came of it.", personal=True, privacy=P.FREE_TEXT),
    )
    sentiment: Sentiment | None = attrs.field(
        default=None,
        converter=coerce.sentiment,
        validator=check.member_of(Sentiment),
        metadata=meta("The feeling expressed.", personal=True, privacy=P.OPINION),
    )
    content: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta(
            "The body: message, transcript or ticket text (may hold health data).",
            personal=True,
            privacy=P.FREE_TEXT,
        ),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class ActivityQuantitative(Compact):
    """The numbers of the interaction; ``None`` means unknown."""

    duration_seconds: int | None = attrs.field(
        default=None,
        validator=check.count,
        metadata=meta("How long it lasted, in seconds.", combine="latest"),
    )
    opens: int | None = attrs.field(
        default=None,
        validator=check.count,
        metadata=meta(
            "Times an email was opened.", personal=True, privacy=P.BEHAVIOURAL, combine="max"
        ),
    )
    clicks: int | None = attrs.field(
        default=None,
        validator=check.count,
        metadata=meta("Links clicked.", personal=True, privacy=P.BEHAVIOURAL, combine="max"),
    )
    amount: Money | None = attrs.field(
        default=None,
        validator=check.instance(Money, "Money"),
        metadata=meta("Amount of a purchase.", personal=True, privacy=P.FINANCIAL),
    )
    custom: CustomFields = custom_field()


@redacted
@lean_init
@attrs.frozen
class Activity(Record):
    """One interaction with a contact or an account."""

    identity: ActivityIdentity = attrs.field(
        factory=empty(ActivityIdentity),
        validator=check.required(ActivityIdentity),
        metadata=facet(Category.IDENTITY, "What it concerns."),
    )
    descriptive: ActivityDescriptive = attrs.field(
        factory=empty(ActivityDescriptive),
        validator=check.required(ActivityDescriptive),
        metadata=facet(Category.DESCRIPTIVE, "What, when, how."),
    )
    qualitative: ActivityQualitative = attrs.field(
        factory=empty(ActivityQualitative),
        validator=check.required(ActivityQualitative),
        metadata=facet(Category.QUALITATIVE, "How it went."),
    )
    quantitative: ActivityQuantitative = attrs.field(
        factory=empty(ActivityQuantitative),
        validator=check.required(ActivityQuantitative),
        metadata=facet(Category.QUANTITATIVE, "Its numbers."),
    )
