"""The raw stage's walk: every value of a raw dict repaired by the kind of field it is meant for.

The kind comes from the record classes (:mod:`crmcore.cleaning._types`). Text is repaired;
countries, dates, emails and phones are read once and written back in canonical form (the
email and phone as a mapping that already holds the normalised or E.164 form, so conversion
parses nothing again). A value that is certain to fail conversion goes straight to the
quarantine; anything of an unexpected shape is left for the converter to judge.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from typing import Any, TypeVar, cast

from crmcore import _lenient as read
from crmcore._iso import COUNTRY_CODES, lookup_country
from crmcore.cleaning._dates import quick_date
from crmcore.cleaning._quarantine_text import quarantine_text
from crmcore.cleaning._types import Kind, Slot, slots
from crmcore.cleaning.changes import Change, change
from crmcore.cleaning.context import CleaningContext
from crmcore.cleaning.text import repair_text
from crmcore.errors import InvalidValueError
from crmcore.records.values import (
    EmailAddress,
    PhoneNumber,
    PostalAddress,
    QuarantinedValue,
    normalise_email,
    parse_phone,
)

__all__ = ["MISSING", "RawWalk"]

C = TypeVar("C")

MISSING: Any = object()
"""Stands for a value removed from the raw data (made missing, or quarantined)."""

# Longer text is not worth handing to a parser: no real email, phone, date or country is that
# long, and parsers are not all linear in the length of what they are given.
_LONGEST = {"email": 512, "phone": 128, "date": 128, "country": 128}


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class RawWalk:
    """One walk over the raw data of one record: its changes, quarantine and list origins."""

    def __init__(self, record_type: type[Any], ctx: CleaningContext) -> None:
        self.record_type = record_type
        self.ctx = ctx
        self.changes: list[Change] = []
        self.quarantine: list[QuarantinedValue] = []
        self.region = ctx.default_region
        self.origins: dict[int, list[int]] = {}
        """For each list the walk built (by id), the index in the raw data of each item."""
        self.owned: dict[int, Any] = {}
        """The containers the walk built (by id, kept alive): only those may be changed."""

    # -- bookkeeping -------------------------------------------------------------------------

    def own(self, container: C, origins: list[int] | None = None) -> C:
        self.owned[id(container)] = container
        if origins is not None:
            self.origins[id(container)] = origins
        return container

    def note(self, path: str, repairs: tuple[tuple[str, str, str], ...]) -> None:
        for rule, before, after in repairs:
            self.changes.append(change(self.record_type, path, rule, before, after))

    def record(self, path: str, rule: str, before: Any, after: Any) -> None:
        self.changes.append(change(self.record_type, path, rule, before, after))

    def set_aside(self, path: str, value: Any, code: str, reason: str) -> Any:
        """Quarantine ``value`` (as it came) at ``path``; return :data:`MISSING`."""
        self.quarantine.append(
            QuarantinedValue(path, quarantine_text(value), code, reason, self.ctx.as_of)
        )
        # What did not fit its field may be anything: it is marked personal, as the quarantine is.
        self.changes.append(Change(path, "quarantine", value, None, personal=True))
        return MISSING

    # -- values ------------------------------------------------------------------------------

    def mapping(self, data: Mapping[Any, Any], cls: type[Any], path: str) -> dict[Any, Any]:
        """A copy of an object's mapping with each known field repaired; unknown keys kept."""
        fields, regional = _plan(cast(Any, cls))
        prefix = f"{path}." if path else ""
        saved = self.region
        done: dict[str, Any] = {}
        # Addresses first: a national phone number is read in the region of its record.
        for key in regional:
            if key in data:
                done[key] = value = self.value(data[key], fields[key], prefix + key)
                self.region = _region_of(value) or self.region
        result: dict[Any, Any] = self.own({})
        for key, raw in data.items():
            if key in done:
                value = done[key]
            else:
                field = fields.get(key) if isinstance(key, str) else None
                if field is None:
                    result[key] = raw
                    continue
                value = self.value(raw, field, prefix + key)
            if value is not MISSING:
                result[key] = value
        self.region = saved
        return result

    def value(self, value: Any, field: tuple[int, Slot], path: str) -> Any:
        if value is None:
            return None
        code, slot = field
        if code == _TEXT:
            return self.text(value, path, multiline=slot.multiline)
        if code == _OBJECTS:
            return self.items(value, slot.cls, path, multiline=False)
        if code == _OBJECT:
            assert slot.cls is not None
            return self.obj(value, slot.cls, path)
        if code == _WHEN:
            return self.when(value, slot, path)
        if code == _COUNTRY:
            return self.country(value, path)
        if code == _TEXTS:
            return self.items(value, None, path, multiline=slot.multiline)
        if code == _CUSTOM:
            return self.custom(value, path)
        return self.opaque(value)

    def opaque(self, value: Any) -> Any:
        if isinstance(value, list):
            return self.own(list(value))
        return value

    def text(self, value: Any, path: str, *, multiline: bool) -> Any:
        if not isinstance(value, str):
            return value
        if (
            not multiline
            and value.isascii()
            and value.isprintable()
            and "  " not in value
            and value.strip() == value
            and value
        ):
            return value
        fixed, repairs = repair_text(value, multiline=multiline)
        if not fixed:
            self.record(path, "blank", value, None)
            return MISSING
        self.note(path, repairs)
        return fixed

    def items(self, value: Any, cls: type[Any] | None, path: str, *, multiline: bool) -> Any:
        if not isinstance(value, (list, tuple)):
            if cls is None:
                return self.text(value, path, multiline=multiline)
            return self.obj(value, cls, path)
        kept: list[Any] = []
        origins: list[int] = []
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if cls is None:
                fixed = self.text(item, where, multiline=multiline)
            else:
                fixed = self.obj(item, cls, where)
            if fixed is not MISSING:
                kept.append(fixed)
                origins.append(index)
        return self.own(kept, origins)

    def obj(self, value: Any, cls: type[Any], path: str) -> Any:
        if cls is EmailAddress:
            return self.email(value, path)
        if cls is PhoneNumber:
            return self.phone(value, path)
        if isinstance(value, Mapping):
            return self.mapping(value, cls, path)
        # A shorthand (a note or an amount as text): repaired, never collapsed.
        return self.text(value, path, multiline=True)

    def custom(self, value: Any, path: str) -> Any:
        if not isinstance(value, Mapping):
            return value
        result: dict[Any, Any] = self.own({})
        for key, item in value.items():
            where = _join(path, str(key))
            if isinstance(item, str):
                item = self.text(item, where, multiline=True)
            elif isinstance(item, (list, tuple)) and all(isinstance(x, str) for x in item):
                item = self.items(item, None, where, multiline=True)
            if item is not MISSING:
                result[key] = item
        return result

    # -- countries, dates, emails, phones ----------------------------------------------------

    def country(self, value: Any, path: str) -> Any:
        if not isinstance(value, str):
            return self.set_aside(path, value, "country.unreadable", "expected text")
        fixed = self.text(value, path, multiline=False)
        if fixed is MISSING or fixed in COUNTRY_CODES:
            return fixed
        code = lookup_country(fixed) if len(fixed) <= _LONGEST["country"] else None
        if code is None:
            reason = "not a known country name or code"
            return self.set_aside(path, value, "country.unreadable", reason)
        self.record(path, "country.alpha2", fixed, code)
        return code

    def when(self, value: Any, slot: Slot, path: str) -> Any:
        if isinstance(value, date):
            return value
        fixed = self.text(value, path, multiline=False)
        if fixed is MISSING:
            return fixed
        if isinstance(fixed, str) and len(fixed) > _LONGEST["date"]:
            return self.set_aside(path, value, "date.unreadable", "too long to be a date")
        ctx = self.ctx
        try:
            if slot.kind is Kind.DATE:
                # The common complete forms are read directly, the rest by read_date.
                quick = quick_date(fixed, ctx.dayfirst) if isinstance(fixed, str) else None
                parsed: date = (
                    quick
                    if quick is not None
                    else read.read_date(
                        fixed, dayfirst=ctx.dayfirst, as_of=ctx.as_of, past=slot.birth_date
                    )
                )
            else:
                parsed = read.read_datetime(
                    fixed, dayfirst=ctx.dayfirst, as_of=ctx.as_of, assume_tz=ctx.assume_tz
                )
            iso = parsed.isoformat()
        except InvalidValueError as exc:
            return self.set_aside(path, value, "date.unreadable", exc.reason)
        except Exception:  # a date parser failing in an unplanned way on absurd input
            return self.set_aside(path, value, "date.unreadable", "not a date")
        if iso != fixed:
            self.record(path, "date.iso", fixed, iso)
        return iso

    def email(self, value: Any, path: str) -> Any:
        if isinstance(value, str):
            fixed = self.text(value, path, multiline=False)
            if fixed is MISSING:
                return fixed
            normalised = self._normalise(fixed)
            if normalised is None:
                return self.set_aside(path, value, "email.unreadable", "not a valid email address")
            if normalised != fixed:
                self.record(path, "email.normalise", fixed, normalised)
            return self.own({"address": normalised, "normalised": normalised})
        if not isinstance(value, Mapping):
            return value
        fields = self.mapping(value, EmailAddress, path)
        address = fields.get("address")
        if not isinstance(address, str):
            return fields
        normalised = self._normalise(address)
        if normalised is None:
            return self.set_aside(path, value, "email.unreadable", "not a valid email address")
        for name in ("address", "normalised"):
            if name in fields and fields[name] != normalised:
                self.record(f"{path}.{name}", "email.normalise", fields[name], normalised)
        fields["address"] = fields["normalised"] = normalised
        return fields

    @staticmethod
    def _normalise(text: str) -> str | None:
        if len(text) > _LONGEST["email"]:
            return None
        try:
            return normalise_email(text)
        except InvalidValueError:
            return None

    def phone(self, value: Any, path: str) -> Any:
        if isinstance(value, str):
            fixed = self.text(value, path, multiline=False)
            if fixed is MISSING:
                return fixed
            read_as = _parse(fixed, self.region)
            if isinstance(read_as, str):
                return self.set_aside(path, value, "phone.unreadable", read_as)
            e164, extension = read_as
            if e164 != fixed:
                self.record(path, "phone.e164", fixed, e164)
            fields: dict[str, Any] = self.own({"number": e164, "e164": e164})
            if self.region is not None:
                fields["region"] = self.region
            fields["extension"] = extension
            return fields
        if not isinstance(value, Mapping):
            return value
        fields = self.mapping(value, PhoneNumber, path)
        number = fields.get("number")
        if not isinstance(number, str):
            return fields
        given = fields.get("region")
        region = given if _is_code(given) or given == "001" else self.region
        read_as = _parse(number, region)
        if isinstance(read_as, str):
            return self.set_aside(path, value, "phone.unreadable", read_as)
        e164, extension = read_as
        for name in ("number", "e164"):
            if name in fields and fields[name] != e164:
                self.record(f"{path}.{name}", "phone.e164", fields[name], e164)
        fields["number"] = fields["e164"] = e164
        if region is not None and given is None:
            fields["region"] = region
        if fields.get("extension") is None:
            fields["extension"] = extension
        return fields


