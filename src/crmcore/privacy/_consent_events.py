"""The values of the consent ledger: lawful bases, event kinds, events and the ledger itself."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

import attrs

from crmcore.errors import InvalidValueError
from crmcore.records.enums import Channel, Source

__all__ = [
    "DIRECT_MARKETING",
    "SALE",
    "SENSITIVE_PI",
    "SHARING",
    "ConsentEvent",
    "ConsentKind",
    "ConsentLedger",
    "LawfulBasis",
    "check_purpose",
    "is_under",
    "reaches",
    "to_channel",
]

DIRECT_MARKETING = "direct_marketing"
"""The purpose under which to name every direct-marketing purpose (GDPR Art. 21(2)-(3))."""
SALE = "sale"
"""Selling personal information (CCPA, Civil Code § 1798.140(ad))."""
SHARING = "sharing"
"""Sharing for cross-context behavioural advertising (CCPA, Civil Code § 1798.140(ah))."""
SENSITIVE_PI = "sensitive_pi"
"""Using sensitive personal information beyond what § 1798.121 and regs § 7027(m) allow."""

_PURPOSE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
_PURPOSE_LIMIT = 200
_EVIDENCE_LIMIT = 1000


class LawfulBasis(enum.Enum):
    """The six lawful bases of GDPR Art. 6(1), points (a) to (f)."""

    CONSENT = "consent"
    """(a) the data subject has given consent."""
    CONTRACT = "contract"
    """(b) necessary for a contract with the data subject, or steps before one."""
    LEGAL_OBLIGATION = "legal_obligation"
    """(c) necessary to comply with a legal obligation."""
    VITAL_INTERESTS = "vital_interests"
    """(d) necessary to protect someone's vital interests."""
    PUBLIC_TASK = "public_task"
    """(e) necessary for a task in the public interest or in official authority."""
    LEGITIMATE_INTERESTS = "legitimate_interests"
    """(f) necessary for legitimate interests not overridden by the data subject's."""

    @property
    def article(self) -> str:
        """The citation, like ``GDPR Art. 6(1)(f)``.

        >>> LawfulBasis.LEGITIMATE_INTERESTS.article
        'GDPR Art. 6(1)(f)'
        """
        return f"GDPR Art. 6(1)({'abcdef'[list(LawfulBasis).index(self)]})"


class ConsentKind(enum.Enum):
    """What an event records; ``given`` says whether the person allows or refuses.

    ``given=False`` withdraws consent, makes an objection, opts out, limits, or is a GPC
    signal; ``given=True`` gives consent, lifts an objection or a limit, or opts back in.
    """

    CONSENT = "consent"
    """Consent given or withdrawn (Art. 7(3)), or another lawful basis relied on or ended."""
    OBJECTION = "objection"
    """An objection (Art. 21); it stands until the person lifts it or consents afresh."""
    OPT_OUT = "opt_out"
    """A CCPA opt-out of sale/sharing (§ 1798.120, regs § 7026), or an opt-in after one."""
    LIMIT = "limit"
    """A CCPA limit on the use of sensitive personal information (§ 1798.121, regs § 7027)."""
    GPC = "gpc"
    """A Global Privacy Control signal, an opt-out of sale/sharing (regs § 7025)."""


def check_purpose(purpose: object, field: str = "purpose") -> str:
    """Return ``purpose`` if it is a dotted lower-case name, else raise naming ``field``."""
    if (
        not isinstance(purpose, str)
        or len(purpose) > _PURPOSE_LIMIT
        or not _PURPOSE.fullmatch(purpose)
    ):
        raise InvalidValueError(
            "a purpose is dotted lower-case names, like 'direct_marketing.newsletter'",
            field=field,
        )
    return purpose


def is_under(purpose: str, parent: str) -> bool:
    """Whether ``purpose`` is ``parent`` or one of its sub-purposes.

    >>> is_under("direct_marketing.newsletter", DIRECT_MARKETING), is_under("sales", SALE)
    (True, False)
    """
    return purpose == parent or purpose.startswith(parent + ".")


