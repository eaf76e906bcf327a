"""Find every record that concerns a data subject, and say why, without quoting a value.

:func:`find_subject` reads each record for the identifiers of a
:class:`~crmcore.privacy.subject.DataSubject` and follows references: an Activity or a Deal
whose ``contact_refs`` name a found Contact concerns the subject too. Each :class:`Match`
carries a :class:`Confidence` and its :class:`Reason` values (a stable code and the path it
was found at, never the value). Sure matches are in :attr:`Discovery.found`; doubtful ones in
:attr:`Discovery.review`, for a person to decide: erasure and export never act on them.

Until the deduplication matchers land, a Contact is found by the exact normalised email, the
E.164 phone number or an id in another system; the name (with the birth date, or where either
is unknown) is a weaker reason that alone goes to review. :data:`REASON_CODES` lists every code.

>>> from datetime import date
>>> from crmcore import Activity, ActivityIdentity, Contact, ContactIdentity, EmailAddress
>>> from crmcore import PersonName
>>> from crmcore.privacy import DataSubject
>>> ada = Contact("c-1", ContactIdentity(emails=(EmailAddress("Ada@Example.org"),)))
>>> namesake = Contact("c-2", ContactIdentity(
...     name=PersonName(given="Ada", family="Lovelace"), birth_date=date(1815, 12, 10)))
>>> call = Activity("a-1", ActivityIdentity(contact_refs=("c-1",)))
>>> subject = DataSubject(names=("Ada Lovelace",), emails=("Ada@example.ORG",),
...                       birth_date=date(1815, 12, 10))
>>> found = find_subject([ada, namesake, call], subject)
>>> [(m.record.id, m.confidence.value, [r.code for r in m.reasons]) for m in found.found]
[('a-1', 'linked', ['reference.contact']), ('c-1', 'strong', ['email'])]
>>> [(m.record.id, [r.code for r in m.reasons]) for m in found.review]
[('c-2', ['name_birth_date'])]
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from crmcore.errors import InvalidValueError
from crmcore.privacy._discovery_keys import SubjectKeys, subject_keys
from crmcore.privacy._discovery_match import Found, account_reasons, contact_reasons, mentions
from crmcore.privacy.subject import DataSubject
from crmcore.records import Account, Activity, Contact, Deal, Record

__all__ = ["REASON_CODES", "Confidence", "Discovery", "Match", "Reason", "find_subject"]

REASON_CODES: Mapping[str, str] = MappingProxyType(
    {
        "email": "an email address of the contact is one of the subject's (normalised form)",
        "email.case": "an email address of the contact is one of the subject's but for case",
        "phone": "a phone number of the contact is one of the subject's (E.164 form)",
        "phone.shared": (
            "a phone number of the contact is one of the subject's, but other contacts have it "
            "too; sure only with the subject's name"
        ),
        "external_id": "an id of the contact in another system is one of the subject's",
        "name": (
            "the contact's given and family names are one of the subject's, a birth date "
            "unknown on either side: doubtful alone"
        ),
        "name_birth_date": "the contact's name and birth date are the subject's (doubtful alone)",
        "birth_date.differs": "the contact's birth date is not the subject's: doubtful",
        "account.phone": "an organisation's phone number is one of the subject's: doubtful",
        "account.external_id": "an organisation's id in another system is the subject's: doubtful",
        "reference.contact": "the record refers to a contact found for the subject",
        "reference.account": "the record refers to an organisation kept for review",
        "reference.deal": "the record refers to a deal found for the subject, not to the contact",
        "mention.email": "free text on another's record writes the subject's email: doubtful",
        "mention.phone": (
            "free text on another's record writes the subject's phone number: doubtful"
        ),
    }
)
"""Every reason code :func:`find_subject` gives, with what it means. Codes are API."""

_STRONG = frozenset({"email", "email.case", "phone", "external_id"})


class Confidence(enum.Enum):
    """How sure a match is: ``strong`` and ``linked`` are found, ``weak`` goes to review."""

    STRONG = "strong"
    """The record itself holds one of the subject's identifiers (email, phone, id)."""
    LINKED = "linked"
    """The record refers to a contact found with ``strong`` confidence."""
    WEAK = "weak"
    """Doubtful: a name and birth date alone, an organisation's record, a contradiction."""


