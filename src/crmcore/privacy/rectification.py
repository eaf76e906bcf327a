"""Correct a data subject's data (GDPR Art. 16, CCPA correct), with the same audit as erasure.

:func:`apply_rectification` replaces the values of named paths of one record and returns an
:class:`~crmcore.privacy.ErasureResult`: the records in order (untouched ones the very same
objects) and an :class:`~crmcore.privacy.ErasureAudit` of kind ``"rectification"`` whose
digests prove which values were replaced, without holding them.

>>> import datetime as dt
>>> from crmcore import Contact, ContactIdentity, EmailAddress
>>> ada = Contact("c-1", ContactIdentity(emails=(EmailAddress("ada@old.example"),)))
>>> key = bytes(range(32))
>>> result = apply_rectification(
...     [ada], "c-1", {"identity.emails": (EmailAddress("ada@new.example"),)},
...     key=key, at=dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc))
>>> result.records[0].identity.emails[0].address
'ada@new.example'
>>> result.audit.was_erased("ada@old.example", key, kind="email")
True
>>> [(e.path, e.action.value) for e in result.audit.entries]
[('identity.emails', 'rectify')]
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping

from crmcore.errors import InvalidValueError
from crmcore.privacy._access_paths import Slot, check_schema, facets, slots
from crmcore.privacy._args import read_aware
from crmcore.privacy._erasure_values import (
    check_records,
    digests_of,
    key_id,
    leaves,
    read,
    request_id_of,
    rewrite,
)
from crmcore.privacy.erasure import (
    Action,
    AuditEntry,
    ErasureAudit,
    ErasureError,
    ErasureResult,
)
from crmcore.privacy.kinds import RequestKind
from crmcore.privacy.requests import PrivacyRequest
from crmcore.records import CustomSchema, PrivacyCategory, Record

__all__ = ["apply_rectification"]

_ART_16 = "GDPR Art. 16; CCPA Cal. Civ. Code 1798.106"
_REASON = "corrected at the subject's request"
_CUSTOM = re.compile(r"[a-z][a-z0-9_]{0,63}")


def _find(records: tuple[Record, ...], record_id: object) -> int:
    if not isinstance(record_id, str):
        raise InvalidValueError("expected text", field="record_id")
    found = [position for position, record in enumerate(records) if record.id == record_id]
    if not found:
        raise InvalidValueError("no record has this id", field="record_id")
    if len(found) > 1:
        raise InvalidValueError("more than one record has this id", field="record_id")
    return found[0]


def _slot_for(record: Record, path: object, schema: CustomSchema | None, position: int) -> Slot:
    if not isinstance(path, str):
        raise InvalidValueError("expected a field path", field=f"changes.<key {position}>")
    known = {slot.path: slot for slot in slots(record, schema)}
    slot = known.get(path)
    if slot is None:
        head, _, tail = path.partition(".")
        facet, _, name = tail.partition(".")
        category = dict(facets(type(record))).get(head)
        if category is not None and facet == "custom" and _CUSTOM.fullmatch(name):
            # an undeclared custom value: personal free text of its facet's category
            return Slot(path, category, True, PrivacyCategory.FREE_TEXT, head, name, True)
        raise InvalidValueError(
            "not a field path of this record", field=f"changes.<key {position}>"
        )
    if slot.path == "id":
        raise InvalidValueError("a record's id is not rectified", field="changes.id")
    return slot


def apply_rectification(
    records: Iterable[Record],
    record_id: str,
    changes: Mapping[str, object],
    *,
    key: bytes,
    at: _dt.datetime,
    request: PrivacyRequest | None = None,
    schema: CustomSchema | None = None,
) -> ErasureResult:
    """Replace the values at ``changes``' paths of the record ``record_id``; audit the change.

    ``changes`` maps field paths (``identity.emails``, ``descriptive.job_title``,
    ``identity.custom.tier``; see :func:`crmcore.fields`) to their corrected values; ``None``
    drops a custom value. The record checks the new values as it always does. ``key`` (32
    bytes or more) keys the audit's digests of the replaced values; ``at`` (timezone-aware)
    is when; ``request``, when given, is a rectification
    :class:`~crmcore.privacy.PrivacyRequest`. A path whose value does not change is left out
    of the audit.

    Bad arguments raise :class:`~crmcore.errors.InvalidValueError` naming the argument (a path
    of ``changes`` is named when it looks like a field path); a value the record refuses
    raises :class:`~crmcore.privacy.ErasureError` naming the path. Nothing changes then.
    """
    found = check_records(records)
    position = _find(found, record_id)
    fingerprint = key_id(key)
    when = read_aware(at, "at")
    request_id = request_id_of(request, RequestKind.RECTIFICATION)
    record = found[position]
    checked = check_schema(schema, type(record))
    if not isinstance(changes, Mapping):
        raise InvalidValueError("expected a mapping of field paths to values", field="changes")
    if not changes:
        raise InvalidValueError("nothing to rectify", field="changes")
    updates: dict[Slot, object] = {}
    entries: list[AuditEntry] = []
    for number, (path, value) in enumerate(changes.items()):
        slot = _slot_for(record, path, checked, number)
        old = read(record, slot)
        if old == value and type(old) is type(value):
            continue
        updates[slot] = value
        entries.append(
            AuditEntry(
                record_type=type(record).__name__,
                record_id=record.id,
                path=slot.path,
                action=Action.RECTIFY,
                reason=_REASON,
                citation=_ART_16,
                digests=digests_of(leaves(old), key) if slot.personal else (),
            )
        )
    out = list(found)
    if updates:
        new: Record | None = None
        failed: str | None = None
        for slot, value in updates.items():
            try:
                rewrite(record, {slot: value})
            except (InvalidValueError, ValueError, TypeError):
                failed = slot.path
                break
        if failed is not None:
            raise ErasureError(f"changes.{failed}", "the record refuses this value")
        try:
            new = rewrite(record, updates)
        except (InvalidValueError, ValueError, TypeError):
            new = None
        if new is None:
            raise ErasureError("changes", "the record refuses these values together")
        out[position] = new
    audit = ErasureAudit(
        kind="rectification",
        request_id=request_id,
        at=when,
        key_id=fingerprint,
        entries=tuple(entries),
    )
    return ErasureResult(tuple(out), audit)
