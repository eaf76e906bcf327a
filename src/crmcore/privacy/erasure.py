"""Erase a data subject from records (GDPR Art. 17, CCPA delete), and prove it.

Two steps, so that a person can review what will happen before it does:

1. :func:`plan_erasure` decides, per record and path, what happens and why: the subject's own
   records have their personal data **deleted** (emptied; the record and its id stay, so
   references hold) except quantitative figures, which are **kept** without what identifies
   the subject; identifiers named in ``pseudonymise`` are **pseudonymised**; every other
   record's free text (notes, quarantined values, activity text, a deal's competitor notes,
   undeclared custom fields) is **scrubbed** of the subject's emails, phone numbers and
   names; a :class:`Hold` (a legal hold, an Art. 17(3) exception such as a duty under tax law)
   **keeps** the paths or records it names, and the plan says why.
2. :func:`apply_erasure` carries the plan out with a secret key and a time, and returns an
   :class:`ErasureResult`: the records in their order (untouched ones the very same objects)
   and an :class:`ErasureAudit` whose digests let anyone holding the key check that a value
   was erased, without the audit holding any of them.

Field metadata decides every step (:func:`crmcore.fields`): a field is the subject's personal
data when it is ``personal``; its :class:`~crmcore.Category` tells a quantitative figure; its
:class:`~crmcore.PrivacyCategory` tells free text. Custom fields follow their
:class:`~crmcore.CustomSchema` (give ``schemas``); an undeclared one is personal free text.

>>> import datetime as dt
>>> from crmcore import Contact, ContactIdentity, ContactQualitative, EmailAddress, Note
>>> from crmcore import PersonName
>>> from crmcore.privacy.subject import DataSubject
>>> ada = Contact("c-1", ContactIdentity(
...     name=PersonName(given="Ada", family="Lovelace"),
...     emails=(EmailAddress("ada@example.org"),)))
>>> bob = Contact("c-2", ContactIdentity(name=PersonName(given="Bob")),
...     qualitative=ContactQualitative(notes=(Note("Met Ada Lovelace (ADA@example.org)."),)))
>>> subject = DataSubject(emails=("ada@example.org",), names=("Ada Lovelace",))
>>> plan = plan_erasure([ada, bob], subject)
>>> [(p.record_id, p.role, [(x.path, x.action.value) for x in p.paths]) for p in plan.records]
[('c-1', 'subject', [('identity.name', 'delete'), ('identity.emails', 'delete')]), ('c-2', 'mention', [('qualitative.notes', 'scrub')])]
>>> at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
>>> result = apply_erasure(plan, [ada, bob], key=bytes(range(32)), at=at)
>>> result.records[0].identity.emails, result.records[1].qualitative.notes[0].text
((), 'Met [erased name] ([erased email]).')
>>> result.audit.was_erased("ada@example.org", bytes(range(32)), kind="email")
True
>>> "example.org" in str(result.audit.to_dict())
False
"""  # noqa: E501

from __future__ import annotations

import contextlib
import datetime as _dt
import enum
import hmac
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy._access_paths import PATH, Slot, check_schema, covers, slots
from crmcore.privacy._args import read_aware, read_text
from crmcore.privacy._erasure_values import (
    ReferenceRegions,
    check_records,
    digest,
    digests_of,
    empty,
    is_empty,
    key_id,
    leaves,
    read,
    regions_of,
    request_id_of,
    rewrite,
    scrub_value,
)
from crmcore.privacy._scrub import Scrubber
from crmcore.privacy.kinds import RequestKind
from crmcore.privacy.pseudonym import PseudonymKind, normalise_for_pseudonym, pseudonymise
from crmcore.privacy.requests import PrivacyRequest
from crmcore.privacy.subject import DataSubject
from crmcore.records import Category, Contact, CustomSchema, PrivacyCategory, Record
from crmcore.records.values import ExternalId, PersonName

__all__ = [
    "Action",
    "AuditEntry",
    "ErasureAudit",
    "ErasureError",
    "ErasurePlan",
    "ErasureResult",
    "Hold",
    "PathPlan",
    "RecordPlan",
    "apply_erasure",
    "plan_erasure",
]

