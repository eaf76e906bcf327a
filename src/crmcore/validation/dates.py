"""Built-in date rules: birth dates, instants after ``as_of``, order of dates, staleness.

Every comparison is made against the context's ``as_of`` instant, never the clock; periods
are :class:`dateutil.relativedelta.relativedelta` values, so "two years" means two calendar
years. Instants are timezone-aware by construction; a calendar date taken from an instant is
the date in that instant's own timezone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crmcore.records._meta import Category
from crmcore.records.deal import Deal
from crmcore.validation._registry import Registry
from crmcore.validation._walk import Slot, item_path, layout
from crmcore.validation.context import Context
from crmcore.validation.issues import Code, Issue, Severity

__all__ = [
    "BIRTH_IMPLAUSIBLE",
    "BIRTH_IN_FUTURE",
    "CLOSE_BEFORE_CREATION",
    "CODES",
    "IN_FUTURE",
    "STALE",
    "UPDATED_BEFORE_CREATED",
    "check_dates",
    "register",
]

BIRTH_IN_FUTURE = Code("date.birth_in_future", Severity.ERROR, "the birth date is after as_of")
BIRTH_IMPLAUSIBLE = Code(
    "date.birth_implausible",
    Severity.WARNING,
    "the age on the as_of date is outside the birth-date policy's bounds",
)
IN_FUTURE = Code(
    "date.in_future",
    Severity.WARNING,
    "a creation, update, collection or verification instant is after as_of",
)
UPDATED_BEFORE_CREATED = Code(
    "date.updated_before_created", Severity.WARNING, "the record was updated before it was created"
)
CLOSE_BEFORE_CREATION = Code(
    "deal.close_before_creation",
    Severity.WARNING,
    "the expected close date is before the deal was created",
)
STALE = Code(
    "freshness.stale",
    Severity.WARNING,
    "not confirmed within the staleness policy's period before as_of",
)
CODES = (
    BIRTH_IN_FUTURE,
    BIRTH_IMPLAUSIBLE,
    IN_FUTURE,
    UPDATED_BEFORE_CREATED,
    CLOSE_BEFORE_CREATION,
    STALE,
)

_RECORD_INSTANTS = ("created_at", "updated_at", "last_verified_at")


def _birth_dates(record: Any, ctx: Context, slots: tuple[Slot, ...], found: list[Issue]) -> None:
    for slot in slots:
        born = slot.get(record)
        if born is None:
            continue
        if born > ctx.today:
            found.append(BIRTH_IN_FUTURE.issue(slot.path, slot.category))
            continue
        oldest, youngest = ctx.birth_bounds()
        if oldest is not None and born < oldest:
            message = "older than the birth-date policy's maximum age"
            found.append(BIRTH_IMPLAUSIBLE.issue(slot.path, slot.category, message))
        elif youngest is not None and born > youngest:
            message = "younger than the birth-date policy's minimum age"
            found.append(BIRTH_IMPLAUSIBLE.issue(slot.path, slot.category, message))


def _after(moment: datetime | None, as_of: datetime) -> bool:
    """Whether ``moment`` is after ``as_of``; years apart settle it without timezone arithmetic.

    The callers of the record's and contact points' instants test ``None`` first themselves:
    most are missing, and a test is cheaper than a call."""
    return moment is not None and moment.year >= as_of.year - 1 and moment > as_of


def _record_dates(record: Any, as_of: datetime, found: list[Issue]) -> None:
    created, updated, verified = record.created_at, record.updated_at, record.last_verified_at
    if created is not None and _after(created, as_of):
        found.append(IN_FUTURE.issue("created_at", Category.DESCRIPTIVE))
    if updated is not None and _after(updated, as_of):
        found.append(IN_FUTURE.issue("updated_at", Category.DESCRIPTIVE))
    if verified is not None and _after(verified, as_of):
        found.append(IN_FUTURE.issue("last_verified_at", Category.DESCRIPTIVE))
    if created is None:
        return
    if updated is not None and updated.year <= created.year + 1 and updated < created:
        found.append(UPDATED_BEFORE_CREATED.issue("updated_at", Category.DESCRIPTIVE))
    if isinstance(record, Deal):
        close = record.descriptive.expected_close_on
        if close is not None and close < created.date():
            path = "descriptive.expected_close_on"
            found.append(CLOSE_BEFORE_CREATION.issue(path, Category.DESCRIPTIVE))


def _notes(record: Any, as_of: datetime, slots: tuple[Slot, ...], found: list[Issue]) -> None:
    for slot in slots:
        notes = slot.get(record) if slot.many else (slot.get(record),)
        for index, note in enumerate(notes):
            if note is not None and _after(note.created_at, as_of):
                path = f"{item_path(slot, index)}.created_at"
                found.append(IN_FUTURE.issue(path, slot.category))


def check_dates(record: Any, ctx: Context) -> list[Issue]:
    """Check dates against ``as_of`` and each other, and contact points for staleness.

    One pass over the record serves every check. Codes: ``date.birth_in_future``,
    ``date.birth_implausible``, ``date.in_future``, ``date.updated_before_created``,
    ``deal.close_before_creation``, ``freshness.stale``.
    """
    found: list[Issue] = []
    as_of = ctx.as_of
    places = layout(type(record))
    if places.birth_dates:
        _birth_dates(record, ctx, places.birth_dates, found)
    _record_dates(record, as_of, found)
    if places.notes:
        _notes(record, as_of, places.notes, found)
    verified_all = record.last_verified_at
    for slots in places.contact_points:
        for slot in slots:
            points = slot.get(record) if slot.many else (slot.get(record),)
            if not points:
                continue
            cutoff = ctx.stale_before(slot.path, slot.category)
            for index, point in enumerate(points):
                if point is None:
                    continue
                collected, verified = point.collected_at, point.verified_at
                if collected is not None and _after(collected, as_of):
                    path = f"{item_path(slot, index)}.collected_at"
                    found.append(IN_FUTURE.issue(path, slot.category))
                if verified is not None and _after(verified, as_of):
                    path = f"{item_path(slot, index)}.verified_at"
                    found.append(IN_FUTURE.issue(path, slot.category))
                if cutoff is None:
                    continue
                last = verified
                if verified_all is not None and (last is None or verified_all > last):
                    last = verified_all
                if last is None:
                    last = collected
                if last is not None:
                    if last < cutoff:
                        found.append(STALE.issue(item_path(slot, index), slot.category))
                elif ctx.staleness is not None and ctx.staleness.unknown_is_stale:
                    message = "never confirmed nor dated"
                    found.append(STALE.issue(item_path(slot, index), slot.category, message))
    return found


def register(ruleset: Registry) -> None:
    """Add the date rules to ``ruleset``."""
    from crmcore.records import RECORD_TYPES

    ruleset.add(RECORD_TYPES, check_dates, codes=[c.name for c in CODES], name="crmcore.dates")
