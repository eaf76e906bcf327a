"""Export everything held on a data subject: by record and category, as JSON and as CSV rows.

:func:`export_subject` finds the subject's records (:func:`~crmcore.privacy.find_subject`;
doubtful ones are left out until a person confirms them) and lists each non-empty field of each
record with its category and privacy category, as field metadata says
(:func:`crmcore.fields`; custom fields through the converter's
:class:`~crmcore.CustomSchema`, undeclared ones as personal free text). Beside the data goes
the caller's :class:`AccessInfo`, the information GDPR Art. 15(1) asks for (purposes,
recipients, retention, source, automated decisions), the categories of personal data found
(Art. 15(1)(b)) and the provenance of every record and contact point (where the data came
from, Art. 15(1)(g)).

:meth:`SubjectExport.to_dict` is the JSON form (the structured, machine-readable copy of
Art. 15(3) and Art. 20); :meth:`SubjectExport.rows` the flat CSV rows under
:data:`EXPORT_COLUMNS`. Both are sorted: the same records give the same export.

>>> from crmcore import Contact, ContactIdentity, EmailAddress
>>> from crmcore.privacy import DataSubject
>>> info = AccessInfo(purposes=("customer support",), recipients=(),
...                   retention="24 months after the last order", automated_decisions="none")
>>> ada = Contact("c-1", ContactIdentity(emails=(EmailAddress("ada@example.org"),)))
>>> export = export_subject([ada], DataSubject(emails=("ada@example.org",)), info=info)
>>> export.to_dict()["records"][0]["data"]["identity"]["identity.emails"]["privacy"]
'contact_email'
>>> export.rows()[2]
('Contact', 'c-1', 'identity', 'contact_email', 'identity.emails[0].address', 'ada@example.org')
>>> "ada@" in repr(export)
False
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from crmcore.convert import Converter, default_converter
from crmcore.errors import InvalidValueError
from crmcore.privacy._access_paths import slots
from crmcore.privacy._args import read_text
from crmcore.privacy._export_values import is_empty, leaves, provenance_points, slot_value
from crmcore.privacy.discovery import Confidence, Discovery, Match, Reason, find_subject
from crmcore.privacy.subject import DataSubject
from crmcore.records import Category, PrivacyCategory, Record

__all__ = [
    "EXPORT_COLUMNS",
    "EXPORT_FORMAT",
    "AccessInfo",
    "ExportedField",
    "ExportedRecord",
    "Provenance",
    "SubjectExport",
    "export_subject",
]

EXPORT_FORMAT = "crmcore.subject_export.v1"
"""The ``format`` of :meth:`SubjectExport.to_dict`; a new layout gets a new version."""

EXPORT_COLUMNS = ("record_type", "record_id", "category", "privacy", "path", "value")
"""The header of :meth:`SubjectExport.rows`: one row per value, all text."""

_LIMIT = 10_000


def _texts(value: object, field: str, *, required: bool) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected a list or tuple of texts", field=field)
    items = tuple(value)
    if len(items) > 1_000:
        raise InvalidValueError("more than 1000 entries", field=field)
    texts = tuple(read_text(item, f"{field}[{i}]", required=True, limit=_LIMIT)
                  for i, item in enumerate(items))  # fmt: skip
    if required and not texts:
        raise InvalidValueError("must name at least one", field=field)
    return texts


def _purposes(value: object) -> tuple[str, ...]:
    return _texts(value, "purposes", required=True)


def _recipients(value: object) -> tuple[str, ...]:
    return _texts(value, "recipients", required=False)


def _transfers(value: object) -> tuple[str, ...]:
    return _texts(value, "transfers", required=False)


def _text(field: str) -> Any:
    def check(_: object, __: object, value: object) -> None:
        read_text(value, field, required=True, limit=_LIMIT)

    return check


def _optional_text(field: str) -> Any:
    def check(_: object, __: object, value: object) -> None:
        if value is not None:
            read_text(value, field, required=True, limit=_LIMIT)

    return check


@attrs.frozen(kw_only=True)
class AccessInfo:
    """The controller's answers to GDPR Art. 15(1) and (2), given with every export.

    crmcore knows the data, not why it is held: these texts are the caller's, written once per
    purpose or policy and passed in. Keyword-only; every text is checked (not blank, at most
    10,000 characters) and refused with :class:`~crmcore.errors.InvalidValueError` naming it.

    - ``purposes`` (Art. 15(1)(a); CCPA "business or commercial purpose"): at least one.
    - ``recipients`` (15(1)(c); CCPA "categories of third parties"): may be empty, for none.
    - ``retention`` (15(1)(d)): the period, or the criteria that set it.
    - ``automated_decisions`` (15(1)(h)): whether decisions are automated, incl. profiling,
      their logic and consequences; write ``"none"`` when there are none.
    - ``source`` (15(1)(g)): where data not collected from the person came from. The export adds
      the provenance the records themselves carry.
    - ``rights`` (15(1)(e) and (f)): the rights to rectify, erase, restrict and object, and to
      complain to a supervisory authority.
    - ``transfers`` (15(2)): the safeguards for transfers to third countries, if any.

    >>> AccessInfo(purposes=[], recipients=(), retention="2 years", automated_decisions="none")
    Traceback (most recent call last):
    ...
    crmcore.errors.InvalidValueError: purposes: must name at least one
    """

    purposes: tuple[str, ...] = attrs.field(converter=_purposes)
    recipients: tuple[str, ...] = attrs.field(converter=_recipients)
    retention: str = attrs.field(validator=_text("retention"))
    automated_decisions: str = attrs.field(validator=_text("automated_decisions"))
    source: str | None = attrs.field(default=None, validator=_optional_text("source"))
    rights: str | None = attrs.field(default=None, validator=_optional_text("rights"))
    transfers: tuple[str, ...] = attrs.field(default=(), converter=_transfers)

    def to_dict(self) -> dict[str, Any]:
        """The information as a JSON-safe dict, keys in a fixed order."""
        return {
            "purposes": list(self.purposes),
            "recipients": list(self.recipients),
            "retention": self.retention,
            "automated_decisions": self.automated_decisions,
            "source": self.source,
            "rights": self.rights,
            "transfers": list(self.transfers),
        }


def _hidden(value: object) -> str:
    return "<redacted>"


@attrs.frozen
class ExportedField:
    """One non-empty field of one record, in ``to_dict`` form, with what metadata says of it.

    The ``repr`` hides the value.
    """

    path: str
    category: Category
    privacy: PrivacyCategory
    personal: bool
    value: Any = attrs.field(repr=_hidden)


@attrs.frozen
class Provenance:
    """Where a record (``path`` ``None``) or one of its contact points came from, and when.

    ``source`` is a :class:`~crmcore.Source` value; the instants are ISO 8601 text.
    """

    path: str | None
    source: str | None
    collected_at: str | None
    verified_at: str | None

    def to_dict(self) -> dict[str, Any]:
        """The provenance as a JSON-safe dict."""
        return attrs.asdict(self)


@attrs.frozen
class ExportedRecord:
    """One record of the subject: its type, id, why it was found, its fields, its provenance."""

    record_type: str
    id: str
    confidence: Confidence
    reasons: tuple[Reason, ...]
    fields: tuple[ExportedField, ...]
    provenance: tuple[Provenance, ...]

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON-safe dict: fields grouped by category, then by path."""
        data: dict[str, dict[str, Any]] = {}
        for item in self.fields:
            data.setdefault(item.category.value, {})[item.path] = {
                "privacy": item.privacy.value,
                "personal": item.personal,
                "value": item.value,
            }
        return {
            "type": self.record_type,
            "id": self.id,
            "confidence": self.confidence.value,
            "reasons": [attrs.asdict(reason) for reason in self.reasons],
            "data": {
                category.value: data[category.value]
                for category in Category
                if category.value in data
            },
            "provenance": [item.to_dict() for item in self.provenance],
        }


