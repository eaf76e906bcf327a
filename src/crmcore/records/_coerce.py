"""Converters from an enum's value (``"customer"``) to its member, one per enum.

The attrs constructors take these as ``converter=``; each is a named, typed function so that
type checkers see what the constructor accepts (the member, its value as text, or ``None``).
Text that is not a member's value is left as it is, for the field's validator to refuse.
"""

from __future__ import annotations

from crmcore.records._meta import Category, PrivacyCategory
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

# The member of each value (``"customer"`` gives ``LifecycleStage.CUSTOMER``).
_SOURCE = Source._value2member_map_
_LIFECYCLE_STAGE = LifecycleStage._value2member_map_
_CHANNEL = Channel._value2member_map_
_SIZE_BAND = SizeBand._value2member_map_
_SATISFACTION = Satisfaction._value2member_map_
_SENTIMENT = Sentiment._value2member_map_
_HEALTH = Health._value2member_map_
_ACCOUNT_TYPE = AccountType._value2member_map_
_DEAL_TYPE = DealType._value2member_map_
_ACTIVITY_KIND = ActivityKind._value2member_map_
_DIRECTION = Direction._value2member_map_
_ACTIVITY_STATUS = ActivityStatus._value2member_map_
_CATEGORY = Category._value2member_map_
_PRIVACY_CATEGORY = PrivacyCategory._value2member_map_


def source(value: Source | str | None) -> Source | None:
    """Accept a Source's value as text."""
    if value.__class__ is str:
        return _SOURCE.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def lifecycle_stage(value: LifecycleStage | str | None) -> LifecycleStage | None:
    """Accept a LifecycleStage's value as text."""
    if value.__class__ is str:
        return _LIFECYCLE_STAGE.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def channel(value: Channel | str | None) -> Channel | None:
    """Accept a Channel's value as text."""
    if value.__class__ is str:
        return _CHANNEL.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def size_band(value: SizeBand | str | None) -> SizeBand | None:
    """Accept a SizeBand's value as text."""
    if value.__class__ is str:
        return _SIZE_BAND.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def satisfaction(value: Satisfaction | str | None) -> Satisfaction | None:
    """Accept a Satisfaction's value as text."""
    if value.__class__ is str:
        return _SATISFACTION.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def sentiment(value: Sentiment | str | None) -> Sentiment | None:
    """Accept a Sentiment's value as text."""
    if value.__class__ is str:
        return _SENTIMENT.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def health(value: Health | str | None) -> Health | None:
    """Accept a Health's value as text."""
    if value.__class__ is str:
        return _HEALTH.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def account_type(value: AccountType | str | None) -> AccountType | None:
    """Accept a AccountType's value as text."""
    if value.__class__ is str:
        return _ACCOUNT_TYPE.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def deal_type(value: DealType | str | None) -> DealType | None:
    """Accept a DealType's value as text."""
    if value.__class__ is str:
        return _DEAL_TYPE.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def activity_kind(value: ActivityKind | str | None) -> ActivityKind | None:
    """Accept a ActivityKind's value as text."""
    if value.__class__ is str:
        return _ACTIVITY_KIND.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def direction(value: Direction | str | None) -> Direction | None:
    """Accept a Direction's value as text."""
    if value.__class__ is str:
        return _DIRECTION.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def activity_status(value: ActivityStatus | str | None) -> ActivityStatus | None:
    """Accept a ActivityStatus's value as text."""
    if value.__class__ is str:
        return _ACTIVITY_STATUS.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def category(value: Category | str | None) -> Category | None:
    """Accept a Category's value as text."""
    if value.__class__ is str:
        return _CATEGORY.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]


def privacy_category(value: PrivacyCategory | str | None) -> PrivacyCategory | None:
    """Accept a PrivacyCategory's value as text."""
    if value.__class__ is str:
        return _PRIVACY_CATEGORY.get(value, value)  # type: ignore[arg-type, return-value]
    return value  # type: ignore[return-value]
