"""A privacy law's clocks as a value: :class:`Regime` and the :class:`Timing` of each kind.

A regime says, for each kind of request and each clock (``"respond"``, ``"confirm_receipt"``,
...), the :class:`~crmcore.privacy.Period` allowed and its extension, with citations; and how
its days are counted: whether the day of receipt counts, what happens when a period ends on a
non-working day, and what asking for proof of identity or for clarification does to the clock.
Regimes are frozen: adjust one with :meth:`Regime.with_timing`, :meth:`Regime.without` or
:func:`attrs.evolve`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal, get_args

import attrs

from crmcore.errors import InvalidValueError
from crmcore.privacy.kinds import RequestKind, read_kind
from crmcore.privacy.periods import Period

__all__ = [
    "RESPOND",
    "ClockEffect",
    "EndRule",
    "ReceiptDay",
    "Regime",
    "Timing",
]

RESPOND = "respond"
"""The clock of the answer to the request itself, the one :func:`deadline` reads by default."""

ReceiptDay = Literal["excluded", "included"]
"""Whether the day of receipt is outside the period (the day after is day one) or day one."""

EndRule = Literal["keep", "next_working_day"]
"""What happens to a period that ends on a non-working day: nothing, or it runs on."""

ClockEffect = Literal["runs", "pauses", "restarts"]
"""What waiting for the requester (proof of identity, a clarification) does to the clock:
it ``runs`` on, ``pauses`` until the answer, or ``restarts`` from the answer."""

_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_CLOCK = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_NAME_LIMIT = 100


def _choice(value: object, field: str, choices: tuple[str, ...]) -> Any:
    if value not in choices:
        raise InvalidValueError("expected one of " + ", ".join(choices), field=field)
    return value


def _receipt_day(value: object) -> ReceiptDay:
    return _choice(value, "receipt_day", get_args(ReceiptDay))  # type: ignore[no-any-return]


def _end_rule(value: object) -> EndRule:
    return _choice(value, "end_on_non_working", get_args(EndRule))  # type: ignore[no-any-return]


def _identity(value: object) -> ClockEffect:
    return _choice(value, "identity", get_args(ClockEffect))  # type: ignore[no-any-return]


def _clarification(value: object) -> ClockEffect:
    return _choice(value, "clarification", get_args(ClockEffect))  # type: ignore[no-any-return]


def read_clock(clock: object, field: str = "clock") -> str:
    """``clock`` checked: a lower-case dotted name such as ``respond`` or ``acme.acknowledge``."""
    if not isinstance(clock, str) or len(clock) > _NAME_LIMIT or not _CLOCK.fullmatch(clock):
        raise InvalidValueError("expected a clock name such as respond", field=field)
    return clock


def _citation(value: object) -> str:
    if not isinstance(value, str) or len(value) > 1000:
        raise InvalidValueError("a citation is text of at most 1000 characters", field="citation")
    return value


def _period(value: object) -> Period:
    if not isinstance(value, Period):
        raise InvalidValueError("expected a Period", field="period")
    return value


def _extension(value: object) -> Period | None:
    if value is not None and not isinstance(value, Period):
        raise InvalidValueError("expected a Period or None", field="extension")
    return value


@attrs.frozen
class Timing:
    """How long a regime allows for one kind of request on one clock, and by what rule.

    ``extension`` is the most the period may be lengthened by (once, with notice to the
    requester before the period ends), counted from the same start; ``None`` when the law
    allows none.

    >>> Timing(RequestKind.ACCESS, "respond", Period(30, "days"), "45 CFR 164.524(b)(2)(i)")
    Timing(kind=<RequestKind.ACCESS: 'access'>, clock='respond', ...)
    """

    kind: RequestKind = attrs.field(converter=read_kind)
    clock: str = attrs.field(converter=read_clock)
    period: Period = attrs.field(converter=_period)
    citation: str = attrs.field(converter=_citation)
    extension: Period | None = attrs.field(
        default=None,
        converter=_extension,
        kw_only=True,
    )
    extension_citation: str = attrs.field(default="", converter=_citation, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.extension is not None and self.extension.unit != self.period.unit:
            raise InvalidValueError(
                "an extension is counted in its period's unit", field="extension"
            )


def _name(value: object) -> str:
    if not isinstance(value, str) or len(value) > _NAME_LIMIT or not _NAME.fullmatch(value):
        raise InvalidValueError(
            "a regime name is lower-case and dotted, such as acme.state_law", field="name"
        )
    return value


def _timings(value: Iterable[Timing]) -> tuple[Timing, ...]:
    if isinstance(value, (str, bytes, Timing)):
        raise InvalidValueError("expected an iterable of Timing", field="timings")
    try:
        found = tuple(value)
    except TypeError:
        raise InvalidValueError("expected an iterable of Timing", field="timings") from None
    if not all(isinstance(timing, Timing) for timing in found):
        raise InvalidValueError("expected an iterable of Timing", field="timings")
    keys = [(timing.kind, timing.clock) for timing in found]
    if len(set(keys)) != len(keys):
        raise InvalidValueError("one timing per kind and clock", field="timings")
    return found


def _citations(value: object) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidValueError("expected an iterable of citations", field="citations")
    return tuple(_citation(citation) for citation in value)


def _rest_days(value: object) -> tuple[int, ...] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidValueError("expected weekday numbers, Monday 0 to Sunday 6", field="rest_days")
    days = tuple(value)
    if not all(type(day) is int and 0 <= day <= 6 for day in days) or len(set(days)) == 7:
        raise InvalidValueError(
            "expected weekday numbers, Monday 0 to Sunday 6, not all seven", field="rest_days"
        )
    return tuple(sorted(set(days)))


@attrs.frozen
class Regime:
    """A privacy law's deadlines: a :class:`Timing` per kind and clock, and its counting rules.

    - ``receipt_day``: ``"excluded"`` (the day after receipt is day one) or ``"included"``.
      A period of months always ends on the date of the day of receipt in the last month (or
      that month's last day), whichever rule: the rule matters for days.
    - ``end_on_non_working``: ``"next_working_day"`` moves an end falling on a non-working
      day to the next working day; ``"keep"`` leaves it.
    - ``rest_days``: the weekdays that count as non-working for that rule (``(6,)`` when a law
      lets a period end on a Saturday); ``None`` uses the calendar's weekend. Holidays of the
      calendar always count as non-working.
    - ``identity`` and ``clarification``: what waiting for proof of identity or for a
      clarification does to the clock (``"runs"``, ``"pauses"``, ``"restarts"``).
    - ``citations``: the sources of the counting rules, beyond each timing's own.

    >>> from crmcore.privacy import GDPR
    >>> GDPR.timing("access").period
    Period(amount=1, unit='months')
    >>> lenient = GDPR.with_timing(
    ...     Timing("access", "respond", Period(30, "days"), "house rule"))
    >>> lenient.timing("access").period, GDPR.timing("access").period.unit
    (Period(amount=30, unit='days'), 'months')
    """

    name: str = attrs.field(converter=_name)
    title: str = attrs.field(converter=_citation)
    timings: tuple[Timing, ...] = attrs.field(converter=_timings)
    receipt_day: ReceiptDay = attrs.field(
        default="excluded",
        converter=_receipt_day,
        kw_only=True,
    )
    end_on_non_working: EndRule = attrs.field(
        default="next_working_day",
        converter=_end_rule,
        kw_only=True,
    )
    rest_days: tuple[int, ...] | None = attrs.field(
        default=None, converter=_rest_days, kw_only=True
    )
    identity: ClockEffect = attrs.field(
        default="runs",
        converter=_identity,
        kw_only=True,
    )
    clarification: ClockEffect = attrs.field(
        default="runs",
        converter=_clarification,
        kw_only=True,
    )
    citations: tuple[str, ...] = attrs.field(default=(), converter=_citations, kw_only=True)

    @property
    def kinds(self) -> tuple[RequestKind, ...]:
        """The kinds of request this regime sets a period for, in declaration order."""
        return tuple(dict.fromkeys(timing.kind for timing in self.timings))

    def clocks(self, kind: RequestKind | str) -> tuple[str, ...]:
        """The clocks this regime runs for ``kind`` (``("respond", "confirm_receipt")``)."""
        found = read_kind(kind)
        return tuple(timing.clock for timing in self.timings if timing.kind is found)

    def timing(self, kind: RequestKind | str, clock: str = RESPOND) -> Timing:
        """The :class:`Timing` of ``kind`` on ``clock``.

        Raises :class:`~crmcore.errors.InvalidValueError` naming ``kind`` when the regime
        sets no period for that kind, or ``clock`` when it runs no such clock for it.
        """
        found = read_kind(kind)
        wanted = read_clock(clock)
        of_kind = [timing for timing in self.timings if timing.kind is found]
        if not of_kind:
            raise InvalidValueError(
                f"{self.name} sets no period for {found.value} requests", field="kind"
            )
        for timing in of_kind:
            if timing.clock == wanted:
                return timing
        raise InvalidValueError(
            f"{self.name} runs no {wanted} clock for {found.value} requests", field="clock"
        )

    def with_timing(self, timing: Timing) -> Regime:
        """A copy with ``timing`` in place of the timing of its kind and clock, or added last."""
        if not isinstance(timing, Timing):
            raise InvalidValueError("expected a Timing", field="timing")
        key = (timing.kind, timing.clock)
        keys = [(found.kind, found.clock) for found in self.timings]
        if key in keys:
            place = keys.index(key)
            timings = (*self.timings[:place], timing, *self.timings[place + 1 :])
        else:
            timings = (*self.timings, timing)
        return attrs.evolve(self, timings=timings)

    def without(self, kind: RequestKind | str, clock: str | None = None) -> Regime:
        """A copy without the timings of ``kind`` (only its ``clock`` one, when given)."""
        found = read_kind(kind)
        wanted = None if clock is None else read_clock(clock)
        kept = tuple(
            timing
            for timing in self.timings
            if not (timing.kind is found and (wanted is None or timing.clock == wanted))
        )
        return attrs.evolve(self, timings=kept)