@attrs.frozen
class Reason:
    """Why a record matched: a code of :data:`REASON_CODES` and the path it was found at.

    ``ref`` is the id of the record referred to, for a ``reference.*`` reason. No value of the
    record or of the subject is ever part of a reason.

    >>> Reason("email", "identity.emails[0]")
    Reason(code='email', path='identity.emails[0]', ref=None)
    """

    code: str
    path: str
    ref: str | None = None


@attrs.frozen
class Match:
    """One record that concerns the subject: the record, its position in the input, why.

    ``reasons`` are sorted by path and code. The ``repr`` is the record's own, which hides
    personal values.
    """

    record: Record
    index: int
    confidence: Confidence
    reasons: tuple[Reason, ...]


@attrs.frozen
class Discovery:
    """What :func:`find_subject` found: sure matches, and doubtful ones kept for review.

    Both are sorted by record type, id and input position, whatever the input order.
    """

    found: tuple[Match, ...]
    review: tuple[Match, ...]

    @property
    def records(self) -> tuple[Record, ...]:
        """The records found (not those in review), in the order of :attr:`found`."""
        return tuple(match.record for match in self.found)


def _records(records: object) -> tuple[Record, ...]:
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise InvalidValueError("expected an iterable of records", field="records")
    found = tuple(records)
    for i, record in enumerate(found):
        if not isinstance(record, Record):
            raise InvalidValueError("expected a record such as a Contact", field=f"records[{i}]")
    return found


def _subject(subject: object) -> DataSubject:
    if not isinstance(subject, DataSubject):
        raise InvalidValueError("expected a DataSubject", field="subject")
    if not (
        subject.emails
        or subject.phones
        or subject.external_ids
        or subject.names
        or subject.known_names
    ):
        raise InvalidValueError(
            "nothing to find the subject by: give emails, phones, external ids or names",
            field="subject",
        )
    return subject


def _weigh(found: list[Found]) -> Confidence | None:
    codes = {code for code, _ in found}
    if codes <= {"name", "birth_date.differs"} and codes != {"name"}:
        return None  # nothing, another birth date alone, or a namesake born another day
    named = bool(codes & {"name", "name_birth_date"})
    strong = bool(codes & _STRONG) or ("phone.shared" in codes and named)
    if strong and "birth_date.differs" not in codes:
        return Confidence.STRONG
    return Confidence.WEAK


def _shared_phones(contacts: Iterable[Contact], keys: SubjectKeys) -> frozenset[str]:
    counts: Counter[str] = Counter()
    for contact in contacts:
        counts.update({phone.e164 for phone in contact.identity.phones} & keys.phones)
    return frozenset(number for number, count in counts.items() if count > 1)


class _Refs:
    """The ids of contacts, accounts and deals found so far, strong or weak."""

    def __init__(self) -> None:
        self.strong: dict[type[Record], set[str]] = {}
        self.weak: dict[type[Record], set[str]] = {}
        self.others: dict[type[Record], set[str]] = {}

    def note(self, record: Record, confidence: Confidence | None) -> None:
        table = (
            self.others
            if confidence is None
            else self.weak
            if confidence is Confidence.WEAK
            else self.strong
        )
        table.setdefault(type(record), set()).add(record.id)

    def kind(self, record_type: type[Record], ref: str) -> Confidence | None:
        """How sure a reference to ``ref`` is: strong only if no other record has that id."""
        strong = ref in self.strong.get(record_type, ())
        weak = ref in self.weak.get(record_type, ())
        if strong and not weak and ref not in self.others.get(record_type, ()):
            return Confidence.STRONG
        return Confidence.WEAK if strong or weak else None


def _references(record: Record, refs: _Refs) -> list[tuple[Confidence, Reason]]:
    found: list[tuple[Confidence, Reason]] = []
    if not isinstance(record, (Deal, Activity)):
        return found
    for i, ref in enumerate(record.identity.contact_refs):
        kind = refs.kind(Contact, ref)
        if kind is not None:
            found.append((kind, Reason("reference.contact", f"identity.contact_refs[{i}]", ref)))
    account_refs: tuple[tuple[str, str | None], ...]
    if isinstance(record, Deal):
        account_refs = (("identity.account_ref", record.identity.account_ref),)
    else:
        account_refs = tuple(
            (f"identity.account_refs[{i}]", ref)
            for i, ref in enumerate(record.identity.account_refs)
        )
    for path, account in account_refs:
        if account is not None and refs.kind(Account, account) is not None:
            found.append((Confidence.WEAK, Reason("reference.account", path, account)))
    if isinstance(record, Activity):
        for i, ref in enumerate(record.identity.deal_refs):
            if refs.kind(Deal, ref) is not None:
                found.append(
                    (Confidence.WEAK, Reason("reference.deal", f"identity.deal_refs[{i}]", ref))
                )
    return found