@attrs.frozen
class SubjectExport:
    """Everything held on a subject, with the caller's :class:`AccessInfo`.

    ``records`` are sorted by type and id. ``left_for_review`` counts the doubtful records left
    out (see :attr:`~crmcore.privacy.Discovery.review`); it is not part of the subject's copy.
    """

    info: AccessInfo
    records: tuple[ExportedRecord, ...]
    left_for_review: int = 0

    @property
    def categories(self) -> tuple[PrivacyCategory, ...]:
        """The categories of personal data exported (Art. 15(1)(b)), sorted by value."""
        found = {f.privacy for r in self.records for f in r.fields if f.personal}
        return tuple(sorted(found, key=lambda member: member.value))

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source the records and their contact points name, sorted."""
        found = {p.source for r in self.records for p in r.provenance if p.source is not None}
        return tuple(sorted(found))

    def to_dict(self) -> dict[str, Any]:
        """The subject's copy as a JSON-safe dict (``json.dumps`` takes it as it is)."""
        information = self.info.to_dict()
        information["categories"] = [member.value for member in self.categories]
        information["sources"] = list(self.sources)
        return {
            "format": EXPORT_FORMAT,
            "information": information,
            "records": [record.to_dict() for record in self.records],
        }

    def rows(self) -> tuple[tuple[str, ...], ...]:
        """The data as CSV rows, :data:`EXPORT_COLUMNS` first, then one row per value.

        A value nested in a field (an email's ``address``, a note's ``text``) has its own row,
        its path indexed (``qualitative.notes[0].text``); empty values have none. Rows hold the
        values as they are: a writer for spreadsheets must guard against formulas.
        """
        found: list[tuple[str, ...]] = [EXPORT_COLUMNS]
        for record in self.records:
            for item in record.fields:
                for path, text in leaves(item.value, item.path):
                    found.append(
                        (
                            record.record_type,
                            record.id,
                            item.category.value,
                            item.privacy.value,
                            path,
                            text,
                        )
                    )
        return tuple(found)


