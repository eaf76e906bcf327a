"""What cleaning reports: one :class:`Change` per repair, and the result of a cleaning run."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any, Generic, TypeVar

import attrs

from crmcore._flat import is_flat, kept_as, rows
from crmcore.cleaning._frozen import freeze
from crmcore.cleaning._types import _is_personal
from crmcore.records._base import Record
from crmcore.records.values import QuarantinedValue

__all__ = [
    "RULES",
    "Change",
    "ChangeRow",
    "CleanResult",
    "RawCleanResult",
    "change",
    "change_row",
    "flat_changes",
    "sorted_changes",
]

R = TypeVar("R", bound=Record)
Result = TypeVar("Result", bound="CleanResult[Any]")

RULES: dict[str, str] = {
    "mojibake": "Text written as UTF-8 and read as Windows-1252 or Latin-1 (``JosÃ©``) was "
    "read back as it was written (``José``).",
    "surrogate": "A lone surrogate (invalid Unicode) was replaced by U+FFFD.",
    "control": "Control and invisible characters (zero-width space, BOM) were removed.",
    "nfc": "Text was put in Unicode normal form NFC.",
    "whitespace": "Leading and trailing whitespace was trimmed; runs inside one-line text "
    "were collapsed to one space.",
    "blank": "Text left empty, or a value object whose every part was blank (a phone with "
    "no number, money with no amount nor currency), became a missing value (or left its list).",
    "name_case": "A name written all in upper or all in lower case was put in name case.",
    "email.normalise": "An email address was replaced by its normalised form.",
    "phone.e164": "A phone number was replaced by its E.164 form.",
    "country.alpha2": "A country name or alpha-3 code became its ISO 3166-1 alpha-2 code.",
    "language.canonical": "A language tag was written in its canonical BCP 47 form "
    "(``fr_FR`` became ``fr-FR``, ``EN`` became ``en``).",
    "date.iso": "A date or instant was rewritten in ISO 8601 form.",
    "contact_point.merge": "Duplicate emails, phones or addresses of one record were merged.",
    "duplicate": "A repeated item of a list of text was removed.",
    "quarantine": "A value that could not be read or repaired was moved to the quarantine.",
}
"""Every rule code a :class:`Change` may carry, with what it means. Codes are API."""

_HIDDEN = "<redacted>"


def _shown(value: object) -> str:
    return _HIDDEN if value is not None else "None"


@attrs.frozen(repr=False)
class Change:
    """One repair made by cleaning: where, by which rule, the value before and after.

    ``personal`` says whether the path may hold personal data (from the field metadata), so
    callers can redact logs: :meth:`redacted` and ``repr`` hide ``before`` and ``after`` then.
    ``after`` is ``None`` when the value was removed (made missing, merged, or quarantined).
    ``before`` and ``after`` are frozen copies (lists become tuples, mappings read-only), so a
    change is hashable and never changes with the caller's data.

    >>> c = Change("identity.name.family", "name_case", "DUPONT", "Dupont", personal=True)
    >>> c
    Change(path='identity.name.family', rule='name_case', before=<redacted>, after=<redacted>, personal=True)
    >>> c.redacted().before
    '<redacted>'
    """  # noqa: E501

    path: str
    rule: str
    before: Any = attrs.field(converter=freeze)
    after: Any = attrs.field(converter=freeze)
    personal: bool

    def redacted(self) -> Change:
        """A copy safe to log: ``before`` and ``after`` replaced by a marker when personal."""
        if not self.personal:
            return self
        return Change(
            self.path,
            self.rule,
            _HIDDEN if self.before is not None else None,
            _HIDDEN if self.after is not None else None,
            personal=True,
        )

    def __repr__(self) -> str:
        if self.personal:
            before, after = _shown(self.before), _shown(self.after)
        else:
            before, after = repr(self.before), repr(self.after)
        return (
            f"Change(path={self.path!r}, rule={self.rule!r}, before={before}, "
            f"after={after}, personal={self.personal})"
        )


_personal_at: Callable[[Any, str], bool] = _is_personal
""":func:`~crmcore.cleaning._types.is_personal`, cached, called without its wrapper."""


def change(record_type: type[Any], path: str, rule: str, before: Any, after: Any) -> Change:
    """Build a :class:`Change`, marked personal from the metadata of ``path``."""
    return Change(path, rule, before, after, _personal_at(record_type, path))


ChangeRow = tuple[str, str, Any, Any, bool]
"""A change as a row of its attributes, in their order (path, rule, before, after, personal):
what the raw stage logs, by the hundred thousand, and a result keeps flat, instead of a
:class:`Change` made only to be taken apart."""


def change_row(record_type: type[Any], path: str, rule: str, before: Any, after: Any) -> ChangeRow:
    """:func:`change` as a row: ``before`` and ``after`` frozen as a :class:`Change` holds them."""
    # Most values logged are text or None, which freeze keeps as they are: no call for them.
    if before is not None and before.__class__ is not str:
        before = freeze(before)
    if after is not None and after.__class__ is not str:
        after = freeze(after)
    return (path, rule, before, after, _personal_at(record_type, path))


_PARTS = re.compile(r"\[([0-9]+)\]|\.")


@functools.lru_cache(maxsize=16384)
def path_key(path: str) -> tuple[tuple[int, str, int], ...]:
    """A sort key for paths that orders list indices as numbers (``[2]`` before ``[10]``)."""
    key: list[tuple[int, str, int]] = []
    position = 0
    for match in _PARTS.finditer(path):
        if match.start() > position:
            key.append((0, path[position : match.start()], 0))
        if match.group(1) is not None:
            key.append((1, "", int(match.group(1))))
        position = match.end()
    if position < len(path):
        key.append((0, path[position:], 0))
    return tuple(key)


def sorted_changes(changes: Iterable[Change]) -> tuple[Change, ...]:
    """Changes in a deterministic order: by path, then rule (stable for the rest)."""
    found = changes if type(changes) is list else list(changes)
    if len(found) < 2:
        return tuple(found)
    return tuple(sorted(found, key=_change_key))


def _change_key(change: Change) -> tuple[tuple[tuple[int, str, int], ...], str]:
    return (path_key(change.path), change.rule)


def _row_key(row: ChangeRow) -> tuple[tuple[tuple[int, str, int], ...], str]:
    return (path_key(row[0]), row[1])


def flat_changes(rows: list[ChangeRow], changes: Iterable[Change]) -> tuple[Any, ...]:
    """``rows`` and then ``changes`` as a result keeps them (see :func:`_logged`), in the order
    of :func:`sorted_changes`: by path, then rule, stable for the rest."""
    found = rows + [(c.path, c.rule, c.before, c.after, c.personal) for c in changes]
    if len(found) > 1:
        found.sort(key=_row_key)
    return tuple(chain.from_iterable(found))


_WIDTH = 5
"""How many items a change takes in a result's flat tuple: path, rule, before, after, personal."""


