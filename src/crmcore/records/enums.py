"""Closed sets of values used by the records; every enum is stored and exchanged by its value."""

from __future__ import annotations

import enum

__all__ = [
    "AccountType",
    "ActivityKind",
    "ActivityStatus",
    "Channel",
    "DealType",
    "Direction",
    "Health",
    "LifecycleStage",
    "Satisfaction",
    "Sentiment",
    "SizeBand",
    "Source",
]


class Source(enum.Enum):
    """Where a value or a record came from."""

    FORM = "form"
    IMPORT = "import"
    INTERVIEW = "interview"
    WEB_ANALYTICS = "web_analytics"
    TRANSACTION = "transaction"
    FEEDBACK = "feedback"
    OBSERVATION = "observation"
    PUBLIC_RECORD = "public_record"
    API = "api"
    MANUAL = "manual"
    PURCHASED_LIST = "purchased_list"
    REFERRAL = "referral"
    EVENT = "event"
    OTHER = "other"


class LifecycleStage(enum.Enum):
    """Where a contact stands in the relationship, from first touch to advocate or lost."""

    SUBSCRIBER = "subscriber"
    LEAD = "lead"
    MARKETING_QUALIFIED = "marketing_qualified"
    SALES_QUALIFIED = "sales_qualified"
    PROSPECT = "prospect"
    OPPORTUNITY = "opportunity"
    CUSTOMER = "customer"
    EVANGELIST = "evangelist"
    FORMER_CUSTOMER = "former_customer"
    OTHER = "other"


class Channel(enum.Enum):
    """A way to reach someone or to be reached."""

    EMAIL = "email"
    SMS = "sms"
    PHONE = "phone"
    POST = "post"
    IN_PERSON = "in_person"
    CHAT = "chat"
    SOCIAL = "social"
    WEB = "web"
    VIDEO = "video"
    OTHER = "other"


class SizeBand(enum.Enum):
    """Organisation size by head count, in the bands most CRMs use."""

    SOLO = "1"
    MICRO = "2-9"
    SMALL = "10-49"
    MEDIUM = "50-249"
    LARGE = "250-999"
    ENTERPRISE = "1000+"


class Satisfaction(enum.Enum):
    """A labelled five-point satisfaction scale."""

    VERY_DISSATISFIED = "very_dissatisfied"
    DISSATISFIED = "dissatisfied"
    NEUTRAL = "neutral"
    SATISFIED = "satisfied"
    VERY_SATISFIED = "very_satisfied"

    @property
    def score(self) -> int:
        """The position on the scale, 1 (very dissatisfied) to 5 (very satisfied)."""
        return list(Satisfaction).index(self) + 1


class Sentiment(enum.Enum):
    """The feeling an interaction expressed."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"
    MIXED = "mixed"


class Health(enum.Enum):
    """An account manager's judgement of an account relationship (not personal health)."""

    AT_RISK = "at_risk"
    NEEDS_ATTENTION = "needs_attention"
    HEALTHY = "healthy"
    THRIVING = "thriving"


class AccountType(enum.Enum):
    """What an account is to us."""

    PROSPECT = "prospect"
    CUSTOMER = "customer"
    PARTNER = "partner"
    RESELLER = "reseller"
    SUPPLIER = "supplier"
    COMPETITOR = "competitor"
    OTHER = "other"


class DealType(enum.Enum):
    """What kind of business a deal brings."""

    NEW_BUSINESS = "new_business"
    RENEWAL = "renewal"
    UPSELL = "upsell"
    CROSS_SELL = "cross_sell"
    OTHER = "other"


class ActivityKind(enum.Enum):
    """What happened."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    TASK = "task"
    NOTE = "note"
    SUPPORT_REQUEST = "support_request"
    PURCHASE = "purchase"
    SOCIAL_INTERACTION = "social_interaction"
    SURVEY = "survey"


class Direction(enum.Enum):
    """Who started an interaction."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class ActivityStatus(enum.Enum):
    """Where an activity stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