def _enum(kind: type[enum.Enum], name: str) -> Any:
    def convert(value: object) -> Any:
        if isinstance(value, kind):
            return value
        try:
            return kind(value)
        except (ValueError, TypeError):  # the message quotes the value: raised outside
            pass
        raise InvalidValueError(f"expected a {kind.__name__}", field=name)

    return convert


def _optional_enum(kind: type[enum.Enum], name: str) -> Any:
    required = _enum(kind, name)
    return lambda value: None if value is None else required(value)


def _purpose(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_purpose(value, attribute.name)


def _boolean(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        raise InvalidValueError("expected True or False", field=attribute.name)


def _aware(_: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidValueError("expected a timezone-aware datetime", field=attribute.name)


def _evidence(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value.strip() or len(value) > _EVIDENCE_LIMIT:
        raise InvalidValueError(
            f"expected non-blank text of at most {_EVIDENCE_LIMIT} characters",
            field=attribute.name,
        )


def _channel(value: object) -> Channel | None:
    return _optional_enum(Channel, "channel")(value)  # type: ignore[no-any-return]


def to_channel(value: object) -> Channel:
    """``value`` as a :class:`~crmcore.Channel` (given as one or by value), else raise."""
    return _enum(Channel, "channel")(value)  # type: ignore[no-any-return]


def _source(value: object) -> Source | None:
    return _optional_enum(Source, "source")(value)  # type: ignore[no-any-return]


def _basis(value: object) -> LawfulBasis:
    return _enum(LawfulBasis, "basis")(value)  # type: ignore[no-any-return]


def _kind(value: object) -> ConsentKind:
    return _enum(ConsentKind, "kind")(value)  # type: ignore[no-any-return]


_CCPA_SALE = (SALE, SHARING)


@attrs.frozen(repr=False)
class ConsentEvent:
    """One thing a person said or signalled about a purpose, on a channel, at an instant.

    ``purpose`` is a dotted name, reaching its sub-purposes; ``channel`` ``None`` means every
    channel; ``given`` is whether the person allows (see :class:`ConsentKind`); ``at`` is
    timezone-aware. ``basis`` is the lawful basis the event is about (for an objection, the
    basis objected to); ``source`` is where the event was collected; ``evidence`` points to the
    proof (a form version, a request id) and never shows in the ``repr``.

    An opt-out of sale/sharing and a GPC signal are about :data:`SALE` or :data:`SHARING`
    and reach both, on every channel; a limit is about :data:`SENSITIVE_PI`, on every channel;
    a GPC signal always refuses. Anything else is refused with
    :class:`~crmcore.errors.InvalidValueError` naming the field.

    >>> from datetime import datetime, timezone
    >>> ConsentEvent("sale", None, False, datetime(2026, 1, 5, tzinfo=timezone.utc),
    ...              kind=ConsentKind.GPC, evidence="ip 192.0.2.7")
    ConsentEvent(purpose='sale', channel=None, given=False, at=datetime.datetime(2026, 1, 5, 0, 0, tzinfo=datetime.timezone.utc), basis=<LawfulBasis.CONSENT: 'consent'>, kind=<ConsentKind.GPC: 'gpc'>, source=None, evidence=<redacted>)
    """  # noqa: E501

    purpose: str = attrs.field(validator=_purpose)
    channel: Channel | None = attrs.field(converter=_channel)
    given: bool = attrs.field(validator=_boolean)
    at: datetime = attrs.field(validator=_aware)
    basis: LawfulBasis = attrs.field(default=LawfulBasis.CONSENT, kw_only=True, converter=_basis)
    kind: ConsentKind = attrs.field(default=ConsentKind.CONSENT, kw_only=True, converter=_kind)
    source: Source | None = attrs.field(default=None, kw_only=True, converter=_source)
    evidence: str | None = attrs.field(default=None, kw_only=True, validator=_evidence)

    def __attrs_post_init__(self) -> None:
        kind = self.kind
        if kind in (ConsentKind.OPT_OUT, ConsentKind.GPC) and self.purpose not in _CCPA_SALE:
            raise InvalidValueError(
                f"an event of kind {kind.value} is about 'sale' or 'sharing'", field="purpose"
            )
        if kind is ConsentKind.LIMIT and self.purpose != SENSITIVE_PI:
            raise InvalidValueError("a limit is about 'sensitive_pi'", field="purpose")
        if kind in (ConsentKind.OPT_OUT, ConsentKind.GPC, ConsentKind.LIMIT) and (
            self.channel is not None
        ):
            raise InvalidValueError(
                f"an event of kind {kind.value} concerns every channel: give None",
                field="channel",
            )
        if kind is ConsentKind.GPC and self.given:
            raise InvalidValueError("a GPC signal always opts out: give False", field="given")

    @property
    def utc(self) -> datetime:
        """``at`` in UTC, for ordering events given in different offsets."""
        return self.at.astimezone(timezone.utc)

    def sort_key(self) -> tuple[Any, ...]:
        """The key that orders a ledger: time first, then every field, for one total order."""
        return (
            self.utc,
            self.purpose,
            "" if self.channel is None else self.channel.value,
            self.kind.value,
            self.given,
            self.basis.value,
            "" if self.source is None else self.source.value,
            self.evidence is not None,
            self.evidence or "",
        )

    def __repr__(self) -> str:
        evidence = "None" if self.evidence is None else "<redacted>"
        return (
            f"ConsentEvent(purpose={self.purpose!r}, channel={self.channel!r}, "
            f"given={self.given!r}, at={self.at!r}, basis={self.basis!r}, kind={self.kind!r}, "
            f"source={self.source!r}, evidence={evidence})"
        )


def _events(events: Iterable[ConsentEvent]) -> tuple[ConsentEvent, ...]:
    if isinstance(events, (str, bytes, ConsentEvent)) or not isinstance(events, Iterable):
        raise InvalidValueError("expected an iterable of ConsentEvent", field="events")
    found = tuple(events)
    for position, event in enumerate(found):
        if not isinstance(event, ConsentEvent):
            raise InvalidValueError("expected a ConsentEvent", field=f"events[{position}]")
    return tuple(sorted(found, key=ConsentEvent.sort_key))


@attrs.frozen
class ConsentLedger:
    """One person's consent history: events in time order, whatever order they were given in.

    Equal histories make equal ledgers. :meth:`add` returns a new ledger.

    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 1, 5, tzinfo=timezone.utc)
    >>> ledger = ConsentLedger().add(ConsentEvent("direct_marketing", None, True, at))
    >>> len(ledger)
    1
    """

    events: tuple[ConsentEvent, ...] = attrs.field(default=(), converter=_events)

    def add(self, *events: ConsentEvent) -> ConsentLedger:
        """A new ledger with ``events`` added."""
        return ConsentLedger((*self.events, *_events(events)))

    def history(self, purpose: str, channel: Channel | None = None) -> tuple[ConsentEvent, ...]:
        """The events that reach ``purpose`` on ``channel`` (every channel if ``None``)."""
        check_purpose(purpose)
        channel = _channel(channel)
        return tuple(event for event in self.events if reaches(event, purpose, channel))

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[ConsentEvent]:
        return iter(self.events)


def reaches(event: ConsentEvent, purpose: str, channel: Channel | None) -> bool:
    """Whether ``event`` concerns ``purpose`` on ``channel`` (``None``: any channel)."""
    if channel is not None and event.channel is not None and event.channel is not channel:
        return False
    if event.kind in (ConsentKind.OPT_OUT, ConsentKind.GPC):
        return any(is_under(purpose, parent) for parent in _CCPA_SALE)
    return is_under(purpose, event.purpose)