def _json_safe(value: Any, path: str) -> None:
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if math.isfinite(value):
            return
    elif isinstance(value, list):
        for item in value:
            _json_safe(item, path)
        return
    elif isinstance(value, dict) and all(isinstance(key, str) for key in value):
        for item in value.values():
            _json_safe(item, path)
        return
    raise InvalidValueError("the converter wrote a value JSON cannot hold", field=path)


def _export_record(match: Match, converter: Converter) -> ExportedRecord:
    record = match.record
    data = converter.to_dict(record)
    schema = converter.schemas.get(type(record))
    fields = []
    for slot in slots(record, schema):
        value = slot_value(data, slot)
        if is_empty(value):
            continue
        _json_safe(value, slot.path)
        fields.append(ExportedField(slot.path, slot.category, slot.privacy, slot.personal, value))
    fields.sort(key=lambda item: item.path)
    return ExportedRecord(
        type(record).__name__,
        record.id,
        match.confidence,
        match.reasons,
        tuple(fields),
        tuple(Provenance(*point) for point in provenance_points(record)),
    )


def _confirmed(confirmed: object, discovery: Discovery) -> tuple[Match, ...]:
    if isinstance(confirmed, (str, bytes, Mapping)) or not isinstance(confirmed, Iterable):
        raise InvalidValueError("expected a list or tuple of matches", field="confirmed")
    found = []
    for i, match in enumerate(confirmed):
        if not isinstance(match, Match) or match not in discovery.review:
            raise InvalidValueError(
                "not a match this subject's records put in review", field=f"confirmed[{i}]"
            )
        found.append(match)
    return tuple(found)


def export_subject(
    records: Iterable[Record],
    subject: DataSubject,
    *,
    info: AccessInfo,
    converter: Converter | None = None,
    confirmed: Iterable[Match] = (),
) -> SubjectExport:
    """Everything ``records`` hold on ``subject``, by record and category, with ``info``.

    The records are those :func:`~crmcore.privacy.find_subject` finds (``strong`` and
    ``linked``); the doubtful ones in its ``review`` are left out, counted in
    :attr:`SubjectExport.left_for_review`, unless a person confirmed them: pass those matches
    (from ``find_subject(records, subject).review``) as ``confirmed``. A record found only by a
    mention of the subject in its free text holds someone else's data too: confirm it only
    after redacting it, or quote the mention by hand.

    Each record is written with ``converter`` (the default one if ``None``), whose schema for
    the record type declares custom fields; every non-empty field is listed with its category,
    privacy category and whether it is personal. Bad arguments raise
    :class:`~crmcore.errors.InvalidValueError` naming them, never quoting a value.
    """
    if not isinstance(info, AccessInfo):
        raise InvalidValueError("expected an AccessInfo", field="info")
    if converter is not None and not isinstance(converter, Converter):
        raise InvalidValueError("expected a crmcore Converter or None", field="converter")
    conv = converter if converter is not None else default_converter()
    discovery = find_subject(records, subject)
    extra = _confirmed(confirmed, discovery)
    chosen = sorted(
        {match.index: match for match in (*discovery.found, *extra)}.values(),
        key=lambda match: (type(match.record).__name__, match.record.id, match.index),
    )
    exported = tuple(_export_record(match, conv) for match in chosen)
    left = len(discovery.review) - len({match.index for match in extra})
    return SubjectExport(info, exported, left)
