"""The raw stage: clean a raw dict (a CSV row, a JSON line, an API payload) into a record.

:func:`clean_raw` repairs every value by the kind of field it is meant for (see
:mod:`crmcore.cleaning._raw_walk`), setting aside in the record's quarantine every value that
cannot be read (keys that are no field, numbers, flags and enum values the converter refuses
included), and converts the result once with the :class:`~crmcore.Converter` of the context.
Only what the walk cannot judge alone (a constructor's check of a value it read) fails
conversion: that value is moved into the quarantine too, and the record converted again
without it. The record stage (:func:`~crmcore.cleaning.clean`) runs last.
The result is always a record, its quarantine and the list of changes, except when there is no
record to hold a quarantine (the data is not a mapping, or its ``id`` is missing or
unreadable): that raises :class:`~crmcore.cleaning.CleaningError`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from crmcore._parallel import DEFAULT_CHUNK_SIZE, run_many
from crmcore._safe import is_field_like, key_segment
from crmcore.cleaning._raw_walk import MISSING, RawWalk
from crmcore.cleaning._types import Kind, Slot, rebuild, slot_map
from crmcore.cleaning.changes import Change, RawCleanResult, flat_changes, path_key
from crmcore.cleaning.context import CleaningContext
from crmcore.cleaning.errors import CleaningError
from crmcore.cleaning.pipeline import Pipeline, clean, default_pipeline
from crmcore.convert import Converter
from crmcore.convert._locale import done as done_reading
from crmcore.convert._locale import reading
from crmcore.convert._prebuilt import Prebuilt
from crmcore.errors import ConversionError, InvalidValueError, Problem
from crmcore.records._base import Record
from crmcore.records.values import EmailAddress, PhoneNumber, QuarantinedValue

__all__ = ["QUARANTINE_CODES", "clean_raw", "clean_raw_many"]

R = TypeVar("R", bound=Record)

QUARANTINE_CODES: dict[str, str] = {
    "email.unreadable": "An email (or list of emails) that is not a valid email address.",
    "phone.unreadable": "A phone number that cannot be read, in its own region, the region "
    "of the record's address, or the default region; or an invalid one whose E.164 form reads "
    "back as another number.",
    "date.unreadable": "A date or instant that cannot be read (or lacks a timezone and no "
    "assume_tz was given).",
    "country.unreadable": "A country that is neither a code nor a known name.",
    "language.unreadable": "A language that is not a registered BCP 47 tag.",
    "field.unknown": "A key that is no field of the record.",
    "value.too_long": "An email, phone number, date, country, number, flag or enum value "
    "longer than any can be: set aside unread (reading it could take seconds).",
    "value.unreadable": "Any other value that does not fit its field.",
}
"""Every code a :class:`~crmcore.QuarantinedValue` made by cleaning may carry. Codes are API."""

_MAX_ROUNDS = 16

_QUARANTINE = "quarantine"
"""The field of every record that holds its quarantine."""

_RAW_STAGE_DID = ("text", "name_case", "email.normalise", "phone.e164")
"""Record-stage steps the raw stage has already done for every value it read.

The raw walk repairs every text it reads with the text step's own repairs, puts person names
in name case (when the record stage is the default one), writes emails in their normal form
and phones in E.164, and the converter of the context makes no text of its own; a property
test holds that these steps change nothing after the raw stage.
"""

_AFTER_RAW = Pipeline(
    [(name, step) for name, step in default_pipeline().steps if name not in _RAW_STAGE_DID]
)

_INDEX = re.compile(r"\[([0-9]+)\]")


@attrs.frozen
class _Hop:
    """One step down the cleaned data along a problem's path."""

    container: Any
    key: Any
    slot: Slot | None
    item: type[Any] | None
    path: str

    @property
    def index(self) -> bool:
        return isinstance(self.container, list)


def _match_key(data: Mapping[Any, Any], rest: str) -> Any:
    """The key of ``data`` the path ``rest`` starts with: named as it is, or as the converter
    names a key that does not look like a field name (``<key N>``, N its place in ``data``)."""
    best: Any = None
    size = -1
    for position, key in enumerate(data):
        text = key if isinstance(key, str) else str(key)
        for name in (text, key_segment(key, position)):
            if len(name) > size and (
                rest == name or rest.startswith(name + ".") or rest.startswith(name + "[")
            ):
                best, size = key, len(name)
    return (best, size) if size >= 0 else (_NONE, 0)