def _parse(number: str, region: str | None) -> tuple[str, str | None] | str:
    """The E.164 form and extension of a number, or the reason it cannot be read."""
    if len(number) > _LONGEST["phone"]:
        return "too long to be a phone number"
    try:
        return parse_phone(number, region)
    except InvalidValueError as exc:
        return exc.reason


_TEXT, _COUNTRY, _WHEN, _TEXTS, _OBJECTS, _OBJECT, _CUSTOM, _OPAQUE = range(8)


def _code(slot: Slot) -> int:
    kind = slot.kind
    if kind is Kind.TEXT:
        return _COUNTRY if slot.country else _TEXT
    if kind in (Kind.DATE, Kind.DATETIME):
        return _WHEN
    if kind is Kind.OTHER:
        return _TEXT  # enums, numbers, money as text: repaired as one-line text
    return {
        Kind.TEXTS: _TEXTS,
        Kind.OBJECTS: _OBJECTS,
        Kind.OBJECT: _OBJECT,
        Kind.CUSTOM: _CUSTOM,
    }.get(kind, _OPAQUE)


@functools.cache
def _plan(cls: type[Any]) -> tuple[dict[str, tuple[int, Slot]], tuple[str, ...]]:
    """How to walk a class: each field's handler, and the address fields to walk first."""
    fields = {slot.name: (_code(slot), slot) for slot in slots(cls)}
    objects = [slot for slot in slots(cls) if slot.kind is Kind.OBJECTS]
    phones = any(slot.cls is PhoneNumber for slot in objects)
    regional = tuple(slot.name for slot in objects if phones and slot.cls is PostalAddress)
    return fields, regional


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and value in COUNTRY_CODES


def _region_of(addresses: Any) -> str | None:
    """The country of a record's own addresses: the primary one's, else the first known."""
    if isinstance(addresses, Mapping):
        addresses = [addresses]
    if not isinstance(addresses, list):
        return None
    found = [a for a in addresses if isinstance(a, Mapping) and _is_code(a.get("country"))]
    primary = [a for a in found if a.get("primary") is True]
    for address in primary + found:
        return str(address["country"])
    return None
