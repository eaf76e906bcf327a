"""Built-in structure rules: primaries, duplicates, required and custom fields, pipelines.

- Each kind of contact point (emails, phones, postal addresses) has exactly one primary when
  there are two or more; a single one counts as primary.
- The same email (compared case-insensitively), phone (E.164 and extension) or postal address
  (compared without case and spacing) is not held twice in one record.
- Required fields are declared per rule set with :meth:`RuleSet.require
  <crmcore.validation.RuleSet.require>`, which adds a :class:`RequiredFields` validator.
- Custom fields are checked against the context's schema for the record type, if any.
- A deal's stage belongs to its pipeline, when the context declares pipelines.
- Values kept in a record's quarantine are reported, so none is forgotten.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, get_args, get_origin

import attrs

from crmcore._safe import key_segment
from crmcore.errors import InvalidValueError
from crmcore.records import RECORD_TYPES
from crmcore.records._meta import Category, field_info
from crmcore.records.deal import Deal
from crmcore.records.values import EmailAddress, PhoneNumber, PostalAddress
from crmcore.validation._registry import Registry
from crmcore.validation._walk import category_of, holders, layout
from crmcore.validation.context import Context
from crmcore.validation.issues import Code, Issue, Severity

__all__ = [
    "CODES",
    "CUSTOM_TYPE_MISMATCH",
    "CUSTOM_UNDECLARED",
    "CUSTOM_WRONG_CATEGORY",
    "DUPLICATE",
    "MANY_PRIMARIES",
    "NO_PRIMARY",
    "PIPELINE_UNKNOWN",
    "QUARANTINED",
    "REQUIRED",
    "STAGE_NOT_IN_PIPELINE",
    "RequiredFields",
    "check_contact_points",
    "check_custom_fields",
    "check_pipeline",
    "check_quarantine",
    "register",
    "required_fields",
]

NO_PRIMARY = Code(
    "contact_point.no_primary",
    Severity.WARNING,
    "several contact points of one kind and none is primary",
)
MANY_PRIMARIES = Code(
    "contact_point.many_primaries",
    Severity.ERROR,
    "more than one contact point of one kind is primary",
)
DUPLICATE = Code(
    "contact_point.duplicate", Severity.WARNING, "the same contact point is held twice"
)
REQUIRED = Code("field.required", Severity.ERROR, "a required field is empty")
CUSTOM_UNDECLARED = Code(
    "custom.undeclared", Severity.WARNING, "a custom field the schema does not declare"
)
CUSTOM_WRONG_CATEGORY = Code(
    "custom.wrong_category",
    Severity.ERROR,
    "a custom field stored in another category than the schema declares",
)
CUSTOM_TYPE_MISMATCH = Code(
    "custom.type_mismatch", Severity.ERROR, "a custom value not of its declared type"
)
PIPELINE_UNKNOWN = Code(
    "deal.pipeline_unknown", Severity.ERROR, "the deal's pipeline is not declared"
)
STAGE_NOT_IN_PIPELINE = Code(
    "deal.stage_not_in_pipeline", Severity.ERROR, "the deal's stage is not one of its pipeline"
)
QUARANTINED = Code(
    "record.quarantined",
    Severity.WARNING,
    "a value could not be read and was set aside in the record's quarantine",
)
CODES = (
    NO_PRIMARY,
    MANY_PRIMARIES,
    DUPLICATE,
    REQUIRED,
    CUSTOM_UNDECLARED,
    CUSTOM_WRONG_CATEGORY,
    CUSTOM_TYPE_MISMATCH,
    PIPELINE_UNKNOWN,
    STAGE_NOT_IN_PIPELINE,
    QUARANTINED,
)

# -- contact points ------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


_LONG_TEXT = 1000
"""Longer text is no part of an address: it is compared as it is, not normalised (cheaper)."""


def _text_key(text: str | None) -> str:
    if not text:
        return ""
    if len(text) > _LONG_TEXT:
        return text
    return _SPACES.sub(" ", text).strip().casefold()


def _code_key(code: str | None) -> str:
    if not code:
        return ""
    return code if len(code) > _LONG_TEXT else _SPACES.sub("", code).casefold()


def _email_key(email: EmailAddress) -> object:
    return email.normalised.casefold()


def _phone_key(phone: PhoneNumber) -> object:
    return (phone.e164, phone.extension)


def _address_key(address: PostalAddress) -> object:
    return (
        tuple(_text_key(line) for line in address.lines),
        _text_key(address.locality),
        _text_key(address.region),
        _code_key(address.postal_code),
        address.country,
    )


_KEYS: tuple[tuple[Callable[[Any], object], str], ...] = (
    (_email_key, "email"),
    (_phone_key, "phone number"),
    (_address_key, "postal address"),
)


def check_contact_points(record: Any, ctx: Context) -> list[Issue]:
    """Check primaries and duplicates among each kind of contact point, in one pass.

    Codes: ``contact_point.no_primary``, ``contact_point.many_primaries``,
    ``contact_point.duplicate``.
    """
    found: list[Issue] = []
    for slots, (key_of, what) in zip(layout(type(record)).contact_points, _KEYS, strict=True):
        for slot in slots:
            if not slot.many:
                continue
            points = slot.get(record)
            if len(points) < 2:
                continue
            primaries = 0
            for point in points:
                if point.primary is True:
                    primaries += 1
            if primaries == 0:
                found.append(NO_PRIMARY.issue(slot.path, slot.category))
            elif primaries > 1:
                found.append(MANY_PRIMARIES.issue(slot.path, slot.category))
            seen: dict[object, int] = {}
            for index, point in enumerate(points):
                first = seen.setdefault(key_of(point), index)
                if first != index:
                    message = f"the same {what} as {slot.path}[{first}]"
                    path = f"{slot.path}[{index}]"
                    found.append(DUPLICATE.issue(path, slot.category, message))
    return found


# -- required fields -----------------------------------------------------------------------------

_CUSTOM_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")


def _unwrap(kind: Any) -> Any:
    args = get_args(kind)
    if len(args) == 2 and type(None) in args:
        return next(arg for arg in args if arg is not type(None))
    return kind


def _check_path(record_type: type[Any], path: str) -> tuple[str, ...]:
    if not isinstance(path, str) or not path:
        raise InvalidValueError("a required path is dotted text", field="paths")
    segments = tuple(path.split("."))
    kind: Any = record_type
    for index, segment in enumerate(segments):
        if not attrs.has(kind):
            raise InvalidValueError(f"{path} goes inside a value that has no fields", field="paths")
        attribute = attrs.fields_dict(attrs.resolve_types(kind)).get(segment)
        if attribute is None:
            raise InvalidValueError(f"{kind.__name__} has no field {segment}", field="paths")
        info = field_info(attribute)
        if info is not None and info.custom:
            rest = segments[index + 1 :]
            if len(rest) > 1 or (rest and not _CUSTOM_NAME.match(rest[0])):
                raise InvalidValueError(f"{path} is not a custom field name", field="paths")
            return segments
        kind = _unwrap(attribute.type)
        if get_origin(kind) is tuple and index < len(segments) - 1:
            raise InvalidValueError(f"{path} goes inside a list", field="paths")
    return segments


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (tuple, list, Mapping)):
        return len(value) == 0
    kind: Any = type(value)
    if attrs.has(kind):
        return all(_empty(getattr(value, a.name)) for a in attrs.fields(kind))
    return False


def _lookup(record: Any, segments: tuple[str, ...]) -> object:
    value: object = record
    for segment in segments:
        if value is None:
            return None
        value = value.get(segment) if isinstance(value, Mapping) else getattr(value, segment)
    return value


@attrs.frozen
class RequiredFields:
    """A validator reporting ``field.required`` for each of ``paths`` that is empty.

    Empty means ``None``, blank text, an empty list or mapping, or a value object whose
    fields are all empty (a name with no part). ``False`` and ``0`` are values.
    """

    record_type: type[Any]
    paths: tuple[str, ...]
    _segments: tuple[tuple[str, ...], ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        segments = tuple(_check_path(self.record_type, path) for path in self.paths)
        object.__setattr__(self, "_segments", segments)

    def __call__(self, record: Any, ctx: Context, /) -> Iterator[Issue]:
        record_type = type(record)
        for path, segments in zip(self.paths, self._segments, strict=True):
            if _empty(_lookup(record, segments)):
                yield REQUIRED.issue(path, category_of(record_type, path))


def required_fields(record_type: type[Any], *paths: str) -> RequiredFields:
    """A validator requiring ``paths`` of ``record_type``; bad paths raise at once.

    >>> from crmcore import Contact
    >>> required_fields(Contact, "identity.emails", "identity.name.family").paths
    ('identity.emails', 'identity.name.family')
    """
    return RequiredFields(record_type, tuple(dict.fromkeys(paths)))


# -- custom fields -------------------------------------------------------------------------------


def check_custom_fields(record: Any, ctx: Context) -> list[Issue]:
    """Check custom values against the context's schema for the record type, if any.

    A path names a custom field when its name looks like a field name (see
    :func:`crmcore._safe.key_segment`), else by its position: ``identity.custom.<key 2>``.

    Codes: ``custom.undeclared``, ``custom.wrong_category``, ``custom.type_mismatch``.
    """
    found: list[Issue] = []
    schema = ctx.schema_for(type(record))
    if schema is None:
        return found
    for category in Category:
        values = getattr(record, category.value).custom
        for position, name in enumerate(values):
            path = f"{category.value}.custom.{key_segment(name, position)}"
            spec = schema.get(name)
            if spec is None:
                found.append(CUSTOM_UNDECLARED.issue(path, category))
            elif spec.category is not category:
                found.append(CUSTOM_WRONG_CATEGORY.issue(path, category))
            elif not spec.type.accepts(values[name]):
                message = f"a custom value not of its declared type ({spec.type.value})"
                found.append(CUSTOM_TYPE_MISMATCH.issue(path, category, message))
    return found


# -- pipelines and quarantine ---------------------------------------------------------------------


def check_pipeline(record: Any, ctx: Context) -> list[Issue]:
    """Check that a deal's pipeline is declared and its stage belongs to it.

    Codes: ``deal.pipeline_unknown``, ``deal.stage_not_in_pipeline``.
    """
    pipelines = ctx.pipelines
    if pipelines is None:
        return []
    descriptive = record.descriptive
    pipeline, stage = descriptive.pipeline, descriptive.stage
    if pipeline is not None and not pipelines.knows(pipeline):
        return [PIPELINE_UNKNOWN.issue("descriptive.pipeline", Category.DESCRIPTIVE)]
    if stage is not None and not pipelines.allows(pipeline, stage):
        return [STAGE_NOT_IN_PIPELINE.issue("descriptive.stage", Category.DESCRIPTIVE)]
    return []


def check_quarantine(record: Any, ctx: Context) -> list[Issue]:
    """Report each value kept in the record's quarantine.

    Code: ``record.quarantined``. The path is the quarantine entry, never where it was meant
    to go, and the message never repeats the entry's own reason.
    """
    return [
        QUARANTINED.issue(f"quarantine[{index}]", Category.DESCRIPTIVE)
        for index in range(len(record.quarantine))
    ]


def register(ruleset: Registry) -> None:
    """Add the structure rules to ``ruleset`` (required fields are added with ``require``)."""
    kinds = ("emails", "phones", "addresses")
    points = tuple(dict.fromkeys(kind for name in kinds for kind in holders(name)))
    ruleset.add(
        points,
        check_contact_points,
        codes=[NO_PRIMARY.name, MANY_PRIMARIES.name, DUPLICATE.name],
        name="crmcore.contact_points",
    )
    ruleset.add(
        RECORD_TYPES,
        check_custom_fields,
        codes=[c.name for c in (CUSTOM_UNDECLARED, CUSTOM_WRONG_CATEGORY, CUSTOM_TYPE_MISMATCH)],
        name="crmcore.custom_fields",
    )
    ruleset.add(
        Deal,
        check_pipeline,
        codes=[PIPELINE_UNKNOWN.name, STAGE_NOT_IN_PIPELINE.name],
        name="crmcore.pipeline",
    )
    ruleset.add(RECORD_TYPES, check_quarantine, codes=QUARANTINED.name, name="crmcore.quarantine")