_NONE = object()


def _locate(walk: RawWalk, data: Any, record_type: type[Any], path: str) -> tuple[list[_Hop], str]:
    """The hops from the root of the cleaned data down the problem's path, as far as it goes,
    and what is left of the path beyond them.

    The path of each hop names a key of the input only when it looks like a field name (see
    :func:`crmcore._safe.key_segment`), else by its place in the raw mapping it came from.
    """
    hops: list[_Hop] = []
    current: Any = data
    cls: type[Any] | None = record_type
    item: type[Any] | None = None
    where, rest = "", path
    while rest:
        if isinstance(current, Mapping):
            key, size = _match_key(current, rest)
            if key is _NONE:
                if rest.startswith("[0]") and item is not None:
                    # one mapping given for a list of them: conversion's item 0, which the
                    # walk names without an index
                    rest = rest[3:].removeprefix(".")
                    item = None
                    continue
                break
            rest = rest[size:].removeprefix(".")
            known = slot_map(cls) if cls is not None else {}
            slot = known.get(key) if isinstance(key, str) else None
            segment = key if slot is not None else _segment(walk, current, key)
            where = f"{where}.{segment}" if where else segment
            hops.append(_Hop(current, key, slot, None, where))
            current = current[key]
            cls = item = slot.cls if slot is not None else None
            if slot is not None and slot.kind is Kind.CUSTOM:
                cls = None
        elif isinstance(current, list) and (match := _INDEX.match(rest)):
            index = int(match[1])
            if index >= len(current):
                break
            origins = walk.origins.get(id(current))
            where = f"{where}[{origins[index] if origins else index}]"
            hops.append(_Hop(current, index, None, item, where))
            current = current[index]
            rest = rest[match.end() :].removeprefix(".")
        else:
            break
    return hops, rest


def _segment(walk: RawWalk, mapping: Mapping[Any, Any], key: Any) -> str:
    """The path segment of ``key``, placed among the keys of the raw mapping it came from."""
    source = walk.sources.get(id(mapping), mapping)
    position = next((i for i, k in enumerate(source) if k == key), 0)
    return key_segment(key, position)


def _safe_problem(walk: RawWalk, data: Any, record_type: type[Any], problem: Problem) -> Problem:
    """``problem`` with a path that names no key of the input that is not field-like."""
    hops, rest = _locate(walk, data, record_type, problem.path)
    where = hops[-1].path if hops else ""
    if rest:
        safe = all(
            is_field_like(part) or _INDEX.fullmatch(part) or _KEY.fullmatch(part)
            for part in re.split(r"\.|(?=\[)", rest)
            if part
        )
        tail = rest if safe else "<key>"
        where = f"{where}.{tail}" if where and not tail.startswith("[") else where + tail
    return Problem(where, problem.reason, problem.code)


_KEY = re.compile(r"<key [0-9]+>")


def _target(walk: RawWalk, hops: list[_Hop]) -> _Hop | None:
    """The hop to remove: the deepest one that is the walk's own and not a required field."""
    for hop in reversed(hops):
        if id(hop.container) not in walk.owned:
            continue
        if hop.slot is not None and hop.slot.required:
            continue
        return hop
    return None


def _code(hop: _Hop, problem: Problem, deepest: bool) -> str:
    kind = hop.item if hop.index else (hop.slot.cls if hop.slot is not None else None)
    if kind is EmailAddress:
        return "email.unreadable"
    if kind is PhoneNumber:
        return "phone.unreadable"
    slot = hop.slot
    if slot is None:
        unknown = not hop.index and deepest and problem.reason == "unknown field"
        return "field.unknown" if unknown else "value.unreadable"
    if slot.country:
        return "country.unreadable"
    if slot.language:
        return "language.unreadable"
    if slot.kind in (Kind.DATE, Kind.DATETIME):
        return "date.unreadable"
    return "value.unreadable"