_ART_17 = "GDPR Art. 17(1); CCPA Cal. Civ. Code 1798.105"
_RECITAL_26 = "GDPR Recital 26 (data no longer relating to an identifiable person)"
_ART_4_5 = "GDPR Art. 4(5)"
_DELETE = "the subject's personal data"
_FIGURE = "a quantitative figure, kept without what identifies the subject"
_SCRUB = "free text that mentions the subject"
_PSEUDO = "an identifier kept as a pseudonym, as the caller asked"


class Action(enum.Enum):
    """What happens to one path of one record."""

    DELETE = "delete"
    """Emptied: ``None``, ``()``, an empty value, or the custom value dropped."""
    PSEUDONYMISE = "pseudonymise"
    """Replaced by its keyed pseudonym (:func:`~crmcore.privacy.pseudonymise`)."""
    SCRUB = "scrub"
    """Free text kept, with the subject's emails, phone numbers and names replaced."""
    KEEP = "keep"
    """Left as it is, for the reason given (a hold, or a figure that identifies nobody)."""
    RECTIFY = "rectify"
    """Replaced by the corrected value (:func:`~crmcore.privacy.apply_rectification`)."""


class ErasureError(CRMError):
    """An erasure or a rectification could not be carried out; nothing was changed.

    ``path`` names the place (``records[3].qualitative.notes``), never a value.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def _optional_text(value: object, field: str) -> str | None:
    return None if value is None else read_text(value, field, required=True, limit=500)


def _hold_record(value: object) -> str | None:
    return _optional_text(value, "record_id")


def _hold_path(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not PATH.fullmatch(value):
        raise InvalidValueError("expected a dotted field path such as identity.name", field="path")
    return value


def _hold_reason(value: object) -> str:
    return read_text(value, "reason", required=True, limit=500)


def _citation(value: object) -> str:
    return read_text(value, "citation", required=False, limit=500)


@attrs.frozen(kw_only=True)
class Hold:
    """Keep what erasure would remove: a legal hold, or an exception of GDPR Art. 17(3).

    A hold names a record (``record_id``), a path (``path``, in every record; a facet such
    as ``qualitative`` covers its fields) or both; ``reason`` says why, for the plan and the
    audit, and ``citation`` the rule. Neither the reason nor the citation may hold a personal
    value: they are printed.

    >>> Hold(path="quantitative.total_spent", reason="invoices kept 10 years under tax law",
    ...      citation="GDPR Art. 17(3)(b)").covers("c-1", "quantitative.total_spent")
    True
    >>> Hold(reason="litigation")
    Traceback (most recent call last):
    ...
    crmcore.errors.InvalidValueError: record_id: a hold names a record, a path or both
    """

    reason: str = attrs.field(converter=_hold_reason)
    record_id: str | None = attrs.field(default=None, converter=_hold_record)
    path: str | None = attrs.field(default=None, converter=_hold_path)
    citation: str = attrs.field(default="", converter=_citation)

    def __attrs_post_init__(self) -> None:
        if self.record_id is None and self.path is None:
            raise InvalidValueError("a hold names a record, a path or both", field="record_id")

    def covers(self, record_id: str, path: str) -> bool:
        """Whether this hold keeps ``path`` of the record ``record_id``."""
        if self.record_id is not None and self.record_id != record_id:
            return False
        return self.path is None or covers(self.path, path)


@attrs.frozen
class PathPlan:
    """What happens to one path of one record, why, and under which rule."""

    path: str
    action: Action
    reason: str
    citation: str = ""

    def to_dict(self) -> dict[str, str]:
        """The JSON-safe form."""
        return {
            "path": self.path,
            "action": self.action.value,
            "reason": self.reason,
            "citation": self.citation,
        }


Role = Literal["subject", "mention"]


@attrs.frozen
class RecordPlan:
    """What happens to one record: ``role`` is ``"subject"`` for the subject's own records.

    ``position`` is the record's place in the records planned; ``paths`` what happens to each
    path that holds something to act on.
    """

    position: int
    record_type: str
    record_id: str
    role: Role
    paths: tuple[PathPlan, ...]
    regions: tuple[str, ...] = ()
    """The regions national phone numbers in its free text are read in, best first."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON-safe form."""
        return {
            "position": self.position,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "role": self.role,
            "paths": [path.to_dict() for path in self.paths],
        }


