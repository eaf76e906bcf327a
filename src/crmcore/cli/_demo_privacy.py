"""The privacy section of ``crmcore demo``: an access and an erasure request for one subject.

The subject is a contact of the demo data set chosen by a fixed rule (the one that the most
deals and activities refer to, then the smallest id), identified as a requester would be: by
email and phone number. The section shows the deadlines, what was found (types, counts and
confidences), the erasure plan and its audit; never a value.
"""

from __future__ import annotations

import collections
from datetime import timedelta

from crmcore.cli._demo_model import DemoData
from crmcore.privacy import (
    Calendar,
    Confidence,
    DataSubject,
    SubjectSearch,
    apply_erasure,
    deadline,
    plan_erasure,
)
from crmcore.records import Activity, Contact, Deal, Record

__all__ = ["DEMO_KEY", "RECEIVED_DAYS_AGO", "privacy_section"]

DEMO_KEY = bytes(range(32))
"""The demo's secret key for the audit's digests. Use a real secret, kept apart, in practice."""

RECEIVED_DAYS_AGO = 10
"""The requests were received this many days before the data set's ``as_of``."""


def _records(data: DemoData) -> list[Record]:
    """Every record that converted, contacts and accounts first, then deals, then activities."""
    return [row.record for _, rows in data.tables() for row in rows if row.record is not None]


def _subject_contact(records: list[Record]) -> Contact | None:
    refs: collections.Counter[str] = collections.Counter()
    for record in records:
        if isinstance(record, (Deal, Activity)):
            refs.update(set(record.identity.contact_refs))
    candidates = [
        record
        for record in records
        if isinstance(record, Contact) and record.identity.emails and record.identity.phones
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda contact: (-refs[contact.id], contact.id))


_PLURALS = {"Contact": "contacts", "Account": "accounts", "Deal": "deals"}


def _counted(records: list[tuple[str, str]]) -> str:
    """``deals: 5 linked; activities: 2 linked`` for (type, confidence) pairs."""
    by_type: dict[str, collections.Counter[str]] = {}
    for kind, how in records:
        by_type.setdefault(kind, collections.Counter())[how] += 1
    parts = [
        f"{_PLURALS.get(kind, 'activities')}: "
        + ", ".join(f"{n} {how}" for how, n in sorted(counts.items()))
        for kind, counts in sorted(by_type.items())
    ]
    return "; ".join(parts) if parts else "none"


def privacy_section(data: DemoData) -> list[str]:
    """Answer an access and an erasure request for one demo contact, under GDPR."""
    records = _records(data)
    contact = _subject_contact(records)
    lines = ["Privacy requests (GDPR; a subject found by email and phone; no value shown)"]
    if contact is None:
        return [*lines, "  no contact with an email and a phone number to play the subject"]
    subject = DataSubject(
        names=(contact.identity.name,) if contact.identity.name.display.strip() else (),
        emails=contact.identity.emails[:1],
        phones=contact.identity.phones[:1],
    )
    search = SubjectSearch(subject)
    search.extend(records)
    found = search.discovery()
    received = data.as_of - timedelta(days=RECEIVED_DAYS_AGO)
    calendar = Calendar()
    access_due = deadline("gdpr", "access", received, calendar)
    erasure_due = deadline("gdpr", "erasure", received, calendar)
    lines.append(
        f"  subject: contact {contact.id}; {search.read:,} records searched, "
        f"{len(search.records):,} kept as possibly concerning them"
    )
    lines.append(
        f"  received {received.date().isoformat()}, {RECEIVED_DAYS_AGO} days before the data "
        f"set's date; {access_due.days_left(data.as_of)} days left"
    )
    lines.append(f"  access: due {access_due.due.isoformat()}")
    lines.append(f"    {access_due.citation}")
    lines.append(
        "    found: "
        + _counted([(type(m.record).__name__, m.confidence.value) for m in found.found])
    )
    lines.append(
        "    for review (not acted on): "
        + _counted([(type(m.record).__name__, m.confidence.value) for m in found.review])
    )
    own = [m.record.id for m in found.found if m.confidence is Confidence.STRONG]
    plan = plan_erasure(search.records, subject, record_ids=own, regions=search.regions)
    result = apply_erasure(plan, search.records, key=DEMO_KEY, at=data.as_of)
    actions = collections.Counter(
        path.action.value for record in plan.records for path in record.paths
    )
    roles = collections.Counter(record.role for record in plan.records)
    lines.append(f"  erasure: due {erasure_due.due.isoformat()}")
    lines.append(f"    {erasure_due.citation}")
    lines.append(
        f"    plan: {roles['subject']} record(s) of the subject, {roles['mention']} of others "
        "with a mention to scrub"
    )
    lines.append(
        "    paths: " + ", ".join(f"{action} {n}" for action, n in sorted(actions.items()))
    )
    changed = sum(old is not new for old, new in zip(search.records, result.records, strict=True))
    email = contact.identity.emails[0].address
    proved = result.audit.was_erased(email, DEMO_KEY, kind="email")
    lines.append(
        f"    audit: {len(result.audit.entries)} entries, {changed} record(s) changed, "
        f"key id {result.audit.key_id}"
    )
    lines.append(
        "    the audit holds digests, no value; the subject's email checks as erased: "
        + ("yes" if proved else "no")
    )
    return lines
