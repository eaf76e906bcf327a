"""The raw stage's walk: every value of a raw dict repaired by the kind of field it is meant for.

The kind comes from the record classes (:mod:`crmcore.cleaning._types`). Text is repaired;
countries, dates, emails and phones are read once and written back in canonical form (the
email and phone built by their constructors, or as a mapping that already holds the
normalised or E.164 form, so conversion parses nothing again); postal addresses and person
names made of text only are handed over built too; numbers, flags and enum values are read
by the converter's own reader for their field once the walk is done
(:meth:`RawWalk.read_scalars`) and written back typed. A value that is certain to fail
conversion goes straight to the quarantine, and so does a key that is no field, so that a row
is converted once; only what a constructor's check refuses is left for conversion to find.

The walk runs once per raw row, so it is written for the common case: each class is read once
into a plan (each field's handler, looked up by key), one-line text that needs no repair is
kept without a call, and a value's path is only spelled out when a change or a quarantined
value records it. Until then a path travels as ``(base, key)``: see :func:`_at`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, ClassVar, NamedTuple, TypeVar

import attrs

from crmcore._iso import COUNTRY_CODES, lookup_country
from crmcore._safe import is_field_like, key_segment
from crmcore.cleaning._frozen import freeze
from crmcore.cleaning._phone_forms import reads_back, writes_as_e164
from crmcore.cleaning._quarantine_text import quarantine_text
from crmcore.cleaning._types import Kind, Slot, slots, value_parts
from crmcore.cleaning.changes import ChangeRow, change_row
from crmcore.cleaning.context import CleaningContext
from crmcore.cleaning.names import NAME_PARTS, name_case
from crmcore.cleaning.text import repair_text
from crmcore.convert import _lenient as read
from crmcore.convert import _limits as limits
from crmcore.convert._converter import Converter
from crmcore.convert._date_order import date_order
from crmcore.convert._locale import done as done_reading
from crmcore.convert._locale import reading
from crmcore.convert._missing import is_missing
from crmcore.convert._prebuilt import Prebuilt
from crmcore.errors import ConversionError, InvalidValueError
from crmcore.records.limits import LANGUAGE_TAG_MAX_LENGTH
from crmcore.records.values import (
    EmailAddress,
    ExternalId,
    PersonName,
    PhoneNumber,
    PostalAddress,
    QuarantinedValue,
    language_tag,
    normalise_email,
    read_phone,
)

__all__ = ["MISSING", "TOO_LONG", "RawWalk"]

C = TypeVar("C")

MISSING: Any = object()
"""Stands for a value removed from the raw data (made missing, or quarantined)."""

# Longer text is not worth handing to a parser: no real email, phone, date or country is that
# long, and parsers are not all linear in the length of what they are given. The limits are
# the readers' own, so cleaning sets aside as too long exactly what conversion refuses so.
_LONGEST_EMAIL = limits.EMAIL_MAX_LENGTH
_LONGEST_PHONE = limits.PHONE_TEXT_MAX_LENGTH
_LONGEST_DATE = limits.DATETIME_TEXT_MAX_LENGTH
_LONGEST_COUNTRY = limits.COUNTRY_TEXT_MAX_LENGTH

_LONGEST_SCALAR = max(
    limits.NUMBER_TEXT_MAX_LENGTH, limits.ENUM_TEXT_MAX_LENGTH, limits.MONEY_TEXT_MAX_LENGTH
)
"""No number, flag, enum member or amount written as text is longer."""
_UNREPAIRED = 8
"""Raw text this many times longer than the longest of its kind is set aside unrepaired:
padding and invisible characters do not make a value that long."""

TOO_LONG = "value.too_long"
"""The quarantine code of a value longer than any value of its kind can be."""
_EMAIL_TOO_LONG = "too long to be an email address"


def _at(base: str, key: str | int) -> str:
    """The path of a value given as ``(base, key)``.

    A field's ``key`` is its name and ``base`` the path of its object followed by a dot (empty
    at the root): the path is ``base + key``. A list item's ``key`` is its index and ``base``
    the path of the list: the path is ``base[key]``.
    """
    return base + key if isinstance(key, str) else f"{base}[{key}]"


def _prefix(path: str) -> str:
    """The ``base`` of the fields of the object at ``path``."""
    return f"{path}." if path else ""


def _below(base: str, key: str | int) -> str:
    """The ``base`` of the fields of the object at ``(base, key)``: ``_prefix(_at(base, key))``."""
    if isinstance(key, str):
        return f"{base}{key}." if base or key else ""
    return f"{base}[{key}]."


@functools.lru_cache(maxsize=4096)
def _holding(path: str) -> tuple[str, ...]:
    """``path`` and every path that holds it (``a.b[0]``: itself, ``a``, ``a.b``).

    Paths repeat from row to row (the same fields); cached, they are split once.
    """
    return (path, *(path[:end] for end, char in enumerate(path) if char == "." or char == "["))


class RawWalk:
    """One walk over the raw data of one record: its changes, quarantine and list origins."""

    __slots__ = (
        "_holders",
        "_plain",
        "_retracted",
        "aside",
        "case_names",
        "changes",
        "ctx",
        "origins",
        "owned",
        "prebuilt",
        "quarantine",
        "record_type",
        "region",
        "sources",
        "to_read",
    )

    prejudge: ClassVar[bool] = True
    """Set aside in the walk what conversion would refuse: keys that are no field, and numbers,
    flags and enum values the converter cannot read (see :meth:`read_scalars`), so that a row
    is converted once. Turned off only by tests, to compare with conversion's own verdicts."""

    def __init__(
        self,
        record_type: type[Any],
        ctx: CleaningContext,
        *,
        case_names: bool = False,
        prebuilt: bool = False,
    ) -> None:
        self.record_type = record_type
        self.ctx = ctx
        self.case_names = case_names
        """Put the parts of the record's person names in name case (the ``name_case`` step of
        the record stage, done here so that the record is not rebuilt for it)."""
        self.prebuilt = prebuilt
        """Hand an email or a phone read from text to conversion built, as a
        :class:`~crmcore.convert._prebuilt.Prebuilt` (only for a converter that takes them)."""
        self.changes: list[ChangeRow] = []
        """The changes made, as rows (see :data:`~crmcore.cleaning.changes.ChangeRow`)."""
        self.quarantine: dict[str, QuarantinedValue] = {}
        """The values set aside, by path (a value set aside inside one set aside later is not)."""
        self.aside = 0
        """How many times a value was set aside (a count that only grows)."""
        self._holders: dict[str, list[str]] = {}
        """For each path that holds a value set aside, the paths set aside inside it."""
        self._retracted: set[str] = set()
        self._plain: dict[str, list[int]] = {}
        """For each path, the places in :attr:`changes` of the changes not marked personal at
        that path or below it (the only ones :meth:`_mark_personal` may have to mark)."""
        self.region = ctx.default_region
        self.origins: dict[int, list[int]] = {}
        """For each list the walk built (by id), the index in the raw data of each item."""
        self.owned: dict[int, Any] = {}
        """The containers the walk built (by id, kept alive): only those may be changed."""
        self.sources: dict[int, Mapping[Any, Any]] = {}
        """For each mapping the walk built (by id), the raw mapping it was made from: a key
        that is not field-like is named in paths by its place there."""
        self.to_read: list[tuple[dict[Any, Any], str, _Field, str, Any]] = []
        """The scalars left for :meth:`read_scalars`: where each is (its mapping, key, field
        and ``base``) and what it was given as."""

    # -- bookkeeping -------------------------------------------------------------------------

    def own(self, container: C, origins: list[int] | None = None) -> C:
        self.owned[id(container)] = container
        if origins is not None:
            self.origins[id(container)] = origins
        return container

    def record(self, path: str, rule: str, before: Any, after: Any) -> None:
        logged = change_row(self.record_type, path, rule, before, after)
        changes = self.changes
        if not logged[4]:  # not personal
            place = len(changes)
            plain = self._plain
            for held in _holding(path):
                places = plain.get(held)
                if places is None:
                    plain[held] = [place]
                else:
                    places.append(place)
        changes.append(logged)

    def set_aside(
        self, path: str, value: Any, code: str, reason: str, *, key: Any = MISSING
    ) -> Any:
        """Quarantine ``value`` (as it came) at ``path``; return :data:`MISSING`.

        A value holds whatever was set aside inside it before: those are taken back, so that
        no part of the input is quarantined twice. ``key`` is the key of a mapping the value
        came under: when the path cannot name it (``<key 3>``, a key that may be personal),
        the key is kept with the value, as ``{key: value}``, so nothing of the input is lost.
        """
        if key is not MISSING and not is_field_like(key):
            value = {key: value}
        self._mark_personal(path)
        quarantine = self.quarantine
        for inner in self._holders.pop(path, ()):
            if quarantine.pop(inner, None) is not None:
                self._retracted.add(inner)
        quarantine[path] = QuarantinedValue(
            path, quarantine_text(value), code, reason, self.ctx.as_of
        )
        self.aside += 1
        holders = self._holders
        for held in _holding(path)[1:]:
            inside = holders.get(held)
            if inside is None:
                holders[held] = [path]
            else:
                inside.append(path)
        # What did not fit its field may be anything: it is marked personal, as the quarantine is.
        self.changes.append((path, "quarantine", freeze(value), None, True))
        return MISSING

    def _mark_personal(self, path: str) -> None:
        """Mark personal every change already logged at ``path`` or below it.

        What did not fit its field may be anything (an email typed into a date): a repair
        logged before the value was set aside (whitespace, NFC) must hide it as the
        quarantine does.
        """
        changes = self.changes
        for place in self._plain.pop(path, ()):
            at, rule, before, after, personal = changes[place]
            if not personal:
                changes[place] = (at, rule, before, after, True)

    def logged(self) -> list[ChangeRow]:
        """The changes of the walk, less those of values taken back from the quarantine, and
        less the name casing of a name part set aside since (the record holds no such part,
        and the record stage never cased it)."""
        retracted = self._retracted
        changes = self.changes
        if retracted:
            changes = [c for c in changes if not (c[1] == "quarantine" and c[0] in retracted)]
        if self.case_names and self.quarantine:
            aside = tuple(self.quarantine)
            below = tuple(f"{path}." for path in aside) + tuple(f"{path}[" for path in aside)
            changes = [
                c
                for c in changes
                if not (c[1] == "name_case" and (c[0] in aside or c[0].startswith(below)))
            ]
        return changes

    def read_scalars(self, converter: Converter, data: dict[Any, Any]) -> None:
        """Read each number, flag and enum value the walk found, as conversion will read it.

        Each is read by the converter's own reader for its field (with the decimal separator of
        the record's country, as conversion reads it: ``data`` is the record's cleaned data), then
        written back as read, so that conversion finds it of its type and reads nothing again.
        One the converter refuses is set aside as conversion's refusal would have been, with
        code ``value.unreadable`` and the converter's reason.
        """
        if not self.to_read:
            return
        reached = _containers(data)
        token = reading(data)
        try:
            for container, key, field, base, raw in self.to_read:
                if id(container) not in reached:
                    continue  # in an object set aside or dropped as blank since
                try:
                    container[key] = converter.structure_value(container[key], field.kind)
                except ConversionError as refused:
                    problems = refused.problems
                    reason = problems[0].reason if problems else "not readable"
                else:
                    continue
                self.set_aside(_at(base, key), raw, "value.unreadable", reason, key=key)
                del container[key]
        finally:
            done_reading(token)

    # -- objects -----------------------------------------------------------------------------

    def mapping(self, data: Mapping[Any, Any], cls: type[Any], path: str) -> dict[Any, Any]:
        """A copy of an object's mapping with each known field repaired; unknown keys kept."""
        return self._fields(data, _PLANS.get(cls) or _plan(cls), _prefix(path))

    def _fields(self, data: Mapping[Any, Any], plan: _Plan, base: str) -> dict[Any, Any]:
        """:meth:`mapping` with the class read into ``plan`` and the path given as a ``base``."""
        fields, regional, _ = plan
        saved = self.region
        done: dict[str, Any] = {}
        # Addresses first: a national phone number is read in the region of its record.
        for key in regional:
            if key in data:
                raw = data[key]
                first = fields[key]
                done[key] = value = (
                    None if raw is None else first.handle(self, raw, base, key, first)
                )
                self.region = _region_of(value) or self.region
        result: dict[Any, Any] = {}
        self.owned[id(result)] = result
        self.sources[id(result)] = data
        position = -1
        for key, raw in data.items():
            position += 1
            if done and key in done:
                value = done[key]
            else:
                field = fields.get(key) if type(key) is str or isinstance(key, str) else None
                if field is None and (key == "" or self.prejudge):
                    # A key that is no field: conversion would refuse it (and no path can
                    # name an empty key for the converter). Named by its place if not field-like.
                    where = base + key_segment(key, position)
                    self.set_aside(where, raw, "field.unknown", "unknown field", key=key)
                    continue
                if field is None or raw is None:
                    result[key] = raw
                    continue
                kind = raw.__class__
                if kind is not str and kind is not dict and kind is not list and is_missing(raw):
                    # a NaN, pandas.NA, NaT
                    self.record(_at(base, key), "blank", raw, None)
                    continue
                # One-line text that needs no repair (most of it) is kept as it is.
                if (
                    field.line
                    and type(raw) is str
                    and raw.isascii()
                    and raw.isprintable()
                    and "  " not in raw
                    and raw.strip() == raw
                    and raw
                ):
                    result[key] = raw
                    continue
                value = field.handle(self, raw, base, key, field)
                if field.scalar and value is not MISSING and value is not None and self.prejudge:
                    self.to_read.append((result, key, field, base, raw))
            if value is not MISSING:
                result[key] = value
        if regional:
            self.region = saved
        return result

    # -- handlers: (walk, value, base, key, field), the value never None when given a field ---

    def _text(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        return self._repair(value, base, key, field.slot.multiline)

    def _scalar(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        """A number, flag or enum member given as text: repaired, unless far too long."""
        if isinstance(value, str) and len(value) > _LONGEST_SCALAR:
            return self.set_aside(_at(base, key), value, TOO_LONG, "too long for its field")
        return self._repair(value, base, key, field.slot.multiline)

    def _repair(self, value: Any, base: str, key: str | int, multiline: bool) -> Any:
        """Repaired text; anything else as it is; :data:`MISSING` for blank text or a NaN."""
        if not isinstance(value, str):
            if value is not None and is_missing(value):
                self.record(_at(base, key), "blank", value, None)
                return MISSING
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
            self.record(_at(base, key), "blank", value, None)
            return MISSING
        if repairs:
            path = _at(base, key)
            for rule, before, after in repairs:
                self.record(path, rule, before, after)
        return fixed

    def _texts(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        multiline = field.slot.multiline
        if not isinstance(value, (list, tuple)):
            return self._repair(value, base, key, multiline)
        return self._text_list(value, _at(base, key), multiline)

    def _text_list(self, value: list[Any] | tuple[Any, ...], path: str, multiline: bool) -> Any:
        kept: list[Any] = []
        origins: list[int] = []
        for index, item in enumerate(value):
            if (
                not multiline
                and type(item) is str
                and item.isascii()
                and item.isprintable()
                and "  " not in item
                and item.strip() == item
                and item
            ):
                fixed = item
            else:
                fixed = self._repair(item, path, index, multiline)
            if fixed is not MISSING:
                kept.append(fixed)
                origins.append(index)
        return self.own(kept, origins)

    def _objects(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        handle = field.item
        assert handle is not None
        if field.slot.cls is ExternalId and isinstance(value, Mapping) and "system" not in value:
            # External ids as a mapping of system to id: read as the list the converter reads
            # (in sorted order), so that systems and ids are repaired like any other text.
            value = [{"system": name, "value": value[name]} for name in sorted(value, key=str)]
        if not isinstance(value, (list, tuple)):
            return handle(self, value, base, key, field)
        path = _at(base, key)
        kept: list[Any] = []
        origins: list[int] = []
        for index, item in enumerate(value):
            kind = item.__class__
            if kind is not str and kind is not dict and item is not None and is_missing(item):
                self.record(_at(path, index), "blank", item, None)
                continue
            fixed = handle(self, item, path, index, field)
            if fixed is not MISSING:
                kept.append(fixed)
                origins.append(index)
        return self.own(kept, origins)

    def _object(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        """An object given as a mapping; a shorthand (a note or an amount as text) repaired."""
        if type(value) is dict or isinstance(value, Mapping):
            cls = field.slot.cls
            assert cls is not None
            return self._item(value, cls, base, key)
        # Never collapsed: the shorthand may be free text.
        return self._repair(value, base, key, True)

    def _item(self, value: Mapping[Any, Any], cls: type[Any], base: str, key: str | int) -> Any:
        """The fields of an object given as a mapping; :data:`MISSING` when it is blank.

        A value object (not a facet) is blank when no part of it is left and a part was given
        blank (or none was given at all); the label and provenance every contact point carries
        do not count as parts. A blank one is dropped and reported with rule ``blank``, the
        whole mapping as it came as ``before``. One with a part set aside is not blank (the
        converter judges what is left), nor one whose parts were all given as ``None`` (what
        :func:`~crmcore.to_dict` writes for an empty object).
        """
        plan = _PLANS.get(cls) or _plan(cls)
        set_aside, changed = self.aside, len(self.changes)
        inner = _below(base, key)
        fields = self._fields(value, plan, inner)
        if cls is PersonName and self.case_names and "[" not in inner:
            self._case_name(fields, inner)  # a name the record stage reaches: not in a list
        if plan.parts is None:
            return fields
        if self.aside != set_aside:
            return self._built(cls, fields)
        parts = plan.parts
        for name in value:  # a part was given: blank only if one was made blank
            if isinstance(name, str) and name in parts:
                changes = self.changes
                for index in range(changed, len(changes)):
                    if changes[index][1] == "blank":  # its rule
                        break
                else:
                    return self._built(cls, fields)
                break
        for name, item in fields.items():
            if not isinstance(name, str) or name not in plan.fields:
                # a key that is no field, even given blank, is not a blank part: conversion
                # judges the object, as it does when the walk sets the key aside first
                return self._built(cls, fields)
            if item is None or (type(item) is list and not item):
                continue
            if name in plan.parts:
                return self._built(cls, fields)
        self.record(_at(base, key), "blank", value, None)
        return MISSING

    def _built(self, cls: type[Any], fields: dict[Any, Any]) -> Any:
        """An address or a name as conversion would build it from ``fields``, when the walk
        may hand it over built (see :func:`_built_texts`); else ``fields``."""
        if self.prebuilt:
            texts = _BUILT_TEXTS.get(cls)
            if texts is not None and (built := _built_texts(cls, fields, texts)) is not None:
                return built
        return fields

    def _case_name(self, fields: dict[Any, Any], base: str) -> None:
        """Put each part of a person name in name case, as the ``name_case`` step would."""
        for part in NAME_PARTS:
            value = fields.get(part)
            if type(value) is not str:
                continue  # not text: left for conversion to refuse
            cased = name_case(value, part)
            if cased != value:
                self.record(base + part, "name_case", value, cased)
                fields[part] = cased

    def _custom(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        if not isinstance(value, Mapping):
            return value
        inner = _below(base, key)
        result: dict[Any, Any] = self.own({})
        self.sources[id(result)] = value
        for position, (name, item) in enumerate(value.items()):
            where = key_segment(name, position)
            if isinstance(item, str):
                item = self._repair(item, inner, where, True)
            elif isinstance(item, (list, tuple)) and all(isinstance(x, str) for x in item):
                item = self._text_list(item, inner + where, True)
            if item is not MISSING:
                result[name] = item
        return result

    def _opaque(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        if isinstance(value, list):
            return self.own(list(value))
        return value

    # -- countries, dates, emails, phones ----------------------------------------------------

    def _country(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        if not isinstance(value, str):
            return self.set_aside(_at(base, key), value, "country.unreadable", "expected text")
        if len(value) > _UNREPAIRED * _LONGEST_COUNTRY:
            return self.set_aside(_at(base, key), value, TOO_LONG, "too long to be a country")
        fixed = self._repair(value, base, key, False)
        if fixed is MISSING or fixed in COUNTRY_CODES:
            return fixed
        if len(fixed) > _LONGEST_COUNTRY:
            return self.set_aside(_at(base, key), value, TOO_LONG, "too long to be a country")
        code = lookup_country(fixed)
        if code is None:
            reason = "not a known country name or code"
            return self.set_aside(_at(base, key), value, "country.unreadable", reason)
        self.record(_at(base, key), "country.alpha2", fixed, code)
        return code

    def _language(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        if not isinstance(value, str):
            return self.set_aside(_at(base, key), value, "language.unreadable", "expected text")
        if len(value) > _UNREPAIRED * LANGUAGE_TAG_MAX_LENGTH:
            return self.set_aside(_at(base, key), value, TOO_LONG, "too long to be a language")
        fixed = self._repair(value, base, key, False)
        if fixed is MISSING:
            return fixed
        try:
            tag = language_tag(fixed)
        except InvalidValueError as refused:
            reason = refused.reason
        else:
            if tag != fixed:
                self.record(_at(base, key), "language.canonical", fixed, tag)
            return tag
        return self.set_aside(_at(base, key), value, "language.unreadable", reason)

    def _when(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        if isinstance(value, date):
            return value
        if isinstance(value, str) and len(value) > _UNREPAIRED * _LONGEST_DATE:
            return self.set_aside(_at(base, key), value, TOO_LONG, "too long to be a date")
        fixed = self._repair(value, base, key, False)
        if fixed is MISSING:
            return fixed
        if isinstance(fixed, str) and len(fixed) > _LONGEST_DATE:
            return self.set_aside(_at(base, key), value, TOO_LONG, "too long to be a date")
        ctx = self.ctx
        slot = field.slot
        try:
            if slot.kind is Kind.DATE:
                parsed: date = read.read_date(
                    fixed,
                    dayfirst=date_order(ctx.dayfirst),
                    as_of=ctx.as_of,
                    past=slot.birth_date,
                    serials=ctx.spreadsheet_dates,
                )
            else:
                parsed = read.read_datetime(
                    fixed,
                    dayfirst=date_order(ctx.dayfirst),
                    as_of=ctx.as_of,
                    assume_tz=ctx.assume_tz,
                    serials=ctx.spreadsheet_dates,
                )
            iso = parsed.isoformat()
        except InvalidValueError as exc:
            return self.set_aside(_at(base, key), value, "date.unreadable", exc.reason)
        except Exception:  # a date parser failing in an unplanned way on absurd input
            return self.set_aside(_at(base, key), value, "date.unreadable", "not a date")
        if iso != fixed:
            self.record(_at(base, key), "date.iso", fixed, iso)
        # A date is handed to conversion read (it reads a date as itself); an instant as its
        # ISO text, which conversion reads back with the timezone it would give it.
        return parsed if slot.kind is Kind.DATE else iso

    def _email(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        if isinstance(value, str):
            if len(value) > _UNREPAIRED * _LONGEST_EMAIL:
                return self.set_aside(_at(base, key), value, TOO_LONG, _EMAIL_TOO_LONG)
            fixed = self._repair(value, base, key, False)
            if fixed is MISSING:
                return fixed
            if len(fixed) > _LONGEST_EMAIL:
                return self.set_aside(_at(base, key), value, TOO_LONG, _EMAIL_TOO_LONG)
            normalised = _normalise(fixed)
            if normalised is None:
                reason = "not a valid email address"
                return self.set_aside(_at(base, key), value, "email.unreadable", reason)
            if normalised != fixed:
                self.record(_at(base, key), "email.normalise", fixed, normalised)
            if self.prebuilt and (built := _built_email(normalised)) is not None:
                return built
            result = {"address": normalised, "normalised": normalised}
            self.owned[id(result)] = result
            return result
        if not (type(value) is dict or isinstance(value, Mapping)):
            return value
        path = _at(base, key)
        fields = self._item(value, EmailAddress, base, key)
        if fields is MISSING:
            return fields
        address = fields.get("address")
        if not isinstance(address, str):
            return fields
        if len(address) > _LONGEST_EMAIL:
            return self.set_aside(path, value, TOO_LONG, _EMAIL_TOO_LONG)
        normalised = _normalise(address)
        if normalised is None:
            return self.set_aside(path, value, "email.unreadable", "not a valid email address")
        for name in ("address", "normalised"):
            if name in fields and fields[name] != normalised:
                self.record(f"{path}.{name}", "email.normalise", fields[name], normalised)
        fields["address"] = fields["normalised"] = normalised
        return fields

    def _phone(self, value: Any, base: str, key: str | int, field: _Field) -> Any:
        """A phone as text or as a mapping, read in its own region (else the record's).

        A valid number is written in E.164 form; an invalid one keeps the text it was given
        as, beside its E.164 form; a number whose E.164 form would not read back as itself is
        set aside, as is one that cannot be read.
        """
        if isinstance(value, str):
            if len(value) > _UNREPAIRED * _LONGEST_PHONE:
                return self._unreadable_phone(_at(base, key), value, _PHONE_TOO_LONG)
            fixed = self._repair(value, base, key, False)
            if fixed is MISSING:
                return fixed
            region = self.region
            e164, extension, valid = _parse(fixed, region)
            if e164 == "":
                return self._unreadable_phone(_at(base, key), value, str(extension))
            number = fixed
            # Read in the region it is stored with: the phone rules find it read.
            if valid and writes_as_e164(e164, region):
                number = e164
                if e164 != fixed:
                    self.record(_at(base, key), "phone.e164", fixed, e164)
            elif valid and not reads_back(e164, region):
                return self._unreadable_phone(_at(base, key), value, _NO_E164)
            if (
                self.prebuilt
                and (built := _built_phone(number, region, e164, extension)) is not None
            ):
                return built
            result: dict[str, Any] = {"number": number, "e164": e164}
            self.owned[id(result)] = result
            if region is not None:
                result["region"] = region
            result["extension"] = extension
            return result
        if not (type(value) is dict or isinstance(value, Mapping)):
            return value
        path = _at(base, key)
        fields = self._item(value, PhoneNumber, base, key)
        if fields is MISSING:
            return fields
        number = fields.get("number")
        if not isinstance(number, str):
            return fields
        given = fields.get("region")
        region = given if _is_code(given) or given == "001" else self.region
        e164, extension, valid = _parse(number, region)
        if e164 == "":
            return self._unreadable_phone(path, value, str(extension))
        names: tuple[str, ...] = ("e164",)
        if valid and writes_as_e164(e164, region):
            names = ("number", "e164")
        elif valid and not reads_back(e164, region):
            return self._unreadable_phone(path, value, _NO_E164)
        for name in names:
            if name in fields and fields[name] != e164:
                self.record(f"{path}.{name}", "phone.e164", fields[name], e164)
            fields[name] = e164
        if region is not None and given is None:
            fields["region"] = region
        if fields.get("extension") is None:
            fields["extension"] = extension
        return fields

    def _unreadable_phone(self, path: str, value: Any, reason: str) -> Any:
        code = TOO_LONG if reason == _PHONE_TOO_LONG else "phone.unreadable"
        return self.set_aside(path, value, code, reason)


def _normalise(text: str) -> str | None:
    """The normalised form of an email address, or ``None`` if it cannot be one."""
    if len(text) > _LONGEST_EMAIL:
        return None
    try:
        return normalise_email(text)
    except InvalidValueError:
        return None


def _built_email(normalised: str) -> Prebuilt | None:
    """The email conversion builds from ``{"address": normalised, "normalised": normalised}``,
    built by its constructor; ``None`` when the constructor refuses it (conversion will too).

    The converter's hooks hand the constructor those very values: the email hook refuses
    text longer than the constructor's own limit, and the text hook a lone surrogate, which
    the constructor refuses too; so nothing is read or checked but by the constructor.
    """
    try:
        return Prebuilt(EmailAddress(normalised, normalised=normalised))
    except Exception:  # refused here as in conversion, which reports it as before
        return None


def _built_phone(
    number: str, region: str | None, e164: str, extension: str | None
) -> Prebuilt | None:
    """The phone conversion builds from the mapping of ``number``, ``e164``, ``region`` (when
    not ``None``) and ``extension``, built by its constructor; ``None`` when it refuses it.

    The converter's hooks hand the constructor those very values: the phone hook refuses
    text over the limits the walk has already kept to (``number`` no longer than a phone's
    text, ``e164`` and ``extension`` parts of it, ``region`` a region code), gives the
    default region only to a phone with no E.164 form, and the text hooks read a missing
    ``region`` or ``extension`` as ``None`` and refuse a lone surrogate, which the
    constructor refuses too.
    """
    try:
        return Prebuilt(PhoneNumber(number, region=region, e164=e164, extension=extension))
    except Exception:  # refused here as in conversion, which reports it as before
        return None


_BUILT_TEXTS: dict[type[Any], tuple[frozenset[str], frozenset[str]]] = {
    PostalAddress: (
        frozenset(["lines"]),
        frozenset(["locality", "region", "postal_code", "country", "label"]),
    ),
    PersonName: (frozenset(), frozenset(["prefix", "given", "middle", "family", "suffix"])),
}
"""The objects the walk may build, made of text only: for each, its fields that are lists
of text, and those that are text."""


def _built_texts(
    cls: type[Any], fields: dict[Any, Any], texts: tuple[frozenset[str], frozenset[str]]
) -> Prebuilt | None:
    """The object conversion builds from ``fields`` as the walk left them, built by its
    constructor; ``None`` unless each field is one of the text fields of ``texts`` holding
    text (or ``None``), or one of its lists of text holding a list of text, or when the
    constructor refuses it.

    For such fields the converter's hooks hand the constructor the values unchanged (a list
    as a tuple, which the constructor makes of a list too): the walk has left no blank text
    (conversion reads it as missing) and a country only as a code (which conversion keeps),
    and the text hooks refuse a lone surrogate, which the constructor refuses too. Anything
    else (a number, a flag, an instant, an unknown key) is left for conversion to read.
    """
    lists, singles = texts
    for name, value in fields.items():
        if value is None or value.__class__ is str:
            if name in singles:
                continue
        elif value.__class__ is list and name in lists:
            for item in value:
                if item.__class__ is not str:
                    return None
            continue
        return None
    try:
        return Prebuilt(cls(**fields))
    except Exception:  # refused here as in conversion, which reports it as before
        return None


_PHONE_TOO_LONG = "too long to be a phone number"
_NO_E164 = "not a valid number, and its E.164 form reads back as another number"


def _parse(number: str, region: str | None) -> tuple[str, str | None, bool]:
    """The E.164 form and extension of a number, and whether it is valid; ``("", reason,
    False)`` if it cannot be read.

    An invalid number is never written in its E.164 form (:func:`writes_as_e164` says no),
    and its E.164 form reads back as itself, in any region (:func:`read_phone` refuses it
    otherwise): the walk asks neither question again of it, and parses nothing again.
    """
    if len(number) > _LONGEST_PHONE:
        return "", _PHONE_TOO_LONG, False
    try:
        return read_phone(number, region)
    except InvalidValueError as exc:
        return "", exc.reason, False


# -- plans -----------------------------------------------------------------------------------

_Handler = Callable[[RawWalk, Any, str, "str | int", "_Field"], Any]
"""How the walk repairs a value (never ``None``) given with its path as ``(base, key)``."""


class _Field(NamedTuple):
    """How the walk treats one field of a class."""

    line: bool
    """One-line text: a plain one is kept without a call to :attr:`handle`."""
    handle: _Handler
    slot: Slot
    item: _Handler | None
    """For a list of objects: the handler of each item (and of a single object given)."""
    kind: Any = None
    """The field's type, as the converter reads it."""
    scalar: bool = False
    """A number, flag, enum value (or other value of no kind the walk reads) that may be
    missing: read by :meth:`RawWalk.read_scalars`, set aside there if unreadable. A required
    one is left to conversion, which refuses the whole record."""


class _Plan(NamedTuple):
    """How the walk treats a class: each field by name, and the address fields to walk first."""

    fields: dict[str, _Field]
    regional: tuple[str, ...]
    parts: frozenset[str] | None
    """For a value object, the fields that make it what it is (not a contact point's label
    and provenance); ``None`` for a record or a facet, never dropped as blank."""


def _item_handler(cls: type[Any]) -> _Handler:
    if cls is EmailAddress:
        return RawWalk._email
    if cls is PhoneNumber:
        return RawWalk._phone
    return RawWalk._object


def _field(slot: Slot, kind_of: Any) -> _Field:
    kind = slot.kind
    if kind is Kind.TEXT and slot.country:
        return _Field(False, RawWalk._country, slot, None)
    if kind is Kind.TEXT and slot.language:
        return _Field(False, RawWalk._language, slot, None)
    if kind is Kind.TEXT or kind is Kind.OTHER:
        # OTHER: enums, numbers, money as text: repaired as text.
        if kind is Kind.OTHER:
            return _Field(False, RawWalk._scalar, slot, None, kind_of, not slot.required)
        return _Field(not slot.multiline, RawWalk._text, slot, None)
    if kind is Kind.DATE or kind is Kind.DATETIME:
        return _Field(False, RawWalk._when, slot, None)
    if kind is Kind.TEXTS:
        return _Field(False, RawWalk._texts, slot, None)
    if kind is Kind.OBJECTS or kind is Kind.OBJECT:
        assert slot.cls is not None
        item = _item_handler(slot.cls)
        handle = RawWalk._objects if kind is Kind.OBJECTS else item
        return _Field(False, handle, slot, item)
    if kind is Kind.CUSTOM:
        return _Field(False, RawWalk._custom, slot, None)
    return _Field(False, RawWalk._opaque, slot, None)


_PLANS: dict[type[Any], _Plan] = {}


def _plan(cls: type[Any]) -> _Plan:
    """The plan of a class, made on first use."""
    plan = _PLANS.get(cls)
    if plan is None:
        types = {a.name: a.type for a in attrs.fields(attrs.resolve_types(cls))}
        fields = {slot.name: _field(slot, types[slot.name]) for slot in slots(cls)}
        objects = [slot for slot in slots(cls) if slot.kind is Kind.OBJECTS]
        phones = any(slot.cls is PhoneNumber for slot in objects)
        regional = tuple(slot.name for slot in objects if phones and slot.cls is PostalAddress)
        plan = _PLANS[cls] = _Plan(fields, regional, value_parts(cls))
    return plan


def _containers(data: Any) -> set[int]:
    """The ids of ``data`` and of every mapping and list within it."""
    found: set[int] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            found.add(id(item))
            stack.extend(value for value in item.values() if type(value) in (dict, list))
        elif type(item) is list:
            found.add(id(item))
            stack.extend(value for value in item if type(value) in (dict, list))
    return found


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and value in COUNTRY_CODES


def _region_of(addresses: Any) -> str | None:
    """The country of a record's own addresses: the primary one's, else the first known.

    ``addresses`` is what the walk made of them: a mapping or an address built from one
    (whose country and primary flag count as the mapping's), a list of them, or anything else.
    """
    if addresses.__class__ is not list and (
        addresses.__class__ is Prebuilt or isinstance(addresses, Mapping)
    ):
        addresses = [addresses]
    if not isinstance(addresses, list):
        return None
    first: str | None = None
    for address in addresses:
        country: Any
        primary: Any
        if address.__class__ is Prebuilt:
            built: Any = address.value  # a PostalAddress: the walk builds no other address
            country, primary = built.country, built.primary
        elif isinstance(address, Mapping):
            country, primary = address.get("country"), address.get("primary")
        else:
            continue
        if _is_code(country):
            if primary is True:
                return str(country)
            if first is None:
                first = str(country)
    return first
