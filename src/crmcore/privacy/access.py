"""Field access by purpose or role: show each user only the fields their job needs.

An :class:`AccessPolicy` maps purposes (``support``, ``marketing.emea``) to a :class:`Grant`.
A field is visible for a purpose when its path is granted, or its category is and it is
either not personal or of a granted privacy category; a denied path or privacy category
always hides it; ``id`` is always visible. Field metadata decides (:func:`crmcore.fields`):
custom fields take their category and privacy from a :class:`~crmcore.CustomSchema`, and an
undeclared custom field is personal free text of its facet's category.

>>> from crmcore import Category, Contact, ContactIdentity, EmailAddress, PersonName
>>> from crmcore import PrivacyCategory as P
>>> policy = AccessPolicy({
...     "support": Grant(categories=[Category.IDENTITY], privacy=[P.NAME, P.CONTACT_EMAIL]),
... })
>>> ada = Contact("c-1", ContactIdentity(
...     name=PersonName(given="Ada"), emails=(EmailAddress("ada@example.org"),),
...     birth_date=__import__("datetime").date(1815, 12, 10)))
>>> seen = policy.project(ada, "support")
>>> seen.record.identity.emails == ada.identity.emails, seen.record.identity.birth_date
(True, None)
>>> "identity.birth_date" in seen.hidden, "Ada" in repr(seen)
(True, False)
>>> policy.redact(ada, "support")["identity"]["birth_date"]
'<redacted>'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import attrs

from crmcore._safe import key_segment
from crmcore.convert import Converter, default_converter
from crmcore.errors import CRMError, InvalidValueError, Problem
from crmcore.privacy._access_paths import (
    PATH,
    Slot,
    check_record_type,
    check_schema,
    covers,
    known_paths,
    slots,
    static_slots,
)
from crmcore.privacy._consent_events import check_purpose
from crmcore.records import Category, CustomSchema, PrivacyCategory, Record

__all__ = ["REDACTED", "AccessPolicy", "Grant", "Projection", "UnknownPurposeError"]

REDACTED = "<redacted>"
"""What :meth:`AccessPolicy.redact` writes in place of a hidden value."""

R = TypeVar("R", bound=Record)


class UnknownPurposeError(CRMError, LookupError):
    """The policy has no grant for the purpose asked; the message lists those it has."""


def _no_text(value: object, field: str) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected a list or tuple of entries", field=field)
    return tuple(value)


def _enums(kind: type[Any], field: str, value: object) -> tuple[Any, ...]:
    found = set()
    for entry in _no_text(value, field):
        member = None
        with contextlib.suppress(ValueError, TypeError):  # raised outside: an empty chain
            member = entry if isinstance(entry, kind) else kind(entry)
        if member is None:
            raise InvalidValueError(f"expected {kind.__name__} values", field=field)
        found.add(member)
    return tuple(sorted(found, key=lambda member: member.value))


def _path(entry: object, field: str) -> str:
    if not isinstance(entry, str) or len(entry) > 300 or not PATH.fullmatch(entry):
        raise InvalidValueError("a path is dotted field names, like 'identity.emails'", field=field)
    return entry


def _categories(value: object) -> tuple[Category, ...]:
    return _enums(Category, "categories", value)


def _privacy(value: object) -> tuple[PrivacyCategory, ...]:
    return _enums(PrivacyCategory, "privacy", value)


def _paths(value: object) -> tuple[str, ...]:
    return tuple(sorted({_path(entry, "paths") for entry in _no_text(value, "paths")}))


def _deny(value: object) -> tuple[str | PrivacyCategory, ...]:
    paths: set[str] = set()
    kinds: set[PrivacyCategory] = set()
    for entry in _no_text(value, "deny"):
        if isinstance(entry, PrivacyCategory):
            kinds.add(entry)
        else:
            paths.add(_path(entry, "deny"))
    if "id" in paths:
        raise InvalidValueError("id is always visible: a projection keeps it", field="deny")
    ordered_kinds = sorted(kinds, key=lambda member: member.value)
    return (*sorted(paths), *ordered_kinds)


@attrs.frozen
class Grant:
    """What one purpose may see.

    - ``categories``: :class:`~crmcore.Category` values whose fields are visible when they are
      not personal, or personal of a privacy category in ``privacy``.
    - ``privacy``: :class:`~crmcore.PrivacyCategory` values whose personal fields are visible
      in the granted categories (a privacy category alone grants nothing).
    - ``paths``: field paths visible whatever their metadata: ``identity.emails``, a facet
      (``qualitative``), a facet's custom fields (``descriptive.custom``) or one of them
      (``descriptive.custom.tier``). A path covers everything under it.
    - ``deny``: paths and privacy categories always hidden; a denial wins over every grant.
      ``id`` cannot be denied.

    Entries may be given in any order and as enum values (``"identity"``); they are kept sorted.

    >>> Grant(categories=["quantitative", Category.DESCRIPTIVE]).categories
    (<Category.DESCRIPTIVE: 'descriptive'>, <Category.QUANTITATIVE: 'quantitative'>)
    """

    categories: tuple[Category, ...] = attrs.field(default=(), converter=_categories)
    privacy: tuple[PrivacyCategory, ...] = attrs.field(default=(), converter=_privacy)
    paths: tuple[str, ...] = attrs.field(default=(), converter=_paths)
    deny: tuple[str | PrivacyCategory, ...] = attrs.field(default=(), converter=_deny)

    def shows(self, slot: Slot) -> bool:
        """Whether the field ``slot`` is visible under this grant."""
        if slot.path == "id":
            return True
        for entry in self.deny:
            if entry is slot.privacy or (isinstance(entry, str) and covers(entry, slot.path)):
                return False
        if any(covers(entry, slot.path) for entry in self.paths):
            return True
        return slot.category in self.categories and (
            not slot.personal or slot.privacy in self.privacy
        )


def _grants(value: object) -> Mapping[str, Grant]:
    if not isinstance(value, Mapping):
        raise InvalidValueError("expected a mapping of purposes to grants", field="grants")
    found: dict[str, Grant] = {}
    for position, (purpose, grant) in enumerate(value.items()):
        # A key is named only once it is known to be a purpose name, never quoted otherwise.
        check_purpose(purpose, f"grants[<key {position}>]")
        where = f"grants[{key_segment(purpose, position)}]"
        if not isinstance(grant, Grant):
            raise InvalidValueError("expected a Grant", field=where)
        found[purpose] = grant
    return MappingProxyType(dict(sorted(found.items())))


@attrs.frozen
class Projection(Generic[R]):
    """A record as one purpose sees it, and the paths hidden from that purpose.

    ``record`` is of the same type as the original, hidden fields emptied (``None``, ``()``,
    empty values; hidden custom values dropped). ``hidden`` lists every hidden path of the
    type, sorted, whether it held a value or not (so it reveals nothing about the values),
    plus the undeclared custom fields the record holds. The ``repr`` is the record's own,
    which hides personal values.
    """

    record: R
    hidden: tuple[str, ...]
    purpose: str


def _empty(owner: type[Any], name: str) -> Any:
    default: Any = attrs.fields_dict(owner)[name].default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()
    return default


@attrs.frozen(init=False)
class AccessPolicy:
    """Which fields each purpose or role may see; see :class:`Grant` for the rule.

    ``AccessPolicy({"support": Grant(...), "marketing": Grant(...)})``: purposes are dotted
    lower-case names. Bad input raises :class:`~crmcore.errors.InvalidValueError` naming the
    argument; an unknown purpose raises :class:`UnknownPurposeError`.
    """

    grants: Mapping[str, Grant]

    def __init__(self, grants: Mapping[str, Grant]) -> None:
        self.__attrs_init__(_grants(grants))

    def grant(self, purpose: str) -> Grant:
        """The grant of ``purpose``; :class:`UnknownPurposeError` if the policy has none."""
        found = self.grants.get(purpose) if isinstance(purpose, str) else None
        if found is None:
            known = ", ".join(self.grants) or "none"
            raise UnknownPurposeError(f"purpose: no grant for it; the policy has: {known}")
        return found

    def hidden(
        self, record_type: type[Any], purpose: str, *, schema: CustomSchema | None = None
    ) -> tuple[str, ...]:
        """The declared paths of ``record_type`` hidden from ``purpose``, sorted."""
        record_type = check_record_type(record_type)
        grant = self.grant(purpose)
        schema = check_schema(schema, record_type)
        slots_ = static_slots(record_type, schema)
        return tuple(sorted(slot.path for slot in slots_ if not grant.shows(slot)))

    def project(
        self, record: R, purpose: str, *, schema: CustomSchema | None = None
    ) -> Projection[R]:
        """``record`` as ``purpose`` sees it: hidden fields emptied, their paths listed.

        ``schema`` declares the record's custom fields; without it every custom value is
        personal free text. The input is never changed.
        """
        if not isinstance(record, Record):
            raise InvalidValueError("expected a record such as a Contact", field="record")
        grant = self.grant(purpose)
        schema = check_schema(schema, type(record))
        hidden: list[str] = []
        record_changes: dict[str, Any] = {}
        facet_changes: dict[str, dict[str, Any]] = {}
        dropped: dict[str, list[str]] = {}
        for slot in slots(record, schema):
            if grant.shows(slot):
                continue
            hidden.append(slot.path)
            if slot.facet is None:
                record_changes[slot.name] = _empty(type(record), slot.name)
            elif slot.custom:
                dropped.setdefault(slot.facet, []).append(slot.name)
            else:
                facet_type = type(getattr(record, slot.facet))
                facet_changes.setdefault(slot.facet, {})[slot.name] = _empty(facet_type, slot.name)
        for facet in sorted({*facet_changes, *dropped}):
            value = getattr(record, facet)
            changes = facet_changes.get(facet, {})
            if facet in dropped:
                custom = value.custom
                for name in dropped[facet]:
                    custom = custom.remove(name)
                changes["custom"] = custom
            record_changes[facet] = attrs.evolve(value, **changes)
        projected = attrs.evolve(record, **record_changes) if record_changes else record
        return Projection(projected, tuple(sorted(hidden)), purpose)

    def redact(
        self,
        record: Record,
        purpose: str,
        *,
        schema: CustomSchema | None = None,
        converter: Converter | None = None,
    ) -> dict[str, Any]:
        """The ``to_dict`` form of ``record`` with every hidden value shown as ``"<redacted>"``.

        Hidden fields are ``"<redacted>"`` whether they held a value or not, declared custom
        fields too (undeclared ones only where the record holds them). The dict is built from the
        projection, so a hidden value never reaches the output, whatever the ``converter``'s
        hooks write. Without ``schema``, the converter's schema for the type is used.
        """
        if converter is not None and not isinstance(converter, Converter):
            raise InvalidValueError("expected a crmcore Converter or None", field="converter")
        conv = converter if converter is not None else default_converter()
        if schema is None and isinstance(record, Record):
            schema = conv.schemas.get(type(record))
        projection = self.project(record, purpose, schema=schema)
        data = conv.to_dict(projection.record)
        for path in projection.hidden:
            _mark(data, path.split("."))
        return data

    def check(
        self, record_type: type[Any], *, schema: CustomSchema | None = None
    ) -> tuple[Problem, ...]:
        """Every granted or denied path that ``record_type`` (with ``schema``) does not have.

        An empty answer means every path of every grant names a field, a facet or a custom
        field of the type. Each :class:`~crmcore.errors.Problem` names the path and the purpose.
        """
        record_type = check_record_type(record_type)
        schema = check_schema(schema, record_type)
        known = known_paths(record_type, schema)
        custom_heads = {path for path in known if path.endswith(".custom")}
        problems = []
        for purpose, grant in self.grants.items():
            entries = [("granted to", path) for path in grant.paths]
            entries += [("denied to", path) for path in grant.deny if isinstance(path, str)]
            for verb, path in entries:
                if path in known:
                    continue
                head = path.rpartition(".")[0]
                what = (
                    "a custom field the schema does not declare"
                    if head in custom_heads
                    else f"not a field of {record_type.__name__}"
                )
                problems.append(Problem(path, f"{verb} {purpose}: {what}"))
        return tuple(problems)


def _mark(data: dict[str, Any], parts: list[str]) -> None:
    """Write ``"<redacted>"`` at the path ``parts`` of ``data``."""
    node: Any = data
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node[parts[-1]] = REDACTED