def _sort_key(match: Match) -> tuple[str, str, int]:
    return (type(match.record).__name__, match.record.id, match.index)


def find_subject(records: Iterable[Record], subject: DataSubject) -> Discovery:
    """Every record of ``records`` that concerns ``subject``, with confidence and reasons.

    - A Contact holding one of the subject's emails (normalised; or equal but for case), E.164
      phone numbers or ids in another system is found ``strong``, unless its birth date
      contradicts the subject's, which sends it to review. A phone number that several contacts
      share (a switchboard, a family line) is sure only with the subject's name beside it.
    - A Contact with the subject's name and nothing stronger goes to review, unless its birth
      date and the subject's are both known and differ (a namesake: not found at all).
    - An Account with the subject's phone number or id goes to review: it may be a sole
      trader's, or only the number of the person's employer.
    - A Deal or an Activity whose ``contact_refs`` name a ``strong`` Contact is found
      ``linked``; one that refers only to records in review, or (an Activity) only to a found
      Deal, goes to review.
    - A record not found otherwise whose free text (notes, quarantined values, activity text,
      undeclared custom fields) writes one of the subject's emails (any case) or phone numbers
      (international form, or national form in the number's region) goes to review: the
      mention is the subject's data, the rest of the record is someone else's.

    ``records`` is any iterable of records; anything else raises
    :class:`~crmcore.errors.InvalidValueError` naming ``records[i]``. A subject with no email,
    phone, id or name is refused (naming ``subject``): it would find nothing, silently. The
    inputs are never changed; the output is sorted, whatever the input order.
    """
    return discover(_records(records), subject_keys(_subject(subject)))


def discover(
    checked: tuple[Record, ...],
    keys: SubjectKeys,
    others: Mapping[type[Record], set[str]] | None = None,
) -> Discovery:
    """:func:`find_subject` on checked records and the subject's keys.

    ``others`` names, by type, the ids of records left out of ``checked`` (a streaming search
    keeps only what may concern the subject): a reference to such an id is doubtful, as it
    would be if those records were given.
    """
    contacts = [record for record in checked if isinstance(record, Contact)]
    shared = _shared_phones(contacts, keys)
    matches: list[Match] = []
    refs = _Refs()
    for record_type, ids in (others or {}).items():
        refs.others.setdefault(record_type, set()).update(ids)
    later: list[tuple[int, Record]] = []
    for index, record in enumerate(checked):
        if isinstance(record, Contact):
            own = contact_reasons(record, keys, shared)
        elif isinstance(record, Account):
            own = account_reasons(record, keys)
        else:
            later.append((index, record))
            continue
        confidence = _weigh(own)
        refs.note(record, confidence)
        matches.extend(_own(record, index, own, confidence, keys))
    # Deals before activities: an activity may refer to a deal found through its contacts.
    later.sort(key=lambda item: not isinstance(item[1], Deal))
    for index, record in later:
        linked = _references(record, refs)
        if linked:
            confidence = (
                Confidence.LINKED
                if any(kind is Confidence.STRONG for kind, _ in linked)
                else Confidence.WEAK
            )
            reasons = [reason for _, reason in linked]
            refs.note(record, confidence)
            matches.append(Match(record, index, confidence, _sorted(reasons)))
            continue
        refs.note(record, None)
        matches.extend(_own(record, index, [], None, keys))
    found = sorted((m for m in matches if m.confidence is not Confidence.WEAK), key=_sort_key)
    review = sorted((m for m in matches if m.confidence is Confidence.WEAK), key=_sort_key)
    return Discovery(tuple(found), tuple(review))


def _sorted(reasons: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(sorted(set(reasons), key=lambda r: (r.path, r.code, r.ref or "")))


def _own(
    record: Record, index: int, own: list[Found], confidence: Confidence | None, keys: SubjectKeys
) -> list[Match]:
    if confidence is Confidence.STRONG:
        return [Match(record, index, confidence, _sorted(Reason(c, p) for c, p in own))]
    mentioned = mentions(record, keys)
    if confidence is None and not mentioned:
        return []
    reasons = _sorted(Reason(c, p) for c, p in [*own, *mentioned])
    return [Match(record, index, Confidence.WEAK, reasons)]
