"""A privacy request's lifecycle: :class:`PrivacyRequest`, immutable, every step recorded.

A request is received, may wait for proof of identity or a clarification, goes in progress,
may be extended once (when its regime allows), and ends completed or refused with a reason.
Each step returns a new request whose ``history`` records when and why, for a regulator; a step
the lifecycle does not allow raises :class:`~crmcore.privacy.TransitionError` and changes
nothing.

>>> from datetime import datetime, timezone
>>> from crmcore.privacy import GDPR, Calendar
>>> day = lambda d: datetime(2026, 3, d, 10, 0, tzinfo=timezone.utc)
>>> request = PrivacyRequest("dsr-1", "access", GDPR, day(2))
>>> request = request.verify_identity(day(3)).start(day(4)).complete(day(20), "sent by post")
>>> request.status.value, [event.status.value for event in request.history][1:]
('completed', ['identity_verified', 'in_progress', 'completed'])
>>> request.deadline(Calendar()).due
datetime.date(2026, 4, 2)
>>> request.start(day(21))
Traceback (most recent call last):
...
crmcore.privacy.errors.TransitionError: a request cannot go from completed to in_progress
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from crmcore._safe import is_field_like
from crmcore.errors import InvalidValueError
from crmcore.privacy._args import read_aware, read_text
from crmcore.privacy.calendar import Calendar
from crmcore.privacy.deadlines import Deadline, Wait, WaitReason, deadline, read_regime
from crmcore.privacy.errors import TransitionError
from crmcore.privacy.kinds import RequestKind, read_kind
from crmcore.privacy.regime import RESPOND, Regime

__all__ = ["TRANSITIONS", "PrivacyRequest", "RequestEvent", "RequestStatus"]


class RequestStatus(enum.Enum):
    """Where a privacy request stands; stored and exchanged by its value."""

    RECEIVED = "received"
    AWAITING_IDENTITY = "awaiting_identity"
    IDENTITY_VERIFIED = "identity_verified"
    AWAITING_CLARIFICATION = "awaiting_clarification"
    IN_PROGRESS = "in_progress"
    EXTENDED = "extended"
    COMPLETED = "completed"
    REFUSED = "refused"


_S = RequestStatus

TRANSITIONS: Mapping[RequestStatus, frozenset[RequestStatus]] = MappingProxyType(
    {
        _S.RECEIVED: frozenset(
            {
                _S.AWAITING_IDENTITY,
                _S.IDENTITY_VERIFIED,
                _S.AWAITING_CLARIFICATION,
                _S.IN_PROGRESS,
                _S.EXTENDED,
                _S.COMPLETED,
                _S.REFUSED,
            }
        ),
        _S.AWAITING_IDENTITY: frozenset({_S.IDENTITY_VERIFIED, _S.REFUSED}),
        _S.IDENTITY_VERIFIED: frozenset(
            {_S.AWAITING_CLARIFICATION, _S.IN_PROGRESS, _S.EXTENDED, _S.COMPLETED, _S.REFUSED}
        ),
        _S.AWAITING_CLARIFICATION: frozenset({_S.IN_PROGRESS, _S.REFUSED}),
        _S.IN_PROGRESS: frozenset(
            {_S.AWAITING_CLARIFICATION, _S.EXTENDED, _S.COMPLETED, _S.REFUSED}
        ),
        _S.EXTENDED: frozenset({_S.AWAITING_CLARIFICATION, _S.COMPLETED, _S.REFUSED}),
        _S.COMPLETED: frozenset(),
        _S.REFUSED: frozenset(),
    }
)
"""The statuses each status may move to. ``completed`` and ``refused`` are final; a request is
extended at most once, and only when its regime allows an extension for its kind."""

#: The steps that must say why: an extension's reasons go to the requester (GDPR Art. 12(3),
#: CCPA regs § 7021(b), 45 CFR 164.524(b)(2), PIPEDA s. 8(4)), and so do a refusal's (GDPR
#: Art. 12(4), PIPEDA s. 8(7)).
_NEEDS_WHY = frozenset({_S.EXTENDED, _S.REFUSED})

_WAITS: Mapping[RequestStatus, WaitReason] = MappingProxyType(
    {_S.AWAITING_IDENTITY: "identity", _S.AWAITING_CLARIFICATION: "clarification"}
)


def _why_repr(why: str) -> str:
    return f"<{len(why)} characters>"


def _status(value: object) -> RequestStatus:
    if isinstance(value, RequestStatus):
        return value
    try:
        return RequestStatus(value)
    except ValueError:  # its message quotes the value: raised outside, the chain keeps none
        pass
    raise InvalidValueError("unknown request status", field="status")


@attrs.frozen
class RequestEvent:
    """One step of a request: the ``status`` it entered, ``at`` what time, and ``why``.

    ``why`` is free text for the record (a refusal's reason, an extension's); its ``repr``
    shows only its length, since it may quote the requester.
    """

    status: RequestStatus = attrs.field(converter=_status)
    at: _dt.datetime = attrs.field()
    why: str = attrs.field(default="", repr=_why_repr)

    def __attrs_post_init__(self) -> None:
        read_aware(self.at, "at")
        read_text(self.why, "why", required=False)


def _step_problem(
    current: RequestStatus, target: RequestStatus, extended: bool, request: PrivacyRequest
) -> str | None:
    """Why ``current`` cannot move to ``target``, or ``None`` if it can."""
    if target is _S.EXTENDED and extended:
        return "a request is extended once"
    if target not in TRANSITIONS[current]:
        return ""
    if target is _S.EXTENDED:
        timing = request.regime.timing(request.kind)
        if timing.extension is None:
            return f"{request.regime.name} allows no extension for {request.kind.value} requests"
    return None


def _default_history(request: PrivacyRequest) -> tuple[RequestEvent, ...]:
    return (RequestEvent(_S.RECEIVED, request.received),)


def _read_id(value: object) -> str:
    return read_text(value, "id", required=True, limit=200)


def _read_received(value: object) -> _dt.datetime:
    return read_aware(value, "received")


def _read_history(value: Iterable[RequestEvent]) -> tuple[RequestEvent, ...]:
    if isinstance(value, (str, bytes, RequestEvent)):
        raise InvalidValueError("expected an iterable of RequestEvent", field="history")
    try:
        found = tuple(value)
    except TypeError:
        raise InvalidValueError("expected an iterable of RequestEvent", field="history") from None
    if not found or not all(isinstance(event, RequestEvent) for event in found):
        raise InvalidValueError("expected a non-empty iterable of RequestEvent", field="history")
    return found


@attrs.frozen(repr=False)
class PrivacyRequest:
    """A privacy request under a :class:`~crmcore.privacy.Regime`, with its whole history.

    ``regime`` is a :class:`~crmcore.privacy.Regime` or a built-in regime's name (``"gdpr"``).
    ``id`` is the caller's reference for the request (not a personal value: it may appear in
    a ``repr`` when it looks like a reference). ``history`` starts with the ``received`` event;
    build a request with the four first arguments and move it with the step methods. A
    ``history`` given back (read from storage) is checked step by step.
    """

    id: str = attrs.field(converter=_read_id)
    kind: RequestKind = attrs.field(converter=read_kind)
    regime: Regime = attrs.field(converter=read_regime)
    received: _dt.datetime = attrs.field(converter=_read_received)
    history: tuple[RequestEvent, ...] = attrs.field(
        default=attrs.Factory(_default_history, takes_self=True), converter=_read_history
    )

    def __attrs_post_init__(self) -> None:
        self.regime.timing(self.kind)  # the regime sets a period for this kind
        first = self.history[0]
        if first.status is not _S.RECEIVED or first.at != self.received:
            raise InvalidValueError(
                "the history starts with the received event, at the time received",
                field="history",
            )
        extended = False
        for position, (before, after) in enumerate(
            zip(self.history, self.history[1:], strict=False), 1
        ):
            problem = _step_problem(before.status, after.status, extended, self)
            if problem is not None:
                raise InvalidValueError(
                    f"step {position} cannot go from {before.status.value} to "
                    f"{after.status.value}" + (f": {problem}" if problem else ""),
                    field="history",
                )
            if after.at < before.at:
                raise InvalidValueError(
                    f"step {position} is earlier than the one before", field="history"
                )
            if after.status in _NEEDS_WHY and not after.why.strip():
                raise InvalidValueError(f"step {position} needs a reason", field="history")
            extended = extended or after.status is _S.EXTENDED

    # -- reading -----------------------------------------------------------------------------

    @property
    def status(self) -> RequestStatus:
        """The status of the last event."""
        return self.history[-1].status

    @property
    def extended(self) -> bool:
        """Whether the request has been extended."""
        return any(event.status is _S.EXTENDED for event in self.history)

    @property
    def closed(self) -> bool:
        """Whether the request is completed or refused: no step is left."""
        return not TRANSITIONS[self.status]

    def allowed(self) -> frozenset[RequestStatus]:
        """The statuses the request may move to now."""
        extended = self.extended
        return frozenset(
            target
            for target in TRANSITIONS[self.status]
            if _step_problem(self.status, target, extended, self) is None
        )

    def waits(self, as_of: _dt.datetime | None = None) -> tuple[Wait, ...]:
        """The times the request waited for proof of identity or a clarification.

        A wait still open ends at ``as_of`` when given, and is left out otherwise.
        """
        found: list[Wait] = []
        for event, after in zip(self.history, (*self.history[1:], None), strict=True):
            reason = _WAITS.get(event.status)
            if reason is None:
                continue
            if after is not None:
                found.append(Wait(reason, event.at, after.at))
            elif as_of is not None:
                moment = read_aware(as_of, "as_of")
                if moment < event.at:
                    raise InvalidValueError("earlier than the request's last step", field="as_of")
                found.append(Wait(reason, event.at, moment))
        return tuple(found)

    def deadline(
        self, calendar: Calendar, *, clock: str = RESPOND, as_of: _dt.datetime | None = None
    ) -> Deadline:
        """The deadline on ``clock``, with the request's extension and waits taken into account.

        While the request waits for the requester and its regime pauses or restarts the clock
        for it, the deadline depends on when the answer comes: pass ``as_of`` to count as if it
        came then, else :class:`~crmcore.errors.InvalidValueError` names ``as_of``.
        """
        waiting = _WAITS.get(self.status)
        if waiting is not None and as_of is None and getattr(self.regime, waiting) != "runs":
            raise InvalidValueError(
                f"the clock waits for the requester's {waiting}: pass the time to count to",
                field="as_of",
            )
        return deadline(
            self.regime,
            self.kind,
            self.received,
            calendar,
            extended=self.extended,
            clock=clock,
            waits=self.waits(as_of),
        )

    # -- moving --------------------------------------------------------------------------------

    def advance(
        self, status: RequestStatus | str, at: _dt.datetime, why: str = ""
    ) -> PrivacyRequest:
        """A copy moved to ``status`` at ``at``, the step recorded with ``why``.

        Raises :class:`~crmcore.privacy.TransitionError` when the lifecycle does not allow the
        step, and :class:`~crmcore.errors.InvalidValueError` naming ``at`` or ``why`` when the
        time is naive or earlier than the last step, or a reason is missing.
        """
        target = _status(status)
        moment = read_aware(at, "at")
        text = read_text(why, "why", required=target in _NEEDS_WHY)
        problem = _step_problem(self.status, target, self.extended, self)
        if problem is not None:
            raise TransitionError(self.status.value, target.value, problem)
        if moment < self.history[-1].at:
            raise InvalidValueError("earlier than the request's last step", field="at")
        return attrs.evolve(self, history=(*self.history, RequestEvent(target, moment, text)))

    def ask_identity(self, at: _dt.datetime, why: str = "") -> PrivacyRequest:
        """Ask the requester for proof of identity (GDPR Art. 12(6), 11 CCR § 7060)."""
        return self.advance(_S.AWAITING_IDENTITY, at, why)

    def verify_identity(self, at: _dt.datetime, why: str = "") -> PrivacyRequest:
        """Record that the requester's identity is verified."""
        return self.advance(_S.IDENTITY_VERIFIED, at, why)

    def ask_clarification(self, at: _dt.datetime, why: str = "") -> PrivacyRequest:
        """Ask the requester to clarify the request (the ICO's "stop the clock")."""
        return self.advance(_S.AWAITING_CLARIFICATION, at, why)

    def start(self, at: _dt.datetime, why: str = "") -> PrivacyRequest:
        """Work on the request, or again after a clarification came."""
        return self.advance(_S.IN_PROGRESS, at, why)

    def extend(
        self, at: _dt.datetime, why: str, *, calendar: Calendar | None = None
    ) -> PrivacyRequest:
        """Take the regime's extension, once, giving the reasons told to the requester.

        With ``calendar``, an extension decided after the last day to notify it (the end of
        the first period: GDPR Art. 12(3), 11 CCR § 7021(b), 45 CFR 164.524(b)(2), PIPEDA
        s. 8(4)) raises :class:`~crmcore.privacy.TransitionError`.
        """
        extended = self.advance(_S.EXTENDED, at, why)
        if calendar is not None:
            first = self.deadline(calendar, as_of=at)
            if first.days_left(at) < 0:
                raise TransitionError(
                    self.status.value, _S.EXTENDED.value, "the first period is over"
                )
        return extended

    def complete(self, at: _dt.datetime, why: str = "") -> PrivacyRequest:
        """Record that the request was answered in full."""
        return self.advance(_S.COMPLETED, at, why)

    def refuse(self, at: _dt.datetime, reason: str) -> PrivacyRequest:
        """Refuse the request, with the reason told to the requester."""
        try:
            return self.advance(_S.REFUSED, at, reason)
        except InvalidValueError as error:
            if error.field == "why":
                raise InvalidValueError(error.reason, field="reason") from None
            raise

    def __repr__(self) -> str:
        shown = repr(self.id) if is_field_like(self.id) else "<id>"
        return (
            f"PrivacyRequest(id={shown}, kind={self.kind.value!r}, regime={self.regime.name!r},"
            f" status={self.status.value!r}, <{len(self.history)} event(s)>)"
        )