def _schemas(value: object) -> Mapping[type[Any], CustomSchema]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected a tuple of CustomSchema", field="schemas")
    found: dict[type[Any], CustomSchema] = {}
    for position, schema in enumerate(value):
        if not isinstance(schema, CustomSchema):
            raise InvalidValueError("expected a CustomSchema", field=f"schemas[{position}]")
        if schema.record_type in found:
            raise InvalidValueError(
                "a second schema for the same record type", field=f"schemas[{position}]"
            )
        found[schema.record_type] = check_schema(schema, schema.record_type)  # type: ignore[assignment]
    return found


@attrs.frozen(repr=False)
class ErasurePlan:
    """What :func:`plan_erasure` decided, for review before :func:`apply_erasure`.

    ``records`` lists only the records something happens to, in order. The plan keeps the
    records it was made for, to refuse being applied to others; its ``repr`` and
    :meth:`to_dict` show paths, actions and reasons, never a value.
    """

    subject: DataSubject
    request_id: str | None
    records: tuple[RecordPlan, ...]
    planned: tuple[Record, ...] = attrs.field(eq=False)
    schemas: Mapping[type[Any], CustomSchema] = attrs.field(eq=False)

    def __repr__(self) -> str:
        return (
            f"ErasurePlan(request_id={self.request_id!r}, records={len(self.records)} of "
            f"{len(self.planned)})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON-safe form: the request and, per record, each path's action and reason."""
        return {
            "request": self.request_id,
            "records": [record.to_dict() for record in self.records],
        }


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One path of one record in an audit: what was done, why, and the digests of what went.

    ``digests`` are sorted and hold one HMAC-SHA256 per erased value (see
    :meth:`ErasureAudit.was_erased`); a kept path has none.
    """

    record_type: str
    record_id: str
    path: str
    action: Action
    reason: str
    citation: str
    digests: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-safe form."""
        return {
            "record_type": self.record_type,
            "record_id": self.record_id,
            "path": self.path,
            "action": self.action.value,
            "reason": self.reason,
            "citation": self.citation,
            "digests": list(self.digests),
        }


@attrs.frozen(kw_only=True)
class ErasureAudit:
    """The proof of an erasure or a rectification: request, records, paths, time, digests.

    It holds no erased value: each is kept as an HMAC-SHA256 digest under the caller's key
    (apart from pseudonyms: an audit never matches a pseudonym kept elsewhere), so whoever
    holds the key and a value can check, with :meth:`was_erased`, that it was erased, and
    nobody without the key can. ``key_id`` tells which key made it, revealing nothing of it.
    """

    kind: Literal["erasure", "rectification"]
    request_id: str | None
    at: _dt.datetime
    key_id: str
    entries: tuple[AuditEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-safe form: text, lists and dictionaries only, no erased value."""
        return {
            "kind": self.kind,
            "request": self.request_id,
            "at": self.at.isoformat(),
            "key_id": self.key_id,
            "entries": [entry.to_dict() for entry in self.entries],
        }

    def was_erased(
        self,
        value: str,
        key: bytes,
        *,
        kind: PseudonymKind = "text",
        region: str | None = None,
    ) -> bool:
        """Whether ``value`` is among the values this audit records as erased or replaced.

        ``kind`` says how to read it (``"email"``, ``"phone"`` with ``region`` for a national
        number, or ``"text"``), as :func:`~crmcore.privacy.normalise_for_pseudonym` does.
        A key other than the audit's raises :class:`~crmcore.errors.InvalidValueError`
        naming ``key``.
        """
        if not hmac.compare_digest(key_id(key), self.key_id):
            raise InvalidValueError("not the key this audit was made with", field="key")
        if region is not None:
            if kind != "phone":
                raise InvalidValueError("a region is only read for a phone number", field="region")
            kind, value = normalise_for_pseudonym(value, kind="phone", region=region)
        wanted = digest(kind, value, key)
        return any(wanted in entry.digests for entry in self.entries)


@attrs.frozen
class ErasureResult:
    """The records after an erasure or rectification, in order, and the audit proving it."""

    records: tuple[Record, ...]
    audit: ErasureAudit

    def __repr__(self) -> str:
        return (
            f"ErasureResult(records={len(self.records)}, audit={len(self.audit.entries)} entries)"
        )


def _known_regions(value: object) -> ReferenceRegions | None:
    if value is None or isinstance(value, ReferenceRegions):
        return value
    raise InvalidValueError("expected the regions a SubjectSearch gives, or None", field="regions")


def _holds(value: object) -> tuple[Hold, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected a tuple of Hold", field="holds")
    found = tuple(value)
    for position, hold in enumerate(found):
        if not isinstance(hold, Hold):
            raise InvalidValueError("expected a Hold", field=f"holds[{position}]")
    return found


def _texts(value: object, field: str) -> tuple[str, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected a tuple of text", field=field)
    found = tuple(value)
    for position, item in enumerate(found):
        if not isinstance(item, str):
            raise InvalidValueError("expected text", field=f"{field}[{position}]")
    return found


def _is_subjects(record: Record, subject: DataSubject, named: frozenset[str]) -> bool:
    if record.id in named:
        return True
    if not isinstance(record, Contact):
        return False
    emails = {email.normalised.casefold() for email in subject.emails}
    phones = {phone.e164 for phone in subject.phones}
    ids = {(item.system, item.value) for item in subject.external_ids}
    identity = record.identity
    return (
        any(email.normalised.casefold() in emails for email in identity.emails)
        or any(phone.e164 in phones for phone in identity.phones)
        or any((item.system, item.value) in ids for item in identity.external_ids)
    )


def _held(holds: tuple[Hold, ...], record_id: str, path: str) -> Hold | None:
    return next((hold for hold in holds if hold.covers(record_id, path)), None)


def _can_pseudonymise(slot: Slot) -> bool:
    return not slot.custom and slot.privacy is PrivacyCategory.IDENTIFIER


def _subject_paths(
    record: Record,
    schema: CustomSchema | None,
    holds: tuple[Hold, ...],
    pseudonymous: frozenset[str],
) -> tuple[PathPlan, ...]:
    found = []
    for slot in slots(record, schema):
        if not slot.personal or is_empty(record, slot):
            continue
        hold = _held(holds, record.id, slot.path)
        if hold is not None:
            found.append(PathPlan(slot.path, Action.KEEP, hold.reason, hold.citation))
        elif slot.category is Category.QUANTITATIVE:
            found.append(PathPlan(slot.path, Action.KEEP, _FIGURE, _RECITAL_26))
        elif slot.path in pseudonymous and _can_pseudonymise(slot):
            found.append(PathPlan(slot.path, Action.PSEUDONYMISE, _PSEUDO, _ART_4_5))
        else:
            found.append(PathPlan(slot.path, Action.DELETE, _DELETE, _ART_17))
    return tuple(found)


def _free_text(slot: Slot) -> bool:
    return slot.personal and slot.privacy is PrivacyCategory.FREE_TEXT


def _mention_paths(
    record: Record,
    schema: CustomSchema | None,
    holds: tuple[Hold, ...],
    scrubber: Scrubber,
    regions: tuple[str, ...],
) -> tuple[PathPlan, ...]:
    found = []
    for slot in slots(record, schema):
        if not _free_text(slot) or is_empty(record, slot):
            continue
        _, hits = scrub_value(read(record, slot), scrubber, regions)
        if not hits:
            continue
        hold = _held(holds, record.id, slot.path)
        if hold is not None:
            found.append(PathPlan(slot.path, Action.KEEP, hold.reason, hold.citation))
        else:
            found.append(PathPlan(slot.path, Action.SCRUB, _SCRUB, _ART_17))
    return tuple(found)


def mentions_subject(
    record: Record, schema: CustomSchema | None, scrubber: Scrubber, regions: tuple[str, ...]
) -> bool:
    """Whether free text on ``record`` writes something ``scrubber`` erases."""
    return any(
        _free_text(slot)
        and not is_empty(record, slot)
        and scrub_value(read(record, slot), scrubber, regions)[1]
        for slot in slots(record, schema)
    )


def _protected(records: tuple[Record, ...], subject_positions: set[int]) -> list[PersonName]:
    return [
        record.identity.name
        for position, record in enumerate(records)
        if position not in subject_positions and isinstance(record, Contact)
    ]


def plan_erasure(
    records: Iterable[Record],
    subject: DataSubject,
    *,
    request: PrivacyRequest | None = None,
    holds: Iterable[Hold] = (),
    record_ids: Iterable[str] = (),
    pseudonymise: Iterable[str] = (),
    schemas: Iterable[CustomSchema] = (),
    regions: ReferenceRegions | None = None,
) -> ErasurePlan:
    """Plan the erasure of ``subject`` from ``records``: per record and path, what and why.

    - The subject's own records are the contacts sharing one of the subject's emails (in any
      case), phone numbers (E.164) or external ids, and the records named in ``record_ids``
      (as :func:`find_subject` or a person found them). Each personal path holding a value is
      deleted, except quantitative figures (kept) and the identifier paths named in
      ``pseudonymise`` (``identity.account_number``, ``identity.external_ids``), which keep
      a pseudonym. The record's ``id`` stays, so references to it hold.
    - On every other record, free text that mentions the subject is scrubbed: emails in any
      case, phone numbers in any national format (read in the record's region, else its
      referenced records', else the subject's phones'), and names: full, reversed, the family
      name alone (not inside another contact's name), split across lines, and every known
      name (give inflected forms there).
    - ``holds`` keep what they name, with their reason and citation.
    - ``regions``: when ``records`` are only those that may concern the subject, the regions
      of every record read, as :attr:`SubjectSearch.regions
      <crmcore.privacy.SubjectSearch.regions>` gives them, so that national phone numbers in
      free text are read in the regions of records referred to but not held.

    ``request``, when given, is an erasure :class:`~crmcore.privacy.PrivacyRequest`; its id
    goes in the plan and the audit. Bad arguments raise
    :class:`~crmcore.errors.InvalidValueError` naming the argument, never a value.
    """
    found = check_records(records)
    if not isinstance(subject, DataSubject):
        raise InvalidValueError("expected a DataSubject", field="subject")
    if subject.is_empty:
        raise InvalidValueError("nothing identifies the subject", field="subject")
    request_id = request_id_of(request, RequestKind.ERASURE)
    hold_list = _holds(holds)
    named = _texts(record_ids, "record_ids")
    ids = {record.id for record in found}
    for position, record_id in enumerate(named):
        if record_id not in ids:
            raise InvalidValueError("no record has this id", field=f"record_ids[{position}]")
    pseudonymous = _texts(pseudonymise, "pseudonymise")
    for position, path in enumerate(pseudonymous):
        if path not in ("identity.account_number", "identity.external_ids"):
            raise InvalidValueError(
                "only identity.account_number and identity.external_ids take a pseudonym",
                field=f"pseudonymise[{position}]",
            )
    schema_map = _schemas(schemas)
    known = _known_regions(regions)
    named_set = frozenset(named)
    own = {i for i, record in enumerate(found) if _is_subjects(record, subject, named_set)}
    scrubber = Scrubber.for_subject(subject, _protected(found, own))
    index = {record.id: record for record in found}
    plans = []
    for position, record in enumerate(found):
        schema = schema_map.get(type(record))
        found_regions = regions_of(record, index, known)
        if position in own:
            paths = _subject_paths(record, schema, hold_list, frozenset(pseudonymous))
            role: Role = "subject"
        else:
            paths = _mention_paths(record, schema, hold_list, scrubber, found_regions)
            role = "mention"
        if paths:
            plans.append(
                RecordPlan(position, type(record).__name__, record.id, role, paths, found_regions)
            )
    return ErasurePlan(subject, request_id, tuple(plans), found, schema_map)


def _pseudonym(value: object, key: bytes) -> object:
    if isinstance(value, str):
        return pseudonymise(value, key, kind="text")
    if isinstance(value, tuple):
        return tuple(
            ExternalId(system=item.system, value=pseudonymise(item.value, key, kind="text"))
            if isinstance(item, ExternalId)
            else item
            for item in value
        )
    return value


def _found_pairs(hits: Iterable[tuple[str, str]]) -> list[tuple[PseudonymKind, str]]:
    kinds: dict[str, PseudonymKind] = {"email": "email", "phone": "phone", "name": "text"}
    return [(kinds[kind], text) for kind, text in hits]


def check_plan(plan: object, records: tuple[Record, ...]) -> ErasurePlan:
    """``plan`` if it was made for ``records`` (equal records, in the same order), else raise."""
    if not isinstance(plan, ErasurePlan):
        raise InvalidValueError("expected an ErasurePlan from plan_erasure", field="plan")
    if len(records) != len(plan.planned):
        raise InvalidValueError("not the records the plan was made for", field="records")
    for position, (given, planned) in enumerate(zip(records, plan.planned, strict=True)):
        if given is not planned and given != planned:
            raise InvalidValueError(
                "not the record the plan was made for (changed or another one)",
                field=f"records[{position}]",
            )
    return plan


def apply_erasure(
    plan: ErasurePlan,
    records: Iterable[Record],
    *,
    key: bytes,
    at: _dt.datetime,
) -> ErasureResult:
    """Carry out ``plan`` on ``records`` and return the new records and the audit.

    ``records`` must be the records the plan was made for (equal, in the same order);
    ``key`` is the secret (32 bytes or more) for pseudonyms and the audit's digests; ``at``
    (timezone-aware) is when the erasure happens, as the audit records it. The result holds
    every record in order, untouched ones the very same objects. The inputs never change; on
    any error (:class:`~crmcore.errors.InvalidValueError` for an argument,
    :class:`ErasureError` naming the path) nothing is returned and nothing changed.
    """
    found = check_records(records)
    checked = check_plan(plan, found)
    fingerprint = key_id(key)
    when = read_aware(at, "at")
    own = {item.position for item in checked.records if item.role == "subject"}
    scrubber = Scrubber.for_subject(checked.subject, _protected(found, own))
    out = list(found)
    entries: list[AuditEntry] = []
    for item in checked.records:
        record = found[item.position]
        by_path = {slot.path: slot for slot in slots(record, checked.schemas.get(type(record)))}
        regions = item.regions
        changes: dict[Slot, object] = {}
        for step in item.paths:
            slot = by_path[step.path]
            old = read(record, slot)
            digests: tuple[str, ...] = ()
            if step.action is Action.DELETE:
                digests = digests_of(leaves(old), key)
                owner = type(record) if slot.facet is None else type(getattr(record, slot.facet))
                changes[slot] = None if slot.custom else empty(owner, slot.name)
            elif step.action is Action.PSEUDONYMISE:
                digests = digests_of(leaves(old), key)
                changes[slot] = _pseudonym(old, key)
            elif step.action is Action.SCRUB:
                new, hits = scrub_value(old, scrubber, regions)
                digests = digests_of(_found_pairs(hits), key)
                changes[slot] = new
            entries.append(
                AuditEntry(
                    record_type=item.record_type,
                    record_id=item.record_id,
                    path=step.path,
                    action=step.action,
                    reason=step.reason,
                    citation=step.citation,
                    digests=digests,
                )
            )
        if changes:
            out[item.position] = _rewrite(record, changes, item.position)
    audit = ErasureAudit(
        kind="erasure",
        request_id=checked.request_id,
        at=when,
        key_id=fingerprint,
        entries=tuple(entries),
    )
    return ErasureResult(tuple(out), audit)


def _rewrite(record: Record, changes: Mapping[Slot, object], position: int) -> Record:
    result: Record | None = None
    with contextlib.suppress(InvalidValueError, ValueError, TypeError):
        result = rewrite(record, changes)  # a refusal is raised below, with no chain
    if result is None:
        paths = ", ".join(sorted(slot.path for slot in changes))
        raise ErasureError(f"records[{position}]", f"the record refused the new values at {paths}")
    return result