def _original(walk: RawWalk, raw: Any, hops: list[_Hop], target: _Hop) -> Any:
    """The value at the target as it came in the raw data (the repaired one if not found)."""
    current = raw
    for hop in hops:
        if hop.index:
            origins = walk.origins.get(id(hop.container))
            index = origins[hop.key] if origins else hop.key
            if not isinstance(current, (list, tuple)) or index >= len(current):
                break
            current = current[index]
        else:
            if not isinstance(current, Mapping) or hop.key not in current:
                break
            current = current[hop.key]
        if hop is target:
            return current
    return target.container[target.key]


def _ancestor(path: str, of: str) -> bool:
    return of.startswith(path + ".") or of.startswith(path + "[")


def _set_aside(walk: RawWalk) -> tuple[QuarantinedValue, ...]:
    """The values the walk has set aside so far, in the order of their paths."""
    quarantined = tuple(walk.quarantine.values())
    if len(quarantined) > 1:
        quarantined = tuple(sorted(quarantined, key=lambda q: path_key(q.path)))
    return quarantined


def _convert(
    walk: RawWalk,
    converter: Converter,
    record_type: type[R],
    data: dict[Any, Any],
    raw: Any,
    *,
    carry: bool = False,
) -> R:
    """The record of ``data``, each value conversion refuses set aside and converted again.

    With ``carry`` (``data`` has no quarantine of its own, and the converter takes values
    built), the values set aside so far go into the record's quarantine with it, built, so
    the record is not made a second time to hold them.
    """
    name = record_type.__name__
    for _ in range(_MAX_ROUNDS):
        if carry:
            if walk.quarantine:
                data[_QUARANTINE] = [Prebuilt(item) for item in _set_aside(walk)]
            else:
                data.pop(_QUARANTINE, None)
        try:
            return converter.from_dict(record_type, data)
        except ConversionError as exc:
            problems = sorted(exc.problems, key=lambda p: path_key(p.path))
        fatal: list[Problem] = []
        chosen: dict[str, tuple[_Hop, Problem, list[_Hop]]] = {}
        for problem in problems:
            hops, _ = _locate(walk, data, record_type, problem.path)
            target = _target(walk, hops)
            if target is None:
                fatal.append(_safe_problem(walk, data, record_type, problem))
            else:
                found = chosen.get(target.path)
                # Unknown keys are the walk's to set aside before conversion: another problem
                # of the same value is the one it is set aside for, as when the walk did.
                if found is None or (
                    found[1].reason == "unknown field" and problem.reason != "unknown field"
                ):
                    chosen[target.path] = (target, problem, hops)
        if fatal or not chosen:
            safe = [_safe_problem(walk, data, record_type, p) for p in problems]
            raise CleaningError(name, fatal or safe)
        paths = sorted(chosen, key=len)
        kept = [p for i, p in enumerate(paths) if not any(_ancestor(q, p) for q in paths[:i])]
        removals = []
        for path in kept:
            target, problem, hops = chosen[path]
            value = _original(walk, raw, hops, target)
            code = _code(target, problem, target is hops[-1])
            key = target.key if not target.index else MISSING
            walk.set_aside(path, value, code, problem.reason, key=key)
            removals.append(target)
        # Remove from the end of each list first, so earlier indices stay right.
        for target in sorted(removals, key=lambda hop: hop.key if hop.index else -1, reverse=True):
            del target.container[target.key]
            origins = walk.origins.get(id(target.container))
            if target.index and origins is not None:
                del origins[target.key]
    raise CleaningError(name, [Problem("", "too many unreadable values in one record")])


