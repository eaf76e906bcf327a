"""The deduplication section of ``crmcore demo``: found duplicates against the known ones.

The contacts are cleaned as the cleaning section cleans them (``clean_raw`` on every row as
read), then :class:`~crmcore.dedup.ContactMatcher` runs with no configuration. The section
prints the counts of each stage, the pairwise precision, recall and F1 of the clusters found
against the data set's known duplicate groups, and the golden record of one cluster (the
largest, then the smallest id) with where each value came from. A value is shown only when
the field metadata says it is not personal; any other shows as ``<personal>``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from crmcore.cleaning import CleaningContext, CleaningError, clean_raw
from crmcore.cli._demo_model import DemoData
from crmcore.cli._shown import shown_text
from crmcore.records import Contact, fields

__all__ = ["DEDUP_TITLE", "dedup_section"]

DEDUP_TITLE = "Deduplication"
"""The first word of the section's title."""

_HIDDEN = "<personal>"
_SHOWN_IDS = 4


def _contacts(data: DemoData) -> list[Contact]:
    ctx = CleaningContext(as_of=data.as_of, default_region=None, dayfirst=True)
    found: dict[str, Contact] = {}
    for row in data.contacts:
        if row.data is None:
            continue
        try:
            record = clean_raw(Contact, row.data, ctx).record
        except CleaningError:
            continue
        found.setdefault(record.id, record)
    return list(found.values())


def _ids(ids: tuple[str, ...] | list[str]) -> str:
    shown = ", ".join(ids[:_SHOWN_IDS])
    return shown + (f" and {len(ids) - _SHOWN_IDS} more" if len(ids) > _SHOWN_IDS else "")


def _value(record: Any, path: str, personal: dict[str, bool]) -> str:
    if personal.get(path, True):
        return _HIDDEN
    value: Any = record
    for name in path.split("."):
        value = getattr(value, name)
    if isinstance(value, enum.Enum):
        value = value.value
    elif isinstance(value, (datetime, date)):
        value = value.isoformat()
    elif isinstance(value, tuple):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    return shown_text(value, 40)


def _golden_lines(result: Any) -> list[str]:
    chosen = min(result.duplicates, key=lambda c: (-len(c.members), c.id))
    merged = result.merge()[result.duplicates.index(chosen)]
    personal = {spec.path: spec.personal for spec in fields(Contact)}
    rows = [
        (path, p.rule, _ids(p.record_ids), _value(merged.golden, path, personal))
        for path, p in sorted(merged.provenance.items())
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        f"  The golden record of cluster {chosen.id} ({len(chosen.members)} contacts), "
        "field by field: rule, records that held a value, value",
    ]
    lines.extend(
        f"    {path:<{widths[0]}}  {rule:<{widths[1]}}  {ids:<{widths[2]}}  {value}"
        for path, rule, ids, value in rows
    )
    lines.append(
        f"    history: {len(merged.history)} value(s) not kept in the golden record, each "
        "kept with its path and record id (nothing is lost)"
    )
    return lines


def _pairs(groups: Any) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for group in groups:
        members = sorted(group)
        found.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return found


def dedup_section(data: DemoData) -> list[str]:
    """``ContactMatcher`` on the cleaned contacts, scored against the known duplicates."""
    title = f"{DEDUP_TITLE} (ContactMatcher with no configuration, on the cleaned contacts)"
    try:
        from crmcore.dedup import ContactMatcher
    except ImportError:  # numpy, rapidfuzz or jellyfish missing
        return [title, "  needs the dedup extra: pip install 'crmcore[dedup]'"]
    contacts = _contacts(data)
    result = ContactMatcher().dedupe(contacts)
    matched = int((result.pairs.probabilities >= result.match_threshold).sum())
    duplicates = result.duplicates
    found = _pairs(cluster.members for cluster in duplicates)
    known = _pairs(data.known_duplicates)
    true = len(found & known)
    precision = true / len(found) if found else 1.0
    recall = true / len(known) if known else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    lines = [
        title,
        f"  {len(contacts)} contacts: {len(result.pairs):,} candidate pairs, {matched:,} at "
        f"probability {result.match_threshold:g} or above, {len(result.review)} left for review",
        f"  {len(result.clusters):,} clusters, {len(duplicates)} of them of two contacts or "
        f"more ({sum(len(c.members) for c in duplicates)} contacts)",
        f"  against the {len(data.known_duplicates)} known duplicate groups ({len(known)} pairs): "
        f"{true} pairs found, {len(found) - true} wrongly, {len(known) - true} missed",
        f"  pairwise precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}",
    ]
    if duplicates:
        lines.extend(_golden_lines(result))
    return lines
