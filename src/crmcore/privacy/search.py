"""Find a data subject in records read one at a time, holding only what may concern them.

:func:`~crmcore.privacy.find_subject`, :func:`~crmcore.privacy.export_subject` and
:func:`~crmcore.privacy.plan_erasure` take every record at once. A CRM export of a million
contacts need not fit in memory for that: a :class:`SubjectSearch` reads records one by one
(from a file, a database cursor, a data frame's rows) and keeps only those that may concern the
subject, plus what answering needs about the others:

- the records that hold one of the subject's identifiers, or their name, or refer to such a
  record, or whose free text writes the subject's email, phone number or name;
- the contacts whose name holds one of the subject's family names (erasure must not scrub a
  namesake's name out of a note);
- the ids of the records left out (a reference to an id two records share is doubtful) and the
  regions of each contact, account and deal (to read national phone numbers written in the free
  text of the records that refer to it).

Its :meth:`~SubjectSearch.discovery` is what :func:`~crmcore.privacy.find_subject` finds in
every record read, with the same matches, confidences, reasons and positions; its
:attr:`~SubjectSearch.records` and :attr:`~SubjectSearch.regions` go to
:func:`~crmcore.privacy.plan_erasure` and :func:`~crmcore.privacy.apply_erasure`, or to
:func:`~crmcore.privacy.export_subject`, for the same answer as with every record.

Records come in the order references need: contacts and accounts (in any mix) first, then
deals, then activities. A record out of that order raises
:class:`~crmcore.errors.InvalidValueError`: the search could not tell whether it concerns the
subject through a record still to come.

>>> from crmcore import Activity, ActivityIdentity, Contact, ContactIdentity, EmailAddress
>>> from crmcore.privacy import DataSubject
>>> search = SubjectSearch(DataSubject(emails=("ada@example.org",)))
>>> search.extend([
...     Contact("c-1", ContactIdentity(emails=(EmailAddress("ada@example.org"),))),
...     Contact("c-2", ContactIdentity(emails=(EmailAddress("bob@example.org"),))),
...     Activity("a-1", ActivityIdentity(contact_refs=("c-1",))),
...     Activity("a-2", ActivityIdentity(contact_refs=("c-2",))),
... ])
>>> search.read, [record.id for record in search.records]
(4, ['c-1', 'a-1'])
>>> [(m.record.id, m.index, m.confidence.value) for m in search.discovery().found]
[('a-1', 2, 'linked'), ('c-1', 0, 'strong')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from crmcore.errors import InvalidValueError
from crmcore.privacy._discovery_keys import subject_keys
from crmcore.privacy._discovery_match import account_reasons, contact_reasons, mentions
from crmcore.privacy._erasure_values import ReferenceRegions, own_regions, refs_of, regions_of
from crmcore.privacy._scrub import Scrubber, fold
from crmcore.privacy.discovery import Discovery, Match, _subject, discover
from crmcore.privacy.erasure import _schemas, mentions_subject
from crmcore.privacy.subject import DataSubject
from crmcore.records import Account, Activity, Contact, CustomSchema, Deal, Record

__all__ = ["ReferenceRegions", "SubjectSearch"]

_STAGE = {Contact: 0, Account: 0, Deal: 1, Activity: 2}
_STAGE_NAMES = ("contacts and accounts", "deals", "activities")


def _stage(record: Record) -> int:
    for record_type, stage in _STAGE.items():
        if isinstance(record, record_type):
            return stage
    return 0


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(word)[0] for word in text.split())


def _holds_words(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    width = len(part)
    return any(words[i : i + width] == part for i in range(len(words) - width + 1))


class SubjectSearch:
    """Read records one at a time; keep those that may concern ``subject``.

    ``schemas`` declare the custom fields of each record type, as for
    :func:`~crmcore.privacy.plan_erasure` (undeclared custom fields are personal free text).
    Bad arguments raise :class:`~crmcore.errors.InvalidValueError` naming them, never a value.
    """

    def __init__(self, subject: DataSubject, *, schemas: Iterable[CustomSchema] = ()) -> None:
        self._subject = _subject(subject)
        self._keys = subject_keys(self._subject)
        self._schemas = _schemas(schemas)
        self._scrubber = Scrubber.for_subject(self._subject)
        self._families = tuple(
            words for name in self._subject.names if (words := _words(name.family or ""))
        )
        self._kept: list[Record] = []
        self._positions: list[int] = []
        self._kept_ids: dict[type[Record], set[str]] = {}
        self._left_ids: dict[type[Record], set[str]] = {}
        self._own: dict[str, tuple[str, ...]] = {}
        self._refs: dict[str, tuple[str, ...]] = {}
        # Live read-only views of the two maps, made once: read on every record added.
        self._known = ReferenceRegions(MappingProxyType(self._own), MappingProxyType(self._refs))
        self._stage = 0
        self._read = 0

    @property
    def subject(self) -> DataSubject:
        """The subject searched for."""
        return self._subject

    @property
    def read(self) -> int:
        """How many records were read."""
        return self._read

    @property
    def records(self) -> tuple[Record, ...]:
        """The records kept, in the order they were read."""
        return tuple(self._kept)

    @property
    def positions(self) -> tuple[int, ...]:
        """The position among all the records read of each of :attr:`records`."""
        return tuple(self._positions)

    @property
    def regions(self) -> ReferenceRegions:
        """The regions of every contact, account and deal read, and their references.

        Give them to :func:`~crmcore.privacy.plan_erasure` with :attr:`records`: national
        phone numbers in free text are then read in the regions of the records referred to,
        kept or not, as with every record.
        """
        return self._known

    def _regions_of(self, record: Record) -> tuple[str, ...]:
        return regions_of(record, {}, self._known)

    def extend(self, records: Iterable[Record]) -> None:
        """Read each of ``records`` in turn (see :meth:`add`)."""
        if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
            raise InvalidValueError("expected an iterable of records", field="records")
        for record in records:
            self.add(record)

    def add(self, record: Record) -> bool:
        """Read one record; return whether it was kept."""
        position = self._read
        if not isinstance(record, Record):
            raise InvalidValueError("expected a record such as a Contact", field=f"[{position}]")
        stage = _stage(record)
        if stage < self._stage:
            raise InvalidValueError(
                f"{_STAGE_NAMES[stage]} must come before {_STAGE_NAMES[self._stage]}",
                field=f"[{position}]",
            )
        self._stage = stage
        self._read += 1
        if not isinstance(record, Activity) or record.id in self._own:
            # Nothing refers to an activity: kept only where its id is another record's.
            self._own[record.id] = tuple(own_regions(record))
            self._refs[record.id] = refs_of(record)
        kept = self._concerns(record, self._regions_of(record))
        table = self._kept_ids if kept else self._left_ids
        table.setdefault(type(record), set()).add(record.id)
        if kept:
            self._kept.append(record)
            self._positions.append(position)
        return kept

    def _concerns(self, record: Record, regions: tuple[str, ...]) -> bool:
        if isinstance(record, Contact):
            if contact_reasons(record, self._keys, frozenset()) or self._namesake(record):
                return True
        elif isinstance(record, Account):
            if account_reasons(record, self._keys):
                return True
        elif self._refers_to_kept(record):  # a deal or an activity
            return True
        if mentions(record, self._keys):
            return True
        return mentions_subject(record, self._schemas.get(type(record)), self._scrubber, regions)

    def _namesake(self, contact: Contact) -> bool:
        if not self._families:
            return False
        name = contact.identity.name
        words = _words(" ".join(part for part in (name.given, name.middle, name.family) if part))
        return any(_holds_words(words, family) for family in self._families)

    def _refers_to_kept(self, record: Record) -> bool:
        # Any type: keeping one record too many is harmless, one too few is not.
        return any(ref in ids for ref in refs_of(record) for ids in self._kept_ids.values())

    def discovery(self) -> Discovery:
        """What :func:`~crmcore.privacy.find_subject` finds in every record read.

        Each match's ``index`` is the record's position among all the records read.
        """
        left = {kind: ids & self._kept_ids.get(kind, set()) for kind, ids in self._left_ids.items()}
        found = discover(tuple(self._kept), self._keys, left)
        positions = self._positions

        def placed(matches: tuple[Match, ...]) -> tuple[Match, ...]:
            return tuple(attrs.evolve(match, index=positions[match.index]) for match in matches)

        return Discovery(placed(found.found), placed(found.review))

    def __repr__(self) -> str:
        return f"SubjectSearch(read={self._read}, kept={len(self._kept)})"
