"""Converters from an enum's value (``"customer"``) to its member, one per enum.

The attrs constructors take these as ``converter=``; each is a named, typed function so that
type checkers see what the constructor accepts (the member, its value as text, or ``None``).
Text that is not a member's value is left as it is, for the field's validator to refuse.
"""

from __future__ import annotations

from crmcore.records._checks import member
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


def source(value: Source | str | None) -> Source | None:
    """Accept a Source's value as text."""
    return member(Source, value)  # type: ignore[no-any-return]


def lifecycle_stage(value: LifecycleStage | str | None) -> LifecycleStage | None:
    """Accept a LifecycleStage's value as text."""
    return member(LifecycleStage, value)  # type: ignore[no-any-return]


def channel(value: Channel | str | None) -> Channel | None:
    """Accept a Channel's value as text."""
    return member(Channel, value)  # type: ignore[no-any-return]


def size_band(value: SizeBand | str | None) -> SizeBand | None:
    """Accept a SizeBand's value as text."""
    return member(SizeBand, value)  # type: ignore[no-any-return]


def satisfaction(value: Satisfaction | str | None) -> Satisfaction | None:
    """Accept a Satisfaction's value as text."""
    return member(Satisfaction, value)  # type: ignore[no-any-return]


def sentiment(value: Sentiment | str | None) -> Sentiment | None:
    """Accept a Sentiment's value as text."""
    return member(Sentiment, value)  # type: ignore[no-any-return]


def health(value: Health | str | None) -> Health | None:
    """Accept a Health's value as text."""
    return member(Health, value)  # type: ignore[no-any-return]


def account_type(value: AccountType | str | None) -> AccountType | None:
    """Accept a AccountType's value as text."""
    return member(AccountType, value)  # type: ignore[no-any-return]


def deal_type(value: DealType | str | None) -> DealType | None:
    """Accept a DealType's value as text."""
    return member(DealType, value)  # type: ignore[no-any-return]


def activity_kind(value: ActivityKind | str | None) -> ActivityKind | None:
    """Accept a ActivityKind's value as text."""
    return member(ActivityKind, value)  # type: ignore[no-any-return]


def direction(value: Direction | str | None) -> Direction | None:
    """Accept a Direction's value as text."""
    return member(Direction, value)  # type: ignore[no-any-return]


def activity_status(value: ActivityStatus | str | None) -> ActivityStatus | None:
    """Accept a ActivityStatus's value as text."""
    return member(ActivityStatus, value)  # type: ignore[no-any-return]


def category(value: Category | str | None) -> Category | None:
    """Accept a Category's value as text."""
    return member(Category, value)  # type: ignore[no-any-return]


def privacy_category(value: PrivacyCategory | str | None) -> PrivacyCategory | None:
    """Accept a PrivacyCategory's value as text."""
    return member(PrivacyCategory, value)  # type: ignore[no-any-return]
