"""When a privacy request must be answered: :func:`deadline` and the :class:`Deadline` it returns.

>>> from datetime import datetime, timezone
>>> from crmcore.privacy import GDPR, Calendar
>>> received = datetime(2026, 1, 31, 15, 0, tzinfo=timezone.utc)
>>> found = deadline(GDPR, "access", received, Calendar())
>>> found.due, found.due.strftime("%A")
(datetime.date(2026, 3, 2), 'Monday')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any, Literal, get_args

import attrs

from crmcore.errors import InvalidValueError
from crmcore.privacy._args import read_aware
from crmcore.privacy.calendar import Calendar
from crmcore.privacy.kinds import RequestKind, read_kind
from crmcore.privacy.laws import BUILTIN_REGIMES
from crmcore.privacy.periods import add_months
from crmcore.privacy.regime import RESPOND, Regime, Timing, read_clock

__all__ = [
    "Deadline",
    "Wait",
    "WaitReason",
    "deadline",
]

WaitReason = Literal["identity", "clarification"]
"""What a controller waited for: proof of identity or a clarification of the request."""


def _reason(value: object) -> Any:
    if value not in get_args(WaitReason):
        raise InvalidValueError("expected identity or clarification", field="reason")
    return value


@attrs.frozen
class Wait:
    """A time the controller waited for the requester: ``asked`` then ``answered``.

    What it does to the clock is the regime's ``identity`` or ``clarification`` rule.
    """

    reason: WaitReason = attrs.field(converter=_reason)
    asked: _dt.datetime = attrs.field()
    answered: _dt.datetime = attrs.field()

    def __attrs_post_init__(self) -> None:
        read_aware(self.asked, "asked")
        read_aware(self.answered, "answered")
        if self.answered < self.asked:
            raise InvalidValueError("answered before it was asked", field="answered")


@attrs.frozen
class Deadline:
    """The last day to act on a request on one clock, and the rules that set it.

    ``due`` is a date in the timezone of ``received``: the request may be answered until the
    end of that day. ``starts`` is the day the count runs from (the day of receipt, or the day
    the clock restarted); ``moved_from`` the end before it ran on past a non-working day;
    ``notice_by`` the last day to tell the requester of an extension, when one is possible.
    """

    regime: str
    kind: RequestKind
    clock: str
    received: _dt.datetime
    starts: _dt.date
    due: _dt.date
    citation: str
    citations: tuple[str, ...]
    extended: bool = False
    notice_by: _dt.date | None = None
    paused_days: int = 0
    moved_from: _dt.date | None = None

    def days_left(self, at: _dt.datetime) -> int:
        """Whole days from ``at``'s date (in the timezone of ``received``) to ``due``.

        Negative once the deadline has passed.
        """
        moment = read_aware(at, "at")
        try:
            return (self.due - _local_date(moment, self.received)).days
        except OverflowError:
            raise InvalidValueError("out of the calendar's range", field="at") from None

    def overdue(self, at: _dt.datetime) -> bool:
        """Whether ``at`` falls after the end of the ``due`` day."""
        return self.days_left(at) < 0


def _local_date(moment: _dt.datetime, reference: _dt.datetime) -> _dt.date:
    return moment.astimezone(reference.tzinfo).date()


def read_regime(regime: object) -> Regime:
    """``regime`` itself, or the built-in regime of that name (``"gdpr"``, ``"ccpa_cpra"``)."""
    if isinstance(regime, Regime):
        return regime
    if isinstance(regime, str):
        for found in BUILTIN_REGIMES:
            if found.name == regime:
                return found
    raise InvalidValueError(
        "unknown regime: pass a Regime, or a built-in regime's name", field="regime"
    )


def _read_waits(waits: Iterable[Wait], received: _dt.datetime) -> tuple[Wait, ...]:
    if isinstance(waits, (str, bytes, Wait)):
        raise InvalidValueError("expected an iterable of Wait", field="waits")
    try:
        found = tuple(waits)
    except TypeError:
        raise InvalidValueError("expected an iterable of Wait", field="waits") from None
    if not all(isinstance(wait, Wait) for wait in found):
        raise InvalidValueError("expected an iterable of Wait", field="waits")
    if any(wait.asked < received for wait in found):
        raise InvalidValueError("a wait asked before the request was received", field="waits")
    return found


def _paused_days(waits: Iterable[Wait], after: _dt.datetime, received: _dt.datetime) -> int:
    """Whole calendar days covered by the pausing waits asked at or after ``after``, merged."""
    spans = sorted(
        (_local_date(wait.asked, received), _local_date(wait.answered, received))
        for wait in waits
        if wait.asked >= after
    )
    total = 0
    current: tuple[_dt.date, _dt.date] | None = None
    for start, end in spans:
        if current is not None and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current is not None:
            total += (current[1] - current[0]).days
        current = (start, end)
    if current is not None:
        total += (current[1] - current[0]).days
    return total


def _start_and_pause(
    regime: Regime, waits: tuple[Wait, ...], received: _dt.datetime
) -> tuple[_dt.date, int]:
    """The day the count runs from and the whole days it is paused, as the regime says."""
    started = received
    for wait in waits:
        if getattr(regime, wait.reason) == "restarts" and wait.answered > started:
            started = wait.answered
    pausing = [wait for wait in waits if getattr(regime, wait.reason) == "pauses"]
    return _local_date(started, received), _paused_days(pausing, started, received)


def _end(
    regime: Regime, timing: Timing, start: _dt.date, calendar: Calendar, *, extended: bool
) -> _dt.date:
    period = timing.period
    if extended and timing.extension is not None:
        period = period.plus(timing.extension)
    if period.unit == "months":
        return add_months(start, period.amount)
    anchor = start if regime.receipt_day == "excluded" else start - _dt.timedelta(days=1)
    return period.end(anchor, calendar)


def deadline(
    regime: Regime | str,
    kind: RequestKind | str,
    received: _dt.datetime,
    calendar: Calendar,
    *,
    extended: bool = False,
    clock: str = RESPOND,
    waits: Iterable[Wait] = (),
) -> Deadline:
    """The last day to act on a ``kind`` request received at ``received``, under ``regime``.

    ``received`` is timezone-aware; its date in its own timezone is the day of receipt (give
    it in the controller's timezone). ``calendar`` holds the weekend and the public holidays
    that count. ``extended`` asks for the deadline once the regime's extension is taken;
    ``clock`` picks another clock of the regime (``"confirm_receipt"`` under CCPA); ``waits``
    are the times spent waiting for proof of identity or a clarification, which run, pause or
    restart the clock as the regime says.

    Raises :class:`~crmcore.errors.InvalidValueError` naming the argument: an unknown regime
    or kind, a kind or clock the regime sets no period for, an extension it does not allow, a
    naive datetime.

    >>> from datetime import datetime, timezone
    >>> from crmcore.privacy import CCPA_CPRA
    >>> received = datetime(2026, 1, 31, 9, 0, tzinfo=timezone.utc)
    >>> deadline(CCPA_CPRA, "erasure", received, Calendar()).due
    datetime.date(2026, 3, 17)
    >>> deadline(CCPA_CPRA, "erasure", received, Calendar(), extended=True).due
    datetime.date(2026, 5, 1)
    >>> deadline("ccpa_cpra", "erasure", received, Calendar(), clock="confirm_receipt").due
    datetime.date(2026, 2, 13)
    """
    found = read_regime(regime)
    wanted = read_kind(kind)
    moment = read_aware(received, "received")
    if not isinstance(calendar, Calendar):
        raise InvalidValueError("expected a Calendar", field="calendar")
    if not isinstance(extended, bool):
        raise InvalidValueError("expected True or False", field="extended")
    timing = found.timing(wanted, read_clock(clock))
    if extended and timing.extension is None:
        raise InvalidValueError(
            f"{found.name} allows no extension for {wanted.value} requests", field="extended"
        )
    pauses = _read_waits(waits, moment)

    try:
        start, paused = _start_and_pause(found, pauses, moment)

        def due(*, extended: bool) -> tuple[_dt.date, _dt.date]:
            end = _end(found, timing, start, calendar, extended=extended)
            end += _dt.timedelta(days=paused)
            if found.end_on_non_working == "next_working_day":
                return end, calendar.next_working_day(end, found.rest_days)
            return end, end

        raw, final = due(extended=extended)
        notice_by = due(extended=False)[1] if timing.extension is not None else None
    except OverflowError:
        raise InvalidValueError("the deadline falls past the last date", field="received") from None

    citation = timing.citation
    if extended:
        citation = f"{citation}; {timing.extension_citation}"
    return Deadline(
        regime=found.name,
        kind=wanted,
        clock=timing.clock,
        received=moment,
        starts=start,
        due=final,
        citation=citation,
        citations=tuple(
            dict.fromkeys(
                [
                    timing.citation,
                    *([timing.extension_citation] if extended else []),
                    *found.citations,
                ]
            )
        ),
        extended=extended,
        notice_by=notice_by,
        paused_days=paused,
        moved_from=raw if raw != final else None,
    )