def clean_raw(
    record_type: type[R],
    data: Mapping[Any, Any],
    ctx: CleaningContext | None = None,
    *,
    pipeline: Pipeline | None = None,
) -> RawCleanResult[R]:
    """Clean raw data into a ``record_type``: repair, convert, quarantine what does not fit.

    ``pipeline`` is the record stage run on the converted record (the default pipeline when
    not given, less the steps the raw stage has already done: text repairs, name case, email
    normal forms and E.164; pass ``Pipeline()`` to skip it). Names are put in name case by the
    raw stage only when no ``pipeline`` is given; a given one cases them if it has the step.

    >>> from crmcore import Contact
    >>> result = clean_raw(Contact, {"id": "c-1", "identity": {
    ...     "emails": [" Ada@Example.ORG ", "not an email"],
    ...     "addresses": [{"country": "Allemagne"}],
    ... }})
    >>> result.record.identity.emails[0].address, result.record.identity.addresses[0].country
    ('Ada@example.org', 'DE')
    >>> [(q.path, q.code) for q in result.record.quarantine]
    [('identity.emails[1]', 'email.unreadable')]
    """
    context = ctx if ctx is not None else CleaningContext()
    if not isinstance(context, CleaningContext):
        raise InvalidValueError("expected a CleaningContext", field="ctx")
    if not (isinstance(record_type, type) and issubclass(record_type, Record)):
        raise InvalidValueError("expected a crmcore record type", field="record_type")
    if pipeline is not None and not isinstance(pipeline, Pipeline):
        raise InvalidValueError("expected a Pipeline", field="pipeline")
    name = record_type.__name__
    if data.__class__ is not dict and not isinstance(data, Mapping):
        raise CleaningError(name, [Problem("", "expected a mapping")])
    converter = context.converter()
    prebuilt = converter._takes_prebuilt()
    walk = RawWalk(record_type, context, case_names=pipeline is None, prebuilt=prebuilt)
    # Held while the walk reads dates: an ambiguous one is read in the record's own country,
    # found in its addresses as conversion finds it (crmcore.convert._date_order).
    token = reading(data)
    try:
        cleaned = walk.mapping(data, record_type, "")
    finally:
        done_reading(token)
    walk.read_scalars(converter, cleaned)
    carry = prebuilt and _QUARANTINE not in cleaned
    record = _convert(walk, converter, record_type, cleaned, data, carry=carry)
    quarantined: tuple[QuarantinedValue, ...]
    if carry:
        # The record holds what was set aside, and nothing else: its own tuple, not a second.
        quarantined = record.quarantine
    else:
        quarantined = _set_aside(walk)
        if quarantined:
            record = rebuild(record, {_QUARANTINE: record.quarantine + quarantined})
    changes: Iterable[Change]
    if pipeline is not None:
        stage = clean(record, context, pipeline=pipeline)
        done, changes, stage_quarantine = stage.record, stage.changes, stage.quarantine
    else:
        # The default record stage, its changes sorted once with the walk's (a stable sort
        # gives the order sorting them first on their own would).
        done, changes, stage_quarantine = _AFTER_RAW._apply(record, context)
    aside = quarantined + stage_quarantine
    if aside and aside == done.quarantine:
        aside = done.quarantine  # the record's own tuple: one kept object, not two
    return RawCleanResult._of_flat(done, flat_changes(walk.logged(), changes), aside)


def clean_raw_many(
    record_type: type[R],
    rows: Iterable[Mapping[Any, Any]],
    ctx: CleaningContext | None = None,
    *,
    pipeline: Pipeline | None = None,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int], object] | None = None,
) -> Iterator[RawCleanResult[R]]:
    """:func:`clean_raw` each of ``rows``; yield the results lazily, in order.

    ``workers`` greater than 1 cleans in that many processes (0: one per core), in chunks of
    ``chunk_size`` rows, with the same results in the same order and no more than a few chunks
    in memory; the context and pipeline must then pickle. A row that raises (a
    :class:`~crmcore.cleaning.CleaningError`: no mapping, no readable ``id``) raises in the
    same way with ``workers=1``, and as :class:`~crmcore.WorkerError` naming its place in
    ``rows`` (the error as its ``__cause__``) with a pool.

    >>> from crmcore import Contact
    >>> rows = [{"id": "c-1", "identity": {"emails": ["Ada@Example.ORG"]}}, {"id": "c-2"}]
    >>> [result.record.id for result in clean_raw_many(Contact, rows)]
    ['c-1', 'c-2']
    """
    context = ctx if ctx is not None else CleaningContext()
    if not isinstance(context, CleaningContext):
        raise InvalidValueError("expected a CleaningContext", field="ctx")
    if not (isinstance(record_type, type) and issubclass(record_type, Record)):
        raise InvalidValueError("expected a crmcore record type", field="record_type")
    if pipeline is not None and not isinstance(pipeline, Pipeline):
        raise InvalidValueError("expected a Pipeline", field="pipeline")
    one = functools.partial(clean_raw, record_type, ctx=context, pipeline=pipeline)
    return run_many(one, rows, workers=workers, chunk_size=chunk_size, progress=progress)
