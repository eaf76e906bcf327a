"""What a retention policy knows besides the record: the time of the check and last activity.

Last activity comes from the caller, as a mapping of record ids to instants, and from the
:class:`~crmcore.Activity` records passed in: an activity counts for every record it refers to
(contacts, accounts, deals) once it occurred at or before ``as_of``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType

import attrs

from crmcore.errors import InvalidValueError
from crmcore.privacy._args import read_aware
from crmcore.records import Activity, Record

__all__ = ["RetentionContext"]


def _as_of(value: object) -> datetime:
    return read_aware(value, "as_of")


def _last_activity(value: object) -> Mapping[str, datetime]:
    if not isinstance(value, Mapping):
        raise InvalidValueError(
            "expected a mapping of record ids to instants", field="last_activity"
        )
    found: dict[str, datetime] = {}
    for position, (key, instant) in enumerate(value.items()):
        if not isinstance(key, str) or not key:
            raise InvalidValueError(
                "a record id is non-empty text", field=f"last_activity[<key {position}>]"
            )
        found[key] = read_aware(instant, f"last_activity[<key {position}>]")
    return MappingProxyType(dict(sorted(found.items())))


@attrs.frozen
class RetentionContext:
    """The time of a retention check and the last activity known for each record id.

    ``as_of`` is timezone-aware; ``last_activity`` maps record ids to aware instants (ids of
    contacts, accounts and deals alike). :meth:`from_activities` adds what
    :class:`~crmcore.Activity` records tell.

    >>> from datetime import datetime, timezone
    >>> ctx = RetentionContext(datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...                        {"c-1": datetime(2024, 3, 1, tzinfo=timezone.utc)})
    >>> ctx.last_activity_of("c-1").year, ctx.last_activity_of("c-2")
    (2024, None)
    """

    as_of: datetime = attrs.field(converter=_as_of)
    last_activity: Mapping[str, datetime] = attrs.field(
        factory=dict, converter=_last_activity, repr=False
    )

    def last_activity_of(self, record_id: str) -> datetime | None:
        """The last activity known for ``record_id``, or ``None``."""
        return self.last_activity.get(record_id)

    @classmethod
    def from_activities(
        cls,
        as_of: datetime,
        activities: Iterable[Record],
        last_activity: Mapping[str, datetime] | None = None,
    ) -> RetentionContext:
        """A context whose last activity is the latest of ``last_activity`` and ``activities``.

        Every :class:`~crmcore.Activity` among ``activities`` that has an ``occurred_at`` at or
        before ``as_of`` counts for each contact, account and deal it refers to; activities
        still to come (after ``as_of``) or undated count for nothing; other records are skipped.

        >>> from datetime import datetime, timezone
        >>> from crmcore import Activity, ActivityDescriptive, ActivityIdentity
        >>> call = Activity("a-1", ActivityIdentity(contact_refs=("c-1",)),
        ...     ActivityDescriptive(occurred_at=datetime(2025, 5, 2, tzinfo=timezone.utc)))
        >>> as_of = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> ctx = RetentionContext.from_activities(as_of, [call])
        >>> ctx.last_activity_of("c-1").date()
        datetime.date(2025, 5, 2)
        """
        moment = _as_of(as_of)
        found = dict(_last_activity({} if last_activity is None else last_activity))
        if isinstance(activities, (str, bytes)) or not isinstance(activities, Iterable):
            raise InvalidValueError("expected records", field="activities")
        for activity in activities:
            if not isinstance(activity, Activity):
                continue
            when = activity.descriptive.occurred_at
            if when is None or when > moment:
                continue
            identity = activity.identity
            for ref in (*identity.contact_refs, *identity.account_refs, *identity.deal_refs):
                known = found.get(ref)
                if known is None or when > known:
                    found[ref] = when
        return cls(moment, found)
