"""The values of a subject export: a record's fields in ``to_dict`` form, and their flat rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from crmcore.privacy._access_paths import Slot
from crmcore.records import ContactPoint, Record

__all__ = ["is_empty", "leaves", "provenance_points", "slot_value", "text_of"]

_MISSING = object()


def is_empty(value: Any) -> bool:
    """Whether a ``to_dict`` value holds nothing: ``None``, an empty list or mapping, or a
    mapping of empty values only (preferences never given, say).

    >>> is_empty({"email_opt_in": None, "sms_opt_in": None}), is_empty({"likes": 0})
    (True, False)
    """
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return not value
    if isinstance(value, dict):
        return all(is_empty(item) for item in value.values())
    return False


def slot_value(data: dict[str, Any], slot: Slot) -> Any:
    """The value of ``slot`` in a record's ``to_dict`` form, or ``None`` if absent."""
    if slot.facet is None:
        return data.get(slot.name)
    facet = data.get(slot.facet)
    if not isinstance(facet, dict):
        return None
    if slot.custom:
        custom = facet.get("custom")
        return custom.get(slot.name) if isinstance(custom, dict) else None
    return facet.get(slot.name)


def text_of(value: Any) -> str:
    """A JSON scalar as CSV text: ``true``/``false``, numbers and text as JSON writes them.

    >>> text_of(True), text_of(3), text_of("19.90")
    ('true', '3', '19.90')
    """
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def leaves(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every non-empty scalar under ``value``, with its path (``identity.emails[0].address``).

    >>> list(leaves({"address": "a@b.org", "label": None, "primary": False}, "e[0]"))
    [('e[0].address', 'a@b.org'), ('e[0].primary', 'false')]
    """
    if value is None:
        return
    if isinstance(value, dict):
        for key in sorted(value):
            yield from leaves(value[key], f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]")
    else:
        yield path, text_of(value)


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def provenance_points(record: Record) -> Iterator[tuple[str | None, Any, Any, Any]]:
    """``(path, source, collected_at, verified_at)`` of the record and of each contact point.

    The record's own comes first with path ``None``: its ``source``, ``created_at`` and
    ``last_verified_at``. Then every email, phone and address that carries any provenance.
    """
    source = record.source.value if record.source is not None else None
    yield None, source, _when(record.created_at), _when(record.last_verified_at)
    identity = getattr(record, "identity", None)
    for name in ("emails", "phones", "addresses"):
        for i, point in enumerate(getattr(identity, name, ())):
            if not isinstance(point, ContactPoint):
                continue
            if point.source is None and point.collected_at is None and point.verified_at is None:
                continue
            yield (
                f"identity.{name}[{i}]",
                point.source.value if point.source is not None else None,
                _when(point.collected_at),
                _when(point.verified_at),
            )