def _is_flag(value: object) -> bool:
    return type(value) is bool


def _logged(value: Iterable[Change]) -> tuple[Any, ...]:
    """The changes as one flat tuple of their attributes, five by five (``()`` for none).

    A result is kept, often by the thousand: one tuple of text and ``None`` is a single
    object, which the garbage collector leaves alone once it has seen it, where each
    :class:`Change` (and a tuple holding them) is scanned by every full collection while it
    lives. The public :class:`Change` objects are made on access.
    """
    if is_flat(value, _WIDTH, 4, _is_flag):  # a result's own form, given back by evolve
        return value  # type: ignore[return-value]
    flat: list[Any] = []
    add = flat.extend
    for c in value:
        add((c.path, c.rule, c.before, c.after, c.personal))
    return tuple(flat) or ()


def _revived(logged: tuple[Any, ...]) -> tuple[Change, ...]:
    """The :class:`Change` objects of changes kept flat (their values already frozen)."""
    made: list[Change] = []
    new = object.__new__
    put = object.__setattr__
    for path, rule, before, after, personal in rows(logged, _WIDTH):
        item = new(Change)
        put(item, "path", path)
        put(item, "rule", rule)
        put(item, "before", before)
        put(item, "after", after)
        put(item, "personal", personal)
        made.append(item)
    return tuple(made)


def _quarantine(value: Iterable[QuarantinedValue]) -> tuple[QuarantinedValue, ...]:
    return value if type(value) is tuple else tuple(value)


@attrs.frozen(repr=False, match_args=False)
class CleanResult(Generic[R]):
    """The outcome of cleaning one record.

    ``record`` is the cleaned record (the very same object when nothing changed); ``changes``
    lists every repair, sorted by path then rule; ``quarantine`` lists the values this run set
    aside (they are on ``record.quarantine`` too). The ``repr`` is safe to log. A result is
    immutable and hashable, whatever raw data it was made from.
    """

    __match_args__ = ("record", "changes", "quarantine")

    record: R
    _logged: tuple[Any, ...] = attrs.field(default=(), converter=_logged, alias="changes")
    quarantine: tuple[QuarantinedValue, ...] = attrs.field(default=(), converter=_quarantine)

    @classmethod
    def _of_flat(
        cls: type[Result],
        record: Any,
        logged: tuple[Any, ...],
        quarantine: tuple[QuarantinedValue, ...],
    ) -> Result:
        """A result of changes already kept flat (see :func:`flat_changes`) and a tuple of
        quarantined values: what the constructor's converters would keep of them."""
        return kept_as(cls, record=record, _logged=logged, quarantine=quarantine)

    @property
    def changes(self) -> tuple[Change, ...]:
        """Every repair, sorted by path then rule."""
        return _revived(self._logged)

    @property
    def changed(self) -> bool:
        """Whether cleaning changed or set aside anything."""
        return bool(self._logged or self.quarantine)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(record={self.record!r}, changes={self.changes!r}, "
            f"quarantine={self.quarantine!r})"
        )


@attrs.frozen(repr=False, match_args=False)
class RawCleanResult(CleanResult[R]):
    """The outcome of cleaning raw data into a record (see :func:`clean_raw`).

    Paths in ``changes`` and ``quarantine`` that come from the raw stage name positions in the
    raw input; those of the record stage name positions in the record.
    """
